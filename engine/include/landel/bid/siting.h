#pragma once
/// @file siting.h
/// Choosing among candidate sites the ones that close a gap ([siting], docs/siting.md): the
/// candidates in the order a rule prefers them, taken whole until a milestone's need is met,
/// the last one cut to the exact remainder, whose rest serves the next milestone first.

#include <cstddef>
#include <optional>
#include <vector>

namespace landel::bid {

/// How candidates are preferred.
enum class SitingRule
{
    /// The most equivalent connected area gained per euro of construction first (per hectare
    /// where a cost is unknown, after every costed candidate).
    EcaPerEuro,
    /// The lowest construction cost per hectare first (unknown costs last).
    CostPerHa
};

struct SiteOption
{
    double ha = 0.0;                ///< element area of the whole site
    std::optional<double> cost_eur; ///< construction of the whole site
    double eca_gain_ha = 0.0;       ///< what the site alone adds to the network's ECA
};

/// The options' indices in the order @p rule prefers them; ties keep the index order, so the
/// order is the same on every run.
std::vector<std::size_t> siting_order(const std::vector<SiteOption>& options, SitingRule rule);

/// A site taken for a milestone: all of it or the part that closes the need exactly.
struct SitePick
{
    std::size_t option = 0;
    std::size_t milestone = 0;
    double ha = 0.0;    ///< of the option's ha, taken for this milestone
    double from = 0.0;  ///< share of the option taken before (by an earlier milestone's pick)
    double share = 1.0; ///< share of the option this pick takes
};

/// Picks along @p order: for each milestone (its incremental need in ha, @p need_ha) whole
/// options until the need is met; the option that passes it is cut to the remainder and its
/// rest goes to the next milestone first. Needs the options cannot meet stay unmet.
std::vector<SitePick> pick_sites(const std::vector<SiteOption>& options,
                                 const std::vector<std::size_t>& order,
                                 const std::vector<double>& need_ha);

} // namespace landel::bid

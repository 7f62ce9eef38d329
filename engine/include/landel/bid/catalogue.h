#pragma once
/// @file catalogue.h
/// The element catalogue of the area bid: per element type the unit people plan in, the area
/// one unit adds, and its costs. The engine only holds the figures; io reads them from
/// data/catalogue/elements.csv (or the file `[bid] costs` names).

#include <optional>
#include <string>
#include <vector>

namespace landel::bid {

/// A cost per unit that sources give as a range; any of the three may be unknown.
struct CostRange
{
    std::optional<double> low;
    std::optional<double> mid;
    std::optional<double> high;
};

struct CatalogueEntry
{
    std::string type; ///< the key used in configs, e.g. "hedge"
    std::string name; ///< plain words, e.g. "Hedge (clipped)"
    /// The planning unit: "m" (lines), "tree", "pond" or "ha".
    std::string unit;
    /// Element area one unit adds (m: the strip width; ha: 10,000).
    double m2_per_unit = 0.0;
    CostRange build;                                ///< construction, euro per unit
    std::optional<double> manage_eur_per_unit_year; ///< management, euro per unit per year
    std::optional<double> land_eur_per_m2_year;     ///< land-value compensation
    int land_years = 0;                             ///< years the compensation is paid
    /// Whether the element stays where it is planted, so the farmland it takes loses its value
    /// as farmland for good (a field margin is a yearly package on land that stays farmland).
    bool permanent = true;
    std::string funding, responsible, conditions; ///< conditions columns; may be empty
    /// How a pledge drawn as a line or point is measured: a line is a strip this wide, a point
    /// a disc this wide (a crown, a pond), as element footprints are. Empty: the type is drawn
    /// as polygons only.
    std::optional<double> plan_width_m;
    std::string name_nl; ///< the name in Dutch ("Knip- en scheerheg"); may be empty
};

struct Catalogue
{
    std::vector<CatalogueEntry> entries;

    /// The entry of @p type, or nullptr.
    const CatalogueEntry* find(const std::string& type) const;
};

/// What a hectare of farmland of one land use is worth, and what it is worth as woodland once
/// a permanent element stands on it (data/catalogue/land_value.csv).
struct LandValue
{
    std::string land_use; ///< the key: "average", or a land use such as "bouwland"
    double farmland_eur_per_ha = 0.0;
    double woodland_eur_per_ha = 0.0;

    /// The one-off loss when a hectare becomes a permanent element.
    double loss_eur_per_ha() const { return farmland_eur_per_ha - woodland_eur_per_ha; }
};

/// The smallest step a planning unit is rounded up to: 1 metre, tree or pond; 0.01 ha.
double rounding_step(const std::string& unit);

} // namespace landel::bid

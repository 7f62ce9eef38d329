#pragma once
// Internal: the pledges of [bid.offers] (docs/bid.md, "Pledges: the gebiedsbod") — read,
// checked and counted against the areas — and the tables they give.

#include "landel/analysis/measurement/measurement.h"
#include "landel/bid/catalogue.h"
#include "landel/bid/pledges.h"
#include "landel/core/table.h"
#include "landel/io/crs.h"
#include "landel/pipeline/config.h"
#include "landel/pipeline/run_log.h"
#include "stages/inputs.h"

#include <optional>
#include <string>
#include <vector>

namespace landel::pipeline::detail {

struct AreaPledges
{
    std::vector<bid::Pledge> pledges; ///< in the layer's order
    bid::PledgeCount count;
    /// Per area, per milestone: the counted hectares of its pledges due by that milestone.
    std::vector<std::vector<double>> pledged_ha;
};

/// The io request of [bid.offers]: its attributes (who, what and when required; where and how
/// much optional), rows without geometry kept.
io::VectorRequest offers_request(const Config::OffersConfig& offers);

/// Reads and counts the pledges of [bid.offers]; nothing without it. Each bad pledge is an
/// error naming the file and feature; a geometry outside every area and a given quantity
/// more than 10% off its geometry's are warnings. Must run before the element geometries are
/// handed to the output.
std::optional<AreaPledges> area_pledges(const Config& config,
                                        const io::Crs& crs,
                                        const analysis::MeasureResult& result,
                                        const bid::Catalogue& catalogue,
                                        LoadedInputs& inputs,
                                        RunLog& log);

/// One participant's pledges in one area, per milestone.
struct ParticipantArea
{
    std::string participant;
    std::size_t area = 0;
    std::vector<double> pledged_ha; ///< per milestone, counted, due by it
    std::vector<double> path_ha;    ///< per milestone: their part of the area's gap
    double counted_ha = 0.0, build_low = 0.0, build_mid = 0.0, build_high = 0.0;
    double manage_per_year = 0.0;
};

/// Per participant and area (participants in order of first pledge, areas in result order):
/// what their pledges count for, cost and are paid, and their part of the gap the area's bid
/// closes (@p closes_ha, per area and milestone): the gap × their share of the hectares
/// pledged in the area.
std::vector<ParticipantArea> participant_areas(const AreaPledges& pledges,
                                               const bid::Catalogue& catalogue,
                                               const std::vector<std::vector<double>>& closes_ha,
                                               const std::vector<int>& years);

/// pledges.csv: one row per pledge and area it lies in (a pledge outside every area: one row
/// without an area), with its counted land, what does not count and why, and its costs.
Table pledges_table(const AreaPledges& pledges,
                    const bid::Catalogue& catalogue,
                    const analysis::MeasureResult& result);

/// Per participant (all areas together) and milestone: pledged hectares and score; their
/// costs and payments.
Table participants_table(const std::vector<ParticipantArea>& rows, const Config& config);

} // namespace landel::pipeline::detail

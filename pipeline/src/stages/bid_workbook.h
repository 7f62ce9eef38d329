#pragma once
// Internal: area_bid.xlsx — the summary sheet (area_bid.csv with a totals row), a sheet per
// area with its proposal up to [bid] max_area_sheets, and the rest on one sheet.

#include "landel/io/xlsx_writer.h"
#include "stages/bid_stage.h"

#include <vector>

namespace landel::pipeline::detail {

/// @p summary is the area table with its bid columns (no geometry), rows in @p order.
std::vector<io::Sheet> bid_workbook(const Config& config,
                                    const BidSetup& setup,
                                    const analysis::MeasureResult& result,
                                    const AreaBids& bids,
                                    const Table& summary,
                                    const std::vector<std::size_t>& order);

} // namespace landel::pipeline::detail

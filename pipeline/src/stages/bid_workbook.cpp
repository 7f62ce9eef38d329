#include "stages/bid_workbook.h"

#include "stages/candidate_tables.h"
#include "stages/milestone_totals.h"
#include "stages/pledges_stage.h"

#include <algorithm>

namespace landel::pipeline::detail {

namespace {

/// @p t with the decimals people read: hectares 2, euros and metres none, shares 2 (the cells
/// keep full precision; area_bid.csv keeps 6 decimals).
Table for_reading(Table t)
{
    const auto ends_with = [](const std::string& s, const std::string& tail) {
        return s.size() >= tail.size() && s.compare(s.size() - tail.size(), tail.size(), tail) == 0;
    };
    for (Column& c : t.columns) {
        if (c.kind != ColumnKind::Real)
            continue;
        if (c.name.find("_eur") != std::string::npos || ends_with(c.name, "_m"))
            c.decimals = 0;
        else if (ends_with(c.name, "_ha") || ends_with(c.name, "_pct"))
            c.decimals = 2;
    }
    return t;
}

bool summed(const Column& c)
{
    // A share, and the network figures that do not add up over areas: the largest component
    // and the equivalent connected area of a union of areas are not the sums of theirs.
    for (const char* name :
         { "share_pct", "largest_component_ha", "eca_ha", "eca_after_ha", "connected_ends_pct" })
        if (c.name == name)
            return false;
    return c.kind != ColumnKind::Text;
}

/// The chosen sites ([siting]), one row per candidate and milestone, with totals.
io::Sheet sites_sheet(const Config& config,
                      const analysis::MeasureResult& result,
                      const AreaBids& bids)
{
    io::Sheet s;
    s.name = "Chosen sites";
    s.title = "Chosen sites: the stretches of candidate sites that hold the proposal "
              "(candidates.gpkg, layer sites)";
    s.table = for_reading(chosen_sites_table(config, result, bids));
    s.table.geometry_wkb.clear();
    for (const char* name : { "length_m", "ha", "build_eur" })
        s.totals.push_back({ name, { io::Total::Sum, {}, {} } });
    return s;
}

/// The proposal rows of one area: one per type with additions, then a total row.
void proposal_rows(Table& t,
                   const Config& config,
                   const BidSetup& setup,
                   const AreaBids& bids,
                   std::size_t area,
                   const std::string* area_id)
{
    const bid::AreaBid& b = bids.bids[area];
    const std::size_t milestones = config.milestones.size();
    std::vector<double> total_ha(milestones, 0.0), total_mid(milestones, 0.0);
    for (const bid::TypeBid& tb : b.types) {
        double any = 0.0;
        for (double ha : tb.add_ha)
            any += ha;
        if (any <= 0.0)
            continue;
        const bid::CatalogueEntry& e = *setup.catalogue.find(tb.type);
        std::vector<Cell> row;
        if (area_id)
            row.emplace_back(*area_id);
        row.emplace_back(e.name);
        row.emplace_back(e.unit);
        for (std::size_t m = 0; m < milestones; ++m) {
            row.emplace_back(tb.qty[m]);
            row.emplace_back(tb.add_ha[m]);
            const double mid = e.build.mid ? tb.qty[m] * *e.build.mid : 0.0;
            row.push_back(e.build.mid ? Cell(mid) : Cell());
            total_ha[m] += tb.add_ha[m];
            total_mid[m] += mid;
        }
        double qty_total = 0.0;
        for (double q : tb.qty)
            qty_total += q;
        row.push_back(e.manage_eur_per_unit_year ? Cell(qty_total * *e.manage_eur_per_unit_year)
                                                 : Cell());
        row.emplace_back(e.funding);
        row.emplace_back(e.conditions);
        t.rows.push_back(std::move(row));
    }
}

Table proposal_table(const Config& config, bool with_area)
{
    Table t;
    if (with_area)
        t.columns.push_back({ "area_id", ColumnKind::Text, 0, "Area" });
    t.columns.push_back({ "type", ColumnKind::Text, 0, "Element type" });
    t.columns.push_back({ "unit", ColumnKind::Text, 0, "Unit" });
    for (const auto& m : config.milestones) {
        const std::string y = std::to_string(m.year);
        t.columns.push_back(
          { "qty_" + y, ColumnKind::Real, 2, "Quantity added by " + y + " (unit)" });
        t.columns.push_back(
          { "add_" + y + "_ha", ColumnKind::Real, 2, "Area added by " + y + " (ha)" });
        t.columns.push_back(
          { "build_" + y + "_eur", ColumnKind::Real, 0, "Construction by " + y + ", mid (EUR)" });
    }
    t.columns.push_back({ "manage_eur_per_year",
                          ColumnKind::Real,
                          0,
                          "Management payments (ANLb/SNL) per year when complete (EUR)" });
    t.columns.push_back({ "funding", ColumnKind::Text, 0, "Funding routes" });
    t.columns.push_back({ "conditions", ColumnKind::Text, 0, "Conditions" });
    return t;
}

std::vector<std::pair<std::string, io::TotalRule>> proposal_totals(const Table& t)
{
    std::vector<std::pair<std::string, io::TotalRule>> out;
    for (const Column& c : t.columns)
        if (c.kind != ColumnKind::Text && c.name.rfind("qty_", 0) != 0) // units differ per row
            out.push_back({ c.name, { io::Total::Sum, {}, {} } });
    return out;
}

/// The run's gaps per milestone: the sum of the per-area gaps beside the regional gap.
io::Sheet regional_sheet(const Config& config, const AreaBids& bids)
{
    io::Sheet s;
    s.name = "Regional accounting";
    s.title = "Per-area and regional gaps; the bid closes " + closed_gap_words(bids.scope) +
              " ([targets] scope)";
    const bool region = bids.scope == Config::GapScope::Region;
    s.table.columns = { { "year", ColumnKind::Text, 0, "Milestone" }, // no thousands separator
                        { "share", ColumnKind::Real, 3, "Target share of rural land" },
                        { "target_ha", ColumnKind::Real, 2, "Sum of the targets (ha)" },
                        { "area_gaps_ha", ColumnKind::Real, 2, "Sum of the areas' gaps (ha)" },
                        { "regional_gap_ha",
                          ColumnKind::Real,
                          2,
                          "Regional gap: sum of targets - sum of elements (ha)" } };
    if (region)
        s.table.columns.push_back(
          { "unallocated_ha", ColumnKind::Real, 2, "Regional gap no area can take (ha)" });
    for (const MilestoneTotal& t : milestone_totals(config, bids)) {
        std::vector<Cell> row{ Cell(std::to_string(t.year)),
                               Cell(t.share),
                               Cell(t.target_ha),
                               Cell(t.area_gaps_ha),
                               Cell(t.regional_gap_ha) };
        if (region)
            row.emplace_back(t.unallocated_ha);
        s.table.rows.push_back(std::move(row));
    }
    return s;
}

/// The gebiedsbod: a sheet of all participants, then one per participant with their pledges
/// (the rows of pledges.csv), each with a totals row.
void participant_sheets(std::vector<io::Sheet>& sheets,
                        const Config& config,
                        const BidSetup& setup,
                        const analysis::MeasureResult& result,
                        const AreaBids& bids)
{
    io::Sheet all;
    all.name = "Participants";
    all.title = "Gebiedsbod: pledges per participant, their costs, the management payments "
                "they receive, and their score (1-5, 3 = on the path)";
    all.table = for_reading(participants_table(bids.participants, config));
    for (const Column& c : all.table.columns)
        if (c.kind == ColumnKind::Real && c.name.rfind("score_", 0) != 0)
            all.totals.push_back({ c.name, { io::Total::Sum, {}, {} } });
    sheets.push_back(std::move(all));

    const Table pledges = pledges_table(*bids.pledges, setup.catalogue, result);
    const std::size_t who = pledges.column_index("participant");
    std::vector<std::string> names; // in order of first pledge
    for (const bid::Pledge& p : bids.pledges->pledges)
        if (std::find(names.begin(), names.end(), p.participant) == names.end())
            names.push_back(p.participant);
    for (const std::string& name : names) {
        io::Sheet sheet;
        sheet.name = name;
        sheet.title = name + ": pledges (one row per pledge and area)";
        sheet.table = for_reading(pledges);
        sheet.table.rows.clear();
        for (const std::vector<Cell>& row : pledges.rows)
            if (std::get<std::string>(row[who]) == name)
                sheet.table.rows.push_back(row);
        for (const Column& c : sheet.table.columns)
            if (c.kind == ColumnKind::Real && c.name.rfind("quantity", 0) != 0)
                sheet.totals.push_back({ c.name, { io::Total::Sum, {}, {} } });
        sheets.push_back(std::move(sheet));
    }
}

} // namespace

std::vector<io::Sheet> bid_workbook(const Config& config,
                                    const BidSetup& setup,
                                    const analysis::MeasureResult& result,
                                    const AreaBids& bids,
                                    const Table& summary,
                                    const std::vector<std::size_t>& order)
{
    std::vector<io::Sheet> sheets;
    io::Sheet s;
    s.name = "Summary";
    s.title = "landel area bid" + (config.name.empty() ? std::string() : " — " + config.name);
    s.table = for_reading(summary);
    for (const Column& c : summary.columns)
        if (summed(c))
            s.totals.push_back({ c.name, { io::Total::Sum, {}, {} } });
    s.totals.push_back({ "share_pct", { io::Total::Ratio, "element_ha", "rural_ha" } });
    if (!bids.network.empty())
        s.totals.push_back(
          { "connected_ends_pct", { io::Total::Ratio, "connected_ends", "line_ends" } });
    s.status_column = "status";
    sheets.push_back(std::move(s));
    if (!config.milestones.empty())
        sheets.push_back(regional_sheet(config, bids));
    if (bids.pledges)
        participant_sheets(sheets, config, setup, result, bids);
    if (!bids.candidates.empty())
        sheets.push_back(sites_sheet(config, result, bids));

    const std::size_t per_area =
      std::min<std::size_t>(order.size(), std::size_t(std::max(0, config.max_area_sheets)));
    for (std::size_t k = 0; k < per_area; ++k) {
        const std::size_t i = order[k];
        const analysis::AreaMeasure& a = result.areas[i];
        io::Sheet sheet;
        sheet.name = a.id + (a.name.empty() ? "" : " " + a.name);
        sheet.title =
          a.id + (a.name.empty() ? "" : " — " + a.name) + ": element mix '" + bids.region[i] + "'";
        sheet.table = proposal_table(config, false);
        proposal_rows(sheet.table, config, setup, bids, i, nullptr);
        sheet.totals = proposal_totals(sheet.table);
        sheets.push_back(std::move(sheet));
    }
    if (per_area < order.size()) {
        io::Sheet rest;
        rest.name = "Other areas";
        rest.title = "Proposals of the areas without a sheet of their own (bid.max_area_sheets = " +
                     std::to_string(config.max_area_sheets) + ")";
        rest.table = proposal_table(config, true);
        for (std::size_t k = per_area; k < order.size(); ++k)
            proposal_rows(rest.table, config, setup, bids, order[k], &result.areas[order[k]].id);
        rest.totals = proposal_totals(rest.table);
        sheets.push_back(std::move(rest));
    }
    return sheets;
}

} // namespace landel::pipeline::detail

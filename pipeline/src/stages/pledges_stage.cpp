#include "stages/pledges_stage.h"

#include "landel/core/error.h"
#include "landel/core/text.h"

#include <cmath>
#include <map>

namespace landel::pipeline::detail {

namespace {

/// The attributes read, in this order.
enum OfferField
{
    Participant,
    AreaId,
    Type,
    Quantity,
    Year,
    Funder,
    Conditions
};

std::string text_of(const io::FieldValue& v)
{
    return v.null ? std::string() : trim(v.text);
}

bid::Pledge pledge_of(io::VectorFeature& f, const std::string& label)
{
    bid::Pledge p;
    p.label = label;
    p.participant = text_of(f.fields[Participant]);
    p.area_id = text_of(f.fields[AreaId]);
    p.type = text_of(f.fields[Type]);
    p.funder = text_of(f.fields[Funder]);
    p.conditions = text_of(f.fields[Conditions]);
    const io::FieldValue& q = f.fields[Quantity];
    if (!text_of(q).empty()) {
        if (!std::isfinite(q.number))
            throw Error(label + ": quantity '" + q.text + "' is not a number");
        p.quantity = q.number;
    }
    const io::FieldValue& y = f.fields[Year];
    if (text_of(y).empty())
        throw Error(label + ": no year");
    if (!std::isfinite(y.number) || y.number != std::floor(y.number) || std::abs(y.number) > 1e5)
        throw Error(label + ": year '" + y.text + "' is not a year");
    p.year = int(y.number);
    p.geometry_wkb = std::move(f.wkb);
    return p;
}

std::vector<bid::PledgeArea> pledge_areas(const analysis::MeasureResult& result)
{
    std::vector<bid::PledgeArea> areas;
    for (const analysis::AreaMeasure& a : result.areas)
        areas.push_back({ a.id, a.geometry_wkb, a.rural_wkb, a.owned_wkb });
    return areas;
}

/// A pledge's quantity differing from its geometry's by more than this share is a warning.
constexpr double quantity_tolerance = 0.10;

void warn_about(const AreaPledges& p, const bid::Catalogue& catalogue, RunLog& log)
{
    for (std::size_t i : p.count.outside)
        log.warning(p.pledges[i].label + " (" + p.pledges[i].participant +
                    "): its geometry lies outside every area; it counts nowhere");
    for (std::size_t i = 0; i < p.pledges.size(); ++i) {
        const bid::Pledge& pledge = p.pledges[i];
        const std::optional<double>& drawn = p.count.geometry_quantity[i];
        if (!pledge.quantity || !drawn)
            continue;
        if (std::abs(*pledge.quantity - *drawn) > quantity_tolerance * *drawn) {
            const std::string unit = catalogue.find(pledge.type)->unit;
            log.warning(pledge.label + " (" + pledge.participant + "): quantity " +
                        fixed_decimals(*pledge.quantity, 2) + " " + unit +
                        " differs by more than 10% from its geometry's " +
                        fixed_decimals(*drawn, 2) + " " + unit + "; the geometry's counts");
        }
    }
}

/// Adds @p qty × @p per_unit when the figure is known.
void add_cost(double& sum, double qty, const std::optional<double>& per_unit)
{
    if (per_unit)
        sum += qty * *per_unit;
}

Cell cost_cell(double qty, const std::optional<double>& per_unit)
{
    return per_unit ? Cell(qty * *per_unit) : Cell();
}

Cell optional_cell(const std::optional<double>& v)
{
    return v ? Cell(*v) : Cell();
}

} // namespace

io::VectorRequest offers_request(const Config::OffersConfig& o)
{
    io::VectorRequest r = vector_request(o);
    r.fields = { o.participant, o.area_id, o.type, o.quantity, o.year, o.funder, o.conditions };
    r.field_keys = { "participant_field", "area_id_field", "type_field",      "quantity_field",
                     "year_field",        "funder_field",  "conditions_field" };
    // A pledge needs who, what and when; where and how much may come from its geometry.
    r.field_optional = { false, true, false, true, false, true, true };
    r.rows_without_geometry = true;
    return r;
}

std::optional<AreaPledges> area_pledges(const Config& config,
                                        const io::Crs& crs,
                                        const analysis::MeasureResult& result,
                                        const bid::Catalogue& catalogue,
                                        LoadedInputs& inputs,
                                        RunLog& log)
{
    if (!config.bid_offers)
        return std::nullopt;
    const Config::OffersConfig& o = *config.bid_offers;
    const auto source = open_recorded(offers_request(o), crs, inputs);
    const std::vector<bid::PledgeArea> areas = pledge_areas(result);
    AreaPledges out;
    for (io::VectorFeature& f : source->read()) {
        const std::string label =
          o.label + ": '" + o.path.string() + "' feature " + std::to_string(f.fid);
        out.pledges.push_back(pledge_of(f, label));
        bid::check_pledge(out.pledges.back(), catalogue, areas, config.measurement_year);
    }
    out.count = bid::count_pledges(out.pledges, areas, catalogue);
    out.pledged_ha.assign(result.areas.size(), std::vector<double>(config.milestones.size(), 0.0));
    for (const bid::PledgePart& part : out.count.parts)
        for (std::size_t m = 0; m < config.milestones.size(); ++m)
            if (out.pledges[part.pledge].year <= config.milestones[m].year)
                out.pledged_ha[part.area][m] += part.counted_ha;
    warn_about(out, catalogue, log);
    double counted = 0.0, masked = 0.0, on_elements = 0.0, on_pledges = 0.0;
    for (const bid::PledgePart& part : out.count.parts) {
        counted += part.counted_ha;
        masked += part.on_masks_ha;
        on_elements += part.on_elements_ha;
        on_pledges += part.on_pledges_ha;
    }
    log.info(o.label + ": " + std::to_string(out.pledges.size()) + " pledges count for " +
             fixed_decimals(counted, 4) + " ha; not counted: " + fixed_decimals(masked, 4) +
             " ha on land that is not rural, " + fixed_decimals(on_elements, 4) +
             " ha on existing elements, " + fixed_decimals(on_pledges, 4) +
             " ha on land an earlier pledge took");
    return out;
}

std::vector<ParticipantArea> participant_areas(const AreaPledges& pledges,
                                               const bid::Catalogue& catalogue,
                                               const std::vector<std::vector<double>>& closes_ha,
                                               const std::vector<int>& years)
{
    std::vector<ParticipantArea> rows;
    std::map<std::pair<std::string, std::size_t>, std::size_t> at;
    std::map<std::string, std::size_t> first; // participant -> their first pledge
    for (std::size_t i = 0; i < pledges.pledges.size(); ++i)
        first.emplace(pledges.pledges[i].participant, i);
    std::vector<double> area_counted(closes_ha.size(), 0.0);
    for (const bid::PledgePart& part : pledges.count.parts) {
        const bid::Pledge& p = pledges.pledges[part.pledge];
        auto it = at.find({ p.participant, part.area });
        if (it == at.end()) {
            it = at.emplace(std::make_pair(p.participant, part.area), rows.size()).first;
            ParticipantArea r;
            r.participant = p.participant;
            r.area = part.area;
            r.pledged_ha.assign(years.size(), 0.0);
            r.path_ha.assign(years.size(), 0.0);
            rows.push_back(std::move(r));
        }
        ParticipantArea& r = rows[it->second];
        r.counted_ha += part.counted_ha;
        area_counted[part.area] += part.counted_ha;
        for (std::size_t m = 0; m < years.size(); ++m)
            if (p.year <= years[m])
                r.pledged_ha[m] += part.counted_ha;
        const bid::CatalogueEntry& e = *catalogue.find(p.type);
        add_cost(r.build_low, part.quantity, e.build.low);
        add_cost(r.build_mid, part.quantity, e.build.mid);
        add_cost(r.build_high, part.quantity, e.build.high);
        add_cost(r.manage_per_year, part.quantity, e.manage_eur_per_unit_year);
    }
    // A participant's part of the gap: the gap × their share of what the area's pledges count.
    for (ParticipantArea& r : rows)
        if (area_counted[r.area] > 0.0)
            for (std::size_t m = 0; m < years.size(); ++m)
                r.path_ha[m] = closes_ha[r.area][m] * r.counted_ha / area_counted[r.area];
    std::stable_sort(rows.begin(), rows.end(), [&](const auto& a, const auto& b) {
        const std::size_t fa = first.at(a.participant), fb = first.at(b.participant);
        return fa != fb ? fa < fb : a.area < b.area;
    });
    return rows;
}

Table pledges_table(const AreaPledges& pledges,
                    const bid::Catalogue& catalogue,
                    const analysis::MeasureResult& result)
{
    Table t;
    const auto text = [&](const std::string& name, const std::string& alias) {
        t.columns.push_back({ name, ColumnKind::Text, 0, alias });
    };
    const auto real = [&](const std::string& name, const std::string& alias, int decimals) {
        t.columns.push_back({ name, ColumnKind::Real, decimals, alias });
    };
    t.columns.push_back(
      { "pledge", ColumnKind::Integer, 0, "Pledge (feature of the offers layer)" });
    text("participant", "Participant");
    text("area_id", "Area");
    text("type", "Element type");
    text("unit", "Unit");
    t.columns.push_back({ "year", ColumnKind::Integer, 0, "Built by (year)" });
    text("funder", "Funder");
    text("conditions", "Conditions");
    text("placed", "Placed by a geometry (yes/no)");
    real("quantity_given", "Quantity given (unit)", 2);
    real("quantity", "Quantity in this area (unit)", 2);
    real("gross_ha", "Pledged land in this area (ha)", 6);
    real("on_masks_ha", "Of it, not rural land: does not count (ha)", 6);
    real("on_elements_ha", "Of it, existing elements: does not count (ha)", 6);
    real("on_pledges_ha", "Of it, taken by an earlier pledge: does not count (ha)", 6);
    real("counted_ha", "Counted towards the gap (ha)", 6);
    real("build_cost_eur_low", "Construction, low (EUR)", 2);
    real("build_cost_eur_mid", "Construction, mid (EUR)", 2);
    real("build_cost_eur_high", "Construction, high (EUR)", 2);
    real("manage_payment_eur_per_year", "Management payments (ANLb/SNL) per year (EUR)", 2);

    const auto row_of = [&](std::size_t i, const bid::PledgePart* part) {
        const bid::Pledge& p = pledges.pledges[i];
        const bid::CatalogueEntry& e = *catalogue.find(p.type);
        const double qty = part ? part->quantity : 0.0;
        std::vector<Cell> row{ Cell(std::int64_t(i + 1)),
                               Cell(p.participant),
                               part ? Cell(result.areas[part->area].id) : Cell(),
                               Cell(p.type),
                               Cell(e.unit),
                               Cell(std::int64_t(p.year)),
                               Cell(p.funder),
                               Cell(p.conditions),
                               Cell(std::string(p.geometry_wkb.empty() ? "no" : "yes")),
                               optional_cell(p.quantity),
                               Cell(qty),
                               Cell(part ? part->gross_ha : 0.0),
                               Cell(part ? part->on_masks_ha : 0.0),
                               Cell(part ? part->on_elements_ha : 0.0),
                               Cell(part ? part->on_pledges_ha : 0.0),
                               Cell(part ? part->counted_ha : 0.0),
                               cost_cell(qty, e.build.low),
                               cost_cell(qty, e.build.mid),
                               cost_cell(qty, e.build.high),
                               cost_cell(qty, e.manage_eur_per_unit_year) };
        t.rows.push_back(std::move(row));
    };
    // In the layer's order; a pledge's parts in area order.
    std::vector<std::vector<const bid::PledgePart*>> parts(pledges.pledges.size());
    for (const bid::PledgePart& part : pledges.count.parts)
        parts[part.pledge].push_back(&part);
    for (std::size_t i = 0; i < pledges.pledges.size(); ++i) {
        if (parts[i].empty())
            row_of(i, nullptr);
        for (const bid::PledgePart* part : parts[i])
            row_of(i, part);
    }
    return t;
}

Table participants_table(const std::vector<ParticipantArea>& rows, const Config& config)
{
    Table t;
    t.columns.push_back({ "participant", ColumnKind::Text, 0, "Participant" });
    t.columns.push_back({ "areas", ColumnKind::Integer, 0, "Areas" });
    t.columns.push_back({ "counted_ha", ColumnKind::Real, 6, "Pledged land that counts (ha)" });
    for (const auto& m : config.milestones) {
        const std::string y = std::to_string(m.year);
        t.columns.push_back(
          { "pledged_" + y + "_ha", ColumnKind::Real, 6, "Counted by " + y + " (ha)" });
        t.columns.push_back(
          { "path_" + y + "_ha", ColumnKind::Real, 6, "Their part of the gap by " + y + " (ha)" });
        t.columns.push_back(
          { "score_" + y, ColumnKind::Real, 2, "Score " + y + " (1-5, 3 = on the path)" });
    }
    t.columns.push_back({ "build_cost_eur_mid", ColumnKind::Real, 2, "Construction, mid (EUR)" });
    t.columns.push_back({ "manage_payment_eur_per_year",
                          ColumnKind::Real,
                          2,
                          "Management payments (ANLb/SNL) per year (EUR)" });
    // Rows come grouped by participant (participant_areas): one row per group.
    for (std::size_t k = 0; k < rows.size();) {
        std::size_t end = k;
        ParticipantArea sum;
        sum.pledged_ha.assign(config.milestones.size(), 0.0);
        sum.path_ha.assign(config.milestones.size(), 0.0);
        for (; end < rows.size() && rows[end].participant == rows[k].participant; ++end) {
            const ParticipantArea& r = rows[end];
            sum.counted_ha += r.counted_ha;
            sum.build_mid += r.build_mid;
            sum.manage_per_year += r.manage_per_year;
            for (std::size_t m = 0; m < config.milestones.size(); ++m) {
                sum.pledged_ha[m] += r.pledged_ha[m];
                sum.path_ha[m] += r.path_ha[m];
            }
        }
        std::vector<Cell> row{ Cell(rows[k].participant),
                               Cell(std::int64_t(end - k)),
                               Cell(sum.counted_ha) };
        for (std::size_t m = 0; m < config.milestones.size(); ++m) {
            row.emplace_back(sum.pledged_ha[m]);
            row.emplace_back(sum.path_ha[m]);
            row.emplace_back(bid::pledge_score(sum.pledged_ha[m], sum.path_ha[m]));
        }
        row.emplace_back(sum.build_mid);
        row.emplace_back(sum.manage_per_year);
        t.rows.push_back(std::move(row));
        k = end;
    }
    return t;
}

} // namespace landel::pipeline::detail

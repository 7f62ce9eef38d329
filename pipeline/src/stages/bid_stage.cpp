#include "stages/bid_stage.h"
#include "stages/output_language.h"

#include "job/data_dir.h"

#include "landel/analysis/delineation/dominant_value.h"
#include "landel/analysis/measurement/free_edges.h"
#include "landel/core/error.h"
#include "landel/core/text.h"
#include "landel/io/catalogue_csv.h"
#include "landel/io/table_writers.h"
#include "landel/io/vector_source.h"
#include "landel/io/xlsx_writer.h"
#include "stages/bid_workbook.h"
#include "stages/qgis_outputs.h"
#include "stages/result_tables.h"
#include "stages/site_types.h"

#include <algorithm>
#include <cstdlib>
#include <map>
#include <set>
#include <sstream>

#include <unistd.h>

namespace landel::pipeline::detail {

namespace fs = std::filesystem;

fs::path shipped_catalogue_dir()
{
    return shipped_data_dir("catalogue", "elements.csv");
}

BidSetup load_bid_setup(const Config& config)
{
    BidSetup s;
    const fs::path shipped = shipped_catalogue_dir();
    s.catalogue_path = config.bid_costs.empty() ? shipped / "elements.csv" : config.bid_costs;
    s.mixes_path = config.bid_mixes.empty() ? shipped / "mix.csv" : config.bid_mixes;
    s.land_values_path =
      config.bid_land_values.empty() ? shipped / "land_value.csv" : config.bid_land_values;
    try {
        s.land_values = io::read_land_values(s.land_values_path);
    } catch (const Error& e) {
        e.rethrow_with((config.bid_land_values.empty() ? std::string("the shipped land values")
                                                       : std::string("bid.land_values")) +
                       ": " + e.what());
    }
    const std::string costs_key = config.bid_costs.empty() ? "the shipped catalogue" : "bid.costs";
    const std::string mixes_key = config.bid_mixes.empty() ? "the shipped mixes" : "bid.mixes";
    try {
        s.catalogue = io::read_catalogue(s.catalogue_path);
    } catch (const Error& e) {
        e.rethrow_with(costs_key + ": " + e.what()); // an IoError stays one
    }
    try {
        s.mixes = io::read_mixes(s.mixes_path);
    } catch (const Error& e) {
        e.rethrow_with(mixes_key + ": " + e.what()); // an IoError stays one
    }
    s.words = output_language(config, s.catalogue);
    for (const bid::Mix& m : s.mixes)
        for (const bid::MixShare& share : m.shares)
            if (!s.catalogue.find(share.type))
                throw Error(mixes_key + ": '" + s.mixes_path.string() + "': region '" + m.name +
                            "' names type '" + share.type + "', which " + costs_key + " ('" +
                            s.catalogue_path.string() + "') does not have");
    for (const Config::MixOverride& o : config.bid_mix) {
        bid::Mix mix{ o.region, {} };
        for (const auto& [type, share] : o.shares) {
            if (!s.catalogue.find(type))
                throw Error(config.where(o.line) + ": bid.mix.\"" + o.region + "\" names type '" +
                            type + "', which " + costs_key + " ('" + s.catalogue_path.string() +
                            "') does not have");
            mix.shares.push_back({ type, share });
        }
        const auto it = std::find_if(
          s.mixes.begin(), s.mixes.end(), [&](const bid::Mix& m) { return m.name == o.region; });
        if (it == s.mixes.end())
            s.mixes.push_back(std::move(mix));
        else
            *it = std::move(mix);
    }
    if (config.bid_potential)
        for (const std::string& t : config.bid_potential->types) {
            const bid::CatalogueEntry* e = s.catalogue.find(t);
            if (!e)
                throw Error(config.bid_potential->label + ": types names '" + t +
                            "', which the catalogue ('" + s.catalogue_path.string() +
                            "') does not have");
            if (e->unit != "m")
                throw Error(config.bid_potential->label + ": types names '" + t +
                            "', whose unit is '" + e->unit +
                            "'; only line types (unit m) use parcel edges");
        }
    if (std::none_of(
          s.mixes.begin(), s.mixes.end(), [](const bid::Mix& m) { return m.name == "*"; }))
        throw Error(mixes_key + ": '" + s.mixes_path.string() +
                    "' has no national mix (region \"*\"), "
                    "which areas of no listed region use");
    return s;
}

std::vector<std::string> check_bid_layers(const Config& config, const io::Crs& crs)
{
    std::vector<std::string> lines;
    const auto check = [&](const SourceConfig& src, const std::string& field) {
        io::VectorRequest r = vector_request(src);
        if (!field.empty()) {
            r.fields = { field };
            r.field_keys = { "field" };
        }
        const io::VectorSource source(r, crs);
        lines.push_back(src.label + ": '" + src.path.string() + "' layer '" + source.info().layer +
                        "', CRS " + source.info().crs +
                        (source.info().pipeline.empty() ? "" : " (reprojected)"));
    };
    if (config.bid_regions)
        check(*config.bid_regions, config.bid_regions->field);
    if (config.bid_land_use)
        check(*config.bid_land_use, config.bid_land_use->field);
    if (config.bid_potential)
        check(*config.bid_potential, "");
    if (config.bid_offers) {
        const io::VectorSource source(offers_request(*config.bid_offers), crs);
        lines.push_back(config.bid_offers->label + ": '" + config.bid_offers->path.string() +
                        "' layer '" + source.info().layer + "'");
    }
    return lines;
}

namespace {

/// Per area the value of @p source's field covering most of it (empty where none does).
std::vector<std::string> dominant_field_values(const Config::RegionsConfig& source,
                                               const io::Crs& crs,
                                               const analysis::MeasureResult& result,
                                               LoadedInputs& inputs)
{
    io::VectorRequest r = vector_request(source);
    r.fields = { source.field };
    r.field_keys = { "field" };
    std::vector<std::string> wkb, values;
    for (io::VectorFeature& f : open_recorded(r, crs, inputs)->read()) {
        if (f.fields[0].null || f.fields[0].text.empty())
            continue;
        wkb.push_back(std::move(f.wkb));
        values.push_back(f.fields[0].text);
    }
    std::vector<std::string> areas;
    for (const auto& a : result.areas)
        areas.push_back(a.geometry_wkb);
    return analysis::dominant_values(areas, wkb, values);
}

} // namespace

AreaContext area_context(const Config& config,
                         const io::Crs& crs,
                         const analysis::MeasureResult& result,
                         LoadedInputs& inputs)
{
    AreaContext c;
    const std::size_t n = result.areas.size();
    c.regions = config.bid_regions ? dominant_field_values(*config.bid_regions, crs, result, inputs)
                                   : std::vector<std::string>(n);
    c.land_uses = config.bid_land_use
                    ? dominant_field_values(*config.bid_land_use, crs, result, inputs)
                    : std::vector<std::string>(n);
    return c;
}

std::vector<std::string> potential_parcels(const Config& config,
                                           const io::Crs& crs,
                                           LoadedInputs& inputs)
{
    std::vector<std::string> parcels;
    if (!config.bid_potential)
        return parcels;
    const Config::PotentialConfig& pc = *config.bid_potential;
    for (const SourceConfig& src :
         pc.stand_in.empty() ? std::vector<SourceConfig>{ pc } : pc.stand_in) {
        const auto source = open_recorded(vector_request(src), crs, inputs);
        if (source->info().geometry_kinds != 0 &&
            source->info().geometry_kinds != io::kind_polygons)
            throw Error(src.label + ": parcels in '" + src.path.string() + "' layer '" +
                        source->info().layer + "' are not polygons");
        for (io::VectorFeature& f : source->read())
            parcels.push_back(std::move(f.wkb));
    }
    return parcels;
}

std::vector<double> area_free_edges(const Config& config,
                                    const analysis::MeasureResult& result,
                                    const std::vector<std::string>& parcels)
{
    if (!config.bid_potential)
        return {};
    const Config::PotentialConfig& pc = *config.bid_potential;
    std::vector<std::string> areas;
    std::vector<std::vector<std::string>> elements;
    for (const auto& a : result.areas) {
        areas.push_back(a.geometry_wkb);
        elements.push_back(a.owned_wkb);
    }
    return analysis::free_edge_length_m(areas, parcels, elements, pc.clearance_m);
}

namespace {

/// The mix of an area: its [bid] regions value, else the first part of its class (split at
/// " / ") that has a mix, else the national mix "*". Regions without a mix go to @p unknown.
const bid::Mix& area_mix(const std::string& cls,
                         const std::string& region,
                         const std::map<std::string, const bid::Mix*>& by_name,
                         std::set<std::string>& unknown)
{
    if (!region.empty()) {
        if (const auto it = by_name.find(region); it != by_name.end())
            return *it->second;
        unknown.insert(region);
    }
    for (std::size_t from = 0; !cls.empty() && from <= cls.size();) {
        const std::size_t cut = cls.find(" / ", from);
        const std::string part =
          cls.substr(from, cut == std::string::npos ? std::string::npos : cut - from);
        if (const auto it = by_name.find(part); it != by_name.end())
            return *it->second;
        if (cut == std::string::npos)
            break;
        from = cut + 3;
    }
    return *by_name.at("*");
}

/// The land value an area's bid uses, and the row of the land-value table it comes from.
struct LandValueChoice
{
    double eur_per_ha = 0.0;
    std::string land_use; ///< the table row; "" for a region's value or land_value_eur_per_ha
};

/// docs/bid.md, "Land, two ways": the [bid.land_value] value of the area's mix region, else
/// the table's row for its land use (compared regardless of case), else
/// land_value_eur_per_ha, else the table's "average" row. A land use the table lacks goes to
/// @p unknown.
LandValueChoice land_value_of(const Config& config,
                              const std::vector<bid::LandValue>& table,
                              const std::string& region,
                              const std::string& land_use,
                              std::set<std::string>& unknown)
{
    if (const auto it = config.land_value_by_region.find(region);
        it != config.land_value_by_region.end())
        return { it->second, "" };
    const auto row = [&](const std::string& key) {
        return std::find_if(
          table.begin(), table.end(), [&](const bid::LandValue& v) { return v.land_use == key; });
    };
    if (!land_use.empty()) {
        if (const auto it = row(ascii_lower(land_use)); it != table.end())
            return { it->loss_eur_per_ha(), it->land_use };
        unknown.insert(land_use);
    }
    if (config.land_value_eur_per_ha)
        return { *config.land_value_eur_per_ha, "" };
    return { row("average")->loss_eur_per_ha(), "average" };
}

/// What an area can take of a regional gap: the rural land it has left, and no more than its
/// mix can place there when [bid.potential] limits the line types (the proposal of all that
/// land, less what it leaves unplaced).
double room_ha(const analysis::AreaMeasure& a,
               const bid::BidRequest& request,
               const bid::Catalogue& catalogue)
{
    const double left = std::max(0.0, a.rural_ha - a.element_ha);
    if (request.edge_use.empty() || left <= 0.0)
        return left;
    bid::BidRequest all = request;
    all.gap_ha.assign(request.years.size(), left);
    const bid::AreaBid b = bid::propose(all, catalogue);
    return std::clamp(left - b.unplaced_ha.front(), 0.0, left); // all of it in the first
}

/// The free edge of the pools that the line types of bid.potential.types may take: the most
/// they share (line_edge_m).
double listed_types_edge_m(const Config& config, const bid::BidRequest& request)
{
    const std::vector<std::string>& listed = config.bid_potential->types;
    std::vector<bool> used(request.edge_pools_m.size(), false);
    for (std::size_t k = 0; k < request.edge_use.size(); ++k)
        if (std::find(listed.begin(), listed.end(), request.mix.shares[k].type) != listed.end())
            for (std::size_t p : request.edge_use[k].pools)
                used[p] = true;
    double m = 0.0;
    for (std::size_t p = 0; p < used.size(); ++p)
        m += used[p] ? request.edge_pools_m[p] : 0.0;
    return m;
}

/// One warning per type the catalogue lacks figures for, with the number of areas whose cost
/// totals leave it out (each area's `uncosted` names it).
void warn_uncosted(const std::vector<bid::AreaBid>& bids, RunLog& log)
{
    std::map<std::string, std::size_t> areas;
    for (const bid::AreaBid& b : bids)
        for (const std::string& u : b.uncosted)
            ++areas[u];
    for (const auto& [what, n] : areas)
        log.warning("bid: the catalogue has no figures for " + what + "; the cost totals of " +
                    std::to_string(n) + (n == 1 ? " area leave" : " areas leave") +
                    " it out (column uncosted)");
}

} // namespace

bid::RegionalGaps regional_gaps(const analysis::MeasureResult& result,
                                const std::vector<bid::BidRequest>& requests,
                                const bid::Catalogue& catalogue)
{
    std::vector<bid::AreaStanding> areas;
    for (std::size_t i = 0; i < result.areas.size(); ++i) {
        const analysis::AreaMeasure& a = result.areas[i];
        areas.push_back({ a.targets.target_ha,
                          a.targets.gap_ha,
                          a.element_ha,
                          room_ha(a, requests[i], catalogue) });
    }
    const std::size_t milestones = requests.empty() ? 0 : requests.front().years.size();
    return bid::allocate_regional_gap(areas, milestones, analysis::gap_epsilon_ha);
}

AreaBids compute_bids(const Config& config,
                      const BidSetup& setup,
                      const analysis::MeasureResult& result,
                      const AreaContext& context,
                      const FreeEdges& free_edges,
                      std::optional<AreaPledges> pledges,
                      RunLog& log)
{
    std::map<std::string, const bid::Mix*> by_name;
    for (const bid::Mix& m : setup.mixes)
        by_name[m.name] = &m;
    std::vector<int> years;
    for (const auto& m : config.milestones)
        years.push_back(m.year);
    const bool phased = config.measurement_year && *config.measurement_year < years.front();
    if (!phased)
        log.warning(config.measurement_year
                      ? "run.measurement_year " + std::to_string(*config.measurement_year) +
                          " is not before the first milestone: the bid has no yearly phasing"
                      : std::string("no run.measurement_year: the bid has no yearly phasing"));

    AreaBids out;
    std::set<std::string> used;
    std::set<std::string> unknown_regions, unknown_land_uses;
    std::vector<bid::BidRequest> requests;
    for (std::size_t i = 0; i < result.areas.size(); ++i) {
        const bid::Mix& mix =
          area_mix(result.areas[i].cls,
                   i < context.regions.size() ? context.regions[i] : std::string(),
                   by_name,
                   unknown_regions);
        bid::BidRequest request;
        request.years = years;
        request.gap_ha = result.areas[i].targets.gap_ha;
        request.mix = mix;
        const LandValueChoice land =
          land_value_of(config,
                        setup.land_values,
                        mix.name,
                        i < context.land_uses.size() ? context.land_uses[i] : std::string(),
                        unknown_land_uses);
        request.land_value_eur_per_ha = land.eur_per_ha;
        out.land_use.push_back(land.land_use);
        out.land_value_eur_per_ha.push_back(land.eur_per_ha);
        if (!free_edges.kind_m.empty()) {
            use_site_edges(
              config, setup, free_edges.kinds, free_edges.kind_m[i], mix.name, request);
            out.line_edge_m.push_back(listed_types_edge_m(config, request));
        } else if (!free_edges.measured_m.empty()) {
            // One pool, the free parcel edge, for the listed line types: a metre of element
            // takes a metre of edge.
            request.edge_pools_m = { free_edges.measured_m[i] };
            const std::vector<std::string>& listed = config.bid_potential->types;
            for (const bid::MixShare& share : mix.shares) {
                const bool on_edge =
                  std::find(listed.begin(), listed.end(), share.type) != listed.end();
                const bid::CatalogueEntry* e = setup.catalogue.find(share.type);
                request.edge_use.push_back(
                  on_edge && e ? bid::EdgeUse{ true, { 0 }, e->m2_per_unit } : bid::EdgeUse{});
            }
        }
        out.region.push_back(mix.name);
        for (const bid::MixShare& s : mix.shares)
            used.insert(s.type);
        requests.push_back(std::move(request));
    }
    out.scope = config.gap_scope;
    out.regional = regional_gaps(result, requests, setup.catalogue);
    for (std::size_t i = 0; i < requests.size(); ++i) {
        if (out.scope == Config::GapScope::Region)
            requests[i].gap_ha = out.regional.allocated_ha[i];
        out.closes_ha.push_back(requests[i].gap_ha);
        if (pledges) {
            // The proposal is the top-down estimate for what the pledges leave open.
            for (std::size_t m = 0; m < years.size(); ++m) {
                const double left = requests[i].gap_ha[m] - pledges->pledged_ha[i][m];
                requests[i].gap_ha[m] = left < analysis::gap_epsilon_ha ? 0.0 : left;
            }
            out.after_pledges_ha.push_back(requests[i].gap_ha);
        }
        out.bids.push_back(bid::propose(requests[i], setup.catalogue));
        if (phased)
            out.phasing.push_back(
              bid::phase(out.bids.back(), years, *config.measurement_year, setup.catalogue));
    }
    warn_uncosted(out.bids, log);
    for (const std::string& r : unknown_regions)
        log.warning(config.bid_regions->label + ": region '" + r +
                    "' has no element mix; its areas use the national mix \"*\"");
    for (const std::string& u : unknown_land_uses)
        log.warning(
          config.bid_land_use->label + ": land use '" + u + "' is not in the land-value table ('" +
          setup.land_values_path.string() + "'); its areas use " +
          (config.land_value_eur_per_ha ? "bid.land_value_eur_per_ha" : "its 'average' row"));
    for (const bid::CatalogueEntry& e : setup.catalogue.entries)
        if (used.count(e.type))
            out.types.push_back(e.type);
    out.free_edge_m = free_edges.measured_m;
    if (pledges)
        out.participants = participant_areas(*pledges, setup.catalogue, out.closes_ha, years);
    out.pledges = std::move(pledges);
    out.words = setup.words;
    return out;
}

namespace {

Column real(const std::string& name, const std::string& alias, int decimals)
{
    return Column{ name, ColumnKind::Real, decimals, alias };
}

/// The distinct non-empty values of @p field among the types with additions, as
/// "value (type, type); value (type)".
std::string conditions(const bid::AreaBid& b,
                       const bid::Catalogue& catalogue,
                       std::string bid::CatalogueEntry::*field)
{
    std::vector<std::pair<std::string, std::vector<std::string>>> groups;
    for (const bid::TypeBid& t : b.types) {
        double added = 0.0;
        for (double ha : t.add_ha)
            added += ha;
        const bid::CatalogueEntry* e = catalogue.find(t.type);
        if (added <= 0.0 || !e || (e->*field).empty())
            continue;
        auto it = std::find_if(
          groups.begin(), groups.end(), [&](const auto& g) { return g.first == e->*field; });
        if (it == groups.end())
            groups.push_back({ e->*field, { t.type } });
        else
            it->second.push_back(t.type);
    }
    std::string out;
    for (const auto& [value, types] : groups) {
        if (!out.empty())
            out += "; ";
        out += value + " (";
        for (std::size_t k = 0; k < types.size(); ++k)
            out += (k ? ", " : "") + types[k];
        out += ")";
    }
    return out;
}

} // namespace

/// The [siting] columns, after the bid's: the element network and the candidate and chosen
/// sites.
void append_siting_columns(Table& table,
                           const Config& config,
                           const AreaBids& bids,
                           const std::vector<std::size_t>& order)
{
    if (!bids.network.empty()) {
        table.columns.push_back(
          { "network_patches", ColumnKind::Integer, 0, "Element patches (merged footprints)" });
        table.columns.push_back({ "network_components",
                                  ColumnKind::Integer,
                                  0,
                                  "Element components within the gap tolerance" });
        table.columns.push_back(real("largest_component_ha", "Largest component (ha)", 6));
        table.columns.push_back(real("eca_ha", "Equivalent connected area (ha)", 6));
        table.columns.push_back(
          { "line_ends", ColumnKind::Integer, 0, "Line element ends (number)" });
        table.columns.push_back(
          { "connected_ends",
            ColumnKind::Integer,
            0,
            "Line element ends within the gap tolerance of another element" });
        table.columns.push_back(real("connected_ends_pct", "Connected line ends (%)", 6));
    }
    if (config.siting && config.bid_potential) {
        table.columns.push_back(
          { "candidate_sites", ColumnKind::Integer, 0, "Candidate sites (number)" });
        table.columns.push_back(real("candidate_m", "Candidate sites: length (m)", 3));
        table.columns.push_back({ "candidate_corners",
                                  ColumnKind::Integer,
                                  0,
                                  "Candidate sites in field corners (number)" });
        table.columns.push_back(real("candidate_ha", "Candidate sites: element area (ha)", 6));
        table.columns.push_back(real("sited_m", "Chosen sites: length (m)", 3));
        table.columns.push_back(
          { "sited_corners", ColumnKind::Integer, 0, "Chosen sites in field corners (number)" });
        table.columns.push_back(real("sited_ha", "Chosen sites: element area (ha)", 6));
        table.columns.push_back(
          real("unsited_ha", "Proposal of the sited types no candidate holds (ha)", 6));
        table.columns.push_back(
          real("eca_after_ha", "Equivalent connected area with the chosen sites (ha)", 6));
    }
    for (std::size_t k = 0; k < order.size(); ++k) {
        const std::size_t i = order[k];
        std::vector<Cell>& row = table.rows[k];
        if (!bids.network.empty()) {
            const analysis::Connectivity& n = bids.network[i];
            row.emplace_back(std::int64_t(n.patches));
            row.emplace_back(std::int64_t(n.components));
            row.emplace_back(n.largest_component_ha);
            row.emplace_back(n.eca_ha);
            // Unknown for a bid on an earlier run's outputs, which keep no lines.
            const bool counted = n.line_ends >= 0;
            row.push_back(counted ? Cell(n.line_ends) : Cell());
            row.push_back(counted ? Cell(n.connected_line_ends) : Cell());
            row.push_back(counted && n.line_ends > 0
                            ? Cell(100.0 * double(n.connected_line_ends) / double(n.line_ends))
                            : Cell());
        }
        if (config.siting && config.bid_potential) {
            std::int64_t sites = 0, corners = 0;
            double ha = 0.0;
            // The free edges the candidates lie on, each once: the candidates of several types
            // on one edge are alternatives.
            std::map<std::size_t, double> edge_m;
            for (const SiteCandidate& c : bids.candidates)
                if (c.area == i) {
                    ++sites;
                    corners += c.centre_wkb.empty() ? 0 : 1;
                    if (c.centre_wkb.empty()) {
                        double& m = edge_m[c.edge];
                        m = std::max(m, c.edge_from_m + c.length_m);
                    }
                    ha += c.ha;
                }
            double length = 0.0;
            for (const auto& [edge, m] : edge_m)
                length += m;
            row.emplace_back(sites);
            row.emplace_back(length);
            row.emplace_back(corners);
            row.emplace_back(ha);
            const AreaSiting& s = bids.siting[i];
            row.emplace_back(s.sited_m);
            row.emplace_back(std::int64_t(s.sited_corners));
            row.emplace_back(s.sited_ha);
            row.emplace_back(s.unsited_ha);
            row.emplace_back(s.eca_after_ha);
        }
    }
}

void append_bid_columns(Table& table,
                        const Config& config,
                        const BidSetup& setup,
                        const AreaBids& bids,
                        const std::vector<std::size_t>& order)
{
    std::vector<std::string> years;
    for (const auto& m : config.milestones)
        years.push_back(std::to_string(m.year));
    table.columns.push_back(
      { "bid_region", ColumnKind::Text, 0, "Element mix of the bid (region)" });
    if (!bids.free_edge_m.empty())
        table.columns.push_back(
          real("free_edge_m", "Parcel edge free for new line elements (m)", 3));
    if (!bids.line_edge_m.empty())
        table.columns.push_back(
          real("line_edge_m", "Free edge whose sites hold the listed line types (m)", 3));
    for (const std::string& type : bids.types) {
        const bid::CatalogueEntry& e = *setup.catalogue.find(type);
        for (const std::string& y : years) {
            table.columns.push_back(
              real("add_" + type + "_" + y + "_ha", e.name + ": added by " + y + " (ha)", 6));
            table.columns.push_back(real("qty_" + type + "_" + y + "_" + e.unit,
                                         e.name + ": added by " + y + " (" + e.unit + ")",
                                         e.unit == "ha" ? 2 : 0));
        }
    }
    const std::string closed = bids.scope == Config::GapScope::Region
                                 ? "Part of the regional gap by "
                                 : "Gap the bid closes by ";
    for (const std::string& y : years) {
        table.columns.push_back(real("closes_" + y + "_ha", closed + y + " (ha)", 6));
        if (bids.pledges) {
            table.columns.push_back(
              real("pledged_" + y + "_ha", "Pledged by " + y + ", counted (ha)", 6));
            table.columns.push_back(
              real("after_pledges_" + y + "_ha",
                   "Gap left after the pledges by " + y + ": what the proposal closes (ha)",
                   6));
            table.columns.push_back(
              real("pledge_score_" + y, "Pledges by " + y + " on the path: 1-5, 3 = on it", 2));
        }
        table.columns.push_back(
          real("unplaced_" + y + "_ha", "Gap by " + y + " no type can take (ha)", 6));
        table.columns.push_back(
          real("build_cost_" + y + "_eur_low", "Construction by " + y + ", low (EUR)", 2));
        table.columns.push_back(
          real("build_cost_" + y + "_eur_mid", "Construction by " + y + ", mid (EUR)", 2));
        table.columns.push_back(
          real("build_cost_" + y + "_eur_high", "Construction by " + y + ", high (EUR)", 2));
        table.columns.push_back(
          real("manage_cost_" + y + "_eur_per_year",
               "Management payments (ANLb/SNL) per year after " + y + " (EUR)",
               2));
        table.columns.push_back(real("land_cost_" + y + "_eur_per_year",
                                     "Land compensation per year for the " + y + " additions (EUR)",
                                     2));
        table.columns.push_back(
          real("land_value_loss_" + y + "_eur",
               "One-off land value lost by the " + y + " additions, not in the totals (EUR)",
               2));
    }
    table.columns.push_back(real("land_needed_ha", "Land the bid needs (ha)", 6));
    table.columns.push_back(
      { "land_use", ColumnKind::Text, 0, "Land use of the land value (table row)" });
    table.columns.push_back(
      real("land_value_eur_per_ha", "Land value lost per ha of permanent element (EUR)", 2));
    table.columns.push_back(
      { "uncosted", ColumnKind::Text, 0, "Types whose costs the catalogue lacks" });
    table.columns.push_back({ "funding", ColumnKind::Text, 0, "Funding routes" });
    table.columns.push_back({ "responsible", ColumnKind::Text, 0, "Responsible party" });
    table.columns.push_back({ "conditions", ColumnKind::Text, 0, "Conditions" });

    for (std::size_t k = 0; k < order.size(); ++k) {
        const std::size_t i = order[k];
        const bid::AreaBid& b = bids.bids[i];
        std::vector<Cell>& row = table.rows[k];
        row.emplace_back(bids.region[i]);
        if (!bids.free_edge_m.empty())
            row.emplace_back(bids.free_edge_m[i]);
        if (!bids.line_edge_m.empty())
            row.emplace_back(bids.line_edge_m[i]);
        for (const std::string& type : bids.types) {
            const auto it = std::find_if(
              b.types.begin(), b.types.end(), [&](const auto& t) { return t.type == type; });
            for (std::size_t m = 0; m < years.size(); ++m) {
                row.emplace_back(it == b.types.end() ? 0.0 : it->add_ha[m]);
                row.emplace_back(it == b.types.end() ? 0.0 : it->qty[m]);
            }
        }
        double land = 0.0;
        for (std::size_t m = 0; m < years.size(); ++m) {
            row.emplace_back(bids.closes_ha[i][m]);
            if (bids.pledges) {
                const double pledged = bids.pledges->pledged_ha[i][m];
                row.emplace_back(pledged);
                row.emplace_back(bids.after_pledges_ha[i][m]);
                row.emplace_back(bid::pledge_score(pledged, bids.closes_ha[i][m]));
            }
            row.emplace_back(b.unplaced_ha[m]);
            row.emplace_back(b.build_low[m]);
            row.emplace_back(b.build_mid[m]);
            row.emplace_back(b.build_high[m]);
            row.emplace_back(b.manage_per_year[m]);
            row.emplace_back(b.land_per_year[m]);
            row.emplace_back(b.land_value_loss[m]);
            for (const bid::TypeBid& t : b.types)
                land += t.add_ha[m];
        }
        row.emplace_back(land);
        row.emplace_back(bids.land_use[i]);
        row.emplace_back(bids.land_value_eur_per_ha[i]);
        std::string uncosted;
        for (const std::string& u : b.uncosted)
            uncosted += (uncosted.empty() ? "" : "; ") + u;
        row.emplace_back(uncosted);
        row.emplace_back(conditions(b, setup.catalogue, &bid::CatalogueEntry::funding));
        row.emplace_back(conditions(b, setup.catalogue, &bid::CatalogueEntry::responsible));
        row.emplace_back(conditions(b, setup.catalogue, &bid::CatalogueEntry::conditions));
    }
}

Table phasing_table(const analysis::MeasureResult& result,
                    const AreaBids& bids,
                    const std::vector<std::size_t>& order)
{
    Table t;
    t.columns = { { "area_id", ColumnKind::Text, 0, "Area id" },
                  { "year", ColumnKind::Integer, 0, "Year" },
                  real("added_ha", "Built this year (ha)", 6),
                  real("total_added_ha", "Built so far (ha)", 6),
                  real("build_cost_eur_mid", "Construction this year, mid (EUR)", 2),
                  real("manage_cost_eur", "Management this year (EUR)", 2),
                  real("land_cost_eur", "Land compensation this year (EUR)", 2) };
    if (bids.phasing.empty())
        return t;
    for (std::size_t i : order)
        for (const bid::PhaseYear& p : bids.phasing[i])
            t.rows.push_back({ result.areas[i].id,
                               std::int64_t(p.year),
                               p.added_ha,
                               p.total_added_ha,
                               p.build_mid,
                               p.manage,
                               p.land });
    return t;
}

std::vector<std::string> write_area_outputs(const fs::path& dir,
                                            const Config& config,
                                            const io::Crs& crs,
                                            analysis::MeasureResult& result,
                                            const std::vector<int>& type_kinds,
                                            const BidSetup& setup,
                                            const AreaBids& bids)
{
    const auto order = area_order(result);
    const Translation& words = *bids.words;
    const auto table = [&](bool with_geometry) {
        Table t = area_table(config, result, type_kinds, order, with_geometry);
        append_bid_columns(t, config, setup, bids, order);
        append_siting_columns(t, config, bids, order);
        return t;
    };
    // (Aliases in the language of [render] for people; the CSVs keep names only.)
    const auto for_people = [&](Table t) {
        translate_aliases(t, words);
        return t;
    };
    std::vector<std::string> outputs{ "area_bid.csv", "area_bid.xlsx" };
    const Table summary = table(false);
    io::write_csv(dir / "area_bid.csv", summary);
    std::vector<io::Sheet> sheets = bid_workbook(config, setup, result, bids, summary, order);
    translate_sheets(sheets, words);
    io::write_xlsx(dir / "area_bid.xlsx", sheets);
    if (bids.pledges) {
        io::write_csv(dir / "pledges.csv", pledges_table(*bids.pledges, setup.catalogue, result));
        outputs.push_back("pledges.csv");
    }
    const Table phasing = phasing_table(result, bids, order);
    if (!phasing.rows.empty()) {
        io::write_csv(dir / "bid_phasing.csv", phasing);
        outputs.push_back("bid_phasing.csv");
    }
    io::GeoPackageWriter gpkg(dir / "areas.gpkg", crs);
    gpkg.add_layer("areas",
                   words("Areas with their measured landscape elements, targets and bid"),
                   for_people(table(true)));
    gpkg.add_layer("elements",
                   words("Owned, non-overlapping element area per area and type"),
                   for_people(element_table(config, result, order)));
    gpkg.add_layer(
      "study_area", words("The study area"), for_people(study_area_table(config, result)));
    const std::optional<Table> rural = rural_land_table(result, order);
    if (rural)
        gpkg.add_layer(
          "rural_land",
          words("Rural land per area: the area minus the vector masks (the denominator)"),
          for_people(*rural));
    style_area_layers(gpkg, config, rural.has_value(), words);
    gpkg.close();
    outputs.push_back("areas.gpkg");
    return outputs;
}

} // namespace landel::pipeline::detail

#include "stages/candidates_stage.h"

#include "landel/analysis/measurement/footprint.h"
#include "landel/analysis/measurement/free_edges.h"
#include "landel/geometry/ops.h"
#include "landel/io/qgis_styles.h"
#include "landel/io/table_writers.h"
#include "stages/output_language.h"

#include <algorithm>
#include <map>

namespace landel::pipeline::detail {

namespace {

/// The line type an area's free edges would hold: of the potential's types in its mix, the one
/// with the largest share (the first listed on a tie); "" when the mix has none.
std::string edge_type(const Config& config, const BidSetup& setup, const std::string& mix_name)
{
    const auto mix = std::find_if(setup.mixes.begin(), setup.mixes.end(), [&](const bid::Mix& m) {
        return m.name == mix_name;
    });
    if (mix == setup.mixes.end())
        return "";
    std::string best;
    double share = 0.0;
    for (const std::string& type : config.bid_potential->types)
        for (const bid::MixShare& s : mix->shares)
            if (s.type == type && s.share > share) {
                best = type;
                share = s.share;
            }
    return best;
}

/// The strip a line of @p type would take, inside the area's rural land and off its elements.
SiteCandidate sited(const geometry::GeosContext& ctx,
                    const bid::CatalogueEntry& entry,
                    const analysis::AreaMeasure& area,
                    const GEOSGeometry* taken,
                    std::size_t index,
                    const std::string& line_wkb)
{
    const geometry::GeomPtr line = geometry::from_wkb(ctx, line_wkb);
    geometry::GeomPtr strip = geometry::polygonal_part(
      ctx, analysis::element_footprint(ctx, line.get(), *entry.plan_width_m).get());
    const geometry::GeomPtr rural = geometry::polygonal_from_wkb(ctx, area.rural_wkb);
    strip =
      geometry::polygonal_part(ctx, geometry::intersection(ctx, strip.get(), rural.get()).get());
    if (taken)
        strip = geometry::polygonal_part(ctx, geometry::difference(ctx, strip.get(), taken).get());
    SiteCandidate c;
    c.area = index;
    c.type = entry.type;
    c.line_wkb = line_wkb;
    c.footprint_wkb = geometry::to_wkb(ctx, strip.get());
    c.length_m = geometry::length(ctx, line.get());
    c.ha = geometry::area(ctx, strip.get()) / 1e4;
    if (entry.unit == "m" && entry.build.mid)
        c.build_eur = c.length_m * *entry.build.mid;
    return c;
}

} // namespace

std::vector<SiteCandidate> site_candidates(const Config& config,
                                           const io::Crs& crs,
                                           const analysis::MeasureResult& result,
                                           const BidSetup& setup,
                                           const AreaBids& bids,
                                           LoadedInputs& inputs,
                                           RunLog& log)
{
    if (!config.siting)
        return {};
    if (!config.bid_potential) {
        log.info("siting: no candidate sites, [bid.potential] names no parcels whose free edges "
                 "could hold new line elements");
        return {};
    }
    const std::vector<std::string> parcels = potential_parcels(config, crs, inputs);
    std::vector<std::string> lands;
    std::vector<std::vector<std::string>> elements;
    for (const analysis::AreaMeasure& a : result.areas) {
        lands.push_back(a.rural_wkb.empty() ? a.geometry_wkb : a.rural_wkb);
        elements.push_back(a.owned_wkb);
    }
    const std::vector<std::vector<std::string>> lines = analysis::free_edge_lines(
      lands, parcels, elements, config.bid_potential->clearance_m, config.siting->min_length_m);
    geometry::GeosContext ctx;
    std::vector<SiteCandidate> out;
    for (std::size_t i = 0; i < result.areas.size(); ++i) {
        if (lines[i].empty())
            continue;
        const std::string type = edge_type(config, setup, bids.region[i]);
        const bid::CatalogueEntry* entry = type.empty() ? nullptr : setup.catalogue.find(type);
        if (!entry || !entry->plan_width_m)
            continue;
        const analysis::AreaMeasure& area = result.areas[i];
        std::vector<geometry::GeomPtr> parts;
        std::vector<const GEOSGeometry*> refs;
        for (const std::string& w : area.owned_wkb)
            if (!w.empty()) {
                parts.push_back(geometry::polygonal_from_wkb(ctx, w));
                refs.push_back(parts.back().get());
            }
        const geometry::GeomPtr taken = refs.empty() ? nullptr : geometry::union_of(ctx, refs);
        for (const std::string& line : lines[i])
            out.push_back(sited(ctx, *entry, area, taken.get(), i, line));
    }
    return out;
}

std::vector<std::string> write_candidates(const std::filesystem::path& dir,
                                          const Config& config,
                                          const io::Crs& crs,
                                          const analysis::MeasureResult& result,
                                          const AreaBids& bids)
{
    if (bids.candidates.empty())
        return {};
    const Translation& words = *bids.words;
    Table t;
    t.columns = { { "candidate_id", ColumnKind::Text, 0, "Candidate" },
                  { "area_id", ColumnKind::Text, 0, "Area" },
                  { "type", ColumnKind::Text, 0, "Element type" },
                  { "site", ColumnKind::Text, 0, "Kind of site" },
                  { "length_m", ColumnKind::Real, 3, "Length (m)" },
                  { "ha", ColumnKind::Real, 6, "Element area (ha)" },
                  { "build_eur", ColumnKind::Real, 2, "Construction, mid (EUR)" } };
    std::map<std::size_t, int> numbered;
    for (const SiteCandidate& c : bids.candidates) {
        const std::string& area_id = result.areas[c.area].id;
        const std::string id = area_id + "-" + std::to_string(++numbered[c.area]);
        t.rows.push_back({ id,
                           area_id,
                           c.type,
                           std::string("parcel_edge"),
                           c.length_m,
                           c.ha,
                           c.build_eur ? Cell(*c.build_eur) : Cell() });
        t.geometry_wkb.push_back(c.footprint_wkb);
    }
    translate_aliases(t, words);
    io::GeoPackageWriter gpkg(dir / "candidates.gpkg", crs);
    gpkg.add_layer(
      "candidates", words("Candidate sites for new elements: free parcel edges as strips"), t);
    io::LayerStyle style = io::candidates_style(config.type_order);
    style.description = words(style.description);
    style.aliases = gpkg.aliases("candidates");
    gpkg.add_style("candidates", "landel candidates", io::to_qml(style), style.description);
    gpkg.close();
    return { "candidates.gpkg" };
}

} // namespace landel::pipeline::detail

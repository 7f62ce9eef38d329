#include "stages/candidates_stage.h"

#include "landel/analysis/connectivity/connectivity.h"
#include "landel/analysis/measurement/footprint.h"
#include "landel/analysis/measurement/free_edges.h"
#include "landel/analysis/measurement/land_index.h"
#include "landel/bid/siting.h"
#include "landel/geometry/contexts.h"
#include "landel/geometry/ops.h"
#include "landel/io/qgis_styles.h"
#include "landel/io/table_writers.h"
#include "landel/parallel/for_each_index.h"
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

/// The strip of @p line for @p entry, inside the area's rural land, off @p taken and off
/// @p also_off (either may be nullptr).
geometry::GeomPtr strip_of(const geometry::GeosContext& ctx,
                           const bid::CatalogueEntry& entry,
                           const GEOSGeometry* line,
                           const GEOSGeometry* rural,
                           const GEOSGeometry* taken,
                           const GEOSGeometry* also_off = nullptr)
{
    geometry::GeomPtr strip = geometry::polygonal_part(
      ctx, analysis::element_footprint(ctx, line, *entry.plan_width_m).get());
    // The area's land and elements only near the strip: an overlay costs what both operands'
    // vertices cost, and an area's rural land has thousands.
    const Box near = grown(geometry::envelope(ctx, strip.get()), 1.0);
    const geometry::GeomPtr land = geometry::clip_to_box(ctx, rural, near);
    strip =
      geometry::polygonal_part(ctx, geometry::intersection(ctx, strip.get(), land.get()).get());
    for (const GEOSGeometry* off : { taken, also_off })
        if (off) {
            const geometry::GeomPtr clipped = geometry::clip_to_box(ctx, off, near);
            strip = geometry::polygonal_part(
              ctx, geometry::difference(ctx, strip.get(), clipped.get()).get());
        }
    return strip;
}

/// An area's land and elements as siting needs them.
struct AreaSite
{
    geometry::GeomPtr rural;
    /// What no site may take: its elements, the land edges run along (water, roads) and the
    /// excluded land; nullptr when there is none.
    geometry::GeomPtr taken;
};

/// The land of the kinds sites keep off ([siting] along and exclude), indexed.
struct OffLand
{
    std::vector<std::string> kinds; ///< the along kinds in their order
    std::unique_ptr<analysis::LandIndex> along;
    std::unique_ptr<analysis::LandIndex> excluded;
};

AreaSite area_site(const geometry::GeosContext& ctx,
                   const analysis::AreaMeasure& area,
                   const OffLand& off)
{
    AreaSite s;
    s.rural = geometry::polygonal_from_wkb(
      ctx, area.rural_wkb.empty() ? area.geometry_wkb : area.rural_wkb);
    std::vector<std::string> taken = area.owned_wkb;
    const Box box = geometry::envelope(ctx, s.rural.get());
    for (const analysis::LandIndex* land : { off.along.get(), off.excluded.get() })
        for (std::string& wkb : land->near(box))
            taken.push_back(std::move(wkb));
    s.taken = geometry::union_of_wkb(ctx, taken);
    return s;
}

SiteCandidate sited(const geometry::GeosContext& ctx,
                    const bid::CatalogueEntry& entry,
                    const AreaSite& site,
                    std::size_t index,
                    const std::string& line_wkb,
                    const std::string& kind,
                    const GEOSGeometry* also_off)
{
    const geometry::GeomPtr line = geometry::from_wkb(ctx, line_wkb);
    const geometry::GeomPtr strip =
      strip_of(ctx, entry, line.get(), site.rural.get(), site.taken.get(), also_off);
    SiteCandidate c;
    c.area = index;
    c.type = entry.type;
    c.site = kind;
    c.line_wkb = line_wkb;
    c.footprint_wkb = geometry::to_wkb(ctx, strip.get());
    c.length_m = geometry::length(ctx, line.get());
    c.ha = geometry::area(ctx, strip.get()) / 1e4;
    if (entry.unit == "m" && entry.build.mid)
        c.build_eur = c.length_m * *entry.build.mid;
    return c;
}

/// The strip of the first @p length_m of @p c's line, in ha.
double prefix_ha(const geometry::GeosContext& ctx,
                 const bid::CatalogueEntry& entry,
                 const AreaSite& site,
                 const GEOSGeometry* line,
                 const GEOSGeometry* also_off,
                 double length_m)
{
    const geometry::GeomPtr prefix = geometry::line_prefix(ctx, line, length_m);
    return geometry::area(
             ctx,
             strip_of(ctx, entry, prefix.get(), site.rural.get(), site.taken.get(), also_off)
               .get()) /
           1e4;
}

/// The length along @p c's line whose strip holds @p ha: the strip grows with the length, so
/// bisection finds it to a nanometre.
double length_for(const geometry::GeosContext& ctx,
                  const bid::CatalogueEntry& entry,
                  const AreaSite& site,
                  const SiteCandidate& c,
                  const GEOSGeometry* also_off,
                  double ha)
{
    if (ha <= 0.0)
        return 0.0;
    if (ha >= c.ha)
        return c.length_m;
    const geometry::GeomPtr line = geometry::from_wkb(ctx, c.line_wkb);
    double lo = 0.0, hi = c.length_m;
    for (int k = 0; k < 64 && hi - lo > 1e-9; ++k) {
        const double mid = 0.5 * (lo + hi);
        (prefix_ha(ctx, entry, site, line.get(), also_off, mid) < ha ? lo : hi) = mid;
    }
    return hi;
}

/// The stretch of @p c's line from @p from_m to @p to_m as a strip: the strip up to to_m
/// minus the strip up to from_m.
std::string stretch(const geometry::GeosContext& ctx,
                    const bid::CatalogueEntry& entry,
                    const AreaSite& site,
                    const SiteCandidate& c,
                    const GEOSGeometry* also_off,
                    double from_m,
                    double to_m)
{
    const geometry::GeomPtr line = geometry::from_wkb(ctx, c.line_wkb);
    const geometry::GeomPtr upto = geometry::line_prefix(ctx, line.get(), to_m);
    geometry::GeomPtr strip =
      strip_of(ctx, entry, upto.get(), site.rural.get(), site.taken.get(), also_off);
    if (from_m > 0.0) {
        const geometry::GeomPtr before = geometry::line_prefix(ctx, line.get(), from_m);
        const geometry::GeomPtr earlier =
          strip_of(ctx, entry, before.get(), site.rural.get(), site.taken.get(), also_off);
        strip = geometry::polygonal_part(
          ctx, geometry::difference(ctx, strip.get(), earlier.get()).get());
    }
    return geometry::to_wkb(ctx, strip.get());
}

/// Chooses among an area's candidates those that hold its proposal of their type, milestone
/// by milestone (bid::pick_sites), and cuts each chosen stretch out of its candidate.
AreaSiting choose(const geometry::GeosContext& ctx,
                  const bid::CatalogueEntry& entry,
                  const AreaSite& site,
                  const std::vector<double>& need_ha,
                  bid::SitingRule rule,
                  std::vector<SiteCandidate>& candidates)
{
    std::vector<bid::SiteOption> options;
    for (const SiteCandidate& c : candidates)
        options.push_back({ c.ha, c.build_eur, c.eca_gain_ha });
    const std::vector<std::size_t> order = bid::siting_order(options, rule);
    for (std::size_t r = 0; r < order.size(); ++r)
        candidates[order[r]].rank = r + 1;
    AreaSiting s;
    for (const bid::SitePick& p : bid::pick_sites(options, order, need_ha)) {
        SiteCandidate& c = candidates[p.option];
        const geometry::GeomPtr also_off =
          c.also_off_wkb.empty() ? nullptr : geometry::from_wkb(ctx, c.also_off_wkb);
        const double from = length_for(ctx, entry, site, c, also_off.get(), p.from * c.ha);
        const double to =
          length_for(ctx, entry, site, c, also_off.get(), (p.from + p.share) * c.ha);
        SitePart part;
        part.milestone = p.milestone;
        part.from_m = from;
        part.length_m = to - from;
        part.footprint_wkb = stretch(ctx, entry, site, c, also_off.get(), from, to);
        part.ha = geometry::area(ctx, geometry::from_wkb(ctx, part.footprint_wkb).get()) / 1e4;
        s.sited_m += part.length_m;
        s.sited_ha += part.ha;
        c.chosen.push_back(std::move(part));
    }
    double need = 0.0;
    for (double n : need_ha)
        need += n;
    s.unsited_ha = std::max(0.0, need - s.sited_ha);
    return s;
}

/// The strips of @p earlier (with their @p boxes) that overlap @p c's.
std::vector<std::string> strips_met(const geometry::GeosContext& ctx,
                                    const SiteCandidate& c,
                                    const std::vector<SiteCandidate>& earlier,
                                    const std::vector<Box>& boxes)
{
    std::vector<std::string> met;
    const geometry::GeomPtr strip = geometry::from_wkb(ctx, c.footprint_wkb);
    const Box box = geometry::envelope(ctx, strip.get());
    for (std::size_t k = 0; k < earlier.size(); ++k) {
        if (!boxes[k].intersects(box))
            continue;
        const geometry::GeomPtr other = geometry::from_wkb(ctx, earlier[k].footprint_wkb);
        if (geometry::area(ctx, geometry::intersection(ctx, strip.get(), other.get()).get()) > 0.0)
            met.push_back(earlier[k].footprint_wkb);
    }
    return met;
}

/// The proposal's hectares of @p type per milestone in area @p i (incremental).
std::vector<double> proposed_ha(const AreaBids& bids, std::size_t i, const std::string& type)
{
    for (const auto& t : bids.bids[i].types)
        if (t.type == type)
            return t.add_ha;
    return {};
}

/// The polygons of @p src ([siting] along or exclude); other geometry is an error.
std::vector<std::string> read_land(const SourceConfig& src,
                                   const io::Crs& crs,
                                   LoadedInputs& inputs)
{
    const auto source = open_recorded(vector_request(src), crs, inputs);
    if (source->info().geometry_kinds != 0 && source->info().geometry_kinds != io::kind_polygons)
        throw Error(src.label + ": '" + src.path.string() + "' layer '" + source->info().layer +
                    "' holds no polygons (land is given as polygons)");
    std::vector<std::string> out;
    for (io::VectorFeature& f : source->read())
        out.push_back(std::move(f.wkb));
    return out;
}

OffLand off_land(const Config& config, const io::Crs& crs, LoadedInputs& inputs)
{
    OffLand off;
    std::vector<std::vector<std::string>> along;
    for (const Config::SitingConfig::AlongConfig& a : config.siting->along) {
        auto k = std::find(off.kinds.begin(), off.kinds.end(), a.kind);
        if (k == off.kinds.end()) {
            off.kinds.push_back(a.kind);
            along.emplace_back();
            k = off.kinds.end() - 1;
        }
        for (std::string& wkb : read_land(a, crs, inputs))
            along[std::size_t(k - off.kinds.begin())].push_back(std::move(wkb));
    }
    std::vector<std::vector<std::string>> excluded(1);
    for (const SourceConfig& src : config.siting->exclude)
        for (std::string& wkb : read_land(src, crs, inputs))
            excluded[0].push_back(std::move(wkb));
    off.along = std::make_unique<analysis::LandIndex>(along);
    off.excluded = std::make_unique<analysis::LandIndex>(excluded);
    return off;
}

/// An area's rural land minus the excluded land.
std::string candidate_land(const geometry::GeosContext& ctx,
                           const analysis::AreaMeasure& area,
                           const analysis::LandIndex& excluded)
{
    const std::string& rural = area.rural_wkb.empty() ? area.geometry_wkb : area.rural_wkb;
    if (rural.empty())
        return rural;
    const geometry::GeomPtr land = geometry::polygonal_from_wkb(ctx, rural);
    const geometry::GeomPtr out =
      geometry::union_of_wkb(ctx, excluded.near(geometry::envelope(ctx, land.get())));
    if (!out)
        return rural;
    return geometry::to_wkb(
      ctx,
      geometry::polygonal_part(ctx, geometry::difference(ctx, land.get(), out.get()).get()).get());
}

/// The free parcel edges of every area's rural land outside the excluded land, split by the
/// land they run along, each at least siting.min_length_m long.
std::vector<std::vector<analysis::KindedEdge>> candidate_lines(
  const Config& config,
  const io::Crs& crs,
  const analysis::MeasureResult& result,
  const OffLand& off,
  LoadedInputs& inputs)
{
    const std::vector<std::string> parcels = potential_parcels(config, crs, inputs);
    const std::size_t n = result.areas.size();
    std::vector<std::string> lands(n);
    std::vector<std::vector<std::string>> elements;
    geometry::Contexts contexts;
    parallel::for_each_index(n, [&](std::size_t i) {
        lands[i] = candidate_land(contexts.local(), result.areas[i], *off.excluded);
    });
    for (const analysis::AreaMeasure& a : result.areas)
        elements.push_back(a.owned_wkb);
    const double min_length = config.siting->min_length_m;
    const auto lines = analysis::free_edge_lines(
      lands, parcels, elements, config.bid_potential->clearance_m, min_length);
    std::vector<std::vector<analysis::KindedEdge>> out(n);
    parallel::for_each_index(n, [&](std::size_t i) {
        const geometry::GeosContext& ctx = contexts.local();
        for (const std::string& wkb : lines[i])
            for (analysis::KindedEdge& e : off.along->split(
                   ctx, geometry::from_wkb(ctx, wkb).get(), config.siting->along_m, min_length))
                out[i].push_back(std::move(e));
    });
    return out;
}

} // namespace

void site_elements(const Config& config,
                   const io::Crs& crs,
                   const analysis::MeasureResult& result,
                   const BidSetup& setup,
                   AreaBids& bids,
                   LoadedInputs& inputs,
                   RunLog& log)
{
    if (!config.siting)
        return;
    analysis::ConnectivitySettings settings;
    settings.gap_m = config.siting->gap_m;
    settings.dispersal_m = config.siting->dispersal_m;
    const std::size_t n = result.areas.size();
    std::vector<std::vector<analysis::KindedEdge>> lines(n);
    // The land sites keep off matters only where there are candidates: read it only then.
    const OffLand off = config.bid_potential ? off_land(config, crs, inputs) : OffLand{};
    if (config.bid_potential && !config.bid_potential->stand_in_note.empty())
        log.info("siting: no parcel layer, standing in for parcels: " +
                 config.bid_potential->stand_in_note);
    if (config.bid_potential)
        lines = candidate_lines(config, crs, result, off, inputs);
    else
        log.info("siting: no candidate sites, [bid.potential] names no parcels whose free edges "
                 "could hold new line elements");
    const bid::SitingRule rule =
      config.siting->rule == "cost" ? bid::SitingRule::CostPerHa : bid::SitingRule::EcaPerEuro;
    bids.network.assign(n, {});
    if (config.bid_potential)
        bids.siting.assign(n, {});
    std::vector<std::vector<SiteCandidate>> per_area(n);
    geometry::Contexts contexts;
    parallel::for_each_index(n, [&](std::size_t i) {
        const analysis::AreaMeasure& area = result.areas[i];
        const std::string type = lines[i].empty() ? "" : edge_type(config, setup, bids.region[i]);
        const bid::CatalogueEntry* entry = type.empty() ? nullptr : setup.catalogue.find(type);
        const bool sites = entry && entry->plan_width_m;
        analysis::ElementNetwork network(area.owned_wkb, settings, sites);
        bids.network[i] = network.figures();
        if (!config.bid_potential)
            return;
        bids.siting[i].eca_after_ha = network.figures().eca_ha;
        if (!sites)
            return;
        const geometry::GeosContext& ctx = contexts.local();
        const AreaSite site = area_site(ctx, area, off);
        std::vector<Box> boxes; // of the candidates' strips so far
        for (const analysis::KindedEdge& line : lines[i]) {
            const std::string kind =
              line.kind < off.kinds.size() ? off.kinds[line.kind] : "parcel_edge";
            SiteCandidate c = sited(ctx, *entry, site, i, line.line_wkb, kind, nullptr);
            // Where edges meet at a corner their strips would overlap: the earlier candidate
            // keeps the corner, so that no land counts in two candidates.
            const std::vector<std::string> met = strips_met(ctx, c, per_area[i], boxes);
            if (!met.empty()) {
                const geometry::GeomPtr also_off = geometry::union_of_wkb(ctx, met);
                c = sited(ctx, *entry, site, i, line.line_wkb, kind, also_off.get());
                c.also_off_wkb = geometry::to_wkb(ctx, also_off.get());
            }
            if (c.ha <= 0.0)
                continue; // its strip lies wholly on land sites keep off
            c.eca_gain_ha = network.eca_with(c.footprint_wkb) - network.figures().eca_ha;
            boxes.push_back(
              geometry::envelope(ctx, geometry::from_wkb(ctx, c.footprint_wkb).get()));
            per_area[i].push_back(std::move(c));
        }
        bids.siting[i] = choose(ctx, *entry, site, proposed_ha(bids, i, type), rule, per_area[i]);
        std::vector<std::string> chosen;
        for (const SiteCandidate& c : per_area[i])
            for (const SitePart& part : c.chosen)
                chosen.push_back(part.footprint_wkb);
        bids.siting[i].eca_after_ha = network.eca_with_all(chosen);
    });
    for (std::vector<SiteCandidate>& area : per_area)
        for (SiteCandidate& c : area)
            bids.candidates.push_back(std::move(c));
}

std::vector<std::string> candidate_ids(const analysis::MeasureResult& result, const AreaBids& bids)
{
    std::vector<std::string> ids;
    std::map<std::size_t, int> numbered;
    for (const SiteCandidate& c : bids.candidates)
        ids.push_back(result.areas[c.area].id + "-" + std::to_string(++numbered[c.area]));
    return ids;
}

Table chosen_sites_table(const Config& config,
                         const analysis::MeasureResult& result,
                         const AreaBids& bids)
{
    Table sites;
    sites.columns = { { "candidate_id", ColumnKind::Text, 0, "Candidate" },
                      { "area_id", ColumnKind::Text, 0, "Area" },
                      { "type", ColumnKind::Text, 0, "Element type" },
                      { "site", ColumnKind::Text, 0, "Kind of site" },
                      { "milestone", ColumnKind::Integer, 0, "Milestone" },
                      { "from_m", ColumnKind::Real, 3, "From (m along the edge)" },
                      { "length_m", ColumnKind::Real, 3, "Length (m)" },
                      { "ha", ColumnKind::Real, 6, "Element area (ha)" },
                      { "build_eur", ColumnKind::Real, 2, "Construction, mid (EUR)" } };
    const std::vector<std::string> ids = candidate_ids(result, bids);
    for (std::size_t k = 0; k < bids.candidates.size(); ++k) {
        const SiteCandidate& c = bids.candidates[k];
        for (const SitePart& part : c.chosen) {
            // The construction cost is per metre: the stretch's share of the candidate's.
            const Cell build = c.build_eur && c.length_m > 0.0
                                 ? Cell(*c.build_eur * part.length_m / c.length_m)
                                 : Cell();
            sites.rows.push_back({ ids[k],
                                   result.areas[c.area].id,
                                   c.type,
                                   c.site,
                                   std::int64_t(config.milestones[part.milestone].year),
                                   part.from_m,
                                   part.length_m,
                                   part.ha,
                                   build });
            sites.geometry_wkb.push_back(part.footprint_wkb);
        }
    }
    return sites;
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
                  { "build_eur", ColumnKind::Real, 2, "Construction, mid (EUR)" },
                  { "eca_gain_ha", ColumnKind::Real, 6, "Equivalent connected area gained (ha)" },
                  { "rank", ColumnKind::Integer, 0, "Rank in its area" },
                  { "selected", ColumnKind::Integer, 0, "Chosen (1) or not (0)" },
                  { "selected_m", ColumnKind::Real, 3, "Chosen length (m)" },
                  { "selected_ha", ColumnKind::Real, 6, "Chosen element area (ha)" } };
    const std::vector<std::string> ids = candidate_ids(result, bids);
    for (std::size_t k = 0; k < bids.candidates.size(); ++k) {
        const SiteCandidate& c = bids.candidates[k];
        double chosen_m = 0.0, chosen_ha = 0.0;
        for (const SitePart& part : c.chosen) {
            chosen_m += part.length_m;
            chosen_ha += part.ha;
        }
        t.rows.push_back({ ids[k],
                           result.areas[c.area].id,
                           c.type,
                           c.site,
                           c.length_m,
                           c.ha,
                           c.build_eur ? Cell(*c.build_eur) : Cell(),
                           c.eca_gain_ha,
                           std::int64_t(c.rank),
                           std::int64_t(c.chosen.empty() ? 0 : 1),
                           chosen_m,
                           chosen_ha });
        t.geometry_wkb.push_back(c.footprint_wkb);
    }
    Table sites = chosen_sites_table(config, result, bids);
    translate_aliases(t, words);
    translate_aliases(sites, words);
    io::GeoPackageWriter gpkg(dir / "candidates.gpkg", crs);
    gpkg.add_layer(
      "candidates", words("Candidate sites for new elements: free parcel edges as strips"), t);
    gpkg.add_layer("sites", words("The chosen sites: the stretches that hold the proposal"), sites);
    for (const char* layer : { "candidates", "sites" }) {
        io::LayerStyle style = io::candidates_style(config.type_order);
        style.description = words(style.description);
        style.aliases = gpkg.aliases(layer);
        gpkg.add_style(layer, std::string("landel ") + layer, io::to_qml(style), style.description);
    }
    gpkg.close();
    return { "candidates.gpkg" };
}

} // namespace landel::pipeline::detail

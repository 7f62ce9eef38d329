#include "stages/candidates_stage.h"

#include "landel/analysis/connectivity/connectivity.h"
#include "landel/analysis/measurement/free_edges.h"
#include "landel/analysis/measurement/land_index.h"
#include "landel/bid/siting.h"
#include "landel/core/error.h"
#include "landel/geometry/contexts.h"
#include "landel/geometry/ops.h"
#include "landel/parallel/for_each_index.h"
#include "stages/corner_sites.h"
#include "stages/site_footprints.h"
#include "stages/site_types.h"

#include <algorithm>
#include <map>

namespace landel::pipeline::detail {

namespace {

/// The land of the sites chosen so far in an area, and how far along each free edge they
/// reach (a type's chosen parts of an edge are always its first stretch: bid::pick_sites takes
/// a candidate from its start, and a later type's candidate starts where the earlier ones end).
class ChosenLand
{
public:
    void add(const geometry::GeosContext& ctx, const SiteCandidate& c, const SitePart& part)
    {
        m_footprints.push_back(part.footprint_wkb);
        m_boxes.push_back(
          geometry::envelope(ctx, geometry::from_wkb(ctx, part.footprint_wkb).get()));
        if (c.centre_wkb.empty()) {
            double& end = m_edge_end[c.edge];
            end = std::max(end, c.edge_from_m + part.from_m + part.length_m);
        }
    }

    /// How far along free edge @p edge the chosen sites reach (0: none on it).
    double edge_end(std::size_t edge) const
    {
        const auto e = m_edge_end.find(edge);
        return e == m_edge_end.end() ? 0.0 : e->second;
    }

    /// The chosen footprints that overlap @p shape by a positive area.
    std::vector<std::string> met(const geometry::GeosContext& ctx, const GEOSGeometry* shape) const
    {
        std::vector<std::string> out;
        const Box box = geometry::envelope(ctx, shape);
        for (std::size_t k = 0; k < m_footprints.size(); ++k) {
            if (!m_boxes[k].intersects(box))
                continue;
            const geometry::GeomPtr other = geometry::from_wkb(ctx, m_footprints[k]);
            if (geometry::area(ctx, geometry::intersection(ctx, shape, other.get()).get()) > 0.0)
                out.push_back(m_footprints[k]);
        }
        return out;
    }

private:
    std::vector<std::string> m_footprints;
    std::vector<Box> m_boxes;
    std::map<std::size_t, double> m_edge_end;
};

/// What an area's siting needs beside its candidates.
struct AreaChoice
{
    const AreaSite& site;
    const std::vector<analysis::KindedEdge>& lines; ///< the area's free edges
    const analysis::ElementNetwork& network;
    double min_length_m = 0.0;
};

/// Makes edge candidate @p c what is left for its type once earlier types' sites are chosen:
/// its free edge from where they end along it, its strip off their footprints (its ECA gain is
/// measured afterwards, by choose()). False when less than min_length_m of the edge or no strip is
/// left.
bool left_for_type(const geometry::GeosContext& ctx,
                   const bid::CatalogueEntry& entry,
                   const AreaChoice& area,
                   const ChosenLand& chosen,
                   SiteCandidate& c)
{
    const double from = chosen.edge_end(c.edge);
    const geometry::GeomPtr edge = geometry::from_wkb(ctx, area.lines[c.edge].line_wkb);
    if (geometry::length(ctx, edge.get()) - from < area.min_length_m)
        return false; // its edge is taken: known before any overlay
    std::vector<std::string> met = chosen.met(ctx, geometry::from_wkb(ctx, c.footprint_wkb).get());
    if (from <= c.edge_from_m && met.empty())
        return true;
    const geometry::GeomPtr rest = geometry::line_suffix(ctx, edge.get(), from);
    if (geometry::length(ctx, rest.get()) < area.min_length_m)
        return false;
    if (!c.also_off_wkb.empty())
        met.push_back(c.also_off_wkb);
    const geometry::GeomPtr off = geometry::union_of_wkb(ctx, met);
    SiteCandidate left = edge_site(
      ctx, entry, area.site, c.area, geometry::to_wkb(ctx, rest.get()), c.site, off.get());
    if (left.ha <= 0.0)
        return false;
    left.edge = c.edge;
    left.edge_from_m = from;
    left.also_off_wkb = geometry::to_wkb(ctx, off.get());
    c = std::move(left);
    return true;
}

/// The proposal's hectares of @p type per milestone in area @p i (incremental).
std::vector<double> proposed_ha(const AreaBids& bids, std::size_t i, const std::string& type)
{
    for (const auto& t : bids.bids[i].types)
        if (t.type == type)
            return t.add_ha;
    return {};
}

/// Chooses among an area's candidates those that hold its proposal, type by type in @p types'
/// order and milestone by milestone (bid::pick_sites), and cuts each chosen part out of its
/// candidate. An edge offers a site to each of its kind's types and a corner to each corner
/// type; once one type's sites are chosen, a later type's candidate is what is left of its
/// edge (left_for_type()), and a corner site that overlaps a chosen site is no candidate
/// (rank 0).
AreaSiting choose(const geometry::GeosContext& ctx,
                  const std::vector<const bid::CatalogueEntry*>& types,
                  const AreaChoice& area,
                  const AreaBids& bids,
                  std::size_t i,
                  bid::SitingRule rule,
                  std::vector<SiteCandidate>& candidates)
{
    AreaSiting s;
    ChosenLand chosen;
    for (const bid::CatalogueEntry* entry : types) {
        std::vector<std::size_t> of_type;
        for (std::size_t k = 0; k < candidates.size(); ++k) {
            SiteCandidate& c = candidates[k];
            if (c.type != entry->type)
                continue;
            const bool open =
              c.centre_wkb.empty()
                ? left_for_type(ctx, *entry, area, chosen, c)
                : chosen.met(ctx, geometry::from_wkb(ctx, c.footprint_wkb).get()).empty();
            if (!open)
                continue;
            // Measured only now: a candidate that earlier types left no room costs nothing.
            if (!c.eca_gain_ha)
                c.eca_gain_ha =
                  area.network.eca_with(c.footprint_wkb) - area.network.figures().eca_ha;
            of_type.push_back(k);
        }
        std::vector<bid::SiteOption> options;
        for (std::size_t k : of_type)
            options.push_back(
              { candidates[k].ha, candidates[k].build_eur, *candidates[k].eca_gain_ha });
        const std::vector<std::size_t> order = bid::siting_order(options, rule);
        for (std::size_t r = 0; r < order.size(); ++r)
            candidates[of_type[order[r]]].rank = r + 1;
        const std::vector<double> need_ha = proposed_ha(bids, i, entry->type);
        double sited_ha = 0.0;
        for (const bid::SitePick& p : bid::pick_sites(options, order, need_ha)) {
            SiteCandidate& c = candidates[of_type[p.option]];
            SitePart part = cut(ctx, *entry, area.site, c, p.from, p.from + p.share);
            part.milestone = p.milestone;
            if (c.centre_wkb.empty())
                s.sited_m += part.length_m;
            else if (p.from == 0.0)
                ++s.sited_corners;
            chosen.add(ctx, c, part);
            sited_ha += part.ha;
            c.chosen.push_back(std::move(part));
        }
        double need = 0.0;
        for (double n : need_ha)
            need += n;
        s.sited_ha += sited_ha;
        s.unsited_ha += std::max(0.0, need - sited_ha);
    }
    return s;
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
  const analysis::MeasureResult& result,
  const OffLand& off,
  const std::vector<std::string>& parcels)
{
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

/// The edge sites of type @p entry in area @p i: each free edge of @p lines whose kind holds
/// it (@p edge) as its strip. Where edges meet at a corner
/// their strips would overlap: the earlier candidate of the type keeps the corner, so that no
/// land counts in two candidates of a type. (Candidates of different types on one edge are
/// alternatives; choose() gives each piece of land to one.)
void add_edge_sites(const geometry::GeosContext& ctx,
                    const bid::CatalogueEntry& entry,
                    const EdgeTypes& edge,
                    const std::vector<std::string>& kinds,
                    const AreaSite& site,
                    std::size_t i,
                    const std::vector<analysis::KindedEdge>& lines,
                    std::vector<SiteCandidate>& candidates,
                    std::vector<Box>& boxes)
{
    const auto same_type = [&](const SiteCandidate& c) {
        return c.type == entry.type && c.centre_wkb.empty();
    };
    for (std::size_t e = 0; e < lines.size(); ++e) {
        const analysis::KindedEdge& line = lines[e];
        const std::vector<const bid::CatalogueEntry*>& held = edge.of(line.kind);
        if (std::find(held.begin(), held.end(), &entry) == held.end())
            continue;
        const std::string kind = line.kind < kinds.size() ? kinds[line.kind] : "parcel_edge";
        SiteCandidate c = edge_site(ctx, entry, site, i, line.line_wkb, kind, nullptr);
        const geometry::GeomPtr strip = geometry::from_wkb(ctx, c.footprint_wkb);
        const std::vector<std::string> met =
          sites_met(ctx, strip.get(), candidates, boxes, same_type);
        if (!met.empty()) {
            const geometry::GeomPtr also_off = geometry::union_of_wkb(ctx, met);
            c = edge_site(ctx, entry, site, i, line.line_wkb, kind, also_off.get());
            c.also_off_wkb = geometry::to_wkb(ctx, also_off.get());
        }
        if (c.ha <= 0.0)
            continue; // its strip lies wholly on land sites keep off
        c.edge = e;
        boxes.push_back(geometry::envelope(ctx, geometry::from_wkb(ctx, c.footprint_wkb).get()));
        candidates.push_back(std::move(c));
    }
}

} // namespace

SitingEdges siting_edges(const Config& config,
                         const io::Crs& crs,
                         const analysis::MeasureResult& result,
                         const BidSetup& setup,
                         std::vector<std::string> parcels,
                         LoadedInputs& inputs,
                         RunLog& log)
{
    SitingEdges edges;
    if (!config.siting)
        return edges;
    edges.lines.resize(result.areas.size());
    if (!config.bid_potential) {
        log.info("siting: no candidate sites, [bid.potential] names no parcels whose free edges "
                 "could hold new line elements");
        return edges;
    }
    check_kind_types(config, setup);
    // The land sites keep off matters only where there are candidates: read it only then.
    edges.off = off_land(config, crs, inputs);
    if (!config.bid_potential->stand_in_note.empty())
        log.info("siting: no parcel layer, standing in for parcels: " +
                 config.bid_potential->stand_in_note);
    edges.parcels = std::move(parcels);
    edges.lines = candidate_lines(config, result, edges.off, edges.parcels);
    return edges;
}

FreeEdges free_edges_of(std::vector<double> measured_m, const SitingEdges& edges)
{
    FreeEdges out;
    out.measured_m = std::move(measured_m);
    if (out.measured_m.empty() || !edges.off.along)
        return out;
    out.kinds = edges.off.kinds;
    geometry::Contexts contexts;
    out.kind_m.assign(edges.lines.size(), std::vector<double>(out.kinds.size() + 1, 0.0));
    parallel::for_each_index(edges.lines.size(), [&](std::size_t i) {
        const geometry::GeosContext& ctx = contexts.local();
        for (const analysis::KindedEdge& e : edges.lines[i])
            out.kind_m[i][std::min(e.kind, out.kinds.size())] +=
              geometry::length(ctx, geometry::from_wkb(ctx, e.line_wkb).get());
    });
    return out;
}

void site_elements(const Config& config,
                   const analysis::MeasureResult& result,
                   const BidSetup& setup,
                   const SitingEdges& edges,
                   AreaBids& bids)
{
    if (!config.siting)
        return;
    analysis::ConnectivitySettings settings;
    settings.gap_m = config.siting->gap_m;
    settings.dispersal_m = config.siting->dispersal_m;
    const std::size_t n = result.areas.size();
    const OffLand& off = edges.off;
    const std::vector<std::string>& parcels = edges.parcels;
    const std::vector<std::vector<analysis::KindedEdge>>& lines = edges.lines;
    const bid::SitingRule rule =
      config.siting->rule == "cost" ? bid::SitingRule::CostPerHa : bid::SitingRule::EcaPerEuro;
    const std::vector<CornerType> corner_kinds =
      config.bid_potential ? corner_types(config, setup) : std::vector<CornerType>{};
    const ParcelIndex parcel_index(parcels);
    bids.network.assign(n, {});
    if (config.bid_potential)
        bids.siting.assign(n, {});
    std::vector<std::vector<SiteCandidate>> per_area(n);
    geometry::Contexts contexts;
    parallel::for_each_index(n, [&](std::size_t i) {
        const analysis::AreaMeasure& area = result.areas[i];
        const EdgeTypes edge =
          lines[i].empty() ? EdgeTypes{} : edge_types(config, setup, off.kinds, bids.region[i]);
        const bool edge_sites = !edge.distinct.empty();
        const std::vector<const CornerType*> corners =
          corner_types_of(corner_kinds, setup, bids.region[i]);
        const bool sites = edge_sites || (!corners.empty() && !parcels.empty());
        analysis::ElementNetwork network(area.owned_wkb, settings, sites);
        bids.network[i] = network.figures();
        bids.network[i].line_ends = area.line_ends;
        bids.network[i].connected_line_ends = area.connected_line_ends;
        if (!config.bid_potential)
            return;
        bids.siting[i].eca_after_ha = network.figures().eca_ha;
        if (!sites)
            return;
        const geometry::GeosContext& ctx = contexts.local();
        const AreaSite site = area_site(ctx, area, off);
        std::vector<Box> boxes; // of the candidates' footprints so far
        std::vector<const bid::CatalogueEntry*> sited_types = edge.distinct;
        for (const bid::CatalogueEntry* entry : edge.distinct)
            add_edge_sites(ctx, *entry, edge, off.kinds, site, i, lines[i], per_area[i], boxes);
        const double setback = edge.widest_m() / 2.0;
        for (const CornerType* corner : corners) {
            add_corner_sites(
              ctx, config, *corner, site, i, parcel_index, setback, per_area[i], boxes);
            sited_types.push_back(corner->entry);
        }
        const AreaChoice choice{ site, lines[i], network, config.siting->min_length_m };
        bids.siting[i] = choose(ctx, sited_types, choice, bids, i, rule, per_area[i]);
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

} // namespace landel::pipeline::detail

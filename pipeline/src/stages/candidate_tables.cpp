#include "stages/candidate_tables.h"

#include "landel/io/qgis_styles.h"
#include "landel/io/table_writers.h"
#include "stages/output_language.h"

#include <map>

namespace landel::pipeline::detail {

namespace {

/// Each candidate's id: its area's id and its number in the area ("G01-3").
std::vector<std::string> candidate_ids(const analysis::MeasureResult& result, const AreaBids& bids)
{
    std::vector<std::string> ids;
    std::map<std::size_t, int> numbered;
    for (const SiteCandidate& c : bids.candidates)
        ids.push_back(result.areas[c.area].id + "-" + std::to_string(++numbered[c.area]));
    return ids;
}

} // namespace

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
            // A line type's cost is per metre of edge: the stretch's share of the candidate's;
            // any other site's (trees, hectares, a cut pond) its share by area.
            const bool corner = !c.centre_wkb.empty();
            const double share = c.priced_by_length
                                   ? (c.length_m > 0.0 ? part.length_m / c.length_m : 0.0)
                                   : (c.ha > 0.0 ? part.ha / c.ha : 0.0);
            const Cell build = c.build_eur ? Cell(*c.build_eur * share) : Cell();
            sites.rows.push_back({ ids[k],
                                   result.areas[c.area].id,
                                   c.type,
                                   c.site,
                                   std::int64_t(config.milestones[part.milestone].year),
                                   corner ? Cell() : Cell(part.from_m),
                                   corner ? Cell() : Cell(part.length_m),
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
                  { "count", ColumnKind::Integer, 0, "Number (a pond, a wood)" },
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
        // A corner site has a count, not a length; rank 0: the sites chosen for earlier types
        // left it no room.
        const bool corner = !c.centre_wkb.empty();
        t.rows.push_back({ ids[k],
                           result.areas[c.area].id,
                           c.type,
                           c.site,
                           corner ? Cell() : Cell(c.length_m),
                           corner ? Cell(std::int64_t(1)) : Cell(),
                           c.ha,
                           c.build_eur ? Cell(*c.build_eur) : Cell(),
                           c.eca_gain_ha ? Cell(*c.eca_gain_ha) : Cell(),
                           c.rank > 0 ? Cell(std::int64_t(c.rank)) : Cell(),
                           std::int64_t(c.chosen.empty() ? 0 : 1),
                           corner ? Cell() : Cell(chosen_m),
                           chosen_ha });
        t.geometry_wkb.push_back(c.footprint_wkb);
    }
    Table sites = chosen_sites_table(config, result, bids);
    translate_aliases(t, words);
    translate_aliases(sites, words);
    io::GeoPackageWriter gpkg(dir / "candidates.gpkg", crs);
    gpkg.add_layer(
      "candidates",
      words("Candidate sites for new elements: free parcel edges as strips, field corners as "
            "discs"),
      t);
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

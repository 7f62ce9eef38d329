#include "stages/change_maps.h"
#include "stages/output_language.h"

#include "landel/core/error.h"
#include "landel/io/crs.h"
#include "landel/parallel/for_each_index.h"
#include "landel/render/maps.h"
#include "stages/map_outputs.h"

#include <algorithm>
#include <cstdio>
#include <functional>
#include <iterator>
#include <optional>

namespace landel::pipeline::detail {

namespace fs = std::filesystem;

namespace {

/// "0.57 ha", "+0.57 ha" with @p sign.
std::string figure(double v, int decimals, const char* unit, bool sign = false)
{
    char text[64];
    std::snprintf(text, sizeof text, sign ? "%+.*f%s" : "%.*f%s", decimals, v, unit);
    return text;
}

/// Element share of rural land in percent of area @p k in run @p r; none without rural land.
std::optional<double> share_pct(const Comparison& c, std::size_t r, std::size_t k)
{
    const analysis::AreaMeasure& a = c.area(r, k);
    if (!(a.rural_ha > 0.0))
        return std::nullopt;
    return 100.0 * a.element_ha / a.rural_ha;
}

/// The pair baseline → last, which compare_runs always compares.
const PairChange& whole_pair(const Comparison& c)
{
    for (const PairChange& p : c.pairs)
        if (p.from == c.baseline && p.to + 1 == c.runs.size())
            return p;
    throw Error("the comparison has no pair baseline -> last to draw");
}

/// A run folder as the map names it: its last component, "2020: run2020".
std::string source_of(const RunFolder& run)
{
    fs::path p = run.folder;
    if (p.filename().empty())
        p = p.parent_path();
    return std::to_string(run.year) + ": " + p.filename().string();
}

/// The land of one area's change as the map's layers (gained, lost, reclassified,
/// realigned: the order of change_layers()), and the sums of its side panel.
struct AreaLand
{
    std::vector<std::vector<std::string>> layers_wkb{ 4 };
    double gained = 0, lost = 0, net = 0, reclassified = 0, masked = 0, realigned = 0;
};

AreaLand area_land(const analysis::AreaChange& a)
{
    AreaLand land;
    for (const analysis::TypeChange& t : a.types) {
        land.gained += t.gained_ha;
        land.lost += t.lost_ha;
        land.net += t.net_ha;
        land.masked += t.masked_ha;
        land.realigned += t.realigned_ha;
        for (const auto& [layer, wkb] : { std::pair{ 0, &t.gained_wkb },
                                          std::pair{ 1, &t.lost_wkb },
                                          std::pair{ 3, &t.realigned_wkb } })
            if (!wkb->empty())
                land.layers_wkb[layer].push_back(*wkb);
    }
    for (const analysis::Reclassification& r : a.reclassified) {
        land.reclassified += r.ha;
        if (!r.wkb.empty())
            land.layers_wkb[2].push_back(r.wkb);
    }
    return land;
}

/// The map layers of the change, coloured as change.gpkg's QGIS styles.
std::vector<render::FixedLayer> change_layers()
{
    return { { "gained", palette::gained },
             { "lost", palette::lost },
             { "reclassified (other type)", palette::reclassified },
             { "realigned (redigitising noise)", palette::realigned } };
}

render::MapArea map_area(const Comparison& c, const PairChange& pair, std::size_t k)
{
    const analysis::AreaMeasure& last = c.area(pair.to, k);
    const std::string y0 = std::to_string(c.runs[pair.from].year);
    const std::string y1 = std::to_string(c.runs[pair.to].year);
    const std::optional<double> before = share_pct(c, pair.from, k);
    const std::optional<double> after = share_pct(c, pair.to, k);
    render::MapArea m;
    m.id = last.id;
    m.name = last.name;
    m.wkb = last.geometry_wkb;
    m.elements_wkb = last.owned_wkb;
    if (before && after)
        m.share_pct = *after - *before;
    AreaLand land = area_land(pair.areas[k]);
    m.layers_wkb = std::move(land.layers_wkb);
    const auto share = [](const std::optional<double>& s) {
        return s ? figure(*s, 2, " %") : std::string("no rural land");
    };
    m.figures = {
        { "Rural land " + y0, figure(c.area(pair.from, k).rural_ha, 2, " ha") },
        { "Rural land " + y1, figure(last.rural_ha, 2, " ha") },
        { "Element share " + y0, share(before) },
        { "Element share " + y1, share(after) },
        { "Change of share", m.share_pct ? figure(*m.share_pct, 2, " pp", true) : "-" },
        { "Gained", figure(land.gained, 2, " ha") },
        { "Lost", figure(land.lost, 2, " ha") },
        { "Net (all types)", figure(land.net, 2, " ha", true) },
        { "Reclassified", figure(land.reclassified, 2, " ha") },
        { "Masked (not lost)", figure(land.masked, 2, " ha") },
        { "Realigned (noise)", figure(land.realigned, 2, " ha") },
    };
    return m;
}

render::MapDocument change_document(const Comparison& c, const PairChange& pair)
{
    const RunFolder& last = c.runs[pair.to];
    const std::string years =
      std::to_string(c.runs[pair.from].year) + " \u2192 " + std::to_string(last.year);
    render::MapDocument doc;
    doc.title = "Change " + years;
    doc.date = map_date();
    doc.generator = std::string("landel ") + LANDEL_VERSION;
    doc.crs =
      io::Crs::from_user_input(last.crs, "run.crs of '" + last.folder.string() + "'").describe();
    for (const RunFolder& run : c.runs)
        doc.sources.push_back(source_of(run));
    doc.denominator = "the share of a year is its element hectares (all types, vector and "
                      "raster) over its own rural land (rural_ha of that year's run); the "
                      "change is the later share minus the earlier, in percentage points";
    doc.classes = render::diverging_classes(
      { std::begin(change_class_bounds_pp), std::end(change_class_bounds_pp) }, "pp");
    doc.types = c.types();
    doc.element_alpha = 0.35;
    doc.layers = change_layers();
    render::MapWording& w = doc.wording;
    w.overview_heading = "element share per area";
    w.overview_subtitle = "Net change of each area's share of rural land covered by landscape "
                          "elements, " +
                          years + ", in percentage points (pp)";
    w.legend_heading = "Change of element share";
    w.no_value = "no rural land in a year";
    w.value_unit = " pp";
    w.value_signed = true;
    w.value_decimals = 2;
    w.denominator_prefix = "Share: ";
    w.area_subtitle = "landscape elements gained and lost";
    w.types_heading = "Elements " + std::to_string(last.year);
    w.layers_heading = "Change " + years;
    for (std::size_t k = 0; k < c.area_count(); ++k)
        doc.areas.push_back(map_area(c, pair, k));
    return doc;
}

} // namespace

std::vector<std::string> write_change_maps(const fs::path& dir,
                                           const Comparison& c,
                                           std::size_t max_area_maps)
{
    render::MapDocument doc = change_document(c, whole_pair(c));
    translate_map(doc, *c.words);
    const fs::path maps = dir / "maps";
    fs::create_directories(maps);
    std::vector<std::string> written{ "maps/change_overview.png",
                                      "maps/change_overview.pdf",
                                      "maps/change_atlas.pdf" };
    const std::size_t per_area = std::min(doc.areas.size(), max_area_maps);
    std::vector<std::string> ids;
    for (std::size_t k = 0; k < per_area; ++k)
        ids.push_back(doc.areas[k].id);
    // An area called "overview" must not take the overview's name.
    const std::vector<std::string> names = area_map_files(ids, "maps/change_", written);
    // The overview first, alone: cairo settles its text font on the first surface that draws
    // text, with that surface's font options, so an image must come first for every image to
    // be drawn alike whatever runs beside it.
    render::write_overview_png(maps / "change_overview.png", doc);
    // Then each file on its own surface, side by side; the atlas, which draws every page in
    // turn, first (written before the others, it alone was a third of the maps' time).
    std::vector<std::function<void()>> files{
        [&] { render::write_atlas_pdf(maps / "change_atlas.pdf", doc, per_area); },
        [&] { render::write_atlas_pdf(maps / "change_overview.pdf", doc, 0); },
    };
    for (std::size_t k = 0; k < per_area; ++k)
        files.emplace_back([&, k] { render::write_area_png(dir / names[k], doc, k); });
    parallel::for_each_index(files.size(), [&](std::size_t f) { files[f](); });
    written.insert(written.end(), names.begin(), names.end());
    return written;
}

void embed_change_maps(render::Report& report, const Comparison& c, std::size_t max_area_maps)
{
    render::MapDocument doc = change_document(c, whole_pair(c));
    translate_map(doc, *c.words);
    // The resolutions of a run's report: readable on screen, a page of a few MB.
    report.overview_png = render::map_png_bytes(doc, render::overview, render::a4_landscape, 110.0);
    const std::size_t per_area = std::min(doc.areas.size(), max_area_maps);
    report.area_pngs.resize(per_area);
    parallel::for_each_index(per_area, [&](std::size_t k) {
        report.area_pngs[k] = { doc.areas[k].id + " " + doc.areas[k].name,
                                render::map_png_bytes(doc, k, render::a4_landscape, 90.0) };
    });
}

} // namespace landel::pipeline::detail

#include "stages/map_outputs.h"

#include "landel/core/error.h"
#include "landel/core/escape.h"
#include "landel/io/geojson.h"
#include "landel/parallel/for_each_index.h"
#include "landel/render/maps.h"
#include "landel/render/report.h"
#include "stages/milestone_totals.h"
#include "stages/output_language.h"
#include "stages/result_tables.h"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <ctime>
#include <fstream>
#include <functional>

namespace landel::pipeline::detail {

namespace fs = std::filesystem;

namespace {

std::string fixed(double v, int decimals, const char* unit)
{
    char text[64];
    std::snprintf(text, sizeof text, "%.*f%s", decimals, v, unit);
    return text;
}

/// Euro with thousands separators: "110,594 EUR".
std::string euro(double v)
{
    char digits[32];
    std::snprintf(digits, sizeof digits, "%.0f", v);
    std::string s = digits, out;
    const std::size_t start = s[0] == '-' ? 1 : 0;
    for (std::size_t i = 0; i < s.size(); ++i) {
        out += s[i];
        const std::size_t left = s.size() - i - 1;
        if (i >= start && left > 0 && left % 3 == 0)
            out += ',';
    }
    return out + " EUR";
}

/// A file name for an area id: letters, digits, '-' and '_' kept, the rest '_'.
std::string file_name(const std::string& id)
{
    std::string out;
    for (char c : id)
        out += std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' ? c : '_';
    return out.empty() ? "area" : out;
}

/// Above this much element geometry (WKB bytes) the report's interactive map shows the areas
/// only, so that the page stays small enough to open.
constexpr std::size_t max_report_element_bytes = 40u << 20;

using escape::json_string;

/// What the denominator is, in the words of the map legend and the report:
/// "the area excluding built-up area and NNN (aanvalsplan; approximate)".
std::string rural_land_words(const RuralConfig& r)
{
    return "the area " + (r.excluded.empty() ? std::string("as a whole") : r.excluded) + " (" +
           to_string(r.definition) + (r.approximate ? "; approximate" : "") + ")";
}

std::string hex_colour(const palette::Rgb& c)
{
    char text[8];
    std::snprintf(text, sizeof text, "#%02x%02x%02x", c.r, c.g, c.b);
    return text;
}

/// @p t for the page: text as it is, hectares and scores with 2 decimals, euros without.
render::ReportTable report_table(const Table& t)
{
    render::ReportTable out;
    for (const Column& c : t.columns) {
        out.headers.push_back(c.alias.empty() ? c.name : c.alias);
        out.numeric.push_back(c.kind != ColumnKind::Text);
    }
    for (const std::vector<Cell>& row : t.rows) {
        std::vector<std::string> cells;
        for (std::size_t k = 0; k < row.size(); ++k) {
            const Column& c = t.columns[k];
            const int decimals = c.name.find("_eur") != std::string::npos ? 0 : 2;
            if (const auto* text = std::get_if<std::string>(&row[k]))
                cells.push_back(*text);
            else if (const auto* n = std::get_if<std::int64_t>(&row[k]))
                cells.push_back(std::to_string(*n));
            else if (const auto* v = std::get_if<double>(&row[k]))
                cells.push_back(fixed(*v, decimals, ""));
            else
                cells.emplace_back();
        }
        out.rows.push_back(std::move(cells));
    }
    return out;
}

/// The gebiedsbod of the pledges: cards for what counts and what does not, and the table of
/// participants.
void add_pledges(render::Report& r, const Config& config, const AreaBids& bids)
{
    const AreaPledges& p = *bids.pledges;
    double counted = 0, masked = 0, on_elements = 0, on_pledges = 0;
    for (const bid::PledgePart& part : p.count.parts) {
        counted += part.counted_ha;
        masked += part.on_masks_ha;
        on_elements += part.on_elements_ha;
        on_pledges += part.on_pledges_ha;
    }
    std::size_t participants = 0;
    for (std::size_t k = 0; k < bids.participants.size(); ++k)
        if (k == 0 || bids.participants[k].participant != bids.participants[k - 1].participant)
            ++participants;
    r.summary.push_back({ "pledges (gebiedsbod)",
                          std::to_string(p.pledges.size()) + " by " + std::to_string(participants) +
                            " participants" });
    r.summary.push_back({ "pledged land that counts", fixed(counted, 2, " ha") });
    r.summary.push_back({ "pledged land that does not count",
                          fixed(masked, 2, " ha") + " not rural land, " +
                            fixed(on_elements, 2, " ha") + " on existing elements, " +
                            fixed(on_pledges, 2, " ha") + " taken by an earlier pledge" });
    if (!p.count.outside.empty())
        r.summary.push_back(
          { "pledges outside every area", std::to_string(p.count.outside.size()) });
    r.tables.push_back({ "Participants (gebiedsbod): pledges, costs and score",
                         report_table(participants_table(bids.participants, config)) });
    r.notes.push_back(
      "The proposal (opgave en kostenraming) closes only the gap the pledges leave "
      "(after_pledges_<year>_ha in area_bid.csv); its costs in the summary are those of the "
      "proposal, the pledges' costs are in the participants table and pledges.csv. Scores: "
      "landel's own 1-5 scale modelled on the Markemodel, 3 = the pledges due by the "
      "milestone close the participant's part of the gap.");
}

void write_report(const fs::path& path,
                  const Config& config,
                  const io::Crs& crs,
                  const analysis::MeasureResult& result,
                  const AreaBids& bids,
                  const render::MapDocument& doc,
                  std::size_t per_area)
{
    render::Report r;
    r.title = doc.title + ": landscape elements and area bid";
    r.subtitle = doc.generator + " · " + doc.date + " · " + doc.crs;
    double area = 0, rural = 0, element = 0, build = 0, manage = 0, land_value = 0;
    std::size_t met_first = 0;
    for (std::size_t i = 0; i < result.areas.size(); ++i) {
        const analysis::AreaMeasure& a = result.areas[i];
        area += a.area_ha;
        rural += a.rural_ha;
        element += a.element_ha;
        if (!a.targets.gap_ha.empty() && a.targets.gap_ha.front() == 0.0 && a.rural_ha > 0)
            ++met_first;
        if (i < bids.bids.size()) {
            for (double v : bids.bids[i].build_mid)
                build += v;
            for (double v : bids.bids[i].land_value_loss)
                land_value += v;
            if (!bids.bids[i].manage_per_year.empty())
                manage += bids.bids[i].manage_per_year.back();
        }
    }
    r.summary = { { "areas", std::to_string(result.areas.size()) },
                  { "area", fixed(area, 1, " ha") },
                  { "rural land", fixed(rural, 1, " ha") },
                  { "landscape elements", fixed(element, 1, " ha") },
                  { "share of rural land",
                    rural > 0 ? fixed(100.0 * element / rural, 2, " %") : "-" },
                  { "rural land is", rural_land_words(config.rural) } };
    if (!config.milestones.empty())
        r.summary.push_back(
          { "areas meeting the " + std::to_string(config.milestones.front().year) + " target",
            std::to_string(met_first) + " of " + std::to_string(result.areas.size()) });
    for (const MilestoneTotal& t : milestone_totals(config, bids)) {
        const std::string y = std::to_string(t.year);
        r.summary.push_back(
          { "gap " + y + ": sum of the areas' gaps", fixed(t.area_gaps_ha, 1, " ha") });
        r.summary.push_back({ "gap " + y + ": regional (surpluses offset shortfalls)",
                              fixed(t.regional_gap_ha, 1, " ha") });
        if (bids.scope == Config::GapScope::Region && t.unallocated_ha > 0.0)
            r.summary.push_back(
              { "regional gap " + y + " no area can take", fixed(t.unallocated_ha, 1, " ha") });
    }
    if (!config.milestones.empty())
        r.summary.push_back({ "the bid closes", closed_gap_words(bids.scope) });
    r.summary.push_back({ "bid: construction (mid)", euro(build) });
    r.summary.push_back({ "bid: management payments (ANLb/SNL) per year", euro(manage) });
    r.summary.push_back(
      { "bid: one-off land value loss (instead of the yearly compensation; not in the totals)",
        euro(land_value) });

    if (bids.pledges)
        add_pledges(r, config, bids);

    r.areas.headers = { "Area", "Name", "Class", "Rural land (ha)", "Elements (ha)", "Share (%)" };
    r.areas.numeric = { false, false, false, true, true, true };
    for (const auto& m : config.milestones) {
        r.areas.headers.push_back("Gap " + std::to_string(m.year) + " (ha)");
        r.areas.numeric.push_back(true);
    }
    for (const char* h :
         { "Status", "Bid mix", "Construction, mid (EUR)", "Management payments per year (EUR)" }) {
        r.areas.headers.push_back(h);
        r.areas.numeric.push_back(std::string(h).find("EUR") != std::string::npos);
    }
    std::vector<std::string> area_wkb, area_props, element_wkb, element_props;
    std::size_t element_bytes = 0;
    for (const auto& a : result.areas)
        for (const std::string& w : a.owned_wkb)
            element_bytes += w.size();
    const bool with_elements = element_bytes <= max_report_element_bytes;
    for (std::size_t i : area_order(result)) {
        const analysis::AreaMeasure& a = result.areas[i];
        std::vector<std::string> row{ a.id,
                                      a.name,
                                      a.cls,
                                      fixed(a.rural_ha, 2, ""),
                                      fixed(a.element_ha, 2, ""),
                                      a.targets.share_pct ? fixed(*a.targets.share_pct, 2, "")
                                                          : "" };
        for (double g : a.targets.gap_ha)
            row.push_back(fixed(g, 2, ""));
        row.push_back(a.targets.status);
        double b = 0, mg = 0;
        if (i < bids.bids.size()) {
            for (double v : bids.bids[i].build_mid)
                b += v;
            mg = bids.bids[i].manage_per_year.empty() ? 0.0 : bids.bids[i].manage_per_year.back();
        }
        row.push_back(i < bids.region.size() ? bids.region[i] : "");
        row.push_back(fixed(b, 0, ""));
        row.push_back(fixed(mg, 0, ""));
        r.areas.rows.push_back(std::move(row));

        palette::Rgb fill = palette::no_share;
        if (a.targets.share_pct)
            for (const render::ShareClass& c : doc.classes)
                if (*a.targets.share_pct >= c.lower)
                    fill = c.colour;
        area_wkb.push_back(a.geometry_wkb);
        area_props.push_back(
          "{\"id\":" + json_string(a.id) + ",\"name\":" + json_string(a.name) + ",\"share\":" +
          (a.targets.share_pct ? fixed(*a.targets.share_pct, 3, "") : std::string("null")) +
          ",\"fill\":\"" + hex_colour(fill) + "\"}");
        if (with_elements)
            for (std::size_t t = 0; t < a.owned_wkb.size() && t < config.type_order.size(); ++t)
                if (!a.owned_wkb[t].empty()) {
                    element_wkb.push_back(a.owned_wkb[t]);
                    element_props.push_back(
                      "{\"type\":" + json_string(config.type_order[t]) + ",\"fill\":\"" +
                      hex_colour(palette::type_colour(config.type_order[t], t)) + "\"}");
                }
    }
    r.areas_geojson = io::geojson_wgs84(area_wkb, area_props, crs, 1.0);
    r.elements_geojson = io::geojson_wgs84(element_wkb, element_props, crs, 0.5);
    r.notes.push_back(
      "Geometries simplified for the page (areas to 1 m, elements to 0.5 m); the exact ones are in "
      "areas.gpkg.");
    if (config.monitoring)
        r.notes.push_back("The change since the earlier runs ([monitoring]) and each area's path "
                          "to the targets are in monitoring/report.html and "
                          "monitoring/change.xlsx.");
    if (!with_elements)
        r.notes.push_back(
          "Elements are left out of this map: there are too many for one page. Open landel.qgs.");
    for (const render::ShareClass& c : doc.classes)
        r.legend.push_back({ c.label, c.colour });
    r.legend.push_back({ doc.wording.no_value, palette::no_share });
    for (std::size_t t = 0; t < config.type_order.size(); ++t)
        r.legend.push_back({ t < doc.type_labels.size() ? doc.type_labels[t] : config.type_order[t],
                             palette::type_colour(config.type_order[t], t) });

    if (config.maps) {
        r.overview_png = render::map_png_bytes(doc, render::overview, render::a4_landscape, 110.0);
        r.area_pngs.resize(per_area);
        parallel::for_each_index(per_area, [&](std::size_t k) {
            r.area_pngs[k] = { doc.areas[k].id + " " + doc.areas[k].name,
                               render::map_png_bytes(doc, k, render::a4_landscape, 90.0) };
        });
    } else {
        r.notes.push_back("No maps were drawn in this run ([render] maps = false or --no-maps): "
                          "the interactive map above and landel.qgs show the areas and elements.");
    }
    translate_report(r, *bids.words);
    std::ofstream out(path, std::ios::binary);
    out << render::report_html(r);
    if (!out)
        throw Error("cannot write '" + path.string() + "'");
}

} // namespace

std::string map_date()
{
    const std::time_t now = std::time(nullptr);
    char text[32];
    std::strftime(text, sizeof text, "%Y-%m-%d", std::localtime(&now));
    return text;
}

std::vector<std::string> area_map_files(const std::vector<std::string>& ids,
                                        const std::string& prefix,
                                        const std::vector<std::string>& taken)
{
    std::vector<std::string> names;
    const auto used = [&](const std::string& name) {
        return std::find(names.begin(), names.end(), name) != names.end() ||
               std::find(taken.begin(), taken.end(), name) != taken.end();
    };
    for (const std::string& id : ids) {
        // Ids that differ only in characters a file name cannot hold get a number.
        std::string name = prefix + file_name(id);
        for (int n = 2; used(name + ".png"); ++n)
            name = prefix + file_name(id) + "-" + std::to_string(n);
        names.push_back(name + ".png");
    }
    return names;
}

std::vector<std::string> map_sources(const Config& config)
{
    std::vector<std::string> sources;
    if (const auto& d = config.dataset) // its layers are one source: the download
        sources.push_back(d->preset_name + ": " + d->path.filename().string() +
                          (d->as_of ? ", as of " + *d->as_of : std::string(", current")));
    for (const ElementConfig& e : config.elements) {
        if (e.from_preset)
            continue;
        const std::string s =
          e.path.filename().string() + (e.layer.empty() ? "" : " (" + e.layer + ")");
        if (std::find(sources.begin(), sources.end(), s) == sources.end())
            sources.push_back(s);
    }
    return sources;
}

std::vector<std::string> write_maps(const fs::path& dir,
                                    const Config& config,
                                    const io::Crs& crs,
                                    const analysis::MeasureResult& result,
                                    const AreaBids& bids,
                                    const std::vector<std::string>& sources)
{
    render::MapDocument doc;
    doc.title = config.name.empty() ? config.file.stem().string() : config.name;
    doc.date = map_date();
    doc.generator = std::string("landel ") + LANDEL_VERSION;
    doc.crs = crs.describe();
    doc.sources = sources;
    doc.denominator = rural_land_words(config.rural);
    doc.types = config.type_order;
    doc.study_area_wkb = result.study_area_wkb;
    // The share classes of the QGIS style: 0, half the first milestone, every milestone.
    std::vector<double> edges{ 0.0 };
    std::vector<std::string> met{ "" };
    if (!config.milestones.empty()) {
        edges.push_back(50.0 * config.milestones.front().share);
        met.push_back("");
        for (const auto& m : config.milestones) {
            edges.push_back(100.0 * m.share);
            met.push_back(std::to_string(m.year) + " target met");
        }
    }
    for (std::size_t k = 0; k < edges.size(); ++k) {
        render::ShareClass c;
        c.lower = edges[k];
        c.upper = k + 1 < edges.size() ? edges[k + 1] : 100.0;
        char label[96];
        if (k == 0)
            std::snprintf(label, sizeof label, "under %g %%", c.upper);
        else if (k + 1 == edges.size())
            std::snprintf(label, sizeof label, "%g %% and more", c.lower);
        else
            std::snprintf(label, sizeof label, "%g - %g %%", c.lower, c.upper);
        c.label = label + (met[k].empty() ? std::string() : ": " + met[k]);
        c.colour =
          palette::share_ramp(edges.size() > 1 ? double(k) / double(edges.size() - 1) : 1.0);
        doc.classes.push_back(c);
    }
    // With [siting], the chosen sites over the elements of the area pages.
    std::vector<std::vector<std::string>> sites(result.areas.size());
    for (const SiteCandidate& c : bids.candidates)
        for (const SitePart& part : c.chosen)
            sites[c.area].push_back(part.footprint_wkb);
    if (!bids.candidates.empty()) {
        doc.layers.push_back({ "Chosen sites", palette::proposed_site });
        doc.wording.layers_heading = "Where to plant";
    }
    const std::vector<std::size_t> order = area_order(result);
    for (std::size_t i : order) {
        const analysis::AreaMeasure& a = result.areas[i];
        render::MapArea m;
        if (!bids.candidates.empty())
            m.layers_wkb.push_back(sites[i]);
        m.id = a.id;
        m.name = a.name;
        m.wkb = a.geometry_wkb;
        m.share_pct = a.targets.share_pct;
        m.elements_wkb = a.owned_wkb;
        m.figures.push_back({ "Area", fixed(a.area_ha, 2, " ha") });
        m.figures.push_back({ "Rural land", fixed(a.rural_ha, 2, " ha") });
        m.figures.push_back({ "Landscape elements", fixed(a.element_ha, 2, " ha") });
        m.figures.push_back({ "Share of rural land",
                              a.targets.share_pct ? fixed(*a.targets.share_pct, 1, " %") : "-" });
        for (std::size_t k = 0; k < config.milestones.size(); ++k) {
            const std::string y = std::to_string(config.milestones[k].year);
            m.figures.push_back({ "Target " + y, fixed(a.targets.target_ha[k], 2, " ha") });
            m.figures.push_back({ "Gap to " + y, fixed(a.targets.gap_ha[k], 2, " ha") });
        }
        m.figures.push_back({ "Status", a.targets.status });
        if (i < bids.bids.size()) {
            const bid::AreaBid& b = bids.bids[i];
            double build = 0.0;
            for (double v : b.build_mid)
                build += v;
            m.figures.push_back(
              { "Bid: element mix", bids.region[i] == "*" ? "national default" : bids.region[i] });
            m.figures.push_back({ "Bid: construction (mid)", euro(build) });
            if (!b.manage_per_year.empty())
                m.figures.push_back(
                  { "Bid: management payments per year", euro(b.manage_per_year.back()) });
        }
        if (i < bids.siting.size() && !bids.candidates.empty())
            m.figures.push_back({ "Chosen sites", fixed(bids.siting[i].sited_m, 0, " m") });
        doc.areas.push_back(std::move(m));
    }

    translate_map(doc, *bids.words);
    if (!config.maps) { // the report alone, saying why it has no maps
        write_report(dir / "report.html", config, crs, result, bids, doc, 0);
        return { "report.html" };
    }
    const fs::path maps = dir / "maps";
    fs::create_directories(maps / "areas");
    std::vector<std::string> written{ "maps/overview.png", "maps/atlas.pdf" };
    const auto page =
      config.overview_page == PageSize::A3 ? render::a3_landscape : render::a4_landscape;
    const std::size_t per_area =
      std::min<std::size_t>(doc.areas.size(), std::size_t(config.max_area_maps));
    std::vector<std::string> ids;
    for (std::size_t k = 0; k < per_area; ++k)
        ids.push_back(doc.areas[k].id);
    const std::vector<std::string> names = area_map_files(ids, "maps/areas/");
    // The overview first, alone: cairo settles its text font on the first surface that draws
    // text, with that surface's font options, so an image must come first for every image to
    // be drawn alike whatever runs beside it.
    render::write_overview_png(maps / "overview.png", doc, page, config.map_dpi);
    // Then each file on its own surface, side by side; the atlas, which draws every page in
    // turn, first.
    std::vector<std::function<void()>> files{
        [&] { render::write_atlas_pdf(maps / "atlas.pdf", doc, per_area); },
    };
    for (std::size_t k = 0; k < per_area; ++k)
        files.emplace_back([&, k] {
            render::write_area_png(dir / names[k], doc, k, render::a4_landscape, config.map_dpi);
        });
    parallel::for_each_index(files.size(), [&](std::size_t f) { files[f](); });
    written.insert(written.end(), names.begin(), names.end());

    write_report(dir / "report.html", config, crs, result, bids, doc, per_area);
    written.push_back("report.html");
    return written;
}

} // namespace landel::pipeline::detail

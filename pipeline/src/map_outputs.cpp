#include "map_outputs.h"

#include "landel/core/error.h"
#include "landel/parallel/for_each_index.h"
#include "landel/render/maps.h"
#include "result_tables.h"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <ctime>

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

std::string today()
{
    const std::time_t now = std::time(nullptr);
    char text[32];
    std::strftime(text, sizeof text, "%Y-%m-%d", std::localtime(&now));
    return text;
}

} // namespace

std::vector<std::string> write_maps(const fs::path& dir, const Config& config, const io::Crs& crs,
                                    const analysis::MeasureResult& result, const AreaBids& bids,
                                    const std::vector<std::string>& sources)
{
    render::MapDocument doc;
    doc.title = config.name.empty() ? config.file.stem().string() : config.name;
    doc.date = today();
    doc.generator = std::string("landel ") + LANDEL_VERSION;
    doc.crs = crs.describe();
    doc.sources = sources;
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
        c.colour = palette::share_ramp(edges.size() > 1 ? double(k) / double(edges.size() - 1) : 1.0);
        doc.classes.push_back(c);
    }
    const std::vector<std::size_t> order = area_order(result);
    for (std::size_t i : order) {
        const analysis::AreaMeasure& a = result.areas[i];
        render::MapArea m;
        m.id = a.id;
        m.name = a.name;
        m.wkb = a.geometry_wkb;
        m.share_pct = a.targets.share_pct;
        m.elements_wkb = a.owned_wkb;
        m.figures.push_back({ "Area", fixed(a.area_ha, 2, " ha") });
        m.figures.push_back({ "Rural land", fixed(a.rural_ha, 2, " ha") });
        m.figures.push_back({ "Landscape elements", fixed(a.element_ha, 2, " ha") });
        m.figures.push_back({ "Share of rural land", a.targets.share_pct ? fixed(*a.targets.share_pct, 1, " %") : "-" });
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
            m.figures.push_back({ "Bid: element mix", bids.region[i] == "*" ? "national default" : bids.region[i] });
            m.figures.push_back({ "Bid: construction (mid)", euro(build) });
            if (!b.manage_per_year.empty())
                m.figures.push_back({ "Bid: management per year", euro(b.manage_per_year.back()) });
        }
        doc.areas.push_back(std::move(m));
    }

    const fs::path maps = dir / "maps";
    fs::create_directories(maps / "areas");
    std::vector<std::string> written{ "maps/overview.png", "maps/atlas.pdf" };
    render::write_overview_png(maps / "overview.png", doc, render::a4_landscape, config.map_dpi);
    const std::size_t per_area = std::min<std::size_t>(doc.areas.size(), std::size_t(config.max_area_maps));
    render::write_atlas_pdf(maps / "atlas.pdf", doc, per_area);
    std::vector<std::string> names;
    for (std::size_t k = 0; k < per_area; ++k) {
        // Ids that differ only in characters a file name cannot hold get a number.
        std::string name = "maps/areas/" + file_name(doc.areas[k].id);
        for (int n = 2; std::find(names.begin(), names.end(), name + ".png") != names.end(); ++n)
            name = "maps/areas/" + file_name(doc.areas[k].id) + "-" + std::to_string(n);
        names.push_back(name + ".png");
    }
    // Each page draws on its own surface: pages render in parallel.
    parallel::for_each_index(per_area, [&](std::size_t k) {
        render::write_area_png(dir / names[k], doc, k, render::a4_landscape, config.map_dpi);
    });
    written.insert(written.end(), names.begin(), names.end());
    return written;
}

} // namespace landel::pipeline::detail

#include "stages/result_tables.h"

#include "landel/io/vector_source.h"

#include <algorithm>
#include <cctype>
#include <numeric>

namespace landel::pipeline::detail {

namespace {

Column real(const std::string& name, const std::string& alias, int decimals = 6)
{
    return Column{ name, ColumnKind::Real, decimals, alias };
}

} // namespace

/// Natural order: runs of digits compare as numbers ("klei-2" before "klei-10", "9" before
/// "10"); equal by that rule (e.g. "01" and "1"), the plain text decides.
static bool natural_less(const std::string& x, const std::string& y)
{
    const auto digit = [](char c) { return std::isdigit(static_cast<unsigned char>(c)) != 0; };
    std::size_t i = 0, j = 0;
    while (i < x.size() && j < y.size()) {
        if (digit(x[i]) && digit(y[j])) {
            std::size_t ie = i, je = j;
            while (ie < x.size() && digit(x[ie]))
                ++ie;
            while (je < y.size() && digit(y[je]))
                ++je;
            std::size_t is = i, js = j; // skip leading zeros
            while (is + 1 < ie && x[is] == '0')
                ++is;
            while (js + 1 < je && y[js] == '0')
                ++js;
            if (ie - is != je - js)
                return ie - is < je - js;
            const int c = x.compare(is, ie - is, y, js, je - js);
            if (c != 0)
                return c < 0;
            i = ie;
            j = je;
        } else {
            if (x[i] != y[j])
                return static_cast<unsigned char>(x[i]) < static_cast<unsigned char>(y[j]);
            ++i;
            ++j;
        }
    }
    if ((x.size() - i) != (y.size() - j))
        return x.size() - i < y.size() - j;
    return x < y;
}

std::vector<std::size_t> area_order(const analysis::MeasureResult& result)
{
    std::vector<std::size_t> order(result.areas.size());
    std::iota(order.begin(), order.end(), std::size_t(0));
    const auto& a = result.areas;
    std::stable_sort(order.begin(), order.end(),
                     [&a](std::size_t x, std::size_t y) { return natural_less(a[x].id, a[y].id); });
    return order;
}

Table area_table(const Config& config, const analysis::MeasureResult& result,
                 const std::vector<int>& type_kinds, const std::vector<std::size_t>& order,
                 bool with_geometry)
{
    const auto& types = config.type_order;
    const auto groups = config.mask_groups();
    Table t;
    t.columns = { { "area_id", ColumnKind::Text, 0, "Area id" },
                  { "area_name", ColumnKind::Text, 0, "Area name" },
                  { "class", ColumnKind::Text, 0, "Class" },
                  real("area_ha", "Area (ha)"),
                  real("rural_ha", "Rural land (ha)"),
                  real("nodata_ha", "Without data (ha)") };
    for (const std::string& g : groups)
        t.columns.push_back(real("excl_" + g + "_ha", "Excluded as " + g + " (ha)"));
    t.columns.push_back(real("element_ha", "Landscape elements (ha)"));
    t.columns.push_back(real("share_pct", "Element share of rural land (%)"));
    for (const std::string& type : types)
        t.columns.push_back(real("ha_" + type, type + " (ha)"));
    for (const auto& m : config.milestones)
        t.columns.push_back(real("target_" + std::to_string(m.year) + "_ha",
                                 "Target " + std::to_string(m.year) + " (ha)"));
    for (const auto& m : config.milestones)
        t.columns.push_back(real("gap_" + std::to_string(m.year) + "_ha",
                                 "Gap to the " + std::to_string(m.year) + " target (ha)"));
    t.columns.push_back({ "status", ColumnKind::Text, 0, "Status" });
    for (std::size_t i = 0; i < types.size(); ++i)
        if (type_kinds[i] & io::kind_lines)
            t.columns.push_back(real(types[i] + "_m", types[i] + " length (m)", 3));
    for (std::size_t i = 0; i < types.size(); ++i)
        if (type_kinds[i] & io::kind_points)
            t.columns.push_back({ types[i] + "_count", ColumnKind::Integer, 0, types[i] + " count" });

    for (std::size_t r : order) {
        const analysis::AreaMeasure& a = result.areas[r];
        std::vector<Cell> row{ a.id, a.name, a.cls, a.area_ha, a.rural_ha, a.nodata_ha };
        for (double x : a.excl_ha)
            row.emplace_back(x);
        row.emplace_back(a.element_ha);
        row.push_back(a.targets.share_pct ? Cell(*a.targets.share_pct) : Cell());
        for (double x : a.type_ha)
            row.emplace_back(x);
        for (double x : a.targets.target_ha)
            row.emplace_back(x);
        for (double x : a.targets.gap_ha)
            row.emplace_back(x);
        row.emplace_back(a.targets.status);
        for (std::size_t i = 0; i < types.size(); ++i)
            if (type_kinds[i] & io::kind_lines)
                row.emplace_back(a.type_length_m[i]);
        for (std::size_t i = 0; i < types.size(); ++i)
            if (type_kinds[i] & io::kind_points)
                row.emplace_back(a.type_count[i]);
        t.rows.push_back(std::move(row));
        if (with_geometry)
            t.geometry_wkb.push_back(a.geometry_wkb);
    }
    return t;
}

Table element_table(const Config& config, analysis::MeasureResult& result,
                    const std::vector<std::size_t>& order)
{
    Table t;
    t.columns = { { "area_id", ColumnKind::Text, 0, "Area id" },
                  { "type", ColumnKind::Text, 0, "Element type" },
                  real("ha", "Owned element area (ha)") };
    for (std::size_t r : order) {
        analysis::AreaMeasure& a = result.areas[r];
        for (std::size_t i = 0; i < config.type_order.size(); ++i) {
            if (a.owned_wkb[i].empty())
                continue;
            t.rows.push_back({ a.id, config.type_order[i], a.type_ha[i] });
            t.geometry_wkb.push_back(std::move(a.owned_wkb[i]));
        }
    }
    return t;
}

Table study_area_table(const Config& config, const analysis::MeasureResult& result)
{
    Table t;
    t.columns = { { "name", ColumnKind::Text, 0, "Name" }, real("area_ha", "Area (ha)") };
    t.rows.push_back({ config.name, result.study_area_ha });
    t.geometry_wkb.push_back(result.study_area_wkb);
    return t;
}

} // namespace landel::pipeline::detail

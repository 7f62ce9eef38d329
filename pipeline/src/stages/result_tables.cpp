#include "stages/result_tables.h"

#include <algorithm>
#include <cctype>
#include <numeric>

namespace landel::pipeline::detail {

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
    std::stable_sort(order.begin(), order.end(), [&a](std::size_t x, std::size_t y) {
        return natural_less(a[x].id, a[y].id);
    });
    return order;
}

AreaSchemaKeys schema_keys(const Config& config, const std::vector<int>& type_kinds)
{
    return { config.type_order, type_kinds, config.mask_groups(), config.milestones };
}

Table area_table(const Config& config,
                 const analysis::MeasureResult& result,
                 const std::vector<int>& type_kinds,
                 const std::vector<std::size_t>& order,
                 bool with_geometry)
{
    const std::vector<AreaColumn> schema = area_columns(schema_keys(config, type_kinds));
    Table t;
    for (const AreaColumn& c : schema)
        t.columns.push_back(c.column);
    for (std::size_t r : order) {
        const analysis::AreaMeasure& a = result.areas[r];
        std::vector<Cell> row;
        row.reserve(schema.size());
        for (const AreaColumn& c : schema)
            row.push_back(c.value(a));
        t.rows.push_back(std::move(row));
        if (with_geometry)
            t.geometry_wkb.push_back(a.geometry_wkb);
    }
    return t;
}

Table element_table(const Config& config,
                    analysis::MeasureResult& result,
                    const std::vector<std::size_t>& order)
{
    Table t;
    t.columns = element_columns();
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

bool rural_land_known(const analysis::MeasureResult& result)
{
    // A measured area always has rural land WKB, empty geometry included; "" means unknown.
    return std::none_of(
      result.areas.begin(), result.areas.end(), [](const auto& a) { return a.rural_wkb.empty(); });
}

std::optional<Table> rural_land_table(analysis::MeasureResult& result,
                                      const std::vector<std::size_t>& order)
{
    if (!rural_land_known(result))
        return std::nullopt;
    Table t;
    t.columns = rural_land_columns();
    for (std::size_t r : order) {
        analysis::AreaMeasure& a = result.areas[r];
        t.rows.push_back({ a.id, a.rural_ha });
        // No rural land: a NULL geometry, as GDAL's GeoPackage validator refuses the empty
        // flag it writes for an empty one. WKB of an empty polygonal geometry is 9 bytes
        // (byte order, type, no parts); anything with area is longer.
        t.geometry_wkb.push_back(a.rural_wkb.size() <= 9 ? std::string() : std::move(a.rural_wkb));
    }
    return t;
}

Table study_area_table(const Config& config, const analysis::MeasureResult& result)
{
    Table t;
    t.columns = study_area_columns();
    t.rows.push_back({ config.name, result.study_area_ha });
    t.geometry_wkb.push_back(result.study_area_wkb);
    return t;
}

} // namespace landel::pipeline::detail

#include "stages/measurement_reader.h"

#include "landel/analysis/measurement/targets.h"
#include "landel/core/error.h"
#include "landel/io/layer_reader.h"
#include "landel/io/vector_source.h"

#include <algorithm>
#include <map>

namespace landel::pipeline::detail {

namespace fs = std::filesystem;

/// Reads the measurement back: one AreaMeasure per row of the `areas` layer, the figures the
/// config's types and masks name, owned element geometry from the `elements` layer.
analysis::MeasureResult read_measurement(const Config& config, const fs::path& gpkg,
                                         std::vector<int>& type_kinds)
{
    const Table areas = io::read_layer_table(gpkg, "areas");
    const auto column = [&](const std::string& name, bool required = true) {
        const std::size_t k = areas.column_index(name);
        if (k == areas.columns.size() && required)
            throw Error("'" + gpkg.string() + "' layer 'areas' has no column '" + name +
                        "': bid with the config of the run that made it");
        return k;
    };
    const auto number = [&](const std::vector<Cell>& row, std::size_t k) -> double {
        if (k >= row.size())
            return 0.0;
        if (const auto* d = std::get_if<double>(&row[k]))
            return *d;
        if (const auto* i = std::get_if<std::int64_t>(&row[k]))
            return double(*i);
        return 0.0;
    };
    const auto text = [&](const std::vector<Cell>& row, std::size_t k) -> std::string {
        if (k < row.size())
            if (const auto* s = std::get_if<std::string>(&row[k]))
                return *s;
        return {};
    };
    const std::size_t id = column("area_id"), name = column("area_name"), cls = column("class"),
                      area = column("area_ha"), rural = column("rural_ha"), nodata = column("nodata_ha"),
                      element = column("element_ha");
    std::vector<std::size_t> excl, type_ha, length, count;
    for (const std::string& g : config.mask_groups())
        excl.push_back(column("excl_" + g + "_ha"));
    type_kinds.assign(config.type_order.size(), 0);
    for (std::size_t t = 0; t < config.type_order.size(); ++t) {
        const std::string& type = config.type_order[t];
        type_ha.push_back(column("ha_" + type));
        length.push_back(column(type + "_m", false));
        count.push_back(column(type + "_count", false));
        if (length.back() < areas.columns.size())
            type_kinds[t] |= io::kind_lines;
        if (count.back() < areas.columns.size())
            type_kinds[t] |= io::kind_points;
    }

    analysis::MeasureResult result;
    std::map<std::string, std::size_t> by_id;
    for (std::size_t r = 0; r < areas.rows.size(); ++r) {
        const std::vector<Cell>& row = areas.rows[r];
        analysis::AreaMeasure a;
        a.id = text(row, id);
        a.name = text(row, name);
        a.cls = text(row, cls);
        a.area_ha = number(row, area);
        a.rural_ha = number(row, rural);
        a.nodata_ha = number(row, nodata);
        a.masked_ha = a.area_ha - a.rural_ha - a.nodata_ha;
        a.element_ha = number(row, element);
        for (std::size_t k : excl)
            a.excl_ha.push_back(number(row, k));
        for (std::size_t t = 0; t < config.type_order.size(); ++t) {
            a.type_ha.push_back(number(row, type_ha[t]));
            a.type_length_m.push_back(number(row, length[t]));
            a.type_count.push_back(std::int64_t(number(row, count[t])));
        }
        // Targets follow the config's milestones, which may differ from the run's.
        a.targets = analysis::evaluate_targets(a.element_ha, a.rural_ha, config.milestones);
        a.geometry_wkb = areas.geometry_wkb[r];
        a.owned_wkb.assign(config.type_order.size(), std::string());
        by_id[a.id] = result.areas.size();
        result.areas.push_back(std::move(a));
    }
    const Table elements = io::read_layer_table(gpkg, "elements");
    const std::size_t eid = elements.column_index("area_id"), etype = elements.column_index("type");
    for (std::size_t r = 0; r < elements.rows.size(); ++r) {
        const auto* aid = std::get_if<std::string>(&elements.rows[r][eid]);
        const auto* type = std::get_if<std::string>(&elements.rows[r][etype]);
        if (!aid || !type || !by_id.count(*aid))
            continue;
        const auto t = std::find(config.type_order.begin(), config.type_order.end(), *type);
        if (t != config.type_order.end())
            result.areas[by_id[*aid]].owned_wkb[std::size_t(t - config.type_order.begin())] = elements.geometry_wkb[r];
    }
    const Table study = io::read_layer_table(gpkg, "study_area");
    if (!study.rows.empty()) {
        result.study_area_wkb = study.geometry_wkb.front();
        result.study_area_ha = number(study.rows.front(), study.column_index("area_ha"));
    }
    return result;
}

} // namespace landel::pipeline::detail

#include "stages/measurement_reader.h"

#include "landel/analysis/measurement/targets.h"
#include "landel/core/error.h"
#include "landel/geometry/ops.h"
#include "landel/io/dataset_contents.h"
#include "landel/io/layer_reader.h"
#include "landel/io/vector_source.h"
#include "landel/pipeline/area_schema.h"

#include <algorithm>
#include <map>

namespace landel::pipeline::detail {

namespace fs = std::filesystem;

namespace {

/// The rural land of each area from the `rural_land` layer, when the run has one (runs made
/// before it existed do not: their areas keep an empty rural_wkb, "unknown").
void read_rural_land(const fs::path& gpkg,
                     const std::map<std::string, std::size_t>& by_id,
                     analysis::MeasureResult& result)
{
    const io::DatasetContents contents = io::inspect_dataset(gpkg, "run");
    const auto& layers = contents.members;
    if (std::find(layers.begin(), layers.end(), "rural_land") == layers.end())
        return;
    Table rural = io::read_layer_table(gpkg, "rural_land");
    geometry::GeosContext ctx;
    const std::string empty_land = geometry::to_wkb(ctx, geometry::empty_multipolygon(ctx).get());
    const std::size_t aid = rural.column_index(rural_land_columns()[0].name);
    for (std::size_t r = 0; r < rural.rows.size(); ++r) {
        const auto* id =
          aid < rural.rows[r].size() ? std::get_if<std::string>(&rural.rows[r][aid]) : nullptr;
        const auto at = id ? by_id.find(*id) : by_id.end();
        if (at == by_id.end())
            continue;
        // A NULL geometry is an area without rural land (result_tables.h).
        std::string& land = result.areas[at->second].rural_wkb;
        if (rural.geometry_wkb[r].empty())
            land = empty_land;
        else
            land = std::move(rural.geometry_wkb[r]);
    }
}

} // namespace

analysis::MeasureResult read_measurement(const Config& config,
                                         const fs::path& gpkg,
                                         std::vector<int>& type_kinds)
{
    return read_measurement(config, gpkg, io::read_layer_table(gpkg, "areas"), type_kinds);
}

/// Reads the measurement back: one AreaMeasure per row of the `areas` layer, the figures the
/// config's types and masks name, owned element geometry from the `elements` layer.
analysis::MeasureResult read_measurement(const Config& config,
                                         const fs::path& gpkg,
                                         const Table& areas,
                                         std::vector<int>& type_kinds)
{
    // Every type may have had line and point sources: their columns are read when present.
    const std::vector<int> any_kind(config.type_order.size(), io::kind_lines | io::kind_points);
    const AreaSchemaKeys keys{
        config.type_order, any_kind, config.mask_groups(), config.milestones
    };
    std::vector<std::pair<const AreaColumn*, std::size_t>> read; // column, its index in the layer
    const std::vector<AreaColumn> schema = area_columns(keys);
    type_kinds.assign(config.type_order.size(), 0);
    for (const AreaColumn& c : schema) {
        if (!c.read)
            continue; // derived: targets follow the config's milestones, not the run's
        const std::size_t k = areas.column_index(c.column.name);
        if (k < areas.columns.size()) {
            read.emplace_back(&c, k);
            if (c.source_kind)
                type_kinds[c.type_index] |= c.source_kind;
        } else if (!c.source_kind) {
            throw Error("'" + gpkg.string() + "' layer 'areas' has no column '" + c.column.name +
                        "': bid with the config of the run that made it");
        }
    }

    analysis::MeasureResult result;
    std::map<std::string, std::size_t> by_id;
    for (std::size_t r = 0; r < areas.rows.size(); ++r) {
        const std::vector<Cell>& row = areas.rows[r];
        analysis::AreaMeasure a;
        size_for_reading(a, keys);
        for (const auto& [c, k] : read)
            c->read(a, k < row.size() ? row[k] : Cell());
        a.masked_ha = a.area_ha - a.rural_ha - a.nodata_ha;
        a.targets = analysis::evaluate_targets(a.element_ha, a.rural_ha, config.milestones);
        a.geometry_wkb = areas.geometry_wkb[r];
        a.owned_wkb.assign(config.type_order.size(), std::string());
        by_id[a.id] = result.areas.size();
        result.areas.push_back(std::move(a));
    }
    Table elements = io::read_layer_table(gpkg, "elements");
    const std::vector<Column> element_schema = element_columns();
    const std::size_t eid = elements.column_index(element_schema[0].name),
                      etype = elements.column_index(element_schema[1].name);
    for (std::size_t r = 0; r < elements.rows.size(); ++r) {
        const auto* aid = std::get_if<std::string>(&elements.rows[r][eid]);
        const auto* type = std::get_if<std::string>(&elements.rows[r][etype]);
        if (!aid || !type || !by_id.count(*aid))
            continue;
        const auto t = std::find(config.type_order.begin(), config.type_order.end(), *type);
        if (t != config.type_order.end())
            // Moved, not copied: a run's owned geometry is hundreds of megabytes.
            result.areas[by_id[*aid]].owned_wkb[std::size_t(t - config.type_order.begin())] =
              std::move(elements.geometry_wkb[r]);
    }
    read_rural_land(gpkg, by_id, result);
    const Table study = io::read_layer_table(gpkg, "study_area");
    if (!study.rows.empty()) {
        result.study_area_wkb = study.geometry_wkb.front();
        const std::size_t k = study.column_index(study_area_columns()[1].name);
        if (k < study.rows.front().size()) {
            const Cell& ha = study.rows.front()[k];
            if (const auto* d = std::get_if<double>(&ha))
                result.study_area_ha = *d;
            else if (const auto* i = std::get_if<std::int64_t>(&ha))
                result.study_area_ha = double(*i);
        }
    }
    return result;
}

} // namespace landel::pipeline::detail

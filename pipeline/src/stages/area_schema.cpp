#include "landel/pipeline/area_schema.h"

#include "landel/analysis/measurement/footprint.h"
#include "landel/geometry/ops.h"
#include "landel/io/vector_source.h"

namespace landel::pipeline {

namespace {

using analysis::AreaMeasure;

double number(const Cell& c)
{
    if (const auto* d = std::get_if<double>(&c))
        return *d;
    if (const auto* i = std::get_if<std::int64_t>(&c))
        return double(*i);
    return 0.0;
}

std::string text(const Cell& c)
{
    const auto* s = std::get_if<std::string>(&c);
    return s ? *s : std::string();
}

/// A text column read back into @p field.
AreaColumn text_column(const std::string& name,
                       const std::string& alias,
                       std::string AreaMeasure::*field)
{
    return { { name, ColumnKind::Text, 0, alias },
             [field](const AreaMeasure& a) { return Cell(a.*field); },
             [field](AreaMeasure& a, const Cell& c) { a.*field = text(c); } };
}

/// A column of hectares read back into @p field.
AreaColumn ha_column(const std::string& name, const std::string& alias, double AreaMeasure::*field)
{
    return { { name, ColumnKind::Real, 6, alias },
             [field](const AreaMeasure& a) { return Cell(a.*field); },
             [field](AreaMeasure& a, const Cell& c) { a.*field = number(c); } };
}

/// The @p k-th entry of the per-mask or per-type vector @p field.
AreaColumn indexed_column(const std::string& name,
                          const std::string& alias,
                          int decimals,
                          std::vector<double> AreaMeasure::*field,
                          std::size_t k)
{
    return { { name, ColumnKind::Real, decimals, alias },
             [field, k](const AreaMeasure& a) { return Cell((a.*field)[k]); },
             [field, k](AreaMeasure& a, const Cell& c) { (a.*field)[k] = number(c); } };
}

} // namespace

std::vector<AreaColumn> area_columns(const AreaSchemaKeys& keys)
{
    const auto& types = keys.types;
    std::vector<AreaColumn> out{ text_column("area_id", "Area id", &AreaMeasure::id),
                                 text_column("area_name", "Area name", &AreaMeasure::name),
                                 text_column("class", "Class", &AreaMeasure::cls),
                                 ha_column("area_ha", "Area (ha)", &AreaMeasure::area_ha),
                                 ha_column("rural_ha", "Rural land (ha)", &AreaMeasure::rural_ha),
                                 ha_column(
                                   "nodata_ha", "Without data (ha)", &AreaMeasure::nodata_ha) };
    for (std::size_t g = 0; g < keys.mask_groups.size(); ++g) {
        const std::string& name = keys.mask_groups[g];
        out.push_back(indexed_column(
          "excl_" + name + "_ha", "Excluded as " + name + " (ha)", 6, &AreaMeasure::excl_ha, g));
    }
    out.push_back(ha_column("element_ha", "Landscape elements (ha)", &AreaMeasure::element_ha));
    out.push_back({ { "share_pct", ColumnKind::Real, 6, "Element share of rural land (%)" },
                    [](const AreaMeasure& a) {
                        return a.targets.share_pct ? Cell(*a.targets.share_pct) : Cell();
                    } });
    for (std::size_t t = 0; t < types.size(); ++t)
        out.push_back(
          indexed_column("ha_" + types[t], types[t] + " (ha)", 6, &AreaMeasure::type_ha, t));
    for (std::size_t k = 0; k < keys.milestones.size(); ++k) {
        const std::string year = std::to_string(keys.milestones[k].year);
        out.push_back(
          { { "target_" + year + "_ha", ColumnKind::Real, 6, "Target " + year + " (ha)" },
            [k](const AreaMeasure& a) { return Cell(a.targets.target_ha[k]); } });
    }
    for (std::size_t k = 0; k < keys.milestones.size(); ++k) {
        const std::string year = std::to_string(keys.milestones[k].year);
        out.push_back(
          { { "gap_" + year + "_ha", ColumnKind::Real, 6, "Gap to the " + year + " target (ha)" },
            [k](const AreaMeasure& a) { return Cell(a.targets.gap_ha[k]); } });
    }
    out.push_back({ { "status", ColumnKind::Text, 0, "Status" },
                    [](const AreaMeasure& a) { return Cell(a.targets.status); } });
    const auto kind = [&keys](std::size_t t) {
        return t < keys.type_kinds.size() ? keys.type_kinds[t] : 0;
    };
    for (std::size_t t = 0; t < types.size(); ++t) {
        if (!(kind(t) & io::kind_lines))
            continue;
        AreaColumn c = indexed_column(
          types[t] + "_m", types[t] + " length (m)", 3, &AreaMeasure::type_length_m, t);
        c.source_kind = io::kind_lines;
        c.type_index = t;
        out.push_back(std::move(c));
    }
    for (std::size_t t = 0; t < types.size(); ++t) {
        if (!(kind(t) & io::kind_points))
            continue;
        out.push_back(
          { { types[t] + "_count", ColumnKind::Integer, 0, types[t] + " count" },
            [t](const AreaMeasure& a) { return Cell(a.type_count[t]); },
            [t](AreaMeasure& a, const Cell& c) { a.type_count[t] = std::int64_t(number(c)); },
            io::kind_points,
            t });
    }
    return out;
}

int geometry_kinds(std::string_view wkb)
{
    // The ISO WKB type code after the byte-order mark (1/4 points, 2/5 lines, 3/6 polygons);
    // only collections need parsing.
    if (wkb.size() < 5)
        return 0;
    const bool little = wkb[0] == 1;
    std::uint32_t code = 0;
    for (int k = 0; k < 4; ++k)
        code = code << 8 | static_cast<unsigned char>(wkb[std::size_t(little ? 4 - k : 1 + k)]);
    switch (code % 1000) {
        case 1:
        case 4:
            return io::kind_points;
        case 2:
        case 5:
            return io::kind_lines;
        case 3:
        case 6:
            return io::kind_polygons;
        default:
            break;
    }
    geometry::GeosContext ctx;
    const int dims = analysis::dimension_mask(ctx, geometry::from_wkb(ctx, wkb).get());
    return (dims & analysis::has_points ? io::kind_points : 0) |
           (dims & analysis::has_lines ? io::kind_lines : 0) |
           (dims & analysis::has_polygons ? io::kind_polygons : 0);
}

void size_for_reading(analysis::AreaMeasure& area, const AreaSchemaKeys& keys)
{
    area.excl_ha.assign(keys.mask_groups.size(), 0.0);
    area.type_ha.assign(keys.types.size(), 0.0);
    area.type_length_m.assign(keys.types.size(), 0.0);
    area.type_count.assign(keys.types.size(), 0);
}

std::vector<Column> element_columns()
{
    return { { "area_id", ColumnKind::Text, 0, "Area id" },
             { "type", ColumnKind::Text, 0, "Element type" },
             { "ha", ColumnKind::Real, 6, "Owned element area (ha)" } };
}

std::vector<Column> study_area_columns()
{
    return { { "name", ColumnKind::Text, 0, "Name" },
             { "area_ha", ColumnKind::Real, 6, "Area (ha)" } };
}

std::vector<Column> rural_land_columns()
{
    return { { "area_id", ColumnKind::Text, 0, "Area id" },
             { "rural_ha", ColumnKind::Real, 6, "Rural land (ha)" } };
}

} // namespace landel::pipeline

// landel.measure: the engine's exact measurement on geometries handed over as WKB (from
// GeoDataFrames, by the Python side): no files, no GDAL. The rules of an element source
// (its keys, types and widths, the type order, the geometry kinds that decide the length and
// count columns) are the config's and the pipeline's; the Python side only converts.
#include "bindings.h"
#include "job_call.h"

#include "landel/analysis/measurement/measurement.h"
#include "landel/core/error.h"
#include "landel/io/vector_source.h"
#include "landel/pipeline/area_schema.h"
#include "landel/pipeline/config.h"

#include <pybind11/numpy.h>
#include <pybind11/stl.h>
#include <tbb/global_control.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <limits>
#include <map>
#include <optional>
#include <tuple>

namespace py = pybind11;

namespace landel::python {

namespace {

/// (name or None, [WKB]): a rural.exclude mask, reported as excl_<name>_ha when named.
using MaskIn = std::tuple<std::optional<std::string>, std::vector<py::bytes>>;
/// (the element keys as TOML text, or None when the source is not a dict; its attribute
/// table (a DataFrame), or None without one; WKB or None per feature; label or None).
using ElementIn = std::tuple<std::optional<std::string>,
                             py::object,
                             std::vector<py::object>,
                             std::optional<std::string>>;

/// An attribute value as text, as OGR gives it: none for a missing value (None, NaN, pandas'
/// NA), integers without ".0".
std::optional<std::string> attribute_text(py::handle v)
{
    if (v.is_none())
        return std::nullopt;
    if (py::isinstance<py::str>(v))
        return v.cast<std::string>();
    if (py::isinstance<py::float_>(v)) {
        const double d = v.cast<double>();
        if (std::isnan(d))
            return std::nullopt;
        if (std::isfinite(d) && d == std::floor(d))
            return py::str(py::int_(py::reinterpret_borrow<py::object>(v))).cast<std::string>();
        return py::str(v).cast<std::string>();
    }
    if (!py::isinstance<py::bytes>(v) && !py::isinstance<py::int_>(v)) {
        if (py::hasattr(v, "item")) // numpy scalars
            return attribute_text(v.attr("item")());
        const py::object missing = py::module_::import("pandas").attr("isna")(v);
        if (py::isinstance<py::bool_>(missing) && missing.cast<bool>())
            return std::nullopt;
    }
    return py::str(v).cast<std::string>();
}

/// The values of column @p field of the attribute table @p frame.
py::list column_values(const py::object& frame,
                       const std::string& field,
                       const std::string& what,
                       const std::string& key)
{
    if (!frame.attr("columns").attr("__contains__")(field).cast<bool>())
        throw InvalidArgument(what + ": no column '" + field + "' (" + key + ")");
    return frame[py::str(field)].attr("tolist")();
}

/// A width_field value as a number; NaN for a missing value. Text that is not a number is an
/// error, as in a config.
double width_value(py::handle v, bool& bad)
{
    bad = false;
    if (v.is_none())
        return std::nan("");
    if (py::isinstance<py::float_>(v) || py::isinstance<py::int_>(v))
        return v.cast<double>();
    const std::optional<std::string> text = attribute_text(v);
    if (!text)
        return std::nan("");
    const char* begin = text->c_str();
    char* end = nullptr;
    errno = 0;
    const double d = std::strtod(begin, &end);
    while (end && *end == ' ')
        ++end;
    bad = text->empty() || end == begin || *end != '\0' || errno == ERANGE;
    return d;
}

/// The areas: ids (text of id_field, else the row position), names and geometries.
std::vector<analysis::AreaFeature> read_areas(const py::object& frame,
                                              const std::vector<py::object>& wkb,
                                              const std::optional<std::string>& id_field,
                                              const std::optional<std::string>& name_field)
{
    const std::size_t n = wkb.size();
    std::vector<analysis::AreaFeature> areas(n);
    const auto list = [](const std::vector<std::string>& v) {
        std::string out;
        for (std::size_t k = 0; k < std::min<std::size_t>(v.size(), 10); ++k)
            out += (k ? ", " : "") + v[k];
        return out;
    };
    std::vector<std::string> missing;
    const py::list ids = id_field && !id_field->empty()
                           ? column_values(frame, *id_field, "areas", "id_field")
                           : py::list();
    const py::list names = name_field && !name_field->empty()
                             ? column_values(frame, *name_field, "areas", "name_field")
                             : py::list();
    for (std::size_t i = 0; i < n; ++i) {
        analysis::AreaFeature& a = areas[i];
        a.fid = static_cast<std::int64_t>(i);
        a.id = ids.empty() ? std::to_string(i) : attribute_text(ids[i]).value_or("");
        if (a.id.empty())
            missing.push_back(std::to_string(i));
        if (!names.empty())
            a.name = attribute_text(names[i]).value_or("");
    }
    if (!missing.empty())
        throw InvalidArgument("areas: rows " + list(missing) + " have no value in id_field '" +
                              *id_field + "'");
    for (std::size_t i = 0; i < n; ++i)
        if (wkb[i].is_none())
            missing.push_back(areas[i].id);
        else
            areas[i].wkb = wkb[i].cast<std::string>();
    if (!missing.empty())
        throw InvalidArgument("areas: areas without geometry: " + list(missing));
    return areas;
}

/// The element sources with their features typed and widened, the type order (@p types, or
/// first appearance) and the io::kind_* bits of each type's sources.
struct TypedSources
{
    std::vector<analysis::ElementSource> sources;
    std::vector<std::string> order;
    std::vector<int> kinds;
};

TypedSources type_sources(const std::vector<ElementIn>& elements,
                          const std::optional<std::vector<std::string>>& types)
{
    TypedSources out;
    const bool given = types && !types->empty();
    if (given)
        out.order = *types;
    std::map<std::string, int> kinds_of_type;
    for (std::size_t k = 0; k < elements.size(); ++k) {
        const auto& [keys, frame, wkb, label_given] = elements[k];
        const std::string name = "elements[" + std::to_string(k) + "]";
        if (!keys)
            throw InvalidArgument(name + ": expected a dict with 'gdf' and 'type' or 'type_field'");
        if (frame.is_none())
            throw InvalidArgument(name + ": no 'gdf'");
        // The dict's keys are an [[elements]] section's: their errors are ConfigError, as there.
        const pipeline::ElementConfig e = pipeline::load_element_keys(*keys, name);
        const std::string label = label_given.value_or(name);
        std::map<std::string, std::string> mapped;
        for (const auto& [value, type] : e.types)
            mapped[value] = type;
        const py::list type_values = e.type_field.empty()
                                       ? py::list()
                                       : column_values(frame, e.type_field, name, "type_field");
        const py::list widths = e.width_field.empty()
                                  ? py::list()
                                  : column_values(frame, e.width_field, name, "width_field");

        analysis::ElementSource source;
        source.label = label;
        source.max_patch_ha = e.max_patch_ha;
        int kinds = 0; // of every geometry, as a layer's: elements or not
        for (const py::object& w : wkb)
            if (!w.is_none())
                kinds |= pipeline::geometry_kinds(w.cast<std::string_view>());
        std::vector<std::string> feature_types; // per kept feature, resolved below
        for (std::size_t i = 0; i < wkb.size(); ++i) {
            if (wkb[i].is_none())
                continue;
            std::string type = e.type;
            if (type.empty()) {
                const std::optional<std::string> value = attribute_text(type_values[i]);
                if (!value)
                    continue;
                if (!mapped.empty()) {
                    const auto it = mapped.find(*value);
                    if (it == mapped.end())
                        continue; // values not listed in `types` are not elements
                    type = it->second;
                } else {
                    type = *value; // without `types` the values are the types
                }
            }
            analysis::ElementFeature f;
            f.wkb = wkb[i].cast<std::string>();
            f.fid = static_cast<std::int64_t>(i);
            f.width_m = e.width_m.value_or(std::nan(""));
            if (!e.width_field.empty()) {
                bool bad = false;
                const double w = width_value(widths[i], bad);
                if (bad)
                    throw InvalidArgument(
                      label + ": feature " + std::to_string(i) + ": width_field '" + e.width_field +
                      "' value '" + py::str(widths[i]).cast<std::string>() + "' is not a number");
                if (!std::isnan(w))
                    f.width_m = w;
            }
            if (std::find(out.order.begin(), out.order.end(), type) == out.order.end()) {
                if (given)
                    throw InvalidArgument(label + ": type '" + type + "' is not in types");
                out.order.push_back(type);
            }
            feature_types.push_back(type);
            source.features.push_back(std::move(f));
        }
        for (std::size_t i = 0; i < source.features.size(); ++i)
            source.features[i].type = int(
              std::find(out.order.begin(), out.order.end(), feature_types[i]) - out.order.begin());
        // The columns a type gets follow the source, not which values occur.
        if (!e.type.empty())
            kinds_of_type[e.type] |= kinds;
        else if (!mapped.empty())
            for (const auto& [value, type] : mapped)
                kinds_of_type[type] |= kinds;
        else
            for (const std::string& type : feature_types)
                kinds_of_type[type] |= kinds;
        out.sources.push_back(std::move(source));
    }
    for (const std::string& type : out.order)
        out.kinds.push_back(kinds_of_type[type]);
    return out;
}

/// One column of the area table as a list (text) or numpy array (numbers; NaN: empty).
py::object column_of(const pipeline::AreaColumn& c, const std::vector<analysis::AreaMeasure>& areas)
{
    if (c.column.kind == ColumnKind::Text) {
        std::vector<std::string> v;
        for (const auto& a : areas)
            v.push_back(std::get<std::string>(c.value(a)));
        return py::cast(v);
    }
    if (c.column.kind == ColumnKind::Integer) {
        py::array_t<std::int64_t> v(static_cast<py::ssize_t>(areas.size()));
        auto at = v.mutable_unchecked<1>();
        for (std::size_t i = 0; i < areas.size(); ++i)
            at(static_cast<py::ssize_t>(i)) = std::get<std::int64_t>(c.value(areas[i]));
        return std::move(v);
    }
    py::array_t<double> v(static_cast<py::ssize_t>(areas.size()));
    auto at = v.mutable_unchecked<1>();
    for (std::size_t i = 0; i < areas.size(); ++i) {
        const Cell cell = c.value(areas[i]);
        const auto* d = std::get_if<double>(&cell);
        at(static_cast<py::ssize_t>(i)) = d ? *d : std::numeric_limits<double>::quiet_NaN();
    }
    return std::move(v);
}

py::dict measure(const py::object& areas,
                 const std::vector<py::object>& area_wkb,
                 const std::optional<std::string>& id_field,
                 const std::optional<std::string>& name_field,
                 const std::vector<py::bytes>& study_area,
                 const std::vector<MaskIn>& masks,
                 const std::vector<ElementIn>& elements,
                 const std::optional<std::vector<std::string>>& types,
                 const std::optional<std::vector<std::pair<int, double>>>& milestones,
                 int threads,
                 py::object progress)
{
    analysis::MeasureRequest request;
    request.areas_label = "areas";
    request.areas = read_areas(areas, area_wkb, id_field, name_field);
    for (const py::bytes& w : study_area)
        request.study_area_wkb.emplace_back(w);
    for (std::size_t k = 0; k < masks.size(); ++k) {
        const auto& [name, wkbs] = masks[k];
        analysis::MaskSource s;
        s.label = "rural_exclude[" + std::to_string(k) + "]";
        s.group = -1;
        if (name && !name->empty()) {
            auto& groups = request.mask_groups;
            s.group = int(std::find(groups.begin(), groups.end(), *name) - groups.begin());
            if (s.group == int(groups.size()))
                groups.push_back(*name);
        }
        for (const py::bytes& w : wkbs)
            s.wkb.emplace_back(w);
        request.masks.push_back(std::move(s));
    }
    TypedSources typed = type_sources(elements, types);
    request.types = typed.order;
    request.sources = std::move(typed.sources);
    if (milestones && !milestones->empty())
        for (const auto& [year, share] : *milestones)
            request.milestones.push_back(analysis::Milestone{ year, share });
    else
        request.milestones = pipeline::default_milestones();
    request.density_cell_m = 0.0; // a raster of the element share is a file output; not here

    const Progress on_progress = python_progress(std::move(progress));
    const analysis::MeasureResult result = interruptible([&](const std::atomic<bool>& stop) {
        request.progress = stoppable(on_progress, stop);
        tbb::global_control limit(tbb::global_control::max_allowed_parallelism,
                                  static_cast<std::size_t>(threads_or_all(threads)));
        return analysis::measure(request);
    });

    // The columns of area_bid.csv, in its order (area_schema.h).
    py::dict columns;
    const pipeline::AreaSchemaKeys keys{
        request.types, typed.kinds, request.mask_groups, request.milestones
    };
    for (const pipeline::AreaColumn& c : pipeline::area_columns(keys))
        columns[py::str(c.column.name)] = column_of(c, result.areas);
    std::vector<py::bytes> geometry;
    for (const auto& m : result.areas)
        geometry.emplace_back(m.geometry_wkb);

    py::dict out;
    out["columns"] = columns;
    out["geometry_wkb"] = geometry;
    out["warnings"] = result.warnings;
    py::list overlaps;
    for (const auto& [x, y] : result.overlapping_areas)
        overlaps.append(py::make_tuple(x, y));
    out["overlapping_areas"] = overlaps;
    out["study_area_wkb"] = py::bytes(result.study_area_wkb);
    return out;
}

} // namespace

void bind_measure(py::module_& m)
{
    m.def(
      "measure",
      &measure,
      py::arg("areas"),
      py::arg("area_wkb"),
      py::arg("id_field"),
      py::arg("name_field"),
      py::arg("study_area"),
      py::arg("masks"),
      py::arg("elements"),
      py::arg("types") = py::none(),
      py::arg("milestones") = py::none(),
      py::arg("threads") = 0,
      py::arg("progress") = py::none(),
      "The engine's measurement on WKB geometries in one projected CRS in metres, with the element "
      "rules of a config (see landel.measure).");
}

} // namespace landel::python

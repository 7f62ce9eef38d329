// landel.measure: the engine's exact measurement on geometries handed over as WKB (from
// GeoDataFrames, by the Python side): no files, no GDAL.
#include "bindings.h"
#include "job_call.h"

#include "landel/analysis/measurement/measurement.h"

#include <pybind11/numpy.h>
#include <pybind11/stl.h>
#include <tbb/global_control.h>

#include <cmath>
#include <limits>
#include <optional>
#include <tuple>

namespace py = pybind11;

namespace landel::python {

namespace {

using AreaIn = std::tuple<std::string, std::string, py::bytes>;
using MaskIn = std::tuple<std::string, int, std::vector<py::bytes>>;
/// label, geometries, type index per feature, width per feature (NaN: none), fid per feature,
/// max_patch_ha
using SourceIn = std::tuple<std::string, std::vector<py::bytes>, std::vector<int>, std::vector<double>,
                            std::vector<std::int64_t>, std::optional<double>>;

template<class T, class Get>
py::array_t<T> column(const std::vector<analysis::AreaMeasure>& areas, Get get)
{
    py::array_t<T> a(static_cast<py::ssize_t>(areas.size()));
    auto v = a.template mutable_unchecked<1>();
    for (std::size_t i = 0; i < areas.size(); ++i)
        v(static_cast<py::ssize_t>(i)) = get(areas[i]);
    return a;
}

py::dict measure(const std::vector<AreaIn>& areas, const std::vector<py::bytes>& study_area,
                 const std::vector<std::string>& mask_groups, const std::vector<MaskIn>& masks,
                 const std::vector<std::string>& types, const std::vector<SourceIn>& sources,
                 const std::vector<std::pair<int, double>>& milestones, const std::string& areas_label, int threads,
                 py::object progress)
{
    analysis::MeasureRequest request;
    request.areas_label = areas_label;
    for (const auto& [id, name, wkb] : areas) {
        analysis::AreaFeature a;
        a.id = id;
        a.name = name;
        a.wkb = std::string(wkb);
        a.fid = static_cast<std::int64_t>(request.areas.size());
        request.areas.push_back(std::move(a));
    }
    for (const py::bytes& w : study_area)
        request.study_area_wkb.emplace_back(w);
    request.mask_groups = mask_groups;
    for (const auto& [label, group, wkbs] : masks) {
        analysis::MaskSource s;
        s.label = label;
        s.group = group;
        for (const py::bytes& w : wkbs)
            s.wkb.emplace_back(w);
        request.masks.push_back(std::move(s));
    }
    request.types = types;
    for (const auto& [label, wkbs, type_index, widths, fids, max_patch] : sources) {
        analysis::ElementSource s;
        s.label = label;
        s.max_patch_ha = max_patch;
        for (std::size_t i = 0; i < wkbs.size(); ++i) {
            analysis::ElementFeature f;
            f.wkb = std::string(wkbs[i]);
            f.type = type_index.at(i);
            f.width_m = widths.at(i);
            f.fid = fids.at(i);
            s.features.push_back(std::move(f));
        }
        request.sources.push_back(std::move(s));
    }
    for (const auto& [year, share] : milestones)
        request.milestones.push_back(analysis::Milestone{ year, share });
    request.density_cell_m = 0.0; // a raster of the element share is a file output; not here

    const Progress on_progress = python_progress(std::move(progress));
    const analysis::MeasureResult result = interruptible([&](const std::atomic<bool>& stop) {
        request.progress = stoppable(on_progress, stop);
        tbb::global_control limit(tbb::global_control::max_allowed_parallelism,
                                  static_cast<std::size_t>(threads_or_all(threads)));
        return analysis::measure(request);
    });

    const auto& a = result.areas;
    const double nan = std::numeric_limits<double>::quiet_NaN();
    py::dict columns;
    std::vector<std::string> ids, names, statuses;
    std::vector<py::bytes> geometry;
    for (const auto& m : a) {
        ids.push_back(m.id);
        names.push_back(m.name);
        statuses.push_back(m.targets.status);
        geometry.emplace_back(m.geometry_wkb);
    }
    columns["area_id"] = ids;
    columns["area_name"] = names;
    columns["area_ha"] = column<double>(a, [](const auto& m) { return m.area_ha; });
    columns["rural_ha"] = column<double>(a, [](const auto& m) { return m.rural_ha; });
    columns["nodata_ha"] = column<double>(a, [](const auto& m) { return m.nodata_ha; });
    for (std::size_t g = 0; g < mask_groups.size(); ++g)
        columns[py::str("excl_" + mask_groups[g] + "_ha")] =
          column<double>(a, [g](const auto& m) { return m.excl_ha[g]; });
    columns["element_ha"] = column<double>(a, [](const auto& m) { return m.element_ha; });
    columns["share_pct"] = column<double>(a, [nan](const auto& m) { return m.targets.share_pct.value_or(nan); });
    for (std::size_t t = 0; t < types.size(); ++t)
        columns[py::str("ha_" + types[t])] = column<double>(a, [t](const auto& m) { return m.type_ha[t]; });
    for (std::size_t k = 0; k < milestones.size(); ++k)
        columns[py::str("target_" + std::to_string(milestones[k].first) + "_ha")] =
          column<double>(a, [k](const auto& m) { return m.targets.target_ha[k]; });
    for (std::size_t k = 0; k < milestones.size(); ++k)
        columns[py::str("gap_" + std::to_string(milestones[k].first) + "_ha")] =
          column<double>(a, [k](const auto& m) { return m.targets.gap_ha[k]; });
    columns["status"] = statuses;
    for (std::size_t t = 0; t < types.size(); ++t)
        columns[py::str(types[t] + "_m")] = column<double>(a, [t](const auto& m) { return m.type_length_m[t]; });
    for (std::size_t t = 0; t < types.size(); ++t)
        columns[py::str(types[t] + "_count")] =
          column<std::int64_t>(a, [t](const auto& m) { return m.type_count[t]; });

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
    m.def("measure", &measure, py::arg("areas"), py::arg("study_area"), py::arg("mask_groups"), py::arg("masks"),
          py::arg("types"), py::arg("sources"), py::arg("milestones"), py::arg("areas_label") = "areas",
          py::arg("threads") = 0, py::arg("progress") = py::none(),
          "The engine's measurement on WKB geometries in one projected CRS in metres (see landel.measure).");
}

} // namespace landel::python

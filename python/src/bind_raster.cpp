// Raster functions on numpy arrays: exact coverage fractions of a polygon on a grid, and
// coverage-weighted class areas (zonal statistics of a categorical raster).
#include "bindings.h"

#include "landel/analysis/measurement/cell_coverage.h"
#include "landel/analysis/measurement/zonal_classes.h"
#include "landel/core/error.h"
#include "landel/geometry/ops.h"

#include <pybind11/numpy.h>
#include <pybind11/stl.h>

#include <cmath>

namespace py = pybind11;

namespace landel::python {

namespace {

/// A north-up grid from a GDAL-style geotransform (x0, dx, 0, y0, 0, -dy) and a shape.
Grid grid_of(const std::vector<double>& transform, py::ssize_t rows, py::ssize_t cols)
{
    if (transform.size() != 6)
        throw InvalidArgument("transform: expected 6 numbers (GDAL geotransform), got " +
                              std::to_string(transform.size()));
    if (transform[2] != 0.0 || transform[4] != 0.0)
        throw InvalidArgument(
          "transform: a rotated grid is not supported (terms 2 and 4 must be 0)");
    const double dx = transform[1], dy = -transform[5];
    if (!(dx > 0.0) || !(dy > 0.0) || !std::isfinite(transform[0]) || !std::isfinite(transform[3]))
        throw InvalidArgument(
          "transform: cells must have a positive width and a negative height term "
          "(a north-up grid)");
    if (rows <= 0 || cols <= 0)
        throw InvalidArgument("shape: the grid must have at least one row and one column");
    Box box;
    box.xmin = transform[0];
    box.xmax = transform[0] + double(cols) * dx;
    box.ymax = transform[3];
    box.ymin = transform[3] - double(rows) * dy;
    return Grid(box, dx, dy);
}

py::array_t<double> coverage(const py::bytes& polygon,
                             const std::vector<double>& transform,
                             std::pair<py::ssize_t, py::ssize_t> shape)
{
    const Grid grid = grid_of(transform, shape.first, shape.second);
    const std::string wkb(polygon);
    std::vector<double> fractions;
    {
        py::gil_scoped_release release;
        const geometry::GeosContext ctx;
        const geometry::GeomPtr g = geometry::polygonal_from_wkb(ctx, wkb);
        fractions = analysis::coverage_fractions(ctx, g.get(), grid);
    }
    py::array_t<double> out({ shape.first, shape.second });
    std::copy(fractions.begin(), fractions.end(), out.mutable_data());
    return out;
}

py::tuple class_areas(const py::bytes& polygon,
                      py::array_t<std::int64_t, py::array::c_style | py::array::forcecast> classes,
                      const std::vector<double>& transform,
                      std::optional<py::array_t<bool>> valid)
{
    if (classes.ndim() != 2)
        throw InvalidArgument("classes: expected a 2-D array, got " +
                              std::to_string(classes.ndim()) + " dimensions");
    const Grid grid = grid_of(transform, classes.shape(0), classes.shape(1));
    Raster<double> raster(grid);
    const std::int64_t* c = classes.data();
    for (std::size_t i = 0; i < grid.size(); ++i)
        raster.values()[i] = double(c[i]); // codes up to 2^53 are exact
    if (valid) {
        auto v = py::array_t<bool, py::array::c_style | py::array::forcecast>::ensure(*valid);
        if (!v || v.ndim() != 2 || v.shape(0) != classes.shape(0) || v.shape(1) != classes.shape(1))
            throw InvalidArgument("valid: expected a boolean array of the shape of classes");
        raster.mask().assign(v.data(), v.data() + grid.size());
    }
    const std::string wkb(polygon);
    analysis::ClassAreas areas;
    {
        py::gil_scoped_release release;
        const geometry::GeosContext ctx;
        const geometry::GeomPtr g = geometry::polygonal_from_wkb(ctx, wkb);
        areas =
          analysis::zonal_class_areas(analysis::coverage_fractions(ctx, g.get(), grid), raster);
    }
    py::dict by_class;
    for (const auto& [code, area] : areas.by_class)
        by_class[py::int_(code)] = area;
    return py::make_tuple(by_class, areas.nodata);
}

} // namespace

void bind_raster(py::module_& m)
{
    m.def("coverage_fractions",
          &coverage,
          py::arg("polygon"),
          py::arg("transform"),
          py::arg("shape"),
          "Exact fraction of every cell covered by the polygon (WKB).");
    m.def("zonal_class_areas",
          &class_areas,
          py::arg("polygon"),
          py::arg("classes"),
          py::arg("transform"),
          py::arg("valid") = py::none(),
          "(area per class code, area of invalid cells) inside the polygon (WKB), cells weighted "
          "by coverage.");
}

} // namespace landel::python

// landel._landel: the compiled half of `import landel`.
#include "bindings.h"

#include "landel/pipeline/version.h"

PYBIND11_MODULE(_landel, m)
{
    m.doc() = "landel's engine and pipeline (use the `landel` package, not this module)";
    m.attr("__version__") = landel::pipeline::version();
    landel::python::bind_errors(m);
    landel::python::bind_run(m);
    landel::python::bind_measure(m);
    landel::python::bind_raster(m);
    landel::python::bind_pieces(m);
    landel::python::bind_patch_pieces(m);
    landel::python::bind_config(m);
    landel::python::bind_init(m);
}

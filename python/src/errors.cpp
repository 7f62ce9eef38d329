// landel's C++ exceptions become Python exceptions with the same one-line messages.
#include "bindings.h"

#include "landel/core/error.h"
#include "landel/core/progress.h"
#include "landel/io/error.h"
#include "landel/pipeline/config.h"

namespace py = pybind11;

namespace landel::python {

void bind_errors(py::module_& m)
{
    // landel.Error is the base of all; the others also derive from the Python built-in a
    // caller would naturally catch (ValueError for bad values, OSError for files).
    // (PyErr_NewException takes a tuple of bases; pybind11 passes `base` through.)
    static py::exception<Error> error(m, "Error", PyExc_RuntimeError);
    const py::tuple value_bases = py::make_tuple(error, py::handle(PyExc_ValueError));
    const py::tuple os_bases = py::make_tuple(error, py::handle(PyExc_OSError));
    static py::exception<pipeline::ConfigError> config_error(m, "ConfigError", value_bases);
    static py::exception<InvalidArgument> invalid(m, "InvalidInput", value_bases);
    static py::exception<io::IoError> io_error(m, "InputOutputError", os_bases);
    static py::exception<GeometryError> geometry_error(m, "GeometryError", error.ptr());
    static py::exception<Cancelled> cancelled(m, "Cancelled", error.ptr());
    // Shown as landel.ConfigError (not landel._landel.ConfigError) in tracebacks.
    for (const char* name : { "Error",
                              "ConfigError",
                              "InvalidInput",
                              "InputOutputError",
                              "GeometryError",
                              "Cancelled" })
        m.attr(name).attr("__module__") = "landel";
    py::register_exception_translator([](std::exception_ptr p) {
        try {
            if (p)
                std::rethrow_exception(p);
        } catch (const pipeline::ConfigError& e) {
            config_error(e.what());
        } catch (const InvalidArgument& e) {
            invalid(e.what());
        } catch (const io::IoError& e) {
            io_error(e.what());
        } catch (const GeometryError& e) {
            geometry_error(e.what());
        } catch (const Error& e) {
            error(e.what());
        } catch (const Cancelled& e) {
            cancelled("stopped by the progress callback");
        }
    });
}

} // namespace landel::python

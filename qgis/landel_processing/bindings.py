"""landel's Python bindings (`import landel`), found or explained.

The plugin holds no engine of its own: every algorithm calls the `landel` package that the
landel build installs (docs/python.md). When QGIS' Python cannot import it, each algorithm
fails with one line that says so and how to fix it, and the provider's name says it too."""

from qgis.core import QgsProcessingException

MISSING = ("landel's Python bindings are not installed for QGIS' Python ({reason}): install landel "
           "(cmake --install build, or Debian's package) or put its build's python folder on "
           "PYTHONPATH before starting QGIS; see docs/qgis.md")


def landel():
    """The landel module, or QgsProcessingException saying it is missing."""
    try:
        import landel as module
    except ImportError as e:
        raise QgsProcessingException(MISSING.format(reason=e)) from None
    return module


def version():
    """landel's version, or None when the bindings cannot be imported."""
    try:
        import landel as module
    except ImportError:
        return None
    return module.__version__

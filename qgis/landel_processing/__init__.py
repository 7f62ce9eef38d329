"""landel in QGIS: a Processing provider whose algorithms call landel's Python bindings."""


def classFactory(iface):  # noqa: N802 - the name QGIS looks for
    from .plugin import LandelPlugin
    return LandelPlugin(iface)

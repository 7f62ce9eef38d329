"""The plugin object QGIS creates: it adds landel's Processing provider and nothing else (no
menus, no toolbars), so it works the same in QGIS desktop and headless (qgis_process)."""

from qgis.core import QgsApplication

from .provider import LandelProvider


class LandelPlugin:
    def __init__(self, iface):
        self.iface = iface
        self.provider = None

    def initProcessing(self):  # noqa: N802 - QGIS' name
        if self.provider is None:
            self.provider = LandelProvider()
            QgsApplication.processingRegistry().addProvider(self.provider)

    def initGui(self):  # noqa: N802 - QGIS' name
        self.initProcessing()

    def unload(self):
        if self.provider is not None:
            QgsApplication.processingRegistry().removeProvider(self.provider)
            self.provider = None

"""Run a landel config: `landel run CONFIG --out OUTPUT` from the toolbox."""

from qgis.core import QgsProcessingParameterFile

from ..landel_algorithm import LandelAlgorithm


class RunConfig(LandelAlgorithm):
    CONFIG = "CONFIG"

    def name(self):
        return "run"

    def displayName(self):  # noqa: N802 - QGIS' name
        return "Run a landel config"

    def shortHelpString(self):  # noqa: N802 - QGIS' name
        return ("Runs a landel config (TOML, docs/configuration.md) like `landel run`: measures every "
                "area, makes the area bid and writes all outputs (area_bid.csv, areas.gpkg, the "
                "workbook, maps, report.html, landel.qgs) into the output folder. The study area, "
                "elements and areas open styled.")

    def initAlgorithm(self, config=None):  # noqa: N802 - QGIS' name
        self.addParameter(QgsProcessingParameterFile(self.CONFIG, "landel config", extension="toml"))
        self.add_output_parameters()

    def processAlgorithm(self, parameters, context, feedback):  # noqa: N802 - QGIS' name
        config = self.parameterAsFile(parameters, self.CONFIG, context)
        out = self.output_folder(parameters, context)
        overwrite = self.parameterAsBool(parameters, self.OVERWRITE, context)
        result = self.call_landel("run", feedback, config, out, overwrite=overwrite)
        return self.outputs(result, context, feedback)

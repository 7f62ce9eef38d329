"""The area bid from an earlier run: `landel bid CONFIG --from RUN --out OUTPUT`."""

from qgis.core import QgsProcessingParameterFile

from ..landel_algorithm import LandelAlgorithm


class AreaBid(LandelAlgorithm):
    CONFIG = "CONFIG"
    RUN = "RUN"

    def name(self):
        return "bid"

    def displayName(self):  # noqa: N802 - QGIS' name
        return "Area bid from an earlier run"

    def shortHelpString(self):  # noqa: N802 - QGIS' name
        return ("Makes the area bid again from the output folder of an earlier run, like `landel bid`, "
                "without measuring: with a changed [bid] section (offers, mix, costs, phasing) of "
                "the config. Writes area_bid.csv, the workbook, areas.gpkg and landel.qgs.")

    def initAlgorithm(self, config=None):  # noqa: N802 - QGIS' name
        self.addParameter(QgsProcessingParameterFile(self.CONFIG, "landel config", extension="toml"))
        self.addParameter(QgsProcessingParameterFile(
            self.RUN, "Output folder of the earlier run", behavior=QgsProcessingParameterFile.Folder))
        self.add_output_parameters()

    def processAlgorithm(self, parameters, context, feedback):  # noqa: N802 - QGIS' name
        config = self.parameterAsFile(parameters, self.CONFIG, context)
        run = self.parameterAsFile(parameters, self.RUN, context)
        out = self.output_folder(parameters, context)
        overwrite = self.parameterAsBool(parameters, self.OVERWRITE, context)
        result = self.call_landel("bid", feedback, config, run, out, overwrite=overwrite)
        return self.outputs(result, context, feedback)

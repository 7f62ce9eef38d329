"""Compare runs: `landel compare RUN_A RUN_B ... --out OUTPUT` (docs/monitoring.md), the change
between runs of different measurement years and each area's path to the targets."""

from qgis.core import (QgsProcessingException, QgsProcessingParameterEnum, QgsProcessingParameterFile,
                       QgsProcessingParameterNumber)

from ..landel_algorithm import LandelAlgorithm


class CompareRuns(LandelAlgorithm):
    RUNS = ["RUN_1", "RUN_2", "RUN_3", "RUN_4"]
    TOLERANCE_M = "TOLERANCE_M"
    BASELINE_YEAR = "BASELINE_YEAR"
    LANGUAGE = "LANGUAGE"
    LANGUAGES = ["en", "nl"]

    def name(self):
        return "compare"

    def displayName(self):  # noqa: N802 - QGIS' name
        return "Compare runs"

    def shortHelpString(self):  # noqa: N802 - QGIS' name
        return ("Compares the output folders of two to four earlier runs of the same areas in different "
                "measurement years, like `landel compare`: element land gained, lost, of another type "
                "or taken by new masks, per area and type, and each area's path to the targets. "
                "Redigitising noise thinner than the tolerance is not counted as change. Writes "
                "change.csv, trajectory.csv, change.gpkg, maps and a report; the change layers open "
                "styled.")

    def initAlgorithm(self, config=None):  # noqa: N802 - QGIS' name
        for k, key in enumerate(self.RUNS):
            self.addParameter(QgsProcessingParameterFile(
                key, f"Run {k + 1}: output folder", behavior=QgsProcessingParameterFile.Folder, optional=k >= 2))
        self.addParameter(QgsProcessingParameterNumber(
            self.TOLERANCE_M, "Tolerance (m): thinner changes along the other year's elements are noise",
            QgsProcessingParameterNumber.Double, defaultValue=0.5, minValue=0))
        self.addParameter(QgsProcessingParameterNumber(
            self.BASELINE_YEAR, "Baseline year (default: the recorded baseline, else the earliest run)",
            QgsProcessingParameterNumber.Integer, optional=True))
        self.addParameter(QgsProcessingParameterEnum(self.LANGUAGE, "Language of the report, maps and workbook",
                                                     options=self.LANGUAGES, defaultValue=0))
        self.add_output_parameters()

    def processAlgorithm(self, parameters, context, feedback):  # noqa: N802 - QGIS' name
        runs = [self.parameterAsFile(parameters, key, context) for key in self.RUNS]
        runs = [r for r in runs if r]
        if len(runs) < 2:
            raise QgsProcessingException("Compare needs the output folders of at least two runs")
        baseline = None
        if parameters.get(self.BASELINE_YEAR) not in (None, ""):
            baseline = self.parameterAsInt(parameters, self.BASELINE_YEAR, context)
        out = self.output_folder(parameters, context)
        result = self.call_landel(
            "compare", feedback, runs, out,
            tolerance_m=self.parameterAsDouble(parameters, self.TOLERANCE_M, context),
            baseline_year=baseline,
            language=self.LANGUAGES[self.parameterAsEnum(parameters, self.LANGUAGE, context)],
            overwrite=self.parameterAsBool(parameters, self.OVERWRITE, context))
        return self.outputs(result, context, feedback, gpkg="change.gpkg",
                            layers=("gained", "lost", "reclassified", "realigned"))

"""What every landel algorithm shares: calling a landel job through the bindings with the
feedback's progress and cancel, landel's one-line errors as Processing errors, landel's
warnings in the log, and the outputs opened in the project with their stored styles."""

import os

from qgis.core import (QgsProcessingAlgorithm, QgsProcessingException, QgsProcessingOutputFolder,
                       QgsProcessingParameterBoolean, QgsProcessingParameterFolderDestination)

from . import bindings
from .output_layers import load_output_layers


class LandelAlgorithm(QgsProcessingAlgorithm):
    OUTPUT = "OUTPUT"
    OVERWRITE = "OVERWRITE"

    def group(self):
        return ""

    def groupId(self):  # noqa: N802 - QGIS' name
        return ""

    def createInstance(self):  # noqa: N802 - QGIS' name
        return type(self)()

    # -------------------------------------------------------------- parameters all share
    def add_output_parameters(self, description="Output folder"):
        self.addParameter(QgsProcessingParameterFolderDestination(self.OUTPUT, description))
        self.addParameter(QgsProcessingParameterBoolean(
            self.OVERWRITE, "Replace the output folder when it exists", defaultValue=False))
        self.addOutput(QgsProcessingOutputFolder(self.OUTPUT, description))

    def output_folder(self, parameters, context):
        """The output folder landel writes (it must not exist: landel writes beside it and
        renames it into place when complete). Processing creates an empty temporary folder
        for a temporary output; an empty folder is no output and is left to landel."""
        folder = self.parameterAsString(parameters, self.OUTPUT, context)
        if os.path.isdir(folder) and not os.listdir(folder):
            os.rmdir(folder)
        return folder

    # -------------------------------------------------------------- the landel call
    def call_landel(self, job, feedback, *args, **kwargs):
        """landel.<job>(*args, **kwargs, progress=...) with the feedback's progress and cancel;
        landel's errors become QgsProcessingException with landel's own one-line message."""
        landel = bindings.landel()
        stage = [None]

        def progress(fraction, what):
            feedback.setProgress(100.0 * fraction)
            if what != stage[0]:
                stage[0] = what
                feedback.setProgressText(what)
            return not feedback.isCanceled()

        try:
            result = getattr(landel, job)(*args, progress=progress, **kwargs)
        except landel.Cancelled:
            raise QgsProcessingException("landel: cancelled; no output was written") from None
        except landel.Error as e:
            raise QgsProcessingException(str(e)) from None
        for warning in result.warnings:
            feedback.pushWarning(warning)
        return result

    def outputs(self, result, context, feedback, gpkg="areas.gpkg", layers=("study_area", "elements", "areas")):
        """The result's folder as OUTPUT, and @p layers of its @p gpkg opened in the project
        when the algorithm finishes (styled, the first on top)."""
        load_output_layers(result.output / gpkg, layers, context)
        feedback.pushInfo(f"landel wrote {result.output}")
        return {self.OUTPUT: str(result.output)}

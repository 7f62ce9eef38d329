"""Delineate areas: an overlay of physical-geographic layers or the catchments of a DEM, as
`landel delineate` makes them (docs/delineation.md)."""

from qgis.core import (QgsProcessing, QgsProcessingException, QgsProcessingParameterEnum,
                       QgsProcessingParameterMultipleLayers, QgsProcessingParameterNumber,
                       QgsProcessingParameterRasterLayer, QgsProcessingParameterString,
                       QgsProcessingParameterVectorLayer)

from ..landel_algorithm import LandelAlgorithm
from ..layer_sources import raster_source, run_crs, vector_source


class Delineate(LandelAlgorithm):
    METHOD = "METHOD"
    LAYERS = "LAYERS"
    CLASS_FIELDS = "CLASS_FIELDS"
    STUDY_AREA = "STUDY_AREA"
    DEM = "DEM"
    MIN_AREA_HA = "MIN_AREA_HA"
    MIN_CATCHMENT_HA = "MIN_CATCHMENT_HA"
    Z_FACTOR = "Z_FACTOR"
    METHODS = ["overlay", "catchments"]

    def name(self):
        return "delineate"

    def displayName(self):  # noqa: N802 - QGIS' name
        return "Delineate areas"

    def shortHelpString(self):  # noqa: N802 - QGIS' name
        return ("Makes areas like `landel delineate` (docs/delineation.md). Overlay: the polygon "
                "layers are intersected, each classified by its attribute (Class fields: one name "
                "per layer, in the order of the layers, separated by commas), and parts smaller "
                "than the minimum area merge into a neighbour. Catchments: the basins of the "
                "elevation model, a stream starting where the minimum catchment drains, small "
                "basins merged downstream. Writes areas.gpkg (layer areas, categorised by class).")

    def initAlgorithm(self, config=None):  # noqa: N802 - QGIS' name
        self.addParameter(QgsProcessingParameterEnum(self.METHOD, "Method", options=self.METHODS,
                                                     defaultValue=0))
        self.addParameter(QgsProcessingParameterMultipleLayers(
            self.LAYERS, "Overlay: polygon layers", QgsProcessing.TypeVectorPolygon, optional=True))
        self.addParameter(QgsProcessingParameterString(
            self.CLASS_FIELDS, "Overlay: the class field of each layer (comma-separated)", optional=True))
        self.addParameter(QgsProcessingParameterVectorLayer(
            self.STUDY_AREA, "Study area (default: the union of the layers or the DEM's extent)",
            [QgsProcessing.TypeVectorPolygon], optional=True))
        self.addParameter(QgsProcessingParameterRasterLayer(self.DEM, "Catchments: elevation model",
                                                            optional=True))
        self.addParameter(QgsProcessingParameterNumber(
            self.MIN_CATCHMENT_HA, "Catchments: a stream starts where this much land drains (ha)",
            QgsProcessingParameterNumber.Double, defaultValue=200, minValue=0))
        self.addParameter(QgsProcessingParameterNumber(
            self.Z_FACTOR, "Catchments: elevations times (AHN in cm: 0.01)",
            QgsProcessingParameterNumber.Double, defaultValue=1, minValue=0))
        self.addParameter(QgsProcessingParameterNumber(
            self.MIN_AREA_HA, "Smallest area (ha); smaller parts merge", QgsProcessingParameterNumber.Double,
            defaultValue=25, minValue=0))
        self.add_output_parameters()

    def processAlgorithm(self, parameters, context, feedback):  # noqa: N802 - QGIS' name
        method = self.METHODS[self.parameterAsEnum(parameters, self.METHOD, context)]
        areas = {"method": method, "min_area_ha": self.parameterAsDouble(parameters, self.MIN_AREA_HA, context)}
        if method == "overlay":
            layers = self.parameterAsLayerList(parameters, self.LAYERS, context)
            text = self.parameterAsString(parameters, self.CLASS_FIELDS, context)
            fields = [f.strip() for f in text.split(",")] if text.strip() else []
            if not layers:
                raise QgsProcessingException("Overlay needs one or more polygon layers (LAYERS)")
            if len(fields) != len(layers):
                raise QgsProcessingException(
                    f"CLASS_FIELDS: give one class field per overlay layer ({len(layers)} layers, "
                    f"{len(fields)} fields)")
            areas["layers"] = [dict(vector_source(layer, context, feedback), field=field)
                               for layer, field in zip(layers, fields)]
            crs = run_crs(layers[0])
        else:
            dem = self.parameterAsRasterLayer(parameters, self.DEM, context)
            if dem is None:
                raise QgsProcessingException("Catchments need an elevation model (DEM)")
            areas["dem"] = dict(raster_source(dem),
                                min_catchment_ha=self.parameterAsDouble(parameters, self.MIN_CATCHMENT_HA, context),
                                z_factor=self.parameterAsDouble(parameters, self.Z_FACTOR, context))
            crs = run_crs(dem)
        config = {"run": {"name": "QGIS delineation", "crs": crs}, "areas": areas}
        study_area = self.parameterAsVectorLayer(parameters, self.STUDY_AREA, context)
        if study_area is not None:
            config["study_area"] = vector_source(study_area, context, feedback)
        out = self.output_folder(parameters, context)
        overwrite = self.parameterAsBool(parameters, self.OVERWRITE, context)
        result = self.call_landel("delineate", feedback, config, out, overwrite=overwrite)
        return self.outputs(result, context, feedback, layers=("areas",))

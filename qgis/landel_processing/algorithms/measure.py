"""Measure: the project's layers measured as `landel run` measures a config's sources — the
areas, element layers each with its type and width, and masks taken out of the rural land;
or a BGT download read through the bgt preset (docs/presets.md)."""

from qgis.core import (QgsProcessing, QgsProcessingException, QgsProcessingParameterEnum,
                       QgsProcessingParameterField,
                       QgsProcessingParameterFile, QgsProcessingParameterMultipleLayers,
                       QgsProcessingParameterNumber, QgsProcessingParameterString,
                       QgsProcessingParameterVectorLayer)

from ..landel_algorithm import LandelAlgorithm
from ..layer_sources import run_crs, vector_source


def _listed(text):
    """A comma-separated list; entries may be empty ("2, , 5")."""
    return [part.strip() for part in text.split(",")] if text.strip() else []


class Measure(LandelAlgorithm):
    AREAS = "AREAS"
    ID_FIELD = "ID_FIELD"
    NAME_FIELD = "NAME_FIELD"
    ELEMENTS = "ELEMENTS"
    TYPES = "TYPES"
    WIDTHS_M = "WIDTHS_M"
    MASKS = "MASKS"
    BGT = "BGT"
    YEAR = "YEAR"
    LANGUAGE = "LANGUAGE"
    LANGUAGES = ["en", "nl"]

    def name(self):
        return "measure"

    def displayName(self):  # noqa: N802 - QGIS' name
        return "Measure landscape elements per area"

    def shortHelpString(self):  # noqa: N802 - QGIS' name
        return ("Measures the exact element share of each area's rural land, like `landel run` on a "
                "config made of these layers, and writes all of landel's outputs.\n\n"
                "Element layers: each with its type (Types: one landel type per layer, in the order "
                "of the layers, separated by commas, e.g. hedge, small_wood, pond) and, for lines and "
                "points, a width in metres (Widths: one per layer, empty for polygon layers). A "
                "layer's filter (subset string) is kept. Masks: polygon layers taken out of the rural "
                "land (built-up land, roads, nature network). BGT download: a BGT zip or GeoPackage "
                "from PDOK read through landel's bgt preset, instead of or besides element layers.")

    def initAlgorithm(self, config=None):  # noqa: N802 - QGIS' name
        self.addParameter(QgsProcessingParameterVectorLayer(self.AREAS, "Areas", [QgsProcessing.TypeVectorPolygon]))
        self.addParameter(QgsProcessingParameterField(self.ID_FIELD, "Area id field", parentLayerParameterName=self.AREAS,
                                                      optional=True))
        self.addParameter(QgsProcessingParameterField(self.NAME_FIELD, "Area name field",
                                                      parentLayerParameterName=self.AREAS, optional=True))
        self.addParameter(QgsProcessingParameterMultipleLayers(self.ELEMENTS, "Element layers",
                                                               QgsProcessing.TypeVectorAnyGeometry, optional=True))
        self.addParameter(QgsProcessingParameterString(self.TYPES, "Types of the element layers (comma-separated)",
                                                       optional=True))
        self.addParameter(QgsProcessingParameterString(
            self.WIDTHS_M, "Widths of the element layers in m (comma-separated; empty for polygons)", optional=True))
        self.addParameter(QgsProcessingParameterMultipleLayers(self.MASKS, "Masks: land that is not rural",
                                                               QgsProcessing.TypeVectorPolygon, optional=True))
        self.addParameter(QgsProcessingParameterFile(self.BGT, "BGT download (zip or GeoPackage, bgt preset)",
                                                     optional=True, fileFilter="BGT download (*.zip *.gpkg)"))
        self.addParameter(QgsProcessingParameterNumber(self.YEAR, "Measurement year (the year the data describe)",
                                                       QgsProcessingParameterNumber.Integer, optional=True,
                                                       minValue=1900, maxValue=2100))
        self.addParameter(QgsProcessingParameterEnum(self.LANGUAGE, "Language of the report, maps and workbook",
                                                     options=self.LANGUAGES, defaultValue=0))
        self.add_output_parameters()

    def processAlgorithm(self, parameters, context, feedback):  # noqa: N802 - QGIS' name
        config = self.config(parameters, context, feedback)
        out = self.output_folder(parameters, context)
        overwrite = self.parameterAsBool(parameters, self.OVERWRITE, context)
        result = self.call_landel("run", feedback, config, out, overwrite=overwrite)
        return self.outputs(result, context, feedback)

    def config(self, parameters, context, feedback):
        """The landel config (a dict, as landel.run takes it) these parameters describe."""
        areas = self.parameterAsVectorLayer(parameters, self.AREAS, context)
        area_layer = vector_source(areas, context, feedback)
        for key, parameter in (("id_field", self.ID_FIELD), ("name_field", self.NAME_FIELD)):
            field = self.parameterAsString(parameters, parameter, context)
            if field:
                area_layer[key] = field
        run = {"name": areas.name(), "crs": run_crs(areas)}
        if parameters.get(self.YEAR) not in (None, ""):
            run["measurement_year"] = self.parameterAsInt(parameters, self.YEAR, context)
        config = {"run": run, "areas": {"method": "given", "layers": [area_layer]}}
        elements = self.element_sources(parameters, context, feedback)
        if elements:
            config["elements"] = elements
        bgt = self.parameterAsFile(parameters, self.BGT, context)
        if bgt:
            config["dataset"] = {"preset": "bgt", "path": bgt}
        if not elements and not bgt:
            raise QgsProcessingException("Give element layers (ELEMENTS with their TYPES) or a BGT download (BGT)")
        masks = self.parameterAsLayerList(parameters, self.MASKS, context)
        if masks:
            config["rural"] = {"exclude": [vector_source(m, context, feedback) for m in masks]}
        config["render"] = {"language": self.LANGUAGES[self.parameterAsEnum(parameters, self.LANGUAGE, context)]}
        return config

    def element_sources(self, parameters, context, feedback):
        layers = self.parameterAsLayerList(parameters, self.ELEMENTS, context)
        types = _listed(self.parameterAsString(parameters, self.TYPES, context))
        widths = _listed(self.parameterAsString(parameters, self.WIDTHS_M, context))
        if len(types) != len(layers):
            raise QgsProcessingException(
                f"TYPES: give one landel type per element layer ({len(layers)} layers, {len(types)} types)")
        if widths and len(widths) != len(layers):
            raise QgsProcessingException(
                f"WIDTHS_M: give one width per element layer, empty for polygons ({len(layers)} layers, "
                f"{len(widths)} widths)")
        sources = []
        for k, layer in enumerate(layers):
            source = dict(vector_source(layer, context, feedback), type=types[k])
            if widths and widths[k]:
                try:
                    source["width_m"] = float(widths[k])
                except ValueError:
                    raise QgsProcessingException(
                        f"WIDTHS_M: '{widths[k]}' (layer {layer.name()}) is not a number of metres") from None
            sources.append(source)
        return sources

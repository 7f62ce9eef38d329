"""The project's layers as the source keys of a landel config (docs/configuration.md,
"Source keys"): a file layer by its path, layer name and filter (QGIS' subset string becomes
`where`); a layer that is not a file landel can open (a memory, PostGIS or WFS layer) is
written once to a GeoPackage in Processing's temporary folder first."""

import os

from qgis.core import (QgsProcessingException, QgsProcessingUtils, QgsProviderRegistry, QgsVectorFileWriter)


def vector_source(layer, context, feedback):
    if layer.providerType() == "ogr":
        parts = QgsProviderRegistry.instance().decodeUri("ogr", layer.source())
        path = parts.get("path", "")
        if os.path.isfile(path) or os.path.isdir(path):
            source = {"path": path}
            if parts.get("layerName"):
                source["layer"] = parts["layerName"]
            elif parts.get("layerId") is not None and str(parts["layerId"]) not in ("", "0"):
                raise QgsProcessingException(
                    f"{layer.name()}: landel names layers, not their numbers; open '{path}' by layer name")
            if layer.subsetString():
                source["where"] = layer.subsetString()
            return source
    return _written_to_geopackage(layer, context, feedback)


def _written_to_geopackage(layer, context, feedback):
    path = QgsProcessingUtils.generateTempFilename(f"{layer.id()}.gpkg")
    options = QgsVectorFileWriter.SaveVectorOptions()
    options.driverName = "GPKG"
    options.layerName = "features"
    error, message, _, _ = QgsVectorFileWriter.writeAsVectorFormatV3(
        layer, path, context.transformContext(), options)
    if error != QgsVectorFileWriter.NoError:
        raise QgsProcessingException(f"{layer.name()}: cannot write it for landel to read: {message}")
    feedback.pushInfo(f"{layer.name()} is not a file landel can open; written to {path}")
    return {"path": path, "layer": "features"}


def raster_source(layer):
    path = layer.source()
    if layer.providerType() != "gdal" or not os.path.isfile(path):
        raise QgsProcessingException(f"{layer.name()}: landel reads rasters from files; '{path}' is not one")
    return {"path": path}


def run_crs(layer):
    """The config's run.crs for a layer's CRS: its authority id, else its WKT."""
    crs = layer.crs()
    return crs.authid() or crs.toWkt()

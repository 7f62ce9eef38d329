"""Opens a landel output folder with PyQGIS, headless, and prints what QGIS sees as JSON:
per layer of areas.gpkg its validity, renderer type and class count; landel.qgs's layers;
and the distinct colours of the areas layer rendered to a PNG.

Run in its own process (QGIS must own the Qt application): /usr/bin/python3 qgis_check.py OUT PNG
"""

import json
import os
import sys

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from qgis.core import (QgsApplication, QgsMapRendererParallelJob, QgsMapSettings,  # noqa: E402
                       QgsProject, QgsVectorLayer)
from qgis.PyQt.QtCore import QSize  # noqa: E402
from qgis.PyQt.QtGui import QColor  # noqa: E402


def main(out, png):
    app = QgsApplication([], False)
    app.initQgis()
    report = {"layers": {}, "project": []}
    for name in ("areas", "elements", "study_area", "rural_land"):
        layer = QgsVectorLayer(f"{out}/areas.gpkg|layername={name}", name, "ogr")
        r = layer.renderer()
        entry = {"valid": layer.isValid(), "renderer": r.type() if r else None,
                 "labels": layer.labelsEnabled()}
        if r and r.type() == "graduatedSymbol":
            entry["classes"] = [[x.lowerValue(), x.upperValue(), x.label()] for x in r.ranges()]
        if r and r.type() == "categorizedSymbol":
            entry["classes"] = [c.value() for c in r.categories()]
        report["layers"][name] = entry
    project = QgsProject.instance()
    report["project_read"] = project.read(f"{out}/landel.qgs")
    for layer in project.mapLayers().values():
        renderer = layer.renderer() if hasattr(layer, "renderer") else None
        report["project"].append({"name": layer.name(), "valid": layer.isValid(),
                                  "source": layer.source(),
                                  "renderer": renderer.type() if renderer else None})
    areas = QgsVectorLayer(f"{out}/areas.gpkg|layername=areas", "areas", "ogr")
    settings = QgsMapSettings()
    settings.setLayers([areas])
    settings.setExtent(areas.extent())
    settings.setOutputSize(QSize(800, 600))
    settings.setBackgroundColor(QColor(255, 255, 255))
    job = QgsMapRendererParallelJob(settings)
    job.start()
    job.waitForFinished()
    image = job.renderedImage()
    image.save(png)
    report["png_size"] = [image.width(), image.height()]
    report["png_colours"] = len({image.pixel(x, y) for x in range(0, 800, 5) for y in range(0, 600, 5)})
    print(json.dumps(report), flush=True)
    # QGIS 3.22 can crash while tearing down a loaded project; what was to be seen is printed.
    project.clear()
    os._exit(0)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])

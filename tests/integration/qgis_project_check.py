"""Opens landel.qgs with PyQGIS, headless, the way a QGIS user meets it, and prints as JSON
what QGIS sees and draws:

- the layer tree: every node's name, layer id, whether it resolves to a loaded layer, checked;
- checkedLayers() and the tree's drawing order;
- the same after QGIS itself writes the project again and reads its own file (the structure
  QGIS writes, to compare against);
- the default view extent;
- for one area: a render of the tree's checked layers (QgsMapRendererParallelJob, the tree's
  order, labels off so that they hide nothing) with, per element type, the colour drawn at a
  point well inside one of its elements next to the colour of its category, and the colour
  drawn on the area's land without elements next to the colour of the area's class.

Run in its own process (QGIS must own the Qt application):
/usr/bin/python3 qgis_project_check.py OUT PNG AREA_ID
"""

import json
import os
import sys

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from qgis.core import (QgsApplication, QgsFeatureRequest, QgsMapRendererParallelJob,  # noqa: E402
                       QgsMapSettings, QgsPointXY, QgsProject, QgsRenderContext)
from qgis.PyQt.QtCore import QSize  # noqa: E402
from qgis.PyQt.QtGui import QColor  # noqa: E402

SIZE = 1000


def tree(project):
    root = project.layerTreeRoot()
    return {
        "nodes": [{"name": n.name(), "id": n.layerId(), "resolves": n.layer() is not None,
                   "checked": n.isVisible()} for n in root.findLayers()],
        "checked": [layer.name() if layer else None for layer in root.checkedLayers()],
        "order": [layer.name() for layer in root.layerOrder()],
    }


def rgba(colour):
    return [colour.red(), colour.green(), colour.blue(), colour.alpha()]


def layer_by_table(project, table):
    for layer in project.mapLayers().values():
        if layer.source().endswith(f"layername={table}"):
            return layer
    raise SystemExit(f"no layer of table {table}")


def inner_point(geometry, margin):
    """A point at least margin inside the geometry, or None when it is thinner than that."""
    shrunk = geometry.buffer(-margin, 8)
    if shrunk.isEmpty():
        return None
    return shrunk.pointOnSurface().asPoint()


def render_area(project, area_id, png):
    areas = layer_by_table(project, "areas")
    elements = layer_by_table(project, "elements")
    area = next(areas.getFeatures(QgsFeatureRequest().setFilterExpression(f"\"area_id\" = '{area_id}'")))
    settings = QgsMapSettings()
    settings.setLayers(project.layerTreeRoot().checkedLayers())  # first = drawn last
    settings.setDestinationCrs(areas.crs())
    settings.setExtent(area.geometry().boundingBox().buffered(20))
    settings.setOutputSize(QSize(SIZE, SIZE))
    settings.setBackgroundColor(QColor(255, 255, 255))
    settings.setFlag(QgsMapSettings.DrawLabeling, False)
    job = QgsMapRendererParallelJob(settings)
    job.start()
    job.waitForFinished()
    image = job.renderedImage()
    image.save(png)
    to_pixel = settings.mapToPixel()
    pixel_m = settings.mapUnitsPerPixel()

    def drawn(point):
        p = to_pixel.transform(QgsPointXY(point))
        return rgba(QColor(image.pixel(int(p.x()), int(p.y()))))

    context = QgsRenderContext.fromMapSettings(settings)
    renderer = elements.renderer().clone()
    renderer.startRender(context, elements.fields())
    seen = {}
    request = QgsFeatureRequest().setFilterExpression(f"\"area_id\" = '{area_id}'")
    for feature in elements.getFeatures(request):
        point = inner_point(feature.geometry(), 3 * pixel_m)
        if point is None or feature["type"] in seen:
            continue
        symbol = renderer.symbolForFeature(feature, context)
        seen[feature["type"]] = {"drawn": drawn(point), "legend": rgba(symbol.color())}
    renderer.stopRender(context)

    # Land of the area without elements: the area shrunk away from its outline, minus every
    # element grown by a few pixels.
    land = area.geometry().buffer(-10 * pixel_m, 8)
    for feature in elements.getFeatures(request):
        land = land.difference(feature.geometry().buffer(4 * pixel_m, 8))
    point = inner_point(land, 4 * pixel_m)
    area_renderer = areas.renderer().clone()
    area_renderer.startRender(context, areas.fields())
    class_colour = area_renderer.symbolForFeature(area, context).color()
    area_renderer.stopRender(context)
    return {"elements": seen,
            "land": {"drawn": drawn(point) if point else None, "class": rgba(class_colour),
                     "opacity": areas.opacity()},
            "size": [image.width(), image.height()]}


def main(out, png, area_id):
    app = QgsApplication([], False)
    app.initQgis()
    project = QgsProject.instance()
    report = {"read": project.read(f"{out}/landel.qgs"), "tree": tree(project)}
    view = project.viewSettings().defaultViewExtent()
    report["view"] = [view.xMinimum(), view.yMinimum(), view.xMaximum(), view.yMaximum()]
    report["render"] = render_area(project, area_id, png)
    # The structure QGIS writes: QGIS writes the project it read and reads its own file.
    rewritten = f"{os.path.dirname(png)}/qgis_rewritten.qgs"
    project.write(rewritten)
    again = QgsProject()
    again.read(rewritten)
    report["rewritten_tree"] = tree(again)
    print(json.dumps(report), flush=True)
    # QGIS 3.22 can crash while tearing down a loaded project; what was to be seen is printed.
    os._exit(0)


if __name__ == "__main__":
    main(*sys.argv[1:4])

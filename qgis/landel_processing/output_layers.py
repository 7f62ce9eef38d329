"""landel's output layers opened in the project when an algorithm finishes, as landel.qgs
opens them: with the default style stored in the GeoPackage (layer_styles) and in landel's
order, the first layer named on top (the study area's outline, then the elements above the
areas' half-transparent share classes, so that no element is hidden)."""

from qgis.core import QgsProcessingContext, QgsProcessingLayerPostProcessorInterface

# The names landel.qgs gives them.
NAMES = {"study_area": "Study area", "elements": "Landscape elements", "areas": "Areas: element share",
         "rural_land": "Rural land", "gained": "Gained", "lost": "Lost", "reclassified": "Reclassified",
         "realigned": "Realigned"}

# Processing calls a post-processor after the algorithm has returned, and holds only a C++
# pointer to it: the Python objects are kept here until then.
_KEEP_ALIVE = []


class _StyledInOrder(QgsProcessingLayerPostProcessorInterface):
    def __init__(self, rank, placed):
        super().__init__()
        self.rank = rank
        self.placed = placed  # [(rank, layer id)] of this run's layers placed so far

    def postProcessLayer(self, layer, context, feedback):  # noqa: N802 - QGIS' name
        # Processing opens result layers without their stored style; load it.
        layer.loadDefaultStyle()
        layer.triggerRepaint()
        project = context.project()
        node = project.layerTreeRoot().findLayer(layer.id()) if project else None
        if node is not None:
            parent = node.parent()
            children = parent.children()
            below = [children.index(n) for n in (project.layerTreeRoot().findLayer(i)
                                                 for r, i in self.placed if r > self.rank)
                     if n is not None and n.parent() is parent]
            if below and children.index(node) > min(below):
                parent.insertChildNode(min(below), node.clone())
                parent.removeChildNode(node)
        self.placed.append((self.rank, layer.id()))


def load_output_layers(gpkg, layers, context):
    """Asks Processing to open @p layers of @p gpkg when the algorithm finishes, the first of
    @p layers on top."""
    placed = []
    for rank, table in enumerate(layers):
        uri = f"{gpkg}|layername={table}"
        details = QgsProcessingContext.LayerDetails(NAMES.get(table, table), context.project(), table)
        processor = _StyledInOrder(rank, placed)
        _KEEP_ALIVE.append(processor)
        details.setPostProcessor(processor)
        context.addLayerToLoadOnCompletion(uri, details)

"""landel's Processing provider: the algorithms under "landel" in the Processing toolbox."""

from qgis.core import QgsProcessingProvider

from . import bindings
from .algorithms.area_bid import AreaBid
from .algorithms.compare_runs import CompareRuns
from .algorithms.delineate import Delineate
from .algorithms.measure import Measure
from .algorithms.run_config import RunConfig


class LandelProvider(QgsProcessingProvider):
    def id(self):
        return "landel"

    def name(self):
        return "landel"

    def longName(self):  # noqa: N802 - QGIS' name
        # The toolbox shows it: a user sees at once whether the bindings were found.
        version = bindings.version()
        return f"landel {version}" if version else "landel (Python bindings not installed)"

    def loadAlgorithms(self):  # noqa: N802 - QGIS' name
        for algorithm in (RunConfig(), Measure(), Delineate(), AreaBid(), CompareRuns()):
            self.addAlgorithm(algorithm)

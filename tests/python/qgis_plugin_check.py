"""Installs the landel QGIS plugin zip into a clean QGIS profile folder and exercises it
headless through Processing, printing what it sees as JSON (one line, last on stdout).

/usr/bin/python3 qgis_plugin_check.py ZIP PROFILE WORK SAMPLE_DIR

- the zip is unpacked into PROFILE/python/plugins as "Install from ZIP" does, and the plugin is
  loaded from there the way QGIS loads a profile's plugins (qgis.utils);
- `algorithms`: the ids QgsApplication.processingRegistry() lists for the provider;
- `run`, `measure`: processing.run("landel:run"/"landel:measure") on the sample into WORK;
- `cancel`: landel:run with a feedback that cancels at the first progress;
- `bad`: landel:run of a config whose areas file is missing;
- `loaded`: processing.runAndLoadResults("landel:run"): the project's layer tree afterwards;
- `bid`: landel:bid from the `run` output; `compare`: landel:compare of `run` and a run of the
  same config measured as 2020; `delineate`: landel:delineate, an overlay of fysisch.gpkg's
  fgr (regio) and bodem (bodemtype) layers with areas of at least 2 ha;
- `provider`: the provider's long name (it says whether the bindings were found).
Without landel on PYTHONPATH only `algorithms`, `provider` and `bad` are meaningful.
"""

import json
import os
import sys
import zipfile

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from qgis.core import (QgsApplication, QgsProcessingException, QgsProcessingFeedback,  # noqa: E402
                       QgsProject, QgsVectorLayer)


class CancelAtFirstProgress(QgsProcessingFeedback):
    def setProgress(self, progress):  # noqa: N802 - QGIS' name
        super().setProgress(progress)
        self.cancel()


def install(zip_path, profile):
    plugins = os.path.join(profile, "python", "plugins")
    os.makedirs(plugins, exist_ok=True)
    with zipfile.ZipFile(zip_path) as z:
        z.extractall(plugins)
    return plugins


def start_plugin(plugins):
    import qgis.utils
    sys.path.insert(0, plugins)
    qgis.utils.plugin_paths[:] = [plugins]
    qgis.utils.updateAvailablePlugins()
    assert "landel_processing" in qgis.utils.available_plugins, qgis.utils.available_plugins
    assert qgis.utils.loadPlugin("landel_processing")
    assert qgis.utils.startProcessingPlugin("landel_processing")


def attempt(run):
    try:
        return {"ok": True, "result": run()}
    except QgsProcessingException as e:
        return {"ok": False, "error": str(e)}


def main(zip_path, profile, work, sample):
    app = QgsApplication([], False, profile)
    app.initQgis()
    sys.path.append("/usr/share/qgis/python/plugins")
    from processing.core.Processing import Processing
    Processing.initialize()
    import processing

    start_plugin(install(zip_path, profile))
    registry = QgsApplication.processingRegistry()
    provider = registry.providerById("landel")
    report = {"profile_plugins": os.listdir(os.path.join(profile, "python", "plugins")),
              "algorithms": sorted(a.id() for a in provider.algorithms()),
              "provider": provider.longName()}
    config = os.path.join(sample, "landel.toml")
    report["run"] = attempt(lambda: processing.run("landel:run", {"CONFIG": config,
                                                                  "OUTPUT": os.path.join(work, "run")}))

    layers = {}
    for name, where in (("gebieden", ""), ("bebouwing", ""), ("wegen", ""), ("natuur", ""),
                        ("lijnelementen", "soort = 'haag'"), ("vlakelementen", "")):
        layer = QgsVectorLayer(f"{sample}/landscape.gpkg|layername={name}", name, "ogr")
        assert layer.isValid(), name
        if where:
            layer.setSubsetString(where)
        layers[name] = layer
    measure = {"AREAS": layers["gebieden"], "ID_FIELD": "code", "NAME_FIELD": "naam",
               "ELEMENTS": [layers["lijnelementen"], layers["vlakelementen"]], "TYPES": "hedge, small_wood",
               "WIDTHS_M": "1.5,", "MASKS": [layers["bebouwing"], layers["wegen"], layers["natuur"]],
               "YEAR": 2024, "OUTPUT": os.path.join(work, "measure")}
    report["measure"] = attempt(lambda: processing.run("landel:measure", measure))
    report["measure_bad_types"] = attempt(lambda: processing.run(
        "landel:measure", dict(measure, TYPES="hedge", OUTPUT=os.path.join(work, "measure_bad"))))

    report["cancel"] = attempt(lambda: processing.run(
        "landel:run", {"CONFIG": config, "OUTPUT": os.path.join(work, "cancelled")},
        feedback=CancelAtFirstProgress()))
    report["cancel_left"] = os.path.exists(os.path.join(work, "cancelled"))

    bad = os.path.join(work, "bad.toml")
    with open(bad, "w", encoding="utf-8") as f:
        f.write('[areas]\nmethod = "given"\n[[areas.layers]]\npath = "missing.gpkg"\n'
                '[[elements]]\npath = "missing.gpkg"\ntype = "hedge"\n')
    report["bad"] = attempt(lambda: processing.run("landel:run", {"CONFIG": bad,
                                                                  "OUTPUT": os.path.join(work, "bad")}))

    report["bid"] = attempt(lambda: processing.run("landel:bid", {
        "CONFIG": config, "RUN": os.path.join(work, "run"), "OUTPUT": os.path.join(work, "bid")}))
    earlier = os.path.join(work, "landel-2020.toml")
    with open(config, encoding="utf-8") as f, open(earlier, "w", encoding="utf-8") as g:
        g.write(f.read().replace("measurement_year = 2024", "measurement_year = 2020")
                .replace('path = "landscape.gpkg"', f'path = "{sample}/landscape.gpkg"'))
    report["run_2020"] = attempt(lambda: processing.run("landel:run", {
        "CONFIG": earlier, "OUTPUT": os.path.join(work, "run_2020")}))
    report["compare"] = attempt(lambda: processing.run("landel:compare", {
        "RUN_1": os.path.join(work, "run"), "RUN_2": os.path.join(work, "run_2020"), "TOLERANCE_M": 0.5,
        "LANGUAGE": 1, "OUTPUT": os.path.join(work, "compare")}))
    overlay = [QgsVectorLayer(f"{sample}/fysisch.gpkg|layername={name}", name, "ogr") for name in ("fgr", "bodem")]
    report["delineate"] = attempt(lambda: processing.run("landel:delineate", {
        "METHOD": 0, "LAYERS": overlay, "CLASS_FIELDS": "regio, bodemtype", "MIN_AREA_HA": 2,
        "OUTPUT": os.path.join(work, "delineate")}))

    project = QgsProject.instance()
    report["loaded"] = attempt(lambda: processing.runAndLoadResults(
        "landel:run", {"CONFIG": config, "OUTPUT": os.path.join(work, "loaded")}) and None)
    report["tree"] = [{"name": n.name(), "source": n.layer().source() if n.layer() else None,
                       "renderer": n.layer().renderer().type() if n.layer() else None}
                      for n in project.layerTreeRoot().findLayers()]
    print(json.dumps(report), flush=True)
    os._exit(0)


if __name__ == "__main__":
    main(*sys.argv[1:5])

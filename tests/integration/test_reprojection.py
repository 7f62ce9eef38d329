"""Sources in another CRS are reprojected with PROJ, and the pipeline is recorded.

The sample's areas and hedges are converted to WGS 84 with ogr2ogr (GDAL's own choice of
operation); landel reprojects them back to RD New. The figures must equal those of the
same run on the RD originals, and summary.json must name the PROJ pipeline it used.
"""

import json
import subprocess

import landel_testlib as lt


def _to_wgs84(src, layer, dst, where=None):
    cmd = ["ogr2ogr", "-f", "GPKG", str(dst), str(src), layer, "-t_srs", "EPSG:4326",
           "-nlt", "PROMOTE_TO_MULTI"]
    if where:
        cmd += ["-where", where]
    subprocess.run(cmd, check=True, capture_output=True)


def _config(areas, hedges, where=""):
    return f"""
        [areas]
        method = "given"
        [[areas.layers]]
        path = "{areas}"
        layer = "gebieden"
        id_field = "code"
        [[elements]]
        path = "{hedges}"
        layer = "lijnelementen"
        {where}
        type = "hedge"
        width_m = 1.5
        width_field = "breedte"
        """


def test_wgs84_sources_give_the_rd_figures(tmp_path, sample_gpkg, write_config, run_landel):
    _to_wgs84(sample_gpkg, "gebieden", tmp_path / "areas4326.gpkg")
    _to_wgs84(sample_gpkg, "lijnelementen", tmp_path / "hedges4326.gpkg", "soort = 'haag'")
    wgs = write_config(_config(tmp_path / "areas4326.gpkg", tmp_path / "hedges4326.gpkg"),
                       name="wgs.toml")
    rd = write_config(_config(sample_gpkg, sample_gpkg, "where = \"soort = 'haag'\""),
                      name="rd.toml")
    for cfg, out in ((wgs, "out_wgs"), (rd, "out_rd")):
        proc = run_landel("run", str(cfg), "--out", str(tmp_path / out), "--quiet")
        assert proc.returncode == 0, lt.describe(proc)

    got = {r["area_id"]: r for r in lt.read_csv(tmp_path / "out_wgs" / "area_bid.csv")[1]}
    ref = {r["area_id"]: r for r in lt.read_csv(tmp_path / "out_rd" / "area_bid.csv")[1]}
    assert got.keys() == ref.keys()
    for area_id, r in ref.items():
        for col in ("area_ha", "rural_ha", "element_ha", "ha_hedge", "hedge_m"):
            a, b = float(got[area_id][col]), float(r[col])
            # A round trip through WGS 84 with the same Helmert step both ways: sub-millimetre.
            assert abs(a - b) <= 1e-6 * max(1.0, abs(b)), (area_id, col, a, b)

    summary = json.loads((tmp_path / "out_wgs" / "summary.json").read_text())
    pipelines = [t["pipeline"] for t in summary["crs_transforms"]]
    assert len(pipelines) == 2, summary["crs_transforms"]
    for p in pipelines:
        assert p.startswith("+proj=pipeline") and "+proj=sterea" in p, p
    assert json.loads((tmp_path / "out_rd" / "summary.json").read_text())["crs_transforms"] == []

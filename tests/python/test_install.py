"""`cmake --install` gives an importable landel that runs on its own prefix's data."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

landel = pytest.importorskip("landel")


def build_dir():
    env = os.environ.get("LANDEL_BUILD_DIR")
    if env:
        return Path(env)
    candidate = Path(landel.__file__).resolve().parents[2]  # <build>/python/landel/__init__.py
    return candidate if (candidate / "CMakeCache.txt").is_file() else None


def test_installed_package_imports_and_runs(sample_case, path_run, tmp_path):
    build = build_dir()
    cmake = os.environ.get("LANDEL_CMAKE") or shutil.which("cmake")
    if build is None or cmake is None:
        pytest.skip("no build tree to install from (set LANDEL_BUILD_DIR)")
    prefix = tmp_path / "prefix"
    proc = subprocess.run([cmake, "--install", str(build), "--prefix", str(prefix)], capture_output=True,
                          text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    site = prefix / "lib" / "python3" / "dist-packages"
    for name in ("__init__.py", "__init__.pyi", "_landel.pyi", "py.typed"):
        assert (site / "landel" / name).is_file(), name

    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "LANDEL_DATA_DIR")}
    env["PYTHONPATH"] = str(site)
    script = ("import landel, sys\n"
              "r = landel.run(sys.argv[1], sys.argv[2], threads=2)\n"
              "print(landel.__file__)\n"
              "print([i['path'] for i in r.summary['inputs'] if 'catalogue' in i['path']][0])\n")
    out = tmp_path / "out"
    proc = subprocess.run(["/usr/bin/python3", "-c", script, str(sample_case), str(out)], cwd=tmp_path, env=env,
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    module_file, catalogue = proc.stdout.split()[-2:]
    assert Path(module_file).resolve().is_relative_to(site.resolve())
    # the bid catalogue of the installation, not of the source tree it was built from
    assert Path(catalogue).resolve().is_relative_to((prefix / "share" / "landel").resolve())
    result, _, _ = path_run
    assert (out / "area_bid.csv").read_bytes() == (result.output / "area_bid.csv").read_bytes()

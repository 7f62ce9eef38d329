"""Shared fixtures for the tests of the Python package `landel` (python/landel).

Run with Debian's interpreter (numpy, pandas, geopandas, shapely 1.8, GDAL live there):

    PYTHONPATH=build/python /usr/bin/python3 -m pytest tests/python

Environment:
    LANDEL_PYTHONPATH  the folder holding the built package `landel/` (put first on sys.path);
                       without it, PYTHONPATH is used and then <repo>/build/python. When
                       `import landel` fails every test is skipped (exit code 0).
    LANDEL_BIN         the `landel` binary the results are compared with (default:
                       <repo>/build/bin/landel); tests that need it are skipped without it.

The reference figures are never landel's own numbers fed back: they come from the `landel`
binary (a separate program reading the same TOML), or from shapely/numpy computations of
CONTRACT.md's semantics written out here.
"""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
REPO_ROOT = HERE.parents[1]
SAMPLE_DIR = REPO_ROOT / "data" / "samples" / "polder"
if str(HERE) not in sys.path:  # so that test modules can `import landel_pyref`
    sys.path.insert(0, str(HERE))

from landel_pyref import call_with_ticker, run_cli  # noqa: E402

_env_path = os.environ.get("LANDEL_PYTHONPATH")
if _env_path:
    sys.path.insert(0, str(Path(_env_path).resolve()))
else:  # PYTHONPATH (already on sys.path) wins over the default build tree
    sys.path.append(str(REPO_ROOT / "build" / "python"))

try:
    import landel  # noqa: F401
    IMPORT_ERROR = None
except ImportError as exc:  # not built (or built for another interpreter)
    IMPORT_ERROR = f"the landel Python module is not importable ({exc}); build it and set LANDEL_PYTHONPATH"


def pytest_collection_modifyitems(config, items):
    if IMPORT_ERROR is None:
        return
    marker = pytest.mark.skip(reason=IMPORT_ERROR)
    for item in items:
        item.add_marker(marker)


def pytest_sessionfinish(session, exitstatus):
    # Test modules `importorskip("landel")`: without the module nothing is collected, which
    # pytest reports as exit code 5; a missing build is a clean skip, not a failure.
    if IMPORT_ERROR is not None and exitstatus == 5:
        session.exitstatus = 0


def pytest_report_header(config):
    if IMPORT_ERROR is not None:
        return [f"landel: {IMPORT_ERROR}"]
    import landel
    return [f"landel {landel.__version__} from {Path(landel.__file__).parent}", f"landel binary: {_binary_path()}"]


def _binary_path() -> Path:
    env = os.environ.get("LANDEL_BIN")
    return Path(env) if env else REPO_ROOT / "build" / "bin" / "landel"


# ------------------------------------------------------------------------------- fixtures

@pytest.fixture(scope="session")
def repo_root() -> Path:
    return REPO_ROOT


@pytest.fixture(scope="session")
def landel_bin() -> Path:
    binary = _binary_path()
    if not (binary.is_file() and os.access(binary, os.X_OK)):
        pytest.skip(f"landel binary not found: {binary} (set LANDEL_BIN)")
    return binary.resolve()


# The shipped sample's config, without per-area maps (the overview map is still drawn): the
# figures are the shipped ones, the run takes a few seconds instead of twenty.
FAST_RENDER = "\n[render]\nmax_area_maps = 0\n"


@pytest.fixture(scope="session")
def sample_case(tmp_path_factory) -> Path:
    """A folder with the sample's landscape.gpkg and its landel.toml (relative paths, as
    shipped; no output folder; no per-area maps). Returns the TOML path."""
    folder = tmp_path_factory.mktemp("sample")
    shutil.copy2(SAMPLE_DIR / "landscape.gpkg", folder / "landscape.gpkg")
    lines = [ln for ln in (SAMPLE_DIR / "landel.toml").read_text(encoding="utf-8").splitlines()
             if not ln.startswith("output =")]
    cfg = folder / "landel.toml"
    cfg.write_text("\n".join(lines) + "\n" + FAST_RENDER, encoding="utf-8")
    return cfg


@pytest.fixture(scope="session")
def cli_run(landel_bin, sample_case, tmp_path_factory):
    """`landel run` of the sample case: (its output folder, its warning lines)."""
    out = tmp_path_factory.mktemp("cli") / "out"
    proc = run_cli(landel_bin, ["run", sample_case, "--out", out, "--quiet"])
    assert proc.returncode == 0, proc.stderr
    prefix = "landel: warning: "
    return out, [ln[len(prefix):] for ln in proc.stderr.splitlines() if ln.startswith(prefix)]


@pytest.fixture(scope="session")
def path_run(sample_case, tmp_path_factory):
    """landel.run of the sample case's TOML path, with a progress callback and, in this thread,
    a ticker measuring whether the GIL is free during the run. Returns (Result, Ticks,
    progress calls)."""
    import landel
    calls = []
    out = tmp_path_factory.mktemp("py-path") / "out"
    result, ticks = call_with_ticker(landel.run, sample_case, out, threads=2,
                                     progress=lambda f, stage: calls.append((f, stage)))
    return result, ticks, calls


@pytest.fixture(scope="module")
def client():
    """A Dask LocalCluster of 2 single-threaded worker processes (the tests of landel.dask)."""
    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, dashboard_address=None,
                                  processes=True) as cluster, distributed.Client(cluster) as c:
        yield c

"""Shared fixtures for the end-to-end tests of the `landel` binary.

Run with Debian's interpreter (it carries GDAL/OGR with SpatiaLite, shapely and geopandas):

    /usr/bin/python3 -m pytest tests/integration

Environment:
    LANDEL_BIN         the binary to test (default: <repo>/build/bin/landel). When it does
                       not exist every test is skipped.
    LANDEL_SAMPLE_DIR  folder with landel.toml + landscape.gpkg to use instead of
                       data/samples/polder (default: the shipped sample).
"""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
if str(HERE) not in sys.path:  # so that test modules can `import landel_testlib`
    sys.path.insert(0, str(HERE))

import landel_testlib as lt  # noqa: E402

REPO_ROOT = HERE.parents[1]
DEFAULT_TIMEOUT = 900  # seconds for one landel invocation


def _binary_path():
    env = os.environ.get("LANDEL_BIN")
    return Path(env) if env else REPO_ROOT / "build" / "bin" / "landel"


def pytest_collection_modifyitems(config, items):
    """Skip the whole suite, cleanly, when there is no binary to test."""
    binary = _binary_path()
    if binary.is_file() and os.access(binary, os.X_OK):
        return
    marker = pytest.mark.skip(reason=f"landel binary not found: {binary} (set LANDEL_BIN)")
    for item in items:
        item.add_marker(marker)


@pytest.fixture(scope="session")
def repo_root():
    return REPO_ROOT


@pytest.fixture(scope="session")
def landel_bin():
    binary = _binary_path()
    if not (binary.is_file() and os.access(binary, os.X_OK)):
        pytest.skip(f"landel binary not found: {binary} (set LANDEL_BIN)")
    return binary.resolve()


@pytest.fixture(scope="session")
def real_data(repo_root):
    """<repo>/../shared/data/real; tests that need it are skipped when it is absent."""
    path = repo_root.parent / "shared" / "data" / "real"
    if not path.is_dir():
        pytest.skip(f"real data not available: {path}")
    return path


@pytest.fixture(scope="session")
def sample_dir(repo_root):
    """The shipped sample: data/samples/polder/{landel.toml,landscape.gpkg}
    (env LANDEL_SAMPLE_DIR points at another folder with the same two files)."""
    env = os.environ.get("LANDEL_SAMPLE_DIR")
    path = Path(env) if env else repo_root / "data" / "samples" / "polder"
    for name in ("landel.toml", "landscape.gpkg"):
        if not (path / name).is_file():
            pytest.fail(f"the shipped sample is incomplete: {path / name} is missing "
                        f"(generate it with tools/generate_landscape.py)")
    return path


@pytest.fixture(scope="session")
def sample_config(sample_dir):
    return sample_dir / "landel.toml"


@pytest.fixture(scope="session")
def sample_gpkg(sample_dir):
    return sample_dir / "landscape.gpkg"


@pytest.fixture(scope="session")
def run_landel_session(landel_bin):
    def run(*args, cwd=None, timeout=DEFAULT_TIMEOUT, check=False):
        return lt.run_binary(landel_bin, args, cwd=cwd, timeout=timeout, check=check)
    return run


@pytest.fixture
def run_landel(run_landel_session):
    """run_landel('run', cfg, '--out', out, ...) -> CompletedProcess (text stdout/stderr).

    Never raises on a non-zero exit unless check=True; a hang fails the test after `timeout`.
    """
    return run_landel_session


@pytest.fixture
def write_config(tmp_path):
    """write_config(text, name='landel.toml', folder=tmp_path) -> Path of the written TOML."""
    def write(text, name="landel.toml", folder=None):
        folder = Path(folder) if folder is not None else tmp_path
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / name
        path.write_text(lt.dedent_config(text), encoding="utf-8")
        return path
    return write


@pytest.fixture
def sample_copy(tmp_path, sample_gpkg):
    """A private copy of the sample GeoPackage in tmp_path/data/landscape.gpkg."""
    data = tmp_path / "data"
    data.mkdir()
    dst = data / "landscape.gpkg"
    shutil.copyfile(sample_gpkg, dst)
    return dst


@pytest.fixture(scope="session")
def sample_run(tmp_path_factory, run_landel_session, sample_config):
    """One run of the shipped sample config (default thread count), output in a temp folder."""
    out = tmp_path_factory.mktemp("sample_run") / "out"
    proc = run_landel_session("run", str(sample_config), "--out", str(out))
    return lt.RunResult(proc=proc, out=out, config=sample_config)


def pytest_report_header(config):
    return [f"landel binary: {_binary_path()}"]

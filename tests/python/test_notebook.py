"""python/examples/sample.ipynb runs headless (jupyter nbconvert --execute, offline, with
ipykernel; else its script twin sample.py) and draws a map that is not blank."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest

landel = pytest.importorskip("landel")

from landel_pyref import REPO_ROOT  # noqa: E402

EXAMPLES = REPO_ROOT / "python" / "examples"
PYTHON = "/usr/bin/python3"


def script_cells(text):
    """The `# %%` cells of the script twin: (kind, source) with markdown's '# ' taken off."""
    cells, kind, lines = [], None, []

    def flush():
        if kind is not None:
            cells.append((kind, "\n".join(lines).strip("\n")))

    for line in text.splitlines():
        if line.startswith("# %%"):
            flush()
            kind, lines = ("markdown" if "[markdown]" in line else "code"), []
        elif kind == "markdown":
            lines.append(line[2:] if line.startswith("# ") else line.lstrip("#"))
        else:
            lines.append(line)
    flush()
    return cells


def notebook_cells(path):
    nb = json.loads(path.read_text(encoding="utf-8"))
    return [(c["cell_type"], "".join(c["source"]).strip("\n")) for c in nb["cells"]]


def test_notebook_and_script_are_twins():
    assert notebook_cells(EXAMPLES / "sample.ipynb") == script_cells(
        (EXAMPLES / "sample.py").read_text(encoding="utf-8"))


def example_env(png):
    env = dict(os.environ)
    package_parent = str(Path(landel.__file__).resolve().parents[1])  # the landel being tested
    env["PYTHONPATH"] = os.pathsep.join([package_parent] + [p for p in [env.get("PYTHONPATH")] if p])
    env["LANDEL_SAMPLE_PNG"] = str(png)
    env.pop("LANDEL_SAMPLE_CONFIG", None)
    env["MPLBACKEND"] = "Agg"
    env["PYDEVD_DISABLE_FILE_VALIDATION"] = "1"  # debugpy's frozen-modules notice
    env["TMPDIR"] = str(png.parent)  # the example's temporary output folder: checked to be gone
    return env


def nbconvert_available():
    """nbconvert, nbclient and a python3 kernel: all that executing offline needs."""
    try:
        proc = subprocess.run([PYTHON, "-m", "nbconvert", "--version"], capture_output=True, text=True, timeout=60)
        if proc.returncode != 0:
            return False
        from jupyter_client.kernelspec import KernelSpecManager
        import nbclient  # noqa: F401
        return "python3" in KernelSpecManager().find_kernel_specs()
    except (OSError, ImportError, subprocess.TimeoutExpired):
        return False


def assert_map_drawn(png):
    import matplotlib.image as mpimg
    import numpy as np
    assert png.is_file() and png.stat().st_size > 10_000
    image = mpimg.imread(png)
    assert image.ndim == 3 and image.shape[0] >= 400 and image.shape[1] >= 600
    rgb = image[..., :3]
    not_white = (rgb < 0.95).any(axis=2).mean()
    colours = len(np.unique((rgb * 255).astype(np.uint8).reshape(-1, 3), axis=0))
    assert not_white > 0.25, f"only {not_white:.0%} of the map is drawn on"
    assert colours > 50, f"only {colours} colours"
    # the share colours: greens of YlGn cover a good part of the map
    green = ((rgb[..., 1] > rgb[..., 0] + 0.05) & (rgb[..., 1] > rgb[..., 2] + 0.05)).mean()
    assert green > 0.15, f"only {green:.0%} green"


def test_sample_notebook_executes(tmp_path):
    png = tmp_path / "map.png"
    env = example_env(png)
    if nbconvert_available():
        executed = tmp_path / "executed.ipynb"
        proc = subprocess.run([PYTHON, "-m", "nbconvert", "--to", "notebook", "--execute",
                               "--ExecutePreprocessor.timeout=300", "--output-dir", str(tmp_path),
                               "--output", executed.name, str(EXAMPLES / "sample.ipynb")],
                              cwd=tmp_path, env=env, capture_output=True, text=True, timeout=600)
        assert proc.returncode == 0, proc.stderr[-4000:]
        nb = json.loads(executed.read_text(encoding="utf-8"))
        outputs = [o for c in nb["cells"] if c["cell_type"] == "code" for o in c["outputs"]]
        assert not [o for o in outputs if o["output_type"] == "error"]
        text = json.dumps(outputs)
        assert "G01" in text and "no_rural_land" in text  # the table was shown
        assert "map written to" in text
    else:  # no notebook machinery here: the script twin
        proc = subprocess.run([PYTHON, str(EXAMPLES / "sample.py"), str(png)], cwd=tmp_path, env=env,
                              capture_output=True, text=True, timeout=600)
        assert proc.returncode == 0, proc.stderr[-4000:]
        assert "G01" in proc.stdout and "no_rural_land" in proc.stdout
    assert_map_drawn(png)
    assert list(tmp_path.glob("landel-sample-*")) == []


def test_sample_script_runs(tmp_path):
    png = tmp_path / "script.png"
    proc = subprocess.run([PYTHON, str(EXAMPLES / "sample.py"), str(png)], cwd=tmp_path, env=example_env(
        tmp_path / "unused.png"), capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr[-4000:]
    assert "G01" in proc.stdout and "6.66%" in proc.stdout
    assert_map_drawn(png)
    assert not (tmp_path / "unused.png").exists()  # the argument wins over $LANDEL_SAMPLE_PNG
    assert list(tmp_path.glob("landel-sample-*")) == []

"""SIGTERM and SIGINT stop a run cleanly: exit 143 / 130, a one-line message, no output folder
and no temporary folder left behind."""

import signal
import subprocess
import sys
import time

import pytest

import landel_testlib as lt


@pytest.fixture(scope="module")
def long_case(repo_root, tmp_path_factory):
    """A generated landscape that takes some seconds to measure on one thread."""
    folder = tmp_path_factory.mktemp("signals")
    gpkg = folder / "landscape.gpkg"
    subprocess.run(["/usr/bin/python3", str(repo_root / "tools/generate_landscape.py"), "--areas-x", "4",
                    "--areas-y", "3", "--area-size", "1600", "--density", "2", str(gpkg)],
                   check=True, capture_output=True)
    text = (repo_root / "data/samples/polder/landel.toml").read_text(encoding="utf-8")
    cfg = folder / "run.toml"
    cfg.write_text(text.replace('path = "landscape.gpkg"', f'path = "{gpkg}"') + "\n[render]\nmax_area_maps = 0\n",
                   encoding="utf-8")
    return cfg


@pytest.mark.parametrize("sig,code", [(signal.SIGTERM, 143), (signal.SIGINT, 130)])
def test_stop_signal_leaves_nothing(landel_bin, long_case, tmp_path, sig, code):
    out = tmp_path / "out"
    proc = subprocess.Popen([str(landel_bin), "run", str(long_case), "--out", str(out), "--quiet", "--threads", "1"],
                            stderr=subprocess.PIPE, text=True)
    start = time.time()
    # Wait until the run writes into its temporary folder, then ask it to stop.
    while not list(tmp_path.glob("out.tmp-*")) and time.time() - start < 30 and proc.poll() is None:
        time.sleep(0.02)
    time.sleep(0.3)
    assert proc.poll() is None, "the run finished before the signal; the case is too small"
    proc.send_signal(sig)
    _, err = proc.communicate(timeout=120)
    assert proc.returncode == code, err
    lines = lt.error_lines(err)
    assert len(lines) == 1 and "no output written" in lines[0], err
    assert not out.exists()
    assert list(tmp_path.glob("out*")) == []

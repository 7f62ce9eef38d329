"""Faults from outside: a run killed outright (SIGKILL, which no process can catch) at any
moment, a full disk, an output folder that cannot be written.

  * after SIGKILL a rerun produces the same outputs as an uninterrupted run, and the killed
    run's temporary folder is cleaned up by it;
  * a disk that fills up (simulated with RLIMIT_FSIZE, which makes writes fail as ENOSPC does,
    at a chosen size) is one error line naming the file under the --out path as given, and
    leaves no output folder and no temporary folder;
  * an output folder that cannot be created is one error line naming --out.
"""

import hashlib
import resource
import signal
import subprocess
import time
from pathlib import Path

import pytest

import landel_testlib as lt

COMPARED = ("area_bid.csv", "bid_phasing.csv")


def sha(path):
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


@pytest.mark.parametrize("delay_s", [0.05, 0.4, 0.9, 1.6, 2.6, 3.0, 6.0])
def test_sigkill_at_any_moment_then_rerun_gives_the_same_outputs(landel_bin, run_landel, sample_config,
                                                                  sample_run, tmp_path, delay_s):
    assert sample_run.proc.returncode == 0
    out = tmp_path / "out"
    proc = subprocess.Popen([str(landel_bin), "run", str(sample_config), "--out", str(out), "-q", "--threads", "1"],
                            stderr=subprocess.DEVNULL)
    time.sleep(delay_s)
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=60)
    killed_state = "finished" if out.exists() else ("writing" if lt.tmp_siblings(out) else "starting")
    # The rerun: --overwrite because a run killed after its final rename has left a complete folder.
    rerun = run_landel("run", str(sample_config), "--out", str(out), "-q", "--overwrite")
    assert rerun.returncode == 0, lt.describe(rerun)
    assert lt.tmp_siblings(out) == [], "the killed run's temporary folder is removed by the rerun"
    for name in COMPARED:
        assert sha(out / name) == sha(sample_run.out / name), f"{name} differs after a kill while {killed_state}"
    print(f"\n    killed after {delay_s} s while {killed_state}; rerun identical")


def limit_file_size(size):
    def apply():
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # writes then fail with EFBIG instead of killing
        resource.setrlimit(resource.RLIMIT_FSIZE, (size, size))
    return apply


@pytest.mark.parametrize("limit", [20_000, 200_000, 1_000_000])
def test_full_disk_is_a_clear_error(landel_bin, sample_config, tmp_path, limit):
    """Each limit stops a different writer (PNG map, PDF atlas, GeoPackage)."""
    out = tmp_path / "out"
    proc = subprocess.run([str(landel_bin), "run", str(sample_config), "--out", "out", "-q"], cwd=tmp_path,
                          preexec_fn=limit_file_size(limit), capture_output=True, text=True, timeout=600)
    assert proc.returncode == 1, lt.describe(proc)
    errors = lt.error_lines(proc.stderr)
    assert len(errors) == 1, proc.stderr
    assert "cannot write 'out/" in errors[0], errors[0]
    assert ".tmp-" not in errors[0], "the message names the output as given, not the temporary folder"
    other = [l for l in proc.stderr.splitlines() if not l.startswith(("landel: error:", "landel: warning:"))]
    assert other == [], f"nothing else on stderr: {other}"
    assert not out.exists()
    assert lt.tmp_siblings(out) == []


@pytest.mark.parametrize("where", ["/proc/landel-test/out", "{tmp}/a-file/out"])
def test_unwritable_output_folder(run_landel, sample_config, tmp_path, where):
    (tmp_path / "a-file").write_text("not a folder")
    out = where.format(tmp=tmp_path)
    proc = run_landel("run", str(sample_config), "--out", out)
    assert proc.returncode == 1, lt.describe(proc)
    errors = lt.error_lines(proc.stderr)
    assert len(errors) == 1 and f"--out '{out}'" in errors[0], proc.stderr
    assert not Path(out).exists()

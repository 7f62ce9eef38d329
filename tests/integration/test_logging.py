"""Progress and logging on the command line (GDAL-style): a progress bar on stderr by default,
nothing but warnings with --quiet, every log line instead of the bar with --verbose; the log
file in the output folder holds the same lines."""

import re

import landel_testlib as lt

BAR = "0...10...20...30...40...50...60...70...80...90...100 - done."


def info_lines(stderr):
    return [l[len("landel: "):] for l in stderr.splitlines()
            if l.startswith("landel: ") and not l.startswith((lt.ERROR_PREFIX, lt.WARNING_PREFIX))]


def test_default_shows_the_progress_bar(run_landel, sample_config, tmp_path):
    proc = run_landel("run", str(sample_config), "--out", str(tmp_path / "out"))
    assert proc.returncode == 0, lt.describe(proc)
    assert BAR in re.sub(r"\n?landel: warning:[^\n]*\n", "", proc.stderr)


def test_quiet_shows_only_warnings(run_landel, sample_config, tmp_path):
    proc = run_landel("run", str(sample_config), "--out", str(tmp_path / "out"), "--quiet")
    assert proc.returncode == 0, lt.describe(proc)
    assert all(l.startswith(lt.WARNING_PREFIX) for l in proc.stderr.splitlines()), proc.stderr


def test_verbose_prints_the_log_lines_instead_of_the_bar(run_landel, sample_config, tmp_path):
    out = tmp_path / "out"
    proc = run_landel("run", str(sample_config), "--out", str(out), "--verbose")
    assert proc.returncode == 0, lt.describe(proc)
    assert "0..." not in proc.stderr
    printed = info_lines(proc.stderr)
    assert any(l.startswith("landel ") and " run of " in l for l in printed), printed
    assert any(l.startswith("measured ") for l in printed), printed
    entries = [re.match(r"^\S+ (\w+)\s+(.*)$", l) for l in (out / "landel.log").read_text(encoding="utf-8").splitlines()]
    logged = [m.group(2) for m in entries if m and m.group(1) == "INFO"]
    # Everything printed is in the log, in the same order (the log ends with the summary line).
    printed_log = [l for l in printed if l in logged]
    assert printed_log == logged[:len(printed_log)] and len(printed_log) >= 3, (printed, logged)


def test_quiet_and_verbose_together_are_a_usage_error(run_landel, sample_config, tmp_path):
    proc = run_landel("run", str(sample_config), "--out", str(tmp_path / "out"), "-q", "-v")
    assert proc.returncode == 2
    assert not (tmp_path / "out").exists()

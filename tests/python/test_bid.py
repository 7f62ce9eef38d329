"""landel.bid and landel.render: the jobs of `landel bid` and `landel render` on a finished run,
compared with what the `landel` binary (a separate program reading the same TOML) writes."""

from __future__ import annotations

import tomllib

import pytest

landel = pytest.importorskip("landel")

from landel_pyref import run_cli  # noqa: E402

# Files whose bytes do not depend on when or where a job ran (summary.json and landel.log
# record paths and times; the workbook and the GeoPackage carry timestamps).
SAME_BYTES = {"bid": ["area_bid.csv", "bid_phasing.csv"], "render": ["report.html"]}


def cli_job(binary, command, config, run_dir, out):
    proc = run_cli(binary, [command, config, "--from", run_dir, "--out", out, "--quiet"])
    assert proc.returncode == 0, proc.stderr
    return out


def files_below(folder):
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*"))


@pytest.mark.parametrize("command", ["bid", "render"])
def test_job_equals_cli(landel_bin, sample_case, cli_run, tmp_path, command):
    run_dir, _ = cli_run
    want = cli_job(landel_bin, command, sample_case, run_dir, tmp_path / "cli")
    result = getattr(landel, command)(sample_case, run_dir, tmp_path / "py")
    assert result.output == (tmp_path / "py").resolve()
    assert files_below(result.output) == files_below(want)
    for name in SAME_BYTES[command]:
        assert (result.output / name).read_bytes() == (want / name).read_bytes(), name


def test_bid_from_dict_into_a_temporary_folder(landel_bin, sample_case, cli_run, tmp_path, monkeypatch):
    run_dir, _ = cli_run
    want = cli_job(landel_bin, "bid", sample_case, run_dir, tmp_path / "cli")
    with open(sample_case, "rb") as f:
        config = tomllib.load(f)
    monkeypatch.chdir(sample_case.parent)  # relative paths of a dict resolve against the cwd
    result = landel.bid(config, run_dir)
    assert (result.output / "area_bid.csv").read_bytes() == (want / "area_bid.csv").read_bytes()
    assert result.summary["command"] == "bid"
    assert list(result.table.columns) == list(landel.Result(want).table.columns)
    output = result.output
    del result  # the temporary folder lives as long as the Result
    assert not output.exists()


def test_bid_needs_overwrite(sample_case, cli_run, tmp_path):
    run_dir, _ = cli_run
    (tmp_path / "out").mkdir()
    with pytest.raises(landel.Error, match="exists; use --overwrite"):
        landel.bid(sample_case, run_dir, tmp_path / "out")
    landel.bid(sample_case, run_dir, tmp_path / "out", overwrite=True)
    assert (tmp_path / "out" / "area_bid.csv").is_file()

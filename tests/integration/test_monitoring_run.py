"""`landel run` with a [monitoring] section: the run compares itself with the earlier runs it
names and writes the comparison into its folder `monitoring/` — the same figures as `landel
compare` of the same runs — and its summary.json says so. targets.baseline_year picks the
baseline, in the run and (recorded in the last run's summary.json) in `landel compare`.
Every mistake in the section is one line before anything is written.

The runs are those of test_compare.py: four hand-made areas in 2020, 2022 and 2024."""

import json

import pytest

import landel_testlib as lt
from test_compare import YEARS, Case, assert_one_line_error, config_text, write_year


class MonitoringCase(Case):
    def config_with(self, name, year, monitoring, targets=""):
        """A config of @p year with the [monitoring] (and [targets]) text given."""
        data = self.root / f"data{year}.gpkg"
        if not data.exists():
            write_year(data, year)
        cfg = self.root / f"{name}.toml"
        cfg.write_text(lt.dedent_config(config_text(year, data, self.areas)) + "\n" + targets +
                       "\n" + monitoring, encoding="utf-8")
        return cfg


def runs_list(*folders):
    return "runs = [" + ", ".join(json.dumps(str(f)) for f in folders) + "]"


@pytest.fixture(scope="module")
def mcase(tmp_path_factory, run_landel_session):
    return MonitoringCase(tmp_path_factory.mktemp("monitoring"), run_landel_session)


@pytest.fixture(scope="module")
def monitored(mcase):
    """The 2024 run comparing itself with 2020 and 2022."""
    cfg = mcase.config_with("run2024m", 2024,
                            "[monitoring]\n" + runs_list(mcase.runs[2020], mcase.runs[2022]))
    out = mcase.root / "run2024m"
    proc = mcase.run_landel("run", cfg, "--out", out, "--quiet")
    assert proc.returncode == 0, lt.describe(proc)
    assert lt.error_lines(proc.stderr) == []
    return out


def test_run_writes_the_comparison_that_compare_writes(mcase, monitored, tmp_path):
    out = tmp_path / "compared"
    proc = mcase.compare(out, runs=[mcase.runs[2020], mcase.runs[2022], monitored])
    assert proc.returncode == 0, lt.describe(proc)
    for name in ("change.csv", "trajectory.csv"):
        assert (monitored / "monitoring" / name).read_bytes() == (out / name).read_bytes(), name
    # And the figures are the comparison of the plain runs: the 2024 run is the same run.
    plain = tmp_path / "plain"
    assert mcase.compare(plain).returncode == 0
    assert (monitored / "monitoring" / "change.csv").read_bytes() == \
        (plain / "change.csv").read_bytes()


def test_run_summary_names_the_monitoring_outputs(mcase, monitored):
    summary = json.loads((monitored / "summary.json").read_text(encoding="utf-8"))
    block = summary["monitoring"]
    assert [r["year"] for r in block["runs"]] == YEARS
    assert block["baseline_year"] == 2020 and block["tolerance_m"] == 0.5
    for f in block["outputs"]:
        assert f in summary["outputs"] and (monitored / f).is_file(), f
    assert {"monitoring/change.csv", "monitoring/change.gpkg", "monitoring/trajectory.csv",
            "monitoring/summary.json"} <= set(block["outputs"])
    inner = json.loads((monitored / "monitoring" / "summary.json").read_text(encoding="utf-8"))
    assert inner["baseline_year"] == 2020 and inner["last_year"] == 2024
    assert summary["targets"]["baseline_year"] is None
    for f in ("report.html", "change.xlsx", "maps/change_overview.png"):
        assert f"monitoring/{f}" in block["outputs"], f
    assert "monitoring/report.html" in (monitored / "report.html").read_text(encoding="utf-8")


def pairs_of(path):
    _, rows, _ = lt.read_csv(path)
    pairs = []
    for r in rows:
        p = (int(r["from_year"]), int(r["to_year"]))
        if p not in pairs:
            pairs.append(p)
    return pairs


def test_targets_baseline_year_picks_the_baseline(mcase, tmp_path):
    cfg = mcase.config_with("base2022", 2024,
                            "[monitoring]\n" + runs_list(mcase.runs[2020], mcase.runs[2022]),
                            "[targets]\nbaseline_year = 2022\n")
    out = tmp_path / "base2022"
    proc = mcase.run_landel("run", cfg, "--out", out, "--quiet")
    assert proc.returncode == 0, lt.describe(proc)
    # Consecutive pairs only: baseline -> last (2022 -> 2024) is one of them.
    assert pairs_of(out / "monitoring" / "change.csv") == [(2020, 2022), (2022, 2024)]
    _, rows, _ = lt.read_csv(out / "monitoring" / "trajectory.csv")
    assert rows and {r["base_year"] for r in rows} == {"2022"}
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert summary["targets"]["baseline_year"] == 2022
    assert summary["monitoring"]["baseline_year"] == 2022

    # landel compare reads the recorded baseline from the last run; --baseline-year wins.
    recorded = tmp_path / "recorded"
    assert mcase.compare(recorded, runs=[mcase.runs[2020], mcase.runs[2022], out]).returncode == 0
    assert pairs_of(recorded / "change.csv") == [(2020, 2022), (2022, 2024)]
    given = tmp_path / "given"
    proc = mcase.compare(given, "--baseline-year", "2020",
                         runs=[mcase.runs[2020], mcase.runs[2022], out])
    assert proc.returncode == 0, lt.describe(proc)
    assert pairs_of(given / "change.csv") == [(2020, 2022), (2022, 2024), (2020, 2024)]


def test_a_recorded_baseline_of_no_run_is_a_warning_and_the_earliest(mcase, tmp_path):
    cfg = mcase.config_with("base2019", 2024, "", "[targets]\nbaseline_year = 2019\n")
    run = tmp_path / "run2019base"
    assert mcase.run_landel("run", cfg, "--out", run, "--quiet").returncode == 0
    out = tmp_path / "cmp"
    proc = mcase.compare(out, runs=[mcase.runs[2020], run])
    assert proc.returncode == 0, lt.describe(proc)
    warnings = lt.warning_lines(proc.stderr)
    assert len(warnings) == 1 and "targets.baseline_year 2019" in warnings[0]
    assert pairs_of(out / "change.csv") == [(2020, 2024)]


@pytest.mark.parametrize("name,monitoring,targets,words", [
    ("notrun", "[monitoring]\nruns = [\"{root}\"]", "", ["is not a landel run's output folder"]),
    ("sameyear", "[monitoring]\nruns = [\"{r2024}\"]", "", ["2024", "one run per year"]),
    ("later", "[monitoring]\nruns = [\"{r2024}\"]", "", ["must be the latest"]),
    ("base_last", "[monitoring]\nruns = [\"{r2020}\"]", "[targets]\nbaseline_year = 2024\n",
     ["targets.baseline_year 2024", "last run"]),
    ("base_none", "[monitoring]\nruns = [\"{r2020}\"]", "[targets]\nbaseline_year = 2019\n",
     ["targets.baseline_year 2019", "none of the runs"]),
    ("empty", "[monitoring]\nruns = []", "", ["monitoring.runs must list"]),
    ("negative", "[monitoring]\nruns = [\"{r2020}\"]\ntolerance_m = -1", "",
     ["monitoring.tolerance_m must be >= 0"]),
    ("unknown", "[monitoring]\nruns = [\"{r2020}\"]\ntolerance = 1", "", ["tolerance"]),
])
def test_monitoring_errors_are_one_line_and_write_nothing(mcase, tmp_path, name, monitoring,
                                                          targets, words):
    year = 2022 if name == "later" else 2024
    text = monitoring.format(root=mcase.root, r2020=mcase.runs[2020], r2024=mcase.runs[2024])
    cfg = mcase.config_with("err-" + name, year, text, targets)
    out = tmp_path / "out"
    proc = mcase.run_landel("run", cfg, "--out", out, "--quiet")
    assert_one_line_error(proc, out, *words)


def test_validate_reads_the_earlier_runs(mcase):
    cfg = mcase.config_with("validate", 2024,
                            "[monitoring]\n" + runs_list(mcase.runs[2020], mcase.runs[2022]))
    proc = mcase.run_landel("validate", cfg)
    assert proc.returncode == 0, lt.describe(proc)
    line = [l for l in proc.stdout.splitlines() + proc.stderr.splitlines() if "monitoring:" in l]
    assert len(line) == 1 and "2020" in line[0] and "2022" in line[0], lt.describe(proc)
    bad = mcase.config_with("validate-bad", 2024, "[monitoring]\nruns = [\"%s\"]" % mcase.root)
    proc = mcase.run_landel("validate", bad)
    assert proc.returncode == 1 and len(lt.error_lines(proc.stderr)) == 1, lt.describe(proc)
    assert "is not a landel run's output folder" in proc.stderr

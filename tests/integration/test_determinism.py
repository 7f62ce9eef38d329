"""Results do not depend on the input feature order or on the number of threads."""

import shutil

import pytest

import landel_testlib as lt

SHUFFLE_SEED = 20240611


def _numbers_equal(a, b, rel=1e-9):
    """Two CSV cells equal as text, or as numbers within `rel` (plus one unit in the last
    printed decimal, which a difference of 1e-15 can flip)."""
    if a == b:
        return True
    try:
        fa, fb = float(a), float(b)
    except ValueError:
        return False
    decimals = len(a.split(".")[1]) if "." in a else 0
    return abs(fa - fb) <= max(rel * max(abs(fa), abs(fb)), 1.01 * 10 ** -decimals)


@pytest.fixture(scope="module")
def shuffled_run(tmp_path_factory, sample_gpkg, sample_config, run_landel_session):
    folder = tmp_path_factory.mktemp("shuffled")
    lt.shuffled_copy(sample_gpkg, folder / sample_gpkg.name, SHUFFLE_SEED)
    # the same config beside the shuffled data (its relative paths then point there)
    cfg = folder / "landel.toml"
    shutil.copyfile(sample_config, cfg)
    out = folder / "out"
    proc = run_landel_session("run", str(cfg), "--out", str(out))
    return lt.RunResult(proc=proc, out=out, config=cfg)


@pytest.fixture(scope="module")
def thread_runs(tmp_path_factory, sample_config, run_landel_session):
    results = {}
    for n in (1, 8):
        out = tmp_path_factory.mktemp(f"threads{n}") / "out"
        proc = run_landel_session("run", str(sample_config), "--out", str(out), "--threads", str(n))
        results[n] = lt.RunResult(proc=proc, out=out, config=sample_config)
    return results


def test_shuffled_copy_really_shuffled(shuffled_run, sample_gpkg):
    """Guard: the copy has the same features in another order (so the test means something)."""
    shuffled = shuffled_run.config.parent / sample_gpkg.name
    moved = 0
    for layer in lt.layer_names(sample_gpkg):
        a = [f.geom.wkb for f in lt.read_features(sample_gpkg, layer)]
        b = [f.geom.wkb for f in lt.read_features(shuffled, layer)]
        assert sorted(a) == sorted(b), layer
        if len(a) > 2 and a != b:
            moved += 1
    assert moved >= 3


def test_feature_order_does_not_change_results(sample_run, shuffled_run):
    assert sample_run.proc.returncode == 0, sample_run.describe()
    assert shuffled_run.proc.returncode == 0, shuffled_run.describe()
    h1, _, raw1 = lt.read_csv(sample_run.out / "area_bid.csv")
    h2, _, raw2 = lt.read_csv(shuffled_run.out / "area_bid.csv")
    assert h1 == h2
    raw1 = sorted(raw1, key=lambda r: r[0])
    raw2 = sorted(raw2, key=lambda r: r[0])
    assert [r[0] for r in raw1] == [r[0] for r in raw2]
    bad = []
    for r1, r2 in zip(raw1, raw2):
        for col, a, b in zip(h1, r1, r2):
            if not _numbers_equal(a, b):
                bad.append((r1[0], col, a, b))
    assert not bad, f"results differ with shuffled input: {bad[:20]}"


def test_feature_order_gives_identical_csv_text(sample_run, shuffled_run):
    """README: 'the outputs are identical for any thread count and any input feature order'."""
    assert shuffled_run.proc.returncode == 0, shuffled_run.describe()
    t1 = (sample_run.out / "area_bid.csv").read_text(encoding="utf-8").splitlines()
    t2 = (shuffled_run.out / "area_bid.csv").read_text(encoding="utf-8").splitlines()
    assert t1[0] == t2[0]
    assert sorted(t1[1:]) == sorted(t2[1:])


def _element_rows(out):
    _, _, feats = lt.read_output_layer(out / "areas.gpkg", "elements")
    return sorted((a["area_id"], a["type"], a["ha"]) for a, _ in feats)


def test_thread_count_byte_identical_csv(thread_runs):
    for n, r in thread_runs.items():
        assert r.proc.returncode == 0, r.describe()
    b1 = (thread_runs[1].out / "area_bid.csv").read_bytes()
    b8 = (thread_runs[8].out / "area_bid.csv").read_bytes()
    assert b1 == b8


def test_thread_count_identical_elements(thread_runs):
    e1 = _element_rows(thread_runs[1].out)
    e8 = _element_rows(thread_runs[8].out)
    assert e1, "no element features written"
    assert e1 == e8  # exact equality of area_id, type and ha


def test_thread_count_recorded(thread_runs):
    import json
    for n, r in thread_runs.items():
        s = json.loads((r.out / "summary.json").read_text(encoding="utf-8"))
        # --threads N is an upper limit (a machine with fewer cores may use fewer)
        assert 1 <= s["threads"] <= n, (n, s["threads"])
    s1 = json.loads((thread_runs[1].out / "summary.json").read_text(encoding="utf-8"))
    assert s1["threads"] == 1

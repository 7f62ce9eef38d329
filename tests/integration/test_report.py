"""report.html of the sample run, in headless Chromium: the interactive map and the table are
there once the page has run, and Chromium's network log shows that the page requested nothing
(a control page that does load a remote image shows the method would see it). A screenshot is
kept as a test artefact."""

import json
import shutil
import subprocess
from pathlib import Path

import pytest

import landel_testlib as lt

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = pytest.mark.skipif(not CHROMIUM, reason="chromium not installed")

FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--disable-default-apps", "--host-resolver-rules=MAP * ~NOTFOUND", "--virtual-time-budget=4000"]


def chromium(url, tmp_path, *extra):
    net = tmp_path / "net.json"
    proc = subprocess.run([CHROMIUM, *FLAGS, f"--log-net-log={net}", *extra, url], capture_output=True,
                          text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr[-2000:]
    return proc.stdout, json.loads(net.read_text(encoding="utf-8"))


def page_requests(net_log):
    """URLs of requests the page started (the browser's own background requests have no origin)."""
    types = {v: k for k, v in net_log["constants"]["logEventTypes"].items()}
    return [e["params"]["url"] for e in net_log["events"]
            if types.get(e["type"]) == "URL_REQUEST_START_JOB" and "url" in e.get("params", {})
            and e["params"].get("initiator") != "not an origin"]


@pytest.fixture(scope="module")
def report(repo_root, run_landel_session, tmp_path_factory):
    out = tmp_path_factory.mktemp("report") / "run"
    proc = run_landel_session("run", str(repo_root / "data/samples/polder/landel.toml"), "--out", str(out), "--quiet")
    assert proc.returncode == 0, lt.describe(proc)
    return out


def test_report_map_and_table_render_offline(report, tmp_path):
    html = report / "report.html"
    assert html.stat().st_size < 5_000_000
    dom, net = chromium(html.as_uri(), tmp_path, "--dump-dom")
    assert "leaflet-container" in dom            # Leaflet ran and built the map
    assert "leaflet-control-scale" in dom
    _, rows, _ = lt.read_csv(report / "area_bid.csv")
    assert dom.count("<tr>") == len(rows) + 1    # header + one row per area
    for r in rows:
        assert f"<td>{r['area_id']}</td>" in dom
    assert page_requests(net) == []


def test_method_sees_a_page_request(tmp_path):
    control = tmp_path / "control.html"
    control.write_text('<html><body><img src="http://tiles.example.invalid/0/0/0.png"></body></html>', encoding="utf-8")
    _, net = chromium(control.as_uri(), tmp_path)
    assert any("tiles.example.invalid" in u for u in page_requests(net))


def test_screenshot_artefact(report, tmp_path):
    shot = report / "report-screenshot.png"
    chromium((report / "report.html").as_uri(), tmp_path, f"--screenshot={shot}", "--window-size=1280,1600")
    assert shot.is_file() and shot.stat().st_size > 20_000
    # Kept for people reading the CI log: build/test-artifacts/report-screenshot.png.
    artefacts = Path(__file__).resolve().parents[2] / "build" / "test-artifacts"
    if artefacts.parent.is_dir():
        artefacts.mkdir(exist_ok=True)
        shutil.copy(shot, artefacts / shot.name)
    print(f"\nscreenshot: {shot}")

"""No script from the data: report.html of a run whose run name, area ids and area names hold
HTML, quotes and script, opened in headless Chromium driven over the DevTools protocol (a pipe,
no network). Every area's popup is opened with the page's own Leaflet layers; then nothing from
the data may have run (the title is unchanged, no dialog, no console or log message, no
exception), no element or event handler from the data may be in the page, and the names show
as text in the popups, the table, the headings and the figure captions. The page's CSP must
allow its own scripts by hash, never 'unsafe-inline'. The same run's workbook must hold the ids
that look like formulas as text, and landel.qgs must keep the run name as text."""

import base64
import hashlib
import json
import os
import re
import shutil
import subprocess
import threading
import xml.etree.ElementTree as ET
import zipfile
from html.parser import HTMLParser

import pytest
from osgeo import ogr

import landel_testlib as lt

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = pytest.mark.skipif(not CHROMIUM, reason="chromium not installed")

FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--disable-default-apps", "--host-resolver-rules=MAP * ~NOTFOUND",
         "--window-size=1280,1600"]

# (area id, area name) for the sample's seven areas: markup, quotes, script-element breakouts,
# entities that must stay literal, comment openers, the line/paragraph separators, and ids a
# spreadsheet would take for formulas.
HOSTILE = [
    ("<img src=x onerror=\"document.title='pwned-id'\">",
     "<img src=x onerror=\"document.title='pwned-name'\">"),
    ("</script><script>document.title='x'</script>",
     "</SCRIPT><script>alert('name')</script>"),
    ("\"'><svg onload=\"document.title='svg'\">", "'\"><svg/onload=alert(1)>"),
    ("&amp;", "&lt;b&gt; & <b>bold</b> &#60;i&#62;"),
    ("<!--<script>", "<!-- \u2028 \u2029 --> ]]> {{7*7}}"),
    ("=HYPERLINK(\"http://example.invalid\",\"x\")",
     "<iframe srcdoc=\"<script>parent.document.title='frame'</script>\"></iframe>"),
    ("=1+2", "javascript:alert(1) <a href=\"javascript:alert(2)\">link</a>"),
]
RUN_NAME = "<img src=x onerror=alert('run')> \"Polder\" & 'co' </title><script>alert(3)</script>"

# Runs before the page's scripts: keeps a reference to every Leaflet map the page creates, so
# that the test can open each layer's popup the way a click does (Layer.openPopup).
MAP_HOOK = """
(function () {
  var maps = [], real, hooked = false;
  Object.defineProperty(window, '__landelMaps', {value: maps});
  Object.defineProperty(window, 'L', {configurable: true, enumerable: true,
    get: function () {
      if (!hooked && real && real.Map && real.Map.addInitHook) {
        hooked = true;
        real.Map.addInitHook(function () { maps.push(this); });
      }
      return real;
    },
    set: function (v) { real = v; }});
})();
"""

OPEN_EVERY_POPUP = """
(async function () {
  var sleep = function (ms) { return new Promise(function (r) { setTimeout(r, ms); }); };
  var map = window.__landelMaps[0];
  if (!map) return {error: 'the page made no Leaflet map'};
  var layers = [];
  map.eachLayer(function (l) { if (l.getPopup && l.getPopup()) layers.push(l); });
  var popups = [];
  for (var k = 0; k < layers.length; ++k) {
    layers[k].openPopup();
    await sleep(150);
    var popup = layers[k].getPopup(), root = popup.isOpen() ? popup.getElement() : null;
    var c = root ? root.querySelector('.leaflet-popup-content') : null;
    popups.push({text: c ? c.textContent : null,
                 tags: c ? Array.prototype.map.call(c.querySelectorAll('*'),
                                                    function (e) { return e.tagName; }) : []});
  }
  map.closePopup();
  await sleep(500);
  var handlers = [];
  document.querySelectorAll('*').forEach(function (e) {
    Array.prototype.forEach.call(e.attributes, function (a) {
      if (/^on/i.test(a.name)) handlers.push(e.tagName + ' ' + a.name);
    });
  });
  var texts = function (sel) {
    return Array.prototype.map.call(document.querySelectorAll(sel),
                                    function (e) { return e.textContent; });
  };
  return {
    title: document.title,
    h1: texts('h1'),
    popups: popups,
    rows: Array.prototype.map.call(document.querySelectorAll('#areas tbody tr'), function (r) {
      return Array.prototype.map.call(r.cells, function (c) { return c.textContent; });
    }),
    captions: texts('figcaption'),
    alts: Array.prototype.map.call(document.querySelectorAll('img.map'),
                                   function (e) { return e.alt; }),
    legend: texts('.legend'),
    foreign: Array.prototype.map.call(document.querySelectorAll(
        "iframe, svg, object, embed, a[href]:not([href='#']), img:not(.map)"),
      function (e) { return e.outerHTML.slice(0, 120); }),
    handlers: handlers,
    leaflet: !!document.querySelector('.leaflet-container')
  };
})()
"""


class DevTools:
    """Chromium over --remote-debugging-pipe: requests on fd 3, replies and events on fd 4,
    each a JSON message ended by a NUL byte. JavaScript dialogs are accepted (and recorded)."""

    def __init__(self, profile):
        to_r, to_w = os.pipe()
        from_r, from_w = os.pipe()

        def child_fds():
            os.dup2(to_r, 3)
            os.dup2(from_w, 4)

        self.proc = subprocess.Popen([CHROMIUM, *FLAGS, "--remote-debugging-pipe",
                                      f"--user-data-dir={profile}", "about:blank"],
                                     preexec_fn=child_fds, close_fds=False,
                                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        os.close(to_r)
        os.close(from_w)
        self.out = os.fdopen(to_w, "wb", buffering=0)
        self.inp = os.fdopen(from_r, "rb")
        self.cond = threading.Condition()
        self.send_lock = threading.Lock()
        self.replies, self.events, self.next_id = {}, [], 0
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self):
        buf = b""
        while True:
            chunk = self.inp.read1(1 << 16)
            if not chunk:
                return
            buf += chunk
            while b"\0" in buf:
                raw, buf = buf.split(b"\0", 1)
                msg = json.loads(raw)
                if msg.get("method") == "Page.javascriptDialogOpening":
                    self.send("Page.handleJavaScriptDialog", {"accept": True}, msg.get("sessionId"))
                with self.cond:
                    if "id" in msg:
                        self.replies[msg["id"]] = msg
                    else:
                        self.events.append(msg)
                    self.cond.notify_all()

    def send(self, method, params=None, session=None):
        with self.send_lock:
            self.next_id += 1
            msg = {"id": self.next_id, "method": method, "params": params or {}}
            if session:
                msg["sessionId"] = session
            self.out.write(json.dumps(msg).encode() + b"\0")
            return self.next_id

    def call(self, method, params=None, session=None, timeout=60):
        i = self.send(method, params, session)
        with self.cond:
            assert self.cond.wait_for(lambda: i in self.replies, timeout), f"{method}: no reply"
            reply = self.replies.pop(i)
        assert "error" not in reply, f"{method}: {reply['error']}"
        return reply["result"]

    def wait_event(self, method, timeout=60):
        with self.cond:
            assert self.cond.wait_for(lambda: any(e["method"] == method for e in self.events),
                                      timeout), f"no {method} within {timeout} s"

    def close(self):
        self.proc.kill()
        self.proc.wait()
        self.out.close()
        self.inp.close()


class Scripts(HTMLParser):
    """The page's <meta http-equiv=Content-Security-Policy> and its inline scripts."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.csp, self.scripts, self._in = None, [], None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "meta" and (a.get("http-equiv") or "").lower() == "content-security-policy":
            self.csp = a.get("content")
        if tag == "script":
            self._in = {"type": a.get("type"), "text": ""}

    def handle_data(self, data):
        if self._in is not None:
            self._in["text"] += data

    def handle_endtag(self, tag):
        if tag == "script" and self._in is not None:
            self.scripts.append(self._in)
            self._in = None


def hostile_run(repo_root, run_landel_session, tmp_path):
    sample = repo_root / "data/samples/polder"
    gpkg = tmp_path / "hostile.gpkg"
    src = ogr.Open(str(sample / "landscape.gpkg"))
    layer = src.GetLayer("gebieden")
    features = []
    for f, (area_id, name) in zip(sorted(layer, key=lambda f: f.GetField("code")), HOSTILE):
        features.append((f.GetGeometryRef().Clone(), {"code": area_id, "naam": name}))
    assert len(features) == len(HOSTILE)
    lt.write_vector(gpkg, "gebieden", layer.GetGeomType(), features,
                    fields=[("code", ogr.OFTString), ("naam", ogr.OFTString)])
    text = (sample / "landel.toml").read_text(encoding="utf-8")
    text = text.replace('path = "landscape.gpkg"', f"path = {json.dumps(str(gpkg))}", 1)
    text = text.replace('path = "landscape.gpkg"',
                        f"path = {json.dumps(str(sample / 'landscape.gpkg'))}")
    text = text.replace('name = "Voorbeeldpolder"', f"name = {json.dumps(RUN_NAME)}")
    cfg = tmp_path / "landel.toml"
    cfg.write_text(text, encoding="utf-8")
    out = tmp_path / "run"
    proc = run_landel_session("run", str(cfg), "--out", str(out), "--quiet")
    assert proc.returncode == 0, lt.describe(proc)
    return out / "report.html"


@pytest.fixture(scope="module")
def report(repo_root, run_landel_session, tmp_path_factory):
    return hostile_run(repo_root, run_landel_session, tmp_path_factory.mktemp("hostile"))


@pytest.fixture(scope="module")
def opened(report, tmp_path_factory):
    """Open the page, open every popup; (page state, DevTools events)."""
    browser = DevTools(tmp_path_factory.mktemp("profile"))
    try:
        targets = browser.call("Target.getTargets")["targetInfos"]
        page = next(t for t in targets if t["type"] == "page")
        session = browser.call("Target.attachToTarget",
                               {"targetId": page["targetId"], "flatten": True})["sessionId"]
        for domain in ("Page", "Runtime", "Log"):
            browser.call(f"{domain}.enable", session=session)
        browser.call("Page.addScriptToEvaluateOnNewDocument", {"source": MAP_HOOK}, session)
        with browser.cond:
            browser.events.clear()
        browser.call("Page.navigate", {"url": report.as_uri()}, session)
        browser.wait_event("Page.loadEventFired")
        result = browser.call("Runtime.evaluate", {"expression": OPEN_EVERY_POPUP,
                                                   "awaitPromise": True, "returnByValue": True},
                              session, timeout=120)
        assert "exceptionDetails" not in result, result["exceptionDetails"]
        with browser.cond:
            events = list(browser.events)
        return result["result"]["value"], events
    finally:
        browser.close()


def test_nothing_from_the_data_runs(opened):
    state, events = opened
    assert "error" not in state, state
    assert state["leaflet"]                  # the page's own scripts did run
    expected_title = RUN_NAME + ": landscape elements and area bid"
    assert state["title"] == " ".join(expected_title.split())
    noise = [(e["method"], e.get("params")) for e in events
             if e["method"] in ("Page.javascriptDialogOpening", "Runtime.consoleAPICalled",
                                "Runtime.exceptionThrown", "Log.entryAdded")]
    assert noise == []
    assert state["handlers"] == []
    assert state["foreign"] == []


def test_names_show_as_text(opened):
    state, _ = opened
    assert state["h1"] == [RUN_NAME + ": landscape elements and area bid"]
    assert len(state["popups"]) == len(HOSTILE)
    shown = sorted(p["text"] for p in state["popups"])
    for area_id, name in HOSTILE:
        assert sum(t.startswith(f"{area_id} {name}share of rural land: ") for t in shown) == 1, \
            (area_id, name, shown)
    for p in state["popups"]:
        assert set(p["tags"]) <= {"B", "BR"}, p
    rows = {r[0]: r[1] for r in state["rows"]}
    assert rows == dict(HOSTILE)
    captions = set(state["captions"])
    assert captions and captions <= {f"{i} {n}" for i, n in HOSTILE}
    assert set(state["alts"]) == {"Overview map"} | captions


def test_csp_allows_only_the_pages_own_scripts(report):
    page = Scripts()
    page.feed(report.read_text(encoding="utf-8"))
    assert page.csp
    directives = {d.split()[0]: d.split()[1:] for d in page.csp.split(";") if d.strip()}
    allowed = directives["script-src"]
    assert "'unsafe-inline'" not in allowed and "'unsafe-eval'" not in allowed
    assert all(re.fullmatch(r"'sha256-[A-Za-z0-9+/]{43}='", s) for s in allowed), allowed
    executable = [s["text"] for s in page.scripts if s["type"] in (None, "", "text/javascript")]
    assert executable
    hashes = {"'sha256-" + base64.b64encode(hashlib.sha256(s.encode()).digest()).decode() + "'"
              for s in executable}
    assert hashes == set(allowed)
    # The data sits in a block the browser never runs.
    assert any(s["type"] == "application/json" for s in page.scripts)


def test_workbook_and_project_keep_the_text(report):
    """area_bid.xlsx holds the ids as text cells, never formulas (its only formulas are the
    totals landel writes), and landel.qgs stays well-formed XML with the run name as text."""
    with zipfile.ZipFile(report.parent / "area_bid.xlsx") as book:
        shared = ET.fromstring(book.read("xl/sharedStrings.xml"))
        texts = {"".join(si.itertext()) for si in shared}
        sheets = [n for n in book.namelist() if re.fullmatch(r"xl/worksheets/sheet\d+\.xml", n)]
        formulas = []
        for name in sheets:
            formulas += ["".join(f.itertext()) for f in ET.fromstring(book.read(name)).iter()
                         if f.tag.endswith("}f")]
    for area_id, name in HOSTILE:
        assert area_id in texts and name in texts
    total = r"SUM\([A-Z]+\d+:[A-Z]+\d+\)"
    assert formulas and all(re.fullmatch(rf"(100\*)?{total}(/{total})?", f) for f in formulas), \
        formulas
    project = ET.parse(report.parent / "landel.qgs").getroot()
    assert project.get("projectname") == "landel: " + RUN_NAME
    assert project.findtext("title") == "landel: " + RUN_NAME

#!/usr/bin/python3
"""Shows that two landel binaries write the same outputs: before and after a change.

Usage:
    /usr/bin/python3 tools/compare_outputs.py BIN_BEFORE BIN_AFTER [--work DIR] [--keep]
    /usr/bin/python3 tools/compare_outputs.py --dirs DIR_BEFORE DIR_AFTER

The first form runs both binaries on the same inputs and compares everything they wrote; the
second only compares two output folders written earlier (recursively). Prints one line per
difference (file, then layer / sheet / row / column / feature / key) and a final count
("N differences in M files"); exits 1 on any difference, 0 when there is none, 2 on a usage
error. WORK (--work, kept) gets cases/, before/ and after/; without --work the tool uses a
new folder in /tmp and removes it at the end unless --keep.
Needs Debian's python3 with GDAL (python3-gdal) and numpy; nothing else.

What runs, with each binary in turn (`--threads 2` for both, so the thread count in
summary.json is equal too), each writing to WORK/out/<job>; WORK/out then becomes
WORK/before or WORK/after. Both binaries therefore write to the same paths, and output paths
printed in logs and manifests compare equal without being masked:
  - `landel run` of every data/samples/*/*.toml (sample-<folder>-<name>);
  - `landel delineate` of the overlay and catchments configs (delineate-overlay, -catchments);
  - `landel bid --from` and `landel render --from` on the run of the polder's landel.toml
    (bid, render);
  - `landel batch` of landel.toml over the two regions of fysisch.gpkg layer fgr (batch);
  - the benchmark generators at a small scale, each case generated ONCE into WORK/cases and
    read by both binaries:
      bench-vector: tools/generate_landscape.py with benchmarks/vector/make_case.sh's
        arguments but 3 x 2 areas of 1000 m (density 3 as there), and that script's config;
      bench-raster: benchmarks/raster/make_case.sh with SIZE=2048 (2048^2 cells, 200 areas);
      bench-hydrology-links, -outlets: `landel delineate` of the catchments (basins "links"
        and "outlets") of a 400 x 400 cell DEM from benchmarks/hydrology/make_dem.py (the
        hydrology benchmark times delineation only; a run would need element sources the
        generator does not make).
A job's exit status and its stderr (run with -q: only warnings and errors) count as outputs;
a job that fails (with either binary) is a difference.

How each file is compared (every file of either folder; a file only one side has is a
difference):
  - .gpkg: as SQLite databases: the application_id and user_version, every table's, view's,
    index's and trigger's schema, and every row of every table, reported as table / fid /
    column. This covers each layer's schema, feature count, every attribute and geometry
    (the GeoPackage blob: header, envelope and WKB, byte for byte), gpkg_contents (extent,
    identifier, description), gpkg_geometry_columns, gpkg_spatial_ref_sys, gpkg_extensions,
    gpkg_ogr_contents, layer_styles (the QGIS styles, with the field aliases) and the
    spatial index's entries (id and bounding box, by id).
  - .tif: size, band count, geotransform, projection, metadata of every domain (incl.
    IMAGE_STRUCTURE: compression, layout), and per band its type, nodata, block size,
    offset/scale, description, metadata, colour interpretation, colour table and every
    bit of its cells.
  - .xlsx: the set and order of zip members and every member's bytes: xl/worksheets/*.xml
    (cell by cell when they differ, then the rest of the sheet: columns, merges, page
    setup), xl/sharedStrings.xml, xl/styles.xml, xl/workbook.xml, docProps/app.xml, ...
  - summary.json: the parsed JSON, key by key (key order too).
  - landel.log, batch.log and a job's stderr: line by line.
  - .csv: bytes; differences are reported by row (first cell) and column.
  - everything else (.qgs, .qml, .html, .svg, .png, .pdf, .txt ...): bytes; text files'
    differences are reported by line.

Excluded, because they legitimately differ between two builds or two runs of the same
binary (the baseline binary against itself gives zero differences with exactly these
excluded, and differences without them):
  - timings: summary.json `timings_s` (seconds per stage), batch.csv's `seconds` column and
    batch.log's "unit 'X': done in N s";
  - the version string, which a change may bump: summary.json `landel_version`, "landel X"
    in landel.log, batch.log and stderr, and report.html's header ("landel X · DATE ·");
  - dates and times of the run: report.html's date in that header, the timestamp that
    starts every log line, the PDF's /CreationDate and /ModDate, the xlsx's
    docProps/core.xml dcterms:created / dcterms:modified, and gpkg_contents.last_change
    (GDAL writes the time a layer was written);
  - GeoTIFF metadata domain DERIVED_SUBDATASETS (GDAL's own, naming the file's path);
  - the spatial index's storage (rtree_*_node, _parent, _rowid: node blobs); its entries
    are compared, as above;
  - the folder of files a binary finds by itself rather than through the config (the
    shipped element catalogue: data/catalogue/*.csv of its source tree, or share/landel of
    its install): in summary.json `inputs[].path` such a path compares by its last two
    parts (catalogue/elements.csv) and its sha256 exactly; in logs and stderr the folder
    reads <shipped>. Inputs in the sample folder or the work folder compare in full;
  - a batch unit's summary.json `batch.fingerprint`: a hash over the version, the absolute
    path and sha256 of every input, the shipped catalogue's too, so it differs between two
    builds in two trees (checked: baseline and 68b4209 give equal fingerprints when both
    read the catalogue from one folder, LANDEL_DATA_DIR). Its parts are compared: the
    unit's `inputs`, as above;
  - the sha256 of inputs inside the `from` folder of `bid` / `render` (the earlier run's
    areas.gpkg, whose bytes hold its last_change): that file is compared as an output of
    its own job, row by row.
Not excluded, on purpose: threads (both run with --threads 2), config and output paths
(identical by construction), the sample inputs' sha256, warnings, notes, totals, every
figure. In --dirs mode nothing is known about the binaries: any "landel X.Y.Z" is masked,
and every input outside the `from` folder compares by its last two parts and sha256.
"""

import argparse
import csv
import difflib
import hashlib
import io
import json
import os
import re
import shutil
import sqlite3
import subprocess
import sys
import time
import zipfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SAMPLES = REPO / "data" / "samples"
POLDER = SAMPLES / "polder"
PY = "/usr/bin/python3"
THREADS = "2"
MAX_DETAIL = 10  # differences listed per file before "... and N more"
JOB_TIMEOUT_S = 600  # a job of the baseline takes seconds; a hung one must not hang the tool

# Vector case: benchmarks/vector/make_case.sh uses --areas-x 11 --areas-y 9 --area-size 2400
# --density 3 (100 areas, half a minute); this keeps its density on 3 x 2 areas of 1000 m.
VECTOR_ARGS = ["--seed", "42", "--areas-x", "3", "--areas-y", "2", "--area-size", "1000",
               "--density", "3"]
RASTER_SIZE = "2048"  # make_case.sh's SIZE (default 40000); below ~2000 areas self-intersect
DEM_SIZE = "400"      # make_dem.py --size (default 20000): 2 x 2 km of 5 m cells


def log(msg):
    print(msg, file=sys.stderr, flush=True)


# --------------------------------------------------------------------------- cases and jobs

def generate(argv, env=None):
    """Runs a generator; on failure stops with its command and the end of its stderr."""
    p = subprocess.run(argv, capture_output=True, text=True, env=env)
    if p.returncode != 0:
        tail = " | ".join(p.stderr.strip().splitlines()[-3:])
        raise SystemExit(f"compare_outputs: {' '.join(argv)}: exit {p.returncode}: {tail}")


def make_cases(cases):
    """Generates the benchmark cases once; both binaries read the same files."""
    if cases.exists():
        shutil.rmtree(cases)
    vector = cases / "vector"
    vector.mkdir(parents=True)
    generate([PY, str(REPO / "tools" / "generate_landscape.py"),
              str(vector / "landscape.gpkg"), *VECTOR_ARGS])
    # The benchmark's config is the heredoc of make_case.sh: take it from there, so that
    # this case follows the benchmark when it changes.
    script = (REPO / "benchmarks" / "vector" / "make_case.sh").read_text(encoding="utf-8")
    m = re.search(r"<<'TOML'\n(.*?)\nTOML\n", script, re.S)
    if not m:
        raise SystemExit("compare_outputs: benchmarks/vector/make_case.sh: no <<'TOML' heredoc")
    (vector / "landel.toml").write_text(m.group(1) + "\n", encoding="utf-8")

    env = dict(os.environ, SIZE=RASTER_SIZE)
    generate(["bash", str(REPO / "benchmarks" / "raster" / "make_case.sh"),
              str(cases / "raster")], env=env)

    hydro = cases / "hydrology"
    hydro.mkdir()
    generate([PY, str(REPO / "benchmarks" / "hydrology" / "make_dem.py"),
              str(hydro / "dem.tif"), "--size", DEM_SIZE, "--seed", "42"])
    for basins in ("links", "outlets"):
        (hydro / f"{basins}.toml").write_text(f"""\
# Catchments of benchmarks/hydrology/make_dem.py's DEM, for tools/compare_outputs.py.
[run]
name = "Benchmark hydrology ({basins})"
crs = "EPSG:28992"
measurement_year = 2024
output = "out"

[areas]
method = "catchments"
min_area_ha = 2

[areas.dem]
path = "dem.tif"
min_catchment_ha = 20
basins = "{basins}"
fill_holes = true
""", encoding="utf-8")


def jobs(cases, out):
    """(name, landel arguments) in the order they run; bid and render read the run of
    the polder's landel.toml."""
    js = []
    for cfg in sorted(SAMPLES.glob("*/*.toml")):
        js.append((f"sample-{cfg.parent.name}-{cfg.stem}",
                   ["run", str(cfg), "--threads", THREADS]))
    for kind in ("overlay", "catchments"):
        js.append((f"delineate-{kind}",
                   ["delineate", str(POLDER / f"landel-{kind}.toml"), "--threads", THREADS]))
    first = out / "sample-polder-landel"
    js.append(("bid", ["bid", str(POLDER / "landel.toml"), "--from", str(first)]))
    js.append(("render", ["render", str(POLDER / "landel.toml"), "--from", str(first)]))
    js.append(("batch", ["batch", str(POLDER / "landel.toml"),
                         "--units", str(POLDER / "fysisch.gpkg"), "--units-layer", "fgr",
                         "--unit-field", "regio", "--jobs", "1", "--threads", THREADS]))
    js.append(("bench-vector", ["run", str(cases / "vector" / "landel.toml"),
                                "--threads", THREADS]))
    js.append(("bench-raster", ["run", str(cases / "raster" / "landel.toml"),
                                "--threads", THREADS]))
    for basins in ("links", "outlets"):
        js.append((f"bench-hydrology-{basins}",
                   ["delineate", str(cases / "hydrology" / f"{basins}.toml"),
                    "--threads", THREADS]))
    return js


def binary_version(binary):
    p = subprocess.run([binary, "--version"], capture_output=True, text=True)
    words = p.stdout.split()
    return words[-1] if p.returncode == 0 and words else None


def run_all(binary, cases, out):
    """Runs every job with `binary` into `out`; each job's exit status and stderr go to
    out/<job>.status and out/<job>.stderr."""
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    for name, args in jobs(cases, out):
        argv = [binary, *args, "--out", str(out / name), "-q"]
        t0 = time.perf_counter()
        try:
            p = subprocess.run(argv, capture_output=True, text=True, cwd=REPO,
                               timeout=JOB_TIMEOUT_S)
            code, err = str(p.returncode), p.stderr
        except subprocess.TimeoutExpired as e:
            code = "timeout"
            err = (e.stderr or b"").decode("utf-8", "replace") + f"\nkilled after {JOB_TIMEOUT_S} s"
        log(f"  {name}: exit {code} ({time.perf_counter() - t0:.1f} s)")
        (out / f"{name}.status").write_text(f"{code}\n", encoding="utf-8")
        (out / f"{name}.stderr").write_text(err, encoding="utf-8")


# --------------------------------------------------------------------------- masking

class Masks:
    """What legitimately differs between the two sides (see the header)."""

    def __init__(self, version=None, protected=()):
        self.version = version      # this side's `landel --version` (None: any version)
        self.protected = [str(p) for p in protected]  # folders whose paths compare in full

    @staticmethod
    def _under(path, folder):
        return path == folder or path.startswith(folder.rstrip("/") + "/")

    def input_entry(self, e, from_dir):
        """summary.json `inputs[]` entry as compared: see the header."""
        path = e.get("path")
        if not isinstance(path, str):
            return e
        if isinstance(from_dir, str) and self._under(path, from_dir):
            return {k: v for k, v in e.items() if k != "sha256"}
        if any(self._under(path, p) for p in self.protected):
            return e
        return dict(e, path="<shipped>/" + "/".join(Path(path).parts[-2:]))

    def text(self, s):
        """Masks the version and shipped-catalogue folders in a log or stderr."""
        v = re.escape(self.version) if self.version else r"\d+\.\d+\.\d+\S*"
        s = re.sub(r"\blandel " + v + r"(?=\s)", "landel <version>", s)
        return re.sub(r"(?:/[^\s'\"]+)?/(catalogue/[^\s/'\"]+\.csv)", r"<shipped>/\1", s)


# --------------------------------------------------------------------------- comparers

class Report:
    def __init__(self):
        self.count = 0
        self.files = 0

    def add(self, where, what):
        self.count += 1
        print(f"{where}: {what}", flush=True)

    def many(self, where, items):
        """Reports each of `items` (strings), the first MAX_DETAIL in full."""
        for it in items[:MAX_DETAIL]:
            self.add(where, it)
        if len(items) > MAX_DETAIL:
            self.count += len(items) - MAX_DETAIL
            print(f"{where}: ... and {len(items) - MAX_DETAIL} more differences", flush=True)


def short(v, n=80):
    s = repr(v)
    return s if len(s) <= n else s[:n] + "..."


def compare_bytes(rel, a, b, rep):
    da, db = a.read_bytes(), b.read_bytes()
    if da == db:
        return
    try:
        ta, tb = da.decode("utf-8"), db.decode("utf-8")
    except UnicodeDecodeError:
        rep.add(rel, f"bytes differ ({len(da)} vs {len(db)} bytes, "
                     f"sha256 {hashlib.sha256(da).hexdigest()[:12]} vs "
                     f"{hashlib.sha256(db).hexdigest()[:12]})")
        return
    compare_lines(rel, ta.splitlines(keepends=True), tb.splitlines(keepends=True), rep)


def compare_lines(rel, la, lb, rep):
    items = []
    sm = difflib.SequenceMatcher(None, la, lb, autojunk=False)
    for tag, i1, i2, j1, j2 in sm.get_opcodes():
        if tag == "equal":
            continue
        items.append(f"line {i1 + 1}-{i2} vs {j1 + 1}-{j2} ({tag}): "
                     f"{short(''.join(la[i1:i2]))} vs {short(''.join(lb[j1:j2]))}")
    if not items:  # equal lines, different line endings or final newline
        items.append("bytes differ (line endings)")
    rep.many(rel, items)


# Columns that are timings: batch.csv `seconds` (how long each unit took).
CSV_TIMINGS = {"batch.csv": {"seconds"}}


def compare_csv(rel, a, b, rep):
    da, db = a.read_bytes(), b.read_bytes()
    if da == db:
        return
    skip = CSV_TIMINGS.get(a.name, set())
    ra = list(csv.reader(io.StringIO(da.decode("utf-8", "replace"))))
    rb = list(csv.reader(io.StringIO(db.decode("utf-8", "replace"))))
    header = ra[0] if ra else []
    items = []
    if len(ra) != len(rb):
        items.append(f"{len(ra)} vs {len(rb)} rows")
    for i, (x, y) in enumerate(zip(ra, rb)):
        if x == y:
            continue
        key = x[0] if x else ""
        if len(x) != len(y):
            items.append(f"row {i + 1} ({key}): {len(x)} vs {len(y)} columns")
            continue
        for j, (u, v) in enumerate(zip(x, y)):
            col = header[j] if j < len(header) and i > 0 else f"column {j + 1}"
            if u != v and col not in skip:
                items.append(f"row {i + 1} ({key}) {col}: {u!r} vs {v!r}")
    if not items and not skip:
        items.append("bytes differ (quoting or line endings)")
    rep.many(rel, items)


CORE_DATES = re.compile(rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*(</dcterms:)")
CELL = re.compile(rb"<c r=\"([A-Z]+[0-9]+)\"[^>]*?(?:/>|>.*?</c>)", re.S)


def compare_xlsx(rel, a, b, rep):
    try:
        za, zb = zipfile.ZipFile(a), zipfile.ZipFile(b)
    except zipfile.BadZipFile as e:
        rep.add(rel, f"not a zip file: {e}")
        return
    na, nb = set(za.namelist()), set(zb.namelist())
    for n in sorted(na - nb):
        rep.add(f"{rel}:{n}", "only before")
    for n in sorted(nb - na):
        rep.add(f"{rel}:{n}", "only after")
    if za.namelist() != zb.namelist() and na == nb:
        rep.add(rel, "zip members in another order")
    for n in sorted(na & nb):
        x, y = za.read(n), zb.read(n)
        if n == "docProps/core.xml":
            x, y = CORE_DATES.sub(rb"\1\2", x), CORE_DATES.sub(rb"\1\2", y)
        if x == y:
            continue
        where = f"{rel}:{n}"
        if n.startswith("xl/worksheets/"):
            ca = {m.group(1): m.group(0) for m in CELL.finditer(x)}
            cb = {m.group(1): m.group(0) for m in CELL.finditer(y)}
            items = [f"cell {r.decode()}: {short(ca.get(r, b'').decode())} vs "
                     f"{short(cb.get(r, b'').decode())}"
                     for r in sorted(set(ca) | set(cb)) if ca.get(r) != cb.get(r)]
            rest_a, rest_b = CELL.sub(b"", x), CELL.sub(b"", y)
            if rest_a != rest_b:
                items.append("sheet layout differs (columns, merges, page setup ...)")
            rep.many(where, items or ["bytes differ"])
        else:
            compare_lines(where, x.decode("utf-8", "replace").splitlines(True),
                          y.decode("utf-8", "replace").splitlines(True), rep)


def sqlite_tables(con):
    return con.execute("SELECT type, name, tbl_name, sql FROM sqlite_master "
                       "WHERE name NOT LIKE 'sqlite_%' ORDER BY type, name").fetchall()


def compare_gpkg(rel, a, b, rep):
    ca = sqlite3.connect(f"file:{a}?mode=ro", uri=True)
    cb = sqlite3.connect(f"file:{b}?mode=ro", uri=True)
    try:
        for pragma in ("application_id", "user_version"):
            x = ca.execute(f"PRAGMA {pragma}").fetchone()[0]
            y = cb.execute(f"PRAGMA {pragma}").fetchone()[0]
            if x != y:
                rep.add(rel, f"{pragma} {x} vs {y}")
        sa = {(t, n): (tb, s) for t, n, tb, s in sqlite_tables(ca)}
        sb = {(t, n): (tb, s) for t, n, tb, s in sqlite_tables(cb)}
        for k in sorted(set(sa) | set(sb)):
            if k not in sb:
                rep.add(f"{rel}:{k[1]}", f"{k[0]} only before")
            elif k not in sa:
                rep.add(f"{rel}:{k[1]}", f"{k[0]} only after")
            elif sa[k] != sb[k]:
                rep.add(f"{rel}:{k[1]}", f"{k[0]} schema: {short(sa[k][1], 200)} vs "
                                         f"{short(sb[k][1], 200)}")
        for (kind, name) in sorted(set(sa) & set(sb)):
            if kind != "table" or sa[(kind, name)] != sb[(kind, name)] or RTREE_SHADOW.match(name):
                continue
            compare_table(rel, ca, cb, name, rep,
                          rtree="USING RTREE" in (sa[(kind, name)][1] or "").upper())
    finally:
        ca.close()
        cb.close()


# The spatial index's storage (its nodes as blobs); its entries (id and bounding box, in the
# rtree_<layer>_<column> virtual table) are compared, by id.
RTREE_SHADOW = re.compile(r"^rtree_.*_(node|parent|rowid)$")


def compare_table(rel, ca, cb, name, rep, rtree=False):
    q = f'SELECT * FROM "{name}"'
    cur_a, cur_b = ca.execute(q), cb.execute(q)
    cols = [d[0] for d in cur_a.description]
    ra, rb = cur_a.fetchall(), cur_b.fetchall()
    # Rows by their key: fid for layers, id for the spatial index, else the row's position.
    key = cols.index("fid") if "fid" in cols else (0 if rtree else None)
    where = f"{rel}:{name}"
    items = []
    if len(ra) != len(rb):
        items.append(f"{len(ra)} vs {len(rb)} rows")
    if key is not None:
        da, db = {r[key]: r for r in ra}, {r[key]: r for r in rb}
        for k in sorted(set(da) - set(db)):
            items.append(f"fid {k} only before")
        for k in sorted(set(db) - set(da)):
            items.append(f"fid {k} only after")
        pairs = [(f"fid {k}", da[k], db[k]) for k in sorted(set(da) & set(db))]
    else:
        pairs = [(f"row {i + 1}", x, y) for i, (x, y) in enumerate(zip(ra, rb))]
    # gpkg_contents.last_change is the time GDAL wrote the layer.
    skip = {"last_change"} if name == "gpkg_contents" else set()
    for label, x, y in pairs:
        if x == y:
            continue
        for c, u, v in zip(cols, x, y):
            if u != v and c not in skip:
                if isinstance(u, bytes) or isinstance(v, bytes):
                    items.append(f"{label} {c}: blobs differ ({len(u or b'')} vs "
                                 f"{len(v or b'')} bytes)")
                else:
                    items.append(f"{label} {c}: {short(u)} vs {short(v)}")
    rep.many(where, items)


# GDAL's own list of derived views of the file, naming its path (before/ vs after/).
DERIVED = "DERIVED_SUBDATASETS"


def compare_tif(rel, a, b, rep):
    from osgeo import gdal
    gdal.UseExceptions()
    da, db = gdal.Open(str(a)), gdal.Open(str(b))

    def props(d):
        p = {"size": (d.RasterXSize, d.RasterYSize, d.RasterCount),
             "geotransform": d.GetGeoTransform(can_return_null=True),
             "projection": d.GetProjection()}
        for dom in sorted(set((d.GetMetadataDomainList() or []) + [""]) - {DERIVED}):
            p[f"metadata[{dom}]"] = d.GetMetadata(dom)
        return p

    items = []
    pa, pb = props(da), props(db)
    for k in sorted(set(pa) | set(pb)):
        if pa.get(k) != pb.get(k):
            items.append(f"{k}: {short(pa.get(k), 200)} vs {short(pb.get(k), 200)}")
    if pa["size"] == pb["size"]:
        for i in range(1, da.RasterCount + 1):
            ba, bb = da.GetRasterBand(i), db.GetRasterBand(i)

            def band_props(bd):
                ct = bd.GetColorTable()
                entries = ([ct.GetColorEntry(j) for j in range(ct.GetCount())]
                           if ct else None)
                p = {"type": gdal.GetDataTypeName(bd.DataType),
                     "nodata": bd.GetNoDataValue(), "colour": bd.GetColorInterpretation(),
                     "colour table": entries, "block": bd.GetBlockSize(),
                     "offset/scale": (bd.GetOffset(), bd.GetScale()),
                     "description": bd.GetDescription()}
                for dom in sorted(set((bd.GetMetadataDomainList() or []) + [""])):
                    p[f"metadata[{dom}]"] = bd.GetMetadata(dom)
                return p

            qa, qb = band_props(ba), band_props(bb)
            for k in sorted(set(qa) | set(qb)):
                if qa.get(k) != qb.get(k):
                    items.append(f"band {i} {k}: {short(qa.get(k))} vs {short(qb.get(k))}")
            if qa["type"] == qb["type"]:
                xa, xb = ba.ReadAsArray(), bb.ReadAsArray()
                if xa.tobytes() != xb.tobytes():
                    diff = (xa.view(f"u{xa.itemsize}") != xb.view(f"u{xb.itemsize}"))
                    rows, cols = diff.nonzero()
                    items.append(f"band {i}: {int(diff.sum())} cells differ bit-wise, first at "
                                 f"row {rows[0]} col {cols[0]}: {xa[rows[0], cols[0]]!r} vs "
                                 f"{xb[rows[0], cols[0]]!r}")
    rep.many(rel, items)


PDF_DATES = re.compile(rb"(/(?:CreationDate|ModDate)\s*\()[^)]*(\))")


def compare_pdf(rel, a, b, rep):
    x, y = PDF_DATES.sub(rb"\1\2", a.read_bytes()), PDF_DATES.sub(rb"\1\2", b.read_bytes())
    if x != y:
        rep.add(rel, f"bytes differ ({len(x)} vs {len(y)} bytes, dates masked)")


def report_header_mask(s, version):
    """report.html's header: "landel VERSION · DATE · ..." -> version and date masked."""
    v = re.escape(version) if version else r"\S+"
    return re.sub(r"landel " + v + r" · \d{4}-\d{2}-\d{2} ·", "landel <version> · <date> ·", s)


def compare_html(rel, a, b, rep, ma, mb):
    x, y = a.read_bytes(), b.read_bytes()
    if x == y:
        return
    ta = report_header_mask(x.decode("utf-8", "replace"), ma.version)
    tb = report_header_mask(y.decode("utf-8", "replace"), mb.version)
    if ta != tb:
        compare_lines(rel, ta.splitlines(True), tb.splitlines(True), rep)


LOG_TIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:?\d{2})? ",
                      re.M)


# batch.log: "unit 'X': done in 2.0 s (...)".
BATCH_DURATION = re.compile(r"(: done in )\d+(?:\.\d+)? s\b")


def compare_text_masked(rel, a, b, rep, ma, mb):
    """landel.log, batch.log and a job's stderr: timestamps, durations, version and shipped
    folders masked."""
    def clean(path, masks):
        t = LOG_TIME.sub("", path.read_text(encoding="utf-8", errors="replace"))
        return masks.text(BATCH_DURATION.sub(r"\1<seconds> s", t))

    ta, tb = clean(a, ma), clean(b, mb)
    if ta != tb:
        compare_lines(rel, ta.splitlines(True), tb.splitlines(True), rep)


def normalise_summary(doc, masks):
    if isinstance(doc, dict):
        doc = dict(doc)
        doc.pop("timings_s", None)
        doc.pop("landel_version", None)
        if isinstance(doc.get("batch"), dict):  # a batch unit's stamp: see the header
            doc["batch"] = {k: v for k, v in doc["batch"].items() if k != "fingerprint"}
        if isinstance(doc.get("inputs"), list):
            doc["inputs"] = [masks.input_entry(e, doc.get("from")) if isinstance(e, dict) else e
                             for e in doc["inputs"]]
        return {k: normalise_summary(v, masks) if k != "inputs" else v for k, v in doc.items()}
    if isinstance(doc, list):
        return [normalise_summary(v, masks) for v in doc]
    return doc


def json_diff(path, x, y, items):
    if type(x) is not type(y):
        items.append(f"{path or '/'}: {short(x)} vs {short(y)}")
    elif isinstance(x, dict):
        for k in list(x) + [k for k in y if k not in x]:
            if k not in y:
                items.append(f"{path}/{k}: only before")
            elif k not in x:
                items.append(f"{path}/{k}: only after")
            else:
                json_diff(f"{path}/{k}", x[k], y[k], items)
        if [k for k in x if k in y] != [k for k in y if k in x]:
            items.append(f"{path or '/'}: keys in another order")
    elif isinstance(x, list):
        if len(x) != len(y):
            items.append(f"{path or '/'}: {len(x)} vs {len(y)} items")
        for i, (u, v) in enumerate(zip(x, y)):
            json_diff(f"{path}[{i}]", u, v, items)
    elif x != y:
        items.append(f"{path}: {short(x)} vs {short(y)}")


def compare_summary(rel, a, b, rep, ma, mb):
    try:
        x = json.loads(a.read_text(encoding="utf-8"))
        y = json.loads(b.read_text(encoding="utf-8"))
    except ValueError as e:
        rep.add(rel, f"not JSON: {e}")
        return
    items = []
    json_diff("", normalise_summary(x, ma), normalise_summary(y, mb), items)
    rep.many(rel, items)


def compare_file(rel, a, b, rep, ma, mb):
    name = a.name
    suffix = a.suffix.lower()
    if name == "summary.json":
        compare_summary(rel, a, b, rep, ma, mb)
    elif name == "landel.log" or suffix in (".stderr", ".log"):
        compare_text_masked(rel, a, b, rep, ma, mb)
    elif suffix == ".gpkg":
        compare_gpkg(rel, a, b, rep)
    elif suffix in (".tif", ".tiff"):
        compare_tif(rel, a, b, rep)
    elif suffix == ".xlsx":
        compare_xlsx(rel, a, b, rep)
    elif suffix == ".pdf":
        compare_pdf(rel, a, b, rep)
    elif suffix == ".html":
        compare_html(rel, a, b, rep, ma, mb)
    elif suffix == ".csv":
        compare_csv(rel, a, b, rep)
    else:
        compare_bytes(rel, a, b, rep)


def files_under(root):
    # GDAL and SQLite side files (.aux.xml, -wal, -shm) would be outputs too: listed as is.
    return {p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file()}


def compare_dirs(before, after, ma=None, mb=None, rep=None):
    """Compares every file under `before` and `after`; returns the Report."""
    ma, mb = ma or Masks(), mb or Masks()
    rep = rep or Report()
    fa, fb = files_under(before), files_under(after)
    for rel in sorted(fa | fb):
        rep.files += 1
        if rel not in fb:
            rep.add(rel, "only before")
        elif rel not in fa:
            rep.add(rel, "only after")
        else:
            try:
                compare_file(rel, before / rel, after / rel, rep, ma, mb)
            except Exception as e:  # an unreadable output is a difference, not a crash
                rep.add(rel, f"cannot compare: {type(e).__name__}: {e}")
    return rep


# --------------------------------------------------------------------------- main

def main(argv=None):
    ap = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0],
        usage="%(prog)s BIN_BEFORE BIN_AFTER [--work DIR] [--keep] | --dirs BEFORE AFTER")
    ap.add_argument("binaries", nargs="*", metavar="BIN")
    ap.add_argument("--work", type=Path, help="work folder (default: a new one in /tmp)")
    ap.add_argument("--keep", action="store_true", help="keep the work folder")
    ap.add_argument("--dirs", nargs=2, type=Path, metavar=("BEFORE", "AFTER"),
                    help="only compare two output folders")
    args = ap.parse_args(argv)

    if args.dirs:
        if args.binaries:
            ap.error("--dirs takes no binaries")
        for d in args.dirs:
            if not d.is_dir():
                ap.error(f"{d}: not a folder")
        rep = compare_dirs(*args.dirs)
        print(f"{rep.count} differences in {rep.files} files")
        return 1 if rep.count else 0

    if len(args.binaries) != 2:
        ap.error("give two landel binaries (or --dirs BEFORE AFTER)")
    bins = [str(Path(b).resolve()) for b in args.binaries]
    for b in bins:
        if not os.access(b, os.X_OK):
            ap.error(f"{b}: not an executable")
    import tempfile
    work = (args.work or Path(tempfile.mkdtemp(prefix="landel-compare-"))).resolve()
    work.mkdir(parents=True, exist_ok=True)
    cases, out = work / "cases", work / "out"
    t0 = time.perf_counter()
    log(f"compare_outputs: generating the benchmark cases in {cases}")
    make_cases(cases)
    sides = []
    for label, binary in zip(("before", "after"), bins):
        version = binary_version(binary)
        log(f"compare_outputs: {label}: {binary} (landel {version})")
        run_all(binary, cases, out)
        dest = work / label
        if dest.exists():
            shutil.rmtree(dest)
        out.rename(dest)
        sides.append((dest, Masks(version, protected=(work, SAMPLES))))
    log(f"compare_outputs: comparing {sides[0][0]} and {sides[1][0]}")
    rep = Report()
    # A job that fails with both binaries compares equal but shows nothing: a difference.
    for name, _ in jobs(cases, out):
        for dest, _ in sides:
            code = (dest / f"{name}.status").read_text(encoding="utf-8").strip()
            if code != "0":
                err = (dest / f"{name}.stderr").read_text(encoding="utf-8").strip()
                last = err.splitlines()[-1] if err else "(no stderr)"
                rep.add(f"{dest.name}/{name}", f"exit {code}: {last}")
    compare_dirs(sides[0][0], sides[1][0], sides[0][1], sides[1][1], rep)
    print(f"{rep.count} differences in {rep.files} files")
    log(f"compare_outputs: {time.perf_counter() - t0:.0f} s")
    if not args.keep and args.work is None:
        shutil.rmtree(work)
    return 1 if rep.count else 0


if __name__ == "__main__":
    sys.exit(main())

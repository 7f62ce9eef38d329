"""The documentation stands alone.

* Every relative link in README.md and docs/*.md points at a file or folder of the
  repository, and every ``#anchor`` (in the same file or another Markdown file) names a
  heading there, by GitHub's heading-slug rules.
* No README, doc or source file outside tests/ and benchmarks/ refers to ``../shared`` or
  ``CONTRACT.md``: a user's clone has neither, so the project's own specification is
  docs/semantics.md.

Failures name ``file:line`` and the bad link or reference. Run with
``/usr/bin/python3 -m pytest -q -p no:cacheprovider tests/docs``.
"""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path
from typing import Dict, Iterator, List, Tuple
from urllib.parse import unquote

ROOT = Path(__file__).resolve().parents[2]

FENCE = re.compile(r"^\s{0,3}(```|~~~)")
HEADING = re.compile(r"^\s{0,3}(#{1,6})\s+(.*?)\s*#*\s*$")
# [text](target) and ![alt](target); the text may hold `code` but no brackets.
LINK = re.compile(r"!?\[(?:[^\[\]]|\[[^\[\]]*\])*\]\(\s*(<[^>]*>|[^()\s]+(?:\([^()\s]*\)[^()\s]*)*)"
                  r"(?:\s+\"[^\"]*\")?\s*\)")
INLINE_CODE = re.compile(r"(`+)(?:(?!\1).)+?\1")


def doc_files() -> List[Path]:
    return [ROOT / "README.md"] + sorted((ROOT / "docs").glob("*.md"))


def rel(path: Path) -> str:
    return path.relative_to(ROOT).as_posix()


def prose_lines(path: Path) -> Iterator[Tuple[int, str]]:
    """(line number, text) of every line outside fenced code blocks."""
    fenced = None
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        m = FENCE.match(line)
        if m:
            if fenced is None:
                fenced = m.group(1)
            elif m.group(1) == fenced:
                fenced = None
            continue
        if fenced is None:
            yield number, line


def slug(heading: str) -> str:
    """GitHub's anchor of a heading: the rendered text lower-cased, characters other than
    letters, digits, spaces, '-' and '_' dropped, spaces turned into '-'."""
    text = re.sub(r"!?\[([^\]]*)\]\([^)]*\)", r"\1", heading)  # links: their text
    text = re.sub(r"<[^>]+>", "", text)  # inline HTML tags
    text = text.replace("`", "").replace("*", "")
    text = text.strip().lower()
    text = "".join(c for c in text if c.isalnum() or c in " -_")
    return text.replace(" ", "-")


_anchor_cache: Dict[Path, List[str]] = {}


def anchors(path: Path) -> List[str]:
    """Every heading anchor of a Markdown file, duplicates numbered -1, -2, ... as GitHub does."""
    if path not in _anchor_cache:
        seen: Dict[str, int] = {}
        out = []
        for _, line in prose_lines(path):
            m = HEADING.match(line)
            if not m:
                continue
            base = slug(m.group(2))
            n = seen.get(base, 0)
            seen[base] = n + 1
            out.append(base if n == 0 else f"{base}-{n}")
        _anchor_cache[path] = out
    return _anchor_cache[path]


def links(path: Path) -> Iterator[Tuple[int, str]]:
    """(line, target) of every Markdown link outside code blocks and inline code."""
    for number, line in prose_lines(path):
        for m in LINK.finditer(INLINE_CODE.sub("", line)):
            target = m.group(1)
            if target.startswith("<") and target.endswith(">"):
                target = target[1:-1]
            yield number, target


def bad_links(path: Path) -> List[str]:
    problems = []
    for number, target in links(path):
        where = f"{rel(path)}:{number}: link '{target}'"
        if re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*:", target):  # http:, https:, mailto:
            continue
        file_part, _, anchor = target.partition("#")
        file_part = unquote(file_part)
        if file_part:
            if file_part.startswith("/"):
                problems.append(f"{where}: absolute path; use a path relative to {rel(path)}")
                continue
            dest = (path.parent / file_part).resolve()
            try:
                dest.relative_to(ROOT)
            except ValueError:
                problems.append(f"{where}: points outside the repository")
                continue
            if not dest.exists():
                problems.append(f"{where}: {rel(dest)} does not exist")
                continue
        else:
            dest = path
        if anchor:
            if dest.suffix.lower() != ".md" or not dest.is_file():
                problems.append(f"{where}: #{anchor} on a file that is not Markdown")
            elif unquote(anchor).lower() not in anchors(dest):
                problems.append(f"{where}: no heading with anchor #{anchor} in {rel(dest)}")
    return problems


def test_the_slug_rules():
    assert slug("The area bid") == "the-area-bid"
    assert slug("Bid columns (after the measurement columns of `area_bid.csv`)") == \
        "bid-columns-after-the-measurement-columns-of-area_bidcsv"
    assert slug("overlay: classes from physical-geographic layers") == \
        "overlay-classes-from-physical-geographic-layers"
    assert slug("Runs beyond one machine: Dask") == "runs-beyond-one-machine-dask"
    assert slug("[Link](x.md) and **bold**") == "link-and-bold"


def test_docs_exist():
    names = {p.name for p in doc_files()}
    for needed in ["README.md", "configuration.md", "semantics.md", "outputs.md", "delineation.md",
                   "bid.md", "batch.md", "python.md", "development.md", "benchmarks.md",
                   "architecture.md", "errors-and-warnings.md", "presets.md"]:
        assert needed in names, f"docs/{needed} is missing"


def test_every_relative_link_and_anchor_resolves():
    problems = [p for path in doc_files() for p in bad_links(path)]
    assert not problems, "broken links:\n" + "\n".join(problems)


def test_readme_is_short():
    lines = (ROOT / "README.md").read_text(encoding="utf-8").count("\n")
    assert lines <= 200, f"README.md: {lines} lines; the rest belongs in docs/ (at most 200)"


def tracked_files() -> List[str]:
    """The repository's files (git ls-files), or a walk of the tree outside a git checkout."""
    try:
        out = subprocess.run(["git", "-C", str(ROOT), "ls-files", "-z"], check=True,
                             capture_output=True).stdout.decode("utf-8")
        files = [f for f in out.split("\0") if f]
    except (OSError, subprocess.CalledProcessError):
        files = []
        for top, dirs, names in os.walk(ROOT):
            dirs[:] = [d for d in dirs if not d.startswith((".", "build", "out"))]
            files += [Path(top, n).relative_to(ROOT).as_posix() for n in names]
    # Docs not yet committed are checked too.
    files += [rel(p) for p in doc_files()]
    return sorted(set(files))


FORBIDDEN = ("../shared", "CONTRACT.md")


def test_no_reference_to_files_outside_the_repository():
    problems = []
    for name in tracked_files():
        if name.split("/", 1)[0] in ("tests", "benchmarks"):
            continue
        path = ROOT / name
        if not path.is_file():
            continue
        data = path.read_bytes()
        if b"\0" in data[:8192]:
            continue  # binary (images, GeoPackages, rasters)
        text = data.decode("utf-8", errors="replace")
        for number, line in enumerate(text.splitlines(), start=1):
            for word in FORBIDDEN:
                if word in line:
                    problems.append(f"{name}:{number}: refers to '{word}' "
                                    f"(not in a user's clone; cite docs/semantics.md or the "
                                    f"right docs/ page): {line.strip()[:100]}")
    assert not problems, "\n".join(problems)

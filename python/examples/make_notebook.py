"""Writes sample.ipynb from the `# %%` cells of sample.py (its script twin), without outputs.

    /usr/bin/python3 python/examples/make_notebook.py

Edit sample.py, then run this; tests/python/test_notebook.py checks that the two agree.
"""

import sys
from pathlib import Path

import nbformat

HERE = Path(__file__).resolve().parent


def cells_of(text):
    """(kind, source) of every `# %%` cell; markdown cells lose their leading '# '."""
    cells, kind, lines = [], None, []

    def flush():
        if kind is not None:
            cells.append((kind, "\n".join(lines).strip("\n")))

    for line in text.splitlines():
        if line.startswith("# %%"):
            flush()
            kind, lines = ("markdown" if "[markdown]" in line else "code"), []
        elif kind == "markdown":
            lines.append(line[2:] if line.startswith("# ") else line.lstrip("#"))
        else:
            lines.append(line)
    flush()
    return cells


def main(src=HERE / "sample.py", dst=HERE / "sample.ipynb"):
    nb = nbformat.v4.new_notebook()
    nb.metadata = {"kernelspec": {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"},
                   "language_info": {"name": "python"}}
    for i, (kind, body) in enumerate(cells_of(Path(src).read_text(encoding="utf-8"))):
        cell = nbformat.v4.new_markdown_cell(body) if kind == "markdown" else nbformat.v4.new_code_cell(body)
        cell["id"] = f"cell-{i}"
        nb.cells.append(cell)
    nbformat.validate(nb)
    nbformat.write(nb, str(dst))


if __name__ == "__main__":
    main(*sys.argv[1:])

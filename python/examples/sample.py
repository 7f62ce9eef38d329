# %% [markdown]
# # landel from Python: the sample polder
#
# Runs the shipped sample (`data/samples/polder/landel.toml`, the synthetic "Voorbeeldpolder")
# with `landel.run` into a temporary folder, shows the measured table and draws a map: the
# areas coloured by their element share of rural land, the landscape elements on top.
#
# `sample.ipynb` and `sample.py` in `python/examples/` are twins: the notebook's cells are the
# script's `# %%` cells (`make_notebook.py` writes the notebook from the script;
# tests/python/test_notebook.py checks that they agree). Run the script as
#
#     PYTHONPATH=build/python /usr/bin/python3 python/examples/sample.py [MAP.png]
#
# The map goes to the PNG given as argument, else to `$LANDEL_SAMPLE_PNG`, else to
# `landel_sample.png` in the current folder. `$LANDEL_SAMPLE_CONFIG` runs another config.

# %%
import os
import sys
import tempfile
from pathlib import Path

import matplotlib

matplotlib.use("Agg")  # no display needed: the figure is written to a file
import matplotlib.pyplot as plt  # noqa: E402


def find_upwards(relative, starts):
    """The first <start or one of its parents>/relative that exists."""
    for start in starts:
        for folder in [start, *start.parents]:
            if (folder / relative).exists():
                return folder / relative
    return None


HERE = [Path(__file__).resolve().parent] if "__file__" in globals() else []
STARTS = HERE + [Path.cwd().resolve()]

try:
    import landel
except ImportError:  # not installed: the build tree of this checkout
    sys.path.insert(0, str(find_upwards("build/python", STARTS)))
    import landel

config = Path(os.environ.get("LANDEL_SAMPLE_CONFIG") or find_upwards("data/samples/polder/landel.toml", STARTS))
if "ipykernel" not in sys.modules and len(sys.argv) > 1:
    figure_path = Path(sys.argv[1])
else:
    figure_path = Path(os.environ.get("LANDEL_SAMPLE_PNG", "landel_sample.png"))
print(f"landel {landel.__version__}; config {config}")


def show(obj):
    """display() in a notebook, print() in a script."""
    try:
        display(obj)  # noqa: F821  (IPython's)
    except NameError:
        print(obj)


# %% [markdown]
# ## Run
#
# `landel.run` does what `landel run` does; `out` puts the outputs into a temporary folder
# instead of the config's `run.output`. A progress callback could be passed as
# `progress=lambda fraction, stage: ...`.

# %%
workdir = tempfile.TemporaryDirectory(prefix="landel-sample-")
result = landel.run(config, out=Path(workdir.name) / "out")
print("outputs in", result.output)
for w in result.warnings:
    print("warning:", w)

# %% [markdown]
# ## The table
#
# `result.table` is `area_bid.csv` as a pandas DataFrame: `area_id` as text, figures as
# numbers, `share_pct` empty (NaN) where an area has no rural land.

# %%
table = result.table
show(table[["area_id", "area_name", "rural_ha", "element_ha", "share_pct", "gap_2030_ha", "status"]])

totals = result.summary["totals"]
print(f"{totals['areas']} areas: {totals['element_ha']:.2f} ha of elements on {totals['rural_ha']:.2f} ha "
      f"of rural land = {totals['share_pct']:.2f}%")

# %% [markdown]
# ## The map
#
# `result.areas` and `result.elements` are GeoDataFrames in the run's CRS (EPSG:28992).

# %%
areas = result.areas
elements = result.elements

fig, ax = plt.subplots(figsize=(9, 6.5), dpi=100)
areas.plot(ax=ax, column="share_pct", cmap="YlGn", vmin=0, vmax=12, alpha=0.8, edgecolor="0.3", linewidth=0.8,
           legend=True, legend_kwds={"label": "element share of rural land (%)", "shrink": 0.7},
           missing_kwds={"color": "0.85", "edgecolor": "0.3", "hatch": "//", "label": "no rural land"})
elements.plot(ax=ax, column="type", categorical=True, cmap="tab10", linewidth=0, legend=True,
              legend_kwds={"loc": "upper left", "bbox_to_anchor": (1.22, 1.0), "fontsize": 8, "title": "type"})
for aid, point in zip(areas["area_id"], areas.geometry.representative_point()):
    ax.annotate(aid, (point.x, point.y), ha="center", va="center", fontsize=9, fontweight="bold")
ax.set_title(f"{result.summary['run'].get('name', 'landel')}: landscape elements per area")
ax.set_axis_off()
fig.tight_layout()
figure_path.parent.mkdir(parents=True, exist_ok=True)
fig.savefig(figure_path)
print("map written to", figure_path)

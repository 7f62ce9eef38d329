"""The package's surface: what the .pyi stubs declare is what the module has, with the same
parameters; docstrings; the version of the CLI."""

from __future__ import annotations

import ast
import inspect
import re
from pathlib import Path

import pytest

landel = pytest.importorskip("landel")

from landel_pyref import REPO_ROOT, run_cli  # noqa: E402

STUBS = REPO_ROOT / "python" / "landel"


def stub_functions(path):
    """{name: [parameter names]} of the top-level defs and {class names} of a stub file."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    functions, classes = {}, set()
    for node in tree.body:
        if isinstance(node, ast.FunctionDef):
            a = node.args
            functions[node.name] = [x.arg for x in a.posonlyargs + a.args + a.kwonlyargs]
        elif isinstance(node, ast.ClassDef):
            classes.add(node.name)
    return functions, classes


def stub_names(path):
    """Every name a stub file declares at the top level (defs, classes, re-exports, variables)."""
    names = set()
    for node in ast.parse(path.read_text(encoding="utf-8")).body:
        if isinstance(node, (ast.FunctionDef, ast.ClassDef)):
            names.add(node.name)
        elif isinstance(node, ast.ImportFrom):
            names.update(a.asname for a in node.names if a.asname == a.name)  # explicit re-exports
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            names.add(node.target.id)
        elif isinstance(node, ast.Assign):
            names.update(t.id for t in node.targets if isinstance(t, ast.Name))
    return names


def test_init_stub_matches_module():
    functions, classes = stub_functions(STUBS / "__init__.pyi")
    declared = stub_names(STUBS / "__init__.pyi")
    for name in landel.__all__:
        assert hasattr(landel, name), name
        assert name in declared, f"{name} is not in __init__.pyi"
    for name, params in functions.items():
        runtime = inspect.signature(getattr(landel, name))
        assert list(runtime.parameters) == params, name
        assert inspect.getdoc(getattr(landel, name)), f"landel.{name} has no docstring"
    assert "Result" in classes and "ElementSource" in classes
    for prop in ("table", "areas", "elements", "summary"):
        assert inspect.getdoc(getattr(landel.Result, prop)), prop


def test_compiled_stub_matches_module():
    compiled = landel._landel
    functions, classes = stub_functions(STUBS / "_landel.pyi")
    runtime_functions = {n for n in dir(compiled) if not n.startswith("_") and callable(getattr(compiled, n))
                         and not isinstance(getattr(compiled, n), type)}
    assert set(functions) == runtime_functions
    for name, params in functions.items():
        # pybind11 puts the signature on the docstring's first line: name(a: T, b: U = ...) -> R
        first = getattr(compiled, name).__doc__.splitlines()[0]
        inside = first[first.index("(") + 1:first.rindex(") ->")]
        names = re.findall(r"(?:^|,\s*)(\w+):", inside)
        assert names == params, name
    runtime_classes = {n for n in dir(compiled) if isinstance(getattr(compiled, n), type)}
    assert classes == runtime_classes
    for cls in classes:
        stubbed = [b.id for b in next(c for c in ast.parse((STUBS / "_landel.pyi").read_text()).body
                                      if isinstance(c, ast.ClassDef) and c.name == cls).bases]
        assert [b.__name__ for b in getattr(compiled, cls).__bases__] == stubbed, cls


def test_package_files_beside_module():
    folder = Path(landel.__file__).parent
    for name in ("__init__.py", "__init__.pyi", "_landel.pyi", "_toml.py", "py.typed"):
        assert (folder / name).is_file(), name
    assert any(folder.glob("_landel*.so"))


def test_version_is_the_cli_version(landel_bin):
    proc = run_cli(landel_bin, ["--version"])
    assert proc.returncode == 0
    assert proc.stdout.strip() == f"landel {landel.__version__}"


def test_toml_writer_round_trip():
    import tomllib
    from landel._toml import dumps
    config = {"run": {"name": 'Zuid "polder"\\', "crs": "EPSG:28992", "measurement_year": 2024},
              "areas": {"method": "given", "layers": [{"path": Path("a b.gpkg"), "id_field": "code"}]},
              "elements": [{"path": "x.gpkg", "type": "hedge", "width_m": 1.5},
                           {"path": "y.tif", "classes": {41: "small_wood", "51": "pond"}}],
              "types": {"order": ["pond", "small_wood", "hedge"]},
              "targets": {"milestone": [{"year": 2030, "share": 0.05}]}}
    back = tomllib.loads(dumps(config))
    assert back["run"]["name"] == 'Zuid "polder"\\'
    assert back["areas"]["layers"][0]["path"] == "a b.gpkg"
    assert back["elements"][1]["classes"] == {"41": "small_wood", "51": "pond"}
    assert back["elements"][0]["width_m"] == 1.5
    assert back["targets"]["milestone"] == [{"year": 2030, "share": 0.05}]


def test_dict_value_toml_cannot_hold(tmp_path):
    with pytest.raises(landel.ConfigError, match=r"run\.output: config value of type NoneType"):
        landel.run({"run": {"name": "x", "output": None}}, tmp_path / "out")

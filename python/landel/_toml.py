"""A small TOML writer for landel configs given as dicts (Debian's Python has tomllib to
read TOML, nothing to write it). Tables, arrays of tables, inline tables for dicts inside
arrays, strings, numbers, booleans and arrays: what a landel config uses."""

from __future__ import annotations

import math
import os
from typing import Any, Mapping


def _key(k: str) -> str:
    k = str(k)
    if k and all(c.isalnum() or c in "_-" for c in k):
        return k
    return _string(k)


def _string(s: str) -> str:
    out = ['"']
    for c in s:
        if c == '"':
            out.append('\\"')
        elif c == "\\":
            out.append("\\\\")
        elif c == "\n":
            out.append("\\n")
        elif c == "\t":
            out.append("\\t")
        elif ord(c) < 0x20:
            out.append(f"\\u{ord(c):04x}")
        else:
            out.append(c)
    out.append('"')
    return "".join(out)


def _value(v: Any) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, int):
        return str(v)
    if isinstance(v, float):
        if math.isnan(v) or math.isinf(v):
            raise ValueError(f"config value {v!r} cannot be written as TOML")
        return repr(v)
    if isinstance(v, (str, os.PathLike)):
        return _string(os.fspath(v))
    if isinstance(v, Mapping):
        return "{ " + ", ".join(f"{_key(k)} = {_value(x)}" for k, x in v.items()) + " }"
    if isinstance(v, (list, tuple)):
        return "[" + ", ".join(_value(x) for x in v) + "]"
    if hasattr(v, "item"):  # numpy scalars
        return _value(v.item())
    raise ValueError(f"config value of type {type(v).__name__} cannot be written as TOML")


def _is_table_array(v: Any) -> bool:
    return isinstance(v, (list, tuple)) and len(v) > 0 and all(isinstance(x, Mapping) for x in v)


def _emit(table: Mapping[str, Any], path: list, lines: list) -> None:
    plain = [(k, v) for k, v in table.items() if not isinstance(v, Mapping) and not _is_table_array(v)]
    nested = [(k, v) for k, v in table.items() if isinstance(v, Mapping) or _is_table_array(v)]
    for k, v in plain:
        try:
            lines.append(f"{_key(k)} = {_value(v)}")
        except ValueError as e:  # name the key, as the engine's messages do
            raise ValueError(f"{'.'.join(path + [str(k)])}: {e}") from None
    for k, v in nested:
        p = path + [_key(k)]
        if isinstance(v, Mapping):
            lines.append("")
            lines.append(f"[{'.'.join(p)}]")
            _emit(v, p, lines)
        else:
            for item in v:
                lines.append("")
                lines.append(f"[[{'.'.join(p)}]]")
                _emit(item, p, lines)


def dumps(config: Mapping[str, Any]) -> str:
    """TOML text of @p config."""
    lines: list = []
    _emit(config, [], lines)
    return "\n".join(lines).lstrip("\n") + "\n"

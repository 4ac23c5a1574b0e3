"""TOML as Helm's toToml/fromToml do it: BurntSushi/toml's Encoder and Unmarshal.

Helm 3.17.1 ships BurntSushi/toml v1.4.0 (floats written with 'f' formatting: 1000000.0);
Helm 4.2.3 ships v1.6.0 (floats with 'g' formatting: 1e+06). Everything else used here is
the same in both. `FUNCS` follows Helm 3.17.1, `HELM4_FUNCS` Helm 4.

Known differences: fromToml parses with Python's tomllib (TOML 1.0), so error messages are
not BurntSushi's wording (they keep its `toml: ` prefix); TOML datetimes become GoTime
values that print in RFC 3339; structs (GoObject) are encoded from their JSON form.
"""

from __future__ import annotations

import datetime as dt
import math
import re
import sys
from collections.abc import Callable

from hooklint.gotemplate.gotypes import ANY, MAP, STRING, GoObject, GoPanic, Int64, gofunc
from hooklint.gotemplate.yaml_resolve import format_float

TYPE_CHECKING = False  # not `typing`'s: importing typing costs ~3 ms of every run
if TYPE_CHECKING:
    from typing import Any


class TOMLEncodeError(Exception):
    """BurntSushi's tomlEncodeError: toToml returns its text as the output."""


_ESCAPES = {'"': '\\"', "\\": "\\\\", "\b": "\\b", "\t": "\\t", "\n": "\\n", "\f": "\\f", "\r": "\\r"}


def _quote(s: str) -> str:
    out = []
    for c in s:
        e = _ESCAPES.get(c)
        if e is not None:
            out.append(e)
        elif ord(c) < 0x20 or c == "\x7f":
            out.append(f"\\u{ord(c):04x}")
        else:
            out.append(c)
    return '"' + "".join(out) + '"'


_BARE = r"[A-Za-z0-9_-]+"  # toToml only: compiled on first use (re's cache)


def _key_part(k: str) -> str:
    if k == "":
        return '""'
    return k if re.fullmatch(_BARE, k) else _quote(k)


def _plain(v: Any) -> Any:
    if isinstance(v, GoObject) and not isinstance(v, GoTime):
        return v.go_json()
    return v


def _is_table(v: Any) -> bool:
    return _kind(v) in ("hash", "arrayhash")


def _kind(v: Any) -> str | None:
    """tomlTypeOfGo: None for nil, 'hash', 'arrayhash', 'array', or 'scalar'."""
    v = _plain(v)
    if v is None:
        return None
    if isinstance(v, dict):
        return "hash"
    if isinstance(v, (list, tuple, bytes)):
        if len(v) == 0:
            return "array"
        ret = True
        for x in v:
            t = _kind(x)
            if t is None:
                raise TOMLEncodeError("toml: cannot encode array with nil element")
            if t != "hash":
                ret = False
        return "arrayhash" if ret else "array"
    return "scalar"


class _Encoder:
    def __init__(self, float_fmt: str) -> None:
        self.float_fmt = float_fmt
        self.out: list[str] = []

    def w(self, s: str) -> None:
        self.out.append(s)

    def newline(self) -> None:
        if self.out:
            self.w("\n")

    def encode(self, key: list[str], v: Any) -> None:
        v = _plain(v)
        if v is None:
            return
        k = _kind(v)
        if k == "hash":
            self.table(key, v)
        elif k == "arrayhash":
            if not key:
                raise TOMLEncodeError("toml: top-level values must be Go maps or structs")
            for item in v:
                self.newline()
                self.w("  " * (len(key) - 1) + "[[" + ".".join(map(_key_part, key)) + "]]")
                self.newline()
                self.map(key, _plain(item), inline=False)
        else:
            self.key_value(key, v, inline=False)

    def table(self, key: list[str], v: dict[str, Any]) -> None:
        if len(key) == 1:
            self.newline()
        if key:
            self.w("  " * (len(key) - 1) + "[" + ".".join(map(_key_part, key)) + "]")
            self.newline()
        self.map(key, v, inline=False)

    def map(self, key: list[str], v: dict[str, Any], inline: bool) -> None:
        direct = sorted(k for k, x in v.items() if not _is_table(x))
        sub = sorted(k for k, x in v.items() if _is_table(x))
        if inline:
            self.w("{")
        for keys, trail in ((direct, bool(sub)), (sub, False)):
            for i, k in enumerate(keys):
                x = _plain(v[k])
                if x is None:
                    continue
                if inline:
                    self.key_value([k], x, inline=True)
                    if trail or i != len(keys) - 1:
                        self.w(", ")
                else:
                    self.encode([*key, k], x)
        if inline:
            self.w("}")

    def key_value(self, key: list[str], v: Any, inline: bool) -> None:
        if not key:
            self.element(v)
            return
        self.w("  " * (len(key) - 1) + _key_part(key[-1]) + " = ")
        self.element(v)
        if not inline:
            self.newline()

    def element(self, v: Any) -> None:
        v = _plain(v)
        if isinstance(v, GoTime):
            self.w(v.rfc3339())
        elif isinstance(v, bool):
            self.w("true" if v else "false")
        elif isinstance(v, int):
            self.w(str(int(v)))
        elif isinstance(v, float):
            if math.isnan(v):
                self.w(("-" if math.copysign(1, v) < 0 else "") + "nan")
            elif math.isinf(v):
                self.w(("-" if v < 0 else "") + "inf")
            else:
                s = format_float(v, self.float_fmt)
                if "." not in s and "e" not in s:
                    s += ".0"
                self.w(s)
        elif isinstance(v, str):
            self.w(_quote(v))
        elif isinstance(v, dict):
            if any(not isinstance(k, str) for k in v):
                raise TOMLEncodeError("toml: cannot encode a map with non-string key type")
            self.map([], v, inline=True)
        elif isinstance(v, (list, tuple, bytes)):
            self.w("[")
            for i, x in enumerate(v):
                if _plain(x) is None:
                    raise GoPanic("reflect: call of reflect.Value.Interface on zero Value")
                self.element(x)
                if i != len(v) - 1:
                    self.w(", ")
            self.w("]")
        else:
            raise TOMLEncodeError(f"toml: unsupported type: {type(v).__name__}")


def to_toml(v: Any, helm4: bool = False) -> str:
    """toml.NewEncoder(b).Encode(v) output; an encoding error's text replaces the output."""
    if _plain(v) is None:
        raise GoPanic("reflect: call of reflect.Value.Type on zero Value")
    enc = _Encoder("g" if helm4 else "f")
    try:
        enc.encode([], v)
    except TOMLEncodeError as e:
        return str(e)
    return "".join(enc.out)


class GoTime(GoObject):
    """A time.Time decoded from a TOML datetime."""

    go_type = "time.Time"

    def __init__(self, value: dt.datetime | dt.date | dt.time) -> None:
        self.value = value

    def rfc3339(self) -> str:
        v = self.value
        if isinstance(v, dt.datetime):
            if v.tzinfo is None:
                return v.isoformat()
            text = v.isoformat()
            return text.replace("+00:00", "Z")
        return v.isoformat()

    def go_json(self) -> Any:
        return self.rfc3339()

    def go_format(self) -> str:
        return self.rfc3339()


def _from_toml_value(v: Any) -> Any:
    if isinstance(v, dict):
        return {k: _from_toml_value(x) for k, x in v.items()}
    if isinstance(v, list):
        return [_from_toml_value(x) for x in v]
    if isinstance(v, bool):
        return v
    if isinstance(v, int):
        return Int64(v)
    if isinstance(v, (dt.datetime, dt.date, dt.time)):
        return GoTime(v)
    return v


def from_toml(text: str) -> dict[str, Any]:
    """toml.Unmarshal into map[string]interface{}; errors go to m["Error"]."""
    # Imported here: only charts calling fromToml pay for the parser (start-up time).
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover - Python 3.10 needs the tomli backport
        import tomli as tomllib
    try:
        doc = tomllib.loads(text)
    except tomllib.TOMLDecodeError as e:
        return {"Error": "toml: " + str(e)}
    except Exception as e:  # noqa: BLE001 - tomllib raises ValueError on some inputs
        return {"Error": "toml: " + str(e)}
    result: dict[str, Any] = _from_toml_value(doc)
    return result


@gofunc(ANY, result=STRING)
def _to_toml(v: Any) -> str:
    return to_toml(v)


@gofunc(ANY, result=STRING)
def _to_toml_v4(v: Any) -> str:
    return to_toml(v, helm4=True)


@gofunc(ANY, result=STRING)
def _must_to_toml(v: Any) -> str:
    """Helm 4's mustToToml panics on an encoding error."""
    if _plain(v) is None:
        raise GoPanic("reflect: call of reflect.Value.Type on zero Value")
    enc = _Encoder("g")
    try:
        enc.encode([], v)
    except TOMLEncodeError as e:
        raise GoPanic(str(e)) from None
    return "".join(enc.out)


@gofunc(STRING, result=MAP)
def _from_toml(s: str) -> dict[str, Any]:
    return from_toml(s)


FUNCS: dict[str, Callable[..., Any]] = {"toToml": _to_toml, "fromToml": _from_toml}
HELM4_FUNCS: dict[str, Callable[..., Any]] = {"toToml": _to_toml_v4, "mustToToml": _must_to_toml}

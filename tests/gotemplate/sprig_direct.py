"""Differential tests of Sprig functions called directly (without the template executor).

A `Call` names a template function and its arguments as Go values. It renders to a template
(`{{ trunc 3 "abc" }}`) whose output Helm recorded in a conformance table; the test calls our
Python implementation with the same arguments and compares what the template would print
(or the error message after `error calling NAME: `).

Tables are generated from the calls by `write_table` (keeping recorded results) and recorded
with tools/record_conformance.py.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from conformance import TABLES, dump_table

from hooklint.gotemplate import gofmt
from hooklint.gotemplate.gotypes import GoFuncError, GoPanic, Int64, StrList
from hooklint.gotemplate.sprig import sprig_funcs


@dataclass(frozen=True)
class Val:
    """An argument read from values.yaml: `.Values.<path>` in the template."""

    path: str
    value: Any


@dataclass(frozen=True)
class Lit:
    """An argument given as raw template text, with the Go value it evaluates to."""

    text: str
    value: Any


@dataclass(frozen=True)
class Opt:
    values: str = ""
    pipe: str = ""
    post: Any = None


@dataclass
class Call:
    name: str  # case name, unique within the table
    func: str
    args: tuple[Any, ...] = ()
    values: str = ""
    pipe: str = ""  # appended inside the action, e.g. "| len"
    post: Any = None  # Python post-processing matching `pipe`
    extra: dict[str, Any] = field(default_factory=dict)

    def template(self) -> str:
        parts = [self.func, *(literal(a) for a in self.args)]
        expr = " ".join(parts)
        if self.pipe:
            expr = f"({expr}) {self.pipe}"
        return "{{ " + expr + " }}"


def numbered(calls: list[tuple[Any, ...]]) -> list[Call]:
    """Calls from (func, *args) tuples, named FUNC-1, FUNC-2, ... A trailing `Opt` sets
    values.yaml or a pipe."""
    out: list[Call] = []
    counts: dict[str, int] = {}
    for spec in calls:
        opts: dict[str, Any] = {}
        if spec and isinstance(spec[-1], Opt):
            opts = {k: v for k, v in vars(spec[-1]).items() if v}
            spec = spec[:-1]
        func, *args = spec
        counts[func] = counts.get(func, 0) + 1
        out.append(Call(f"{func}-{counts[func]}", func, tuple(args), **opts))
    return out


def literal(v: Any) -> str:
    """Template text that evaluates to the Go value `v`."""
    if isinstance(v, Val):
        return f".Values.{v.path}"
    if isinstance(v, Lit):
        return v.text
    if v is None:
        return "nil"
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, Int64):
        return f"(int64 {int(v)})"
    if isinstance(v, int):
        return str(v)
    if isinstance(v, float):
        if math.isinf(v) or math.isnan(v):
            return f'(float64 "{v}")'
        text = repr(v)
        return text if ("." in text or "e" in text) else text + ".0"
    if isinstance(v, str):
        return gofmt.quote(v)
    if isinstance(v, StrList):
        return "(toStrings (list " + " ".join(literal(x) for x in v) + "))"
    if isinstance(v, list):
        return "(list " + " ".join(literal(x) for x in v) + ")" if v else "(list)"
    if isinstance(v, dict):
        items = " ".join(f"{literal(k)} {literal(x)}" for k, x in v.items())
        return f"(dict {items})" if items else "(dict)"
    raise TypeError(f"no template literal for {v!r}")


def _value(v: Any) -> Any:
    if isinstance(v, (Val, Lit)):
        return _value(v.value)  # a fresh copy: functions like set/merge modify their arguments
    if isinstance(v, StrList):
        return StrList(_value(x) for x in v)
    if isinstance(v, list):
        return type(v)(_value(x) for x in v)
    if isinstance(v, dict):
        return type(v)((k, _value(x)) for k, x in v.items())
    return v


def run(call: Call) -> tuple[str | None, str | None]:
    """(printed output, None) or (None, error message) of our implementation."""
    fn = sprig_funcs()[call.func]
    try:
        result = fn(*(_value(a) for a in call.args))
    except (GoPanic, GoFuncError) as e:
        return None, str(e)
    if call.post is not None:
        result = call.post(result)
    return ("" if result is None else gofmt.format_value(result)), None


def check(call: Call, recorded: dict[str, Any]) -> None:
    assert recorded.get("template") == call.template(), "table is stale: regenerate it"
    out, err = run(call)
    if "error" in recorded:
        message = recorded["error"]["message"]
        marker = f"error calling {call.func}: "
        if marker not in message and message.startswith("execution error at ("):
            # Helm's engine rewrites errors from `fail` as "execution error at (POS): MSG".
            assert err == message.split("):", 1)[1].strip(), (err, message)
            return
        assert marker in message, message
        assert err == message.split(marker, 1)[1], (err, message)
    else:
        assert err is None, f"we failed: {err}; Helm printed {recorded.get('output')!r}"
        assert out == recorded["output"], (out, recorded["output"])


def load_recorded(table: str) -> dict[str, dict[str, Any]]:
    path = TABLES / f"{table}.yaml"
    if not path.exists():
        return {}
    doc = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    return {c["name"]: c for c in doc.get("cases", [])}


def write_table(table: str, calls: list[Call]) -> Path:
    """Write the table's cases from `calls`, keeping results recorded for unchanged templates."""
    old = load_recorded(table)
    cases = []
    for call in calls:
        case: dict[str, Any] = {"name": call.name, "template": call.template()}
        if call.values:
            case["values"] = call.values
        prev = old.get(call.name)
        if prev and prev.get("template") == case["template"] and prev.get("values", "") == call.values:
            for key in ("output", "error"):
                if key in prev:
                    case[key] = prev[key]
        cases.append(case)
    path = TABLES / f"{table}.yaml"
    dump_table(path, cases)
    return path

"""Sprig reflection functions against Helm's recorded output."""

from __future__ import annotations

import pytest
from sprig_direct import Call, Lit, Opt, Val, check, load_recorded, numbered

from hooklint.gotemplate.gotypes import Int64, StrList, StrMap

TABLE = "sprig_reflection"
V = "port: 8080\nname: x\nlist: [1]\nmap: {a: 1}\nflag: true\nnothing: ~\n"
VV = Opt(values=V)
SPLIT = Lit('(split "," "a")', StrMap({"_0": "a"}))

CALLS: list[Call] = numbered(
    [
        ("typeOf", 1),
        ("typeOf", 1.5),
        ("typeOf", "s"),
        ("typeOf", None),
        ("typeOf", True),
        ("typeOf", [1]),
        ("typeOf", {"a": 1}),
        ("typeOf", Int64(1)),
        ("typeOf", StrList(["a"])),
        ("typeOf", SPLIT),
        ("typeOf", Val("port", 8080.0), VV),
        ("typeOf", Val("list", [1.0]), VV),
        ("typeOf", Val("nothing", None), VV),
        ("typeIs", "int", 1),
        ("typeIs", "float64", 1),
        ("typeIs", "string", "s"),
        ("typeIs", "float64", Val("port", 8080.0), VV),
        ("typeIs", "<nil>", None),
        ("typeIsLike", "int", 1),
        ("typeIsLike", "[]string", StrList()),
        ("typeIsLike", "interface {}", [1]),
        ("typeIsLike", "map[string]interface {}", Val("map", {"a": 1.0}), VV),
        ("kindOf", 1),
        ("kindOf", 1.5),
        ("kindOf", "s"),
        ("kindOf", None),
        ("kindOf", [1]),
        ("kindOf", {"a": 1}),
        ("kindOf", Int64(1)),
        ("kindOf", StrList()),
        ("kindOf", SPLIT),
        ("kindOf", Val("flag", True), VV),
        ("kindIs", "int", 1),
        ("kindIs", "slice", StrList()),
        ("kindIs", "map", Val("map", {"a": 1.0}), VV),
        ("kindIs", "string", 1),
        ("kindIs", "invalid", None),
        ("deepEqual", 1, 1),
        ("deepEqual", 1, 1.0),
        ("deepEqual", 1, Int64(1)),
        ("deepEqual", [1, {"a": [2]}], [1, {"a": [2]}]),
        ("deepEqual", [1], StrList(["1"])),
        ("deepEqual", None, None),
        ("deepEqual", {}, None),
        ("deepEqual", "a", "a"),
        ("deepEqual", Val("port", 8080.0), 8080, VV),
        ("deepEqual", Val("port", 8080.0), 8080.0, VV),
        ("deepEqual", Val("list", [1.0]), [1.0], VV),
    ]
)
RECORDED = load_recorded(TABLE)


@pytest.mark.parametrize("call", CALLS, ids=[c.name for c in CALLS])
def test_matches_helm(call: Call) -> None:
    check(call, RECORDED[call.name])

"""Sprig defaults/flow functions against Helm's recorded output."""

from __future__ import annotations

import pytest
from sprig_direct import Call, Lit, Opt, Val, check, load_recorded, numbered

from hooklint.gotemplate.gotypes import Int64, StrList

TABLE = "sprig_defaults"
V = "zero: 0\nname: ''\nlist: []\nmap: {}\nport: 8080\nflag: false\nenabled: true\nnothing: ~\ntxt: hi\n"
VV = Opt(values=V)
REL = Lit(".Release", {"Name": "release-name"})

CALLS: list[Call] = numbered(
    [
        ("default", "foo", "bar"),
        ("default", "foo", ""),
        ("default", "foo", None),
        ("default", "foo"),
        ("default", "foo", 0),
        ("default", "foo", 0.0),
        ("default", "foo", False),
        ("default", "foo", []),
        ("default", "foo", {}),
        ("default", "foo", [0]),
        ("default", "foo", Int64(0)),
        ("default", "foo", StrList()),
        ("default", 80, Val("port", 8080.0), VV),
        ("default", 80, Val("zero", 0.0), VV),
        ("default", "x", Val("missing", None), VV),
        ("default", "x", Val("list", []), VV),
        ("default", "d", "a", "b"),
        ("empty", ""),
        ("empty", " "),
        ("empty", 0),
        ("empty", 0.0),
        ("empty", 1),
        ("empty", None),
        ("empty", False),
        ("empty", []),
        ("empty", {}),
        ("empty", {"a": None}),
        ("empty", Val("map", {}), VV),
        ("empty", Val("flag", False), VV),
        ("empty", Val("nothing", None), VV),
        ("empty", REL, VV),
        ("coalesce", 0, "", None, "x", "y"),
        ("coalesce", 0, "", None),
        ("coalesce",),
        ("coalesce", Val("name", ""), Val("txt", "hi"), VV),
        ("coalesce", [], {}, [1]),
        ("all", 1, "a", True),
        ("all", 1, "", True),
        ("all",),
        ("all", Val("enabled", True), Val("port", 8080.0), VV),
        ("any", 0, "", "a"),
        ("any", 0, "", None),
        ("any",),
        ("any", Val("zero", 0.0), Val("flag", False), VV),
        ("ternary", "yes", "no", True),
        ("ternary", "yes", "no", False),
        ("ternary", 1, None, False),
        ("ternary", "on", "off", Val("enabled", True), VV),
        ("fail", "boom"),
        ("fail", ""),
        ("fail", "value is required: .Values.x"),
    ]
)
RECORDED = load_recorded(TABLE)


@pytest.mark.parametrize("call", CALLS, ids=[c.name for c in CALLS])
def test_matches_helm(call: Call) -> None:
    check(call, RECORDED[call.name])

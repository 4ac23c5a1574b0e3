"""Sprig list functions against Helm's recorded output (fixtures/gotemplate/sprig_lists.yaml)."""

from __future__ import annotations

import pytest
from sprig_direct import Call, Lit, Opt, Val, check, load_recorded, numbered

from hooklint.gotemplate.gotypes import StrList
from hooklint.gotemplate.sprig import lists
from hooklint.gotemplate.sprig.mathfuncs import until_step

TABLE = "sprig_lists"
V = "items: [b, a, c]\nnums: [1, 2, 2, 3.5]\nempty: []\nname: x\nobjs: [{a: 1}, {a: 1}, {b: 2}]\n"
ITEMS = Val("items", ["b", "a", "c"])
NUMS = Val("nums", [1.0, 2.0, 2.0, 3.5])
SL = StrList(["x", "y", "z"])
UNTIL = Lit("(until 4)", until_step(0, 4, 1))
VV = Opt(values=V)


def _mk(base: str, n: int = 0) -> list[tuple]:
    """Normal, empty, []string, non-list and nil cases for a one-list function."""
    return [
        (base, [1, 2, 3]),
        (base, []),
        (base, SL),
        (base, UNTIL),
        (base, "abc"),
        (base, None),
        (base, ITEMS, VV),
    ]


CALLS: list[Call] = numbered(
    [
        ("list", 1, "a", None, 2.5),
        ("list",),
        ("list", 1, 2, Opt(pipe="| typeOf", post=lambda r: "[]interface {}")),
        ("tuple", 1, "a"),
        ("tuple",),
        ("tuple", ITEMS, VV),
        ("append", [1, 2], 3),
        ("append", SL, 1),
        ("append", [], None),
        ("append", "abc", 1),
        ("append", None, 1),
        ("append", ITEMS, "d", VV),
        ("push", [1], [2]),
        ("push", UNTIL, 4),
        ("push", 5, 1),
        ("mustAppend", [1], 2),
        ("mustAppend", "abc", 1),
        ("mustAppend", {"a": 1}, 1),
        ("mustPush", [1], 2),
        ("mustPush", 1.5, 2),
        ("mustPush", None, 2),
        ("prepend", [1, 2], 0),
        ("prepend", "x", 0),
        ("prepend", ITEMS, "z", VV),
        ("mustPrepend", [1, 2], 0),
        ("mustPrepend", True, 0),
        ("mustPrepend", None, 0),
        *_mk("first"),
        *_mk("mustFirst"),
        *_mk("rest"),
        *_mk("mustRest"),
        *_mk("last"),
        *_mk("mustLast"),
        *_mk("initial"),
        *_mk("mustInitial"),
        *_mk("reverse"),
        *_mk("mustReverse"),
        ("uniq", [1, 2, 2, 1, "1", None, None]),
        ("uniq", [[1], [1], {"a": 1}, {"a": 1}]),
        ("uniq", [1, 1.0, "1"]),
        ("uniq", "abc"),
        ("uniq", NUMS, VV),
        ("uniq", Val("objs", [{"a": 1.0}, {"a": 1.0}, {"b": 2.0}]), VV),
        ("mustUniq", SL),
        ("mustUniq", 3),
        ("mustUniq", None),
        ("without", [1, 2, 3, 4], 2, 4),
        ("without", [1, 2, 3], 5),
        ("without", [1, 1.0, "1"], 1),
        ("without", [], 1),
        ("without", 1, 1),
        ("without", ITEMS, "a", VV),
        ("mustWithout", [1, 2], 1),
        ("mustWithout", "ab", "a"),
        ("mustWithout", None, 1),
        ("has", 4, [1, 2, 3, 4]),
        ("has", "hello", [1, 2]),
        ("has", 1, None),
        ("has", 1, "abc"),
        ("has", 1.0, [1, 2]),
        ("has", "a", ITEMS, VV),
        ("has", 2.0, NUMS, VV),
        ("mustHas", 1, [1]),
        ("mustHas", 1, {"a": 1}),
        ("mustHas", 1, None),
        ("slice", [1, 2, 3, 4, 5], 1, 3),
        ("slice", [1, 2, 3, 4, 5], 3),
        ("slice", [1, 2, 3, 4, 5]),
        ("slice", [1, 2, 3], 2, 1),
        ("slice", [1, 2], 1, 5),
        ("slice", [1, 2], -1),
        ("slice", [], 0, 1),
        ("slice", SL, 1),
        ("slice", SL, 1, Opt(pipe="| typeOf", post=lambda r: "[]string")),
        ("slice", [1, 2, 3], "1", 2.9),
        ("slice", "abc", 1),
        ("slice", ITEMS, 1, VV),
        ("mustSlice", [1, 2, 3], 1),
        ("mustSlice", "abc", 1),
        ("mustSlice", [1, 2], 3),
        ("concat", [1, 2], [3], SL),
        ("concat",),
        ("concat", [1], 2),
        ("concat", [1], None),
        ("concat", ITEMS, [1], VV),
        ("chunk", 2, [1, 2, 3, 4, 5]),
        ("chunk", 3, [1, 2, 3]),
        ("chunk", 2, []),
        ("chunk", 0, [1]),
        ("chunk", -2, [1]),
        ("chunk", -1, [1, 2, 3]),
        ("chunk", 2, "abc"),
        ("chunk", 2, [1, 2, 3], Opt(pipe="| typeOf", post=lambda r: "[][]interface {}")),
        ("chunk", 2, ITEMS, VV),
        ("mustChunk", 2, [1, 2, 3]),
        ("mustChunk", 2, 1),
        ("mustChunk", 1, None),
        ("compact", [1, 0, "", None, False, "a", [], {}, [0]]),
        ("compact", []),
        ("compact", SL),
        ("compact", "abc"),
        ("compact", Val("nums", [0.0, 1.0]), Opt(values="nums: [0, 1]\n")),
        ("mustCompact", [0, 1]),
        ("mustCompact", 1),
        ("mustCompact", None),
        ("sortAlpha", ["b", "a", "C", "é", "e"]),
        ("sortAlpha", [3, 1, 20, None, "x"]),
        ("sortAlpha", "abc"),
        ("sortAlpha", None),
        ("sortAlpha", 5),
        ("sortAlpha", ITEMS, VV),
        ("sortAlpha", [1], Opt(pipe="| typeOf", post=lambda r: "[]string")),
    ]
)
RECORDED = load_recorded(TABLE)


@pytest.mark.parametrize("call", CALLS, ids=[c.name for c in CALLS])
def test_matches_helm(call: Call) -> None:
    check(call, RECORDED[call.name])


def test_list_results_are_new_lists() -> None:
    src = [1, 2]
    out = lists.push(src, 3)
    assert out == [1, 2, 3] and src == [1, 2]
    assert type(lists.slice_(StrList(["a", "b"]), 1)) is StrList

"""Sprig dict functions against Helm's recorded output (fixtures/gotemplate/sprig_dicts.yaml)."""

from __future__ import annotations

import pytest
from sprig_direct import Call, Lit, Opt, Val, check, load_recorded, numbered

from hooklint.gotemplate.gotypes import StrMap
from hooklint.gotemplate.sprig import dicts

TABLE = "sprig_dicts"
V = "cfg: {a: 1, nested: {x: 1, ys: [1, 2]}, s: ''}\nother: {a: 2, nested: {x: 9, z: 3}, s: set, nn: null}\nk: a\n"
CFG = Val("cfg", {"a": 1.0, "nested": {"x": 1.0, "ys": [1.0, 2.0]}, "s": ""})
OTHER = Val("other", {"a": 2.0, "nested": {"x": 9.0, "z": 3.0}, "s": "set"})  # Helm drops null values
VV = Opt(values=V)
SPLIT = Lit('(split "," "a,b")', StrMap({"_0": "a", "_1": "b"}))
SORTED_KEYS = "| sortAlpha"


class _Values(dict):  # type: ignore[type-arg]
    """Helm's .Values type (common.Values in Helm v4): not a plain map for dig."""

    go_type = "common.Values"
    go_kind = "map"


def _sorted(r: list[str]) -> list[str]:
    from hooklint.gotemplate.gotypes import StrList

    return StrList(sorted(r))


CALLS: list[Call] = numbered(
    [
        ("dict", "a", 1, "b", "two"),
        ("dict",),
        ("dict", "a"),
        ("dict", 1, 2, None, 3, 2.5, True),
        ("dict", "k", [1], Opt(pipe="| typeOf", post=lambda r: "map[string]interface {}")),
        ("get", {"a": 1}, "a"),
        ("get", {"a": 1}, "b"),
        ("get", None, "a"),
        ("get", CFG, "nested", VV),
        ("get", {"a": None}, "a"),
        ("set", {"a": 1}, "b", 2),
        ("set", {"a": 1}, "a", None),
        ("set", None, "a", 1),
        ("set", CFG, "a", 5, VV),
        ("unset", {"a": 1, "b": 2}, "a"),
        ("unset", {"a": 1}, "x"),
        ("unset", None, "x"),
        ("hasKey", {"a": 1}, "a"),
        ("hasKey", {"a": None}, "a"),
        ("hasKey", {"a": 1}, "b"),
        ("hasKey", None, "a"),
        ("hasKey", CFG, "s", VV),
        ("pluck", "a", {"a": 1}, {"b": 2}, {"a": 3}),
        ("pluck", "a"),
        ("pluck", "a", None, {"a": None}),
        ("pluck", "a", CFG, OTHER, VV),
        ("keys", {"a": 1}),
        ("keys", {"b": 1, "a": 2}, {"c": 3}, Opt(pipe=SORTED_KEYS, post=_sorted)),
        ("keys",),
        ("keys", None),
        ("keys", CFG, Opt(values=V, pipe=SORTED_KEYS, post=_sorted)),
        ("pick", {"a": 1, "b": 2, "c": 3}, "a", "c", "x"),
        ("pick", {"a": 1}),
        ("pick", None, "a"),
        ("pick", OTHER, "s", "nn", VV),
        ("omit", {"a": 1, "b": 2, "c": 3}, "a", "c", "x"),
        ("omit", {"a": 1}),
        ("omit", None, "a"),
        ("omit", OTHER, "nested", VV),
        ("values", {"a": 1}),
        ("values", {}),
        ("values", None),
        ("values", {"a": 1, "b": 2}, Opt(pipe="| len", post=len)),
        ("merge", {"a": 1, "b": ""}, {"a": 2, "b": "x", "c": 3}),
        ("merge", {}, {"a": False}),
        ("merge", {"x": 1}, {"a": False, "b": None}),
        ("merge", None, {"a": 1}),
        ("merge", {"a": {"x": 1}}, {"a": {"x": 2, "y": 3}}),
        ("merge", {"a": "str"}, {"a": {"x": 2}}),
        ("merge", {"a": {"x": 1}}, {"a": "str"}),
        ("merge", {"a": [1]}, {"a": [2, 3]}),
        ("merge", {"a": []}, {"a": [2, 3]}),
        ("merge", {"a": 0, "b": None, "c": {}}, {"a": 5, "b": [1], "c": {"k": 1}}),
        ("merge", {"a": 1}, {"b": 2}, {"b": 3, "c": 4}),
        ("merge", CFG, OTHER, VV),
        ("merge", {}, CFG, OTHER, VV),
        ("mustMerge", {"a": 1}, {"a": 2, "b": 2}),
        ("mustMerge", {}, OTHER, VV),
        ("mustMerge", None, {"a": 1}),
        ("mergeOverwrite", {"a": 1}, {"a": 0}),
        ("mergeOverwrite", {"a": 1, "b": 2}, {"a": None}),
        ("mergeOverwrite", {"a": {"x": 1, "y": 2}}, {"a": {"x": 3}}),
        ("mergeOverwrite", {"a": [1, 2]}, {"a": []}),
        ("mergeOverwrite", {"a": {"x": 1}}, {"a": "s"}),
        ("mergeOverwrite", {"a": "s"}, {"a": {"x": 1}}),
        ("mergeOverwrite", CFG, OTHER, VV),
        ("mustMergeOverwrite", {"a": 1}, {"a": 2}),
        ("mustMergeOverwrite", {}, CFG, VV),
        ("mustMergeOverwrite", {"a": {}}, {"a": {}}),
        ("deepCopy", {"a": [1, {"b": 2}]}),
        ("deepCopy", [1, "a"]),
        ("deepCopy", "s"),
        ("deepCopy", None),
        ("deepCopy", CFG, VV),
        ("mustDeepCopy", {"a": 1}),
        ("mustDeepCopy", 5),
        ("mustDeepCopy", None),
        ("dig", "a", "b", "def", {"a": {"b": "found"}}),
        ("dig", "a", "x", "def", {"a": {"b": "found"}}),
        ("dig", "a", "b", "c", "def", {"a": {"b": "str"}}),
        ("dig", "a", "def", {"a": None}),
        ("dig", "a", "def"),
        ("dig", 1, "def", {}),
        ("dig", "a", "def", 1),
        ("dig", "a", "def", None),
        ("dig", "nested", "ys", "def", CFG, VV),
        ("dig", "nested", "q", "def", CFG, VV),
        ("dig", "a", "b", "d", Lit(".Values", _Values()), VV),
        ("dig", "a", "d", SPLIT),
    ]
)
RECORDED = load_recorded(TABLE)


@pytest.mark.parametrize("call", CALLS, ids=[c.name for c in CALLS])
def test_matches_helm(call: Call) -> None:
    check(call, RECORDED[call.name])


def test_merge_modifies_dst_in_place_and_shares_nested_maps() -> None:
    nested = {"x": 1}
    dst = {"a": nested}
    out = dicts.merge(dst, {"a": {"y": 2}, "b": 1})
    assert out is dst and dst["a"] is nested and nested == {"x": 1, "y": 2}


def test_deep_copy_is_independent() -> None:
    src = {"a": [1, {"b": 2}]}
    cp = dicts.deep_copy(src)
    cp["a"][1]["b"] = 3
    assert src == {"a": [1, {"b": 2}]}

"""The fused YAML decoder (events straight to JSON values) against the goyaml.v2 path it falls
back to: for any document, the same value (types, key order) or the same error (message, line)."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from hooklint.chart.metadata import metadata_target
from hooklint.gotemplate.goyaml import FUNCS
from hooklint.gotemplate.template import TemplateSet
from hooklint.gotemplate.yaml_decode import (
    STRING,
    GoYAMLError,
    MapOf,
    SliceOf,
    StructOf,
    full_yaml_to_json_value,
    yaml_to_json_value,
)
from hooklint.render.engine import helm_funcs

# Plain scalars of every kind goyaml.v2 resolves (Go integer syntaxes, floats, YAML 1.1
# booleans and nulls, timestamps, base 60), quoted and tagged ones, flow collections, aliases.
SCALARS = [
    "1", "-0", "+7", "0x1F", "-0x1f", "017", "0o17", "0b101", "1_000", "09", "0.", "1.5", "1e3", "-1E-2",
    ".5", ".inf", "-.Inf", "+.INF", ".nan", ".NaN", "9223372036854775807", "9223372036854775808",
    "18446744073709551615", "18446744073709551616", "-9223372036854775809", "1:20", "190:20:30.15",
    "y", "N", "yes", "No", "on", "OFF", "true", "False", "null", "~", "", "2001-12-14",
    "2001-12-14t21:59:43.10-05:00", "abc", "nodeSelector", "tag", "off-on", ".hidden", "+x", "-",
    "'quoted'", "'1'", "''", '"dq\\n"', '"true"', "'<<'", "[1, 2, a]", "{a: 1, b: [x]}", "{a: 1, a: 2}",
    "[]", "{}", "&a 5", "&b {x: 1}", "&a [1, 2]",
]  # fmt: skip
# What the fused path leaves to the full one (tags, aliases, merge keys, ...).
SPECIAL = [
    "<<", "!!str 1", "!!int abc", "!!int 12",
    "!!float 1", "!!bool yes", "!!null ''", "!!binary aGVsbG8=", "!!binary //79", "!!binary @@",
    "!!timestamp 2001-12-14", "!custom x", "! 12", "!!map {}", "!!seq []", "*a", "*b", "*missing",
]  # fmt: skip
KEYS = ["a", "b", "n", "nodeSelector", "'1'", "''", "'a'", '"b"', "'<<'", "&k key", "? c", "a b"]
SPECIAL_KEYS = ["on", "1", "1.5", "0x10", "true", "~", "<<", "!!str 1", "!!merge <<", "[1]", "{k: v}", "*a",
                "18446744073709551615", ".inf"]  # fmt: skip
BAD = ["[", "}", ": :", "\t", "@x", "`x", "a: b: c", "- x\nk: v", "%TAG", "&", "*", "!<", "'open", '"\\q"',
       "\x07", "\ufeff", "---\nz: 1", "...", "\n  - bad"]  # fmt: skip

Tree = Any


def _trees() -> st.SearchStrategy[Tree]:
    scalar = st.one_of(
        st.sampled_from(SCALARS * 20 + SPECIAL).map(lambda s: ("scalar", s)),
        st.sampled_from(["|", "|-", ">", ">+"]).map(lambda s: ("block", s)),
    )
    return st.recursive(
        scalar,
        lambda children: st.one_of(
            st.lists(st.tuples(st.sampled_from(KEYS * 20 + SPECIAL_KEYS), st.sampled_from(["", "", "", "", "", "&a ", "!!map "]), children),
                     min_size=1, max_size=5).map(lambda items: ("map", items)),
            st.lists(children, min_size=1, max_size=4).map(lambda items: ("seq", items)),
        ),
        max_leaves=20,
    )


def _render(node: Tree, indent: int) -> str:
    """Block-style YAML for the tree; scalars go on the line that introduces them."""
    pad = " " * indent
    kind = node[0]
    if kind == "map":
        out = []
        for key, prop, child in node[1]:
            if child[0] in ("scalar", "block"):
                out.append(f"{pad}{key}: {_inline(child, indent)}")
            else:
                out.append(f"{pad}{key}: {prop}\n" + _render(child, indent + 2))
        return "".join(out)
    if kind == "seq":
        out = []
        for child in node[1]:
            if child[0] in ("scalar", "block"):
                out.append(f"{pad}- {_inline(child, indent)}")
            else:
                out.append(f"{pad}-\n" + _render(child, indent + 2))
        return "".join(out)
    return _inline(node, indent)


def _inline(node: Tree, indent: int) -> str:
    if node[0] == "block":
        pad = " " * (indent + 2)
        return f"{node[1]}\n{pad}line one\n{pad}  1: more\n\n"
    return f"{node[1]}\n"


@st.composite
def documents(draw: st.DrawFn) -> str:
    text = draw(st.sampled_from(["", "&a ", "--- ", "%YAML 1.1\n--- "])) + "\n" + _render(draw(_trees()), 0)
    text = text.lstrip("\n") if draw(st.booleans()) else text
    if draw(st.integers(0, 4)) == 0:  # bad syntax somewhere
        at = draw(st.integers(0, len(text)))
        text = text[:at] + draw(st.sampled_from(BAD)) + text[at:]
    if draw(st.booleans()):
        text += draw(st.sampled_from(["---\nsecond: [", "...\n", "--- 2\n", "# end\n"]))
    return text


# Where scalars are headed for Go strings: the root, elements, map values, struct fields.
FIELDS = StructOf({"a": STRING, "b": SliceOf(STRING), "nodeSelector": MapOf(STRING), "a b": StructOf({"a": STRING})})
TARGETS = [None, STRING, SliceOf(STRING), MapOf(STRING), FIELDS, metadata_target()]


def _outcome(decode: Any, text: str, strict: bool, target: Any) -> tuple[str, Any, Any]:
    try:
        return ("value", repr(decode(text, strict=strict, target=target)), None)
    except GoYAMLError as e:
        return ("error", e.message, e.line)


@settings(max_examples=400, deadline=None)
@given(documents(), st.booleans(), st.sampled_from(TARGETS))
@example("a:\n  x: 1\nb: c\nd: e\n", False, None)  # a key after a nested map
@example("1.10\n", False, STRING)  # the root's own target
@example("a: 1.10\nb: [1, true]\nnodeSelector: {x: 0x10}\na b: {a: 1e3}\n", False, FIELDS)
@example("a: 1\nb: 2\na: 3\n", True, None)
@example("a: 1\n<<: {b: 2}\n", False, None)
def test_fast_path_decodes_like_the_full_path(text: str, strict: bool, target: Any) -> None:
    # repr: key order, float-vs-str and nested types must agree, not only ==
    assert _outcome(yaml_to_json_value, text, strict, target) == _outcome(full_yaml_to_json_value, text, strict, target)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # Values the fused path builds itself: numbers become float64, words stay strings.
        ("a: 1\nb: [0x1F, yes, ~, '2', 1.5]\nnodeSelector: {}\n", {"a": 1.0, "b": [31.0, True, None, "2", 1.5], "nodeSelector": {}}),
        # A later duplicate key keeps the first one's place and takes its value.
        ("a: 1\nb: 2\na: 3\n", {"a": 3.0, "b": 2.0}),
        # An anchor without an alias changes nothing.
        ("a: &x 1\nb: 2\n", {"a": 1.0, "b": 2.0}),
        # Paths it leaves to the full decoder: aliases, merges, keys that are not strings.
        ("a: &x {k: 1}\nb:\n  <<: *x\n  j: 2\n", {"a": {"k": 1.0}, "b": {"k": 1.0, "j": 2.0}}),
        ("1: a\n'1': b\n1: c\n", {"1": "b"}),
    ],
)
def test_decoded_values(text: str, expected: Any) -> None:
    assert yaml_to_json_value(text) == expected
    assert list(yaml_to_json_value(text)) == list(expected)


@pytest.mark.parametrize(
    ("text", "strict", "message", "line"),
    [
        ("a: 1\nb: [\n", False, "error converting YAML to JSON: yaml: line 2: did not find expected node content", 2),
        ("a: 1\na: 2\n", True, "error converting YAML to JSON: yaml: unmarshal errors:\n  line 2: key \"a\" already set in map", None),
        ("a: .nan\n", False, "error converting YAML to JSON: json: unsupported value: NaN", None),
    ],
)
def test_errors(text: str, strict: bool, message: str, line: int | None) -> None:
    with pytest.raises(GoYAMLError) as info:
        yaml_to_json_value(text, strict=strict)
    assert (info.value.message, info.value.line) == (message, line)


def test_deep_documents_report_go_yamls_max_depth_error() -> None:
    # Past the fused path's depth the full path decides: the same value, or the same error.
    for depth in (60, 70, 300, 999, 2000):
        text = "[" * depth + "]" * depth
        assert _outcome(yaml_to_json_value, text, False, None) == _outcome(full_yaml_to_json_value, text, False, None)
    assert yaml_to_json_value("a:\n" + "  " * 0 + "- " * 70 + "1\n") == {"a": _nested(70)}
    with pytest.raises(GoYAMLError, match="exceeded max depth"):
        yaml_to_json_value("[" * 999 + "]" * 999)


def _nested(depth: int) -> Any:
    value: Any = 1.0
    for _ in range(depth):
        value = [value]
    return value


def _execute(text: str) -> str:
    ts = TemplateSet(helm_funcs())
    ts.parse("t", text)
    return ts.execute_text("t", {})


def test_from_yaml_results_are_not_shared_between_calls() -> None:
    # fromYaml remembers decoded texts; a template changing one result must not see the change
    # in the next call's (each call decodes afresh in Helm).
    text = (
        '{{- $a := fromYaml "k: v\\nl: [1]" }}{{- $_ := set $a "k" "changed" }}{{- $_ := append $a.l 2 }}'
        '{{- $b := fromYaml "k: v\\nl: [1]" }}{{ $b.k }} {{ $b.l }} {{ $a.k }}'
        '{{- $c := fromYamlArray "- {x: 1}" }}{{- $_ := set (index $c 0) "x" 2 }} {{ fromYamlArray "- {x: 1}" }}'
    )
    assert _execute(text) == "v [1] changed [map[x:1]]"


@settings(max_examples=100, deadline=None)
@given(documents())
def test_from_yaml_gives_what_the_decoder_gives_every_time(text: str) -> None:
    from_yaml, from_yaml_array = FUNCS["fromYaml"], FUNCS["fromYamlArray"]
    for _ in range(2):  # the second call is served from the memo
        try:
            value = full_yaml_to_json_value(text)
        except GoYAMLError as e:
            assert from_yaml(text) == {"Error": e.message}
            assert from_yaml_array(text) == [e.message]
            continue
        if isinstance(value, dict):
            assert repr(from_yaml(text)) == repr(value)
        elif isinstance(value, list):
            assert repr(from_yaml_array(text)) == repr(value)

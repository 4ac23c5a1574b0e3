"""hooklint.gotemplate.gofmt against real Helm: printf/print/println output for the same Go values.

Each test renders one template holding many `printf` calls through Helm (the oracle) and
compares every line with our fmt applied to the same Go values: numbers from values.yaml are
float64, integer literals in templates are Go int, `int64` gives int64, `.Files.GetBytes`
gives []byte, `list`/`dict` give []interface {} / map[string]interface {}.
"""

from __future__ import annotations

import json
import math
import struct
from collections.abc import Callable
from typing import Any

import pytest
from helm_oracle import HAVE_HELM, HelmFailure, helm_render_snippet
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hooklint.gotemplate.gofmt import format_float, format_value, quote, sprint, sprintf, sprintln
from hooklint.gotemplate.gotypes import Int64, StrList

pytestmark = pytest.mark.skipif(not HAVE_HELM, reason="needs helm_python (the oracle)")

SEP = "\n@@@\n"


def helm_lines(actions: list[str], values_yaml: str = "", files: dict[str, str] | None = None) -> list[str]:
    """Render `{{ action }}` for every action in one Helm template; one output per action."""
    out = helm_render_snippet(SEP.join("{{ " + a + " }}" for a in actions), values_yaml, files)
    assert not isinstance(out, HelmFailure), out
    lines = out.split(SEP)
    assert len(lines) == len(actions)
    return lines


def assert_same(actions: list[str], ours: list[str], helm: list[str]) -> None:
    diffs = [(a, h, o) for a, h, o in zip(actions, helm, ours, strict=True) if h != o]
    assert not diffs, "\n".join(f"{a}: helm={h!r} ours={o!r}" for a, h, o in diffs[:20])


def yaml_string(s: str) -> str:
    """A YAML double-quoted scalar for any text (escapes everything outside printable ASCII)."""
    out = ['"']
    for ch in s:
        o = ord(ch)
        if ch in '"\\':
            out.append("\\" + ch)
        elif 0x20 <= o < 0x7F:
            out.append(ch)
        elif o < 0x10000:
            out.append(f"\\u{o:04x}")
        else:
            out.append(f"\\U{o:08x}")
    out.append('"')
    return "".join(out)


def check_printf_on_values(fmts: list[str], values: dict[str, Any]) -> None:
    """printf FMT .Values.NAME for every format and value; `values` are already Go values."""
    values_yaml = "".join(
        f"{k}: {json.dumps(v) if not isinstance(v, str) else yaml_string(v)}\n" for k, v in values.items()
    )
    pairs = [(f, k) for f in fmts for k in values]
    actions = [f"printf {json.dumps(f)} .Values.{k}" for f, k in pairs]
    ours = [sprintf(f, values[k]) for f, k in pairs]
    assert_same(actions, ours, helm_lines(actions, values_yaml))


VALUE_VERBS = [
    "%v", "%d", "%s", "%q", "%x", "%X", "%e", "%E", "%f", "%F", "%g", "%G", "%t", "%T", "%b",
    "%o", "%O", "%c", "%U", "%#v", "%+v", "%8.3f", "%-8.3f|", "%08.3f", "%+08.3f", "% d", "%+d",
    "%#x", "%# x", "%.2s", "%10s|", "%-10s|", "%010s", "%.3g", "%#g", "%#.3g", "%#e", "%#f",
    "%#.0f", "%.0f", "%.0e", "%5v", "%05d", "%.10g", "%+q", "%#q", "%x %X", "%.1x",
    "%-05s|", "%0-8v|", "%-06.1f|", "%06q",
]  # fmt: skip

HELM_VALUES: dict[str, Any] = {
    "a": 1.5, "b": 1000000.0, "c": 'h"i\u00e9\x01\t', "d": [1.0, "x", None, 2.5],
    "e": {"b": [1.0, 2.0], "a": {"z": 1.0}}, "f": -0.000012345, "g": 123456789.125, "h": True,
    "i": 0.0, "j": -3.0, "s": "h\u00e9llo", "n": None, "big": 1e21, "small": 1e-7, "emptyl": [],
    "emptym": {}, "hundredk": 100000.0, "tenthou": 0.0001, "tenmicro": 1e-05,
}  # fmt: skip


def test_every_verb_on_values_yaml_types() -> None:
    check_printf_on_values(VALUE_VERBS, HELM_VALUES)


INT_VERBS = [
    "%d", "%v", "%x", "%X", "%#x", "%o", "%#o", "%O", "%b", "%#b", "%c", "%q", "%+q", "%#q", "%U",
    "%#U", "%5d|", "%-5d|", "%05d", "%+05d", "%.3d", "%.0d", "%8.3d", "% d", "%+d", "%e", "%s",
    "%t", "%T", "%6.2x", "%#08x", "%-08d|", "% x", "%08.3v", "%#v",
]  # fmt: skip
INTS = [0, 1, -1, 42, -42, 255, 65, 0x1F600, 0xD800, 0x110000, 1 << 40, -(1 << 62), (1 << 63) - 1]


def test_integer_verbs_on_int_and_int64() -> None:
    actions: list[str] = []
    ours: list[str] = []
    for f in INT_VERBS:
        for n in INTS:
            actions.append(f"printf {json.dumps(f)} {n}")
            ours.append(sprintf(f, n))
            actions.append(f"printf {json.dumps(f)} (int64 {n})")
            ours.append(sprintf(f, Int64(n)))
    for c in ["'a'", "'\\n'", "'é'"]:
        for f in INT_VERBS:
            actions.append(f"printf {json.dumps(f)} {c}")
            ours.append(sprintf(f, ord(eval(c))))  # a char constant is an int
    assert_same(actions, ours, helm_lines(actions))


# (template action, our equivalent) pairs for argument handling and error forms.
CALLS: list[tuple[str, Callable[[], str]]] = [
    ('printf "%d %d" 1', lambda: sprintf("%d %d", 1)),
    ('printf "%d" 1 2 "x" nil 3.5', lambda: sprintf("%d", 1, 2, "x", None, 3.5)),
    ('printf "%d" nil', lambda: sprintf("%d", None)),
    ('printf "%v %T %s" nil nil nil', lambda: sprintf("%v %T %s", None, None, None)),
    ('printf "%5T|%.3T" 1 "x"', lambda: sprintf("%5T|%.3T", 1, "x")),
    ('printf "%x %[1]d|%[2]d %[1]d" 10 20', lambda: sprintf("%x %[1]d|%[2]d %[1]d", 10, 20)),
    ('printf "%[3]d|%[x]d|%[0]d|%.[2]d" 1 2', lambda: sprintf("%[3]d|%[x]d|%[0]d|%.[2]d", 1, 2)),
    ('printf "%[2]*[1]d|%10.[2]d" 7 4', lambda: sprintf("%[2]*[1]d|%10.[2]d", 7, 4)),
    ('printf "%*d|%-*d|%*d" -5 1 3 2 "x" 3', lambda: sprintf("%*d|%-*d|%*d", -5, 1, 3, 2, "x", 3)),
    ('printf "%.*f|%.*f" -1 3.14159 2 3.14159', lambda: sprintf("%.*f|%.*f", -1, 3.14159, 2, 3.14159)),
    ('printf "%*d" 10000000 1', lambda: sprintf("%*d", 10000000, 1)),
    ('printf "%!|%z|%.d|%" 1 2 3', lambda: sprintf("%!|%z|%.d|%", 1, 2, 3)),
    ('printf "%[1]" 1', lambda: sprintf("%[1]", 1)),
    ('printf "100%%" 1', lambda: sprintf("100%%", 1)),
    ('printf "%5d" "hi"', lambda: sprintf("%5d", "hi")),
    ('printf "%v" (list 1 "a" nil (list) (dict "k" 1))', lambda: sprintf("%v", [1, "a", None, [], {"k": 1}])),
    ('printf "%d" (list 1 "a" nil)', lambda: sprintf("%d", [1, "a", None])),
    ('printf "%#v" (list 1 "a" nil (dict "k" nil))', lambda: sprintf("%#v", [1, "a", None, {"k": None}])),
    ('printf "%q|%x|%5v" (list "a" "b" 1) (list "a" 255) (list 1 "a")',
     lambda: sprintf("%q|%x|%5v", ["a", "b", 1], ["a", 255], [1, "a"])),
    ('printf "%v" (dict "b" 1 "a" (list 2 3) "c" (dict))', lambda: sprintf("%v", {"b": 1, "a": [2, 3], "c": {}})),
    ('printf "%v|%#v|%T" (splitList "," "a,b") (splitList "," "a,b") (splitList "," "a,b")',
     lambda: sprintf("%v|%#v|%T", StrList(["a", "b"]), StrList(["a", "b"]), StrList(["a", "b"]))),
    ('printf "%v|%s|%q|%x|%d" (.Files.GetBytes "z.txt") (.Files.GetBytes "h.txt") (.Files.GetBytes "h.txt") (.Files.GetBytes "h.txt") (.Files.GetBytes "h.txt")',
     lambda: sprintf("%v|%s|%q|%x|%d", b"hi\x00", b"hi", b"hi", b"hi", b"hi")),
    ('printf "%#v|%c|%T|%5v" (.Files.GetBytes "h.txt") (.Files.GetBytes "h.txt") (.Files.GetBytes "h.txt") (.Files.GetBytes "h.txt")',
     lambda: sprintf("%#v|%c|%T|%5v", b"hi", b"hi", b"hi", b"hi")),
    ('printf "%v|%#v|%s|%x" (list (.Files.GetBytes "h.txt")) (list (.Files.GetBytes "h.txt")) (list (.Files.GetBytes "h.txt")) (list (.Files.GetBytes "h.txt"))',
     lambda: sprintf("%v|%#v|%s|%x", [b"hi"], [b"hi"], [b"hi"], [b"hi"])),
    ('printf "%v|%v|%v|%v|%+v|% v|%08.2f|%-6g|" (float64 "NaN") (float64 "+Inf") (float64 "-Inf") (float64 "-0") (float64 "NaN") (float64 "NaN") (float64 "-Inf") (float64 "+Inf")',
     lambda: sprintf("%v|%v|%v|%v|%+v|% v|%08.2f|%-6g|", math.nan, math.inf, -math.inf, -0.0, math.nan, math.nan, -math.inf, math.inf)),
    ('print 1 2 "a" "b" 3 nil 4.5 true', lambda: sprint(1, 2, "a", "b", 3, None, 4.5, True)),
    ('print (list 1) (dict) 2 (list "x")', lambda: sprint([1], {}, 2, ["x"])),
    ('println 1 2 "a" "b" 3 nil', lambda: sprintln(1, 2, "a", "b", 3, None)),
    ("print", lambda: sprint()),
    ("print nil nil", lambda: sprint(None, None)),
    ("println", lambda: sprintln()),
]  # fmt: skip


def test_argument_handling_and_error_forms() -> None:
    actions = [a for a, _ in CALLS]
    ours = [fn() for _, fn in CALLS]
    assert_same(actions, ours, helm_lines(actions, files={"h.txt": "hi", "z.txt": "hi\x00"}))


def test_format_value_prints_action_results_like_helm() -> None:
    values = HELM_VALUES
    values_yaml = "".join(
        f"{k}: {json.dumps(v) if not isinstance(v, str) else yaml_string(v)}\n" for k, v in values.items()
    )
    actions = [f".Values.{k}" for k in values if values[k] is not None]
    ours = [format_value(values[k]) for k in values if values[k] is not None]
    assert_same(actions, ours, helm_lines(actions, values_yaml))


FLOAT_VERBS = [
    "%v", "%g", "%G", "%e", "%E", "%f", "%.0f", "%.1f", "%.3e", "%.0e", "%.1g", "%.3g", "%.17g",
    "%.20f", "%x", "%X", "%.2x", "%.0x", "%#g", "%#.4g", "%#v", "%12.4f", "%-12.4e|", "%+g",
    "% g", "%010.2f", "%b", "%.15g", "%#.0e", "%#x", "%.13x",
]  # fmt: skip


def _float_from_bits(bits: int) -> float:
    return float(struct.unpack("<d", struct.pack("<Q", bits))[0])


finite_floats = st.one_of(
    st.floats(allow_nan=False, allow_infinity=False),
    st.integers(0, (1 << 64) - 1).map(_float_from_bits).filter(math.isfinite),
    st.integers(-(10**8), 10**8).map(lambda n: n / 8),
    st.sampled_from([0.5, 2.5, 99999.5, 999999.5, 1e6, 1e21, 1e20, 5e-324, 2.2250738585072014e-308, 0.1]),
)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(finite_floats, min_size=1, max_size=8))
def test_float_verbs_match_helm(floats: list[float]) -> None:
    values_yaml = "".join(f"v{i}: {f!r}\n" for i, f in enumerate(floats))
    pairs = [(fmt, i) for fmt in FLOAT_VERBS for i in range(len(floats))]
    actions = [f"printf {json.dumps(fmt)} .Values.v{i}" for fmt, i in pairs]
    ours = [sprintf(fmt, floats[i]) for fmt, i in pairs]
    assert_same(actions, ours, helm_lines(actions, values_yaml))


@settings(max_examples=20, deadline=None)
@given(st.lists(st.integers(-(1 << 63), (1 << 63) - 1), min_size=1, max_size=8))
def test_int64_verbs_match_helm(ints: list[int]) -> None:
    verbs = ["%v", "%d", "%x", "%X", "%#o", "%b", "%08d", "%-6d|", "%+.3d", "%q", "%U", "%c"]
    actions = [f'printf "{v}" (int64 "{n}")' for v in verbs for n in ints]
    ours = [sprintf(v, Int64(n)) for v in verbs for n in ints]
    assert_same(actions, ours, helm_lines(actions))


# Letters, marks, numbers, punctuation, symbols, separators, controls and format characters
# (unassigned code points are left out: Go and Python may use different Unicode versions).
go_text = st.text(st.characters(blacklist_categories=("Cs", "Cn")), max_size=10)


@settings(max_examples=20, deadline=None)
@given(st.lists(go_text, min_size=1, max_size=8))
def test_string_verbs_match_helm(strings: list[str]) -> None:
    verbs = ["%q", "%+q", "%#q", "%x", "% X", "%# x", "%s", "%5.2s|", "%-8q|", "%v", "%.3x", "%d"]
    values_yaml = "".join(f"s{i}: {yaml_string(s)}\n" for i, s in enumerate(strings))
    pairs = [(v, i) for v in verbs for i in range(len(strings))]
    actions = [f'printf "{v}" .Values.s{i}' for v, i in pairs]
    ours = [sprintf(v, strings[i]) for v, i in pairs]
    assert_same(actions, ours, helm_lines(actions, values_yaml))


def test_format_float_and_quote_are_strconv() -> None:
    # strconv.FormatFloat/Quote are what %v/%g/%e/%f and %q print for plain operands.
    cases = [(1e6, "g", -1), (100000.0, "g", -1), (0.0001, "g", -1), (1e-05, "g", -1), (-0.0, "g", -1),
             (1.5, "f", 3), (123456.789, "e", 2), (0.000123, "G", 2)]  # fmt: skip
    fmts = {"g": "%v", "f": "%.{p}f", "e": "%.{p}e", "G": "%.{p}G"}
    actions = [f'printf "{fmts[c].format(p=p)}" (float64 "{f!r}")' for f, c, p in cases]
    ours = [format_float(f, c, p) for f, c, p in cases]
    actions.append('printf "%q" "a\\tb\\"\\u00e9\\u200b"')
    ours.append(quote('a\tb"\u00e9\u200b'))
    assert_same(actions, ours, helm_lines(actions))

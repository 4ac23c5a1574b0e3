"""goconst's strconv port serves both the template parser and Sprig's conversions; Sprig's
float64/int64 expose it to strings the lexer never produces (signed NaN, stray underscores)."""

from __future__ import annotations

import json
import math

import pytest
from helm_oracle import HAVE_HELM, helm_render_snippet
from hypothesis import assume, example, given
from hypothesis import strategies as st

from hooklint.gotemplate import goconst
from hooklint.gotemplate.goconst import GoSyntaxError, parse_float, parse_int, parse_int_base
from hooklint.gotemplate.sprig.conv import cast_to_float64, cast_to_int64

needs_helm = pytest.mark.skipif(not HAVE_HELM, reason="helm_python not installed")

STRINGS = [
    "+nan",
    "-nan",
    "nan",
    "NaN",
    "-Inf",
    "+infinity",
    "1_000.5",
    "_1.5",
    "0x1p-2",
    "0x_1p4",
    "1e5_0",
    "1_e5",
]
INT_STRINGS = [
    "0x_1f",
    "1_000",
    "1__0",
    "017",
    "0o17",
    "-0b101",
    "9223372036854775808",
    "-9223372036854775808",
]


def test_signed_nan_is_not_a_float() -> None:
    """Go 1.23 strconv.special: a sign may precede Inf/Infinity, not NaN."""
    assert parse_float("+nan") is None and parse_float("-NaN") is None
    nan = parse_float("nan")
    assert nan is not None and math.isnan(nan)
    assert parse_float("-Infinity") == -math.inf


def test_parse_int_is_base_zero_parse_int() -> None:
    for s in INT_STRINGS:
        value, ok = parse_int_base(s, 0)
        assert parse_int(s) == (value if ok else None)


@needs_helm
def test_sprig_float64_and_int64_like_helm() -> None:
    template = "{{ range .Values.s }}{{ float64 . }} {{ end }}|{{ range .Values.i }}{{ int64 . }} {{ end }}"
    out = helm_render_snippet(template, json.dumps({"s": STRINGS, "i": INT_STRINGS}))
    floats = " ".join(_go_float(cast_to_float64(s)) for s in STRINGS)
    ints = " ".join(str(cast_to_int64(s)) for s in INT_STRINGS)
    assert out == f"{floats} |{ints} "


def _go_float(f: float) -> str:
    if math.isnan(f):
        return "NaN"
    if math.isinf(f):
        return "+Inf" if f > 0 else "-Inf"
    return repr(f).removesuffix(".0") if f == int(f) and abs(f) < 1e21 else repr(f)


def _unquoted(unquote: object, body: str) -> object:
    """unquote's result, or the class of what it raised (a lone high surrogate cannot even be
    encoded: never in a template read from a file, but both paths must fail alike)."""
    try:
        return unquote(body)  # type: ignore[operator]
    except (GoSyntaxError, UnicodeEncodeError) as e:
        return type(e)


@given(st.lists(st.sampled_from(["a", " ", "\\", "n", "t", "v", '"', "'", "x", "4", "1", "u", "é", "⚠", "\udcff",
                                 "\ud800", "\\n", '\\"', "\\\\", "\\x41", "\\303", "\\u00e9"]),
                max_size=12).map("".join))
@example("\udcc3\udca9\\n")  # bytes that were not UTF-8 alone, and are together: "é"
@example("\ud800\\n")
def test_unquote_of_one_character_escapes_is_unquote_rune_by_rune(body: str) -> None:
    """The substitution that unquotes strings whose escapes are all one character gives what
    the rune-by-rune unquote gives (and the same error), surrogates and other escapes included.
    (Without a backslash, unquote returns the inside as it is, and a newline is an error.)"""
    assume("\\" in body)
    assert _unquoted(goconst.unquote, f'"{body}"') == _unquoted(lambda b: goconst._unquote_runes(b[1:-1], '"'),
                                                                f'"{body}"')


def test_unquote_messages() -> None:
    assert goconst.unquote(r'"\n⚠ WARNING: \"x\"\t\\"') == '\n⚠ WARNING: "x"\t\\'
    with pytest.raises(GoSyntaxError):
        goconst.unquote(r'"\'"')  # not an escape in a "..." literal

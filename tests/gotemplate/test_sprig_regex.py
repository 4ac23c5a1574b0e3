"""Sprig regex functions: Go regexp semantics (empty matches, $-expansion, errors) vs Helm."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from helm_oracle import HAVE_HELM, HelmFailure, helm_render_snippet
from hypothesis import given, settings
from hypothesis import strategies as st

from hooklint.gotemplate.gotypes import GoFuncError, GoPanic
from hooklint.gotemplate.sprig.regex import FUNCS, regexQuoteMeta

needs_helm = pytest.mark.skipif(not HAVE_HELM, reason="helm_python not installed")


def _values_json(values: object) -> str:
    """JSON (valid YAML) for values: ASCII escapes, except astral characters, which go-yaml
    only accepts literally (it rejects JSON surrogate-pair escapes)."""
    text = json.dumps(values)
    pair = re.compile(r"\\ud[89ab][0-9a-f]{2}\\ud[c-f][0-9a-f]{2}")
    return pair.sub(lambda m: json.loads('"' + m.group() + '"'), text)


def _ours(name: str, *args: Any) -> str:
    try:
        v = FUNCS[name](*args)
    except (GoPanic, GoFuncError) as e:
        return "ERR:" + str(e)
    if v is None:
        return "[]"
    if isinstance(v, list):
        return "[" + " ".join(v) + "]"
    if isinstance(v, bool):
        return "true" if v else "false"
    return str(v)


def _helm(name: str, *args: Any) -> str:
    values = {f"a{i}": a for i, a in enumerate(args)}
    refs = " ".join(f".Values.a{i}" if isinstance(a, str) else str(a) for i, a in enumerate(args))
    out = helm_render_snippet("{{ " + name + " " + refs + " }}", _values_json(values))
    if isinstance(out, HelmFailure):
        return "ERR:" + out.message.split(f"error calling {name}: ", 1)[-1]
    return out


PATTERNS = [
    "a*",
    "",
    "b|",
    "x*?",
    "(a)(b)?",
    r"(?P<first>\w+)\s(?P<last>\w+)",
    "^",
    "$",
    r"\b",
    "é*",
    "[[:alpha:]]+",
]
SUBJECTS = ["", "abc", "aaa baa", "xyz é éé", "Hello World foo", "a\nb"]
BAD_PATTERNS = [
    "(",
    ")",
    "a**",
    "[a",
    "[z-a]",
    "a{2,1}",
    "a{1001}",
    "\\",
    r"a\q",
    r"\C",
    "*",
    "(?i",
    r"\pX",
    "x{2}{3}",
    r"\Z",
    "(?=a)",
    "(?P<>a)",
]


@needs_helm
@pytest.mark.parametrize("pattern", PATTERNS)
def test_find_split_match_like_helm(pattern: str) -> None:
    for s in SUBJECTS:
        for n in (-1, 0, 1, 2):
            assert _ours("regexFindAll", pattern, s, n) == _helm("regexFindAll", pattern, s, n)
            assert _ours("regexSplit", pattern, s, n) == _helm("regexSplit", pattern, s, n)
        assert _ours("regexFind", pattern, s) == _helm("regexFind", pattern, s)
        assert _ours("regexMatch", pattern, s) == _helm("regexMatch", pattern, s)


@needs_helm
@pytest.mark.parametrize(
    "repl", ["X", "$1", "${1}x", "$1x", "$$", "$", "${first}", "$last,$first", "${", "$10", "$0"]
)
def test_replace_all_expansion_like_helm(repl: str) -> None:
    for pattern in PATTERNS:
        for s in SUBJECTS[:4]:
            assert _ours("regexReplaceAll", pattern, s, repl) == _helm("regexReplaceAll", pattern, s, repl)
            assert _ours("regexReplaceAllLiteral", pattern, s, repl) == _helm(
                "regexReplaceAllLiteral", pattern, s, repl
            )


@needs_helm
@pytest.mark.parametrize("pattern", BAD_PATTERNS)
def test_compile_errors_and_panics_like_helm(pattern: str) -> None:
    assert _ours("mustRegexMatch", pattern, "x") == _helm("mustRegexMatch", pattern, "x")
    assert _ours("regexFind", pattern, "x") == _helm("regexFind", pattern, "x")
    assert _ours("regexMatch", pattern, "x") == "false"


@needs_helm
@settings(max_examples=30, deadline=None)
@given(
    pattern=st.sampled_from(PATTERNS + ["a|b*", "(x?)+", "[^a]"]), s=st.text(alphabet="abx é\n", max_size=8)
)
def test_random_subjects_like_helm(pattern: str, s: str) -> None:
    assert _ours("regexFindAll", pattern, s, -1) == _helm("regexFindAll", pattern, s, -1)
    assert _ours("regexReplaceAll", pattern, s, "<$0>") == _helm("regexReplaceAll", pattern, s, "<$0>")


@given(st.text(max_size=30))
def test_quote_meta_matches_itself_literally(s: str) -> None:
    from hooklint.gotemplate.sprig.regex import compile_go

    assert compile_go("^" + regexQuoteMeta(s) + "$").match(s)

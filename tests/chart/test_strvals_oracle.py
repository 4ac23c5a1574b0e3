"""`--set` family parsing: our strvals against Helm's own parser (helm_python)."""

from __future__ import annotations

from typing import Any

import pytest
from helm_oracle import HAVE_HELM
from hypothesis import given, settings
from hypothesis import strategies as st

from hooklint.chart import strvals
from hooklint.gotemplate.gotypes import Int64

pytestmark = pytest.mark.skipif(not HAVE_HELM, reason="helm_python not installed")

SET_CASES = [
    "a=1,b.c=two,ports={80,443}",
    "a[0].b=1,a[2]=x",
    "x=0,y=007,z=-3,w=TRUE,n=null,e=",
    "a.b.c=1",
    "k\\.x=1",
    "name=foo\\,bar",
    "a[1][2]=3",
    "x=1,x.y=2",
    "a[x]=1",
    "a=b,",
    "list={a,b,c}",
    "big=9223372036854775807,bigger=9223372036854775808",
]


def _ours(fn: Any, s: str) -> Any:
    out: dict[str, Any] = {}
    try:
        fn(s, out)
    except strvals.StrvalsError:
        return "error"
    return out


def _helm(fn: Any, s: str) -> Any:
    try:
        return fn(s)
    except Exception:
        return "error"


@pytest.mark.parametrize("expr", SET_CASES)
def test_set_matches_helm(expr: str) -> None:
    import helm_python

    assert _ours(strvals.parse_into, expr) == _helm(helm_python.parse_set_string, expr)


@pytest.mark.parametrize("expr", ["port=80,flag=true", "a.b=null", "l={1,2}"])
def test_set_string_matches_helm(expr: str) -> None:
    import helm_python

    assert _ours(strvals.parse_into_string, expr) == _helm(helm_python.parse_set_string_values, expr)


@pytest.mark.parametrize("expr", ['a={"b":[1,2]}', "a=", 'a=[1, "x"], b.c=null', "x[1]=2"])
def test_set_json_matches_helm(expr: str) -> None:
    import helm_python

    assert _ours(strvals.parse_json, expr) == _helm(helm_python.parse_set_json, expr)


@pytest.mark.parametrize("expr", ["a=b,c=d", "x.y=1=2", "l[0]={a,b}"])
def test_set_literal_matches_helm(expr: str) -> None:
    import helm_python

    assert _ours(strvals.parse_literal_into, expr) == _helm(helm_python.parse_set_literal, expr)


def test_set_integers_are_int64() -> None:
    out = strvals.parse("a=12,b=012,c=0")
    assert type(out["a"]) is Int64 and out["a"] == 12
    assert out["b"] == "012"
    assert type(out["c"]) is Int64


def test_errors_are_worded_like_helm() -> None:
    with pytest.raises(strvals.StrvalsError, match='key "a" has no value \\(cannot end with ,\\)'):
        strvals.parse("a,b=1")
    with pytest.raises(strvals.StrvalsError, match="list must terminate with '}'"):
        strvals.parse("a={1,2")
    with pytest.raises(
        strvals.StrvalsError, match="index of 70000 is greater than maximum supported index of 65536"
    ):
        strvals.parse("a[70000]=1")


_KEY = st.text(alphabet="abcxyz", min_size=1, max_size=4)
_VAL = st.text(alphabet="abz019-_ tTrRuUeE", max_size=6)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.lists(_KEY, min_size=1, max_size=3), _VAL), min_size=1, max_size=4))
def test_random_set_lines_match_helm(pairs: list[tuple[list[str], str]]) -> None:
    import helm_python

    expr = ",".join(".".join(k) + "=" + v for k, v in pairs)
    assert _ours(strvals.parse_into, expr) == _helm(helm_python.parse_set_string, expr)

"""Random Sprig functions: alphabets, lengths and failures match Helm (values are random)."""

from __future__ import annotations

import re

import pytest
from helm_oracle import HAVE_HELM, helm_render_snippet
from hypothesis import given
from hypothesis import strategies as st

from hooklint.gotemplate.gotypes import GoPanic
from hooklint.gotemplate.sprig.random import (
    randAlpha,
    randAlphaNum,
    randAscii,
    randInt,
    randNumeric,
    shuffle,
    uuidv4,
)

ALPHABETS = {
    "randAlphaNum": (randAlphaNum, r"[A-Za-z0-9]*"),
    "randAlpha": (randAlpha, r"[A-Za-z]*"),
    "randNumeric": (randNumeric, r"[0-9]*"),
    "randAscii": (randAscii, r"[ -~]*"),
}


@pytest.mark.parametrize("name", sorted(ALPHABETS))
@given(n=st.integers(min_value=-5, max_value=64))
def test_length_and_alphabet(name: str, n: int) -> None:
    fn, pattern = ALPHABETS[name]
    out = fn(n)
    assert len(out) == max(n, 0)
    assert re.fullmatch(pattern, out)


@pytest.mark.skipif(not HAVE_HELM, reason="helm_python not installed")
@pytest.mark.parametrize("name", sorted(ALPHABETS))
def test_helm_uses_the_same_alphabet(name: str) -> None:
    _, pattern = ALPHABETS[name]
    out = helm_render_snippet(f"{{{{ {name} 200 }}}}\n{{{{ {name} -1 }}}}")
    assert isinstance(out, str)
    body, _, empty = out.partition("\n")
    assert len(body) == 200 and re.fullmatch(pattern, body) and empty == ""


@given(st.text(max_size=20))
def test_shuffle_is_a_permutation(s: str) -> None:
    assert sorted(shuffle(s)) == sorted(s)


def test_shuffle_replaces_invalid_utf8_like_go() -> None:
    assert shuffle("\udcff") == "\ufffd"


@given(lo=st.integers(-100, 100), width=st.integers(1, 50))
def test_rand_int_range(lo: int, width: int) -> None:
    assert lo <= randInt(lo, lo + width) < lo + width


@pytest.mark.parametrize(("lo", "hi"), [(3, 3), (5, 3)])
def test_rand_int_empty_range_panics_like_go(lo: int, hi: int) -> None:
    with pytest.raises(GoPanic, match="^invalid argument to Intn$"):
        randInt(lo, hi)


def test_uuidv4_format_and_uniqueness() -> None:
    seen = {uuidv4() for _ in range(50)}
    assert len(seen) == 50
    for u in seen:
        assert re.fullmatch(r"[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}", u)

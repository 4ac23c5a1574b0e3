"""gomatch.matcher tests the usual .helmignore rules (literals, `*suffix`) with string methods;
every pattern must still match exactly what filepath.Match's translation to a regex matches."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hooklint.chart import gomatch

_ALPHABET = st.sampled_from(["a", "b", ".", "/", "~", "-", "*", "?", "[", "]", "^", "\\"])
_NAMES = st.lists(st.sampled_from(["a", "b", ".", "/", "~", "-", "*"]), max_size=8).map("".join)


@settings(max_examples=500, deadline=None)
@given(st.lists(_ALPHABET, max_size=6).map("".join), st.lists(_NAMES, min_size=1, max_size=5))
def test_matcher_agrees_with_the_regex_translation(pattern: str, names: list[str]) -> None:
    try:
        regex = gomatch._compile(pattern)
    except gomatch.BadPattern:
        with pytest.raises(gomatch.BadPattern):
            gomatch.matcher(pattern)
        return
    test = gomatch.matcher(pattern)
    for name in names:
        assert test(name) is (regex.fullmatch(name) is not None), (pattern, name)


@pytest.mark.parametrize(
    ("pattern", "name", "matched"),
    [(".git", ".git", True), (".git", ".gitignore", False), ("*.swp", "a.swp", True),
     ("*.swp", ".swp", True), ("*.swp", "dir/a.swp", False), ("*~", "x~", True), ("*", "", True)],
)
def test_helmignore_shapes(pattern: str, name: str, matched: bool) -> None:
    assert gomatch.matcher(pattern)(name) is matched

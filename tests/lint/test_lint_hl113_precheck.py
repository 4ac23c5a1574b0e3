"""HL113's cheap line scan never hides a repeated key that the YAML node tree shows."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from hooklint.checks.annotation_syntax import _may_repeat_watched_key
from hooklint.lint.yamltree import compose, duplicate_keys

KEYS = st.sampled_from(["metadata", "labels", "annotations", "helm.sh/hook", '"helm.sh/hook"', "name", "spec", "a"])
SCALARS = st.sampled_from(["x", "1", "'q'", "{}", "[]"])


def _block(depth: int) -> st.SearchStrategy[list[tuple[str, object]]]:
    """A block mapping as (key, value) pairs; keys may repeat; values are scalars, mappings or lists."""
    leaf: st.SearchStrategy[object] = SCALARS
    if depth > 0:
        leaf = st.one_of(SCALARS, st.deferred(lambda: _block(depth - 1)),
                         st.lists(st.deferred(lambda: _block(depth - 1)), min_size=1, max_size=3).map(tuple))
    return st.lists(st.tuples(KEYS, leaf), min_size=1, max_size=4)


def _emit(pairs: list[tuple[str, object]], indent: int, first_prefix: str = "") -> list[str]:
    out = []
    for n, (key, value) in enumerate(pairs):
        pad = first_prefix if n == 0 and first_prefix else " " * indent
        if isinstance(value, str):
            out.append(f"{pad}{key}: {value}")
        elif isinstance(value, tuple):
            out.append(f"{pad}{key}:")
            for item in value:
                out += _emit(item, indent + 2, " " * indent + "- ")  # type: ignore[arg-type]
        else:
            out.append(f"{pad}{key}:")
            out += _emit(value, indent + 2)  # type: ignore[arg-type]
    return out


def _watched_dup(text: str) -> bool:
    watched = ("metadata", "annotations", "labels")
    return any(str(k.value) in watched or str(k.value).startswith("helm.sh/")
               for _, _, k in duplicate_keys(compose(text)))


@settings(max_examples=300, deadline=None)
@given(_block(3))
def test_precheck_never_misses_a_repeated_watched_key(pairs: list[tuple[str, object]]) -> None:
    text = "\n".join(_emit(pairs, 0)) + "\n"
    if compose(text) is None:
        return
    if _watched_dup(text):
        assert _may_repeat_watched_key(text), text

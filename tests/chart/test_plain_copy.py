"""plain_copy.deep_copy: equal to its input, and sharing no dict or list with it, at any depth
(the recursive copy hands values nested past _MAX_RECURSION to the explicit-stack one)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from hooklint.chart import plain_copy
from hooklint.chart.plain_copy import deep_copy

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

_SCALARS = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False), st.text(max_size=3), st.binary(max_size=2))
_VALUES = st.recursive(
    _SCALARS,
    lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=3), inner, max_size=4)),
    max_leaves=30,
)


def _containers(v: Any) -> list[int]:
    out: list[int] = []
    stack = [v]
    while stack:
        x = stack.pop()
        if isinstance(x, dict):
            out.append(id(x))
            stack.extend(x.values())
        elif isinstance(x, list):
            out.append(id(x))
            stack.extend(x)
    return out


def _tokens(v: Any) -> list[Any]:
    """The value in preorder without recursion (== on 20,000 nested levels would recurse)."""
    out: list[Any] = []
    stack = [v]
    while stack:
        x = stack.pop()
        if isinstance(x, dict):
            out.append(("dict", tuple(x)))
            stack.extend(reversed(list(x.values())))
        elif isinstance(x, list):
            out.append(("list", len(x)))
            stack.extend(reversed(x))
        else:
            out.append((type(x), x))
    return out


def _nest(leaf: Any, depth: int) -> Any:
    for i in range(depth):
        leaf = {"k": leaf, "n": i} if i % 2 else [leaf, i]
    return leaf


@settings(max_examples=300, deadline=None)
@given(_VALUES, st.sampled_from([0, 1, plain_copy._MAX_RECURSION - 1, plain_copy._MAX_RECURSION + 3]))
def test_copy_is_equal_and_shares_no_container(value: Any, depth: int) -> None:
    value = _nest(value, depth)
    out = deep_copy(value)
    assert out == value
    assert type(out) is type(value)
    assert not set(_containers(out)) & set(_containers(value))


def test_copy_of_very_deep_values() -> None:
    value = _nest({"leaf": [1, {"a": None}]}, 20_000)  # far past Python's recursion limit
    out = deep_copy(value)
    assert _tokens(out) == _tokens(value)
    assert not set(_containers(out)) & set(_containers(value))


def test_shared_containers_come_out_separate() -> None:
    shared = {"a": [1]}
    out = deep_copy({"x": shared, "y": shared})
    assert out["x"] == out["y"] == shared
    assert out["x"] is not out["y"]  # as Go's copystructure copies them

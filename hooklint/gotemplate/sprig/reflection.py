"""Sprig's reflection functions (reflect.go) and Go's reflect.DeepEqual on template values."""

from __future__ import annotations

from collections.abc import Callable

from hooklint.gotemplate.gotypes import ANY, BOOL, STRING, GoObject, go_kind, go_type_name, gofunc, is_go_nil

TYPE_CHECKING = False  # not `typing`'s: importing typing costs ~3 ms of every run
if TYPE_CHECKING:
    from typing import Any


def go_deep_equal(a: Any, b: Any) -> bool:
    """reflect.DeepEqual: equal dynamic types and deeply equal contents (NaN != NaN)."""
    if go_type_name(a) != go_type_name(b) or is_go_nil(a) != is_go_nil(b):
        return False  # a nil slice or map is not DeepEqual to an empty one
    if isinstance(a, list):
        return len(a) == len(b) and all(go_deep_equal(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, dict):
        return a.keys() == b.keys() and all(go_deep_equal(v, b[k]) for k, v in a.items())
    if isinstance(a, GoObject):
        return a is b or a == b
    return bool(a == b)


@gofunc(ANY, result=STRING)
def type_of(src: Any) -> str:
    return go_type_name(src)


@gofunc(STRING, ANY, result=BOOL)
def type_is(target: str, src: Any) -> bool:
    return target == go_type_name(src)


@gofunc(STRING, ANY, result=BOOL)
def type_is_like(target: str, src: Any) -> bool:
    t = go_type_name(src)
    return target == t or "*" + target == t


@gofunc(ANY, result=STRING)
def kind_of(src: Any) -> str:
    return go_kind(src)


@gofunc(STRING, ANY, result=BOOL)
def kind_is(target: str, src: Any) -> bool:
    return target == go_kind(src)


@gofunc(ANY, ANY, result=BOOL)
def deep_equal(a: Any, b: Any) -> bool:
    return go_deep_equal(a, b)


FUNCS: dict[str, Callable[..., Any]] = {
    "typeOf": type_of,
    "typeIs": type_is,
    "typeIsLike": type_is_like,
    "kindOf": kind_of,
    "kindIs": kind_is,
    "deepEqual": deep_equal,
}

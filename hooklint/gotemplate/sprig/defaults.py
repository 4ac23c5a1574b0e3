"""Sprig's defaults and flow functions (defaults.go, functions.go): default, empty, coalesce,
all, any, ternary, fail. "Empty" is Sprig's `empty`: the zero value of the dynamic type."""

from __future__ import annotations

from collections.abc import Callable

from hooklint.gotemplate.gotypes import ANY, BOOL, STRING, GoFuncError, GoObject, gofunc

TYPE_CHECKING = False  # not `typing`'s: importing typing costs ~3 ms of every run
if TYPE_CHECKING:
    from typing import Any


def is_empty(value: Any) -> bool:
    """Sprig's empty(): nil, false, 0, 0i, "", and empty slices/maps; structs are never empty."""
    if value is None:
        return True
    if isinstance(value, bool):
        return not value
    if isinstance(value, (int, float, complex)):
        return value == 0
    if isinstance(value, (str, bytes, list, dict)):
        return len(value) == 0
    if isinstance(value, GoObject):
        return False  # structs, and non-nil pointers to them
    return False


@gofunc(ANY, variadic=ANY)
def default(d: Any, *given: Any) -> Any:
    if not given or is_empty(given[0]):
        return d
    return given[0]


@gofunc(ANY, result=BOOL)
def empty(given: Any) -> bool:
    return is_empty(given)


@gofunc(variadic=ANY)
def coalesce(*values: Any) -> Any:
    for v in values:
        if not is_empty(v):
            return v
    return None


@gofunc(variadic=ANY, result=BOOL)
def all_(*values: Any) -> bool:
    return all(not is_empty(v) for v in values)


@gofunc(variadic=ANY, result=BOOL)
def any_(*values: Any) -> bool:
    return any(not is_empty(v) for v in values)


@gofunc(ANY, ANY, BOOL)
def ternary(vt: Any, vf: Any, v: bool) -> Any:
    return vt if v else vf


@gofunc(STRING, error=True, result=STRING)
def fail(msg: str) -> str:
    raise GoFuncError(msg)


FUNCS: dict[str, Callable[..., Any]] = {
    "default": default,
    "empty": empty,
    "coalesce": coalesce,
    "all": all_,
    "any": any_,
    "ternary": ternary,
    "fail": fail,
}

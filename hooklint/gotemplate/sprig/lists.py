"""Sprig's list functions (list.go): they accept any Go slice or array through reflection
([]interface{}, []string, []int, []byte) and return []interface{}.

Each `mustX` returns Go's error; plain `X` panics with the same message, which text/template
reports as `error calling X: MESSAGE` too. A nil list panics in both (reflect.TypeOf(nil).Kind()
is a nil pointer dereference).
"""

from __future__ import annotations

import math
from collections.abc import Callable

from hooklint.gotemplate.gotypes import (
    ANY,
    BOOL,
    INT,
    LIST,
    STRLIST,
    GoFuncError,
    GoPanic,
    NilList,
    StrList,
    go_kind,
    gofunc,
    is_go_nil,
)
from hooklint.gotemplate.sprig.conv import INT64_MIN, cast_to_int64
from hooklint.gotemplate.sprig.defaults import is_empty
from hooklint.gotemplate.sprig.reflection import go_deep_equal
from hooklint.gotemplate.sprig.strings import check_result_len, go_bytes, slice_items, strslice, strval

TYPE_CHECKING = False  # not `typing`'s: importing typing costs ~3 ms of every run
if TYPE_CHECKING:
    from typing import Any

NIL_DEREF = "runtime error: invalid memory address or nil pointer dereference"


class ListOfLists(list):  # type: ignore[type-arg]
    """Go [][]interface{} (what chunk returns)."""

    go_type = "[][]interface {}"
    go_kind = "slice"


def _items(value: Any, message: str) -> list[Any]:
    """Elements of `value`; a GoFuncError `message % kind` when it is not a slice."""
    if value is None:
        raise GoPanic(NIL_DEREF)
    items = slice_items(value)
    if items is None:
        raise GoFuncError(message % go_kind(value))
    return items


def _pair(
    core: Callable[..., Any], *params: str, variadic: str | None = None, result: str = ANY
) -> tuple[Callable[..., Any], Callable[..., Any]]:
    """(mustX, X): the first returns the error, the second panics with it."""

    def must(*args: Any) -> Any:
        return core(*args)

    def plain(*args: Any) -> Any:
        try:
            return core(*args)
        except GoFuncError as e:
            raise GoPanic(str(e)) from None

    must.__name__ = plain.__name__ = core.__name__
    must.__doc__ = plain.__doc__ = core.__doc__
    return (
        gofunc(*params, variadic=variadic, error=True, result=result)(must),
        gofunc(*params, variadic=variadic, result=result)(plain),
    )


def _in_list(haystack: list[Any], needle: Any) -> bool:
    return any(go_deep_equal(needle, h) for h in haystack)


# --- the operations (raising GoFuncError for Go's returned error) ----------------------------


def _push(lst: Any, v: Any) -> list[Any]:
    return [*_items(lst, "Cannot push on type %s"), v]


def _prepend(lst: Any, v: Any) -> list[Any]:
    return [v, *_items(lst, "Cannot prepend on type %s")]


def _chunk(size: int, lst: Any) -> ListOfLists:
    items = _items(lst, "Cannot chunk type %s")
    n = len(items)
    count = _go_int(_floor(_go_fdiv(n - 1, size)) + 1)
    if count < 0:
        raise GoPanic("runtime error: makeslice: len out of range")
    check_result_len(count)
    chunks = ListOfLists()
    for i in range(count):
        clen = size
        if i == count - 1:
            clen = _go_int(_floor(math.fmod(n, size))) if size != 0 else INT64_MIN
            if clen == 0:
                clen = size
        if clen < 0:
            raise GoPanic("runtime error: makeslice: len out of range")
        start = i * size
        if start + clen > n:
            raise GoPanic("reflect: slice index out of range")
        chunks.append(items[start : start + clen])
    return chunks


def _floor(f: float) -> float:
    return f if math.isnan(f) or math.isinf(f) else float(math.floor(f))


def _go_fdiv(a: int, b: int) -> float:
    """float64(a) / float64(b) with IEEE division by zero."""
    if b == 0:
        return math.nan if a == 0 else math.copysign(math.inf, a)
    return a / b


def _go_int(f: float) -> int:
    """Go's int(f) on amd64 (NaN and overflow give MinInt64)."""
    if math.isnan(f) or math.isinf(f) or not (-(2.0**63) <= f < 2.0**63):
        return INT64_MIN
    return int(f)


def _last(lst: Any) -> Any:
    items = _items(lst, "Cannot find last on type %s")
    return items[-1] if items else None


def _first(lst: Any) -> Any:
    items = _items(lst, "Cannot find first on type %s")
    return items[0] if items else None


def _rest(lst: Any) -> list[Any]:
    items = _items(lst, "Cannot find rest on type %s")
    return items[1:] if items else NilList()  # Sprig returns nil for an empty list


def _initial(lst: Any) -> list[Any]:
    items = _items(lst, "Cannot find initial on type %s")
    return items[:-1] if items else NilList()


def _reverse(lst: Any) -> list[Any]:
    return _items(lst, "Cannot find reverse on type %s")[::-1]


def _compact(lst: Any) -> list[Any]:
    return [v for v in _items(lst, "Cannot compact on type %s") if not is_empty(v)]


def _uniq(lst: Any) -> list[Any]:
    dest: list[Any] = []
    for v in _items(lst, "Cannot find uniq on type %s"):
        if not _in_list(dest, v):
            dest.append(v)
    return dest


def _without(lst: Any, *omit: Any) -> list[Any]:
    omitted = list(omit)
    return [v for v in _items(lst, "Cannot find without on type %s") if not _in_list(omitted, v)]


def _has(needle: Any, haystack: Any) -> bool:
    if haystack is None:
        return False
    return _in_list(_items(haystack, "Cannot find has on type %s"), needle)


def _slice(lst: Any, *indices: Any) -> Any:
    """Go's l[start:end] through reflect; the result keeps the list's type."""
    items = _items(lst, "list should be type of slice or array but %s")
    n = len(items)
    if n == 0:
        return None
    start = cast_to_int64(indices[0]) if indices else 0
    end = cast_to_int64(indices[1]) if len(indices) >= 2 else n
    if start < 0 or end < start or end > n:
        raise GoPanic("reflect.Value.Slice: slice index out of bounds")
    if isinstance(lst, bytes):
        return lst[start:end]
    return type(lst)(lst[start:end])


m_push, push = _pair(_push, ANY, ANY, result=LIST)
m_prepend, prepend = _pair(_prepend, ANY, ANY, result=LIST)
m_chunk, chunk = _pair(_chunk, INT, ANY, result="[][]interface {}")
m_last, last = _pair(_last, ANY)
m_first, first = _pair(_first, ANY)
m_rest, rest = _pair(_rest, ANY, result=LIST)
m_initial, initial = _pair(_initial, ANY, result=LIST)
m_reverse, reverse = _pair(_reverse, ANY, result=LIST)
m_compact, compact = _pair(_compact, ANY, result=LIST)
m_uniq, uniq = _pair(_uniq, ANY, result=LIST)
m_without, without = _pair(_without, ANY, variadic=ANY, result=LIST)
m_has, has = _pair(_has, ANY, ANY, result=BOOL)
m_slice, slice_ = _pair(_slice, ANY, variadic=ANY)


@gofunc(variadic=ANY, result=LIST)
def list_(*values: Any) -> list[Any]:
    return list(values)


@gofunc(ANY, result=STRLIST)
def sort_alpha(lst: Any) -> StrList:
    """Sprig's sortAlpha: a sorted []string of a slice's elements, else [strval(v)]."""
    if slice_items(lst) is None:
        return StrList([strval(lst)])
    if isinstance(lst, StrList) and is_go_nil(lst):
        return lst  # strslice passes a []string through: a nil one stays nil
    return StrList(sorted(strslice(lst), key=go_bytes))


@gofunc(variadic=ANY)
def concat(*lists: Any) -> list[Any]:
    res: list[Any] = []
    for lst in lists:
        if lst is None:
            raise GoPanic(NIL_DEREF)
        items = slice_items(lst)
        if items is None:
            raise GoPanic(f"Cannot concat type {go_kind(lst)} as list")
        res.extend(items)
    return res or NilList()  # `var res []interface{}` stays nil when nothing was appended


FUNCS: dict[str, Callable[..., Any]] = {
    "tuple": list_,
    "list": list_,
    "append": push,
    "push": push,
    "mustAppend": m_push,
    "mustPush": m_push,
    "prepend": prepend,
    "mustPrepend": m_prepend,
    "first": first,
    "mustFirst": m_first,
    "rest": rest,
    "mustRest": m_rest,
    "last": last,
    "mustLast": m_last,
    "initial": initial,
    "mustInitial": m_initial,
    "reverse": reverse,
    "mustReverse": m_reverse,
    "uniq": uniq,
    "mustUniq": m_uniq,
    "without": without,
    "mustWithout": m_without,
    "has": has,
    "mustHas": m_has,
    "slice": slice_,
    "mustSlice": m_slice,
    "concat": concat,
    "chunk": chunk,
    "mustChunk": m_chunk,
    "compact": compact,
    "mustCompact": m_compact,
    "sortAlpha": sort_alpha,
}

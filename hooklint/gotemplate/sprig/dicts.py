"""Sprig's dict functions (dict.go): dict, get, set, unset, hasKey, pluck, keys, values, pick,
omit, merge* (dario.cat/mergo v1.0.1), deepCopy (mitchellh/copystructure), dig.

Go maps are unordered; where Go's result order is random (keys, values) we keep insertion
order, so templates that sort (keys | sortAlpha) match Helm. A nil map argument arrives as None.
"""

from __future__ import annotations

from collections.abc import Callable

from hooklint.gotemplate.gotypes import (
    ANY,
    BOOL,
    LIST,
    MAP,
    STRING,
    STRLIST,
    GoPanic,
    StrList,
    StrMap,
    go_type_name,
    gofunc,
)
from hooklint.gotemplate.sprig.strings import strval

TYPE_CHECKING = False  # not `typing`'s: importing typing costs ~3 ms of every run
if TYPE_CHECKING:
    from typing import Any


def _is_map(value: Any) -> bool:
    return isinstance(value, dict)


def _is_slice(value: Any) -> bool:
    return isinstance(value, (list, bytes))


def _mergo_empty(value: Any) -> bool:
    """mergo's isEmptyValue on an interface value (dereferenced). Not defaults.is_empty: mergo
    has no complex case, so 0i is not empty here (merge keeps it), while Sprig's empty is true."""
    if value is None:
        return True
    if isinstance(value, bool):
        return not value
    if isinstance(value, (int, float)):
        return value == 0
    if isinstance(value, (str, bytes, list, dict)):
        return len(value) == 0
    return False


def _set_entry(dst: dict[str, Any], src: dict[str, Any], key: str, value: Any) -> None:
    """reflect's SetMapIndex: an interface{} element cannot go into a map[string]string."""
    if isinstance(dst, StrMap) and not isinstance(src, StrMap):
        raise GoPanic(
            "reflect.Value.SetMapIndex: value of type interface {} is not assignable to type string"
        )
    dst[key] = value


def mergo_merge(dst: dict[str, Any], src: dict[str, Any], overwrite: bool) -> None:
    """mergo's deepMerge for two maps, in place (nested dst maps are modified in place too).

    Without overwrite, dst wins unless its value is empty; with overwrite, src wins even
    with empty values (a nil src value too). Nested maps merge recursively; slices are
    replaced, never merged.
    """
    for key, s in list(src.items()):
        present = key in dst
        d = dst.get(key)
        if s is None:
            if overwrite:
                _set_entry(dst, src, key, None)
            continue
        if isinstance(s, dict):
            if present and isinstance(d, dict):
                mergo_merge(d, s, overwrite)
        elif _is_slice(s):
            dst_slice = type(s)() if (not present or d is None) else d
            if overwrite or len(dst) == 0:
                dst_slice = s
            _set_entry(dst, src, key, dst_slice)
        if present and not _mergo_empty(d):
            if _is_slice(s):
                continue
            if _is_map(s) and _is_map(d):
                continue
        if overwrite or not present or _mergo_empty(d):
            _set_entry(dst, src, key, s)


def _merge_all(dst: dict[str, Any] | None, srcs: tuple[dict[str, Any] | None, ...], overwrite: bool) -> Any:
    target: dict[str, Any] = {} if dst is None else dst
    for src in srcs:
        if src:
            mergo_merge(target, src, overwrite)
    return target


def go_deep_copy(value: Any) -> Any:
    """copystructure.Copy for template values: new maps and slices, same scalars."""
    if isinstance(value, dict):
        return type(value)((k, go_deep_copy(v)) for k, v in value.items())
    if isinstance(value, list):
        return type(value)(go_deep_copy(v) for v in value)
    return value


def _interface_conversion(value: Any, want: str) -> GoPanic:
    got = "nil" if value is None else go_type_name(value)
    return GoPanic(f"interface conversion: interface {{}} is {got}, not {want}")


def _as_plain_map(value: Any) -> dict[str, Any]:
    """Go's v.(map[string]interface{}): only that exact type (not Helm's Values type)."""
    if value is None or not isinstance(value, dict) or go_type_name(value) != MAP:
        raise _interface_conversion(value, MAP)
    return value


# --- the template functions -----------------------------------------------------------------


@gofunc(MAP, STRING)
def get(d: dict[str, Any] | None, key: str) -> Any:
    if d is not None and key in d:
        return d[key]
    return ""


@gofunc(MAP, STRING, ANY, result=MAP)
def set_(d: dict[str, Any] | None, key: str, value: Any) -> dict[str, Any]:
    if d is None:
        raise GoPanic("assignment to entry in nil map")
    d[key] = value
    return d


@gofunc(MAP, STRING, result=MAP)
def unset(d: dict[str, Any] | None, key: str) -> dict[str, Any]:
    if d is None:
        return {}
    d.pop(key, None)
    return d


@gofunc(MAP, STRING, result=BOOL)
def has_key(d: dict[str, Any] | None, key: str) -> bool:
    return d is not None and key in d


@gofunc(STRING, variadic=MAP, result=LIST)
def pluck(key: str, *dicts: dict[str, Any] | None) -> list[Any]:
    return [d[key] for d in dicts if d is not None and key in d]


@gofunc(variadic=MAP, result=STRLIST)
def keys(*dicts: dict[str, Any] | None) -> StrList:
    return StrList(k for d in dicts if d is not None for k in d)


@gofunc(MAP, variadic=STRING, result=MAP)
def pick(d: dict[str, Any] | None, *names: str) -> dict[str, Any]:
    source = d or {}
    return {k: source[k] for k in names if k in source}


@gofunc(MAP, variadic=STRING, result=MAP)
def omit(d: dict[str, Any] | None, *names: str) -> dict[str, Any]:
    dropped = set(names)
    return {k: v for k, v in (d or {}).items() if k not in dropped}


@gofunc(variadic=ANY, result=MAP)
def dict_(*values: Any) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for i in range(0, len(values), 2):
        key = strval(values[i])
        result[key] = values[i + 1] if i + 1 < len(values) else ""
    return result


@gofunc(MAP, variadic=MAP)
def merge(dst: dict[str, Any] | None, *srcs: dict[str, Any] | None) -> Any:
    return _merge_all(dst, srcs, overwrite=False)


@gofunc(MAP, variadic=MAP, error=True)
def must_merge(dst: dict[str, Any] | None, *srcs: dict[str, Any] | None) -> Any:
    return _merge_all(dst, srcs, overwrite=False)


@gofunc(MAP, variadic=MAP)
def merge_overwrite(dst: dict[str, Any] | None, *srcs: dict[str, Any] | None) -> Any:
    return _merge_all(dst, srcs, overwrite=True)


@gofunc(MAP, variadic=MAP, error=True)
def must_merge_overwrite(dst: dict[str, Any] | None, *srcs: dict[str, Any] | None) -> Any:
    return _merge_all(dst, srcs, overwrite=True)


@gofunc(MAP, result=LIST)
def values(d: dict[str, Any] | None) -> list[Any]:
    return list((d or {}).values())


def _deep_copy(value: Any) -> Any:
    if value is None:
        # copystructure calls reflect.Value.Type on the invalid Value of nil.
        raise GoPanic("reflect: call of reflect.Value.Type on zero Value")
    return go_deep_copy(value)


@gofunc(ANY)
def deep_copy(value: Any) -> Any:
    return _deep_copy(value)


@gofunc(ANY, error=True)
def must_deep_copy(value: Any) -> Any:
    return _deep_copy(value)


@gofunc(variadic=ANY, error=True)
def dig(*ps: Any) -> Any:
    """Sprig's dig KEY... DEFAULT DICT: walk nested map[string]interface{} values."""
    if len(ps) < 3:
        raise GoPanic("dig needs at least three arguments")
    current = _as_plain_map(ps[-1])
    default = ps[-2]
    path: list[str] = []
    for k in ps[:-2]:
        if not isinstance(k, str) or go_type_name(k) != STRING:
            raise _interface_conversion(k, STRING)
        path.append(k)
    for i, k in enumerate(path):
        if k not in current:
            return default
        step = current[k]
        if i == len(path) - 1:
            return step
        current = _as_plain_map(step)
    return default  # unreachable: path is never empty


FUNCS: dict[str, Callable[..., Any]] = {
    "dict": dict_,
    "get": get,
    "set": set_,
    "unset": unset,
    "hasKey": has_key,
    "pluck": pluck,
    "keys": keys,
    "pick": pick,
    "omit": omit,
    "merge": merge,
    "mergeOverwrite": merge_overwrite,
    "mustMerge": must_merge,
    "mustMergeOverwrite": must_merge_overwrite,
    "values": values,
    "deepCopy": deep_copy,
    "mustDeepCopy": must_deep_copy,
    "dig": dig,
}

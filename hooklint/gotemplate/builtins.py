"""Go text/template's predefined functions (funcs.go, Go 1.23) and the reflect-level values
the executor shares with them.

Functions whose Go parameters are `reflect.Value` (and, or, not, len, index, slice, eq, ...)
see the executor's raw values: NO_VALUE for an invalid reflect.Value (a missing map key),
None for a nil interface. Everything else receives ordinary Go-typed Python values.
"""

from __future__ import annotations

from collections.abc import Callable

from hooklint.gotemplate.gofmt import format_value, go_bytes, is_print, sprint, sprintf, sprintln
from hooklint.gotemplate.gotypes import (
    ANY,
    BOOL,
    INT,
    STRING,
    GoFuncError,
    GoObject,
    GoPanic,
    GoSig,
    Int32,
    Int64,
    NilBytes,
    Rune,
    StrList,
    StrMap,
    Uint8,
    Uint32,
    Uint64,
    go_type_name,
    gofunc,
    signature_of,
)

TYPE_CHECKING = False  # not `typing`'s: importing typing costs ~3 ms of every run
if TYPE_CHECKING:
    from typing import Any

REFLECT_VALUE = "reflect.Value"


class _Sentinel:
    __slots__ = ("name",)

    def __init__(self, name: str) -> None:
        self.name = name

    def __repr__(self) -> str:
        return self.name

    def __bool__(self) -> bool:
        return False


NO_VALUE: Any = _Sentinel("NO_VALUE")  # reflect.Value{} (invalid): missing key, no result
MISSING: Any = _Sentinel("MISSING")  # the executor's missingVal: "no piped-in final argument"

_SIGNED = (Int64, Int32, Rune)
_UNSIGNED = (Uint64, Uint32, Uint8)


def indirect_interface(v: Any) -> Any:
    """reflect: the concrete value inside an interface; nil interfaces become invalid."""
    return NO_VALUE if v is None else v


def is_true(v: Any) -> tuple[bool, bool]:
    """Go's isTrue: (truth, ok) where ok is False for values with no truth (funcs, chans)."""
    if v is NO_VALUE or v is None:
        return False, True
    t = type(v)
    if t is bool:
        return v, True
    if t is str or t is list or t is dict or t is bytes:
        return len(v) > 0, True
    if t is int or t is float or t is complex:
        return v != 0, True
    if isinstance(v, (int, float, complex)):
        return v != 0, True
    if isinstance(v, (str, list, dict, bytes, tuple)):
        return len(v) > 0, True
    if isinstance(v, GoObject):
        truth = getattr(v, "go_truth", None)
        return (bool(truth()) if callable(truth) else True), True
    if callable(v):
        return True, False
    return True, True


def truth(v: Any) -> bool:
    return is_true(v)[0]


def value_type_name(v: Any) -> str:
    """reflect.Value.Type() as printed in error messages."""
    if v is None:
        return ANY
    if v is NO_VALUE:
        raise GoPanic("reflect: call of reflect.Value.Type on zero Value")
    return go_type_name(v)


# --- boolean logic -------------------------------------------------------------------------


@gofunc(REFLECT_VALUE, variadic=REFLECT_VALUE, result=REFLECT_VALUE)
def go_and(arg0: Any, *args: Any) -> Any:
    raise AssertionError("and is evaluated by the executor (short-circuit)")


@gofunc(REFLECT_VALUE, variadic=REFLECT_VALUE, result=REFLECT_VALUE)
def go_or(arg0: Any, *args: Any) -> Any:
    raise AssertionError("or is evaluated by the executor (short-circuit)")


@gofunc(REFLECT_VALUE, result=BOOL)
def go_not(arg: Any) -> bool:
    return not truth(arg)


# --- len, index, slice -----------------------------------------------------------------------


def _is_signed(v: Any) -> bool:
    return type(v) is int or isinstance(v, _SIGNED)


def _is_unsigned(v: Any) -> bool:
    return isinstance(v, _UNSIGNED)


def _seq_len(item: Any) -> int | None:
    if isinstance(item, str):
        return len(go_bytes(item))
    if isinstance(item, (list, dict, bytes)):
        return len(item)
    return None


@gofunc(REFLECT_VALUE, error=True, result=INT)
def go_len(item: Any) -> int:
    if item is None:
        raise GoFuncError("len of nil pointer")
    n = _seq_len(item)
    if n is not None:
        return n
    raise GoFuncError(f"len of type {value_type_name(item)}")


def _index_arg(index: Any, cap: int) -> int:
    if isinstance(index, bool) or not isinstance(index, int):
        if index is NO_VALUE:
            raise GoFuncError("cannot index slice/array with nil")
        raise GoFuncError(f"cannot index slice/array with type {value_type_name(index)}")
    x = int(index)
    if x < 0 or x > cap:
        raise GoFuncError(f"index out of range: {x}")
    return x


def _prepare_map_key(index: Any, key_type: str) -> str:
    if index is NO_VALUE:
        raise GoFuncError(f"value is nil; should be of type {key_type}")
    if isinstance(index, str):
        return index
    raise GoFuncError(f"value has type {value_type_name(index)}; should be {key_type}")


@gofunc(REFLECT_VALUE, variadic=REFLECT_VALUE, error=True, result=REFLECT_VALUE)
def go_index(item: Any, *indexes: Any) -> Any:
    item = indirect_interface(item)
    if item is NO_VALUE:
        raise GoFuncError("index of untyped nil")
    for index in indexes:
        index = indirect_interface(index)
        if item is None:
            raise GoFuncError("index of nil pointer")
        if isinstance(item, (list, str, bytes)):
            if isinstance(item, str):
                data = go_bytes(item)
                x = _index_arg(index, len(data))
                if x >= len(data):
                    raise GoPanic("reflect: string index out of range")
                item = Uint8(data[x])
            else:
                x = _index_arg(index, len(item))
                if x >= len(item):
                    raise GoPanic("reflect: slice index out of range")
                item = item[x] if not isinstance(item, bytes) else Uint8(item[x])
        elif isinstance(item, dict):
            key = _prepare_map_key(index, "string")
            if key in item:
                item = item[key]
            elif isinstance(item, StrMap):
                item = ""
            elif getattr(item, "go_underlying", None) == "map[string][]uint8":
                item = NilBytes()  # `index .Files "missing"`: the zero []byte
            else:
                item = None
        else:
            raise GoFuncError(f"can't index item of type {value_type_name(item)}")
    return item


@gofunc(REFLECT_VALUE, variadic=REFLECT_VALUE, error=True, result=REFLECT_VALUE)
def go_slice(item: Any, *indexes: Any) -> Any:
    item = indirect_interface(item)
    if item is NO_VALUE:
        raise GoFuncError("slice of untyped nil")
    if len(indexes) > 3:
        raise GoFuncError(f"too many slice indexes: {len(indexes)}")
    if isinstance(item, str):
        if len(indexes) == 3:
            raise GoFuncError("cannot 3-index slice a string")
        data = go_bytes(item)
        cap = len(data)
    elif isinstance(item, (list, bytes)):
        cap = len(item)
    else:
        raise GoFuncError(f"can't slice item of type {value_type_name(item)}")
    idx = [0, cap if not isinstance(item, str) else len(go_bytes(item)), 0]
    for i, index in enumerate(indexes):
        idx[i] = _index_arg(index, cap)
    if idx[0] > idx[1]:
        raise GoFuncError(f"invalid slice index: {idx[0]} > {idx[1]}")
    if len(indexes) == 3 and idx[1] > idx[2]:
        raise GoFuncError(f"invalid slice index: {idx[1]} > {idx[2]}")
    if isinstance(item, str):
        return go_bytes(item)[idx[0]:idx[1]].decode("utf-8", "surrogateescape")
    part = item[idx[0]:idx[1]]
    if isinstance(item, StrList):
        return StrList(part)
    return part


# --- printing and escaping -------------------------------------------------------------------


@gofunc(variadic=ANY, result=STRING)
def go_print(*args: Any) -> str:
    return sprint(*args)


@gofunc(STRING, variadic=ANY, result=STRING)
def go_printf(format: str, *args: Any) -> str:
    return sprintf(format, *args)


@gofunc(variadic=ANY, result=STRING)
def go_println(*args: Any) -> str:
    return sprintln(*args)


def eval_args(args: tuple[Any, ...]) -> str:
    """Go's evalArgs: fmt.Sprint of the arguments, nil printed as "<no value>"."""
    if len(args) == 1 and isinstance(args[0], str):
        return args[0]
    return sprint(*("<no value>" if a is None or a is NO_VALUE else a for a in args))


_HTML = {"\0": "\ufffd", '"': "&#34;", "'": "&#39;", "&": "&amp;", "<": "&lt;", ">": "&gt;"}


def html_escape_string(s: str) -> str:
    if not any(c in s for c in "'\"&<>\0"):
        return s
    return "".join(_HTML.get(c, c) for c in s)


_JS = {"\\": "\\\\", "'": "\\'", '"': '\\"', "<": "\\u003C", ">": "\\u003E", "&": "\\u0026", "=": "\\u003D"}


def js_escape_string(s: str) -> str:
    out: list[str] = []
    for c in s:
        r = ord(c)
        esc = _JS.get(c)
        if esc is not None:
            out.append(esc)
        elif r < 0x20:
            out.append(f"\\u00{r:02X}")
        elif r < 0x80:
            out.append(c)
        elif 0xDC80 <= r <= 0xDCFF or not is_print(r):
            # Invalid UTF-8 bytes decode to U+FFFD in Go, which is printable.
            out.append("\ufffd" if 0xDC80 <= r <= 0xDCFF else f"\\u{r:04X}")
        else:
            out.append(c)
    return "".join(out)


_URL_SAFE = frozenset(b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.~")


def query_escape(s: str) -> str:
    """net/url.QueryEscape."""
    out: list[str] = []
    for b in go_bytes(s):
        if b in _URL_SAFE:
            out.append(chr(b))
        elif b == 0x20:
            out.append("+")
        else:
            out.append(f"%{b:02X}")
    return "".join(out)


@gofunc(variadic=ANY, result=STRING)
def go_html(*args: Any) -> str:
    return html_escape_string(eval_args(args))


@gofunc(variadic=ANY, result=STRING)
def go_js(*args: Any) -> str:
    return js_escape_string(eval_args(args))


@gofunc(variadic=ANY, result=STRING)
def go_urlquery(*args: Any) -> str:
    return query_escape(eval_args(args))


# --- comparison ------------------------------------------------------------------------------

_INVALID_KIND, _BOOL, _COMPLEX, _INT, _FLOAT, _STRING, _UINT = range(7)
_BAD_TYPE = "invalid type for comparison"


def _basic_kind(v: Any) -> int:
    t = type(v)
    if t is bool:
        return _BOOL
    if t is int or t is Int64 or t is Int32 or t is Rune:
        return _INT
    if t is float:
        return _FLOAT
    if t is str:
        return _STRING
    if isinstance(v, _UNSIGNED):
        return _UINT
    if t is complex:
        return _COMPLEX
    if isinstance(v, bool):
        return _BOOL
    if isinstance(v, int):
        return _INT
    if isinstance(v, str):
        return _STRING
    return _INVALID_KIND


def _kind_name(v: Any) -> str:
    if v is NO_VALUE:
        return "invalid"
    if isinstance(v, dict):
        return "map"
    if isinstance(v, (list, bytes)):
        return "slice"
    return "ptr"


def _is_nil(v: Any) -> bool:
    return v is NO_VALUE or v is None


def _incompatible(a: Any, b: Any) -> GoFuncError:
    return GoFuncError(f"incompatible types for comparison: {value_type_name(a)} and {value_type_name(b)}")


@gofunc(REFLECT_VALUE, variadic=REFLECT_VALUE, error=True, result=BOOL)
def go_eq(arg1: Any, *arg2: Any) -> bool:
    arg1 = indirect_interface(arg1)
    if not arg2:
        raise GoFuncError("missing argument for comparison")
    k1 = _basic_kind(arg1)
    for arg in arg2:
        arg = indirect_interface(arg)
        k2 = _basic_kind(arg)
        result = False
        if k1 != k2:
            if k1 == _INT and k2 == _UINT:
                result = arg1 >= 0 and arg1 == arg
            elif k1 == _UINT and k2 == _INT:
                result = arg >= 0 and arg1 == arg
            elif arg1 is not NO_VALUE and arg is not NO_VALUE:
                raise _incompatible(arg1, arg)
        elif k1 != _INVALID_KIND:
            result = arg1 == arg
        else:
            if _kind_name(arg1) != _kind_name(arg) and arg1 is not NO_VALUE and arg is not NO_VALUE:
                raise GoFuncError(
                    f"non-comparable types {format_value(arg1)}: {value_type_name(arg1)}, "
                    f"{value_type_name(arg)}: {format_value(arg)}"
                )
            if _is_nil(arg1) or _is_nil(arg):
                result = _is_nil(arg) == _is_nil(arg1)
            else:
                if isinstance(arg, (list, dict, bytes)):
                    raise GoFuncError(f"non-comparable type {format_value(arg)}: {value_type_name(arg)}")
                result = arg1 is arg or arg1 == arg
        if result:
            return True
    return False


@gofunc(REFLECT_VALUE, REFLECT_VALUE, error=True, result=BOOL)
def go_ne(arg1: Any, arg2: Any) -> bool:
    return not go_eq(arg1, arg2)


@gofunc(REFLECT_VALUE, REFLECT_VALUE, error=True, result=BOOL)
def go_lt(arg1: Any, arg2: Any) -> bool:
    arg1 = indirect_interface(arg1)
    k1 = _basic_kind(arg1)
    if k1 == _INVALID_KIND:
        raise GoFuncError(_BAD_TYPE)
    arg2 = indirect_interface(arg2)
    k2 = _basic_kind(arg2)
    if k2 == _INVALID_KIND:
        raise GoFuncError(_BAD_TYPE)
    if k1 != k2:
        if k1 == _INT and k2 == _UINT:
            return bool(arg1 < 0 or arg1 < arg2)
        if k1 == _UINT and k2 == _INT:
            return bool(arg2 >= 0 and arg1 < arg2)
        raise _incompatible(arg1, arg2)
    if k1 == _BOOL or k1 == _COMPLEX:
        raise GoFuncError(_BAD_TYPE)
    if k1 == _STRING:
        return bool(go_bytes(arg1) < go_bytes(arg2))
    return bool(arg1 < arg2)


@gofunc(REFLECT_VALUE, REFLECT_VALUE, error=True, result=BOOL)
def go_le(arg1: Any, arg2: Any) -> bool:
    return go_lt(arg1, arg2) or go_eq(arg1, arg2)


@gofunc(REFLECT_VALUE, REFLECT_VALUE, error=True, result=BOOL)
def go_gt(arg1: Any, arg2: Any) -> bool:
    return not go_le(arg1, arg2)


@gofunc(REFLECT_VALUE, REFLECT_VALUE, error=True, result=BOOL)
def go_ge(arg1: Any, arg2: Any) -> bool:
    return not go_lt(arg1, arg2)


# --- call ------------------------------------------------------------------------------------


@gofunc(REFLECT_VALUE, variadic=REFLECT_VALUE, error=True, result=REFLECT_VALUE)
def go_call(fn: Any, *args: Any) -> Any:
    raise AssertionError("call is evaluated by the executor")


def call_function(name: str, fn: Any, args: tuple[Any, ...],
                  check_arg: Callable[[Any, str], Any]) -> Any:
    """Go's builtin call(fn, args...): `fn` must be a template function value."""
    fn = indirect_interface(fn)
    if fn is NO_VALUE:
        raise GoFuncError("call of nil")
    sig: GoSig | None = getattr(fn, "__go_sig__", None)
    if sig is None or not callable(fn):
        raise GoFuncError(f"non-function {name} of type {value_type_name(fn)}")
    num_in = len(sig.params) + (1 if sig.variadic is not None else 0)
    if sig.variadic is not None:
        if len(args) < num_in - 1:
            raise GoFuncError(f"wrong number of args for {name}: got {len(args)} want at least {num_in - 1}")
    elif len(args) != num_in:
        raise GoFuncError(f"wrong number of args for {name}: got {len(args)} want {num_in}")
    argv = []
    for i, arg in enumerate(args):
        arg = indirect_interface(arg)
        arg_type = sig.params[i] if i < len(sig.params) else (sig.variadic or ANY)
        try:
            argv.append(check_arg(arg, arg_type))
        except GoFuncError as e:
            raise GoFuncError(f"arg {i}: {e}") from None
    return fn(*argv)


BUILTINS: dict[str, Callable[..., Any]] = {
    "and": go_and,
    "call": go_call,
    "html": go_html,
    "index": go_index,
    "slice": go_slice,
    "js": go_js,
    "len": go_len,
    "not": go_not,
    "or": go_or,
    "print": go_print,
    "printf": go_printf,
    "println": go_println,
    "urlquery": go_urlquery,
    "eq": go_eq,
    "ge": go_ge,
    "gt": go_gt,
    "le": go_le,
    "lt": go_lt,
    "ne": go_ne,
}

BUILTIN_SIGS: dict[str, GoSig] = {name: signature_of(fn) for name, fn in BUILTINS.items()}

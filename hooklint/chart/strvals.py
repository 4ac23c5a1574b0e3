"""Helm's `--set` family parser, a port of Helm 3.17.1's pkg/strvals (parser.go, literal_parser.go).

`name=value[,name=value...]`; `a.b=1` nests maps, `a[0]=x` / `a[0].b=1` index lists, `a={x,y}`
makes a list, `\\` escapes the next character. Value types (`--set`): `true`/`false`
(any case) are bools, `null` is nil, integers without a leading zero are int64 (`Int64`), the
rest are strings; `--set-string` keeps strings; `--set-json` decodes JSON; `--set-literal` takes
everything after the first `=` verbatim. Errors carry Helm's wording.
"""

from __future__ import annotations

import sys
from collections.abc import Callable

from hooklint.gotemplate.gotypes import Int64

TYPE_CHECKING = False  # not `typing`'s: importing typing costs ~3 ms of every run
if TYPE_CHECKING:
    from typing import Any

    ValueReader = Callable[[str], Any]

MAX_INDEX = 65536
MAX_NESTED_NAME_LEVEL = 30
# encoding/json's maxNestingDepth: deeper JSON is a syntax error in Go
MAX_JSON_DEPTH = 10000
_INT64_MIN, _INT64_MAX = -(1 << 63), (1 << 63) - 1


class StrvalsError(ValueError):
    pass


class _EOF(Exception):
    """io.EOF inside the parser (not an error at the top level)."""


class _NotList(Exception):
    pass




class _Scanner:
    def __init__(self, s: str) -> None:
        self.s = s
        self.i = 0

    def read(self) -> str | None:
        if self.i >= len(self.s):
            return None
        c = self.s[self.i]
        self.i += 1
        return c

    def unread(self) -> None:
        self.i -= 1

    def rest(self) -> str:
        return self.s[self.i :]


def _runes_until(sc: _Scanner, stop: str, escapes: bool = True) -> tuple[str, str | None, bool]:
    """(text, stop rune, eof). Backslash escapes the next rune (not in literal mode)."""
    out: list[str] = []
    while True:
        r = sc.read()
        if r is None:
            return "".join(out), None, True
        if r in stop:
            return "".join(out), r, False
        if escapes and r == "\\":
            nxt = sc.read()
            if nxt is None:
                return "".join(out), None, True
            out.append(nxt)
        else:
            out.append(r)


def typed_val(v: str, as_string: bool) -> Any:
    if as_string:
        return v
    low = v.lower()
    if low == "true":
        return True
    if low == "false":
        return False
    if low == "null":
        return None
    if v == "0":
        return Int64(0)
    if v and v[0] != "0":
        body = v[1:] if v[0] in "+-" else v
        if body.isascii() and body.isdigit():
            n = int(v)
            if _INT64_MIN <= n <= _INT64_MAX:
                return Int64(n)
    return v


def _go_type(v: Any) -> str:
    if v is None:
        return "nil"
    if isinstance(v, dict):
        return "map[string]interface {}"
    if isinstance(v, list):
        return "[]interface {}"
    if isinstance(v, bool):
        return "bool"
    if isinstance(v, Int64):
        return "int64"
    if isinstance(v, float):
        return "float64"
    return "string"


def _assert_list(v: Any) -> list[Any]:
    if not isinstance(v, list):
        raise StrvalsError(
            f"unable to parse key: interface conversion: interface {{}} is {_go_type(v)}, not []interface {{}}"
        )
    return v


def _assert_map(v: Any) -> dict[str, Any]:
    if not isinstance(v, dict):
        raise StrvalsError(
            f"unable to parse key: interface conversion: interface {{}} is {_go_type(v)}, not map[string]interface {{}}"
        )
    return v


def _set(data: dict[str, Any], key: str, val: Any) -> None:
    if key:
        data[key] = val


def _set_index(lst: list[Any], index: int, val: Any) -> list[Any]:
    if index < 0:
        raise StrvalsError(f"negative {index} index not allowed")
    if index > MAX_INDEX:
        raise StrvalsError(f"index of {index} is greater than maximum supported index of {MAX_INDEX}")
    if len(lst) <= index:
        lst = lst + [None] * (index + 1 - len(lst))
    lst[index] = val
    return lst


def _atoi(s: str) -> int:
    body = s[1:] if s[:1] in ("+", "-") else s
    if not body or not (body.isascii() and body.isdigit()):
        raise StrvalsError(f'error parsing index: strconv.Atoi: parsing "{s}": invalid syntax')
    n = int(s)
    if not _INT64_MIN <= n <= _INT64_MAX:
        raise StrvalsError(f'error parsing index: strconv.Atoi: parsing "{s}": value out of range')
    return n


class _Parser:
    def __init__(
        self,
        s: str,
        data: dict[str, Any],
        reader: ValueReader | None,
        json_vals: bool = False,
        literal: bool = False,
    ):
        self.sc = _Scanner(s)
        self.data = data
        self.reader = reader
        self.json_vals = json_vals
        self.literal = literal

    def parse(self) -> None:
        while True:
            try:
                self.key(self.data, 0)
            except _EOF:
                return

    # -- keys --

    def key(self, data: dict[str, Any], level: int) -> None:
        stop = "=[." if self.literal else "=[,."
        k, last, eof = _runes_until(self.sc, stop, escapes=not self.literal)
        if eof:
            if not k:
                raise _EOF()
            raise StrvalsError(f'key "{k}" has no value')
        if last == "[":
            i = self.key_index()
            lst: list[Any] = []
            if k in data:
                lst = _assert_list(data[k])
            try:
                lst = self.list_item(lst, i, level)
            except _EOF:
                _set(data, k, lst)
                raise
            _set(data, k, lst)
            return
        if last == "=":
            if self.literal:
                value, _, _ = _runes_until(self.sc, "", escapes=False)
                _set(data, k, value)
                return
            if self.json_vals:
                if self.empty_val():
                    _set(data, k, None)
                    return
                _set(data, k, self.json_value())
                self.empty_val()
                return
            try:
                vl = self.val_list()
            except _EOF:
                _set(data, k, "")
                raise
            except _NotList:
                rs = self.val()
                assert self.reader is not None
                _set(data, k, self.reader(rs))
                return
            _set(data, k, vl)
            return
        if last == ",":
            _set(data, k, "")
            raise StrvalsError(f'key "{k}" has no value (cannot end with ,)')
        # "."
        level += 1
        if level > MAX_NESTED_NAME_LEVEL:
            raise StrvalsError(
                f"value name nested level is greater than maximum supported nested level of {MAX_NESTED_NAME_LEVEL}"
            )
        inner: dict[str, Any] = {}
        if k in data:
            inner = _assert_map(data[k])
        try:
            self.key(inner, level)
        except BaseException:
            if inner:
                _set(data, k, inner)
            raise
        if not inner:
            raise StrvalsError(f'key map "{k}" has no value')
        _set(data, k, inner)

    def key_index(self) -> int:
        v, _, eof = _runes_until(self.sc, "]", escapes=not self.literal)
        if eof:
            raise StrvalsError("error parsing index: EOF")
        return _atoi(v)

    def list_item(self, lst: list[Any], i: int, level: int) -> list[Any]:
        """The list with item `i` set from what follows. `a[0][0]...` goes one list deeper per
        index, in a loop (Helm's recursion has no depth limit: neither may this)."""
        outer: list[tuple[list[Any], int]] = []  # the lists around `lst`, and their indexes
        while True:
            if i < 0:
                raise StrvalsError(f"negative {i} index not allowed")
            k, last, eof = _runes_until(self.sc, "[.=", escapes=not self.literal)
            if k:
                raise StrvalsError(f'unexpected data at end of array index: "{k}"')
            if eof:
                raise _EOF()
            if last != "[":
                break
            next_i = self.key_index()
            crt: list[Any] = []
            if len(lst) > i and lst[i] is not None:
                crt = _assert_list(lst[i])
            outer.append((lst, i))
            lst, i = crt, next_i
        result = self._list_value(lst, i, level) if last == "=" else self._list_map(lst, i, level)
        for parent, index in reversed(outer):
            result = _set_index(parent, index, result)
        return result

    def _list_value(self, lst: list[Any], i: int, level: int) -> list[Any]:
        """`...[i]=value`."""
        if self.literal:
            value, _, _ = _runes_until(self.sc, "", escapes=False)
            return _set_index(lst, i, value)
        if self.json_vals:
            if self.empty_val():
                return _set_index(lst, i, None)
            lst = _set_index(lst, i, self.json_value())
            self.empty_val()
            return lst
        try:
            vl = self.val_list()
        except _EOF:
            return _set_index(lst, i, "")
        except _NotList:
            rs = self.val()
            assert self.reader is not None
            return _set_index(lst, i, self.reader(rs))
        return _set_index(lst, i, vl)

    def _list_map(self, lst: list[Any], i: int, level: int) -> list[Any]:
        """`...[i].name...`."""
        inner: dict[str, Any] = {}
        if len(lst) > i:
            if isinstance(lst[i], dict):
                inner = lst[i]
            else:
                lst[i] = inner
        self.key(inner, level)
        return _set_index(lst, i, inner)

    # -- values --

    def empty_val(self) -> bool:
        while True:
            r = self.sc.read()
            if r is None or r == ",":
                return True
            if not r.isspace():
                self.sc.unread()
                return False

    def json_value(self) -> Any:
        import json  # --set-json only: the module stays off the start-up path

        text = self.sc.rest()
        dec = json.JSONDecoder()
        stripped = len(text) - len(text.lstrip(" \t\r\n"))
        # Go's decoder takes JSON nested up to MAX_JSON_DEPTH levels: Python's, recursive,
        # needs that many frames (it holds the C stack only while it decodes)
        limit = sys.getrecursionlimit()
        sys.setrecursionlimit(max(limit, MAX_JSON_DEPTH + 200))
        try:
            val, end = dec.raw_decode(text, stripped)
        except json.JSONDecodeError as e:
            raise StrvalsError(str(e)) from None
        except RecursionError:
            raise StrvalsError("exceeded max depth") from None
        finally:
            sys.setrecursionlimit(limit)
        if _nesting_depth(val) > MAX_JSON_DEPTH:
            raise StrvalsError("exceeded max depth")
        self.sc.i += end
        return _json_floats(val)

    def val(self) -> str:
        v, _, _ = _runes_until(self.sc, ",")
        return v

    def val_list(self) -> list[Any]:
        r = self.sc.read()
        if r is None:
            raise _EOF()
        if r != "{":
            self.sc.unread()
            raise _NotList()
        out: list[Any] = []
        assert self.reader is not None
        while True:
            rs, last, eof = _runes_until(self.sc, ",}")
            if eof:
                raise StrvalsError("list must terminate with '}'")
            if last == "}":
                nxt = self.sc.read()
                if nxt is not None and nxt != ",":
                    self.sc.unread()
                out.append(self.reader(rs))
                return out
            out.append(self.reader(rs))


def _json_floats(v: Any) -> Any:
    """encoding/json into interface{}: every number is float64 (in place, with an explicit
    stack: JSON may nest as deep as Go's decoder allows)."""
    if isinstance(v, int) and not isinstance(v, bool):
        return float(v)
    stack = [v]
    while stack:
        node = stack.pop()
        if isinstance(node, dict | list):
            for k, x in node.items() if isinstance(node, dict) else enumerate(node):
                if isinstance(x, int) and not isinstance(x, bool):
                    node[k] = float(x)
                elif isinstance(x, dict | list):
                    stack.append(x)
    return v


class DeepValues:
    """`with DeepValues():` code that recurses once per level of the values (the JSON encoders
    of the release record and the simulated cluster's state) gets the frames for values as deep
    as Go takes them: --set-json's 10,000 levels, and twice that for --set."""

    FRAMES = 4 * MAX_JSON_DEPTH + 5000

    def __enter__(self) -> None:
        self.saved = sys.getrecursionlimit()
        sys.setrecursionlimit(max(self.saved, self.FRAMES))

    def __exit__(self, *exc: object) -> None:
        sys.setrecursionlimit(self.saved)


def _nesting_depth(v: Any) -> int:
    """How deeply maps and lists nest in `v` (a scalar: 0)."""
    deepest = 0
    stack = [(v, 1)]
    while stack:
        node, depth = stack.pop()
        if isinstance(node, dict | list):
            deepest = max(deepest, depth)
            stack.extend((x, depth + 1) for x in (node.values() if isinstance(node, dict) else node))
    return deepest


def parse_into(s: str, dest: dict[str, Any]) -> None:
    """`--set`."""
    _Parser(s, dest, lambda rs: typed_val(rs, False)).parse()


def parse_into_string(s: str, dest: dict[str, Any]) -> None:
    """`--set-string`."""
    _Parser(s, dest, lambda rs: typed_val(rs, True)).parse()


def parse_json(s: str, dest: dict[str, Any]) -> None:
    """`--set-json`."""
    _Parser(s, dest, None, json_vals=True).parse()


def parse_into_file(s: str, dest: dict[str, Any], reader: ValueReader) -> None:
    """`--set-file`: each value is a path, `reader` returns the file's contents."""
    _Parser(s, dest, reader).parse()


def parse_literal_into(s: str, dest: dict[str, Any]) -> None:
    """`--set-literal`."""
    _Parser(s, dest, None, literal=True).parse()


def parse(s: str) -> dict[str, Any]:
    out: dict[str, Any] = {}
    parse_into(s, out)
    return out

"""Go's encoding/json as Helm's and Sprig's JSON template functions use it.

- `marshal` / `marshal_indent`: json.Marshal / json.MarshalIndent (sorted map keys, HTML
  escaping, float64 written like encoding/json's floatEncoder, []byte as base64).
- `unmarshal`: json.Unmarshal into an interface {} (or a map / slice target), with Go's
  syntax and type error texts.
- `HELM_FUNCS` (toJson, fromJson, fromJsonArray from Helm's pkg/engine/funcs.go) and
  `SPRIG_FUNCS` (Sprig v3.3.0's JSON functions, which Helm's override where names clash).

Follows src/encoding/json/{encode,indent,scanner,decode}.go of Go 1.23.
"""

from __future__ import annotations

import base64
import math
import re
from collections.abc import Callable

from hooklint.gotemplate.gofmt import decode_runes, format_float, go_bytes, quote
from hooklint.gotemplate.gotypes import (
    ANY,
    LIST,
    MAP,
    STRING,
    GoFuncError,
    GoObject,
    GoPanic,
    GoStructJSON,
    go_type_name,
    gofunc,
    is_go_nil,
)
from hooklint.runtime.patterns import lazy_compile

TYPE_CHECKING = False  # not `typing`'s: importing typing costs ~3 ms of every run
if TYPE_CHECKING:
    from typing import Any

__all__ = [
    "HELM_FUNCS",
    "SPRIG_FUNCS",
    "JSONError",
    "marshal",
    "marshal_indent",
    "unmarshal",
]


class JSONError(Exception):
    """An encoding/json error; str() is Go's err.Error() text."""


# --- encoding ------------------------------------------------------------------------------

_HEX = "0123456789abcdef"
_HTML_UNSAFE = frozenset("<>&")


# ASCII that appendString copies unchanged (no control characters, quote or backslash), with
# and without the HTML-unsafe <, > and &.
_JSON_PLAIN = lazy_compile(r'[ !#-\[\]-\x7f]*')
_JSON_PLAIN_HTML = lazy_compile(r'[ !#-%\'-;=?-\[\]-\x7f]*')


# What appendString escapes in a string without invalid UTF-8, with and without <, > and &.
_JSON_ESCAPED = lazy_compile('[\x00-\x1f"\\\\\u2028\u2029]')
_JSON_ESCAPED_HTML = lazy_compile('[\x00-\x1f"\\\\<>&\u2028\u2029]')
# Invalid UTF-8 bytes (surrogateescape) and other lone surrogates: the rune loop sorts them out.
_SURROGATE = lazy_compile("[\ud800-\udfff]")


def _escape_char(m: re.Match[str]) -> str:
    """appendString's escape of one character _JSON_ESCAPED(_HTML) found."""
    ch = m.group()
    if ch == "\\" or ch == '"':
        return "\\" + ch
    o = ord(ch)
    if o < 0x20:
        short = _SHORT_ESCAPES.get(ch)
        if short is not None:
            return short
    elif o > 0x7F:  # U+2028, U+2029
        return "\\u202" + _HEX[o & 0xF]
    return "\\u00" + _HEX[o >> 4] + _HEX[o & 0xF]


def _encode_string(s: str, escape_html: bool) -> str:
    """encode.go appendString: a JSON string literal of the Go string `s`."""
    if (_JSON_PLAIN_HTML if escape_html else _JSON_PLAIN).fullmatch(s):
        return '"' + s + '"'
    if not _SURROGATE.search(s):  # valid UTF-8: only the escaped characters change (in C)
        return '"' + (_JSON_ESCAPED_HTML if escape_html else _JSON_ESCAPED).sub(_escape_char, s) + '"'
    return _encode_runes(s, escape_html)


def _encode_runes(s: str, escape_html: bool) -> str:
    """_encode_string rune by rune: invalid UTF-8 becomes U+FFFD."""
    out = ['"']
    if s.isascii():
        runes = [(ord(ch), 1) for ch in s]
    else:
        runes = decode_runes(go_bytes(s))
    for o, width in runes:
        if o < 0x80:
            ch = chr(o)
            if ch == "\\" or ch == '"':
                out.append("\\" + ch)
            elif o < 0x20:
                short = _SHORT_ESCAPES.get(ch)
                out.append(short if short is not None else "\\u00" + _HEX[o >> 4] + _HEX[o & 0xF])
            elif escape_html and ch in _HTML_UNSAFE:
                out.append("\\u00" + _HEX[o >> 4] + _HEX[o & 0xF])
            else:
                out.append(ch)
        elif o == 0xFFFD and width == 1:  # an invalid UTF-8 byte
            out.append("\\ufffd")
        elif o == 0x2028 or o == 0x2029:
            out.append("\\u202" + _HEX[o & 0xF])
        else:
            out.append(chr(o))
    out.append('"')
    return "".join(out)


_SHORT_ESCAPES = {"\b": "\\b", "\f": "\\f", "\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _encode_float(f: float) -> str:
    """encode.go floatEncoder for float64: like ES6 Number#toString."""
    if math.isnan(f) or math.isinf(f):
        raise JSONError("json: unsupported value: " + format_float(f, "g", -1))
    a = abs(f)
    fmt = "f"
    if a != 0 and (a < 1e-6 or a >= 1e21):
        fmt = "e"
    text = format_float(f, fmt, -1)
    if fmt == "e":
        n = len(text)
        # clean up e-09 to e-9
        if n >= 4 and text[n - 4] == "e" and text[n - 3] == "-" and text[n - 2] == "0":
            text = text[: n - 2] + text[n - 1]
    return text


def _map_key(k: Any) -> str:
    """encoding/json map keys: strings as is, integers in decimal."""
    if isinstance(k, str):
        return k
    if isinstance(k, int) and not isinstance(k, bool):
        return str(k)
    raise JSONError(f"json: unsupported type: map[{go_type_name(k)}]interface {{}}")


class _Encoder:
    def __init__(self, escape_html: bool, prefix: str | None, indent: str | None) -> None:
        self.escape_html = escape_html
        self.prefix = prefix
        self.indent = indent
        self.depth = 0
        self.out: list[str] = []

    def newline(self) -> None:
        if self.indent is not None:
            self.out.append("\n" + (self.prefix or "") + self.indent * self.depth)

    def encode(self, v: Any) -> None:
        out = self.out
        if v is None:
            out.append("null")
        elif v is True:
            out.append("true")
        elif v is False:
            out.append("false")
        elif isinstance(v, int):
            out.append(str(v))
        elif isinstance(v, float):
            out.append(_encode_float(v))
        elif isinstance(v, str):
            out.append(_encode_string(v, self.escape_html))
        elif isinstance(v, (bytes, bytearray)):
            out.append("null" if is_go_nil(v) else '"' + base64.b64encode(bytes(v)).decode("ascii") + '"')
        elif isinstance(v, dict):
            self.encode_map(v)
        elif isinstance(v, (list, tuple)):
            self.encode_list(v)
        elif isinstance(v, GoObject):
            self.encode(v.go_json())
        else:
            raise JSONError(f"json: unsupported type: {type(v).__name__}")

    def encode_map(self, m: dict[Any, Any]) -> None:
        if not m:
            self.out.append("null" if is_go_nil(m) else "{}")
            return
        if type(m) is GoStructJSON:  # struct fields keep their declaration order
            keyed = list(m.items())
        else:
            keyed = sorted(((_map_key(k), v) for k, v in m.items()), key=lambda kv: go_bytes(kv[0]))
        self.out.append("{")
        self.depth += 1
        for i, (k, v) in enumerate(keyed):
            if i > 0:
                self.out.append(",")
            self.newline()
            self.out.append(_encode_string(k, self.escape_html))
            self.out.append(": " if self.indent is not None else ":")
            self.encode(v)
        self.depth -= 1
        self.newline()
        self.out.append("}")

    def encode_list(self, items: list[Any] | tuple[Any, ...]) -> None:
        if not items:
            self.out.append("null" if is_go_nil(items) else "[]")
            return
        self.out.append("[")
        self.depth += 1
        for i, v in enumerate(items):
            if i > 0:
                self.out.append(",")
            self.newline()
            self.encode(v)
        self.depth -= 1
        self.newline()
        self.out.append("]")


def marshal(v: Any, escape_html: bool = True) -> str:
    """json.Marshal (escape_html=False: an Encoder with SetEscapeHTML(false), newline trimmed)."""
    enc = _Encoder(escape_html, None, None)
    enc.encode(v)
    return "".join(enc.out)


def marshal_indent(v: Any, prefix: str, indent: str, escape_html: bool = True) -> str:
    """json.MarshalIndent."""
    enc = _Encoder(escape_html, prefix, indent)
    enc.encode(v)
    return "".join(enc.out)


# --- decoding: the scanner (scanner.go), for Go's syntax errors ----------------------------

_MAX_NESTING = 10000
_OBJ_KEY, _OBJ_VALUE, _ARR_VALUE = 0, 1, 2


def _quote_char(c: int) -> str:
    """scanner.go quoteChar: the offending byte as Go prints it (bytes >= 0x80 as Latin-1)."""
    if c == 0x27:
        return "'\\''"
    if c == 0x22:
        return "'\"'"
    return "'" + quote(chr(c))[1:-1] + "'"


class _SyntaxError(Exception):
    pass


def _refuse_constant(name: str) -> Any:
    raise ValueError(name)  # NaN, Infinity: Python's extensions, not JSON


def _accepted_by_json_module(data: bytes) -> bool:
    """Whether Python's json module (its C scanner) accepts `data` as one JSON value. It accepts
    exactly the texts checkValid accepts once NaN/Infinity are refused (bytes that are not UTF-8
    can only be inside strings, where both take them), except nesting beyond the recursion limit
    (refused here, so the byte-level scanner decides)."""
    import json  # only schemas and fromJson check JSON: off the start-up path

    try:
        json.loads(data.decode("utf-8", "surrogateescape"), parse_constant=_refuse_constant)
    except (ValueError, RecursionError):
        return False
    return True


def check_valid(data: bytes) -> None:
    """scanner.go checkValid: raise JSONError with Go's message if `data` is not valid JSON.

    Valid JSON (the usual case: a chart's values.schema.json) is recognised by the json module;
    the byte-level state machine below runs for invalid input only, for Go's error message."""
    if not _accepted_by_json_module(data):
        scan_json(data)


def scan_json(data: bytes) -> None:
    """checkValid byte by byte, as scanner.go steps through it: raises JSONError worded like Go."""
    stack: list[int] = []
    state = "begin_value"
    end_top = False

    def err(c: int, context: str) -> _SyntaxError:
        return _SyntaxError(f"invalid character {_quote_char(c)} {context}")

    def end_value(c: int) -> str:
        nonlocal end_top
        if not stack:
            end_top = True
            return end_top_state(c)
        if c in b" \t\r\n":
            return "end_value"
        ps = stack[-1]
        if ps == _OBJ_KEY:
            if c == 0x3A:
                stack[-1] = _OBJ_VALUE
                return "begin_value"
            raise err(c, "after object key")
        if ps == _OBJ_VALUE:
            if c == 0x2C:
                stack[-1] = _OBJ_KEY
                return "begin_string"
            if c == 0x7D:
                stack.pop()
                return "end_value" if stack else end_of_top()
            raise err(c, "after object key:value pair")
        if c == 0x2C:
            return "begin_value"
        if c == 0x5D:
            stack.pop()
            return "end_value" if stack else end_of_top()
        raise err(c, "after array element")

    def end_of_top() -> str:
        nonlocal end_top
        end_top = True
        return "end_top"

    def end_top_state(c: int) -> str:
        if c not in b" \t\r\n":
            raise err(c, "after top-level value")
        return "end_top"

    def push(kind: int) -> None:
        stack.append(kind)
        if len(stack) > _MAX_NESTING:
            raise _SyntaxError("exceeded max depth")

    def begin_value(c: int) -> str:
        if c in b" \t\r\n":
            return "begin_value"
        if c == 0x7B:
            push(_OBJ_KEY)
            return "begin_string_or_empty"
        if c == 0x5B:
            push(_ARR_VALUE)
            return "begin_value_or_empty"
        if c == 0x22:
            return "in_string"
        if c == 0x2D:
            return "neg"
        if c == 0x30:
            return "zero"
        if c == 0x74:
            return "t"
        if c == 0x66:
            return "f"
        if c == 0x6E:
            return "n"
        if 0x31 <= c <= 0x39:
            return "one"
        raise err(c, "looking for beginning of value")

    def is_digit(c: int) -> bool:
        return 0x30 <= c <= 0x39

    def is_hex(c: int) -> bool:
        return is_digit(c) or 0x61 <= c <= 0x66 or 0x41 <= c <= 0x46

    literals = {
        "t": ("r", "tr", "true"),
        "tr": ("u", "tru", "true"),
        "tru": ("e", None, "true"),
        "f": ("a", "fa", "false"),
        "fa": ("l", "fal", "false"),
        "fal": ("s", "fals", "false"),
        "fals": ("e", None, "false"),
        "n": ("u", "nu", "null"),
        "nu": ("l", "nul", "null"),
        "nul": ("l", None, "null"),
    }

    def step(state: str, c: int) -> str:
        if state == "begin_value":
            return begin_value(c)
        if state == "begin_value_or_empty":
            if c in b" \t\r\n":
                return state
            if c == 0x5D:
                return end_value(c)
            return begin_value(c)
        if state == "begin_string_or_empty":
            if c in b" \t\r\n":
                return state
            if c == 0x7D:
                stack[-1] = _OBJ_VALUE
                return end_value(c)
            return step("begin_string", c)
        if state == "begin_string":
            if c in b" \t\r\n":
                return state
            if c == 0x22:
                return "in_string"
            raise err(c, "looking for beginning of object key string")
        if state == "end_value":
            return end_value(c)
        if state == "end_top":
            return end_top_state(c)
        if state == "in_string":
            if c == 0x22:
                return "end_value"
            if c == 0x5C:
                return "in_string_esc"
            if c < 0x20:
                raise err(c, "in string literal")
            return state
        if state == "in_string_esc":
            if c in b'bfnrt\\/"':
                return "in_string"
            if c == 0x75:
                return "esc_u0"
            raise err(c, "in string escape code")
        if state.startswith("esc_u"):
            if not is_hex(c):
                raise err(c, "in \\u hexadecimal character escape")
            n = int(state[5:]) + 1
            return "in_string" if n == 4 else f"esc_u{n}"
        if state == "neg":
            if c == 0x30:
                return "zero"
            if 0x31 <= c <= 0x39:
                return "one"
            raise err(c, "in numeric literal")
        if state == "one":
            if is_digit(c):
                return state
            return step("zero", c)
        if state == "zero":
            if c == 0x2E:
                return "dot"
            if c in b"eE":
                return "e"
            return end_value(c)
        if state == "dot":
            if is_digit(c):
                return "dot0"
            raise err(c, "after decimal point in numeric literal")
        if state == "dot0":
            if is_digit(c):
                return state
            if c in b"eE":
                return "e"
            return end_value(c)
        if state == "e":
            if c in b"+-":
                return "esign"
            return step("esign", c)
        if state == "esign":
            if is_digit(c):
                return "e0"
            raise err(c, "in exponent of numeric literal")
        if state == "e0":
            if is_digit(c):
                return state
            return end_value(c)
        want, nxt, word = literals[state]
        if c != ord(want):
            raise err(c, f"in literal {word} (expecting {_quote_char(ord(want))})")
        return nxt if nxt is not None else "end_value"

    try:
        for c in data:
            state = step(state, c)
        if not end_top:
            state = step(state, 0x20)
            if not end_top:
                raise _SyntaxError("unexpected end of JSON input")
    except _SyntaxError as e:
        raise JSONError(str(e)) from None


# --- decoding: values ----------------------------------------------------------------------


class _Decoded:
    """Collects the first non-syntax error (Go's d.saveError) while decoding continues."""

    def __init__(self) -> None:
        self.error: str | None = None

    def number(self, text: str) -> float | None:
        f = float(text)
        if math.isinf(f):
            if self.error is None:
                self.error = f"json: cannot unmarshal number {text} into Go value of type float64"
            return None
        return f


def _fix_string(s: str) -> str:
    """Go replaces invalid UTF-8 and unpaired surrogate escapes with U+FFFD."""
    if s.isascii():
        return s
    return "".join("\ufffd" if 0xD800 <= ord(ch) <= 0xDFFF else ch for ch in s)


def _fix_strings(v: Any) -> Any:
    if isinstance(v, str):
        return _fix_string(v)
    if isinstance(v, list):
        return [_fix_strings(x) for x in v]
    if isinstance(v, dict):
        return {_fix_string(k): _fix_strings(x) for k, x in v.items()}
    return v


_KIND_OF_JSON = {dict: "object", list: "array", str: "string", bool: "bool", float: "number"}


def _decode(text: str) -> tuple[Any, str | None]:
    data = go_bytes(text)
    check_valid(data)
    state = _Decoded()
    import json  # only fromJson and friends decode: the module stays off the start-up path

    try:
        value = json.loads(
            data.decode("utf-8", "replace"),
            parse_float=state.number,
            parse_int=state.number,
            parse_constant=lambda name: None,
        )
    except RecursionError:
        raise JSONError("json: document nested too deeply") from None
    return _fix_strings(value), state.error


def unmarshal(text: str, target: str = ANY) -> Any:
    """json.Unmarshal into a value of Go type `target` (interface {}, MAP or LIST).

    Returns the decoded value; raises JSONError (Go's message) on a syntax or type error.
    Use `unmarshal_partial` when the partially decoded value matters.
    """
    value, error = unmarshal_partial(text, target)
    if error is not None:
        raise JSONError(error)
    return value


def unmarshal_partial(text: str, target: str = ANY) -> tuple[Any, str | None]:
    """json.Unmarshal's result and error text: on a type error Go keeps decoding and returns
    what it got with the first error; on a syntax error the target is left untouched (None)."""
    try:
        value, error = _decode(text)
    except JSONError as e:
        return None, str(e)
    if target == ANY or value is None:
        return value, error
    want = dict if target == MAP else list
    if not isinstance(value, want):
        kind = _KIND_OF_JSON[type(value)] if type(value) in _KIND_OF_JSON else "value"
        return None, f"json: cannot unmarshal {kind} into Go value of type {target}"
    return value, error


# --- template functions --------------------------------------------------------------------


@gofunc(ANY, result=STRING)
def helm_to_json(v: Any) -> str:
    """Helm's toJson: json.Marshal, errors swallowed into ""."""
    try:
        return marshal(v)
    except JSONError:
        return ""


@gofunc(STRING, result=MAP)
def helm_from_json(s: str) -> dict[str, Any]:
    """Helm's fromJson: a map; any error text goes into m["Error"]."""
    value, error = unmarshal_partial(s, MAP)
    m: dict[str, Any] = dict(value) if isinstance(value, dict) else {}
    if error is not None:
        m["Error"] = error
    return m


@gofunc(STRING, result=LIST)
def helm_from_json_array(s: str) -> list[Any]:
    """Helm's fromJsonArray: a list; on error the error text is its only element."""
    value, error = unmarshal_partial(s, LIST)
    if error is not None:
        return [error]
    return list(value) if isinstance(value, list) else []


@gofunc(STRING, result=ANY)
def sprig_from_json(s: str) -> Any:
    """Sprig's fromJson: decode into interface {}, errors ignored (nil or the partial value)."""
    return unmarshal_partial(s)[0]


@gofunc(STRING, error=True, result=ANY)
def sprig_must_from_json(s: str) -> Any:
    value, error = unmarshal_partial(s)
    if error is not None:
        raise GoFuncError(error)
    return value


@gofunc(ANY, result=STRING)
def sprig_to_json(v: Any) -> str:
    try:
        return marshal(v)
    except JSONError:
        return ""


@gofunc(ANY, error=True, result=STRING)
def sprig_must_to_json(v: Any) -> str:
    try:
        return marshal(v)
    except JSONError as e:
        raise GoFuncError(str(e)) from None


@gofunc(ANY, result=STRING)
def sprig_to_pretty_json(v: Any) -> str:
    try:
        return marshal_indent(v, "", "  ")
    except JSONError:
        return ""


@gofunc(ANY, error=True, result=STRING)
def sprig_must_to_pretty_json(v: Any) -> str:
    try:
        return marshal_indent(v, "", "  ")
    except JSONError as e:
        raise GoFuncError(str(e)) from None


@gofunc(ANY, result=STRING)
def sprig_to_raw_json(v: Any) -> str:
    """Sprig's toRawJson panics on an encoding error (text/template turns it into an error)."""
    try:
        return marshal(v, escape_html=False)
    except JSONError as e:
        raise GoPanic(str(e)) from None


@gofunc(ANY, error=True, result=STRING)
def sprig_must_to_raw_json(v: Any) -> str:
    try:
        return marshal(v, escape_html=False)
    except JSONError as e:
        raise GoFuncError(str(e)) from None


HELM_FUNCS: dict[str, Callable[..., Any]] = {
    "toJson": helm_to_json,
    "fromJson": helm_from_json,
    "fromJsonArray": helm_from_json_array,
}

SPRIG_FUNCS: dict[str, Callable[..., Any]] = {
    "fromJson": sprig_from_json,
    "toJson": sprig_to_json,
    "toPrettyJson": sprig_to_pretty_json,
    "toRawJson": sprig_to_raw_json,
    "mustFromJson": sprig_must_from_json,
    "mustToJson": sprig_must_to_json,
    "mustToPrettyJson": sprig_must_to_pretty_json,
    "mustToRawJson": sprig_must_to_raw_json,
}

# Both registries together, Helm's overriding Sprig's as in Helm's funcMap.
FUNCS: dict[str, Callable[..., Any]] = {**SPRIG_FUNCS, **HELM_FUNCS}

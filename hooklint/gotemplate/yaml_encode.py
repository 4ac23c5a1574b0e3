"""sigs.k8s.io/yaml.Marshal, byte for byte: encoding/json, then goyaml.v2 Unmarshal of that
JSON (so whole floats below 1e21 become ints), then goyaml.v2 Marshal.

The emitter is a port of goyaml.v2's emitterc.go restricted to the events its encoder
produces (block mappings and sequences, `{}`/`[]` for empty ones, plain, quoted and literal
scalars). Its quirks are kept: 80-column folding of plain and quoted strings, sequences not
indented under their key, `? ` complex keys for keys over 128 bytes or with line breaks,
characters outside the BMP written as `\\U` escapes, tabs forcing double quotes.
"""

from __future__ import annotations

import base64
import functools
import math
import re
from collections.abc import Callable, Iterator

from hooklint.documents.gostrconv import INT64_MIN, UINT64_MAX
from hooklint.gotemplate.gotypes import GoObject, is_go_nil
from hooklint.gotemplate.yaml_resolve import (
    format_float,
    is_base60_float,
    resolves_to_str,
)

TYPE_CHECKING = False  # not `typing`'s: importing typing costs ~3 ms of every run
if TYPE_CHECKING:
    from typing import Any


class YAMLEncodeError(Exception):
    """yaml.Marshal failed (e.g. `error marshaling into JSON: json: unsupported value: NaN`)."""


# --- value model: what goyaml.v2 decodes from json.Marshal's output ------------------------


def _json_float(f: float) -> Any:
    """A float64 after json.Marshal and goyaml.v2 resolution of the number text."""
    if math.isnan(f) or math.isinf(f):
        raise YAMLEncodeError("error marshaling into JSON: json: unsupported value: " + format_float(f, "g"))
    if f == int(f) and abs(f) < 1e21:
        # json writes the shortest digits without exponent ("12345678901234567000"), which
        # goyaml resolves as an int when it fits int64 or uint64.
        n = int(format_float(f, "f"))
        if INT64_MIN <= n <= UINT64_MAX:
            return n
    return f


@functools.cache
def _compiled(pattern: str) -> re.Pattern[str]:
    """A pattern compiled on first use and kept (re's own cache may evict it)."""
    return re.compile(pattern)


# Characters json.Marshal writes raw that goyaml.v2's reader then rejects: JSONToYAML fails.
# Compiled on the first non-ASCII text (the only ASCII one is DEL): its Unicode ranges take
# ~0.4 ms to compile, start-up time most renders do not need to pay.
_READER_REJECTS = "[\x7f-\x84\x86-\x9f\ud800-\udfff\ufffe\uffff]"


def _reader_rejects(s: str) -> bool:
    """Whether `s` holds a character of _READER_REJECTS."""
    if s.isascii():
        return "\x7f" in s
    return _compiled(_READER_REJECTS).search(s) is not None


# json.Marshal leaves NEL (U+0085) raw; goyaml.v2 reads it as a line break inside the quoted
# JSON string and folds it (with surrounding spaces) like any YAML double-quoted scalar.
_NEL_FOLD = re.compile("[ ]*\x85[ \x85]*")


def _fold_nel(m: re.Match[str]) -> str:
    breaks = m.group().count("\x85")
    return " " if breaks == 1 else "\n" * (breaks - 1)


# Invalid UTF-8 bytes (surrogate escapes): json.Marshal writes each as U+FFFD.
_BAD_BYTES = "[\udc80-\udcff]"  # compiled on the first non-ASCII text (start-up time)


def _json_string(s: str) -> str:
    if not s.isascii():
        s = _compiled(_BAD_BYTES).sub("\ufffd", s)
    if _reader_rejects(s):
        raise YAMLEncodeError("yaml: control characters are not allowed")
    if "\x85" in s:
        return _NEL_FOLD.sub(_fold_nel, s)
    return str(s)


def json_roundtrip(v: Any) -> Any:
    """The goyaml.v2 value of `v` after json.Marshal (None, bool, int, float, str, list, dict)."""
    if isinstance(v, str):
        return _json_string(v)
    if v is None or isinstance(v, bool):
        return v
    if isinstance(v, int):
        return int(v)
    if isinstance(v, float):
        return _json_float(v)
    if is_go_nil(v):  # a nil slice, map or []byte marshals as JSON null
        return None
    if isinstance(v, bytes):
        return base64.b64encode(v).decode("ascii")
    if isinstance(v, dict):
        return {_json_key(k): json_roundtrip(x) for k, x in v.items()}
    if isinstance(v, (list, tuple)):
        return [json_roundtrip(x) for x in v]
    if isinstance(v, GoObject):
        return json_roundtrip(v.go_json())
    raise YAMLEncodeError(f"error marshaling into JSON: json: unsupported type: {type(v).__name__}")


def _json_key(k: Any) -> str:
    if isinstance(k, str):
        return _json_string(k)
    if isinstance(k, bool) or k is None:
        raise YAMLEncodeError("error marshaling into JSON: json: unsupported type: map key")
    if isinstance(k, int):
        return str(int(k))
    return str(k)


# --- goyaml.v2 sorter.go ------------------------------------------------------------------


def _key_less(a: str, b: str) -> bool:
    """keyList.Less for two string keys: letters after non-letters, digit runs numerically."""
    ar, br = a, b
    for i in range(min(len(ar), len(br))):
        if ar[i] == br[i]:
            continue
        al, bl = ar[i].isalpha(), br[i].isalpha()
        if al and bl:
            return ar[i] < br[i]
        if al or bl:
            return bl
        an = bn = 0
        if ar[i] == "0" or br[i] == "0":
            j = i - 1
            while j >= 0 and ar[j].isdigit():
                if ar[j] != "0":
                    an = bn = 1
                    break
                j -= 1
        ai = i
        while ai < len(ar) and ar[ai].isdigit():
            an = an * 10 + (ord(ar[ai]) - 48)
            ai += 1
        bi = i
        while bi < len(br) and br[bi].isdigit():
            bn = bn * 10 + (ord(br[bi]) - 48)
            bi += 1
        if an != bn:
            return an < bn
        if ai != bi:
            return ai < bi
        return ar[i] < br[i]
    return len(ar) < len(br)


def _cmp(a: str, b: str) -> int:
    if _key_less(a, b):
        return -1
    if _key_less(b, a):
        return 1
    return 0


_sort_key = functools.cmp_to_key(_cmp)
_HAS_DIGIT = re.compile(r"[0-9]")


def _plain_key(s: str) -> tuple[tuple[bool, str], ...]:
    """keyList.Less as a sort key for strings without ASCII digits: at the first differing
    character letters sort after non-letters, otherwise by code point; a prefix sorts first."""
    return tuple((c.isalpha(), c) for c in s)


# For ASCII keys without digits, _plain_key's order is plain string order once every letter
# is moved above all other ASCII characters (same relative order within each group).
_LETTERS_UP = str.maketrans({c: chr(ord(c) + 128) for c in "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"})


def _ascii_key(s: str) -> str:
    return s.translate(_LETTERS_UP)


def sorted_keys(keys: list[str]) -> list[str]:
    if len(keys) < 2:
        return keys
    joined = "".join(keys)  # one test of all the keys' characters (toYaml sorts many small maps)
    if _HAS_DIGIT.search(joined):
        # digit runs compare numerically (with sorter.go's leading-zero rule): the full comparator
        return sorted(keys, key=_sort_key)
    if joined.isascii():
        # keys of ASCII letters only: _ascii_key moves all of them alike, plain order is its order
        return sorted(keys) if joined.isalpha() else sorted(keys, key=_ascii_key)
    return sorted(keys, key=_plain_key)


# --- events ---------------------------------------------------------------------------------

MAP_START, MAP_END, SEQ_START, SEQ_END, SCALAR = range(5)
PLAIN, SINGLE, DOUBLE, LITERAL = "plain", "single", "double", "literal"


_FLOAT_WORDS = {"+Inf": ".inf", "-Inf": "-.inf", "NaN": ".nan"}
_MAP_START_EV = (MAP_START, "", "")
_MAP_END_EV = (MAP_END, "", "")
_SEQ_START_EV = (SEQ_START, "", "")
_SEQ_END_EV = (SEQ_END, "", "")
_NULL_EV = (SCALAR, "null", PLAIN)
_TRUE_EV = (SCALAR, "true", PLAIN)
_FALSE_EV = (SCALAR, "false", PLAIN)


def collect_events(v: Any, out: list[tuple[int, str, str]]) -> None:
    """Append the events of `_events(json_roundtrip(v))` to `out`, in one pass (no
    intermediate value, no generator chain: toYaml of large values is a hot path)."""
    t = type(v)
    if t is str:
        if _reader_rejects(v) or "\x85" in v:
            v = _json_string(v)
        out.append((SCALAR, v, _string_style(v)))
    elif t is dict:
        out.append(_MAP_START_EV)
        if all(type(k) is str for k in v):
            if any(_reader_rejects(k) or "\x85" in k for k in v):
                v = {_json_string(k): x for k, x in v.items()}
            for k in sorted_keys(list(v)):
                out.append((SCALAR, k, _string_style(k)))
                collect_events(v[k], out)
        else:
            conv = {_json_key(k): x for k, x in v.items()}
            for k in sorted_keys(list(conv)):
                out.append((SCALAR, k, _string_style(k)))
                collect_events(conv[k], out)
        out.append(_MAP_END_EV)
    elif t is list:
        out.append(_SEQ_START_EV)
        for x in v:
            collect_events(x, out)
        out.append(_SEQ_END_EV)
    elif v is None:
        out.append(_NULL_EV)
    elif t is bool:
        out.append(_TRUE_EV if v else _FALSE_EV)
    elif t is int:
        out.append((SCALAR, str(v), PLAIN))
    elif t is float:
        f = _json_float(v)
        if type(f) is int:
            out.append((SCALAR, str(f), PLAIN))
        else:
            text = format_float(f, "g")
            out.append((SCALAR, _FLOAT_WORDS.get(text, text), PLAIN))
    else:
        # subclasses (StrMap, StrList, Int64, ...), bytes, tuples, Go objects: the general path
        for ev in _events(json_roundtrip(v)):
            out.append(ev)


def _events(v: Any) -> Iterator[tuple[int, str, str]]:
    """goyaml.v2 encoder.marshal events for a JSON-shaped value: (kind, value, style)."""
    if v is None:
        yield (SCALAR, "null", PLAIN)
    elif isinstance(v, bool):
        yield (SCALAR, "true" if v else "false", PLAIN)
    elif isinstance(v, int):
        yield (SCALAR, str(v), PLAIN)
    elif isinstance(v, float):
        s = format_float(v, "g")
        yield (SCALAR, {"+Inf": ".inf", "-Inf": "-.inf", "NaN": ".nan"}.get(s, s), PLAIN)
    elif isinstance(v, str):
        yield (SCALAR, v, _string_style(v))
    elif isinstance(v, dict):
        yield (MAP_START, "", "")
        for k in sorted_keys(list(v)):
            yield from _events(k)
            yield from _events(v[k])
        yield (MAP_END, "", "")
    else:
        yield (SEQ_START, "", "")
        for x in v:
            yield from _events(x)
        yield (SEQ_END, "", "")


@functools.lru_cache(maxsize=8192)
def _string_style(s: str) -> str:
    """encoder.stringv: literal for text with newlines, plain when it resolves as a string."""
    if "\n" in s:
        return LITERAL
    if resolves_to_str(s) and not is_base60_float(s):
        return PLAIN
    return DOUBLE


# --- emitterc.go ------------------------------------------------------------------------------

_BREAKS = "\r\n\x85\u2028\u2029"


def _only_newline_breaks(value: str) -> bool:
    """Whether "\n" is the only line break in `value` (the usual multi-line string)."""
    return "\r" not in value and (value.isascii() or not any(b in value for b in "\x85\u2028\u2029"))
BEST_INDENT = 2
BEST_WIDTH = 80


def is_printable(c: str) -> bool:
    o = ord(c)
    return o == 0x0A or 0x20 <= o <= 0x7E or 0xA0 <= o <= 0xD7FF or (0xE000 <= o <= 0xFFFD and o != 0xFEFF)


_SIMPLE_SCALAR = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_./=+-]*")


class ScalarAnalysis:
    __slots__ = ("multiline", "flow_plain", "block_plain", "single_quoted", "block")

    # goyaml.v3 lets tabs into literal blocks (v2 treats them as special characters)
    tabs_allow_block = False

    def __init__(self, value: str) -> None:
        self.multiline = False
        if _SIMPLE_SCALAR.fullmatch(value):  # fast path: nothing to flag
            self.flow_plain = self.block_plain = self.single_quoted = self.block = True
            return
        if not value:
            self.flow_plain = False
            self.block_plain = True
            self.single_quoted = True
            self.block = False
            return
        block_ind = flow_ind = line_breaks = special = tabs = False
        leading_space = leading_break = trailing_space = trailing_break = False
        break_space = space_break = previous_space = previous_break = False
        if value.startswith("---") or value.startswith("..."):
            block_ind = flow_ind = True
        preceded_by_ws = True
        n = len(value)
        for i, c in enumerate(value):
            followed_by_ws = i + 1 >= n or value[i + 1] in " \t"
            if i == 0:
                if c in "#,[]{}&*!|>'\"%@`":
                    flow_ind = block_ind = True
                elif c in "?:":
                    flow_ind = True
                    if followed_by_ws:
                        block_ind = True
                elif c == "-" and followed_by_ws:
                    flow_ind = block_ind = True
            else:
                if c in ",?[]{}":
                    flow_ind = True
                elif c == ":":
                    flow_ind = True
                    if followed_by_ws:
                        block_ind = True
                elif c == "#" and preceded_by_ws:
                    flow_ind = block_ind = True
            if c == "\t" and self.tabs_allow_block:
                tabs = True
            elif not is_printable(c):
                special = True
            if c == " ":
                if i == 0:
                    leading_space = True
                if i == n - 1:
                    trailing_space = True
                if previous_break:
                    break_space = True
                previous_space, previous_break = True, False
            elif c in _BREAKS:
                line_breaks = True
                if i == 0:
                    leading_break = True
                if i == n - 1:
                    trailing_break = True
                if previous_space:
                    space_break = True
                previous_space, previous_break = False, True
            else:
                previous_space = previous_break = False
            preceded_by_ws = c in " \t" or c in _BREAKS or c == "\0"
        self.multiline = line_breaks
        self.flow_plain = self.block_plain = self.single_quoted = self.block = True
        if leading_space or leading_break or trailing_space or trailing_break:
            self.flow_plain = self.block_plain = False
        if trailing_space:
            self.block = False
        if break_space:
            self.flow_plain = self.block_plain = self.single_quoted = False
        if space_break or tabs or special:
            self.flow_plain = self.block_plain = self.single_quoted = False
        if space_break or special:
            self.block = False
        if line_breaks:
            self.flow_plain = self.block_plain = False
        if flow_ind:
            self.flow_plain = False
        if block_ind:
            self.block_plain = False


# Per emitter class: state name -> handler function; per analysis class: text -> analysis.
_HANDLERS: dict[type, dict[str, Any]] = {}
_ANALYSES: dict[type, dict[str, ScalarAnalysis]] = {}


class Emitter:
    """goyaml.v2's emitter state machine over a complete event list."""

    analysis_class: type[ScalarAnalysis] = ScalarAnalysis
    best_width = BEST_WIDTH

    def __init__(self, events: list[tuple[int, str, str]]) -> None:
        self.events = events
        self.head = 0
        self.out: list[str] = []
        self.indent = -1
        self.indents: list[int] = []
        self.column = 0
        self.whitespace = True
        self.indention = True
        self.flow_level = 0
        self.root_context = False
        self.sequence_context = False
        self.mapping_context = False
        self.simple_key_context = False
        self.states: list[str] = []
        self.state = "doc_content"
        self.analysis: ScalarAnalysis | None = None

    # output primitives
    def put(self, c: str) -> None:
        self.out.append(c)
        self.column += 1

    def put_break(self) -> None:
        self.out.append("\n")
        self.column = 0

    def write(self, c: str) -> None:
        self.out.append(c)
        self.column += 1

    def write_break(self, c: str) -> None:
        if c == "\n":
            self.put_break()
        else:
            self.out.append(c)
            self.column = 0

    def write_indent(self) -> None:
        indent = max(self.indent, 0)
        if not self.indention or self.column > indent or (self.column == indent and not self.whitespace):
            self.put_break()
        while self.column < indent:
            self.put(" ")
        self.whitespace = True
        self.indention = True

    def write_indicator(self, ind: str, need_ws: bool, is_ws: bool, is_indention: bool) -> None:
        if need_ws and not self.whitespace:
            self.put(" ")
        for c in ind:
            self.write(c)
        self.whitespace = is_ws
        self.indention = self.indention and is_indention

    def increase_indent(self, flow: bool, indentless: bool) -> None:
        self.indents.append(self.indent)
        if self.indent < 0:
            self.indent = BEST_INDENT if flow else 0
        elif not indentless:
            self.indent += BEST_INDENT

    def pop_indent(self) -> None:
        self.indent = self.indents.pop()

    def pop_state(self) -> None:
        self.state = self.states.pop()

    # driver
    def run(self) -> str:
        self.states.append("doc_end")
        events = self.events
        n = len(events)
        cls = type(self)
        handlers = _HANDLERS.get(cls)
        if handlers is None:
            handlers = _HANDLERS[cls] = {
                name[1:]: getattr(cls, name) for name in dir(cls) if name.startswith("_") and not name.startswith("__")
            }
        analyses = _ANALYSES.setdefault(self.analysis_class, {})
        if len(analyses) > 20000:
            analyses.clear()
        while self.head < n:
            ev = events[self.head]
            if ev[0] == SCALAR:
                # ScalarAnalysis is a pure function of the text: reuse it across scalars and calls
                a = analyses.get(ev[1])
                if a is None:
                    a = analyses[ev[1]] = self.analysis_class(ev[1])
                self.analysis = a
            else:
                self.analysis = None
            handlers[self.state](self, ev)
            self.head += 1
        # document end (implicit) and stream end
        self.write_indent()
        return "".join(self.out)

    def _doc_content(self, ev: tuple[int, str, str]) -> None:
        self.emit_node(ev, root=True, sequence=False, mapping=False, simple_key=False)

    def _doc_end(self, ev: tuple[int, str, str]) -> None:  # pragma: no cover - one document
        raise AssertionError("more than one root node")

    def emit_node(
        self, ev: tuple[int, str, str], *, root: bool, sequence: bool, mapping: bool, simple_key: bool
    ) -> None:
        self.root_context = root
        self.sequence_context = sequence
        self.mapping_context = mapping
        self.simple_key_context = simple_key
        kind = ev[0]
        if kind == SCALAR:
            self.emit_scalar(ev)
        elif kind == SEQ_START:
            if self.flow_level > 0 or self.check_empty(SEQ_END):
                self.state = "flow_seq_first"
            else:
                self.state = "block_seq_first"
        elif kind == MAP_START:
            if self.flow_level > 0 or self.check_empty(MAP_END):
                self.state = "flow_map_first"
            else:
                self.state = "block_map_first"
        else:  # pragma: no cover
            raise AssertionError(f"unexpected event {ev}")

    def check_empty(self, end_kind: int) -> bool:
        nxt = self.head + 1
        return nxt < len(self.events) and self.events[nxt][0] == end_kind

    def check_simple_key(self) -> bool:
        ev = self.events[self.head]
        if ev[0] == SCALAR:
            assert self.analysis is not None
            if self.analysis.multiline:
                return False
            return len(ev[1].encode("utf-8", "surrogatepass")) <= 128
        if ev[0] == SEQ_START:
            return self.check_empty(SEQ_END)
        if ev[0] == MAP_START:
            return self.check_empty(MAP_END)
        return False

    # flow collections (only ever empty here: `[]` and `{}`)
    def _flow_seq_first(self, ev: tuple[int, str, str]) -> None:
        self._flow_item(ev, True, "[", "]", SEQ_END, "flow_seq")

    def _flow_seq(self, ev: tuple[int, str, str]) -> None:
        self._flow_item(ev, False, "[", "]", SEQ_END, "flow_seq")

    def _flow_map_first(self, ev: tuple[int, str, str]) -> None:
        self._flow_item(ev, True, "{", "}", MAP_END, "flow_map")

    def _flow_map(self, ev: tuple[int, str, str]) -> None:  # pragma: no cover - never non-empty
        self._flow_item(ev, False, "{", "}", MAP_END, "flow_map")

    def _flow_item(
        self, ev: tuple[int, str, str], first: bool, open_: str, close: str, end: int, state: str
    ) -> None:
        if first:
            self.write_indicator(open_, True, True, False)
            self.increase_indent(True, False)
            self.flow_level += 1
        if ev[0] == end:
            self.flow_level -= 1
            self.pop_indent()
            self.write_indicator(close, False, False, False)
            self.pop_state()
            return
        raise AssertionError("non-empty flow collection")  # pragma: no cover

    # block sequence
    def _block_seq_first(self, ev: tuple[int, str, str]) -> None:
        self.increase_indent(False, self.mapping_context and not self.indention)
        self._block_seq(ev)

    def _block_seq(self, ev: tuple[int, str, str]) -> None:
        if ev[0] == SEQ_END:
            self.pop_indent()
            self.pop_state()
            return
        self.write_indent()
        self.write_indicator("-", True, False, True)
        self.states.append("block_seq")
        self.emit_node(ev, root=False, sequence=True, mapping=False, simple_key=False)

    # block mapping
    def _block_map_first(self, ev: tuple[int, str, str]) -> None:
        self.increase_indent(False, False)
        self._block_map_key(ev)

    def _block_map_key(self, ev: tuple[int, str, str]) -> None:
        if ev[0] == MAP_END:
            self.pop_indent()
            self.pop_state()
            return
        self.write_indent()
        if self.check_simple_key():
            self.states.append("block_map_simple_value")
            self.emit_node(ev, root=False, sequence=False, mapping=True, simple_key=True)
            return
        self.write_indicator("?", True, False, True)
        self.states.append("block_map_value")
        self.emit_node(ev, root=False, sequence=False, mapping=True, simple_key=False)

    def _block_map_simple_value(self, ev: tuple[int, str, str]) -> None:
        self.write_indicator(":", False, False, False)
        self.states.append("block_map_key")
        self.emit_node(ev, root=False, sequence=False, mapping=True, simple_key=False)

    def _block_map_value(self, ev: tuple[int, str, str]) -> None:
        self.write_indent()
        self.write_indicator(":", True, False, True)
        self.states.append("block_map_key")
        self.emit_node(ev, root=False, sequence=False, mapping=True, simple_key=False)

    # scalars
    def emit_scalar(self, ev: tuple[int, str, str]) -> None:
        value, style = ev[1], ev[2]
        a = self.analysis
        assert a is not None
        if self.simple_key_context and a.multiline:
            style = DOUBLE
        if style == PLAIN:
            if (self.flow_level > 0 and not a.flow_plain) or (self.flow_level == 0 and not a.block_plain):
                style = SINGLE
            if not value and (self.flow_level > 0 or self.simple_key_context):
                style = SINGLE
        if style == SINGLE and not a.single_quoted:
            style = DOUBLE
        if style == LITERAL and (not a.block or self.flow_level > 0 or self.simple_key_context):
            style = DOUBLE
        self.increase_indent(True, False)
        allow_breaks = not self.simple_key_context
        if style == PLAIN:
            self.write_plain(value, allow_breaks)
        elif style == SINGLE:
            self.write_single(value, allow_breaks)
        elif style == DOUBLE:
            self.write_double(value, allow_breaks)
        else:
            self.write_literal(value)
        self.pop_indent()
        self.pop_state()

    def write_plain(self, value: str, allow_breaks: bool) -> None:
        if not self.whitespace:
            self.put(" ")
        if " " not in value and _SIMPLE_SCALAR.fullmatch(value):  # fast path: no folding
            self.out.append(value)
            self.column += len(value)
            self.whitespace = False
            self.indention = False
            return
        spaces = breaks = False
        n = len(value)
        i = 0
        while i < n:
            c = value[i]
            if c == " ":
                if (
                    allow_breaks
                    and not spaces
                    and self.column > self.best_width
                    and not (i + 1 < n and value[i + 1] == " ")
                ):
                    self.write_indent()
                else:
                    self.write(c)
                spaces = True
            elif c in _BREAKS:
                if not breaks and c == "\n":
                    self.put_break()
                self.write_break(c)
                self.indention = True
                breaks = True
            else:
                if breaks:
                    self.write_indent()
                self.write(c)
                self.indention = False
                spaces = breaks = False
            i += 1
        self.whitespace = False
        self.indention = False

    def write_single(self, value: str, allow_breaks: bool) -> None:
        self.write_indicator("'", True, False, False)
        spaces = breaks = False
        n = len(value)
        for i, c in enumerate(value):
            if c == " ":
                if (
                    allow_breaks
                    and not spaces
                    and self.column > self.best_width
                    and 0 < i < n - 1
                    and value[i + 1] != " "
                ):
                    self.write_indent()
                else:
                    self.write(c)
                spaces = True
            elif c in _BREAKS:
                if not breaks and c == "\n":
                    self.put_break()
                self.write_break(c)
                self.indention = True
                breaks = True
            else:
                if breaks:
                    self.write_indent()
                if c == "'":
                    self.put("'")
                self.write(c)
                self.indention = False
                spaces = breaks = False
        self.write_indicator("'", False, False, False)
        self.whitespace = False
        self.indention = False

    def write_double(self, value: str, allow_breaks: bool) -> None:
        spaces = False
        self.write_indicator('"', True, False, False)
        bom = value.startswith("\ufeff")  # goyaml's is_bom looks at the value's first bytes
        n = len(value)
        for i, c in enumerate(value):
            if not is_printable(c) or bom or c in _BREAKS or c == '"' or c == "\\":
                self.put("\\")
                esc = _ESCAPES.get(c)
                if esc is not None:
                    self.put(esc)
                else:
                    o = ord(c)
                    if o <= 0xFF:
                        text = f"x{o:02X}"
                    elif o <= 0xFFFF:
                        text = f"u{o:04X}"
                    else:
                        text = f"U{o:08X}"
                    for ch in text:
                        self.put(ch)
                spaces = False
            elif c == " ":
                if allow_breaks and not spaces and self.column > self.best_width and 0 < i < n - 1:
                    self.write_indent()
                    if value[i + 1] == " ":
                        self.put("\\")
                else:
                    self.write(c)
                spaces = True
            else:
                self.write(c)
                spaces = False
        self.write_indicator('"', False, False, False)
        self.whitespace = False
        self.indention = False

    def write_literal(self, value: str) -> None:
        self.write_indicator("|", True, False, False)
        # block scalar hints
        if value[:1] == " " or value[:1] in _BREAKS and value:
            self.write_indicator(str(BEST_INDENT), False, False, False)
        chomp = ""
        if not value:
            chomp = "-"
        elif value[-1] not in _BREAKS:
            chomp = "-"
        elif len(value) == 1 or value[-2] in _BREAKS:
            chomp = "+"
        if chomp:
            self.write_indicator(chomp, False, False, False)
        self.put_break()
        self.indention = True
        self.whitespace = True
        if _only_newline_breaks(value):
            # The loop below, a line at a time: each non-empty line indented (write_indent right
            # after a break only pads: column 0, indention and whitespace set), "\n" between.
            pad = " " * max(self.indent, 0)
            lines = value.split("\n")
            self.out.append("\n".join([pad + line if line else line for line in lines]))
            last = lines[-1]
            self.column = len(pad) + len(last) if last else 0
            self.indention = not last
            return
        breaks = True
        for c in value:
            if c in _BREAKS:
                self.write_break(c)
                self.indention = True
                breaks = True
            else:
                if breaks:
                    self.write_indent()
                self.write(c)
                self.indention = False
                breaks = False


_ESCAPES = {
    "\0": "0",
    "\a": "a",
    "\b": "b",
    "\t": "t",
    "\n": "n",
    "\v": "v",
    "\f": "f",
    "\r": "r",
    "\x1b": "e",
    '"': '"',
    "\\": "\\",
    "\x85": "N",
    "\xa0": "_",
    "\u2028": "L",
    "\u2029": "P",
}


def emit_goyaml_v2(value: Any) -> str:
    """goyaml.v2 Marshal of a JSON-shaped value (dict keys str)."""
    return Emitter(list(_events(value))).run()


_write_block: Callable[[list[tuple[int, str, str]]], str | None] | None = None


def to_yaml(v: Any) -> str:
    """sigs.k8s.io/yaml.Marshal(v) as text, with its trailing newline."""
    global _write_block
    events: list[tuple[int, str, str]] = []
    collect_events(v, events)
    if _write_block is None:  # yaml_block imports this module: it is imported on the first call
        from hooklint.gotemplate.yaml_block import write_block

        _write_block = write_block
    text = _write_block(events)
    return text if text is not None else Emitter(events).run()

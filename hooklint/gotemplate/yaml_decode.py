"""sigs.k8s.io/yaml.Unmarshal as Helm uses it: goyaml.v2 decoding into interface{}, then the
YAML-to-JSON conversion, then encoding/json decoding (every number becomes float64).

libyaml (PyYAML's C parser, the library goyaml.v2 was ported from) tokenizes; the node tree,
alias handling, merge keys, YAML 1.1 resolution and the JSON leg follow goyaml.v2's decode.go
and sigs.k8s.io/yaml's yaml.go line by line. Errors carry Go's exact wording.
"""

from __future__ import annotations

import base64
import binascii

from hooklint.gotemplate.yaml_resolve import (
    BINARY_TAG,
    MERGE_TAG,
    TIMESTAMP_TAG,
    ResolveError,
    Uint64Value,
    format_float,
    plain_value,
    resolve,
)
from hooklint.runtime.pyyaml import yaml

TYPE_CHECKING = False  # not `typing`'s: importing typing costs ~3 ms of every run
if TYPE_CHECKING:
    from typing import Any

_Loader: Any
try:  # the C parser is libyaml, what goyaml.v2 ports; the pure-Python one is a fallback
    from yaml._yaml import CParser as _Loader  # the bare parser: no constructor or resolver to set up
except ImportError:  # pragma: no cover
    _Loader = yaml.SafeLoader

_SCALAR, _MAPPING, _SEQUENCE, _ALIAS = 1, 2, 3, 4
# The first characters of the plain scalars yaml_resolve may resolve to something else than a string.
_RESOLVE_START = frozenset("+-0123456789yYnNtTfFoO~.")


class GoYAMLError(Exception):
    """An error exactly as sigs.k8s.io/yaml returns it (`error converting YAML to JSON: ...`).

    `line` is the 1-based line go-yaml reports (None when its message has none).
    """

    def __init__(self, message: str, line: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.line = line


class _Fail(Exception):
    """go-yaml's failf: becomes `yaml: <msg>`."""

    def __init__(self, msg: str, line: int | None = None) -> None:
        super().__init__(msg)
        self.msg = msg
        self.line = line


class _Node:
    """goyaml.v2's node (parser scratch state: a plain slotted class, cheap to define and create)."""

    __slots__ = ("kind", "line", "tag", "value", "implicit", "children", "alias")

    def __init__(
        self, kind: int, line: int, tag: str = "", value: str = "", implicit: bool = False,
        alias: _Node | None = None,
    ) -> None:
        self.kind = kind
        self.line = line
        self.tag = tag
        self.value = value
        self.implicit = implicit
        self.children: list[_Node] = []
        self.alias = alias


# --- parsing: libyaml events -> goyaml.v2 node tree (first document only) --------------------


def _parse_error(e: yaml.YAMLError) -> _Fail:
    """goyaml's parser.fail(): `line N: problem`, N from the problem mark (+1 for scanner
    errors only, a goyaml quirk) or else from the context mark."""
    problem = getattr(e, "problem", None) or "unknown problem parsing YAML content"
    pm = getattr(e, "problem_mark", None)
    cm = getattr(e, "context_mark", None)
    line = 0
    if pm is not None and pm.line != 0:
        line = pm.line
        if isinstance(e, yaml.scanner.ScannerError):
            line += 1
    elif cm is not None and cm.line != 0:
        line = cm.line
    if isinstance(e, yaml.reader.ReaderError):
        problem = e.reason
        line = 0
    if line:
        return _Fail(f"line {line}: {problem}", line)
    return _Fail(problem)


def _line(event: yaml.Event) -> int:
    # The parser sets a start mark on every event it emits; only hand-built events lack one.
    return event.start_mark.line if event.start_mark is not None else 0


_SCALAR_EVENT, _ALIAS_EVENT = yaml.ScalarEvent, yaml.AliasEvent
_MAPPING_START, _SEQUENCE_START = yaml.MappingStartEvent, yaml.SequenceStartEvent
_COLLECTION_END = (yaml.MappingEndEvent, yaml.SequenceEndEvent)
_DOCUMENT_END, _STREAM_END = yaml.DocumentEndEvent, yaml.StreamEndEvent


def _parse_first_document(text: str) -> _Node | None:
    if text == "":
        text = "\n"
    anchors: dict[str, _Node] = {}
    stack: list[_Node] = []
    root: _Node | None = None
    parser: Any = _Loader(text)
    get_event = parser.get_event  # not yaml.parse: its check_event per event costs as much again
    try:
        while True:
            ev = get_event()
            cls = type(ev)
            # The parser sets a start mark on every event it emits.
            if cls is _SCALAR_EVENT:
                tag = ev.tag
                node = _Node(_SCALAR, ev.start_mark.line, tag or "", ev.value or "", bool(ev.implicit[0]))
                if ev.anchor is not None:
                    anchors[ev.anchor] = node
            elif cls is _MAPPING_START or cls is _SEQUENCE_START:
                node = _Node(_MAPPING if cls is _MAPPING_START else _SEQUENCE, ev.start_mark.line, ev.tag or "")
                if ev.anchor is not None:
                    anchors[ev.anchor] = node
                if stack:
                    stack[-1].children.append(node)
                else:
                    root = node
                stack.append(node)
                continue
            elif cls in _COLLECTION_END:
                stack.pop()
                continue
            elif cls is _ALIAS_EVENT:
                target = anchors.get(ev.anchor or "")
                if target is None:
                    raise _Fail(f"unknown anchor '{ev.anchor}' referenced")
                node = _Node(_ALIAS, ev.start_mark.line, value=ev.anchor or "", alias=target)
            elif cls is _DOCUMENT_END or cls is _STREAM_END or ev is None:
                return root
            else:
                continue
            if stack:
                stack[-1].children.append(node)
            else:
                root = node
    except yaml.YAMLError as e:
        raise _parse_error(e) from None
    finally:
        parser.dispose()


# --- decoding: goyaml.v2 decoder.unmarshal into interface{} ---------------------------------

_ALIAS_LOW = 400_000
_ALIAS_HIGH = 4_000_000


def _allowed_alias_ratio(count: int) -> float:
    if count <= _ALIAS_LOW:
        return 0.99
    if count >= _ALIAS_HIGH:
        return 0.10
    return 0.99 - 0.89 * ((count - _ALIAS_LOW) / (_ALIAS_HIGH - _ALIAS_LOW))


def _key(v: Any) -> tuple[str, Any]:
    return (type(v).__name__, v)


class GoMap(dict):  # type: ignore[type-arg]
    """go-yaml's map[interface{}]interface{}: keys are (type, value) pairs (see _key)."""


class _Decoder:
    def __init__(self, strict: bool) -> None:
        self.strict = strict
        self.decode_count = 1  # decoder.unmarshal counts the document node too
        self.alias_count = 0
        self.alias_depth = 0
        self.active_aliases: set[int] = set()
        self.terrors: list[str] = []

    def unmarshal(self, n: _Node) -> Any:
        self.decode_count += 1
        if self.alias_depth > 0:
            self.alias_count += 1
        if (
            self.alias_count > 100
            and self.decode_count > 1000
            and self.alias_count / self.decode_count > _allowed_alias_ratio(self.decode_count)
        ):
            raise _Fail("document contains excessive aliasing")
        if n.kind == _ALIAS:
            return self.alias(n)
        if n.kind == _SCALAR:
            return self.scalar(n)
        if n.kind == _MAPPING:
            out = GoMap()
            self.mapping(n, out)
            return out
        return [self.unmarshal(c) for c in n.children]

    def alias(self, n: _Node) -> Any:
        if id(n) in self.active_aliases:
            raise _Fail(f"anchor '{n.value}' value contains itself")
        self.active_aliases.add(id(n))
        self.alias_depth += 1
        assert n.alias is not None
        try:
            return self.unmarshal(n.alias)
        finally:
            self.alias_depth -= 1
            self.active_aliases.discard(id(n))

    def scalar(self, n: _Node) -> Any:
        if n.tag == "":
            value = n.value
            # Quoted, or plain and not starting like a number, bool, null or `.inf`: a string.
            if not n.implicit or (value and value[0] not in _RESOLVE_START):
                return value
        try:
            tag, resolved = resolve(n.tag, n.value)
        except ResolveError as e:
            raise _Fail(str(e)) from None
        if tag == BINARY_TAG:
            data = n.value.replace("\n", "").replace("\r", "")
            try:
                raw = base64.b64decode(data, validate=True)
            except (binascii.Error, ValueError):
                raise _Fail("!!binary value contains invalid base64 data") from None
            try:
                return raw.decode("utf-8")
            except UnicodeDecodeError:
                return GoBytesString(raw)
        if tag == TIMESTAMP_TAG:
            return n.value
        return resolved

    def mapping(self, n: _Node, out: GoMap) -> None:
        ch = n.children
        for i in range(0, len(ch) - 1, 2):
            kn, vn = ch[i], ch[i + 1]
            if kn.kind == _SCALAR and kn.value == "<<" and (kn.implicit or kn.tag == MERGE_TAG):
                self.merge(vn, out)
                continue
            k = self.unmarshal(kn)
            if isinstance(k, (list, dict)):
                raise _Fail("invalid map key: " + go_syntax(k))
            v = self.unmarshal(vn)
            key = _key(k)
            if self.strict and key in out:
                self.terrors.append(f"line {vn.line + 1}: key {go_syntax(k)} already set in map")
                continue
            out[key] = v

    def merge(self, n: _Node, out: GoMap) -> None:
        def want_map() -> _Fail:
            return _Fail("map merge requires map or sequence of maps as the value")

        if n.kind == _MAPPING:
            self.unmarshal_into(n, out)
        elif n.kind == _ALIAS:
            if n.alias is not None and n.alias.kind != _MAPPING:
                raise want_map()
            self.unmarshal_into(n, out)
        elif n.kind == _SEQUENCE:
            for ni in reversed(n.children):
                if ni.kind == _ALIAS:
                    if ni.alias is not None and ni.alias.kind != _MAPPING:
                        raise want_map()
                elif ni.kind != _MAPPING:
                    raise want_map()
                self.unmarshal_into(ni, out)
        else:
            raise want_map()

    def unmarshal_into(self, n: _Node, out: GoMap) -> None:
        """decoder.unmarshal of a mapping (or alias of one) into an existing map."""
        self.decode_count += 1
        if self.alias_depth > 0:
            self.alias_count += 1
        if n.kind == _ALIAS:
            if id(n) in self.active_aliases:
                raise _Fail(f"anchor '{n.value}' value contains itself")
            self.active_aliases.add(id(n))
            self.alias_depth += 1
            try:
                assert n.alias is not None
                self.unmarshal_into(n.alias, out)
            finally:
                self.alias_depth -= 1
                self.active_aliases.discard(id(n))
            return
        self.mapping(n, out)


class GoBytesString(bytes):
    """A Go string holding arbitrary bytes (from !!binary); becomes text in the JSON leg."""


# --- Go %#v, for error messages --------------------------------------------------------------


def go_quote(s: str) -> str:
    """strconv.Quote for printable text (the common case in error messages)."""
    out = ['"']
    for ch in s:
        o = ord(ch)
        if ch == '"' or ch == "\\":
            out.append("\\" + ch)
        elif ch == "\n":
            out.append("\\n")
        elif ch == "\t":
            out.append("\\t")
        elif ch == "\r":
            out.append("\\r")
        elif o < 0x20 or o == 0x7F:
            out.append(f"\\x{o:02x}")
        else:
            out.append(ch)
    out.append('"')
    return "".join(out)


def go_syntax(v: Any) -> str:
    """fmt's %#v of a go-yaml decoded value."""
    if v is None:
        return "interface {}(nil)"
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, Uint64Value):
        return f"0x{int(v):x}"
    if isinstance(v, int):
        return str(v)
    if isinstance(v, float):
        return format_float(v, "g")
    if isinstance(v, GoBytesString):
        return go_quote(v.decode("utf-8", "replace"))
    if isinstance(v, str):
        return go_quote(v)
    if isinstance(v, list):
        return "[]interface {}{" + ", ".join(_elem_syntax(x) for x in v) + "}"
    if isinstance(v, dict):
        items = sorted(v.items(), key=lambda kv: str(kv[0][1]))
        return (
            "map[interface {}]interface {}{"
            + ", ".join(f"{_elem_syntax(k[1])}:{_elem_syntax(x)}" for k, x in items)
            + "}"
        )
    return str(v)


def _elem_syntax(v: Any) -> str:
    if v is None:
        return "interface {}(nil)"
    return go_syntax(v)


def _plus_syntax(v: Any) -> str:
    """%+#v of a value inside an interface (top-level nil prints <nil>)."""
    return "<nil>" if v is None else go_syntax(v)


# --- sigs.k8s.io/yaml: convertToJSONableObject + json.Marshal + json.Unmarshal -------------


def go_bytes_to_text(raw: bytes) -> str:
    """encoding/json's handling of a Go string with invalid UTF-8: each bad byte -> U+FFFD."""
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        pass
    out: list[str] = []
    i = 0
    while i < len(raw):
        for w in (1, 2, 3, 4):
            chunk = raw[i : i + w]
            try:
                out.append(chunk.decode("utf-8"))
                i += w
                break
            except UnicodeDecodeError:
                continue
        else:
            out.append("\ufffd")
            i += 1
    return "".join(out)


def _key_string(k: Any, v: Any) -> str:
    if isinstance(k, str):
        return k
    if isinstance(k, bool):
        return "true" if k else "false"
    if isinstance(k, GoBytesString):
        return go_bytes_to_text(k)
    if isinstance(k, Uint64Value):
        raise _JSONError(
            f"unsupported map key of type: uint64, key: {go_syntax(k)}, value: {_plus_syntax(v)}"
        )
    if isinstance(k, int):
        return str(k)
    if isinstance(k, float):
        s = format_float(k, "g", 32)
        return {"+Inf": ".inf", "-Inf": "-.inf", "NaN": ".nan"}.get(s, s)
    raise _JSONError(f"unsupported map key of type: %!s(<nil>), key: <nil>, value: {_plus_syntax(v)}")


class _JSONError(Exception):
    pass


def to_json_value(v: Any, string_target: Target | None = None) -> Any:
    """convertToJSONableObject, json.Marshal and json.Unmarshal into interface{} in one pass:
    the Go value a template sees (float64 numbers, string keys)."""
    if isinstance(v, GoMap):
        out: dict[str, Any] = {}
        # json.Marshal visits map keys in sorted order: the unsupported value it reports is the
        # first in that order, not in the document's.
        first_error: tuple[bytes, _JSONError] | None = None
        for (_, k), x in v.items():
            ks = k if type(k) is str else _key_string(k, x)
            try:
                out[ks] = to_json_value(x, None if string_target is None else _field_target(string_target, ks))
            except _JSONError as e:
                key = ks.encode("utf-8", "surrogateescape")
                if first_error is None or key < first_error[0]:
                    first_error = (key, e)
        if first_error is not None:
            raise first_error[1]
        return out
    if isinstance(v, list):
        elem = string_target.elem if isinstance(string_target, SliceOf) else None
        return [to_json_value(x, elem) for x in v]
    if string_target is STRING:
        coerced = _coerce_to_string(v)
        if coerced is not None:
            return coerced
    if v is None or isinstance(v, (bool, str)):
        return v
    if isinstance(v, GoBytesString):
        return go_bytes_to_text(v)
    if isinstance(v, int):
        return float(v)
    if isinstance(v, float):
        if v != v:
            raise _JSONError("json: unsupported value: NaN")
        if v in (float("inf"), float("-inf")):
            raise _JSONError("json: unsupported value: " + ("+Inf" if v > 0 else "-Inf"))
        return v
    raise TypeError(f"unexpected decoded value {v!r}")  # pragma: no cover


def _coerce_to_string(v: Any) -> str | None:
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, int) and not isinstance(v, GoBytesString):
        return str(int(v))
    if isinstance(v, float):
        return format_float(v, "g", 32)
    return None


# --- decode targets (Go types the caller unmarshals into) ----------------------------------


class Target:
    """The Go type a document is unmarshalled into; only matters where YAML scalars must be
    coerced to strings (sigs.k8s.io/yaml turns `version: 1.10` into "1.1" for a string field)."""


class _StringTarget(Target):
    pass


STRING: Target = _StringTarget()


# Plain slotted classes rather than dataclasses: three fewer classes to generate at start-up.
class StructOf(Target):
    """A Go struct: `fields` maps json field names to their types (other types: None)."""

    __slots__ = ("fields",)

    def __init__(self, fields: dict[str, Target | None]) -> None:
        self.fields = fields

    def __repr__(self) -> str:
        return f"StructOf(fields={self.fields!r})"


class MapOf(Target):
    """A Go map[string]T: `elem` is T."""

    __slots__ = ("elem",)

    def __init__(self, elem: Target | None) -> None:
        self.elem = elem

    def __repr__(self) -> str:
        return f"MapOf(elem={self.elem!r})"


class SliceOf(Target):
    """A Go []T: `elem` is T."""

    __slots__ = ("elem",)

    def __init__(self, elem: Target | None) -> None:
        self.elem = elem

    def __repr__(self) -> str:
        return f"SliceOf(elem={self.elem!r})"


def _field_target(t: Target | None, key: str) -> Target | None:
    if isinstance(t, MapOf):
        return t.elem
    if isinstance(t, StructOf):
        if key in t.fields:
            return t.fields[key]
        low = key.casefold()
        for name, ft in t.fields.items():  # encoding/json matches field names case-insensitively
            if name.casefold() == low:
                return ft
    return None


# --- goyaml.v2 readerc.go: the reader decodes UTF-8 before anything is parsed -------------------

_UTF8_LEAD_MASK = (0x7F, 0x1F, 0x0F, 0x07)


def reader_problem(text: str) -> str | None:
    """yaml_parser_update_buffer's complaint about `text` as Go bytes (invalid UTF-8, kept as
    surrogate escapes, or a control character before it), or None. Only text that is not
    valid UTF-8 is scanned here: for valid text the parser reports control characters."""
    if text.isascii():
        return None
    try:
        text.encode("utf-8")
        return None
    except UnicodeEncodeError:
        pass
    raw = text.encode("utf-8", "surrogateescape")
    i, n = 0, len(raw)
    while i < n:
        octet = raw[i]
        if octet & 0x80 == 0:
            width = 1
        elif octet & 0xE0 == 0xC0:
            width = 2
        elif octet & 0xF0 == 0xE0:
            width = 3
        elif octet & 0xF8 == 0xF0:
            width = 4
        else:
            return "invalid leading UTF-8 octet"
        if width > n - i:
            return "incomplete UTF-8 octet sequence"
        value = octet & _UTF8_LEAD_MASK[width - 1]
        for k in range(1, width):
            octet = raw[i + k]
            if octet & 0xC0 != 0x80:
                return "invalid trailing UTF-8 octet"
            value = (value << 6) + (octet & 0x3F)
        if not (width == 1 or width == 2 and value >= 0x80 or width == 3 and value >= 0x800 or value >= 0x10000):
            return "invalid length of a UTF-8 sequence"
        if 0xD800 <= value <= 0xDFFF or value > 0x10FFFF:
            return "invalid Unicode character"
        if not (value in (0x09, 0x0A, 0x0D, 0x85) or 0x20 <= value <= 0x7E or 0xA0 <= value <= 0xD7FF
                or 0xE000 <= value <= 0xFFFD or 0x10000 <= value <= 0x10FFFF):  # fmt: skip
            return "control characters are not allowed"
        i += width
    return None


# --- public entry points ---------------------------------------------------------------------


def decode_goyaml(text: str, strict: bool = False) -> Any:
    """goyaml.v2 Unmarshal of the first document into interface{} (map keys are _key pairs)."""
    try:
        problem = reader_problem(text)
        if problem is not None:
            raise _Fail(problem)
        root = _parse_first_document(text)
        if root is None:
            return None
        d = _Decoder(strict)
        value = d.unmarshal(root)
        if d.terrors:
            raise GoYAMLError("yaml: unmarshal errors:\n  " + "\n  ".join(d.terrors))
        return value
    except _Fail as f:
        raise GoYAMLError("yaml: " + f.msg, f.line) from None
    except RecursionError:
        raise GoYAMLError("yaml: exceeded max depth") from None


def yaml_to_json_value(text: str, strict: bool = False, target: Target | None = None) -> Any:
    """sigs.k8s.io/yaml's YAML->JSON->Go leg for an interface{} (or `target`) destination.

    Most documents (values files, Chart.yaml, what templates pass to fromYaml) go through
    `_fast_json_value`, straight from parser events to JSON values; whatever it does not cover
    (and every error) takes `full_yaml_to_json_value`, the goyaml.v2 port."""
    if reader_problem(text) is None:
        value = _fast_json_value(text, strict, target)
        if value is not _FALLBACK:
            return value
    return full_yaml_to_json_value(text, strict, target)


def full_yaml_to_json_value(text: str, strict: bool = False, target: Target | None = None) -> Any:
    """yaml_to_json_value through goyaml.v2's stages (node tree, decoder, JSON leg): every
    document, aliases, merge keys, tags and errors included."""
    try:
        obj = decode_goyaml(text, strict)
        return to_json_value(obj, target)
    except GoYAMLError as e:
        raise GoYAMLError("error converting YAML to JSON: " + e.message, e.line) from None
    except _JSONError as e:
        raise GoYAMLError("error converting YAML to JSON: " + str(e)) from None


# --- the fused path: parser events -> JSON values ------------------------------------------

_FALLBACK: Any = object()  # _fast_json_value's "take the full path"
_NO_KEY: Any = object()  # a mapping frame waiting for its next key
_MISS: Any = object()  # not in _RESOLVED
# Deeper documents take the full path, which reports Python's recursion limit as go-yaml's
# `exceeded max depth`; the fused path is iterative and would not.
_MAX_FAST_DEPTH = 64


def _fast_json_value(text: str, strict: bool, target: Target | None) -> Any:
    """What full_yaml_to_json_value returns for `text`, built from the parser's events in one
    pass, or _FALLBACK. Covered: the first document's maps, lists and untagged scalars, with
    string keys (anchors are ignored: only aliases use them). Anything else takes the full path
    rather than being reproduced here: aliases, tags, `<<` merge keys, keys that are not
    strings (JSON keys of different Go keys may collide), collections as keys, duplicate keys
    in strict mode, NaN/Inf values (json.Marshal's errors), depth past _MAX_FAST_DEPTH, and
    every syntax error. The full path then gives the result, or the error, exactly."""
    parser: Any = _Loader(text or "\n")
    get_event = parser.get_event
    # The container being filled, whether it is a map, its pending key and its decode target;
    # the enclosing ones are saved on `stack`.
    stack: list[tuple[Any, bool, Any, Target | None]] = []
    cur: Any = None
    cur_is_map = False
    key: Any = _NO_KEY
    cur_target = target
    root: Any = None
    try:
        while True:
            ev = get_event()
            cls = type(ev)
            if cls is _SCALAR_EVENT:
                if ev.tag is not None:
                    return _FALLBACK
                value: Any = ev.value
                plain = ev.implicit[0]
                # As _Decoder.scalar: quoted, block, or plain not starting like a number, bool,
                # null or `.inf` is a string; timestamps stay strings.
                if plain and (not value or value[0] in _RESOLVE_START):
                    resolved = _RESOLVED.get(value, _MISS)
                    if resolved is _MISS:
                        resolved = _resolve_plain(value)
                    value = resolved
                if cur_is_map and key is _NO_KEY:
                    if type(value) is not str or (plain and value == "<<") or (strict and value in cur):
                        return _FALLBACK
                    key = value
                    continue
                # The root's target is `target`; a child's, as to_json_value passes it down.
                t = cur_target if cur_target is None or cur is None else _child_target(cur_target, cur_is_map, key)
                vt = type(value)
                if vt is str or value is None:
                    pass
                elif t is STRING:
                    value = _coerce_to_string(value)
                elif vt is bool:
                    pass
                elif vt is float:
                    if value != value or value in (_INF, _NEG_INF):
                        return _FALLBACK
                else:  # int or Uint64Value: JSON numbers are float64
                    value = float(value)
                if cur_is_map:
                    cur[key] = value
                    key = _NO_KEY
                elif cur is not None:
                    cur.append(value)
                else:
                    root = value
            elif cls is _MAPPING_START or cls is _SEQUENCE_START:
                if ev.tag is not None or (cur_is_map and key is _NO_KEY):
                    return _FALLBACK
                new: Any = {} if cls is _MAPPING_START else []
                # The root's target is `target`; a child's, as to_json_value passes it down.
                t = cur_target if cur_target is None or cur is None else _child_target(cur_target, cur_is_map, key)
                if cur_is_map:
                    cur[key] = new
                elif cur is not None:
                    cur.append(new)
                else:
                    root = new
                stack.append((cur, cur_is_map, key, cur_target))
                if len(stack) > _MAX_FAST_DEPTH:
                    return _FALLBACK
                cur, cur_is_map, key, cur_target = new, cls is _MAPPING_START, _NO_KEY, t
            elif cls in _COLLECTION_END:
                cur, cur_is_map, key, cur_target = stack.pop()
                key = _NO_KEY
            elif cls is _ALIAS_EVENT:
                return _FALLBACK
            elif cls is _DOCUMENT_END or cls is _STREAM_END or ev is None:
                return root
    except yaml.YAMLError:
        return _FALLBACK
    finally:
        parser.dispose()


_INF = float("inf")
_NEG_INF = float("-inf")
# Plain scalars already resolved (`true`, `80`, `nodeSelector`, ...): resolve is a pure function
# of the text and its results are immutable. Bounded: cleared when full.
_RESOLVED: dict[str, Any] = {}
_RESOLVED_MAX = 4096


def forget() -> None:
    """Drop the remembered resolutions (goyaml.forget)."""
    _RESOLVED.clear()


def _resolve_plain(value: str) -> Any:
    """resolve() of an untagged plain scalar, remembered in _RESOLVED (timestamps stay
    strings: resolve returns the text for them, as _Decoder.scalar keeps it)."""
    resolved = plain_value(value)
    if len(value) <= 64:
        if len(_RESOLVED) >= _RESOLVED_MAX:
            _RESOLVED.clear()
        _RESOLVED[value] = resolved
    return resolved


def _child_target(t: Target, in_map: bool, key: str) -> Target | None:
    """to_json_value's target for a value of map key `key` or of a list element."""
    if in_map:
        return _field_target(t, key)
    return t.elem if isinstance(t, SliceOf) else None


def json_kind(v: Any) -> str:
    """The JSON value kind encoding/json names in UnmarshalTypeError."""
    if isinstance(v, bool):
        return "bool"
    if isinstance(v, float):
        return "number"
    if isinstance(v, str):
        return "string"
    if isinstance(v, list):
        return "array"
    return "object"


def type_mismatch(v: Any, go_type: str) -> GoYAMLError:
    return GoYAMLError(
        "error unmarshaling JSON: while decoding JSON: json: cannot unmarshal "
        f"{json_kind(v)} into Go value of type {go_type}"
    )

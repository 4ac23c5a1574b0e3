"""YAML documents parsed the way Helm parses them, with the position of every mapping key.

Helm decodes manifests with sigs.k8s.io/yaml, which runs go-yaml v2 (YAML 1.1 as go-yaml
resolves it, not as PyYAML does: `0o17` is an int, `1:30` is a string, timestamps stay
strings). PyYAML only composes the node tree here (libyaml's C parser when available, so
syntax errors carry go-yaml's own wording, go-yaml being a port of libyaml); scalars are
resolved by `go_resolve`, a transcription of go-yaml v2.4.0 `resolve.go`.
"""

from __future__ import annotations

import base64
import math
import re
import struct

from hooklint.documents.gostrconv import INT64_MIN, UINT64_MAX, parse_int
from hooklint.runtime.patterns import lazy_compile
from hooklint.runtime.pyyaml import yaml  # before any `from yaml...`: see hooklint/runtime/pyyaml.py

# isort: split
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode
from yaml.resolver import BaseResolver

TYPE_CHECKING = False  # not `typing`'s: importing typing costs ~3 ms of every run
if TYPE_CHECKING:
    from typing import Any

_PLAIN = "!hooklint-plain"  # marker tag: a plain (unquoted, untagged) scalar, resolved later
_TAG = "tag:yaml.org,2002:"
_STR_TAG, _SEQ_TAG, _MAP_TAG = _TAG + "str", _TAG + "seq", _TAG + "map"
_MAX_DEPTH = 500  # nesting beyond this is hostile input (alias cycles); go-yaml would refuse too

try:  # libyaml: fast, and its error texts are go-yaml's (same C origin)
    from yaml._yaml import CParser as _CParser

    class _Composer(_CParser, BaseResolver):  # type: ignore[misc,valid-type]
        def __init__(self, text: str) -> None:
            _CParser.__init__(self, text)
            BaseResolver.__init__(self)

        def resolve(self, kind: type, value: Any, implicit: Any) -> str:  # noqa: D401
            # _raw_tag inlined: libyaml calls this once per node of every document
            if kind is ScalarNode:
                return _PLAIN if implicit[0] else _STR_TAG
            return _SEQ_TAG if kind is SequenceNode else _MAP_TAG

        # libyaml's composer calls these around every node; no path resolvers are registered here
        def descend_resolver(self, current_node: Any, current_index: Any) -> None:
            pass

        def ascend_resolver(self) -> None:
            pass

    HAVE_LIBYAML = True
except ImportError:  # pragma: no cover - pure-Python fallback
    from yaml.composer import Composer
    from yaml.parser import Parser
    from yaml.reader import Reader
    from yaml.scanner import Scanner

    class _Composer(Reader, Scanner, Parser, Composer, BaseResolver):  # type: ignore[no-redef]
        def __init__(self, text: str) -> None:
            Reader.__init__(self, text)
            Scanner.__init__(self)
            Parser.__init__(self)
            Composer.__init__(self)
            BaseResolver.__init__(self)

        def resolve(self, kind: type, value: Any, implicit: Any) -> str:
            return _raw_tag(kind, implicit)

    HAVE_LIBYAML = False


def _raw_tag(kind: type, implicit: Any) -> str:
    if kind is ScalarNode:
        return _PLAIN if implicit[0] else _STR_TAG
    return _SEQ_TAG if kind is SequenceNode else _MAP_TAG


class YamlSyntaxError(Exception):
    """go-yaml's error text (`yaml: line N: ...`), as sigs.k8s.io/yaml reports it."""


# ---------------------------------------------------------------------------------------------
# Scalars: go-yaml v2 resolve()

_RESOLVE_MAP: dict[str, Any] = {}
for _v, _words in (
    (True, "y Y yes Yes YES true True TRUE on On ON"),
    (False, "n N no No NO false False FALSE off Off OFF"),
    (None, "~ null Null NULL"),
    (math.nan, ".nan .NaN .NAN"),
    (math.inf, ".inf .Inf .INF +.inf +.Inf +.INF"),
    (-math.inf, "-.inf -.Inf -.INF"),
):
    for _w in _words.split():
        _RESOLVE_MAP[_w] = _v
_RESOLVE_MAP[""] = None

# Compiled on first use (hooklint/runtime/patterns.py): only plain scalars that look like
# floats or timestamps reach these.
_YAML_STYLE_FLOAT = lazy_compile(r"[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?\Z")
_TIMESTAMP_FORMATS = (
    lazy_compile(r"\d{4}-\d{1,2}-\d{1,2}[Tt]\d{1,2}:\d{2}:\d{2}(\.\d+)?(Z|[-+]\d{2}:\d{2})?\Z"),
    lazy_compile(r"\d{4}-\d{1,2}-\d{1,2}[ \t]+\d{1,2}:\d{2}:\d{2}(\.\d+)?[ \t]*(Z|[-+]\d{1,2}(:\d{2})?)?\Z"),
    lazy_compile(r"\d{4}-\d{2}-\d{2}\Z"),
)


# The first characters of the plain scalars that may be numbers (or `.inf`/`.nan`): any other
# plain scalar is a word of _RESOLVE_MAP or stays a string (most keys and values of a manifest).
_NUMBER_START = frozenset("+-.0123456789")


def go_resolve(value: str) -> Any:
    """The Go value go-yaml v2 gives a plain scalar when decoding into interface{}."""
    hint = value[:1]
    if hint not in _NUMBER_START:  # "" too: _RESOLVE_MAP has it (null)
        return _RESOLVE_MAP.get(value, value)
    if value in _RESOLVE_MAP:
        return _RESOLVE_MAP[value]
    if hint == ".":
        try:
            return float(value) if _YAML_STYLE_FLOAT.match(value) else _go_float_only(value)
        except ValueError:
            return value
    if hint and (hint in "+-" or hint.isdigit()) and hint.isascii():
        if any(p.match(value) for p in _TIMESTAMP_FORMATS):
            return value  # go-yaml v2 keeps timestamps as strings in interface{}
        plain = value.replace("_", "")
        as_int = parse_int(plain)
        if as_int is not None:
            return as_int
        as_uint = parse_int(plain, signed=False)
        if as_uint is not None:
            return as_uint
        if _YAML_STYLE_FLOAT.match(plain):
            as_float = float(plain)
            return value if math.isinf(as_float) else as_float  # strconv.ParseFloat: ErrRange
        if plain.startswith("0b") and plain[2:] and set(plain[2:]) <= {"0", "1"}:
            v = int(plain[2:], 2)
            return v if v <= UINT64_MAX else value
        if plain.startswith("-0b") and plain[3:] and set(plain[3:]) <= {"0", "1"}:
            v = -int(plain[3:], 2)
            return v if v >= INT64_MIN else value
    return value


def _go_float_only(value: str) -> float:
    # strconv.ParseFloat accepts a little more than the YAML style (e.g. ".5e1"): close enough;
    # anything Python cannot read stays a string via the caller's ValueError.
    return float(value)


def go_format_float32(f: float) -> str:
    """strconv.FormatFloat(f, 'g', -1, 32): how sigs.k8s.io/yaml stringifies a float."""
    if math.isnan(f):
        return "NaN"
    if math.isinf(f):
        return "+Inf" if f > 0 else "-Inf"
    try:
        f32 = struct.unpack("f", struct.pack("f", f))[0]
    except OverflowError:
        return "+Inf" if f > 0 else "-Inf"
    if f32 == 0:
        return "-0" if math.copysign(1.0, f32) < 0 else "0"
    for prec in range(1, 18):
        text = f"{f32:.{prec}e}" if prec > 0 else f"{f32:e}"
        if struct.unpack("f", struct.pack("f", float(text)))[0] == f32:
            break
    mantissa, exp_text = text.split("e")
    exp = int(exp_text)
    digits = mantissa.replace("-", "").replace(".", "").rstrip("0") or "0"
    sign = "-" if f32 < 0 else ""
    eprec = 6  # Go: shortest formatting decides %e vs %f with precision 6
    if exp < -4 or exp >= eprec:
        frac = digits[1:]
        return f"{sign}{digits[0]}{'.' + frac if frac else ''}e{'-' if exp < 0 else '+'}{abs(exp):02d}"
    if exp >= 0:
        whole = digits[: exp + 1].ljust(exp + 1, "0")
        frac = digits[exp + 1 :]
    else:
        whole = "0"
        frac = "0" * (-exp - 1) + digits
    return f"{sign}{whole}{'.' + frac if frac else ''}"


def go_string(value: Any) -> str:
    """sigs.k8s.io/yaml's conversion of a scalar to a string where Go expects a string."""
    if value is None:
        return ""
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return go_format_float32(value)
    return str(value)


# ---------------------------------------------------------------------------------------------
# Composition: node tree -> Python values + key positions


class ParsedYaml:
    """A document's value (dicts with str keys, lists, str/int/float/bool/None) and the character
    offset (in the parsed text) of every mapping key, by dotted path (`metadata.name`,
    `spec.containers.0.image`). `root_offset` is where the document's content starts.

    A plain slotted class (parse_yaml's result, read by manifests.py only): no dataclass to
    generate at start-up."""

    __slots__ = ("value", "key_offsets", "root_offset")

    def __init__(self, value: Any, key_offsets: dict[str, int] | None = None, root_offset: int | None = None) -> None:
        self.value = value
        self.key_offsets: dict[str, int] = {} if key_offsets is None else key_offsets
        self.root_offset = root_offset


def parse_yaml(text: str, key_offsets: bool = True) -> ParsedYaml:
    """Parse one document like go-yaml v2 (last duplicate key wins). Raises YamlSyntaxError.

    `key_offsets=False` leaves `key_offsets` empty for documents without anchors (the caller
    needs no positions; with anchors they are recorded anyway)."""
    if not text.isascii():  # invalid UTF-8 (a template cut a rune): go-yaml's reader refuses it
        from hooklint.gotemplate.yaml_decode import reader_problem

        problem = reader_problem(text)
        if problem is not None:
            raise YamlSyntaxError(f"yaml: {problem}")
    composer = _Composer(text)
    try:
        node = composer.get_single_node()
    except yaml.MarkedYAMLError as e:
        raise YamlSyntaxError(_go_yaml_message(e, text)) from None
    except yaml.YAMLError as e:  # pragma: no cover - unmarked errors
        raise YamlSyntaxError(f"yaml: {e}") from None
    finally:
        dispose = getattr(composer, "dispose", None)
        if dispose is not None:
            dispose()
    out = ParsedYaml(value=None)
    if node is None:
        return out
    out.root_offset = node.start_mark.index
    try:
        if "&" in text:  # an anchor, maybe aliases: go-yaml's alias bookkeeping
            converter = _Converter(out.key_offsets)
            converter.root = node
            out.value = converter.convert(node, "", 0)
        else:  # no anchor, so no alias (libyaml refuses an unknown one): every node is new
            out.value = _convert_plain(node, "" if key_offsets else None, 0, out.key_offsets)
    except RecursionError:  # deep nesting called from deep in the stack: refuse, don't crash
        raise YamlSyntaxError("yaml: exceeded max depth") from None
    return out


def _go_yaml_message(e: yaml.MarkedYAMLError, text: str) -> str:
    """go-yaml's `yaml: line N: problem` (parser.fail in go-yaml v2 decode.go)."""
    problem = e.problem or "unknown problem parsing YAML content"
    if isinstance(e, yaml.composer.ComposerError):
        if problem == "found undefined alias" and e.problem_mark is not None:
            return f"yaml: unknown anchor '{_alias_name(e, text)}' referenced"
        return f"yaml: {problem}"
    line = 0
    if e.problem_mark is not None and e.problem_mark.line != 0:
        line = e.problem_mark.line + (1 if isinstance(e, yaml.scanner.ScannerError) else 0)
    elif e.context_mark is not None and e.context_mark.line != 0:
        line = e.context_mark.line
    where = f"line {line}: " if line else ""
    return f"yaml: {where}{problem}"


def _alias_name(e: yaml.MarkedYAMLError, text: str) -> str:
    mark = e.problem_mark
    if mark is None:
        return ""
    m = re.match(r"\*([^\s,\[\]{}]+)", text[mark.index :])
    return m.group(1) if m else ""


def _allowed_alias_ratio(decode_count: int) -> float:
    """go-yaml v2.4.0 decode.go allowedAliasRatio: the share of decodes that may come from
    alias expansion (99% for small documents, scaling down to 10% for huge ones)."""
    if decode_count <= _ALIAS_RATIO_LOW:
        return 0.99
    if decode_count >= _ALIAS_RATIO_HIGH:
        return 0.10
    return 0.99 - 0.89 * ((decode_count - _ALIAS_RATIO_LOW) / (_ALIAS_RATIO_HIGH - _ALIAS_RATIO_LOW))


_ALIAS_RATIO_LOW = 400_000
_ALIAS_RATIO_HIGH = 4_000_000


class _Converter:
    def __init__(self, key_offsets: dict[str, int]) -> None:
        self.key_offsets = key_offsets
        self.seen: set[int] = set()  # alias targets: positions recorded once only
        # go-yaml's billion-laughs guard (decoder.unmarshal): PyYAML shares an anchored node
        # between its uses, so a re-visited node is an alias expansion.
        self.decode_count = 1  # the document node
        self.alias_count = 0
        self.alias_depth = 0
        self.root: Node | None = None
        self._uses: dict[int, int] | None = None  # node id -> how many parents hold it

    def _is_alias(self, node: Node) -> bool:
        """Inside an alias expansion every node is a re-visit; the aliases among them are the
        nodes held by more than one parent (counted once, on the first nested alias)."""
        if self._uses is None:
            uses: dict[int, int] = {}
            stack = [self.root] if self.root is not None else []
            while stack:
                n = stack.pop()
                children = (
                    n.value if isinstance(n, SequenceNode)
                    else [c for kv in n.value for c in kv] if isinstance(n, MappingNode)
                    else []
                )
                for c in children:
                    uses[id(c)] = uses.get(id(c), 0) + 1
                    if uses[id(c)] == 1:
                        stack.append(c)
            self._uses = uses
        return self._uses.get(id(node), 0) > 1

    def convert(self, node: Node, path: str | None, depth: int) -> Any:
        """`path` None: positions are not recorded below this node (alias re-visits, keys)."""
        if depth > _MAX_DEPTH:
            raise YamlSyntaxError("yaml: exceeded max depth")
        aliased = id(node) in self.seen  # an alias, or inside one
        if aliased:
            if self.alias_depth == 0 or self._is_alias(node):
                self._count()  # go-yaml decodes the alias node, then its target
            self.alias_depth += 1
            path = None
        try:  # one frame per nesting level: deep documents stay within the recursion limit
            self._count()
            self.seen.add(id(node))
            if isinstance(node, ScalarNode):
                return _scalar(node)
            if isinstance(node, SequenceNode):
                items: list[Any] = []
                for i, child in enumerate(node.value):
                    child_path = (f"{path}.{i}" if path else str(i)) if path is not None else None
                    items.append(self.convert(child, child_path, depth + 1))
                return items
            if isinstance(node, MappingNode):
                return self._mapping(node, path, depth)
            return None  # pragma: no cover
        finally:
            if aliased:
                self.alias_depth -= 1

    def _count(self) -> None:
        """go-yaml's per-node bookkeeping at the top of decoder.unmarshal."""
        self.decode_count += 1
        if self.alias_depth > 0:
            self.alias_count += 1
        if (
            self.alias_count > 100
            and self.decode_count > 1000
            and self.alias_count / self.decode_count > _allowed_alias_ratio(self.decode_count)
        ):
            raise YamlSyntaxError("yaml: document contains excessive aliasing")

    def _mapping(self, node: MappingNode, path: str | None, depth: int) -> dict[str, Any]:
        result: dict[str, Any] = {}
        for key_node, value_node in node.value:
            if isinstance(key_node, ScalarNode) and key_node.tag == _PLAIN and key_node.value == "<<":
                self._merge(result, value_node, depth)
                continue
            key = _json_key(self.convert(key_node, None, depth + 1))
            sub = None
            if path is not None:
                sub = f"{path}.{key}" if path else key
                self.key_offsets[sub] = key_node.start_mark.index
            result.pop(key, None)  # last duplicate wins (go-yaml v2 non-strict)
            result[key] = self.convert(value_node, sub, depth + 1)
        return result

    def _merge(self, result: dict[str, Any], value_node: Node, depth: int) -> None:
        sources = value_node.value if isinstance(value_node, SequenceNode) else [value_node]
        for src in sources:
            merged = self.convert(src, None, depth + 1)
            if not isinstance(merged, dict):
                raise YamlSyntaxError("yaml: map merge requires map or sequence of maps as the value")
            result.update(merged)


def _convert_plain(node: Node, path: str | None, depth: int, offsets: dict[str, int]) -> Any:
    """_Converter.convert for a document without anchors (no node is visited twice, so go-yaml's
    alias counting has nothing to count): the same values and key offsets, with less work per node.
    `path` None: no offsets recorded."""
    if depth > _MAX_DEPTH:
        raise YamlSyntaxError("yaml: exceeded max depth")
    cls = type(node)
    if cls is ScalarNode:
        return go_resolve(node.value) if node.tag == _PLAIN else _scalar(node)  # type: ignore[arg-type]
    depth += 1
    # Scalar children (most nodes) are resolved in the loops below rather than by a call each;
    # `inline` is False where a child would be too deep (the call raises go-yaml's error).
    inline = depth <= _MAX_DEPTH
    if cls is SequenceNode:
        items: list[Any] = []
        prefix = f"{path}." if path else ""
        for i, child in enumerate(node.value):
            if inline and type(child) is ScalarNode:
                if child.tag == _PLAIN:
                    raw = child.value
                    items.append(_RESOLVE_MAP.get(raw, raw) if raw[:1] not in _NUMBER_START else go_resolve(raw))
                else:
                    items.append(_scalar(child))  # type: ignore[arg-type]
            else:
                items.append(_convert_plain(child, None if path is None else f"{prefix}{i}", depth, offsets))
        return items
    result: dict[str, Any] = {}
    prefix = f"{path}." if path else ""
    for key_node, value_node in node.value:
        if type(key_node) is ScalarNode and key_node.tag == _PLAIN:
            raw = key_node.value
            if raw == "<<":
                _merge_plain(result, value_node, depth, offsets)
                continue
            key = raw if raw[:1] not in _NUMBER_START and raw not in _RESOLVE_MAP else _json_key(go_resolve(raw))
        else:
            key = _json_key(_convert_plain(key_node, None, depth, offsets))
        sub = None
        if path is not None:
            sub = f"{prefix}{key}"
            offsets[sub] = key_node.start_mark.index
        if key in result:
            del result[key]  # last duplicate wins (go-yaml v2 non-strict), in its place
        if inline and type(value_node) is ScalarNode:
            if value_node.tag == _PLAIN:
                raw = value_node.value
                result[key] = _RESOLVE_MAP.get(raw, raw) if raw[:1] not in _NUMBER_START else go_resolve(raw)
            else:
                result[key] = _scalar(value_node)  # type: ignore[arg-type]
        else:
            result[key] = _convert_plain(value_node, sub, depth, offsets)
    return result


def _merge_plain(result: dict[str, Any], value_node: Node, depth: int, offsets: dict[str, int]) -> None:
    sources = value_node.value if isinstance(value_node, SequenceNode) else [value_node]
    for src in sources:
        merged = _convert_plain(src, None, depth, offsets)
        if not isinstance(merged, dict):
            raise YamlSyntaxError("yaml: map merge requires map or sequence of maps as the value")
        result.update(merged)


def _scalar(node: ScalarNode) -> Any:
    tag = node.tag
    if tag == _PLAIN:
        return go_resolve(node.value)
    if tag == _TAG + "str" or not tag.startswith(_TAG):
        return node.value
    if tag == _TAG + "binary":
        try:
            return base64.b64decode(node.value).decode("utf-8", "replace")
        except ValueError:
            return node.value
    resolved = go_resolve(node.value)
    if tag == _TAG + "float" and isinstance(resolved, int) and not isinstance(resolved, bool):
        return float(resolved)
    return resolved


def _json_key(key: Any) -> str:
    """sigs.k8s.io/yaml turns non-string map keys into strings (ints in decimal, floats as
    float32 'g', booleans as true/false)."""
    if isinstance(key, str):
        return key
    if isinstance(key, (bool, int, float)):
        return go_string(key)
    if key is None:
        return "null"
    raise YamlSyntaxError(f"unsupported map key of type: {type(key).__name__}")

"""Rendered files -> Documents, split and parsed exactly as Helm does, with positions.

Helm's pipeline (v3.17.1 `releaseutil.SortManifests`): skip `*NOTES.txt` (action.renderResources),
partials (`_` basename) and whitespace-only files; walk the remaining template keys in bytewise
order; split each with `SplitManifests`; decode each document into `SimpleHead` through
sigs.k8s.io/yaml. Every mapping key's position is kept and mapped through the renderer's source
map back to the template line that wrote it.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Iterator, Mapping

from hooklint.documents.manifests_yaml import ParsedYaml, YamlSyntaxError, go_string, parse_yaml
from hooklint.documents.source import RenderedFile, Segment, SourcePos, line_col
from hooklint.model import Document
from hooklint.runtime.patterns import lazy_compile

TYPE_CHECKING = False  # not `typing`'s: importing typing costs ~3 ms of every run
if TYPE_CHECKING:
    from typing import Any

# Go's unicode.IsSpace, which strings.TrimSpace uses (Python's isspace() differs: \x1c-\x1f).
_GO_SPACE = frozenset(
    "\t\n\v\f\r \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006"
    "\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000"
)
# releaseutil.sep is `(?:^|\s*\n)---\s*` where Go's \s is [\t\n\f\r ] and ^ is the start of text.
# It is matched by hand (`_separators`): a backtracking regex is quadratic on long whitespace runs,
# Go's RE2 is linear.
_RE_SPACE = frozenset("\t\n\f\r ")

_SIMPLE_HEAD_META_TYPE = (
    'struct { Name string "json:\\"name\\""; Annotations map[string]string "json:\\"annotations\\"" }'
)


def go_trim_span(text: str, start: int, end: int) -> tuple[int, int]:
    """strings.TrimSpace on text[start:end], as offsets."""
    while start < end and text[start] in _GO_SPACE:
        start += 1
    while end > start and text[end - 1] in _GO_SPACE:
        end -= 1
    return start, end


def go_trim_left(text: str, start: int, end: int) -> int:
    """strings.TrimLeftFunc(text[start:end], unicode.IsSpace), as the new start offset."""
    while start < end and text[start] in _GO_SPACE:
        start += 1
    return start


def _separators(text: str, lo: int, hi: int) -> list[tuple[int, int]]:
    r"""Go's `sep.FindAllStringIndex(text[lo:hi], -1)`, as offsets into `text`, in linear time.

    A match is `---` at the window's start (the `^` branch) or right after a newline; Go's
    leftmost-first search starts it as early as it can: at the first character of the run of
    [\t\n\f\r ] before that newline, but not before the previous match's end. Greedy `\s*` then
    takes all whitespace after the `---`."""
    matches: list[tuple[int, int]] = []
    floor = lo  # earliest start allowed (the previous match's end)
    find = lo
    while True:
        q = text.find("---", find, hi)
        if q < 0:
            return matches
        if q == lo:
            start = q
        elif text[q - 1] == "\n" and q - 1 >= floor:
            start = q - 1
            while start > floor and text[start - 1] in _RE_SPACE:
                start -= 1
        else:
            find = q + 1
            continue
        end = q + 3
        while end < hi and text[end] in _RE_SPACE:
            end += 1
        matches.append((start, end))
        floor = find = end


def _go_split(text: str, lo: int, hi: int) -> list[tuple[int, int]]:
    """Go's `sep.Split(text[lo:hi], -1)` pieces, as offsets into `text`."""
    if lo == hi:
        return [(lo, hi)]
    pieces: list[tuple[int, int]] = []
    beg = last = lo
    for start, end in _separators(text, lo, hi):
        last = start
        if end != lo:  # a match ending at the window's start adds no piece
            pieces.append((beg, start))
        beg = end
    if last != hi:
        pieces.append((beg, hi))
    return pieces


def split_manifest_spans(text: str, helm_version: int = 3) -> list[tuple[int, int]]:
    """Offsets (start, end) in `text` of each document SplitManifests keeps, in file order.

    Helm 3.17.1 and 4.1.4 trim the whole text, split it, drop pieces equal to "" and trim each
    other piece (a piece of only \v or \x85 stays, as an empty document). Helm 4.2 only trims on
    the left (the whole text and each piece) and drops every whitespace-only piece, so a
    document keeps its trailing newlines."""
    if helm_version >= 4:
        hi = len(text)
        lo = go_trim_left(text, 0, hi)
        spans = []
        for beg, end in _go_split(text, lo, hi):
            start = go_trim_left(text, beg, end)
            if start < end:
                spans.append((start, end))
        return spans
    lo, hi = go_trim_span(text, 0, len(text))
    return [go_trim_span(text, beg, end) for beg, end in _go_split(text, lo, hi) if beg < end]


def split_manifests(text: str, helm_version: int = 3) -> list[str]:
    """Helm's `releaseutil.SplitManifests`, values in key order (manifest-0, manifest-1, ...)."""
    return [text[s:e] for s, e in split_manifest_spans(text, helm_version)]


def is_rendered_manifest(path: str, text: str) -> bool:
    """Whether Helm turns this rendered template into manifests at all."""
    if path.endswith("NOTES.txt"):  # every *NOTES.txt is removed before sorting
        return False
    if posixpath.basename(path).startswith("_"):  # partials
        return False
    start, end = go_trim_span(text, 0, len(text))
    return start < end


def documents_from_rendered(
    files: dict[str, RenderedFile], key_positions: bool = True, helm_version: int = 3,
    positions: bool = True,
) -> list[Document]:
    """All documents Helm would sort, in Helm's traversal order (file key bytewise, then position).

    `key_positions=False` leaves every `key_pos` empty; `positions=False` also leaves `pos`
    None, except for a document that does not decode (`helm template` output needs no other
    position, so the render's source map is then not made at all);
    `helm_version` 4 splits like Helm 4.2 (documents keep their trailing whitespace)."""
    docs: list[Document] = []
    for path in sorted(files):
        rf = files[path]
        if not is_rendered_manifest(path, rf.text):
            continue
        for index, (start, end) in enumerate(split_manifest_spans(rf.text, helm_version)):
            docs.append(_document(rf, index, start, end, key_positions, positions))
    return docs


def _document(rf: RenderedFile, index: int, start: int, end: int, key_positions: bool = True,
              positions: bool = True) -> Document:
    text = rf.text[start:end]
    doc = Document(path=rf.path, index=index, text=text, pos=position(rf, start) if positions else None)
    try:
        parsed = parse_yaml(text, key_positions)
    except YamlSyntaxError as e:
        doc.parse_error = f"YAML parse error on {rf.path}: error converting YAML to JSON: {e}"
        doc.pos = position(rf, start)
        return doc
    doc.body = parsed.value
    if parsed.root_offset is not None and positions:
        doc.pos = position(rf, start + parsed.root_offset)
    if key_positions:
        doc.key_pos = KeyPositions(rf, start, parsed.key_offsets)
    head, error = decode_simple_head(parsed)
    doc.head = head
    if error is not None:
        doc.parse_error = (
            f"YAML parse error on {rf.path}: error unmarshaling JSON: while decoding JSON: {error}"
        )
        if not positions:
            doc.pos = position(rf, start + (parsed.root_offset or 0))
    return doc


class KeyPositions(Mapping[str, SourcePos]):
    """A document's `key_pos`: the template position of each key, by dotted path, found through
    the source map when asked for. Checks ask for a few keys of each document; finding all of
    them up front was a fifth of a lint's time."""

    __slots__ = ("_rf", "_start", "_offsets", "_found")

    def __init__(self, rf: RenderedFile, start: int, offsets: dict[str, int]) -> None:
        self._rf = rf
        self._start = start  # the document's offset in the rendered file
        self._offsets = offsets  # key path -> offset in the document
        self._found: dict[str, SourcePos] = {}

    def __getitem__(self, key: str) -> SourcePos:
        pos = self._found.get(key)
        if pos is None:
            pos = self._found[key] = position(self._rf, self._start + self._offsets[key])
        return pos

    def __iter__(self) -> Iterator[str]:
        return iter(self._offsets)

    def __len__(self) -> int:
        return len(self._offsets)

    def __repr__(self) -> str:
        return repr(dict(self))


def list_items(doc: Document) -> list[Document]:
    """The objects Helm's kube client builds from a document: the document itself, or, when it
    has an `items` key (whatever its kind: the unstructured decoder takes any such document for a
    list, and the builder flattens lists), one document per item, positioned where the item is
    written. Items without kind and apiVersion get the list's (kind without its `List` suffix)."""
    body = doc.body
    if not isinstance(body, dict) or "items" not in body:
        return [doc]
    entries = body["items"] if isinstance(body["items"], list) else []
    kind, api_version = str(body.get("kind") or ""), body.get("apiVersion")
    out = []
    for i, item in enumerate(entries):
        if not isinstance(item, dict):
            continue
        if not item.get("kind") and not item.get("apiVersion"):
            item = {**item, "kind": kind.removesuffix("List"), "apiVersion": api_version}
        prefix = f"items.{i}."
        key_pos = {key[len(prefix):]: p for key, p in doc.key_pos.items() if key.startswith(prefix)}
        first = next(iter(key_pos.values()), doc.pos)  # the item's first key, in document order
        head, _ = decode_simple_head(ParsedYaml(value=item))
        out.append(Document(path=doc.path, index=doc.index, text=doc.text, body=item, pos=first,
                            key_pos=key_pos, head=head))
    return out


def position(rf: RenderedFile, offset: int) -> SourcePos:
    """Template position of rendered offset `offset` via the source map, else the rendered one.

    A literal segment is the template's own text, so inside it the line (and column) advance with
    the output from the segment's origin. Every byte an action printed (e.g. each line of a
    `toYaml | nindent` output) belongs to the action itself: its position is the action's."""
    seg = rf.segment_at(offset)
    if seg is None:
        return SourcePos(rf.path, rf.line_index(offset) + 1, offset - rf.text.rfind("\n", 0, offset))
    origin = seg.origin
    if not seg.literal:
        return origin
    newlines = rf.line_index(offset) - rf.line_index(seg.out_start)
    if newlines == 0:
        return SourcePos(origin.file, origin.line, origin.column + (offset - seg.out_start))
    return SourcePos(origin.file, origin.line + newlines, offset - rf.text.rfind("\n", 0, offset))


# ---------------------------------------------------------------------------------------------
# SimpleHead: what Helm's classifier sees (encoding/json semantics over sigs.k8s.io/yaml output)


def _json_type(value: Any) -> str:
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, (int, float)):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    return "object"


def _fold_matches(obj: dict[str, Any], name: str) -> list[Any]:
    """Values of keys matching `name` like encoding/json does (exact or case-folded), in the
    order json.Marshal of a Go map emits them (sorted keys): the last one wins."""
    return [obj[k] for k in sorted(obj) if k.lower() == name.lower()]


def decode_simple_head(parsed: ParsedYaml) -> tuple[dict[str, Any] | None, str | None]:
    """Helm's `SimpleHead{apiVersion, kind, metadata *{name, annotations map[string]string}}`.

    Returns (head, error). head: {"apiVersion": str, "kind": str, "metadata": None |
    {"name": str, "annotations": None | dict[str, str]}}; scalars are coerced to strings as
    sigs.k8s.io/yaml does where the Go field is a string. error: encoding/json's first error."""
    value = parsed.value
    head: dict[str, Any] = {"apiVersion": "", "kind": "", "metadata": None}
    if value is None:
        return head, None
    if not isinstance(value, dict):
        return (
            None,
            f"json: cannot unmarshal {_json_type(value)} into Go value of type releaseutil.SimpleHead",
        )
    errors: list[str] = []

    def string_field(v: Any, where: str) -> str | None:
        if isinstance(v, (list, dict)):
            errors.append(
                f"json: cannot unmarshal {_json_type(v)} into Go struct field {where} of type string"
            )
            return None
        return go_string(v)

    for key in sorted(value):
        low = key.lower()
        v = value[key]
        if low in ("apiversion", "kind"):
            field_name = "apiVersion" if low == "apiversion" else "kind"
            if v is not None:
                s = string_field(v, f"SimpleHead.{field_name}")
                if s is not None:
                    head[field_name] = s
        elif low == "metadata":
            if v is None:
                continue  # null leaves the pointer as it is
            if not isinstance(v, dict):
                errors.append(
                    f"json: cannot unmarshal {_json_type(v)} into Go struct field SimpleHead.metadata "
                    f"of type {_SIMPLE_HEAD_META_TYPE}"
                )
                continue
            meta = head["metadata"] if head["metadata"] is not None else {"name": "", "annotations": None}
            head["metadata"] = meta
            _decode_metadata(v, meta, errors, string_field)
    return head, (errors[0] if errors else None)


def _decode_metadata(v: dict[str, Any], meta: dict[str, Any], errors: list[str], string_field: Any) -> None:
    for key in sorted(v):
        low = key.lower()
        item = v[key]
        if low == "name":
            if item is not None:
                s = string_field(item, ".metadata.name")
                if s is not None:
                    meta["name"] = s
        elif low == "annotations":
            if item is None:
                meta["annotations"] = None
                continue
            if not isinstance(item, dict):
                errors.append(
                    f"json: cannot unmarshal {_json_type(item)} into Go struct field "
                    ".metadata.annotations of type map[string]string"
                )
                continue
            ann = meta["annotations"] if meta["annotations"] is not None else {}
            meta["annotations"] = ann
            for ak in sorted(item):
                s = string_field(item[ak], ".metadata.annotations")
                if s is not None:
                    ann[ak] = s


# ---------------------------------------------------------------------------------------------
# `helm template` output

# The whole line, trailing blanks stripped in code (`(.+?)[ \t]*$` is quadratic on a long run).
_SOURCE_HEADER = lazy_compile(r"^# Source: (.+)$", re.M)


def _source_name(line: str) -> str:
    """The name a `# Source:` line gives: without trailing spaces and tabs, at least one character."""
    return line.rstrip(" \t") or line[0]


def documents_from_helm_output(text: str, name: str = "-") -> dict[str, RenderedFile]:
    """Rebuild Helm's rendered files from `helm template` stdout using its `# Source:` comments.

    Each document goes back under its template key (hooks are printed after the manifests, so a
    key may appear twice; the pieces are joined with `---`). Positions map to lines of the
    input named `name` ("-" is shown as <stdin>)."""
    display = "<stdin>" if name == "-" else name
    pieces: dict[str, list[tuple[int, int]]] = {}
    headers = list(_SOURCE_HEADER.finditer(text))
    for i, m in enumerate(headers):
        body_start = m.end() + 1 if m.end() < len(text) and text[m.end()] == "\n" else m.end()
        body_end = headers[i + 1].start() if i + 1 < len(headers) else len(text)
        # the next document's `---` separator belongs to the next document
        chunk = text[body_start:body_end]
        cut = re.search(r"(?:\A|\n)---[ \t]*\n?\Z", chunk)
        if cut is not None:
            body_end = body_start + cut.start()
        pieces.setdefault(_source_name(m.group(1)), []).append((body_start, body_end))
    if not headers and text.strip():  # plain YAML without `# Source:` comments: one file
        return {display: RenderedFile(path=display, text=text)}
    files: dict[str, RenderedFile] = {}
    for path, spans in pieces.items():
        out: list[str] = []
        segments: list[Segment] = []
        pos = 0
        for s, e in spans:
            if out:
                out.append("\n---\n")
                pos += 5
            line, col = line_col(text, s)
            segments.append(Segment(pos, pos + (e - s), SourcePos(display, line, col)))
            out.append(text[s:e])
            pos += e - s
        kept = [sg for sg in segments if sg.out_end > sg.out_start]
        files[path] = RenderedFile(path=path, text="".join(out), segments=kept)
    return files

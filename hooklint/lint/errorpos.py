"""Where a render-time failure is, in the chart's own files.

Helm reports YAML errors of a rendered document relative to that document (`yaml: line 5: ...`)
and decoding errors by Go field (`Go struct field .metadata.annotations of type string`); values
and Chart.yaml errors by file and line. A finding is only useful at the template (or values) line
the user wrote, so these map Helm's wording back through the render's source map.
"""

from __future__ import annotations

from hooklint.documents.source import RenderedFile, SourcePos
from hooklint.model import Document
from hooklint.runtime.patterns import lazy_compile

_YAML_LINE = lazy_compile(r"\byaml: line (\d+):")
# `cannot unmarshal X into Go struct field <Type>.<json path> of type T`
_GO_FIELD = lazy_compile(r"Go struct field [A-Za-z]*\.([A-Za-z.]+) of type")
_FILE_LOAD = lazy_compile(r"cannot load (values\.yaml|Chart\.yaml|requirements\.yaml|Chart\.lock)\b")
_VALUES_FILE = lazy_compile(r"failed to parse (\S+?): ")


def document_error_pos(doc: Document, rf: RenderedFile | None) -> SourcePos | None:
    """The template position of the part of `doc` that Helm's parse error names, if it can be found."""
    err = doc.parse_error or ""
    m = _YAML_LINE.search(err)
    if m is not None and rf is not None:
        return _document_line(doc, rf, int(m.group(1)))
    f = _GO_FIELD.search(err)
    if f is not None:
        return _field_pos(doc, f.group(1).lower().split("."))
    return None


def _document_line(doc: Document, rf: RenderedFile, line: int) -> SourcePos | None:
    from hooklint.documents.manifests import position, split_manifest_spans

    spans = split_manifest_spans(rf.text)
    if not 0 <= doc.index < len(spans):
        return None
    start, end = spans[doc.index]
    offset = start
    for _ in range(line - 1):
        nl = rf.text.find("\n", offset, end)
        if nl < 0:
            return None
        offset = nl + 1
    # The first non-blank character of that line: where the user looks for the mistake.
    while offset < end and rf.text[offset] in " \t":
        offset += 1
    return position(rf, offset)


def _field_pos(doc: Document, path: list[str]) -> SourcePos | None:
    """The first key under `path` (e.g. metadata.annotations) whose value is not what Helm expects."""
    body = doc.body if isinstance(doc.body, dict) else {}
    keys: list[str] = []
    node: object = body
    for step in path:
        match = next((k for k in node if isinstance(k, str) and k.lower() == step), None) \
            if isinstance(node, dict) else None
        if match is None:
            break
        keys.append(match)
        node = node[match]  # type: ignore[index]
    if isinstance(node, dict):  # a map of strings (annotations): the first non-scalar entry
        bad = next((k for k, v in node.items() if isinstance(v, (dict, list))), None)
        if bad is not None:
            keys.append(str(bad))
    while keys:
        p = doc.key_pos.get(".".join(keys))
        if p is not None:
            return p
        keys.pop()
    return None


def load_error_pos(message: str) -> SourcePos | None:
    """values.yaml / Chart.yaml / `-f` values file load errors: the file (as Helm names it: chart
    files relative to the chart, `-f` files as given), at the YAML line Helm names (else line 1)."""
    m = _FILE_LOAD.search(message) or _VALUES_FILE.search(message)
    if m is None:
        return None
    line = _YAML_LINE.search(message)
    return SourcePos(m.group(1), int(line.group(1)) if line else 1, 1)

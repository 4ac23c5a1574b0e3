"""Suppressions: object annotations, template comments, and config path globs.

* `ignore-check.hooklint.io/HL101: "reason"` on an object silences HL101 for that object.
* `{{/* hooklint: disable=HL101,hook-never-cleaned reason */}}` in a template silences those rules
  on the comment's line and the next line; `disable-file=` silences them in the whole file. Go
  template comments are removed by rendering, so they are read from the template source.
* `per-path-ignores` in the configuration (for vendored subcharts).

A suppression of an enabled rule that silenced nothing is reported as HL002 (unused-suppression).
The classes are plain, not dataclasses: nothing compares them, and generating a dataclass's
methods costs start-up time on every lint.
"""

from __future__ import annotations

import re
from pathlib import Path

from hooklint.documents.source import SourcePos
from hooklint.model import Document

ANNOTATION_PREFIX = "ignore-check.hooklint.io/"
# Compiled on first use (re's cache): only templates holding `hooklint:` are searched, and
# compiling at import would cost every lint run.
_COMMENT = (
    r"\{\{-?\s*/\*\s*hooklint:\s*(disable|disable-file)\s*=\s*([A-Za-z0-9_-]+(?:\s*,\s*[A-Za-z0-9_-]+)*)[^*]*\*/"
)


class Suppression:
    """One suppression as written (annotation, comment or file comment) and whether it was used."""

    __slots__ = ("kind", "rule_key", "pos", "doc", "rule_id", "used", "reason")

    def __init__(self, kind: str, rule_key: str, pos: SourcePos, doc: tuple[str, int] | None = None,
                 rule_id: str | None = None, used: bool = False, reason: str = "") -> None:
        self.kind = kind  # "annotation" | "comment" | "file-comment"
        self.rule_key = rule_key  # as written (id or name)
        self.pos = pos  # where it is written (chart-relative)
        self.doc = doc  # annotation: the object it is on
        self.rule_id = rule_id  # resolved id, None if unknown
        self.used = used
        self.reason = reason


class Suppressions:
    """The suppressions of one chart."""

    __slots__ = ("items",)

    def __init__(self, items: list[Suppression] | None = None) -> None:
        self.items: list[Suppression] = [] if items is None else items

    def match(self, rule_id: str, file: str, line: int, doc: tuple[str, int] | None) -> Suppression | None:
        for s in self.items:
            if s.rule_id != rule_id:
                continue
            if s.kind == "annotation" and doc is not None and s.doc == doc:
                return s
            if s.kind == "comment" and s.pos.file == file and line in (s.pos.line, s.pos.line + 1):
                return s
            if s.kind == "file-comment" and s.pos.file == file:
                return s
        return None


def from_documents(docs: list[Document], pos_of: object) -> list[Suppression]:
    """Annotation suppressions; `pos_of(doc, *path)` gives chart-relative positions."""
    out: list[Suppression] = []
    for doc in docs:
        for key, value in doc.annotations.items():
            if isinstance(key, str) and key.startswith(ANNOTATION_PREFIX):
                pos = pos_of(doc, "metadata", "annotations", key)  # type: ignore[operator]
                out.append(Suppression("annotation", key[len(ANNOTATION_PREFIX):], pos,
                                       doc=(doc.path, doc.index), reason=str(value or "")))
    return out


def from_templates(chart_dir: Path) -> list[Suppression]:
    """Comment suppressions in the chart's templates (subcharts included)."""
    out: list[Suppression] = []
    for tdir in [chart_dir / "templates", *sorted((chart_dir / "charts").glob("*/templates"))]:
        if not tdir.is_dir():
            continue
        for p in sorted(tdir.rglob("*")):
            if p.suffix not in (".yaml", ".yml", ".tpl", ".txt", "") or not p.is_file():
                continue
            try:
                with open(p, "rb") as fh:
                    data = fh.read()
            except OSError:
                continue
            # Most templates hold no suppression: test the bytes before decoding them (the marker's
            # ASCII bytes decode as themselves). splitlines() below breaks at \r\n and \r as the
            # text mode's newline translation did.
            if b"hooklint:" not in data:
                continue
            text = data.decode("utf-8", "replace")
            rel = p.relative_to(chart_dir).as_posix()
            for i, line in enumerate(text.splitlines(), 1):
                for m in re.finditer(_COMMENT, line):
                    kind = "comment" if m.group(1) == "disable" else "file-comment"
                    for key in re.split(r"[,\s]+", m.group(2).strip()):
                        if key:
                            out.append(Suppression(kind, key, SourcePos(rel, i, m.start() + 1)))
    return out

"""The Finding: one positioned problem reported by a rule."""

from __future__ import annotations

from hooklint.documents.source import SourcePos
from hooklint.model import ObjectRef
from hooklint.runtime.records import Record

TYPE_CHECKING = False  # not `typing`'s: importing typing costs ~3 ms of every run
if TYPE_CHECKING:
    from typing import Any

SEVERITIES = ("error", "warning", "info")
SEVERITY_RANK = {"info": 0, "warning": 1, "error": 2}


class Related(Record):
    """A second location that explains a finding (e.g. the values.yaml line a value came from).
    Not frozen (nothing hashes it)."""

    _fields = ("pos", "message")

    def __init__(self, pos: SourcePos, message: str) -> None:
        self.pos = pos
        self.message = message


class Finding(Record):
    """A problem found by rule `rule`.

    `pos.file` is relative to the chart root (`templates/job.yaml`, `values.yaml`); the chart root
    itself is `chart_dir` (relative to the current directory when the user gave a relative path),
    so reporters can print paths relative to where the user ran hooklint.
    """

    _fields = ("rule", "name", "severity", "message", "pos", "obj", "event", "related", "chart_dir",
               "suppressed_by", "extra")

    def __init__(self, rule: str, name: str, severity: str, message: str, pos: SourcePos | None,
                 obj: ObjectRef | None = None, event: str | None = None, related: tuple[Related, ...] = (),
                 chart_dir: str = ".", suppressed_by: str | None = None, extra: dict[str, Any] | None = None) -> None:
        self.rule = rule
        self.name = name
        self.severity = severity
        self.message = message
        self.pos = pos
        self.obj = obj
        self.event = event
        self.related = related
        self.chart_dir = chart_dir
        # Filled by the engine when an annotation/comment/config entry suppressed this finding.
        self.suppressed_by = suppressed_by
        self.extra: dict[str, Any] = {} if extra is None else extra

    @property
    def file(self) -> str:
        """The file path as the user sees it (relative to the current directory)."""
        if self.pos is None:
            return _join(self.chart_dir, "Chart.yaml")
        return _join(self.chart_dir, self.pos.file)

    @property
    def line(self) -> int:
        return self.pos.line if self.pos else 1

    @property
    def column(self) -> int:
        return self.pos.column if self.pos else 1

    def sort_key(self) -> tuple[Any, ...]:
        o = self.obj
        return (
            self.file,
            self.line,
            self.column,
            self.rule,
            self.event or "",
            (o.kind, o.namespace or "", o.name) if o else ("", "", ""),
            self.message,
        )

    def fingerprint(self) -> str:
        """Stable across runs and line moves: rule, file, object identity, event, message."""
        import hashlib  # only the machine-readable formats need fingerprints

        o = self.obj
        ident = f"{o.kind}/{o.namespace or ''}/{o.name}" if o else f"{self.line}"
        raw = "\x1f".join((self.rule, self.file, ident, self.event or "", self.message))
        return hashlib.sha256(raw.encode("utf-8")).hexdigest()[:32]

    def to_dict(self) -> dict[str, Any]:
        """The JSON contract (schema_version 1)."""
        d: dict[str, Any] = {
            "rule": self.rule,
            "name": self.name,
            "severity": self.severity,
            "message": self.message,
            "location": {"file": self.file, "line": self.line, "column": self.column},
            "object": self.obj.to_dict() if self.obj else None,
            "event": self.event,
            "fingerprint": self.fingerprint(),
        }
        if self.related:
            d["related"] = [
                {"file": _join(self.chart_dir, r.pos.file), "line": r.pos.line, "column": r.pos.column,
                 "message": r.message}
                for r in self.related
            ]
        return d


def _join(chart_dir: str, rel: str) -> str:
    if chart_dir in ("", "."):
        return rel
    joined = f"{chart_dir.rstrip('/')}/{rel}"
    if ".." in rel.split("/"):  # a file outside the chart (a -f values file): the short path to it
        import posixpath

        return posixpath.normpath(joined)
    return joined

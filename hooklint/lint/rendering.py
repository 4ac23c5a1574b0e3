"""Rendering for lint: the built-in renderer behind one small function, so tests (and a future
`--renderer helm`) can plug in another. Render failures become an outcome, not an exception: lint
reports them as findings (HL000)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path

from hooklint.source import RenderedFile, Segment, SourcePos


@dataclass
class RenderRequest:
    chart_dir: Path
    values_files: list[Path] = field(default_factory=list)
    release_name: str = "release-name"
    namespace: str = "default"
    is_upgrade: bool = False
    helm_version: int = 3  # render like Helm 3.17.1 (3) or Helm 4.2.3 (4)


@dataclass
class RenderOutcome:
    files: dict[str, RenderedFile] | None = None
    error: str | None = None
    error_pos: SourcePos | None = None
    chart_name: str = ""
    # Rendered, but a check Helm makes could not be made offline (a remote schema): what was skipped.
    caveat: str | None = None


Renderer = Callable[[RenderRequest], RenderOutcome]


class IndexedRenderedFile(RenderedFile):
    """A RenderedFile whose `origin_at` bisects a start index built once.

    RenderedFile.origin_at rebuilds the list of segment starts on every call, and building the
    documents asks it once per key of every document (thousands of calls per chart): that was most
    of lint's own time on public charts. Same answers, one index."""

    _starts: list[int] | None = None

    def origin_at(self, offset: int) -> SourcePos | None:
        import bisect

        if not self.segments:
            return None
        if self._starts is None or len(self._starts) != len(self.segments):
            self._starts = [seg.out_start for seg in self.segments]
        i = bisect.bisect_right(self._starts, offset) - 1
        if i < 0:
            return None
        seg = self.segments[i]
        return seg.origin if offset < seg.out_end else None


def indexed(files: dict[str, RenderedFile]) -> dict[str, RenderedFile]:
    """The rendered files with a source map that answers position lookups cheaply."""
    return {k: IndexedRenderedFile(rf.path, rf.text, _split_literals(rf)) for k, rf in files.items()}


# Lines per piece of a literal segment. A position inside a literal segment counts the newlines from
# the segment's start; a CRD written as literal template text is one segment of thousands of lines,
# looked up once per key: quadratic. Cut into pieces, each starting at a line start whose template
# position is known, the map gives the same answers with bounded counting.
_LITERAL_PIECE_LINES = 32


def _split_literals(rf: RenderedFile) -> list[Segment]:
    out: list[Segment] = []
    text = rf.text
    for seg in rf.segments:
        if not seg.literal or text.count("\n", seg.out_start, seg.out_end) <= _LITERAL_PIECE_LINES:
            out.append(seg)
            continue
        start, origin, lines = seg.out_start, seg.origin, 0
        pos = seg.out_start
        while True:
            nl = text.find("\n", pos, seg.out_end)
            if nl < 0:
                break
            lines += 1
            pos = nl + 1
            if lines % _LITERAL_PIECE_LINES == 0 and pos < seg.out_end:
                out.append(Segment(start, pos, origin, True))
                start, origin = pos, SourcePos(seg.origin.file, seg.origin.line + lines, 1)
        out.append(Segment(start, seg.out_end, origin, True))
    return out


def chart_name_of(chart_dir: Path) -> str:
    """`name` from Chart.yaml (the prefix of every template key), else the directory name."""
    import re

    try:
        text = (chart_dir / "Chart.yaml").read_text(encoding="utf-8", errors="replace")
    except OSError:
        return chart_dir.resolve().name
    m = re.search(r"^name:\s*['\"]?([^'\"\s#]+)", text, re.M)
    return m.group(1) if m else chart_dir.resolve().name


def builtin_renderer(req: RenderRequest) -> RenderOutcome:
    """hooklint's own renderer (chart loading, values coalescing, Go templates)."""
    from hooklint.errors import HooklintError

    name = chart_name_of(req.chart_dir)
    try:
        from hooklint.chart import load_chart
        from hooklint.render import RenderOptions, check_installable, render_chart
    except ImportError:
        return RenderOutcome(error="the built-in renderer is not available in this build", chart_name=name)
    try:
        chart = load_chart(str(req.chart_dir))
        if chart.metadata.Type == "library":
            # Helm refuses to install a library chart, but it is never meant to be installed: its
            # templates render only inside the charts that depend on it (and are linted there).
            return RenderOutcome(files={}, chart_name=name)
        check_installable(chart)
        options = RenderOptions(
            release_name=req.release_name,
            namespace=req.namespace,
            is_upgrade=req.is_upgrade,
            helm_version=req.helm_version,
            value_files=tuple(str(v) for v in req.values_files),
        )
        caveat = None
        try:
            files = render_chart(chart, None, options)
        except HooklintError as e:
            if not is_remote_schema_error(e.message):
                raise
            # Helm downloads a remote $ref while validating values; whether that succeeds depends on
            # the network at install time, so lint renders without the schema and says so.
            caveat = e.message
            files = render_chart(chart, None, replace(options, skip_schema_validation=True))
    except HooklintError as e:
        return RenderOutcome(error=e.message, error_pos=e.pos, chart_name=name)
    except RecursionError:
        return RenderOutcome(error="template recursion too deep", chart_name=name)
    return RenderOutcome(files=files, chart_name=name, caveat=caveat)


def is_remote_schema_error(message: str) -> bool:
    """Whether the renderer refused a values.schema.json $ref it would have to download
    (hooklint.chart.schema re-raises RemoteSchemaRef as a ChartError, so only its wording tells)."""
    return "values.schema.json" in message and any(m in message for m in REMOTE_SCHEMA_WORDS)


REMOTE_SCHEMA_WORDS = ("which Helm would fetch", "never fetches remote schemas")

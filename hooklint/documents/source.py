"""Positions and the source map that links rendered output back to template source.

Offsets are kept inside; 1-based line/column appear only at the edges (reports).
SourcePos is a hashable value; segments and rendered files compare by identity (nothing
compares them). SourcePos and Segment are written out rather than dataclasses: creating a
dataclass (its generated methods are compiled from source) costs start-up time on every run.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable

from hooklint.runtime.records import fields_repr


class SourcePos:
    """A 1-based position in a file (template, values file, or rendered document). A value:
    equal and hashing by its fields, treated as immutable; not ordered (nothing sorts positions)."""

    __slots__ = ("file", "line", "column")

    def __init__(self, file: str, line: int, column: int = 1) -> None:
        self.file = file
        self.line = line
        self.column = column

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, SourcePos) or other.__class__ is not self.__class__:
            return NotImplemented
        return (self.file, self.line, self.column) == (other.file, other.line, other.column)

    def __hash__(self) -> int:
        return hash((self.file, self.line, self.column))

    def __repr__(self) -> str:
        return fields_repr(self)

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.column}"


class Segment:
    """Output bytes [out_start, out_end) were written by the template node at `origin`.

    `literal` is True when the bytes are the template's own text (so the n-th output line of the
    segment is the n-th line after `origin`), False when an action printed them (every output
    line, e.g. of `toYaml | nindent`, comes from the action at `origin`).

    Not immutable: the executor creates one per node it runs (a frozen class's __init__ is
    several times slower).
    """

    __slots__ = ("out_start", "out_end", "origin", "literal")

    def __init__(self, out_start: int, out_end: int, origin: SourcePos, literal: bool = True) -> None:
        self.out_start = out_start
        self.out_end = out_end
        self.origin = origin
        self.literal = literal

    def __repr__(self) -> str:
        return fields_repr(self)


class RenderedFile:
    """One rendered template: its text and where each piece of output came from.

    `path` is Helm's template key, e.g. `mychart/templates/job.yaml`.
    `segments` are sorted by `out_start` and do not overlap. A render hands over a function that
    makes them (`make_segments`), called on first use: working out a template position for every
    piece of output was about a twentieth of a small chart's in-process render, and a caller
    that never asks where output came from (Helm's engine never does) should not pay it.
    Position lookups run once per key of every document, so the segment starts and the line
    starts are indexed once, on first use. Compares by identity (nothing compares them).
    """

    __slots__ = ("path", "text", "_segments", "_make_segments", "_segment_starts", "_line_starts")

    def __init__(self, path: str, text: str, segments: list[Segment] | None = None, *,
                 make_segments: Callable[[], list[Segment]] | None = None) -> None:
        self.path = path
        self.text = text
        if segments is None and make_segments is None:
            segments = []  # no source map: a file written without one (a test, a --rendered file)
        self._segments = segments  # None until make_segments has made them
        self._make_segments = make_segments
        self._segment_starts: list[int] | None = None
        self._line_starts: list[int] | None = None

    @property
    def segments(self) -> list[Segment]:
        segments = self._segments
        if segments is None:
            make = self._make_segments
            assert make is not None
            segments = self._segments = make()
            self._make_segments = None  # (and what it kept alive to make them)
        return segments

    def __repr__(self) -> str:
        return fields_repr(self, ("path", "text", "segments"))

    def segment_at(self, offset: int) -> Segment | None:
        """The segment that wrote the output character at `offset`, if any."""
        if not self.segments:
            return None
        starts = self._segment_starts
        if starts is None or len(starts) != len(self.segments):
            starts = self._segment_starts = [s.out_start for s in self.segments]
        i = bisect.bisect_right(starts, offset) - 1
        if i < 0:
            return None
        seg = self.segments[i]
        return seg if offset < seg.out_end else None

    def origin_at(self, offset: int) -> SourcePos | None:
        """The template position that produced the output character at `offset`."""
        seg = self.segment_at(offset)
        return None if seg is None else seg.origin

    def line_index(self, offset: int) -> int:
        """0-based line of output offset `offset`."""
        starts = self._line_starts
        if starts is None:
            starts = [0]
            find = self.text.find
            nl = find("\n")
            while nl >= 0:
                starts.append(nl + 1)
                nl = find("\n", nl + 1)
            self._line_starts = starts
        return bisect.bisect_right(starts, offset) - 1


def line_col(text: str, offset: int) -> tuple[int, int]:
    """1-based (line, column) of byte offset `offset` in `text` (column counts characters)."""
    line = text.count("\n", 0, offset) + 1
    last_nl = text.rfind("\n", 0, offset)
    return line, offset - last_nl

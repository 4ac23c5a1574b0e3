"""Template positions of rendered offsets: the indexed lookups in RenderedFile and
manifests.position answer exactly like a direct scan of the source map and the text."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from hooklint.documents.manifests import position
from hooklint.documents.source import RenderedFile, Segment, SourcePos, line_col

PIECE = st.tuples(st.text(alphabet="ab: -\n", min_size=1, max_size=120), st.booleans(),
                  st.integers(1, 50), st.integers(1, 9))


def reference_position(rf: RenderedFile, offset: int) -> SourcePos:
    """The definition, computed the slow way: scan every segment, count every newline."""
    seg = next((s for s in rf.segments if s.out_start <= offset < s.out_end), None)
    if seg is None:
        line, col = line_col(rf.text, offset)
        return SourcePos(rf.path, line, col)
    if not seg.literal:
        return seg.origin
    newlines = rf.text.count("\n", seg.out_start, offset)
    if newlines == 0:
        return SourcePos(seg.origin.file, seg.origin.line, seg.origin.column + offset - seg.out_start)
    return SourcePos(seg.origin.file, seg.origin.line + newlines, offset - rf.text.rfind("\n", 0, offset))


@settings(max_examples=200, deadline=None)
@given(st.lists(PIECE, min_size=1, max_size=8), st.integers(0, 3))
def test_positions_equal_the_direct_scan(pieces: list[tuple[str, bool, int, int]], gap: int) -> None:
    text, segments, at = "", [], 0
    for chunk, literal, line, col in pieces:
        text += " " * gap  # output no segment covers
        at += gap
        segments.append(Segment(at, at + len(chunk), SourcePos("t.yaml", line, col), literal))
        text += chunk
        at += len(chunk)
    rf = RenderedFile("c/templates/t.yaml", text, segments)
    for offset in range(len(text)):
        assert position(rf, offset) == reference_position(rf, offset)
        seg = rf.segment_at(offset)
        assert (seg.origin if seg else None) == rf.origin_at(offset)


def test_a_long_literal_segment_is_looked_up_in_bounded_time() -> None:
    """A CRD written as literal template text is one segment of thousands of lines, looked up once
    per key: each lookup must not rescan the segment (this took seconds on public charts)."""
    import time

    text = "".join(f"k{i}: v\n" for i in range(20000))
    rf = RenderedFile("c/templates/crd.yaml", text, [Segment(0, len(text), SourcePos("crd.yaml", 1, 1))])
    keys = range(0, 20000, 7)
    offsets = [text.index(f"k{i}:") for i in keys]
    start = time.perf_counter()
    got = [position(rf, o) for o in offsets]
    elapsed = time.perf_counter() - start
    assert got == [SourcePos("crd.yaml", i + 1, 1) for i in keys]
    assert elapsed < 2.0, elapsed

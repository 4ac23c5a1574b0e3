"""The lint-side source-map index answers every position lookup exactly like the render's map."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from hooklint.lint.rendering import indexed
from hooklint.manifests import position
from hooklint.source import RenderedFile, Segment, SourcePos

PIECE = st.tuples(st.text(alphabet="ab: -\n", min_size=1, max_size=120), st.booleans(),
                  st.integers(1, 50), st.integers(1, 9))


@settings(max_examples=200, deadline=None)
@given(st.lists(PIECE, min_size=1, max_size=8), st.integers(0, 3))
def test_positions_unchanged(pieces: list[tuple[str, bool, int, int]], gap: int) -> None:
    text, segments, at = "", [], 0
    for chunk, literal, line, col in pieces:
        text += " " * gap  # output no segment covers
        at += gap
        segments.append(Segment(at, at + len(chunk), SourcePos("t.yaml", line, col), literal))
        text += chunk
        at += len(chunk)
    rf = RenderedFile("c/templates/t.yaml", text, segments)
    fast = indexed({"k": rf})["k"]
    for offset in range(len(text)):
        assert position(fast, offset) == position(rf, offset)

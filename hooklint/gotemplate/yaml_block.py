"""A direct writer for the common shape of goyaml.v2 output: block mappings and sequences of
short scalars and simple literal blocks.

toYaml of large values is a hot path and the emitter state machine (yaml_encode.Emitter)
costs several Python calls per character. This writer walks the same event list recursively
and writes what the emitter would; whenever a value needs any of the emitter's rarer rules
(folding long lines, escapes, complex keys, indentation hints, non-ASCII in quotes, a scalar
or empty collection at the root) it gives up and the caller runs the emitter instead.
tests/gotemplate/test_yaml_block.py checks it against the emitter for arbitrary values.
"""

from __future__ import annotations

import re

from hooklint.gotemplate.yaml_encode import (
    DOUBLE,
    LITERAL,
    MAP_END,
    MAP_START,
    PLAIN,
    SCALAR,
    SEQ_END,
    SEQ_START,
    SINGLE,
    ScalarAnalysis,
)

Event = tuple[int, str, str]
_WIDTH = 80  # best_width: plain and quoted scalars fold at spaces past this column
# Double-quoted text written without escapes: printable ASCII other than `"` and `\`.
_PLAIN_DOUBLE = re.compile(r'[ !#-\[\]-~]*')


def _other_breaks(value: str) -> bool:
    """A literal block's text when the writer handles it has no other line breaks than LF (and
    no leading space or break, which need an indentation hint): is there a CR, NEL, LS or PS?
    Substring tests, not a regex: a class beyond Latin-1 costs ~0.3 ms to compile at start-up."""
    if "\r" in value:
        return True
    return not value.isascii() and ("\x85" in value or "\u2028" in value or "\u2029" in value)


class _GiveUp(Exception):
    """The value needs the full emitter."""


_analyses: dict[str, ScalarAnalysis] = {}


def _analysis(value: str) -> ScalarAnalysis:
    a = _analyses.get(value)
    if a is None:
        if len(_analyses) > 20000:
            _analyses.clear()
        a = _analyses[value] = ScalarAnalysis(value)
    return a


def write_block(events: list[Event]) -> str | None:
    """goyaml.v2's output for `events` (a non-empty root mapping or sequence), or None."""
    if len(events) < 3 or events[0][0] not in (MAP_START, SEQ_START):
        return None
    out: list[str] = []
    try:
        if events[0][0] == MAP_START:
            end = _mapping(events, 1, 0, out, first_inline=False)
        else:
            end = _sequence(events, 1, 0, out, first_inline=False)
    except _GiveUp:
        return None
    if end != len(events):
        return None
    return "".join(out)


def _style(value: str, style: str, simple_key: bool) -> str:
    """Emitter.emit_scalar's choice of style (flow level 0)."""
    a = _analysis(value)
    if simple_key and a.multiline:
        raise _GiveUp  # not a simple key: "? " complex key
    if style == PLAIN and (not a.block_plain or (not value and simple_key)):
        style = SINGLE
    if style == SINGLE and not a.single_quoted:
        style = DOUBLE
    if style == LITERAL and (not a.block or simple_key):
        style = DOUBLE
    return style


def _inline(value: str, style: str, column: int, simple_key: bool) -> str:
    """A plain or quoted scalar starting at `column`, as the emitter writes it."""
    if " " in value and not simple_key and column + len(value) + 2 > _WIDTH:
        raise _GiveUp  # may fold at a space past column 80
    if style == PLAIN:
        return value
    if style == SINGLE:
        if "\n" in value or _other_breaks(value):
            raise _GiveUp
        return "'" + value.replace("'", "''") + "'"
    if not _PLAIN_DOUBLE.fullmatch(value):
        raise _GiveUp  # escapes
    return '"' + value + '"'


def _literal(value: str, indent: int, out: list[str]) -> None:
    """A literal block (" |", chomping indicator, lines at `indent`), ending with a newline."""
    if value[:1] in (" ", "\n") or _other_breaks(value):
        raise _GiveUp  # indentation hint or other line breaks
    if value[-1] != "\n":
        chomp = "-"
    elif len(value) == 1 or value[-2] == "\n":
        chomp = "+"
    else:
        chomp = ""
    out.append(" |" + chomp + "\n")
    pad = " " * indent
    lines = value.split("\n")
    last = len(lines) - 1
    for i, line in enumerate(lines):
        if line:
            out.append(pad + line)
        if i < last:
            out.append("\n")
    if chomp == "-":
        out.append("\n")


def _value(events: list[Event], i: int, indent: int, column: int, out: list[str], in_seq: bool) -> int:
    """Write the value at events[i] after a key's ":" or a sequence's "-" ending at `column`;
    `indent` is the key's (or the dash's) indentation. Returns the next event index."""
    kind, value, style = events[i]
    if kind == SCALAR:
        style = _style(value, style, False)
        if style == LITERAL:
            # the emitter indents a scalar's lines two past its parent
            _literal(value, indent + 2, out)
        else:
            out.append(" " + _inline(value, style, column + 1, False) + "\n")
        return i + 1
    if kind == MAP_START:
        if events[i + 1][0] == MAP_END:
            out.append(" {}\n")
            return i + 2
        if in_seq:
            out.append(" ")
            return _mapping(events, i + 1, indent + 2, out, first_inline=True)
        out.append("\n")
        return _mapping(events, i + 1, indent + 2, out, first_inline=False)
    if kind == SEQ_START:
        if events[i + 1][0] == SEQ_END:
            out.append(" []\n")
            return i + 2
        if in_seq:
            out.append(" ")
            return _sequence(events, i + 1, indent + 2, out, first_inline=True)
        out.append("\n")
        # a sequence under a mapping key is not indented ("indentless")
        return _sequence(events, i + 1, indent, out, first_inline=False)
    raise _GiveUp


def _mapping(events: list[Event], i: int, indent: int, out: list[str], first_inline: bool) -> int:
    pad = " " * indent
    first = True
    while True:
        kind, key, style = events[i]
        if kind == MAP_END:
            return i + 1
        if kind != SCALAR or len(key.encode("utf-8", "surrogatepass")) > 128:
            raise _GiveUp  # complex key ("? ")
        if not (first and first_inline):
            out.append(pad)
        first = False
        text = _inline(key, _style(key, style, True), indent, True)
        out.append(text + ":")
        i = _value(events, i + 1, indent, indent + len(text) + 1, out, in_seq=False)


def _sequence(events: list[Event], i: int, indent: int, out: list[str], first_inline: bool) -> int:
    pad = " " * indent
    first = True
    while True:
        kind = events[i][0]
        if kind == SEQ_END:
            return i + 1
        if not (first and first_inline):
            out.append(pad)
        first = False
        out.append("-")
        i = _value(events, i, indent, indent + 1, out, in_seq=True)

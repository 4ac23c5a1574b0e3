"""toYamlPretty: goyaml.v3's Encoder with SetIndent(2), applied to the Go value directly
(no JSON round trip, so float64 1000000 prints as `1e+06`).

goyaml.v3's emitter differs from v2's in the ways reproduced here: sequences are indented
under their key, no 80-column folding, tabs allowed in literal blocks, indentation aligned
to multiples of the indent, `put_break` owning the indentation flag, and a sorter that keeps
digit runs before letters.

Known difference: Go structs (GoObject) are encoded from their JSON form; goyaml.v3 would
use yaml tags / lowercased field names.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator

from hooklint.gotemplate.gotypes import GoObject
from hooklint.gotemplate.yaml_encode import (
    _BREAKS,
    MAP_END,
    MAP_START,
    PLAIN,
    SCALAR,
    SEQ_END,
    SEQ_START,
    Emitter,
    ScalarAnalysis,
    _string_style,
)
from hooklint.gotemplate.yaml_resolve import format_float

TYPE_CHECKING = False  # not `typing`'s: importing typing costs ~3 ms of every run
if TYPE_CHECKING:
    from typing import Any

Event = tuple[int, str, str]


def _v3_less(a: str, b: str) -> bool:
    """goyaml.v3 keyList.Less for string keys."""
    digits = False
    for i in range(min(len(a), len(b))):
        if a[i] == b[i]:
            digits = a[i].isdigit()
            continue
        al, bl = a[i].isalpha(), b[i].isalpha()
        if al and bl:
            return a[i] < b[i]
        if al or bl:
            return al if digits else bl
        an = bn = 0
        if a[i] == "0" or b[i] == "0":
            j = i - 1
            while j >= 0 and a[j].isdigit():
                if a[j] != "0":
                    an = bn = 1
                    break
                j -= 1
        ai = i
        while ai < len(a) and a[ai].isdigit():
            an = an * 10 + (ord(a[ai]) - 48)
            ai += 1
        bi = i
        while bi < len(b) and b[bi].isdigit():
            bn = bn * 10 + (ord(b[bi]) - 48)
            bi += 1
        if an != bn:
            return an < bn
        if ai != bi:
            return ai < bi
        return a[i] < b[i]
    return len(a) < len(b)


def _cmp(a: str, b: str) -> int:
    return -1 if _v3_less(a, b) else (1 if _v3_less(b, a) else 0)


_key = functools.cmp_to_key(_cmp)


def _scalar_text(v: Any) -> Event | None:
    if v is None:
        return (SCALAR, "null", PLAIN)
    if isinstance(v, bool):
        return (SCALAR, "true" if v else "false", PLAIN)
    if isinstance(v, int):
        return (SCALAR, str(int(v)), PLAIN)
    if isinstance(v, float):
        s = format_float(v, "g")
        return (SCALAR, {"+Inf": ".inf", "-Inf": "-.inf", "NaN": ".nan"}.get(s, s), PLAIN)
    if isinstance(v, str):
        return (SCALAR, str(v), _string_style(v))
    return None


def _events(v: Any) -> Iterator[Event]:
    if isinstance(v, GoObject):
        v = v.go_json()
    if isinstance(v, bytes):
        v = list(v)
    ev = _scalar_text(v)
    if ev is not None:
        yield ev
    elif isinstance(v, dict):
        yield (MAP_START, "", "")
        str_keys = all(isinstance(k, str) for k in v)
        keys = sorted(v, key=_key) if str_keys else sorted(v, key=lambda k: (str(type(k)), k))
        for k in keys:
            yield from _events(k)
            yield from _events(v[k])
        yield (MAP_END, "", "")
    else:
        yield (SEQ_START, "", "")
        for x in v:
            yield from _events(x)
        yield (SEQ_END, "", "")


class _V3Analysis(ScalarAnalysis):
    __slots__ = ()
    tabs_allow_block = True


class V3Emitter(Emitter):
    analysis_class = _V3Analysis
    best_width = (1 << 31) - 1

    def put_break(self) -> None:
        super().put_break()
        self.indention = True

    def write_break(self, c: str) -> None:
        super().write_break(c)
        self.indention = True

    def write_indent(self) -> None:
        indent = max(self.indent, 0)
        if not self.indention or self.column > indent or (self.column == indent and not self.whitespace):
            self.put_break()
        while self.column < indent:
            self.put(" ")
        self.whitespace = True

    def increase_indent(self, flow: bool, indentless: bool) -> None:
        self.indents.append(self.indent)
        if self.indent < 0:
            self.indent = 2 if flow else 0
        elif not indentless:
            if self.states and self.states[-1] == "block_seq":
                self.indent += 2  # the first indent inside a sequence skips the "- "
            else:
                self.indent = 2 * ((self.indent + 2) // 2)

    def _block_seq_first(self, ev: Event) -> None:
        self.increase_indent(False, False)
        self._block_seq(ev)

    def write_plain(self, value: str, allow_breaks: bool) -> None:
        if value and not self.whitespace:
            self.put(" ")
        breaks = False
        for c in value:
            if c == " ":
                self.write(c)
            elif c in _BREAKS:
                if not breaks and c == "\n":
                    self.put_break()
                self.write_break(c)
                breaks = True
            else:
                if breaks:
                    self.write_indent()
                self.write(c)
                self.indention = False
                breaks = False
        if value:
            self.whitespace = False
        self.indention = False


def to_yaml_pretty(v: Any) -> str:
    """Helm's toYamlPretty output before its final-newline trim."""
    return V3Emitter(list(_events(v))).run()

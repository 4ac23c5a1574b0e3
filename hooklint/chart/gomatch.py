"""Go's path/filepath.Match (Unix separator) for .helmignore rules and `--show-only`.

Not a duplicate of `hooklint.render.globmatch`: that one ports gobwas/glob (`.Files.Glob`),
a different Go matcher (`**`, `{a,b}`, `[!a]`, bad patterns match everything) where
filepath.Match has `[^a]`, no `**` or braces, and rejects a bad pattern.
"""

from __future__ import annotations

import re
from functools import lru_cache


class BadPattern(ValueError):
    """filepath.ErrBadPattern."""

    def __init__(self) -> None:
        super().__init__("syntax error in pattern")


@lru_cache(maxsize=512)
def _compile(pattern: str) -> re.Pattern[str]:
    out: list[str] = []
    i, n = 0, len(pattern)
    while i < n:
        c = pattern[i]
        if c == "*":
            out.append("[^/]*")
            i += 1
        elif c == "?":
            out.append("[^/]")
            i += 1
        elif c == "\\":
            if i + 1 >= n:
                raise BadPattern()
            out.append(re.escape(pattern[i + 1]))
            i += 2
        elif c == "[":
            i += 1
            negate = False
            if i < n and pattern[i] == "^":
                negate = True
                i += 1
            ranges: list[str] = []
            first = True
            while True:
                if i >= n:
                    raise BadPattern()
                if pattern[i] == "]" and not first:
                    i += 1
                    break
                first = False
                lo, i = _class_char(pattern, i)
                hi = lo
                if i < n and pattern[i] == "-":
                    hi, i = _class_char(pattern, i + 1)
                    if hi < lo:
                        raise BadPattern()
                ranges.append(re.escape(lo) if lo == hi else f"{re.escape(lo)}-{re.escape(hi)}")
            body = "".join(ranges)
            out.append(f"[^{body}]" if negate else f"[{body}]")  # Go lets a class match "/"
        else:
            out.append(re.escape(c))
            i += 1
    return re.compile("".join(out), re.S)


def _class_char(p: str, i: int) -> tuple[str, int]:
    if i >= len(p) or p[i] in "-]":
        raise BadPattern()
    if p[i] == "\\":
        i += 1
        if i >= len(p):
            raise BadPattern()
    return p[i], i + 1


def match(pattern: str, name: str) -> bool:
    """filepath.Match(pattern, name); raises BadPattern like Go for a malformed pattern."""
    return _compile(pattern).fullmatch(name) is not None


def validate(pattern: str) -> None:
    _compile(pattern)

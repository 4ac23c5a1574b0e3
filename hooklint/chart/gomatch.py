"""Go's path/filepath.Match (Unix separator) for .helmignore rules and `--show-only`.

Not a duplicate of `hooklint.render.globmatch`: that one ports gobwas/glob (`.Files.Glob`),
a different Go matcher (`**`, `{a,b}`, `[!a]`, bad patterns match everything) where
filepath.Match has `[^a]`, no `**` or braces, and rejects a bad pattern.
"""

from __future__ import annotations

import re
from collections.abc import Callable
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
    simple = _simple(pattern)
    if simple is not None:
        return simple(name)
    return _compile(pattern).fullmatch(name) is not None


@lru_cache(maxsize=512)
def _simple(pattern: str) -> Callable[[str], bool] | None:
    """The common .helmignore patterns (`.git`, `*.swp`, `.#*`, `*~`) matched with str methods:
    every chart's .helmignore has a dozen, and compiling each to a regex costs more than the
    matching (start-up time of every run). None for anything else: `?`, classes, escapes, or a
    `*` inside. A `*` matches a run of characters without `/`; the rest is literal, and never
    a bad pattern."""
    if "?" in pattern or "[" in pattern or "\\" in pattern:
        return None
    stars = pattern.count("*")
    if stars == 0:
        return pattern.__eq__
    body = pattern.strip("*")
    if "*" in body or stars > 2 or (stars == 2 and not (pattern[0] == pattern[-1] == "*" and body)):
        return None
    if stars == 2:  # *x*
        if "/" in body:
            return None
        return lambda name: "/" not in name and body in name
    if pattern[0] == "*":  # *x: the part before the suffix has no "/"
        return lambda name: name.endswith(body) and "/" not in name[: len(name) - len(body)]
    return lambda name: name.startswith(body) and "/" not in name[len(body):]  # x*


def validate(pattern: str) -> None:
    if _simple(pattern) is None:
        _compile(pattern)


def matcher(pattern: str) -> Callable[[str], bool]:
    """filepath.Match(pattern, ·) as a one-argument test; raises BadPattern now for a malformed
    pattern. The usual .helmignore rules (`.git`, `*.swp`) are tested with string methods
    (`_simple`): no regular expression to compile at start-up or to run per file."""
    simple = _simple(pattern)
    if simple is not None:
        return simple
    regex = _compile(pattern)
    return lambda name: regex.fullmatch(name) is not None

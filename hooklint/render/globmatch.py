"""github.com/gobwas/glob v0.2.3 with separator '/', as `.Files.Glob` compiles patterns.

`*` matches within one path segment, `**` across segments, `?` one non-separator character,
`[abc]`, `[!abc]`, `[a-z]` classes, `{a,b}` alternatives, `\\` escapes. A pattern that does not
compile falls back to `**` (everything), like Helm.

Not a duplicate of `hooklint.chart.gomatch`: that one ports Go's path/filepath.Match (what
.helmignore and `--show-only` use), whose syntax and bad-pattern errors differ.
"""

from __future__ import annotations

import re
from functools import lru_cache


class _BadGlob(ValueError):
    pass


def _translate(p: str, i: int, in_alt: bool) -> tuple[str, int]:
    out: list[str] = []
    n = len(p)
    while i < n:
        c = p[i]
        if c == "\\":
            if i + 1 >= n:
                raise _BadGlob()
            out.append(re.escape(p[i + 1]))
            i += 2
        elif c == "*":
            if i + 1 < n and p[i + 1] == "*":
                out.append(".*")
                i += 2
            else:
                out.append("[^/]*")
                i += 1
        elif c == "?":
            out.append("[^/]")
            i += 1
        elif c == "[":
            j = p.find("]", i + 1)
            if j < 0:
                raise _BadGlob()
            body = p[i + 1 : j]
            neg = body.startswith("!")
            if neg:
                body = body[1:]
            if not body:
                raise _BadGlob()
            chars = "".join("\\" + ch if ch in "\\^[]" else ch for ch in body)
            out.append(f"[^{chars}]" if neg else f"[{chars}]")
            i = j + 1
        elif c == "{":
            alts: list[str] = []
            i += 1
            while True:
                sub, i = _translate(p, i, True)
                alts.append(sub)
                if i >= n:
                    raise _BadGlob()
                if p[i] == "}":
                    i += 1
                    break
                i += 1  # ","
            out.append("(?:" + "|".join(alts) + ")")
        elif in_alt and c in ",}":
            return "".join(out), i
        else:
            out.append(re.escape(c))
            i += 1
    if in_alt:
        raise _BadGlob()
    return "".join(out), i


@lru_cache(maxsize=256)
def compile_glob(pattern: str) -> re.Pattern[str]:
    try:
        rx, _ = _translate(pattern, 0, False)
    except _BadGlob:
        rx = ".*"
    return re.compile(rx, re.S)


def glob_match(pattern: str, name: str) -> bool:
    return compile_glob(pattern).fullmatch(name) is not None

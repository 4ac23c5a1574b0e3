"""Go's unicode.IsSpace: the White_Space runes. Python's str.isspace also takes the ASCII
separators \\x1c-\\x1f, which Go treats as unprintable controls (bytes.TrimSpace keeps them,
Helm's sanitizeString drops them)."""

from __future__ import annotations

WHITE_SPACE = frozenset(
    "\t\n\v\f\r \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a"
    "\u2028\u2029\u202f\u205f\u3000"
)


_WHITE_SPACE_CHARS = "".join(sorted(WHITE_SPACE))


def is_space(c: str) -> bool:
    """unicode.IsSpace of one rune."""
    return c in WHITE_SPACE


def is_blank(s: str) -> bool:
    """Every rune of `s` is a space (bytes.TrimSpace(s) is empty)."""
    return not s or (s.isspace() and WHITE_SPACE.issuperset(s))


def trim_space(s: str) -> str:
    """strings.TrimSpace: `s` without leading and trailing spaces."""
    return s.strip(_WHITE_SPACE_CHARS)

"""Go's strconv as the project uses it: Unquote/UnquoteChar, ParseInt/ParseUint/ParseFloat.

The template parser reads number literals with these (base 0); Sprig's conversions
(`sprig/conv.py`, cast's string parsing) call the same functions."""

from __future__ import annotations

import re

from hooklint.documents.gostrconv import INT64_MAX, INT64_MIN
from hooklint.runtime.patterns import lazy_compile

INVALID_SYNTAX = "invalid syntax"

_SIMPLE = {"a": 7, "b": 8, "f": 12, "n": 10, "r": 13, "t": 9, "v": 11, "\\": 92}
_HEX = "0123456789abcdefABCDEF"
# A "..." literal's inside whose escapes all stand for one ASCII character (\n, \", \\, ...):
# unquoted by one substitution rather than rune by rune (what templates' messages hold). Not
# with surrogates (bytes that were not UTF-8), which the rune-by-rune path turns into bytes.
_ONE_CHAR_ESCAPES = lazy_compile(r'[^"\\\n\ud800-\udfff]*(?:\\[abfnrtv\\"][^"\\\n\ud800-\udfff]*)*')
_ESCAPE = lazy_compile(r"\\(.)")
_ESCAPED = {c: chr(v) for c, v in _SIMPLE.items()} | {'"': '"'}


class GoSyntaxError(Exception):
    """strconv's ErrSyntax (message "invalid syntax")."""


def unquote_char(s: str, i: int, quote: str) -> tuple[int, bool, int]:
    """strconv.UnquoteChar on s[i:]: (rune value, multibyte, index after it)."""
    c = s[i]
    if c == quote and quote in "'\"":
        raise GoSyntaxError(INVALID_SYNTAX)
    if ord(c) >= 0x80:
        return ord(c), True, i + 1
    if c != "\\":
        return ord(c), False, i + 1
    if len(s) - i <= 1:
        raise GoSyntaxError(INVALID_SYNTAX)
    c = s[i + 1]
    i += 2
    if c in _SIMPLE:
        return _SIMPLE[c], False, i
    if c in "xuU":
        n = {"x": 2, "u": 4, "U": 8}[c]
        digits = s[i:i + n]
        if len(digits) < n or any(d not in _HEX for d in digits):
            raise GoSyntaxError(INVALID_SYNTAX)
        v = int(digits, 16)
        i += n
        if c == "x":
            return v, False, i
        if v > 0x10FFFF or 0xD800 <= v <= 0xDFFF:
            raise GoSyntaxError(INVALID_SYNTAX)
        return v, True, i
    if "0" <= c <= "7":
        digits = s[i:i + 2]
        if len(digits) < 2 or any(d not in "01234567" for d in digits):
            raise GoSyntaxError(INVALID_SYNTAX)
        v = int(c + digits, 8)
        if v > 255:
            raise GoSyntaxError(INVALID_SYNTAX)
        return v, False, i + 2
    if c in "'\"":
        if c != quote:
            raise GoSyntaxError(INVALID_SYNTAX)
        return ord(c), False, i
    raise GoSyntaxError(INVALID_SYNTAX)


def unquote(s: str) -> str:
    """strconv.Unquote for "..." and `...` literals (bytes from \\x/octal escapes that are not
    UTF-8 are kept as surrogate escapes, like the rest of the project's Go strings)."""
    if len(s) < 2 or s[0] != s[-1]:
        raise GoSyntaxError(INVALID_SYNTAX)
    q = s[0]
    body = s[1:-1]
    if q == "`":
        if "`" in body:
            raise GoSyntaxError(INVALID_SYNTAX)
        return body.replace("\r", "") if "\r" in body else body
    if q not in "\"'":
        raise GoSyntaxError(INVALID_SYNTAX)
    if "\n" in body:
        raise GoSyntaxError(INVALID_SYNTAX)
    if "\\" not in body and q not in body:
        if q == '"':
            return body
    elif q == '"' and _ONE_CHAR_ESCAPES.fullmatch(body):
        return _ESCAPE.sub(_unescape, body)
    return _unquote_runes(body, q)


def _unescape(m: re.Match[str]) -> str:
    return _ESCAPED[m.group(1)]


def _unquote_runes(body: str, q: str) -> str:
    """unquote of the inside of a "..." or '...' literal, rune by rune."""
    buf = bytearray()
    i = 0
    while i < len(body):
        v, multibyte, i = unquote_char(body, i, q)
        if v < 0x80 or not multibyte:
            if v < 0x100 and not multibyte:
                buf.append(v)
            else:
                buf.extend(chr(v).encode("utf-8", "surrogateescape"))
        else:
            buf.extend(chr(v).encode("utf-8", "surrogateescape"))
        if q == "'" and i < len(body):
            raise GoSyntaxError(INVALID_SYNTAX)
    return buf.decode("utf-8", "surrogateescape")


def underscore_ok(s: str) -> bool:
    """strconv.underscoreOK: underscores only between digits (or after a base prefix)."""
    saw = "^"
    i = 0
    if s[:1] in ("-", "+"):
        s = s[1:]
    hexa = False
    if len(s) >= 2 and s[0] == "0" and s[1].lower() in "box":
        i = 2
        saw = "0"
        hexa = s[1].lower() == "x"
    while i < len(s):
        ch = s[i]
        if "0" <= ch <= "9" or (hexa and "a" <= ch.lower() <= "f"):
            saw = "0"
        elif ch == "_":
            if saw != "0":
                return False
            saw = "_"
        else:
            if saw == "_":
                return False
            saw = "!"
        i += 1
    return saw != "_"


def parse_uint(s: str) -> int | None:
    """strconv.ParseUint(s, 0, 64), None on any error."""
    if not s:
        return None
    s0 = s
    base = 10
    if s[0] == "0":
        low = s[1:2].lower()
        if len(s) >= 3 and low in "box" and low:
            base = {"b": 2, "o": 8, "x": 16}[low]
            s = s[2:]
        else:
            base = 8
            s = s[1:]
    n = 0
    underscores = False
    for ch in s:
        if ch == "_":
            underscores = True
            continue
        d = int(ch, 36) if ch.isascii() and ch.isalnum() else 99
        if d >= base:
            return None
        n = n * base + d
        if n >= 1 << 64:
            return None
    if underscores and not underscore_ok(s0):
        return None
    return n


_DIGITS = "0123456789abcdefghijklmnopqrstuvwxyz"


def _parse_uint_digits(s: str, base: int) -> int | None:
    if not s:
        return None
    n = 0
    for c in s.lower():
        d = _DIGITS.find(c)
        if d < 0 or d >= base:
            return None
        n = n * base + d
    return n


def parse_int_base(s: str, base: int) -> tuple[int, bool]:
    """strconv.ParseInt(s, base, 64) -> (value, ok); on overflow the value is clamped and ok is
    False, on a syntax error it is 0."""
    if not s:
        return 0, False
    neg = s[0] == "-"
    body = s[1:] if s[0] in "+-" else s
    if base == 0:
        base = 10
        if body[:1] == "0":
            prefix = body[1:2].lower()
            if prefix in ("x", "b", "o"):
                base = {"x": 16, "b": 2, "o": 8}[prefix]
                body = body[2:]
            else:
                base = 8
                body = body[1:] or "0"
        if "_" in s:
            if not underscore_ok(s):
                return 0, False
            body = body.replace("_", "")
    n = _parse_uint_digits(body, base)
    if n is None:
        return 0, False
    if neg:
        n = -n
        if n < INT64_MIN:
            return INT64_MIN, False
    elif n > INT64_MAX:
        return INT64_MAX, False
    return n, True


def parse_int(s: str) -> int | None:
    """strconv.ParseInt(s, 0, 64), None on any error."""
    value, ok = parse_int_base(s, 0)
    return value if ok else None


# Compiled on first use (re's cache): only non-integer constants need them (start-up time).
_DEC_FLOAT = r"[+-]?(?=[0-9_]*\.?[0-9])[0-9_]*(\.[0-9_]*)?([eE][+-]?[0-9_]+)?"
_HEX_FLOAT = r"[+-]?0[xX](?=[0-9a-fA-F_]*\.?[0-9a-fA-F])[0-9a-fA-F_]*(\.[0-9a-fA-F_]*)?[pP][+-]?[0-9_]+"
_SPECIAL = r"[+-]?(inf|infinity)|nan"  # strconv.special (case-insensitive): no signed NaN


def parse_float(s: str) -> float | None:
    """strconv.ParseFloat(s, 64), None on a syntax or range error."""
    if re.fullmatch(_SPECIAL, s, re.I):
        return float(s.lower().replace("infinity", "inf"))
    if "_" in s and not underscore_ok(s):
        return None
    clean = s.replace("_", "")
    try:
        if re.fullmatch(_DEC_FLOAT, s):
            f = float(clean)
        elif re.fullmatch(_HEX_FLOAT, s):
            sign = -1.0 if clean[0] == "-" else 1.0
            f = sign * float.fromhex(clean.lstrip("+-"))
        else:
            return None
    except (ValueError, OverflowError):
        return None
    if f in (float("inf"), float("-inf")):
        return None
    return f

"""Sprig's conversions (atoi, int, int64, float64, toDecimal) and the spf13/cast v1.7.0 and
strconv rules they, and Sprig's math, are built on.

cast.ToInt64/ToInt/ToFloat64 never fail in Sprig: any error becomes 0. Strings are parsed with
Go's literal syntax (`0x10`, `010` octal, `1_000`), after cast's trimZeroDecimal (`"1.0"` -> 1).
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from typing import Any

from hooklint.gotemplate.gotypes import ANY, FLOAT64, INT, INT64, STRING, Int64, gofunc, is_int

INT64_MIN = -(1 << 63)
INT64_MAX = (1 << 63) - 1


def wrap_int64(n: int) -> int:
    """Two's complement wrap-around of Go's 64-bit integer arithmetic."""
    return ((n - INT64_MIN) & ((1 << 64) - 1)) + INT64_MIN


def float_to_int64(f: float) -> int:
    """Go's int64(f) on amd64: truncation; NaN and out-of-range values give MinInt64."""
    if math.isnan(f) or not (-(2.0**63) <= f < 2.0**63):
        return INT64_MIN
    return int(f)


# --- strconv -------------------------------------------------------------------------------


def _underscore_ok(s: str) -> bool:
    """strconv.underscoreOK: underscores only between digits (or after a base prefix)."""
    saw = "^"
    i = 0
    if s[:1] in ("+", "-"):
        s = s[1:]
    hexa = False
    if len(s) >= 2 and s[0] == "0" and s[1].lower() in "box":
        i = 2
        saw = "0"
        hexa = s[1].lower() == "x"
    while i < len(s):
        c = s[i]
        if "0" <= c <= "9" or (hexa and "a" <= c.lower() <= "f"):
            saw = "0"
        elif c == "_":
            if saw != "0":
                return False
            saw = "_"
        elif saw == "_":
            return False
        else:
            saw = "!"
        i += 1
    return saw != "_"


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


def go_parse_int(s: str, base: int) -> tuple[int, bool]:
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
            if not _underscore_ok(s):
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


_DEC_FLOAT = re.compile(r"[+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")
_HEX_FLOAT = re.compile(r"([+-]?)0[xX]((?:[0-9a-fA-F]+\.?[0-9a-fA-F]*|\.[0-9a-fA-F]+))[pP]([+-]?[0-9]+)")


def go_parse_float(s: str) -> float | None:
    """strconv.ParseFloat(s, 64), or None where it returns an error (syntax or range)."""
    body = s[1:] if s[:1] in ("+", "-") else s
    low = body.lower()
    if low in ("inf", "infinity"):
        return -math.inf if s[0] == "-" else math.inf
    if s.lower() == "nan":
        return math.nan
    if "_" in s:
        if not _underscore_ok(s):
            return None
        s = s.replace("_", "")
    try:
        if _DEC_FLOAT.fullmatch(s):
            f = float(s)
        elif m := _HEX_FLOAT.fullmatch(s):
            f = float.fromhex(f"{m.group(1)}0x{m.group(2)}p{m.group(3)}")
        else:
            return None
    except OverflowError:
        return None
    return None if math.isinf(f) else f


def go_atoi(s: str) -> int:
    """strconv.Atoi ignoring its error: 0 on bad syntax, clamped on overflow."""
    value, _ = go_parse_int(s, 10)
    return value


def _trim_zero_decimal(s: str) -> str:
    """cast's trimZeroDecimal: "1.000" -> "1"; anything else unchanged."""
    found_zero = False
    for i in range(len(s), 0, -1):
        c = s[i - 1]
        if c == ".":
            if found_zero:
                return s[: i - 1]
        elif c == "0":
            found_zero = True
        else:
            return s
    return s


# --- cast ----------------------------------------------------------------------------------


def cast_to_int64(v: Any) -> int:
    """cast.ToInt64 (errors give 0). Also cast.ToInt: Go's int is 64-bit."""
    if isinstance(v, bool):
        return 1 if v else 0
    if is_int(v):
        return wrap_int64(int(v))
    if isinstance(v, float):
        return float_to_int64(v)
    if isinstance(v, str):
        value, ok = go_parse_int(_trim_zero_decimal(v), 0)
        return value if ok else 0
    return 0


def cast_to_float64(v: Any) -> float:
    """cast.ToFloat64 (errors give 0)."""
    if isinstance(v, bool):
        return 1.0 if v else 0.0
    if is_int(v):
        return float(int(v))
    if isinstance(v, float):
        return v
    if isinstance(v, str):
        f = go_parse_float(v)
        return 0.0 if f is None else f
    return 0.0


# --- the template functions -----------------------------------------------------------------


@gofunc(STRING, result=INT)
def atoi(a: str) -> int:
    return go_atoi(a)


@gofunc(ANY, result=INT64)
def to_int64(v: Any) -> Int64:
    return Int64(cast_to_int64(v))


@gofunc(ANY, result=INT)
def to_int(v: Any) -> int:
    return cast_to_int64(v)


@gofunc(ANY, result=FLOAT64)
def to_float64(v: Any) -> float:
    return cast_to_float64(v)


@gofunc(ANY, result=INT64)
def to_decimal(v: Any) -> Int64:
    """Sprig's toDecimal: fmt.Sprint(v) parsed as an octal number; 0 on any error."""
    from hooklint.gotemplate.sprig.strings import strval

    value, ok = go_parse_int(strval(v), 8)
    return Int64(value if ok else 0)


FUNCS: dict[str, Callable[..., Any]] = {
    "atoi": atoi,
    "int64": to_int64,
    "int": to_int,
    "float64": to_float64,
    "toDecimal": to_decimal,
}

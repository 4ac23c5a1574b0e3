"""Sprig's conversions (atoi, int, int64, float64, toDecimal) and the spf13/cast v1.7.0 and
strconv rules they, and Sprig's math, are built on.

cast.ToInt64/ToInt/ToFloat64 never fail in Sprig: any error becomes 0. Strings are parsed with
Go's literal syntax (`0x10`, `010` octal, `1_000`), after cast's trimZeroDecimal (`"1.0"` -> 1).
"""

from __future__ import annotations

import math
from collections.abc import Callable

from hooklint.gotemplate.goconst import INT64_MIN, parse_float, parse_int_base
from hooklint.gotemplate.gotypes import ANY, FLOAT64, INT, INT64, STRING, Int64, gofunc, is_int

TYPE_CHECKING = False  # not `typing`'s: importing typing costs ~3 ms of every run
if TYPE_CHECKING:
    from typing import Any


def wrap_int64(n: int) -> int:
    """Two's complement wrap-around of Go's 64-bit integer arithmetic."""
    return ((n - INT64_MIN) & ((1 << 64) - 1)) + INT64_MIN


def float_to_int64(f: float) -> int:
    """Go's int64(f) on amd64: truncation; NaN and out-of-range values give MinInt64."""
    if math.isnan(f) or not (-(2.0**63) <= f < 2.0**63):
        return INT64_MIN
    return int(f)


# --- strconv -------------------------------------------------------------------------------


def go_atoi(s: str) -> int:
    """strconv.Atoi ignoring its error: 0 on bad syntax, clamped on overflow."""
    value, _ = parse_int_base(s, 10)
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
        value, ok = parse_int_base(_trim_zero_decimal(v), 0)
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
        f = parse_float(v)
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

    value, ok = parse_int_base(strval(v), 8)
    return Int64(value if ok else 0)


FUNCS: dict[str, Callable[..., Any]] = {
    "atoi": atoi,
    "int64": to_int64,
    "int": to_int,
    "float64": to_float64,
    "toDecimal": to_decimal,
}

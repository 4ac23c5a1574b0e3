"""Sprig's math (functions.go / numeric.go): integer math through cast.ToInt64 with Go's
64-bit wrap-around, float math through shopspring/decimal, and the integer sequences.

`add .Values.a 1` with a: 1.5 is 2: every argument is truncated by cast.ToInt64 first.
"""

from __future__ import annotations

import math
from collections.abc import Callable

from hooklint.gotemplate.gotypes import ANY, FLOAT64, INT, INT64, STRING, GoPanic, Int64, gofunc
from hooklint.gotemplate.sprig.conv import cast_to_float64, cast_to_int64, wrap_int64
from hooklint.gotemplate.sprig.strings import check_result_len

TYPE_CHECKING = False  # not `typing`'s: importing typing costs ~3 ms of every run
if TYPE_CHECKING:
    from typing import Any

if TYPE_CHECKING:  # decimal and fractions are imported by the float functions only (start-up time)
    from fractions import Fraction


class IntList(list):  # type: ignore[type-arg]
    """Go []int (what until/untilStep return)."""

    go_type = "[]int"
    go_kind = "slice"


# --- integer math ---------------------------------------------------------------------------


def _int_div_by_zero() -> GoPanic:
    return GoPanic("runtime error: integer divide by zero")


def _go_quo(a: int, b: int) -> int:
    """Go's int64 `/`: truncation toward zero (MinInt64 / -1 wraps)."""
    if b == 0:
        raise _int_div_by_zero()
    q = abs(a) // abs(b)
    return wrap_int64(q if (a < 0) == (b < 0) else -q)


def _go_rem(a: int, b: int) -> int:
    """Go's int64 `%`: the sign follows the dividend."""
    if b == 0:
        raise _int_div_by_zero()
    r = abs(a) % abs(b)
    return -r if a < 0 else r


@gofunc(ANY, result=INT64)
def add1(i: Any) -> Int64:
    return Int64(wrap_int64(cast_to_int64(i) + 1))


@gofunc(variadic=ANY, result=INT64)
def add(*values: Any) -> Int64:
    total = 0
    for v in values:
        total = wrap_int64(total + cast_to_int64(v))
    return Int64(total)


@gofunc(ANY, ANY, result=INT64)
def sub(a: Any, b: Any) -> Int64:
    return Int64(wrap_int64(cast_to_int64(a) - cast_to_int64(b)))


@gofunc(ANY, ANY, result=INT64)
def div(a: Any, b: Any) -> Int64:
    return Int64(_go_quo(cast_to_int64(a), cast_to_int64(b)))


@gofunc(ANY, ANY, result=INT64)
def mod(a: Any, b: Any) -> Int64:
    return Int64(_go_rem(cast_to_int64(a), cast_to_int64(b)))


@gofunc(ANY, variadic=ANY, result=INT64)
def mul(a: Any, *values: Any) -> Int64:
    product = cast_to_int64(a)
    for v in values:
        product = wrap_int64(product * cast_to_int64(v))
    return Int64(product)


@gofunc(ANY, variadic=ANY, result=INT64)
def biggest(a: Any, *values: Any) -> Int64:
    return Int64(max([cast_to_int64(a), *(cast_to_int64(v) for v in values)]))


@gofunc(ANY, variadic=ANY, result=INT64)
def smallest(a: Any, *values: Any) -> Int64:
    return Int64(min([cast_to_int64(a), *(cast_to_int64(v) for v in values)]))


# --- float math -----------------------------------------------------------------------------


def _go_max(x: float, y: float) -> float:
    """math.Max: +Inf wins, then NaN, and +0 beats -0."""
    if math.isinf(x) and x > 0 or math.isinf(y) and y > 0:
        return math.inf
    if math.isnan(x) or math.isnan(y):
        return math.nan
    if x == 0 and x == y:
        return y if math.copysign(1, x) < 0 else x
    return x if x > y else y


def _go_min(x: float, y: float) -> float:
    """math.Min: -Inf wins, then NaN, and -0 beats +0."""
    if math.isinf(x) and x < 0 or math.isinf(y) and y < 0:
        return -math.inf
    if math.isnan(x) or math.isnan(y):
        return math.nan
    if x == 0 and x == y:
        return x if math.copysign(1, x) < 0 else y
    return x if x < y else y


@gofunc(ANY, variadic=ANY, result=FLOAT64)
def maxf(a: Any, *values: Any) -> float:
    result = cast_to_float64(a)
    for v in values:
        result = _go_max(result, cast_to_float64(v))
    return result


@gofunc(ANY, variadic=ANY, result=FLOAT64)
def minf(a: Any, *values: Any) -> float:
    result = cast_to_float64(a)
    for v in values:
        result = _go_min(result, cast_to_float64(v))
    return result


def _go_floor(f: float) -> float:
    """math.Floor (keeps -0, Inf and NaN)."""
    if f == 0 or math.isinf(f) or math.isnan(f):
        return f
    return float(math.floor(f))


def _go_ceil(f: float) -> float:
    """math.Ceil: ceil(-0.5) is -0, which %v prints as "-0"."""
    if f == 0 or math.isinf(f) or math.isnan(f):
        return f
    c = float(math.ceil(f))
    return -0.0 if c == 0 and f < 0 else c


@gofunc(ANY, result=FLOAT64)
def floor(a: Any) -> float:
    return _go_floor(cast_to_float64(a))


@gofunc(ANY, result=FLOAT64)
def ceil(a: Any) -> float:
    return _go_ceil(cast_to_float64(a))


def _go_pow10(places: int) -> float:
    """math.Pow(10, places) for an integral exponent, with Go's repeated-squaring algorithm."""
    if places == 0:
        return 1.0
    if places == 1:
        return 10.0
    a1, ae = 1.0, 0
    x1, xe = math.frexp(10.0)
    i = abs(places)
    while i != 0:
        if xe < -(1 << 12) or (1 << 12) < xe:
            ae += xe
            break
        if i & 1:
            a1 *= x1
            ae += xe
        x1 *= x1
        xe <<= 1
        if x1 < 0.5:
            x1 += x1
            xe -= 1
        i >>= 1
    if places < 0:
        a1 = 1 / a1
        ae = -ae
    try:
        return math.ldexp(a1, ae)
    except OverflowError:
        return math.inf


@gofunc(ANY, INT, variadic=FLOAT64, result=FLOAT64)
def round_(a: Any, places: int, *round_on: float) -> float:
    """Sprig's round: scale by 10^places, round up when the fraction is >= roundOn (0.5)."""
    threshold = round_on[0] if round_on else 0.5
    val = cast_to_float64(a)
    pow10 = _go_pow10(places)
    digit = pow10 * val
    frac = math.modf(digit)[0] if not math.isinf(digit) else 0.0
    rounded = _go_ceil(digit) if frac >= threshold else _go_floor(digit)
    try:
        return rounded / pow10
    except ZeroDivisionError:
        return math.nan if rounded == 0 or math.isnan(rounded) else math.copysign(math.inf, rounded)


# shopspring/decimal (v1.4.0) as used by Sprig's execDecimalOp.
DIVISION_PRECISION = 16


def _to_decimal(v: Any) -> Fraction:
    """decimal.NewFromFloat(cast.ToFloat64(v)): the shortest decimal that round-trips."""
    from decimal import Decimal
    from fractions import Fraction

    f = cast_to_float64(v)
    if math.isnan(f) or math.isinf(f):
        text = "NaN" if math.isnan(f) else ("+Inf" if f > 0 else "-Inf")
        raise GoPanic(f"Cannot create a Decimal from {text}")
    return Fraction(Decimal(repr(f)))


def _decimal_div(a: Fraction, b: Fraction) -> Fraction:
    """Decimal.Div: the quotient rounded half away from zero to 16 decimal places."""
    from fractions import Fraction

    if b == 0:
        raise GoPanic("decimal division by 0")
    scale = 10**DIVISION_PRECISION
    q = a / b * scale
    whole = abs(q.numerator) // abs(q.denominator)
    if (abs(q) - whole) * 2 >= 1:
        whole += 1
    return Fraction(-whole if q < 0 else whole, scale)


def _decimal_op(a: Any, rest: tuple[Any, ...], op: Callable[[Fraction, Fraction], Fraction]) -> float:
    acc = _to_decimal(a)
    for v in rest:
        acc = op(acc, _to_decimal(v))
    try:
        return float(acc)
    except OverflowError:
        return math.inf if acc > 0 else -math.inf


@gofunc(ANY, result=FLOAT64)
def add1f(i: Any) -> float:
    return _decimal_op(i, (1,), lambda x, y: x + y)


@gofunc(variadic=ANY, result=FLOAT64)
def addf(*values: Any) -> float:
    return _decimal_op(0.0, values, lambda x, y: x + y)


@gofunc(ANY, variadic=ANY, result=FLOAT64)
def subf(a: Any, *values: Any) -> float:
    return _decimal_op(a, values, lambda x, y: x - y)


@gofunc(ANY, variadic=ANY, result=FLOAT64)
def divf(a: Any, *values: Any) -> float:
    return _decimal_op(a, values, _decimal_div)


@gofunc(ANY, variadic=ANY, result=FLOAT64)
def mulf(a: Any, *values: Any) -> float:
    return _decimal_op(a, values, lambda x, y: x * y)


# --- sequences ------------------------------------------------------------------------------


def until_step(start: int, stop: int, step: int) -> IntList:
    """Sprig's untilStep: [start, stop) by step; empty when step points away from stop."""
    if stop < start:
        if step >= 0:
            return IntList()
        check_result_len((start - stop) // -step)
        return IntList(range(start, stop, step))
    if step <= 0:
        return IntList()
    check_result_len((stop - start) // step)
    return IntList(range(start, stop, step))


@gofunc(INT, result="[]int")
def until(count: int) -> IntList:
    return until_step(0, count, -1 if count < 0 else 1)


@gofunc(INT, INT, INT, result="[]int")
def until_step_func(start: int, stop: int, step: int) -> IntList:
    return until_step(start, stop, step)


def _joined(values: IntList) -> str:
    return " ".join(str(v) for v in values)


@gofunc(variadic=INT, result=STRING)
def seq(*params: int) -> str:
    """Sprig's seq: like GNU seq (end; start end; start step end), inclusive of end."""
    if len(params) == 1:
        start, end = 1, params[0]
        increment = -1 if end < start else 1
        return _joined(until_step(start, end + increment, increment))
    if len(params) == 2:
        start, end = params
        step = -1 if end < start else 1
        return _joined(until_step(start, end + step, step))
    if len(params) == 3:
        start, step, end = params
        increment = 1
        if end < start:
            increment = -1
            if step > 0:
                return ""
        return _joined(until_step(start, end + increment, step))
    return ""


FUNCS: dict[str, Callable[..., Any]] = {
    "add1": add1,
    "add": add,
    "sub": sub,
    "div": div,
    "mod": mod,
    "mul": mul,
    "add1f": add1f,
    "addf": addf,
    "subf": subf,
    "divf": divf,
    "mulf": mulf,
    "biggest": biggest,
    "max": biggest,
    "min": smallest,
    "maxf": maxf,
    "minf": minf,
    "ceil": ceil,
    "floor": floor,
    "round": round_,
    "until": until,
    "untilStep": until_step_func,
    "seq": seq,
}

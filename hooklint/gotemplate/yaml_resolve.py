"""goyaml.v2's scalar resolution (resolve.go) and the Go number formatting it relies on.

YAML 1.1 as go-yaml v2 implements it: `y`/`n`/`yes`/`on`/... are booleans, `0x1F`, `017`
and `0o17` are integers, `09` is a float, timestamps are recognised (and kept as strings by
the decoder, quoted by the encoder). Used in both directions: the decoder resolves plain
scalars, the encoder quotes strings that would resolve to something else.
"""

from __future__ import annotations

import math
import struct

from hooklint.documents.gostrconv import parse_int
from hooklint.runtime.patterns import lazy_compile

TYPE_CHECKING = False  # not `typing`'s: importing typing costs ~3 ms of every run
if TYPE_CHECKING:
    from typing import Any

STR_TAG = "tag:yaml.org,2002:str"
BOOL_TAG = "tag:yaml.org,2002:bool"
INT_TAG = "tag:yaml.org,2002:int"
FLOAT_TAG = "tag:yaml.org,2002:float"
NULL_TAG = "tag:yaml.org,2002:null"
TIMESTAMP_TAG = "tag:yaml.org,2002:timestamp"
BINARY_TAG = "tag:yaml.org,2002:binary"
MERGE_TAG = "tag:yaml.org,2002:merge"
SEQ_TAG = "tag:yaml.org,2002:seq"
MAP_TAG = "tag:yaml.org,2002:map"

_LONG_PREFIX = "tag:yaml.org,2002:"



class Uint64Value(int):
    """A go-yaml uint64 (an integer above int64's range); only map keys care about it."""

    __slots__ = ()


class ResolveError(Exception):
    """go-yaml's `failf` during resolution: `cannot decode !!str `x` as a !!int`."""


def short_tag(tag: str) -> str:
    if tag.startswith(_LONG_PREFIX):
        return "!!" + tag[len(_LONG_PREFIX) :]
    return tag


_NAN = float("nan")
_INF = float("inf")
_RESOLVE_MAP: dict[str, tuple[str, Any]] = {}
for _vals, _tag, _v in (
    (("y", "Y", "yes", "Yes", "YES", "true", "True", "TRUE", "on", "On", "ON"), BOOL_TAG, True),
    (("n", "N", "no", "No", "NO", "false", "False", "FALSE", "off", "Off", "OFF"), BOOL_TAG, False),
    (("", "~", "null", "Null", "NULL"), NULL_TAG, None),
    ((".nan", ".NaN", ".NAN"), FLOAT_TAG, _NAN),
    ((".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF"), FLOAT_TAG, _INF),
    (("-.inf", "-.Inf", "-.INF"), FLOAT_TAG, -_INF),
    (("<<",), MERGE_TAG, "<<"),
):
    for _s in _vals:
        _RESOLVE_MAP[_s] = (_tag, _v)

# Compiled on first use (hooklint/runtime/patterns.py): only scalars that look like floats or
# base-60 numbers reach these.
_YAML_STYLE_FLOAT = lazy_compile(r"[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?")
# What Go's strconv.ParseFloat accepts for a string starting with '.' (Go float literal syntax).
_GO_DOT_FLOAT = lazy_compile(r"\.[0-9](_?[0-9])*([eE][-+]?[0-9](_?[0-9])*)?")
_RESOLVABLE = {"", STR_TAG, BOOL_TAG, INT_TAG, FLOAT_TAG, NULL_TAG, TIMESTAMP_TAG}
_DIGITS = {"0": 8, "1": 2}


def _parse_float(s: str) -> float | None:
    """strconv.ParseFloat(s, 64) for the decimal syntaxes resolve passes it; None on error."""
    try:
        f = float(s)
    except ValueError:
        return None
    if math.isinf(f):  # overflow: Go returns ErrRange
        return None
    return f


def resolve(tag: str, value: str) -> tuple[str, Any]:
    """go-yaml v2 `resolve(tag, in)`: the resolved tag and Go value (int, float, bool, None, str).

    Timestamps resolve to TIMESTAMP_TAG with the original string. Raises ResolveError when an
    explicit tag does not fit the value.
    """
    if tag not in _RESOLVABLE:
        return tag, value
    rtag, out = _resolve_untagged(tag, value)
    if tag in ("", rtag, STR_TAG, BINARY_TAG):
        return rtag, out
    if tag == FLOAT_TAG and rtag == INT_TAG:
        return FLOAT_TAG, float(out)
    raise ResolveError(f"cannot decode {short_tag(rtag)} `{value}` as a {short_tag(tag)}")


def plain_value(s: str) -> Any:
    """The Go value of an untagged plain scalar: resolve("", s)[1], with the usual words (a
    key, `true`, `nginx`) and small decimal integers answered without the general path. Every
    plain scalar of a values file that starts like a number, bool or null comes here."""
    c = s[:1]
    if c in _WORD_HINT:  # only the words of the map resolve: anything else is a string
        item = _RESOLVE_MAP.get(s)
        return s if item is None else item[1]
    if "1" <= c <= "9" and len(s) <= 18 and s.isdigit() and s.isascii():
        return int(s)  # decimal without a leading 0 (octal) and within int64
    return _resolve_untagged("", s)[1]


_WORD_HINT = frozenset("yYnNtTfFoO~")


def _resolve_untagged(tag: str, s: str) -> tuple[str, Any]:
    if tag in (STR_TAG, BINARY_TAG):
        return STR_TAG, s
    c = s[:1]
    if c == "":
        return NULL_TAG, None
    if c in "+-0123456789":
        hint = "D"
    elif c in "yYnNtTfFoO~":
        hint = "M"
    elif c == ".":
        hint = "."
    else:
        return STR_TAG, s
    item = _RESOLVE_MAP.get(s)
    if item is not None:
        return item
    if hint == ".":
        if _GO_DOT_FLOAT.fullmatch(s):
            f = _parse_float(s.replace("_", ""))
            if f is not None:
                return FLOAT_TAG, f
    elif hint == "D":
        if tag in ("", TIMESTAMP_TAG) and is_timestamp(s):
            return TIMESTAMP_TAG, s
        plain = s.replace("_", "")
        n = parse_int(plain)
        if n is not None:
            return INT_TAG, n
        n = parse_int(plain, signed=False)
        if n is not None:
            return INT_TAG, Uint64Value(n)
        if _YAML_STYLE_FLOAT.fullmatch(plain):
            f = _parse_float(plain)
            if f is not None:
                return FLOAT_TAG, f
    return STR_TAG, s


def resolves_to_str(s: str) -> bool:
    """The encoder's test: may `s` be written without quotes (it resolves as a string)?"""
    if not s:
        return False  # "" resolves to null
    if s[0] not in "+-0123456789yYnNtTfFoO~.":
        return True
    try:
        return resolve("", s)[0] == STR_TAG
    except ResolveError:  # pragma: no cover - untagged resolution never fails
        return False


_BASE60 = lazy_compile(r"[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?")


def is_base60_float(s: str) -> bool:
    return bool(s) and ":" in s and bool(_BASE60.fullmatch(s))


# --- timestamps (time.Parse with go-yaml's four layouts) ------------------------------------

_DAYS = (31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


def _getnum(s: str, i: int, fixed: bool) -> tuple[int, int] | None:
    """time.getnum: one or two digits at s[i:] (exactly two when `fixed`)."""
    if i >= len(s) or not ("0" <= s[i] <= "9"):
        return None
    if i + 1 >= len(s) or not ("0" <= s[i + 1] <= "9"):
        if fixed:
            return None
        return int(s[i]), i + 1
    return int(s[i : i + 2]), i + 2


def is_timestamp(s: str) -> bool:
    """Would go-yaml's parseTimestamp accept `s` (YYYY-M-D, optional time and zone)?"""
    if len(s) < 5 or not s[:4].isdigit() or not s[:4].isascii() or s[4] != "-":
        return False
    year = int(s[:4])
    r = _getnum(s, 5, False)
    if r is None:
        return False
    month, i = r
    if i >= len(s) or s[i] != "-":
        return False
    r = _getnum(s, i + 1, False)
    if r is None:
        return False
    day, i = r
    if not 1 <= month <= 12:
        return False
    leap = year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)
    if day < 1 or day > _DAYS[month - 1] + (1 if month == 2 and leap else 0):
        return False
    if i == len(s):
        return True
    sep = s[i]
    if sep not in "Tt ":
        return False
    fields = []
    i += 1
    for k in range(3):
        r = _getnum(s, i, False)
        if r is None:
            return False
        v, i = r
        fields.append(v)
        if k < 2:
            if i >= len(s) or s[i] != ":":
                return False
            i += 1
    hour, minute, sec = fields
    if hour >= 24 or minute >= 60 or sec >= 60:
        return False
    if i + 1 < len(s) and s[i] in ".," and "0" <= s[i + 1] <= "9":
        i += 1
        while i < len(s) and "0" <= s[i] <= "9":
            i += 1
    if sep == " ":
        return i == len(s)
    # Z07:00 is mandatory in the T/t layouts.
    if i < len(s) and s[i] == "Z":
        return i + 1 == len(s)
    rest = s[i:]
    if len(rest) != 6 or rest[0] not in "+-" or rest[3] != ":":
        return False
    if not (rest[1:3].isdigit() and rest[4:6].isdigit() and rest[1:6].isascii()):
        return False
    return int(rest[1:3]) <= 24 and int(rest[4:6]) <= 60


# --- Go float formatting (strconv.FormatFloat with 'g'/'e'/'f' and precision -1) -----------


def _shortest_digits(f: float, bits: int) -> tuple[str, int]:
    """Shortest round-trip decimal digits of |f| (float64, or float32 when bits == 32) and the
    decimal point position: value = 0.DIGITS * 10**dp."""
    text = _shortest_float32(abs(f)) if bits == 32 else repr(abs(f))
    # Decimal(text).as_tuple() by hand: "1.25e+16" -> digits "125", exponent 16 - 2.
    mantissa, _, exponent = text.partition("e")
    whole, _, fraction = mantissa.partition(".")
    raw = whole + fraction
    exp = (int(exponent) if exponent else 0) - len(fraction)
    stripped = raw.lstrip("0")
    if not stripped:
        return "0", 1
    dp = len(stripped) + exp
    return stripped.rstrip("0"), dp


def _shortest_float32(f: float) -> str:
    f32 = to_float32(f)
    for prec in range(1, 10):
        text = f"{f32:.{prec - 1}e}"
        if to_float32(float(text)) == f32:
            return text
    return repr(f32)  # pragma: no cover


def to_float32(f: float) -> float:
    try:
        return float(struct.unpack("<f", struct.pack("<f", f))[0])
    except OverflowError:
        return math.copysign(math.inf, f)


def format_float(f: float, fmt: str = "g", bits: int = 64) -> str:
    """strconv.FormatFloat(f, fmt, -1, bits) for fmt in 'g', 'e', 'f'."""
    if bits == 32:
        f = to_float32(f)
    if math.isnan(f):
        return "NaN"
    if math.isinf(f):
        return "+Inf" if f > 0 else "-Inf"
    neg = math.copysign(1.0, f) < 0
    digits, dp = ("0", 1) if f == 0 else _shortest_digits(f, bits)
    if fmt == "g":
        # Go: with the shortest precision, %e is used when the exponent is < -4 or >= 6.
        exp = dp - 1
        fmt = "e" if exp < -4 or exp >= 6 else "f"
    if fmt == "e":
        body = digits[0] + ("." + digits[1:] if len(digits) > 1 else "")
        exp = dp - 1
        body += "e" + ("-" if exp < 0 else "+") + f"{abs(exp):02d}"
    elif dp <= 0:
        body = "0." + "0" * (-dp) + digits
    elif dp >= len(digits):
        body = digits + "0" * (dp - len(digits))
    else:
        body = digits[:dp] + "." + digits[dp:]
    return ("-" if neg else "") + body

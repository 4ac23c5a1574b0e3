"""strconv.ParseInt / ParseUint with base 0, as Go defines them: the syntax (sign, prefixes,
digits of the base) and the 64-bit ranges, at any length (go-yaml reads numbers of any length;
Python's int() refuses decimal strings past 4,300 digits)."""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from hooklint.documents.gostrconv import INT64_MAX, INT64_MIN, UINT64_MAX, parse_int

# Go's base-0 syntax, one alternative per base (underscores are removed by the YAML readers).
_SYNTAX = re.compile(r"(?P<sign>[+-]?)(?:0[xX](?P<hex>[0-9a-fA-F]+)|0[oO](?P<oct>[0-7]+)|0[bB](?P<bin>[01]+)"
                     r"|0(?P<oct0>[0-7]+)|(?P<dec>0|[1-9][0-9]*))")


def reference(s: str, signed: bool) -> int | None:
    m = _SYNTAX.fullmatch(s)
    if m is None or (m["sign"] and not signed):
        return None
    for group, base in (("hex", 16), ("oct", 8), ("bin", 2), ("oct0", 8), ("dec", 10)):
        digits = m[group]
        if digits is not None:
            # digit by digit: no int() limit on length
            n = 0
            for ch in digits:
                n = n * base + int(ch, 16)
                if n > UINT64_MAX + 1:
                    return None
            n = -n if m["sign"] == "-" else n
            if signed:
                return n if INT64_MIN <= n <= INT64_MAX else None
            return n if 0 <= n <= UINT64_MAX else None
    raise AssertionError(s)


texts = st.text(alphabet="+-0123456789abcdefxobXOB_ ", max_size=30)


@given(texts, st.booleans())
def test_parse_int_is_go_base_0(s: str, signed: bool) -> None:
    assert parse_int(s, signed) == reference(s, signed)


@given(st.integers(min_value=INT64_MIN, max_value=UINT64_MAX), st.sampled_from(["d", "x", "o", "0o", "b"]),
       st.integers(min_value=0, max_value=5000))
def test_every_64_bit_number_reads_back_with_any_zero_padding(n: int, base: str, zeros: int) -> None:
    sign = "-" if n < 0 else ""
    body = format(abs(n), base[-1])
    prefix = {"d": "", "x": "0x", "o": "0", "0o": "0o", "b": "0b"}[base]
    pad = "0" * zeros if base != "d" else ""
    text = f"{sign}{prefix}{pad}{body}"
    assert parse_int(text) == (n if n <= INT64_MAX else None)
    assert parse_int(text, signed=False) == (None if n < 0 else n)


def test_numbers_past_the_range_at_any_length_are_errors() -> None:
    assert parse_int("9" * 5000) is None  # int() alone would raise past 4,300 digits
    assert parse_int("0" + "7" * 5000) is None
    assert parse_int("0x" + "f" * 17) is None
    assert parse_int("18446744073709551615", signed=False) == UINT64_MAX
    assert parse_int("18446744073709551616", signed=False) is None
    assert parse_int("-9223372036854775808") == INT64_MIN
    assert parse_int("1_0") is None and parse_int(" 1") is None and parse_int("08") is None

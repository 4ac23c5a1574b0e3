"""The tar header fields gotar reads with bytes methods: the same numbers as a byte-by-byte
reading of Go's rules (parseOctal: NULs and spaces trimmed, digits 0-7 only; the checksum
counting bytes >= 0x80 as negative for the signed sum)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from hooklint.chart import gotar

_FIELD_BYTES = st.sampled_from(list(b"0123456789 \x00\x80\xffa"))


def _octal_bytewise(field: bytes) -> int | None:
    trimmed = field.strip(b" \x00")
    if not trimmed:
        return 0
    end = trimmed.find(0)
    digits = trimmed if end < 0 else trimmed[:end]
    if not digits or any(c < 0x30 or c > 0x37 for c in digits):
        return None
    value = int(digits, 8)
    return value if value < 1 << 64 else None


@settings(max_examples=500, deadline=None)
@given(st.lists(_FIELD_BYTES, max_size=24).map(bytes))
def test_octal_fields(field: bytes) -> None:
    assert gotar._parse_octal(field) == _octal_bytewise(field)


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=600))
def test_high_bytes_are_counted(data: bytes) -> None:
    assert gotar._count_high(data) == sum(1 for c in data if c >= 0x80)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.lists(_FIELD_BYTES, max_size=12).map(bytes) | st.binary(min_size=1, max_size=12), min_size=1, max_size=6))
def test_remembered_numeric_fields(fields: list[bytes]) -> None:
    # asked twice (the second time remembered), with the memo cleared in between for some
    for i, field in enumerate(fields * 2):
        if i == len(fields):
            gotar._NUMERIC_MEMO.clear()
        assert gotar._parse_numeric(field) == gotar._parse_numeric_field(field)

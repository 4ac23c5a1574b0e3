"""Plain scalars of rendered manifests that look like numbers but fit no Go number stay strings,
as go-yaml v2 keeps them (strconv.ParseInt/ParseFloat fail with ErrRange); no Python limit
(int()'s 4,300-digit cap) may turn them into an error."""

from __future__ import annotations

import pytest

from hooklint.documents.manifests_yaml import go_resolve


@pytest.mark.parametrize("text,expected", [
    ("7" * 5000, "7" * 5000),  # past int64 and uint64, and past int()'s digit limit
    ("1" + "0" * 400 + ".5", "1" + "0" * 400 + ".5"),  # ParseFloat overflows: a string
    ("0" * 70 + "12", 10),  # leading zeros: octal, however many
    ("0x" + "f" * 16, (1 << 64) - 1),  # uint64
    ("0x" + "f" * 17, "0x" + "f" * 17),
    ("9223372036854775807", 9223372036854775807),
    ("-9223372036854775808", -9223372036854775808),
    ("1e308", 1e308),
])
def test_numbers_that_fit_no_go_number_stay_strings(text: str, expected: object) -> None:
    value = go_resolve(text)
    assert value == expected and type(value) is type(expected)

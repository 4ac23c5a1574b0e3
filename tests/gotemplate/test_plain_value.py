"""yaml_resolve.plain_value answers words and small decimal integers without the general path:
the same value as resolve("", s) for every string."""

from __future__ import annotations

import math

from hypothesis import example, given, settings
from hypothesis import strategies as st

from hooklint.gotemplate.yaml_resolve import plain_value, resolve

_CHARS = st.sampled_from(list("0123456789yYnNtTfFoO~.+-_:eExXbB ab") + ["\u0661", "\u00b2", "rue", "ull", "es", "ff"])


@settings(max_examples=2000, deadline=None)
@given(st.lists(_CHARS, max_size=22).map("".join))
@example("")
@example("0")
@example("08")
@example("123456789012345678")
@example("9223372036854775807")
@example("99999999999999999999")
@example("true")
@example("yes")
@example("No")
@example("~")
@example("\u0661\u0662")
def test_plain_value_is_resolve(s: str) -> None:
    expected = resolve("", s)[1]
    got = plain_value(s)
    assert type(got) is type(expected)
    if isinstance(expected, float) and math.isnan(expected):
        assert math.isnan(got)
    else:
        assert got == expected

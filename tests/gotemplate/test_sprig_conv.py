"""Sprig conversions (atoi, int, int64, float64, toDecimal) against Helm's recorded output."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sprig_direct import Call, Opt, Val, check, load_recorded, numbered

from hooklint.gotemplate.gotypes import Int64
from hooklint.gotemplate.sprig import conv

TABLE = "sprig_conv"
V = "f: 1.5\nbig: 1e20\nport: 8080\nneg: -2.7\ns: '42'\nmode: '0755'\nflag: true\n"

CALLS: list[Call] = numbered(
    [
        ("atoi", "42"),
        ("atoi", "-7"),
        ("atoi", "+7"),
        ("atoi", "1.5"),
        ("atoi", "0x10"),
        ("atoi", "1_000"),
        ("atoi", "99999999999999999999"),
        ("atoi", "-99999999999999999999"),
        ("atoi", ""),
        ("atoi", Val("s", "42"), Opt(values=V)),
        ("int", "0x10"),
        ("int", "010"),
        ("int", "08"),
        ("int", "0b101"),
        ("int", "0o17"),
        ("int", "1.0"),
        ("int", "1.00"),
        ("int", "1.5"),
        ("int", "1_000"),
        ("int", "_1"),
        ("int", " 1"),
        ("int", "1e3"),
        ("int", 1e20),
        ("int", -2.7),
        ("int", True),
        ("int", None),
        ("int", [1]),
        ("int", Val("f", 1.5), Opt(values=V)),
        ("int", Val("port", 8080.0), Opt(values=V, pipe="| typeOf", post=lambda r: "int")),
        ("int64", "42"),
        ("int64", "9223372036854775807"),
        ("int64", "9223372036854775808"),
        ("int64", 3.99),
        ("int64", Val("neg", -2.7), Opt(values=V)),
        ("int64", Val("big", 1e20), Opt(values=V)),
        ("int64", Val("flag", True), Opt(values=V)),
        ("int64", "12", Opt(pipe="| typeOf", post=lambda r: "int64")),
        ("float64", "1.5"),
        ("float64", "1e3"),
        ("float64", "0x1p-2"),
        ("float64", "1_000.5"),
        ("float64", "inf"),
        ("float64", "-Infinity"),
        ("float64", "1e400"),
        ("float64", "abc"),
        ("float64", "."),
        ("float64", 3),
        ("float64", Int64(7)),
        ("float64", False),
        ("float64", Val("port", 8080.0), Opt(values=V)),
        ("float64", Val("s", "42"), Opt(values=V)),
        ("toDecimal", "0777"),
        ("toDecimal", "777"),
        ("toDecimal", 777),
        ("toDecimal", "0o777"),
        ("toDecimal", "-10"),
        ("toDecimal", "8"),
        ("toDecimal", 1.5),
        ("toDecimal", Val("mode", "0755"), Opt(values=V)),
        ("toDecimal", Val("port", 8080.0), Opt(values=V)),
        ("toDecimal", True),
    ]
)
RECORDED = load_recorded(TABLE)


@pytest.mark.parametrize("call", CALLS, ids=[c.name for c in CALLS])
def test_matches_helm(call: Call) -> None:
    check(call, RECORDED[call.name])


def test_int64_result_type() -> None:
    assert type(conv.to_int64("5")) is Int64
    assert type(conv.to_int("5")) is int


@settings(max_examples=80, deadline=None)
@given(st.text(alphabet="0123456789xXoObB_.+-eEpPaf", min_size=1, max_size=8))
def test_string_parsing_matches_helm(text: str) -> None:
    from helm_oracle import HAVE_HELM, helm_render_snippet

    if not HAVE_HELM:
        pytest.skip("helm_python not installed")
    from hooklint.gotemplate import gofmt

    q = gofmt.quote(text)
    out = helm_render_snippet(
        f"{{{{ int {q} }}}}|{{{{ float64 {q} }}}}|{{{{ atoi {q} }}}}|{{{{ toDecimal {q} }}}}"
    )
    ours = [conv.to_int(text), conv.to_float64(text), conv.atoi(text), conv.to_decimal(text)]
    assert out == "|".join(gofmt.format_value(v) for v in ours)

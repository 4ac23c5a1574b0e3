"""Sprig math against Helm's recorded output (fixtures/gotemplate/sprig_math.yaml)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sprig_direct import Call, Opt, Val, check, load_recorded, numbered

from hooklint.gotemplate.gotypes import Int64
from hooklint.gotemplate.sprig import mathfuncs as m

TABLE = "sprig_math"
V = "a: 1.5\nb: 2\nc: -2.5\nreplicas: 3\nbig: 9.3e18\nratio: 0.1\ns: '7'\n"
MAXI = Int64(9223372036854775807)
MINI = Int64(-9223372036854775808)

CALLS: list[Call] = numbered(
    [
        ("add1", 1),
        ("add1", Val("a", 1.5), Opt(values=V)),
        ("add1", MAXI),
        ("add1", "41"),
        ("add", 1, 2, 3),
        ("add",),
        ("add", Val("a", 1.5), 1, Opt(values=V)),
        ("add", Val("c", -2.5), Val("b", 2.0), Opt(values=V)),
        ("add", MAXI, 1),
        ("add", "2", None, True),
        ("add", 1, 2, Opt(pipe="| typeOf", post=lambda r: "int64")),
        ("sub", 5, 3),
        ("sub", 3, 5),
        ("sub", MINI, 1),
        ("sub", Val("replicas", 3.0), 1, Opt(values=V)),
        ("div", 7, 2),
        ("div", -7, 2),
        ("div", 7, -2),
        ("div", 1, 0),
        ("div", MINI, -1),
        ("div", Val("replicas", 3.0), 2, Opt(values=V)),
        ("div", 1, Val("a", 0.5), Opt(values="a: 0.5\n")),
        ("mod", 7, 3),
        ("mod", -7, 3),
        ("mod", 7, -3),
        ("mod", 1, 0),
        ("mod", MINI, -1),
        ("mul", 2, 3, 4),
        ("mul", 5),
        ("mul", MAXI, 2),
        ("mul", Val("a", 1.5), Val("b", 2.0), Opt(values=V)),
        ("biggest", 1, 5, 3),
        ("max", 1, 5, 3),
        ("max", -1),
        ("max", Val("a", 1.5), 1, Opt(values=V)),
        ("min", 1, 5, -3),
        ("min", 4),
        ("min", "3", 4.9, True),
        ("maxf", 1, 5.5, 3),
        ("maxf", -0.0, 0.0),
        ("maxf", 1, "inf"),
        ("maxf", Val("a", 1.5), Val("c", -2.5), Opt(values=V)),
        ("minf", 1, 5.5, -3.25),
        ("minf", 0.0, -0.0),
        ("minf", "x", 2),
        ("floor", 1.7),
        ("floor", -1.2),
        ("floor", "3.9"),
        ("floor", Val("c", -2.5), Opt(values=V)),
        ("ceil", 1.2),
        ("ceil", -0.5),
        ("ceil", 2),
        ("ceil", Val("a", 1.5), Opt(values=V)),
        ("round", 2.5, 0),
        ("round", -2.5, 0),
        ("round", 1.2345, 2),
        ("round", 3.14159, 3, 0.2),
        ("round", 1234.5, -2),
        ("round", 0.1, 30),
        ("round", Val("ratio", 0.1), 1, Opt(values=V)),
        ("round", 1.005, 2),
        ("addf", 0.1, 0.2),
        ("addf",),
        ("addf", 1, "2.5", True),
        ("addf", Val("a", 1.5), Val("ratio", 0.1), Opt(values=V)),
        ("add1f", 1.5),
        ("add1f", -1),
        ("add1f", Val("ratio", 0.1), Opt(values=V)),
        ("subf", 0.3, 0.1),
        ("subf", 1),
        ("subf", 10, 1, 2.5),
        ("divf", 1, 3),
        ("divf", 2, 3),
        ("divf", -2, 3),
        ("divf", 1, 0),
        ("divf", 10, 4, 2),
        ("divf", 1e300, 1e-300),
        ("mulf", 1.1, 1.1),
        ("mulf", 3),
        ("mulf", Val("a", 1.5), Val("replicas", 3.0), Opt(values=V)),
        ("addf", "inf", 1),
        ("until", 5),
        ("until", -3),
        ("until", 0),
        ("until", 3, Opt(pipe="| typeOf", post=lambda r: "[]int")),
        ("untilStep", 3, 6, 2),
        ("untilStep", 0, 10, 3),
        ("untilStep", 10, 0, -3),
        ("untilStep", 0, 10, 0),
        ("untilStep", 10, 0, 1),
        ("seq", 5),
        ("seq", -3),
        ("seq", 0),
        ("seq", 2, 5),
        ("seq", 5, 2),
        ("seq", 0, 2, 10),
        ("seq", 10, -2, 0),
        ("seq", 10, 2, 0),
        ("seq", 1, 0, 3),
        ("seq",),
        ("seq", 1, 2, 3, 4),
    ]
)
RECORDED = load_recorded(TABLE)


@pytest.mark.parametrize("call", CALLS, ids=[c.name for c in CALLS])
def test_matches_helm(call: Call) -> None:
    check(call, RECORDED[call.name])


def test_integer_math_wraps_like_int64() -> None:
    assert m.add(MAXI, 1) == MINI
    assert type(m.add(1)) is Int64


@settings(max_examples=50, deadline=None)
@given(
    st.floats(min_value=-1e6, max_value=1e6, allow_nan=False).map(lambda f: round(f, 3)),
    st.floats(min_value=-1e3, max_value=1e3, allow_nan=False).map(lambda f: round(f, 2)),
    st.integers(min_value=-2, max_value=4),
)
def test_float_math_matches_helm(a: float, b: float, places: int) -> None:
    from helm_oracle import HAVE_HELM, helm_render_snippet

    if not HAVE_HELM:
        pytest.skip("helm_python not installed")
    from hooklint.gotemplate import gofmt

    values = f"a: {a!r}\nb: {b!r}\n"
    tpl = "{{ addf .Values.a .Values.b }}|{{ mulf .Values.a .Values.b }}|{{ subf .Values.a .Values.b }}"
    tpl += f"|{{{{ round .Values.a {places} }}}}|{{{{ add .Values.a .Values.b }}}}|{{{{ maxf .Values.a .Values.b }}}}"
    ours = [m.addf(a, b), m.mulf(a, b), m.subf(a, b), m.round_(a, places), m.add(a, b), m.maxf(a, b)]
    if b != 0:
        tpl += "|{{ divf .Values.a .Values.b }}"
        ours.append(m.divf(a, b))
    assert helm_render_snippet(tpl, values) == "|".join(gofmt.format_value(v) for v in ours)

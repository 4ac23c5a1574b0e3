"""hooklint.gotemplate.gojson against real Helm: toJson & co. and fromJson & co.

Each test renders one template with many JSON function calls through Helm (the oracle) and
compares every output with our functions applied to the same Go values.
"""

from __future__ import annotations

import json
import math
import struct
from collections.abc import Callable
from typing import Any

import pytest
from helm_oracle import HAVE_HELM, HelmFailure, helm_render_snippet
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hooklint.gotemplate.gofmt import format_value, quote
from hooklint.gotemplate.gojson import (
    FUNCS,
    HELM_FUNCS,
    SPRIG_FUNCS,
    JSONError,
    _accepted_by_json_module,
    marshal,
    marshal_indent,
    scan_json,
    unmarshal,
)
from hooklint.gotemplate.gotypes import GoFuncError, GoPanic, StrList, signature_of

pytestmark = pytest.mark.skipif(not HAVE_HELM, reason="needs helm_python (the oracle)")

SEP = "\n@@@\n"


def helm_lines(actions: list[str], values_yaml: str = "", files: dict[str, str] | None = None) -> list[str]:
    out = helm_render_snippet(SEP.join("{{ " + a + " }}" for a in actions), values_yaml, files)
    assert not isinstance(out, HelmFailure), out
    lines = out.split(SEP)
    assert len(lines) == len(actions)
    return lines


def assert_same(actions: list[str], ours: list[str], helm: list[str]) -> None:
    diffs = [(a, h, o) for a, h, o in zip(actions, helm, ours, strict=True) if h != o]
    assert not diffs, "\n".join(f"{a}: helm={h!r} ours={o!r}" for a, h, o in diffs[:20])


def yaml_string(s: str) -> str:
    out = ['"']
    for ch in s:
        o = ord(ch)
        if ch in '"\\':
            out.append("\\" + ch)
        elif 0x20 <= o < 0x7F:
            out.append(ch)
        elif o < 0x10000:
            out.append(f"\\u{o:04x}")
        else:
            out.append(f"\\U{o:08x}")
    out.append('"')
    return "".join(out)


ENCODERS = ["toJson", "toRawJson", "toPrettyJson", "mustToJson", "mustToRawJson", "mustToPrettyJson"]

VALUES_YAML = r"""
a: 1.5
b: 1000000
big: 1.0e+21
big2: 1.0e+20
small: 1.0e-7
small2: 0.000001
neg: -0.0000012
s: "<a&b>\u2028\u2029\x01\x08\x0c\n\r\t\x7f\"\\é😀"
l: [1, "x", null, 2.5, {}, []]
m: {b: [1, 2], a: {z: 1}, "<k>": 1, "é": "x"}
t: true
e: ""
int: 123456789012
"""
# The same values as Go sees them (values.yaml numbers are float64).
VALUES: dict[str, Any] = {
    "a": 1.5, "b": 1e6, "big": 1e21, "big2": 1e20, "small": 1e-7, "small2": 1e-6, "neg": -1.2e-6,
    "s": '<a&b>\u2028\u2029\x01\x08\x0c\n\r\t\x7f"\\é😀', "l": [1.0, "x", None, 2.5, {}, []],
    "m": {"b": [1.0, 2.0], "a": {"z": 1.0}, "<k>": 1.0, "é": "x"}, "t": True, "e": "",
    "int": 123456789012.0,
}  # fmt: skip


def test_encoders_on_values_and_literals() -> None:
    cases: list[tuple[str, Callable[[], str]]] = []
    for fn in ENCODERS:
        f = FUNCS[fn]
        for name in VALUES:
            cases.append((f"{fn} .Values.{name}", lambda f=f, name=name: f(VALUES[name])))
        cases += [
            (f"{fn} .Values", lambda f=f: f(VALUES)),
            (f"{fn} nil", lambda f=f: f(None)),
            (f'{fn} (.Files.GetBytes "h.txt")', lambda f=f: f(b"hi")),
            (f"{fn} 42", lambda f=f: f(42)),
            (f'{fn} (int64 "-7")', lambda f=f: f(-7)),
            (f"{fn} (list)", lambda f=f: f([])),
            (f"{fn} (dict)", lambda f=f: f({})),
            (f'{fn} (splitList "," "a,b")', lambda f=f: f(StrList(["a", "b"]))),
            (f'{fn} (dict "k" (list 1 (dict "z" nil)))', lambda f=f: f({"k": [1, {"z": None}]})),
        ]
    # Invalid UTF-8 bytes become the escape \ufffd; a real U+FFFD stays literal.
    cases.append(('toJson (b64dec "aGn/77+9")', lambda: FUNCS["toJson"]("hi\udcff\ufffd")))
    cases.append(('toJson (float64 "NaN")', lambda: FUNCS["toJson"](math.nan)))
    cases.append(('toPrettyJson (list (float64 "-Inf"))', lambda: FUNCS["toPrettyJson"]([-math.inf])))
    cases.append(('toJson (dict "a" (float64 "+Inf"))', lambda: FUNCS["toJson"]({"a": math.inf})))
    actions = [a for a, _ in cases]
    assert_same(actions, [fn() for _, fn in cases], helm_lines(actions, VALUES_YAML, {"h.txt": "hi"}))


@pytest.mark.parametrize(
    ("template", "call"),
    [
        ('toRawJson (float64 "NaN")', lambda: SPRIG_FUNCS["toRawJson"](math.nan)),
        ('mustToJson (float64 "-Inf")', lambda: SPRIG_FUNCS["mustToJson"](-math.inf)),
        ('mustToPrettyJson (list (float64 "+Inf"))', lambda: SPRIG_FUNCS["mustToPrettyJson"]([math.inf])),
        ('mustToRawJson (float64 "NaN")', lambda: SPRIG_FUNCS["mustToRawJson"](math.nan)),
        ('mustFromJson "{\\"a\\":"', lambda: SPRIG_FUNCS["mustFromJson"]('{"a":')),
        ('mustFromJson "[1e400]"', lambda: SPRIG_FUNCS["mustFromJson"]("[1e400]")),
    ],
)
def test_encoding_errors_fail_the_render_like_helm(template: str, call: Callable[[], Any]) -> None:
    out = helm_render_snippet("{{ " + template + " }}")
    assert isinstance(out, HelmFailure)
    with pytest.raises((GoFuncError, GoPanic)) as info:
        call()
    assert out.message.endswith(": " + str(info.value)), (out.message, str(info.value))


DOCS = [
    '{"a":1,"b":[true,false,null,"x",1.5e3,-0],"c":{}}', "", " ", "[1,2]", '"str"', "1", "true", "null",
    "{", '{"a"', '{"a":', '{"a":1', '{"a":1,', '{"a" 1}', '{"a":1 "b":2}', "[1 2]", "[1,]", "{,}",
    '{"a":1}x', '{"a":1} ', "x", "'a'", "tru", "trux", "fals0", "nul", "nulL", "-", "-a", "01", "1.",
    "1.e", "1e", "1e+", "1ex", '"a\\x"', '"a\\u12"', '"a\\u12g4"', '"\t"', '{"a":1e400}',
    '{"a":1e400,"b":[1e999],"c":2}', "[1e400]", '"\\ud83d\\ude00\\ud83d\\u0041\\udc00"', '{"a":1,"a":2}',
    "\u00e9", "[", "]", "}", '{"a":[1,{"b":null}]}', '  {"k" : "v" }  ', "1 2", '{"\\u003c":"\\/"}',
    '"\u00e9\u2028"', "123456789012345678901234567890", '{"x":-0.0}', "[]", "{}", '{"a":tru}',
    '{"a":"\x01"}', "0x1", "+1", ".5", "NaN", "[-]", '{"a":1}}', "[[[]]]", '"\\"',
]  # fmt: skip


def _decode_cases(docs: list[str]) -> tuple[list[str], list[str]]:
    actions: list[str] = []
    ours: list[str] = []
    for d in docs:
        lit = quote(d)  # a Go string literal
        for fn in ("fromJson", "fromJsonArray"):
            if d.strip(" \t\r\n") != "null":  # nil map/slice: see test_decoding_null_...
                actions.append(f"{fn} {lit} | toJson")
                ours.append(marshal(HELM_FUNCS[fn](d)))
            actions.append(f"{fn} {lit}")
            ours.append(format_value(HELM_FUNCS[fn](d)))
        # Sprig's fromJson is shadowed by Helm's; mustFromJson decodes into interface {}.
        actions.append(f"mustFromJson {lit} | toJson")
        try:
            ours.append(marshal(SPRIG_FUNCS["mustFromJson"](d)))
        except GoFuncError:
            actions.pop()
    return actions, ours


@pytest.mark.parametrize("doc", ["null"])
def test_decoding_null_gives_nil_map_and_slice(doc: str) -> None:
    # Known difference: Go's nil map/slice marshal as null, our empty dict/list as {}/[].
    # What users see through fmt (%v) is the same: map[] and [].
    actions = [f"fromJson {json.dumps(doc)}", f"fromJsonArray {json.dumps(doc)}"]
    ours = [format_value(HELM_FUNCS["fromJson"](doc)), format_value(HELM_FUNCS["fromJsonArray"](doc))]
    assert_same(actions, ours, helm_lines(actions))


def test_decoders_and_their_error_texts() -> None:
    actions, ours = _decode_cases(DOCS)
    assert_same(actions, ours, helm_lines(actions))


json_values = st.recursive(
    st.none() | st.booleans() | st.floats(allow_nan=False, allow_infinity=False) | st.text(max_size=6),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=4), inner, max_size=4),
    max_leaves=12,
)


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(json_values, min_size=1, max_size=5), st.data())
def test_round_trips_and_broken_documents_match_helm(docs: list[Any], data: st.DataObject) -> None:
    texts = [json.dumps(d, ensure_ascii=data.draw(st.booleans())) for d in docs]
    # Damaged copies: truncated or with one character replaced, to exercise the scanner's errors.
    for t in list(texts):
        cut = data.draw(st.integers(0, len(t)))
        texts.append(t[:cut])
        ch = data.draw(st.sampled_from(list('{}[]:,"\\ 0.e-tx')))
        texts.append(t[:cut] + ch + t[cut + 1 :])
    actions, ours = _decode_cases(texts)
    assert_same(actions, ours, helm_lines(actions))


def _float_from_bits(bits: int) -> float:
    return float(struct.unpack("<d", struct.pack("<Q", bits))[0])


finite_floats = st.one_of(
    st.floats(allow_nan=False, allow_infinity=False),
    st.integers(0, (1 << 64) - 1).map(_float_from_bits).filter(math.isfinite),
    st.sampled_from([1e21, 1e20, 999999999999999900000.0, 1e-6, 9.99e-7, 1e-7, 5e-324, -0.0]),
)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(finite_floats, min_size=1, max_size=10), st.lists(st.text(max_size=10), max_size=6))
def test_float_and_string_encoding_match_helm(floats: list[float], strings: list[str]) -> None:
    values_yaml = "".join(f"f{i}: {f!r}\n" for i, f in enumerate(floats))
    values_yaml += "".join(f"s{i}: {yaml_string(s)}\n" for i, s in enumerate(strings))
    actions = [f"toJson .Values.f{i}" for i in range(len(floats))]
    ours = [marshal(f) for f in floats]
    for i, s in enumerate(strings):
        actions += [f"toJson .Values.s{i}", f"toRawJson .Values.s{i}", f"toPrettyJson (list .Values.s{i})"]
        ours += [marshal(s), marshal(s, escape_html=False), marshal_indent([s], "", "  ")]
    assert_same(actions, ours, helm_lines(actions, values_yaml))


def test_unmarshal_gives_go_values() -> None:
    # json.Unmarshal into interface {}: numbers are float64, like Helm prints them through fmt.
    doc = '{"a":[1,{},1e6,"x",null,true]}'
    value = unmarshal(doc)
    assert value == {"a": [1.0, {}, 1e6, "x", None, True]}
    assert_same(
        ["mustFromJson " + json.dumps(doc)],
        [format_value(value)],
        helm_lines(["mustFromJson " + json.dumps(doc)]),
    )


def test_functions_carry_go_signatures() -> None:
    for name, fn in {**HELM_FUNCS, **SPRIG_FUNCS}.items():
        sig = signature_of(fn)
        assert len(sig.params) == 1, name
        assert sig.returns_error == name.startswith("must"), name


_JSONISH = st.lists(
    st.sampled_from(['{', '}', '[', ']', ':', ',', '"', '\\', 'u', '0', '1', '-', '.', 'e', '+', ' ', '\n',
                     'true', 'false', 'null', 'NaN', 'Infinity', '"a"', '\x01', '\x7f', '\ufeff', '\xff']),
    max_size=12,
).map(lambda parts: "".join(parts).encode("utf-8", "surrogateescape"))


@settings(max_examples=800, deadline=None)
@given(st.one_of(_JSONISH, st.binary(max_size=8), st.recursive(
    st.none() | st.booleans() | st.floats(allow_nan=False, allow_infinity=False) | st.text(max_size=4),
    lambda c: st.lists(c, max_size=3) | st.dictionaries(st.text(max_size=3), c, max_size=3), max_leaves=8,
).map(lambda v: json.dumps(v).encode())))
def test_json_validity_shortcut_agrees_with_the_byte_scanner(data: bytes) -> None:
    """check_valid lets the json module accept valid documents; it must accept exactly what
    checkValid's byte-level scanner accepts (the scanner then words the errors)."""
    try:
        scan_json(data)
        scanned = True
    except JSONError:
        scanned = False
    assert _accepted_by_json_module(data) is scanned

"""Sprig b64enc/b64dec/b32enc/b32dec against real Helm, including Go's decoder error offsets."""

from __future__ import annotations

import json
import re

import pytest
from helm_oracle import HAVE_HELM, helm_render_snippet
from hypothesis import given, settings
from hypothesis import strategies as st

from hooklint.gotemplate.gofmt import go_bytes
from hooklint.gotemplate.sprig.encoding import b32dec, b32enc, b64dec, b64enc

needs_helm = pytest.mark.skipif(not HAVE_HELM, reason="helm_python not installed")


def _values_json(values: object) -> str:
    """JSON (valid YAML) for values: ASCII escapes, except astral characters, which go-yaml
    only accepts literally (it rejects JSON surrogate-pair escapes)."""
    text = json.dumps(values)
    pair = re.compile(r"\\ud[89ab][0-9a-f]{2}\\ud[c-f][0-9a-f]{2}")
    return pair.sub(lambda m: json.loads('"' + m.group() + '"'), text)


def _helm(func: str, arg: str) -> str:
    out = helm_render_snippet("{{ " + func + " .Values.s }}", _values_json({"s": arg}))
    assert isinstance(out, str), out
    return out


def _printed(s: str) -> str:
    # Helm's output reaches Python with one U+FFFD per invalid byte (Go's rule); ours keeps
    # each invalid byte as one lone surrogate.
    return re.sub("[\udc80-\udcff]", "\ufffd", s)


B64_INPUTS = [
    "",
    "QQ",
    "QQ==",
    "QQ=",
    "QUJD",
    "QU\nJD",
    "QQ==x",
    "Q===",
    "!!!!",
    "QUJDRA",
    "QUJDRA==\n",
    "aGk=aGk=",
    "/+/+",
    "qaA/",
]
B32_INPUTS = [
    "",
    "MY======",
    "MY=====",
    "MZXW6===",
    "MZXW6",
    "MY======MZXW6===",
    "M=======",
    "MZX=====",
    "mzxw6===",
    "MZXW6YQ=",
    "MZXW6YTB",
    "MZXW6Y==",
]


@needs_helm
@pytest.mark.parametrize("text", B64_INPUTS)
def test_b64dec_matches_helm(text: str) -> None:
    assert _printed(b64dec(text)) == _helm("b64dec", text)


@needs_helm
@pytest.mark.parametrize("text", B32_INPUTS)
def test_b32dec_matches_helm(text: str) -> None:
    assert _printed(b32dec(text)) == _helm("b32dec", text)


@needs_helm
@settings(max_examples=40, deadline=None)
@given(st.text(alphabet="AB=\n+/!aq7", max_size=14))
def test_decoders_match_helm_on_noise(text: str) -> None:
    assert _printed(b64dec(text)) == _helm("b64dec", text)
    assert _printed(b32dec(text)) == _helm("b32dec", text)


@needs_helm
@pytest.mark.parametrize("text", ["", "hello world", "héllo✓", "\x00\x7f"])
def test_encoders_match_helm(text: str) -> None:
    assert b64enc(text) == _helm("b64enc", text)
    assert b32enc(text) == _helm("b32enc", text)


@given(st.binary(max_size=64))
def test_binary_round_trips_byte_for_byte(data: bytes) -> None:
    s = data.decode("utf-8", "surrogateescape")
    assert go_bytes(b64dec(b64enc(s))) == data
    assert go_bytes(b32dec(b32enc(s))) == data

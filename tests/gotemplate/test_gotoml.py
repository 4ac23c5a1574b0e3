"""toToml/fromToml against real Helm (Helm 4's BurntSushi v1.6.0 float format for the oracle)."""

from __future__ import annotations

import json

import pytest
from goyaml_oracle import helm_pipeline
from helm_oracle import HAVE_HELM, HelmFailure, helm_render_snippet
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hooklint.gotemplate.gotoml import FUNCS, from_toml, to_toml
from hooklint.gotemplate.goyaml import FUNCS as YAML_FUNCS
from hooklint.gotemplate.goyaml import load_values

pytestmark = pytest.mark.skipif(not HAVE_HELM, reason="needs helm_python")

VALUES = [
    "a: 1\nb: 1.5\nbig: 1e6\nhuge: 1e300\ntiny: 0.0000001\nneg: -0.0\n",
    's: "tab\\tnl\\ncr\\rq\\"bs\\\\ctl\\x01del\\x7fü"\n',
    "t: {a: {b: {c: 1}}, d: [{e: 1}, {e: 2, f: {g: h}}], i: []}\nz: [1, [2, 3], {x: y}]\n",
    '"a b": {"c.d": 1}\n"": 2\nok_key-1: 3\n',
    "a: [1, null]\n",
    "m: {n: null, o: 1}\n",
]


@pytest.mark.parametrize("values", VALUES)
def test_to_toml_like_helm4(values: str) -> None:
    helm = helm_render_snippet("{{ toToml .Values }}", values)
    assert not isinstance(helm, HelmFailure), helm
    assert to_toml(load_values(values), helm4=True) == helm


def test_helm3_writes_floats_without_exponent() -> None:
    # BurntSushi/toml v1.4.0 (Helm 3.17.1) formats floats with 'f' and adds ".0".
    assert FUNCS["toToml"]({"a": 1e6, "b": 1.0}) == "a = 1000000.0\nb = 1.0\n"


TOML_DOCS = [
    'a = 1\nb = "s"\n[t]\nx = [1, 2]\n',
    "[a.b]\nc = 1\n[[d]]\ne = 2\n[[d]]\ne = 3\n",
    "f = 1.5\ng = 1e3\nh = -0.0\ni = true\n",
    'k = """multi\nline"""\nl = \'lit\'\n',
    "",
]


def test_from_toml_like_helm() -> None:
    helm = helm_pipeline(TOML_DOCS, "fromToml | toYaml")
    assert not isinstance(helm, HelmFailure), helm
    ours = [YAML_FUNCS["toYaml"](from_toml(d)) for d in TOML_DOCS]
    assert ours == helm


def test_from_toml_error_is_in_error_key() -> None:
    assert from_toml("a = ")["Error"].startswith("toml: ")


keys = st.text(alphabet='ab_- .ü"', max_size=5)
scalars = st.one_of(
    st.booleans(), st.integers(-(2**40), 2**40).map(float), st.text(alphabet='ab \t\n"\\ü\x01', max_size=6)
)
trees = st.recursive(
    scalars,
    lambda inner: st.one_of(st.lists(inner, max_size=3), st.dictionaries(keys, inner, max_size=3)),
    max_leaves=10,
)


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.dictionaries(keys, trees, max_size=4), min_size=1, max_size=8))
def test_random_values_to_toml_like_helm4(docs: list[dict]) -> None:
    texts = [json.dumps(d, ensure_ascii=False) for d in docs]
    helm = helm_pipeline(texts, "fromYaml | toToml")
    assert not isinstance(helm, HelmFailure), helm
    fy = YAML_FUNCS["fromYaml"]
    for t, h in zip(texts, helm, strict=True):
        assert to_toml(fy(t), helm4=True) == h, t

"""Differential tests: our fromYaml/toYaml/values decoding against real Helm, in batches."""

from __future__ import annotations

import json

import pytest
from goyaml_oracle import helm_pipeline
from helm_oracle import HAVE_HELM, HelmFailure, helm_render_snippet
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hooklint.gotemplate.goyaml import FUNCS, YAMLError, load_values, to_yaml

pytestmark = pytest.mark.skipif(not HAVE_HELM, reason="needs helm_python")

from_yaml = FUNCS["fromYaml"]
to_yaml_fn = FUNCS["toYaml"]
from_yaml_array = FUNCS["fromYamlArray"]

LONG = " ".join(f"word{i}" for i in range(40))

# Documents covering YAML 1.1 resolution, quoting, anchors, merge keys, block scalars,
# unicode, long lines and error reporting. Each is decoded by fromYaml and re-encoded by toYaml.
DOCS = [
    "a: 1",
    "n: 2\ny: s\nyes: no\non: off\nY: N\nTrue: FALSE",
    "k: [y, n, yes, no, on, off, true, false, Yes, NO, ON, Off, ~, null, Null, NULL, '']",
    "k: ['y', 'n', 'yes', 'no', 'on', 'off', 'true', 'null', '~', '1', '1.0', '0x1F', '1e3', '.5', '-', '---', '...']",
    "i: [0, -1, +1, 1_000, 0x1F, 0X1f, 017, 0o17, 0b101, 08, 09, 1e3, 1E3, 1e+3, 1.5e-3, .5, -.5, +.5, 1., 0.]",
    "f: [.inf, -.inf, +.Inf, .NaN]",
    "big: [9223372036854775807, 9223372036854775808, 18446744073709551615, 18446744073709551616, 1e20, 1e21, 123456789012345678901234567890]",
    "floats: [1.0, 1.5, 100.0, 1e6, 1e-6, 1e-7, 0.000001, 123456789.5, 1234567.0, 3.14159265358979, 2.5e-10, -0.0, 1e300]",
    "ts: [2001-12-14, 2001-12-14t21:59:43.10-05:00, 2001-12-14 21:59:43.10, 2002-12-14T21:59:43Z, 2001-1-2, 2001-13-01, 2001-02-30, 1234-5, '2001-12-14']",
    "base60: ['1:20', '190:20:30.15', '-1:20', 1:20, 'a:b', '1:2:3']",
    "s: [a b, 'a  b', ' lead', 'trail ', 'a: b', 'a #b', 'a#b', '#x', '-x', '- x', '? x', '?x', ':x', 'x:', '[x]', '{x}', 'a,b', '&a', '*a', '!a', '|a', '>a', '%a', '@a', '`a', 'it''s', '\"q\"', 'back\\\\slash']",
    's: ["tab\\there", "cr\\rhere", "nul\\0", "bell\\a", "esc\\e", "nbsp\\u00a0x", "nel\\x85x", "ls\\u2028x", "ps\\u2029x", "bom\\ufeffx", "\\ufeffstart"]',
    's: ["üñíçødé", "日本語", "emoji 😀 x", "math 𝔘", "\\ue000", "\\ufffd"]',
    's: "del\\x7f"',
    's: "c1\\x9bx"',
    's: "\\ufffe"',
    "ml: |\n  line1\n  line2\nml2: |-\n  a\n  b\nml3: |+\n  a\n\nml4: >\n  folded\n  text\n\n  para\n",
    'm: ["a\\nb", "a\\n", "a\\n\\n", "\\na", "\\n", " a\\nb", "a \\nb", "a\\n b", "a\\n\\tb", "a\\r\\nb", "a\\n#b", "x\\n\\n\\ny", "trailing \\n"]',
    "long: " + LONG,
    "long2: '" + LONG + "  double  spaces " + LONG + "'",
    'long3: "' + LONG + "\\t tab " + LONG + '"',
    "long4: '" + "x" * 100 + " " + "y" * 100 + "'",
    "nest: {a: {b: {c: [1, [2, [3, {d: e}]]]}}}",
    "lists:\n- a: 1\n  b: 2\n- - x\n  - y\n- []\n- {}\n- ''\n-\n- null",
    "empty: {}\nel: []\nnested: {e: {}, l: []}",
    "base: &b\n  x: 1\n  y: 2\nderived:\n  <<: *b\n  y: 3\n  z: 4\nlst: &l [1, 2]\nref: *l",
    "a: &a {x: 1, y: 1}\nb: &b {y: 2, z: 2}\nc:\n  <<: [*a, *b]\nd:\n  w: 0\n  <<: {w: 9, v: 9}",
    "? complex\n: v\n1: int key\n1.5: float key\n3.14159265358979: pi\ntrue: bool key\n0x10: hex\n1e3: exp\n.inf: inf\n2001-01-01: date",
    "? " + "k" * 130 + "\n: long key\n'a\\nb': x\n\"c\\nd\": y",
    "keys: {'': empty, ' ': space, 'a b': 1, 'a:b': 2, '-': 3, '0': 4, 'y': 5, 'null': 6}",
    "order: {b: 1, a: 1, B: 1, a10: 1, a2: 1, a02: 1, a1: 1, _x: 1, '1': 1, '10': 1, '9': 1, x.y: 1, z-1: 1, é: 1, '~': 1}",
    "tags: [!!str 1, !!int '3', !!float 3, !!float '1.5', !!bool 'yes', !!null '', !!binary aGVsbG8=, !custom x, !!timestamp 2001-01-01]",
    "bin: !!binary /w==",
    "dup: 1\ndup: 2\nmap: {a: 1}\nmap: {b: 2}",
    "a: 'single ''quoted'''\nb: \"double \\\"quoted\\\"\"\nc: plain 'mixed\" quotes",
    "---\na: 1\n---\nb: 2",
    "# only a comment",
    "",
    "--- |\n  scalar doc",
    "- a\n- b",
    "just a string",
    "42",
    "foo: [",
    "a: 1\n b: 2",
    "a: *missing",
    "a: &x [1, *x]",
    "a: !!int 3.5",
    "a: !!null x",
    "a: !!binary '!!!'",
    "? [a]\n: 1",
    "? {a: 1}\n: 1",
    "~: null key",
    "18446744073709551615: uint key",
    "a: .inf",
    "a:\n  <<: 1",
    "\tb: 1",
    "a: 'unterminated",
    'a: "unterminated',
    "a: b: c",
    "- a\nb: 1",
    "a:\n- b\n  c: 1",
    "[a, b",
    "{a: 1",
    "a: |\n  x\n y",
    "a: @x",
    "a: `x",
    "a: 1\n\n\n  b",
    "key: value\n  # comment\nother: 1\n   bad: x",
    "a: \x01",
    "%YAML 1.1\n---\na: 1",
    "a: !<tag:yaml.org,2002:str> 5",
]


def _batch(docs: list[str], pipeline: str) -> list[str]:
    got = helm_pipeline(docs, pipeline)
    assert not isinstance(got, HelmFailure), got
    return got


def _ours_from_to(doc: str) -> str:
    return to_yaml_fn(from_yaml(doc))


def test_from_yaml_to_yaml_corpus() -> None:
    helm = _batch(DOCS, "fromYaml | toYaml")
    bad = [(d, h, _ours_from_to(d)) for d, h in zip(DOCS, helm, strict=True) if _ours_from_to(d) != h]
    assert not bad, "\n\n".join(f"DOC {d!r}\nHELM {h!r}\nOURS {o!r}" for d, h, o in bad)


def test_from_yaml_array_corpus() -> None:
    helm = _batch(DOCS, "fromYamlArray | toYaml")
    bad = []
    for d, h in zip(DOCS, helm, strict=True):
        o = to_yaml_fn(from_yaml_array(d))
        if o != h:
            bad.append((d, h, o))
    assert not bad, "\n\n".join(f"DOC {d!r}\nHELM {h!r}\nOURS {o!r}" for d, h, o in bad)


@pytest.mark.parametrize(
    "values",
    [d for d in DOCS if d.startswith(("n:", "i:", "ml:", "base:", "? complex", "order:"))],
)
def test_values_file_like_helm(values: str) -> None:
    """The chart's values.yaml goes through the same decoder; Helm drops null leaves, so the
    corpus entries used here have none."""
    helm = helm_render_snippet("{{ toYaml .Values }}", values)
    assert not isinstance(helm, HelmFailure), helm
    assert to_yaml(load_values(values)).removesuffix("\n") == helm


@pytest.mark.parametrize("values", ["a: [", "- a", "just text", "a: *x", "a: .nan", "? [a]\n: 1"])
def test_bad_values_file_error_like_helm(values: str) -> None:
    helm = helm_render_snippet("x", values)
    assert isinstance(helm, HelmFailure)
    with pytest.raises(YAMLError) as err:
        load_values(values)
    # Helm 4 prefixes "cannot load values.yaml: cannot unmarshal yaml document: "
    assert helm.message.endswith(err.value.message), (helm.message, err.value.message)


# --- property: random Go values written as JSON (JSON is YAML) -------------------------------

NASTY = ": #-?{}[],&*!|>'\"%@`\\\t\n abcxyzAB019.+_~é日😀\u2028\x85"
nasty_text = st.one_of(
    st.text(alphabet=NASTY, max_size=12),
    st.sampled_from(
        [
            "yes",
            "no",
            "y",
            "n",
            "null",
            "~",
            "true",
            "1.0",
            "0x1F",
            "1e3",
            "",
            " ",
            "-",
            "---",
            "2001-01-01",
            "1:20",
            "<<",
            "=",
            "0o17",
            "+1",
        ]
    ),
    st.text(alphabet="ab ", min_size=70, max_size=200),
)
numbers = st.one_of(
    st.integers(min_value=-(2**64), max_value=2**64),
    st.floats(allow_nan=False, allow_infinity=False),
)
go_values = st.recursive(
    st.one_of(st.none(), st.booleans(), numbers, nasty_text),
    lambda inner: st.one_of(
        st.lists(inner, max_size=4),
        st.dictionaries(nasty_text, inner, max_size=4),
    ),
    max_leaves=12,
)


@settings(
    max_examples=int(__import__("os").environ.get("GOYAML_EXAMPLES", "30")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(st.lists(st.dictionaries(nasty_text, go_values, max_size=5), min_size=1, max_size=10))
def test_random_json_documents_round_trip_like_helm(docs: list[dict]) -> None:
    texts = [json.dumps(d, ensure_ascii=False) for d in docs]
    helm = _batch(texts, "fromYaml | toYaml")
    for t, h in zip(texts, helm, strict=True):
        assert _ours_from_to(t) == h, t


def test_to_yaml_pretty_corpus() -> None:
    to_yaml_pretty_fn = FUNCS["toYamlPretty"]
    helm = _batch(DOCS, "fromYaml | toYamlPretty")
    bad = []
    for d, h in zip(DOCS, helm, strict=True):
        o = to_yaml_pretty_fn(from_yaml(d))
        if o != h:
            bad.append((d, h, o))
    assert not bad, "\n\n".join(f"DOC {d!r}\nHELM {h!r}\nOURS {o!r}" for d, h, o in bad)

"""schema_meta.surely_valid: never claims a schema valid that jsonschema's metaschema check rejects,
and proves the schemas charts really ship (the fast path is taken)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hooklint.chart.schema_meta import surely_valid

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"
DRAFTS = [jsonschema.Draft7Validator, jsonschema.Draft202012Validator]


def _meta_errors(cls: Any, schema: Any) -> list[Any]:
    return list(cls(cls.META_SCHEMA, format_checker=cls.FORMAT_CHECKER).iter_errors(schema))


KEYWORDS = [
    "$id", "$schema", "$ref", "$comment", "$anchor", "$dynamicRef", "$dynamicAnchor", "$defs",
    "$vocabulary", "title", "description", "default", "readOnly", "writeOnly", "deprecated",
    "examples", "multipleOf", "maximum", "exclusiveMaximum", "minimum", "exclusiveMinimum",
    "maxLength", "minLength", "pattern", "additionalItems", "items", "prefixItems", "maxItems",
    "minItems", "uniqueItems", "contains", "maxContains", "minContains", "maxProperties",
    "minProperties", "required", "additionalProperties", "definitions", "properties",
    "patternProperties", "dependencies", "dependentSchemas", "dependentRequired", "propertyNames",
    "const", "enum", "type", "format", "contentMediaType", "contentEncoding", "contentSchema",
    "if", "then", "else", "allOf", "anyOf", "oneOf", "not", "unevaluatedItems",
    "unevaluatedProperties", "x-custom",
]
SCALARS = st.one_of(
    st.none(), st.booleans(), st.integers(-3, 3), st.sampled_from([0.0, 1.5, -2.0, 2.0]),
    st.sampled_from(["", "string", "object", "integer", "^a+$", "a(", "[", "#", "#/x", "a#b",
                     "http://x/y", "_anchor", "1bad", "x\n", "array", "number"]),
)


def _schemas(children: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    return st.one_of(
        st.lists(children, max_size=3),
        st.dictionaries(st.sampled_from(KEYWORDS + ["a", "b", "^a", "("]), children, max_size=4),
    )


SCHEMAS = st.recursive(SCALARS, _schemas, max_leaves=12)


def _near_valid(children: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    """Schemas whose keywords mostly hold values of the right shape, so that many are valid and
    the proof has something to prove; SCALARS mixed in make some of them invalid."""
    types = st.sampled_from(["string", "object", "integer", "array", "number", "boolean", "null"])
    value = {
        "type": st.one_of(types, st.lists(types, min_size=1, max_size=3)),
        "properties": st.dictionaries(st.sampled_from(["a", "b", "c"]), children, max_size=3),
        "patternProperties": st.dictionaries(st.sampled_from(["^a", "b$", "("]), children, max_size=2),
        "items": st.one_of(children, st.lists(children, max_size=2)),
        "anyOf": st.lists(children, max_size=2), "not": children, "$defs": st.dictionaries(st.just("d"), children),
        "required": st.lists(st.sampled_from(["a", "b", "c"]), max_size=3),
        "minLength": st.sampled_from([0, 1, -1, 2.0, True]), "pattern": st.sampled_from(["^a", "a(", "[0-9]+"]),
        "dependencies": st.dictionaries(st.just("a"), st.one_of(children, st.lists(st.sampled_from(["b", "c"])))),
        "$id": st.sampled_from(["http://x/y", "#frag", "x#", ""]), "$anchor": st.sampled_from(["ok", "1bad"]),
        "enum": st.lists(SCALARS, max_size=2), "multipleOf": st.sampled_from([1, 0, 0.5, -1]),
    }
    return st.fixed_dictionaries({}, optional={k: st.one_of(v, SCALARS) if k == "not" else v
                                               for k, v in value.items()})


NEAR_VALID = st.recursive(st.booleans() | st.just({}), _near_valid, max_leaves=10)


@pytest.mark.parametrize("cls", DRAFTS, ids=lambda c: c.__name__)
@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(schema=st.one_of(SCHEMAS, NEAR_VALID))
def test_a_proof_is_never_wrong(cls: Any, schema: Any) -> None:
    if surely_valid(cls, schema):
        assert _meta_errors(cls, schema) == []


VALID = {
    "type": "object",
    "$schema": "http://json-schema.org/draft-07/schema#",
    "required": ["image"],
    "properties": {
        "image": {"type": "object", "properties": {"tag": {"type": ["string", "null"], "pattern": "^v?[0-9.]+$"}}},
        "replicas": {"type": "integer", "minimum": 0, "maximum": 10, "multipleOf": 1},
        "ports": {"type": "array", "items": {"type": "integer"}, "minItems": 1, "uniqueItems": True},
        "mode": {"enum": ["a", "b"], "default": "a", "description": "what to run"},
        "extra": {"anyOf": [{"type": "string"}, {"type": "null"}], "examples": ["x"]},
    },
    "patternProperties": {"^x-": True},
    "additionalProperties": False,
    "definitions": {"port": {"type": "integer", "exclusiveMaximum": 65536}},
    "dependencies": {"tls": ["cert"], "auth": {"required": ["user"]}},
    "if": {"properties": {"mode": {"const": "b"}}}, "then": {"required": ["extra"]}, "else": True,
}


@pytest.mark.parametrize("cls", DRAFTS, ids=lambda c: c.__name__)
def test_a_typical_schema_is_proven(cls: Any) -> None:
    assert _meta_errors(cls, VALID) == []
    assert surely_valid(cls, VALID)


@pytest.mark.parametrize("cls", DRAFTS, ids=lambda c: c.__name__)
@pytest.mark.parametrize("broken", [
    {"type": 5},
    {"type": ["string", "string"]},
    {"type": []},
    {"properties": {"a": {"pattern": "a("}}},
    {"patternProperties": {"(": {}}},
    {"required": "name"},
    {"minLength": -1},
    {"multipleOf": 0},
    {"allOf": []},
    {"items": {"type": "strin"}},
    {"dependencies": {"a": [1]}},
    [],
    "object",
])
def test_what_the_metaschema_rejects_is_not_proven(cls: Any, broken: Any) -> None:
    assert _meta_errors(cls, broken) != []
    assert not surely_valid(cls, broken)


def test_fixture_chart_schemas_take_the_fast_path() -> None:
    found = sorted(FIXTURES.rglob("values.schema.json"))
    proven = 0
    for path in found:
        try:
            schema = json.loads(path.read_text())
        except ValueError:
            continue  # broken on purpose (decode-error fixtures)
        for default in DRAFTS:
            cls = jsonschema.validators.validator_for(schema, default=default) if isinstance(schema, dict) else default
            if not _meta_errors(cls, schema) and cls in DRAFTS:
                assert surely_valid(cls, schema), f"{path} ({cls.__name__}) is valid but not proven"
                proven += 1
    assert proven > 0

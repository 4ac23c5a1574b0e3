"""A quick proof that a values.schema.json is valid against its metaschema (draft-07, 2020-12).

Before validating values, schema.py checks the chart's schema against its metaschema, because
both Helms refuse a schema that is not (`"type": 5`, a bad `pattern`). jsonschema does that check
by evaluating the metaschema like any schema, which for draft 2020-12 means resolving a
`$dynamicRef` at every subschema: ~140 ms for a large chart schema, longer than Helm takes to
render the whole chart. Almost every real schema is valid, so `surely_valid` walks it once,
checking each keyword the way the metaschema constrains it, and answers True only when it can
prove validity. Anything it does not handle exactly (other drafts, rare keywords, a float where
an integer is expected, anything invalid) answers False, and the caller runs jsonschema's full
metaschema check as before: the outcome never depends on this module, only the time does
(tests/chart/test_schema_meta.py checks the claim against jsonschema on generated schemas).

The keyword tables mirror the metaschemas shipped with jsonschema-specifications: draft-07's
single document; 2020-12's core, applicator, unevaluated, validation, meta-data,
format-annotation and content vocabularies plus the legacy `definitions` and `dependencies`.
Keywords a metaschema does not mention are not constrained by it and are not looked at.
"""

from __future__ import annotations

import re
from collections.abc import Callable

TYPE_CHECKING = False  # not `typing`'s: importing typing costs ~3 ms of every run
if TYPE_CHECKING:
    from typing import Any

__all__ = ["metaschema_id", "surely_valid"]

_SIMPLE_TYPES = frozenset({"array", "boolean", "integer", "null", "number", "object", "string"})
# core vocabulary patterns, applied with re.search like jsonschema's `pattern` keyword
_ANCHOR = re.compile(r"^[A-Za-z_][-A-Za-z0-9._]*$")
_ID_2020 = re.compile(r"^[^#]*#?$")

# How a keyword's value is checked: a schema, an object of schemas, a non-empty array of schemas, ...
_SCHEMA, _SCHEMA_MAP, _SCHEMA_ARRAY, _ITEMS_7 = "schema", "schema-map", "schema-array", "items-7"
_STRING, _BOOL, _ARRAY, _NUMBER, _POSITIVE, _COUNT = "string", "bool", "array", "number", "positive", "count"
_STRING_ARRAY, _TYPE, _REGEX, _PATTERN_MAP = "string-array", "type", "regex", "pattern-map"
_DEPENDENCIES, _STRING_ARRAY_MAP, _URI, _URI_REF, _ID_2020_KIND, _ANCHOR_KIND = (
    "dependencies", "string-array-map", "uri", "uri-reference", "id-2020", "anchor")

_COMMON = {
    "$schema": _URI, "$comment": _STRING, "title": _STRING, "description": _STRING,
    "readOnly": _BOOL, "examples": _ARRAY, "multipleOf": _POSITIVE, "maximum": _NUMBER,
    "exclusiveMaximum": _NUMBER, "minimum": _NUMBER, "exclusiveMinimum": _NUMBER,
    "maxLength": _COUNT, "minLength": _COUNT, "pattern": _REGEX, "maxItems": _COUNT,
    "minItems": _COUNT, "uniqueItems": _BOOL, "contains": _SCHEMA, "maxProperties": _COUNT,
    "minProperties": _COUNT, "required": _STRING_ARRAY, "additionalProperties": _SCHEMA,
    "definitions": _SCHEMA_MAP, "properties": _SCHEMA_MAP, "patternProperties": _PATTERN_MAP,
    "dependencies": _DEPENDENCIES, "propertyNames": _SCHEMA, "enum": _ARRAY, "type": _TYPE,
    "format": _STRING, "contentMediaType": _STRING, "contentEncoding": _STRING, "if": _SCHEMA,
    "then": _SCHEMA, "else": _SCHEMA, "allOf": _SCHEMA_ARRAY, "anyOf": _SCHEMA_ARRAY,
    "oneOf": _SCHEMA_ARRAY, "not": _SCHEMA,
}
# "default" and "const" accept anything in both metaschemas
_DRAFT7 = {**_COMMON, "$id": _URI_REF, "$ref": _URI_REF, "additionalItems": _SCHEMA, "items": _ITEMS_7}
_DRAFT2020 = {
    **_COMMON, "$id": _ID_2020_KIND, "$ref": _URI_REF, "$anchor": _ANCHOR_KIND,
    "$dynamicRef": _URI_REF, "$dynamicAnchor": _ANCHOR_KIND, "$defs": _SCHEMA_MAP,
    "prefixItems": _SCHEMA_ARRAY, "items": _SCHEMA, "dependentSchemas": _SCHEMA_MAP,
    "unevaluatedItems": _SCHEMA, "unevaluatedProperties": _SCHEMA, "deprecated": _BOOL,
    "writeOnly": _BOOL, "maxContains": _COUNT, "minContains": _COUNT,
    "dependentRequired": _STRING_ARRAY_MAP, "contentSchema": _SCHEMA,
    # "$vocabulary", "$recursiveAnchor" and "$recursiveRef" are constrained too, but rare:
    # a schema using them is not handled here (see _UNHANDLED_2020)
}
_UNHANDLED_2020 = frozenset({"$vocabulary", "$recursiveAnchor", "$recursiveRef"})

_DRAFT_TABLES = {
    "http://json-schema.org/draft-07/schema": (_DRAFT7, frozenset()),
    "https://json-schema.org/draft/2020-12/schema": (_DRAFT2020, _UNHANDLED_2020),
}


def metaschema_id(validator_class: Any) -> str:
    """The `$id` of a jsonschema validator class's metaschema, without its empty fragment."""
    return str(validator_class.META_SCHEMA.get("$id", "")).rstrip("#")


def surely_valid(validator_class: Any, schema: Any) -> bool:
    """True when `schema` is certainly valid against `validator_class.META_SCHEMA` with the class's
    format checker; False when it is not or when this module cannot tell."""
    table = _DRAFT_TABLES.get(metaschema_id(validator_class))
    if table is None:
        return False
    keywords, unhandled = table
    conforms: Callable[[Any, str], bool] = validator_class.FORMAT_CHECKER.conforms
    try:
        return _Walk(keywords, unhandled, conforms).schema(schema)
    except RecursionError:  # deeper than Python goes: let jsonschema say what it says
        return False


class _Walk:
    def __init__(self, keywords: dict[str, str], unhandled: frozenset[str],
                 conforms: Callable[[Any, str], bool]) -> None:
        self.keywords = keywords
        self.unhandled = unhandled
        self.conforms = conforms

    def schema(self, node: Any) -> bool:
        if isinstance(node, bool):
            return True
        if not isinstance(node, dict):
            return False
        keywords = self.keywords
        for key, value in node.items():
            kind = keywords.get(key)
            if kind is None:
                if key in self.unhandled:
                    return False
                continue  # a keyword the metaschema leaves alone
            if not self.value(kind, value):
                return False
        return True

    def value(self, kind: str, value: Any) -> bool:  # noqa: PLR0911, PLR0912 - one case per kind
        if kind == _SCHEMA:
            return self.schema(value)
        if kind == _SCHEMA_MAP:
            return isinstance(value, dict) and all(self.schema(v) for v in value.values())
        if kind == _STRING:
            return isinstance(value, str)
        if kind == _TYPE:
            if isinstance(value, str):
                return value in _SIMPLE_TYPES
            return (isinstance(value, list) and len(value) > 0 and _unique_strings(value)
                    and all(v in _SIMPLE_TYPES for v in value))
        if kind == _SCHEMA_ARRAY:
            return isinstance(value, list) and len(value) > 0 and all(self.schema(v) for v in value)
        if kind == _STRING_ARRAY:
            return isinstance(value, list) and _unique_strings(value)
        if kind == _BOOL:
            return isinstance(value, bool)
        if kind == _ARRAY:
            return isinstance(value, list)
        if kind == _NUMBER:
            return _is_number(value)
        if kind == _POSITIVE:
            return _is_number(value) and value > 0
        if kind == _COUNT:
            # an integral float (2.0) is an integer to jsonschema; not handled here
            return type(value) is int and value >= 0
        if kind == _REGEX:
            return isinstance(value, str) and self.conforms(value, "regex")
        if kind == _PATTERN_MAP:
            return isinstance(value, dict) and all(
                self.conforms(k, "regex") and self.schema(v) for k, v in value.items())
        if kind == _ITEMS_7:
            if isinstance(value, list):
                return len(value) > 0 and all(self.schema(v) for v in value)
            return self.schema(value)
        if kind == _DEPENDENCIES:
            return isinstance(value, dict) and all(
                _unique_strings(v) if isinstance(v, list) else self.schema(v) for v in value.values())
        if kind == _STRING_ARRAY_MAP:
            return isinstance(value, dict) and all(
                isinstance(v, list) and _unique_strings(v) for v in value.values())
        if kind == _URI:
            return isinstance(value, str) and self.conforms(value, "uri")
        if kind == _URI_REF:
            return isinstance(value, str) and self.conforms(value, "uri-reference")
        if kind == _ID_2020_KIND:
            return (isinstance(value, str) and _ID_2020.search(value) is not None
                    and self.conforms(value, "uri-reference"))
        if kind == _ANCHOR_KIND:
            return isinstance(value, str) and _ANCHOR.search(value) is not None
        return False


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _unique_strings(values: list[Any]) -> bool:
    return all(isinstance(v, str) for v in values) and len(set(values)) == len(values)

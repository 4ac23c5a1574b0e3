"""values.schema.json failures worded like Helm 4.2.3 (santhosh-tekuri/jsonschema v6) with
helm_version=4, compared with the oracle's exact text on many small schemas.

Helm iterates Go maps at random, so the order of sibling errors (and of names in one
"additional properties" error) can change between Helm runs: multi-line reports are compared
line by line, sorted, and hooklint sorts them itself (deterministic output).
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from helm_oracle import HAVE_HELM, helm_python, write_chart

from hooklint.chart import load_chart
from hooklint.errors import HooklintError
from hooklint.render import RenderOptions, render_chart

needs_helm = pytest.mark.skipif(not HAVE_HELM, reason="helm_python not installed")

# (schema, values.yaml) pairs; the expected report comes from the oracle at test time.
SCHEMA_CASES: list[tuple[dict[str, Any], str]] = [
    ({"required": ["policy"]}, ""),
    ({"required": ["a", "b", "c"]}, "b: 1\n"),
    ({"properties": {"r": {"type": "integer"}}}, "r: x\n"),
    ({"properties": {"r": {"type": "integer"}}}, "r: 1.5\n"),
    ({"properties": {"r": {"type": ["string", "null", "integer"]}}}, "r: {}\n"),
    ({"properties": {"r": {"enum": ["Always", "IfNotPresent", 3, True, None]}}}, "r: x\n"),
    ({"properties": {"r": {"enum": ["Always"]}}}, "r: x\n"),
    ({"properties": {"r": {"enum": [[1], "a"]}}}, "r: x\n"),
    ({"properties": {"r": {"minimum": 3}}}, "r: 1\n"),
    ({"properties": {"r": {"maximum": 3.5}}}, "r: 10.25\n"),
    ({"properties": {"r": {"exclusiveMinimum": 3}}}, "r: 3\n"),
    ({"properties": {"r": {"multipleOf": 2}}}, "r: 3\n"),
    ({"properties": {"r": {"pattern": "^a+$"}}}, 'r: "b\'c"\n'),
    ({"properties": {"r": {"minLength": 3, "maxLength": 1}}}, "r: ab\n"),
    ({"properties": {"r": {"maxLength": 1}}}, "r: héllo\n"),
    ({"properties": {"r": {"const": "x"}}}, "r: y\n"),
    ({"properties": {"r": {"const": {"a": 1}}}}, "r: y\n"),
    ({"properties": {"r": {"const": 1.5}}}, "r: y\n"),
    ({"additionalProperties": False, "properties": {"a": {}}}, "a: 1\nzz: 2\n"),
    ({"additionalProperties": False, "properties": {"a": {}}}, "a: 1\nzz: 2\nyy: 3\n"),
    ({"additionalProperties": {"type": "string"}}, "zz: 2\n"),
    (
        {
            "properties": {
                "img": {
                    "type": "object",
                    "required": ["tag"],
                    "properties": {"pullPolicy": {"enum": ["Always", "IfNotPresent"]}},
                }
            }
        },
        "img:\n  pullPolicy: x\n",
    ),
    ({"properties": {"img": {"type": "object"}}}, "img: 3\n"),
    ({"type": "object", "properties": {"a": {"type": "string", "enum": ["x"]}}}, "a: 3\n"),
    ({"properties": {"l": {"type": "array", "items": {"type": "string"}}}}, "l: [a, 1]\n"),
    ({"properties": {"l": {"minItems": 3}}}, "l: [a, 1]\n"),
    ({"properties": {"l": {"uniqueItems": True}}}, "l: [a, 1, a]\n"),
    ({"properties": {"r": {"anyOf": [{"type": "string"}, {"type": "boolean"}]}}}, "r: 1\n"),
    ({"properties": {"r": {"oneOf": [{"type": "string"}, {"minimum": 5}]}}}, "r: 1\n"),
    ({"properties": {"r": {"oneOf": [{"type": "number"}, {"minimum": 0}]}}}, "r: 1\n"),
    ({"properties": {"r": {"allOf": [{"type": "number"}, {"minimum": 5}]}}}, "r: 1\n"),
    ({"properties": {"r": {"not": {"type": "number"}}}}, "r: 1\n"),
    ({"properties": {"r": {"$ref": "#/$defs/x"}}, "$defs": {"x": {"type": "string"}}}, "r: 1\n"),
    (
        {
            "properties": {"r": {"$ref": "#/$defs/x"}},
            "$defs": {"x": {"required": ["a", "b"], "properties": {"a": {"type": "string"}}}},
        },
        "r:\n  a: 1\n",
    ),
    (
        {
            "$schema": "http://json-schema.org/draft-07/schema#",
            "properties": {"r": {"$ref": "#/definitions/x", "type": "number"}},
            "definitions": {"x": {"type": "string"}},
        },
        "r: 1\n",
    ),
    ({"properties": {"r": False}}, "r: 1\n"),
    ({"if": {"properties": {"a": {"const": 1}}}, "then": {"required": ["b"]}}, "a: 1\n"),
    ({"dependentRequired": {"a": ["b", "c"]}}, "a: 1\n"),
    ({"properties": {"r": {"minProperties": 2}}}, "r: {a: 1}\n"),
    ({"required": ["policy"], "properties": {"r": {"type": "integer"}}}, "r: x\n"),
    ({"properties": {"r": {"type": "integer"}, "s": {"type": "string"}}}, "r: x\ns: 1\n"),
    ({"properties": {"r": {"type": "integer", "minimum": 3}}}, "r: 1\n"),
    (
        {"properties": {"a": {"properties": {"b": {"properties": {"c": {"type": "string"}}}}}}},
        "a:\n  b:\n    c: 1\n",
    ),
    ({"properties": {"a/b": {"type": "string"}, "c~d": {"type": "string"}}}, "a/b: 1\nc~d: 2\n"),
    ({"patternProperties": {"^x": {"type": "string"}}}, "xa: 1\n"),
    ({"properties": {"r": {"anyOf": [{"type": "string"}, {"minimum": 5, "multipleOf": 2}]}}}, "r: 1\n"),
    ({"properties": {"r": {"allOf": [{"minimum": 5, "multipleOf": 2}]}}}, "r: 1\n"),
    (
        {
            "properties": {
                "r": {
                    "anyOf": [
                        {"properties": {"a": {"type": "string"}, "b": {"type": "string"}}},
                        {"type": "string"},
                    ]
                }
            }
        },
        "r: {a: 1, b: 2}\n",
    ),
    (
        {"properties": {"r": {"$ref": "#/$defs/x", "minimum": 3}}, "$defs": {"x": {"type": "string"}}},
        "r: 1\n",
    ),
    (
        {"properties": {"r": {"type": "object", "additionalProperties": False, "required": ["q"]}}},
        "r: {a: 1}\n",
    ),
    ({"properties": {"r": {"else": {"required": ["b"]}, "if": {"required": ["a"]}}}}, "r: {c: 1}\n"),
    (
        {"properties": {"r": {"items": {"type": "string"}, "prefixItems": [{"type": "number"}]}}},
        "r: [a, 1, 2]\n",
    ),
    ({"properties": {"r": {"type": "string"}}}, "r: null\n"),
]


def _helm_message(chart: Path) -> str | None:
    try:
        helm_python.Chart.load(str(chart)).render(None, name="r", namespace="default")
    except helm_python.HelmError as e:
        return str(e)
    return None


def _our_message(chart: Path, helm_version: int = 4) -> str | None:
    try:
        render_chart(
            load_chart(chart, helm_version=helm_version), None, RenderOptions(helm_version=helm_version)
        )
    except HooklintError as e:
        return e.message
    return None


def _chart(tmp_path: Path, schema: dict[str, Any], values_yaml: str) -> Path:
    files = {
        "values.schema.json": json.dumps(schema),
        "values.yaml": values_yaml,
        "templates/t.yaml": "a: 1\n",
    }
    return write_chart(tmp_path, files)


@needs_helm
@pytest.mark.parametrize(
    ("schema", "values_yaml"), SCHEMA_CASES, ids=[str(i) for i in range(len(SCHEMA_CASES))]
)
def test_schema_error_matches_helm4(tmp_path: Path, schema: dict[str, Any], values_yaml: str) -> None:
    chart = _chart(tmp_path, schema, values_yaml)
    helm, ours = _helm_message(chart), _our_message(chart)
    if helm is None or ours is None:
        assert helm == ours
    else:
        assert _unordered(ours) == _unordered(helm), (ours, helm)


def _unordered(report: str) -> list[str]:
    """The report's lines, sorted, with the names of each "additional properties" error sorted:
    both orders come from Go map iteration in Helm."""
    lines = []
    for line in report.splitlines():
        m = re.fullmatch(r"(.*additional properties )(.*)( not allowed)", line)
        if m:
            line = m.group(1) + ", ".join(sorted(m.group(2).split(", "))) + m.group(3)
        lines.append(line)
    return sorted(lines)


def test_sibling_errors_are_sorted(tmp_path: Path) -> None:
    schema = {"additionalProperties": False, "properties": {"b": {"type": "string"}, "a": {"type": "string"}}}
    ours = _our_message(_chart(tmp_path, schema, "b: 1\na: 2\nzz: 1\nyy: 2\n"))
    assert ours is not None
    # v6 order: each property's errors (sorted here), then the additionalProperties error.
    assert ours.splitlines()[2:] == [
        "- at '/a': got number, want string",
        "- at '/b': got number, want string",
        "- at '': additional properties 'yy', 'zz' not allowed",
    ]


def test_helm3_keeps_gojsonschema_wording(tmp_path: Path) -> None:
    """Helm 3.17.1 validates with xeipuuv/gojsonschema (pkg/chartutil/jsonschema.go)."""
    ours = _our_message(_chart(tmp_path, {"required": ["policy"]}, ""), helm_version=3)
    assert ours is not None and ours.endswith("t:\n- (root): policy is required\n")


SUBCHART = {
    "Chart.yaml": "apiVersion: v2\nname: t\nversion: 0.1.0\ndependencies:\n- name: sub\n  version: 0.1.0\n",
    "charts/sub/Chart.yaml": "apiVersion: v2\nname: sub\nversion: 0.1.0\n",
    "charts/sub/values.schema.json": json.dumps({"required": ["x"]}),
    "templates/t.yaml": "a: 1\n",
}


@needs_helm
@pytest.mark.parametrize("values_yaml", ["", "sub: {x: 1}\n", "sub: {y: 1}\n", "sub: null\n", "sub: 3\n"])
def test_subchart_schema_matches_helm4(tmp_path: Path, values_yaml: str) -> None:
    """Helm 4 skips a subchart without values and reports non-map values; Helm 3 would panic."""
    chart = write_chart(tmp_path, {**SUBCHART, "values.yaml": values_yaml})
    assert _our_message(chart) == _helm_message(chart)

"""toYamlPretty: goyaml.v3's Encoder with SetIndent(2), applied to the Go value directly."""

from __future__ import annotations

from typing import Any

from hooklint.gotemplate.yaml_encode import emit_goyaml_v2, json_roundtrip


def to_yaml_pretty(v: Any) -> str:
    return emit_goyaml_v2(json_roundtrip(v))

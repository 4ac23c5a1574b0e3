"""The goyaml API contract other modules rely on (expectations observed from Helm)."""

from __future__ import annotations

import pytest

from hooklint.errors import ChartError
from hooklint.gotemplate.goyaml import (
    FUNCS,
    STRING_TARGET,
    StructOf,
    YAMLError,
    load_values,
    to_yaml,
    to_yaml_pretty,
    yaml_to_go,
    yaml_to_go_strict,
)


def test_numbers_become_float64_and_yaml11_booleans_apply() -> None:
    assert load_values("n: 2\ny: s\nport: 8080\nhex: 0x1F\n") == {
        "false": 2.0,
        "true": "s",
        "port": 8080.0,
        "hex": 31.0,
    }
    assert type(load_values("a: 1\n")["a"]) is float


@pytest.mark.parametrize("text", ["", "# comment only\n", "~\n", "---\n"])
def test_empty_documents_give_empty_values(text: str) -> None:
    assert load_values(text) == {}


def test_only_the_first_document_is_read() -> None:
    assert load_values("a: 1\n---\nb: 2\n") == {"a": 1.0}


def test_syntax_error_is_a_chart_error_with_line() -> None:
    with pytest.raises(YAMLError) as err:
        load_values("a: 1\n b: 2\n", "values.yaml")
    assert isinstance(err.value, ChartError)
    assert (
        err.value.message
        == "error converting YAML to JSON: yaml: line 2: mapping values are not allowed in this context"
    )
    assert err.value.line == 2


def test_non_map_document_is_rejected() -> None:
    with pytest.raises(YAMLError) as err:
        load_values("- a\n")
    assert err.value.message.endswith("cannot unmarshal array into Go value of type map[string]interface {}")


def test_yaml_to_go_keeps_any_top_level_value() -> None:
    assert yaml_to_go("- 1\n- x\n") == [1.0, "x"]
    assert yaml_to_go("") is None


def test_string_target_coerces_like_sigs_yaml() -> None:
    meta = StructOf({"version": STRING_TARGET, "name": STRING_TARGET})
    assert yaml_to_go("version: 1.10\nName: 5\n", target=meta) == {"version": "1.1", "Name": "5"}


def test_strict_mode_rejects_duplicate_keys() -> None:
    assert yaml_to_go("a: 1\na: 2\n") == {"a": 2.0}
    with pytest.raises(YAMLError, match='key "a" already set in map'):
        yaml_to_go_strict("a: 1\na: 2\n")


def test_to_yaml_and_pretty_shapes() -> None:
    v = {"a": [1.0, 1e6], "s": "yes"}
    assert to_yaml(v) == 'a:\n- 1\n- 1000000\ns: "yes"\n'
    assert to_yaml_pretty(v) == 'a:\n  - 1\n  - 1e+06\ns: "yes"\n'


def test_template_functions_follow_helm_error_conventions() -> None:
    assert FUNCS["fromYaml"]("a: [") == {
        "Error": "error converting YAML to JSON: yaml: line 1: did not find expected node content"
    }
    assert FUNCS["fromYamlArray"]("a: 1") == [
        "error unmarshaling JSON: while decoding JSON: json: cannot unmarshal object into Go value of type []interface {}"
    ]
    assert FUNCS["toYaml"](float("nan")) == ""
    assert hasattr(FUNCS["toYaml"], "__go_sig__")

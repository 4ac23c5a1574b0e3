"""Go-compatible YAML as Helm uses it: sigs.k8s.io/yaml (goyaml.v2 + encoding/json) for
values files, `fromYaml` and `toYaml`; goyaml.v3 for `toYamlPretty`.

    load_values(text, filename)  chart values.yaml / -f files (Helm 3.17.1: first document only)
    yaml_to_go(text)             sigs.k8s.io/yaml.Unmarshal into interface{}
    to_yaml(v)                   sigs.k8s.io/yaml.Marshal bytes (toYaml trims the last newline)
    to_yaml_pretty(v)            toYamlPretty's goyaml.v3 encoder output (untrimmed)
    FUNCS                        Helm's YAML/TOML template functions with their Go signatures

Known differences from Helm are listed in the docstrings of yaml_decode/yaml_encode.
"""

from __future__ import annotations

from collections.abc import Callable

from hooklint.documents.source import SourcePos
from hooklint.errors import ChartError
from hooklint.gotemplate import yaml_decode
from hooklint.gotemplate.gotypes import ANY, LIST, MAP, STRING, LazyGoFunc, gofunc
from hooklint.gotemplate.yaml_decode import STRING as STRING_TARGET
from hooklint.gotemplate.yaml_decode import (
    GoYAMLError,
    MapOf,
    SliceOf,
    StructOf,
    Target,
    type_mismatch,
    yaml_to_json_value,
)
from hooklint.gotemplate.yaml_encode import YAMLEncodeError, to_yaml
from hooklint.gotemplate.yaml_pretty import to_yaml_pretty

TYPE_CHECKING = False  # not `typing`'s: importing typing costs ~3 ms of every run
if TYPE_CHECKING:
    from typing import Any

__all__ = [
    "FUNCS",
    "HELM4_FUNCS",
    "STRING_TARGET",
    "MapOf",
    "SliceOf",
    "StructOf",
    "Target",
    "YAMLEncodeError",
    "YAMLError",
    "load_values",
    "to_yaml",
    "to_yaml_pretty",
    "yaml_to_go",
    "yaml_to_go_strict",
]


class YAMLError(ChartError):
    """A YAML document Helm would reject. `message` is Go's error text exactly
    (e.g. `error converting YAML to JSON: yaml: line 3: did not find expected key`);
    callers add Helm's context (`cannot load values.yaml: `). `line` is 1-based when known."""

    def __init__(self, message: str, filename: str | None = None, line: int | None = None) -> None:
        pos = SourcePos(filename, line) if filename and line else None
        super().__init__(message, pos)
        self.filename = filename
        self.line = line


def yaml_to_go(text: str, target: Target | None = None, filename: str | None = None) -> Any:
    """sigs.k8s.io/yaml.Unmarshal(text, &v) with v an interface{}: nil, bool, float, str, list,
    dict[str, ...]. With `target`, scalars headed for Go string fields become strings the way
    sigs.k8s.io/yaml converts them (`1.10` -> "1.1"); the result is still JSON-shaped."""
    try:
        return yaml_to_json_value(text, target=target)
    except GoYAMLError as e:
        raise YAMLError(e.message, filename, e.line) from None


def yaml_to_go_strict(text: str, target: Target | None = None, filename: str | None = None) -> Any:
    """sigs.k8s.io/yaml.UnmarshalStrict: duplicate keys are an error."""
    try:
        return yaml_to_json_value(text, strict=True, target=target)
    except GoYAMLError as e:
        raise YAMLError(e.message, filename, e.line) from None


def load_values(text: str, filename: str = "values.yaml") -> dict[str, Any]:
    """A values file as Helm 3.17.1 reads it (yaml.Unmarshal into a map[string]interface{}):
    empty or null -> {}; a non-map document -> YAMLError."""
    value = yaml_to_go(text, filename=filename)
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise YAMLError(type_mismatch(value, MAP).message, filename)
    return value


# --- template functions (pkg/engine/funcs.go) ------------------------------------------------


@gofunc(ANY, result=STRING)
def _to_yaml(v: Any) -> str:
    try:
        return to_yaml(v).removesuffix("\n")
    except YAMLEncodeError:
        return ""  # Helm swallows marshal errors inside templates


@gofunc(ANY, result=STRING)
def _to_yaml_pretty(v: Any) -> str:
    try:
        return to_yaml_pretty(v).removesuffix("\n")
    except YAMLEncodeError:
        return ""


# fromYaml/fromYamlArray decode the same text again and again (a labels helper per resource:
# ~80% of calls over a corpus sample repeat an earlier text), so decoded documents are kept,
# up to _MEMO_MAX_CHARS of text in all, and each call gets its own copy to change.
_MEMO: dict[str, Any] = {}
_MEMO_MAX_CHARS = 1 << 20
_memo_chars = 0
_MISS: Any = object()


def forget() -> None:
    """Drop the remembered fromYaml documents and resolved scalars (yaml_decode): what
    bench/render.py calls, with fastparse.forget, to time a chart as a new process sees it."""
    global _memo_chars
    _MEMO.clear()
    _memo_chars = 0
    yaml_decode.forget()


def _decode_remembered(s: str) -> Any:
    """yaml_to_json_value(s), a fresh copy for every call (errors are not remembered)."""
    global _memo_chars
    value = _MEMO.get(s, _MISS)
    if value is _MISS:
        value = yaml_to_json_value(s)
        if _memo_chars + len(s) > _MEMO_MAX_CHARS:
            _MEMO.clear()
            _memo_chars = 0
        _MEMO[s] = value
        _memo_chars += len(s)
    return _copy_json(value)


def _copy_json(v: Any) -> Any:
    """A copy of a decoded document whose maps and lists are new (scalars are immutable)."""
    if type(v) is dict:
        return {k: _copy_json(x) if type(x) is dict or type(x) is list else x for k, x in v.items()}
    if type(v) is list:
        return [_copy_json(x) if type(x) is dict or type(x) is list else x for x in v]
    return v


@gofunc(STRING, result=MAP)
def _from_yaml(s: str) -> dict[str, Any]:
    try:
        value = _decode_remembered(s)
    except GoYAMLError as e:
        return {"Error": e.message}
    if value is None:
        return {}
    if not isinstance(value, dict):
        return {"Error": type_mismatch(value, MAP).message}
    return value


@gofunc(STRING, result=LIST)
def _from_yaml_array(s: str) -> list[Any]:
    try:
        value = _decode_remembered(s)
    except GoYAMLError as e:
        return [e.message]
    if value is None:
        return []
    if not isinstance(value, list):
        return [type_mismatch(value, LIST).message]
    return value


def _must_to_yaml_impl(v: Any) -> str:
    from hooklint.gotemplate.gotypes import GoPanic

    try:
        return to_yaml(v).removesuffix("\n")
    except YAMLEncodeError as e:
        raise GoPanic(str(e)) from None


_must_to_yaml = gofunc(ANY, result=STRING)(_must_to_yaml_impl)


FUNCS: dict[str, Callable[..., Any]] = {
    "toYaml": _to_yaml,
    "toYamlPretty": _to_yaml_pretty,
    "fromYaml": _from_yaml,
    "fromYamlArray": _from_yaml_array,
    # gotoml.FUNCS, imported the first time a template calls one of them (start-up time)
    "toToml": LazyGoFunc("hooklint.gotemplate.gotoml", "toToml"),
    "fromToml": LazyGoFunc("hooklint.gotemplate.gotoml", "fromToml"),
}
"""Helm 3.17.1's YAML and TOML functions (3.17.1 has no mustToYaml/mustToToml/mustToJson)."""

HELM4_FUNCS: dict[str, Callable[..., Any]] = {"mustToYaml": _must_to_yaml}
"""Functions Helm 4 adds (mustToToml lives in gotoml.HELM4_FUNCS)."""

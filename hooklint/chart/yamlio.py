"""Reading YAML the way Helm does (sigs.k8s.io/yaml: YAML 1.1 -> JSON -> Go values).

The Go-compatible loader lives in `hooklint.gotemplate.goyaml` (`load_values`); this adapter
gives the chart package one entry point and a PyYAML-based fallback while that module is absent,
so chart loading never depends on import order. Every failure becomes a `YamlError` carrying
go-yaml's message.
"""

from __future__ import annotations

import datetime
import math

TYPE_CHECKING = False  # not `typing`'s: importing typing costs ~3 ms of every run
if TYPE_CHECKING:
    from typing import Any


class YamlError(ValueError):
    """The text is not YAML Helm accepts; str(e) is the go-yaml style message."""


def _goyaml() -> Any:
    try:
        from hooklint.gotemplate import goyaml  # type: ignore[attr-defined]
    except ImportError:
        return None
    return goyaml if hasattr(goyaml, "load_values") else None


def _to_json_model(v: Any) -> Any:
    """Python YAML data -> what json.Unmarshal into interface{} yields (numbers are float64)."""
    if isinstance(v, dict):
        return {_key(k): _to_json_model(x) for k, x in v.items()}
    if isinstance(v, list):
        return [_to_json_model(x) for x in v]
    if isinstance(v, bool) or v is None or isinstance(v, str):
        return v
    if isinstance(v, int):
        return float(v)
    if isinstance(v, float):
        return v
    if isinstance(v, (datetime.date, datetime.datetime)):
        return v.isoformat()
    if isinstance(v, bytes):
        import base64

        return base64.b64encode(v).decode()
    return str(v)


def _key(k: Any) -> str:
    if isinstance(k, bool):
        return "true" if k else "false"
    if k is None:
        return "null"
    if isinstance(k, float) and not math.isinf(k) and k == int(k):
        return str(int(k))
    return str(k)


def load_yaml(text: str, filename: str = "", target: Any = None) -> Any:
    """Any YAML document -> Go values as sigs.k8s.io/yaml.Unmarshal into interface{} gives
    (or into the Go type `target` describes: numbers bound for string fields become strings)."""
    gy = _goyaml()
    if gy is not None and hasattr(gy, "yaml_to_go"):
        try:
            return gy.yaml_to_go(text, target)
        except Exception as e:  # the Go-compatible loader reports go-yaml's wording
            raise YamlError(getattr(e, "message", str(e))) from None
    import yaml  # the PyYAML fallback only: keep it off the import path

    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        line = f"line {mark.line + 1}: " if mark is not None else ""
        problem = getattr(e, "problem", None) or str(e)
        raise YamlError(f"error converting YAML to JSON: yaml: {line}{problem}") from None
    return _to_json_model(data)


def load_values(text: str, filename: str = "values.yaml") -> dict[str, Any]:
    """A values document -> map (chartutil.ReadValues: empty or null document -> {})."""
    gy = _goyaml()
    if gy is not None:
        try:
            out = gy.load_values(text, filename)
        except Exception as e:
            raise YamlError(getattr(e, "message", str(e))) from None
        return out if isinstance(out, dict) else {}
    data = load_yaml(text, filename)
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise YamlError(
            "error unmarshaling JSON: while decoding JSON: json: cannot unmarshal "
            f"{_json_kind(data)} into Go value of type map[string]interface {{}}"
        )
    return data


def _json_kind(v: Any) -> str:
    if isinstance(v, list):
        return "array"
    if isinstance(v, str):
        return "string"
    if isinstance(v, bool):
        return "bool"
    if isinstance(v, float):
        return "number"
    return "object"


# --- Helm 4 values files ----------------------------------------------------------------------


_GO_SPACE = "\t\n\v\f\r \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000"


def split_yaml_documents(text: str) -> list[str]:
    """k8s.io/apimachinery v0.36's YAMLReader.Read loop (Helm 4.2.3's go.mod): a line starting
    with `---` ends a document; only spaces or a `#` comment may follow it (else YamlError
    `error reading yaml document: invalid Yaml document separator: ...`); the separator line is
    dropped unless nothing precedes it. Lines end in `\n` (bufio.ReadLine drops a `\r` before it)."""
    docs: list[str] = []
    buf: list[str] = []
    pieces = text.split("\n")
    if pieces and pieces[-1] == "":
        pieces.pop()  # the text ended with a newline: no final partial line
    for piece in pieces:
        line = piece.removesuffix("\r") + "\n"
        if line.startswith("---"):
            trimmed = line[3:].strip(_GO_SPACE)
            if trimmed and not trimmed.startswith("#"):
                raise YamlError(f"error reading yaml document: invalid Yaml document separator: {trimmed}")
            if buf:
                docs.append("".join(buf))
                buf = []
                continue
        buf.append(line)
    if buf:
        docs.append("".join(buf))
    return docs


def merge_maps(a: dict[str, Any], b: dict[str, Any]) -> dict[str, Any]:
    """loader.MergeMaps / values.mergeMaps: b wins, nested maps merge."""
    out = dict(a)
    for k, v in b.items():
        if isinstance(v, dict):
            bv = out.get(k)
            if isinstance(bv, dict):
                out[k] = merge_maps(bv, v)
                continue
        out[k] = v
    return out


def load_values_v4(text: str, filename: str = "values.yaml") -> dict[str, Any]:
    """Helm 4.2.3's loader.LoadValues: every YAML document of the file, merged in order.

    Raises YamlError worded `cannot unmarshal yaml document: <go-yaml error>`."""
    values: dict[str, Any] = {}
    for doc in split_yaml_documents(text):  # raises YamlError worded by the reader
        try:
            current = load_values(doc, filename)
        except YamlError as e:
            raise YamlError(f"cannot unmarshal yaml document: {e}") from None
        values = merge_maps(values, current)
    return values


def load_values_for(text: str, filename: str, helm_version: int) -> dict[str, Any]:
    """A values file as the chosen Helm reads it (3.17.1: first document only; 4.2.3: all, merged)."""
    if helm_version == 4:
        return load_values_v4(text, filename)
    return load_values(text, filename)

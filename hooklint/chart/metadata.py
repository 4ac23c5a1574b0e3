"""Chart.yaml decoding and validation with Helm 3.17.1's rules and wording.

Helm unmarshals Chart.yaml through sigs.k8s.io/yaml (YAML -> JSON -> encoding/json into the
Metadata struct): keys match field tags case-insensitively, unknown keys are ignored, `null`
leaves a field unset, and a wrongly typed value fails with encoding/json's message.
Validation (`Metadata.Validate`) sanitizes strings and then checks the required fields.
"""

from __future__ import annotations

import re
import unicodedata

from hooklint.chart.model import METADATA_FIELDS, Dependency, Maintainer, Metadata
from hooklint.gotemplate.gounicode import is_space
from hooklint.semver import is_valid_semver

TYPE_CHECKING = False  # not `typing`'s: importing typing costs ~3 ms of every run
if TYPE_CHECKING:
    from typing import Any

_ALIAS_RE = r"^[a-zA-Z0-9_-]+$"  # compiled on first use (re's cache): few charts set aliases

_DEPENDENCY_FIELDS: tuple[tuple[str, str, str], ...] = (
    ("name", "name", "string"),
    ("version", "version", "string"),
    ("repository", "repository", "string"),
    ("condition", "condition", "string"),
    ("tags", "tags", "[]string"),
    ("enabled", "enabled", "bool"),
    ("import_values", "import-values", "[]interface {}"),
    ("alias", "alias", "string"),
)
_MAINTAINER_FIELDS: tuple[tuple[str, str, str], ...] = (
    ("name", "name", "string"),
    ("email", "email", "string"),
    ("url", "url", "string"),
)


class MetadataDecodeError(ValueError):
    """encoding/json's UnmarshalTypeError text."""


class ValidationError(ValueError):
    """chart.ValidationError: Helm prints it as `validation: <message>`."""

    def __str__(self) -> str:
        return f"validation: {self.args[0]}"


def _json_kind(v: Any) -> str:
    # encoding/json's UnmarshalTypeError.Value words ("bool"), not schema_v6's JSON Schema type names.
    if isinstance(v, bool):
        return "bool"
    if isinstance(v, (int, float)):
        return "number"
    if isinstance(v, str):
        return "string"
    if isinstance(v, list):
        return "array"
    if isinstance(v, dict):
        return "object"
    return "null"


def _type_error(v: Any, path: str, gotype: str) -> MetadataDecodeError:
    return MetadataDecodeError(
        "error unmarshaling JSON: while decoding JSON: json: cannot unmarshal "
        f"{_json_kind(v)} into Go struct field {path} of type {gotype}"
    )


def _decode_value(v: Any, kind: str, path: str) -> Any:
    if kind == "string":
        if not isinstance(v, str):
            raise _type_error(v, path, "string")
        return v
    if kind == "bool":
        if not isinstance(v, bool):
            raise _type_error(v, path, "bool")
        return v
    if kind == "[]string":
        if not isinstance(v, list):
            raise _type_error(v, path, "[]string")
        out = []
        for item in v:
            if item is None:
                out.append("")
            elif not isinstance(item, str):
                raise _type_error(item, path, "string")
            else:
                out.append(item)
        return out
    if kind == "map[string]string":
        if not isinstance(v, dict):
            raise _type_error(v, path, "map[string]string")
        m: dict[str, str] = {}
        for key, item in v.items():
            if item is None:
                m[key] = ""
            elif not isinstance(item, str):
                raise _type_error(item, path, "string")
            else:
                m[key] = item
        return m
    if kind == "[]interface {}":
        if not isinstance(v, list):
            raise _type_error(v, path, "[]interface {}")
        return v
    if kind == "[]*chart.Maintainer":
        if not isinstance(v, list):
            raise _type_error(v, path, "[]*chart.Maintainer")
        return [
            None
            if item is None
            else _decode_struct(item, Maintainer(), _MAINTAINER_FIELDS, "Maintainer", path)
            for item in v
        ]
    if kind == "[]*chart.Dependency":
        if not isinstance(v, list):
            raise _type_error(v, path, "[]*chart.Dependency")
        return [
            None
            if item is None
            else _decode_struct(item, Dependency(), _DEPENDENCY_FIELDS, "Dependency", path)
            for item in v
        ]
    raise AssertionError(kind)


def _decode_struct(
    data: Any, target: Any, fields: tuple[tuple[str, str, str], ...], struct: str, path: str
) -> Any:
    if not isinstance(data, dict):
        raise _type_error(data, path, f"chart.{struct}")
    exact, by_lower = _field_index(fields)
    for key, val in data.items():
        if val is None:
            continue
        # encoding/json prefers an exact tag match, then a case-insensitive one.
        spec = exact.get(key) or by_lower.get(key.lower())
        if spec is None:
            continue
        attr, tag, kind = spec
        setattr(target, attr, _decode_value(val, kind, f"{path}.{tag}"))
    return target


_FIELD_INDEX: dict[tuple[tuple[str, str, str], ...], tuple[dict[str, tuple[str, str, str]], dict[str, tuple[str, str, str]]]] = {}


def _field_index(
    fields: tuple[tuple[str, str, str], ...],
) -> tuple[dict[str, tuple[str, str, str]], dict[str, tuple[str, str, str]]]:
    """The fields of a struct by exact tag and by lower-cased tag (the last field of a lower-cased
    tag wins, as before), built once per struct: every Chart.yaml and dependency decodes with them."""
    index = _FIELD_INDEX.get(fields)
    if index is None:
        exact: dict[str, tuple[str, str, str]] = {}
        for f in fields:
            exact.setdefault(f[1], f)
        index = _FIELD_INDEX[fields] = (exact, {f[1].lower(): f for f in fields})
    return index


_METADATA_TARGET: Any = None


def metadata_target() -> Any:
    """The Go type Chart.yaml is unmarshalled into (chart.Metadata), for sigs.k8s.io/yaml's
    number->string coercion of string fields (`appVersion: 1.0` becomes "1"). Built once (the
    decoder only reads it): every chart and subchart loaded asks for it."""
    global _METADATA_TARGET
    if _METADATA_TARGET is None:
        _METADATA_TARGET = _build_metadata_target()
    return _METADATA_TARGET


def _build_metadata_target() -> Any:
    from hooklint.gotemplate.goyaml import STRING_TARGET, MapOf, SliceOf, StructOf

    def struct(fields: tuple[tuple[str, str, str], ...]) -> Any:
        return StructOf({tag: _kind_target(kind) for _, tag, kind in fields})

    def _kind_target(kind: str) -> Any:
        if kind == "string":
            return STRING_TARGET
        if kind == "[]string":
            return SliceOf(STRING_TARGET)
        if kind == "map[string]string":
            return MapOf(STRING_TARGET)
        if kind == "[]*chart.Maintainer":
            return SliceOf(struct(_MAINTAINER_FIELDS))
        if kind == "[]*chart.Dependency":
            return SliceOf(struct(_DEPENDENCY_FIELDS))
        return None

    return struct(METADATA_FIELDS)


def decode_metadata(data: Any, into: Metadata | None = None, helm_version: int = 3) -> Metadata:
    """Unmarshal a decoded Chart.yaml (or requirements.yaml) document into Metadata.

    Go names the struct types by package: `chart.Metadata` in Helm 3.17.1, `v2.Metadata` in
    4.2.3 (helm.sh/helm/v4/pkg/chart/v2)."""
    md = into if into is not None else Metadata()
    if data is None:
        return md
    pkg = "v2" if helm_version == 4 else "chart"
    if not isinstance(data, dict):
        raise MetadataDecodeError(
            "error unmarshaling JSON: while decoding JSON: json: cannot unmarshal "
            f"{_json_kind(data)} into Go value of type {pkg}.Metadata"
        )
    try:
        return _decode_struct(data, md, METADATA_FIELDS, "Metadata", "Metadata")  # type: ignore[no-any-return]
    except MetadataDecodeError as e:
        if helm_version != 4:
            raise
        raise MetadataDecodeError(
            str(e).replace(" of type chart.", " of type v2.").replace("*chart.", "*v2.")
        ) from None


def sanitize(s: str) -> str:
    """sanitizeString: every Unicode space becomes ' ', non-printable runes are dropped."""
    if s.isascii():
        # the usual field: nothing to change, or ASCII controls (a description's newlines)
        return s if s.isprintable() else s.translate(_ASCII_SANITIZED)
    out = []
    for ch in s:
        if is_space(ch):
            out.append(" ")
        elif _is_print(ch):
            out.append(ch)
    return "".join(out)


# Go's unicode.IsSpace on ASCII is \t \n \v \f \r and space (Python's isspace also takes the
# separators \x1c-\x1f, which Go drops as unprintable); every other control is dropped.
_ASCII_SANITIZED = {c: (" " if chr(c) in "\t\n\v\f\r" else None) for c in [*range(0x20), 0x7F]}




def _is_print(ch: str) -> bool:
    # unicode.IsPrint: letters, marks, numbers, punctuation, symbols and ASCII space.
    return unicodedata.category(ch)[0] in "LMNPS"


def validate_metadata(md: Metadata, helm_version: int = 3) -> None:
    """Metadata.Validate (sanitizes in place; raises ValidationError with Helm's wording).
    Helm 4.2.3 also refuses the names `.` and `..` (pkg/chart/v2/metadata.go)."""
    md.Name = sanitize(md.Name)
    md.Description = sanitize(md.Description)
    md.Home = sanitize(md.Home)
    md.Icon = sanitize(md.Icon)
    md.Condition = sanitize(md.Condition)
    md.Tags = sanitize(md.Tags)
    md.AppVersion = sanitize(md.AppVersion)
    md.KubeVersion = sanitize(md.KubeVersion)
    if md.Sources:
        md.Sources = [sanitize(s) for s in md.Sources]
    if md.Keywords:
        md.Keywords = [sanitize(s) for s in md.Keywords]
    if md.APIVersion == "":
        raise ValidationError("chart.metadata.apiVersion is required")
    if md.Name == "":
        raise ValidationError("chart.metadata.name is required")
    if helm_version == 4 and md.Name in (".", ".."):
        raise ValidationError(f"chart.metadata.name {_goquote(md.Name)} is not allowed")
    if md.Name != _base(md.Name):
        raise ValidationError(f"chart.metadata.name {_goquote(md.Name)} is invalid")
    if md.Version == "":
        raise ValidationError("chart.metadata.version is required")
    if not is_valid_semver(md.Version):
        raise ValidationError(f"chart.metadata.version {_goquote(md.Version)} is invalid")
    if md.Type not in ("", "application", "library"):
        raise ValidationError("chart.metadata.type must be application or library")
    for m in md.Maintainers or []:
        if m is None:
            raise ValidationError("maintainers must not contain empty or null nodes")
        m.name, m.email, m.url = sanitize(m.name), sanitize(m.email), sanitize(m.url)
    seen: set[str] = set()
    for d in md.Dependencies or []:
        if d is None:
            raise ValidationError("dependencies must not contain empty or null nodes")
        d.name = sanitize(d.name)
        d.version = sanitize(d.version)
        d.repository = sanitize(d.repository)
        d.condition = sanitize(d.condition)
        d.tags = [sanitize(t) for t in d.tags]
        if d.alias and not re.match(_ALIAS_RE, d.alias):
            raise ValidationError(f"dependency {_goquote(d.name)} has disallowed characters in the alias")
        key = d.alias or d.name
        if key in seen:
            raise ValidationError(f"more than one dependency with name or alias {_goquote(key)}")
        seen.add(key)


def _base(p: str) -> str:
    """filepath.Base on Unix."""
    if p == "":
        return "."
    p = p.rstrip("/")
    if p == "":
        return "/"
    return p.rsplit("/", 1)[-1]


def _goquote(s: str) -> str:
    """Go's %q for the strings Helm quotes (printable text; escapes quotes and backslashes)."""
    out = ['"']
    for ch in s:
        if ch in '"\\':
            out.append("\\" + ch)
        elif ch == "\n":
            out.append("\\n")
        elif ch == "\t":
            out.append("\\t")
        elif ch == "\r":
            out.append("\\r")
        elif not _is_print(ch) and ch != " ":
            code = ord(ch)
            out.append(
                f"\\x{code:02x}"
                if code < 0x80
                else (f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}")
            )
        else:
            out.append(ch)
    out.append('"')
    return "".join(out)

"""`values.schema.json` validation as Helm 3.17.1 does it (chartutil.ValidateAgainstSchema).

Helm validates the coalesced values of the chart against its schema, then each subchart's
values against the subchart's schema, with gojsonschema. Messages here follow gojsonschema's
English locale (`- field: description`, field `(root)` for the top, dotted paths, array
indices as numbers). A `$ref` to a remote URL is never fetched: validation stops with an error
that says so and how to fix it.
"""

from __future__ import annotations

import math
import sys

from hooklint.chart.model import Chart
from hooklint.chart.strvals import MAX_JSON_DEPTH
from hooklint.errors import ChartError

TYPE_CHECKING = False  # not `typing`'s: importing typing costs ~3 ms of every run
if TYPE_CHECKING:
    from typing import Any

if TYPE_CHECKING:  # jsonschema costs ~75 ms to import: only charts with a schema pay for it
    import jsonschema
    from referencing import Resource


class _RemoteRefRefused(Exception):
    pass


class RemoteSchemaRef(ChartError):
    """values.schema.json points at a schema outside itself (a URL or another file): Helm would
    fetch it; hooklint never does."""

    def __init__(self, uri: str) -> None:
        super().__init__(uri)
        self.uri = uri


def _refuse(uri: str) -> Resource:  # type: ignore[type-arg]
    raise _RemoteRefRefused(uri)


SCHEMA_BUCKET = "schema"


def _json_ready(v: Any) -> Any:
    """yaml.Marshal + YAMLToJSON: integral floats become JSON integers. An explicit stack: values
    nest as deep as `--set`/`--set-json` make them (Helm takes thousands of levels)."""
    if not isinstance(v, dict | list):
        return _json_scalar(v)
    root: Any = {} if isinstance(v, dict) else []
    stack: list[tuple[Any, Any]] = [(v, root)]
    while stack:
        src, dst = stack.pop()
        for k, x in src.items() if isinstance(src, dict) else enumerate(src):
            if isinstance(x, dict | list):
                out: Any = {} if isinstance(x, dict) else []
                stack.append((x, out))
            else:
                out = _json_scalar(x)
            if isinstance(dst, dict):
                dst[str(k)] = out
            else:
                dst.append(out)
    return root


def _json_scalar(v: Any) -> Any:
    if isinstance(v, float) and math.isfinite(v) and v == int(v):
        return int(v)
    if isinstance(v, bool) or v is None or isinstance(v, (int, float, str)):
        return v
    if isinstance(v, bytes):
        import base64

        return base64.b64encode(v).decode()
    return str(v)


def _type_name(v: Any) -> str:
    if v is None:
        return "null"
    if isinstance(v, bool):
        return "boolean"
    if isinstance(v, int):
        return "integer"
    if isinstance(v, float):
        return "integer" if math.isfinite(v) and v == int(v) else "number"
    if isinstance(v, str):
        return "string"
    if isinstance(v, list):
        return "array"
    return "object"


def _num(v: Any) -> str:
    if isinstance(v, float) and v == int(v):
        return str(int(v))
    return str(v)


def _field(path: Any) -> str:
    parts = [str(p) for p in path]
    return ".".join(parts) if parts else "(root)"


def _describe(err: jsonschema.ValidationError) -> tuple[str, str]:
    """(field, description) in gojsonschema's wording."""
    import json
    v, inst = err.validator, err.instance
    val: Any = err.validator_value  # typed as possibly Unset by types-jsonschema; set for every error raised
    field = _field(err.absolute_path)
    if v == "required":
        missing = err.message.split("'")[1] if "'" in err.message else str(val)
        return field, f"{missing} is required"
    if v == "type":
        expected = val if isinstance(val, str) else "[" + ",".join(val) + "]"
        return field, f"Invalid type. Expected: {expected}, given: {_type_name(inst)}"
    if v == "enum":
        allowed = ", ".join(json.dumps(x) for x in val)
        return field, f"{field} must be one of the following: {allowed}"
    if v == "const":
        return field, f"{field} does not match: {json.dumps(val)}"
    if v == "minimum":
        return field, f"Must be greater than or equal to {_num(val)}"
    if v == "maximum":
        return field, f"Must be less than or equal to {_num(val)}"
    if v == "exclusiveMinimum":
        return field, f"Must be greater than {_num(val)}"
    if v == "exclusiveMaximum":
        return field, f"Must be less than {_num(val)}"
    if v == "multipleOf":
        return field, f"Must be a multiple of {_num(val)}"
    if v == "minLength":
        return field, f"String length must be greater than or equal to {val}"
    if v == "maxLength":
        return field, f"String length must be less than or equal to {val}"
    if v == "pattern":
        return field, f"Does not match pattern '{val}'"
    if v == "format":
        return field, f"Does not match format '{val}'"
    if v == "additionalProperties":
        extra = err.message.split("'")[1] if "'" in err.message else "?"
        return field, f"Additional property {extra} is not allowed"
    if v == "minItems":
        return field, f"Array must have at least {val} items"
    if v == "maxItems":
        return field, f"Array must have at most {val} items"
    if v == "uniqueItems":
        return field, "array items must be unique"
    if v == "minProperties":
        return field, f"Must have at least {val} properties"
    if v == "maxProperties":
        return field, f"Must have at most {val} properties"
    if v == "anyOf":
        return field, "Must validate at least one schema (anyOf)"
    if v == "oneOf":
        return field, "Must validate one and only one schema (oneOf)"
    if v == "allOf":
        return field, "Must validate all the schemas (allOf)"
    if v == "not":
        return field, "Must not validate the schema (not)"
    if v == "contains":
        return field, "At least one of the items must match"
    if v == "dependencies" or v == "dependentRequired":
        return field, err.message
    if v is False or v == "false" or (v is None and err.schema is False):  # also `false` at the top
        return field, "False always fails validation"
    return field, err.message


def validate_single(values: dict[str, Any], schema_bytes: bytes, helm_version: int = 3) -> list[str]:
    """Error lines for one chart's schema (Helm 3.17.1: gojsonschema's `- field: description`;
    Helm 4.2.3: jsonschema v6's `- at '/field': description` tree); empty when valid.

    The outcome depends only on the schema, the Helm version and the values as JSON, so it is
    kept in the on-disk cache (bucket "schema"): importing jsonschema alone costs ~50 ms, more
    than rendering most charts, and a chart's values rarely change between two runs."""
    import json  # here, not at the top: charts without a schema never need it (start-up time)

    from hooklint.runtime import cache

    instance = _json_ready(values) if values else {}  # what the validator sees
    key = None
    if cache.cache_root() is not None:
        kb = cache.KeyBuilder(SCHEMA_BUCKET)
        kb.add_str(str(helm_version))
        kb.add_str(schema_bytes.decode("latin-1"))  # any bytes, one to one
        limit = sys.getrecursionlimit()  # json's encoder recurses once per level
        sys.setrecursionlimit(max(limit, MAX_JSON_DEPTH + 200))
        try:
            kb.add_str(json.dumps(instance))
            key = kb.hexdigest()
        except RecursionError:  # deeper than any JSON Helm reads: not worth a key
            pass
        finally:
            sys.setrecursionlimit(limit)
        stored = cache.load(SCHEMA_BUCKET, key) if key is not None else None
        if stored is not None:
            try:
                lines = json.loads(stored)
                if isinstance(lines, list) and all(isinstance(line, str) for line in lines):
                    return lines
            except ValueError:
                pass  # a damaged entry is a miss
    lines = _validate_single(instance, schema_bytes, helm_version)
    if key is not None:
        cache.store(SCHEMA_BUCKET, key, json.dumps(lines).encode())
    return lines


def _validate_single(instance: Any, schema_bytes: bytes, helm_version: int) -> list[str]:
    """validate_single without the cache; `instance` is the values as JSON (_json_ready)."""
    import json

    decode_error = _go_decode_error(schema_bytes, helm_version)
    if decode_error is not None:
        return [decode_error]
    try:
        text = schema_bytes.decode("utf-8", "replace").lstrip(" \t\r\n")
        schema = json.JSONDecoder().raw_decode(text)[0]  # Helm 3: only the first value counts
    except json.JSONDecodeError as e:  # what Go accepts and Python does not (e.g. lone surrogates)
        return [f"unable to parse values.schema.json: {e.msg} at line {e.lineno} column {e.colno}"]
    except RecursionError:  # Go decodes up to 10000 levels; Python's decoder stops sooner
        return ["invalid schema: nested too deeply\n"]
    import jsonschema
    from referencing import Registry
    from referencing.exceptions import NoSuchResource, Unresolvable

    # gojsonschema defaults to draft-07; jsonschema v6 (Helm 4) to draft 2020-12.
    default = jsonschema.Draft202012Validator if helm_version == 4 else jsonschema.Draft7Validator
    if not isinstance(schema, dict | bool):
        # a number, string, list or null: gojsonschema's one-line refusal; jsonschema v6 checks
        # it against the default metaschema like any other schema
        if helm_version != 4:
            return ["schema is invalid"]
        cls: Any = default
    else:
        cls = jsonschema.validators.validator_for(schema, default=default)
    meta_problem = _metaschema_problem(cls, schema, helm_version)
    if meta_problem is not None:
        return [meta_problem]
    registry: Registry = Registry(retrieve=_refuse)  # type: ignore[call-arg]
    validator = cls(schema, registry=registry)
    # values nest as deep as Go's JSON decoder allows (--set-json): jsonschema's messages show
    # the instance, whose repr recurses once per level
    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(max(limit, MAX_JSON_DEPTH + 500))
    try:
        errors = list(validator.iter_errors(instance))
    except RecursionError:
        return ["invalid schema: nested too deeply\n"]
    except (_RemoteRefRefused, Unresolvable, NoSuchResource) as e:
        uri = str(getattr(e, "ref", None) or (e.args[0] if e.args else ""))
        if uri[:1] in ("#", "/"):  # a JSON pointer into this document that points nowhere
            pointer = uri.lstrip("#")
            if helm_version == 4:  # jsonschema v6 compile error, reported without a trailing newline
                return [f'json-pointer in "file:///values.schema.json#{pointer}" not found']
            return [f'$ref "#{pointer}" cannot be resolved: no such location in values.schema.json\n']
        raise RemoteSchemaRef(uri) from None
    except jsonschema.SchemaError as e:
        return [f"invalid schema: {e.message}"]
    finally:
        sys.setrecursionlimit(limit)
    if helm_version == 4:
        from hooklint.chart.schema_v6 import v6_report

        report = v6_report(errors, schema, instance)
        return [report] if report else []
    lines = []
    errors = _past_type_errors(errors)
    for err in sorted(errors, key=lambda e: ([str(p) for p in e.absolute_path], str(e.validator))):
        field, desc = _describe(err)
        lines.append(f"- {field}: {desc}\n")
    return lines


def _past_type_errors(errors: list[Any]) -> list[Any]:
    """gojsonschema stops checking a value against a schema as soon as its type is wrong: an
    `enum`, `const`, `allOf` or `properties` of that same schema is never looked at, where
    jsonschema reports them all. Drop what gojsonschema would not have reached."""
    stops = [
        (tuple(e.absolute_path), tuple(e.absolute_schema_path)[:-1]) for e in errors if e.validator == "type"
    ]
    if not stops:
        return errors

    def reached(e: Any) -> bool:
        path, schema_path = tuple(e.absolute_path), tuple(e.absolute_schema_path)
        return not any(
            path[: len(p)] == p and schema_path[: len(s)] == s and schema_path != (*s, "type") for p, s in stops
        )

    return [e for e in errors if reached(e)]


def _metaschema_problem(cls: Any, schema: Any, helm_version: int) -> str | None:
    """A schema that is not valid against its metaschema (`"type": 5`, a bad `pattern`, a list at
    the top): Helm 4 refuses to compile it with jsonschema v6's report; Helm 3's gojsonschema
    refuses it too (its wording is not reproduced: 'invalid schema: ...')."""
    from hooklint.chart.schema_meta import metaschema_id, surely_valid

    if surely_valid(cls, schema):  # the common case, proven without jsonschema's slow walk
        return None
    try:
        meta = cls(cls.META_SCHEMA, format_checker=cls.FORMAT_CHECKER)
        errors = list(meta.iter_errors(schema))
    except RecursionError:
        return "invalid schema: nested too deeply\n"
    if not errors:
        return None
    if helm_version == 4:
        from hooklint.chart.schema_v6 import v6_report

        meta_id = metaschema_id(cls)
        # a compile error: its report ends without the newline a validation error's has
        return (
            f'"file:///values.schema.json#" is not valid against metaschema: jsonschema validation failed '
            f"with '{meta_id}#'\n" + v6_report(errors, cls.META_SCHEMA, schema).removesuffix("\n")
        )
    best = jsonschema_best_match(errors)
    where = "/".join(str(p) for p in best.absolute_path)
    return f"invalid schema: {'at ' + where + ': ' if where else ''}{best.message}\n"


def jsonschema_best_match(errors: list[Any]) -> Any:
    from jsonschema.exceptions import best_match

    return best_match(errors)


def _go_decode_error(data: bytes, helm_version: int) -> str | None:
    """The error of Go's json.Decoder.Decode on the schema, as both Helms report it (gojsonschema
    and jsonschema v6 decode with it); v6 then refuses anything after the first value."""
    from hooklint.gotemplate.gojson import JSONError, check_valid

    if not data.strip(b" \t\r\n"):
        return "EOF"
    try:
        check_valid(data)
    except JSONError as e:
        message = str(e)
        if message == "unexpected end of JSON input":
            return "unexpected EOF"
        if message.endswith("after top-level value"):  # the first value decoded fine
            return "invalid character after top-level value" if helm_version == 4 else None
        return message
    return None


def validate_against_schema(chart: Chart, values: dict[str, Any], helm_version: int = 3) -> str:
    """ValidateAgainstSchema: the concatenated report for the chart and its subcharts ('' if valid)."""
    out = []
    if chart.schema is not None:
        try:
            lines = validate_single(values, chart.schema, helm_version)
        except RemoteSchemaRef as e:
            raise ChartError(
                f"values.schema.json of chart {chart.name!r} refers to {e.uri}, which Helm would fetch: hooklint "
                "never reads schemas from the network or other files. Vendor the referenced schema into "
                "values.schema.json (under $defs), or render with --skip-schema-validation"
            ) from None
        if lines:
            out.append(f"{chart.name}:\n")
            out.extend(lines)
    for sub in chart.dependencies:
        sub_vals = values.get(sub.name)
        if helm_version == 4 and sub_vals is None:
            continue  # Helm 4: no values for this subchart, nothing to validate
        if not isinstance(sub_vals, dict):
            if helm_version == 4:
                out.append(
                    f"{sub.name}:\ninvalid type for values: expected object (map), got {_go_type(sub_vals)}\n"
                )
                continue
            sub_vals = {}
        out.append(validate_against_schema(sub, sub_vals, helm_version))
    return "".join(out)


def _go_type(v: Any) -> str:
    from hooklint.gotemplate.gotypes import go_type_name

    return go_type_name(v)

"""Helm 4.2.3's values.schema.json error report: santhosh-tekuri/jsonschema v6 wording.

python-jsonschema decides what fails; this module rebuilds the error tree v6 would report and
prints it the way ValidationError.Error() does (output.go `display`), minus the first line Helm
trims (`jsonschema validation failed with 'file:///values.schema.json#'`):

    - at '/replicas': got string, want integer
    - at '/image': validation failed
      - at '/image': missing property 'tag'
      - at '/image/pullPolicy': value must be one of 'Always', 'IfNotPresent'

The tree follows v6's validator.go: each validation of a value against a (sub)schema yields its
errors; one error is returned as is, several become a "validation failed" group; `type`, `const`,
`enum` (and `format`) failing end that validation at once; a `$ref` with one cause is not printed;
allOf/anyOf/oneOf wrap their subschemas' errors. Schemas without `$schema` are draft 2020-12
(v6's default). Go iterates maps at random, so Helm lists sibling properties (and additional
property names) in a random order; here they are sorted.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

TYPE_CHECKING = False  # not `typing`'s: importing typing costs ~3 ms of every run
if TYPE_CHECKING:
    from typing import Any

# v6 keyword order within one validation (validator.go validate/objValidate/arrValidate/...).
_ORDER = {
    kw: i
    for i, kw in enumerate(
        (
            "type",
            "const",
            "enum",
            "format",
            "$ref",
            "minProperties",
            "maxProperties",
            "required",
            "dependencies",
            "<value>",
            "additionalProperties",
            "propertyNames",
            "dependentSchemas",
            "dependentRequired",
            "minItems",
            "maxItems",
            "uniqueItems",
            "additionalItems",
            "contains",
            "minContains",
            "maxContains",
            "minLength",
            "maxLength",
            "pattern",
            "contentEncoding",
            "contentMediaType",
            "minimum",
            "maximum",
            "exclusiveMinimum",
            "exclusiveMaximum",
            "multipleOf",
            "$dynamicRef",
            "not",
            "allOf",
            "anyOf",
            "oneOf",
            "if",
            "unevaluatedProperties",
            "unevaluatedItems",
        )
    )
}
_EARLY_RETURN = ("type", "const", "enum", "format")
_TYPE_ORDER = ("null", "boolean", "number", "integer", "string", "array", "object")
_VALUE_KEYWORDS = {"properties": 2, "patternProperties": 2, "prefixItems": 2, "items": 1}


@dataclass
class _Error:
    """One v6 ValidationError: `message` (None for a skipped $ref wrapper) and its causes."""

    loc: tuple[str, ...]
    message: str | None
    causes: list[_Error] = field(default_factory=list)


@dataclass
class _Validation:
    """One v6 validator run: a value (at `loc`) against one (sub)schema."""

    loc: tuple[str, ...]
    direct: dict[str, Any] = field(default_factory=dict)  # keyword -> python-jsonschema error
    children: dict[tuple[Any, ...], _Validation | _Wrapper] = field(default_factory=dict)

    def child(self, key: tuple[Any, ...], loc: tuple[str, ...]) -> _Validation:
        node = self.children.get(key)
        if node is None:
            node = self.children[key] = _Validation(loc)
        assert isinstance(node, _Validation)
        return node

    def wrapper(self, key: tuple[Any, ...], message: str | None) -> _Wrapper:
        node = self.children.get(key)
        if node is None:
            node = self.children[key] = _Wrapper(self.loc, message)
        assert isinstance(node, _Wrapper)
        return node

    def errors(self) -> list[_Error]:
        """vd.errors of this run, in v6 order."""
        for kw in _EARLY_RETURN:
            if kw in self.direct:
                return [_Error(self.loc, _message(kw, self.direct[kw]))]
        entries: list[tuple[tuple[Any, ...], _Error]] = []
        for kw, err in self.direct.items():
            entries.append(((_ORDER.get(kw, len(_ORDER)),), _Error(self.loc, _message(kw, err))))
        for key, node in self.children.items():
            base = (_ORDER.get(key[0], len(_ORDER)), *key[1:])
            if isinstance(node, _Validation):
                # addErr: a child validation's group joins this list as its causes.
                entries.extend(((*base, i), e) for i, e in enumerate(node.errors()))
            elif (result := node.result()) is not None:
                entries.append((base, result))
        entries.sort(key=lambda e: tuple(str(k) if not isinstance(k, int) else f"{k:09d}" for k in e[0]))
        return [e for _, e in entries]

    def result(self) -> _Error | None:
        errs = self.errors()
        if not errs:
            return None
        if len(errs) == 1:
            return errs[0]
        return _Error(self.loc, "validation failed", errs)


@dataclass
class _Wrapper:
    """A keyword whose error holds its subschemas' errors (allOf, anyOf, oneOf, $ref)."""

    loc: tuple[str, ...]
    message: str | None  # None: $ref (shown as "validation failed" only with several causes)
    subs: dict[Any, _Validation] = field(default_factory=dict)

    def sub(self, index: Any) -> _Validation:
        node = self.subs.get(index)
        if node is None:
            node = self.subs[index] = _Validation(self.loc)
        return node

    def result(self) -> _Error | None:
        if self.message is None:  # $ref: the target's errors, a group flattened
            errs = [e for s in self.subs.values() for e in s.errors()]
            return _Error(self.loc, None, errs) if errs else None
        causes = [r for _, s in sorted(self.subs.items(), key=lambda kv: str(kv[0])) if (r := s.result())]
        return _Error(self.loc, self.message, causes)


def _insert(
    node: _Validation, spath: list[Any], ipath: list[Any], err: Any, root: Any = None, snode: Any = None
) -> None:
    """Place a python-jsonschema error (`spath`: schema path left, `ipath`: instance path
    left, `snode`: the schema at this point) under the v6 validation that reports it."""
    if not spath:  # a `false` subschema
        node.direct.setdefault("false", err)
        return
    kw = spath[0]
    if kw in _VALUE_KEYWORDS and len(spath) > _VALUE_KEYWORDS[kw] - 1 and ipath:
        skip = _VALUE_KEYWORDS[kw]
        if kw == "items" and len(spath) > 1 and isinstance(spath[1], int):  # draft-07 item list
            skip = 2
        prop = ipath[0]
        shown = prop
        if kw == "items" and skip == 1 and isinstance(prop, int) and isinstance(snode, dict):
            # v6 numbers the items after prefixItems from 0 again (arr[evaluated:] in arrValidate)
            shown = prop - len(snode.get("prefixItems") or ())
        order = prop if isinstance(prop, int) else str(prop)
        child = node.child(
            ("<value>", order, kw, str(spath[1]) if skip == 2 else ""), (*node.loc, str(shown))
        )
        _insert(child, spath[skip:], ipath[1:], err, root, _step(snode, spath[:skip]))
        return
    if kw in ("additionalProperties", "additionalItems", "unevaluatedProperties", "unevaluatedItems") and (
        len(spath) > 1 and ipath
    ):
        prop = ipath[0]
        shown = prop
        if kw == "additionalItems" and isinstance(prop, int) and isinstance(snode, dict):
            shown = prop - len(snode.get("items") or ())  # same restart as above (draft-07)
        child = node.child((kw, str(prop)), (*node.loc, str(shown)))
        _insert(child, spath[1:], ipath[1:], err, root, _step(snode, [kw]))
        return
    if kw in ("$ref", "$dynamicRef") and len(spath) > 1:
        target = _resolve_local(root, snode.get(kw, "")) if isinstance(snode, dict) else None
        _insert(node.wrapper((kw,), None).sub(0), spath[1:], ipath, err, root, target)
        return
    if kw == "allOf" and len(spath) > 1:
        sub = node.wrapper(("allOf",), "'allOf' failed").sub(spath[1])
        _insert(sub, spath[2:], ipath, err, root, _step(snode, spath[:2]))
        return
    if kw in ("then", "else"):
        _insert(node.child(("if", kw), node.loc), spath[1:], ipath, err, root, _step(snode, [kw]))
        return
    if kw in ("dependentSchemas", "dependencies") and len(spath) > 2:
        _insert(
            node.child((kw, str(spath[1])), node.loc), spath[2:], ipath, err, root, _step(snode, spath[:2])
        )
        return
    if kw in ("anyOf", "oneOf") and len(spath) == 1 and err.context:
        message = "'anyOf' failed" if kw == "anyOf" else "'oneOf' failed, none matched"
        wrapper = node.wrapper((kw,), message)
        for sub in err.context:
            rel = list(sub.relative_schema_path)
            start = err.schema[kw][rel[0]] if isinstance(err.schema, dict) else None
            spath_sub = _with_refs(root, start, rel[1:], sub.schema)
            _insert(wrapper.sub(rel[0]), spath_sub, list(sub.relative_path), sub, root, start)
        return
    if kw in node.direct and kw == "required":
        return  # python reports each missing property; v6 one error listing them
    node.direct.setdefault(kw, err)


def _step(snode: Any, keys: list[Any]) -> Any:
    return _resolve_path(snode, keys)


def _with_refs(root: Any, start: Any, spath: list[Any], target: Any) -> list[Any]:
    """python-jsonschema leaves `$ref` out of schema paths; v6 reports a Reference there.
    Walk `spath` from `start` to the schema holding the failing keyword (`target`), following a
    local `$ref` where the path cannot go on otherwise, and mark each jump with "$ref"."""
    found = _walk(root, start, spath, target, 0)
    return found if found is not None else spath


def _walk(root: Any, node: Any, spath: list[Any], target: Any, depth: int) -> list[Any] | None:
    if depth > 64:
        return None
    if not spath:
        return [] if node is target else None
    key = spath[0]
    if len(spath) == 1:  # the failing keyword itself
        if node is target:
            return [key]
    else:
        nxt = (
            node.get(key)
            if isinstance(node, dict)
            else (node[key] if isinstance(node, list) and isinstance(key, int) and key < len(node) else None)
        )
        if nxt is not None:
            rest = _walk(root, nxt, spath[1:], target, depth + 1)
            if rest is not None:
                return [key, *rest]
    if isinstance(node, dict) and isinstance(node.get("$ref"), str):
        resolved = _resolve_local(root, node["$ref"])
        if resolved is not None:
            rest = _walk(root, resolved, spath, target, depth + 1)
            if rest is not None:
                return ["$ref", *rest]
    return None


def _resolve_path(node: Any, path: list[Any]) -> Any:
    for key in path:
        if isinstance(node, dict) and key in node:
            node = node[key]
        elif isinstance(node, list) and isinstance(key, int) and key < len(node):
            node = node[key]
        else:
            return None
    return node


def _resolve_local(root: Any, ref: str) -> Any:
    if not ref.startswith("#"):
        return None
    node = root
    for raw in [t for t in ref[1:].split("/") if t]:
        from urllib.parse import unquote

        tok = unquote(raw).replace("~1", "/").replace("~0", "~")
        if isinstance(node, dict) and tok in node:
            node = node[tok]
        elif isinstance(node, list) and tok.isdigit() and int(tok) < len(node):
            node = node[int(tok)]
        else:
            return None
    return node


# --- messages (kind/kind.go) -------------------------------------------------------------------


def _quote(s: str) -> str:
    """kind.quote: Go %q, then `\\"` -> `"` and `'` -> `\\'`, in single quotes."""
    from hooklint.gotemplate.gofmt import quote

    q = quote(s)[1:-1].replace('\\"', '"').replace("'", "\\'")
    return f"'{q}'"


def _go_v(v: Any) -> str:
    from hooklint.gotemplate.gofmt import sprintf

    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, float) and v.is_integer() and abs(v) < 1e21:
        return str(int(v))
    if isinstance(v, float):
        return sprintf("%v", v)  # type: ignore[no-any-return]
    return str(v)


def _display(v: Any) -> str:
    """kind.display: strings quoted, numbers as the schema spelled them, nil as <nil>."""
    if isinstance(v, str):
        return _quote(v)
    if v is None:
        return "<nil>"
    if isinstance(v, (list, dict)):
        return "value"
    if isinstance(v, float):
        return repr(v)
    return _go_v(v)


def _json_type(v: Any) -> str:
    # jsonschema/v6's JSON Schema type names ("boolean"), not metadata's encoding/json words.
    if v is None:
        return "null"
    if isinstance(v, bool):
        return "boolean"
    if isinstance(v, (int, float)):
        return "number"
    if isinstance(v, str):
        return "string"
    if isinstance(v, list):
        return "array"
    return "object"


def _number(v: Any) -> str:
    return _go_v(float(v))


def _message(kw: str, err: Any) -> str:
    val, inst, schema = err.validator_value, err.instance, err.schema
    if kw == "type":
        want = [val] if isinstance(val, str) else list(val)
        return f"got {_json_type(inst)}, want {' or '.join(t for t in _TYPE_ORDER if t in want)}"
    if kw == "required":
        missing = [p for p in val if isinstance(inst, dict) and p not in inst]
        if len(missing) == 1:
            return f"missing property {_quote(missing[0])}"
        return "missing properties " + ", ".join(_quote(p) for p in missing)
    if kw == "enum":
        if any(isinstance(x, (list, dict)) for x in val):
            return "'enum' failed"
        if len(val) == 1:
            return f"value must be {_display(val[0])}"
        return "value must be one of " + ", ".join(_display(x) for x in val)
    if kw == "const":
        return "'const' failed" if isinstance(val, (list, dict)) else f"value must be {_display(val)}"
    if kw in ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "multipleOf"):
        return f"{kw}: got {_number(inst)}, want {_number(val)}"
    if kw in ("minLength", "maxLength"):
        return f"{kw}: got {len(inst)}, want {val}"
    if kw in ("minItems", "maxItems", "minProperties", "maxProperties"):
        return f"{kw}: got {len(inst)}, want {val}"
    if kw == "pattern":
        return f"{_quote(inst)} does not match pattern {_quote(val)}"
    if kw == "additionalProperties":
        return (
            "additional properties "
            + ", ".join(_quote(p) for p in _extra_properties(inst, schema))
            + " not allowed"
        )
    if kw == "uniqueItems":
        i, j = _duplicates(inst)
        return f"items at {i} and {j} are equal"
    if kw == "not":
        return "'not' failed"
    if kw == "oneOf":  # several subschemas matched (no context)
        i, j = _matching_pair(err)
        return f"'oneOf' failed, subschemas {i}, {j} matched"
    if kw == "anyOf":
        return "'anyOf' failed"
    if kw in ("dependentRequired", "dependencies"):
        return _dependency_message(val, inst)
    if kw == "contains":
        return "no items match contains schema"
    if kw == "propertyNames":
        return f"invalid propertyName {_quote(str(inst))}"
    if kw == "false":
        return "false schema"
    return str(err.message)


def _extra_properties(inst: dict[str, Any], schema: dict[str, Any]) -> list[str]:
    props = schema.get("properties", {})
    patterns = schema.get("patternProperties", {})
    return sorted(p for p in inst if p not in props and not any(re.search(r, p) for r in patterns))


def _duplicates(arr: list[Any]) -> tuple[int, int]:
    for j in range(len(arr)):
        for i in range(j):
            if _json_equal(arr[i], arr[j]):
                return i, j
    return 0, 0


def _json_equal(a: Any, b: Any) -> bool:
    if isinstance(a, bool) or isinstance(b, bool):
        return a is b
    return bool(a == b and type(a) is type(b)) or (
        isinstance(a, (int, float)) and isinstance(b, (int, float)) and a == b
    )


def _matching_pair(err: Any) -> tuple[int, int]:
    import jsonschema

    matched = []
    for i, sub in enumerate(err.validator_value):
        cls = jsonschema.validators.validator_for(err.schema, default=jsonschema.Draft202012Validator)
        if cls(sub).is_valid(err.instance):
            matched.append(i)
        if len(matched) == 2:
            return matched[0], matched[1]
    return 0, 1


def _dependency_message(val: Any, inst: Any) -> str:
    for prop, required in val.items():
        if isinstance(required, list) and prop in inst:
            missing = [p for p in required if p not in inst]
            if missing:
                return (
                    f"properties {', '.join(_quote(p) for p in missing)} required, if {_quote(prop)} exists"
                )
    return "dependency failed"


# --- output.go display --------------------------------------------------------------------------


def _pointer(loc: tuple[str, ...]) -> str:
    return "".join("/" + t.replace("~", "~0").replace("/", "~1") for t in loc)


def _display_tree(err: _Error, indent: int, out: list[str]) -> None:
    skipped = err.message is None and len(err.causes) == 1
    if not skipped:
        out.append(
            "  " * (indent - 1) + f"- at {_quote(_pointer(err.loc))}: {err.message or 'validation failed'}"
        )
        indent += 1
    for cause in err.causes:
        _display_tree(cause, indent, out)


def v6_report(errors: list[Any], schema: Any, instance: Any) -> str:
    """The text Helm 4 prints for one chart's schema failures (after the chart name line),
    ending in a newline; '' when there are none."""
    root = _Validation(())
    for err in errors:
        spath, ipath = list(err.relative_schema_path), list(err.relative_path)
        if err.validator is None and spath and spath[-1] == "properties":
            # python-jsonschema names neither the property nor the path of a `false` subschema
            props = _resolve_path(schema, spath)
            parent = _resolve_path(instance, ipath)
            names = (
                sorted(p for p in parent if isinstance(props, dict) and props.get(p) is False)
                if isinstance(parent, dict)
                else []
            )
            if names:
                spath, ipath = [*spath, names[0]], [*ipath, names[0]]
        spath = _with_refs(schema, schema, spath, err.schema)
        _insert(root, spath, ipath, err, schema, schema)
    # Schema.Validate: a group at the top is replaced by its causes.
    causes = root.errors()
    if not causes:
        return ""
    lines: list[str] = []
    for cause in causes:
        _display_tree(cause, 1, lines)
    return "\n".join(lines) + "\n"

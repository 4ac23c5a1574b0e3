"""The patches Helm's kube client computes on upgrade and rollback, and how the API server applies them.

Helm 3 (and Helm 4 in client-side mode) updates an existing object with `createPatch`
(`pkg/kube/client.go`): a built-in kind gets a three-way *strategic merge patch*
(`strategicpatch.CreateThreeWayMergePatch(original, modified, current)`: original = the object in the
previous release's manifest, modified = the new object with Helm's ownership metadata, current = the
live object); a custom resource gets a two-way *JSON merge patch* from original to modified
(`jsonpatch.CreateMergePatch`), which is why it always carries the ownership metadata. An empty patch
(`{}`) means no request at all.

This module ports the parts of k8s.io/apimachinery `pkg/util/strategicpatch` those calls use
(diffMaps, diffLists with `$setElementOrder`, `$deleteFromPrimitiveList` and `$retainKeys`, mergeMap)
and the server side (StrategicMergeMapPatch, RFC 7386 merge patch), over the patch strategies of the
built-in types' fields (`patchStrategy`/`patchMergeKey` struct tags in k8s.io/api), kept in `SCHEMA`.
"""

from __future__ import annotations

import copy
import json
import math
from dataclasses import dataclass, field
from typing import Any

from hooklint.backends.apimodel import BUILTIN_GROUPS, group_of

DIRECTIVE = "$patch"
RETAIN_KEYS = "$retainKeys"
DELETE_PRIMITIVE = "$deleteFromPrimitiveList"
SET_ORDER = "$setElementOrder"

STRATEGIC = "application/strategic-merge-patch+json"
MERGE = "application/merge-patch+json"
JSON_PATCH = "application/json-patch+json"


class PatchError(ValueError):
    """A patch that cannot be computed or applied (the Go code's mergepatch errors)."""


@dataclass(frozen=True)
class Field:
    """One struct field's patch metadata: its strategies, merge key and element type."""

    type: str | None = None
    strategies: tuple[str, ...] = ()
    merge_key: str = ""


@dataclass(frozen=True)
class Schema:
    """The fields of one Go struct that carry patch metadata or lead to such a struct."""

    name: str
    fields: dict[str, Field] = field(default_factory=dict)

    def lookup(self, key: str) -> tuple[Schema, Field]:
        f = self.fields.get(key, Field())
        return (SCHEMA.get(f.type or "", EMPTY), f)


EMPTY = Schema("unknown")

_M = ("merge",)
_MR = ("merge", "retainKeys")
_POD_TEMPLATE = Field("PodTemplateSpec")
_META = Field("ObjectMeta")

# k8s.io/api struct tags (patchStrategy / patchMergeKey), for the kinds charts ship.
SCHEMA: dict[str, Schema] = {
    s.name: s
    for s in [
        Schema(
            "ObjectMeta",
            {"finalizers": Field(None, _M), "ownerReferences": Field(None, _M, "uid")},
        ),
        Schema("PodTemplateSpec", {"metadata": _META, "spec": Field("PodSpec")}),
        Schema(
            "PodSpec",
            {
                "volumes": Field(None, _MR, "name"),
                "initContainers": Field("Container", _M, "name"),
                "containers": Field("Container", _M, "name"),
                "ephemeralContainers": Field("Container", _M, "name"),
                "imagePullSecrets": Field(None, _M, "name"),
                "hostAliases": Field(None, _M, "ip"),
                "topologySpreadConstraints": Field(None, _M, "topologyKey"),
                "resourceClaims": Field(None, _MR, "name"),
                "schedulingGates": Field(None, _M, "name"),
            },
        ),
        Schema(
            "Container",
            {
                "ports": Field(None, _M, "containerPort"),
                "env": Field(None, _M, "name"),
                "volumeMounts": Field(None, _M, "mountPath"),
                "volumeDevices": Field(None, _M, "devicePath"),
            },
        ),
        Schema("Pod", {"metadata": _META, "spec": Field("PodSpec")}),
        Schema("PodTemplate", {"metadata": _META, "template": _POD_TEMPLATE}),
        Schema("DeploymentSpec", {"template": _POD_TEMPLATE, "strategy": Field(None, ("retainKeys",))}),
        Schema("Deployment", {"metadata": _META, "spec": Field("DeploymentSpec")}),
        Schema("WorkloadSpec", {"template": _POD_TEMPLATE}),
        Schema("StatefulSet", {"metadata": _META, "spec": Field("WorkloadSpec")}),
        Schema("DaemonSet", {"metadata": _META, "spec": Field("WorkloadSpec")}),
        Schema("ReplicaSet", {"metadata": _META, "spec": Field("WorkloadSpec")}),
        Schema("ReplicationController", {"metadata": _META, "spec": Field("WorkloadSpec")}),
        Schema("Job", {"metadata": _META, "spec": Field("WorkloadSpec")}),
        Schema("JobTemplateSpec", {"metadata": _META, "spec": Field("WorkloadSpec")}),
        Schema("CronJobSpec", {"jobTemplate": Field("JobTemplateSpec")}),
        Schema("CronJob", {"metadata": _META, "spec": Field("CronJobSpec")}),
        Schema("ServiceSpec", {"ports": Field(None, _M, "port")}),
        Schema("Service", {"metadata": _META, "spec": Field("ServiceSpec")}),
        Schema("ServiceAccount", {"metadata": _META, "secrets": Field(None, _M, "name")}),
        Schema("Object", {"metadata": _META}),
    ]
}


def is_builtin(api_version: str) -> bool:
    """Kinds client-go's scheme knows (typed: strategic merge patch); others are unstructured."""
    return group_of(api_version) in BUILTIN_GROUPS


def schema_for(kind: str) -> Schema:
    return SCHEMA.get(kind, SCHEMA["Object"])


# -- Go value semantics ------------------------------------------------------------------------------


def _type(value: Any) -> str:
    """reflect.TypeOf after json.Unmarshal into interface{}: every number is a float64."""
    if value is None:
        return "nil"
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, (int, float)):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "slice"
    return "map"


def _equal(a: Any, b: Any) -> bool:
    """reflect.DeepEqual over JSON values (true is not 1)."""
    if _type(a) != _type(b):
        return False
    if isinstance(a, dict):
        return a.keys() == b.keys() and all(_equal(a[k], b[k]) for k in a)
    if isinstance(a, list):
        return len(a) == len(b) and all(_equal(x, y) for x, y in zip(a, b, strict=True))
    return bool(a == b)


def go_v(value: Any) -> str:
    """fmt.Sprintf("%v") of a JSON value; numbers are float64, printed with strconv's shortest
    'g' form (an exponent from 1e+06 on, or below 1e-04)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        f = float(value)
        if math.isinf(f) or math.isnan(f):
            return "NaN" if math.isnan(f) else ("+Inf" if f > 0 else "-Inf")
        if f == 0:
            return "0"
        mantissa, _, exp_text = f"{f:e}".partition("e")
        exp = int(exp_text)
        if exp < -4 or exp >= 6:
            digits = repr(abs(f)).split("e")[0].replace(".", "").lstrip("0").rstrip("0") or "0"
            mant = digits[0] + ("." + digits[1:] if len(digits) > 1 else "")
            return f"{'-' if f < 0 else ''}{mant}e{'-' if exp < 0 else '+'}{abs(exp):02d}"
        del mantissa
        text = repr(f)
        return text[:-2] if text.endswith(".0") else text
    if value is None:
        return "<nil>"
    if isinstance(value, str):
        return value
    return json.dumps(value)


def _sort_scalars(values: list[Any]) -> list[Any]:
    return sorted(values, key=go_v)


def _dedupe(values: list[Any]) -> list[Any]:
    """deduplicateScalars: Go's in-place swap-with-last algorithm (keeps its odd order)."""
    s = list(values)
    length = len(s) - 1
    i = 0
    while i < length:
        j = i + 1
        while j <= length:
            if _equal(s[i], s[j]):
                s[j] = s[length]
                s = s[:length]
                length -= 1
                j -= 1
            j += 1
        i += 1
    return s


def _element_kind(*lists: list[Any]) -> str | None:
    kind = None
    for items in lists:
        for v in items:
            t = _type(v)
            if kind is None:
                if t == "slice":
                    raise PatchError("lists of lists are not supported")
                kind = t
            elif kind != t:
                raise PatchError("list element types are not identical")
    return kind


def _strategy(f: Field) -> tuple[bool, str]:
    """extractRetainKeysPatchStrategy: (retainKeys?, the other strategy)."""
    retain = "retainKeys" in f.strategies
    other = [s for s in f.strategies if s != "retainKeys"]
    return retain, other[0] if other else ""


# -- creating a patch (client side) ------------------------------------------------------------------


@dataclass(frozen=True)
class _Diff:
    set_order: bool = False
    ignore_changes: bool = False
    ignore_deletions: bool = False
    retain_keys: bool = False


def _diff_maps(
    original: dict[str, Any], modified: dict[str, Any], schema: Schema, opts: _Diff
) -> dict[str, Any]:
    patch: dict[str, Any] = {}
    retain: list[Any] = []
    for key, mod in modified.items():
        if opts.retain_keys and mod is not None:
            retain.append(key)
        if key not in original:
            if not opts.ignore_changes:
                patch[key] = mod
            continue
        orig = original[key]
        if key == DIRECTIVE:
            if orig != mod:
                patch[key] = mod
            continue
        if _type(orig) != _type(mod):
            if not opts.ignore_changes:
                patch[key] = mod
            continue
        if isinstance(orig, dict):
            sub, f = schema.lookup(key)
            retain_keys, strategy = _strategy(f)
            if strategy == "replace":
                if not opts.ignore_changes:
                    patch[key] = mod
            else:
                value = _diff_maps(
                    orig,
                    mod,
                    sub,
                    _Diff(opts.set_order, opts.ignore_changes, opts.ignore_deletions, retain_keys),
                )
                if value:
                    patch[key] = value
        elif isinstance(orig, list):
            _slice_diff(key, orig, mod, patch, schema, opts)
        elif not opts.ignore_changes and not _equal(orig, mod):
            patch[key] = mod
    if not opts.ignore_deletions:
        for key in original:
            if key not in modified:
                patch[key] = None
    if retain and (patch or any(v is not None and k not in modified for k, v in original.items())):
        patch[RETAIN_KEYS] = _sort_scalars(retain)
    return patch


def _slice_diff(
    key: str, original: list[Any], modified: list[Any], patch: dict[str, Any], schema: Schema, opts: _Diff
) -> None:
    sub, f = schema.lookup(key)
    retain_keys, strategy = _strategy(f)
    if strategy != "merge":
        if not opts.ignore_changes and not _equal(original, modified):
            patch[key] = modified
        return
    inner = _Diff(opts.set_order, opts.ignore_changes, opts.ignore_deletions, retain_keys)
    add, delete, order = _diff_lists(original, modified, sub, f.merge_key, inner)
    if add:
        patch[key] = add
    if delete:
        patch[f"{DELETE_PRIMITIVE}/{key}"] = delete
    if order:
        patch[f"{SET_ORDER}/{key}"] = order


def _diff_lists(
    original: list[Any], modified: list[Any], schema: Schema, merge_key: str, opts: _Diff
) -> tuple[list[Any], list[Any], list[Any]]:
    if not original:
        if not modified or opts.ignore_changes:
            return [], [], []
        return list(modified), [], []
    kind = _element_kind(original, modified)
    if kind == "map":
        patch_list, delete_list = _diff_lists_of_maps(original, modified, schema, merge_key, opts)
        patch_list = _normalize_order(patch_list, modified, merge_key, "map")
        same = len(original) == len(modified) and all(
            _equal(o.get(merge_key), m.get(merge_key)) for o, m in zip(original, modified, strict=True)
        )
        patch_list += delete_list
        order: list[Any] = []
        if opts.set_order and (
            (not opts.ignore_changes and (patch_list or not same))
            or (not opts.ignore_deletions and patch_list)
        ):
            order = [{merge_key: m.get(merge_key)} for m in modified]
        return patch_list, [], order
    add, delete = _diff_lists_of_scalars(original, modified, opts)
    add = _normalize_order(add, modified, merge_key, kind or "")
    order = []
    if opts.set_order and (
        (not opts.ignore_deletions and delete) or (not opts.ignore_changes and not _equal(original, modified))
    ):
        order = list(modified)
    return add, delete, order


def _diff_lists_of_scalars(
    original: list[Any], modified: list[Any], opts: _Diff
) -> tuple[list[Any], list[Any]]:
    orig, mod = _sort_scalars(original), _sort_scalars(modified)
    i = j = 0
    add: list[Any] = []
    delete: list[Any] = []
    while i < len(orig) or j < len(mod):
        a = go_v(orig[i]) if i < len(orig) else None
        b = go_v(mod[j]) if j < len(mod) else None
        if a is not None and b is not None and a == b:
            i, j = i + 1, j + 1
        elif a is None or (b is not None and a > b):
            if not opts.ignore_changes:
                add.append(mod[j])
            j += 1
        else:
            if not opts.ignore_deletions:
                delete.append(orig[i])
            i += 1
    return add, _dedupe(delete)


def _merge_value(item: Any, merge_key: str) -> Any:
    if not isinstance(item, dict) or merge_key not in item:
        raise PatchError(f"map: {item} does not contain declared merge key: {merge_key}")
    return item[merge_key]


def _diff_lists_of_maps(
    original: list[Any], modified: list[Any], schema: Schema, merge_key: str, opts: _Diff
) -> tuple[list[Any], list[Any]]:
    orig = sorted(original, key=lambda m: go_v(_merge_value(m, merge_key)))
    mod = sorted(modified, key=lambda m: go_v(_merge_value(m, merge_key)))
    patch: list[Any] = []
    deletions: list[Any] = []
    i = j = 0
    while i < len(orig) or j < len(mod):
        a = go_v(orig[i][merge_key]) if i < len(orig) else None
        b = go_v(mod[j][merge_key]) if j < len(mod) else None
        if a is not None and b is not None and a == b:
            value = _diff_maps(orig[i], mod[j], schema, opts)
            if value:
                value[merge_key] = mod[j][merge_key]
                patch.append(value)
            i, j = i + 1, j + 1
        elif a is None or (b is not None and a > b):
            if not opts.ignore_changes:
                patch.append(mod[j])
            j += 1
        else:
            if not opts.ignore_deletions:
                deletions.append({merge_key: orig[i][merge_key], DIRECTIVE: "delete"})
            i += 1
    return patch, deletions


def _index(items: list[Any], value: Any, merge_key: str, kind: str) -> int:
    def key_of(v: Any) -> Any:
        return v.get(merge_key) if kind == "map" and isinstance(v, dict) else v

    want = key_of(value)
    for i, v in enumerate(items):
        if _equal(key_of(v), want):
            return i
    return -1


def _normalize_order(to_sort: list[Any], order: list[Any], merge_key: str, kind: str) -> list[Any]:
    """normalizeSliceOrder: sort by position in `order` (Go's sort.SliceStable with its less)."""
    to_delete: list[Any] = []
    if kind == "map":
        for v in to_sort + order:
            _merge_value(v, merge_key)
        to_delete = [v for v in to_sort if v.get(DIRECTIVE) == "delete"]
        to_sort = [v for v in to_sort if v.get(DIRECTIVE) != "delete"]
    # less(i, j) is "true" unless both are found and i is not before j: a stable insertion sort
    # with that predicate reproduces sort.SliceStable's result for these small lists.
    result: list[Any] = []
    for item in to_sort:
        pos = len(result)
        while pos > 0 and _less(item, result[pos - 1], order, merge_key, kind):
            pos -= 1
        result.insert(pos, item)
    return result + to_delete


def _less(a: Any, b: Any, order: list[Any], merge_key: str, kind: str) -> bool:
    ia = _index(order, a, merge_key, kind)
    if ia >= 0:
        ib = _index(order, b, merge_key, kind)
        if ib >= 0:
            return ia < ib
    return True


def three_way_strategic(
    original: dict[str, Any], modified: dict[str, Any], current: dict[str, Any], kind: str
) -> dict[str, Any]:
    """CreateThreeWayMergePatch(original, modified, current, overwrite=true): the changes from
    current to modified without deletions, plus the deletions from original to modified."""
    schema = schema_for(kind)
    delta = _diff_maps(current, modified, schema, _Diff(set_order=True, ignore_deletions=True))
    deletions = _diff_maps(original, modified, schema, _Diff(set_order=True, ignore_changes=True))
    return _merge_map(deletions, delta, schema, merge_parallel=False, ignore_nulls=False)


def two_way_merge(original: Any, modified: Any) -> Any:
    """jsonpatch.CreateMergePatch (RFC 7386): changed values, removed keys as null, lists whole."""
    if not isinstance(original, dict) or not isinstance(modified, dict):
        return copy.deepcopy(modified)
    patch: dict[str, Any] = {}
    for key, value in modified.items():
        if key not in original:
            patch[key] = copy.deepcopy(value)
        elif isinstance(value, dict) and isinstance(original[key], dict):
            sub = two_way_merge(original[key], value)
            if sub:
                patch[key] = sub
        elif not _equal(original[key], value):
            patch[key] = copy.deepcopy(value)
    for key in original:
        if key not in modified:
            patch[key] = None
    return patch


# -- applying a patch (server side) ------------------------------------------------------------------


def apply_merge_patch(target: Any, patch: Any) -> Any:
    """RFC 7386 JSON merge patch."""
    if not isinstance(patch, dict):
        return copy.deepcopy(patch)
    result = copy.deepcopy(target) if isinstance(target, dict) else {}
    for key, value in patch.items():
        if value is None:
            result.pop(key, None)
        else:
            result[key] = apply_merge_patch(result.get(key), value)
    return result


def apply_strategic(original: dict[str, Any], patch: dict[str, Any], kind: str) -> dict[str, Any]:
    """StrategicMergeMapPatch: what the API server does with a strategic merge patch."""
    return _merge_map(copy.deepcopy(original), copy.deepcopy(patch), schema_for(kind), True, True)


def _remove_directives(obj: Any) -> tuple[Any, bool]:
    if isinstance(obj, dict):
        if DIRECTIVE in obj:
            return None, False
        out = {}
        for k, v in obj.items():
            nv, keep = _remove_directives(v)
            if keep:
                out[k] = nv
        return out, True
    if isinstance(obj, list):
        kept = [_remove_directives(v) for v in obj]
        return [v for v, keep in kept if keep], True
    return obj, True


def _merge_map(
    original: dict[str, Any] | None,
    patch: dict[str, Any],
    schema: Schema,
    merge_parallel: bool,
    ignore_nulls: bool,
) -> dict[str, Any]:
    if DIRECTIVE in patch:
        directive = patch[DIRECTIVE]
        if directive == "replace":
            return {k: v for k, v in patch.items() if k != DIRECTIVE}
        if directive == "delete":
            return {}
        raise PatchError(f"Unknown patch type: {directive}")
    original = {} if original is None else original
    _apply_retain_keys(original, patch, merge_parallel)
    _merge_set_order(original, patch, schema, merge_parallel, ignore_nulls)
    for key, value in list(patch.items()):
        is_delete_list = False
        if key.startswith(DELETE_PRIMITIVE):
            if not merge_parallel:
                original[key] = value
                continue
            key, is_delete_list = key.split("/", 1)[1], True
        if value is None:
            original.pop(key, None)
            if ignore_nulls:
                continue
        if key not in original or _type(original[key]) != _type(value):
            if not is_delete_list:
                if ignore_nulls:
                    value = _discard_nulls(value)
                cleaned, keep = _remove_directives(value)
                if keep:
                    original[key] = cleaned
                else:
                    original.pop(key, None)
            continue
        if isinstance(value, dict):
            sub, f = schema.lookup(key)
            _, strategy = _strategy(f)
            original[key] = (
                value
                if strategy == "replace"
                else _merge_map(original[key], value, sub, merge_parallel, ignore_nulls)
            )
        elif isinstance(value, list):
            sub, f = schema.lookup(key)
            _, strategy = _strategy(f)
            if strategy == "merge" or is_delete_list:
                original[key] = _merge_slice(
                    original[key], value, sub, f.merge_key, merge_parallel, ignore_nulls, is_delete_list
                )
            else:
                original[key] = value
        else:
            cleaned, keep = _remove_directives(value)
            if keep:
                original[key] = cleaned
            else:
                original.pop(key, None)
    return original


def _discard_nulls(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _discard_nulls(v) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [_discard_nulls(v) for v in value]
    return value


def _apply_retain_keys(original: dict[str, Any], patch: dict[str, Any], merge_parallel: bool) -> None:
    if RETAIN_KEYS not in patch:
        return
    keys = patch.pop(RETAIN_KEYS)
    if not merge_parallel:
        if RETAIN_KEYS in original and not _equal(original[RETAIN_KEYS], keys):
            raise PatchError("$retainKeys lists differ while computing the three-way patch")
        original.setdefault(RETAIN_KEYS, keys)
        return
    if not isinstance(keys, list):
        raise PatchError("invalid patch: $retainKeys must be a list")
    for k, v in patch.items():
        if v is None or k.startswith(DELETE_PRIMITIVE) or k.startswith(SET_ORDER):
            continue
        if k not in keys:
            raise PatchError("doesn't match $retainKeys")
    for k in list(original):
        if k not in keys:
            del original[k]


def _merge_set_order(
    original: dict[str, Any], patch: dict[str, Any], schema: Schema, merge_parallel: bool, ignore_nulls: bool
) -> None:
    for key in [k for k in patch if k.startswith(SET_ORDER)]:
        order = patch.pop(key)
        if not merge_parallel:
            if key in original and not _equal(original[key], order):
                raise PatchError("invalid patch: $setElementOrder lists differ")
            original.setdefault(key, order)
        if not isinstance(order, list):
            raise PatchError("invalid patch: $setElementOrder must be a list")
        name = key.split("/", 1)[1]
        sub, f = schema.lookup(name)
        found_o, found_p = name in original, name in patch
        if not found_o and not found_p:
            continue
        o_list = original.get(name) or []
        p_list = patch.get(name) or []
        if found_o and not found_p:
            merged = list(o_list)
        elif found_p and not found_o:
            merged, _ = _remove_directives(p_list)
        else:
            merged = _merge_slice(o_list, p_list, sub, f.merge_key, merge_parallel, ignore_nulls, False)
        kind = _element_kind(o_list, p_list) or ""
        in_patch = [m for m in merged if _index(order, m, f.merge_key, kind if f.merge_key else "") >= 0]
        server = [m for m in merged if _index(order, m, f.merge_key, kind if f.merge_key else "") < 0]
        original[name] = _normalize_element_order(in_patch, server, order, o_list, f.merge_key, kind)
        patch.pop(name, None)


def _merge_slice(
    original: list[Any],
    patch: list[Any],
    schema: Schema,
    merge_key: str,
    merge_parallel: bool,
    ignore_nulls: bool,
    is_delete_list: bool,
) -> list[Any]:
    if not original and not patch:
        return original
    kind = _element_kind(original, patch)
    if kind != "map":
        if merge_parallel and is_delete_list:
            return [v for v in original if not any(_equal(v, d) for d in patch)]
        merged = _dedupe(original + patch)
    else:
        if not merge_key:
            raise PatchError(f"cannot merge lists without merge key for {schema.name}")
        replace = False
        plain = []
        original = list(original)
        for item in patch:
            directive = item.get(DIRECTIVE)
            if directive is None:
                plain.append(item)
            elif directive == "delete":
                value = _merge_value(item, merge_key)
                original = [o for o in original if not _equal(o.get(merge_key), value)]
            elif directive == "replace":
                replace = True
            else:
                raise PatchError(f"Unknown patch type: {directive}")
        if replace:
            return plain
        patch = plain
        for item in patch:
            value = _merge_value(item, merge_key)
            for i, o in enumerate(original):
                if isinstance(o, dict) and merge_key in o and _equal(o[merge_key], value):
                    original[i] = _merge_map(o, item, schema, merge_parallel, ignore_nulls)
                    break
            else:
                original.append(item)
        merged = original
    key_kind = "map" if merge_key else ""
    in_patch = [m for m in merged if _index(patch, m, merge_key, key_kind) >= 0]
    server = [m for m in merged if _index(patch, m, merge_key, key_kind) < 0]
    return _normalize_element_order(in_patch, server, patch, original, merge_key, kind or "")


def _normalize_element_order(
    patch: list[Any],
    server_only: list[Any],
    patch_order: list[Any],
    server_order: list[Any],
    merge_key: str,
    kind: str,
) -> list[Any]:
    key_kind = "map" if kind == "map" else ""
    patch = _normalize_order(patch, patch_order, merge_key, key_kind)
    server_only = _normalize_order(server_only, server_order, merge_key, key_kind)
    out: list[Any] = []
    i = j = 0
    while i < len(server_only) or j < len(patch):
        if i >= len(server_only):
            out.append(patch[j])
            j += 1
        elif j >= len(patch):
            out.append(server_only[i])
            i += 1
        else:
            li = _index(server_order, server_only[i], merge_key, key_kind)
            ri = _index(server_order, patch[j], merge_key, key_kind)
            if li >= 0 and ri >= 0 and li < ri:
                out.append(server_only[i])
                i += 1
            else:
                out.append(patch[j])
                j += 1
    return out


def patch_bytes(patch: dict[str, Any]) -> str:
    """json.Marshal of the patch map: keys sorted, compact."""
    return json.dumps(patch, sort_keys=True, separators=(",", ":"), ensure_ascii=False)

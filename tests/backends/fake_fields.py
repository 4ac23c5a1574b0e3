"""Field ownership for the fake API server: managedFields per manager and operation, and the
server-side apply conflicts a real API server reports (structured-merge-diff, simplified).

An object's fields are leaf paths: map keys step into maps; lists whose elements have a merge
key (the built-in kinds' associative lists, `hooklint.backends.patches.SCHEMA`) step into the
element by its key; other lists, `selector`s and scalars are atomic leaves. A create or update
gives the writer the fields it changed (and takes them from everyone else); an apply gives the
applier exactly the fields of its configuration, fails with 409 on a field another manager owns
with a different value unless forced, and removes the fields it applied before and no longer
applies when nobody else owns them.
"""

from __future__ import annotations

import copy
import json
from typing import Any

from hooklint.backends.patches import EMPTY, Schema, apply_strategic, schema_for

Path = tuple[tuple[str, Any], ...]
# (manager, operation, apiVersion, subresource)
Owner = tuple[str, str, str, str]

UNTRACKED_META = {
    "name",
    "namespace",
    "uid",
    "resourceVersion",
    "creationTimestamp",
    "managedFields",
    "generation",
}
ATOMIC_KEYS = {"selector"}  # LabelSelector and Service selectors are atomic


def leaf_paths(obj: dict[str, Any], kind: str, builtin: bool) -> dict[Path, Any]:
    """{path: value} of every owned leaf of `obj`."""
    out: dict[Path, Any] = {}
    schema = schema_for(kind) if builtin else EMPTY
    for key, value in obj.items():
        if key in ("apiVersion", "kind", "status"):
            continue
        if key == "metadata" and isinstance(value, dict):
            value = {k: v for k, v in value.items() if k not in UNTRACKED_META}
            if not value:
                continue
        _walk((("f", key),), value, *schema.lookup(key), builtin, out)
    return out


def _walk(path: Path, value: Any, schema: Schema, field: Any, builtin: bool, out: dict[Path, Any]) -> None:
    if isinstance(value, dict) and value and path[-1][1] not in ATOMIC_KEYS:
        for key, sub in value.items():
            _walk((*path, ("f", key)), sub, *schema.lookup(key), builtin, out)
        return
    key = getattr(field, "merge_key", "")
    if isinstance(value, list) and builtin and "merge" in getattr(field, "strategies", ()) and value:
        for item in value:
            if key and isinstance(item, dict) and key in item:
                item_path = (
                    *path,
                    ("k", json.dumps({key: item[key]}, sort_keys=True, separators=(",", ":"))),
                )
                out[(*item_path, (".", None))] = None
                for k, sub in item.items():
                    _walk((*item_path, ("f", k)), sub, *schema.lookup(k), builtin, out)
            elif not key:
                out[(*path, ("v", json.dumps(item)))] = item
        return
    out[path] = value


def show(path: Path) -> str:
    """fieldpath.Path.String(): `.spec.replicas`, `.spec.containers[name="app"].image`."""
    text = ""
    for kind, value in path:
        if kind == "f":
            text += f".{value}"
        elif kind == "k":
            text += "[" + ",".join(f"{k}={json.dumps(v)}" for k, v in json.loads(value).items()) + "]"
        elif kind == "v":
            text += f"[={value}]"
    return text


def fields_v1(paths: set[Path]) -> dict[str, Any]:
    tree: dict[str, Any] = {}
    for path in paths:
        node = tree
        for kind, value in path:
            name = "." if kind == "." else f"{kind}:{value}"
            node = node.setdefault(name, {})
    return tree


def _owner_text(owner: Owner) -> str:
    """printManager: `"m"`, `"m" with subresource "s"`, `... using v1` for Update managers."""
    manager, operation, api_version, subresource = owner
    text = json.dumps(manager)
    if subresource:
        text += f" with subresource {json.dumps(subresource)}"
    if operation == "Update":
        text += f" using {api_version}"
    return text


def conflict_message(conflicts: list[tuple[Owner, Path]]) -> str:
    """The apiserver's getConflictMessage."""
    if len(conflicts) == 1:
        owner, path = conflicts[0]
        return f"Apply failed with 1 conflict: conflict with {_owner_text(owner)}: {show(path)}"
    by_owner: dict[str, list[Path]] = {}
    for owner, path in conflicts:
        by_owner.setdefault(_owner_text(owner), []).append(path)
    lines = []
    for owner_text in sorted(by_owner):
        lines.append(f"conflicts with {owner_text}:")
        lines += [f"- {show(p)}" for p in by_owner[owner_text]]
    return f"Apply failed with {len(conflicts)} conflicts: " + "\n".join(lines)


class ApplyConflict(Exception):
    def __init__(self, message: str, conflicts: list[tuple[Owner, Path]]) -> None:
        super().__init__(message)
        self.message = message
        self.conflicts = conflicts


class Ownership:
    """The managedFields of one object, as sets of leaf paths per owner."""

    def __init__(self) -> None:
        self.owners: dict[Owner, set[Path]] = {}

    def entries(self, times: dict[Owner, str]) -> list[dict[str, Any]]:
        out = []
        for owner, paths in self.owners.items():
            manager, operation, api_version, subresource = owner
            entry: dict[str, Any] = {
                "manager": manager,
                "operation": operation,
                "apiVersion": api_version,
                "time": times.get(owner, ""),
                "fieldsType": "FieldsV1",
                "fieldsV1": fields_v1(paths),
            }
            if subresource:
                entry["subresource"] = subresource
            out.append(entry)
        return out

    def update(self, owner: Owner, before: dict[Path, Any], after: dict[Path, Any]) -> None:
        """A create/update/patch: the writer owns what it changed; removed fields have no owner."""
        changed = {p for p, v in after.items() if p not in before or before[p] != v}
        gone = set(before) - set(after)
        for other, paths in list(self.owners.items()):
            if other != owner:
                paths -= changed
            paths -= gone
            if not paths:
                del self.owners[other]
        if changed or owner in self.owners:
            self.owners.setdefault(owner, set()).update(changed)

    def apply(
        self,
        owner: Owner,
        live: dict[str, Any],
        config: dict[str, Any],
        kind: str,
        builtin: bool,
        force: bool,
    ) -> dict[str, Any]:
        """Server-side apply of `config` onto `live`: the new object (raises ApplyConflict)."""
        before = leaf_paths(live, kind, builtin)
        applied = leaf_paths(config, kind, builtin)
        conflicts = []
        for other, paths in self.owners.items():
            if other[:2] == owner[:2]:
                continue
            for path in sorted(paths & set(applied), key=show):
                if path[-1][0] != "." and before.get(path) != applied[path]:
                    conflicts.append((other, path))
        if conflicts and not force:
            raise ApplyConflict(conflict_message(conflicts), conflicts)
        for other, path in conflicts:
            self.owners[other].discard(path)
        previously = self.owners.get(owner, set())
        others = set().union(*(p for o, p in self.owners.items() if o != owner)) if self.owners else set()
        result = apply_strategic(live, _without_nulls(config), kind) if builtin else _merge(live, config)
        for path in sorted(previously - set(applied) - others, key=len, reverse=True):
            _remove(result, path)
        self.owners[owner] = set(applied)
        for other in [o for o, p in self.owners.items() if not p]:
            del self.owners[other]
        after = leaf_paths(result, kind, builtin)
        for paths in self.owners.values():
            paths &= set(after)
        return result


def _without_nulls(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _without_nulls(v) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [_without_nulls(v) for v in value]
    return value


def _merge(live: Any, config: Any) -> Any:
    if isinstance(live, dict) and isinstance(config, dict):
        out = copy.deepcopy(live)
        for k, v in config.items():
            out[k] = _merge(out.get(k), v)
        return out
    return copy.deepcopy(config)


def _remove(obj: dict[str, Any], path: Path) -> None:
    """Remove one leaf (a list element when its last field goes) and the maps it leaves empty."""
    trail: list[tuple[Any, Any]] = []
    node: Any = obj
    for kind, value in path:
        if kind == ".":
            break
        if kind == "f" and isinstance(node, dict) and value in node:
            trail.append((node, value))
            node = node[value]
        elif kind == "k" and isinstance(node, list):
            want = json.loads(value)
            index = next(
                (
                    i
                    for i, item in enumerate(node)
                    if isinstance(item, dict) and all(item.get(k) == v for k, v in want.items())
                ),
                None,
            )
            if index is None:
                return
            trail.append((node, index))
            node = node[index]
        elif kind == "v" and isinstance(node, list):
            item = json.loads(value)
            if item in node:
                node.remove(item)
            return
        else:
            return
    if path[-1][0] == ".":
        if trail:
            parent, key = trail.pop()
            del parent[key]
        return
    if not trail:
        return
    parent, key = trail.pop()
    del parent[key]
    while trail and not parent:
        parent, key = trail.pop()
        del parent[key]

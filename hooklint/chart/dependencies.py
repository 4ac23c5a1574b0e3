"""Dependency processing before rendering: Helm 3.17.1's ProcessDependenciesWithMerge.

1. `processDependencyEnabled`: match `charts/` subcharts to Chart.yaml entries (name + version
   range; `alias` renames a copy), evaluate `tags` then `condition` (first path that resolves to a
   bool wins) against the coalesced values, drop disabled subcharts, recurse.
2. `processDependencyImportValues`: bottom-up, copy `exports.X` (string form) or `child` ->
   `parent` tables from each subchart's values into its parent's values, parent values winning.

Both mutate the chart, as Helm does: call them on `Chart.clone()`.
"""

from __future__ import annotations

import copy

from hooklint.chart.coalesce import coalesce_values, merge_tables, merge_values
from hooklint.chart.model import Chart, Dependency
from hooklint.chart.plain_copy import deep_copy
from hooklint.gotemplate.gofmt import quote
from hooklint.gotemplate.gotypes import StrMap
from hooklint.render import helmlog
from hooklint.semver import is_compatible_range

TYPE_CHECKING = False  # not `typing`'s: importing typing costs ~3 ms of every run
if TYPE_CHECKING:
    from typing import Any


def process_dependencies(chart: Chart, vals: dict[str, Any], helm_version: int = 3) -> None:
    """ProcessDependenciesWithMerge (what `helm install`/`helm template` call; Helm 4 names it
    ProcessDependencies)."""
    _process_enabled(chart, vals, "", helm_version)
    _process_import_values_rec(chart, helm_version)


# --- values paths ---------------------------------------------------------------------------


class _NoValue(Exception):
    pass


def _table(v: dict[str, Any], name: str) -> dict[str, Any]:
    """Values.Table: raises _NoValue when a path element is missing or not a map."""
    table: Any = v
    for n in name.split("."):
        if not isinstance(table, dict) or n not in table or not isinstance(table[n], dict):
            raise _NoValue(n)
        table = table[n]
    return table  # type: ignore[no-any-return]


def path_value(v: dict[str, Any], path: str) -> Any:
    """Values.PathValue: a non-table value at a dotted path, or _NoValue."""
    parts = path.split(".")
    if len(parts) == 1:
        if parts[0] in v and not isinstance(v[parts[0]], dict):
            return v[parts[0]]
        raise _NoValue(parts[0])
    key = parts[-1]
    try:
        t = _table(v, ".".join(parts[:-1]))
    except _NoValue:
        raise _NoValue(key) from None
    if key in t and not isinstance(t[key], dict):
        return t[key]
    raise _NoValue(key)


# --- enabled --------------------------------------------------------------------------------


def _alias_dependency(charts: list[Chart], dep: Dependency) -> Chart | None:
    for c in charts:
        if c.name != dep.name:
            continue
        if not is_compatible_range(dep.version, c.metadata.Version):
            continue
        out = Chart(
            metadata=copy.copy(c.metadata),
            values=c.values,
            schema=c.schema,
            templates=c.templates,
            files=c.files,
            raw=c.raw,
            dependencies=c.dependencies,
            source=c.source,
            values_raw=c.values_raw,
            values_helm_version=c.values_helm_version,
        )
        if dep.alias:
            out.metadata.Name = dep.alias
        return out
    return None


def _process_tags(reqs: list[Dependency], cvals: dict[str, Any], helm_version: int) -> None:
    try:
        vt = _table(cvals, "tags")
    except _NoValue:
        return
    for r in reqs:
        has_true = has_false = False
        for k in r.tags:
            if k in vt and isinstance(vt[k], bool):
                if vt[k]:
                    has_true = True
                else:
                    has_false = True
            elif k in vt:
                helmlog.emit(helm_version, f"dependencies.go:94: Warning: Tag '{k}' for chart {r.name} returned non-bool value",
                             "returned non-bool value", "WARN", tag=k, chart=r.name)
        if not has_true and has_false:
            r.enabled = False
        elif has_true or (not has_true and not has_false):
            r.enabled = True


def _process_conditions(reqs: list[Dependency], cvals: dict[str, Any], cpath: str, helm_version: int) -> None:
    for r in reqs:
        for c in r.condition.strip().split(","):
            if not c:
                continue
            try:
                vv = path_value(cvals, cpath + c)
            except _NoValue:
                continue
            if isinstance(vv, bool):
                r.enabled = vv
                break
            helmlog.emit(helm_version,
                         f"dependencies.go:63: Warning: Condition path '{c}' for chart {r.name} returned non-bool value",
                         "returned non-bool value", "WARN", path=c, chart=r.name)  # and keep looking


def _process_enabled(c: Chart, v: dict[str, Any], path: str, helm_version: int = 3) -> None:
    reqs = [r for r in (c.metadata.Dependencies or []) if r is not None]
    if c.metadata.Dependencies is None:
        return
    chart_deps: list[Chart] = []
    for existing in c.dependencies:
        if any(
            existing.name == r.name and is_compatible_range(r.version, existing.metadata.Version)
            for r in reqs
        ):
            continue
        chart_deps.append(existing)
    for req in reqs:
        aliased = _alias_dependency(c.dependencies, req)
        if aliased is not None:
            chart_deps.append(aliased)
        if req.alias:
            req.name = req.alias
    c.set_dependencies(chart_deps)
    for r in reqs:
        r.enabled = True
    cvals = coalesce_values(c, v, helm_version)
    _process_tags(reqs, cvals, helm_version)
    _process_conditions(reqs, cvals, path, helm_version)
    removed = {r.name for r in reqs if not r.enabled}
    kept = [d for d in c.dependencies if d.metadata.Name not in removed]
    kept_meta = [r for r in (c.metadata.Dependencies or []) if r is None or r.name not in removed]
    for t in kept:
        _process_enabled(t, cvals, path + t.metadata.Name + ".", helm_version)
    c.metadata.Dependencies = kept_meta
    c.set_dependencies(kept)


# --- import-values --------------------------------------------------------------------------


def _path_to_map(path: str, data: dict[str, Any]) -> dict[str, Any]:
    if path == ".":
        return data
    cur: dict[str, Any] = data
    for part in reversed(path.split(".")):
        cur = {part: cur}
    return cur


def _process_import_values(c: Chart, helm_version: int) -> None:
    if c.metadata.Dependencies is None:
        return
    cvals = merge_values(c, None, helm_version)
    b: dict[str, Any] = {}
    for r in c.metadata.Dependencies:
        if r is None:
            continue
        outiv: list[Any] = []
        for riv in r.import_values:
            if isinstance(riv, dict):
                child, parent = riv.get("child"), riv.get("parent")
                if helm_version == 4:  # fmt.Sprintf("%v", iv["child"]) instead of a type assertion
                    child, parent = _go_v(child), _go_v(parent)
                elif not isinstance(child, str) or not isinstance(parent, str):
                    # Helm panics on the type assertion iv["child"].(string).
                    from hooklint.errors import ChartError

                    raise ChartError(
                        f"dependency {r.name}: import-values entries need string 'child' and 'parent' keys"
                    )
                outiv.append(StrMap({"child": child, "parent": parent}))
                try:
                    vv = _table(cvals, f"{r.name}.{child}")
                except _NoValue as e:
                    error = f"{quote(str(e))} is not a table"  # ErrNoTable
                    helmlog.emit(helm_version, f"dependencies.go:269: Warning: ImportValues missing table from chart {r.name}: {error}",
                                 "ImportValues missing table from chart", "WARN", chart=r.name, error=error)
                    continue
                b = merge_tables(b, _path_to_map(parent, vv), helm_version) or {}
            elif isinstance(riv, str):
                child = "exports." + riv
                outiv.append(StrMap({"child": child, "parent": "."}))
                try:
                    vm = _table(cvals, f"{r.name}.{child}")
                except _NoValue as e:
                    error = f"{quote(str(e))} is not a table"
                    helmlog.emit(helm_version, f"dependencies.go:286: Warning: ImportValues missing table: {error}",
                                 "ImportValues missing table", "WARN", error=error)
                    continue
                b = merge_tables(b, vm, helm_version) or {}
        r.import_values = outiv
    c.values = merge_tables(deep_copy(cvals), b, helm_version) or {}


def _process_import_values_rec(c: Chart, helm_version: int) -> None:
    for d in c.dependencies:
        _process_import_values_rec(d, helm_version)
    _process_import_values(c, helm_version)


def _go_v(v: Any) -> str:
    """fmt %v of a value decoded from YAML."""
    from hooklint.gotemplate.gofmt import sprintf

    return sprintf("%v", v)  # type: ignore[no-any-return]

"""Values coalescing, a line-by-line port of Helm 3.17.1's pkg/chartutil/coalesce.go and
Helm 4.2.3's pkg/chart/common/util/coalesce.go (`helm_version=4`).

Rules: higher-level values win; maps merge, scalars and lists replace; a `null` from a higher
level deletes the key (coalesce mode) or is kept (merge mode, used while processing
dependencies); `global` is copied down into every subchart. Helm's warnings are logged through
`hooklint.render.helmlog` (Go's `log.Printf` lines, with 3.17.1's source line numbers).

Helm 4 also, when coalescing: drops `null`s of the chart's own defaults (cleanNilValues), and
keeps a user `null` whose chart default is `null` or absent instead of deleting it.
"""

from __future__ import annotations

from hooklint.chart.model import Chart
from hooklint.chart.plain_copy import deep_copy
from hooklint.errors import ChartError
from hooklint.gotemplate.gofmt import format_value, quote
from hooklint.render import helmlog

TYPE_CHECKING = False  # not `typing`'s: importing typing costs ~3 ms of every run
if TYPE_CHECKING:
    from typing import Any

GLOBAL_KEY = "global"


def _is_table(v: Any) -> bool:
    return isinstance(v, dict)


def coalesce_values(chart: Chart, vals: dict[str, Any] | None, helm_version: int = 3) -> dict[str, Any]:
    """CoalesceValues: user values over chart defaults, recursively into subcharts; nulls delete."""
    dest = deep_copy(vals) if vals else {}
    return _coalesce(chart, dest, "", merge=False, v4=helm_version == 4)


def merge_values(chart: Chart, vals: dict[str, Any] | None, helm_version: int = 3) -> dict[str, Any]:
    """MergeValues: like coalesce_values but `null` values are kept."""
    dest = deep_copy(vals) if vals else {}
    return _coalesce(chart, dest, "", merge=True, v4=helm_version == 4)


def _concat(prefix: str, key: str) -> str:
    return f"{prefix}.{key}" if prefix else key


def _log(v4: bool, line: int, message: str) -> None:
    helmlog.emit_printf(4 if v4 else 3, f"coalesce.go:{line}", message)


def _coalesce(chart: Chart, dest: dict[str, Any], prefix: str, merge: bool, v4: bool) -> dict[str, Any]:
    _coalesce_chart_values(chart, dest, prefix, merge, v4)
    return _coalesce_deps(chart, dest, prefix, merge, v4)


def _coalesce_deps(chart: Chart, dest: dict[str, Any], prefix: str, merge: bool, v4: bool) -> dict[str, Any]:
    for sub in chart.dependencies:
        if sub.name not in dest:
            dest[sub.name] = {}
        elif not _is_table(dest[sub.name]):
            c = dest[sub.name]
            if c is None:
                shown = "%!t(<nil>)"  # fmt's bad-verb form for a nil interface
            elif isinstance(c, bool):
                shown = "true" if c else "false"
            else:
                shown = f"%!t({_go_type(c)}={_go_v(c)})"
            raise ChartError(f"type mismatch on {sub.name}: {shown}")
        dvmap = dest[sub.name]
        sub_prefix = _concat(prefix, chart.name)
        _coalesce_globals(dvmap, dest, sub_prefix, v4)
        dest[sub.name] = _coalesce(sub, dvmap, sub_prefix, merge, v4)
    return dest


def _coalesce_globals(dest: dict[str, Any], src: dict[str, Any], prefix: str, v4: bool) -> None:
    if GLOBAL_KEY not in dest:
        dg: dict[str, Any] = {}
    elif _is_table(dest[GLOBAL_KEY]):
        dg = dest[GLOBAL_KEY]
    else:
        _log(v4, 138, f"warning: skipping globals because destination {GLOBAL_KEY} is not a table.")
        return
    if GLOBAL_KEY not in src:
        sg: dict[str, Any] = {}
    elif _is_table(src[GLOBAL_KEY]):
        sg = src[GLOBAL_KEY]
    else:
        _log(v4, 145, f"warning: skipping globals because source {GLOBAL_KEY} is not a table.")
        return
    for key, val in sg.items():
        if _is_table(val):
            vv = dict(val)
            if key not in dg:
                dg[key] = vv
            elif not _is_table(dg[key]):
                _log(v4, 161, f"Conflict: cannot merge map onto non-map for {quote(key)}. Skipping.")
            else:
                _coalesce_tables(vv, dg[key], merge=True, v4=v4, prefix=_concat(prefix, key))
                dg[key] = vv
        elif key in dg and _is_table(dg[key]):
            _log(v4, 175, f"key {key} is table. Skipping")
        else:
            dg[key] = val
    dest[GLOBAL_KEY] = dg


def _coalesce_chart_values(chart: Chart, v: dict[str, Any], prefix: str, merge: bool, v4: bool) -> None:
    sub_prefix = _concat(prefix, chart.name)
    vc = deep_copy(chart.values) if chart.values else {}
    for key, val in vc.items():
        if key in v:
            value = v[key]
            if value is None and not merge:
                del v[key]
            elif _is_table(value):
                if _is_table(val):
                    child_merge = merge or any(sub.name == key for sub in chart.dependencies)
                    if v4 and not child_merge:
                        _clean_nil_values(val)
                    _coalesce_tables(value, val, child_merge, v4, _concat(sub_prefix, key))
                elif val is not None:
                    _log(v4, 237, f"warning: skipped value for {sub_prefix}.{key}: Not a table.")
        else:
            if v4 and not merge:
                if val is None:
                    continue
                if _is_table(val):
                    _clean_nil_values(val)
            v[key] = val


def _clean_nil_values(m: dict[str, Any]) -> None:
    """Helm 4's cleanNilValues: drop `null` entries of nested maps (lists are left alone)."""
    for key in list(m):
        val = m[key]
        if val is None:
            del m[key]
        elif _is_table(val):
            _clean_nil_values(val)


def coalesce_tables(
    dst: dict[str, Any] | None, src: dict[str, Any] | None, helm_version: int = 3
) -> dict[str, Any] | None:
    """CoalesceTables: dst wins; nulls in dst delete."""
    return _coalesce_tables(dst, src, merge=False, v4=helm_version == 4)


def merge_tables(
    dst: dict[str, Any] | None, src: dict[str, Any] | None, helm_version: int = 3
) -> dict[str, Any] | None:
    return _coalesce_tables(dst, src, merge=True, v4=helm_version == 4)


def _coalesce_tables(
    dst: dict[str, Any] | None, src: dict[str, Any] | None, merge: bool, v4: bool = False, prefix: str = ""
) -> dict[str, Any] | None:
    if src is None:
        return dst
    if dst is None:
        return src
    # Helm 4: a `null` in dst deletes the key only when src had a non-null value there (the
    # user nulling a chart default); src is edited in place, as Helm does.
    src_non_nil = {k for k, val in src.items() if val is not None} if v4 else None
    if v4:
        for key, val in dst.items():
            if val is None:
                src[key] = None
    for key, val in src.items():
        present = key in dst
        dv = dst.get(key)
        if present and not merge and dv is None and (src_non_nil is None or key in src_non_nil):
            del dst[key]
        elif not present:
            dst[key] = val
        elif _is_table(val):
            if _is_table(dv):
                _coalesce_tables(dv, val, merge, v4, _concat(prefix, key))
            else:
                _log(v4, 298, f"warning: cannot overwrite table with non table for {_concat(prefix, key)} ({format_value(val)})")
        elif _is_table(dv) and val is not None:  # dst wins; Helm says so
            _log(v4, 301, f"warning: destination for {_concat(prefix, key)} is a table. Ignoring non-table value ({format_value(val)})")
    return dst


def _go_type(v: Any) -> str:
    from hooklint.gotemplate.gotypes import go_type_name

    try:
        return go_type_name(v)
    except TypeError:
        return type(v).__name__


def _go_v(v: Any) -> str:
    if v is None:
        return "<nil>"
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, float):
        return repr(v) if v != int(v) else str(int(v))
    return str(v)

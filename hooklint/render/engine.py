"""Helm's rendering engine (pkg/engine/engine.go, 3.17.1 or 4.2.3) on top of hooklint.gotemplate.

All templates of the chart and its enabled subcharts go into one template set, parsed deepest
path first (sortTemplates) so that the parent's `define`s win; every non-partial template is
executed with its chart's scoped values plus `.Template`; `<no value>` is removed. `include`,
`tpl`, `required`, `fail` and `lookup` behave (and fail) like Helm's.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Callable, Mapping
from types import MappingProxyType

from hooklint.chart.model import Chart
from hooklint.documents.source import RenderedFile, Segment, SourcePos
from hooklint.errors import RenderError
from hooklint.gotemplate.deepstack import call_deep
from hooklint.gotemplate.gofmt import forget_printed_bytes
from hooklint.gotemplate.gotypes import ANY, MAP, STRING, GoFuncError, gofunc
from hooklint.render.objects import FilesObject, chart_object, subchart_values, values_type

TYPE_CHECKING = False  # not `typing`'s: importing typing costs ~3 ms of every run
if TYPE_CHECKING:
    from typing import Any

RECURSION_MAX = 1000
_WARN_START, _WARN_END = "HELM_ERR_START", "HELM_ERR_END"
# Error paths only: compiled on first use (re's cache), not at start-up.
_WARN_RE = _WARN_START + r"(.*)" + _WARN_END
_LOC_RE = r"^(.*?):(\d+)(?::(\d+))?$"


def _template_api() -> Any:
    from hooklint.gotemplate import template

    return template


def helm_funcs(helm_version: int = 3) -> Mapping[str, Callable[..., Any]]:
    """funcMap(): Sprig's TxtFuncMap without env/expandenv, plus Helm's extras (Helm 4 adds
    mustToYaml/mustToToml/mustToJson, encodes toToml floats with BurntSushi/toml v1.6.0 and words
    semver errors like Masterminds/semver v3.5.0). Built once per Helm version and read-only:
    every render adds the same map (TemplateSet.add_funcs then reuses its checked table)."""
    funcs = _HELM_FUNCS.get(helm_version)
    if funcs is None:
        funcs = _HELM_FUNCS[helm_version] = MappingProxyType(_build_helm_funcs(helm_version))
    return funcs


_HELM_FUNCS: dict[int, Mapping[str, Callable[..., Any]]] = {}


def _build_helm_funcs(helm_version: int) -> dict[str, Callable[..., Any]]:
    from hooklint.gotemplate import gojson, goyaml
    from hooklint.gotemplate.sprig import sprig_funcs

    funcs = dict(sprig_funcs())
    funcs.pop("env", None)
    funcs.pop("expandenv", None)
    funcs.update(gojson.HELM_FUNCS)
    funcs.update(goyaml.FUNCS)
    if helm_version == 4:
        from hooklint.gotemplate import gotoml  # Helm 3 resolves toToml and semver lazily (LazyGoFunc)
        from hooklint.gotemplate.sprig import semver

        funcs.update(goyaml.HELM4_FUNCS)
        funcs.update(gotoml.HELM4_FUNCS)
        funcs.update(semver.HELM4_FUNCS)
    return funcs


class _Renderable:
    __slots__ = ("text", "vals", "base_path")

    def __init__(self, text: str, vals: dict[str, Any], base_path: str) -> None:
        self.text = text
        self.vals = vals
        self.base_path = base_path


def _is_library(c: Chart) -> bool:
    return c.metadata.Type.lower() == "library"


def all_templates(chart: Chart, top: dict[str, Any], helm_version: int = 3) -> dict[str, _Renderable]:
    """allTemplates/recAllTpls: every template key with its chart-scoped values."""
    out: dict[str, _Renderable] = {}
    _rec_all(chart, out, top, helm_version)
    return out


def _rec_all(
    c: Chart, out: dict[str, _Renderable], vals: dict[str, Any], helm_version: int
) -> dict[str, Any]:
    values_cls = values_type(helm_version)
    subcharts: dict[str, Any] = {}
    # The data every template of this chart gets (renderable.vals: a chartutil/common.Values).
    nxt: dict[str, Any] = values_cls(
        {
            "Chart": chart_object(c.metadata, c.is_root(), helm_version),
            "Files": FilesObject.from_chart_files(c.files),
            "Release": vals.get("Release"),
            "Capabilities": vals.get("Capabilities"),
            "Values": values_cls(),
            "Subcharts": subcharts,
        }
    )
    if c.is_root():
        nxt["Values"] = vals.get("Values")
    else:
        parent_values = vals.get("Values")
        if isinstance(parent_values, dict):
            sub_values = subchart_values(parent_values, c.name, helm_version)
            if sub_values is not None:
                nxt["Values"] = sub_values
    for child in c.dependencies:
        subcharts[child.name] = _rec_all(child, out, nxt, helm_version)
    prefix = c.full_path()
    library = _is_library(c)
    for t in c.templates:
        if library and not posixpath.basename(t.name).startswith("_"):
            continue
        out[posixpath.join(prefix, t.name)] = _Renderable(
            t.data.decode("utf-8", "replace"), nxt, posixpath.join(prefix, "templates")
        )
    return nxt


def sort_templates(keys: list[str]) -> list[str]:
    """Deepest paths first; equal depth in reverse byte order (sort.Reverse(byPathLen))."""
    return sorted(keys, key=lambda k: (k.count("/"), k.encode()), reverse=True)


def _pos(location: str) -> SourcePos | None:
    m = re.match(_LOC_RE, location)
    if m is None:
        return None
    return SourcePos(m.group(1), int(m.group(2)), int(m.group(3) or 1))


def cleanup_parse_error(filename: str, err: Exception) -> RenderError:
    text = str(err)
    tokens = text.split(": ")
    if len(tokens) == 1:
        return RenderError(f"parse error in ({filename}): {text}", SourcePos(filename, 1))
    location = tokens[1]
    return RenderError(f"parse error at ({location}): {tokens[-1]}", _pos(location))


def cleanup_exec_error(
    filename: str, err: Exception, is_exec_error: bool, helm_version: int = 3
) -> RenderError:
    """cleanupExecError (3.17.1) / reformatExecErrorMsg (4.2.3)."""
    text = str(err)
    if not is_exec_error:
        return RenderError(text, SourcePos(filename, 1))
    tokens = text.split(": ", 2)
    if len(tokens) != 3:
        return RenderError(f"execution error in ({filename}): {text}", SourcePos(filename, 1))
    location = tokens[1]
    m = re.search(_WARN_RE, tokens[2], re.S)
    if m is not None:
        return RenderError(f"execution error at ({location}): {m.group(1)}", _pos(location))
    if helm_version == 4:
        from hooklint.render.exec_trace import helm4_exec_trace

        return RenderError(helm4_exec_trace(text), _pos(location))
    return RenderError(text, _pos(location))


class _Lookup:
    """`lookup` answering from user-supplied objects (a stand-in for the cluster)."""

    def __init__(self, objects: tuple[dict[str, Any], ...] | None) -> None:
        self.objects = objects

    def __call__(self, api_version: str, kind: str, namespace: str, name: str) -> dict[str, Any]:
        if not self.objects:
            return {}
        import copy

        def meta(o: dict[str, Any]) -> dict[str, Any]:
            md = o.get("metadata")
            return md if isinstance(md, dict) else {}

        def matches(o: dict[str, Any]) -> bool:
            md = meta(o)
            if o.get("apiVersion") != api_version or o.get("kind") != kind:
                return False
            return not (namespace and md.get("namespace") not in (None, "", namespace))

        found = [o for o in self.objects if isinstance(o, dict) and matches(o)]
        if name:
            for o in found:
                if meta(o).get("name") == name:
                    return copy.deepcopy(o)
            return {}
        return {
            "apiVersion": api_version,
            "kind": kind + "List",
            "metadata": {"resourceVersion": ""},
            "items": [copy.deepcopy(o) for o in found],
        }


def render_templates(
    chart: Chart,
    top: dict[str, Any],
    lookup_data: tuple[dict[str, Any], ...] | None = None,
    helm_version: int = 3,
) -> dict[str, RenderedFile]:
    """Engine.Render: {template key: RenderedFile} for every non-partial template."""
    # One large stack for the whole render (deeply nested templates and includes), rather than
    # one per template executed.
    return call_deep(_render_templates, chart, top, lookup_data, helm_version)


def _render_templates(
    chart: Chart,
    top: dict[str, Any],
    lookup_data: tuple[dict[str, Any], ...] | None,
    helm_version: int,
) -> dict[str, RenderedFile]:
    api = _template_api()
    tpls = all_templates(chart, top, helm_version)
    funcs = helm_funcs(helm_version)
    values_cls = values_type(helm_version)
    ts = api.TemplateSet(funcs, missing_key="zero")
    included: dict[str, int] = {}

    @gofunc(STRING, ANY, error=True, result=ANY)
    def required(warn: str, val: Any) -> Any:
        if val is None or (isinstance(val, str) and val == ""):
            raise GoFuncError(_WARN_START + warn + _WARN_END)
        return val

    @gofunc(STRING, error=True, result=STRING)
    def fail(msg: str) -> str:
        raise GoFuncError(_WARN_START + msg + _WARN_END)

    lookup_impl = _Lookup(lookup_data)

    @gofunc(STRING, STRING, STRING, STRING, error=True, result=MAP)
    def lookup(api_version: str, kind: str, namespace: str, name: str) -> dict[str, Any]:
        return lookup_impl(api_version, kind, namespace, name)

    @gofunc(STRING, result=STRING)
    def get_host_by_name(_name: str) -> str:
        return ""

    ts.add_funcs(
        {
            "include": _make_include(ts, api, included),
            "tpl": _make_tpl(ts, api, included),
            "required": required,
            "fail": fail,
            "lookup": lookup,
            "getHostByName": get_host_by_name,
        }
    )

    try:
        return _parse_and_execute(api, ts, tpls, values_cls, helm_version)
    finally:
        ts.discard()  # its `include`/`tpl` refer back to it: a cycle only the cyclic GC could free
        forget_printed_bytes()  # (the .Files bytes a render printed: kept for its repeats only)


# `include` and `tpl` are made by module-level functions, not closures of the render: a closure
# that makes itself (`tpl` makes the clone's `tpl`) is a reference cycle, left for the cyclic GC
# after every render.
def _make_include(owner: Any, api: Any, included: dict[str, int]) -> Callable[..., Any]:
    """Helm's `include` executing on `owner`; `included` counts the nested calls by name."""

    @gofunc(STRING, ANY, error=True, result=STRING)
    def include(name: str, data: Any) -> str:
        count = included.get(name, 0)
        if count > RECURSION_MAX:
            raise GoFuncError(
                f"rendering template has a nested reference name: {name}: unable to execute template"
            )
        included[name] = count + 1
        try:
            text = owner.execute_text(name, data)
        except (api.TemplateExecError, api.TemplateParseError) as e:
            raise GoFuncError(str(e)) from None
        finally:
            included[name] -= 1
        return text  # type: ignore[no-any-return]

    return include


def _make_tpl(parent: Any, api: Any, included: dict[str, int]) -> Callable[..., Any]:
    """Helm's `tpl`: `text` parsed and executed in a clone of `parent`."""

    @gofunc(STRING, ANY, error=True, result=ANY)
    def tpl(text: str, vals: Any) -> Any:
        t = parent.clone()
        t.add_funcs({"include": _make_include(t, api, included), "tpl": _make_tpl(t, api, included)})
        try:
            return _run_tpl(api, t, parent.root_name, text, vals)
        finally:
            t.discard()  # the clone's functions refer back to it (TemplateSet.discard)

    return tpl


def _run_tpl(api: Any, t: Any, name: str, text: str, vals: Any) -> Any:
    try:
        tree = t.parse(name, text)
    except api.TemplateParseError as e:
        raise GoFuncError(f"cannot parse template {_go_quote(text)}: {e}") from None
    try:
        # Template.Execute of what Parse returned: an empty text (e.g. "") runs as
        # empty even though Go keeps the older non-empty "gotpl" in the namespace.
        out, _ = t.execute_tree(tree, vals, record=False)
    except (api.TemplateExecError, api.TemplateParseError) as e:
        raise GoFuncError(f"error during tpl function execution for {_go_quote(text)}: {e}") from None
    return out.replace("<no value>", "")


def _parse_and_execute(
    api: Any, ts: Any, tpls: dict[str, _Renderable], values_cls: Any, helm_version: int
) -> dict[str, RenderedFile]:
    keys = sort_templates(list(tpls))
    for key in keys:
        try:
            ts.parse(key, tpls[key].text)
        except api.TemplateParseError as e:
            raise cleanup_parse_error(key, e) from None

    rendered: dict[str, RenderedFile] = {}
    for key in keys:
        if posixpath.basename(key).startswith("_"):
            continue
        r = tpls[key]
        r.vals["Template"] = values_cls({"Name": key, "BasePath": r.base_path})
        try:
            text, make_segments = ts.execute_mapped(key, r.vals)
        except api.TemplateExecError as e:
            raise cleanup_exec_error(key, e, True, helm_version) from None
        except api.TemplateParseError as e:
            raise cleanup_exec_error(key, e, False, helm_version) from None
        rendered[key] = _strip_no_value(key, text, make_segments)
    return rendered


def _strip_no_value(key: str, text: str, make_segments: Callable[[], list[Segment]]) -> RenderedFile:
    """strings.ReplaceAll(out, "<no value>", "") while keeping the source map consistent (made
    when first asked for, as the render's own)."""
    marker = "<no value>"
    if marker not in text:
        return RenderedFile(key, text, make_segments=make_segments)
    cuts = [m.start() for m in re.finditer(re.escape(marker), text)]

    def shift(offset: int) -> int:
        # number of removed characters strictly before `offset`
        n = 0
        for c in cuts:
            if c + len(marker) <= offset:
                n += len(marker)
            elif c < offset:
                n += offset - c
            else:
                break
        return offset - n

    def shifted() -> list[Segment]:
        new_segments = []
        for s in make_segments():
            a, b = shift(s.out_start), shift(s.out_end)
            if b > a:
                new_segments.append(Segment(a, b, s.origin, s.literal))
        return new_segments

    return RenderedFile(key, text.replace(marker, ""), make_segments=shifted)


def _go_quote(s: str) -> str:
    try:
        from hooklint.gotemplate.gofmt import quote

        return quote(s)
    except ImportError:  # pragma: no cover
        import json

        return json.dumps(s)

"""Rendering for lint: the built-in renderer behind one small function, so tests (and a future
`--renderer helm`) can plug in another. Render failures become an outcome, not an exception: lint
reports them as findings (HL000). The classes are plain, not dataclasses: nothing compares them,
and generating a dataclass's methods costs start-up time on every lint."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from hooklint.documents.source import RenderedFile, SourcePos


class RenderRequest:
    """What lint renders: the chart, its values files and the release."""

    __slots__ = ("chart_dir", "values_files", "release_name", "namespace", "is_upgrade", "helm_version",
                 "set_values", "set_string", "set_file", "kube_version", "api_versions", "set_json", "set_literal")

    def __init__(self, chart_dir: Path, values_files: list[Path] | None = None, release_name: str = "release-name",
                 namespace: str = "default", is_upgrade: bool = False, helm_version: int = 3,
                 set_values: tuple[str, ...] = (), set_string: tuple[str, ...] = (), set_file: tuple[str, ...] = (),
                 kube_version: str | None = None, api_versions: tuple[str, ...] = (),
                 set_json: tuple[str, ...] = (), set_literal: tuple[str, ...] = ()) -> None:
        self.chart_dir = chart_dir
        self.values_files: list[Path] = [] if values_files is None else values_files
        self.release_name = release_name
        self.namespace = namespace
        self.is_upgrade = is_upgrade
        self.helm_version = helm_version  # render like Helm 3.17.1 (3) or Helm 4.2.3 (4)
        # lint's --set, --set-string, --set-file, --kube-version, -a (as helm template's)
        self.set_values = set_values
        self.set_string = set_string
        self.set_file = set_file
        self.kube_version = kube_version
        self.api_versions = api_versions
        self.set_json = set_json
        self.set_literal = set_literal


class RenderOutcome:
    """The rendered files, or the render error (as Helm words it) and where it points."""

    __slots__ = ("files", "error", "error_pos", "chart_name", "caveat")

    def __init__(self, files: dict[str, RenderedFile] | None = None, error: str | None = None,
                 error_pos: SourcePos | None = None, chart_name: str = "", caveat: str | None = None) -> None:
        self.files = files
        self.error = error
        self.error_pos = error_pos
        self.chart_name = chart_name
        # Rendered, but a check Helm makes could not be made offline (a remote schema): what was skipped.
        self.caveat = caveat


Renderer = Callable[[RenderRequest], RenderOutcome]


def chart_name_of(chart_dir: Path) -> str:
    """`name` from Chart.yaml (the prefix of every template key), else the directory name."""
    import re

    try:
        text = (chart_dir / "Chart.yaml").read_text(encoding="utf-8", errors="replace")
    except OSError:
        return chart_dir.resolve().name
    m = re.search(r"^name:\s*['\"]?([^'\"\s#]+)", text, re.M)
    return m.group(1) if m else chart_dir.resolve().name


def builtin_renderer(req: RenderRequest) -> RenderOutcome:
    """hooklint's own renderer (chart loading, values coalescing, Go templates)."""
    from hooklint.errors import HooklintError, ValuesArgumentError

    name = chart_name_of(req.chart_dir)
    try:
        from hooklint.chart import load_chart
        from hooklint.render import RenderOptions, check_installable, render_chart
    except ImportError:
        return RenderOutcome(error="the built-in renderer is not available in this build", chart_name=name)
    try:
        chart = load_chart(str(req.chart_dir))
        if chart.metadata.Type == "library":
            # Helm refuses to install a library chart, but it is never meant to be installed: its
            # templates render only inside the charts that depend on it (and are linted there).
            return RenderOutcome(files={}, chart_name=name)
        check_installable(chart, req.helm_version)
        options = RenderOptions(
            release_name=req.release_name,
            namespace=req.namespace,
            is_upgrade=req.is_upgrade,
            helm_version=req.helm_version,
            value_files=tuple(str(v) for v in req.values_files),
            set_values=req.set_values,
            set_string=req.set_string,
            set_file=req.set_file,
            set_json=req.set_json,
            set_literal=req.set_literal,
            kube_version=req.kube_version,
            api_versions=req.api_versions,
        )
        caveat = None
        try:
            files = render_chart(chart, None, options)
        except HooklintError as e:
            if not is_remote_schema_error(e.message):
                raise
            # Helm downloads a remote $ref while validating values; whether that succeeds depends on
            # the network at install time, so lint renders without the schema and says so.
            caveat = e.message
            files = render_chart(chart, None, options.replace(skip_schema_validation=True))
    except ValuesArgumentError:
        raise  # a --set* argument Helm cannot parse: a usage error of the whole run, not a finding
    except HooklintError as e:
        return RenderOutcome(error=e.message, error_pos=e.pos, chart_name=name)
    except RecursionError:
        return RenderOutcome(error="template recursion too deep", chart_name=name)
    return RenderOutcome(files=files, chart_name=name, caveat=caveat)


def is_remote_schema_error(message: str) -> bool:
    """Whether the renderer refused a values.schema.json $ref it would have to download
    (hooklint.chart.schema re-raises RemoteSchemaRef as a ChartError, so only its wording tells)."""
    return "values.schema.json" in message and any(m in message for m in REMOTE_SCHEMA_WORDS)


REMOTE_SCHEMA_WORDS = ("which Helm would fetch", "never fetches remote schemas")

"""Helm's render engine and `helm template` output, on hooklint's own Go template engine.

from hooklint.chart import load_chart
from hooklint.render import RenderOptions, render_chart, template_output

files = render_chart(load_chart("mychart"), {"replicas": 2}, RenderOptions())
print(template_output(load_chart("mychart"), RenderOptions(), include_crds=True))
"""

from __future__ import annotations

from collections.abc import Sequence

from hooklint.errors import ChartError, RenderError
from hooklint.render.options import RenderOptions
from hooklint.runtime.gcpolicy import paused_collection
from hooklint.runtime.patterns import lazy_compile
from hooklint.runtime.records import fields_repr

TYPE_CHECKING = False  # not `typing`'s: importing typing costs ~3 ms of every run
if TYPE_CHECKING:
    from typing import Any

if TYPE_CHECKING:  # the chart model and source map types are only annotations here
    from hooklint.chart.model import Chart
    from hooklint.documents.source import RenderedFile

__all__ = ["CRDFile", "RenderOptions", "crd_files", "render_chart", "template_output", "user_values"]

# Go regexp `$` matches only at the very end (Python's also before a final newline): fullmatch below.
_VALID_NAME = lazy_compile(r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$")
_NAME_ERROR = (
    "invalid release name, must match regex ^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$ "
    "and the length must not be longer than 53"
)


def user_values(values: dict[str, Any] | None, options: RenderOptions) -> dict[str, Any]:
    """`values` (as if it were the first -f file) then the options' -f/--set* flags, Helm's order."""
    from hooklint.chart.user_values import merge_user_values

    return merge_user_values(
        options.value_files,
        options.set_values,
        options.set_string,
        options.set_json,
        options.set_file,
        options.set_literal,
        initial=values,
        helm_version=options.helm_version,
    )


@paused_collection
def render_chart(
    chart: Chart, values: dict[str, Any] | None, options: RenderOptions
) -> dict[str, RenderedFile]:
    """Helm's engine.Render output per template key, after dependency processing, coalescing
    and schema validation, with the source map of each file."""
    from hooklint.render.engine import render_templates
    from hooklint.render.values import prepare
    from hooklint.semver import is_compatible_range

    work, top = prepare(chart, user_values(values, options), options)
    kube = top["Capabilities"].kube.version
    if work.metadata.KubeVersion and not is_compatible_range(work.metadata.KubeVersion, kube):
        raise RenderError(
            f"chart requires kubeVersion: {work.metadata.KubeVersion} which is incompatible with Kubernetes {kube}"
        )
    return render_templates(work, top, options.lookup_data, options.helm_version)


class CRDFile:
    """A file of a `crds/` directory Helm would install: `path` as Helm names it
    (`mychart/charts/sub/crds/foo.yaml`), `text` its content. A value (equal and hashing by its
    fields), written out rather than a frozen dataclass: creating one costs start-up time."""

    __slots__ = ("path", "text")

    def __init__(self, path: str, text: str) -> None:
        self.path = path
        self.text = text

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, CRDFile) or other.__class__ is not self.__class__:
            return NotImplemented
        return (self.path, self.text) == (other.path, other.text)

    def __hash__(self) -> int:
        return hash((self.path, self.text))

    def __repr__(self) -> str:
        return fields_repr(self)


def crd_files(chart: Chart, values: dict[str, Any] | None, options: RenderOptions) -> list[CRDFile]:
    """chart.CRDObjects() after dependency processing: the crds/ files of the chart and of every
    subchart that its condition/tags leave enabled, in Helm's order (the chart's own files, then
    each dependency's, depth first)."""
    from hooklint.chart.dependencies import process_dependencies

    work = chart.clone()
    if options.helm_version != work.values_helm_version:
        work.reload_values(options.helm_version)
    process_dependencies(work, user_values(values, options), options.helm_version)
    return [CRDFile(name, f.data.decode("utf-8", "replace")) for name, f in work.crd_objects()]


def validate_release_name(name: str) -> None:
    if not name:
        raise ChartError('release name "": no name provided')
    if len(name) > 53 or not _VALID_NAME.fullmatch(name):
        raise ChartError(f'release name "{name}": {_NAME_ERROR}')


def check_installable(chart: Chart, helm_version: int = 3) -> None:
    """What `helm template` checks before rendering: chart type and dependencies present."""
    if chart.metadata.Type not in ("", "application"):
        raise ChartError(f"{chart.metadata.Type} charts are not installable")
    reqs = chart.metadata.Dependencies
    if reqs:
        present = {d.name for d in chart.dependencies}
        missing = [r.name for r in reqs if r is not None and r.name not in present]
        if missing:
            # Helm 4.2 words it in lower case, with 'helm dependency build' in single quotes
            # (pkg/cmd/install.go); Helm 3.17.1 in upper case, with backticks.
            lead, command = (
                ("an", "'helm dependency build'") if helm_version == 4 else ("An", "`helm dependency build`")
            )
            raise ChartError(
                f"{lead} error occurred while checking for chart dependencies. You may need to run "
                f"{command} to fetch missing dependencies: found in Chart.yaml, but missing "
                f"in charts/ directory: {', '.join(missing)}"
            )


@paused_collection
def template_output(
    chart: Chart,
    options: RenderOptions,
    include_crds: bool = False,
    skip_tests: bool = False,
    no_hooks: bool = False,
    show_only: Sequence[str] = (),
    output_dir: str | None = None,
    use_release_name: bool = False,
    values: dict[str, Any] | None = None,
) -> str:
    """Exactly what `helm template` prints on stdout (errors raise with Helm's wording)."""
    from hooklint.render.engine import render_templates
    from hooklint.render.output import assemble
    from hooklint.render.values import prepare
    from hooklint.semver import is_compatible_range

    check_installable(chart, options.helm_version)
    validate_release_name(options.release_name)
    work, top = prepare(chart, user_values(values, options), options)
    files: dict[str, Any] = {}
    try:
        kube = top["Capabilities"].kube.version
        if work.metadata.KubeVersion and not is_compatible_range(work.metadata.KubeVersion, kube):
            raise RenderError(
                f"chart requires kubeVersion: {work.metadata.KubeVersion} which is incompatible with Kubernetes {kube}"
            )
        files = render_templates(work, top, options.lookup_data, options.helm_version)
        # The CRDs of the processed chart (CRDObjects after ProcessDependencies): the same list
        # crd_files() returns, taken from the chart prepare() already processed.
        crds = [(name, f.data) for name, f in work.crd_objects()]
        return assemble(
            files,
            crds,
            include_crds=include_crds,
            skip_tests=skip_tests,
            no_hooks=no_hooks,
            show_only=show_only,
            output_dir=output_dir,
            release_name=options.release_name,
            use_release_name=use_release_name,
            helm_version=options.helm_version,
        )
    except RenderError as e:
        if e.message.startswith("could not find template "):
            raise
        # renderResources failed after the release object existed: template.go adds this hint.
        hinted = RenderError(f"{e.message}\n\nUse --debug flag to render out invalid YAML", e.pos)
        hinted.debug_message = e.message
        if files:  # templates rendered, their YAML did not parse: --debug prints them
            hinted.rendered = "".join(f"---\n# Source: {name}\n{f.text}\n" for name, f in sorted(files.items()))
        raise hinted from None

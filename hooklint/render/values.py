"""The render values Helm builds: ProcessDependenciesWithMerge + ToRenderValuesWithSchemaValidation."""

from __future__ import annotations

from typing import Any

from hooklint.chart.coalesce import coalesce_values
from hooklint.chart.dependencies import process_dependencies
from hooklint.chart.model import Chart
from hooklint.chart.schema import validate_against_schema
from hooklint.chart.semver import SemverError, parse_version
from hooklint.errors import ChartError, UsageError
from hooklint.render import capabilities as caps
from hooklint.render.objects import CapabilitiesObject, KubeVersionObject, default_build_info
from hooklint.render.options import RenderOptions


def parse_kube_version(version: str) -> KubeVersionObject:
    """chartutil.ParseKubeVersion (`--kube-version`)."""
    try:
        sv = parse_version(version)
    except SemverError as e:
        raise UsageError(f"invalid kube version '{version}': {e}") from None
    return KubeVersionObject("v" + str(sv), str(sv.major), str(sv.minor))


def build_capabilities(options: RenderOptions) -> CapabilitiesObject:
    kube = parse_kube_version(options.kube_version or caps.DEFAULT_KUBE_VERSION)
    base = caps.DEFAULT_API_VERSIONS if options.base_api_versions is None else options.base_api_versions
    return CapabilitiesObject(kube, (*base, *options.api_versions), default_build_info())


def prepare(
    chart: Chart, user_values: dict[str, Any], options: RenderOptions
) -> tuple[Chart, dict[str, Any]]:
    """A processed copy of the chart and the top-level render values (Release, Values, ...)."""
    work = chart.clone()
    process_dependencies(work, user_values)
    vals = coalesce_values(work, user_values)
    if not options.skip_schema_validation:
        report = validate_against_schema(work, vals)
        if report:
            raise ChartError(
                f"values don't meet the specifications of the schema(s) in the following chart(s):\n{report}"
            )
    is_upgrade = options.is_upgrade
    top = {
        "Release": {
            "Name": options.release_name,
            "Namespace": options.namespace,
            "IsUpgrade": is_upgrade,
            "IsInstall": not is_upgrade,
            "Revision": options.revision,
            "Service": "Helm",
        },
        "Capabilities": build_capabilities(options),
        "Values": vals,
    }
    return work, top

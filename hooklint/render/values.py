"""The render values Helm builds: ProcessDependenciesWithMerge + ToRenderValuesWithSchemaValidation.

Helm 3.17.1: pkg/chartutil/{dependencies,coalesce,values}.go; Helm 4.2.3:
pkg/chart/v2/util/dependencies.go, pkg/chart/common/util/{coalesce,values}.go.
"""

from __future__ import annotations

import re

from hooklint.chart.coalesce import coalesce_values
from hooklint.chart.dependencies import process_dependencies
from hooklint.chart.model import Chart
from hooklint.chart.schema import validate_against_schema
from hooklint.errors import ChartError, UsageError
from hooklint.render import capabilities as caps
from hooklint.render.objects import CapabilitiesObject, KubeVersionObject, default_build_info, values_type
from hooklint.render.options import RenderOptions
from hooklint.semver import SemverError, parse_version

TYPE_CHECKING = False  # not `typing`'s: importing typing costs ~3 ms of every run
if TYPE_CHECKING:
    from typing import Any

# k8s.io/apimachinery/pkg/util/version: versionMatchRE (Go's `\s` is ASCII whitespace).
# Helm 4 only: compiled on first use (start-up time).
_GENERIC_VERSION = r"^[\t\n\f\r ]*v?([0-9]+(?:\.[0-9]+)*)(.*)$"


def parse_kube_version(version: str, helm_version: int = 3) -> KubeVersionObject:
    """`--kube-version`: chartutil.ParseKubeVersion (3.17.1, Masterminds semver) or
    common.ParseKubeVersion (4.2.3, apimachinery's ParseGeneric, keeping the user's spelling)."""
    if helm_version == 4:
        return _parse_kube_version_v4(version)
    try:
        sv = parse_version(version)
    except SemverError as e:
        raise UsageError(f"invalid kube version '{version}': {e}") from None
    return KubeVersionObject("v" + str(sv), str(sv.major), str(sv.minor))


def _parse_kube_version_v4(version: str) -> KubeVersionObject:
    def bad(reason: str) -> UsageError:
        return UsageError(f"invalid kube version '{version}': {reason}")

    m = re.compile(_GENERIC_VERSION, re.S).match(version)
    if m is None:
        raise bad(f"could not parse {_go_quote(version)} as version")
    components = m.group(1).split(".")
    if len(components) < 2:
        raise bad(f"illegal version string {_go_quote(version)}")
    if components[0].startswith("0") and components[0] != "0":
        raise bad(
            f"illegal zero-prefixed version component {_go_quote(components[0])} in {_go_quote(version)}"
        )
    numbers = []
    for comp in components:
        n = int(comp)
        if n >= 1 << 64:
            raise bad(
                f"illegal non-numeric version component {_go_quote(comp)} in {_go_quote(version)}: "
                f"strconv.ParseUint: parsing {_go_quote(comp)}: value out of range"
            )
        numbers.append(n)
    git_version = version if version.startswith("v") else "v" + version
    normalized = "v" + ".".join(str(n) for n in numbers)
    return KubeVersionObject(git_version, str(numbers[0]), str(numbers[1]), normalized, "common")


def _go_quote(s: str) -> str:
    from hooklint.gotemplate.gofmt import quote

    return quote(s)  # type: ignore[no-any-return]


def build_capabilities(options: RenderOptions) -> CapabilitiesObject:
    hv = options.helm_version
    kube = parse_kube_version(options.kube_version or caps.default_kube_version(hv), hv)
    base = caps.default_api_versions(hv) if options.base_api_versions is None else options.base_api_versions
    pkg = "common" if hv == 4 else "chartutil"
    return CapabilitiesObject(kube, (*base, *options.api_versions), default_build_info(hv), pkg)


def prepare(
    chart: Chart, user_values: dict[str, Any], options: RenderOptions
) -> tuple[Chart, dict[str, Any]]:
    """A processed copy of the chart and the top-level render values (Release, Values, ...)."""
    hv = options.helm_version
    work = chart.clone()
    if hv != work.values_helm_version:
        work.reload_values(hv)
    process_dependencies(work, user_values, hv)
    values_cls = values_type(hv)
    vals = values_cls(coalesce_values(work, user_values, hv))
    if not options.skip_schema_validation:
        report = validate_against_schema(work, vals, hv)
        if report:
            raise ChartError(
                f"values don't meet the specifications of the schema(s) in the following chart(s):\n{report}"
            )
    is_upgrade = options.is_upgrade
    top = values_cls(
        {
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
    )
    return work, top

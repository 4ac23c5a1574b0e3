"""The methods of `.Values` (chartutil.Values in Helm 3.17.1, common.Values in 4.2.3): YAML, Table,
AsMap, Encode, PathValue. text/template looks a method up before a map key, so gotohelm-generated
charts (`$values := $dot.Values.AsMap`) depend on them.

Helm 4 expectations come from the oracle; Helm 3.17.1 has the same methods with the same bodies
(`git show v3.17.1:pkg/chartutil/values.go`, errors.go: `%q is not a table` / `%q is not a value`),
only the type is named chartutil.Values.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from conformance import error_tail
from helm_oracle import HAVE_HELM, HelmFailure, helm_render, helm_render_snippet, write_chart

from hooklint.chart import load_chart
from hooklint.errors import HooklintError
from hooklint.render import RenderOptions, render_chart

needs_helm = pytest.mark.skipif(not HAVE_HELM, reason="helm_python not installed")
KEY = "t/templates/t.yaml"
VALUES = "x: 1\nyy:\n  z: 2\n  w:\n    q: 3\nlist: [1, 2]\n"

SNIPPETS: dict[str, str] = {
    "asmap-type": "{{ typeOf .Values.AsMap }} {{ .Values.AsMap.x }} {{ .Values.AsMap.yy.z }}",
    "asmap-of-top-data": "{{ .AsMap.Values.x }} {{ typeOf .AsMap }} {{ .Template.AsMap }}",
    "asmap-of-empty": "{{ .Values.AsMap.yy.nope }}",
    "asmap-args": "{{ .Values.AsMap 1 }}",
    "asmap-field-of-nil": "{{ .Values.AsMap.nope.z }}",
    "yaml": "{{ .Values.YAML }}",
    "yaml-is-a-string": "{{ .Values.YAML.x }}",
    "table": '{{ typeOf (.Values.Table "yy") }} {{ .Values.Table "yy" }} {{ .Values.Table "yy.w" }}',
    "table-of-values": '{{ typeOf (.Table "Values") }} {{ (.Table "Values").x }}',
    "table-not-a-map": '{{ .Values.Table "x" }}',
    "table-missing": '{{ .Values.Table "yy.nope" }}',
    "table-empty-path": '{{ .Values.Table "" }}',
    "table-no-args": "{{ .Values.Table }}",
    "table-number-arg": "{{ .Values.Table 1 }}",
    "pathvalue": '{{ .Values.PathValue "x" }} {{ .Values.PathValue "yy.z" }} {{ .Values.PathValue "list" }}',
    "pathvalue-of-map": '{{ .Values.PathValue "yy.w" }}',
    "pathvalue-missing-parent": '{{ .Values.PathValue "nope.z" }}',
    "pathvalue-empty": '{{ .Values.PathValue "" }}',
    "encode-no-args": "{{ .Values.Encode }}",
    "encode-bad-writer": "{{ .Values.Encode 1 }}",
    "methods-win-over-keys": "{{ typeOf .Values.AsMap }} {{ typeOf .Values.YAML }}",
    "plain-map-has-no-methods": "{{ (dict).AsMap }}|{{ .Values.yy.AsMap }}",
}


def _ours(chart: Path, helm_version: int) -> str:
    try:
        return render_chart(
            load_chart(chart, helm_version=helm_version), None, RenderOptions(helm_version=helm_version)
        )[KEY].text
    except HooklintError as e:
        return "ERROR: " + e.message


@needs_helm
@pytest.mark.parametrize("name", sorted(SNIPPETS))
def test_values_methods_match_helm4(name: str, tmp_path: Path) -> None:
    template = SNIPPETS[name]
    values = VALUES + ("AsMap: key\nYAML: key\n" if name == "methods-win-over-keys" else "")
    helm = helm_render_snippet(template, values)
    ours = _ours(write_chart(tmp_path, {"templates/t.yaml": template, "values.yaml": values}), 4)
    if isinstance(helm, HelmFailure):
        assert ours.startswith("ERROR: "), ours
        assert error_tail(ours) == error_tail(helm.message), (ours, helm.message)
    else:
        assert ours == helm


def test_values_methods_helm3_names(tmp_path: Path) -> None:
    """Helm 3.17.1: the same methods on chartutil.Values (pkg/chartutil/values.go)."""
    template = '{{ typeOf .Values.AsMap }} {{ typeOf (.Values.Table "yy") }} {{ .Values.PathValue "yy.z" }}'
    chart = write_chart(tmp_path, {"templates/t.yaml": template, "values.yaml": VALUES})
    assert _ours(chart, 3) == "map[string]interface {} chartutil.Values 2"


SUBCHART = {
    "Chart.yaml": "apiVersion: v2\nname: t\nversion: 0.1.0\ndependencies:\n- name: sub\n  version: 0.1.0\n",
    "values.yaml": "sub:\n  a: 1\n  nn:\n    b: 2\nglobal:\n  g: 1\n",
    "charts/sub/Chart.yaml": "apiVersion: v2\nname: sub\nversion: 0.1.0\ndependencies:\n- name: sub2\n  version: 0.1.0\n",
    "charts/sub/values.yaml": "c: 3\nsub2:\n  d: 4\n",
    "charts/sub/charts/sub2/Chart.yaml": "apiVersion: v2\nname: sub2\nversion: 0.1.0\n",
    # gotohelm-style access from a subchart, and `set` in a subchart (Go shares the map).
    "charts/sub/templates/a.yaml": (
        "{{ $values := .Values.AsMap }}{{ $values.a }} {{ typeOf $values }} {{ .Values.AsMap.nn.b }} "
        '{{ .Values.Table "nn" }} {{ .Values.PathValue "nn.b" }} {{ toJson .Values }} '
        '{{ $_ := set .Values "leak" 1 }}{{ $_ := set .Values.nn "leak2" 2 }}'
    ),
    "charts/sub/charts/sub2/templates/b.yaml": (
        '{{ .Values.AsMap.d }} {{ .Values.global.g }} {{ .Values.Table "global" }}{{ $_ := set .Values "zz" 9 }}'
    ),
    # The parent renders last (deepest paths first): it sees what the subcharts set, and
    # `.Values.sub` stays a map[string]interface{} for dig and typeOf.
    "templates/z.yaml": (
        "{{ typeOf .Values.sub }} {{ .Values.sub.leak }} {{ .Values.sub.nn.leak2 }} {{ .Values.sub.sub2.zz }} "
        '{{ dig "sub" "nn" "b" 0 (.Values | toYaml | fromYaml) }} {{ dig "nn" "b" 0 .Values.sub }}'
    ),
}


@needs_helm
def test_subchart_values_methods_and_shared_map_match_helm4(tmp_path: Path) -> None:
    chart = write_chart(tmp_path, SUBCHART)
    helm = helm_render(chart)
    assert not isinstance(helm, HelmFailure), helm
    ours = render_chart(load_chart(chart, helm_version=4), None, RenderOptions(helm_version=4))
    assert {k: v.text for k, v in ours.items()} == helm

"""Built-in objects printed and encoded as Helm 4.2.3 does (the oracle): `.Capabilities` and its
HelmVersion (the SDK's build info), struct printing of nested values."""

from __future__ import annotations

from pathlib import Path

import pytest
from helm_oracle import HAVE_HELM, HelmFailure, helm_render_snippet, write_chart

from hooklint.chart import load_chart
from hooklint.render import RenderOptions, render_chart

needs_helm = pytest.mark.skipif(not HAVE_HELM, reason="helm_python not installed")

SNIPPETS: dict[str, str] = {
    "helm-version-fields": (
        "{{ .Capabilities.HelmVersion }}|{{ .Capabilities.HelmVersion.Version }}|"
        "{{ .Capabilities.HelmVersion.GitCommit }}|{{ .Capabilities.HelmVersion.GitTreeState }}|"
        "{{ .Capabilities.HelmVersion.GoVersion }}|{{ .Capabilities.HelmVersion.KubeClientVersion }}|"
        "{{ typeOf .Capabilities.HelmVersion }}"
    ),
    "helm-version-yaml": "{{ toYaml .Capabilities.HelmVersion }}",
    "capabilities-printed": "{{ .Capabilities }}",
    "capabilities-yaml": "{{ toYaml .Capabilities }}",
    "kube-version-printed-alone": "{{ .Capabilities.KubeVersion }} {{ .Capabilities.KubeVersion.Version }}",
}


@needs_helm
@pytest.mark.parametrize("name", sorted(SNIPPETS))
def test_builtin_objects_match_helm4(name: str, tmp_path: Path) -> None:
    template = SNIPPETS[name]
    helm = helm_render_snippet(template)
    assert not isinstance(helm, HelmFailure), helm
    chart = write_chart(tmp_path, {"templates/t.yaml": template})
    ours = render_chart(load_chart(chart, helm_version=4), None, RenderOptions(helm_version=4))
    assert ours["t/templates/t.yaml"].text == helm


def test_capabilities_printed_helm3(tmp_path: Path) -> None:
    """Helm 3.17.1: text/template prints the *Capabilities pointee (printableValue indirects), its
    KubeVersion field as a plain struct {Version Major Minor} (pkg/chartutil/capabilities.go)."""
    chart = write_chart(tmp_path, {"templates/t.yaml": "{{ .Capabilities }}"})
    out = render_chart(load_chart(chart), None, RenderOptions())["t/templates/t.yaml"].text
    assert out.startswith("{{v1.32.0 1 32} [v1 ")
    assert out.endswith("] {v3.17.1 980d8ac1939e39138101364400756af2bdee1da5 clean go1.23.6}}")

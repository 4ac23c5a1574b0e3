"""Every fixture chart x every values file: hooklint's engine output equals Helm's, byte for byte,
per template file; and `template_output` assembles those files the way `helm template` does."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import yaml
from helm_oracle import HAVE_HELM, HELM_SDK_VERSION, HelmFailure, helm_render

from hooklint.chart import load_chart
from hooklint.errors import HooklintError
from hooklint.render import RenderOptions, render_chart, template_output

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "charts"
CHARTS = sorted(p for p in FIXTURES.iterdir() if (p / "Chart.yaml").exists())
CASES = [(c, None) for c in CHARTS] + [(c, vf) for c in CHARTS for vf in sorted((c / "ci").glob("*.yaml"))]


def _ids(case: tuple[Path, Path | None]) -> str:
    chart, vf = case
    return f"{chart.name}:{vf.name if vf else 'defaults'}"


@pytest.mark.skipif(not HAVE_HELM, reason="helm_python not installed")
@pytest.mark.parametrize("case", CASES, ids=[_ids(c) for c in CASES])
def test_render_matches_helm(case: tuple[Path, Path | None]) -> None:
    chart, vf = case
    values: Any = yaml.safe_load(vf.read_text()) if vf else None
    helm = helm_render(chart, values)
    options = RenderOptions(helm_version=HELM_SDK_VERSION, value_files=(str(vf),) if vf else ())
    try:
        ours: Any = {
            k: v.text
            for k, v in render_chart(load_chart(chart, helm_version=HELM_SDK_VERSION), None, options).items()
        }
    except HooklintError as e:
        ours = e
    if isinstance(helm, HelmFailure):
        assert isinstance(ours, HooklintError), f"Helm fails ({helm.message}); we rendered"
        return
    assert not isinstance(ours, HooklintError), ours.message
    assert sorted(ours) == sorted(helm)
    for key in helm:
        assert ours[key] == helm[key], key


def test_segments_point_into_templates() -> None:
    files = render_chart(load_chart(FIXTURES / "example"), None, RenderOptions())
    dep = files["example/templates/deployment.yaml"]
    assert dep.segments, "the source map is empty"
    offset = dep.text.index("replicas: 2") + len("replicas: ")
    origin = dep.origin_at(offset)
    assert origin is not None and origin.file == "example/templates/deployment.yaml" and origin.line == 8


def _documents(out: str) -> list[tuple[str, str]]:
    """(source path, body) of every document `helm template` printed."""
    docs = []
    for chunk in out.split("---\n# Source: ")[1:]:
        path, _, body = chunk.partition("\n")
        docs.append((path, body.rstrip("\n")))
    return docs


@pytest.mark.skipif(not HAVE_HELM, reason="helm_python not installed")
def test_template_output_assembles_helm_documents() -> None:
    chart_dir = FIXTURES / "example"
    helm = helm_render(chart_dir)
    assert isinstance(helm, dict)
    out = template_output(load_chart(chart_dir), RenderOptions(helm_version=HELM_SDK_VERSION))
    assert out.startswith("---\n# Source: example/templates/serviceaccount.yaml\n")
    docs = _documents(out)
    # Ordinary resources in InstallOrder (ServiceAccount, ConfigMap, Service, Deployment), then hooks.
    kinds = [re.search(r"^kind: (\w+)", body, re.M).group(1) for _, body in docs]  # type: ignore[union-attr]
    assert kinds == ["ServiceAccount", "ConfigMap", "Service", "Deployment", "ConfigMap", "Pod", "Job", "Job"]
    for path, body in docs:
        assert body in helm[path], path  # every printed document is Helm's own text
    assert "NOTES.txt" not in out
    # Helm 4.2's SplitManifests keeps a document's trailing newline (its own testdata/output/
    # template.txt gained a blank line after each document); Helm 3 trims it.
    assert out.endswith("\n\n") and not out.endswith("\n\n\n")
    v3 = template_output(load_chart(chart_dir), RenderOptions(helm_version=3))
    assert v3.endswith("\n") and not v3.endswith("\n\n")


def test_template_output_flags() -> None:
    chart = load_chart(FIXTURES / "platform")
    opts = RenderOptions()
    no_hooks = template_output(chart, opts, no_hooks=True)
    assert "helm.sh/hook" not in no_hooks
    skip = template_output(chart, opts, skip_tests=True)
    assert "smoke-test" not in skip and "pre-install" in skip
    crds = template_output(chart, opts, include_crds=True)
    assert crds.startswith("---\n# Source: platform/crds/backups.example.com.yaml\n")
    only = template_output(chart, opts, show_only=("templates/configmap.yaml",))
    assert only.startswith("---\n# Source: platform/templates/configmap.yaml\n") and only.count("---\n") == 1
    with pytest.raises(HooklintError, match="could not find template templates/nope.yaml in chart"):
        template_output(chart, opts, show_only=("templates/nope.yaml",))
    upgrade = template_output(chart, opts)
    assert "kube: 1.32" in upgrade  # Helm 3.17.1's default KubeVersion

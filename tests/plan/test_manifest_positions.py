"""Positions of rendered keys, through a real render (hooklint.render.render_chart).

A key written by the template's own text is reported at that text's line and column; every key
printed by an action (`{{ toYaml .Values.x | nindent 4 }}`) is reported at the action itself,
because that is the template line that produced it. Expected positions are read off the template
text below; the rendered output is checked against real Helm first so the test cannot pass on a
wrong rendering.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from helm_oracle import HAVE_HELM, helm_render

from hooklint.chart import load_chart
from hooklint.documents.hooks import classify
from hooklint.documents.manifests import documents_from_rendered
from hooklint.documents.source import SourcePos
from hooklint.render import RenderOptions, render_chart

TEMPLATE = """\
apiVersion: v1
kind: ConfigMap
metadata:
  name: from-action
  annotations: {{ toYaml .Values.hookAnnotations | nindent 4 }}
data:
  x: "1"
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: mixed
  annotations:
    {{- toYaml .Values.hookAnnotations | nindent 4 }}
    literal-key: "y"
  labels:
    {{- with .Values.labels }}
    {{- toYaml . | nindent 4 }}
    {{- end }}
    tier: web
---
apiVersion: batch/v1
kind: Job
metadata:
  name: literal
  annotations:
    helm.sh/hook: post-install
    helm.sh/hook-weight: "{{ .Values.weight }}"
spec: {}
"""

VALUES = """\
hookAnnotations:
  helm.sh/hook: pre-install
  helm.sh/hook-weight: "3"
labels:
  app: demo
  team: core
weight: 7
"""

TEMPLATE_KEY = "pos/templates/cm.yaml"


def _at(needle: str, occurrence: int = 0) -> SourcePos:
    """Line and column of the n-th occurrence of `needle` in TEMPLATE (1-based)."""
    start = -1
    for _ in range(occurrence + 1):
        start = TEMPLATE.index(needle, start + 1)
    line = TEMPLATE.count("\n", 0, start) + 1
    return SourcePos(TEMPLATE_KEY, line, start - TEMPLATE.rfind("\n", 0, start))


@pytest.fixture(scope="module")
def chart_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("charts") / "pos"
    (root / "templates").mkdir(parents=True)
    (root / "Chart.yaml").write_text("apiVersion: v2\nname: pos\nversion: 0.1.0\n")
    (root / "values.yaml").write_text(VALUES)
    (root / "templates" / "cm.yaml").write_text(TEMPLATE)
    return root


@pytest.fixture(scope="module")
def docs(chart_dir: Path):  # type: ignore[no-untyped-def]
    files = render_chart(load_chart(str(chart_dir)), None, RenderOptions())
    if HAVE_HELM:
        helm = helm_render(chart_dir, None)
        assert isinstance(helm, dict), helm
        assert files[TEMPLATE_KEY].text == helm[TEMPLATE_KEY]
    return documents_from_rendered(files)


def test_action_output_keys_point_at_the_action(docs) -> None:  # type: ignore[no-untyped-def]
    first = docs[0]
    action = _at("toYaml", 0)
    assert first.key_pos["metadata.annotations.helm.sh/hook"] == action
    assert first.key_pos["metadata.annotations.helm.sh/hook-weight"] == action
    # literal text after the action keeps counting lines from the action's end
    assert first.key_pos["data"] == _at("data:\n  x")
    assert first.key_pos["data.x"] == _at('x: "1"')


def test_literal_keys_around_actions_are_exact(docs) -> None:  # type: ignore[no-untyped-def]
    mixed = docs[1]
    action = _at("toYaml", 1)
    assert mixed.key_pos["metadata.annotations.helm.sh/hook"] == action
    assert mixed.key_pos["metadata.annotations.helm.sh/hook-weight"] == action
    assert mixed.key_pos["metadata.annotations.literal-key"] == _at("literal-key")
    labels_action = _at("toYaml . |")
    assert mixed.key_pos["metadata.labels.app"] == labels_action
    assert mixed.key_pos["metadata.labels.team"] == labels_action
    assert mixed.key_pos["metadata.labels.tier"] == _at("tier: web")
    assert mixed.key_pos["metadata.name"] == _at("name: mixed")


def test_plain_literal_document(docs) -> None:  # type: ignore[no-untyped-def]
    job = docs[2]
    assert job.pos == _at("apiVersion: batch/v1")
    assert job.key_pos["metadata.annotations.helm.sh/hook"] == _at("helm.sh/hook: post-install")
    assert job.key_pos["metadata.annotations.helm.sh/hook-weight"] == _at('helm.sh/hook-weight: "{{')


def test_hook_positions_reach_the_plan(docs) -> None:  # type: ignore[no-untyped-def]
    classified = classify(docs)
    hooks = {h.name: h for h in classified.hooks}
    assert set(hooks) == {"from-action", "mixed", "literal"}
    assert hooks["from-action"].pos == _at("apiVersion: v1", 0)
    assert hooks["mixed"].doc.key_pos["metadata.annotations.helm.sh/hook"] == _at("toYaml", 1)

"""HL207 and a dependency literally named `crds`: only `crds/` at a chart's root installs CRDs
before anything else (chart.CRDObjects); `charts/crds/templates/` holds ordinary templates."""

from __future__ import annotations

import json
from pathlib import Path

from cli_run import run_cli
from helm_oracle import write_chart

HOOK_CRD = """\
apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: widgets.example.com
  annotations:
    helm.sh/hook: pre-install
spec:
  group: example.com
  names: {kind: Widget, plural: widgets}
  scope: Namespaced
  versions: [{name: v1, served: true, storage: true}]
"""
WIDGET = "apiVersion: example.com/v1\nkind: Widget\nmetadata:\n  name: first\n"
# a template of the `crds` subchart that mentions the kind: not a crds/ folder, so no CRD
MENTION = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: notes\ndata:\n  text: |\n    kind: Widget\n"


def _hl207(chart: Path) -> list[dict[str, object]]:
    run = run_cli(["lint", str(chart), "--output", "json", "--select", "HL207"])
    return [f for f in json.loads(run.stdout)["findings"] if f["rule"] == "HL207"]


def test_subchart_named_crds_is_not_a_crds_folder(tmp_path: Path) -> None:
    chart = write_chart(tmp_path, {
        "Chart.yaml": "apiVersion: v2\nname: top\nversion: 0.1.0\ndependencies:\n- name: crds\n  version: 0.1.0\n",
        "templates/crd-hook.yaml": HOOK_CRD,
        "templates/widget.yaml": WIDGET,
        "charts/crds/Chart.yaml": "apiVersion: v2\nname: crds\nversion: 0.1.0\n",
        "charts/crds/templates/notes.yaml": MENTION,
    }, name="top")
    assert len(_hl207(chart)) == 1


def test_crds_folder_of_a_subchart_provides_the_crd(tmp_path: Path) -> None:
    chart = write_chart(tmp_path, {
        "Chart.yaml": "apiVersion: v2\nname: top\nversion: 0.1.0\ndependencies:\n- name: crds\n  version: 0.1.0\n",
        "templates/crd-hook.yaml": HOOK_CRD,
        "templates/widget.yaml": WIDGET,
        "charts/crds/Chart.yaml": "apiVersion: v2\nname: crds\nversion: 0.1.0\n",
        "charts/crds/crds/widgets.yaml": HOOK_CRD.replace("  annotations:\n    helm.sh/hook: pre-install\n", ""),
    }, name="top")
    assert _hl207(chart) == []

"""Chart.yaml keys match the Metadata fields as encoding/json matches them (exact tag first,
then case-insensitively; a later key overwrites an earlier one; null leaves a field alone),
against the real helm binaries."""

from __future__ import annotations

from pathlib import Path

import pytest
from cli_run import run_cli
from helm_binaries import HELM3, HELM4, helm_binary, run_helm
from helm_oracle import write_chart

_CHART_YAML = (
    "apiVersion: v2\nNAME: first\nname: c\nVersion: 0.2.0\nversion: null\nAppVersion: '1'\nappversion: '2'\n"
    "dependencies:\n- Name: sub\n  VERSION: 0.1.0\n  Condition: sub.on\n  alias: null\n"
    "maintainers:\n- NAME: m\n  Email: e@x\n"
)
_TEMPLATE = (
    "name: {{ .Chart.Name }}\nversion: {{ .Chart.Version }}\napp: {{ .Chart.AppVersion }}\n"
    "{{ range .Chart.Dependencies }}dep: {{ .Name }} {{ .Version }} {{ .Condition }} {{ .Enabled }} {{ .Alias | quote }}\n{{ end }}"
    "{{ range .Chart.Maintainers }}maintainer: {{ .Name }} {{ .Email }}\n{{ end }}"
)


@pytest.mark.parametrize("version", [3, 4])
def test_chart_yaml_keys_decode_like_helm(version: int, tmp_path: Path) -> None:
    chart = write_chart(tmp_path, {
        "Chart.yaml": _CHART_YAML,
        "templates/cm.yaml": _TEMPLATE,
        "charts/sub/Chart.yaml": "apiVersion: v2\nname: sub\nversion: 0.1.0\n",
        "values.yaml": "sub: {on: false}\n",
    }, name="c")
    theirs = run_helm(helm_binary(HELM3 if version == 3 else HELM4), ["template", str(chart)], tmp_path / "home")
    ours = run_cli(["render", str(chart), "--helm-version", str(version)])
    assert "name: c\nversion: 0.2.0\napp: 2\ndep: sub 0.1.0 sub.on true \"\"\nmaintainer: m e@x\n" in theirs.stdout
    assert (ours.exit_code, ours.stdout, ours.stderr) == (theirs.exit_code, theirs.stdout, theirs.stderr)

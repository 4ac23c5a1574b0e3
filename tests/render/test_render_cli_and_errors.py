"""`hooklint render` end to end (exit codes, stderr) and Helm-worded engine errors."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from helm_oracle import HAVE_HELM, HelmFailure, helm_render_snippet, write_chart

from hooklint.chart import load_chart
from hooklint.errors import HooklintError
from hooklint.render import RenderOptions, render_chart

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "fixtures" / "charts" / "example"


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "hooklint", "render", *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
    )


def test_cli_renders_example() -> None:
    p = _cli("demo", str(EXAMPLE), "--namespace", "shop", "--set", "replicaCount=5")
    assert p.returncode == 0, p.stderr
    assert "name: demo-example\n" in p.stdout and "replicas: 5\n" in p.stdout
    assert p.stdout.startswith("---\n# Source: example/templates/serviceaccount.yaml\n")


def test_cli_missing_chart_is_an_error_not_a_traceback(tmp_path: Path) -> None:
    p = _cli(str(tmp_path / "nope"))
    assert p.returncode == 2  # README's exit codes: a usage error; helm template's message
    assert p.stderr == f'Error: path "{tmp_path / "nope"}" not found\n'


def test_cli_bad_kube_version_is_a_usage_error() -> None:
    p = _cli(str(EXAMPLE), "--kube-version", "banana")
    assert p.returncode == 2
    assert "invalid kube version 'banana'" in p.stderr


def test_cli_bad_set_reports_helm_message() -> None:
    p = _cli(str(EXAMPLE), "--set", "a={1,2")
    assert p.returncode == 2  # a usage error (README's exit codes), in Helm's words
    assert p.stderr.strip() == "Error: failed parsing --set data: list must terminate with '}'"


def test_cli_fail_is_reported_with_debug_hint(tmp_path: Path) -> None:
    chart = write_chart(tmp_path, {"templates/a.yaml": '{{ fail "boom" }}'})
    p = _cli(str(chart))
    assert p.returncode == 1
    assert p.stderr == (
        "Error: execution error at (t/templates/a.yaml:1:3): boom\n\nUse --debug flag to render out invalid YAML\n"
    )


def test_cli_renderer_helm_without_binary(monkeypatch: pytest.MonkeyPatch) -> None:
    p = subprocess.run(
        [sys.executable, "-m", "hooklint", "render", str(EXAMPLE), "--renderer", "helm"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
        env={"PATH": "/nonexistent"},
    )
    assert p.returncode == 2 and "no `helm` binary on PATH" in p.stderr


ERROR_CASES = {
    "required": '{{ required "image.tag is required" .Values.missing }}',
    "fail": 'a: 1\n{{ fail "stop here" }}',
    "parse": "{{ if }}",
    "exec": "{{ .Values.a.b.c }}",
    "include-missing": '{{ include "nope" . }}',
    "tpl-parse": '{{ tpl "{{ if }}" . }}',
    "tpl-exec": '{{ tpl "{{ fail \\"inner\\" }}" . }}',
    "include-recursion": '{{ define "loop" }}{{ include "loop" . }}{{ end }}{{ include "loop" . }}',
}


@pytest.mark.skipif(not HAVE_HELM, reason="helm_python not installed")
@pytest.mark.parametrize("name", sorted(ERROR_CASES))
def test_engine_errors_are_worded_like_helm(name: str, tmp_path: Path) -> None:
    template = ERROR_CASES[name]
    helm = helm_render_snippet(template, "a: {b: null}\n")
    chart = write_chart(tmp_path, {"templates/t.yaml": template, "values.yaml": "a: {b: null}\n"})
    try:
        render_chart(load_chart(chart), None, RenderOptions())
    except HooklintError as e:
        ours = e.message
    else:
        ours = None
    assert isinstance(helm, HelmFailure)
    assert ours is not None
    # Helm 4 prints error chains on several lines; compare the innermost message and location.
    assert ours.split(": ")[-1].strip() == helm.message.split(": ")[-1].strip(), (ours, helm.message)
    if helm.location:
        assert helm.location in ours


def test_lookup_is_empty_offline_and_answers_from_lookup_data(tmp_path: Path) -> None:
    tpl = '{{ $s := lookup "v1" "Secret" "default" "db" }}found={{ not (empty $s) }} user={{ with $s.data }}{{ .user }}{{ end }}'
    chart = write_chart(tmp_path, {"templates/t.yaml": tpl})
    out = render_chart(load_chart(chart), None, RenderOptions())["t/templates/t.yaml"].text
    assert out == "found=false user="
    secret = {
        "apiVersion": "v1",
        "kind": "Secret",
        "metadata": {"name": "db", "namespace": "default"},
        "data": {"user": "YWRtaW4="},
    }
    out = render_chart(load_chart(chart), None, RenderOptions(lookup_data=(secret,)))[
        "t/templates/t.yaml"
    ].text
    assert out == "found=true user=YWRtaW4="

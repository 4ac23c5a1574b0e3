"""Charts that do not render: one HL000 finding at Helm's file:line with Helm's message, exit 1,
never a traceback. Expected locations and messages come from real Helm (the oracle)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from helm_oracle import HAVE_HELM, HelmFailure, helm_render, write_chart
from lint_support import lint_files
from test_lint_cli import run

CM = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\ndata:\n"

TEMPLATE_ERRORS = {
    "parse-error": {"templates/a.yaml": "a: {{ .Values.x \n"},
    "nil-pointer": {"templates/a.yaml": CM + "  a: {{ .Values.a.b.c }}\n"},
    "required": {"templates/a.yaml": CM + '  a: {{ required "need a" .Values.a }}\n'},
    "fail": {"templates/b.yaml": '\n\n{{ fail "nope" }}\n'},
    "helper-error": {"templates/_h.tpl": '{{ define "h" }}\n{{ .x.y.z }}\n{{ end }}',
                     "templates/a.yaml": 'x:\n  {{ include "h" . }}\n'},
    "unknown-function": {"templates/a.yaml": "{{ nosuchfunc 1 }}\n"},
    "tpl-error": {"templates/a.yaml": CM + "  a: {{ tpl .Values.t . }}\n", "values.yaml": 't: "{{ .Values.q.w.e }}"\n'},
}


def _core(message: str) -> str:
    """Helm's own words after the last location/`executing` prefix (Helm 3 and 4 frame them differently)."""
    return re.split(r":\s+", message.strip())[-1]


@pytest.mark.skipif(not HAVE_HELM, reason="needs helm_python")
@pytest.mark.parametrize("name", sorted(TEMPLATE_ERRORS))
def test_template_error_at_helms_position(name: str, tmp_path: Path) -> None:
    files = TEMPLATE_ERRORS[name]
    helm = helm_render(write_chart(tmp_path / "helm", files, name="chart"))  # lint_files' chart name
    assert isinstance(helm, HelmFailure) and helm.location
    result = lint_files(tmp_path / "ours", files)
    errors = [f for f in result.findings if f.severity == "error"]
    assert [f.rule for f in errors] == ["HL000"]
    helm_file, helm_line = helm.location.split(":")[:2]
    assert (errors[0].pos.file, errors[0].line) == (helm_file.split("/", 1)[1], int(helm_line))
    assert _core(helm.message) in " ".join(errors[0].message.split())


DOCUMENT_ERRORS = {
    # (files, template line of the offending YAML): lines the tests' authors wrote, not Helm output
    "flow-sequence-unclosed": ({"templates/a.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n"
                                                    "  annotations: [a\n"}, 5),
    "list-annotation": ({"templates/a.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n"
                                             "  annotations:\n    foo: bar\n    helm.sh/hook: [pre-install]\n"}, 7),
    "second-document": ({"templates/a.yaml": CM + "  a: b\n---\n" + CM + "  a: [\n"}, 13),
}


@pytest.mark.parametrize("name", sorted(DOCUMENT_ERRORS))
def test_document_error_points_at_the_bad_line(name: str, tmp_path: Path) -> None:
    files, line = DOCUMENT_ERRORS[name]
    result = lint_files(tmp_path, files)
    assert [(f.rule, f.pos.file, f.line) for f in result.findings if f.severity == "error"] == [
        ("HL000", "templates/a.yaml", line)]


def test_values_yaml_error_points_at_values(tmp_path: Path) -> None:
    result = lint_files(tmp_path, {"values.yaml": "a: 1\nb: [\n", "templates/a.yaml": CM})
    (f,) = result.findings
    assert (f.rule, f.pos.file) == ("HL000", "values.yaml")
    assert "cannot load values.yaml" in f.message


def test_broken_chart_exits_1_without_traceback(tmp_path: Path) -> None:
    chart = tmp_path / "c"
    write_chart(tmp_path, {**DOCUMENT_ERRORS["list-annotation"][0]}, name="c")
    r = run(["c", "-o", "json"], tmp_path)
    assert r.returncode == 1
    assert "Traceback" not in r.stderr
    (finding,) = json.loads(r.stdout)["findings"]
    assert finding["rule"] == "HL000" and finding["location"]["line"] == 7
    assert chart.is_dir()


def test_bad_values_file_points_at_it(tmp_path: Path) -> None:
    result = lint_files(tmp_path, {"templates/a.yaml": CM, "ci/x-values.yaml": "ok: 1\nbad: [\n"},
                        values_files=["ci/x-values.yaml"])
    (f,) = result.findings
    assert (f.rule, f.severity, f.pos.file) == ("HL000", "error", "ci/x-values.yaml")
    assert "failed to parse" in f.message

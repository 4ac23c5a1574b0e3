"""Findings point where the user wrote the offending value, also inside subcharts
(patterns from public charts: Bitnami's `dict` of default hook annotations, annotations from values)."""

from __future__ import annotations

from pathlib import Path

from lint_support import lint_files

SUB_JOB = """apiVersion: batch/v1
kind: Job
metadata:
  name: {{ .Release.Name }}-sub-upgrade
  {{- $defaults := dict "helm.sh/hook" "pre-upgrade" "helm.sh/hook-delete-policy" "before-hook-creation" }}
  annotations: {{- toYaml (merge (default dict .Values.job.annotations) $defaults) | nindent 4 }}
spec:
  backoffLimit: 0
  activeDeadlineSeconds: 60
  template:
    spec:
      restartPolicy: Never
      containers:
        - name: c
          image: busybox
"""

SUB_FROM_VALUES = """apiVersion: v1
kind: Service
metadata:
  name: {{ .Release.Name }}-hooked
  annotations: {{- toYaml .Values.svc.annotations | nindent 4 }}
spec:
  ports: [{port: 80}]
"""


def _where(result: object, rule: str) -> list[tuple[str, int, int]]:
    return sorted((f.pos.file, f.line, f.column) for f in result.findings if f.rule == rule)  # type: ignore[attr-defined]


def test_subchart_helper_dict_argument(tmp_path: Path) -> None:
    files = {
        "charts/sub/Chart.yaml": "apiVersion: v2\nname: sub\nversion: 0.1.0\n",
        "charts/sub/values.yaml": "job: {}\n",
        "charts/sub/templates/job.yaml": SUB_JOB,
        # The same pair in a parent template must not capture the subchart's finding.
        "templates/other.yaml": '{{- $x := dict "helm.sh/hook" "pre-upgrade" }}\n',
    }
    result = lint_files(tmp_path, files, select=["HL304"])
    assert _where(result, "HL304") == [("charts/sub/templates/job.yaml", 5, 25)]


def test_subchart_annotation_from_its_values(tmp_path: Path) -> None:
    files = {
        "charts/sub/Chart.yaml": "apiVersion: v2\nname: sub\nversion: 0.1.0\n",
        "charts/sub/values.yaml": "svc:\n  annotations:\n    helm.sh/hook: pre-install\n",
        "charts/sub/templates/svc.yaml": SUB_FROM_VALUES,
    }
    result = lint_files(tmp_path, files, select=["HL305"])
    assert _where(result, "HL305") == [("charts/sub/values.yaml", 3, 5)]


def test_parent_values_override_subchart_annotation(tmp_path: Path) -> None:
    files = {
        "values.yaml": "sub:\n  svc:\n    annotations:\n      helm.sh/hook: post-install\n",
        "charts/sub/Chart.yaml": "apiVersion: v2\nname: sub\nversion: 0.1.0\n",
        "charts/sub/values.yaml": "svc:\n  annotations:\n    helm.sh/hook: pre-install\n",
        "charts/sub/templates/svc.yaml": SUB_FROM_VALUES,
    }
    result = lint_files(tmp_path, files, select=["HL305"])
    assert _where(result, "HL305") == [("values.yaml", 4, 7)]


JOB_FROM_VALUES = """apiVersion: batch/v1
kind: Job
metadata:
  name: {{ .Release.Name }}-setup
  annotations:
    helm.sh/hook: pre-install
    helm.sh/hook-delete-policy: before-hook-creation,hook-succeeded
spec:
  backoffLimit: {{ .Values.job.backoffLimit }}
  ttlSecondsAfterFinished: {{ .Values.job.ttl | default 0 }}
  template:
    spec:
      restartPolicy: Never
      containers:
        - name: c
          image: busybox
"""


def test_scalar_field_from_values_points_at_values(tmp_path: Path) -> None:
    files = {"values.yaml": "job:\n  backoffLimit: 10\n", "templates/job.yaml": JOB_FROM_VALUES}
    result = lint_files(tmp_path, files, select=["HL403", "HL303"])
    # backoffLimit is the values entry; the TTL comes from `default`, so it stays on the template line.
    assert _where(result, "HL403") == [("values.yaml", 2, 3)]
    assert _where(result, "HL303") == [("templates/job.yaml", 10, 3)]
    (f,) = [f for f in result.findings if f.rule == "HL403"]
    assert [(r.pos.file, r.pos.line) for r in f.related] == [("templates/job.yaml", 9)]


def test_template_comment_still_suppresses_a_finding_moved_to_values(tmp_path: Path) -> None:
    job = JOB_FROM_VALUES.replace("  backoffLimit:", "  {{- /* hooklint: disable=HL403 vendored */}}\n  backoffLimit:")
    files = {"values.yaml": "job:\n  backoffLimit: 10\n", "templates/job.yaml": job}
    result = lint_files(tmp_path, files, select=["HL403", "HL002"])
    assert [f.rule for f in result.findings] == []
    assert [(f.rule, f.pos.file) for f in result.suppressed] == [("HL403", "values.yaml")]


def test_comment_suppressions_are_positioned_on_crlf_and_cr_lines(tmp_path: Path) -> None:
    """Templates written with Windows (\\r\\n) or old Mac (\\r) line ends: a suppression comment is
    found on the line an editor shows it on, whatever the other templates hold."""
    from hooklint.lint.suppress import from_templates

    (tmp_path / "templates").mkdir()
    (tmp_path / "templates" / "a.yaml").write_bytes(
        b"kind: Job\r\nmetadata:\r\n  {{- /* hooklint: disable=HL101 */}}\r\n  name: x\r\n")
    (tmp_path / "templates" / "b.yaml").write_bytes(b"a: 1\rb: 2\r  {{/* hooklint: disable=HL304 */}}\r")
    (tmp_path / "templates" / "c.yaml").write_bytes(b"\xff\xfe no marker here\n")
    found = [(s.kind, s.rule_key, str(s.pos)) for s in from_templates(tmp_path)]
    assert found == [("comment", "HL101", "templates/a.yaml:3:3"), ("comment", "HL304", "templates/b.yaml:3:3")]

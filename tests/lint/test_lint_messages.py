"""Finding messages read once and fit on one line (`file:line:col: ...` output is one per line)."""

from __future__ import annotations

from pathlib import Path

from tests.lint.lint_support import lint_files

JOB = """apiVersion: batch/v1
kind: Job
metadata:
  name: j
  annotations:
    "helm.sh/hook": {hook}
spec:
  template:
    spec:
      restartPolicy: Never
      containers: [{{name: c, image: busybox}}]
"""


def test_hl103_names_each_problem_once(tmp_path: Path) -> None:
    result = lint_files(tmp_path, {"templates/job.yaml": JOB.format(hook='"pre-install,,post-instal,,"')},
                        select=["HL103"])
    [f] = result.findings
    assert f.message.count("an empty event") == 1 and f.message.startswith("unknown hook events ")
    assert "'post-instal' (did you mean 'post-install'?)" in f.message or "'post-instal'" in f.message


def test_render_errors_are_one_line_without_helms_debug_hint(tmp_path: Path) -> None:
    result = lint_files(tmp_path, {"templates/a.yaml": '{{ fail "boom" }}',
                                   "templates/b.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n   bad: [\n"},
                        select=["HL000"])
    assert result.findings
    for f in result.findings:
        assert "\n" not in f.message and "--debug" not in f.message, f.message

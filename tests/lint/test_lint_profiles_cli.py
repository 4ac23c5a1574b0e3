"""Target profiles and Helm versions as the user sets them, and the progress display."""

from __future__ import annotations

import io
import json
import re
from pathlib import Path

import pytest
from test_lint_cli import make_chart, run

from hooklint.errors import ConfigError
from hooklint.lint.config import resolve_profile

TTL_JOB = """apiVersion: batch/v1
kind: Job
metadata:
  name: {{ .Release.Name }}-migrate
  annotations:
    "helm.sh/hook": pre-install
    "helm.sh/hook-delete-policy": before-hook-creation,hook-succeeded
    "helm.sh/hook-output-log-policy": hook-failed
spec:
  ttlSecondsAfterFinished: 0
  backoffLimit: 0
  activeDeadlineSeconds: 100
  template:
    spec:
      restartPolicy: Never
      containers:
        - name: c
          image: busybox
"""


# A Deployment whose pods mount a Secret that only a post-install hook creates (HL205).
POST_HOOK_SECRET = """apiVersion: v1
kind: Secret
metadata:
  name: {{ .Release.Name }}-creds
  annotations:
    "helm.sh/hook": post-install
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{ .Release.Name }}-app
spec:
  selector: {matchLabels: {app: a}}
  template:
    metadata: {labels: {app: a}}
    spec:
      containers:
        - name: c
          image: busybox
      volumes:
        - name: creds
          secret:
            secretName: {{ .Release.Name }}-creds
"""


def _findings(tmp: Path, *args: str, rules: tuple[str, ...] = ("HL303", "HL107")) -> list[tuple[str, str]]:
    r = run(["c", "-o", "json", *[a for rule in rules for a in ("--select", rule)], *args], tmp)
    assert r.returncode in (0, 1), r.stderr
    return [(f["rule"], f["severity"]) for f in json.loads(r.stdout)["findings"]]


def test_severity_changes_with_the_target(tmp_path: Path) -> None:
    make_chart(tmp_path, job=POST_HOOK_SECRET)
    # Flux waits for the pods by default and Argo CD runs PostSync hooks only after a healthy sync:
    # the deadlock is certain there, and needs --wait under plain Helm.
    for target, severity in (("helm3", "warning"), ("helm4", "warning"), ("argocd", "error"), ("flux", "error")):
        assert _findings(tmp_path, "--target", target, rules=("HL205",)) == [("HL205", severity)], target


def test_ttl_race_is_never_an_error(tmp_path: Path) -> None:
    make_chart(tmp_path, job=TTL_JOB)
    # helm3 means Helm 3.17 unless helm-version says otherwise: the log policy is then ignored (HL107).
    assert _findings(tmp_path, "--target", "helm3", "--helm-version", "3.19") == [("HL303", "warning")]
    assert _findings(tmp_path, "--target", "helm4") == [("HL303", "warning")]
    assert _findings(tmp_path, "--target", "argocd") == [("HL303", "warning")]


def test_helm_version_selects_behaviour(tmp_path: Path) -> None:
    make_chart(tmp_path, job=TTL_JOB)
    # hook-output-log-policy first shipped in Helm 3.18; 3.17 ignores it (info), and --helm-version 3.x
    # alone selects the helm3 profile.
    assert sorted(_findings(tmp_path, "--helm-version", "3.17")) == [("HL107", "info"), ("HL303", "warning")]
    assert _findings(tmp_path, "--helm-version", "v3.18.4") == [("HL303", "warning")]
    assert _findings(tmp_path, "--helm-version", "4.1") == [("HL303", "warning")]


def test_helm_version_from_config(tmp_path: Path) -> None:
    make_chart(tmp_path, job=TTL_JOB)
    (tmp_path / ".hooklint.yaml").write_text("helm-version: '3.17'\n")
    assert sorted(_findings(tmp_path)) == [("HL107", "info"), ("HL303", "warning")]


@pytest.mark.parametrize("args,message", [
    (["--helm-version", "2.17"], "Helm 2 is not supported"),
    (["--helm-version", "latest"], "is not a Helm version"),
    (["--helm-version", "3.18", "--target", "helm4"], "contradicts"),
])
def test_bad_helm_version_is_a_usage_error(tmp_path: Path, args: list[str], message: str) -> None:
    make_chart(tmp_path)
    r = run(["c", *args], tmp_path)
    assert r.returncode == 2
    assert message in r.stderr


def test_resolve_profile_defaults() -> None:
    # Neither given: the default Helm (tests ask no helm: HOOKLINT_HELM is empty), 3.17.1.
    assert resolve_profile(None, None) == ("helm3", (3, 17))
    assert resolve_profile("helm3", None) == ("helm3", (3, 17))
    assert resolve_profile("helm4", None) == ("helm4", (4, 2))
    assert resolve_profile(None, "3.19") == ("helm3", (3, 19))
    assert resolve_profile("flux", "3.18") == ("flux", (3, 18))
    with pytest.raises(ConfigError):
        resolve_profile("helm3", "4.0")


def test_rule_limited_to_old_helm_versions(tmp_path: Path) -> None:
    test_pod = """apiVersion: v1
kind: Pod
metadata:
  name: {{ .Release.Name }}-t
  annotations:
    "helm.sh/hook": test
    "helm.sh/hook-delete-policy": before-hook-creation,hook-succeeded
spec:
  restartPolicy: Never
  containers:
    - name: c
      image: busybox
"""
    make_chart(tmp_path, job=test_pod)
    for version, want in (("3.17", 1), ("4.0", 1), ("4.1", 0)):
        r = run(["c", "-o", "json", "--select", "HL322", "--helm-version", version], tmp_path)
        assert len(json.loads(r.stdout)["findings"]) == want, version


class _Tty(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_display_on_a_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    from hooklint.commands import lint as lint_cmd

    class Result:
        def __init__(self, name: str) -> None:
            self.chart_dir = name

    err = _Tty()
    monkeypatch.setattr(lint_cmd.sys, "stderr", err)
    for i in range(5):
        lint_cmd._progress(i, 5, Result(f"charts/c{i}"))
    out = err.getvalue()
    assert "\r\x1b[Klinting charts: 1/5 charts/c0" in out
    assert "linting charts: 4/5 charts/c3" in out  # then the summary: how long the five took
    assert re.search(r"\r\x1b\[Klinted 5 charts in [0-9]+\.[0-9] s\n\Z", out), out


def test_no_progress_when_not_a_terminal_or_short(monkeypatch: pytest.MonkeyPatch) -> None:
    from hooklint.commands import lint as lint_cmd

    class Result:
        chart_dir = "c"

    pipe, tty = io.StringIO(), _Tty()
    monkeypatch.setattr(lint_cmd.sys, "stderr", pipe)
    for i in range(5):
        lint_cmd._progress(i, 5, Result())
    monkeypatch.setattr(lint_cmd.sys, "stderr", tty)
    lint_cmd._progress(0, 1, Result())  # one chart: nothing to count
    assert pipe.getvalue() == "" and tty.getvalue() == ""


def test_parallel_run_matches_serial(tmp_path: Path) -> None:
    for n in range(4):
        make_chart(tmp_path, name=f"c{n}")
    serial = run([".", "-o", "json", "-j", "1"], tmp_path)
    parallel = run([".", "-o", "json", "-j", "2"], tmp_path)
    assert serial.returncode == parallel.returncode == 1
    assert json.loads(serial.stdout) == json.loads(parallel.stdout)

"""Opt-in rules (preset `strict`) and facts that depend on the release name, as the user sees them."""

from __future__ import annotations

import json
from pathlib import Path

from test_lint_cli import make_chart, run

# A hook with a fixed name (HL503) and no security context (HL704): both opt-in.
PLAIN_HOOK = """apiVersion: batch/v1
kind: Job
metadata:
  name: db-migrate
  annotations:
    "helm.sh/hook": pre-install
    "helm.sh/hook-delete-policy": before-hook-creation,hook-succeeded
spec:
  backoffLimit: 0
  activeDeadlineSeconds: 100
  template:
    spec:
      restartPolicy: Never
      containers:
        - name: c
          image: busybox
"""

# Job `pre-install-<release>` mounts ConfigMap `<release>-scripts`, both weight 0 (HL203).
NAME_ORDER = """apiVersion: v1
kind: ConfigMap
metadata:
  name: {{ .Release.Name }}-scripts
  annotations:
    "helm.sh/hook": pre-install
data:
  run.sh: echo
---
apiVersion: batch/v1
kind: Job
metadata:
  name: pre-install-{{ .Release.Name }}
  annotations:
    "helm.sh/hook": pre-install
spec:
  template:
    spec:
      restartPolicy: Never
      containers:
        - name: c
          image: busybox
      volumes:
        - name: s
          configMap:
            name: {{ .Release.Name }}-scripts
"""


def _rules(tmp: Path, *args: str) -> list[tuple[str, str]]:
    r = run(["c", "-o", "json", *args], tmp)
    assert r.returncode in (0, 1), r.stderr
    return sorted((f["rule"], f["severity"]) for f in json.loads(r.stdout)["findings"])


def test_opt_in_rules_are_off_by_default(tmp_path: Path) -> None:
    make_chart(tmp_path, job=PLAIN_HOOK)
    assert [r for r, _ in _rules(tmp_path, "--no-config")] == []


def test_extends_strict_enables_them(tmp_path: Path) -> None:
    make_chart(tmp_path, job=PLAIN_HOOK)
    (tmp_path / ".hooklint.yaml").write_text("extends: strict\n")
    assert _rules(tmp_path) == [("HL503", "warning"), ("HL704", "warning")]


def test_select_or_severity_enables_one(tmp_path: Path) -> None:
    make_chart(tmp_path, job=PLAIN_HOOK)
    assert _rules(tmp_path, "--no-config", "--select", "hook-no-security-context") == [("HL704", "warning")]
    (tmp_path / ".hooklint.yaml").write_text("severity: {HL503: error}\n")
    assert _rules(tmp_path) == [("HL503", "error")]


def test_unknown_preset_is_a_config_error(tmp_path: Path) -> None:
    make_chart(tmp_path, job=PLAIN_HOOK)
    (tmp_path / ".hooklint.yaml").write_text("extends: strcit\n")
    r = run(["c"], tmp_path)
    assert r.returncode == 2
    assert "unknown preset 'strcit' (did you mean 'strict'?)" in r.stderr


def test_name_order_is_a_guess_without_release_name(tmp_path: Path) -> None:
    make_chart(tmp_path, job=NAME_ORDER)
    # `pre-install-release-name` < `release-name-scripts`: the Job runs first for this placeholder name only.
    assert _rules(tmp_path, "--no-config", "--select", "HL203") == [("HL203", "warning")]
    # The user's real release: `pre-install-web` < `web-scripts` too, and now it is a fact.
    assert _rules(tmp_path, "--no-config", "--select", "HL203", "--name", "web") == [("HL203", "error")]
    # For `app`, `app-scripts` sorts first: the install works.
    assert _rules(tmp_path, "--no-config", "--select", "HL203", "--name", "app") == []

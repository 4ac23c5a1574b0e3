"""`pre-commit try-repo` against this repository, on a sample repository with two charts.

Uses the `hooklint-system` hook (language: system, the hooklint on PATH) so the test needs no
network; the `hooklint` hook (language: python) installs this repository into pre-commit's own
virtualenv, which needs hooklint's dependencies from a package index.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PRE_COMMIT = shutil.which("pre-commit") or str(Path(sys.executable).parent / "pre-commit")

GOOD_HOOK = """apiVersion: v1
kind: ConfigMap
metadata:
  name: {{ .Release.Name }}-setup
  annotations:
    "helm.sh/hook": pre-install
    "helm.sh/hook-delete-policy": before-hook-creation,hook-succeeded
data: {}
"""


def _git(repo: Path, *args: str) -> None:
    subprocess.run(["git", "-c", "user.email=t@example.com", "-c", "user.name=t", *args], cwd=repo, check=True,
                   capture_output=True)


@pytest.mark.skipif(not Path(PRE_COMMIT).exists(), reason="pre-commit is not installed")
@pytest.mark.skipif(not (ROOT / ".git").exists(), reason="try-repo needs this repository's git checkout")
def test_try_repo_maps_changed_files_to_charts(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    shutil.copytree(ROOT / "fixtures" / "lint" / "helper-dict", repo / "charts" / "queue")
    good = repo / "charts" / "good"
    (good / "templates").mkdir(parents=True)
    (good / "Chart.yaml").write_text("apiVersion: v2\nname: good\nversion: 0.1.0\n")
    (good / "templates" / "hook.yaml").write_text(GOOD_HOOK)
    (repo / "README.md").write_text("not a chart\n")
    _git(repo, "init", "-q")
    _git(repo, "add", ".")
    _git(repo, "commit", "-qm", "init")
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}",
           "PRE_COMMIT_HOME": str(tmp_path / "cache"), "PYTHONPATH": str(ROOT)}
    env.pop("GITHUB_ACTIONS", None)
    r = subprocess.run([PRE_COMMIT, "try-repo", str(ROOT), "hooklint-system", "--all-files"], cwd=repo, env=env,
                       capture_output=True, text=True, timeout=300)
    assert r.returncode == 1, r.stdout + r.stderr
    assert "charts/queue/templates/create-topics.yaml:5:7: error HL103" in r.stdout
    assert "charts/queue/templates/drain.yaml:5:7: error HL102" in r.stdout
    assert "charts/good/" not in r.stdout

    r = subprocess.run([PRE_COMMIT, "try-repo", str(ROOT), "hooklint-system", "--files",
                        "charts/good/templates/hook.yaml", "README.md"], cwd=repo, env=env, capture_output=True,
                       text=True, timeout=300)
    assert r.returncode == 0, r.stdout + r.stderr
    assert "Passed" in r.stdout

"""The GitHub Action (action.yml) and docs/integrations.md's workflow using it: the inputs the
steps and the example use exist, and the steps' own scripts lint and plan as intended. The
scripts run here with bash, GitHub's expressions replaced by the values a runner gives them
(setup-python, the install and upload-sarif are GitHub's part and do not run)."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

REPO = Path(__file__).resolve().parents[1]
ACTION = yaml.safe_load((REPO / "action.yml").read_text(encoding="utf-8"))
EXPRESSION = re.compile(r"\$\{\{\s*([^}]*?)\s*\}\}")


def step(name: str) -> dict[str, Any]:
    return next(s for s in ACTION["runs"]["steps"] if s.get("name") == name)


def expand(text: str, inputs: dict[str, str]) -> str:
    def value(m: re.Match[str]) -> str:
        expr = m.group(1)
        if expr.startswith("inputs."):
            return inputs[expr.removeprefix("inputs.")]
        return {"github.token": "", "github.event.pull_request.number": ""}[expr]
    return EXPRESSION.sub(value, text)


def run_step(name: str, inputs: dict[str, str], cwd: Path) -> subprocess.CompletedProcess[str]:
    s = step(name)
    env = dict(os.environ, PATH=f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}",
               HOOKLINT_NO_SERVER="1", HOOKLINT_CACHE_DIR=str(cwd / "cache"), GITHUB_ACTIONS="true",
               GITHUB_STEP_SUMMARY=str(cwd / "summary.md"), GITHUB_ACTION_PATH=str(REPO))
    env.update({k: expand(str(v), inputs) for k, v in s.get("env", {}).items()})
    return subprocess.run(["bash", "-e", "-c", s["run"]], cwd=cwd, env=env, capture_output=True, text=True,
                          timeout=300, check=False)


def defaults(**given: str) -> dict[str, str]:
    return {**{k: str(v.get("default", "")) for k, v in ACTION["inputs"].items()}, **given}


def test_every_input_used_is_declared() -> None:
    used = {m.group(1).removeprefix("inputs.") for m in EXPRESSION.finditer((REPO / "action.yml").read_text())
            if m.group(1).startswith("inputs.")}
    assert used == set(ACTION["inputs"])
    docs = (REPO / "docs" / "integrations.md").read_text(encoding="utf-8")
    workflows = [yaml.safe_load(b) for b in re.findall(r"```yaml\n(.*?)```", docs, re.DOTALL) if "uses: hooklint/" in b]
    assert workflows and all("jobs" in wf for wf in workflows)
    for wf in workflows:
        for job in wf["jobs"].values():
            for s in job["steps"]:
                if s.get("uses", "").startswith("hooklint/hooklint@"):
                    assert s["uses"] == "hooklint/hooklint@v0.2.0" and set(s.get("with", {})) <= set(ACTION["inputs"])


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    shutil.copytree(REPO / "fixtures" / "charts" / "example", tmp_path / "charts" / "example")
    return tmp_path


def test_lint_step_writes_sarif_and_annotations(workspace: Path) -> None:
    done = run_step("Lint charts", defaults(paths="charts/"), workspace)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("::notice file=charts/example/")  # workflow annotations
    assert '"version": "2.1.0"' in (workspace / "hooklint.sarif").read_text()
    failing = run_step("Lint charts", defaults(paths="charts/", args="--fail-on info", sarif=""), workspace)
    assert failing.returncode == 1


def test_plan_step_adds_the_plan_to_the_job_summary(workspace: Path) -> None:
    done = run_step("Plan", defaults(**{"plan-chart": "charts/example", "plan-event": "install"}), workspace)
    assert done.returncode == 0, done.stderr
    summary = (workspace / "summary.md").read_text()
    assert summary.startswith("#") and "helm install" in summary

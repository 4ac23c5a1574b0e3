"""Every shell block of README.md and docs/*.md runs as written (README: "every command in them
must stay runnable"), against the current installation, in a temporary folder holding a copy of
the example chart; and every `hooklint` command of the CI recipes (the YAML blocks) runs on a
`charts/` folder. A block that cannot run here is listed in NOT_RUNNABLE with the reason; any
other block, including a new one, is run."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
DOCS = [REPO / "README.md", *sorted((REPO / "docs").glob("*.md"))]
BLOCK = re.compile(r"^```(\w*)\n(.*?)^```", re.MULTILINE | re.DOTALL)

# First line of a block -> why it does not run in a test.
NOT_RUNNABLE = {
    "python3 -m venv .venv && . .venv/bin/activate && pip install -q -e '.[test]' && pytest -n 2":
        "the whole test suite (this test is part of it)",
    "hooklint render [NAME] CHART [-n NS] [-f values.yaml]... [--set k=v]... \\": "a synopsis",
    "hooklint plan [NAME] CHART --event install|upgrade|rollback|uninstall|test|all \\": "a synopsis",
    "hooklint lint CHART... [-o text|json|sarif|junit|github|gitlab|auto]... [--output-file FILE]... \\": "a synopsis",
    "hooklint apply [NAME] CHART --event install|upgrade|rollback|uninstall|test [render options] \\": "a synopsis",
    "hooklint plan fixtures/charts/upgrade/app --event upgrade --set step=2 \\": "a synopsis (optional parts in [])",
    "hooklint plan fixtures/charts/gitops --target argocd:3.3 --event all":
        "its second line is a synopsis ([--helmrelease hr.yaml]); tests/plan/test_plan_targets.py runs both targets",
    'pip install "hooklint @ git+https://github.com/hooklint/hooklint@v0.2.0"': "needs the network",
    "pre-commit try-repo https://github.com/hooklint/hooklint hooklint --all-files":
        "needs the network (tests/lint/test_lint_precommit.py runs try-repo on this checkout)",
    'ct lint --additional-commands "hooklint lint {{ .Path }}"': "needs chart-testing (ct)",
    "helm plugin install https://github.com/hooklint/hooklint":
        "needs the network and helm (tests/test_helm_plugin_script.py tests the plugin's script)",
}
# The quick start installs this checkout: the test uses the installation it runs in.
INSTALL = "python3 -m venv .venv && . .venv/bin/activate && pip install -q -e . && "


def blocks(language: str) -> list[tuple[str, str]]:
    found = []
    for doc in DOCS:
        for lang, body in BLOCK.findall(doc.read_text(encoding="utf-8")):
            if lang == language:
                found.append((f"{doc.relative_to(REPO)}: {body.splitlines()[0]}", body))
    return found


SHELL = blocks("sh")
RUNNABLE = [(name, body) for name, body in SHELL if body.splitlines()[0] not in NOT_RUNNABLE]
# `hooklint ...` commands in the CI recipes (`- run: hooklint ...`, `- hooklint ...` in a script).
RECIPE_COMMANDS = sorted({m.group(1) for _, body in blocks("yaml")
                          for m in re.finditer(r"^\s*-\s+(?:run:\s+)?(hooklint .*)$", body, re.MULTILINE)})


def workspace(tmp_path: Path) -> tuple[Path, dict[str, str]]:
    (tmp_path / "fixtures" / "charts").mkdir(parents=True)
    shutil.copytree(REPO / "fixtures" / "charts" / "example", tmp_path / "fixtures" / "charts" / "example")
    shutil.copytree(REPO / "fixtures" / "charts" / "example", tmp_path / "charts" / "example")
    env = dict(os.environ, PATH=f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}",
               HOOKLINT_NO_SERVER="1", HOOKLINT_CACHE_DIR=str(tmp_path / "cache"))
    env.pop("GITHUB_ACTIONS", None)
    return tmp_path, env


def test_every_block_is_run_or_says_why_not() -> None:
    firsts = {body.splitlines()[0] for _, body in SHELL}
    assert set(NOT_RUNNABLE) <= firsts, sorted(set(NOT_RUNNABLE) - firsts)  # no stale entries
    assert len(RUNNABLE) >= 3 and RECIPE_COMMANDS


@pytest.mark.parametrize(("name", "body"), RUNNABLE, ids=[name for name, _ in RUNNABLE])
def test_shell_block_runs(name: str, body: str, tmp_path: Path) -> None:
    cwd, env = workspace(tmp_path)
    script = body.replace(INSTALL, "")
    proc = subprocess.run(["bash", "-e", "-o", "pipefail", "-c", script], cwd=cwd, env=env, capture_output=True,
                          text=True, timeout=300, check=False)
    assert proc.returncode == 0, f"{name}\n{proc.stdout[-2000:]}\n{proc.stderr[-2000:]}"
    assert "deprecated" not in proc.stderr, proc.stderr


@pytest.mark.parametrize("command", RECIPE_COMMANDS)
def test_ci_recipe_command_runs(command: str, tmp_path: Path) -> None:
    cwd, env = workspace(tmp_path)
    proc = subprocess.run(["bash", "-e", "-c", command], cwd=cwd, env=env, capture_output=True, text=True,
                          timeout=300, check=False)
    assert proc.returncode == 0, f"{command}\n{proc.stdout[-2000:]}\n{proc.stderr[-2000:]}"
    assert proc.stderr == "", proc.stderr
    for out in re.findall(r"--output-file (\S+)", command):
        assert (cwd / out).stat().st_size > 0

"""`hooklint lint` as a user runs it: exit codes, formats, config, suppressions, SARIF validity."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest

ROOT = Path(__file__).resolve().parents[2]

BAD_JOB = """apiVersion: batch/v1
kind: Job
metadata:
  name: migrate
  annotations:
    "helm.sh/hook": pre-install
    "helm.sh/hook-weight": 5
    "helm.sh/hook-delete-policy": before-hook-creation,hook-succeeded
spec:
  template:
    spec:
      restartPolicy: Never
      containers:
        - name: c
          image: busybox
"""


def make_chart(root: Path, name: str = "c", job: str = BAD_JOB, extra: dict[str, str] | None = None) -> Path:
    chart = root / name
    (chart / "templates").mkdir(parents=True)
    (chart / "Chart.yaml").write_text(f"apiVersion: v2\nname: {name}\nversion: 0.1.0\n")
    (chart / "templates" / "job.yaml").write_text(job)
    for k, v in (extra or {}).items():
        (chart / k).parent.mkdir(parents=True, exist_ok=True)
        (chart / k).write_text(v)
    return chart


def run(args: list[str], cwd: Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    e = {**os.environ, "PYTHONPATH": str(ROOT), **(env or {})}
    e.pop("GITHUB_ACTIONS", None)
    e.pop("PRE_COMMIT", None)
    e.update(env or {})
    return subprocess.run([sys.executable, "-m", "hooklint", "lint", *args], cwd=cwd, env=e,
                          capture_output=True, text=True, timeout=120)


def test_findings_exit_1_and_text_format(tmp_path: Path) -> None:
    make_chart(tmp_path)
    r = run(["c"], tmp_path)
    assert r.returncode == 1, r.stderr
    assert "c/templates/job.yaml:7:5: error HL101 " in r.stdout


def test_json_contract(tmp_path: Path) -> None:
    make_chart(tmp_path)
    r = run(["c", "-o", "json"], tmp_path)
    doc = json.loads(r.stdout)
    assert doc["schema_version"] == 1
    f = next(f for f in doc["findings"] if f["rule"] == "HL101")
    assert f["location"] == {"file": "c/templates/job.yaml", "line": 7, "column": 5}
    assert f["object"] == {"apiVersion": "batch/v1", "kind": "Job", "name": "migrate", "namespace": None}
    assert f["severity"] == "error" and f["name"] == "hook-weight-not-string"
    assert set(doc["summary"]) == {"error", "warning", "info"}


def test_exit_zero_and_fail_on(tmp_path: Path) -> None:
    make_chart(tmp_path)
    assert run(["c", "--exit-zero"], tmp_path).returncode == 0
    assert run(["c", "--ignore", "HL101"], tmp_path).returncode == 0
    assert run(["c", "--ignore", "HL101", "--fail-on", "info"], tmp_path).returncode in (0, 1)


def test_sarif_valid_and_multiple_outputs(tmp_path: Path) -> None:
    make_chart(tmp_path)
    r = run(["c", "-o", "sarif", "--output-file", "out.sarif", "-o", "json", "--output-file", "out.json"], tmp_path)
    assert r.returncode == 1
    sarif = json.loads((tmp_path / "out.sarif").read_text())
    schema = json.loads((ROOT / "fixtures" / "schemas" / "sarif-schema-2.1.0.json").read_text())
    jsonschema.validate(sarif, schema)
    res = sarif["runs"][0]["results"]
    assert any(x["ruleId"] == "HL101" and x["locations"][0]["physicalLocation"]["region"]["startLine"] == 7
               for x in res)
    assert json.loads((tmp_path / "out.json").read_text())["schema_version"] == 1
    again = run(["c", "-o", "sarif"], tmp_path)
    assert again.stdout == (tmp_path / "out.sarif").read_text()  # deterministic


@pytest.mark.parametrize("fmt", ["junit", "github", "gitlab"])
def test_other_formats(tmp_path: Path, fmt: str) -> None:
    make_chart(tmp_path)
    r = run(["c", "-o", fmt], tmp_path)
    assert r.returncode == 1 and "HL101" in r.stdout


def test_auto_is_github_in_actions(tmp_path: Path) -> None:
    make_chart(tmp_path)
    r = run(["c"], tmp_path, env={"GITHUB_ACTIONS": "true"})
    assert r.stdout.startswith("::error file=c/templates/job.yaml,line=7")


def test_unknown_config_key_is_exit_2_with_suggestion(tmp_path: Path) -> None:
    make_chart(tmp_path)
    (tmp_path / ".hooklint.yaml").write_text("ignroe: [HL101]\n")
    r = run(["c"], tmp_path)
    assert r.returncode == 2 and "did you mean 'ignore'" in r.stderr
    (tmp_path / ".hooklint.yaml").write_text("ignore: [HL1O1]\n")
    r = run(["c"], tmp_path)
    assert r.returncode == 2 and "did you mean" in r.stderr
    assert run(["c", "--no-config"], tmp_path).returncode == 1


def test_config_discovered_upwards_and_pyproject(tmp_path: Path) -> None:
    make_chart(tmp_path / "charts-dir")
    (tmp_path / ".hooklint.yaml").write_text("ignore: [hook-weight-not-string]\n")
    assert run(["charts-dir/c"], tmp_path).returncode == 0
    (tmp_path / ".hooklint.yaml").unlink()
    (tmp_path / "pyproject.toml").write_text('[tool.hooklint]\nseverity = {HL101 = "warning"}\n')
    r = run(["charts-dir/c"], tmp_path)
    assert r.returncode == 0 and "warning HL101" in r.stdout


def test_suppressions_and_unused(tmp_path: Path) -> None:
    job = BAD_JOB.replace('    "helm.sh/hook-weight": 5\n',
                          '    "helm.sh/hook-weight": 5\n    ignore-check.hooklint.io/HL101: "legacy"\n'
                          '    ignore-check.hooklint.io/HL401: "unused"\n')
    make_chart(tmp_path, job=job)
    r = run(["c"], tmp_path)
    assert "HL101" not in r.stdout.replace("ignore-check.hooklint.io/HL101", "")
    assert "HL002" in r.stdout and "HL401" in r.stdout


def test_template_comment_suppression(tmp_path: Path) -> None:
    job = BAD_JOB.replace('    "helm.sh/hook-weight": 5\n',
                          '    {{- /* hooklint: disable=HL101 vendored */}}\n    "helm.sh/hook-weight": 5\n')
    make_chart(tmp_path, job=job)
    r = run(["c"], tmp_path)
    assert "error HL101" not in r.stdout and r.returncode == 0


def test_render_error_is_a_finding(tmp_path: Path) -> None:
    make_chart(tmp_path, job="a: {{ .Values.x.y }}\n")
    r = run(["c", "-o", "json"], tmp_path)
    assert r.returncode == 1
    assert json.loads(r.stdout)["findings"][0]["rule"] == "HL000"


def test_files_map_to_chart_roots_and_parallel(tmp_path: Path) -> None:
    make_chart(tmp_path, "a")
    make_chart(tmp_path, "b")
    r = run(["a/templates/job.yaml", "a/Chart.yaml", ".", "-j", "2", "-o", "json"], tmp_path)
    files = {f["location"]["file"] for f in json.loads(r.stdout)["findings"]}
    assert files == {"a/templates/job.yaml", "b/templates/job.yaml"}


def test_values_provenance(tmp_path: Path) -> None:
    job = BAD_JOB.replace('    "helm.sh/hook": pre-install\n    "helm.sh/hook-weight": 5\n',
                          "    {{- toYaml .Values.job.annotations | nindent 4 }}\n")
    make_chart(tmp_path, job=job, extra={"values.yaml": "job:\n  annotations:\n    helm.sh/hook: pre-install\n"
                                                        "    helm.sh/hook-weight: 3\n"})
    r = run(["c", "-o", "sarif"], tmp_path)
    res = [x for x in json.loads(r.stdout)["runs"][0]["results"] if x["ruleId"] == "HL101"]
    loc = res[0]["locations"][0]["physicalLocation"]
    assert (loc["artifactLocation"]["uri"], loc["region"]["startLine"]) == ("c/values.yaml", 4)
    rel = res[0]["relatedLocations"][0]["physicalLocation"]
    assert (rel["artifactLocation"]["uri"], rel["region"]["startLine"]) == ("c/templates/job.yaml", 6)


def test_rules_and_explain() -> None:
    e = {**os.environ, "PYTHONPATH": str(ROOT)}
    r = subprocess.run([sys.executable, "-m", "hooklint", "rules", "-o", "json"], env=e, capture_output=True,
                       text=True, timeout=60)
    assert len(json.loads(r.stdout)) >= 45
    r = subprocess.run([sys.executable, "-m", "hooklint", "explain", "hook-weight-not-string"], env=e,
                       capture_output=True, text=True, timeout=60)
    assert r.stdout.startswith("# HL101 hook-weight-not-string")


SECRET = "apiVersion: v1\nkind: Secret\nmetadata:\n  name: pw\n{annotations}stringData:\n  password: x\n"


def git(cwd: Path, *args: str) -> None:
    env = {**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.com",
           "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.com"}
    subprocess.run(["git", *args], cwd=cwd, env=env, check=True, capture_output=True)


@pytest.mark.skipif(subprocess.run(["git", "--version"], capture_output=True).returncode != 0, reason="needs git")
def test_baseline_from_a_git_revision(tmp_path: Path) -> None:
    """--baseline REV compares each chart with its folder at that revision (HL310); a chart that
    did not exist then has nothing to compare; a revision that does not exist is a usage error."""
    chart = make_chart(tmp_path, "app", job=SECRET.format(annotations=""))
    git(tmp_path, "init", "-q")
    git(tmp_path, "add", ".")
    git(tmp_path, "commit", "-q", "-m", "v1")
    (chart / "templates" / "job.yaml").write_text(SECRET.format(annotations="  annotations:\n    helm.sh/hook: pre-install\n"))
    make_chart(tmp_path, "new", job=SECRET.format(annotations="  annotations:\n    helm.sh/hook: pre-install\n"))
    r = run([".", "--baseline", "HEAD", "--select", "HL310", "-o", "json"], tmp_path)
    assert r.returncode == 0, r.stderr  # a warning
    found = [(f["rule"], f["location"]["file"], f["location"]["line"]) for f in json.loads(r.stdout)["findings"]]
    assert found == [("HL310", "app/templates/job.yaml", 4)]
    assert "is gone" in json.loads(r.stdout)["findings"][0]["message"]
    # the same run without a baseline has nothing to compare
    assert json.loads(run([".", "--select", "HL310", "-o", "json"], tmp_path).stdout)["findings"] == []
    bad = run([".", "--baseline", "no-such-revision"], tmp_path)
    assert bad.returncode == 2 and "'no-such-revision' is neither a chart directory nor a revision" in bad.stderr


def test_baseline_directory(tmp_path: Path) -> None:
    old = make_chart(tmp_path / "old", "app", job=SECRET.format(annotations=""))
    make_chart(tmp_path, "app", job=SECRET.format(annotations="  annotations:\n    helm.sh/hook: pre-install\n"))
    r = run(["app", "--baseline", str(old), "--select", "HL310"], tmp_path)
    assert r.returncode == 0 and "app/templates/job.yaml:4:" in r.stdout and "HL310" in r.stdout, r.stdout + r.stderr
    make_chart(tmp_path, "other")
    two = run([".", "--baseline", str(old)], tmp_path)
    assert two.returncode == 2 and "a chart directory is the baseline of one chart" in two.stderr

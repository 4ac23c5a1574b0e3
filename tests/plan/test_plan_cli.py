"""`hooklint plan` end to end: formats, exit codes, `--rendered -` from stdin, previous renderings."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
S1 = "fixtures/charts/traces/s1"


def hooklint(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "hooklint", *args],
        cwd=REPO,
        input=stdin,
        capture_output=True,
        text=True,
        check=False,
    )


def _ops(plan: dict) -> list[tuple[str, str]]:  # type: ignore[type-arg]
    return [(s["action"], s["object"]["name"] if s["object"] else "") for s in plan["steps"]]


def test_json_contract() -> None:
    r = hooklint("plan", S1, "--event", "install", "--output", "json", "--name", "r")
    assert r.returncode == 0, r.stderr
    plan = json.loads(r.stdout)
    assert plan["schema_version"] == 1 and plan["event"] == "install" and plan["helm_version"] == "3"
    assert plan["chart"] == {"name": "base", "version": "0.1.0"}
    assert plan["release"] == {"name": "r", "namespace": "default", "revision": 1}
    first = plan["steps"][0]
    for key in ("index", "action", "hook_event", "weight", "reason", "object", "source", "on_failure"):
        assert key in first
    assert first["object"] == {
        "apiVersion": "v1",
        "kind": "ConfigMap",
        "name": "cm-neg",
        "namespace": "default",
    }
    assert first["source"]["file"] == "fixtures/charts/traces/s1/templates/hooks.yaml"
    assert first["source"]["template"] == "base/templates/hooks.yaml"
    assert [s["index"] for s in plan["steps"]] == list(range(len(plan["steps"])))
    assert plan["dropped"] == []


def test_event_all_wraps_plans() -> None:
    r = hooklint("plan", S1, "--event", "all", "-o", "json")
    data = json.loads(r.stdout)
    assert data["schema_version"] == 1
    assert [p["event"] for p in data["plans"]] == ["install", "upgrade", "rollback", "uninstall", "test"]


@pytest.mark.parametrize("fmt", ["text", "json", "markdown", "html", "mermaid"])
def test_every_format_is_deterministic(fmt: str) -> None:
    a = hooklint("plan", S1, "--event", "all", "--output", fmt)
    b = hooklint("plan", S1, "--event", "all", "--output", fmt)
    assert a.returncode == 0, a.stderr
    assert a.stdout == b.stdout and a.stdout


def test_html_is_one_self_contained_page() -> None:
    html = hooklint("plan", S1, "--output", "html").stdout
    assert html.startswith("<!DOCTYPE html>") and "<style>" in html
    for forbidden in ("<script", "<link", "http://", "https://", "@import"):
        assert forbidden not in html


def test_markdown_and_mermaid_shape() -> None:
    md = hooklint("plan", S1, "--output", "markdown").stdout
    assert "| # | phase | action |" in md and "`create-hook`" in md
    mmd = hooklint("plan", S1, "--output", "mermaid").stdout
    assert "flowchart TD" in mmd and "install_s0" in mmd


def test_rendered_from_stdin_gives_the_same_operations() -> None:
    rendered = hooklint("render", S1, "r").stdout
    from_stdin = json.loads(hooklint("plan", "--rendered", "-", "-o", "json", stdin=rendered).stdout)
    from_chart = json.loads(hooklint("plan", S1, "-o", "json").stdout)
    assert _ops(from_stdin) == _ops(from_chart)
    assert from_stdin["steps"][0]["source"]["file"] == "<stdin>"
    assert from_stdin["chart"]["name"] == "base"


def test_upgrade_with_previous_values_lists_removed_resources(tmp_path: Path) -> None:
    prev = tmp_path / "prev.yaml"
    prev.write_text("v2: false\n")
    r = hooklint(
        "plan", "fixtures/charts/traces/sD", "--event", "upgrade", "--set", "v2=true",
        "--previous-values", str(prev), "-o", "json",
    )  # fmt: skip
    plan = json.loads(r.stdout)
    assert ("delete", "e-plain-secret") in _ops(plan)
    assert ("keep", "b-keep") in _ops(plan)  # exactly "keep": skipped
    assert ("delete", "c-keep-upper") in _ops(plan)  # " Keep" is not exactly keep on upgrade


def test_out_file(tmp_path: Path) -> None:
    out = tmp_path / "plan.json"
    r = hooklint("plan", S1, "-o", "json", "--out", str(out))
    assert r.returncode == 0 and r.stdout == ""
    assert json.loads(out.read_text())["event"] == "install"


@pytest.mark.parametrize(
    "args",
    [
        ["plan", S1, "--output", "xml"],
        ["plan", S1, "--event", "deploy"],
        ["plan", S1, "--helm-version", "5"],
        ["plan"],
        ["plan", "--rendered", "/nonexistent/file.yaml"],
        ["plan", S1, "--helm-version", "4", "--wait-strategy", "fast"],
    ],
)
def test_usage_errors_exit_2(args: list[str]) -> None:
    r = hooklint(*args)
    assert r.returncode == 2, (r.stdout, r.stderr)
    assert "Traceback" not in r.stderr


def test_yaml_error_fails_like_helm_with_exit_1() -> None:
    bad = "---\n# Source: c/templates/a.yaml\nfoo: [\n"
    r = hooklint("plan", "--rendered", "-", stdin=bad)
    assert r.returncode == 1
    assert "YAML parse error on c/templates/a.yaml: error converting YAML to JSON: yaml: line 1" in r.stderr
    assert "Traceback" not in r.stderr


LIST_CHART = {
    "Chart.yaml": "apiVersion: v2\nname: listed\nversion: 0.1.0\n",
    "templates/list.yaml": (
        "apiVersion: v1\nkind: List\nitems:\n"
        "  - apiVersion: v1\n    kind: ConfigMap\n    metadata:\n      name: first\n"
        "  - kind: ServiceAccount\n    apiVersion: v1\n    metadata:\n      name: second\n"
    ),
    "templates/kept.yaml": (
        "apiVersion: v1\nkind: ConfigMapList\n"
        "metadata:\n  annotations:\n    helm.sh/resource-policy: keep\n"
        "items:\n  - metadata:\n      name: kept-item\n"
    ),
    "templates/secret.yaml": "apiVersion: v1\nkind: Secret\nmetadata:\n  name: alone\n",
}


def test_lists_are_planned_as_their_items(tmp_path: Path) -> None:
    """Helm's kube client builds a document with `items` into one object per item, in the place
    the list's own kind sorts to; the list's annotations decide whether uninstall keeps it."""
    for name, text in LIST_CHART.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text, encoding="utf-8")

    def steps(event: str) -> list[tuple[str, str, str, int]]:
        r = hooklint("plan", str(tmp_path), "--event", event, "--output", "json")
        assert r.returncode == 0, r.stderr
        return [(s["action"], s["object"]["kind"], s["object"]["name"], s["source"]["line"])
                for s in json.loads(r.stdout)["steps"] if s["object"]]

    # Secret is a known kind; List and ConfigMapList are not, so they come after it (by name)
    assert steps("install") == [
        ("apply", "Secret", "alone", 1),
        ("apply", "ConfigMap", "kept-item", 7),  # kind and apiVersion from the list
        ("apply", "ConfigMap", "first", 4),
        ("apply", "ServiceAccount", "second", 8),
    ]
    # unknown kinds sort last in UninstallOrder too
    assert [(a, k, n) for a, k, n, _ in steps("uninstall")] == [
        ("keep", "ConfigMapList", ""),
        ("delete", "Secret", "alone"),
        ("delete", "ConfigMap", "first"),
        ("delete", "ServiceAccount", "second"),
    ]

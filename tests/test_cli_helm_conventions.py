"""Helm's command-line conventions (issue: the CLI as Helm users expect it): `render [NAME] CHART`
as `helm template [NAME] [CHART]`, `--release-name` as helm template's flag, `-o/--output` the
output format everywhere, `--timeout` parsed like Go's time.ParseDuration, exit codes from the
README's table; and hooklint 0.1's spellings still working with a deprecation warning."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from hooklint.cli import main

REPO = Path(__file__).resolve().parents[1]
EXAMPLE = str(REPO / "fixtures" / "charts" / "example")
DEPRECATED = "is deprecated and will be removed in the next release"


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as exit_info:
        main(list(argv))
    out, err = capsys.readouterr()
    code = exit_info.value.code
    return (code if isinstance(code, int) else 0 if code is None else 1), out, err


def test_render_takes_name_then_chart_like_helm_template(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "render", "myrel", EXAMPLE)
    assert (code, err) == (0, "") and "name: myrel-example" in out
    assert run(capsys, "render", EXAMPLE, "--name", "myrel") == (0, out, "")
    default = run(capsys, "render", EXAMPLE)
    assert default[0] == 0 and "name: release-name-example" in default[1]


def test_old_spellings_work_with_a_deprecation_warning(capsys: pytest.CaptureFixture[str]) -> None:
    _, expected, _ = run(capsys, "render", "myrel", EXAMPLE)
    code, out, err = run(capsys, "render", EXAMPLE, "myrel")  # hooklint 0.1's order
    assert (code, out) == (0, expected) and DEPRECATED in err and "`hooklint render NAME CHART`" in err
    code, out, err = run(capsys, "render", EXAMPLE, "--release-name=myrel")
    assert (code, out) == (0, expected) and DEPRECATED in err
    _, json_out, _ = run(capsys, "plan", EXAMPLE, "-o", "json")
    code, out, err = run(capsys, "plan", EXAMPLE, "--format", "json")
    assert (code, out) == (0, json_out) and "`--format FORMAT` " + DEPRECATED in err
    code, out, err = run(capsys, "lint", EXAMPLE, "-F", "json", "--release-name", "r")
    assert code == 0 and out.startswith("{") and err.count(DEPRECATED) == 2


def test_lint_old_output_file_spelling(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    target = tmp_path / "out.sarif"
    code, out, err = run(capsys, "lint", EXAMPLE, "-o", "sarif", "-o", str(target))
    assert (code, out) == (0, "") and "`--output-file FILE`" in err and '"version": "2.1.0"' in target.read_text()


def test_release_name_flag_puts_the_name_in_output_dir_paths(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    assert run(capsys, "render", "myrel", EXAMPLE, "--output-dir", str(tmp_path / "a"), "--release-name")[0] == 0
    assert (tmp_path / "a" / "myrel" / "example" / "templates").is_dir()
    assert run(capsys, "render", "myrel", EXAMPLE, "--output-dir", str(tmp_path / "b"))[0] == 0
    assert (tmp_path / "b" / "example" / "templates").is_dir()


@pytest.mark.parametrize(
    ("value", "message"),
    [("5x", 'time: unknown unit "x" in duration "5x"'), ("5", 'time: missing unit in duration "5"'),
     ("", 'time: invalid duration ""')],
)
def test_timeout_is_a_go_duration(capsys: pytest.CaptureFixture[str], value: str, message: str) -> None:
    for command in (["plan", EXAMPLE], ["apply", EXAMPLE, "-e", "install", "--dry-run"]):
        code, out, err = run(capsys, *command, "--timeout", value)
        assert (code, out) == (2, "")
        assert err == f'Error: invalid argument "{value}" for "--timeout" flag: {message}\n'
    assert run(capsys, "plan", EXAMPLE, "--timeout", "1m30s", "-o", "json")[0] == 0


def test_usage_errors_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "lint", EXAMPLE, "-j", "-1")
    assert code == 2 and "--jobs" in err
    assert run(capsys, "render", "a", "b", "c")[0] == 2
    code, _, err = run(capsys, "lint", EXAMPLE, "--color", "sometimes")
    assert code == 2 and "--color must be auto, always or never" in err


def test_a_saved_plan_carries_its_event_chart_and_values(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """README's flow: `plan ... -o json --out plan.json`, then `apply --plan plan.json` alone,
    from another working directory; values files are compared by content."""
    values = tmp_path / "prod.yaml"
    values.write_text("replicaCount: 4\n")
    plan_file = tmp_path / "plans" / "plan.json"
    plan_file.parent.mkdir()
    code, _, err = run(capsys, "plan", "web", EXAMPLE, "--event", "install", "-f", str(values), "--set", "a=1",
                       "-o", "json", "--out", str(plan_file))
    assert (code, err) == (0, "")
    monkeypatch.chdir(plan_file.parent)
    code, out, err = run(capsys, "apply", "--plan", "plan.json", "--state", str(tmp_path / "state.json"))
    assert (code, err) == (0, "") and "NAME: web" in out and "STATUS: deployed" in out
    values.write_text("replicaCount: 5\n")  # the reviewed values changed: refused
    code, _, err = run(capsys, "apply", "--plan", "plan.json", "--state", str(tmp_path / "other.json"))
    assert code == 2 and "no longer match the plan" in err


@pytest.mark.parametrize(
    ("args", "env", "colored"),
    [([], {}, False), (["--color", "always"], {}, True), (["--color=never"], {"FORCE_COLOR": "1"}, False),
     ([], {"FORCE_COLOR": "1"}, True), ([], {"FORCE_COLOR": "1", "NO_COLOR": "1"}, False),
     (["--color", "always"], {"NO_COLOR": "1"}, True)],
)
def test_color_option_and_environment(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, args: list[str], env: dict[str, str],
    colored: bool,
) -> None:
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.delenv("FORCE_COLOR", raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    code, out, _ = run(capsys, "lint", EXAMPLE, "--no-cache", *args)
    assert code == 0 and out and ("\x1b[" in out) == colored


def test_key_generating_charts_leave_stderr_empty(tmp_path: Path) -> None:
    """cryptography's DSA deprecation warnings are not Helm's output (helm template prints nothing
    on stderr for genPrivateKey "dsa")."""
    import os
    import subprocess
    import sys

    (tmp_path / "templates").mkdir()
    (tmp_path / "Chart.yaml").write_text("apiVersion: v2\nname: gen\nversion: 0.1.0\n")
    (tmp_path / "templates" / "s.yaml").write_text(
        'apiVersion: v1\nkind: Secret\nmetadata:\n  name: x\ndata:\n  k: {{ genPrivateKey "dsa" | b64enc }}\n'
        '  ca: {{ (genCA "x" 365).Cert | b64enc }}\n')
    env = dict(os.environ, HOOKLINT_NO_SERVER="1", HOOKLINT_NO_CACHE="1")
    proc = subprocess.run([sys.executable, "-m", "hooklint", "render", str(tmp_path)], capture_output=True,
                          text=True, env=env, check=False)
    assert (proc.returncode, proc.stderr) == (0, "") and "kind: Secret" in proc.stdout


def test_debug_prints_the_invalid_yaml_like_helm(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    (tmp_path / "templates").mkdir()
    (tmp_path / "Chart.yaml").write_text("apiVersion: v2\nname: bad\nversion: 0.1.0\n")
    (tmp_path / "templates" / "b.yaml").write_text("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n   bad: [\n")
    message = ("Error: YAML parse error on bad/templates/b.yaml: error converting YAML to JSON: yaml: line 5: "
               "mapping values are not allowed in this context\n")
    assert run(capsys, "render", str(tmp_path), "--no-cache") == (
        1, "", message + "\nUse --debug flag to render out invalid YAML\n")
    assert run(capsys, "render", str(tmp_path), "--no-cache", "--debug") == (
        1, "---\n# Source: bad/templates/b.yaml\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n   bad: [\n\n",
        message)


def test_missing_chart_and_bad_set_are_usage_errors_with_helms_messages(capsys: pytest.CaptureFixture[str]) -> None:
    for command in ("render", "plan", "lint"):
        assert run(capsys, command, "/nonexistent") == (2, "", 'Error: path "/nonexistent" not found\n')
    assert run(capsys, "render", EXAMPLE, "--set", "a[=b") == (
        2, "", "Error: failed parsing --set data: error parsing index: EOF\n")


def test_a_clean_chart_says_so_and_findings_end_with_a_summary(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    for name in ("a", "b"):
        (tmp_path / name / "templates").mkdir(parents=True)
        (tmp_path / name / "Chart.yaml").write_text(f"apiVersion: v2\nname: {name}\nversion: 0.1.0\n")
        (tmp_path / name / "templates" / "c.yaml").write_text("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n")
    # The summary names the Helm version checked: the default (no helm asked under tests) or the given one.
    assert run(capsys, "lint", str(tmp_path / "a"), "--no-cache") == (
        0, "All checks passed! (1 chart, checked against Helm 3.17)\n", "")
    assert run(capsys, "lint", str(tmp_path), "--no-cache", "--target", "argocd") == (
        0, "All checks passed! (2 charts, checked against Helm 4.2 (argocd))\n", "")
    code, out, _ = run(capsys, "lint", EXAMPLE, "--no-cache", "--helm-version", "4.2")
    assert code == 0 and out.splitlines()[-1] == ("Found 2 problem(s) in 1 chart (checked against Helm 4.2): "
                                                  "0 error(s), 0 warning(s), 2 info.")


def test_lint_takes_render_settings(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    def rules(*args: str) -> list[str]:
        code, out, _ = run(capsys, "lint", EXAMPLE, "--no-cache", "-o", "json", "--helm-version", "4.2", *args)
        assert code == 0
        return sorted(f["rule"] for f in json.loads(out)["findings"])

    assert rules() == ["HL211", "HL304"]
    assert rules("--set", "migrations.enabled=false") == []  # the migration hook is gone
    flag = tmp_path / "flag.txt"
    flag.write_text("false")
    assert rules("--set-file", f"migrations.enabled={flag}") == ["HL211", "HL304"]  # a string: still truthy
    assert rules("--set-string", "migrations.enabled=") == []
    assert rules("--kube-version", "v1.29.0", "-a", "batch/v1/Job") == ["HL211", "HL304"]
    assert run(capsys, "lint", EXAMPLE, "--set", "a[=b")[0] == 2
    assert run(capsys, "lint", EXAMPLE, "--kube-version", "banana")[0] == 2


def test_shell_completion(tmp_path: Path) -> None:
    import os
    import subprocess
    import sys

    def complete(words: str) -> list[str]:
        env = dict(os.environ, HOOKLINT_NO_SERVER="1", _HOOKLINT_COMPLETE="complete_bash", COMP_WORDS=words,
                   COMP_CWORD=str(len(words.split()) - 1))
        proc = subprocess.run([sys.executable, "-m", "hooklint"], env=env, capture_output=True, text=True,
                              check=False)
        assert proc.returncode == 0, proc.stderr
        return proc.stdout.split()

    assert complete("hooklint ren") == ["render"]
    assert complete("hooklint lint --fail") == ["--fail-on"]
    script = subprocess.run([sys.executable, "-m", "hooklint", "--show-completion", "bash"], capture_output=True,
                            text=True, check=False, env=dict(os.environ, HOOKLINT_NO_SERVER="1"))
    assert script.returncode == 0 and "_HOOKLINT_COMPLETE" in script.stdout


def test_lint_rendered_output(capsys: pytest.CaptureFixture[str], tmp_path: Path,
                              monkeypatch: pytest.MonkeyPatch) -> None:
    """`lint --rendered FILE|-`: the same rules on helm template output, at lines of that output."""
    import io

    _, rendered, _ = run(capsys, "render", EXAMPLE)
    (tmp_path / "out.yaml").write_text(rendered)
    monkeypatch.chdir(tmp_path)
    _, from_chart, _ = run(capsys, "lint", EXAMPLE, "-o", "json", "--no-cache")
    code, out, _ = run(capsys, "lint", "--rendered", "out.yaml", "-o", "json")
    found = json.loads(out)["findings"]
    assert code == 0 and sorted(f["rule"] for f in found) == sorted(
        f["rule"] for f in json.loads(from_chart)["findings"])
    lines = rendered.splitlines()
    for f in found:
        assert f["location"]["file"] == "out.yaml"
        assert lines[f["location"]["line"] - 1].strip().startswith(("\"helm.sh/hook", "image:", "- name:", "name:"))
    monkeypatch.setattr("sys.stdin", io.StringIO(rendered))
    code, out, _ = run(capsys, "lint", "--rendered", "-", "-o", "json")
    assert code == 0 and {f["location"]["file"] for f in json.loads(out)["findings"]} == {"<stdin>"}
    assert run(capsys, "lint", EXAMPLE, "--rendered", "out.yaml")[0] == 2

"""The result caches as a user sees them: `hooklint render` and `hooklint lint` run again on
unchanged inputs print exactly what a fresh run prints, and any change to an input (a template,
a new file, a values file, a `--set-file` file, an argument) is a fresh run."""

from __future__ import annotations

import json
import marshal
import os
from collections.abc import Callable
from pathlib import Path

import pytest

from hooklint.cli import main
from hooklint.runtime import cache

CHART = """\
apiVersion: v2
name: cached
version: 0.1.0
"""
VALUES = "greeting: hello\n"
TEMPLATE = """\
apiVersion: v1
kind: ConfigMap
metadata:
  name: {{ .Release.Name }}-cm
data:
  greeting: {{ .Values.greeting | quote }}
"""
HOOK = """\
apiVersion: batch/v1
kind: Job
metadata:
  name: {{ .Release.Name }}-migrate
  annotations:
    "helm.sh/hook": pre-install
    "helm.sh/hook-weight": {{ .Values.weight | default "0" }}
spec:
  template:
    spec:
      restartPolicy: Never
      containers:
        - name: migrate
          image: busybox:1.36
"""


@pytest.fixture()
def cache_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    d = tmp_path / "cache"
    monkeypatch.setenv("HOOKLINT_CACHE_DIR", str(d))
    monkeypatch.delenv("HOOKLINT_NO_CACHE", raising=False)
    return d


@pytest.fixture()
def chart(tmp_path: Path) -> Path:
    c = tmp_path / "cached"
    (c / "templates").mkdir(parents=True)
    (c / "Chart.yaml").write_text(CHART)
    (c / "values.yaml").write_text(VALUES)
    (c / "templates" / "cm.yaml").write_text(TEMPLATE)
    return c


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    try:
        main(list(args))
        code = 0
    except SystemExit as e:
        code = int(e.code or 0)
    out, err = capsys.readouterr()
    return code, out, err


def entries(cache_dir: Path, bucket: str) -> list[Path]:
    return sorted(p for p in (cache_dir / bucket).rglob("*") if p.is_file() and not p.name.startswith("."))


def rewrite_replay(entry: Path, change: Callable[[str], str]) -> None:
    """Change the output stored in a replay entry, sealed again as the cache seals it (never
    done outside tests)."""
    payload = cache.unseal(entry.name, entry.read_bytes())
    assert payload is not None
    fmt, code, out, err, message, deps, written = marshal.loads(payload)
    record = (fmt, code, change(out), err, message, deps, written)
    entry.write_bytes(cache.seal(entry.name, marshal.dumps(record)))


def test_render_replays_identical_output(capsys, cache_dir, chart):
    first = run(capsys, "render", str(chart))
    assert first[0] == 0 and "greeting: \"hello\"" in first[1]
    assert len(entries(cache_dir, "replay")) == 1
    assert run(capsys, "render", str(chart)) == first
    assert len(entries(cache_dir, "replay")) == 1


def test_render_reads_the_stored_entry(capsys, cache_dir, chart):
    """A hit prints the stored bytes (shown by altering the entry; never done outside tests)."""
    run(capsys, "render", str(chart))
    (entry,) = entries(cache_dir, "replay")
    rewrite_replay(entry, lambda out: out.replace("hello", "from-cache"))
    assert "from-cache" in run(capsys, "render", str(chart))[1]


@pytest.mark.parametrize("change", ["template", "new-file", "helmignore", "values", "argument"])
def test_render_any_input_change_is_a_fresh_run(capsys, cache_dir, chart, change):
    run(capsys, "render", str(chart))
    args = ["render", str(chart)]
    if change == "template":
        (chart / "templates" / "cm.yaml").write_text(TEMPLATE.replace("-cm", "-config"))
        expect = "name: release-name-config"
    elif change == "new-file":
        (chart / "templates" / "extra.yaml").write_text("apiVersion: v1\nkind: Secret\nmetadata:\n  name: extra\n")
        expect = "name: extra"
    elif change == "helmignore":
        (chart / ".helmignore").write_text("cm.yaml\n")
        expect = ""
    elif change == "values":
        (chart / "values.yaml").write_text("greeting: bonjour\n")
        expect = "bonjour"
    else:
        args += ["--set", "greeting=hola"]
        expect = "hola"
    code, out, _ = run(capsys, *args)
    assert code == 0
    if expect:
        assert expect in out
    else:
        assert "ConfigMap" not in out
    # and the fresh result is what a run without any cache prints
    os.environ["HOOKLINT_NO_CACHE"] = "1"
    try:
        assert run(capsys, *args) == (code, out, "")
    finally:
        del os.environ["HOOKLINT_NO_CACHE"]


def test_render_values_and_set_file_contents_are_inputs(capsys, cache_dir, chart, tmp_path):
    values = tmp_path / "override.yaml"
    values.write_text("greeting: one\n")
    text = tmp_path / "greeting.txt"
    text.write_text("two")
    assert "one" in run(capsys, "render", str(chart), "-f", str(values))[1]
    values.write_text("greeting: three\n")
    assert "three" in run(capsys, "render", str(chart), "-f", str(values))[1]
    assert "two" in run(capsys, "render", str(chart), "--set-file", f"greeting={text}")[1]
    text.write_text("four")
    assert "four" in run(capsys, "render", str(chart), "--set-file", f"greeting={text}")[1]


def test_render_with_volatile_functions_is_never_stored(capsys, cache_dir, chart):
    (chart / "templates" / "secret.yaml").write_text(
        "apiVersion: v1\nkind: Secret\nmetadata:\n  name: s\nstringData:\n  password: {{ randAlphaNum 24 }}\n"
    )
    first = run(capsys, "render", str(chart))
    second = run(capsys, "render", str(chart))
    assert first[0] == second[0] == 0
    assert first[1] != second[1]  # a new password each time, as with Helm
    assert entries(cache_dir, "replay") == []


def test_render_errors_replay_with_their_exit_code(capsys, cache_dir, chart):
    (chart / "templates" / "cm.yaml").write_text("{{ required \"greeting is required\" .Values.missing }}\n")
    first = run(capsys, "render", str(chart))
    assert first[0] == 1 and "greeting is required" in first[2]
    assert run(capsys, "render", str(chart)) == first
    assert len(entries(cache_dir, "replay")) == 1


def test_damaged_entries_and_unusable_cache_dirs_are_ignored(capsys, cache_dir, chart, monkeypatch, tmp_path):
    fresh = run(capsys, "render", str(chart))
    for entry in entries(cache_dir, "replay"):
        entry.write_bytes(b"\x00garbage")
    assert run(capsys, "render", str(chart)) == fresh
    blocker = tmp_path / "not-a-dir"
    blocker.write_text("")
    monkeypatch.setenv("HOOKLINT_CACHE_DIR", str(blocker))
    assert run(capsys, "render", str(chart)) == fresh


def test_no_cache_stores_nothing(capsys, cache_dir, chart, monkeypatch):
    monkeypatch.setenv("HOOKLINT_NO_CACHE", "1")
    run(capsys, "render", str(chart))
    run(capsys, "lint", str(chart))
    assert not cache_dir.exists()


def test_lint_reuses_results_of_an_unchanged_chart(capsys, cache_dir, chart):
    (chart / "templates" / "job.yaml").write_text(HOOK)
    (chart / "values.yaml").write_text(VALUES + "weight: 5\n")
    first = run(capsys, "lint", "--output", "json", str(chart))
    rules = {f["rule"] for f in json.loads(first[1])["findings"]}
    assert first[0] == 1 and "HL101" in rules  # the unquoted weight
    assert len(entries(cache_dir, "lint")) == 1
    assert run(capsys, "lint", "--output", "json", str(chart)) == first
    # the fix is seen at once
    (chart / "templates" / "job.yaml").write_text(HOOK.replace("{{ .Values.weight | default \"0\" }}", '"5"'))
    fixed = run(capsys, "lint", "--output", "json", str(chart))
    assert "HL101" not in {f["rule"] for f in json.loads(fixed[1])["findings"]}
    assert len(entries(cache_dir, "lint")) == 2


def test_lint_config_is_an_input(capsys, cache_dir, chart):
    (chart / "templates" / "job.yaml").write_text(HOOK)
    (chart / "values.yaml").write_text(VALUES + "weight: 5\n")
    assert run(capsys, "lint", "--output", "json", str(chart))[0] == 1
    (chart / ".hooklint.yaml").write_text("ignore: [HL101]\n")
    code, out, _ = run(capsys, "lint", "--output", "json", str(chart))
    assert "HL101" not in {f["rule"] for f in json.loads(out)["findings"]}


def _hook_chart(chart: Path) -> None:
    (chart / "templates" / "job.yaml").write_text(HOOK)
    (chart / "values.yaml").write_text(VALUES + "weight: 5\n")


def test_lint_replays_output_files_too(capsys, cache_dir, chart, tmp_path):
    _hook_chart(chart)
    sarif = tmp_path / "out.sarif"
    first = run(capsys, "lint", "-o", "sarif", "--output-file", str(sarif), "-o", "text", str(chart))
    assert first[0] == 1 and "HL101" in first[1]
    written = sarif.read_text()
    sarif.unlink()
    assert run(capsys, "lint", "-o", "sarif", "--output-file", str(sarif), "-o", "text", str(chart)) == first
    assert sarif.read_text() == written
    assert len(entries(cache_dir, "replay")) == 1


def test_lint_of_a_file_in_a_chart_sees_changes_anywhere_in_the_chart(capsys, cache_dir, chart):
    """pre-commit passes changed files; the key covers the whole chart they belong to."""
    _hook_chart(chart)
    cm = str(chart / "templates" / "cm.yaml")
    assert run(capsys, "lint", "--output", "json", cm)[0] == 1
    (chart / "values.yaml").write_text(VALUES + 'weight: "5"\n')
    (chart / "templates" / "job.yaml").write_text(HOOK.replace('{{ .Values.weight | default "0" }}', '"5"'))
    assert run(capsys, "lint", "--output", "json", cm)[0] == 0


def test_lint_config_created_above_the_chart_is_seen(capsys, cache_dir, chart):
    _hook_chart(chart)
    (chart.parent / ".git").mkdir()  # the repository root ends the config search
    assert run(capsys, "lint", "--output", "json", str(chart))[0] == 1
    (chart.parent / ".hooklint.yaml").write_text("ignore: [HL101]\n")
    code, out, _ = run(capsys, "lint", "--output", "json", str(chart))
    assert "HL101" not in {f["rule"] for f in json.loads(out)["findings"]}


def test_lint_values_named_by_config_outside_the_chart_are_inputs(capsys, cache_dir, chart, tmp_path):
    (chart / "templates" / "job.yaml").write_text(HOOK)
    shared = tmp_path / "shared-values.yaml"
    shared.write_text("weight: 5\n")
    (chart / ".hooklint.yaml").write_text(f"values: [{shared}]\n")
    assert "unquoted integer (5)" in run(capsys, "lint", "--output", "json", str(chart))[1]
    shared.write_text("weight: 7\n")
    assert "unquoted integer (7)" in run(capsys, "lint", "--output", "json", str(chart))[1]


def test_a_cli_process_writes_its_cache_after_exiting(cache_dir, chart, monkeypatch):
    """The hooklint process writes cache entries from a child once its output is out: the
    caller gets the output and the exit status without waiting, and the entries appear."""
    import subprocess
    import sys
    import time

    monkeypatch.delenv("HOOKLINT_CACHE_SYNC", raising=False)
    cmd = [sys.executable, "-m", "hooklint", "render", str(chart)]
    first = subprocess.run(cmd, capture_output=True, text=True, env=os.environ, timeout=60)
    assert first.returncode == 0 and "hello" in first.stdout
    deadline = time.monotonic() + 30
    while not entries(cache_dir, "replay") and time.monotonic() < deadline:
        time.sleep(0.05)
    assert len(entries(cache_dir, "replay")) == 1
    second = subprocess.run(cmd, capture_output=True, text=True, env=os.environ, timeout=60)
    assert (second.returncode, second.stdout, second.stderr) == (0, first.stdout, first.stderr)
    # the parsed templates written after the first run's execution load back (a regression:
    # trees pickled after executing carried memoized state that made every entry a miss)
    from hooklint.gotemplate import parse_cache, template

    template._SHARED_PARSES.clear()  # as in a new process: parses come from the disk cache
    loads: list[bool] = []
    real_load = parse_cache.load
    monkeypatch.setattr(parse_cache, "load", lambda *a: loads.append(real_load(*a) is not None) or real_load(*a))
    monkeypatch.setenv("HOOKLINT_CACHE_SYNC", "1")
    assert "other-cm" in main_output(["render", str(chart), "--name", "other"])
    assert loads and all(loads)


def main_output(args: list[str]) -> str:
    import contextlib
    import io

    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        try:
            main(args)
        except SystemExit as e:
            assert not e.code
    return out.getvalue()


@pytest.mark.parametrize("command", ["render", "lint", "plan"])
def test_no_cache_flag_writes_nothing(capsys, cache_dir, chart, command, monkeypatch):
    run(capsys, command, str(chart), "--no-cache")
    monkeypatch.delenv("HOOKLINT_NO_CACHE", raising=False)  # the flag sets it for the process
    assert not cache_dir.exists()


def test_no_cache_flag_reads_nothing(capsys, cache_dir, chart, monkeypatch):
    run(capsys, "render", str(chart))
    (entry,) = entries(cache_dir, "replay")
    rewrite_replay(entry, lambda out: out.replace("hello", "from-cache"))
    assert "from-cache" not in run(capsys, "render", str(chart), "--no-cache")[1]
    monkeypatch.delenv("HOOKLINT_NO_CACHE", raising=False)


SCHEMA = '{"type": "object", "properties": {"greeting": {"type": "string", "maxLength": 5}}}'


def test_schema_validation_outcomes_are_cached(capsys, cache_dir, chart):
    (chart / "values.schema.json").write_text(SCHEMA)
    (chart / "values.yaml").write_text("greeting: much-too-long\n")
    first = run(capsys, "render", str(chart))
    assert first[0] == 1 and "greeting" in first[2]
    (entry,) = entries(cache_dir, "schema")
    assert run(capsys, "render", str(chart), "--name", "other")[2] == first[2]
    # the stored outcome is what a later run reports (shown by altering it; never done outside tests)
    entry.write_bytes(cache.seal(entry.name, json.dumps(["- greeting: from the cache\n"]).encode()))
    assert "from the cache" in run(capsys, "render", str(chart), "--name", "third")[2]
    # other values are another key: validated afresh
    (chart / "values.yaml").write_text("greeting: hi\n")
    assert run(capsys, "render", str(chart))[0] == 0


def test_lint_of_a_directory_of_charts_ignores_what_it_never_reads(capsys, cache_dir, chart, tmp_path, monkeypatch):
    """`hooklint lint .` at a repository root: .git and node_modules outside charts, and a cache
    directory kept in the tree, change nothing; a change in any chart does."""
    _hook_chart(chart)
    repo = chart.parent
    monkeypatch.chdir(repo)
    monkeypatch.setenv("HOOKLINT_CACHE_DIR", str(repo / ".hooklint-cache"))
    (repo / ".git").mkdir()
    (repo / "node_modules").mkdir()
    first = run(capsys, "lint", "--output", "json", ".")
    assert first[0] == 1
    (repo / ".git" / "index").write_text("changed")
    (repo / "node_modules" / "x.js").write_text("changed")
    assert run(capsys, "lint", "--output", "json", ".") == first
    assert len(entries(repo / ".hooklint-cache", "replay")) == 1
    (chart / "templates" / "job.yaml").write_text(HOOK.replace('{{ .Values.weight | default "0" }}', '"5"'))
    assert run(capsys, "lint", "--output", "json", ".")[0] == 0


def test_plan_replays_and_sees_changes(capsys, cache_dir, chart, tmp_path):
    (chart / "templates" / "job.yaml").write_text(HOOK.replace('{{ .Values.weight | default "0" }}', '"5"'))
    out = tmp_path / "plan.json"
    first = run(capsys, "plan", str(chart), "--output", "json", "--out", str(out))
    assert first[0] == 0 and "release-name-migrate" in out.read_text()
    written = out.read_text()
    out.unlink()
    assert run(capsys, "plan", str(chart), "--output", "json", "--out", str(out)) == first
    assert out.read_text() == written  # the --out file is written again on replay
    (chart / "templates" / "job.yaml").write_text(HOOK.replace("-migrate", "-setup").replace(
        '{{ .Values.weight | default "0" }}', '"5"'))
    run(capsys, "plan", str(chart), "--output", "json", "--out", str(out))
    assert "release-name-setup" in out.read_text()


def test_plan_from_stdin_is_never_replayed(capsys, cache_dir, chart, monkeypatch):
    import io

    rendered = run(capsys, "render", str(chart))[1]
    for _ in range(2):
        monkeypatch.setattr("sys.stdin", io.StringIO(rendered))
        assert run(capsys, "plan", "--rendered", "-")[0] == 0
    assert len(entries(cache_dir, "replay")) == 1  # the render's only


def test_options_that_read_alike_end_to_end_are_different_keys(capsys, cache_dir, chart, tmp_path, monkeypatch):
    """`-o text -o -o` (an unknown format) and `-o text --output-file -o` (text into a file named
    -o): the second must not replay the first's usage error."""
    monkeypatch.chdir(tmp_path)
    assert run(capsys, "lint", "-o", "text", "-o", "-o", str(chart))[0] == 2
    assert run(capsys, "lint", "-o", "text", "--output-file", "-o", str(chart))[0] == 0
    assert (tmp_path / "-o").is_file()


def test_the_code_fingerprint_covers_the_rule_documents() -> None:
    """Edited rule documents change lint's output: a source checkout keeps them in rules/, next
    to the package, an installed wheel inside it."""
    from hooklint.lint.catalog import rules_dir
    from hooklint.runtime import cache

    _, files = cache.code_files()
    rule_documents = sorted(str(p) for p in rules_dir().glob("HL*.yaml"))
    assert rule_documents and set(rule_documents) <= set(files)


def test_a_lint_run_hashes_its_chart_once_and_runs_see_each_others_changes(capsys, cache_dir, chart, monkeypatch):
    # the replay key and the lint result key both cover the chart: one walk per run
    from hooklint.runtime import cache

    walks: list[str] = []
    real_walk = cache.KeyBuilder._walk
    monkeypatch.setattr(cache.KeyBuilder, "_walk", lambda self, top, prune: walks.append(top) or real_walk(self, top, prune))
    first = main_output(["lint", str(chart), "--output", "json"])
    assert len(walks) == 1
    # outside a run nothing is remembered: the next run walks again and sees an edit
    (chart / "templates" / "cm.yaml").write_text((chart / "templates" / "cm.yaml").read_text() + "# edited\n")
    assert main_output(["lint", str(chart), "--output", "json"]) == first
    assert len(walks) == 2
    tree_key = cache.KeyBuilder("t")
    tree_key.add_tree(chart)
    (chart / "Chart.yaml").write_text((chart / "Chart.yaml").read_text() + "\n")
    again = cache.KeyBuilder("t")
    again.add_tree(chart)
    assert tree_key.hexdigest() != again.hexdigest()


def test_inputs_past_the_size_limit_make_no_key(cache_dir, chart, monkeypatch, capsys):
    # a "chart" that is really a huge tree is not hashed on every run: nothing is cached for it
    from hooklint.runtime import cache

    size = sum(len(p.read_bytes()) for p in chart.rglob("*") if p.is_file())
    monkeypatch.setattr(cache, "MAX_INPUT_BYTES", size)
    within = cache.KeyBuilder("t")
    within.add_tree(chart)
    assert not within.too_big
    monkeypatch.setattr(cache, "MAX_INPUT_BYTES", size - 1)
    past = cache.KeyBuilder("t")
    past.add_tree(chart)
    assert past.too_big
    run(capsys, "render", str(chart))
    assert not entries(cache_dir, "replay")

"""`hooklint apply` end to end with the simulate backend: exit codes, the journal, multi-release
sequences through --state, saved plans and their fingerprint, lint errors, Ctrl-C."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from cli_run import CliRun, run_cli

from hooklint.backends.executor import Executor, ObjectIndex, go_duration_seconds
from hooklint.backends.journal import Journal
from hooklint.backends.release import ReleaseStore
from hooklint.backends.runner import ApplyRequest, chart_fingerprint, prepare
from hooklint.backends.simulate import SimulateBackend
from hooklint.model import ObjectRef
from hooklint.plan.inputs import PlanRequest

REPO = Path(__file__).resolve().parents[2]
LIFECYCLE = REPO / "fixtures" / "backends" / "lifecycle"
TRACES = REPO / "fixtures" / "charts" / "traces"


def apply(*args: str) -> CliRun:
    """`hooklint apply ...` through cli.main: HooklintErrors become their exit code and message."""
    return run_cli(["apply", *args])


def history(state: Path) -> list[tuple[int, str]]:
    sim = SimulateBackend(state=str(state))
    return [(r.version, r.status) for r in ReleaseStore(sim, "r", "default").history()]


def live(state: Path) -> list[str]:
    sim = SimulateBackend(state=str(state))
    return sorted(
        f"{o['kind']}/{o['metadata']['name']}" for o in sim.objects.values() if o["kind"] != "Secret"
    )


def test_lifecycle_accumulates_leftovers_across_releases(tmp_path: Path) -> None:
    state = tmp_path / "s.json"
    common = ["--name", "r", "--force", "--state", str(state)]
    assert apply(str(LIFECYCLE), "--event", "install", *common).exit_code == 0
    assert history(state) == [(1, "deployed")]
    assert live(state) == [
        "ConfigMap/app-config",
        "ConfigMap/leftover-notes",
    ]  # migrate deleted (hook-succeeded)
    up = apply(str(LIFECYCLE), "--event", "upgrade", *common)
    assert up.exit_code == 1  # the post-upgrade hook collides with its own post-install leftover
    assert 'configmaps "leftover-notes" already exists' in up.output
    assert history(state) == [(1, "deployed"), (2, "failed")]
    test = apply("--event", "test", *common)
    assert test.exit_code == 0
    assert "Pod/smoke-test" in live(state)  # default before-hook-creation only: the test pod stays
    rb = apply("--event", "rollback", "--revision", "1", *common)
    assert rb.exit_code == 0, rb.output
    assert history(state) == [(1, "superseded"), (2, "failed"), (3, "deployed")]
    un = apply("--event", "uninstall", *common)
    assert un.exit_code == 0, un.output
    assert history(state) == []
    assert live(state) == ["ConfigMap/cleanup", "ConfigMap/leftover-notes", "Pod/smoke-test"]  # hooks remain


def test_v4_server_side_apply_updates_the_leftover(tmp_path: Path) -> None:
    state = tmp_path / "s.json"
    common = ["--name", "r", "--force", "--state", str(state), "--helm-version", "4"]
    assert apply(str(LIFECYCLE), "--event", "install", *common).exit_code == 0
    assert apply(str(LIFECYCLE), "--event", "upgrade", *common).exit_code == 0
    assert history(state) == [(1, "superseded"), (2, "deployed")]


def test_failed_hook_exit_code_message_and_journal(tmp_path: Path) -> None:
    journal = tmp_path / "j.jsonl"
    result = apply(
        str(TRACES / "sA"),
        "--event",
        "install",
        "--name",
        "r",
        "--force",
        "--simulate",
        "h2-fail=fail",
        "--journal",
        str(journal),
    )
    assert result.exit_code == 1
    assert (
        "Error: INSTALLATION FAILED: failed pre-install: 1 error occurred:\n\t* job h2-fail failed: BackoffLimitExceeded"
        in result.output
    )
    entries = [json.loads(line) for line in journal.read_text().splitlines()]
    assert all(set(e) >= {"time", "step", "op", "object", "outcome"} for e in entries)
    assert entries[-1]["op"] == "result" and entries[-1]["outcome"] == "failed"


def test_json_format_prints_the_journal(tmp_path: Path) -> None:
    result = apply(
        str(TRACES / "s1"), "--event", "install", "--name", "r", "--force", "--output", "json"
    )
    assert result.exit_code == 0
    ops = [json.loads(line)["op"] for line in result.stdout.splitlines()]
    assert ops[-1] == "result" and "create" in ops


def test_timeout_of_a_hanging_hook_is_simulated(tmp_path: Path) -> None:
    result = apply(
        str(TRACES / "sT"),
        "--event",
        "install",
        "--name",
        "r",
        "--force",
        "--timeout",
        "300s",
        "--simulate",
        "hang-job=hang",
    )
    assert result.exit_code == 1
    assert "timed out waiting for the condition" in result.output


def test_v4_timeout_message(tmp_path: Path) -> None:
    result = apply(
        str(TRACES / "sT"),
        "--event",
        "install",
        "--name",
        "r",
        "--force",
        "--helm-version",
        "4",
        "--timeout",
        "3s",
        "--simulate",
        "hang-job=hang",
    )
    assert result.exit_code == 1
    assert "status: InProgress, message: Job in progress\ncontext deadline exceeded" in result.output


def test_usage_errors_exit_2() -> None:
    assert apply("--event", "explode").exit_code == 2
    assert apply(str(LIFECYCLE), "--event", "install", "--timeout", "soon").exit_code == 2
    assert apply(str(LIFECYCLE), "--event", "install", "--simulate", "x").exit_code == 2
    assert apply(str(LIFECYCLE), "--event", "install", "--backend", "nope").exit_code == 2
    assert apply("--event", "rollback", "--name", "missing").exit_code == 2


def test_lint_errors_refuse_without_force() -> None:
    result = apply(str(TRACES / "sH"), "--event", "install", "--name", "r")
    assert result.exit_code == 1
    assert "refusing to apply: lint found" in result.output


def test_saved_plan_is_executed_and_refused_when_the_chart_changed(tmp_path: Path) -> None:
    chart = tmp_path / "chart"
    chart.mkdir()
    for p in LIFECYCLE.rglob("*"):
        if p.is_file():
            target = chart / p.relative_to(LIFECYCLE)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(p.read_bytes())
    plan_file = tmp_path / "plan.json"
    made = run_cli(
        [
            "plan",
            str(chart),
            "--event",
            "install",
            "--name",
            "r",
            "--output",
            "json",
            "--out",
            str(plan_file),
        ],
    )
    assert made.exit_code == 0, made.output
    ok = apply(str(chart), "--plan", str(plan_file), "--force", "--state", str(tmp_path / "s.json"))
    assert ok.exit_code == 0, ok.output
    (chart / "templates" / "extra.yaml").write_text(
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: extra\n"
    )
    refused = apply(str(chart), "--plan", str(plan_file), "--force", "--state", str(tmp_path / "s2.json"))
    assert refused.exit_code == 2
    assert "no longer" in refused.output


def test_fingerprint_in_plan_is_checked(tmp_path: Path) -> None:
    request = PlanRequest(chart=str(LIFECYCLE), events=["install"], release_name="r")
    fp = chart_fingerprint(str(LIFECYCLE), request)
    assert fp.startswith("sha256:") and fp == chart_fingerprint(str(LIFECYCLE), request)
    request.set_values = ("migrate=false",)
    assert chart_fingerprint(str(LIFECYCLE), request) != fp


def test_go_durations() -> None:
    assert go_duration_seconds("5m0s") == 300
    assert go_duration_seconds("1h2m3.5s") == 3723.5
    assert go_duration_seconds("0") is None
    with pytest.raises(ValueError):
        go_duration_seconds("five")


class InterruptingBackend(SimulateBackend):
    def watch(self, ref: ObjectRef, timeout: float | None):  # type: ignore[no-untyped-def]
        raise KeyboardInterrupt


def test_ctrl_c_leaves_a_journal_and_a_failed_release(tmp_path: Path) -> None:
    backend = InterruptingBackend(state=str(tmp_path / "s.json"))
    request = ApplyRequest(
        plan_request=PlanRequest(chart=str(TRACES / "s1"), events=["install"], release_name="r"),
        event="install",
    )
    prepared = prepare(request, backend)
    journal = Journal()
    result = Executor(
        prepared.plan, backend, journal, objects=prepared.objects, rendering=prepared.rendering
    ).run()
    assert result.interrupted and result.status == "failed"
    assert journal.entries[-2].op == "interrupt"
    stored = ReleaseStore(backend, "r", "default").last()
    assert stored is not None and stored.status == "failed" and "context canceled" in stored.description
    assert isinstance(prepared.objects, ObjectIndex)


LEN_OF_X = """apiVersion: v1
kind: ConfigMap
metadata:
  name: sized
data:
  size: {{ len .Values.x | quote }}
"""


@pytest.mark.parametrize("given", [
    ["--set", "x=abc"],
    ["--set-string", "x=abc"],
    ["--set-json", 'x=["a","b","c"]'],
    ["--set-literal", "x=abc"],
    ["--set-file", "x={folder}/x.txt"],
    ["-f", "{folder}/values.yaml"],
])
def test_the_lint_check_sees_the_values_the_apply_renders_with(tmp_path: Path, given: list[str]) -> None:
    chart = tmp_path / "chart"
    (chart / "templates").mkdir(parents=True)
    (chart / "Chart.yaml").write_text("apiVersion: v2\nname: sized\nversion: 0.1.0\n")
    (chart / "templates" / "cm.yaml").write_text(LEN_OF_X)
    (tmp_path / "x.txt").write_text("abc")
    (tmp_path / "values.yaml").write_text("x: abc\n")
    args = [str(chart), "--event", "install", "--name", "r", "--state", str(tmp_path / "s.json")]
    # Without x the chart does not render: lint's HL000 refuses it, as before.
    refused = apply(*args)
    assert refused.exit_code == 1 and "refusing to apply" in refused.output
    ok = apply(*args, *[a.format(folder=tmp_path) for a in given])
    assert ok.exit_code == 0, ok.output
    assert live(tmp_path / "s.json") == ["ConfigMap/sized"]

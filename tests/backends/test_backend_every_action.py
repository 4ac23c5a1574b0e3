"""Every action a plan can hold is executed (no action is unknown to the executor), and the
journal keeps its documented schema."""

from __future__ import annotations

import io
import json
from datetime import datetime
from pathlib import Path

from hooklint.backends.executor import Executor, ObjectIndex
from hooklint.backends.journal import Journal
from hooklint.backends.runner import ApplyRequest, execute, prepare
from hooklint.backends.simulate import SimulateBackend
from hooklint.model import ObjectRef
from hooklint.plan.inputs import PlanRequest
from hooklint.plan.model import ACTIONS, Plan, Step

CHART = {
    "Chart.yaml": "apiVersion: v2\nname: every\nversion: 0.1.0\n",
    "crds/widget.yaml": (
        "apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\n"
        "metadata:\n  name: widgets.example.com\n"
        "spec:\n  group: example.com\n  names: {kind: Widget, plural: widgets}\n  scope: Namespaced\n"
        "  versions: [{name: v1, served: true, storage: true}]\n"
    ),
    "templates/hooks.yaml": (
        "apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: setup\n  annotations:\n"
        "    helm.sh/hook: pre-install,pre-delete\n    helm.sh/hook-delete-policy: hook-succeeded\n"
        "spec:\n  template:\n    spec:\n      restartPolicy: Never\n      containers: [{name: c, image: busybox}]\n"
        "---\n"
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: smoke\n  annotations:\n    helm.sh/hook: test\n"
        "spec:\n  restartPolicy: Never\n  containers: [{name: c, image: busybox}]\n"
    ),
    "templates/app.yaml": (
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: app\n"
        "---\n"
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: precious\n"
        "  annotations:\n    helm.sh/resource-policy: keep\n"
    ),
}


def write_chart(root: Path) -> Path:
    for name, text in CHART.items():
        path = root / "every" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root / "every"


def run_event(chart: Path, state: Path, event: str, **options: object) -> tuple[Plan, Journal, object]:
    backend = SimulateBackend(state=str(state))
    request = PlanRequest(chart=str(chart), events=[event], release_name="r", **options)  # type: ignore[arg-type]
    prepared = prepare(ApplyRequest(plan_request=request, event=event), backend)
    journal = Journal()
    result = execute(prepared, backend, journal)
    backend.close()
    return prepared.plan, journal, result


def executed_actions(plan: Plan, journal: Journal) -> set[str]:
    actions = set()
    for entry in journal.entries:
        if entry.step is None or ".f" in entry.step:
            continue
        actions.add(plan.steps[int(entry.step)].action)
    return actions


def test_every_plan_action_is_executed(tmp_path: Path) -> None:
    chart = write_chart(tmp_path)
    state = tmp_path / "s.json"
    seen: set[str] = set()
    for event, options in (
        ("install", {"wait": True}),
        ("test", {"test_logs": True}),
        ("uninstall", {}),
    ):
        plan, journal, result = run_event(chart, state, event, **options)
        assert result.ok, (event, result.error)  # type: ignore[attr-defined]
        seen |= executed_actions(plan, journal)
    assert seen == set(ACTIONS)


def test_an_unknown_action_fails_the_step_cleanly(tmp_path: Path) -> None:
    backend = SimulateBackend()
    plan = Plan(
        event="test",
        helm_version="3",
        chart={"name": "x", "version": "1"},
        release={"name": "r", "namespace": "default", "revision": 1},
        steps=[Step(action="teleport", object=ObjectRef("v1", "Pod", "p", "default"), phase="test")],
    )
    from hooklint.backends.release import ReleaseRecord, ReleaseStore

    ReleaseStore(backend, "r", "default").create(ReleaseRecord("r", "default", 1, "deployed"))
    result = Executor(plan, backend, Journal(), objects=ObjectIndex()).run()
    assert not result.ok
    assert result.error == "hooklint cannot execute the plan action 'teleport'"


JOURNAL_KEYS = ["time", "step", "phase", "op", "object", "outcome"]
OPS = {
    "check", "get", "create", "apply", "delete", "wait-deleted", "watch", "wait", "keep", "logs",
    "store-create", "store-update", "store-delete", "interrupt", "result",
}  # fmt: skip


def test_journal_lines_follow_the_documented_schema(tmp_path: Path) -> None:
    from cli_run import run_cli

    chart = write_chart(tmp_path)
    journal_file = tmp_path / "j.jsonl"
    result = run_cli(
        ["apply", str(chart), "--event", "install", "--name", "r", "--wait", "--force",
         "--journal", str(journal_file), "--output", "json"],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    lines = journal_file.read_text(encoding="utf-8").splitlines()
    assert result.stdout.splitlines() == lines  # --format json prints the same journal
    for line in lines:
        entry = json.loads(line)
        keys = list(entry)
        assert keys[:6] == JOURNAL_KEYS and set(keys[6:]) <= {"detail"}
        datetime.fromisoformat(entry["time"].replace("Z", "+00:00"))
        assert entry["step"] is None or isinstance(entry["step"], str)
        assert entry["op"] in OPS
        if entry["object"] is not None:
            assert list(entry["object"]) == ["apiVersion", "kind", "name", "namespace"]
        assert isinstance(entry["outcome"], str)
    last = json.loads(lines[-1])
    assert (last["op"], last["outcome"], last["detail"]) == ("result", "deployed", "install succeeded")


def test_simulated_journal_is_identical_between_runs(tmp_path: Path) -> None:
    chart = write_chart(tmp_path)

    def journal_text(state: Path) -> str:
        out = io.StringIO()
        _, journal, _ = run_event(chart, state, "install", wait=True)
        for entry in journal.entries:
            out.write(json.dumps(entry.to_dict()) + "\n")
        return out.getvalue()

    assert journal_text(tmp_path / "a.json") == journal_text(tmp_path / "b.json")

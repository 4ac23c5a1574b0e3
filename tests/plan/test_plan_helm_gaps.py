"""Planning gaps closed against Helm's source and recorded runs.

- `--wait`: Helm v3.17.1 `kube/wait.go:waitForResources` is ONE poll over all resources (per-kind
  rules from `kube/ready.go`); v4 `hookOnly` does not wait, `watcher` watches all at once.
- crds/: `install.go:installCRDs` waits 60s for the created objects (v4: through the waiter,
  a no-op under hookOnly) and never sees a disabled subchart's crds/.
- `helm test --logs`: recorded traces sL (v3.17.1: logs after the hook-succeeded deletion, the
  deleted Pod's logs fail, rc=1) and v4E (v4.2.3 SDK: logs before the deletion).
- `--cleanup-on-fail`, `--atomic`: `upgrade.go:failRelease` (created objects deleted; the
  rollback target is unknown without the previous rendering).
- Helm 4 upgrade of a Helm 3 release: `getUpgradeServerSideValue("auto", "")` is client-side,
  so a leftover hook is POSTed and fails with AlreadyExists (HELM-SEMANTICS [E4]).
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

from plan_sim import TRACE_CHARTS, ToyCluster, plan_for, render_classified, run  # noqa: E402

from hooklint.plan import Plan, Step  # noqa: E402

REPO = Path(__file__).resolve().parents[2]


def _main_ops(plan: Plan) -> list[tuple[str, str, str]]:
    ops = []
    for s in plan.steps:
        name = s.object.name if s.object else ""
        kind = s.object.kind if s.object else ""
        ops.append((s.action, kind, name))
    return ops


def _waits(plan: Plan) -> list[Step]:
    return [s for s in plan.steps if s.action == "wait"]


# --- the --wait barrier ------------------------------------------------------------------------


def test_wait_is_one_barrier_over_every_resource_in_manifest_order() -> None:
    classified = render_classified("s1")
    plan = plan_for("install", classified, wait=True)
    waits = _waits(plan)
    assert len(waits) == 1
    barrier = waits[0]
    assert barrier.object is None and barrier.phase == "wait" and barrier.timeout == "5m0s"
    applied = [(s.object.kind, s.object.name) for s in plan.steps if s.action == "apply" and s.object]
    assert [(t.object.kind, t.object.name) for t in barrier.waits_for or []] == applied
    # after the last create, before the post-install hooks
    i = plan.steps.index(barrier)
    assert plan.steps[i - 1].action == "apply"
    assert plan.steps[i + 1].hook_event == "post-install"
    rules = {t.object.kind: t.ready_when for t in barrier.waits_for or []}
    assert rules["ServiceAccount"].startswith("not checked")
    assert rules["ConfigMap"].startswith("not checked")


def test_wait_rules_follow_ready_go_types() -> None:
    from hooklint.model import ObjectRef
    from hooklint.plan.readiness import resource_ready_when

    def rule(api: str, kind: str, jobs: bool = False) -> str:
        return resource_ready_when(ObjectRef(api, kind, "x", "default"), kstatus=False, wait_for_jobs=jobs)

    assert "Ready=True" in rule("v1", "Pod")
    assert "never Ready" in rule("v1", "Pod")  # a completed Pod has Ready=False
    assert rule("apps/v1", "Deployment").startswith("paused: ready")
    assert rule("example.com/v1", "Deployment").startswith("not checked")  # a CR named Deployment
    assert rule("batch/v1", "Job") == "not checked without --wait-for-jobs"
    assert "backoffLimit" in rule("batch/v1", "Job", jobs=True)
    assert rule("v1", "PersistentVolumeClaim") == "phase Bound"
    assert "Established" in rule("apiextensions.k8s.io/v1", "CustomResourceDefinition")


@pytest.mark.parametrize(("strategy", "expected"), [(None, 0), ("watcher", 1), ("legacy", 1)])
def test_v4_wait_strategies(strategy: str | None, expected: int) -> None:
    classified = render_classified("s1", helm_version=4)
    plan = plan_for("install", classified, helm_version=4, wait_strategy=strategy)
    assert len(_waits(plan)) == expected
    if strategy == "watcher":
        assert "kstatus" in (_waits(plan)[0].ready_when or "")


def test_wait_failure_stops_before_post_hooks() -> None:
    plan = plan_for("install", render_classified("s1"), wait=True)
    barrier = _waits(plan)[0]
    assert barrier.failure is not None and barrier.failure.release_status == "failed"
    assert barrier.on_failure == []


# --- CRDs ----------------------------------------------------------------------------------------


def test_crd_established_wait_covers_every_created_object() -> None:
    plan = plan_for("install", render_classified("sK"))
    crd_steps = [s for s in plan.steps if s.phase == "crds"]
    created = [s for s in crd_steps if s.action == "install-crd"]
    assert created and crd_steps[-1].action == "wait"
    wait = crd_steps[-1]
    assert wait.timeout == "1m0s"  # installCRDs: Wait(totalItems, 60*time.Second)
    assert [t.object for t in wait.waits_for or []] == [s.object for s in created]
    assert wait.failure is not None and wait.failure.release_status is None  # nothing stored yet


def test_v4_crds_are_applied_and_not_waited_for_under_hook_only() -> None:
    plan = plan_for("install", render_classified("sK", helm_version=4), helm_version=4)
    crd_steps = [s for s in plan.steps if s.phase == "crds"]
    assert crd_steps and all(s.action == "install-crd" for s in crd_steps)
    assert {s.method for s in crd_steps} == {"server-side-apply"}
    watched = plan_for("install", render_classified("sK", helm_version=4), helm_version=4, wait=True)
    assert [s.action for s in watched.steps if s.phase == "crds"][-1] == "wait"


def _subchart_with_crds(tmp_path: Path, enabled: bool) -> Path:
    root = tmp_path / "parent"
    sub = root / "charts" / "sub"
    (sub / "crds").mkdir(parents=True)
    (sub / "templates").mkdir()
    (root / "templates").mkdir()
    (root / "Chart.yaml").write_text(
        "apiVersion: v2\nname: parent\nversion: 0.1.0\n"
        "dependencies:\n- name: sub\n  version: 0.1.0\n  condition: sub.enabled\n"
    )
    (root / "values.yaml").write_text(f"sub:\n  enabled: {str(enabled).lower()}\n")
    (root / "templates" / "cm.yaml").write_text("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: p\n")
    (sub / "Chart.yaml").write_text("apiVersion: v2\nname: sub\nversion: 0.1.0\n")
    (sub / "crds" / "w.yaml").write_text(
        "apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nmetadata:\n  name: ws.example.com\n"
    )
    return root


@pytest.mark.parametrize("enabled", [True, False])
def test_disabled_subchart_crds_are_not_planned(tmp_path: Path, enabled: bool) -> None:
    from hooklint.plan.inputs import PlanRequest, build_plans

    chart = _subchart_with_crds(tmp_path, enabled)
    (plan,) = build_plans(PlanRequest(chart=str(chart), events=["install"]))
    crds = [s.object.name for s in plan.steps if s.action == "install-crd" and s.object]
    assert crds == (["ws.example.com"] if enabled else [])


# --- helm test --logs ------------------------------------------------------------------------------


def test_v3_test_logs_come_after_the_deletions_and_fail_for_deleted_pods() -> None:
    """Trace sL (helm v3.17.1 `helm test r --logs`): LOGS t1-keep found, LOGS t2-cleanup 404, rc=1."""
    plan = plan_for("test", render_classified("sL"), test_logs=True)
    ops = [op for op in _main_ops(plan)]
    tail = ops[-3:]
    assert tail == [
        ("delete-hook", "Pod", "t2-cleanup"),
        ("logs", "Pod", "t1-keep"),
        ("logs", "Pod", "t2-cleanup"),
    ]
    logs = [s for s in plan.steps if s.action == "logs"]
    assert logs[0].fails is None
    assert logs[1].fails == 'unable to get pod logs for t2-cleanup: pods "t2-cleanup" not found'


def test_v4_test_logs_come_before_the_cleanup() -> None:
    """Trace v4E (SDK v4.2.3 `test --logs`): LOGS t1-keep, LOGS t2-cleanup, then DELETE t2-cleanup."""
    plan = plan_for("test", render_classified("sL", helm_version=4), helm_version=4, test_logs=True)
    tail = _main_ops(plan)[-3:]
    assert tail == [
        ("logs", "Pod", "t1-keep"),
        ("logs", "Pod", "t2-cleanup"),
        ("delete-hook", "Pod", "t2-cleanup"),
    ]
    assert all(s.fails is None for s in plan.steps if s.action == "logs")


def test_test_filters_use_helms_not_name_rule() -> None:
    classified = render_classified("sL")
    plan = plan_for("test", classified, test_filters=["! name=t1-keep"])
    assert {s.object.name for s in plan.steps if s.object} == {"t2-cleanup"}
    plan = plan_for("test", classified, test_filters=["!xname=t1-keep"])  # not a filter for Helm
    assert {s.object.name for s in plan.steps if s.object} == {"t1-keep", "t2-cleanup"}


# --- upgrade failures --------------------------------------------------------------------------------


def test_cleanup_on_fail_deletes_what_the_upgrade_created() -> None:
    installed = render_classified("sD")
    upgraded = render_classified("sD", {"v2": True}, revision=2, upgrade=True)
    plan = plan_for("upgrade", upgraded, installed, cleanup_on_fail=True)
    pre = next(s for s in plan.steps if s.hook_event == "pre-upgrade" and s.failure is not None)
    assert pre.on_failure == []  # pre-upgrade failures report an empty Result.Created
    post = next(s for s in plan.steps if s.hook_event == "post-upgrade" and s.action == "create-hook")
    cleanup = [(s.action, s.object.name) for s in post.on_failure or [] if s.object]
    assert cleanup == [("delete", "f-new")]  # the only object new in revision 2


def test_atomic_upgrade_without_previous_rendering_says_the_rollback_is_unknown() -> None:
    upgraded = render_classified("sD", {"v2": True}, revision=2, upgrade=True)
    plan = plan_for("upgrade", upgraded, None, atomic=True)
    failing = [s for s in plan.steps if s.failure is not None]
    assert failing
    for step in failing:
        assert step.failure is not None and step.failure.note is not None
        assert "rollback steps are not listed" in step.failure.note
    with_previous = plan_for("upgrade", upgraded, render_classified("sD"), atomic=True)
    first = next(s for s in with_previous.steps if s.failure is not None)
    assert first.failure is not None and first.failure.note is None and first.on_failure


def test_v4_upgrade_of_a_helm3_release_posts_hooks_and_hits_the_leftover() -> None:
    """[E4] a v4 upgrade of a v3-installed release POSTed the hook and failed with
    `configmaps "leftover" already exists`; an SSA release re-applies it instead (trace v4B)."""
    cluster = ToyCluster()
    _, ok = run(plan_for("install", render_classified("sB")), cluster)
    assert ok
    upgraded = render_classified("sB", revision=2, upgrade=True, helm_version=4)
    csa = plan_for("upgrade", upgraded, helm_version=4, release_apply_method="csa")
    assert [s.method for s in csa.steps if s.action == "create-hook"] == ["create"]
    ops, ok = run(csa, cluster)
    assert not ok and ops == [("create", "ConfigMap", "leftover")]
    ssa = plan_for("upgrade", upgraded, helm_version=4)
    assert [s.method for s in ssa.steps if s.action == "create-hook"] == ["server-side-apply"]


def test_replace_with_leftovers_uses_update_not_batched_create() -> None:
    classified = render_classified("sD")
    plan = plan_for("install", classified, classified, replace=True)
    applies = [s for s in plan.steps if s.action == "apply"]
    assert applies and all(s.batch is None for s in applies)
    assert {s.method for s in applies} == {"patch"}
    fresh = plan_for("install", classified, None, replace=True)
    assert all(s.batch is not None for s in fresh.steps if s.action == "apply")
    assert any("--replace" in n for n in fresh.notes)


# --- notes and the CLI ------------------------------------------------------------------------------


def test_output_log_policy_notes_per_version(tmp_path: Path) -> None:
    from hooklint.documents.hooks import classify
    from hooklint.documents.manifests import documents_from_rendered
    from hooklint.documents.source import RenderedFile

    text = (
        "apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: j\n  annotations:\n"
        "    helm.sh/hook: pre-install\n    helm.sh/hook-output-log-policy: hook-failed\n"
    )
    docs = documents_from_rendered({"c/templates/j.yaml": RenderedFile("c/templates/j.yaml", text)})
    v3 = plan_for("install", classify(docs))
    assert any("ignored by Helm 3.17" in n for n in v3.notes)
    v4 = plan_for("install", classify(docs, helm_version=4), helm_version=4)
    assert any("Job/j: Helm writes its container logs to stderr when it fails" in n for n in v4.notes)


def test_plan_out_stores_the_chart_fingerprint(tmp_path: Path) -> None:
    from hooklint.backends.runner import chart_fingerprint as runner_fingerprint
    from hooklint.plan.inputs import PlanRequest, chart_fingerprint

    def hooklint(*args: str) -> subprocess.CompletedProcess[str]:
        cmd = [sys.executable, "-m", "hooklint", *args]
        return subprocess.run(cmd, cwd=REPO, capture_output=True, text=True, check=False)

    chart = str(TRACE_CHARTS / "s1")
    out = tmp_path / "plan.json"
    result = hooklint("plan", chart, "--output", "json", "--out", str(out))
    assert result.returncode == 0, result.stderr
    saved = json.loads(out.read_text())
    request = PlanRequest(chart=chart, events=["install"])
    assert saved["chart"]["fingerprint"] == chart_fingerprint(chart, request)
    assert chart_fingerprint(chart, request) == runner_fingerprint(chart, request)
    printed = hooklint("plan", chart, "--output", "json")
    assert "fingerprint" not in json.loads(printed.stdout)["chart"]


def test_public_names_keep_their_old_aliases() -> None:
    from hooklint.plan import inputs

    assert inputs._ChartSource is inputs.ChartSource
    assert inputs._source_mapper is inputs.source_mapper

"""`hooklint plan --target argocd|flux[:VERSION]` on fixtures/charts/gitops: what each controller runs,
checked against its source code (each test names the file and function it follows: argo-cd v3.5
with gitops-engine vendored under gitops-engine/, fluxcd/helm-controller v1.6)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from hooklint.plan.inputs import PlanRequest
from hooklint.plan.targets import parse_target
from hooklint.plan.targets.argocd import delete_policies, hook_types, is_hook, sync_phases, wave
from hooklint.plan.targets.run import build_target_plans

REPO = Path(__file__).resolve().parents[2]
CHART = "fixtures/charts/gitops"


def hooklint(*args: str, cwd: Path = REPO) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "HOOKLINT_NO_SERVER": "1", "HOOKLINT_NO_CACHE": "1"}
    return subprocess.run([sys.executable, "-m", "hooklint", *args], cwd=cwd, capture_output=True, text=True,
                          check=False, env=env)


def plans(target: str, *events: str, **kw: Any) -> list[Any]:
    request = PlanRequest(chart=CHART, events=list(events), release_name="shop")
    return build_target_plans(request, target, **kw)


def steps(plan: Any) -> list[tuple[str, str, str, int | None]]:
    return [(s.stage, s.action, s.object.name if s.object else "-", s.wave) for s in plan.steps]


def test_argocd_annotation_mapping() -> None:
    """gitops-engine/pkg/sync/hook/hook.go IsHook/Types, hook/helm/type.go hookTypes,
    syncwaves/waves.go Wave (+ hook/helm/weight.go), hook/delete_policy.go DeletePolicies."""
    assert hook_types({"helm.sh/hook": "pre-install, post-upgrade,pre-install"}) == ["PreSync", "PostSync"]
    assert hook_types({"helm.sh/hook": "pre-install", "argocd.argoproj.io/hook": "Sync"}) == ["Sync"]
    # an Argo CD annotation naming no known type falls back to Helm's
    assert hook_types({"helm.sh/hook": "post-install", "argocd.argoproj.io/hook": "Later"}) == ["PostSync"]
    assert not is_hook({"helm.sh/hook": "crd-install"}) and is_hook({"helm.sh/hook": "test"})
    assert sync_phases({"helm.sh/hook": "test"}) == []  # a hook without a sync phase
    assert sync_phases({"argocd.argoproj.io/hook": "Skip"}) == []
    assert sync_phases({"argocd.argoproj.io/hook": "Skip,PreSync"}) == ["PreSync"]
    assert sync_phases({}) == ["Sync"]
    assert wave({"helm.sh/hook-weight": "3"}) == 3  # on an object that is no hook too
    assert wave({"helm.sh/hook-weight": "3", "argocd.argoproj.io/sync-wave": "-1"}) == -1
    assert wave({"argocd.argoproj.io/sync-wave": "x", "helm.sh/hook-weight": "+2"}) == 2  # strconv.Atoi
    assert wave({"helm.sh/hook-weight": " 2"}) == 0
    assert delete_policies({}) == ["BeforeHookCreation"]
    assert delete_policies({"helm.sh/hook-delete-policy": "hook-succeeded",
                            "argocd.argoproj.io/hook-delete-policy": "HookFailed"}) == ["HookFailed", "HookSucceeded"]


def test_argocd_sync_order_phases_and_waves() -> None:
    """sync_tasks.go Less (phase, wave, kind order, name) and adjustDeps (the Namespace moves in front
    of the ConfigMap in it, taking its wave); sync_context.go Sync (a wait after each wave of a
    multi-step sync, HookSucceeded deletions after the whole sync, SyncFail and HookFailed only on
    failure)."""
    (sync,) = plans("argocd", "upgrade")
    assert (sync.target, sync.version, sync.event) == ("argocd", "3.5.1", "sync")
    assert "latest" in sync.version_note
    assert steps(sync) == [
        ("PreSync", "delete-hook", "shop-init", -5),
        ("PreSync", "create-hook", "shop-init", -5),
        ("PreSync", "wait", "-", -5),
        ("PreSync", "delete-hook", "shop-migrate", 0),
        ("PreSync", "create-hook", "shop-migrate", 0),
        ("PreSync", "wait", "-", 0),
        ("Sync", "apply", "shop-jobs", 0),  # Namespace: sync-wave 5, moved in front of shop-jobs-config
        ("Sync", "apply", "shop-jobs-config", 0),
        ("Sync", "apply", "shop-legacy", 0),  # helm.sh/hook: crd-install is no hook
        ("Sync", "apply", "widgets.example.com", 0),  # crds/ through --include-crds
        ("Sync", "apply", "shop-web", 0),
        ("Sync", "wait", "-", 0),
        ("Sync", "delete-hook", "shop-both", 2),  # argocd.argoproj.io/hook: Sync wins over helm.sh/hook
        ("Sync", "create-hook", "shop-both", 2),
        ("Sync", "wait", "-", 2),
        ("Sync", "apply", "shop-settings", 3),  # wave from helm.sh/hook-weight on a non-hook
        ("Sync", "wait", "-", 3),
        ("PostSync", "create-hook", "shop-notify", 0),  # hook-failed only: no BeforeHookCreation
        ("PostSync", "wait", "-", 0),
        ("after sync", "delete-hook", "shop-migrate", 0),
        ("SyncFail", "delete-hook", "shop-on-failure", 0),
        ("SyncFail", "create-hook", "shop-on-failure", 0),
        ("on failure", "delete-hook", "shop-notify", 0),
    ]
    assert [s.only_on_failure for s in sync.steps][-3:] == [True, True, True]
    skipped = {k.object.name: k.reason for k in sync.skipped}
    assert set(skipped) == {"shop-local-only", "shop-test", "shop-pre-rollback", "shop-drain", "shop-goodbye"}
    assert "never runs them" in skipped["shop-test"]
    assert any("IsUpgrade true" in n for n in sync.notes)  # shop-migrate reads .Release.IsUpgrade


def test_argocd_differences_from_helm_are_steps_with_reasons() -> None:
    (sync,) = plans("argocd", "upgrade")
    differs = {(s.action, s.object.name if s.object else "-"): s.differs for s in sync.steps if s.differs}
    assert "helm upgrade does not run this pre-install hook" in differs[("create-hook", "shop-init")]
    assert ("create-hook", "shop-migrate") not in differs  # pre-install,pre-upgrade: Helm runs it every time too
    assert "only on upgrade; Argo CD cannot tell" in differs[("create-hook", "shop-notify")]  # post-upgrade only
    (install,) = plans("argocd", "install")
    assert "only on install; Argo CD cannot tell install from upgrade" in next(
        s.differs or "" for s in install.steps if s.action == "create-hook" and s.object and s.object.name == "shop-init")
    assert "argocd.argoproj.io/hook (Sync) decides" in differs[("create-hook", "shop-both")]
    assert "helm.sh/hook-weight, which Helm ignores" in differs[("apply", "shop-settings")]
    assert "Helm skips this document" in differs[("apply", "shop-legacy")]
    assert "never touches crds/" in differs[("apply", "widgets.example.com")]
    assert "only after the whole sync" in differs[("delete-hook", "shop-migrate")]
    cites = {s.cite for s in sync.steps if s.cite}
    assert "gitops-engine/pkg/sync/syncwaves/waves.go: Wave; gitops-engine/pkg/sync/sync_tasks.go: Less" in cites


@pytest.mark.parametrize(("version", "pre", "post"), [("2.9", False, False), ("2.10", False, True),
                                                      ("3.2", False, True), ("3.3", True, True)])
def test_argocd_delete_hooks_by_version(version: str, pre: bool, post: bool) -> None:
    """controller/hook.go hookTypeAnnotations: helm.sh/hook post-delete from v2.10, pre-delete from v3.3
    (the commit adding PreDelete, #22288, is first tagged v3.3.0); cleanupHooks deletes a hook only
    with HookSucceeded/HookFailed."""
    (delete,) = plans(f"argocd:{version}", "uninstall")
    assert delete.event == "delete" and delete.version_note == "as given"
    got = steps(delete)
    assert (("PreDelete", "create-hook", "shop-drain", None) in got) is pre
    assert (("PostDelete", "create-hook", "shop-goodbye", None) in got) is post
    assert (("cleanup", "delete-hook", "shop-drain", None) in got) is pre  # hook-succeeded
    deletes = {n for stage, action, n, _ in got if action == "delete"}  # one cascade, no order; no CRD
    assert deletes == {"shop-jobs", "shop-jobs-config", "shop-legacy", "shop-settings", "shop-web"}
    never = {k.object.name for k in delete.skipped} - {"widgets.example.com"}
    assert ("shop-drain" in never) is not pre and ("shop-goodbye" in never) is not post
    if pre:  # the PreDelete hooks run before any resource is deleted
        assert got.index(("PreDelete", "create-hook", "shop-drain", None)) < got.index(
            ("delete", "delete", "shop-web", None))


def test_flux_defaults_wait_no_tests_no_remediation() -> None:
    """internal/action/install.go newInstall (WaitForJobs = !DisableWaitForJobs), wait.go getWaitStrategy
    (Helm 4: watcher), internal/reconcile/install.go (tests only with test.enable), api/v2
    InstallRemediation (retries 0: no remediation)."""
    (install,) = plans("flux", "install")
    assert (install.target, install.version, install.event) == ("flux", "1.6.3", "install")
    waits = [s for s in install.steps if s.action == "wait"]
    assert len(waits) == 1 and "Jobs included" in waits[0].detail and "kstatus" in waits[0].detail
    assert "helm-controller waits by default" in (waits[0].differs or "")
    assert [s.object.name for s in install.steps if s.action == "apply-crd" and s.object] == ["widgets.example.com"]
    assert {k.object.name for k in install.skipped} == {"shop-test"}
    assert any("not remediated by default" in n for n in install.notes)
    assert not any(s.only_on_failure for s in install.steps)
    # helm-controller before v1.5 embeds Helm 3 (go.mod helm.sh/helm/v3): the legacy wait
    (old,) = plans("flux:1.4", "install")
    assert "Helm 3" in old.notes[0]
    assert "polled together" in next(s.detail for s in old.steps if s.action == "wait")


def test_flux_helmrelease_remediation_tests_and_disabled_hooks(tmp_path: Path) -> None:
    """api/v2 UpgradeRemediation (retries > 0: rollback, MustRemediateLastFailure), InstallRemediation
    (uninstall), internal/action/upgrade.go newUpgrade (DisableHooks), crds.go crdPolicyOrDefault."""
    hr = tmp_path / "hr.yaml"
    hr.write_text("apiVersion: helm.toolkit.fluxcd.io/v2\nkind: HelmRelease\nmetadata: {name: shop}\nspec:\n"
                  "  install:\n    remediation: {retries: 3}\n  upgrade:\n    disableHooks: true\n"
                  "    crds: CreateReplace\n    remediation: {retries: 2}\n  test:\n    enable: true\n")
    install, upgrade = plans("flux", "install", "upgrade", helmrelease=str(hr))
    stages = [s.stage for s in install.steps]
    assert "helm test" in stages and "remediation: helm uninstall" in stages
    uninstall_hooks = [s.object.name for s in install.steps if s.stage == "remediation: helm uninstall"
                       and s.action == "create-hook" and s.object]
    assert uninstall_hooks == ["shop-drain", "shop-goodbye"]  # the delete hooks run in the remediation
    assert all(s.only_on_failure for s in install.steps if s.stage.startswith("remediation"))
    # upgrade: no hooks (disableHooks), CRDs replaced, rollback remediation
    assert not [s for s in upgrade.steps if s.stage == "helm upgrade" and s.action == "create-hook"]
    assert {k.object.name for k in upgrade.skipped} >= {"shop-migrate", "shop-notify"}
    crd = next(s for s in upgrade.steps if s.action == "apply-crd")
    assert crd.stage == "crds (upgrade.crds CreateReplace)" and "replaced" in crd.detail
    rollback = [s for s in upgrade.steps if s.action == "rollback"]
    assert len(rollback) == 1 and "rollback hooks" in (rollback[0].differs or "")


def test_flux_helmrelease_errors(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("kind: Deployment\n")
    r = hooklint("plan", CHART, "--target", "flux", "--helmrelease", str(bad))
    assert r.returncode == 2 and "is not a HelmRelease manifest" in r.stderr
    r = hooklint("plan", CHART, "--target", "argocd", "--helmrelease", str(bad))
    assert r.returncode == 2 and "use it with --target flux" in r.stderr
    r = hooklint("plan", CHART, "--helmrelease", str(bad))
    assert r.returncode == 2 and "give --target flux" in r.stderr


def test_parse_target() -> None:
    assert parse_target("argocd").version == (3, 5, 1) and not parse_target("argocd").given
    assert parse_target("ArgoCD:v3.3").version == (3, 3, 0)
    assert parse_target("flux:1.4.2").version == (1, 4, 2)


@pytest.mark.parametrize(("text", "says"), [("helm", "must be argocd or flux"), ("argocd:3.x", "look like 3.3"),
                                            ("argocd:1.8", "before 2.0 are not modelled")])
def test_target_usage_errors(text: str, says: str) -> None:
    r = hooklint("plan", CHART, "--target", text)
    assert r.returncode == 2 and says in r.stderr, r.stderr


@pytest.mark.parametrize("fmt", ["text", "json", "markdown", "html"])
def test_target_formats(fmt: str) -> None:
    r = hooklint("plan", CHART, "--target", "argocd:3.3", "-e", "all", "--name", "shop", "-o", fmt)
    assert r.returncode == 0, r.stderr
    out = r.stdout
    if fmt == "json":
        data = json.loads(out)
        assert [p["event"] for p in data["plans"]] == ["sync", "delete"]
        assert data["plans"][0]["version"] == "3.3.0" and data["plans"][0]["kind"] == "target-plan"
    elif fmt == "text":
        assert out.startswith("Argo CD 3.3.0 (as given) | sync | chart gitops 1.0.0 | release shop")
        assert "        differs from Helm: wave 3 comes from helm.sh/hook-weight" in out
    elif fmt == "markdown":
        assert out.startswith("### Argo CD 3.3.0 (as given) \\| sync")
        assert "<details><summary>left out by the controller</summary>" in out
    else:
        assert out.startswith("<!DOCTYPE html>") and "<script" not in out


def test_flux_rollback_remediation_to_the_baseline(tmp_path: Path) -> None:
    """internal/reconcile/rollback_remediation.go RollbackRemediation with internal/action/rollback.go
    newRollback (WaitForJobs = !DisableWaitForJobs): with a baseline, the rollback's own steps."""
    hr = tmp_path / "hr.yaml"
    hr.write_text("kind: HelmRelease\nspec:\n  upgrade:\n    remediation: {retries: 1}\n")
    request = PlanRequest(chart="fixtures/charts/upgrade/app", events=["upgrade"], release_name="shop",
                          set_values=("step=2",))
    (upgrade,) = build_target_plans(request, "flux:1.2", helmrelease=str(hr), baseline="fixtures/charts/upgrade/app")
    back = [(s.action, s.object.name if s.object else "-") for s in upgrade.steps
            if s.stage == "remediation: helm rollback"]
    assert back[-1] == ("wait", "-")
    assert ("delete", "shop-password") in back and ("apply", "shop-data") in back
    wait = next(s for s in upgrade.steps if s.stage == "remediation: helm rollback" and s.action == "wait")
    assert "Jobs included" in wait.detail and wait.only_on_failure
    # the upgrade itself deletes what left the chart (the baseline is the release it replaces)
    assert ("helm upgrade", "delete", "shop-data") in [(s.stage, s.action, s.object.name if s.object else "-")
                                                       for s in upgrade.steps]


def test_argocd_sync_after_a_change_prunes_only_when_pruning() -> None:
    """gitops-engine sync_context.go getSyncTasks (a live object no longer rendered is a prune task at
    its wave) and pruneObject ('ignored (requires pruning)' without prune; only Prune=false stops a
    pruning sync, helm.sh/resource-policy: keep does not)."""
    request = PlanRequest(chart="fixtures/charts/upgrade/app", events=["upgrade"], release_name="shop",
                          set_values=("step=2",))
    (sync,) = build_target_plans(request, "argocd", baseline="fixtures/charts/upgrade/app")
    prunes = {s.object.name: s for s in sync.steps if s.action == "prune" and s.object}
    assert sorted((s.object.kind, n) for n, s in prunes.items() if s.object) == [
        ("ConfigMap", "shop-settings"), ("Deployment", "shop-db"), ("PersistentVolumeClaim", "shop-cache"),
        ("PersistentVolumeClaim", "shop-data")]  # the baseline's hook shop-password is no managed resource
    assert "requires pruning" in prunes["shop-data"].detail
    assert "honours only Prune=false" in (prunes["shop-cache"].differs or "")
    assert all(s.stage == "Sync" for s in prunes.values())


def test_argocd_application_deletion_leaves_crds_and_kept_objects() -> None:
    """controller/appcontroller.go shouldBeDeleted: no CRD, no helm.sh/resource-policy: keep, no
    sync-options Delete=false."""
    (delete,) = plans("argocd", "uninstall")
    left = {k.object.name: k for k in delete.skipped}
    assert "Argo CD never deletes CRDs" in left["widgets.example.com"].reason
    assert left["widgets.example.com"].cite == "controller/appcontroller.go: shouldBeDeleted"
    assert "widgets.example.com" not in [s.object.name for s in delete.steps if s.object]

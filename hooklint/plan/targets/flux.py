"""Flux: what helm-controller runs for a HelmRelease (fluxcd/helm-controller v1.x).

helm-controller runs the real Helm actions (Helm 3 SDK up to v1.4, Helm 4 from v1.5), with its own
defaults and a reconcile loop around them:
- install and upgrade wait for the resources and Jobs (`disableWait`/`disableWaitForJobs` false;
  internal/action/{install,upgrade}.go, wait.go getWaitStrategy: Helm 4 kstatus watcher, or legacy);
- CRDs from crds/ are applied by the controller before the action (internal/action/crds.go
  applyCRDs), on upgrade too: policy Create by default (crdPolicyOrDefault; the API documentation
  says upgrade applies none by default, the code creates the missing ones);
- an upgrade runs only when the chart, values or spec changed (internal/reconcile/atomic_release.go
  actionForState: InSync does nothing), so hooks do not run on every reconcile;
- tests run only with `test.enable` (internal/reconcile/install.go, upgrade.go);
- a failure is remediated only with `remediation.retries` > 0: install -> uninstall (delete hooks
  run) then install again, upgrade -> rollback (rollback hooks of the previous release run) then
  upgrade again (api/v2 helmrelease_types.go InstallRemediation / UpgradeRemediation);
- `disableHooks` is set per action (install, upgrade, rollback, uninstall).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from hooklint.documents.hooks import Classified, object_ref
from hooklint.errors import UsageError
from hooklint.plan import build_plan
from hooklint.plan.context import PlanContext, PlanOptions
from hooklint.plan.model import Plan, Step
from hooklint.plan.targets import Skipped, Target, TargetPlan, TargetStep, number

TYPES = "api/v2/helmrelease_types.go"


@dataclass
class FluxSpec:
    """The HelmRelease fields that change what runs, with helm-controller's defaults."""

    timeout: str = "5m0s"  # HelmRelease.GetTimeout: 300s
    wait_strategy: str | None = None  # spec.waitStrategy.name: poller | legacy
    install_disable_hooks: bool = False
    install_disable_wait: bool = False
    install_disable_wait_for_jobs: bool = False
    install_retries: int = 0
    install_remediate_last_failure: bool = False
    install_crds: str = "Create"
    upgrade_disable_hooks: bool = False
    upgrade_disable_wait: bool = False
    upgrade_disable_wait_for_jobs: bool = False
    upgrade_retries: int = 0
    upgrade_remediate_last_failure: bool | None = None  # default: retries > 0
    upgrade_strategy: str = "rollback"
    upgrade_crds: str = "Create"
    upgrade_cleanup_on_fail: bool = False
    rollback_disable_hooks: bool = False
    rollback_disable_wait: bool = False
    rollback_disable_wait_for_jobs: bool = False
    uninstall_disable_hooks: bool = False
    uninstall_keep_history: bool = False
    uninstall_disable_wait: bool = False
    test_enable: bool = False
    test_ignore_failures: bool = False

    @property
    def upgrade_remediates(self) -> bool:
        last = self.upgrade_remediate_last_failure
        return self.upgrade_retries != 0 or (last if last is not None else self.upgrade_retries > 0)

    @property
    def install_remediates(self) -> bool:
        return self.install_retries != 0 or self.install_remediate_last_failure


def spec_from_helmrelease(path: str) -> FluxSpec:
    """Read the fields FluxSpec knows from a HelmRelease manifest (a clear usage error otherwise)."""
    import yaml

    try:
        data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    except OSError as e:
        raise UsageError(f"--helmrelease: cannot read {path}: {e.strerror or e}") from None
    except yaml.YAMLError as e:
        raise UsageError(f"--helmrelease: {path} is not YAML: {e}") from None
    if not isinstance(data, dict) or data.get("kind") != "HelmRelease":
        raise UsageError(f"--helmrelease: {path} is not a HelmRelease manifest (kind: HelmRelease)")
    spec = data.get("spec") or {}
    if not isinstance(spec, dict):
        raise UsageError(f"--helmrelease: {path}: spec is not a mapping")

    def part(name: str) -> dict[str, Any]:
        value = spec.get(name) or {}
        return value if isinstance(value, dict) else {}

    install, upgrade, rollback, uninstall, test = (part(n) for n in ("install", "upgrade", "rollback",
                                                                     "uninstall", "test"))
    rem_i = install.get("remediation") or {}
    rem_u = upgrade.get("remediation") or {}
    out = FluxSpec()
    if spec.get("timeout"):
        out.timeout = str(spec["timeout"])
    ws = spec.get("waitStrategy")
    if isinstance(ws, dict) and ws.get("name"):
        out.wait_strategy = str(ws["name"])
    out.install_disable_hooks = bool(install.get("disableHooks", False))
    out.install_disable_wait = bool(install.get("disableWait", False))
    out.install_disable_wait_for_jobs = bool(install.get("disableWaitForJobs", False))
    out.install_retries = int(rem_i.get("retries", 0) or 0)
    out.install_remediate_last_failure = bool(rem_i.get("remediateLastFailure", False))
    out.install_crds = str(install.get("crds") or "Create")
    out.upgrade_disable_hooks = bool(upgrade.get("disableHooks", False))
    out.upgrade_disable_wait = bool(upgrade.get("disableWait", False))
    out.upgrade_disable_wait_for_jobs = bool(upgrade.get("disableWaitForJobs", False))
    out.upgrade_retries = int(rem_u.get("retries", 0) or 0)
    if "remediateLastFailure" in rem_u:
        out.upgrade_remediate_last_failure = bool(rem_u["remediateLastFailure"])
    out.upgrade_strategy = str(rem_u.get("strategy") or "rollback")
    out.upgrade_crds = str(upgrade.get("crds") or "Create")
    out.upgrade_cleanup_on_fail = bool(upgrade.get("cleanupOnFail", False))
    out.rollback_disable_hooks = bool(rollback.get("disableHooks", False))
    out.rollback_disable_wait = bool(rollback.get("disableWait", False))
    out.rollback_disable_wait_for_jobs = bool(rollback.get("disableWaitForJobs", False))
    out.uninstall_disable_hooks = bool(uninstall.get("disableHooks", False))
    out.uninstall_keep_history = bool(uninstall.get("keepHistory", False))
    out.uninstall_disable_wait = bool(uninstall.get("disableWait", False))
    out.test_enable = bool(test.get("enable", False))
    out.test_ignore_failures = bool(test.get("ignoreFailures", False))
    for name, value in (("install.crds", out.install_crds), ("upgrade.crds", out.upgrade_crds)):
        if value not in ("Skip", "Create", "CreateReplace"):
            raise UsageError(f"--helmrelease: {path}: {name} must be Skip, Create or CreateReplace, not {value!r}")
    return out


def helm_major(target: Target) -> int:
    """go.mod: helm.sh/helm/v3 up to helm-controller v1.4, helm.sh/helm/v4 from v1.5."""
    return 4 if target.at_least(1, 5) else 3


def _options(ctx: PlanContext, target: Target, spec: FluxSpec, action: str) -> PlanOptions:
    disable_wait = {"install": spec.install_disable_wait, "upgrade": spec.upgrade_disable_wait,
                    "rollback": spec.rollback_disable_wait, "uninstall": spec.uninstall_disable_wait}.get(action, False)
    disable_jobs = {"install": spec.install_disable_wait_for_jobs, "upgrade": spec.upgrade_disable_wait_for_jobs,
                    "rollback": spec.rollback_disable_wait_for_jobs}.get(action, True)
    hooks_off = {"install": spec.install_disable_hooks, "upgrade": spec.upgrade_disable_hooks,
                 "rollback": spec.rollback_disable_hooks, "uninstall": spec.uninstall_disable_hooks}.get(action, False)
    major = helm_major(target)
    strategy = None
    if major == 4:  # wait.go getWaitStrategy
        strategy = "hookOnly" if disable_wait else ("legacy" if spec.wait_strategy == "legacy" else "watcher")
    return PlanOptions(
        helm_version=major, release_name=ctx.options.release_name, namespace=ctx.options.namespace,
        no_hooks=hooks_off, skip_crds=True, wait=not disable_wait, wait_for_jobs=not disable_jobs,
        timeout=spec.timeout, atomic=False, wait_strategy=strategy,
        keep_history=spec.uninstall_keep_history, cleanup_on_fail=spec.upgrade_cleanup_on_fail and action == "upgrade",
        server_side="auto", release_apply_method="ssa" if major == 4 else None,
    )


def _detail(step: Step) -> str:
    """The Helm step's particulars in a few words (the report's own wording stays in report/)."""
    parts = [x for x in (step.reason, step.method, step.note) if x]
    if step.ready_when:
        parts.append(f"until {step.ready_when}" + (f" (timeout {step.timeout})" if step.timeout else ""))
    if step.waits_for:
        parts.append(f"{len(step.waits_for)} object(s)")
    if step.fails:
        parts.append(f"FAILS: {step.fails}")
    return ", ".join(parts)


def _converted(plan: Plan, stage: str, cite: str, *, on_failure: bool = False) -> list[TargetStep]:
    out = []
    for s in plan.steps:
        out.append(TargetStep(0, stage, s.action, s.object, wave=s.weight, detail=_detail(s),
                              source=s.source, cite=cite, only_on_failure=on_failure,
                              differs=_wait_differs(s, stage)))
    return out


def _wait_differs(step: Step, stage: str) -> str | None:
    if step.action != "wait":
        return None
    action = stage.split()[-1]
    return (f"plain helm {action} does not wait unless --wait; helm-controller waits by default "
            f"({action}.disableWait: false), Jobs included ({action}.disableWaitForJobs: false)")


def _crd_steps(ctx: PlanContext, classified: Classified, policy: str, action: str) -> list[TargetStep]:
    if policy == "Skip":
        return []
    steps = []
    what = "created if missing" if policy == "Create" else "created, or replaced if it exists"
    differs = None
    if action == "upgrade":
        differs = f"helm upgrade never applies crds/; helm-controller applies them before the upgrade (upgrade.crds {policy}"
        differs += ("; the API documentation says none are applied by default, the code's default is Create)"
                    if policy == "Create" else ")")
    elif policy == "CreateReplace":
        differs = "helm install only creates missing CRDs; CreateReplace replaces existing ones"
    for d in classified.crds:
        if not d.head or not d.head.get("kind"):
            continue
        steps.append(TargetStep(0, f"crds ({action}.crds {policy})", "apply-crd", ctx.ref(object_ref(d)),
                                source=ctx.doc_source(d), detail=what, differs=differs,
                                cite="internal/action/crds.go: applyCRDs, crdPolicyOrDefault"))
    return steps


def build_flux(ctx: PlanContext, target: Target, event: str, classified: Classified, *, chart: dict[str, str],
               spec: FluxSpec, previous: Classified | None, installed: Classified) -> TargetPlan:
    """The reconcile of `event`: install (new HelmRelease), upgrade (chart or values changed),
    uninstall (HelmRelease deleted), test, rollback (only as remediation)."""
    plan = TargetPlan(target="flux", version=target.version_text,
                      version_note="as given" if target.given else "the latest release hooklint knows (default)",
                      event=event, chart=dict(chart),
                      release={"name": ctx.options.release_name, "namespace": ctx.options.namespace})
    major = helm_major(target)
    plan.notes.append(f"helm-controller {target.version_text} runs Helm {major} ({'helm.sh/helm/v4' if major == 4 else 'helm.sh/helm/v3'} "
                      "in go.mod)")
    steps: list[TargetStep] = []
    test_hooks = [h for h in classified.hooks if any(e.value == "test" for e in h.events)]
    if event in ("install", "upgrade"):
        crds = spec.install_crds if event == "install" else spec.upgrade_crds
        steps += _crd_steps(ctx, classified, crds, event)
        helm = build_plan(event, classified, _options(ctx, target, spec, event), chart=chart, previous=previous,
                          source_of=ctx.source_of)
        steps += _converted(helm, f"helm {event}", f"internal/action/{event}.go: {event.capitalize()}")
        if (spec.install_disable_hooks if event == "install" else spec.upgrade_disable_hooks):
            for h in classified.hooks:
                if any(e.value in (f"pre-{event}", f"post-{event}") for e in h.events):
                    plan.skipped.append(Skipped(ctx.ref(h.ref), ctx.hook_source(h), f"{event}.disableHooks: the "
                                                f"{event} runs without hooks", f"internal/action/{event}.go: "
                                                f"new{event.capitalize()} (DisableHooks)"))
        if spec.test_enable:
            tests = build_plan("test", installed, _options(ctx, target, spec, "test"), chart=chart,
                               source_of=ctx.source_of)
            steps += _converted(tests, "helm test", "internal/reconcile/test.go: Test (test.enable)")
        else:
            for h in test_hooks:
                plan.skipped.append(Skipped(ctx.ref(h.ref), ctx.hook_source(h), "tests run only with spec.test.enable "
                                            "(false by default)", f"internal/reconcile/{event}.go: "
                                            "reconcile (GetTest().Enable)"))
        steps += _remediation(ctx, target, event, spec, classified, chart, plan, previous)
        if event == "upgrade":
            plan.notes.append("helm-controller upgrades only when the chart, values or HelmRelease spec changed "
                              "(internal/reconcile/atomic_release.go actionForState: InSync does nothing): unlike "
                              "Argo CD, hooks do not run again on every reconcile")
            if previous is None:
                plan.notes.append("no baseline given (--baseline): resources that left the chart are not listed")
    elif event == "uninstall":
        helm = build_plan("uninstall", classified, _options(ctx, target, spec, "uninstall"), chart=chart,
                          source_of=ctx.source_of)
        steps += _converted(helm, "helm uninstall", "internal/action/uninstall.go: newUninstall")
        plan.notes.append("run when the HelmRelease is deleted (unless spec.suspend); uninstall.disableWait is false "
                          "by default, so helm-controller waits for the deletions")
    elif event == "test":
        if spec.test_enable:
            helm = build_plan("test", classified, _options(ctx, target, spec, "test"), chart=chart,
                              source_of=ctx.source_of)
            steps += _converted(helm, "helm test", "internal/reconcile/test.go: Test")
        else:
            for h in test_hooks:
                plan.skipped.append(Skipped(ctx.ref(h.ref), ctx.hook_source(h), "tests run only with spec.test.enable "
                                            "(false by default)", "internal/reconcile/release.go"))
    else:  # rollback
        plan.notes.append("helm-controller runs helm rollback only to remediate a failed upgrade "
                          "(upgrade.remediation.retries > 0, strategy rollback): see --event upgrade")
    plan.steps = number(steps)
    return plan


def _remediation(ctx: PlanContext, target: Target, event: str, spec: FluxSpec, classified: Classified,
                 chart: dict[str, str], plan: TargetPlan, previous: Classified | None) -> list[TargetStep]:
    if event == "install":
        if not spec.install_remediates:
            plan.notes.append("a failed install is not remediated by default (install.remediation.retries 0): "
                              "the release stays failed, and the HelmRelease stalls until its chart, values or "
                              f"spec change ({TYPES} InstallRemediation)")
            return []
        uninstall = build_plan("uninstall", classified, _options(ctx, target, spec, "uninstall"), chart=chart,
                               source_of=ctx.source_of)
        steps = _converted(uninstall, "remediation: helm uninstall", "internal/reconcile/uninstall_remediation.go: "
                           "UninstallRemediation", on_failure=True)
        for s in steps:
            if s.action in ("create-hook", "wait-hook") and s.stage:
                s.differs = ("plain helm install (without --atomic) leaves a failed release; helm-controller "
                             "uninstalls it, running the pre-delete/post-delete hooks")
                break
        plan.notes.append(f"install.remediation.retries {spec.install_retries}: after a failed install the release "
                          "is uninstalled, then installed again")
        return steps
    if not spec.upgrade_remediates:
        plan.notes.append("a failed upgrade is not remediated by default (upgrade.remediation.retries 0): the "
                          f"release stays failed ({TYPES} UpgradeRemediation.MustRemediateLastFailure)")
        return []
    if spec.upgrade_strategy == "uninstall":
        uninstall = build_plan("uninstall", classified, _options(ctx, target, spec, "uninstall"), chart=chart,
                               source_of=ctx.source_of)
        return _converted(uninstall, "remediation: helm uninstall", "internal/reconcile/uninstall_remediation.go",
                          on_failure=True)
    hooks = "without hooks (rollback.disableHooks)" if spec.rollback_disable_hooks else \
        "running the previous release's pre-rollback and post-rollback hooks"
    if previous is not None:  # the baseline is the release rolled back to
        rollback = build_plan("rollback", previous, _options(ctx, target, spec, "rollback"), chart=chart,
                              previous=classified, source_of=ctx.source_of)
        steps = _converted(rollback, "remediation: helm rollback", "internal/reconcile/rollback_remediation.go: "
                           "RollbackRemediation; internal/action/rollback.go: newRollback", on_failure=True)
        for s in steps:
            if s.action == "create-hook":
                s.differs = ("plain helm upgrade (without --atomic) leaves a failed release; helm-controller rolls "
                             "back to the baseline, running this rollback hook")
        plan.notes.append(f"upgrade.remediation.retries {spec.upgrade_retries}: after a failed upgrade the release "
                          f"is rolled back to the baseline ({hooks}), then the upgrade is retried")
        return steps
    return [TargetStep(0, "remediation: helm rollback", "rollback", None,
                       detail=f"to the last successful release, {hooks}; then the upgrade is retried",
                       differs="plain helm upgrade (without --atomic) leaves a failed release; helm-controller "
                               "rolls back, which runs rollback hooks that a plain upgrade never runs",
                       cite="internal/reconcile/rollback_remediation.go: RollbackRemediation; "
                            "internal/action/rollback.go: newRollback",
                       only_on_failure=True)]

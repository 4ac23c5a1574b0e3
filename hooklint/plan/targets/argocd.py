"""Argo CD: a sync of the chart, as Argo CD runs it (argo-cd v2.x-3.x, gitops-engine `pkg/sync`).

Argo CD renders with `helm template` (util/helm/cmd.go `template`: `--include-crds`, never
`--is-upgrade`), then syncs every object itself:
- hooks: `argocd.argoproj.io/hook` when set (Skip alone: not synced at all), else `helm.sh/hook`
  mapped by gitops-engine `pkg/sync/hook/helm/type.go` (pre-install and pre-upgrade -> PreSync,
  post-install and post-upgrade -> PostSync; any other Helm event has no sync phase), `crd-install`
  is no hook (`hook/helm/hook.go` IsHook);
- waves: `argocd.argoproj.io/sync-wave`, else `helm.sh/hook-weight`, on hooks and ordinary objects
  alike (`syncwaves/waves.go` Wave);
- order: phase, wave, Argo CD's kind order, name (`sync_tasks.go` Less), then Namespaces and CRDs
  moved before the objects that need them (`adjustDeps`);
- a wave is applied at once; with more than one wave (or hooks) each wave waits until its objects
  are healthy (hooks: complete) before the next; hook delete policies map Helm's
  (`hook/helm/delete_policy.go`, default BeforeHookCreation: `hook/delete_policy.go`); HookSucceeded
  hooks are deleted when the whole sync has succeeded; SyncFail hooks run only when it fails
  (`sync_context.go` Sync);
- Application deletion: PreDelete hooks (helm.sh/hook pre-delete too, from v3.3), then every
  resource, then PostDelete hooks (post-delete, from v2.10) (`controller/hook.go`, appcontroller.go).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from hooklint.documents.hooks import Classified, object_ref
from hooklint.model import Document, ObjectRef
from hooklint.plan.context import PlanContext
from hooklint.plan.targets import Skipped, Target, TargetPlan, TargetStep, number

ARGO_HOOK = "argocd.argoproj.io/hook"
ARGO_WAVE = "argocd.argoproj.io/sync-wave"
ARGO_DELETE = "argocd.argoproj.io/hook-delete-policy"
HELM_HOOK = "helm.sh/hook"
HELM_WEIGHT = "helm.sh/hook-weight"
HELM_DELETE = "helm.sh/hook-delete-policy"

ARGO_TYPES = ("PreSync", "Sync", "PostSync", "SyncFail", "Skip")
HELM_TO_ARGO = {"pre-install": "PreSync", "pre-upgrade": "PreSync", "post-install": "PostSync",
                "post-upgrade": "PostSync"}
HELM_POLICY = {"before-hook-creation": "BeforeHookCreation", "hook-succeeded": "HookSucceeded",
               "hook-failed": "HookFailed"}
ARGO_POLICIES = ("HookSucceeded", "HookFailed", "BeforeHookCreation")
PHASE_ORDER = {"PreSync": -1, "Sync": 0, "PostSync": 1, "SyncFail": 2}

# sync_tasks.go kindOrder: known kinds get negative ranks, so every other kind sorts after them
_KINDS = ("Namespace", "NetworkPolicy", "ResourceQuota", "LimitRange", "PodSecurityPolicy", "PodDisruptionBudget",
          "ServiceAccount", "Secret", "SecretList", "ConfigMap", "StorageClass", "PersistentVolume",
          "PersistentVolumeClaim", "CustomResourceDefinition", "ClusterRole", "ClusterRoleList",
          "ClusterRoleBinding", "ClusterRoleBindingList", "Role", "RoleList", "RoleBinding", "RoleBindingList",
          "Service", "DaemonSet", "Pod", "ReplicationController", "ReplicaSet", "Deployment",
          "HorizontalPodAutoscaler", "StatefulSet", "Job", "CronJob", "IngressClass", "Ingress", "APIService")
KIND_ORDER = {k: i - len(_KINDS) for i, k in enumerate(_KINDS)}

GE = "gitops-engine/pkg/sync"
_ATOI = re.compile(r"[+-]?[0-9]+")


def csv(annotations: dict[str, str], key: str) -> list[str]:
    """resource/annotations.go GetAnnotationCSVs: split on commas, trim, drop empty and repeated."""
    out: list[str] = []
    for item in annotations.get(key, "").split(","):
        item = item.strip()
        if item and item not in out:
            out.append(item)
    return out


def _atoi(text: str | None) -> int | None:
    return int(text) if text is not None and _ATOI.fullmatch(text) else None


def annotations_of(doc: Document) -> dict[str, str]:
    return {str(k): str(v) for k, v in doc.annotations.items()}


def hook_types(ann: dict[str, str]) -> list[str]:
    """hook/hook.go Types: Argo CD's annotation when it names a type, else the mapped Helm events."""
    types = [t for t in csv(ann, ARGO_HOOK) if t in ARGO_TYPES]
    if not types:
        types = list(dict.fromkeys(HELM_TO_ARGO[t] for t in csv(ann, HELM_HOOK) if t in HELM_TO_ARGO))
    return types


def is_skip(ann: dict[str, str]) -> bool:
    types = hook_types(ann)
    return "Skip" in types and len(types) == 1


def is_hook(ann: dict[str, str]) -> bool:
    """hook/hook.go IsHook: an Argo CD hook annotation (unless Skip alone), else helm/hook.go IsHook."""
    if ARGO_HOOK in ann:
        return not is_skip(ann)
    return HELM_HOOK in ann and ann[HELM_HOOK] != "crd-install"


def sync_phases(ann: dict[str, str]) -> list[str]:
    """sync_phase.go syncPhases."""
    if is_skip(ann):
        return []
    if is_hook(ann):
        return [t for t in hook_types(ann) if t in PHASE_ORDER]
    return ["Sync"]


def wave(ann: dict[str, str]) -> int:
    """syncwaves/waves.go Wave, then helm/weight.go Weight."""
    own = _atoi(ann.get(ARGO_WAVE))
    if own is not None:
        return own
    helm = _atoi(ann.get(HELM_WEIGHT))
    return helm if helm is not None else 0


def delete_policies(ann: dict[str, str]) -> list[str]:
    """hook/delete_policy.go DeletePolicies: Argo CD's, then Helm's mapped; none: BeforeHookCreation."""
    out = [p for p in csv(ann, ARGO_DELETE) if p in ARGO_POLICIES]
    out += [HELM_POLICY[p] for p in csv(ann, HELM_DELETE) if p in HELM_POLICY]
    return out or ["BeforeHookCreation"]


@dataclass
class Task:
    doc: Document
    ref: ObjectRef
    phase: str
    hook: bool
    ann: dict[str, str]
    wave_override: int | None = None
    prune: bool = False  # live (in the baseline) but no longer rendered: a prune task

    @property
    def wave(self) -> int:
        return self.wave_override if self.wave_override is not None else wave(self.ann)


def sort_tasks(tasks: list[Task]) -> list[Task]:
    """sync_tasks.go Sort: Less, then the Namespace and CRD dependencies."""
    tasks = sorted(tasks, key=lambda t: (PHASE_ORDER[t.phase], t.wave, KIND_ORDER.get(t.ref.kind, 0), t.ref.name))
    _adjust(tasks, lambda t: t.ref.name if t.ref.kind == "Namespace" and "/" not in t.ref.api_version else None,
            lambda t: t.ref.namespace or None)
    _adjust(tasks, _crd_key, lambda t: f"{_group(t.ref.api_version)}/{t.ref.kind}")
    return tasks


def _group(api_version: str) -> str:
    return api_version.rsplit("/", 1)[0] if "/" in api_version else ""


def _crd_key(t: Task) -> str | None:
    if t.ref.kind != "CustomResourceDefinition" or not isinstance(t.doc.body, dict):
        return None
    spec = t.doc.body.get("spec")
    names = spec.get("names") if isinstance(spec, dict) else None
    group = spec.get("group") if isinstance(spec, dict) else None
    kind = names.get("kind") if isinstance(names, dict) else None
    if not isinstance(group, str) or not isinstance(kind, str):
        return None
    return f"{group}/{kind}"


def _adjust(tasks: list[Task], is_dep: Any, refers_to: Any) -> None:
    """sync_tasks.go adjustDeps: a dependency later than the first object needing it moves in front
    of that object, taking its phase and wave."""
    first: dict[str, int] = {}
    for i in range(len(tasks)):
        t = tasks[i]
        dep = is_dep(t)
        if dep is not None:
            if dep in first:
                index = first[dep]
                t.wave_override = tasks[index].wave
                t.phase = tasks[index].phase
                tasks[index + 1 : i + 1] = tasks[index:i]
                tasks[index] = t
                for key, at in first.items():
                    if at >= index:
                        first[key] = at + 1
        else:
            ref = refers_to(t)
            if ref is not None and ref not in first:
                first[ref] = i


def _documents(classified: Classified) -> list[Document]:
    """What `helm template --include-crds` prints: crds/ first, then every rendered document (hooks too)."""
    docs = [d for d in classified.crds if d.head and d.head.get("kind")]
    docs += [d for d in classified.resources if isinstance(d.body, dict) and d.body]
    docs += [h.doc for h in classified.hooks] + [d.doc for d in classified.dropped]
    return docs


def _helm_events(ann: dict[str, str]) -> list[str]:
    return csv(ann, HELM_HOOK)


def build_sync(ctx: PlanContext, target: Target, classified: Classified, *, chart: dict[str, str],
               renders_differently_on_upgrade: bool, helm_event: str,
               previous: Classified | None = None) -> TargetPlan:
    """The sync Argo CD runs for this rendering. `helm_event` (install or upgrade): what plain Helm
    would do, for the differences. `previous`: the rendering synced before (its objects that are no
    longer rendered become prune tasks)."""
    plan = _new_plan(ctx, target, "sync", chart)
    tasks: list[Task] = []
    for doc in _documents(classified):
        ann = annotations_of(doc)
        ref = ctx.ref(object_ref(doc))
        if ref.namespace is None:  # getSyncTasks: every target object gets the app's namespace
            ref = ObjectRef(ref.api_version, ref.kind, ref.name, ctx.options.namespace)
        phases = sync_phases(ann)
        if not phases:
            plan.skipped.append(_skipped(ctx, target, doc, ref, ann))
            continue
        for phase in phases:
            tasks.append(Task(doc=doc, ref=ref, phase=phase, hook=is_hook(ann), ann=ann))
    if previous is not None:
        tasks += _prune_tasks(ctx, previous, {(t.ref.kind, t.ref.namespace, t.ref.name) for t in tasks})
    tasks = sort_tasks(tasks)
    main = [t for t in tasks if t.phase != "SyncFail"]
    fail = [t for t in tasks if t.phase == "SyncFail"]
    groups: list[list[Task]] = []
    for t in main:
        if groups and (groups[-1][0].phase, groups[-1][0].wave) == (t.phase, t.wave):
            groups[-1].append(t)
        else:
            groups.append([t])
    multi_step = len(groups) > 1
    steps: list[TargetStep] = []
    for group in groups:
        for t in group:
            steps += _task_steps(ctx, t, helm_event)
        if multi_step or any(t.hook for t in group):
            hooks = [t for t in group if t.hook]
            differs = None
            if len(hooks) > 1:
                differs = (f"Helm creates and waits for hooks one at a time; Argo CD creates all {len(hooks)} "
                           "hooks of this wave at once and waits for them together")
            steps.append(TargetStep(0, group[0].phase, "wait", None, wave=group[0].wave,
                                    detail=f"until every object of {group[0].phase} wave {group[0].wave} is healthy "
                                           "(hooks: completed); a failed one fails the sync",
                                    differs=differs, cite=f"{GE}/sync_context.go: Sync (runTasks, setRunningPhase)"))
    succeeded = [t for t in main if t.hook and "HookSucceeded" in delete_policies(t.ann)]
    for t in succeeded:
        steps.append(TargetStep(0, "after sync", "delete-hook", t.ref, wave=t.wave, source=ctx.doc_source(t.doc),
                                detail="HookSucceeded: when the whole sync has succeeded",
                                differs=_succeeded_differs(t),
                                cite=f"{GE}/sync_context.go: Sync (deleteHooks hooksPendingDeletionSuccessful)"))
    for t in fail:
        for s in _task_steps(ctx, t, helm_event):
            s.only_on_failure = True
            steps.append(s)
    for t in tasks:
        if t.hook and "HookFailed" in delete_policies(t.ann):
            steps.append(TargetStep(0, "on failure", "delete-hook", t.ref, wave=t.wave, source=ctx.doc_source(t.doc),
                                    detail="HookFailed: when the sync has failed", only_on_failure=True,
                                    cite=f"{GE}/sync_context.go: Sync (deleteHooks hooksPendingDeletionFailed)"))
    plan.steps = number(steps)
    plan.notes += _sync_notes(target, renders_differently_on_upgrade)
    return plan


def _new_plan(ctx: PlanContext, target: Target, event: str, chart: dict[str, str]) -> TargetPlan:
    return TargetPlan(target="argocd", version=target.version_text,
                      version_note="as given" if target.given else "the latest release hooklint knows (default)",
                      event=event, chart=dict(chart),
                      release={"name": ctx.options.release_name, "namespace": ctx.options.namespace})


def _task_steps(ctx: PlanContext, t: Task, helm_event: str) -> list[TargetStep]:
    src = ctx.doc_source(t.doc)
    out: list[TargetStep] = []
    if t.prune:
        return [_prune_step(t, src)]
    if not t.hook:
        out.append(TargetStep(0, t.phase, "apply", t.ref, wave=t.wave, source=src, detail="kubectl apply",
                              differs=_resource_differs(t), cite=_resource_cite(t)))
        return out
    policies = delete_policies(t.ann)
    if "BeforeHookCreation" in policies:
        out.append(TargetStep(0, t.phase, "delete-hook", t.ref, wave=t.wave, source=src,
                              detail="BeforeHookCreation: the object left by an earlier sync, if any",
                              cite=f"{GE}/sync_task.go: deleteBeforeCreation"))
    detail = "created" if "BeforeHookCreation" in policies else \
        "applied: an object left by an earlier sync is kept and applied over (no BeforeHookCreation)"
    out.append(TargetStep(0, t.phase, "create-hook", t.ref, wave=t.wave, source=src, detail=detail,
                          differs=_hook_differs(t, helm_event), cite=f"{GE}/hook/hook.go: Types; "
                          f"{GE}/hook/helm/type.go: hookTypes"))
    return out


def _prune_tasks(ctx: PlanContext, previous: Classified, rendered: set[tuple[str, str | None, str]]) -> list[Task]:
    """sync_context.go getSyncTasks: a live object of the application that is no longer rendered is a
    task without a target (a prune), in the Sync phase at its live object's wave."""
    out: list[Task] = []
    for doc in _documents(previous):
        ann = annotations_of(doc)
        if is_hook(ann) or is_skip(ann):
            continue  # hooks are not managed resources
        ref = ctx.ref(object_ref(doc))
        if ref.namespace is None:
            ref = ObjectRef(ref.api_version, ref.kind, ref.name, ctx.options.namespace)
        if (ref.kind, ref.namespace, ref.name) not in rendered:
            out.append(Task(doc=doc, ref=ref, phase="Sync", hook=False, ann=ann, prune=True))
    return out


def _prune_step(t: Task, src: Any) -> TargetStep:
    disabled = "Prune=false" in csv(t.ann, "argocd.argoproj.io/sync-options")
    if disabled:
        detail = "never pruned (sync-options Prune=false): it stays, and the application shows OutOfSync"
    else:
        detail = ("deleted only when the sync prunes (automated prune: true, or prune on a manual sync); "
                  "otherwise it stays, 'ignored (requires pruning)'")
    keep = t.ann.get("helm.sh/resource-policy") == "keep"
    if keep and not disabled:
        differs = ("helm upgrade keeps it (helm.sh/resource-policy: keep); a pruning sync deletes it: Argo CD "
                   "honours only Prune=false when it prunes")
    elif keep:
        differs = None
    else:
        differs = "helm upgrade always deletes an object that left the chart"
    return TargetStep(0, t.phase, "prune", t.ref, wave=t.wave, source=src, detail=detail, differs=differs,
                      cite=f"{GE}/sync_context.go: getSyncTasks, pruneObject")


def _resource_differs(t: Task) -> str | None:
    notes = []
    if ARGO_WAVE not in t.ann and _atoi(t.ann.get(HELM_WEIGHT)) not in (None, 0):
        notes.append(f"wave {t.wave} comes from helm.sh/hook-weight, which Helm ignores on an object that is no "
                     "hook")
    if t.doc.path.split("/")[1:2] == ["crds"] or "/crds/" in t.doc.path:
        notes.append("from crds/: Argo CD applies it on every sync (updates it); helm upgrade never touches crds/")
    if t.ann.get(HELM_HOOK) == "crd-install":
        notes.append("helm.sh/hook: crd-install: Helm skips this document (a Helm 2 hook it no longer knows); "
                     "Argo CD applies it as an ordinary Sync object")
    return "; ".join(notes) or None


def _resource_cite(t: Task) -> str:
    if t.doc.path.split("/")[1:2] == ["crds"] or "/crds/" in t.doc.path:
        return "util/helm/cmd.go: template (--include-crds)"
    if t.ann.get(HELM_HOOK) == "crd-install":
        return f"{GE}/hook/helm/hook.go: IsHook"
    return f"{GE}/syncwaves/waves.go: Wave; {GE}/sync_tasks.go: Less"


def _hook_differs(t: Task, helm_event: str) -> str | None:
    notes = []
    helm = _helm_events(t.ann)
    if ARGO_HOOK in t.ann and helm:
        notes.append(f"argocd.argoproj.io/hook ({t.ann[ARGO_HOOK]}) decides: the helm.sh/hook events "
                     f"({', '.join(helm)}) are ignored")
    elif helm:
        # a hook for both install and upgrade runs on every Helm operation too; one for only one of them
        # runs on every sync under Argo CD
        pair = {"PreSync": ("pre-install", "pre-upgrade"), "PostSync": ("post-install", "post-upgrade")}
        have = [e for e in pair.get(t.phase, ()) if e in helm]
        if len(have) == 1:
            only = have[0]
            if only.endswith(helm_event):
                notes.append(f"Helm runs this {only} hook only on {only.split('-', 1)[1]}; Argo CD cannot tell "
                             f"install from upgrade: as {t.phase} it runs on every sync")
            else:
                notes.append(f"helm {helm_event} does not run this {only} hook; Argo CD maps it to {t.phase} and "
                             "runs it on every sync")
        unknown = [e for e in helm if e not in HELM_TO_ARGO and e not in
                   ("pre-delete", "post-delete", "pre-rollback", "post-rollback", "test", "test-success")]
        if unknown:
            notes.append(f"Helm drops this document (unknown hook {', '.join(unknown)}); Argo CD runs it")
    if ARGO_WAVE in t.ann and HELM_WEIGHT in t.ann:
        notes.append("argocd.argoproj.io/sync-wave decides its order, not helm.sh/hook-weight")
    return "; ".join(notes) or None


def _succeeded_differs(t: Task) -> str | None:
    if t.phase == "PostSync":
        return None
    return ("Helm deletes it as soon as its event's hooks have succeeded; Argo CD only after the whole sync, "
            "so it stays while the later waves run")


def _skipped(ctx: PlanContext, target: Target, doc: Document, ref: ObjectRef, ann: dict[str, str]) -> Skipped:
    src = ctx.doc_source(doc)
    if is_skip(ann):
        return Skipped(ref, src, "argocd.argoproj.io/hook: Skip: never synced", f"{GE}/sync_phase.go: syncPhases")
    events = _helm_events(ann)
    if "pre-delete" in events or "post-delete" in events:
        which = [e for e in events if e in ("pre-delete", "post-delete")]
        since = {"pre-delete": (3, 3), "post-delete": (2, 10)}
        supported = [e for e in which if target.at_least(*since[e])]
        if supported:
            reason = (f"{', '.join(supported)}: not part of a sync; runs when the Application is deleted "
                      "(see --event uninstall)")
        else:
            versions = ", ".join(f"{e} from {'.'.join(map(str, since[e]))}" for e in which)
            reason = f"never run by Argo CD {target.version_text} ({versions})"
        return Skipped(ref, src, reason, "controller/hook.go: hookTypeAnnotations")
    if any(e in ("test", "test-success") for e in events):
        return Skipped(ref, src, "helm test hooks have no sync phase: Argo CD never runs them",
                       f"{GE}/hook/helm/type.go: NewType; {GE}/sync_phase.go: syncPhases")
    if any(e in ("pre-rollback", "post-rollback") for e in events):
        return Skipped(ref, src, "rollback hooks have no sync phase: an Argo CD rollback is a sync of an older "
                       "revision, its PreSync/PostSync hooks run instead", f"{GE}/hook/helm/type.go: NewType")
    return Skipped(ref, src, f"no sync phase for helm.sh/hook {ann.get(HELM_HOOK, '')!r}",
                   f"{GE}/sync_phase.go: syncPhases")


def _not_deleted(ref: ObjectRef, ann: dict[str, str]) -> str | None:
    """appcontroller.go shouldBeDeleted: why a cascade deletion leaves this object, or None."""
    if ref.kind == "CustomResourceDefinition":
        return "not deleted with the Application: Argo CD never deletes CRDs on cascade deletion"
    options = csv(ann, "argocd.argoproj.io/sync-options")
    if "Delete=false" in options:
        return "not deleted with the Application: sync-options Delete=false"
    if "keep" in csv(ann, "helm.sh/resource-policy"):
        return "not deleted with the Application: helm.sh/resource-policy: keep"
    return None


def _sync_notes(target: Target, differs_on_upgrade: bool) -> list[str]:
    notes = [f"Argo CD {target.version_text}: rendered with helm template (.Release.IsInstall true, "
             ".Release.IsUpgrade false, on every sync; util/helm/cmd.go template)"]
    if differs_on_upgrade:
        notes.append("this chart renders differently with .Release.IsUpgrade true: under Argo CD the upgrade "
                     "branches never apply")
    notes.append("objects that leave the chart are deleted only by a sync that prunes (syncPolicy prune, or "
                 "prune when syncing by hand); Helm deletes them on every upgrade")
    return notes


def build_delete(ctx: PlanContext, target: Target, classified: Classified, *, chart: dict[str, str]) -> TargetPlan:
    """Deleting the Application (cascade): PreDelete hooks, every resource, PostDelete hooks."""
    plan = _new_plan(ctx, target, "delete", chart)
    cite = "controller/appcontroller.go: finalizeApplicationDeletion; controller/hook.go: executeHooks"
    pre, post, resources = [], [], []
    for doc in _documents(classified):
        ann = annotations_of(doc)
        ref = ctx.ref(object_ref(doc))
        events = _helm_events(ann)
        argo = csv(ann, ARGO_HOOK)
        if ("pre-delete" in events or "PreDelete" in argo) and target.at_least(3, 3):
            pre.append((doc, ref))
        elif ("post-delete" in events or "PostDelete" in argo) and target.at_least(2, 10):
            post.append((doc, ref))
        elif not is_hook(ann) and not is_skip(ann):
            kept = _not_deleted(ref, ann)
            if kept is None:
                resources.append((doc, ref))
            else:
                plan.skipped.append(Skipped(ref, ctx.doc_source(doc), kept,
                                            "controller/appcontroller.go: shouldBeDeleted"))
        elif "pre-delete" in events or "post-delete" in events:
            plan.skipped.append(_skipped(ctx, target, doc, ref, ann))
    steps: list[TargetStep] = []
    for stage, hooks in (("PreDelete", pre), ("delete", []), ("PostDelete", post)):
        if stage == "delete":
            for doc, ref in resources:
                steps.append(TargetStep(0, "delete", "delete", ref, source=ctx.doc_source(doc),
                                        detail="cascade deletion of every managed resource, all at once", cite=cite))
            continue
        for doc, ref in hooks:
            steps.append(TargetStep(0, stage, "create-hook", ref, source=ctx.doc_source(doc),
                                    detail="all at once", cite=cite,
                                    differs="Helm runs delete hooks one at a time by weight; Argo CD creates them "
                                            "together and waits for all" if len(hooks) > 1 else None))
        if hooks:
            steps.append(TargetStep(0, stage, "wait", None, detail=f"until every {stage} hook is healthy; a failed "
                                    "one blocks the deletion", cite=cite))
    for stage, hooks in (("PreDelete", pre), ("PostDelete", post)):
        for doc, ref in hooks:
            policies = delete_policies(annotations_of(doc))
            if "HookSucceeded" in policies or "HookFailed" in policies:
                when = " and ".join(w for p, w in (("HookSucceeded", "all are healthy"),
                                                   ("HookFailed", "they are degraded")) if p in policies)
                steps.append(TargetStep(0, "cleanup", "delete-hook", ref, source=ctx.doc_source(doc),
                                        detail=f"{stage} hooks' cleanup: deleted when {when}",
                                        cite="controller/hook.go: cleanupHooks"))
            else:
                plan.notes.append(f"{ref.kind}/{ref.name}: a {stage} hook without HookSucceeded or HookFailed is "
                                  "left in the cluster after the deletion (controller/hook.go cleanupHooks)")
    plan.steps = number(steps)
    plan.notes.append(f"Argo CD {target.version_text}: PreDelete hooks from 3.3, PostDelete hooks from 2.10 "
                      "(helm.sh/hook pre-delete and post-delete count as them)")
    return plan

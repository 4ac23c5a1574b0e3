"""One builder per lifecycle event: Helm v3.17.1 `pkg/action/{install,upgrade,rollback,uninstall,
release_testing}.go`, with the v4.2.3 differences (SSA, wait strategies, failure cleanup)."""

from __future__ import annotations

from collections.abc import Callable

from hooklint.hooks import RESOURCE_POLICY_ANNOTATION, Classified, Hook, object_ref
from hooklint.kinds import sort_by_kind, uninstall_order
from hooklint.model import Document, ObjectRef
from hooklint.plan.context import PlanContext
from hooklint.plan.hookexec import FailContinuation, exec_hook_steps, resource_kind
from hooklint.plan.model import Failure, Step

EVENTS = ("install", "upgrade", "rollback", "uninstall", "test")


def _none_fail(_: str) -> tuple[list[Step], Failure]:  # pragma: no cover - placeholder
    return [], Failure(None, "")


# ---------------------------------------------------------------------------------------------
# shared pieces


def objects(docs: list[Document]) -> list[Document]:
    """Documents that yield a Kubernetes object: a comment-only (or empty) document stays in the
    stored manifest but the kube builder makes nothing of it."""
    return [d for d in docs if isinstance(d.body, dict) and d.body]


def _resource_ref(ctx: PlanContext, doc: Document) -> ObjectRef:
    return ctx.ref(object_ref(doc))


def _object_key(ctx: PlanContext, doc: Document) -> tuple[str, str, str, str]:
    """Helm's `objectKey`: group/version, kind, namespace, name."""
    ref = _resource_ref(ctx, doc)
    return (ref.api_version, ref.kind, ref.namespace or "", ref.name)


def _with_failure(steps: list[Step], on_fail: FailContinuation, what: Callable[[Step], str]) -> list[Step]:
    for step in steps:
        step.on_failure, step.failure = on_fail(what(step))
    return steps


def _batches(steps: list[Step]) -> list[Step]:
    """Consecutive steps on the same kind form one concurrent batch (kube client batchPerform)."""
    batch, last = -1, None
    for step in steps:
        kind = step.object.kind if step.object else None
        if kind != last:
            batch, last = batch + 1, kind
        step.batch = batch
    return steps


def _hooks(ctx: PlanContext, classified: Classified, event: str, on_fail: FailContinuation) -> list[Step]:
    if ctx.options.no_hooks:
        return []
    return exec_hook_steps(ctx, classified.hooks, event, on_fail)


def _wait_steps(ctx: PlanContext, docs: list[Document], event: str) -> list[Step]:
    if not ctx.resource_wait(event):
        return []
    jobs = ctx.options.wait_for_jobs
    steps = []
    for doc in docs:
        kind = resource_kind(doc)
        steps.append(
            Step(
                action="wait",
                object=_resource_ref(ctx, doc),
                source=ctx.doc_source(doc),
                phase="wait",
                timeout=ctx.options.timeout,
                ready_when=_resource_ready(kind, jobs),
            )
        )
    return steps


def _resource_ready(kind: str, wait_for_jobs: bool) -> str:
    rules = {
        "Pod": "Pod Ready",
        "Deployment": "new ReplicaSet available (paused: ready)",
        "PersistentVolumeClaim": "Bound",
        "Service": "has a ClusterIP (LoadBalancer: an ingress address; ExternalName: ready)",
        "DaemonSet": "pods rolled out and available",
        "StatefulSet": "pods rolled out and ready",
        "ReplicaSet": "available replicas",
        "ReplicationController": "available replicas",
        "CustomResourceDefinition": "Established",
    }
    if kind == "Job":
        return "Job complete" if wait_for_jobs else "ready (Jobs are checked only with --wait-for-jobs)"
    return rules.get(kind, "ready as soon as it exists")


# ---------------------------------------------------------------------------------------------
# uninstall (also the --atomic path of a failed install)


def uninstall_order_docs(docs: list[Document], helm_version: int) -> list[Document]:
    """deleteRelease: the stored manifest is re-split into `manifest-N` keys that SortManifests
    visits as *strings* (manifest-10 before manifest-2), then stable-sorted by UninstallOrder."""
    keyed = sorted(((f"manifest-{i}", d) for i, d in enumerate(docs)), key=lambda kv: kv[0])
    return sort_by_kind([d for _, d in keyed], resource_kind, uninstall_order(helm_version))


def _resource_policy(doc: Document) -> str | None:
    ann = (((doc.head or {}).get("metadata") or {}).get("annotations")) or {}
    value = ann.get(RESOURCE_POLICY_ANNOTATION)
    return None if value is None else str(value)


def uninstall_steps(
    ctx: PlanContext, classified: Classified, *, no_hooks: bool, purge_status: str | None, prefix: str
) -> tuple[list[Step], Failure]:
    """Uninstall.Run: pre-delete hooks, delete (keep-policy aware), [wait], post-delete hooks."""
    event_fail_status = "uninstalling"

    def pre_fail(what: str) -> tuple[list[Step], Failure]:
        return [], Failure(event_fail_status, f"{prefix}{what}")

    steps: list[Step] = []
    if not no_hooks:
        steps += exec_hook_steps(ctx, classified.hooks, "pre-delete", pre_fail)
    deletions: list[Step] = []
    kept: list[Step] = []
    for doc in uninstall_order_docs(objects(classified.resources), ctx.options.helm_version):
        policy = _resource_policy(doc)
        ref = _resource_ref(ctx, doc)
        if policy is not None and policy.strip().lower() == "keep":
            kept.append(
                Step(
                    action="keep",
                    object=ref,
                    source=ctx.doc_source(doc),
                    phase="resources",
                    note=f'helm.sh/resource-policy "{policy}": kept and reported',
                )
            )
        elif policy is not None:
            kept.append(
                Step(
                    action="keep",
                    object=ref,
                    source=ctx.doc_source(doc),
                    phase="resources",
                    note=f'helm.sh/resource-policy "{policy}" (not "keep"): silently neither deleted nor reported',
                )
            )
        else:
            deletions.append(
                Step(
                    action="delete",
                    object=ref,
                    source=ctx.doc_source(doc),
                    phase="resources",
                    wait_for_deletion=ctx.options.wait if not ctx.v4 else ctx.resource_wait("uninstall"),
                )
            )
    _batches(deletions)
    post_hooks: list[Step] = []
    if not no_hooks:

        def post_fail(what: str) -> tuple[list[Step], Failure]:
            return [], Failure(purge_status, f"{prefix}uninstallation completed with 1 error(s): {what}")

        post_hooks = exec_hook_steps(ctx, classified.hooks, "post-delete", post_fail)
    for d in deletions:
        d.on_failure, d.failure = (
            [],
            Failure(event_fail_status, f"{prefix}failed to delete release: {ctx.options.release_name}"),
        )
    steps += kept + deletions + post_hooks
    return steps, Failure(purge_status, "")


# ---------------------------------------------------------------------------------------------
# events


def build_install(ctx: PlanContext, classified: Classified) -> tuple[list[Step], str]:
    o = ctx.options
    name = o.release_name
    flag = "rollback-on-failure" if ctx.v4 else "atomic"

    def fail(what: str) -> tuple[list[Step], Failure]:
        if o.atomic:
            rest, _ = uninstall_steps(ctx, classified, no_hooks=o.no_hooks, purge_status=None, prefix="")
            return rest, Failure(
                None, f"release {name} failed, and has been uninstalled due to {flag} being set: {what}"
            )
        return [], Failure("failed", what)

    steps: list[Step] = []
    if not o.skip_crds:
        for doc in sorted(classified.crds, key=lambda d: (d.path.count("/charts/"), d.path, d.index)):
            if doc.head is None or not doc.head.get("kind"):
                continue
            steps.append(
                Step(
                    action="install-crd",
                    object=_resource_ref(ctx, doc),
                    source=ctx.doc_source(doc),
                    phase="crds",
                    method="create",
                    note="AlreadyExists skips the rest of the file; then waits until CRDs are Established",
                    on_failure=[],
                    failure=Failure(None, f"failed to install CRD {doc.path}: <error>"),
                )
            )
    steps += _hooks(ctx, classified, "pre-install", lambda w: fail(f"failed pre-install: {w}"))
    applies = [
        Step(
            action="apply",
            object=_resource_ref(ctx, d),
            source=ctx.doc_source(d),
            phase="resources",
            method=ctx.resource_method("install"),
        )
        for d in objects(classified.resources)
    ]
    steps += _with_failure(
        _batches(applies), fail, lambda s: f"<creating {s.object.kind if s.object else ''} failed>"
    )
    steps += _with_failure(
        _wait_steps(ctx, objects(classified.resources), "install"),
        fail,
        lambda s: "<resources not ready: timed out waiting for the condition>",
    )
    steps += _hooks(ctx, classified, "post-install", lambda w: fail(f"failed post-install: {w}"))
    return steps, "deployed"


def _update_steps(
    ctx: PlanContext,
    event: str,
    target: list[Document],
    current: list[Document] | None,
    fail: FailContinuation,
) -> list[Step]:
    """KubeClient.Update: create-or-patch each target object in order, then delete what left the
    chart in the current manifest's order unless the live object says exactly `keep`."""
    current_keys = {_object_key(ctx, d) for d in current} if current is not None else None
    steps: list[Step] = []
    for doc in target:
        method = ctx.resource_method(event)
        if not ctx.v4 and current_keys is not None:
            method = "patch" if _object_key(ctx, doc) in current_keys else "create"
        steps.append(
            Step(
                action="apply",
                object=_resource_ref(ctx, doc),
                source=ctx.doc_source(doc),
                phase="resources",
                method=method,
            )
        )
    _with_failure(steps, fail, lambda s: f"<updating {s.object.kind if s.object else ''} failed>")
    if current is None:
        return steps
    target_keys = {_object_key(ctx, d) for d in target}
    for doc in current:
        if _object_key(ctx, doc) in target_keys:
            continue
        policy = _resource_policy(doc)
        ref = _resource_ref(ctx, doc)
        if policy == "keep":
            steps.append(
                Step(
                    action="keep",
                    object=ref,
                    source=ctx.doc_source(doc),
                    phase="resources",
                    note='left the chart; live helm.sh/resource-policy is exactly "keep"',
                )
            )
        else:
            note = "left the chart"
            if policy is not None:
                note += f'; helm.sh/resource-policy "{policy}" is not exactly "keep", so it is deleted'
            steps.append(
                Step(
                    action="delete",
                    object=ref,
                    source=ctx.doc_source(doc),
                    phase="resources",
                    note=note + " (delete errors are only logged)",
                    wait_for_deletion=False,
                )
            )
    return steps


def build_upgrade(
    ctx: PlanContext, classified: Classified, previous: Classified | None
) -> tuple[list[Step], str]:
    o = ctx.options
    name = o.release_name
    flag = "rollback-on-failure" if ctx.v4 else "atomic"

    def fail(what: str) -> tuple[list[Step], Failure]:
        if o.atomic:
            if previous is not None:
                rest, _ = rollback_steps(ctx, previous, objects(classified.resources), rb_fail_prefix="")
            else:
                rest = []
            return rest, Failure(
                "failed", f"release {name} failed, and has been rolled back due to {flag} being set: {what}"
            )
        return [], Failure("failed", what)

    steps = _hooks(ctx, classified, "pre-upgrade", lambda w: fail(f"pre-upgrade hooks failed: {w}"))
    current = objects(previous.resources) if previous is not None else None
    steps += _update_steps(ctx, "upgrade", objects(classified.resources), current, fail)
    steps += _with_failure(
        _wait_steps(ctx, objects(classified.resources), "upgrade"),
        fail,
        lambda s: "<resources not ready: timed out waiting for the condition>",
    )
    steps += _hooks(ctx, classified, "post-upgrade", lambda w: fail(f"post-upgrade hooks failed: {w}"))
    return steps, "deployed"


def rollback_steps(
    ctx: PlanContext, target: Classified, current: list[Document] | None, rb_fail_prefix: str
) -> tuple[list[Step], str]:
    """Rollback.performRollback with the target revision's stored hooks and manifest."""
    name = ctx.options.release_name

    def hook_fail(what: str) -> tuple[list[Step], Failure]:
        return [], Failure("pending-rollback", rb_fail_prefix + what)

    def update_fail(what: str) -> tuple[list[Step], Failure]:
        return [], Failure("failed", f'{rb_fail_prefix}Rollback "{name}" failed: {what}')

    steps = _hooks(ctx, target, "pre-rollback", hook_fail)
    steps += _update_steps(ctx, "rollback", objects(target.resources), current, update_fail)
    steps += _with_failure(
        _wait_steps(ctx, objects(target.resources), "rollback"),
        lambda w: ([], Failure("failed", f"{rb_fail_prefix}release {name} failed: {w}")),
        lambda s: "<resources not ready: timed out waiting for the condition>",
    )
    steps += _hooks(ctx, target, "post-rollback", hook_fail)
    return steps, "deployed"


def build_uninstall(ctx: PlanContext, classified: Classified) -> tuple[list[Step], str]:
    status = "uninstalled" if ctx.options.keep_history else None
    steps, _ = uninstall_steps(ctx, classified, no_hooks=ctx.options.no_hooks, purge_status=status, prefix="")
    return steps, status or "purged"


def _test_hooks(classified: Classified, filters: list[str]) -> list[Hook]:
    """release_testing.go filters: `!name=X` excludes first, then `name=X` includes."""
    include = [f.split("=", 1)[1] for f in filters if f.startswith("name=")]
    exclude = [f.split("=", 1)[1] for f in filters if f.startswith("!") and "name=" in f]
    hooks = [h for h in classified.hooks if h.name not in exclude]
    if include:
        hooks = [h for h in hooks if h.name in include]
    return hooks


def build_test(ctx: PlanContext, classified: Classified) -> tuple[list[Step], str]:
    hooks = _test_hooks(classified, ctx.options.test_filters)

    def fail(what: str) -> tuple[list[Step], Failure]:
        return [], Failure("deployed", what)  # tests never change the release status

    return exec_hook_steps(ctx, hooks, "test", fail), "deployed"

"""One builder per lifecycle event: Helm v3.17.1 `pkg/action/{install,upgrade,rollback,uninstall,
release_testing}.go`, with the v4.2.3 differences (SSA, wait strategies, failure cleanup)."""

from __future__ import annotations

import re
from collections.abc import Callable

from hooklint.documents.hooks import RESOURCE_POLICY_ANNOTATION, Classified, Hook, object_ref
from hooklint.documents.kinds import sort_by_kind, uninstall_order
from hooklint.documents.manifests import list_items
from hooklint.model import Document, ObjectRef
from hooklint.plan.context import PlanContext
from hooklint.plan.hookexec import FailContinuation, exec_hook_steps, hooks_for_event, resource_kind
from hooklint.plan.model import Failure, Step, WaitTarget
from hooklint.plan.readiness import barrier_summary, resource_ready_when

EVENTS = ("install", "upgrade", "rollback", "uninstall", "test")


# ---------------------------------------------------------------------------------------------
# shared pieces


def _documents(docs: list[Document]) -> list[Document]:
    """Documents that yield Kubernetes objects: a comment-only (or empty) document stays in the
    stored manifest but the kube builder makes nothing of it."""
    return [d for d in docs if isinstance(d.body, dict) and d.body]


def objects(docs: list[Document]) -> list[Document]:
    """The objects the kube builder makes of these documents, in their order: a list's items
    take its place (manifests are sorted by the list's own kind before they are built)."""
    return [item for d in _documents(docs) for item in list_items(d)]


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


WAIT_TIMEOUT_ERROR = "<resources not ready: context deadline exceeded>"
CRD_WAIT_TIMEOUT = "1m0s"  # installCRDs: Wait(created, 60*time.Second)


def _wait_barrier(
    ctx: PlanContext,
    docs: list[Document],
    event: str,
    *,
    phase: str = "wait",
    timeout: str | None = None,
    jobs: bool | None = None,
) -> list[Step]:
    """Helm's one Wait/WaitWithJobs call over all `docs`: a single step listing every object
    and its readiness rule (none when the wait does not run or there is nothing to wait for)."""
    if not docs:
        return []
    kstatus = ctx.v4 and ctx.strategy(event) == "watcher"
    wait_for_jobs = ctx.options.wait_for_jobs if jobs is None else jobs
    targets = [
        WaitTarget(
            object=_resource_ref(ctx, d),
            ready_when=resource_ready_when(
                _resource_ref(ctx, d), kstatus=kstatus, wait_for_jobs=wait_for_jobs
            ),
            source=ctx.doc_source(d),
        )
        for d in docs
    ]
    return [
        Step(
            action="wait",
            object=None,
            phase=phase,
            timeout=timeout or ctx.options.timeout,
            ready_when=barrier_summary(kstatus),
            waits_for=targets,
            note="Jobs included (--wait-for-jobs)" if wait_for_jobs else None,
        )
    ]


def _wait_steps(ctx: PlanContext, docs: list[Document], event: str) -> list[Step]:
    if not ctx.resource_wait(event):
        return []
    return _wait_barrier(ctx, docs, event)


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
    ctx: PlanContext,
    classified: Classified,
    *,
    no_hooks: bool,
    purge_status: str | None,
    prefix: str,
    atomic_path: bool = False,
) -> tuple[list[Step], Failure]:
    """Uninstall.Run: pre-delete hooks, delete (keep-policy aware), [wait], post-delete hooks."""
    event_fail_status = "uninstalling"
    if ctx.v4:
        waits = ctx.resource_wait("uninstall")
    else:
        waits = ctx.options.wait and not atomic_path

    def pre_fail(what: str) -> tuple[list[Step], Failure]:
        return [], Failure(event_fail_status, f"{prefix}{what}")

    steps: list[Step] = []
    if not no_hooks:
        steps += exec_hook_steps(ctx, classified.hooks, "pre-delete", pre_fail)
    deletions: list[Step] = []
    kept: list[Step] = []
    # the keep policy is read from each stored manifest (a list's own annotations), then the
    # manifests left to delete are built, which flattens lists
    for doc in uninstall_order_docs(_documents(classified.resources), ctx.options.helm_version):
        policy = _resource_policy(doc)
        ref = _resource_ref(ctx, doc)
        if policy is None:
            deletions += [
                Step(
                    action="delete",
                    object=_resource_ref(ctx, item),
                    source=ctx.doc_source(item),
                    phase="resources",
                    wait_for_deletion=waits,
                )
                for item in list_items(doc)
            ]
        elif policy.strip().lower() == "keep":
            kept.append(
                Step(
                    action="keep",
                    object=ref,
                    source=ctx.doc_source(doc),
                    phase="resources",
                    note=f'helm.sh/resource-policy "{policy}": kept and reported',
                )
            )
        else:
            kept.append(
                Step(
                    action="keep",
                    object=ref,
                    source=ctx.doc_source(doc),
                    phase="resources",
                    note=f'helm.sh/resource-policy "{policy}" (not "keep"): silently neither deleted nor reported',
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


def _crd_steps(ctx: PlanContext, classified: Classified) -> list[Step]:
    """installCRDs: create each crds/ file's objects in file order, then one wait (60s) for all
    created objects to be Established. v4 applies them server-side (never AlreadyExists) and waits
    only under the watcher/legacy strategies (hookOnly's Wait is a no-op)."""
    if ctx.options.skip_crds:
        return []
    docs = [
        d
        for d in sorted(classified.crds, key=lambda d: (d.path.count("/charts/"), d.path, d.index))
        if d.head is not None and d.head.get("kind")
    ]
    method = ctx.resource_method("install")
    steps: list[Step] = []
    for doc in docs:
        note = (
            "AlreadyExists: Helm logs `CRD ... is already present. Skipping.` and skips the rest of this file"
            if method == "create"
            else "server-side apply: an existing CRD is updated in place"
        )
        steps.append(
            Step(
                action="install-crd",
                object=_resource_ref(ctx, doc),
                source=ctx.doc_source(doc),
                phase="crds",
                method=method,
                note=note,
                on_failure=[],
                failure=Failure(None, f"failed to install CRD {doc.path}: <error>"),
            )
        )
    if not ctx.v4 or ctx.strategy("install") != "hookOnly":
        for wait in _wait_barrier(ctx, docs, "install", phase="crds", timeout=CRD_WAIT_TIMEOUT, jobs=False):
            wait.note = "only the objects created now (files skipped on AlreadyExists are not waited for)"
            wait.on_failure, wait.failure = [], Failure(None, WAIT_TIMEOUT_ERROR)
            steps.append(wait)
    return steps


def _object_keys(ctx: PlanContext, docs: list[Document] | None) -> set[tuple[str, str, str, str]] | None:
    return {_object_key(ctx, d) for d in docs} if docs is not None else None


def build_install(
    ctx: PlanContext, classified: Classified, previous: Classified | None = None
) -> tuple[list[Step], str]:
    """Install.RunWithContext + performInstall. `previous` (with --replace): the rendering of the
    failed release whose objects are still there; Helm adopts those (ownership metadata of this
    release) and then uses Update instead of the batched Create."""
    o = ctx.options
    name = o.release_name
    flag = "rollback-on-failure" if ctx.v4 else "atomic"

    def fail(what: str) -> tuple[list[Step], Failure]:
        if o.atomic:
            # v3 failRelease sets no Wait on the Uninstall; v4 passes the install's wait strategy
            rest, _ = uninstall_steps(
                ctx, classified, no_hooks=o.no_hooks, purge_status=None, prefix="", atomic_path=True
            )
            return rest, Failure(
                None, f"release {name} failed, and has been uninstalled due to {flag} being set: {what}"
            )
        return [], Failure("failed", what)

    steps = _crd_steps(ctx, classified)
    steps += _hooks(ctx, classified, "pre-install", lambda w: fail(f"failed pre-install: {w}"))
    resources = objects(classified.resources)
    adopted = _object_keys(ctx, objects(previous.resources)) if previous is not None and o.replace else None
    if adopted and any(_object_key(ctx, d) in adopted for d in resources) and not ctx.ssa("install"):
        # performInstall: Update(toBeAdopted, resources): sequential, create what is missing
        applies = []
        for d in resources:
            applies.append(
                Step(
                    action="apply",
                    object=_resource_ref(ctx, d),
                    source=ctx.doc_source(d),
                    phase="resources",
                    method="patch" if _object_key(ctx, d) in adopted else "create",
                    note="adopted: exists with this release's ownership metadata"
                    if _object_key(ctx, d) in adopted
                    else None,
                )
            )
        steps += _with_failure(
            applies, fail, lambda s: f"<updating {s.object.kind if s.object else ''} failed>"
        )
    else:
        applies = [
            Step(
                action="apply",
                object=_resource_ref(ctx, d),
                source=ctx.doc_source(d),
                phase="resources",
                method=ctx.resource_method("install"),
            )
            for d in resources
        ]
        steps += _with_failure(
            _batches(applies), fail, lambda s: f"<creating {s.object.kind if s.object else ''} failed>"
        )
    steps += _with_failure(_wait_steps(ctx, resources, "install"), fail, lambda s: WAIT_TIMEOUT_ERROR)
    steps += _hooks(ctx, classified, "post-install", lambda w: fail(f"failed post-install: {w}"))
    return steps, "deployed"


# Given a failure description and the objects Update created before it, Helm's continuation.
CreatedFail = Callable[[str, "list[Document] | None"], tuple[list[Step], Failure]]


def _update_steps(
    ctx: PlanContext,
    event: str,
    target: list[Document],
    current: list[Document] | None,
    fail: CreatedFail,
) -> list[Step]:
    """KubeClient.Update: create-or-patch each target object in order, then delete what left the
    chart in the current manifest's order unless the live object says exactly `keep`.

    A create error stops at once; patch errors are collected and reported after the last target
    (before any deletion). `fail` gets the objects created so far (`Result.Created`)."""
    current_docs = {_object_key(ctx, d): d for d in current} if current is not None else None
    client_side = not ctx.ssa(event)
    steps: list[Step] = []
    created: list[Document] = []
    for doc in target:
        key = _object_key(ctx, doc)
        step = Step(
            action="apply",
            object=_resource_ref(ctx, doc),
            source=ctx.doc_source(doc),
            phase="resources",
            method=ctx.resource_method(event),
        )
        if client_side and current_docs is not None:
            old = current_docs.get(key)
            step.method = "patch" if old is not None else "create"
            if old is None:
                created.append(doc)
            elif old.body == doc.body:
                step.unchanged = True
                step.note = (
                    "unchanged since the replaced revision: Helm sends no PATCH (empty three-way patch) "
                    "unless the live object drifted from the manifest"
                )
        failed_created = list(created) if current_docs is not None else None
        step.on_failure, step.failure = fail(
            f"<updating {doc.head.get('kind', '') if doc.head else ''} failed>", failed_created
        )
        steps.append(step)
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


def new_objects(
    ctx: PlanContext, target: list[Document], current: list[Document] | None
) -> list[Document] | None:
    """Objects of `target` that `current` does not have (what Update creates); None if unknown."""
    if current is None:
        return None
    keys = {_object_key(ctx, d) for d in current}
    return [d for d in target if _object_key(ctx, d) not in keys]


def _cleanup_steps(ctx: PlanContext, created: list[Document]) -> list[Step]:
    """--cleanup-on-fail: KubeClient.Delete(Result.Created): batched by kind in creation order,
    Background propagation, no wait."""
    steps = [
        Step(
            action="delete",
            object=_resource_ref(ctx, d),
            source=ctx.doc_source(d),
            phase="cleanup",
            note="--cleanup-on-fail: created by this operation",
            wait_for_deletion=False,
        )
        for d in created
    ]
    return _batches(steps)


CLEANUP_UNKNOWN = (
    "--cleanup-on-fail deletes the objects this operation created; without the replaced revision's "
    "rendering they are not known"
)
ROLLBACK_UNKNOWN = (
    "Helm now rolls back to the newest superseded/deployed revision (with --wait); its hooks and "
    "manifest are unknown without that revision's rendering (--previous-rendered or "
    "--previous-values), so the rollback steps are not listed"
)


def build_upgrade(
    ctx: PlanContext, classified: Classified, previous: Classified | None
) -> tuple[list[Step], str]:
    o = ctx.options
    name = o.release_name
    flag = "rollback-on-failure" if ctx.v4 else "atomic"
    target = objects(classified.resources)
    current = objects(previous.resources) if previous is not None else None

    def fail(what: str, created: list[Document] | None) -> tuple[list[Step], Failure]:
        """failRelease: record failed, [--cleanup-on-fail deletions], [--atomic rollback]."""
        rest: list[Step] = []
        notes: list[str] = []
        if o.cleanup_on_fail:
            if created is None:
                notes.append(CLEANUP_UNKNOWN)
            else:
                rest += _cleanup_steps(ctx, created)
        if o.atomic:
            if previous is not None:
                rb, _ = rollback_steps(ctx, previous, target, rb_fail_prefix="")
                rest += rb
            else:
                notes.append(ROLLBACK_UNKNOWN)
            error = f"release {name} failed, and has been rolled back due to {flag} being set: {what}"
            return rest, Failure("failed", error, "; ".join(notes) or None)
        return rest, Failure("failed", what, "; ".join(notes) or None)

    all_new = new_objects(ctx, target, current)
    steps = _hooks(ctx, classified, "pre-upgrade", lambda w: fail(f"pre-upgrade hooks failed: {w}", []))
    steps += _update_steps(ctx, "upgrade", target, current, fail)
    steps += _with_failure(
        _wait_steps(ctx, target, "upgrade"), lambda w: fail(w, all_new), lambda s: WAIT_TIMEOUT_ERROR
    )
    steps += _hooks(
        ctx, classified, "post-upgrade", lambda w: fail(f"post-upgrade hooks failed: {w}", all_new)
    )
    return steps, "deployed"


def rollback_steps(
    ctx: PlanContext,
    target: Classified,
    current: list[Document] | None,
    rb_fail_prefix: str,
    cleanup_on_fail: bool = False,
) -> tuple[list[Step], str]:
    """Rollback.performRollback with the target revision's stored hooks and manifest. (The
    rollback of a failed `upgrade --atomic` never sets --cleanup-on-fail.)"""
    name = ctx.options.release_name
    cleanup = cleanup_on_fail

    def hook_fail(what: str) -> tuple[list[Step], Failure]:
        return [], Failure("pending-rollback", rb_fail_prefix + what)

    def update_fail(what: str, created: list[Document] | None) -> tuple[list[Step], Failure]:
        failure = Failure("failed", f'{rb_fail_prefix}Rollback "{name}" failed: {what}')
        if not cleanup:
            return [], failure
        if created is None:
            failure.note = CLEANUP_UNKNOWN
            return [], failure
        return _cleanup_steps(ctx, created), failure

    steps = _hooks(ctx, target, "pre-rollback", hook_fail)
    steps += _update_steps(ctx, "rollback", objects(target.resources), current, update_fail)
    steps += _with_failure(
        _wait_steps(ctx, objects(target.resources), "rollback"),
        lambda w: ([], Failure("failed", f"{rb_fail_prefix}release {name} failed: {w}")),
        lambda s: WAIT_TIMEOUT_ERROR,
    )
    steps += _hooks(ctx, target, "post-rollback", hook_fail)
    return steps, "deployed"


def build_uninstall(ctx: PlanContext, classified: Classified) -> tuple[list[Step], str]:
    status = "uninstalled" if ctx.options.keep_history else None
    steps, _ = uninstall_steps(ctx, classified, no_hooks=ctx.options.no_hooks, purge_status=status, prefix="")
    return steps, status or "purged"


_NOT_NAME = re.compile(r"^!\s?name=")


def _test_hooks(classified: Classified, filters: list[str]) -> list[Hook]:
    r"""cmd/helm/release_testing.go filters: `name=X` includes, `^!\s?name=X` excludes; exclusion
    is applied first, then inclusion (release_testing.go Run)."""
    include = [f[len("name=") :] for f in filters if f.startswith("name=")]
    exclude = [_NOT_NAME.sub("", f, count=1) for f in filters if _NOT_NAME.match(f)]
    hooks = [h for h in classified.hooks if h.name not in exclude]
    if include:
        hooks = [h for h in hooks if h.name in include]
    return hooks


def _log_steps(ctx: PlanContext, hooks: list[Hook], deleted: set[str], never_ran: set[str]) -> list[Step]:
    """`helm test --logs` (GetPodLogs): for every test hook in (weight, name) order, read the logs
    of the Pod named like the hook in the release namespace; the first error ends the command."""
    steps: list[Step] = []
    for hook in hooks_for_event(hooks, "test"):
        ref = ObjectRef("v1", "Pod", hook.name, ctx.options.namespace)
        step = Step(
            action="logs",
            object=ref,
            hook_event="test",
            weight=hook.weight,
            source=ctx.hook_source(hook),
            phase="logs",
        )
        not_found = f'unable to get pod logs for {hook.name}: pods "{hook.name}" not found'
        if hook.name in deleted:
            step.fails = not_found
        elif hook.name in never_ran:
            step.note = f"never created in this run: {not_found} (unless a Pod is left from an earlier run)"
        elif hook.kind != "Pod":
            step.note = f"a {hook.kind} hook: {not_found} unless a Pod of that name exists"
        step.on_failure, step.failure = [], Failure("deployed", not_found)
        steps.append(step)
    return steps


def build_test(ctx: PlanContext, classified: Classified) -> tuple[list[Step], str]:
    hooks = _test_hooks(classified, ctx.options.test_filters)
    selected = hooks_for_event(hooks, "test")
    logs = ctx.options.test_logs

    def succeeded_deleted(upto: int | None) -> set[str]:
        chosen = selected if upto is None else selected[:upto]
        return {
            h.name for h in chosen if h.kind != "CustomResourceDefinition" and h.has_policy("hook-succeeded")
        }

    def fail(what: str) -> tuple[list[Step], Failure]:
        return [], Failure("deployed", what)  # tests never change the release status

    if not logs:
        return exec_hook_steps(ctx, hooks, "test", fail), "deployed"
    if ctx.v4:  # v4.1+: logs before the cleanup, on success and failure alike

        def delayed(failed_at: int | None) -> list[Step]:
            never = set() if failed_at is None else {h.name for h in selected[failed_at + 1 :]}
            return _log_steps(ctx, hooks, set(), never)

        return exec_hook_steps(ctx, hooks, "test", fail, delayed=delayed), "deployed"
    steps = exec_hook_steps(ctx, hooks, "test", fail)
    # v3: the logs are read after execHook returned, i.e. after its deletions
    for step in steps:
        if step.action == "wait-hook" and step.on_failure is not None and step.object is not None:
            i = next(k for k, h in enumerate(selected) if h.name == step.object.name)
            gone = {selected[i].name} if selected[i].has_policy("hook-failed") else set()
            step.on_failure = step.on_failure + _log_steps(
                ctx, hooks, gone, {h.name for h in selected[i + 1 :]}
            )
    steps += _log_steps(ctx, hooks, succeeded_deleted(None), set())
    return steps, "deployed"

"""`Configuration.execHook` as steps (Helm v3.17.1 `pkg/action/hooks.go`; v4.2.3 differences noted).

Per event: select the hooks listing the event (once per listing: duplicates run twice), stable
sort by (weight, name) over the stored kind order, then for each hook: before-hook-creation
deletion, create, watch (Job/Pod in v3; every hook through kstatus in v4), and at the end the
hook-succeeded deletions in reverse order. CRD hooks are never deleted.
"""

from __future__ import annotations

from collections.abc import Callable

from hooklint.documents.hooks import Hook, HookDeletePolicy
from hooklint.model import Document
from hooklint.plan.context import PlanContext
from hooklint.plan.model import Failure, Step

# Given a description of what failed, what Helm does next (steps) and what it leaves behind.
FailContinuation = Callable[[str], tuple[list[Step], Failure]]

CRD_KIND = "CustomResourceDefinition"


def hooks_for_event(hooks: list[Hook], event: str) -> list[Hook]:
    """execHook's selection + `sort.Stable(hookByWeight)`: weight, then name; ties keep the stored
    (kind-sorted) order. A hook listing the event twice is selected twice."""
    selected = [h for h in hooks for e in h.events if e.value == event]
    return sorted(selected, key=lambda h: (h.weight, h.name))


def _waits_for(ctx: PlanContext, hook: Hook, event: str) -> bool:
    if ctx.v4 and ctx.strategy(event) != "legacy":
        return True  # kstatus watches every hook; kinds it cannot judge are ready at once
    return hook.kind in ("Job", "Pod")  # watchUntilReady: REST kind only, the group is ignored


def ready_when(ctx: PlanContext, hook: Hook, event: str) -> str:
    kind = hook.kind
    group = hook.ref.api_version.rsplit("/", 1)[0] if "/" in hook.ref.api_version else ""
    if ctx.v4 and ctx.strategy(event) != "legacy":
        if kind == "Job" and group == "batch":
            return "Job condition Complete=True (fails on Failed=True)"
        if kind == "Pod" and group == "":
            return "Pod phase Succeeded (fails on phase Failed)"
        return "ready as soon as it exists (kstatus has no readiness rule for this kind here)"
    if kind == "Job":
        if group != "batch":
            return f"fails: expected {hook.name} to be a *batch.Job (a custom kind named Job)"
        return "Job condition Complete=True (fails on Failed=True); a Deleted event counts as success"
    if group != "":
        return f"fails: expected {hook.name} to be a *v1.Pod (a custom kind named Pod)"
    return "Pod phase Succeeded (fails on phase Failed); a Deleted event counts as success"


def _delete_hook_step(ctx: PlanContext, hook: Hook, event: str, policy: HookDeletePolicy) -> Step:
    return Step(
        action="delete-hook",
        object=ctx.ref(hook.ref),
        hook_event=event,
        weight=hook.weight,
        reason=policy.value,
        source=ctx.hook_source(hook),
        phase=event,
        wait_for_deletion=ctx.waits_for_deletion(event),
        delete_policies=list(hook.effective_delete_policies),
    )


def _deletable(hook: Hook, policy: HookDeletePolicy) -> bool:
    return hook.kind != CRD_KIND and hook.has_policy(policy)


def build_error(doc: Document, validate: bool = True) -> str | None:
    """The kube builder's error for annotation or label values that are not strings (Helm's own
    parsing coerced them, the API types do not): `unable to decode "": json: cannot unmarshal ...`.
    A label is only decoded into the typed object by a validating Build (`validate`: the hook's
    creation, the release manifest), not by the deletion's; the YAML becomes JSON with sorted keys,
    so annotations are decoded (and fail) before labels."""
    meta = doc.body.get("metadata") if isinstance(doc.body, dict) else None
    if not isinstance(meta, dict):
        return None
    for field in ("annotations", "labels") if validate else ("annotations",):
        values = meta.get(field)
        if not isinstance(values, dict):
            continue
        for value in values.values():
            if value is None or isinstance(value, str):
                continue
            kind = "bool" if isinstance(value, bool) else "number"
            return (
                f'unable to decode "": json: cannot unmarshal {kind} into Go struct field '
                f"ObjectMeta.metadata.{field} of type string"
            )
    return None


def exec_hook_steps(
    ctx: PlanContext,
    hooks: list[Hook],
    event: str,
    on_fail: FailContinuation,
    delayed: Callable[[int | None], list[Step]] | None = None,
) -> list[Step]:
    """The steps of one hook event; each failable step carries Helm's failure branch.

    `delayed(i)`: steps Helm runs after the hooks but before their cleanup, on success (i None)
    and when the watch of hook i fails (v4.1+ `execHookWithDelayedShutdown`: `helm test --logs`)."""
    selected = hooks_for_event(hooks, event)
    timeout = ctx.options.timeout
    steps: list[Step] = []
    for i, hook in enumerate(selected):
        bad_build = build_error(hook.doc)
        bad_delete = build_error(hook.doc, validate=False)
        if _deletable(hook, HookDeletePolicy.BEFORE_HOOK_CREATION):
            step = _delete_hook_step(ctx, hook, event, HookDeletePolicy.BEFORE_HOOK_CREATION)
            if bad_delete is not None:  # the deletion builds the manifest first, and fails
                step.fails = f"unable to build kubernetes object for deleting hook {hook.path}: {bad_delete}"
                step.on_failure, step.failure = on_fail(step.fails)
                bad_build = None
            else:
                step.on_failure, step.failure = on_fail(
                    f"deleting {hook.kind}/{hook.name} before re-creating it failed"
                )
            steps.append(step)
        create = Step(
            action="create-hook",
            object=ctx.ref(hook.ref),
            hook_event=event,
            weight=hook.weight,
            source=ctx.hook_source(hook),
            phase=event,
            method=ctx.hook_create_method(event),
            delete_policies=list(hook.effective_delete_policies),
        )
        if create.method == "create":
            create.note = "POST: fails with AlreadyExists if the object exists"
            if ctx.v4:
                create.note += " (client-side apply: the release was made by Helm 3 or --server-side=false)"
        if bad_build is not None:
            create.fails = f"unable to build kubernetes object for {event} hook {hook.path}: {bad_build}"
            rest, failure = on_fail(create.fails)
        else:
            rest, failure = on_fail(f"warning: Hook {event} {hook.path} failed: <create error>")
        create.on_failure, create.failure = rest, failure  # no hook-failed deletion on a create error
        steps.append(create)
        if not _waits_for(ctx, hook, event):
            continue
        wait = Step(
            action="wait-hook",
            object=ctx.ref(hook.ref),
            hook_event=event,
            weight=hook.weight,
            source=ctx.hook_source(hook),
            phase=event,
            ready_when=ready_when(ctx, hook, event),
            timeout=timeout,
        )
        cleanup: list[Step] = []
        if _deletable(hook, HookDeletePolicy.HOOK_FAILED):
            cleanup.append(_delete_hook_step(ctx, hook, event, HookDeletePolicy.HOOK_FAILED))
        if ctx.v4:  # v3.19+/v4: earlier hooks of this event with hook-succeeded, in forward order
            for earlier in selected[:i]:
                if _deletable(earlier, HookDeletePolicy.HOOK_SUCCEEDED):
                    cleanup.append(_delete_hook_step(ctx, earlier, event, HookDeletePolicy.HOOK_SUCCEEDED))
        rest, failure = on_fail(f"<{hook.kind} {hook.name} failed or timed out>")
        wait.on_failure, wait.failure = (delayed(i) if delayed else []) + cleanup + rest, failure
        steps.append(wait)
    if delayed is not None:
        steps += delayed(None)
    for hook in reversed(selected):  # after the whole event succeeded
        if _deletable(hook, HookDeletePolicy.HOOK_SUCCEEDED):
            step = _delete_hook_step(ctx, hook, event, HookDeletePolicy.HOOK_SUCCEEDED)
            step.on_failure, step.failure = on_fail(f"deleting hook {hook.kind}/{hook.name} failed")
            steps.append(step)
    return steps


def resource_kind(doc: Document) -> str:
    return str((doc.head or {}).get("kind", ""))

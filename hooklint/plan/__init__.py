"""Helm's lifecycle as data: `build_plan(event, classified, options)` -> Plan.

Layout: model.py (Plan/Step, JSON round trip), context.py (options, per-version facts),
hookexec.py (execHook), builders.py (one builder per event).
"""

from __future__ import annotations

from collections.abc import Callable

from hooklint.documents.hooks import Classified, object_ref
from hooklint.documents.source import SourcePos
from hooklint.errors import RenderError
from hooklint.plan.builders import (
    EVENTS,
    build_install,
    build_test,
    build_uninstall,
    build_upgrade,
    objects,
    rollback_steps,
)
from hooklint.plan.context import PlanContext, PlanOptions, default_source
from hooklint.plan.hookexec import hooks_for_event
from hooklint.plan.model import SCHEMA_VERSION, DroppedEntry, Failure, Plan, Source, Step, renumber

__all__ = [
    "EVENTS",
    "SCHEMA_VERSION",
    "DroppedEntry",
    "Failure",
    "Plan",
    "PlanOptions",
    "Source",
    "Step",
    "build_plan",
    "hooks_for_event",
    "plans_to_dict",
]


def build_plan(
    event: str,
    classified: Classified,
    options: PlanOptions | None = None,
    *,
    chart: dict[str, str] | None = None,
    previous: Classified | None = None,
    source_of: Callable[[SourcePos, str], Source] = default_source,
) -> Plan:
    """The plan of `event` for a classified rendering.

    install/upgrade/test/uninstall: `classified` is the chart as rendered for this release.
    rollback: `classified` is the *target* revision's rendering. `previous` is the rendering of
    the release being replaced (upgrade/rollback: lists the resources that leave the chart).
    Raises RenderError like Helm when a document does not decode."""
    if event not in EVENTS:
        raise ValueError(f"unknown event {event!r}")
    options = options or PlanOptions()
    if classified.errors:
        doc = classified.errors[0]
        raise RenderError(doc.parse_error or "YAML parse error", doc.pos)
    ctx = PlanContext(options=options, source_of=source_of)
    if event == "install":
        steps, final = build_install(ctx, classified, previous)
    elif event == "upgrade":
        steps, final = build_upgrade(ctx, classified, previous)
    elif event == "rollback":
        current = objects(previous.resources) if previous is not None else None
        steps, final = rollback_steps(
            ctx, classified, current, rb_fail_prefix="", cleanup_on_fail=options.cleanup_on_fail
        )
    elif event == "uninstall":
        steps, final = build_uninstall(ctx, classified)
    else:
        steps, final = build_test(ctx, classified)
    revision = (
        options.revision if options.revision is not None else (2 if event in ("upgrade", "rollback") else 1)
    )
    plan = Plan(
        event=event,
        helm_version=str(4 if options.helm_version >= 4 else 3),
        chart=dict(chart or {"name": "", "version": ""}),
        release={"name": options.release_name, "namespace": options.namespace, "revision": revision},
        steps=renumber(steps),
        final_status=final,
        options=_options_dict(event, ctx),
    )
    for dropped in classified.dropped:
        plan.dropped.append(
            DroppedEntry(
                object=ctx.ref(object_ref(dropped.doc)),
                source=ctx.doc_source(dropped.doc),
                reason=dropped.reason,
            )
        )
    plan.notes = _notes(event, ctx, classified, previous)
    return plan


def _options_dict(event: str, ctx: PlanContext) -> dict[str, object]:
    o = ctx.options
    d: dict[str, object] = {
        "no_hooks": o.no_hooks,
        "wait": o.wait,
        "wait_for_jobs": o.wait_for_jobs,
        "timeout": o.timeout,
        "atomic": o.atomic,
    }
    if event == "install":
        d["skip_crds"] = o.skip_crds
        if o.replace:
            d["replace"] = True
    if event in ("install", "upgrade") and o.take_ownership:
        d["take_ownership"] = True
    if event in ("upgrade", "rollback") and o.cleanup_on_fail:
        d["cleanup_on_fail"] = True
    if ctx.v4:
        d["wait_strategy"] = ctx.strategy(event)
        d["server_side_apply"] = ctx.ssa(event)
    if event == "test" and o.test_filters:
        d["filter"] = list(o.test_filters)
    if event == "test" and o.test_logs:
        d["logs"] = True
    return d


_EVENT_HOOKS = {
    "install": ("pre-install", "post-install"),
    "upgrade": ("pre-upgrade", "post-upgrade"),
    "rollback": ("pre-rollback", "post-rollback"),
    "uninstall": ("pre-delete", "post-delete"),
    "test": ("test",),
}


def _notes(event: str, ctx: PlanContext, classified: Classified, previous: Classified | None) -> list[str]:
    o = ctx.options
    notes: list[str] = []
    if event in ("upgrade", "rollback") and previous is None:
        notes.append(
            "no previous rendering given: resources that left the chart (deleted by Helm) are not listed"
        )
    if event == "rollback":
        notes.append(
            "rollback runs the hooks and manifest of the target revision, as that revision was rendered"
        )
    if event == "uninstall":
        notes.append("uninstall uses the highest revision's hooks and manifest, even a failed one")
    if event == "install" and o.replace:
        notes.append(
            "--replace: rendered as revision 1 but stored as the last revision + 1; the last record "
            "becomes superseded unless it failed"
        )
        if previous is None:
            notes.append(
                "--replace: objects left by the replaced release that carry this release's ownership "
                "metadata are adopted, and Helm then uses Update (sequential create-or-patch) instead "
                "of the batched Create; give the replaced release's rendering to plan that"
            )
    if o.take_ownership and event in ("install", "upgrade"):
        notes.append(
            "--take-ownership: objects that already exist are adopted whatever their ownership "
            "metadata; an install that adopts any uses Update (sequential create-or-patch) instead "
            "of the batched Create"
        )
    if ctx.v4 and event in ("upgrade", "rollback", "test"):
        if not ctx.ssa(event):
            notes.append(
                "v4 client-side apply (a release first made by Helm 3, or --server-side=false): "
                "hooks are created with POST, so a hook object left from an earlier run fails with "
                "AlreadyExists; resources are three-way patched like Helm 3"
            )
        elif o.release_apply_method is None and o.server_side == "auto":
            notes.append(
                "v4 --server-side=auto: hooks and resources use the release's recorded apply method; "
                "this plan assumes server-side apply (a release first made by Helm 3 applies "
                "client-side: plan it with --from-helm3)"
            )
    notes += _output_log_notes(event, ctx, classified)
    return notes


def _output_log_notes(event: str, ctx: PlanContext, classified: Classified) -> list[str]:
    """helm.sh/hook-output-log-policy: honoured by Helm 3.18+ and 4 only (Job and Pod hooks)."""
    if ctx.options.no_hooks:
        return []
    notes: list[str] = []
    seen: set[str] = set()
    for hook_event in _EVENT_HOOKS[event]:
        for hook in hooks_for_event(classified.hooks, hook_event):
            policies = [p for p in hook.output_log_policies if p in ("hook-succeeded", "hook-failed")]
            if not policies or hook.name in seen:
                continue
            seen.add(hook.name)
            what = f"{hook.kind}/{hook.name}"
            if not ctx.v4:
                notes.append(
                    f"{what}: helm.sh/hook-output-log-policy is ignored by Helm 3.17 (honoured from 3.18)"
                )
            elif hook.kind not in ("Job", "Pod"):
                notes.append(f"{what}: helm.sh/hook-output-log-policy has no effect on a {hook.kind}")
            else:
                when = " and ".join("succeeds" if p == "hook-succeeded" else "fails" for p in policies)
                notes.append(
                    f"{what}: Helm writes its container logs to stderr when it {when} "
                    "(helm.sh/hook-output-log-policy), before any deletion"
                )
    return notes


def plans_to_dict(plans: list[Plan]) -> dict[str, object]:
    return {"schema_version": SCHEMA_VERSION, "plans": [p.to_dict() for p in plans]}

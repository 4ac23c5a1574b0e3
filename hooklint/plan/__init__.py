"""Helm's lifecycle as data: `build_plan(event, classified, options)` -> Plan.

Layout: model.py (Plan/Step, JSON round trip), context.py (options, per-version facts),
hookexec.py (execHook), builders.py (one builder per event).
"""

from __future__ import annotations

from collections.abc import Callable

from hooklint.errors import RenderError
from hooklint.hooks import Classified, object_ref
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
from hooklint.source import SourcePos

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
        steps, final = build_install(ctx, classified)
    elif event == "upgrade":
        steps, final = build_upgrade(ctx, classified, previous)
    elif event == "rollback":
        current = objects(previous.resources) if previous is not None else None
        steps, final = rollback_steps(ctx, classified, current, rb_fail_prefix="")
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
    plan.notes = _notes(event, ctx, previous)
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
    if ctx.v4:
        d["wait_strategy"] = ctx.strategy(event)
    if event == "test" and o.test_filters:
        d["filter"] = list(o.test_filters)
    return d


def _notes(event: str, ctx: PlanContext, previous: Classified | None) -> list[str]:
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
    if ctx.v4 and event in ("upgrade", "rollback"):
        notes.append(
            "v4 --server-side=auto: hooks and resources use the previous release's apply method "
            "(client-side for releases made by Helm 3); this plan assumes server-side apply"
        )
    return notes


def plans_to_dict(plans: list[Plan]) -> dict[str, object]:
    return {"schema_version": SCHEMA_VERSION, "plans": [p.to_dict() for p in plans]}

"""The upgrade preview: the baseline's plans and the chart's plans side by side, what the upgrade (and
the rollback to the baseline) does to the release's objects, and the lint findings that explain it.

`build_preview(request, baseline_path, baseline_values)` renders both charts and returns a
PlanPreview (plain data; `to_dict` gives its JSON form); `fail_reasons(preview, gates)` is the
`--fail-on` check. Which renderings (as Helm stores them):
- the release now runs the baseline as installed (revision 1, IsInstall);
- upgrade: the chart rendered as an upgrade, from that release; the baseline's own plan is the
  upgrade of the baseline to itself (what every upgrade did so far);
- rollback: back to the baseline from the upgraded release; the baseline's own plan is its rollback
  from itself;
- install, uninstall, test: each chart on its own.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import Any

from hooklint.documents.hooks import Classified
from hooklint.plan import build_plan
from hooklint.plan.changes import STATEFUL_KINDS, Change, transition_changes
from hooklint.plan.context import PlanContext
from hooklint.plan.diff import EventDiff, StepChange, diff_plans
from hooklint.plan.inputs import ChartSource, PlanRequest, plan_options, source_mapper
from hooklint.plan.model import Failure, Plan, Source, Step, renumber

PREVIEW_SCHEMA_VERSION = 1

# --fail-on gates: name -> what makes it fail
FAIL_ON = {
    "delete-stateful": "the upgrade deletes (or replaces) a stateful object: "
    + ", ".join(sorted(STATEFUL_KINDS)),
    "delete": "the upgrade deletes any object",
    "hook-order": "a hook runs in another order, or was renamed",
    "resource-hook": "an object switches between ordinary resource and hook",
    "fails": "a step that succeeded with the baseline now fails, or the upgrade stops before it starts",
    "crd": "a crds/ CRD was added, changed or removed (helm upgrade ignores crds/)",
    "any": "any danger or warning change (not the informational ones, such as hooks that run again)",
}


@dataclass
class PlanPreview:
    chart: dict[str, str]
    baseline: dict[str, Any]  # name, version, ref, commit
    release: dict[str, str]
    helm_version: str
    changes: list[Change] = field(default_factory=list)
    events: list[EventDiff] = field(default_factory=list)
    plans: list[Plan] = field(default_factory=list)  # the chart's plans (upgrade: from the baseline)
    notes: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "schema_version": PREVIEW_SCHEMA_VERSION,
            "kind": "plan-diff",
            "chart": dict(self.chart),
            "baseline": dict(self.baseline),
            "release": dict(self.release),
            "helm_version": self.helm_version,
            "changes": [c.to_dict() for c in self.changes],
            "events": [e.to_dict() for e in self.events],
            "plans": [p.to_dict() for p in self.plans],
            "notes": list(self.notes),
        }


def baseline_mapper(baseline_path: str, label: str, is_revision: bool, chart_name: str | None) -> Any:
    """Positions in the baseline: relative paths for a directory; `REF:<path in the chart>` for a
    git revision or an archive (their files exist only in a temporary copy)."""
    if not is_revision and os.path.isdir(baseline_path):
        return source_mapper(baseline_path, chart_name)

    def source_of(pos: Any, template: str) -> Source:
        file = pos.file
        if chart_name and file.startswith(chart_name + "/"):
            file = file[len(chart_name) + 1 :]
        return Source(file=f"{label}:{file}", line=pos.line, column=pos.column, template=template)

    return source_of


def build_preview(
    request: PlanRequest,
    baseline_path: str,
    baseline_values: tuple[str, ...] = (),
    *,
    baseline_label: str | None = None,
    baseline_commit: str | None = None,
    baseline_is_revision: bool = False,
    findings: list[Any] | None = None,
) -> PlanPreview:
    """The preview of `request.events` (CHART against the baseline chart at `baseline_path`)."""
    if request.chart is None:
        raise ValueError("a preview needs a chart")
    now = ChartSource(request, request.chart)
    base = ChartSource(request, baseline_path, tuple(baseline_values))
    options = plan_options(request)
    src_now = source_mapper(request.chart, now.meta.get("name"))
    src_base = baseline_mapper(baseline_path, baseline_label or baseline_path, baseline_is_revision,
                               base.meta.get("name"))
    ctx = PlanContext(options=options, source_of=src_now)
    preview = PlanPreview(
        chart=now.meta,
        baseline={**base.meta, "ref": baseline_label or baseline_path, "commit": baseline_commit},
        release={"name": request.release_name, "namespace": request.namespace},
        helm_version=str(4 if request.helm_version >= 4 else 3),
    )
    deployed = base.classified(upgrade=False)
    # a plan mixes both charts' objects (an upgrade deletes the baseline's): each position is
    # mapped through the chart it was rendered from
    from_base = {id(d.pos) for c in (deployed, base.classified(upgrade=True)) for d in _all_documents(c)}

    def src_any(pos: Any, template: str) -> Source:
        return (src_base if id(pos) in from_base else src_now)(pos, template)

    for event in request.events:
        old_plan, new_plan = _event_plans(event, now, base, deployed, request, src_any, src_any)
        changes: list[Change] = []
        if event == "upgrade":
            changes = transition_changes(ctx, deployed, now.classified(upgrade=True), "upgrade",
                                         baseline_source_of=src_base)
        elif event == "rollback":
            changes = transition_changes(ctx, now.classified(upgrade=True), deployed, "rollback",
                                         baseline_source_of=src_base)
        _apply_failures(new_plan, changes)
        diff = diff_plans(old_plan, new_plan)
        preview.changes += changes
        preview.events.append(diff)
        preview.plans.append(new_plan)
    attach_findings(preview, findings or [])
    preview.notes.append("the release is taken to run the baseline as it renders on install with the baseline "
                         "values: a template that reads .Release.IsUpgrade or lookup may have rendered otherwise")
    return preview


def _all_documents(c: Classified) -> list[Any]:
    return [*c.resources, *c.crds, *(h.doc for h in c.hooks), *(d.doc for d in c.dropped)]


def _event_plans(event: str, now: ChartSource, base: ChartSource, deployed: Classified, request: PlanRequest,
                 src_now: Any, src_base: Any) -> tuple[Plan, Plan]:
    options = plan_options(request)
    upgrade = event == "upgrade"
    if event == "rollback":
        # back to the baseline: its hooks and manifest, from the upgraded release
        old = build_plan(event, deployed, options, chart=base.meta, previous=base.classified(upgrade=True),
                         source_of=src_base)
        new = build_plan(event, deployed, options, chart=base.meta, previous=now.classified(upgrade=True),
                         source_of=src_base)
        return old, new
    previous = deployed if upgrade else None
    old = build_plan(event, base.classified(upgrade=upgrade), options, chart=base.meta, previous=previous,
                     source_of=src_base)
    new = build_plan(event, now.classified(upgrade=upgrade), options, chart=now.meta, previous=previous,
                     source_of=src_now)
    return old, new


def _apply_failures(plan: Plan, changes: list[Change]) -> None:
    """A hook turned resource whose leftover object collides: upgrade stops in performUpgrade before
    any hook (no revision recorded); rollback fails in KubeClient.Update at that object."""
    for c in changes:
        if c.fails is None:
            continue
        if plan.event == "upgrade":
            check = Step(action="apply", object=c.object, phase="resources", source=c.source, method="check",
                         note="existingResourceConflict: every object new to the release is looked up before "
                              "any hook runs", fails=c.fails, on_failure=[],
                         failure=Failure("deployed", c.fails, "no new revision is recorded"))
            plan.steps.insert(0, check)
        else:
            for step in plan.steps:
                if step.action == "apply" and step.object == c.object:
                    step.fails = c.fails
    renumber(plan.steps)


# The catalogue rule that documents a change, listed with it even when lint did not run on the
# values that produce it (lint reads -f files, not --set).
RULE_OF_CODE = {"resource-to-hook": "HL310", "hook-to-resource": "HL310"}


def attach_findings(preview: PlanPreview, findings: list[Any]) -> None:
    """Each change and step change gets the ids of the lint findings on its object (kind and name),
    and a change the rule that documents it."""
    by_object: dict[tuple[str, str], list[str]] = {}
    for f in findings:
        if f.obj is None:
            continue
        ids = by_object.setdefault((f.obj.kind, f.obj.name), [])
        if f.rule not in ids:
            ids.append(f.rule)
    for c in preview.changes:
        rule_ids = set(by_object.get((c.object.kind, c.object.name), []))
        if c.code in RULE_OF_CODE:
            rule_ids.add(RULE_OF_CODE[c.code])
        c.findings = sorted(rule_ids)
    for e in preview.events:
        for sc in e.changes:
            o = sc.step.object
            if o is not None:
                sc.findings = sorted(by_object.get((o.kind, o.name), []))


def fail_reasons(preview: PlanPreview, gates: list[str]) -> list[str]:
    """One line per change or step that a `--fail-on` gate forbids (empty: the gates pass)."""
    out: list[str] = []
    for c in preview.changes:
        what = f"{c.event}: {c.code} {c.object.kind}/{c.object.name}"
        hit = [g for g in gates if _gate_hits(g, c)]
        if hit:
            out.append(f"{what} ({', '.join(hit)})")
    if "fails" in gates or "any" in gates:
        for e in preview.events:
            for sc in e.by_status("now-fails"):
                o = sc.step.object
                out.append(f"{e.event}: step {sc.new_index} {sc.step.action} "
                           f"{o.kind + '/' + o.name if o else ''} now fails (fails)")
    return list(dict.fromkeys(out))


def _gate_hits(gate: str, c: Change) -> bool:
    if gate == "any":
        return c.severity != "info"
    if gate == "delete":
        return c.deletes
    if gate == "delete-stateful":
        return c.deletes and c.stateful
    if gate == "hook-order":
        return c.code in ("hook-order", "hook-renamed")
    if gate == "resource-hook":
        return c.code in ("resource-to-hook", "hook-to-resource")
    if gate == "fails":
        return c.fails is not None
    if gate == "crd":
        return c.code.startswith("crd-")
    return False


def step_changes(preview: PlanPreview, status: str) -> list[tuple[str, StepChange]]:
    return [(e.event, c) for e in preview.events for c in e.by_status(status)]

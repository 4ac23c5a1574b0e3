"""The plan diff: per event, which steps are new, gone, moved, changed or now fail.

Both plans are Helm's plans of the same event, for the baseline and for the chart now. A step is
identified by its action, its object (group, kind, namespace, name) and its hook event; a hook that
an event lists twice runs twice, so repeats are numbered. Moved steps are the fewest whose move
explains the new order (those off one longest increasing subsequence of the old positions).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from hooklint.plan.changes import moved_indices
from hooklint.plan.model import Plan, Step

STATUSES = ("now-fails", "new", "gone", "moved", "changed")

StepKey = tuple[str, str, str, str, str, str, int]


@dataclass
class StepChange:
    status: str  # one of STATUSES
    step: Step  # the step in the plan now (gone: in the baseline's plan)
    old_index: int | None
    new_index: int | None
    detail: str = ""
    findings: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "status": self.status,
            "old_index": self.old_index,
            "new_index": self.new_index,
            "detail": self.detail,
            "findings": list(self.findings),
            "step": self.step.to_dict(),
        }


@dataclass
class EventDiff:
    event: str
    baseline_steps: int
    steps: int
    changes: list[StepChange] = field(default_factory=list)

    def by_status(self, status: str) -> list[StepChange]:
        return [c for c in self.changes if c.status == status]

    def to_dict(self) -> dict[str, Any]:
        return {
            "event": self.event,
            "baseline_steps": self.baseline_steps,
            "steps": self.steps,
            "counts": {s: len(self.by_status(s)) for s in STATUSES},
            "changes": [c.to_dict() for c in self.changes],
        }


def _group(api_version: str) -> str:
    return api_version.rsplit("/", 1)[0] if "/" in api_version else ""


def _keys(steps: list[Step]) -> list[StepKey]:
    seen: dict[tuple[str, ...], int] = {}
    out: list[StepKey] = []
    for s in steps:
        o = s.object
        base = (s.action, _group(o.api_version) if o else "", o.kind if o else "", (o.namespace or "") if o else "",
                o.name if o else s.phase, s.hook_event or "")
        n = seen.get(base, 0)
        seen[base] = n + 1
        out.append((*base, n))
    return out


def _differences(old: Step, new: Step) -> list[str]:
    out = []
    if old.weight != new.weight:
        out.append(f"weight {old.weight} -> {new.weight}")
    if (old.delete_policies or []) != (new.delete_policies or []):
        out.append(f"delete policies {','.join(old.delete_policies or []) or '-'} -> "
                   f"{','.join(new.delete_policies or []) or '-'}")
    if old.method != new.method:
        out.append(f"method {old.method} -> {new.method}")
    if old.action == "apply" and old.method == new.method and old.unchanged and not new.unchanged:
        out.append("manifest changed")
    return out


def _one_per_hook(changes: list[StepChange]) -> list[StepChange]:
    """A hook's delete/create/wait steps move and change together: one moved or changed entry per hook
    and event (its first step; moved wins over changed)."""
    first: dict[tuple[str, str, str, str], StepChange] = {}
    out: list[StepChange] = []
    for c in changes:
        s = c.step
        if c.status not in ("moved", "changed") or not s.hook_event or s.object is None:
            out.append(c)
            continue
        key = (s.object.kind, s.object.namespace or "", s.object.name, s.hook_event)
        kept = first.get(key)
        if kept is None:
            first[key] = c
            out.append(c)
        elif c.status == "moved" and kept.status != "moved":
            kept.status, kept.detail = "moved", c.detail if c.detail != "other steps moved around it" else kept.detail
    return out


def diff_plans(old: Plan, new: Plan) -> EventDiff:
    """The step diff of two plans of one event (main path only; failure branches are compared through
    the steps' `fails`)."""
    ok, nk = _keys(old.steps), _keys(new.steps)
    old_at = {k: i for i, k in enumerate(ok)}
    new_at = {k: i for i, k in enumerate(nk)}
    result = EventDiff(event=new.event, baseline_steps=len(old.steps), steps=len(new.steps))
    common = [k for k in nk if k in old_at]
    moved = {common[i] for i in moved_indices([old_at[k] for k in common])}
    for i, (k, step) in enumerate(zip(nk, new.steps, strict=True)):
        j = old_at.get(k)
        if step.fails and (j is None or not old.steps[j].fails):
            result.changes.append(StepChange("now-fails", step, j, i, step.fails))
        elif j is None:
            result.changes.append(StepChange("new", step, None, i, step.note or step.reason or ""))
        elif k in moved:
            diffs = _differences(old.steps[j], step)
            result.changes.append(StepChange("moved", step, j, i, "; ".join(diffs) or
                                             "other steps moved around it"))
        else:
            diffs = _differences(old.steps[j], step)
            if diffs:
                result.changes.append(StepChange("changed", step, j, i, "; ".join(diffs)))
    result.changes = _one_per_hook(result.changes)
    for j, (k, step) in enumerate(zip(ok, old.steps, strict=True)):
        if k not in new_at:
            result.changes.append(StepChange("gone", step, j, None, ""))
    order = {s: n for n, s in enumerate(STATUSES)}
    result.changes.sort(key=lambda c: (order[c.status], c.new_index if c.new_index is not None else c.old_index or 0))
    return result

"""Lint findings placed on the plan steps they concern (`hooklint plan -o html`).

A finding belongs to a step of the same object (kind, name and namespace; a finding without a
namespace means the release's), or else to the step whose manifest document holds the finding's
file and line. Each object shows its findings once per plan: on the step that creates or applies
it, else on its first step. Findings that fit no step of any plan are listed apart."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from hooklint.plan.model import Plan, Step

if TYPE_CHECKING:
    from hooklint.lint.finding import Finding

# The step that carries an object's findings when the object has several (delete, create, wait).
_PRIMARY = ("create-hook", "apply", "install-crd")


@dataclass
class PlacedFindings:
    """Per plan (same order as the plans), step index -> findings; plus the ones no step took."""

    by_step: list[dict[int, list[Finding]]] = field(default_factory=list)
    other: list[Finding] = field(default_factory=list)


def place_findings(plans: list[Plan], findings: list[Finding]) -> PlacedFindings:
    placed = PlacedFindings()
    taken: set[int] = set()  # ids of findings some step took
    ordered = sorted(findings, key=lambda f: f.sort_key())
    for plan in plans:
        steps: dict[int, list[Finding]] = {}
        for finding in ordered:
            step = _step_for(plan, finding)
            if step is not None:
                steps.setdefault(step.index, []).append(finding)
                taken.add(id(finding))
        placed.by_step.append(steps)
    placed.other = [f for f in ordered if id(f) not in taken]
    return placed


def _step_for(plan: Plan, finding: Finding) -> Step | None:
    candidates = _same_object(plan, finding) or _same_document(plan, finding)
    if not candidates:
        return None
    return next((s for s in candidates if s.action in _PRIMARY), candidates[0])


def _same_object(plan: Plan, finding: Finding) -> list[Step]:
    ref = finding.obj
    if ref is None:
        return []
    namespace = ref.namespace or plan.release.get("namespace")
    return [s for s in plan.steps if s.object is not None and s.object.kind == ref.kind
            and s.object.name == ref.name and (s.object.namespace or plan.release.get("namespace")) == namespace]


def _same_document(plan: Plan, finding: Finding) -> list[Step]:
    """The steps of the document the finding's line falls in: the last document of that file
    starting at or before the line. Paths compare absolute: a step's source is relative to the
    current directory, a finding's is the chart path as the user wrote it."""
    if finding.pos is None:
        return []
    file = os.path.abspath(finding.file)
    in_file = [s for s in plan.steps if s.source is not None and s.source.line <= finding.line
               and os.path.abspath(s.source.file) == file]
    if not in_file:
        return []
    start = max(s.source.line for s in in_file if s.source is not None)
    return [s for s in in_file if s.source is not None and s.source.line == start]

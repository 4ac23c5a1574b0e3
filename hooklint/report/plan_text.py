"""`hooklint plan --format text`: a terminal timeline (phases, weights, waits, deletions, failure
branches). Plain ASCII, deterministic; a failure branch shown once is referred to afterwards."""

from __future__ import annotations

import json

from hooklint.plan.model import Plan, Step

_PHASE_TITLES = {
    "crds": "CRDs from crds/ (install only)",
    "resources": "ordinary resources",
    "wait": "--wait: resources ready",
}


def step_object(step: Step) -> str:
    if step.object is None:
        return "-"
    ns = f" ({step.object.namespace})" if step.object.namespace else ""
    return f"{step.object.kind}/{step.object.name}{ns}"


def step_summary(step: Step) -> str:
    """One line describing a step without its index and source."""
    parts = [f"{step.action:<11} {step_object(step)}"]
    if step.weight is not None:
        parts.append(f"weight {step.weight}")
    if step.reason:
        parts.append(step.reason)
    if step.action in ("delete-hook", "delete") and step.wait_for_deletion:
        parts.append("waits until gone")
    if step.method and step.action in ("create-hook", "apply", "install-crd"):
        parts.append(step.method)
    if step.action in ("wait-hook", "wait"):
        parts.append(f"until {step.ready_when} (timeout {step.timeout})")
    if step.batch is not None:
        parts.append(f"batch {step.batch}")
    if step.fails:
        parts.append(f"FAILS: {step.fails}")
    if step.note and step.action == "keep":
        parts.append(step.note)
    return ", ".join(parts)


def _source(step: Step) -> str:
    return f"{step.source.file}:{step.source.line}" if step.source else ""


def _failure_lines(step: Step, seen: dict[str, int]) -> list[str]:
    """The failure branch of a step; a branch already shown is referred to by step number."""
    status = step.failure.release_status if step.failure else None
    status_text = f"release {status}" if status else "release removed"
    key = json.dumps([s.to_dict() for s in step.on_failure or []], sort_keys=True) + str(status)
    if key in seen:
        return [f"        on failure: as step {seen[key]}"]
    seen[key] = step.index
    if not step.on_failure:
        return [f"        on failure: stop here, {status_text}, later steps skipped"]
    out = [f"        on failure: {status_text}; Helm then runs:"]
    out += [f"          - {step_summary(sub)}" for sub in step.on_failure]
    return out


def render_text(plan: Plan) -> str:
    lines: list[str] = []
    chart = f"{plan.chart.get('name', '')} {plan.chart.get('version', '')}".strip()
    rel = plan.release
    lines.append(
        f"helm {plan.event} (Helm {plan.helm_version}): chart {chart or '?'}, release {rel['name']} "
        f"in {rel['namespace']}, revision {rel['revision']}"
    )
    opts = ", ".join(f"{k}={v}" for k, v in plan.options.items() if v not in (False, [], None))
    if opts:
        lines.append(f"options: {opts}")
    if not plan.steps:
        lines.append("")
        lines.append("(nothing to do)")
    seen_branches: dict[str, int] = {}
    phase = None
    for step in plan.steps:
        if step.phase != phase:
            phase = step.phase
            title = _PHASE_TITLES.get(phase, f"{phase} hooks")
            lines.append("")
            lines.append(f"== {title}")
        src = _source(step)
        lines.append(f"{step.index:>4}  {step_summary(step)}" + (f"  [{src}]" if src else ""))
        if step.failure is not None or step.on_failure:
            lines.extend(_failure_lines(step, seen_branches))
    lines.append("")
    lines.append(f"when every step succeeds: release {plan.final_status}")
    if plan.dropped:
        lines.append("")
        lines.append("== dropped by Helm (never deployed)")
        for d in plan.dropped:
            src = f"  [{d.source.file}:{d.source.line}]" if d.source else ""
            lines.append(f"      {d.object.kind}/{d.object.name}: {d.reason}{src}")
    for note in plan.notes:
        lines.append(f"note: {note}")
    return "\n".join(lines) + "\n"

"""`hooklint plan -o text`: a terminal timeline.

One block per phase (CRDs, each hook event, resources, the --wait barrier, cleanup), one line per
step with its hook weight, what it waits for and where the object is written. Failure branches
are printed once per phase ("if a step below fails: ...") and again only where a step's branch
differs. Plain ASCII, deterministic, at most one source per line so the output greps well.
"""

from __future__ import annotations

import json

from hooklint.plan.model import Plan, Step

_PHASE_TITLES = {
    "crds": "CRDs from crds/ (install only; never upgraded or deleted)",
    "resources": "ordinary resources",
    "wait": "--wait: one barrier over all resources",
    "cleanup": "cleanup",
    "logs": "helm test --logs",
}
_RULE = 78


def phase_title(phase: str) -> str:
    return _PHASE_TITLES.get(phase, f"{phase} hooks")


def step_object(step: Step) -> str:
    if step.object is None:
        if step.waits_for:
            return f"{len(step.waits_for)} object(s)"
        return "-"
    ns = f" ({step.object.namespace})" if step.object.namespace else ""
    return f"{step.object.kind}/{step.object.name}{ns}"


def _short_object(step: Step, namespace: str) -> str:
    """Kind/name, with the namespace only when it is not the release's."""
    if step.object is None:
        return step_object(step)
    ns = step.object.namespace
    suffix = f" (ns {ns})" if ns and ns != namespace else ""
    return f"{step.object.kind}/{step.object.name}{suffix}"


_METHOD_TEXT = {
    "create": "POST (AlreadyExists fails)",
    "server-side-apply": "server-side apply",
    "create-or-patch": "create, or patch if it exists",
    "patch": "patch",
}


def step_details(step: Step) -> list[str]:
    """What a step does beyond its action and object, as short phrases."""
    parts: list[str] = []
    if step.action in ("delete-hook", "delete"):
        if step.reason:
            parts.append(step.reason)
        parts.append("waits until gone" if step.wait_for_deletion else "does not wait")
    if step.method and step.action in ("create-hook", "apply", "install-crd"):
        text = _METHOD_TEXT.get(step.method, step.method)
        if step.action == "apply" and step.method == "create":
            text = "create"
        parts.append(text)
    if step.unchanged:
        parts.append("unchanged: no PATCH request unless the live object drifted")
    if step.action == "wait-hook":
        parts.append(f"until {step.ready_when} (timeout {step.timeout})")
    if step.action == "wait":
        parts.append(f"until {step.ready_when} (timeout {step.timeout})")
    if step.batch is not None:
        parts.append(f"batch {step.batch}")
    if step.note and step.action in ("keep", "install-crd", "logs", "wait") and not step.unchanged:
        parts.append(step.note)
    if step.note and step.action == "apply" and not step.unchanged:
        parts.append(step.note)
    if step.fails:
        parts.append(f"FAILS: {step.fails}")
    return parts


def step_summary(step: Step) -> str:
    """One line describing a step without its index and source."""
    parts = [f"{step.action:<11} {step_object(step)}"]
    if step.weight is not None:
        parts.append(f"weight {step.weight}")
    parts += step_details(step)
    return ", ".join(parts)


def _source(step: Step) -> str:
    return f"{step.source.file}:{step.source.line}" if step.source else ""


def _branch_key(step: Step) -> str:
    """What a failure branch does (its steps, the status left and what is unknown); the error
    text, which names the failing step, is left out so one phase shares one branch."""
    failure = step.failure
    summary = [failure.release_status, failure.note] if failure is not None else None
    return json.dumps([[s.to_dict() for s in step.on_failure or []], summary], sort_keys=True)


def _branch_lines(
    step: Step, indent: str, namespace: str, shown: dict[str, int], error_label: str = "error"
) -> list[str]:
    """A failure branch; a list of steps already printed is referred to by the step showing it."""
    failure = step.failure
    status = failure.release_status if failure else None
    status_text = f"release {status}" if status else "release removed (nothing stored)"
    steps_key = json.dumps([s.to_dict() for s in step.on_failure or []], sort_keys=True)
    if not step.on_failure:
        out = [f"{status_text}; the steps below do not run"]
    elif steps_key in shown:
        count = len(step.on_failure)
        out = [
            f"{status_text}; Helm then runs the same {count} step(s) as when step {shown[steps_key]} fails"
        ]
    else:
        shown[steps_key] = step.index
        out = [f"{status_text}; Helm then runs:"]
        for sub in step.on_failure:
            weight = f" w{sub.weight:+d}" if sub.weight is not None else ""
            details = ", ".join(step_details(sub))
            out.append(
                f"  - {sub.action:<11} {_short_object(sub, namespace)}{weight}"
                + (f": {details}" if details else "")
            )
    if failure is not None and failure.error:
        out.append(f"{error_label}: {failure.error}")
    if failure is not None and failure.note:
        out.append(f"unknown: {failure.note}")
    return [indent + line for line in out]


def _phases(plan: Plan) -> list[tuple[str, list[Step]]]:
    groups: list[tuple[str, list[Step]]] = []
    for step in plan.steps:
        if not groups or groups[-1][0] != step.phase:
            groups.append((step.phase, []))
        groups[-1][1].append(step)
    return groups


def _header(plan: Plan) -> list[str]:
    chart = f"{plan.chart.get('name', '')} {plan.chart.get('version', '')}".strip() or "?"
    rel = plan.release
    lines = [
        f"helm {plan.event} | Helm {plan.helm_version} | chart {chart} | release {rel['name']} "
        f"in namespace {rel['namespace']}, revision {rel['revision']}"
    ]
    flags = []
    for key, value in plan.options.items():
        if value is True:
            flags.append(key.replace("_", "-"))
        elif value not in (False, [], None):
            flags.append(
                f"{key.replace('_', '-')}={value if not isinstance(value, list) else ','.join(value)}"
            )
    if flags:
        lines.append("options: " + ", ".join(flags))
    return lines


def _wait_targets(step: Step, namespace: str) -> list[str]:
    targets = step.waits_for or []
    if not targets:
        return []
    width = min(max(len(f"{t.object.kind}/{t.object.name}") for t in targets), 56)
    out = []
    for t in targets:
        name = f"{t.object.kind}/{t.object.name}"
        if t.object.namespace and t.object.namespace != namespace:
            name += f" (ns {t.object.namespace})"
        out.append(f"{'':>7}{'':<12}- {name:<{width}}  {t.ready_when}")
    return out


def render_text(plan: Plan) -> str:
    namespace = str(plan.release.get("namespace", ""))
    lines = _header(plan)
    shown: dict[str, int] = {}
    if not plan.steps:
        lines += ["", "(nothing to do)"]
    for phase, steps in _phases(plan):
        title = f"== {phase_title(phase)} "
        lines += ["", title + "=" * max(3, _RULE - len(title))]
        keys = [_branch_key(s) for s in steps if s.failure is not None or s.on_failure]
        common = max(set(keys), key=keys.count) if keys else None
        if common is not None:
            first = next(s for s in steps if _branch_key(s) == common)
            branch = _branch_lines(first, "   ", namespace, shown, f"error (step {first.index})")
            lines.append("if a step below fails: " + branch[0].strip())
            lines += branch[1:]
        width = max((len(_short_object(s, namespace)) for s in steps), default=0)
        width = min(width, 60)
        for step in steps:
            weight = f"w{step.weight:+d}" if step.weight is not None else ""
            details = ", ".join(step_details(step))
            src = _source(step)
            line = f"{step.index:>4}  {step.action:<11} {_short_object(step, namespace):<{width}} {weight:>5}"
            line = line.rstrip()
            if details:
                line += f"  {details}"
            if src:
                line += f"  [{src}]"
            lines.append(line)
            if step.action == "wait":
                lines += _wait_targets(step, namespace)
            if (step.failure is not None or step.on_failure) and _branch_key(step) != common:
                branch = _branch_lines(step, "          ", namespace, shown)
                lines.append("        if this fails: " + branch[0].strip())
                lines += branch[1:]
    certain = next((s for s in plan.steps if s.fails), None)
    if certain is not None:
        lines += ["", f"step {certain.index} fails whatever the cluster does: {certain.fails}"]
        lines.append(f"if it did not: release {plan.final_status}")
    else:
        lines += ["", f"when every step succeeds: release {plan.final_status}"]
    if plan.dropped:
        lines += ["", "== dropped by Helm (never deployed) " + "=" * (_RULE - 36)]
        for d in plan.dropped:
            src = f"  [{d.source.file}:{d.source.line}]" if d.source else ""
            lines.append(f"      {d.object.kind}/{d.object.name}: {d.reason}{src}")
    if plan.notes:
        lines.append("")
        lines += [f"note: {note}" for note in plan.notes]
    return "\n".join(lines) + "\n"

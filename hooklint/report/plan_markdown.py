"""`hooklint plan --format markdown`: a table per event, suited to a pull-request comment."""

from __future__ import annotations

from hooklint.plan.model import Plan, Step
from hooklint.report.plan_jinja import environment


def details(step: Step) -> str:
    parts = []
    if step.reason:
        parts.append(step.reason)
    if step.method and step.action in ("create-hook", "apply", "install-crd"):
        parts.append(step.method)
    if step.action in ("delete-hook", "delete") and step.wait_for_deletion:
        parts.append("waits until gone")
    if step.ready_when:
        parts.append(f"until {step.ready_when} (timeout {step.timeout})")
    if step.fails:
        parts.append(f"**fails**: {step.fails}")
    if step.note and step.action == "keep":
        parts.append(step.note)
    return "; ".join(parts)


def failure(step: Step) -> str:
    if step.failure is None:
        return ""
    then = ", ".join(
        f"{s.action} {s.object.kind}/{s.object.name}" if s.object else s.action for s in step.on_failure or []
    )
    status = step.failure.release_status or "removed"
    return f"release {status}" + (f"; then {then}" if then else "")


def render_markdown(plans: list[Plan]) -> str:
    template = environment(False).get_template("plan.md.j2")
    return template.render(plans=plans, details=details, failure=failure).rstrip("\n") + "\n"

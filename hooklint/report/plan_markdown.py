"""`hooklint plan -o markdown`: a table per event, suited to a pull-request comment."""

from __future__ import annotations

from hooklint.plan.model import Plan, Step
from hooklint.report.plan_jinja import environment
from hooklint.report.plan_text import step_details


def details(step: Step) -> str:
    """The step's details (shared with the HTML report); a `wait` lists its objects elsewhere."""
    return "; ".join(step_details(step))


def targets(step: Step) -> str:
    """A wait barrier's objects and rules, one per line (markdown `<br>` inside a table cell)."""
    return "<br>".join(f"`{t.object.kind}/{t.object.name}`: {t.ready_when}" for t in step.waits_for or [])


def failure(step: Step) -> str:
    if step.failure is None:
        return ""
    then = ", ".join(
        f"{s.action} {s.object.kind}/{s.object.name}" if s.object else s.action for s in step.on_failure or []
    )
    status = step.failure.release_status or "removed"
    text = f"release {status}" + (f"; then {then}" if then else "")
    if step.failure.note:
        text += f"; unknown: {step.failure.note}"
    return text


def render_markdown(plans: list[Plan]) -> str:
    template = environment(False).get_template("plan.md.j2")
    return template.render(plans=plans, details=details, failure=failure, targets=targets).rstrip("\n") + "\n"

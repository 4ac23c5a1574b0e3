"""`hooklint plan --format html`: one self-contained page (inline CSS, no scripts, no network)
with a visual timeline per event."""

from __future__ import annotations

from hooklint.plan.model import Plan
from hooklint.report.plan_jinja import environment, phase_title, phases
from hooklint.report.plan_markdown import details


def render_html(plans: list[Plan]) -> str:
    chart = plans[0].chart if plans else {}
    title = f"{chart.get('name', '')} {chart.get('version', '')}".strip() or "chart"
    template = environment(True).get_template("plan.html.j2")
    return template.render(plans=plans, title=title, phases=phases, phase_title=phase_title, details=details)

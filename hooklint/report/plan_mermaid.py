"""`hooklint plan -o mermaid`: a flowchart source per event (main path + failure exits)."""

from __future__ import annotations

from hooklint.plan.model import Plan
from hooklint.report.plan_jinja import environment


def render_mermaid(plans: list[Plan]) -> str:
    return environment(False).get_template("plan.mmd.j2").render(plans=plans).rstrip("\n") + "\n"

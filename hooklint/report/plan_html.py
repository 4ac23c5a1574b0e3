"""`hooklint plan -o html`: one self-contained page (inline CSS, no scripts, no network)
with a summary table of the events, then a visual timeline per event: phases fold (big ones
start folded), delete policies show as badges, long source paths wrap instead of overlapping.
Lint findings, when given, show on the steps of the objects they concern (plan_findings)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from hooklint.plan.model import Plan
from hooklint.report.plan_findings import place_findings
from hooklint.report.plan_jinja import environment, phase_title, phases
from hooklint.report.plan_markdown import details

if TYPE_CHECKING:
    from hooklint.lint.finding import Finding


def render_html(plans: list[Plan], findings: list[Finding] | None = None) -> str:
    chart = plans[0].chart if plans else {}
    title = f"{chart.get('name', '')} {chart.get('version', '')}".strip() or "chart"
    template = environment(True).get_template("plan.html.j2")
    return template.render(
        plans=plans,
        title=title,
        phases=phases,
        phase_title=phase_title,
        details=details,
        options=options_line,
        counts=counts,
        fold_above=FOLD_ABOVE,
        placed=place_findings(plans, findings or []),
    )


# A phase with more steps than this starts folded (big charts); its summary still counts them.
FOLD_ABOVE = 25


def counts(plan: Plan) -> dict[str, int]:
    """The per-event summary: hooks created, resources applied, objects deleted."""
    actions = [s.action for s in plan.steps]
    return {"hooks": actions.count("create-hook"), "resources": actions.count("apply"),
            "deletions": sum(a in ("delete-hook", "delete") for a in actions)}


def options_line(plan: Plan) -> str:
    """The plan's options as flags, e.g. `--wait --timeout 5m0s`."""
    parts = []
    for key, value in plan.options.items():
        flag = "--" + key.replace("_", "-")
        if value is True:
            parts.append(flag)
        elif value not in (False, None, []):
            parts.append(f"{flag} {','.join(value) if isinstance(value, list) else value}")
    return " ".join(parts)

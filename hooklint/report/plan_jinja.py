"""The Jinja2 environment of the plan reports (templates in hooklint/report/templates/)."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import jinja2

from hooklint.plan.model import Plan, Step
from hooklint.report.plan_text import step_object, step_summary


@lru_cache(maxsize=2)
def environment(autoescape: bool) -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(Path(__file__).resolve().parent / "templates")),
        autoescape=autoescape,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        undefined=jinja2.StrictUndefined,
    )
    env.filters["obj"] = step_object
    env.filters["summary"] = step_summary
    env.filters["mdcell"] = lambda s: str(s).replace("|", "\\|").replace("\n", " ")
    return env


def phases(plan: Plan) -> list[tuple[str, list[Step]]]:
    """Consecutive steps grouped by phase, in order."""
    groups: list[tuple[str, list[Step]]] = []
    for step in plan.steps:
        if not groups or groups[-1][0] != step.phase:
            groups.append((step.phase, []))
        groups[-1][1].append(step)
    return groups


def phase_title(phase: str) -> str:
    return {
        "crds": "CRDs (crds/)",
        "resources": "Resources",
        "wait": "Wait (--wait): one barrier over all resources",
        "cleanup": "Cleanup",
        "logs": "Test logs (--logs)",
    }.get(phase, f"{phase} hooks")

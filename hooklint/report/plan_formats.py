"""Plan renderers by format name: text, json, markdown, html, mermaid (all deterministic)."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from hooklint.plan.model import SCHEMA_VERSION, Plan

if TYPE_CHECKING:
    from hooklint.lint.finding import Finding


def plan_json(plans: list[Plan], all_events: bool) -> str:
    data: Any = (
        {"schema_version": SCHEMA_VERSION, "plans": [p.to_dict() for p in plans]}
        if all_events
        else plans[0].to_dict()
    )
    return json.dumps(data, indent=2, sort_keys=False, ensure_ascii=False) + "\n"


def render_plans(plans: list[Plan], fmt: str, all_events: bool = False,
                 findings: list[Finding] | None = None) -> str:
    """`findings` (lint findings for the same chart) only show in html."""
    if fmt == "json":
        return plan_json(plans, all_events)
    if fmt == "text":
        from hooklint.report.plan_text import render_text

        return "\n".join(render_text(p) for p in plans)
    if fmt == "markdown":
        from hooklint.report.plan_markdown import render_markdown

        return render_markdown(plans)
    if fmt == "html":
        from hooklint.report.plan_html import render_html

        return render_html(plans, findings)
    if fmt == "mermaid":
        from hooklint.report.plan_mermaid import render_mermaid

        return render_mermaid(plans)
    raise ValueError(f"unknown format {fmt!r}")

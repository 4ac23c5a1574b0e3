"""`hooklint plan --target argocd|flux`: the controller's plan in text, json, markdown and html.

Each step that differs from plain Helm says so ("differs from Helm: ..."), with the controller source
it follows; objects the controller never runs are listed with the reason."""

from __future__ import annotations

import json

from hooklint.plan.targets import TargetPlan, TargetStep
from hooklint.report.plan_jinja import environment

FORMATS = ("text", "json", "markdown", "html")
NAMES = {"argocd": "Argo CD", "flux": "Flux helm-controller"}


def _obj(s: TargetStep) -> str:
    if s.object is None:
        return "-"
    return f"{s.object.kind}/{s.object.name}"


def _where(s: TargetStep) -> str:
    return f"{s.source.file}:{s.source.line}" if s.source else ""


def heading(p: TargetPlan) -> str:
    return (f"{NAMES[p.target]} {p.version} ({p.version_note}) | {p.event} | chart {p.chart.get('name', '')} "
            f"{p.chart.get('version', '')} | release {p.release['name']} in namespace {p.release['namespace']}")


def render_text(plans: list[TargetPlan]) -> str:
    lines: list[str] = []
    for p in plans:
        if lines:
            lines.append("")
        lines.append(heading(p))
        stage = None
        for s in p.steps:
            if s.stage != stage:
                stage = s.stage
                lines += ["", f"== {stage}{' (only when the sync fails)' if s.only_on_failure else ''} ".ljust(78, "=")]
            wave = f"wave {s.wave}" if s.wave is not None else ""
            line = f"{s.index:>4}  {s.action:<12} {_obj(s)}  {wave}".rstrip()
            if s.detail:
                line += f"  {s.detail}"
            if s.source:
                line += f"  [{_where(s)}]"
            lines.append(line)
            if s.differs:
                lines.append(f"        differs from Helm: {s.differs}")
            if s.cite:
                lines.append(f"        follows: {s.cite}")
        if not p.steps:
            lines += ["", "(nothing runs)"]
        if p.skipped:
            lines += ["", "== left out by the controller ".ljust(78, "=")]
            for k in p.skipped:
                src = f"  [{k.source.file}:{k.source.line}]" if k.source else ""
                lines.append(f"      {k.object.kind}/{k.object.name}: {k.reason}{src}")
                lines.append(f"        follows: {k.cite}")
        if p.notes:
            lines.append("")
            lines += [f"note: {n}" for n in p.notes]
    return "\n".join(lines) + "\n"


def render_json(plans: list[TargetPlan]) -> str:
    data = plans[0].to_dict() if len(plans) == 1 else {"schema_version": 1, "plans": [p.to_dict() for p in plans]}
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def render_markdown(plans: list[TargetPlan]) -> str:
    template = environment(False).get_template("target_plan.md.j2")
    return template.render(plans=plans, heading=heading, obj=_obj, where=_where).rstrip("\n") + "\n"


def render_html(plans: list[TargetPlan]) -> str:
    """A self-contained page (inline CSS, no scripts)."""
    template = environment(True).get_template("target_plan.html.j2")
    return template.render(plans=plans, heading=heading, obj=_obj, where=_where)


def render_target(plans: list[TargetPlan], fmt: str) -> str:
    if fmt == "text":
        return render_text(plans)
    if fmt == "json":
        return render_json(plans)
    if fmt == "markdown":
        return render_markdown(plans)
    if fmt == "html":
        return render_html(plans)
    raise ValueError(f"unknown format {fmt!r}")

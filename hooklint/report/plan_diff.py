"""`hooklint plan --baseline REF`: the plan diff in text, json, markdown (a pull-request comment) and html.

Every format shows the same things in the same order: what the transition (upgrade, rollback)
does to the release's objects, most severe first, with the lint rule ids on each object; then per
event the plan steps that now fail, are new, gone, moved or changed. Deterministic output.
"""

from __future__ import annotations

import json

from hooklint.plan.changes import Change
from hooklint.plan.diff import STATUSES, EventDiff, StepChange
from hooklint.plan.model import Source
from hooklint.plan.preview import PlanPreview
from hooklint.report.plan_jinja import environment
from hooklint.report.plan_text import step_object

FORMATS = ("text", "json", "markdown", "html")


def where(source: Source | None) -> str:
    return f"{source.file}:{source.line}" if source is not None else ""


def change_object(c: Change) -> str:
    o = c.object
    return f"{o.kind}/{o.name}" + (f" ({o.namespace})" if o.namespace else "")


def counts(e: EventDiff) -> str:
    parts = [f"{len(e.by_status(s))} {s}" for s in STATUSES if e.by_status(s)]
    return ", ".join(parts) or "no step changed"


def step_line(sc: StepChange) -> str:
    s = sc.step
    at = f"#{sc.new_index}" if sc.new_index is not None else f"was #{sc.old_index}"
    if sc.status == "moved":
        at = f"#{sc.old_index} -> #{sc.new_index}"
    hook = f" [{s.hook_event}]" if s.hook_event else ""
    return f"{at} {s.action} {step_object(s)}{hook}"


def title(p: PlanPreview) -> str:
    base = p.baseline
    return (f"{p.chart.get('name', '')} {p.chart.get('version', '')} against baseline {base.get('ref', '')} "
            f"({base.get('name', '')} {base.get('version', '')})")


def render_diff_text(p: PlanPreview) -> str:
    lines = [f"plan diff | Helm {p.helm_version} | {title(p)} | release {p.release['name']} in namespace "
             f"{p.release['namespace']}"]
    if p.baseline.get("commit"):
        lines.append(f"baseline commit {p.baseline['commit']}")
    for event in dict.fromkeys(c.event for c in p.changes):
        changes = [c for c in p.changes if c.event == event]
        lines += ["", f"== {event}: what happens to the release's objects ".ljust(78, "=")]
        for c in changes:
            ids = f" ({', '.join(c.findings)})" if c.findings else ""
            lines.append(f"  {c.severity.upper():7} {c.code:17} {change_object(c)}{ids}")
            lines.append(f"          {c.message}")
            if c.fails:
                lines.append(f"          fails: {c.fails}")
            at = ", ".join(x for x in (f"now {where(c.source)}" if c.source else "",
                                      f"baseline {where(c.baseline_source)}" if c.baseline_source else "") if x)
            if at:
                lines.append(f"          at {at}")
    for e in p.events:
        lines += ["", f"== {e.event}: plan steps ({e.steps} now, {e.baseline_steps} with the baseline): "
                  f"{counts(e)} ".ljust(78, "=")]
        for sc in e.changes:
            ids = f" ({', '.join(sc.findings)})" if sc.findings else ""
            src = f"  [{where(sc.step.source)}]" if sc.step.source else ""
            detail = f": {sc.detail}" if sc.detail else ""
            lines.append(f"  {sc.status:9} {step_line(sc)}{ids}{detail}{src}")
    if p.notes:
        lines.append("")
        lines += [f"note: {n}" for n in p.notes]
    return "\n".join(lines) + "\n"


def render_diff_json(p: PlanPreview) -> str:
    return json.dumps(p.to_dict(), indent=2, ensure_ascii=False) + "\n"


def _env_globals() -> dict[str, object]:
    return {"where": where, "change_object": change_object, "counts": counts, "step_line": step_line,
            "step_object": step_object, "statuses": STATUSES}


def render_diff_markdown(p: PlanPreview) -> str:
    template = environment(False).get_template("plan_diff.md.j2")
    return template.render(p=p, title=title(p), **_env_globals()).rstrip("\n") + "\n"


def render_diff_html(p: PlanPreview) -> str:
    template = environment(True).get_template("plan_diff.html.j2")
    return template.render(p=p, title=title(p), **_env_globals())


def render_diff(p: PlanPreview, fmt: str) -> str:
    if fmt == "text":
        return render_diff_text(p)
    if fmt == "json":
        return render_diff_json(p)
    if fmt == "markdown":
        return render_diff_markdown(p)
    if fmt == "html":
        return render_diff_html(p)
    raise ValueError(f"unknown format {fmt!r}")

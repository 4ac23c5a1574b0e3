"""`hooklint plan --target argocd|flux`: the controller's plan in text, json, markdown and html.

Each step that differs from plain Helm says so ("differs from Helm: ..."), with the controller source
it follows; objects the controller never runs are listed with the reason."""

from __future__ import annotations

import html
import json

from hooklint.plan.targets import TargetPlan, TargetStep

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
            lines += ["", "== never run by the controller ".ljust(78, "=")]
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


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def render_markdown(plans: list[TargetPlan]) -> str:
    out: list[str] = []
    for p in plans:
        out += [f"### {_cell(heading(p))}", ""]
        differing = [s for s in p.steps if s.differs]
        out.append(f"{len(p.steps)} steps, {len(differing)} differ from plain Helm; {len(p.skipped)} objects never run.")
        out.append("")
        if p.steps:
            out += ["| # | stage | action | object | wave | details | differs from Helm | source |",
                    "|---:|---|---|---|---:|---|---|---|"]
            for s in p.steps:
                stage = s.stage + (" (on failure)" if s.only_on_failure else "")
                differs = f"{_cell(s.differs)}<br><sub>{_cell(s.cite or '')}</sub>" if s.differs else ""
                out.append(f"| {s.index} | {_cell(stage)} | `{s.action}` | `{_cell(_obj(s))}` | "
                           f"{'' if s.wave is None else s.wave} | {_cell(s.detail)} | {differs} | "
                           f"{'`' + _cell(_where(s)) + '`' if s.source else ''} |")
            out.append("")
        if p.skipped:
            out += ["<details><summary>never run by the controller</summary>", ""]
            out += [f"- `{k.object.kind}/{k.object.name}`: {k.reason} (<sub>{k.cite}</sub>)" for k in p.skipped]
            out += ["", "</details>", ""]
        out += [f"> {n}" for n in p.notes]
        out.append("")
    return "\n".join(out).rstrip("\n") + "\n"


def render_html(plans: list[TargetPlan]) -> str:
    """A self-contained page: the markdown's tables as HTML (no scripts)."""
    e = html.escape
    parts = ["<!DOCTYPE html>", '<html lang="en">', "<head>", '<meta charset="utf-8">',
             f"<title>hooklint plan: {e(plans[0].target if plans else '')}</title>",
             "<style>body{font-family:-apple-system,'Segoe UI',Helvetica,Arial,sans-serif;margin:2rem}"
             "table{border-collapse:collapse;font-size:.88rem}th,td{border:1px solid #d0d7de;padding:.3rem .5rem;"
             "vertical-align:top;text-align:left}th{background:#f6f8fa}.differs{color:#9a6700}"
             "code,.mono{font-family:ui-monospace,Menlo,monospace}.cite{color:#57606a;font-size:.8rem}</style>",
             "</head>", "<body>"]
    for p in plans:
        parts.append(f"<h2>{e(heading(p))}</h2>")
        parts.append("<table><tr><th>#</th><th>stage</th><th>action</th><th>object</th><th>wave</th><th>details</th>"
                     "<th>differs from Helm</th><th>source</th></tr>")
        for s in p.steps:
            stage = s.stage + (" (on failure)" if s.only_on_failure else "")
            differs = (f'<span class="differs">{e(s.differs)}</span><div class="cite">{e(s.cite or "")}</div>'
                       if s.differs else "")
            parts.append(f"<tr><td>{s.index}</td><td>{e(stage)}</td><td><code>{e(s.action)}</code></td>"
                         f"<td class=\"mono\">{e(_obj(s))}</td><td>{'' if s.wave is None else s.wave}</td>"
                         f"<td>{e(s.detail)}</td><td>{differs}</td><td class=\"mono\">{e(_where(s))}</td></tr>")
        parts.append("</table>")
        if p.skipped:
            parts.append("<h3>never run by the controller</h3><ul>")
            parts += [f"<li><code>{e(k.object.kind)}/{e(k.object.name)}</code>: {e(k.reason)} "
                      f"<span class=\"cite\">{e(k.cite)}</span></li>" for k in p.skipped]
            parts.append("</ul>")
        if p.notes:
            parts.append("<ul>" + "".join(f"<li>{e(n)}</li>" for n in p.notes) + "</ul>")
    parts += ["</body>", "</html>"]
    return "\n".join(parts) + "\n"


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

"""`file:line:col: severity ID message` - colored on a terminal, compact under pre-commit."""

from __future__ import annotations

from hooklint.lint.finding import Finding

_COLORS = {"error": "\x1b[31m", "warning": "\x1b[33m", "info": "\x1b[36m"}
_RESET, _BOLD, _DIM = "\x1b[0m", "\x1b[1m", "\x1b[2m"


def render(findings: list[Finding], *, color: bool = False, compact: bool = False, charts: int | None = None,
           checked: list[str] | None = None) -> str:
    """The findings, then (unless compact) a summary line; `charts` linted, when known, says how
    many and makes a clean run print `All checks passed!` rather than nothing; `checked` names the
    Helm versions the charts were checked against (the default depends on the helm installed)."""
    lines = []
    for f in findings:
        sev = f"{_COLORS[f.severity]}{f.severity}{_RESET}" if color else f.severity
        loc = f"{_BOLD}{f.file}:{f.line}:{f.column}{_RESET}" if color else f"{f.file}:{f.line}:{f.column}"
        lines.append(f"{loc}: {sev} {f.rule} {f.message}" + ("" if compact else f" [{f.name}]"))
        if not compact:
            for r in f.related:
                rel = f"{f.chart_dir.rstrip('/')}/{r.pos.file}" if f.chart_dir not in ("", ".") else r.pos.file
                note = f"  {rel}:{r.pos.line}:{r.pos.column}: note: {r.message}"
                lines.append(f"{_DIM}{note}{_RESET}" if color else note)
    counts = {s: sum(1 for f in findings if f.severity == s) for s in ("error", "warning", "info")}
    where = "" if charts is None else f" in {charts} chart{'' if charts == 1 else 's'}"
    against = f"checked against {', '.join(checked)}" if checked else ""
    if findings and not compact:
        lines.append(f"Found {len(findings)} problem(s){where}{f' ({against})' if against else ''}: "
                     f"{counts['error']} error(s), {counts['warning']} warning(s), {counts['info']} info.")
    elif charts and not compact:
        done = f"All checks passed! ({charts} chart{'' if charts == 1 else 's'}{f', {against}' if against else ''})"
        lines.append(f"\x1b[32m{done}{_RESET}" if color else done)
    return "\n".join(lines) + ("\n" if lines else "")

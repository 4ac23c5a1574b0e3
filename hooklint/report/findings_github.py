"""GitHub Actions workflow commands. GitHub shows at most 10 annotations per severity per step, so
errors come first and a summary line gives the total (use SARIF for the full list)."""

from __future__ import annotations

from hooklint.lint.finding import SEVERITY_RANK, Finding

_CMD = {"error": "error", "warning": "warning", "info": "notice"}


def _esc_data(s: str) -> str:
    return s.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _esc_prop(s: str) -> str:
    return _esc_data(s).replace(":", "%3A").replace(",", "%2C")


def render(findings: list[Finding]) -> str:
    ordered = sorted(findings, key=lambda f: (-SEVERITY_RANK[f.severity], f.sort_key()))
    lines = [
        f"::{_CMD[f.severity]} file={_esc_prop(f.file)},line={f.line},col={f.column},"
        f"title={_esc_prop(f'{f.rule} {f.name}')}::{_esc_data(f.message)}"
        for f in ordered
    ]
    if findings:
        lines.append(f"hooklint: {len(findings)} finding(s); GitHub shows at most 10 annotations per severity per step.")
    return "\n".join(lines) + ("\n" if lines else "")

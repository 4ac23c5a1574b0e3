"""The versioned JSON report (schema_version 1)."""

from __future__ import annotations

import json

from hooklint.lint.finding import Finding


def render(findings: list[Finding], checked: list[str] | None = None) -> str:
    """`checked`: the Helm versions the charts were checked against (`Helm 3.17`)."""
    summary = {s: sum(1 for f in findings if f.severity == s) for s in ("error", "warning", "info")}
    doc: dict[str, object] = {"schema_version": 1, "findings": [f.to_dict() for f in findings], "summary": summary}
    if checked is not None:
        doc["checked_against"] = checked
    return json.dumps(doc, indent=2, sort_keys=False) + "\n"

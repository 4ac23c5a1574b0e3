"""GitLab code quality report (a JSON array of issues)."""

from __future__ import annotations

import json

from hooklint.lint.finding import Finding

_SEVERITY = {"error": "major", "warning": "minor", "info": "info"}


def render(findings: list[Finding]) -> str:
    issues = [
        {
            "description": f"{f.rule} {f.message}",
            "check_name": f"{f.rule} {f.name}",
            "fingerprint": f.fingerprint(),
            "severity": _SEVERITY[f.severity],
            "location": {"path": f.file, "lines": {"begin": f.line}},
        }
        for f in findings
    ]
    return json.dumps(issues, indent=2) + "\n"

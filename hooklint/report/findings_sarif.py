"""SARIF 2.1.0 for GitHub code scanning: rule metadata and help, template-line locations,
related locations (e.g. the values.yaml line a value came from), stable fingerprints."""

from __future__ import annotations

import json
from typing import Any

from hooklint import __version__
from hooklint.lint.catalog import Catalog, Rule
from hooklint.lint.finding import Finding

_LEVEL = {"error": "error", "warning": "warning", "info": "note"}
_SECURITY_SEVERITY = {"error": "8.0", "warning": "5.0", "info": "2.0"}


def _rule(rule: Rule) -> dict[str, Any]:
    refs = "\n".join(f"- [{r['title']}]({r['url']})" if r.get("url") else f"- {r['title']}" for r in rule.references)
    props: dict[str, Any] = {"tags": ["helm", "hooks", rule.group], "precision": "high"}
    if rule.group == "security":  # the group is already the `security` tag GitHub looks for
        props["security-severity"] = _SECURITY_SEVERITY[rule.severity]
    else:
        props["problem.severity"] = {"error": "error", "warning": "warning", "info": "recommendation"}[rule.severity]
    return {
        "id": rule.id,
        "name": rule.name,
        "shortDescription": {"text": rule.summary[:1024]},
        "fullDescription": {"text": rule.rationale[:1024]},
        "help": {
            "text": f"{rule.rationale}\n\nFix: {rule.remediation}"[:10000],
            "markdown": f"{rule.rationale}\n\n**Fix:** {rule.remediation}\n\n**References**\n{refs}",
        },
        "defaultConfiguration": {"level": _LEVEL[rule.severity]},
        "properties": props,
    }


def _artifact(file: str) -> dict[str, str]:
    """A SARIF artifactLocation: a path under the working directory is a relative URI reference
    (percent-encoded) against %SRCROOT%, the checkout code scanning maps results into; a chart
    outside it keeps its absolute path as a file: URI."""
    if file.startswith("/"):
        from pathlib import PurePosixPath

        return {"uri": PurePosixPath(file).as_uri()}
    from urllib.parse import quote

    return {"uri": quote(file), "uriBaseId": "%SRCROOT%"}


def _location(file: str, line: int, column: int) -> dict[str, Any]:
    return {"physicalLocation": {"artifactLocation": _artifact(file),
                                 "region": {"startLine": line, "startColumn": column}}}


def render(findings: list[Finding], catalog: Catalog, checked: list[str] | None = None) -> str:
    used = sorted({f.rule for f in findings})
    rules = [r for r in catalog.rules if r.id in used]
    index = {r.id: i for i, r in enumerate(rules)}
    results = []
    for f in findings:
        res: dict[str, Any] = {
            "ruleId": f.rule,
            "ruleIndex": index[f.rule],
            "level": _LEVEL[f.severity],
            "message": {"text": f.message},
            "locations": [_location(f.file, f.line, f.column)],
            "partialFingerprints": {"hooklint/v1": f.fingerprint()},
        }
        if f.related:
            res["relatedLocations"] = [
                {"id": i + 1, **_location(f"{f.chart_dir.rstrip('/')}/{r.pos.file}" if f.chart_dir not in ("", ".")
                                          else r.pos.file, r.pos.line, r.pos.column),
                 "message": {"text": r.message}}
                for i, r in enumerate(f.related)
            ]
        results.append(res)
    log = {
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {"name": "hooklint", "semanticVersion": __version__, "version": __version__,
                                "informationUri": "https://github.com/hooklint/hooklint", "rules": [_rule(r) for r in rules],
                                **({"properties": {"checkedAgainst": checked}} if checked is not None else {})}},
            "results": results,
            "columnKind": "unicodeCodePoints",
        }],
    }
    return json.dumps(log, indent=2) + "\n"

"""Known findings (`lint --write-baseline FILE`, `--baseline-file FILE`): the findings a
repository had when it adopted hooklint, by fingerprint (Finding.fingerprint: rule, file, object,
event and message; not the line, so edits around a finding keep it known), so that CI fails only
on new ones. The file is JSON, sorted, with the rule and file of each entry for reviewers."""

from __future__ import annotations

import json

from hooklint.errors import UsageError
from hooklint.lint.finding import Finding

SCHEMA_VERSION = 1


def write(path: str, findings: list[Finding]) -> None:
    from hooklint.runtime.replay import write_text

    entries = sorted({(f.fingerprint(), f.rule, f.file) for f in findings}, key=lambda e: (e[2], e[1], e[0]))
    data = {"schema_version": SCHEMA_VERSION,
            "findings": [{"fingerprint": fp, "rule": rule, "file": file} for fp, rule, file in entries]}
    write_text(path, json.dumps(data, indent=2) + "\n", "--write-baseline: ")


def read(path: str) -> set[str]:
    """The fingerprints `path` records; a missing or malformed file is a usage error."""
    try:
        with open(path, encoding="utf-8") as f:
            data = json.load(f)
    except OSError as e:
        raise UsageError(f"--baseline-file: cannot read {path}: {e.strerror or e}") from None
    except ValueError as e:
        raise UsageError(f"--baseline-file: {path} is not JSON: {e}") from None
    entries = data.get("findings") if isinstance(data, dict) else None
    if not isinstance(entries, list) or not all(isinstance(e, dict) and isinstance(e.get("fingerprint"), str)
                                                for e in entries):
        raise UsageError(f"--baseline-file: {path} is not a file written by `hooklint lint --write-baseline`")
    return {e["fingerprint"] for e in entries}

"""Conformance tables: template snippets with Helm's recorded output or error.

A table is `fixtures/gotemplate/<area>.yaml`:

    cases:
      - name: printf-float            # unique within the file
        template: '{{ printf "%v" 1.5 }}'
        values: "a: 1\n"              # optional values.yaml text
        files: {templates/_h.tpl: ""} # optional extra chart files
        match: '^[a-z]{5}$'           # optional: output is random/time-dependent; both
                                      # Helm's and ours must fullmatch this regex
        output: "1.5"                 # recorded from Helm by tools/record_conformance.py
        error:                        # ...or Helm's failure
          location: t/templates/t.yaml:1:3
          message: "..."

The chart is always `t`, the template `t/templates/t.yaml`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
TABLES = ROOT / "fixtures" / "gotemplate"


@dataclass
class Case:
    table: str
    name: str
    template: str
    values: str = ""
    files: dict[str, str] = field(default_factory=dict)
    match: str | None = None
    output: str | None = None
    error: dict[str, str] | None = None

    @property
    def id(self) -> str:
        return f"{self.table}:{self.name}"

    def chart_files(self) -> dict[str, str]:
        return {"templates/t.yaml": self.template, "values.yaml": self.values, **self.files}


def load_table(path: Path) -> list[Case]:
    doc = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    cases = []
    for raw in doc.get("cases", []):
        cases.append(
            Case(
                table=path.stem,
                name=raw["name"],
                template=raw["template"],
                values=raw.get("values", "") or "",
                files=raw.get("files") or {},
                match=raw.get("match"),
                output=raw.get("output"),
                error=raw.get("error"),
            )
        )
    return cases


def load_all() -> list[Case]:
    cases: list[Case] = []
    for path in sorted(TABLES.glob("*.yaml")):
        cases.extend(load_table(path))
    return cases


def error_tail(message: str) -> str:
    """The innermost link of a Go error chain `a: b: c` -> `c` (what the user must fix)."""
    return re.split(r":\s", message.strip())[-1].strip()


class _LiteralDumper(yaml.SafeDumper):
    pass


def _str_rep(dumper: yaml.SafeDumper, data: str) -> Any:
    if "\n" in data and not any(c in data for c in "\t\r") and data == data.rstrip(" "):
        try:
            return dumper.represent_scalar("tag:yaml.org,2002:str", data, style="|")
        except Exception:  # pragma: no cover
            pass
    return dumper.represent_scalar("tag:yaml.org,2002:str", data)


_LiteralDumper.add_representer(str, _str_rep)


def dump_table(path: Path, cases: list[dict[str, Any]]) -> None:
    text = yaml.dump(
        {"cases": cases}, Dumper=_LiteralDumper, sort_keys=False, allow_unicode=True, width=1 << 30
    )
    # Round-trip guard: the dumped table must load back to the same data.
    assert yaml.safe_load(text) == {"cases": cases}, f"lossy dump of {path}"
    path.write_text(text, encoding="utf-8")

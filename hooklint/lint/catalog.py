"""The rule catalogue: one YAML document per rule, validated against rules/schema.json.

Installed wheels carry the files as package data (`hooklint/_rules`, see pyproject); a source
checkout reads the repository's `rules/` folder.

`hooklint lint` reads the compact generated `rules/index.json` (every rule without its examples:
one small JSON file instead of 55+ YAML documents); `explain` and the tests read the YAML documents.
A test keeps the index equal to the documents (`python -m hooklint.lint.catalog` regenerates it).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from hooklint.errors import ConfigError, HooklintError

TARGETS = ("helm3", "helm4", "argocd", "flux")
PRESETS = ("strict",)  # `extends:` values; each adds the opt-in rules that name it
GROUP_TITLES = {
    "meta": "Chart cannot be analysed",
    "annotation-syntax": "Annotation syntax",
    "ordering": "Ordering and dependencies",
    "lifecycle": "Lifecycle and deletion",
    "pod-spec": "Pod and Job specs of hooks",
    "naming": "Naming and collisions",
    "security": "Security of hook workloads",
    "gitops": "GitOps portability",
}


# Example, Rule and Catalog are neither frozen (their dict fields made them unhashable anyway) nor
# compared by value (nothing compares them): generated methods cost start-up time, and a frozen
# __init__ is slower for ~70 rules.
@dataclass(eq=False)
class Example:
    """One example of a rule document: a chart (`files`) and the findings the rule reports on it."""

    name: str
    expect: str
    files: dict[str, str]
    findings: tuple[dict[str, Any], ...]
    config: dict[str, Any] = field(default_factory=dict)
    description: str = ""
    baseline: dict[str, str] = field(default_factory=dict)  # the previous version's files (lint --baseline)


@dataclass(eq=False)
class Rule:
    """One rule of the catalogue (rules/HLxxx-name.yaml)."""

    id: str
    name: str
    severity: str
    group: str
    summary: str
    rationale: str
    remediation: str
    references: tuple[dict[str, str], ...]
    options: dict[str, dict[str, Any]]
    examples: tuple[Example, ...]
    targets: tuple[str, ...] = TARGETS
    source: str = ""
    target_severity: dict[str, str] = field(default_factory=dict)
    helm_versions: str = ""  # "" (all), ">=3.18" or "<4.1"
    # Opt-in rules name the presets that enable them (`extends: strict`); () = the default set.
    presets: tuple[str, ...] = ()

    @property
    def opt_in(self) -> bool:
        return bool(self.presets)

    def default_options(self) -> dict[str, Any]:
        return {k: v["default"] for k, v in self.options.items()}

    def severity_for(self, target: str) -> str:
        """The default severity under a target profile (the catalogue's per-profile column)."""
        return self.target_severity.get(target, self.severity)

    def applies_to(self, helm_version: tuple[int, int]) -> bool:
        """Whether the rule describes behaviour of this Helm version (see `helm-versions`)."""
        if not self.helm_versions:
            return True
        op, ver = (">=", self.helm_versions[2:]) if self.helm_versions.startswith(">=") else ("<", self.helm_versions[1:])
        major, minor = (int(x) for x in ver.split("."))
        return helm_version >= (major, minor) if op == ">=" else helm_version < (major, minor)


def rules_dir() -> Path:
    """Where the rule documents are: package data first, then the source checkout."""
    packaged = Path(__file__).resolve().parent.parent / "_rules"
    if (packaged / "schema.json").is_file():
        return packaged
    repo = Path(__file__).resolve().parent.parent.parent / "rules"
    if (repo / "schema.json").is_file():
        return repo
    raise HooklintError("hooklint installation is incomplete: the rule catalogue (rules/) was not found")


def _example(raw: dict[str, Any]) -> Example:
    return Example(
        name=raw["name"],
        expect=raw["expect"],
        files=dict(raw["files"]),
        findings=tuple(raw["findings"]),
        config=dict(raw.get("config") or {}),
        description=raw.get("description", ""),
        baseline=dict(raw.get("baseline") or {}),
    )


def parse_rule(raw: dict[str, Any], source: str) -> Rule:
    return Rule(
        id=raw["id"],
        name=raw["name"],
        severity=raw["severity"],
        group=raw["group"],
        summary=raw["summary"].strip(),
        rationale=raw["rationale"].strip(),
        remediation=raw["remediation"].strip(),
        references=tuple(raw["references"]),
        options=dict(raw.get("options") or {}),
        examples=tuple(_example(e) for e in raw["examples"]),
        targets=tuple(raw.get("targets") or TARGETS),
        source=source,
        target_severity=dict(raw.get("target-severity") or {}),
        helm_versions=str(raw.get("helm-versions") or ""),
        presets=tuple(raw.get("presets") or ()),
    )


INDEX_NAME = "index.json"


def index_data(catalog: Catalog) -> dict[str, Any]:
    """What `rules/index.json` holds: each rule document without its examples."""
    rules = []
    for r in catalog.rules:
        rules.append({
            "source": r.source, "id": r.id, "name": r.name, "severity": r.severity, "group": r.group,
            "summary": r.summary, "rationale": r.rationale, "remediation": r.remediation,
            "references": list(r.references), "options": r.options, "targets": list(r.targets),
            "target-severity": r.target_severity, "helm-versions": r.helm_versions,
            **({"presets": list(r.presets)} if r.presets else {}),
        })
    return {"generated-by": "python -m hooklint.lint.catalog", "rules": rules}


def index_text(catalog: Catalog) -> str:
    return json.dumps(index_data(catalog), indent=1, sort_keys=True, ensure_ascii=False) + "\n"


@lru_cache(maxsize=1)
def load_index() -> Catalog:
    """The catalogue without examples, from the generated index (fast path for `hooklint lint`);
    falls back to the YAML documents when the index is missing."""
    path = rules_dir() / INDEX_NAME
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return load_catalog()
    rules = [parse_rule({**raw, "examples": []}, raw["source"]) for raw in data["rules"]]
    return Catalog(tuple(rules))


@lru_cache(maxsize=1)
def load_catalog(validate: bool = False) -> Catalog:
    """Load every rule document (with examples). Schema validation is off on the hot path (the test-suite and
    `hooklint rules --check` validate) because importing jsonschema costs ~100 ms."""
    import yaml

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    base = rules_dir()
    schema = json.loads((base / "schema.json").read_text(encoding="utf-8")) if validate else None
    rules: list[Rule] = []
    for path in sorted(base.glob("HL*.yaml")):
        try:
            raw = yaml.load(path.read_text(encoding="utf-8"), Loader=loader)
        except yaml.YAMLError as e:
            raise HooklintError(f"{path.name}: invalid YAML: {e}") from None
        if schema is not None:
            import jsonschema

            try:
                jsonschema.validate(raw, schema)
            except jsonschema.ValidationError as e:
                where = "/".join(str(p) for p in e.absolute_path)
                raise HooklintError(f"{path.name}: invalid rule document at '{where}': {e.message}") from None
        rule = parse_rule(raw, path.name)
        if path.stem != f"{rule.id}-{rule.name}":
            raise HooklintError(f"{path.name}: file name must be '{rule.id}-{rule.name}.yaml'")
        rules.append(rule)
    return Catalog(tuple(rules))


@dataclass(eq=False)
class Catalog:
    """Every rule, looked up by id or name."""

    rules: tuple[Rule, ...]

    def __post_init__(self) -> None:
        object.__setattr__(self, "_by_key", {**{r.id: r for r in self.rules}, **{r.name: r for r in self.rules}})

    def get(self, key: str) -> Rule | None:
        by_key: dict[str, Rule] = self._by_key  # type: ignore[attr-defined]
        return by_key.get(key) or by_key.get(key.upper())

    def resolve(self, key: str, what: str = "rule") -> Rule:
        """The rule named by id or name, or a ConfigError with the nearest suggestion."""
        rule = self.get(key)
        if rule is None:
            raise ConfigError(f"unknown {what} '{key}'{suggest(key, self.keys())}")
        return rule

    def keys(self) -> list[str]:
        return [r.id for r in self.rules] + [r.name for r in self.rules]


def suggest(word: str, choices: list[str] | tuple[str, ...]) -> str:
    """A ' (did you mean X?)' suffix, or ''."""
    import difflib  # error messages only: kept off the start-up path

    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f" (did you mean '{close[0]}'?)" if close else ""


if __name__ == "__main__":  # regenerate rules/index.json
    (rules_dir() / INDEX_NAME).write_text(index_text(load_catalog(validate=True)), encoding="utf-8")

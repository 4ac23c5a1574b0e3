"""The rule catalogue: one YAML document per rule, validated against rules/schema.json.

Installed wheels carry the files as package data (`hooklint/_rules`, see pyproject); a source
checkout reads the repository's `rules/` folder.

`hooklint lint` reads the generated index `hooklint/lint/catalog_index.py` (every rule without its
examples, as Python literals: no YAML parsing on a run); `explain` and the tests read the YAML
documents. A test keeps the index equal to the documents (`python -m hooklint.lint.catalog`
regenerates it), and a run whose documents differ from those it was generated from reads them.
"""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path

from hooklint.errors import ConfigError, HooklintError

TYPE_CHECKING = False  # not `typing`'s: importing typing costs ~3 ms of every run
if TYPE_CHECKING:
    from typing import Any

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


# Example, Rule and Catalog are plain classes, not dataclasses: nothing compares or copies them,
# and generating a dataclass's methods costs start-up time on every lint (~0.4 ms a class).
class Example:
    """One example of a rule document: a chart (`files`) and the findings the rule reports on it."""

    __slots__ = ("name", "expect", "files", "findings", "config", "description", "baseline")

    def __init__(self, name: str, expect: str, files: dict[str, str], findings: tuple[dict[str, Any], ...],
                 config: dict[str, Any] | None = None, description: str = "",
                 baseline: dict[str, str] | None = None) -> None:
        self.name = name
        self.expect = expect
        self.files = files
        self.findings = findings
        self.config: dict[str, Any] = {} if config is None else config
        self.description = description
        # the previous version's files (lint --baseline)
        self.baseline: dict[str, str] = {} if baseline is None else baseline


class Rule:
    """One rule of the catalogue (rules/HLxxx-name.yaml)."""

    __slots__ = ("id", "name", "severity", "group", "summary", "rationale", "remediation", "references",
                 "options", "examples", "targets", "source", "target_severity", "helm_versions", "presets")

    def __init__(self, id: str, name: str, severity: str, group: str, summary: str, rationale: str,
                 remediation: str, references: tuple[dict[str, str], ...], options: dict[str, dict[str, Any]],
                 examples: tuple[Example, ...], targets: tuple[str, ...] = TARGETS, source: str = "",
                 target_severity: dict[str, str] | None = None, helm_versions: str = "",
                 presets: tuple[str, ...] = ()) -> None:
        self.id = id
        self.name = name
        self.severity = severity
        self.group = group
        self.summary = summary
        self.rationale = rationale
        self.remediation = remediation
        self.references = references
        self.options = options
        self.examples = examples
        self.targets = targets
        self.source = source
        self.target_severity: dict[str, str] = {} if target_severity is None else target_severity
        self.helm_versions = helm_versions  # "" (all), ">=3.18" or "<4.1"
        # Opt-in rules name the presets that enable them (`extends: strict`); () = the default set.
        self.presets = presets

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


# The index: hooklint/lint/catalog_index.py, generated from the rule documents (without their
# examples) as Python literals. Importing it reads its compiled bytecode: no YAML, no json, and
# ~0.3 ms instead of ~3 ms for json's import and parse of an index file.
INDEX_MODULE = Path(__file__).resolve().parent / "catalog_index.py"
_INDEX_FIELDS = ("source", "id", "name", "severity", "group", "summary", "rationale", "remediation",
                 "references", "options", "targets", "target_severity", "helm_versions", "presets")


def documents_key(base: str) -> tuple[tuple[str, int], ...]:
    """What the index was generated from: each rule document's name and size. A document edited
    since (a source checkout where the index was not regenerated) changes its size, or its name,
    and the index is not used; the test-suite compares the index with the documents themselves."""
    with os.scandir(base) as entries:
        return tuple(sorted((e.name, e.stat().st_size) for e in entries
                            if e.name.startswith("HL") and e.name.endswith(".yaml")))


def index_text(catalog: Catalog) -> str:
    """The source of hooklint/lint/catalog_index.py: one tuple of _INDEX_FIELDS a rule."""
    lines = [
        '"""The rule catalogue without its examples, generated from rules/HL*.yaml by',
        "`python -m hooklint.lint.catalog`: do not edit (a test keeps it equal to the documents).\"\"\"",
        "",
        "from __future__ import annotations",
        "",
        "TYPE_CHECKING = False  # not `typing`'s: a lint imports no typing",
        "if TYPE_CHECKING:",
        "    from typing import Any",
        "",
        "# (name, size) of each document it was generated from: see catalog.documents_key",
        f"KEY: tuple[tuple[str, int], ...] = {documents_key(str(rules_dir()))!r}",
        "",
        "RULES: tuple[tuple[Any, ...], ...] = (",
    ]
    for r in catalog.rules:
        row = (r.source, r.id, r.name, r.severity, r.group, r.summary, r.rationale, r.remediation,
               r.references, r.options, r.targets, r.target_severity, r.helm_versions, r.presets)
        lines.append(f"    {row!r},")
    lines.append(")")
    return "\n".join(lines) + "\n"


@lru_cache(maxsize=1)
def load_index() -> Catalog:
    """The catalogue without examples, from the generated index (fast path for `hooklint lint`);
    the YAML documents when the index is missing or was generated from other documents."""
    try:
        from hooklint.lint import catalog_index
    except ImportError:
        return load_catalog()
    if catalog_index.KEY != documents_key(str(rules_dir())):
        return load_catalog()
    return Catalog(tuple(
        Rule(id=id, name=name, severity=severity, group=group, summary=summary, rationale=rationale,
             remediation=remediation, references=references, options=options, examples=(), targets=targets,
             source=source, target_severity=target_severity, helm_versions=helm_versions, presets=presets)
        for (source, id, name, severity, group, summary, rationale, remediation, references, options, targets,
             target_severity, helm_versions, presets) in catalog_index.RULES
    ))


@lru_cache(maxsize=1)
def load_catalog(validate: bool = False) -> Catalog:
    """Load every rule document (with examples). Schema validation is off on the hot path (the test-suite and
    `hooklint rules --check` validate) because importing jsonschema costs ~100 ms."""
    import yaml

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    base = rules_dir()
    import json

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


class Catalog:
    """Every rule, looked up by id or name."""

    __slots__ = ("rules", "_by_key")

    def __init__(self, rules: tuple[Rule, ...]) -> None:
        self.rules = rules
        self._by_key = {**{r.id: r for r in rules}, **{r.name: r for r in rules}}

    def get(self, key: str) -> Rule | None:
        return self._by_key.get(key) or self._by_key.get(key.upper())

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


if __name__ == "__main__":  # regenerate hooklint/lint/catalog_index.py
    INDEX_MODULE.write_text(index_text(load_catalog(validate=True)), encoding="utf-8")

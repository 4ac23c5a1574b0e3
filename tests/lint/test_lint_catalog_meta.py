"""The rule catalogue and the checks stay one-to-one, documented, and valid."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import yaml

from hooklint.checks import CHECKS
from hooklint.commands.rules import rules_index
from hooklint.lint.catalog import load_catalog, rules_dir

ROOT = Path(__file__).resolve().parents[2]


def test_every_rule_document_is_valid() -> None:
    schema = json.loads((ROOT / "rules" / "schema.json").read_text())
    for path in sorted((ROOT / "rules").glob("HL*.yaml")):
        jsonschema.validate(yaml.safe_load(path.read_text()), schema)
    assert load_catalog(validate=True).rules


def test_code_and_documents_one_to_one() -> None:
    ids = [i for i, _ in CHECKS]
    assert len(ids) == len(set(ids))
    assert set(ids) == {r.id for r in load_catalog().rules}


def test_each_rule_has_pass_and_fail_example() -> None:
    for rule in load_catalog().rules:
        kinds = {e.expect for e in rule.examples}
        assert kinds == {"pass", "fail"}, rule.id
        for e in rule.examples:
            assert (e.expect == "pass") == (not e.findings), (rule.id, e.name)


def test_at_least_45_rules_covering_every_group() -> None:
    rules = load_catalog().rules
    assert len(rules) >= 45
    assert {r.group for r in rules} >= {"annotation-syntax", "ordering", "lifecycle", "pod-spec", "naming",
                                        "security", "gitops"}


def test_generated_index_is_fresh() -> None:
    assert (ROOT / "rules" / "README.md").read_text() == rules_index(load_catalog()), (
        "rules/README.md is stale: run `hooklint rules -o markdown > rules/README.md`"
    )


def test_rules_dir_found() -> None:
    assert (rules_dir() / "schema.json").is_file()


def test_compact_index_is_fresh() -> None:
    from hooklint.lint.catalog import INDEX_NAME, index_text, load_index

    assert (ROOT / "rules" / INDEX_NAME).read_text() == index_text(load_catalog()), (
        "rules/index.json is stale: run `python -m hooklint.lint.catalog`"
    )
    fast, full = load_index(), load_catalog()
    assert [(r.id, r.severity, r.target_severity, r.options) for r in fast.rules] == [
        (r.id, r.severity, r.target_severity, r.options) for r in full.rules
    ]


def test_profile_severities_only_name_known_targets() -> None:
    for rule in load_catalog().rules:
        assert set(rule.target_severity) <= set(rule.targets), rule.id

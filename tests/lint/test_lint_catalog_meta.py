"""The rule catalogue and the checks stay one-to-one, documented, and valid."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
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
    from hooklint.lint.catalog import _INDEX_FIELDS, INDEX_MODULE, index_text, load_index

    assert INDEX_MODULE.read_text() == index_text(load_catalog()), (
        "hooklint/lint/catalog_index.py is stale: run `python -m hooklint.lint.catalog`"
    )
    fast, full = load_index(), load_catalog()
    assert fast is not full
    assert [[getattr(r, f) for f in _INDEX_FIELDS] for r in fast.rules] == [
        [getattr(r, f) for f in _INDEX_FIELDS] for r in full.rules
    ]


def test_an_index_generated_from_other_documents_is_not_used(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A rule document edited after the index was generated: the run reads the documents."""
    import shutil

    from hooklint.lint import catalog

    rules = tmp_path / "rules"
    shutil.copytree(catalog.rules_dir(), rules)
    doc = rules / "HL304-hook-never-cleaned.yaml"
    doc.write_text(doc.read_text().replace("severity: info", "severity: warning", 1))
    monkeypatch.setattr(catalog, "rules_dir", lambda: rules)
    catalog.load_index.cache_clear()
    catalog.load_catalog.cache_clear()
    try:
        got = catalog.load_index().get("HL304")
        assert got is not None and got.severity == "warning"
    finally:
        catalog.load_index.cache_clear()
        catalog.load_catalog.cache_clear()


def test_profile_severities_only_name_known_targets() -> None:
    for rule in load_catalog().rules:
        assert set(rule.target_severity) <= set(rule.targets), rule.id

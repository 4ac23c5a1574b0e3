"""Every example of every rule, through the whole pipeline with only that rule enabled."""

from __future__ import annotations

from pathlib import Path

import pytest
from lint_support import lint_files

from hooklint.lint.catalog import load_catalog
from hooklint.lint.config import Config

CATALOG = load_catalog()
CASES = [(rule, ex) for rule in CATALOG.rules for ex in rule.examples]


@pytest.mark.parametrize("rule,example", CASES, ids=[f"{r.id}-{e.name}" for r, e in CASES])
def test_rule_example(rule, example, tmp_path: Path) -> None:
    cfg = Config()
    opts = example.config.get("options")
    if opts:
        cfg.options[rule.id] = dict(opts)
    result = lint_files(
        tmp_path,
        example.files,
        select=[rule.id],
        config=cfg,
        target=example.config.get("target", rule.targets[0] if "helm4" not in rule.targets else "helm4"),
        values_files=example.config.get("values-files"),
        baseline=example.baseline,
    )
    got = sorted((f.pos.file if f.pos else "", f.line) for f in result.findings if f.rule == rule.id)
    want = sorted((w["path"], w["line"]) for w in example.findings)
    assert got == want, "\n".join(f"{f.file}:{f.line}:{f.column}: {f.rule} {f.message}" for f in result.findings)
    for f, w in zip(sorted(result.findings, key=lambda f: (f.pos.file if f.pos else "", f.line)),
                    sorted(example.findings, key=lambda w: (w["path"], w["line"])), strict=False):
        if "column" in w:
            assert f.column == w["column"]
        if "severity" in w:
            assert f.severity == w["severity"], f"{f.file}:{f.line}: {f.rule} is {f.severity}, expected {w['severity']}"

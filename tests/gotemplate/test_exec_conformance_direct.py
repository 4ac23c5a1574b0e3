"""The gotemplate conformance tables run straight through TemplateSet (no chart loader, no
render.py): a chart's templates are parsed in Helm's order with Helm's missingkey=zero, dot
is a minimal Helm top-level map, and `<no value>` is removed from the output like Helm does.

Expected outputs and errors were recorded from real Helm (tools/record_conformance.py).
Cases that need Sprig or Helm's own functions are left to tests/test_conformance.py.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
import yaml
from conformance import TABLES, Case, error_tail, load_table

from hooklint.gotemplate.template import TemplateExecError, TemplateParseError, TemplateSet

TABLE_NAMES = ("syntax", "control", "builtins", "errors")
CASES = [case for name in TABLE_NAMES for case in load_table(TABLES / f"{name}.yaml")]
# Helm's function map replaces Go's builtin `slice` with Sprig's; complex numbers are printed
# by gofmt, which does not model complex128 (nothing in a chart produces one).
NOT_ENGINE_ONLY = re.compile(r"\bslice\b|numbers-imaginary")
CHART = "t"
TEMPLATE = f"{CHART}/templates/t.yaml"


def _go_numbers(v: Any) -> Any:
    """Helm decodes values through JSON: every number is a float64."""
    if isinstance(v, bool):
        return v
    if isinstance(v, int):
        return float(v)
    if isinstance(v, dict):
        return {str(k): _go_numbers(x) for k, x in v.items()}
    if isinstance(v, list):
        return [_go_numbers(x) for x in v]
    return v


def _helm_order(path: str) -> tuple[int, str]:
    return path.count("/"), path


def render(case: Case) -> str:
    files = {f"{CHART}/{k}": v for k, v in case.chart_files().items() if k.startswith("templates/")}
    ts = TemplateSet(missing_key="zero")
    for path in sorted(files, key=_helm_order, reverse=True):
        ts.parse(path, files[path])
    values = _go_numbers(yaml.safe_load(case.values) or {})
    data = {
        "Values": values,
        "Release": {"Name": "release-name", "Namespace": "default"},
        "Template": {"Name": TEMPLATE, "BasePath": f"{CHART}/templates"},
    }
    return ts.execute_text(TEMPLATE, data).replace("<no value>", "")


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_table_case_matches_helm(case: Case) -> None:
    assert case.output is not None or case.error is not None, "unrecorded case"
    if NOT_ENGINE_ONLY.search(case.template) or NOT_ENGINE_ONLY.search(case.name):
        pytest.skip("needs Sprig or Go complex printing: covered by tests/test_conformance.py")
    try:
        got = render(case)
    except (TemplateParseError, TemplateExecError) as e:
        assert case.error is not None, f"Helm renders {case.output!r}; we fail with {e.message}"
        if case.error.get("location"):
            assert case.error["location"] + ":" in e.message + ":", (e.message, case.error)
        assert error_tail(e.message) == error_tail(case.error["message"]), (e.message, case.error)
        return
    assert case.error is None, f"Helm fails with {case.error['message']!r}; we rendered {got!r}"
    if case.match is not None:
        assert re.fullmatch(case.match, got, re.S)
    else:
        assert got == case.output


def test_tables_are_big_enough() -> None:
    assert len(CASES) >= 150

"""Golden plans (text + json) for the example chart and trace charts, every event, v3 and v4.

Goldens are this tool's own output, reviewed by hand; the trace replay test is what ties the
operation order to real Helm. Regenerate after an intended change with
`HOOKLINT_UPDATE_GOLDEN=1 pytest tests/plan/test_plan_golden.py`.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from hooklint.plan.inputs import PlanRequest, build_plans
from hooklint.report.plan_formats import render_plans

REPO = Path(__file__).resolve().parents[2]
GOLDEN = Path(__file__).resolve().parent / "golden"
CASES = [
    ("example", "fixtures/charts/example", 3, {}),
    ("example-v4", "fixtures/charts/example", 4, {}),
    (
        "example-atomic-wait",
        "fixtures/charts/example",
        3,
        {"atomic": True, "wait": True, "wait_for_jobs": True},
    ),
    ("s1", "fixtures/charts/traces/s1", 3, {}),
    ("s1-v4", "fixtures/charts/traces/s1", 4, {}),
    ("sA-atomic", "fixtures/charts/traces/sA", 3, {"atomic": True}),
    ("sD", "fixtures/charts/traces/sD", 3, {}),
    ("sG", "fixtures/charts/traces/sG", 3, {}),
    ("sK", "fixtures/charts/traces/sK", 3, {}),
    ("pc3-v4", "fixtures/charts/traces/pc3", 4, {}),
]


@pytest.mark.parametrize(("name", "chart", "version", "opts"), CASES, ids=[c[0] for c in CASES])
def test_golden_plan(
    name: str, chart: str, version: int, opts: dict, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[type-arg]
    monkeypatch.chdir(REPO)  # source paths are relative to the current directory
    request = PlanRequest(
        chart=chart,
        events=["install", "upgrade", "rollback", "uninstall", "test"],
        helm_version=version,
        **opts,
    )
    plans = build_plans(request)
    for fmt, ext in (("text", "txt"), ("json", "json")):
        got = render_plans(plans, fmt, all_events=True)
        path = GOLDEN / f"{name}.{ext}"
        if os.environ.get("HOOKLINT_UPDATE_GOLDEN"):
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(got, encoding="utf-8")
        assert path.exists(), f"missing golden {path}; run with HOOKLINT_UPDATE_GOLDEN=1"
        assert got == path.read_text(encoding="utf-8"), f"{path} differs"

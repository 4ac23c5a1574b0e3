"""Regressions: corrupt `--state` files, corrupt release Secrets and hand-edited `--plan` files
are clear errors (exit 2 naming the file), never an internal error."""

from __future__ import annotations

import base64
import json
from pathlib import Path

import pytest
from broken_inputs import ChartCase, write_chart
from cli_harness import problems, run_cli


@pytest.fixture(scope="module")
def saved(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    tmp = tmp_path_factory.mktemp("apply")
    chart = write_chart(tmp, ChartCase("base"))
    state, plan = tmp / "state.json", tmp / "plan.json"
    assert run_cli(["apply", str(chart), "--event", "install", "--state", str(state)]).code == 0
    assert run_cli(["plan", str(chart), "--event", "upgrade", "-o", "json", "--out", str(plan)]).code == 0
    return {"chart": chart, "state": state, "plan": plan, "tmp": tmp}


@pytest.mark.parametrize(
    ("field", "value", "says"),
    [
        ("clock", None, '"clock" must be an RFC 3339 time'),
        ("clock", "2025-01-01T00:00:00", '"clock" must be an RFC 3339 time'),  # no zone
        ("uid", "x", '"uid" must be a non-negative integer'),
        ("objects", 7, '"objects" must be a list'),
        ("objects", [1], "objects[0] is not a Kubernetes object"),
        ("objects", [{"kind": "Pod", "metadata": 3}], "objects[0] is not a Kubernetes object"),
    ],
)
def test_corrupt_state_field(saved: dict[str, Path], field: str, value: object, says: str) -> None:
    data = json.loads(saved["state"].read_text())
    data[field] = value
    broken = saved["tmp"] / f"state-{field}.json"
    broken.write_text(json.dumps(data))
    result = run_cli(["apply", str(saved["chart"]), "--event", "upgrade", "--state", str(broken)])
    assert result.code == 2, result.stderr
    assert str(broken) in result.stderr and says in result.stderr


def test_deeply_nested_state_and_plan_json(saved: dict[str, Path]) -> None:
    deep = saved["tmp"] / "deep.json"
    deep.write_text("[" * 100_000 + "]" * 100_000)
    for argv in (["apply", str(saved["chart"]), "--event", "upgrade", "--state", str(deep)], ["apply", "--plan", str(deep)]):
        result = run_cli(argv)
        assert result.code == 2 and str(deep) in result.stderr, result.stderr


@pytest.mark.parametrize("garbage", ["!!!not base64", base64.b64encode(b"not gzip or json").decode(), 5])
def test_corrupt_release_secret_is_skipped_like_helm(saved: dict[str, Path], garbage: object) -> None:
    """Helm's Secrets.Query logs "failed to decode release" and skips the record: with the only
    release unreadable, an upgrade finds no deployed release."""
    data = json.loads(saved["state"].read_text())
    for obj in data["objects"]:
        if obj.get("type") == "helm.sh/release.v1":
            obj["data"]["release"] = garbage
    broken = saved["tmp"] / "state-release.json"
    broken.write_text(json.dumps(data))
    result = run_cli(["apply", str(saved["chart"]), "--event", "upgrade", "--state", str(broken)])
    assert not problems(result)
    assert result.code == 1 and 'has no deployed releases' in result.stderr, result.stderr


@pytest.mark.parametrize(
    ("edit", "says"),
    [
        (lambda p: p.update(steps=[1]), "plan.steps[0] must be an object"),
        (lambda p: p["steps"][0].update(object="x"), "plan.steps[0].object must be an object"),
        (lambda p: p["steps"][0].update(weight="heavy"), "plan.steps[0].weight has the wrong type (str)"),
        (lambda p: p.update(helm_version="7"), 'plan.helm_version must be "3" or "4"'),
        (lambda p: p.update(options={"filter": 3}), "plan.options.filter must be a list"),
        (lambda p: p["options"].update(timeout="soon"), "timeout 'soon'"),
        (lambda p: p.update(release=[1]), "plan.release must be an object"),
    ],
)
def test_hand_edited_plan(saved: dict[str, Path], edit, says: str) -> None:  # type: ignore[no-untyped-def]
    data = json.loads(saved["plan"].read_text())
    plan = data["plans"][0] if "plans" in data else data
    edit(plan)
    broken = saved["tmp"] / "plan-edited.json"
    broken.write_text(json.dumps(data))
    result = run_cli(["apply", "--plan", str(broken), "--state", str(saved["tmp"] / "fresh.json")])
    assert result.code == 2, result.stderr
    assert f"--plan: {broken} is not a valid plan: {says}" in result.stderr

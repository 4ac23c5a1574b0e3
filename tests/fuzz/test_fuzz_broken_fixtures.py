"""The charts in fixtures/broken/ through every command: each either works or fails cleanly,
and a chart that does not render is reported at the file (and line) at fault."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from cli_harness import problems, run_cli

BROKEN = Path(__file__).resolve().parents[2] / "fixtures" / "broken"

# chart -> (render exit code, what a render failure and the lint finding must name)
EXPECTED: dict[str, tuple[int, str | None]] = {
    "bad-hook-annotations": (0, None),
    "garbage-pod-fields": (0, None),
    "invalid-yaml-output": (1, "templates/configmap.yaml:6"),
    "unclosed-action": (1, "templates/configmap.yaml:7"),
    "values-type-clash": (1, "templates/job.yaml:7"),
    "yaml-bomb": (1, "templates/bomb.yaml"),
}


def test_every_fixture_has_an_expectation() -> None:
    assert sorted(p.parent.name for p in BROKEN.glob("*/Chart.yaml")) == sorted(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_broken_chart_through_every_command(name: str, tmp_path: Path) -> None:
    chart = str(BROKEN / name)
    code, where = EXPECTED[name]
    render = run_cli(["render", chart])
    assert not problems(render) and render.code == code, render.stderr
    plan = run_cli(["plan", chart, "--event", "all", "-o", "json"])
    assert not problems(plan) and plan.code == code, plan.stderr
    lint = run_cli(["lint", chart, "-o", "json"])
    assert not problems(lint), lint.output
    if where is not None:
        file, _, line = where.partition(":")
        assert file in render.stderr and file in plan.stderr
        finding = json.loads(lint.stdout)["findings"][0]
        assert lint.code == 1 and finding["rule"] == "HL000"
        assert finding["location"]["file"].endswith(file)
        assert not line or finding["location"]["line"] == int(line)
    for argv in (
        ["plan", chart, "--event", "upgrade", "-o", "html"],
        ["lint", chart, "-o", "sarif"],
        ["apply", chart, "--event", "install", "--state", str(tmp_path / "state.json")],
        ["apply", chart, "--event", "install", "--force", "--state", str(tmp_path / "forced.json")],
    ):
        result = run_cli(argv)
        assert not problems(result), (argv, result.output)

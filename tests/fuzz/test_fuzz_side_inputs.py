"""Regressions: undecodable or wrongly-shaped side inputs (stdin, --lookup-data, kubeconfig,
pyproject.toml) are usage errors naming the input, never an internal error."""

from __future__ import annotations

from pathlib import Path

import pytest
from broken_inputs import GARBAGE, ChartCase, write_chart
from cli_harness import problems, run_cli


@pytest.fixture(scope="module")
def chart(tmp_path_factory: pytest.TempPathFactory) -> str:
    return str(write_chart(tmp_path_factory.mktemp("side"), ChartCase("base")))


def test_rendered_stdin_not_utf8() -> None:
    result = run_cli(["plan", "--rendered", "-"], stdin=GARBAGE)
    assert result.code == 2 and "--rendered -: standard input is not UTF-8 text" in result.stderr


def test_lookup_data_not_utf8(chart: str, tmp_path: Path) -> None:
    data = tmp_path / "lookup.bin"
    data.write_bytes(GARBAGE)
    result = run_cli(["render", chart, "--lookup-data", str(data)])
    assert result.code == 2 and f"--lookup-data: cannot read {data}: not UTF-8 text" in result.stderr


@pytest.mark.parametrize(
    "text",
    [GARBAGE, b"- 1\n", b"apiVersion: v1\nkind: Config\nclusters: 3\ncontexts: [1]\ncurrent-context: {a: 1}\n"],
)
def test_broken_kubeconfig(chart: str, tmp_path: Path, text: bytes) -> None:
    kubeconfig = tmp_path / "kubeconfig"
    kubeconfig.write_bytes(text)
    result = run_cli(["apply", chart, "--event", "install", "--backend", "kubernetes", "--kubeconfig", str(kubeconfig)])
    assert result.code == 2, result.stderr
    assert f"cannot load the Kubernetes configuration {kubeconfig}" in result.stderr


@pytest.mark.parametrize(("toml", "code"), [(b"tool = 3\n", 0), (b"[tool]\nhooklint = 3\n", 2)])
def test_pyproject_tool_not_a_table(chart: str, tmp_path: Path, toml: bytes, code: int) -> None:
    (tmp_path / "pyproject.toml").write_bytes(toml)
    result = run_cli(["lint", chart, "--config", str(tmp_path / "pyproject.toml")])
    assert not problems(result) and result.code == code, result.output
    if code == 2:
        assert "pyproject.toml: the configuration must be a mapping" in result.stderr

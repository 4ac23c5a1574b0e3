"""Huge runs of whitespace in rendered output: `hooklint render` stays linear and prints what
`helm template` prints (the old separator search was quadratic: 39 s for 100,000 blank lines)."""

from __future__ import annotations

import time
from pathlib import Path

from cli_run import run_cli
from helm_binaries import HELM3, helm_binary, run_helm
from helm_oracle import write_chart

RUN = 100_000
CM = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {}\n"


def _chart(root: Path) -> Path:
    return write_chart(root, {
        # runs that no separator follows were the quadratic case
        "templates/blank-lines.yaml": CM.format("blank-lines") + "\n" * RUN + "data:\n  a: '1'\n" + "\n" * RUN
        + "---\n" + CM.format("after-blank-lines"),
        "templates/space-line.yaml": CM.format("space-line") + " " * RUN + "\ndata: {}\n" + " " * RUN,
        "templates/mixed.yaml": CM.format("mixed") + "\n \t" * (RUN // 3) + "\n---" + "\n" * RUN,
    }, name="ws")


def test_whitespace_runs_render_in_linear_time(tmp_path: Path) -> None:
    chart = _chart(tmp_path)
    started = time.perf_counter()
    ours = run_cli(["render", str(chart)])
    elapsed = time.perf_counter() - started
    assert ours.exit_code == 0, ours.stderr
    assert elapsed < 10.0, f"{elapsed:.1f} s for {RUN:,}-character whitespace runs"
    assert ours.stdout.count("# Source: ") == 4
    assert "name: after-blank-lines\n" in ours.stdout


def test_whitespace_runs_print_what_helm_prints(tmp_path: Path) -> None:
    chart = _chart(tmp_path)
    helm = helm_binary(HELM3)
    theirs = run_helm(helm, ["template", str(chart)], tmp_path / "home")
    ours = run_cli(["render", str(chart)])
    assert (ours.exit_code, ours.stdout, ours.stderr) == (theirs.exit_code, theirs.stdout, theirs.stderr)

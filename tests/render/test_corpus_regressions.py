"""`hooklint render` against what the real `helm template` binaries printed for each regression
chart of fixtures/charts/regressions/: whole stdout, stderr and exit code, byte for byte.

Each chart there reproduces one class of difference the parity corpus (tools/corpus.py, public
charts rendered by helm v3.17.1 and v4.1.4) found. The expected outputs in recorded.json were
recorded from the real binaries by tools/record_helm_outputs.py (never written by hand): helm
v3.17.1 for hooklint's default mode, helm v4.1.4 for `--helm-version 4`. hooklint's Helm 4 is
Helm 4.2: v4.1.4 was recorded with 4.2's default `--kube-version v1.36.0`, and its stdout is
compared with each document's trailing whitespace removed (4.2's SplitManifests keeps it, 4.1's
trims it), as tools/corpus.py does.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
REGRESSIONS = ROOT / "fixtures" / "charts" / "regressions"
RECORDED: dict[str, dict[str, dict[str, Any]]] = json.loads(
    (REGRESSIONS / "recorded.json").read_text(encoding="utf-8")
)
_DOCUMENT = re.compile(r"(?=^---\n# Source: )", re.M)


def _strip_document_ends(out: str) -> str:
    return "".join(d.rstrip() + "\n" if d.strip() else d for d in _DOCUMENT.split(out))


CASES = [(chart, helm) for chart in sorted(RECORDED) for helm in sorted(RECORDED[chart])]


def test_every_regression_chart_is_recorded() -> None:
    charts = sorted(p.name for p in REGRESSIONS.iterdir() if (p / "Chart.yaml").is_file())
    assert charts == sorted(RECORDED), "run tools/record_helm_outputs.py after adding a chart"


@pytest.mark.parametrize(("chart", "helm"), CASES, ids=[f"{c}:{h}" for c, h in CASES])
def test_render_prints_what_helm_printed(chart: str, helm: str) -> None:
    want = {
        k: v.replace("<REGRESSIONS>", str(REGRESSIONS.resolve())) if isinstance(v, str) else v
        for k, v in RECORDED[chart][helm].items()
    }
    flags = ["--helm-version", "4"] if helm.startswith("helm-v4.") else []
    env = dict(os.environ, HOOKLINT_NO_CACHE="1", HOOKLINT_NO_SERVER="1")
    env.pop("PYTHONWARNINGS", None)  # a user's default: what Python prints by itself shows
    got = subprocess.run(
        [sys.executable, "-m", "hooklint", "render", chart, *flags],
        cwd=REGRESSIONS,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert got.stderr == want["stderr"]
    if flags:
        assert _strip_document_ends(got.stdout) == _strip_document_ends(str(want["stdout"]))
    else:
        assert got.stdout == want["stdout"]
    assert got.returncode == want["exit"]


def test_missing_dependency_helm42_wording(tmp_path: Path) -> None:
    # Helm 4.2.3 (pkg/cmd/install.go, pkg/action/install.go): lower case, the command in single
    # quotes; the v4.1.4 binary still printed Helm 3's backticks, so this is not recorded from it.
    chart = tmp_path / "needs-db"
    chart.mkdir()
    (chart / "Chart.yaml").write_text(
        "apiVersion: v2\nname: needs-db\nversion: 0.1.0\ndependencies:\n  - name: db\n    version: 1.0.0\n"
    )
    env = dict(os.environ, HOOKLINT_NO_CACHE="1", HOOKLINT_NO_SERVER="1")
    got = subprocess.run(
        [sys.executable, "-m", "hooklint", "render", str(chart), "--helm-version", "4"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert got.returncode == 1
    assert got.stderr == (
        "Error: an error occurred while checking for chart dependencies. You may need to run 'helm dependency "
        "build' to fetch missing dependencies: found in Chart.yaml, but missing in charts/ directory: db\n"
    )

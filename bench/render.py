"""Render benchmark: per fixture chart, hooklint and Helm, in-process and as a whole process.

    python bench/render.py [--repeat N] [--helm-version 3|4]

Columns (best of N wall-clock times):
  ours-in      hooklint load_chart + render_chart inside this process
  ours-proc    a `python -m hooklint render CHART` subprocess (interpreter start-up included)
  helm-in      Helm 4.2.3 through helm_python (its Go SDK) inside this process
  helm-proc    a `python -c` subprocess that imports helm_python and renders the chart. There is
               no helm binary here: this is Python start-up + loading the Go shared library +
               rendering, an upper bound for what a `helm template` process costs (a Go binary
               starts in ~30-60 ms).
  and the ratios ours/helm for both modes.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from hooklint.chart import load_chart  # noqa: E402
from hooklint.render import RenderOptions, render_chart  # noqa: E402

_HELM_PROCESS = (
    "import sys, helm_python; "
    "c = helm_python.Chart.load(sys.argv[1]); "
    "sys.stdout.write(''.join(c.render(None, name='release-name', namespace='default').values()))"
)


def _best(fn: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return min(times)


def _run(args: list[str]) -> None:
    subprocess.run(args, capture_output=True, check=True, cwd=ROOT)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--helm-version", type=int, default=4, choices=(3, 4))
    args = ap.parse_args()
    try:
        from helm_oracle import helm_render
    except ImportError:  # pragma: no cover - helm_python not installed
        helm_render = None
    hv = args.helm_version
    opts = RenderOptions(helm_version=hv)
    charts = sorted(p for p in (ROOT / "fixtures" / "charts").iterdir() if (p / "Chart.yaml").exists())
    proc_repeat = max(1, args.repeat // 2)
    nan = float("nan")
    rows = []
    for chart in charts:
        ours = _best(lambda chart=chart: render_chart(load_chart(chart, hv), None, opts), args.repeat)
        cmd = [sys.executable, "-m", "hooklint", "render", str(chart), "--helm-version", str(hv)]
        ours_proc = _best(lambda cmd=cmd: _run(cmd), proc_repeat)
        if helm_render is not None:
            helm = _best(lambda chart=chart: helm_render(chart), args.repeat)
            helm_cmd = [sys.executable, "-c", _HELM_PROCESS, str(chart)]
            helm_proc = _best(lambda helm_cmd=helm_cmd: _run(helm_cmd), proc_repeat)
        else:
            helm = helm_proc = nan
        rows.append((chart.name, ours, ours_proc, helm, helm_proc))
    print(
        f"hooklint --helm-version {hv} vs Helm 4.2.3 (helm_python); best of {args.repeat} (processes: {proc_repeat})"
    )
    print(
        f"{'chart':<12} {'ours-in':>9} {'ours-proc':>10} {'helm-in':>9} {'helm-proc':>10} "
        f"{'in ratio':>9} {'proc ratio':>11}"
    )
    for name, ours, ours_proc, helm, helm_proc in rows:
        print(
            f"{name:<12} {ours * 1000:>7.1f}ms {ours_proc * 1000:>8.0f}ms {helm * 1000:>7.1f}ms "
            f"{helm_proc * 1000:>8.0f}ms {ours / helm:>8.1f}x {ours_proc / helm_proc:>10.1f}x"
        )


if __name__ == "__main__":
    main()

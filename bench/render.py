"""Render benchmark: per fixture chart, hooklint in-process, `hooklint render` as a process, and
Helm (helm_python, in-process) in the same run, with ratios.

    python bench/render.py [--repeat N]
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from hooklint.chart import load_chart  # noqa: E402
from hooklint.render import RenderOptions, render_chart  # noqa: E402


def _best(fn: object, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()  # type: ignore[operator]
        times.append(time.perf_counter() - t0)
    return min(times)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args()
    try:
        from helm_oracle import HELM_SDK_KUBE_VERSION, helm_render
    except ImportError:  # pragma: no cover
        helm_render = None
        HELM_SDK_KUBE_VERSION = "v1.36.0"
    charts = sorted(p for p in (ROOT / "fixtures" / "charts").iterdir() if (p / "Chart.yaml").exists())
    rows = []
    for chart in charts:
        opts = RenderOptions(kube_version=HELM_SDK_KUBE_VERSION)
        ours = _best(lambda chart=chart, opts=opts: render_chart(load_chart(chart), None, opts), args.repeat)
        proc = _best(
            lambda chart=chart: subprocess.run(
                [sys.executable, "-m", "hooklint", "render", str(chart)],
                capture_output=True,
                check=True,
                cwd=ROOT,
            ),
            max(1, args.repeat // 2),
        )
        helm = _best(lambda chart=chart: helm_render(chart), args.repeat) if helm_render else float("nan")
        rows.append((chart.name, ours, proc, helm))
    print(f"{'chart':<12} {'in-process':>11} {'process':>9} {'helm (sdk)':>11} {'ours/helm':>10}")
    for name, ours, proc, helm in rows:
        print(
            f"{name:<12} {ours * 1000:>9.1f}ms {proc * 1000:>7.0f}ms {helm * 1000:>9.1f}ms {ours / helm:>9.1f}x"
        )


if __name__ == "__main__":
    main()

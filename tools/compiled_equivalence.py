"""Compiled templates against the tree-walker on real charts: every chart under a directory is
rendered twice in this process, once with every template tree-walked and once with every template
compiled on its first run (hooklint/gotemplate/compiler.py), and the two results must be equal:
each file's bytes and source map, or the error's text.

    python tools/compiled_equivalence.py CHARTS_DIR [--every N] [--helm-version 3|4]

Random and clock functions draw from the same seeded source in both renders (randAlphaNum
passwords), so only the engine can make them differ. Compiling every template makes a render
about ten times slower than usual: `--every 10` takes every 10th chart. Exit code 1 when a chart
differs. (tests/gotemplate/test_compiled_equivalence.py does the same on the fixture charts and
conformance cases in CI.)
"""

from __future__ import annotations

import argparse
import os
import random
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ["HOOKLINT_NO_CACHE"] = "1"

from hooklint.chart import load_chart  # noqa: E402
from hooklint.errors import HooklintError  # noqa: E402
from hooklint.gotemplate import executor  # noqa: E402
from hooklint.gotemplate.sprig import random as sprig_random  # noqa: E402
from hooklint.render import RenderOptions, render_chart  # noqa: E402

ALWAYS = 1
NEVER = 1 << 62


def find_charts(top: Path) -> list[Path]:
    """Directories holding Chart.yaml that are not inside another chart's charts/ or templates/."""
    out = []
    for chart_yaml in sorted(top.rglob("Chart.yaml")):
        parts = chart_yaml.parent.relative_to(top).parts
        if not any(p in ("charts", "templates") for p in parts[1:]):
            out.append(chart_yaml.parent)
    return out


def render(chart: Path, compile_after: int, helm_version: int) -> Any:
    executor.set_compile_after(compile_after)
    sprig_random.secrets = random.Random(1)  # type: ignore[assignment]
    try:
        files = render_chart(load_chart(chart, helm_version), None, RenderOptions(helm_version=helm_version))
    except HooklintError as e:
        return ("error", str(e))
    return {name: (f.text, repr(f.segments)) for name, f in files.items()}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("charts", type=Path)
    ap.add_argument("--every", type=int, default=1, help="take every Nth chart (default: all)")
    ap.add_argument("--helm-version", type=int, choices=(3, 4), default=3)
    args = ap.parse_args()
    if not args.charts.is_dir():
        print(f"{args.charts}: not a directory", file=sys.stderr)
        return 2
    charts = find_charts(args.charts)[:: max(args.every, 1)]
    differing = 0
    for chart in charts:
        walked = render(chart, NEVER, args.helm_version)
        compiled = render(chart, ALWAYS, args.helm_version)
        counts = executor.compile_counts
        same = walked == compiled
        differing += not same
        print(f"{'same' if same else 'DIFFERS'}  {chart.relative_to(args.charts)}  "
              f"({counts['compiled']} compiled, {counts['declined']} declined)", flush=True)
    print(f"{len(charts) - differing} of {len(charts)} charts identical")
    return 1 if differing else 0


if __name__ == "__main__":
    sys.exit(main())

"""Where an in-process render and lint spend their time, stage by stage (no cache, no server).

    python bench/stages.py [--repeat N] [--helm-version 3|4] CHART_OR_DIR...

A directory holding Chart.yaml is a chart; any other directory stands for every chart under it
(as bench/render.py finds them). Columns (milliseconds of CPU time of this process, median of N
runs; CPU time rather than wall-clock time so that other work on the machine matters less):

  load      load_chart: walking the directory (.helmignore), reading Chart.yaml and values.yaml
  prepare   dependencies (condition, tags, import-values), coalescing, values.schema.json
  render    render_templates with nothing parsed yet (what a never-seen chart costs)
  execute   render_templates again with its templates parsed (the parse is render - execute)
  output    `helm template` output from the rendered files (split, parse, sort)
  lint      lint_chart on the rendered files (documents, hooks, every enabled check)

The last lines give the median and the sum of each column over the charts that render.
"""

from __future__ import annotations

import argparse
import gc
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ["HOOKLINT_NO_CACHE"] = "1"  # before hooklint reads it

from hooklint.chart import load_chart  # noqa: E402
from hooklint.documents.source import RenderedFile  # noqa: E402
from hooklint.errors import HooklintError  # noqa: E402
from hooklint.gotemplate import deepstack, fastparse, goyaml  # noqa: E402
from hooklint.gotemplate import template as template_mod  # noqa: E402
from hooklint.lint.catalog import load_index  # noqa: E402
from hooklint.lint.config import load_config  # noqa: E402
from hooklint.lint.engine import LintRequest, lint_chart  # noqa: E402
from hooklint.lint.rendering import Renderer, RenderOutcome  # noqa: E402
from hooklint.render import RenderOptions, user_values  # noqa: E402
from hooklint.render.engine import render_templates  # noqa: E402
from hooklint.render.output import assemble  # noqa: E402
from hooklint.render.values import prepare  # noqa: E402

STAGES = ("load", "prepare", "render", "execute", "output", "lint")


def find_charts(paths: list[Path]) -> list[Path]:
    out: list[Path] = []
    for top in paths:
        if (top / "Chart.yaml").is_file():
            out.append(top)
            continue
        for chart_yaml in sorted(top.rglob("Chart.yaml")):
            rel = chart_yaml.parent.relative_to(top).parts
            if "charts" not in rel and "templates" not in rel:  # not a subchart or a test fixture
                out.append(chart_yaml.parent)
    return out


def _rendered(files: dict[str, RenderedFile], name: str) -> Renderer:
    """A renderer for lint that hands over files already rendered."""
    return lambda _request: RenderOutcome(files=files, chart_name=name)


def _since(t0: float) -> float:
    return (time.process_time() - t0) * 1000


def measure(chart: Path, repeat: int, helm_version: int) -> dict[str, float]:
    """The median CPU milliseconds of each stage of `chart`."""
    opts = RenderOptions(helm_version=helm_version)
    catalog = load_index()
    config = load_config(None, catalog)
    times: dict[str, list[float]] = {s: [] for s in STAGES}
    for round_ in range(repeat + 1):  # round 0 only warms up (imports, first-use tables)
        row: dict[str, float] = {}
        template_mod._SHARED_PARSES.clear()  # parse as a new process would
        fastparse.forget()
        goyaml.forget()
        t0 = time.process_time()
        loaded = load_chart(chart, helm_version)
        row["load"] = _since(t0)
        t0 = time.process_time()
        work, top = prepare(loaded, user_values(None, opts), opts)
        row["prepare"] = _since(t0)
        t0 = time.process_time()
        render_templates(work, top, opts.lookup_data, helm_version)
        row["render"] = _since(t0)
        work, top = prepare(loaded, user_values(None, opts), opts)
        t0 = time.process_time()
        files = render_templates(work, top, opts.lookup_data, helm_version)
        row["execute"] = _since(t0)
        crds = [(name, f.data) for name, f in work.crd_objects()]
        t0 = time.process_time()
        assemble(files, crds, helm_version=helm_version)
        row["output"] = _since(t0)
        t0 = time.process_time()
        lint_chart(LintRequest(chart, str(chart)), config, catalog, renderer=_rendered(files, loaded.metadata.Name))
        row["lint"] = _since(t0)
        if round_:
            for s in STAGES:
                times[s].append(row[s])
    return {s: statistics.median(v) for s, v in times.items()}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("charts", nargs="+", type=Path)
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--helm-version", type=int, default=3, choices=(3, 4))
    args = ap.parse_args()
    deepstack._local.deep = True  # deep templates run here, not on a thread of their own
    sys.setrecursionlimit(100_000)
    gc.set_threshold(50_000, 20, 100)  # as the command line sets it (hooklint/cli.py)
    rows: list[dict[str, float]] = []
    print(f"{'chart':<40}" + "".join(f"{s:>10}" for s in STAGES))
    for chart in find_charts(args.charts):
        try:
            row = measure(chart, args.repeat, args.helm_version)
        except (HooklintError, RecursionError) as e:
            print(f"{chart.name[-39:]:<40} (left out: {str(e).splitlines()[0][:60]})")
            continue
        rows.append(row)
        print(f"{chart.name[-39:]:<40}" + "".join(f"{row[s]:>10.1f}" for s in STAGES), flush=True)
    if rows:
        print(f"{'median':<40}" + "".join(f"{statistics.median(r[s] for r in rows):>10.1f}" for s in STAGES))
        print(f"{'sum':<40}" + "".join(f"{sum(r[s] for r in rows):>10.1f}" for s in STAGES))


if __name__ == "__main__":
    main()

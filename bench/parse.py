"""Template parse benchmark: the time to lex and parse every template file of each chart, in
process, without any parse cache (what a chart never seen before pays before rendering).

    python bench/parse.py CHART_DIR [CHART_DIR ...] [--repeat N] [--profile] [--against CHECKOUT]

For each chart: the files under its `templates/` folders (the chart's own and those of the
subcharts unpacked under `charts/`; packed `.tgz` subcharts are read from the archive), each
parsed once per round with Helm's function names, as `TemplateSet.parse` does on a cache miss.
What the parser remembers of actions (fastparse: tokens, shapes) is forgotten before every round.
Prints, per chart, the number of files and kilobytes and the median CPU milliseconds of a round
for lexing alone (`lexer.lex`, what the full parser reads) and for parsing (`parse_template`,
the fast path included), and the best round's; then the median and the sum over charts. CPU
time, not wall time: on a shared machine it varies less. Files that do not parse are counted (a
parse error is a result too) and timed like the others.

With --against CHECKOUT (another worktree, say main's): the fast path alone (fastparse.parse,
what a well-formed template takes) of this checkout and of CHECKOUT's fastparse.py, loaded side
by side in this process, their rounds interleaved; per chart both medians, their ratio (above 1:
this checkout is faster) and the files each declined (left to the full parser), then the median
ratio and the ratio of the sums. Only that one file is CHECKOUT's: the lexer, nodes and the rest
are this checkout's.
"""

from __future__ import annotations

import argparse
import cProfile
import gc
import importlib.util
import pstats
import statistics
import sys
import tarfile
import time
from pathlib import Path
from types import ModuleType

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from hooklint.gotemplate import fastparse, lexer  # noqa: E402
from hooklint.gotemplate.builtins import BUILTINS  # noqa: E402
from hooklint.gotemplate.parser import ParseFailure, parse_template  # noqa: E402
from hooklint.render.engine import helm_funcs  # noqa: E402

# The functions Helm's engine adds per render (render/engine.py) on top of helm_funcs().
ENGINE_FUNCS = frozenset({"include", "tpl", "required", "fail", "lookup", "getHostByName"})


def chart_templates(chart: Path) -> list[tuple[str, str]]:
    """(name, text) of every template file of `chart` and its subcharts, in path order."""
    out: list[tuple[str, str]] = []
    for path in sorted(chart.rglob("*")):
        rel = path.relative_to(chart)
        if path.is_file() and "templates" in rel.parts[:-1]:
            out.append((str(rel), path.read_text(encoding="utf-8", errors="surrogateescape")))
        elif path.is_file() and path.suffix == ".tgz" and rel.parts[-2:-1] == ("charts",):
            with tarfile.open(path) as tar:
                for member in sorted(tar.getmembers(), key=lambda m: m.name):
                    if member.isfile() and "/templates/" in member.name:
                        data = tar.extractfile(member)
                        if data is not None:
                            text = data.read().decode("utf-8", "surrogateescape")
                            out.append((f"{rel}/{member.name}", text))
    return out


def _round(files: list[tuple[str, str]], names: frozenset[str], lex_only: bool) -> tuple[float, int]:
    """One pass over `files`: seconds taken and how many failed to parse."""
    failures = 0
    fastparse.forget()  # a chart never seen before: no action remembered
    start = time.process_time()
    for name, text in files:
        if lex_only:
            lexer.lex(text)
            continue
        try:
            parse_template(name, text, names)
        except ParseFailure:
            failures += 1
    return time.process_time() - start, failures


def _load_other(checkout: Path) -> ModuleType:
    """`checkout`'s hooklint/gotemplate/fastparse.py as a module of its own (its imports, the
    lexer and the nodes among them, are this checkout's)."""
    path = checkout / "hooklint" / "gotemplate" / "fastparse.py"
    spec = importlib.util.spec_from_file_location("other_fastparse", path)
    if spec is None or spec.loader is None or not path.is_file():
        raise SystemExit(f"bench/parse.py: no hooklint/gotemplate/fastparse.py under {checkout}")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _fast_round(files: list[tuple[str, str]], names: frozenset[str], module: ModuleType) -> tuple[float, int]:
    """One pass of `module`'s fast path alone over `files`: seconds taken and files declined."""
    module.forget()
    declined = 0
    start = time.process_time()
    for name, text in files:
        if module.parse(name, text, names, set(), True, True) is None:
            declined += 1
    return time.process_time() - start, declined


def compare(charts: list[Path], names: frozenset[str], checkout: Path, repeat: int) -> None:
    """This checkout's parse fast path against `checkout`'s, both in this process, their rounds
    interleaved (alternating which goes first): on a shared machine two processes timed one
    after the other differ by more than the few percent a change to the fast path makes."""
    other = _load_other(checkout)
    print(f"{'chart':40} {'files':>5} {'this ms':>8} {'other ms':>9} {'other/this':>10} declined")
    ours_all: list[float] = []
    theirs_all: list[float] = []
    ratios: list[float] = []
    for chart in charts:
        files = chart_templates(chart)
        ours: list[float] = []
        theirs: list[float] = []
        declined = {fastparse: 0, other: 0}
        gc.disable()
        try:
            for k in range(repeat):
                pair = [(fastparse, ours), (other, theirs)]
                for module, times in pair if k % 2 == 0 else reversed(pair):
                    seconds, declined[module] = _fast_round(files, names, module)
                    times.append(seconds)
        finally:
            gc.enable()
        a, b = statistics.median(ours) * 1000, statistics.median(theirs) * 1000
        ours_all.append(a)
        theirs_all.append(b)
        ratios.append(b / a if a else 1.0)
        print(f"{chart.name[:40]:40} {len(files):5} {a:8.2f} {b:9.2f} {ratios[-1]:10.3f} {declined[fastparse]}/{declined[other]}")
    if ratios:
        print(f"{'median over ' + str(len(ratios)) + ' charts':46} {statistics.median(ours_all):8.2f} "
              f"{statistics.median(theirs_all):9.2f} {statistics.median(ratios):10.3f}")
        print(f"{'sum over ' + str(len(ratios)) + ' charts':46} {sum(ours_all):8.2f} {sum(theirs_all):9.2f} "
              f"{sum(theirs_all) / sum(ours_all) if sum(ours_all) else 1.0:10.3f}")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("charts", nargs="+", type=Path, help="chart directories")
    ap.add_argument("--repeat", type=int, default=5, help="rounds per chart (default 5)")
    ap.add_argument("--profile", action="store_true", help="print a cProfile of all rounds")
    ap.add_argument("--against", type=Path, metavar="CHECKOUT",
                    help="instead, time the parse fast path (fastparse.parse alone) of this checkout "
                         "and of CHECKOUT's hooklint/gotemplate/fastparse.py, interleaved in this "
                         "process, and print their ratio per chart")
    args = ap.parse_args()
    not_charts = [str(c) for c in args.charts if not (c / "Chart.yaml").is_file()]
    if not_charts:
        ap.error(f"not a chart directory (no Chart.yaml): {', '.join(not_charts)}")
    names = frozenset(helm_funcs()) | frozenset(BUILTINS) | ENGINE_FUNCS
    if args.against is not None:
        compare(args.charts, names, args.against, args.repeat)
        return 0
    profiler = cProfile.Profile() if args.profile else None
    medians: list[float] = []
    print(f"{'chart':40} {'files':>5} {'KB':>6} {'lex ms':>8} {'parse ms':>9} {'best':>7} errors")
    for chart in args.charts:
        files = chart_templates(chart)
        size = sum(len(text) for _, text in files)
        lex_times: list[float] = []
        times: list[float] = []
        failures = 0
        gc.disable()  # as TemplateSet.parse does
        try:
            for _ in range(args.repeat):
                lex_times.append(_round(files, names, True)[0])
                if profiler is not None:
                    profiler.enable()
                seconds, failures = _round(files, names, False)
                if profiler is not None:
                    profiler.disable()
                times.append(seconds)
        finally:
            gc.enable()
        median = statistics.median(times) * 1000
        medians.append(median)
        print(f"{chart.name[:40]:40} {len(files):5} {size / 1024:6.0f} "
              f"{statistics.median(lex_times) * 1000:8.2f} {median:9.2f} {min(times) * 1000:7.2f} {failures}")
    if medians:
        print(f"{'median over ' + str(len(medians)) + ' charts':40} {'':5} {'':6} {'':8} "
              f"{statistics.median(medians):9.2f}")
        print(f"{'sum over ' + str(len(medians)) + ' charts':40} {'':5} {'':6} {'':8} {sum(medians):9.2f}")
    if profiler is not None:
        pstats.Stats(profiler).sort_stats("tottime").print_stats(25)
    return 0


if __name__ == "__main__":
    sys.exit(main())

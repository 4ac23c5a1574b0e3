"""Throw broken charts, values, flags and files at every hooklint command; report what breaks.

    python tools/fuzz_cli.py                 # every systematic case through every command
    python tools/fuzz_cli.py --only template # cases whose name contains "template"
    python tools/fuzz_cli.py --random 500    # plus 500 random mutations of the base chart

A run is a problem when it exits 3 (internal error), prints a traceback, exits with an
undocumented code, hangs past --timeout, or fails without naming the file the case broke.
Runs in this process (like the tests), one case at a time, with an address-space cap so a
memory bomb fails instead of taking the machine down. Exit status: 1 if any problem was found.
"""

from __future__ import annotations

import argparse
import random
import resource
import sys
import tempfile
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests" / "fuzz"))

from broken_inputs import (  # noqa: E402
    BASE_FILES,
    ChartCase,
    all_chart_cases,
    archive_blobs,
    write_chart,
)
from cli_harness import Expect, problems, run_cli  # noqa: E402
from side_inputs import side_input_runs  # noqa: E402

PLAN_FORMATS = ("text", "json", "markdown", "html", "mermaid")
LINT_FORMATS = ("text", "json", "sarif", "junit", "github", "gitlab")


def command_lines(chart: str, case: ChartCase, state: str, thorough: bool) -> Iterator[list[str]]:
    """Every command a chart case goes through (lint takes only -f of the render flags)."""
    flags = list(case.flags)
    yield ["render", chart, *flags]
    yield ["render", chart, "--helm-version", "4", "--include-crds", *flags]
    for fmt in PLAN_FORMATS if thorough else ("text", "json"):
        yield ["plan", chart, "--event", "all", "-o", fmt, *flags]
    lint_flags = flags if not flags or flags[0] in ("-f",) else []
    for fmt in LINT_FORMATS if thorough else ("text", "sarif"):
        yield ["lint", chart, "-o", fmt, *lint_flags]
    yield ["apply", chart, "--event", "install", "--state", state, *flags]
    yield ["apply", chart, "--event", "upgrade", "--state", state, "--force", *flags]


def run_chart_case(case: ChartCase, workdir: Path, timeout: float, thorough: bool) -> list[tuple[list[str], str]]:
    found: list[tuple[list[str], str]] = []
    chart = write_chart(workdir, case)
    arg = "." if chart.is_dir() else str(chart)
    for argv in command_lines(arg, case, str(workdir / "state.json"), thorough):
        result = run_cli(argv, timeout=timeout, cwd=workdir / "chart")
        # apply fails for cluster reasons too (a hook failed): only chart readers must name the file
        mentions = case.mentions if argv[0] in ("render", "plan", "lint") else ()
        for p in problems(result, Expect(mentions=mentions)):
            found.append((argv, f"{p.kind}: {p.detail}"))
    return found


def mutate(rng: random.Random) -> ChartCase:
    """One random breakage: bytes flipped, cut, duplicated or spliced into one base file."""
    rel = rng.choice(sorted(BASE_FILES))
    data = bytearray(BASE_FILES[rel])
    for _ in range(rng.randint(1, 6)):
        op = rng.randrange(5)
        i = rng.randrange(len(data) + 1)
        if op == 0 and data:
            data[min(i, len(data) - 1)] = rng.randrange(256)
        elif op == 1:
            del data[i : i + rng.randint(1, 20)]
        elif op == 2:
            data[i:i] = rng.choice([b"{{", b"}}", b"{{-", b"-}}", b"\n", b"\t", b":", b"- ", b"&a", b"*a",
                                    b"|", b"(", b")", b"$", b".", b"\"", b"`", b"end", b"range", b"define"])
        elif op == 3:
            j = rng.randrange(len(data) + 1)
            data[i:i] = data[min(i, j) : max(i, j)][:200]
        else:
            data[i:i] = bytes(rng.randrange(256) for _ in range(rng.randint(1, 8)))
    return ChartCase(f"random/{rel}", {rel: bytes(data)})


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--only", default="", help="run cases whose name contains this")
    ap.add_argument("--skip", action="append", default=[], help="skip cases whose name contains this")
    ap.add_argument("--random", type=int, default=0, help="random mutations to run as well")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--timeout", type=float, default=30.0, help="seconds per command")
    ap.add_argument("--quick", action="store_true", help="fewer output formats per case")
    ap.add_argument("--memory-gib", type=float, default=4.0, help="address-space cap")
    args = ap.parse_args(argv)
    cap = int(args.memory_gib * 1024**3)
    resource.setrlimit(resource.RLIMIT_AS, (cap, cap))
    sys.setrecursionlimit(max(sys.getrecursionlimit(), 1000))

    rng = random.Random(args.seed)
    cases = [c for c in all_chart_cases() if args.only in c.name and not any(k in c.name for k in args.skip)]
    cases += [mutate(rng) for _ in range(args.random)]
    counts: Counter[str] = Counter()
    total = 0
    for i, case in enumerate(cases):
        with tempfile.TemporaryDirectory(prefix="hlfuzz-") as tmp:
            found = run_chart_case(case, Path(tmp), args.timeout, not args.quick)
        total += 1
        for argv_, what in found:
            counts[what.split(":", 1)[0]] += 1
            print(f"[{case.name}] hooklint {' '.join(a[:60] for a in argv_)}\n    {what}", flush=True)
        if (i + 1) % 50 == 0:
            print(f"... {i + 1}/{len(cases)} cases", file=sys.stderr, flush=True)
    if "archive".startswith(args.only) or args.only in "archive" or not args.only:
        for name, blob in archive_blobs():
            with tempfile.TemporaryDirectory(prefix="hlfuzz-") as tmp:
                path = Path(tmp) / "c.tgz"
                path.write_bytes(blob)
                case = ChartCase(f"archive/{name}")
                (Path(tmp) / "chart").mkdir()
                for argv_ in command_lines(str(path), case, str(Path(tmp) / "s.json"), not args.quick):
                    r = run_cli(argv_, timeout=args.timeout, cwd=Path(tmp) / "chart")
                    for p in problems(r):
                        counts[p.kind] += 1
                        print(f"[{case.name}] hooklint {' '.join(argv_)}\n    {p.kind}: {p.detail}", flush=True)
            total += 1
    if not args.only or args.only == "side":
        with tempfile.TemporaryDirectory(prefix="hlfuzz-") as tmp:
            for name, argv_, stdin, expect in side_input_runs(Path(tmp)):
                r = run_cli(argv_, stdin=stdin, timeout=args.timeout, cwd=Path(tmp))
                for p in problems(r, expect):
                    counts[p.kind] += 1
                    print(f"[side/{name}] hooklint {' '.join(a[:60] for a in argv_)}\n    {p.kind}: {p.detail}", flush=True)
                total += 1
    print(f"{total} cases; problems: {dict(counts) or 'none'}")
    return 1 if counts else 0


if __name__ == "__main__":
    sys.exit(main())

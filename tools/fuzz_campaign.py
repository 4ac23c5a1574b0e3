"""The long fuzz campaign over the fixture charts (tests/fuzz/campaign.py): random breakages of
templates, values, Chart.yaml, schemas, hook annotations, --set strings and archives, through
every command, with an empty, a damaged and a re-stored cache; with --server, also as processes
through a server (several at once) against processes without it, with each process's peak RSS.

    python tools/fuzz_campaign.py --cases 200                  # in this process, ~1 s a case
    python tools/fuzz_campaign.py --cases 100 --server --parallel 8 --seed 7

Prints every finding (exit 3, a traceback, an undocumented exit code, output changed by a cache
or by the server, a run over 20 s, a process over 1 GiB) and the figures; exits 1 if any.
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests" / "fuzz"))

from campaign import MUTATIONS, Figures, make_case, run_case, server_differences, summary  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--cases", type=int, default=100, help="broken charts to run (default 100)")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--only", choices=MUTATIONS, help="one kind of breakage")
    ap.add_argument("--thorough", action="store_true", help="every plan and lint output format")
    ap.add_argument("--server", action="store_true", help="also compare runs through a server")
    ap.add_argument("--parallel", type=int, default=4, help="runs at once through the server")
    ap.add_argument("--memory-gib", type=float, default=4.0, help="address-space cap of this process")
    args = ap.parse_args(argv)
    cap = int(args.memory_gib * 1024**3)
    resource.setrlimit(resource.RLIMIT_AS, (cap, cap))
    os.environ.setdefault("HOOKLINT_NO_SERVER", "1")  # in-process runs never start one
    rng = random.Random(args.seed)
    figures = Figures()
    started = time.monotonic()
    server_env: dict[str, str] | None = None
    folder = tempfile.mkdtemp(prefix="hl-fz-")
    os.chmod(folder, 0o700)
    script = str(Path(sys.executable).parent / "hooklint")
    if args.server:
        server_env = {k: v for k, v in os.environ.items() if k != "HOOKLINT_NO_SERVER"}
        server_env.update(HOOKLINT_SERVER_DIR=folder, HOOKLINT_SERVER_IDLE="300",
                          HOOKLINT_CACHE_DIR=os.path.join(folder, "cache"))
        server_env.pop("HOOKLINT_NO_CACHE", None)
        subprocess.run([script, "server", "start"], env=server_env, capture_output=True, timeout=120, check=True)
    try:
        for i in range(args.cases):
            with tempfile.TemporaryDirectory(prefix="hlfuzz-") as tmp:
                case = make_case(rng, Path(tmp), args.only)
                before = len(figures.findings)
                run_case(rng, case, Path(tmp), figures, args.thorough)
                if server_env is not None:
                    server_differences(case, Path(tmp), server_env, figures, args.parallel)
                for finding in figures.findings[before:]:
                    print(finding, flush=True)
            if (i + 1) % 10 == 0:
                print(f"... {i + 1}/{args.cases} cases, {time.monotonic() - started:.0f} s", file=sys.stderr, flush=True)
    finally:
        if server_env is not None:
            subprocess.run([script, "server", "stop"], env=server_env, capture_output=True, timeout=60)
        shutil.rmtree(folder, ignore_errors=True)
    in_process_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss >> 10
    print(f"{summary(figures)[:-1]}, \"in-process peak RSS MiB\": {in_process_rss}, "
          f"\"seconds\": {time.monotonic() - started:.0f}}}")
    return 1 if figures.findings else 0


if __name__ == "__main__":
    sys.exit(main())

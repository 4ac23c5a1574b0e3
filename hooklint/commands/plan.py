"""`hooklint plan CHART --event EVENT`: the operations Helm performs for a lifecycle event.

Input: a chart rendered by hooklint (render options as for `hooklint render`), or `--rendered
FILE|-` holding `helm template` output. `source.file` in every format is the template's path
relative to the current directory when CHART is a directory (e.g.
`fixtures/charts/example/templates/job.yaml`); with `--rendered` it is the rendered input file
(`<stdin>` for `-`) with its line, and `source.template` keeps Helm's template key.
Exit codes: 0 plan printed; 1 the chart fails like Helm would (render or YAML error); 2 usage.
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Annotated, Any

from hooklint.commands import options as opt
from hooklint.errors import UsageError

if TYPE_CHECKING:
    import typer

    from hooklint.commands import params
    from hooklint.plan.inputs import PlanRequest

FORMATS = ("text", "json", "markdown", "html", "mermaid")
EVENT_CHOICES = ("install", "upgrade", "rollback", "uninstall", "test", "all")


def register(app: typer.Typer) -> None:
    from hooklint.commands import params

    params.command(
        app, "plan", plan, cached=True,
        help="Show, step by step, what Helm does for a lifecycle event (hooks, waits, deletions).",
        epilog="Examples:\n\n\b\n"
               "  hooklint plan ./mychart --event upgrade\n"
               "  hooklint plan myrelease ./mychart --event all -o markdown\n"
               "  hooklint plan ./mychart --event upgrade -o json --out plan.json   # then: hooklint apply --plan plan.json\n"
               "  helm template myrelease ./mychart | hooklint plan --rendered - -o html --out plan.html",
    )


_BASELINE = "Baseline (plan diff)"


def plan(
    args: Annotated[list[str] | None, typer.Argument(
        metavar="[NAME] CHART", show_default=False,
        help="Release name (optional, as helm install's NAME) and chart directory or .tgz (optional with "
             "--rendered).")] = None,
    event: Annotated[str, typer.Option(
        "-e", "--event", metavar="EVENT", help="install, upgrade, rollback, uninstall, test or all.")] = "install",
    name: params.Name = None,
    namespace: params.Namespace = "default",
    values: params.Values = None,
    set_: params.SetValues = None,
    set_string: params.SetString = None,
    set_json: params.SetJson = None,
    set_file: params.SetFile = None,
    set_literal: params.SetLiteral = None,
    kube_version: params.KubeVersion = None,
    api_versions: params.ApiVersions = None,
    rendered: Annotated[str | None, typer.Option(
        "--rendered", metavar="FILE", help="Use `helm template` output from FILE (- for stdin).")] = None,
    previous_rendered: Annotated[str | None, typer.Option(
        "--previous-rendered", metavar="FILE",
        help="upgrade/rollback (install --replace: the failed release): `helm template` output of the release "
             "being replaced.")] = None,
    previous_values: Annotated[list[str] | None, typer.Option(
        "--previous-values", metavar="FILE",
        help="upgrade/rollback/install --replace: values file(s) the release being replaced used.")] = None,
    baseline: Annotated[str | None, typer.Option(
        "--baseline", "--previous-chart", metavar="REF",
        help="upgrade/rollback: the chart the release runs now: a git revision (CHART's folder at it), a chart "
             "directory or a .tgz. Prints the plan diff (see --view).", rich_help_panel=_BASELINE)] = None,
    baseline_values: Annotated[list[str] | None, typer.Option(
        "--baseline-values", metavar="FILE", help="Values file(s) of the baseline.", rich_help_panel=_BASELINE)] = None,
    view: Annotated[str | None, typer.Option(
        "--view", metavar="VIEW", help="With --baseline: the plan diff (diff, the default) or the plans (plan).",
        rich_help_panel=_BASELINE)] = None,
    fail_on: Annotated[list[str] | None, typer.Option(
        "--fail-on", metavar="GATE",
        help="With --baseline: exit 4 if the upgrade does this: delete-stateful, delete, hook-order, resource-hook, "
             "fails, crd, any (comma-separated or repeated).", rich_help_panel=_BASELINE)] = None,
    target: Annotated[str | None, typer.Option(
        "--target", metavar="TARGET[:VERSION]",
        help="What a GitOps controller runs instead of plain Helm: argocd or flux (helm-controller), optionally "
             "with a version (argocd:3.3); default: the latest release hooklint knows.")] = None,
    helmrelease: Annotated[str | None, typer.Option(
        "--helmrelease", metavar="FILE",
        help="--target flux: the HelmRelease manifest (remediation, tests, disableHooks, waits, crds policies).")] = None,
    no_hooks: Annotated[bool, typer.Option("--no-hooks", help="Plan without hooks (helm --no-hooks).")] = False,
    skip_crds: params.SkipCrds = False,
    wait: params.Wait = False,
    wait_for_jobs: params.WaitForJobs = False,
    timeout: params.Timeout = "5m0s",
    atomic: params.Atomic = False,
    rollback_on_failure: params.RollbackOnFailure = False,
    helm_version: params.HelmMajor = None,
    wait_strategy: params.WaitStrategy = None,
    keep_history: params.KeepHistory = False,
    filter_: params.Filter = None,
    logs: Annotated[bool, typer.Option(
        "--logs", help="test: also read the test Pods' logs (helm test --logs).")] = False,
    replace: params.Replace = False,
    take_ownership: params.TakeOwnership = False,
    cleanup_on_fail: params.CleanupOnFail = False,
    server_side: params.ServerSide = None,
    from_helm3: Annotated[bool, typer.Option(
        "--from-helm3", help="v4 upgrade/rollback/test of a release first made by Helm 3 (client-side apply).")] = False,
    output_format: Annotated[str, typer.Option(
        "-o", "--output", metavar="FORMAT", help="Output format: text, json, markdown, html or mermaid.",
        rich_help_panel=opt.OUTPUT_PANEL)] = "text",
    out: Annotated[str | None, typer.Option(
        "--out", "--output-file", metavar="FILE", help="Write to FILE instead of stdout.",
        rich_help_panel=opt.OUTPUT_PANEL)] = None,
) -> int:
    """`hooklint plan`: the parsed options as keyword arguments."""
    options = dict(locals())  # every option, for the replay key
    release_name, chart = opt.release_and_chart(args, name, "plan", chart_required=False)
    release_name = release_name or "release-name"
    opt.check_chart_path(chart)
    from hooklint.plan.inputs import PlanRequest, build_plans

    values, set_, set_string, set_json = values or [], set_ or [], set_string or [], set_json or []
    set_file, set_literal, api_versions = set_file or [], set_literal or [], api_versions or []
    previous_values, filter_ = previous_values or [], filter_ or []
    from hooklint.report.plan_formats import render_plans

    if output_format not in FORMATS:
        raise UsageError(f"--output must be one of {', '.join(FORMATS)}, not {output_format!r}")
    if view is not None and view not in ("plan", "diff"):
        raise UsageError(f"--view must be plan or diff, not {view!r}")
    if event not in EVENT_CHOICES:
        raise UsageError(f"--event must be one of {', '.join(EVENT_CHOICES)}, not {event!r}")
    helm_version = opt.helm_major(helm_version)
    if wait_strategy is not None and wait_strategy not in ("hookOnly", "watcher", "legacy"):
        raise UsageError(
            f'invalid wait input "{wait_strategy}". Valid inputs are watcher, hookOnly, and legacy'
        )
    if server_side is not None and server_side not in ("auto", "true", "false"):
        raise UsageError(f"--server-side must be auto, true or false, not {server_side!r}")
    if chart is None and rendered is None:
        raise UsageError("give a CHART, or --rendered FILE with `helm template` output")
    request = PlanRequest(
        chart=chart,
        events=list(EVENT_CHOICES[:-1]) if event == "all" else [event],
        release_name=release_name,
        namespace=namespace,
        value_files=tuple(values),
        set_values=tuple(set_),
        set_string=tuple(set_string),
        set_json=tuple(set_json),
        set_file=tuple(set_file),
        set_literal=tuple(set_literal),
        kube_version=kube_version,
        api_versions=tuple(a for item in api_versions for a in item.split(",") if a),
        rendered=rendered,
        previous_rendered=previous_rendered,
        previous_values=tuple(previous_values),
        previous_chart=None,
        no_hooks=no_hooks,
        skip_crds=skip_crds,
        wait=wait,
        wait_for_jobs=wait_for_jobs,
        timeout=timeout,
        atomic=atomic or rollback_on_failure,
        helm_version=helm_version,
        wait_strategy=wait_strategy,
        keep_history=keep_history,
        test_filters=list(filter_),
        test_logs=logs,
        replace=replace,
        take_ownership=take_ownership,
        cleanup_on_fail=cleanup_on_fail,
        server_side=server_side or "auto",
        release_apply_method="csa" if from_helm3 else None,
    )
    from hooklint.runtime import replay

    if target is not None or helmrelease is not None:
        return _plan_target(request, target, helmrelease, baseline, tuple(baseline_values or previous_values),
                            output_format, out, options)
    if baseline is not None or view == "diff" or fail_on:
        return _plan_baseline(request, baseline, tuple(baseline_values or previous_values), view, fail_on or [],
                              output_format, out, options)

    def body() -> None:
        plans = build_plans(request, stdin=sys.stdin)
        if out and chart is not None and rendered is None:
            from hooklint.plan.inputs import FINGERPRINT_KEY, chart_fingerprint

            fingerprint = chart_fingerprint(chart, request)
            saved = saved_inputs(chart, request, out)
            for p in plans:  # `hooklint apply --plan` refuses a plan whose chart or values changed
                p.chart[FINGERPRINT_KEY] = fingerprint
                p.chart.update(saved)  # ... and finds them again without a CHART argument
        findings = None
        if output_format == "html":  # the page shows lint findings on their steps; other formats skip lint
            from hooklint.plan.preview_run import plan_findings

            findings = plan_findings(request)
        text = render_plans(plans, output_format, all_events=event == "all", findings=findings)
        if out:
            replay.write_text(out, text, "--out: ")
        else:
            sys.stdout.write(text)
            sys.stdout.flush()

    # An identical earlier run (same arguments and inputs) is replayed; input on stdin is not.
    set_files = replay.set_file_paths([*set_file])
    if set_files is None or "-" in (rendered, previous_rendered):
        body()
        return 0
    trees = [c for c in (chart,) if c is not None]
    files = [*values, *set_files, *previous_values, *(f for f in (rendered, previous_rendered) if f is not None)]
    return replay.run("plan", replay.settings_of(options), trees, files, body)


def _plan_baseline(request: Any, baseline: str | None, baseline_values: tuple[str, ...], view: str | None,
                   fail_on: list[str], output_format: str, out: str | None, options: dict[str, Any]) -> int:
    """--baseline: the plan diff (hooklint.plan.preview_run); replayed unless REF is a git revision."""
    import os

    from hooklint.plan.preview_run import parse_fail_on, run_baseline
    from hooklint.runtime import replay

    if baseline is None:
        raise UsageError("--view diff and --fail-on compare with a baseline: give --baseline REF")
    if output_format == "mermaid" and view != "plan":
        raise UsageError("the plan diff has no mermaid format: use text, json, markdown or html (or --view plan)")
    gates = parse_fail_on(fail_on)
    if gates and view == "plan":
        raise UsageError("--fail-on judges the plan diff: drop --view plan")

    def body() -> int:
        text, code, reasons = run_baseline(request, baseline, baseline_values, view=view or "diff",
                                           fmt=output_format, fail_on=gates)
        if out:
            replay.write_text(out, text, "--out: ")
        else:
            sys.stdout.write(text)
            sys.stdout.flush()
        for reason in reasons:
            print(f"hooklint: --fail-on: {reason}", file=sys.stderr)
        return code

    set_files = replay.set_file_paths([*request.set_file])
    if set_files is None or not os.path.exists(baseline):  # a git revision: its content is not an input file
        return body()
    trees = [request.chart, *([baseline] if os.path.isdir(baseline) else [])]
    files = [*request.value_files, *set_files, *baseline_values, *([baseline] if os.path.isfile(baseline) else [])]
    return replay.run("plan", replay.settings_of(options), trees, files, body)


def _plan_target(request: Any, target: str | None, helmrelease: str | None, baseline: str | None,
                 baseline_values: tuple[str, ...], output_format: str, out: str | None, options: dict[str, Any]) -> int:
    """--target argocd|flux[:VERSION] (hooklint.plan.preview_run.run_target)."""
    import os

    from hooklint.plan.preview_run import run_target
    from hooklint.runtime import replay

    if target is None:
        raise UsageError("--helmrelease describes a Flux HelmRelease: give --target flux")

    def body() -> int:
        text = run_target(request, target, helmrelease=helmrelease, baseline=baseline,
                          baseline_values=baseline_values, fmt=output_format)
        if out:
            replay.write_text(out, text, "--out: ")
        else:
            sys.stdout.write(text)
            sys.stdout.flush()
        return 0

    set_files = replay.set_file_paths([*request.set_file])
    if set_files is None or (baseline is not None and not os.path.exists(baseline)):
        return body()
    trees = [request.chart, *([baseline] if baseline and os.path.isdir(baseline) else [])]
    files = [*request.value_files, *set_files, *baseline_values, *([helmrelease] if helmrelease else []),
             *([baseline] if baseline and os.path.isfile(baseline) else [])]
    return replay.run("plan", replay.settings_of(options), trees, files, body)


def saved_inputs(chart: str, request: PlanRequest, out: str) -> dict[str, object]:
    """What `hooklint apply --plan FILE` needs to render the chart again without a CHART argument:
    the chart's and values files' paths relative to the plan file's folder (the plan and the
    chart usually move together, in one repository), and the --set* arguments."""
    import os

    base = os.path.dirname(os.path.abspath(out))

    def rel(path: str) -> str:
        return os.path.relpath(os.path.abspath(path), base).replace(os.sep, "/")

    return {
        "path": rel(chart),
        "inputs": {
            "values": [rel(v) for v in request.value_files],
            "set": list(request.set_values), "set_string": list(request.set_string),
            "set_json": list(request.set_json), "set_file": list(request.set_file),
            "set_literal": list(request.set_literal),
        },
    }

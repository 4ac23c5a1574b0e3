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

from hooklint.errors import UsageError

TYPE_CHECKING = False  # not `typing`'s: a replayed plan must start fast
if TYPE_CHECKING:
    from typing import Any

FORMATS = ("text", "json", "markdown", "html", "mermaid")
EVENT_CHOICES = ("install", "upgrade", "rollback", "uninstall", "test", "all")


def register(subparsers: Any) -> None:
    from hooklint.commands import options as opt

    p = opt.add_command(
        subparsers,
        "plan",
        "Show, step by step, what Helm does for a lifecycle event (hooks, waits, deletions).",
        "[OPTIONS] [CHART]",
        plan,
        cached=True,
    )
    p.add_argument("chart", nargs="?", metavar="CHART", help="Chart directory or .tgz (optional with --rendered).")
    p.add_argument(
        "-e", "--event", default="install", metavar="EVENT", help="install, upgrade, rollback, uninstall, test or all."
    )
    p.add_argument(
        "-o",
        "--format",
        dest="output_format",
        default="text",
        metavar="FORMAT",
        help="text, json, markdown, html or mermaid.",
    )
    p.add_argument("--out", metavar="FILE", help="Write to FILE instead of stdout.")
    p.add_argument("--helm-version", type=int, default=3, metavar="VERSION", help="3 (Helm 3.17) or 4 (Helm 4.2).")
    p.add_argument("--rendered", metavar="FILE", help="Use `helm template` output from FILE (- for stdin).")
    p.add_argument(
        "--previous-rendered",
        metavar="FILE",
        help="upgrade/rollback (install --replace: the failed release): `helm template` output of the release being replaced.",
    )
    p.add_argument(
        "--previous-values",
        action="append",
        metavar="FILE",
        help="upgrade/rollback/install --replace: values file(s) the release being replaced used.",
    )
    p.add_argument(
        "--baseline",
        "--previous-chart",
        dest="baseline",
        metavar="REF",
        help="upgrade/rollback: the chart the release runs now: a git revision (CHART's folder at it), a chart "
        "directory or a .tgz. Prints the plan diff (see --view).",
    )
    p.add_argument("--baseline-values", action="append", metavar="FILE", help="Values file(s) of the baseline.")
    p.add_argument("--view", choices=("plan", "diff"), help="With --baseline: the plan diff (default) or the plans.")
    p.add_argument(
        "--fail-on",
        action="append",
        metavar="GATE",
        help="With --baseline: exit 4 if the upgrade does this: delete-stateful, delete, hook-order, resource-hook, "
        "fails, crd, any (comma-separated or repeated).",
    )
    p.add_argument(
        "--target",
        metavar="TARGET[:VERSION]",
        help="What a GitOps controller runs instead of plain Helm: argocd or flux (helm-controller), optionally "
        "with a version (argocd:3.3); default: the latest release hooklint knows.",
    )
    p.add_argument("--helmrelease", metavar="FILE", help="--target flux: the HelmRelease manifest (remediation, "
                   "tests, disableHooks, waits, crds policies).")
    p.add_argument("--no-hooks", action="store_true", help="Plan without hooks (helm --no-hooks).")
    p.add_argument("--logs", action="store_true", help="test: also read the test Pods' logs (helm test --logs).")
    p.add_argument(
        "--from-helm3",
        action="store_true",
        help="v4 upgrade/rollback/test of a release first made by Helm 3 (client-side apply).",
    )
    opt.add_render_options(p)
    opt.add_lifecycle_options(p)


def plan(
    chart: str | None,
    event: str,
    release_name: str,
    namespace: str,
    values: list[str] | None,
    set_: list[str] | None,
    set_string: list[str] | None,
    set_json: list[str] | None,
    set_file: list[str] | None,
    set_literal: list[str] | None,
    kube_version: str | None,
    api_versions: list[str] | None,
    rendered: str | None,
    previous_rendered: str | None,
    previous_values: list[str] | None,
    baseline: str | None,
    baseline_values: list[str] | None,
    view: str | None,
    fail_on: list[str] | None,
    target: str | None,
    helmrelease: str | None,
    no_hooks: bool,
    skip_crds: bool,
    wait: bool,
    wait_for_jobs: bool,
    timeout: str,
    atomic: bool,
    rollback_on_failure: bool,
    helm_version: int,
    wait_strategy: str | None,
    keep_history: bool,
    filter_: list[str] | None,
    logs: bool,
    replace: bool,
    take_ownership: bool,
    cleanup_on_fail: bool,
    server_side: str | None,
    from_helm3: bool,
    output_format: str,
    out: str | None,
) -> int:
    """`hooklint plan`: the parsed options as keyword arguments."""
    options = dict(locals())  # every option, for the replay key
    from hooklint.plan.inputs import PlanRequest, build_plans

    values, set_, set_string, set_json = values or [], set_ or [], set_string or [], set_json or []
    set_file, set_literal, api_versions = set_file or [], set_literal or [], api_versions or []
    previous_values, filter_ = previous_values or [], filter_ or []
    from hooklint.report.plan_formats import render_plans

    if output_format not in FORMATS:
        raise UsageError(f"--format must be one of {', '.join(FORMATS)}, not {output_format!r}")
    if event not in EVENT_CHOICES:
        raise UsageError(f"--event must be one of {', '.join(EVENT_CHOICES)}, not {event!r}")
    if helm_version not in (3, 4):
        raise UsageError(f"--helm-version must be 3 or 4, not {helm_version}")
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
            for p in plans:  # `hooklint apply --plan` refuses a plan whose chart or values changed
                p.chart[FINGERPRINT_KEY] = fingerprint
        text = render_plans(plans, output_format, all_events=event == "all")
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

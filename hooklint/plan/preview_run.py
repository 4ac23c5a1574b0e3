"""`hooklint plan --baseline REF`: resolve the baseline, build the preview (or the plain plans from it),
render it, and apply `--fail-on`. Plain arguments in, (text, exit code) out, so any command-line
layer can call it."""

from __future__ import annotations

import os
from dataclasses import replace
from pathlib import Path
from typing import Any

from hooklint.errors import UsageError
from hooklint.plan.inputs import PlanRequest
from hooklint.plan.preview import FAIL_ON, build_preview, fail_reasons

EXIT_GATE = 4  # `plan --fail-on`: the upgrade does something a gate forbids (README "Exit codes")


def explaining_findings(chart: str, baseline_dir: str | None, value_files: tuple[str, ...], release_name: str,
                        namespace: str, helm_version: int) -> list[Any]:
    """`hooklint lint CHART --baseline DIR` findings (with the chart's lint configuration): the rule ids
    that explain a change. Only for a chart directory."""
    base = Path(baseline_dir) if baseline_dir and os.path.isdir(baseline_dir) else None
    return _lint(chart, value_files, release_name, namespace, helm_version, baseline_dir=base)


def plan_findings(request: PlanRequest) -> list[Any]:
    """`hooklint lint` findings for the chart and values of a plan (every --set* option too), with the
    chart's lint configuration: what `plan -o html` shows on the steps. Only for a chart directory."""
    if request.chart is None or request.rendered is not None:
        return []
    return _lint(request.chart, request.value_files, request.release_name, request.namespace,
                 request.helm_version, set_values=request.set_values, set_string=request.set_string,
                 set_file=request.set_file, set_json=request.set_json, set_literal=request.set_literal,
                 kube_version=request.kube_version, api_versions=request.api_versions)


def _lint(chart: str, value_files: tuple[str, ...], release_name: str, namespace: str, helm_version: int,
          **settings: Any) -> list[Any]:
    from hooklint.lint.catalog import load_index
    from hooklint.lint.config import discover, load_config
    from hooklint.lint.engine import LintRequest, lint_chart

    if not os.path.isdir(chart):
        return []
    catalog = load_index()
    cfg = load_config(discover(Path(chart)), catalog)
    req = LintRequest(chart_dir=Path(chart), display_dir=chart, values_files=[Path(v) for v in value_files],
                      release_name=release_name, release_name_given=True, namespace=namespace,
                      helm_version=str(helm_version), target=f"helm{helm_version}", **settings)
    return list(lint_chart(req, cfg, catalog).findings)


def parse_fail_on(values: list[str]) -> list[str]:
    gates = [g.strip() for v in values for g in v.split(",") if g.strip()]
    unknown = [g for g in gates if g not in FAIL_ON]
    if unknown:
        raise UsageError(f"--fail-on: unknown gate {unknown[0]!r}; choose from {', '.join(FAIL_ON)}")
    return gates


def run_baseline(
    request: PlanRequest,
    baseline: str,
    baseline_values: tuple[str, ...],
    *,
    view: str,
    fmt: str,
    fail_on: list[str],
    explain: bool = True,
) -> tuple[str, int, list[str]]:
    """(output, exit code, --fail-on reasons). view "plan": the chart's plans with the baseline as the
    release being replaced; view "diff": the plan diff."""
    from hooklint.plan.baseline import BaselineResolver

    if request.chart is None or request.rendered is not None or request.previous_rendered is not None:
        raise UsageError("--baseline compares two charts: give CHART, without --rendered or --previous-rendered")
    resolver = BaselineResolver(baseline, request.chart)
    try:
        resolved = resolver.resolve()
        if view == "plan":
            from hooklint.plan.inputs import build_plans
            from hooklint.report.plan_formats import render_plans

            plain = replace(request, previous_chart=resolved.path, previous_values=baseline_values)
            plans = build_plans(plain)
            return render_plans(plans, fmt, all_events=len(request.events) > 1), 0, []
        findings = (explaining_findings(request.chart, resolved.path, request.value_files, request.release_name,
                                        request.namespace, request.helm_version) if explain else [])
        preview = build_preview(request, resolved.path, baseline_values, baseline_label=resolved.label,
                                baseline_commit=resolved.commit, baseline_is_revision=resolved.is_revision
                                or resolved.path.endswith((".tgz", ".tar.gz")), findings=findings)
    finally:
        resolver.close()
    from hooklint.report.plan_diff import render_diff

    reasons = fail_reasons(preview, fail_on)
    return render_diff(preview, fmt), (EXIT_GATE if reasons else 0), reasons


def run_target(request: PlanRequest, target: str, *, helmrelease: str | None, baseline: str | None,
               baseline_values: tuple[str, ...], fmt: str) -> str:
    """`plan --target`: the controller's plans of request.events, rendered in `fmt`."""
    from hooklint.plan.targets.run import build_target_plans
    from hooklint.report.target_plan import FORMATS, render_target

    if fmt not in FORMATS:
        raise UsageError(f"--target plans come as {', '.join(FORMATS)}, not {fmt!r}")
    if request.rendered is not None or request.previous_rendered is not None:
        raise UsageError("--target renders CHART the way the controller does: --rendered and --previous-rendered "
                         "do not apply")
    if baseline is None:
        return render_target(build_target_plans(request, target, helmrelease=helmrelease), fmt)
    from hooklint.plan.baseline import BaselineResolver

    if request.chart is None:
        raise UsageError("--baseline needs a CHART")
    resolver = BaselineResolver(baseline, request.chart)
    try:
        resolved = resolver.resolve()
        plans = build_target_plans(request, target, helmrelease=helmrelease, baseline=resolved.path,
                                   baseline_values=baseline_values, baseline_label=resolved.label,
                                   baseline_is_revision=resolved.is_revision
                                   or resolved.path.endswith((".tgz", ".tar.gz")))
    finally:
        resolver.close()
    return render_target(plans, fmt)

"""`hooklint plan CHART --event EVENT`: the operations Helm performs for a lifecycle event.

Input: a chart rendered by hooklint (render options as for `hooklint render`), or `--rendered
FILE|-` holding `helm template` output. `source.file` in every format is the template's path
relative to the current directory when CHART is a directory (e.g.
`fixtures/charts/example/templates/job.yaml`); with `--rendered` it is the rendered input file
(`<stdin>` for `-`) with its line, and `source.template` keeps Helm's template key.
Exit codes: 0 plan printed; 1 the chart fails like Helm would (render or YAML error); 2 usage.
"""

# ruff: noqa: B008  (typer declares options as call defaults by design)

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from hooklint.errors import UsageError

FORMATS = ("text", "json", "markdown", "html", "mermaid")
EVENT_CHOICES = ("install", "upgrade", "rollback", "uninstall", "test", "all")


def register(app: Any) -> None:
    import typer

    from hooklint.commands import options as opt

    @app.command(
        "plan", help="Show, step by step, what Helm does for a lifecycle event (hooks, waits, deletions)."
    )
    def plan(
        chart: str = typer.Argument(None, help="Chart directory or .tgz (optional with --rendered)."),
        event: str = typer.Option(
            "install", "--event", "-e", help="install, upgrade, rollback, uninstall, test or all."
        ),
        release_name: str = opt.RELEASE_NAME,
        namespace: str = opt.NAMESPACE,
        values: list[str] | None = opt.VALUES,
        set_: list[str] | None = opt.SET,
        set_string: list[str] | None = opt.SET_STRING,
        set_json: list[str] | None = opt.SET_JSON,
        set_file: list[str] | None = opt.SET_FILE,
        set_literal: list[str] | None = opt.SET_LITERAL,
        kube_version: str = opt.KUBE_VERSION,
        api_versions: list[str] | None = opt.API_VERSIONS,
        rendered: str = typer.Option(
            None, "--rendered", help="Use `helm template` output from FILE (- for stdin)."
        ),
        previous_rendered: str = typer.Option(
            None,
            "--previous-rendered",
            help="upgrade/rollback (install --replace: the failed release): `helm template` output of the release being replaced.",
        ),
        previous_values: list[str] | None = typer.Option(
            None,
            "--previous-values",
            help="upgrade/rollback/install --replace: values file(s) the release being replaced used.",
        ),
        previous_chart: str = typer.Option(
            None, "--previous-chart", help="upgrade/rollback: the replaced chart."
        ),
        no_hooks: bool = typer.Option(False, "--no-hooks", help="Plan without hooks (helm --no-hooks)."),
        skip_crds: bool = opt.SKIP_CRDS,
        wait: bool = opt.WAIT,
        wait_for_jobs: bool = opt.WAIT_FOR_JOBS,
        timeout: str = opt.TIMEOUT,
        atomic: bool = opt.ATOMIC,
        rollback_on_failure: bool = opt.ROLLBACK_ON_FAILURE,
        helm_version: int = typer.Option(3, "--helm-version", help="3 (Helm 3.17) or 4 (Helm 4.2)."),
        wait_strategy: str = opt.WAIT_STRATEGY,
        keep_history: bool = opt.KEEP_HISTORY,
        filter_: list[str] | None = opt.FILTER,
        logs: bool = typer.Option(
            False, "--logs", help="test: also read the test Pods' logs (helm test --logs)."
        ),
        replace: bool = opt.REPLACE,
        take_ownership: bool = opt.TAKE_OWNERSHIP,
        cleanup_on_fail: bool = opt.CLEANUP_ON_FAIL,
        server_side: str = opt.SERVER_SIDE,
        from_helm3: bool = typer.Option(
            False,
            "--from-helm3",
            help="v4 upgrade/rollback/test of a release first made by Helm 3 (client-side apply).",
        ),
        output_format: str = typer.Option(
            "text", "--format", "-o", help="text, json, markdown, html or mermaid."
        ),
        out: str = typer.Option(None, "--out", help="Write to FILE instead of stdout."),
    ) -> None:
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
            previous_chart=previous_chart,
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
        plans = build_plans(request, stdin=sys.stdin)
        if out and chart is not None and rendered is None:
            from hooklint.plan.inputs import FINGERPRINT_KEY, chart_fingerprint

            fingerprint = chart_fingerprint(chart, request)
            for p in plans:  # `hooklint apply --plan` refuses a plan whose chart or values changed
                p.chart[FINGERPRINT_KEY] = fingerprint
        text = render_plans(plans, output_format, all_events=event == "all")
        if out:
            try:
                Path(out).write_text(text, encoding="utf-8")
            except OSError as e:
                raise UsageError(f"--out: cannot write {out}: {e.strerror or e}") from None
        else:
            sys.stdout.write(text)
            sys.stdout.flush()

"""`hooklint apply CHART --event EVENT` / `hooklint apply --plan plan.json`: execute the verified plan.

Backends come from the `hooklint.backends` entry points (`simulate`, the default, and
`kubernetes`). The journal (one JSON line per operation) goes to `--journal FILE`, and to stdout
with `--format json`; a terminal shows live progress on stderr.
Exit codes: 0 success; 1 the release failed (a hook failed or timed out, Helm refused) or lint
errors without --force; 2 usage error; 3 internal error.
"""

# ruff: noqa: B008  (typer declares options as call defaults by design)

from __future__ import annotations

import sys
from pathlib import Path
from typing import IO, Any

from hooklint.errors import EXIT_FINDINGS, EXIT_OK, HooklintError, UsageError

EVENTS = ("install", "upgrade", "rollback", "uninstall", "test")


def register(app: Any) -> None:
    import typer

    from hooklint.commands import options as opt

    @app.command("apply", help="Execute the plan of a lifecycle event through a backend (default: simulate).")
    def apply(
        chart: str = typer.Argument(
            None, help="Chart directory or .tgz (install/upgrade, or to check a --plan)."
        ),
        event: str = typer.Option(
            None, "--event", "-e", help="install, upgrade, rollback, uninstall or test."
        ),
        plan_file: str = typer.Option(
            None, "--plan", help="Execute this saved plan (`hooklint plan --out`)."
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
        backend_name: str = typer.Option(
            "simulate", "--backend", help="simulate or kubernetes (or a plugin)."
        ),
        simulate: list[str] | None = typer.Option(
            None, "--simulate", help="simulate: NAME=fail|hang|succeed for a hook or resource (repeatable)."
        ),
        state: str = typer.Option(
            None, "--state", help="simulate: load and save the cluster and releases here."
        ),
        kube_context: str = typer.Option(None, "--kube-context", help="kubernetes: kubeconfig context."),
        kubeconfig: str = typer.Option(None, "--kubeconfig", help="kubernetes: kubeconfig file."),
        timeout: str = opt.TIMEOUT,
        wait: bool = opt.WAIT,
        wait_for_jobs: bool = opt.WAIT_FOR_JOBS,
        atomic: bool = opt.ATOMIC,
        rollback_on_failure: bool = opt.ROLLBACK_ON_FAILURE,
        no_hooks: bool = typer.Option(False, "--no-hooks", help="Do not run hooks."),
        skip_crds: bool = opt.SKIP_CRDS,
        helm_version: int = typer.Option(3, "--helm-version", help="Behave like Helm 3 (3.17) or 4 (4.2)."),
        wait_strategy: str = opt.WAIT_STRATEGY,
        keep_history: bool = opt.KEEP_HISTORY,
        filter_: list[str] | None = opt.FILTER,
        revision: int = typer.Option(None, "--revision", help="rollback: the revision to roll back to."),
        logs: bool = typer.Option(
            False, "--logs", help="test: print the test Pods' logs (helm test --logs)."
        ),
        replace: bool = opt.REPLACE,
        cleanup_on_fail: bool = opt.CLEANUP_ON_FAIL,
        take_ownership: bool = opt.TAKE_OWNERSHIP,
        description: str = typer.Option(
            None, "--description", help="install/upgrade/uninstall: the release description on success."
        ),
        server_side: str = opt.SERVER_SIDE,
        dry_run: bool = typer.Option(
            False, "--dry-run", help="Print the plan that would be executed, and do nothing."
        ),
        hide_notes: bool = typer.Option(False, "--hide-notes", help="Do not print the chart's NOTES.txt."),
        times: bool = typer.Option(
            None,
            "--times/--no-times",
            help="Show clock readings (LAST DEPLOYED, test times, how long hooks took). Default: on a terminal.",
        ),
        force: bool = typer.Option(False, "--force", help="Apply even when lint finds errors."),
        journal_file: str = typer.Option(None, "--journal", help="Write the journal (JSON lines) to FILE."),
        output_format: str = typer.Option(
            "text", "--format", "-o", help="text, or json (the journal on stdout)."
        ),
    ) -> None:
        from hooklint.plan.inputs import PlanRequest

        if output_format not in ("text", "json"):
            raise UsageError(f"--format must be text or json, not {output_format!r}")
        if plan_file is None and event is None:
            raise UsageError(
                "give --event EVENT (install, upgrade, rollback, uninstall, test) or --plan FILE"
            )
        if event is not None and event not in EVENTS:
            raise UsageError(f"--event must be one of {', '.join(EVENTS)}, not {event!r}")
        if helm_version not in (3, 4):
            raise UsageError(f"--helm-version must be 3 or 4, not {helm_version}")
        if wait_strategy is not None and wait_strategy not in ("hookOnly", "watcher", "legacy"):
            raise UsageError(
                f'invalid wait input "{wait_strategy}". Valid inputs are watcher, hookOnly, and legacy'
            )
        _check_timeout(timeout)
        _check_event_flags(
            event,
            {
                "--logs": (logs, ("test",)),
                "--replace": (replace, ("install",)),
                "--cleanup-on-fail": (cleanup_on_fail, ("upgrade", "rollback")),
                "--take-ownership": (take_ownership, ("install", "upgrade")),
                "--description": (description is not None, ("install", "upgrade", "uninstall")),
                "--keep-history": (keep_history, ("uninstall",)),
                "--filter": (bool(filter_), ("test",)),
                "--revision": (revision is not None, ("rollback",)),
            },
        )
        if server_side is not None and server_side not in ("auto", "true", "false"):
            raise UsageError(f"--server-side must be auto, true or false, not {server_side!r}")
        request = PlanRequest(
            chart=chart,
            events=[event or "install"],
            release_name=release_name,
            namespace=namespace,
            value_files=tuple(values or []),
            set_values=tuple(set_ or []),
            set_string=tuple(set_string or []),
            set_json=tuple(set_json or []),
            set_file=tuple(set_file or []),
            set_literal=tuple(set_literal or []),
            kube_version=kube_version,
            api_versions=tuple(a for item in api_versions or [] for a in item.split(",") if a),
            no_hooks=no_hooks,
            skip_crds=skip_crds,
            wait=wait,
            wait_for_jobs=wait_for_jobs,
            timeout=timeout,
            atomic=atomic or rollback_on_failure,
            helm_version=helm_version,
            wait_strategy=wait_strategy,
            keep_history=keep_history,
            test_filters=list(filter_ or []),
            test_logs=logs,
            replace=replace,
            take_ownership=take_ownership,
            cleanup_on_fail=cleanup_on_fail,
            server_side=server_side or "auto",
        )
        code = run_apply(
            request,
            event=event,
            plan_file=plan_file,
            backend_name=backend_name,
            backend_options={
                "state": state,
                "outcomes": _outcomes(simulate or []),
                "namespace": namespace,
                "kube_context": kube_context,
                "kubeconfig": kubeconfig,
                "helm_version": helm_version,
            },
            force=force,
            target_revision=revision,
            journal_file=journal_file,
            output_format=output_format,
            description=description,
            dry_run=dry_run,
            times=sys.stdout.isatty() if times is None else times,
            hide_notes=hide_notes,
        )
        raise typer.Exit(code)


def _check_event_flags(event: str | None, flags: dict[str, tuple[bool, tuple[str, ...]]]) -> None:
    """Helm has each flag on some commands only (`helm test --replace` is an unknown flag)."""
    if event is None:  # --plan: the saved plan's own options win
        return
    for flag, (given, events) in flags.items():
        if given and event not in events:
            raise UsageError(f"{flag} applies to --event {' or '.join(events)}, not {event}")


def _check_timeout(text: str) -> None:
    from hooklint.backends.executor import go_duration_seconds

    try:
        go_duration_seconds(text)
    except ValueError as e:
        raise UsageError(f"--timeout: {e}") from None


def _outcomes(items: list[str]) -> dict[str, str]:
    from hooklint.backends.simulate import parse_outcomes

    return parse_outcomes(items)


def lint_errors(request: Any) -> list[str]:
    """Error-severity findings of the chart: a plan with those is not "verified"."""
    from hooklint.lint.catalog import load_catalog
    from hooklint.lint.config import discover, load_config
    from hooklint.lint.engine import LintRequest, lint_chart

    chart = Path(request.chart)
    if not chart.is_dir():
        return []
    catalog = load_catalog()
    config = load_config(discover(chart), catalog)
    req = LintRequest(
        chart_dir=chart,
        display_dir=request.chart,
        values_files=[Path(v) for v in request.value_files],
        target="helm4" if request.helm_version >= 4 else "helm3",
        release_name=request.release_name,
        namespace=request.namespace,
    )
    result = lint_chart(req, config, catalog)
    out = []
    for f in result.findings:
        if f.severity == "error":
            where = f"{f.pos.file}:{f.pos.line}" if f.pos else request.chart
            out.append(f"{where}: {f.rule} {f.message}")
    return out


def run_apply(
    request: Any,
    *,
    event: str | None,
    plan_file: str | None,
    backend_name: str,
    backend_options: dict[str, Any],
    force: bool,
    target_revision: int | None,
    journal_file: str | None,
    output_format: str,
    stdout: IO[str] | None = None,
    stderr: IO[str] | None = None,
    description: str | None = None,
    dry_run: bool = False,
    times: bool = False,
    hide_notes: bool = False,
) -> int:
    from hooklint.backends import registry
    from hooklint.backends.journal import Journal, Progress
    from hooklint.backends.runner import ApplyRequest, execute, prepare

    out = stdout or sys.stdout
    err = stderr or sys.stderr
    backend = registry.create(backend_name, **backend_options)  # usage errors first
    if dry_run:
        return _dry_run(request, event, plan_file, target_revision, backend, output_format, out)
    if not force and request.chart is not None and event in (None, "install", "upgrade"):
        errors = lint_errors(request)
        if errors:
            err.write(
                f"Error: refusing to apply: lint found {len(errors)} error(s) (use --force to apply anyway):\n"
                + "".join(f"  {e}\n" for e in errors)
            )
            backend.close()
            return EXIT_FINDINGS
    sinks: list[IO[str]] = []
    journal_handle: IO[str] | None = None
    try:
        if journal_file:
            try:
                journal_handle = open(journal_file, "w", encoding="utf-8")  # noqa: SIM115 - closed below
            except OSError as e:
                raise UsageError(f"--journal: cannot write {journal_file}: {e.strerror or e}") from None
            sinks.append(journal_handle)
        if output_format == "json":
            sinks.append(out)
        journal = Journal(sinks=sinks, progress=Progress(err if output_format == "text" else None))
        apply_request = ApplyRequest(
            plan_request=request,
            event=event or "",
            plan_file=plan_file,
            force=force,
            target_revision=target_revision,
            description=description,
        )
        prepared = prepare(apply_request, backend)
        result = execute(prepared, backend, journal)
        journal.close()
        journal.record(
            backend.now(),
            None,
            "finish",
            "result",
            None,
            result.status or "none",
            result.error if not result.ok else f"{result.event} {'succeeded' if result.ok else 'failed'}",
        )
    finally:
        backend.close()
        if journal_handle is not None:
            journal_handle.close()
    if output_format == "text":
        _text_output(
            result,
            prepared.plan,
            journal,
            out,
            times=times,
            simulated=backend.name == "simulate",
            hide_notes=hide_notes,
        )
    if not result.ok:
        if result.interrupted:
            err.write(f"Release {result.release} has been cancelled.\n")
        err.write(f"Error: {result.message()}\n")
        return EXIT_FINDINGS
    return EXIT_OK


def _text_output(
    result: Any, plan: Any, journal: Any, out: IO[str], *, times: bool, simulated: bool, hide_notes: bool
) -> None:
    """The step-by-step summary, then what the helm command prints."""
    from hooklint.backends.report import helm_output, outcome_line, summary_lines

    lines = summary_lines(plan, journal.entries, times=times, simulated=simulated)
    lines.append(outcome_line(result))
    helm = helm_output(result, plan, times=times, hide_notes=hide_notes)
    out.write("\n".join(lines) + "\n" + (f"\n{helm}" if helm else ""))


def _dry_run(
    request: Any,
    event: str | None,
    plan_file: str | None,
    target_revision: int | None,
    backend: Any,
    output_format: str,
    out: IO[str],
) -> int:
    """--dry-run: the plan this apply would execute (the release history is read, nothing is
    written), in the `hooklint plan` formats."""
    from hooklint.backends.runner import ApplyRequest, prepare
    from hooklint.report.plan_formats import render_plans

    try:
        prepared = prepare(
            ApplyRequest(
                plan_request=request, event=event or "", plan_file=plan_file, target_revision=target_revision
            ),
            backend,
        )
        refusal = _dry_run_refusal(prepared.plan.event, request, backend)
    finally:
        backend.close()
    if refusal is not None:  # helm upgrade --dry-run checks the history like a real upgrade
        raise UpgradeRefused(f"UPGRADE FAILED: {refusal}")
    out.write(render_plans([prepared.plan], output_format))
    return EXIT_OK


class UpgradeRefused(HooklintError):
    """`helm upgrade --dry-run` fails like the upgrade itself when there is nothing to upgrade."""

    exit_code = EXIT_FINDINGS


def _dry_run_refusal(event: str, request: Any, backend: Any) -> str | None:
    """prepareUpgrade's history checks (install --dry-run skips availableName; rollback,
    uninstall and test without a release are refused while preparing)."""
    from hooklint.backends.release import PENDING, ReleaseStore

    if event != "upgrade":
        return None
    history = ReleaseStore(backend, request.release_name, request.namespace).history()
    if not history:
        return f'"{request.release_name}" has no deployed releases'
    last = history[-1]
    if last.status in PENDING:
        return "another operation (install/upgrade/rollback) is in progress"
    if not any(h.status == "deployed" for h in history) and last.status not in ("failed", "superseded"):
        return f'"{request.release_name}" has no deployed releases'
    return None

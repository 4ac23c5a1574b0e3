"""`hooklint apply CHART --event EVENT` / `hooklint apply --plan plan.json`: execute the verified plan.

Backends come from the `hooklint.backends` entry points (`simulate`, the default, and
`kubernetes`). The journal (one JSON line per operation) goes to `--journal FILE`, and to stdout
with `-o json`; a terminal shows live progress on stderr.
Exit codes: 0 success; 1 the release failed (a hook failed or timed out, Helm refused) or lint
errors without --force; 2 usage error; 3 internal error.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import IO, TYPE_CHECKING, Annotated, Any, cast

from hooklint.chart.strvals import DeepValues
from hooklint.commands import options as opt
from hooklint.errors import EXIT_FINDINGS, EXIT_OK, HooklintError, RenderError, UsageError
from hooklint.runtime import streams

if TYPE_CHECKING:
    import typer

    from hooklint.commands import params


EVENTS = ("install", "upgrade", "rollback", "uninstall", "test")


def register(app: typer.Typer) -> None:
    from hooklint.commands import params

    params.command(
        app, "apply", apply, cached=True,
        help="Execute the plan of a lifecycle event through a backend (default: simulate).",
        epilog="Examples:\n\n\b\n"
               "  hooklint apply ./mychart --event install\n"
               "  hooklint apply myrelease ./mychart --event upgrade --state state.json --simulate db-migrate=fail\n"
               "  hooklint apply --plan plan.json   # a plan saved by: hooklint plan ... -o json --out plan.json",
    )


_BACKEND = "Backend options"


def apply(
    args: Annotated[list[str] | None, typer.Argument(
        metavar="[NAME] CHART", show_default=False,
        help="Release name (optional, as helm install's NAME) and chart directory or .tgz (install/upgrade, or "
             "to check a --plan).")] = None,
    event: Annotated[str | None, typer.Option(
        "-e", "--event", metavar="EVENT", help="install, upgrade, rollback, uninstall or test.")] = None,
    plan_file: Annotated[str | None, typer.Option(
        "--plan", metavar="FILE", help="Execute this saved plan (`hooklint plan -o json --out FILE`).")] = None,
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
    backend_name: Annotated[str, typer.Option(
        "--backend", metavar="BACKEND", help="simulate or kubernetes (or a plugin).",
        rich_help_panel=_BACKEND)] = "simulate",
    simulate: Annotated[list[str] | None, typer.Option(
        "--simulate", metavar="NAME=OUTCOME",
        help="simulate: NAME=fail|hang|succeed for a hook or resource (repeatable).", rich_help_panel=_BACKEND)] = None,
    state: Annotated[str | None, typer.Option(
        "--state", metavar="FILE", help="simulate: load and save the cluster and releases here.",
        rich_help_panel=_BACKEND)] = None,
    kube_context: Annotated[str | None, typer.Option(
        "--kube-context", metavar="CONTEXT", help="kubernetes: kubeconfig context.", rich_help_panel=_BACKEND)] = None,
    kubeconfig: Annotated[str | None, typer.Option(
        "--kubeconfig", metavar="FILE", help="kubernetes: kubeconfig file.", rich_help_panel=_BACKEND)] = None,
    timeout: params.Timeout = "5m0s",
    wait: params.Wait = False,
    wait_for_jobs: params.WaitForJobs = False,
    atomic: params.Atomic = False,
    rollback_on_failure: params.RollbackOnFailure = False,
    no_hooks: Annotated[bool, typer.Option("--no-hooks", help="Do not run hooks.")] = False,
    skip_crds: params.SkipCrds = False,
    helm_version: params.HelmMajor = None,
    wait_strategy: params.WaitStrategy = None,
    keep_history: params.KeepHistory = False,
    filter_: params.Filter = None,
    revision: Annotated[int | None, typer.Option(
        "--revision", metavar="REVISION", help="rollback: the revision to roll back to.")] = None,
    logs: Annotated[bool, typer.Option("--logs", help="test: print the test Pods' logs (helm test --logs).")] = False,
    replace: params.Replace = False,
    cleanup_on_fail: params.CleanupOnFail = False,
    take_ownership: params.TakeOwnership = False,
    description: Annotated[str | None, typer.Option(
        "--description", metavar="TEXT", help="install/upgrade/uninstall: the release description on success.")] = None,
    server_side: params.ServerSide = None,
    dry_run: Annotated[bool, typer.Option(
        "--dry-run", help="Print the plan that would be executed, and do nothing.")] = False,
    hide_notes: Annotated[bool, typer.Option("--hide-notes", help="Do not print the chart's NOTES.txt.")] = False,
    times: Annotated[bool | None, typer.Option(
        "--times/--no-times", show_default=False,
        help="Show clock readings (LAST DEPLOYED, test times, how long hooks took). Default: on a terminal.")] = None,
    force: Annotated[bool, typer.Option("--force", help="Apply even when lint finds errors.")] = False,
    # Helm's own write flags (helm 3's --force is --force-replace here: --force is taken above)
    force_conflicts: Annotated[bool, typer.Option(
        "--force-conflicts", help="v4 server-side apply: take fields other managers own.")] = False,
    force_replace: Annotated[bool, typer.Option(
        "--force-replace", help="upgrade/rollback: replace objects (PUT) instead of patching.")] = False,
    create_namespace: Annotated[bool, typer.Option(
        "--create-namespace", help="install: create the release namespace if it is missing.")] = False,
    journal_file: Annotated[str | None, typer.Option(
        "--journal", metavar="FILE", help="Write the journal (JSON lines) to FILE.",
        rich_help_panel=opt.OUTPUT_PANEL)] = None,
    output_format: Annotated[str, typer.Option(
        "-o", "--output", metavar="FORMAT", help="text, or json (the journal on stdout).",
        rich_help_panel=opt.OUTPUT_PANEL)] = "text",
) -> int:
    """`hooklint apply`: the parsed options as keyword arguments; the exit code."""
    from hooklint.backends.executor import UpdateOptions
    from hooklint.plan.inputs import PlanRequest

    given_name, chart = opt.release_and_chart(args, name, "apply", chart_required=False)
    release_name = given_name or "release-name"
    if plan_file is not None and chart is None:  # the chart and values the saved plan was made from
        chart, saved = _saved_chart(plan_file)
        if not (values or set_ or set_string or set_json or set_file or set_literal):
            values, set_, set_string = saved.get("values"), saved.get("set"), saved.get("set_string")
            set_json, set_file, set_literal = saved.get("set_json"), saved.get("set_file"), saved.get("set_literal")
    opt.check_chart_path(chart)
    if output_format not in ("text", "json"):
        raise UsageError(f"--output must be text or json, not {output_format!r}")
    if plan_file is None and event is None:
        raise UsageError(
            "give --event EVENT (install, upgrade, rollback, uninstall, test) or --plan FILE"
        )
    if event is not None and event not in EVENTS:
        raise UsageError(f"--event must be one of {', '.join(EVENTS)}, not {event!r}")
    helm_version = opt.helm_major(helm_version)
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
            "--force-conflicts": (force_conflicts, ("install", "upgrade", "rollback")),
            "--force-replace": (force_replace, ("upgrade", "rollback")),
            "--create-namespace": (create_namespace, ("install",)),
        },
    )
    if force_conflicts and helm_version != 4:
        raise UsageError("--force-conflicts is a Helm 4 flag (server-side apply): add --helm-version 4")
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
    return run_apply(
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
        update=UpdateOptions(force_conflicts, force_replace, create_namespace),
    )


def _log_unknown_hooks(rendering: Any, helm_version: int, err: IO[str]) -> None:
    """What Helm logs while it sorts the rendered manifests (stderr): v3 `log.Printf` with
    Lshortfile, v4 slog's text handler."""
    import json

    from hooklint.documents.hooks import HOOK_ANNOTATION, head_annotations

    for dropped in rendering.dropped:
        if not dropped.unknown_events:
            continue
        raw = str((head_annotations(dropped.doc) or {}).get(HOOK_ANNOTATION, ""))
        if helm_version == 4:
            plain = raw and not any(c in raw for c in ' ="') and raw.isprintable()
            err.write(f'level=INFO msg="skipping unknown hooks" hookTypes={raw if plain else json.dumps(raw)}\n')
        else:
            err.write(f"manifest_sorter.go:190: info: skipping unknown hook: {json.dumps(raw, ensure_ascii=False)}\n")


def _saved_chart(plan_file: str) -> tuple[str | None, dict[str, list[str]]]:
    """The chart path and values inputs `hooklint plan --out` saved in the plan (relative to the
    plan file's folder); (None, {}) for a plan without them (`--rendered`, older plans). A file
    that is not a plan is load_plan_file's to report."""
    import json
    import os

    try:
        with open(plan_file, encoding="utf-8") as f:
            data = json.load(f)
    except (OSError, ValueError, RecursionError):
        return None, {}
    plans = data.get("plans") if isinstance(data, dict) and "plans" in data else [data]
    chart = plans[0].get("chart") if isinstance(plans, list) and plans and isinstance(plans[0], dict) else None
    if not isinstance(chart, dict) or not isinstance(chart.get("path"), str):
        return None, {}
    base = os.path.dirname(os.path.abspath(plan_file))

    def here(path: str) -> str:  # relative to the working directory when under it, as given otherwise
        full = os.path.normpath(os.path.join(base, path))
        rel = os.path.relpath(full)
        return full if rel.startswith("..") else rel

    raw = chart.get("inputs")
    raw = raw if isinstance(raw, dict) else {}
    inputs = {k: [str(x) for x in v] for k, v in raw.items() if isinstance(v, list)}
    inputs["values"] = [here(v) for v in inputs.get("values", [])]
    return here(chart["path"]), inputs


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
    """Error-severity findings of the chart rendered as the apply renders it (the same values
    files, --set* values, Kubernetes version and API versions): a plan with those is not "verified"."""
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
        set_values=tuple(request.set_values),
        set_string=tuple(request.set_string),
        set_json=tuple(request.set_json),
        set_file=tuple(request.set_file),
        set_literal=tuple(request.set_literal),
        kube_version=request.kube_version,
        api_versions=tuple(request.api_versions),
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
    update: Any = None,
) -> int:
    from hooklint.backends import registry
    from hooklint.backends.base import Unreachable
    from hooklint.backends.executor import CLI_PREFIX
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
                journal_handle = cast("IO[str]", streams.GuardedOutput(
                    open(journal_file, "w", encoding="utf-8"), journal_file, "--journal: "  # noqa: SIM115 - closed below
                ))
            except OSError as e:
                raise streams.cannot_write(journal_file, e, "--journal: ") from None
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
        if update is not None:
            apply_request.update = update
        try:
            with DeepValues():  # the release record and the state hold the values, however deep
                prepared = prepare(apply_request, backend)
                if prepared.rendering is not None:
                    _log_unknown_hooks(prepared.rendering, request.helm_version, err)
                result = execute(prepared, backend, journal)
        except Unreachable as e:
            # Helm's actions start with IsReachable: say in the journal what was attempted, and
            # word the error as helm does (install/upgrade errors carry their command's prefix)
            what = apply_request.event or "apply"
            journal.record(backend.now(), None, "prepare", "connect", None, "failed", f"{what}: {e.message}")
            journal.close()
            raise HooklintError(CLI_PREFIX.get(apply_request.event, "") + e.message) from None
        except RenderError as e:
            # runInstall / Upgrade.RunWithContext render the chart: their command's prefix too
            e.message = CLI_PREFIX.get(apply_request.event, "") + e.message
            raise
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
        with DeepValues():
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

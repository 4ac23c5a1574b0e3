"""The typer declarations of the options the commands share (as `Annotated` types), so that
their names, defaults and help read the same everywhere, with Helm's spellings: `-n/--namespace`,
`-f/--values`, `--set*`, `--kube-version`, `-a/--api-versions`, `--timeout` (a Go duration), and
`-o/--output` for the output *format* (`-o json`), as in every helm command.

Only the typer command line imports this module (commands' `register` functions, and
`typing.get_type_hints` on their handlers): a run that hooklint's own argument parser
(hooklint/commands/fastargs.py) understands never imports typer. The command modules name these
types in annotations only (strings, `from __future__ import annotations`), which `command()`
resolves with this module and typer at registration.
"""

from __future__ import annotations

import functools
import inspect
import sys
import typing
from collections.abc import Callable
from typing import Annotated, Any

import typer

from hooklint.commands import options
from hooklint.commands.options import LIFECYCLE_PANEL, OUTPUT_PANEL, RENDER_PANEL, go_duration

# --- render options (helm template's flags) ---------------------------------------------------
Namespace = Annotated[str, typer.Option("-n", "--namespace", metavar="NAMESPACE", help="Release namespace.",
                                        rich_help_panel=RENDER_PANEL)]
Values = Annotated[list[str] | None, typer.Option(
    "-f", "--values", metavar="FILE", help="Values file (repeatable; later wins).", rich_help_panel=RENDER_PANEL)]
SetValues = Annotated[list[str] | None, typer.Option(
    "--set", metavar="KEY=VALUE", help="Set values (key=value[,key=value]).", rich_help_panel=RENDER_PANEL)]
SetString = Annotated[list[str] | None, typer.Option(
    "--set-string", metavar="KEY=VALUE", help="Set STRING values.", rich_help_panel=RENDER_PANEL)]
SetJson = Annotated[list[str] | None, typer.Option(
    "--set-json", metavar="KEY=JSON", help="Set JSON values.", rich_help_panel=RENDER_PANEL)]
SetFile = Annotated[list[str] | None, typer.Option(
    "--set-file", metavar="KEY=PATH", help="Set values from files.", rich_help_panel=RENDER_PANEL)]
SetLiteral = Annotated[list[str] | None, typer.Option(
    "--set-literal", metavar="KEY=VALUE", help="Set a literal STRING value.", rich_help_panel=RENDER_PANEL)]
KubeVersion = Annotated[str | None, typer.Option(
    "--kube-version", metavar="VERSION", help="Kubernetes version for .Capabilities.", rich_help_panel=RENDER_PANEL)]
ApiVersions = Annotated[list[str] | None, typer.Option(
    "-a", "--api-versions", metavar="VERSION", help="Extra API versions for .Capabilities.",
    rich_help_panel=RENDER_PANEL)]
# The release name as an option, for commands whose positionals are taken (`lint PATHS...`) and
# for scripts that prefer it to the positional NAME (helm template's NAME).
Name = Annotated[str | None, typer.Option(
    "--name", metavar="NAME", help="Release name (default: release-name, as helm template).",
    rich_help_panel=RENDER_PANEL)]

# --- lifecycle options (helm install/upgrade/rollback/uninstall/test) --------------------------
Timeout = Annotated[str, typer.Option(
    "--timeout", metavar="DURATION", callback=go_duration, help="Timeout of each hook and of the wait (a Go duration).",
    rich_help_panel=LIFECYCLE_PANEL, show_default=True)]
Wait = Annotated[bool, typer.Option("--wait", help="Wait for resources to be ready.", rich_help_panel=LIFECYCLE_PANEL)]
WaitForJobs = Annotated[bool, typer.Option(
    "--wait-for-jobs", help="With --wait, also wait for Jobs.", rich_help_panel=LIFECYCLE_PANEL)]
Atomic = Annotated[bool, typer.Option(
    "--atomic", help="v3: uninstall/roll back on failure.", rich_help_panel=LIFECYCLE_PANEL)]
RollbackOnFailure = Annotated[bool, typer.Option(
    "--rollback-on-failure", help="v4 name of --atomic.", rich_help_panel=LIFECYCLE_PANEL)]
SkipCrds = Annotated[bool, typer.Option(
    "--skip-crds", help="install: do not install crds/.", rich_help_panel=LIFECYCLE_PANEL)]
WaitStrategy = Annotated[str | None, typer.Option(
    "--wait-strategy", metavar="STRATEGY", help="v4: hookOnly, watcher or legacy.", rich_help_panel=LIFECYCLE_PANEL)]
KeepHistory = Annotated[bool, typer.Option(
    "--keep-history", help="uninstall: keep the release record.", rich_help_panel=LIFECYCLE_PANEL)]
Filter = Annotated[list[str] | None, typer.Option(
    "--filter", metavar="FILTER", help="test: name=X or !name=X (repeatable).", rich_help_panel=LIFECYCLE_PANEL)]
Replace = Annotated[bool, typer.Option(
    "--replace", help="install: re-use the name of an uninstalled or failed release.",
    rich_help_panel=LIFECYCLE_PANEL)]
TakeOwnership = Annotated[bool, typer.Option(
    "--take-ownership", help="install/upgrade: adopt existing objects whatever their owner.",
    rich_help_panel=LIFECYCLE_PANEL)]
CleanupOnFail = Annotated[bool, typer.Option(
    "--cleanup-on-fail", help="upgrade/rollback: delete the objects created when it fails.",
    rich_help_panel=LIFECYCLE_PANEL)]
ServerSide = Annotated[str | None, typer.Option(
    "--server-side", metavar="MODE", help="v4: install true|false (default true); upgrade/rollback auto|true|false.",
    rich_help_panel=LIFECYCLE_PANEL)]


# --- color --------------------------------------------------------------------------------------
Color = Annotated[str, typer.Option(
    "--color", metavar="WHEN", help="Color the output: auto (on a terminal, unless NO_COLOR is set; "
    "FORCE_COLOR forces it), always or never.", rich_help_panel=OUTPUT_PANEL, show_default=True)]
NoCache = Annotated[bool, typer.Option(
    "--no-cache", help="Neither read nor write hooklint's cache (also HOOKLINT_NO_CACHE=1; see README, Caching).")]


# --- the Helm version followed (render, plan, apply; lint takes a full version) ----------------
HelmMajor = Annotated[int | None, typer.Option(
    "--helm-version", metavar="VERSION",
    help="Behave like Helm 3 (3.17.1) or Helm 4 (4.2.3). Default: the major version of the helm on PATH, "
         "else 3.")]


def command(app: typer.Typer, name: str, handler: Callable[..., int | None], *, help: str, epilog: str = "",
            cached: bool = False) -> None:
    """Register `handler` as `hooklint NAME`. Its parameters are the options and arguments (typer
    `Annotated` types); it returns the exit code (None: 0). Every command also gets `--color`;
    a `cached` one (it renders) gets `--no-cache`, handled here."""
    # The handler's module names typer and this module in its annotations only (see above).
    hints = typing.get_type_hints(handler, localns={"typer": typer, "params": sys.modules[__name__], "Annotated": Annotated},
                                  include_extras=True)
    signature = inspect.signature(handler)
    params = [p.replace(annotation=hints[p.name]) for p in signature.parameters.values()]
    extra = [inspect.Parameter("color", inspect.Parameter.KEYWORD_ONLY, default="auto", annotation=Color)]
    if cached:
        extra.append(inspect.Parameter("no_cache", inspect.Parameter.KEYWORD_ONLY, default=False, annotation=NoCache))

    @functools.wraps(handler)
    def run(**kwargs: Any) -> None:
        code = options.call_handler(handler, kwargs)
        if code:
            raise typer.Exit(code)

    run.__signature__ = signature.replace(  # type: ignore[attr-defined]
        parameters=[*(p.replace(kind=inspect.Parameter.KEYWORD_ONLY) for p in params), *extra])
    run.__annotations__ = {**{p.name: p.annotation for p in params}, **{p.name: p.annotation for p in extra}}
    app.command(name, help=help, epilog=epilog or None, context_settings=options.CONTEXT_SETTINGS,
                no_args_is_help=False)(run)



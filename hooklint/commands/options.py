"""Options shared by the commands, declared once (as typer `Annotated` types) so that their names,
defaults and help read the same everywhere, with Helm's spellings: `-n/--namespace`, `-f/--values`,
`--set*`, `--kube-version`, `-a/--api-versions`, `--timeout` (a Go duration), and `-o/--output`
for the output *format* (`-o json`), as in every helm command.

`command()` turns a command function into a typer command: it adds the options every command
has (`--color`, and `--no-cache` for the commands that render) and turns the function's return
value into the exit code. Command functions stay plain functions with Python defaults, callable
directly.
"""

from __future__ import annotations

import functools
import inspect
import sys
import typing
from collections.abc import Callable
from typing import Annotated, Any

import typer

from hooklint.errors import UsageError

RENDER_PANEL = "Render options (as helm template)"
LIFECYCLE_PANEL = "Lifecycle options (as helm install/upgrade/...)"
OUTPUT_PANEL = "Output"

CONTEXT_SETTINGS: dict[str, Any] = {"help_option_names": ["-h", "--help"], "max_content_width": 110}


def go_duration(value: str | None) -> str | None:
    """`--timeout`: Go's time.ParseDuration decides what is valid, and Helm's message says why
    not (`invalid argument "5x" for "--timeout" flag: time: unknown unit "x" in duration "5x"`)."""
    if value is None:
        return None
    from hooklint.gotemplate.sprig.dates import DurationError, parse_duration

    try:
        parse_duration(value)
    except DurationError as e:
        raise UsageError(f'invalid argument "{value}" for "--timeout" flag: {e}') from None
    return value


def non_negative(value: int) -> int:
    if value < 0:
        raise typer.BadParameter(f"{value} is negative (0 means one per CPU)")
    return value


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


def release_and_chart(args: list[str] | None, name: str | None, command: str, *,
                      chart_required: bool = True) -> tuple[str | None, str | None]:
    """`[NAME] CHART`, as `helm template [NAME] [CHART]`: one argument is the chart, two are the
    release name then the chart; `--name NAME` names the release with a lone CHART. The old
    order `CHART NAME` (hooklint 0.1) still works for one release, with a warning, when the first
    argument is a chart and the second is not a path."""
    import os

    args = list(args or ())
    if len(args) > 2:
        raise UsageError(f"{command} takes [NAME] CHART, got {len(args)} arguments: {' '.join(args)}")
    if len(args) == 2:
        first, second = args
        if _is_chart(first) and not os.path.exists(second):
            deprecated(f"`hooklint {command} CHART NAME`", f"`hooklint {command} NAME CHART` (helm's order)")
            first, second = second, first
        if name is not None and name != first:
            raise UsageError(f"the release name is given twice: {first} and --name {name}")
        return first, second
    if not args and chart_required:
        raise UsageError(f"{command} needs a CHART (a chart directory or .tgz)")
    return name, (args[0] if args else None)


def check_chart_path(path: str | None) -> None:
    """A chart argument that does not exist: Helm's message (`helm template /x`), as a usage
    error (exit 2, README's table)."""
    import os

    if path is not None and path != "-" and not os.path.exists(path):
        raise UsageError(f'path "{path}" not found')


def _is_chart(path: str) -> bool:
    import os

    return os.path.isfile(os.path.join(path, "Chart.yaml")) or (os.path.isfile(path) and path.endswith((".tgz", ".tar.gz")))


def deprecated(old: str, new: str) -> None:
    """A deprecation warning on stderr (old spellings work for one more release)."""
    print(f"hooklint: warning: {old} is deprecated and will be removed in the next release; use {new}",
          file=sys.stderr)


# --- color --------------------------------------------------------------------------------------
Color = Annotated[str, typer.Option(
    "--color", metavar="WHEN", help="Color the output: auto (on a terminal, unless NO_COLOR is set; "
    "FORCE_COLOR forces it), always or never.", rich_help_panel=OUTPUT_PANEL, show_default=True)]
NoCache = Annotated[bool, typer.Option(
    "--no-cache", help="Neither read nor write hooklint's cache (also HOOKLINT_NO_CACHE=1; see README, Caching).")]


def command(app: typer.Typer, name: str, handler: Callable[..., int | None], *, help: str, epilog: str = "",
            cached: bool = False) -> None:
    """Register `handler` as `hooklint NAME`. Its parameters are the options and arguments (typer
    `Annotated` types); it returns the exit code (None: 0). Every command also gets `--color`;
    a `cached` one (it renders) gets `--no-cache`, handled here."""
    hints = typing.get_type_hints(handler, include_extras=True)
    signature = inspect.signature(handler)
    params = [p.replace(annotation=hints[p.name]) for p in signature.parameters.values()]
    extra = [inspect.Parameter("color", inspect.Parameter.KEYWORD_ONLY, default="auto", annotation=Color)]
    if cached:
        extra.append(inspect.Parameter("no_cache", inspect.Parameter.KEYWORD_ONLY, default=False, annotation=NoCache))

    @functools.wraps(handler)
    def run(**kwargs: Any) -> None:
        from hooklint.report import colors

        colors.set_mode(kwargs.pop("color"))
        if kwargs.pop("no_cache", False):
            from hooklint.runtime import cache

            cache.disable()
        try:
            code = handler(**kwargs) or 0
        except KeyboardInterrupt:
            print("Interrupted.", file=sys.stderr)
            raise typer.Exit(130) from None
        if code:
            raise typer.Exit(code)

    run.__signature__ = signature.replace(  # type: ignore[attr-defined]
        parameters=[*(p.replace(kind=inspect.Parameter.KEYWORD_ONLY) for p in params), *extra])
    run.__annotations__ = {**{p.name: p.annotation for p in params}, **{p.name: p.annotation for p in extra}}
    app.command(name, help=help, epilog=epilog or None, context_settings=CONTEXT_SETTINGS,
                no_args_is_help=False)(run)


# --- the Helm version followed (render, plan, apply; lint takes a full version) ----------------
HelmMajor = Annotated[int | None, typer.Option(
    "--helm-version", metavar="VERSION",
    help="Behave like Helm 3 (3.17.1) or Helm 4 (4.2.3). Default: the major version of the helm on PATH, "
         "else 3.")]


def helm_major(given: int | None) -> int:
    """--helm-version, else the default every command shares (hooklint.runtime.default_helm)."""
    if given is None:
        from hooklint.runtime.default_helm import default_major

        return default_major()
    if given not in (3, 4):
        raise UsageError(f"--helm-version must be 3 or 4, not {given}")
    return given

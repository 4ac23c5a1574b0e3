"""The command line, on typer: a thin layer that wires the stages (see DESIGN.md).

Each command lives in `hooklint/commands/<name>.py` with a `register(app)` function that adds its
typer command, so a command's heavy imports happen only when that command runs: `hooklint render
...` imports `hooklint.commands.render` and nothing of the other commands. Spellings of hooklint
0.1 that changed to follow Helm are rewritten first, with a warning (hooklint/commands/legacy.py).
`main()` is the single error boundary: chart and usage problems print a clear message and a
documented exit code; anything else is an internal error (exit 3) with a bug-report block, never
a bare traceback.

Typer (and its click) cost tens of milliseconds to import: the `hooklint` command's client
(hooklint/runtime/client.py) never imports them; a run in its own process first tries
hooklint/commands/fastargs.py, a parser for the common invocations read from a description that
is derived from the typer commands, and imports typer only for what that parser leaves to it
(help, completion, errors, unusual spellings); a server imports them, and builds every command,
once ahead of its runs (`prebuild_parsers`).
"""

from __future__ import annotations

import importlib
import sys

from hooklint import __version__
from hooklint.errors import EXIT_INTERNAL, HooklintError

TYPE_CHECKING = False  # not `typing`'s: importing typing costs ~2 ms of every run
if TYPE_CHECKING:
    from typing import Any

COMMAND_MODULES = ("render", "plan", "lint", "apply", "rules", "server")
# Which module registers each command (rules.py registers both `rules` and `explain`).
COMMAND_MODULE_OF = {"render": "render", "plan": "plan", "lint": "lint", "apply": "apply",
                     "rules": "rules", "explain": "rules", "server": "server"}
EXIT_NO_COMMAND = 2  # `hooklint` alone prints the help, as a usage error
HELP = """Render Helm charts offline, plan Helm's hook lifecycle, lint hooks, execute the plan.

Examples:

\b
  hooklint render myrelease ./mychart -n prod -f values.yaml
  hooklint lint charts/ -o sarif --output-file hooklint.sarif
  hooklint plan ./mychart --event upgrade -o html --out plan.html
  hooklint apply ./mychart --event install
  hooklint explain HL101
"""

# Commands built ahead by a server (`prebuild_parsers`), by command name (None: all of them):
# each of its workers starts from a copy of the process, so a run skips building one.
_PREBUILT: dict[str | None, Any] = {}


def prebuild_parsers() -> None:
    """Build the command line of every command now and keep them for build_parser."""
    import typer.rich_utils  # noqa: F401 - help and errors on a terminal use it

    for command in (None, *COMMAND_MODULE_OF):
        _PREBUILT[command] = build_parser([command] if command else [])


def build_parser(args: list[str] | None = None) -> Any:
    """The click command (a typer group) that parses `args`: with the invoked command (`args[0]`)
    only, or with every command (`--help`, completion, a usage error)."""
    command = args[0] if args and args[0] in COMMAND_MODULE_OF else None
    prebuilt = _PREBUILT.get(command)
    if prebuilt is not None:
        return prebuilt
    import typer
    import typer.main

    from hooklint.commands.options import CONTEXT_SETTINGS

    app = typer.Typer(
        name="hooklint",
        help=HELP,
        rich_markup_mode="rich",
        context_settings=CONTEXT_SETTINGS,
        pretty_exceptions_enable=False,
        add_completion=True,
        no_args_is_help=False,
    )

    def version_callback(value: bool) -> None:
        if value:
            print(f"hooklint {__version__}")
            raise typer.Exit()

    def root(
        version: bool = typer.Option(False, "--version", is_eager=True, callback=version_callback,
                                     help="Print the version and exit."),
    ) -> None:
        pass

    app.callback()(root)
    wanted: tuple[str, ...] = COMMAND_MODULES if command is None else (COMMAND_MODULE_OF[command],)
    for name in wanted:
        importlib.import_module(f"hooklint.commands.{name}").register(app)
    return typer.main.get_command(app)


def _run(args: list[str]) -> int:
    """Parse `args` and run the command; the exit code (usage errors: 2)."""
    if args[:1] == ["--"] and len(args) > 1:  # `hooklint -- render ...`: no options of hooklint itself
        args = args[1:]
    if args and args[0] in COMMAND_MODULE_OF:
        from hooklint.commands import argspec
        from hooklint.commands.legacy import modernize

        args = [args[0], *modernize(args[0], args[1:], frozenset(argspec.VALUE_OPTIONS[args[0]]))]
        from hooklint.commands.fastargs import parse

        call = parse(args)
        if call is not None:  # a run hooklint's own parser understands: no typer import
            return call.run()
    group = build_parser(args)
    _choose_help_style(args)
    if not args:
        group.main(args=["--help"], prog_name="hooklint", standalone_mode=False)
        return EXIT_NO_COMMAND
    try:
        group.main(args=args, prog_name="hooklint", standalone_mode=True)
    except SystemExit as e:
        return e.code if isinstance(e.code, int) else 0 if e.code is None else 1
    return 0


def value_options(command: Any) -> frozenset[str]:
    """The option names of a click command that take a value."""
    return frozenset(name for p in command.params if getattr(p, "is_flag", True) is False
                     for name in (*p.opts, *p.secondary_opts))


def _choose_help_style(args: list[str]) -> None:
    """Rich help and error panels on a terminal (or with --color always / FORCE_COLOR); click's
    plain text otherwise, so that logs and pipes get `Usage: ...` and `Error: ...` lines. Decided
    per run: a server's workers share the typer modules it imported with another environment."""
    import typer.core

    from hooklint.report import colors

    colors.set_mode("auto")
    for i, arg in enumerate(args):
        if arg == "--":
            break
        if arg == "--color" and i + 1 < len(args) and args[i + 1] in colors.COLOR_CHOICES:
            colors.set_mode(args[i + 1])
        elif arg.startswith("--color=") and arg[8:] in colors.COLOR_CHOICES:
            colors.set_mode(arg[8:])
    rich = colors.enabled(sys.stdout.isatty() and sys.stderr.isatty())
    typer.core.HAS_RICH = rich
    if rich:
        import typer.rich_utils

        typer.rich_utils.FORCE_TERMINAL = True if colors.mode() == "always" or colors.forced() else None


def main(argv: list[str] | None = None) -> None:
    args = sys.argv[1:] if argv is None else list(argv)
    if args == ["--version"]:  # fast path for pre-commit and scripts: no typer import
        print(f"hooklint {__version__}")
        sys.exit(0)
    import gc

    from hooklint.runtime import cache, gcpolicy, streams
    from hooklint.runtime.deferred import defer_unused_modules

    defer_unused_modules()

    # A run allocates millions of small objects that live until it ends: collect much less
    # often (runtime/gcpolicy.py; measured: kube-prometheus-stack 0.51 -> 0.46 s, ingress-nginx
    # 0.13 -> 0.10 s, median of 6), and never rescan what a render leaves alive.
    gc.set_threshold(*gcpolicy.RUN_THRESHOLDS)
    cache.start_run()
    real_stdout = sys.stdout
    sys.stdout = streams.GuardedOutput(real_stdout, "standard output")  # type: ignore[assignment]
    try:
        try:
            gcpolicy.PROMOTE_SURVIVORS = True
            code = _run(args)
            sys.stdout.flush()  # a reader that went away fails here, inside the boundary
        finally:
            gcpolicy.PROMOTE_SURVIVORS = False  # (tests and the server's warm-up call main in-process)
            sys.stdout = real_stdout
            cache.end_run()
            cache.write_deferred()  # after the output; the parent does not wait for it
        sys.exit(code)
    except HooklintError as e:
        if getattr(e, "stream", None) is real_stdout:  # what stdout could not take stays unsaid
            _silence_stdout()
        streams.report_error(f"Error: {e.message}\n")
        sys.exit(e.exit_code)
    except KeyboardInterrupt:
        print("Interrupted.", file=sys.stderr)
        sys.exit(130)
    except BrokenPipeError:  # `hooklint render CHART | head`: stop quietly, as before
        _silence_stdout()
        sys.exit(1)
    except SystemExit:
        raise
    except Exception as e:  # the error boundary: report, don't dump a traceback
        import platform
        import traceback

        print(
            "hooklint: internal error (this is a bug in hooklint, please report it)\n"
            f"  hooklint {__version__}, Python {platform.python_version()}, {platform.platform()}\n"
            f"  {type(e).__name__}: {e}",
            file=sys.stderr,
        )
        tb = traceback.extract_tb(e.__traceback__)[-1]
        print(f"  at {tb.filename}:{tb.lineno} in {tb.name}", file=sys.stderr)
        sys.exit(EXIT_INTERNAL)


def _silence_stdout() -> None:
    """The reader went away: the interpreter's final flush of stdout must not fail again."""
    import os

    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):
        pass

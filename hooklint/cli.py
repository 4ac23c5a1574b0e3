"""The command line: a thin layer that wires the stages (see DESIGN.md).

Each command lives in `hooklint/commands/<name>.py` with a `register(app)` function, so a
command's heavy imports happen only when that command runs. `main()` is the single error
boundary: chart and usage problems print a clear message and a documented exit code; anything
else is an internal error (exit 3) with a bug-report block, never a bare traceback.
"""

from __future__ import annotations

import importlib
import sys

from hooklint import __version__
from hooklint.errors import EXIT_INTERNAL, HooklintError

COMMAND_MODULES = ("render", "plan", "lint", "apply", "rules")
# Which module registers each command (rules.py registers both `rules` and `explain`).
COMMAND_MODULE_OF = {"render": "render", "plan": "plan", "lint": "lint", "apply": "apply",
                     "rules": "rules", "explain": "rules"}


def build_app(args: list[str] | None = None):  # type: ignore[no-untyped-def]
    """The typer app. With `args`, only the invoked command's module is imported (start-up
    time matters under pre-commit); without, or for `--help` at the top, every command is."""
    import typer

    app = typer.Typer(
        name="hooklint",
        help="Render Helm charts offline, plan Helm's hook lifecycle, lint hooks, execute the plan.",
        no_args_is_help=True,
        add_completion=False,
        pretty_exceptions_enable=False,
        context_settings={"help_option_names": ["-h", "--help"]},
    )

    def _version(value: bool) -> None:
        if value:
            typer.echo(f"hooklint {__version__}")
            raise typer.Exit()

    @app.callback()
    def _root(
        version: bool = typer.Option(
            False, "--version", callback=_version, is_eager=True, help="Print the version and exit."
        ),
    ) -> None:
        """hooklint: Helm hooks, planned and linted before they run."""

    wanted: tuple[str, ...] = COMMAND_MODULES
    if args and args[0] in COMMAND_MODULE_OF:
        wanted = (COMMAND_MODULE_OF[args[0]],)
    for name in wanted:
        try:
            module = importlib.import_module(f"hooklint.commands.{name}")
        except ModuleNotFoundError as e:
            if e.name == f"hooklint.commands.{name}":
                continue  # command not built yet
            raise
        module.register(app)
    return app


def main(argv: list[str] | None = None) -> None:
    args = sys.argv[1:] if argv is None else argv
    if args == ["--version"]:  # fast path for pre-commit and scripts: no typer import
        print(f"hooklint {__version__}")
        sys.exit(0)
    try:
        app = build_app(args)
        app(args=args, prog_name="hooklint", standalone_mode=True)
    except HooklintError as e:
        print(f"Error: {e.message}", file=sys.stderr)
        sys.exit(e.exit_code)
    except KeyboardInterrupt:
        print("Interrupted.", file=sys.stderr)
        sys.exit(130)
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

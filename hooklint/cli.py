"""The command line: a thin layer that wires the stages (see DESIGN.md).

Each command lives in `hooklint/commands/<name>.py` with a `register(subparsers)` function that
adds its argparse parser, so a command's heavy imports happen only when that command runs:
`hooklint render ...` imports `hooklint.commands.render` and nothing of the other commands.
`main()` is the single error boundary: chart and usage problems print a clear message and a
documented exit code; anything else is an internal error (exit 3) with a bug-report block, never
a bare traceback.
"""

from __future__ import annotations

import importlib
import sys

from hooklint import __version__
from hooklint.errors import EXIT_INTERNAL, HooklintError

TYPE_CHECKING = False  # not `typing`'s: importing typing costs ~2 ms of every run
if TYPE_CHECKING:
    import argparse
    from typing import Any

COMMAND_MODULES = ("render", "plan", "lint", "apply", "rules", "server")
# Which module registers each command (rules.py registers both `rules` and `explain`).
COMMAND_MODULE_OF = {"render": "render", "plan": "plan", "lint": "lint", "apply": "apply",
                     "rules": "rules", "explain": "rules", "server": "server"}
EXIT_NO_COMMAND = 2  # `hooklint` alone prints the help, as a usage error


# Parsers built ahead by a server (`prebuild_parsers`), by command (None: no command): each of
# its workers starts from a copy of the process, so a run skips building one (~2 ms). Parsing
# leaves a parser unchanged, but a process running commands itself still builds one per run.
_PREBUILT: dict[str | None, tuple[argparse.ArgumentParser, argparse.ArgumentParser | None]] = {}


def prebuild_parsers() -> None:
    """Build the parser of every command now and keep them for build_parser."""
    for command in (None, *COMMAND_MODULE_OF):
        _PREBUILT[command] = build_parser([command] if command else [])


def build_parser(args: list[str] | None = None) -> tuple[argparse.ArgumentParser, argparse.ArgumentParser | None]:
    """The top parser, and the parser of the invoked command (`args[0]`) when there is one.

    With a command, only that command's module is imported (start-up time matters under
    pre-commit); without (`--help`, a usage error), every command is."""
    command = args[0] if args and args[0] in COMMAND_MODULE_OF else None
    prebuilt = _PREBUILT.get(command)
    if prebuilt is not None:
        return prebuilt
    import argparse

    from hooklint.commands.options import HELP, HelpFormatter

    parser = argparse.ArgumentParser(
        prog="hooklint",
        usage="%(prog)s [OPTIONS] COMMAND [ARGS]...",
        description="Render Helm charts offline, plan Helm's hook lifecycle, lint hooks, execute the plan.",
        formatter_class=HelpFormatter,
        allow_abbrev=False,
        add_help=False,
    )
    parser.add_argument("--version", action="version", version=f"hooklint {__version__}",
                        help="Print the version and exit.")
    parser.add_argument("-h", "--help", action="help", help=HELP)
    subparsers = parser.add_subparsers(
        title="commands", dest="command", metavar="COMMAND", prog="hooklint"
    )

    wanted: tuple[str, ...] = COMMAND_MODULES if command is None else (COMMAND_MODULE_OF[command],)
    for name in wanted:
        try:
            module = importlib.import_module(f"hooklint.commands.{name}")
        except ModuleNotFoundError as e:
            if e.name == f"hooklint.commands.{name}":
                continue  # command not built yet
            raise
        module.register(subparsers)
    return parser, (subparsers.choices.get(command) if command is not None else None)


def _run(args: list[str]) -> int:
    """Parse `args` and run the command; the exit code. Usage errors raise SystemExit(2)."""
    if args[:1] == ["--"] and len(args) > 1:  # `hooklint -- render ...`: no options of hooklint itself
        args = args[1:]
    parser, command = build_parser(args)
    if not args:
        parser.print_help()
        return EXIT_NO_COMMAND
    from hooklint.commands.options import parse_command, parse_top

    if command is not None:
        namespace = parse_command(command, args[1:])
    else:  # help, version, or a usage error: argparse prints it and exits
        namespace = parse_top(parser, args)
    params: dict[str, Any] = vars(namespace)
    params.pop("command", None)
    handler = params.pop("handler", None)
    if handler is None:
        parser.error("the following arguments are required: COMMAND")
    if params.pop("no_cache", False):
        from hooklint.runtime import cache

        cache.disable()
    return handler(**params) or 0


def main(argv: list[str] | None = None) -> None:
    args = sys.argv[1:] if argv is None else list(argv)
    if args == ["--version"]:  # fast path for pre-commit and scripts: no argparse import
        print(f"hooklint {__version__}")
        sys.exit(0)
    import gc

    from hooklint.runtime import cache, streams

    # A run allocates millions of small objects (parsed trees, values, output segments) that
    # live until it ends; at Python's default thresholds the cyclic GC rescans them over and
    # over (10-25% of a big chart's load and render in-process, measured: kube-prometheus-stack
    # 0.51 -> 0.46 s, ingress-nginx 0.13 -> 0.10 s, median of 6). Collect much less often.
    gc.set_threshold(50_000, 20, 100)
    cache.start_run()
    real_stdout = sys.stdout
    sys.stdout = streams.GuardedOutput(real_stdout, "standard output")  # type: ignore[assignment]
    try:
        try:
            code = _run(args)
            sys.stdout.flush()  # a reader that went away fails here, inside the boundary
        finally:
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

"""A small argument parser for the common invocations, so that a run in its own process does not
import typer and its click (~60 ms of CPU, about as much as rendering a median chart).

typer stays the command line's definition: hooklint/commands/argspec.py, which this parser reads,
is derived from it (hooklint/commands/argspec_build.py), and this parser accepts only what it
understands completely; for anything else `parse` returns None and typer parses the run as
before: `--help`/`-h`, completion, unknown or misspelled options, short options with attached
values (`-nprod`) or clustered, a value that starts with `-`, a flag given a value, an option
checked by a callback, an integer that is not plain ASCII digits, a missing or extra positional,
and so every usage error (typer words them). tests/test_fastargs.py asserts, for generated
argument lists, that an accepted run calls the same command function with the same arguments as
typer does.
"""

from __future__ import annotations

import os

from hooklint.commands import argspec

TYPE_CHECKING = False  # not `typing`'s: this module runs on every run of the command
if TYPE_CHECKING:
    from typing import Any

# typer's completion protocol is an environment variable named after the program (see cli.py).
_COMPLETE_VAR = "_HOOKLINT_COMPLETE"


class Call:
    """A parsed run: the command function (module, name) and the keyword arguments typer would
    pass to hooklint's wrapper (the function's own, plus `color` and, when the command renders,
    `no_cache`: see options.call_handler)."""

    __slots__ = ("command", "module", "function", "kwargs")

    def __init__(self, command: str, module: str, function: str, kwargs: dict[str, Any]) -> None:
        self.command, self.module, self.function, self.kwargs = command, module, function, kwargs

    def run(self) -> int:
        """Run the command function as typer would; its exit code."""
        import sys

        from hooklint.commands.options import call_handler

        # __import__, not importlib.import_module: `python -X importtime` then lists the module
        handler = getattr(__import__(self.module, fromlist=[self.function]), self.function)
        try:
            return call_handler(handler, self.kwargs)
        except EOFError:  # typer's main: an empty line and "Aborted!" on stderr, exit 1
            sys.stderr.write("\nAborted!\n")
            return 1


def parse(args: list[str]) -> Call | None:
    """`args` (COMMAND then its arguments) as a Call, or None when typer must parse them."""
    if not args or os.environ.get(_COMPLETE_VAR):
        return None
    command = args[0]
    handler = argspec.HANDLERS.get(command)
    if handler is None:
        return None
    options = argspec.OPTIONS[command]
    callbacks = argspec.CALLBACKS[command]
    given: dict[str, Any] = {}
    positionals: list[str] = []
    rest = args[1:]
    i = 0
    while i < len(rest):
        arg = rest[i]
        i += 1
        if arg == "--":
            positionals += rest[i:]
            break
        if arg[:1] != "-" or arg == "-":
            positionals.append(arg)
            continue
        name, eq, attached = arg.partition("=") if arg.startswith("--") else (arg, "", "")
        spec = options.get(name)
        if spec is None:  # unknown, -h/--help, `-nprod`, `-=x`
            return None
        dest, kind, flag_value = spec
        if dest in callbacks:
            return None
        if kind == "flag":
            if eq:  # `--debug=true`: typer says the flag takes no value
                return None
            given[dest] = flag_value
            continue
        if eq:
            value = attached
        elif i < len(rest):
            value = rest[i]
            i += 1
            if value[:1] == "-" and value != "-":  # `-n --help`: leave its reading to typer
                return None
        else:  # the value is missing: typer's usage error
            return None
        if kind == "multi":
            given.setdefault(dest, []).append(value)
        elif kind == "int":
            if not (value.isascii() and value.isdigit()):
                return None
            given[dest] = int(value)
        else:
            given[dest] = value
    positional = argspec.POSITIONAL[command]
    if positional is None:
        if positionals:
            return None
    else:
        dest, nargs, required = positional
        if nargs == 1:
            if len(positionals) > 1 or (required and not positionals):
                return None
            if positionals:
                given[dest] = positionals[0]
        elif positionals:
            given[dest] = positionals
        elif required:
            return None
    kwargs = dict(argspec.DEFAULTS[command])
    kwargs.update(given)
    return Call(command, handler[0], handler[1], kwargs)

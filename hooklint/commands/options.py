"""Options shared by the commands that render a chart, declared once so that their names,
defaults and help read the same everywhere (`hooklint render`, `hooklint plan`, `hooklint apply`),
and the argparse plumbing every command parser shares.

Parsing follows what the command line has always accepted (`parse_command`): options before,
between or after the positionals; no abbreviated options; an option's value is the next argument
even when it starts with `-`; repeatable options keep their order; usage errors exit 2. A
command's parser hands its handler one keyword argument per option (its `dest`).
"""

from __future__ import annotations

import argparse
import os
import sys

TYPE_CHECKING = False  # not `typing`'s: this module is on the start-up path of every command
if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import Any

# The help option, worded as it always was.
HELP = "Show this message and exit."


class HelpFormatter(argparse.HelpFormatter):
    """argparse's layout, with an option's default shown as `[default: X]` when it has one, and
    the commands listed without a `COMMAND` line above them."""

    def __init__(
        self, prog: str, indent_increment: int = 2, max_help_position: int = 24, width: int | None = None
    ) -> None:
        # argparse makes a formatter for every add_argument, and its default width imports shutil
        super().__init__(prog, indent_increment, max_help_position, _terminal_width() - 2 if width is None else width)

    def _format_action(self, action: argparse.Action) -> str:
        if isinstance(action, argparse._SubParsersAction):
            return "".join(self._format_action(a) for a in action._get_subactions())
        return super()._format_action(action)

    def _get_help_string(self, action: argparse.Action) -> str | None:
        text = action.help or ""
        default = action.default
        if (
            action.option_strings
            and default is not None
            and default is not False
            and default is not argparse.SUPPRESS
            and "%(default)" not in text
        ):
            text += " [default: %(default)s]"
        return text


def _terminal_width() -> int:
    """`shutil.get_terminal_size().columns` (argparse's width), without importing shutil (~3 ms)."""
    try:
        columns = int(os.environ["COLUMNS"])
    except (KeyError, ValueError):
        columns = 0
    if columns <= 0:
        try:
            columns = os.get_terminal_size(sys.__stdout__.fileno()).columns  # type: ignore[union-attr]
        except (AttributeError, ValueError, OSError):  # no stdout (None), or not a terminal
            columns = 0
    return columns or 80


def add_command(
    subparsers: Any, name: str, help: str, usage: str, handler: Callable[..., int | None], *, cached: bool = False
) -> argparse.ArgumentParser:
    """The parser of `hooklint NAME`; `handler` gets the parsed options as keyword arguments and
    returns the exit code (None: 0). A `cached` command (one that renders) gets `--no-cache`,
    which the CLI handles before calling `handler`."""
    parser: argparse.ArgumentParser = subparsers.add_parser(
        name,
        help=help,
        description=help,
        usage=f"%(prog)s {usage}",
        formatter_class=HelpFormatter,
        allow_abbrev=False,
        add_help=False,
    )
    parser.add_argument("-h", "--help", action="help", help=HELP)
    if cached:
        parser.add_argument(
            "--no-cache", action="store_true",
            help="Neither read nor write hooklint's cache (also HOOKLINT_NO_CACHE=1; see README, Caching).",
        )
    parser.set_defaults(handler=handler)
    return parser


def parse_command(parser: argparse.ArgumentParser, args: list[str]) -> argparse.Namespace:
    """Parse a command's arguments the way its command line has always read them:
    options and positionals in any order (`lint --format json chart`, `lint chart --format
    json`); an option's value is the next argument whatever it looks like (`--set -x=1`,
    `--timeout -5s`, `-n --`); any other argument starting with `-` is an option (`explain -1`
    is an unknown option); everything after `--` is positional (`render -- -chart`); an unknown
    option, a missing value or a value given to a flag is an error even with `--help`, which
    otherwise wins over every other error.

    Argparse then parses the arguments put in that order: options, then positionals.
    (`parse_intermixed_args` would reorder them too, but it drops a `--` and then takes a
    positional such as `-chart` for an unknown option.)"""
    actions = parser._option_string_actions
    args = list(args)
    options: list[str] = []
    positionals: list[str] = []
    wants_help = False
    i = 0
    while i < len(args):
        arg = args[i]
        i += 1
        if arg == "--":
            positionals += args[i:]
            break
        if not arg.startswith("-") or arg == "-":
            positionals.append(arg)
            continue
        action, option, value = _option(actions, arg)
        if action is None:
            parser.error(f"unrecognized arguments: {arg}")
        name = "/".join(action.option_strings)
        if action.nargs == 0:  # a flag
            if value is not None and option.startswith("--"):
                parser.error(f"argument {name}: ignored explicit argument {value!r}")
            if value:  # `-hx`: more one-letter options
                args.insert(i, f"-{value}")
            wants_help = wants_help or action.dest == "help"
            options.append(option)
            continue
        if value is None:  # the value is the next argument
            if i == len(args):
                parser.error(f"argument {name}: expected one argument")
            value = args[i]
            i += 1
        # `--opt=-x`: argparse would take a separate `-x` for an option
        options += [f"{option}={value}"] if value.startswith("-") else [option, value]
    if wants_help:
        parser.print_help()
        parser.exit()
    marker = ["--"] if any(p.startswith("-") and p != "-" for p in positionals) else []
    namespace = parser.parse_args([*options, *marker, *positionals])
    _restore_dashes(parser, namespace)
    return namespace


def parse_top(parser: argparse.ArgumentParser, args: list[str]) -> argparse.Namespace:
    """`hooklint [OPTIONS] COMMAND ...` when the first argument is not a command: hooklint's own
    options end at the first argument that is not one (the command, which argparse checks), and
    an unknown one is an error even with `--help`."""
    for arg in args:
        if arg == "--" or not arg.startswith("-") or arg == "-":
            break
        if arg not in parser._option_string_actions:  # also `-hx`, `--version=1`
            parser.error(f"unrecognized arguments: {arg}")
    return parser.parse_args(args)


def _option(actions: dict[str, argparse.Action], arg: str) -> tuple[argparse.Action | None, str, str | None]:
    """The option an argument starting with `-` names, its name, and the value it carries:
    `--set=a=1`, `-nNS` (`-n=NS` is the value `=NS`, as it always was); no abbreviations."""
    if arg in actions:
        return actions[arg], arg, None
    if arg.startswith("--"):
        name, equals, value = arg.partition("=")
        if equals and name in actions:
            return actions[name], name, value
    elif arg[:2] in actions:
        return actions[arg[:2]], arg[:2], arg[2:]
    return None, arg, None


def _restore_dashes(parser: argparse.ArgumentParser, namespace: argparse.Namespace) -> None:
    """An option value `--` (`--set=--`, `-n --`): argparse (3.11 at least) removes that `--` too
    and stores an empty list instead of the value."""
    for action in parser._actions:
        if not action.option_strings or action.nargs is not None:
            continue
        got = getattr(namespace, action.dest, None)
        if not isinstance(got, list) or not (got == [] or [] in got):
            continue
        if action.type is not None:
            name = getattr(action.type, "__name__", "")
            parser.error(f"argument {'/'.join(action.option_strings)}: invalid {name} value: '--'")
        setattr(namespace, action.dest, "--" if got == [] else ["--" if v == [] else v for v in got])


def add_render_options(parser: argparse.ArgumentParser, *, release_name: bool = True) -> None:
    """How the chart is rendered (`helm template`'s options). `release_name=False`: the command
    declares its own `--release-name` (render's defaults to its NAME argument)."""
    group = parser.add_argument_group("render options")
    if release_name:
        group.add_argument("--release-name", default="release-name", metavar="NAME", help="Release name.")
    group.add_argument("-n", "--namespace", default="default", metavar="NAMESPACE", help="Release namespace.")
    group.add_argument(
        "-f", "--values", action="append", metavar="FILE", help="Values file (repeatable; later wins)."
    )
    group.add_argument(
        "--set", dest="set_", action="append", metavar="KEY=VALUE", help="Set values (key=value[,key=value])."
    )
    group.add_argument("--set-string", action="append", metavar="KEY=VALUE", help="Set STRING values.")
    group.add_argument("--set-json", action="append", metavar="KEY=JSON", help="Set JSON values.")
    group.add_argument("--set-file", action="append", metavar="KEY=PATH", help="Set values from files.")
    group.add_argument("--set-literal", action="append", metavar="KEY=VALUE", help="Set a literal STRING value.")
    group.add_argument("--kube-version", metavar="VERSION", help="Kubernetes version for .Capabilities.")
    group.add_argument(
        "-a", "--api-versions", action="append", metavar="VERSION", help="Extra API versions for .Capabilities."
    )


def add_lifecycle_options(parser: argparse.ArgumentParser) -> None:
    """Lifecycle options shared by `plan` (what Helm would do) and `apply` (doing it)."""
    group = parser.add_argument_group("lifecycle options")
    group.add_argument("--timeout", default="5m0s", metavar="DURATION", help="Timeout of each hook and of the wait.")
    group.add_argument("--wait", action="store_true", help="Wait for resources to be ready.")
    group.add_argument("--wait-for-jobs", action="store_true", help="With --wait, also wait for Jobs.")
    group.add_argument("--atomic", action="store_true", help="v3: uninstall/roll back on failure.")
    group.add_argument("--rollback-on-failure", action="store_true", help="v4 name of --atomic.")
    group.add_argument("--skip-crds", action="store_true", help="install: do not install crds/.")
    group.add_argument("--wait-strategy", metavar="STRATEGY", help="v4: hookOnly, watcher or legacy.")
    group.add_argument("--keep-history", action="store_true", help="uninstall: keep the release record.")
    group.add_argument(
        "--filter", dest="filter_", action="append", metavar="FILTER", help="test: name=X or !name=X (repeatable)."
    )
    group.add_argument(
        "--replace", action="store_true", help="install: re-use the name of an uninstalled or failed release."
    )
    group.add_argument(
        "--take-ownership",
        action="store_true",
        help="install/upgrade: adopt existing objects whatever their owner.",
    )
    group.add_argument(
        "--cleanup-on-fail",
        action="store_true",
        help="upgrade/rollback: delete the objects created when it fails.",
    )
    group.add_argument(
        "--server-side",
        metavar="MODE",
        help="v4: install true|false (default true); upgrade/rollback auto|true|false.",
    )

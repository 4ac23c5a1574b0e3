"""Spellings of hooklint 0.1 that changed to follow Helm's, rewritten to the new ones with a
deprecation warning on stderr. They keep working for one release (0.2), then go.

- every command: `--format FMT` is now `-o/--output FMT` (the output format, as `helm ... -o json`);
  lint's and rules' `-F FMT` too.
- lint: `-o/--output FILE` (a file, not a format) is now `--output-file FILE`; a value that is
  one of lint's formats, or has neither a dot nor a slash, is the new meaning (a format).
- render: `--use-release-name` is `--release-name` (helm template's flag: use the release name in
  the --output-dir paths); `--release-name=NAME` is the positional NAME (or `--name NAME`).
- plan, apply, lint: `--release-name NAME` is `--name NAME` (or plan's and apply's positional NAME).
"""

from __future__ import annotations

from hooklint.commands.options import deprecated

LINT_FORMATS = ("auto", "text", "json", "sarif", "junit", "github", "gitlab")
_FORMAT_FLAGS = {"plan": ("--format",), "apply": ("--format",), "lint": ("--format", "-F"), "rules": ("--format", "-F")}


def modernize(command: str, args: list[str], takes_value: frozenset[str] = frozenset()) -> list[str]:
    """`args` of `hooklint COMMAND` with the old spellings replaced (and a warning for each).
    `takes_value`: the command's current options that take a value, whose value is left alone
    (`--output-file -o`, `--description --format`)."""
    out: list[str] = []
    i = 0
    while i < len(args):
        arg = args[i]
        i += 1
        if arg == "--":
            out += args[i - 1:]
            break
        if arg in takes_value and arg not in _OLD_VALUE_OPTIONS.get(command, ()) and i < len(args):
            out += [arg, args[i]]
            i += 1
            continue
        name, eq, value = arg.partition("=") if arg.startswith("--") else (arg, "", "")
        if name.startswith("-") and not name.startswith("--") and len(arg) > 2:  # `-Fjson`, `-oout.sarif`
            name, value, eq = arg[:2], arg[2:], "="
        has_value = bool(eq) or i < len(args)
        if not eq and has_value and name.startswith("-"):
            value = args[i]  # the next argument, consumed below when the option takes it
        replaced = _replacement(command, name, value, bool(eq), has_value)
        if replaced is None:
            out.append(arg)
            continue
        out += replaced
        if not eq and replaced[-1:] == [value] and len(replaced) == 2:
            i += 1  # the value was the next argument
    return out


# Options that take a value both now and in 0.1, with another meaning then (lint -o FILE).
_OLD_VALUE_OPTIONS = {"lint": ("-o", "--output")}


def _replacement(command: str, name: str, value: str, attached: bool, has_value: bool) -> list[str] | None:
    """The new spelling of one old option (with its value), or None when `name` is not old."""
    if name in _FORMAT_FLAGS.get(command, ()) and has_value:
        deprecated(f"`{name} FORMAT`", "`-o/--output FORMAT` (the output format, as in helm)")
        return ["--output", value]
    if command == "lint" and name in ("-o", "--output") and has_value:
        if value in LINT_FORMATS or not ("." in value or "/" in value):  # a path has a dot or a slash
            return ["--output", value]
        deprecated(f"`lint {name} FILE`", "`--output-file FILE` (`-o/--output` is the format, as in helm)")
        return ["--output-file", value]
    if command == "render" and name == "--use-release-name" and not attached:
        deprecated("`--use-release-name`", "`--release-name` (helm template's flag)")
        return ["--release-name"]
    if command == "render" and name == "--release-name" and attached:
        deprecated("`--release-name=NAME`", "the positional NAME (`hooklint render NAME CHART`) or `--name NAME`")
        return ["--name", value]
    if command in ("plan", "apply", "lint") and name == "--release-name" and has_value:
        deprecated("`--release-name NAME`", "`--name NAME`")
        return ["--name", value]
    return None

"""What the commands share that needs no CLI framework: panel names, `--timeout` and `--jobs`
checks, `[NAME] CHART` handling, deprecation warnings, the Helm version default, and
`call_handler`, which runs a command function the same way whichever parser read its options
(typer, or hooklint/commands/fastargs.py). The typer declarations of the shared options are in
hooklint/commands/params.py: importing this module must not import typer.
"""

from __future__ import annotations

import sys

from hooklint.errors import UsageError

TYPE_CHECKING = False  # not `typing`'s: importing typing costs ~3 ms of every run
if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import Any

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
        import typer  # a typer callback: only typer's parser calls it

        raise typer.BadParameter(f"{value} is negative (0 means one per CPU)")
    return value


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


def helm_major(given: int | None) -> int:
    """--helm-version, else the default every command shares (hooklint.runtime.default_helm)."""
    if given is None:
        from hooklint.runtime.default_helm import default_major

        return default_major()
    if given not in (3, 4):
        raise UsageError(f"--helm-version must be 3 or 4, not {given}")
    return given


def call_handler(handler: Callable[..., int | None], kwargs: dict[str, Any]) -> int:
    """Run a command function with the options a parser read, plus the ones every command has
    (`color`, and `no_cache` for the commands that render); its exit code (None: 0)."""
    from hooklint.report import colors

    kwargs = dict(kwargs)
    colors.set_mode(kwargs.pop("color"))
    if kwargs.pop("no_cache", False):
        from hooklint.runtime import cache

        cache.disable()
    try:
        return handler(**kwargs) or 0
    except KeyboardInterrupt:
        print("Interrupted.", file=sys.stderr)
        return 130

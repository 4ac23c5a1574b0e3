"""The error hierarchy. Only usage, configuration and internal errors reach the CLI boundary;
chart problems (template, YAML) become findings in `lint` and a Helm-worded error elsewhere."""

from __future__ import annotations

TYPE_CHECKING = False  # not `typing.TYPE_CHECKING`: the CLI imports this module on every run
if TYPE_CHECKING:
    from hooklint.documents.source import SourcePos

# Documented exit codes (README "Exit codes").
EXIT_OK = 0
EXIT_FINDINGS = 1  # lint findings; render/plan: the chart failed to render like Helm would fail
EXIT_USAGE = 2
EXIT_INTERNAL = 3


class HooklintError(Exception):
    """Base class. `pos` is where the problem is, when known."""

    exit_code = EXIT_FINDINGS

    def __init__(self, message: str, pos: SourcePos | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.pos = pos


class UsageError(HooklintError):
    exit_code = EXIT_USAGE


class ConfigError(HooklintError):
    exit_code = EXIT_USAGE


class OutputError(HooklintError):
    """Output could not be written (a full disk, a read-only folder): `cannot write TARGET:
    REASON`. Never stored by the replay cache: it says nothing about the inputs."""

    exit_code = EXIT_USAGE


class ChartError(HooklintError):
    """The chart or its values cannot be loaded (bad Chart.yaml, bad values file, unsafe archive)."""


class ValuesArgumentError(ChartError):
    """A --set/--set-string/--set-json/--set-file/--set-literal argument Helm cannot parse: a
    usage error (README's exit codes), with Helm's message."""

    exit_code = EXIT_USAGE


class RenderError(HooklintError):
    """Rendering failed the way Helm fails; `message` is worded like Helm's. `debug_message` and
    `rendered` are what `helm template --debug` prints instead: the message without the hint to
    use --debug, and the rendered (invalid) manifests when rendering got that far."""

    debug_message: str | None = None
    rendered: str | None = None

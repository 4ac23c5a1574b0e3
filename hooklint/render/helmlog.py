"""The lines Helm logs on stderr while it renders (an unknown hook skipped, a values clash).

Helm 3.17.1 prints them through Go's `log` with the `Lshortfile` flag (`manifest_sorter.go:190:
info: ...`); Helm 4 through log/slog's text handler without time (`level=INFO msg="..." key=v`).
The render stages call `emit` wherever Helm logs; `capture` collects the lines of one render so
the command prints them on stderr in Helm's order. Outside `capture` nothing is kept.
"""

from __future__ import annotations

from contextvars import ContextVar, Token

_SINK: ContextVar[list[str] | None] = ContextVar("hooklint_helm_log", default=None)


class capture:  # noqa: N801 - used as a function: `with helmlog.capture() as lines`
    """Collect the log lines (each ending in a newline) emitted inside the block. (A class, not
    contextlib.contextmanager: importing contextlib is half a millisecond of every render.)"""

    __slots__ = ("lines", "_token")

    def __init__(self) -> None:
        self.lines: list[str] = []
        self._token: Token[list[str] | None] | None = None

    def __enter__(self) -> list[str]:
        self._token = _SINK.set(self.lines)
        return self.lines

    def __exit__(self, *exc: object) -> None:
        assert self._token is not None
        _SINK.reset(self._token)


def emit(helm_version: int, v3_line: str, v4_message: str, v4_level: str = "INFO", **v4_attrs: str) -> None:
    """Log a line: Helm 3 prints `v3_line` (Go's log adds `file.go:N: `, which the caller
    writes); Helm 4 slog's `level=<v4_level> msg=<v4_message> k=v...`."""
    sink = _SINK.get()
    if sink is None:
        return
    if helm_version >= 4:
        attrs = "".join(f" {key}={_slog_value(value)}" for key, value in v4_attrs.items())
        sink.append(f"level={v4_level} msg={_slog_value(v4_message)}{attrs}\n")
    else:
        sink.append(f"{v3_line}\n")


def emit_printf(helm_version: int, v3_source: str, message: str) -> None:
    """A `log.Printf` line: Helm 4 routes the standard logger through slog at INFO."""
    emit(helm_version, f"{v3_source}: {message}", message)


def _slog_value(s: str) -> str:
    """log/slog TextHandler: a string is quoted (strconv.Quote) when it is empty or holds a
    space, `=`, `"`, a control character, or a non-printable or space rune."""
    from hooklint.gotemplate.gofmt import quote

    if not s:
        return '""'
    for ch in s:
        if ch.isascii():
            if ch in ' ="' or ord(ch) < 0x20:
                return quote(s)
        elif ch.isspace() or not ch.isprintable():
            return quote(s)
    return s

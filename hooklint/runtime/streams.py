"""The process's output streams: where writing them fails, one clear error (`GuardedOutput`,
`cannot_write`: "cannot write standard output: No space left on device", exit 2); and, for a
process that keeps working after its output is out (the cache's writer, a server's worker), the
standard streams flushed, then let go of, neither ever failing.

On the start-up path of every command: built-in modules only (and hooklint.errors)."""

from __future__ import annotations

import os
import sys

from hooklint.errors import OutputError

TYPE_CHECKING = False  # not `typing`'s (start-up time)
if TYPE_CHECKING:
    from typing import IO, Any


def cannot_write(target: str, error: OSError, what: str = "") -> OutputError:
    """The error of failing to write `target` (a file name, or "standard output")."""
    return OutputError(f"{what}cannot write {target}: {error.strerror or error}")


class GuardedOutput:
    """A text stream whose failed writes (a full disk: ENOSPC, EIO, EDQUOT, ...) raise
    `cannot_write` instead of an OSError that would end as an internal error. A reader that went
    away (BrokenPipeError) is left to the caller, which stops quietly. Anything else is the
    wrapped stream's: isatty, fileno, encoding, ..."""

    def __init__(self, stream: IO[str], target: str, what: str = "") -> None:
        self.stream = stream
        self.target = target
        self.what = what

    def _failed(self, error: OSError) -> OutputError:
        failure = cannot_write(self.target, error, self.what)
        failure.stream = self.stream  # type: ignore[attr-defined]
        return failure

    def write(self, text: str) -> int:
        try:
            return self.stream.write(text)
        except BrokenPipeError:
            raise
        except OSError as e:
            raise self._failed(e) from None

    def writelines(self, lines: Any) -> None:
        for line in lines:
            self.write(line)

    def flush(self) -> None:
        try:
            self.stream.flush()
        except BrokenPipeError:
            raise
        except OSError as e:
            raise self._failed(e) from None

    def close(self) -> None:
        try:
            self.stream.close()
        except BrokenPipeError:
            raise
        except OSError as e:
            raise self._failed(e) from None

    def __getattr__(self, name: str) -> Any:
        return getattr(self.stream, name)


def report_error(message: str) -> None:
    """Write an error message to stderr; a stderr that cannot take it (full, closed) leaves the
    exit code to say it, instead of a second error at exit."""
    try:
        sys.stderr.write(message)
        sys.stderr.flush()
    except (OSError, ValueError):
        try:  # what is still buffered would fail again when the interpreter exits
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stderr.fileno())
            os.close(devnull)
        except (OSError, ValueError, AttributeError):
            pass


def flush_standard_streams() -> None:
    """Flush stdout and stderr; a reader that went away or a closed stream is not an error here."""
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):
            pass


def release_standard_streams() -> None:
    """Point descriptors 0, 1 and 2 at /dev/null, so that whoever reads this process's pipes or
    waits for its terminal sees their end now, not when the process exits."""
    try:
        devnull = os.open(os.devnull, os.O_RDWR)
        for fd in (0, 1, 2):
            os.dup2(devnull, fd)
    except OSError:
        return
    if devnull > 2:
        os.close(devnull)

"""`hooklint ARGS` in-process through `hooklint.cli.main`, as the `hooklint` script runs it (its
error boundary included: a HooklintError is `Error: message` on stderr and its exit code)."""

from __future__ import annotations

import contextlib
import io
import sys
from dataclasses import dataclass

import pytest


@dataclass
class CliRun:
    exit_code: int
    stdout: str
    stderr: str
    output: str  # stdout and stderr interleaved, in the order they were written


class _Capture(io.StringIO):
    def __init__(self, both: list[str]) -> None:
        super().__init__()
        self._both = both

    def write(self, s: str) -> int:
        self._both.append(s)
        return super().write(s)


def run_cli(argv: list[str]) -> CliRun:
    """Run `hooklint ARGV` with an empty stdin; main() always ends in SystemExit."""
    from hooklint.cli import main

    both: list[str] = []
    out, err = _Capture(both), _Capture(both)
    saved_stdin = sys.stdin
    sys.stdin = io.TextIOWrapper(io.BytesIO(b""), encoding="utf-8")
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err), pytest.raises(SystemExit) as exit_info:
            main(list(argv))
    finally:
        sys.stdin = saved_stdin
    code = exit_info.value.code
    return CliRun(
        code if isinstance(code, int) else (0 if code is None else 1), out.getvalue(), err.getvalue(), "".join(both)
    )

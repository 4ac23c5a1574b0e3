"""Run hooklint's CLI in-process on hostile inputs and classify what went wrong.

Shared by the fuzz tests (`tests/fuzz/`) and the long-running fuzzer (`tools/fuzz_cli.py`).
A run is a *problem* when it exits 3 (internal error), prints a Python traceback, exits with a
code hooklint does not document, hangs past its time limit, or - when the case names the file at
fault - fails without naming that file.
"""

from __future__ import annotations

import contextlib
import io
import os
import signal
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

DOCUMENTED_EXIT_CODES = (0, 1, 2)


class CliTimeout(BaseException):
    """Raised by the alarm inside the CLI; a BaseException so no `except Exception` swallows it."""


@dataclass
class CliResult:
    argv: list[str]
    code: int | None
    stdout: str
    stderr: str
    seconds: float
    hung: bool = False
    escaped: str | None = None  # an exception that got past hooklint.cli.main

    @property
    def output(self) -> str:
        return self.stdout + self.stderr


@dataclass
class Problem:
    kind: str  # internal-error, traceback, bad-exit, hang, escaped, no-file
    detail: str


@dataclass
class Expect:
    """What a case promises beyond "no crash": `mentions` must appear in the output on failure."""

    mentions: tuple[str, ...] = ()
    codes: tuple[int, ...] = DOCUMENTED_EXIT_CODES
    notes: list[str] = field(default_factory=list)


def _on_alarm(signum: int, frame: object) -> None:
    raise CliTimeout()


@contextlib.contextmanager
def _alarm(seconds: float) -> Iterator[None]:
    previous = signal.signal(signal.SIGALRM, _on_alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


@contextlib.contextmanager
def _std_streams(stdin: bytes) -> Iterator[list[bytes]]:
    """Real text streams over bytes (code may use `.buffer`); yields [stdout, stderr] filled on exit."""
    out_bytes, err_bytes = io.BytesIO(), io.BytesIO()
    captured: list[bytes] = []
    saved = sys.stdin, sys.stdout, sys.stderr
    sys.stdin = io.TextIOWrapper(io.BytesIO(stdin), encoding="utf-8")
    sys.stdout = io.TextIOWrapper(out_bytes, encoding="utf-8", write_through=True)
    sys.stderr = io.TextIOWrapper(err_bytes, encoding="utf-8", write_through=True)
    try:
        yield captured
    finally:
        for stream in (sys.stdout, sys.stderr):
            with contextlib.suppress(Exception):
                stream.flush()
        captured += [out_bytes.getvalue(), err_bytes.getvalue()]
        sys.stdin, sys.stdout, sys.stderr = saved


@contextlib.contextmanager
def _cwd(path: Path | None) -> Iterator[None]:
    if path is None:
        yield
        return
    old = os.getcwd()
    os.chdir(path)
    try:
        yield
    finally:
        os.chdir(old)


def run_cli(argv: list[str], *, stdin: bytes = b"", timeout: float = 20.0, cwd: Path | None = None) -> CliResult:
    """`hooklint ARGV` in this process; never raises (except KeyboardInterrupt)."""
    from hooklint.cli import main

    code: int | None = None
    hung = False
    escaped: str | None = None
    start = time.monotonic()
    env_saved = {k: os.environ.get(k) for k in ("GITHUB_ACTIONS", "PRE_COMMIT", "NO_COLOR")}
    for k in env_saved:
        os.environ.pop(k, None)
    with _cwd(cwd), _std_streams(stdin) as captured:
        try:
            with _alarm(timeout):
                main(list(argv))
            code = 0
        except SystemExit as e:
            code = e.code if isinstance(e.code, int) else (0 if e.code is None else 1)
        except CliTimeout:
            hung = True
        except KeyboardInterrupt:
            raise
        except BaseException as e:  # noqa: BLE001 - anything past main() is a finding
            escaped = f"{type(e).__name__}: {e}"
    for k, v in env_saved.items():
        if v is not None:
            os.environ[k] = v
    return CliResult(
        argv=list(argv),
        code=code,
        stdout=captured[0].decode("utf-8", "replace"),
        stderr=captured[1].decode("utf-8", "replace"),
        seconds=time.monotonic() - start,
        hung=hung,
        escaped=escaped,
    )


def problems(result: CliResult, expect: Expect | None = None) -> list[Problem]:
    """Everything wrong with a run on hostile input (empty: it failed, or passed, cleanly)."""
    expect = expect or Expect()
    found: list[Problem] = []
    if result.hung:
        found.append(Problem("hang", f"no answer after {result.seconds:.1f}s"))
        return found
    if result.escaped:
        found.append(Problem("escaped", result.escaped))
    if result.code == 3:
        found.append(Problem("internal-error", _first_lines(result.stderr, 4)))
    elif result.code not in expect.codes:
        found.append(Problem("bad-exit", f"exit {result.code}: {_first_lines(result.stderr, 2)}"))
    if "Traceback (most recent call last)" in result.output:
        found.append(Problem("traceback", _first_lines(result.output, 3)))
    if expect.mentions and result.code not in (0, 3, None):
        missing = [m for m in expect.mentions if m not in result.output]
        if missing:
            found.append(Problem("no-file", f"does not name {missing}: {_first_lines(result.output, 3)}"))
    return found


def _first_lines(text: str, n: int) -> str:
    return " | ".join(text.strip().splitlines()[:n])[:600]

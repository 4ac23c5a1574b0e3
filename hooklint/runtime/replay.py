"""Replaying a command whose inputs have not changed: `hooklint render`, `plan` and `lint` print
the same bytes for the same inputs, so a run that finds the stored result of an identical
earlier run prints that instead of loading and rendering the chart again (the way ccache or
ruff's cache work).

The key (hooklint.runtime.cache.KeyBuilder) covers everything the output depends on:
  - hooklint's code (the cache's code fingerprint) and the command with all its arguments;
  - the working directory, `TZ` and the system time zone (dates print in local time);
  - the content of every input the command names: the whole chart tree (every file, so a new
    template or a changed `.helmignore` is a miss), values files, `--set-file` files, the
    `--lookup-data` snapshot and `--rendered` input.
A run that calls a volatile template function (clock, randomness, DNS: see
gotypes.VOLATILE_FUNCS) stores nothing, since Helm would print something new each time; nor does
a run that fails with an internal error or is interrupted. Chart errors are stored like output:
they are as deterministic as it is.

Inputs found only while running (the configuration file discovered above a chart, the values
files it names) are recorded with `depends_on(path)`: the entry keeps their digests, and a later
run replays only if every one still matches (the way ccache's direct mode records headers).

`--no-cache` / `HOOKLINT_NO_CACHE=1` turns this off. Stored entries are marshal data written by
hooklint itself into the user's cache directory (the same trust as Python's own .pyc files).
"""

from __future__ import annotations

import io
import marshal
import os
import sys

from hooklint.errors import HooklintError, OutputError
from hooklint.runtime import cache, streams

TYPE_CHECKING = False  # not `typing`'s: a replayed run must start fast
if TYPE_CHECKING:
    from collections.abc import Callable, Sequence
    from typing import Any

BUCKET = "replay"
# A run printing more than this is not stored (it would crowd out everything else).
MAX_STORED_CHARS = 32 << 20
_FORMAT = 4
# The files the current recorded run depends on beyond its key, and the output files it wrote
# (None: not recording).
_recording: dict[str, str] | None = None
_written: list[tuple[str, str, str]] | None = None


def depends_on(path: str | os.PathLike[str]) -> None:
    """Record that the output of the running command depends on this file's content (or on
    its absence). A no-op outside a recorded run."""
    if _recording is not None:
        name = os.path.abspath(path)
        if name not in _recording:
            _recording[name] = cache.file_digest(name)


def _volatile_calls() -> int:
    # Read without importing the engine: if it was never imported, nothing volatile ran.
    gotypes = sys.modules.get("hooklint.gotemplate.gotypes")
    return getattr(gotypes, "volatile_calls", 0)


def key_for(command: str, argv: Sequence[str], trees: Sequence[str], files: Sequence[str],
            prune: frozenset[str] = frozenset()) -> str | None:
    """The replay key of a run, or None when caching is off or the inputs are too big to hash."""
    if cache.cache_root() is None:
        return None
    kb = cache.KeyBuilder(BUCKET)
    kb.add_str(command)
    kb.add_str(str(len(argv)))
    for arg in argv:
        kb.add_str(arg)
    kb.add_environment()
    for tree in trees:
        kb.add_str(tree)
        kb.add_tree(tree, prune)
    for path in files:
        kb.add_str(path)
        kb.add_file(path)
    return None if kb.too_big else kb.hexdigest()


def settings_of(options: dict[str, object]) -> list[str]:
    """A command's parsed options as key strings: `name=repr(value)` in name order (unambiguous,
    unlike the options' values laid end to end), and the default Helm version: another helm on
    PATH changes what a command without --helm-version does, so it must not replay this answer."""
    from hooklint.runtime.default_helm import default_helm

    return [f"{name}={value!r}" for name, value in sorted(options.items())] + [f"default-helm={default_helm().text}"]


def set_file_paths(set_file: Sequence[str]) -> list[str] | None:
    """The files `--set-file key=path[,key=path]` expressions read, or None when a path cannot
    be told from its expression (Helm's escapes, a missing file): such a run is not replayed."""
    files = []
    for item in set_file:
        for part in item.split(","):
            path = part.partition("=")[2]
            if "\\" in item or not path or not os.path.isfile(path):
                return None
            files.append(path)
    return files


class _Tee(io.TextIOBase):
    """Writes through to the real stream (output stays live: progress, pipes) and keeps a copy;
    answers isatty() like the real stream, so colour and progress decisions do not change."""

    def __init__(self, real: Any) -> None:
        self.real = real
        self.parts: list[str] = []

    def write(self, s: str) -> int:
        self.parts.append(s)
        return self.real.write(s)  # type: ignore[no-any-return]

    def flush(self) -> None:
        self.real.flush()

    def isatty(self) -> bool:
        return bool(self.real.isatty())

    def fileno(self) -> int:
        return self.real.fileno()  # type: ignore[no-any-return]

    @property
    def encoding(self) -> str:  # type: ignore[override]
        return getattr(self.real, "encoding", "utf-8") or "utf-8"

    def text(self) -> str:
        return "".join(self.parts)


def write_text(path: str, text: str, what: str = "") -> None:
    """Write an output file of the command (`--output`), recorded so that a replay writes it too.
    A failure is streams.cannot_write's error: `<what>cannot write <path>: <reason>`."""
    try:
        with open(path, "w", encoding="utf-8") as f:
            f.write(text)
    except OSError as e:
        raise streams.cannot_write(path, e, what) from None
    if _written is not None:
        _written.append((path, text, what))


class _Replayed(HooklintError):
    """A stored chart error, raised again so that the CLI reports it exactly as the first time."""


def run(command: str, argv: Sequence[str], trees: Sequence[str], files: Sequence[str],
        body: Callable[[], int | None], prune: frozenset[str] = frozenset()) -> int:
    """Run `body` (which writes the command's output to sys.stdout and sys.stderr, output files
    with `write_text`, returns an exit code or None for 0, and may raise HooklintError), or replay
    the stored result of an identical earlier run. Returns the exit code. `prune`: directory
    names outside charts that the command never reads (KeyBuilder.add_tree)."""
    key = key_for(command, argv, trees, files, prune)
    if key is None:
        return body() or 0
    global _recording, _written
    entry = _load(key)
    if entry is not None:
        code, stored_out, stored_err, message, written = entry
        for path, text, what in written:
            write_text(path, text, what)
        sys.stdout.write(stored_out)
        sys.stderr.write(stored_err)
        if message is not None:
            error = _Replayed(message)
            error.exit_code = code
            raise error
        return code
    before = _volatile_calls()
    real_out, real_err = sys.stdout, sys.stderr
    out, err = _Tee(real_out), _Tee(real_err)
    sys.stdout, sys.stderr = out, err  # type: ignore[assignment]
    failure: HooklintError | None = None
    deps: dict[str, str] = {}
    files_written: list[tuple[str, str, str]] = []
    _recording, _written = deps, files_written
    code = 0
    try:
        code = body() or 0
    except HooklintError as e:
        failure = e
    finally:
        _recording = _written = None
        sys.stdout, sys.stderr = real_out, real_err
    out_text, err_text = out.text(), err.text()
    size = len(out_text) + len(err_text) + sum(len(text) for _, text, _ in files_written)
    # a failed write (a full disk) says nothing about the inputs: never replayed
    if _volatile_calls() == before and size <= MAX_STORED_CHARS and not isinstance(failure, OutputError):
        record = (_FORMAT, failure.exit_code if failure else code, out_text, err_text,
                  failure.message if failure else None, sorted(deps.items()), files_written)
        cache.store(BUCKET, key, marshal.dumps(record))
    if failure is not None:
        raise failure
    return code


def _load(key: str) -> tuple[int, str, str, str | None, list[tuple[str, str, str]]] | None:
    data = cache.load(BUCKET, key)
    if data is None:
        return None
    try:
        record = marshal.loads(data)
        fmt, code, out, err, message, deps, written = record
        if fmt != _FORMAT or not isinstance(code, int) or not isinstance(out, str) or not isinstance(err, str):
            return None
        if message is not None and not isinstance(message, str):
            return None
        for path, digest in deps:
            if cache.file_digest(path) != digest:
                return None  # a file found while running has changed: run again
        written = [(str(path), str(text), str(what)) for path, text, what in written]
    except (EOFError, ValueError, TypeError):
        return None  # a damaged entry is a miss
    return code, out, err, message, written

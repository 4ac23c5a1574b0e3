"""Replaying a command whose inputs have not changed: `hooklint render` prints the same bytes for
the same inputs, so a run that finds the stored result of an identical earlier run prints that
instead of loading and rendering the chart again (the way ccache or ruff's cache work).

The key (hooklint.cache.KeyBuilder) covers everything the output depends on:
  - hooklint's code (the cache's code fingerprint) and the command with all its arguments;
  - the working directory, `TZ` and the system time zone (dates print in local time);
  - the content of every input the command names: the whole chart tree (every file, so a new
    template or a changed `.helmignore` is a miss), values files, `--set-file` files and the
    `--lookup-data` snapshot.
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
from collections.abc import Callable, Sequence

from hooklint import cache
from hooklint.errors import HooklintError

BUCKET = "replay"
_FORMAT = 2
# The files the current recorded run depends on beyond its key (None: not recording).
_recording: dict[str, str] | None = None


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


def key_for(command: str, argv: Sequence[str], trees: Sequence[str], files: Sequence[str]) -> str | None:
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
        kb.add_tree(tree)
    for path in files:
        kb.add_str(path)
        kb.add_file(path)
    return None if kb.too_big else kb.hexdigest()


class _Replayed(HooklintError):
    """A stored chart error, raised again so that the CLI reports it exactly as the first time."""


def run(command: str, argv: Sequence[str], trees: Sequence[str], files: Sequence[str],
        body: Callable[[], None]) -> None:
    """Run `body` (which writes the command's output to sys.stdout and sys.stderr and may raise
    HooklintError), or replay the stored result of an identical earlier run."""
    key = key_for(command, argv, trees, files)
    if key is None:
        body()
        return
    global _recording
    entry = _load(key)
    if entry is not None:
        code, stored_out, stored_err, message = entry
        sys.stdout.write(stored_out)
        sys.stderr.write(stored_err)
        if message is not None:
            error = _Replayed(message)
            error.exit_code = code
            raise error
        return
    before = _volatile_calls()
    real_out, real_err = sys.stdout, sys.stderr
    out, err = io.StringIO(), io.StringIO()
    sys.stdout, sys.stderr = out, err
    failure: HooklintError | None = None
    deps: dict[str, str] = {}
    _recording = deps
    try:
        body()
    except HooklintError as e:
        failure = e
    finally:
        _recording = None
        sys.stdout, sys.stderr = real_out, real_err
        # what the run printed, even when it ends with an internal error or Ctrl-C
        real_out.write(out.getvalue())
        real_err.write(err.getvalue())
    if _volatile_calls() == before:
        record = (_FORMAT, failure.exit_code if failure else 0, out.getvalue(), err.getvalue(),
                  failure.message if failure else None, sorted(deps.items()))
        cache.store(BUCKET, key, marshal.dumps(record))
    if failure is not None:
        raise failure


def _load(key: str) -> tuple[int, str, str, str | None] | None:
    data = cache.load(BUCKET, key)
    if data is None:
        return None
    try:
        record = marshal.loads(data)
        fmt, code, out, err, message, deps = record
        if fmt != _FORMAT or not isinstance(code, int) or not isinstance(out, str) or not isinstance(err, str):
            return None
        if message is not None and not isinstance(message, str):
            return None
        for path, digest in deps:
            if cache.file_digest(path) != digest:
                return None  # a file found while running has changed: run again
    except (EOFError, ValueError, TypeError):
        return None  # a damaged entry is a miss
    return code, out, err, message

"""The process's standard streams, for a process that keeps working after its output is out (the
cache's writer, a server's worker): flushed, then let go of, neither ever failing.

On the start-up path of every command: built-in modules only."""

from __future__ import annotations

import os
import sys


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

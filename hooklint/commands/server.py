"""`hooklint server start|status|stop`: the background server that saves runs Python's start-up
(see hooklint/runtime/client.py)."""

from __future__ import annotations

import enum
import sys
import time
from typing import TYPE_CHECKING, Annotated

from hooklint.errors import HooklintError, UsageError
from hooklint.runtime import client

if TYPE_CHECKING:
    import typer


EXIT_NOT_RUNNING = 1
_WAIT_SECONDS = 30.0


class Action(str, enum.Enum):
    start = "start"
    status = "status"
    stop = "stop"


def register(app: typer.Typer) -> None:
    from hooklint.commands import params

    params.command(app, "server", run,
                   help="Start, show or stop the background server that runs hooklint commands without "
                          "Python's start-up cost (see README, Caching and speed).")


def run(action: Annotated[Action, typer.Argument(
        help="start: start one and wait until it answers; status: show it (exit 1 when none runs); stop: stop it.",
        show_default=False)]) -> int:
    action = Action(action).value  # type: ignore[assignment]
    from hooklint.runtime import server

    if not client.server_enabled():
        if action == "start":
            raise UsageError("the server is turned off here (HOOKLINT_NO_SERVER is set, or this "
                             "platform has no fork or Unix sockets)")
        print("no server: turned off (HOOKLINT_NO_SERVER) or not supported on this platform")
        return EXIT_NOT_RUNNING if action == "status" else 0
    path = client.socket_path()
    if path is None:
        raise UsageError("no usable folder for the server's socket: it must be yours, private (mode "
                         "0700) and have a short path (a Unix socket path holds about 100 bytes); "
                         "set HOOKLINT_SERVER_DIR to such a folder")
    if action == "status":
        answer = server.request(path, client.STATUS)
        sys.stdout.write(answer if answer is not None else f"no server running (socket {path})\n")
        return 0 if answer is not None else EXIT_NOT_RUNNING
    if action == "stop":
        if server.request(path, client.STATUS) is None and server.starting(path):
            _wait_for_status(path, running=True)  # the one a run just started: stop it too
        answer = server.request(path, client.STOP)
        if answer is not None and _wait_for_status(path, running=False) is not None:
            raise HooklintError(f"the server did not stop within {_WAIT_SECONDS:.0f} s (socket {path})")
        sys.stdout.write(f"{answer}\n" if answer is not None else "no server was running\n")
        return 0
    answer = server.request(path, client.STATUS)
    if answer is None:
        client.start_server(path)
        answer = _wait_for_status(path, running=True)
    if answer is None:
        raise HooklintError(f"the server did not start within {_WAIT_SECONDS:.0f} s "
                            f"(socket {path}); runs go on without it")
    sys.stdout.write(answer)
    return 0


def _wait_for_status(path: str, running: bool) -> str | None:
    """Ask for the status until a server answers (`running`) or none does, at most
    _WAIT_SECONDS; the last answer."""
    from hooklint.runtime import server

    deadline = time.monotonic() + _WAIT_SECONDS
    while True:
        answer = server.request(path, client.STATUS)
        if (answer is not None) == running or time.monotonic() > deadline:
            return answer
        time.sleep(0.05)

"""The `hooklint` command's entry point: hand the run to a waiting server, or run it here.

Most of a short run's time is Python importing hooklint (about 70 ms before a small chart's
first template is read, against 40-50 ms for a whole `helm template`). A server process
(`hooklint/runtime/server.py`) imports everything once and waits on a Unix socket; for each run it forks
a worker that takes this process's arguments, working directory, environment, umask and its
stdin, stdout and stderr file descriptors, runs `hooklint.cli.main` exactly as this process
would, and reports the exit code, which this process exits with. The worker is a copy of a
process that has only imported modules, so a run sees the same state as a fresh process.

Without a server (the first run, `HOOKLINT_NO_SERVER=1`, a platform without fork or Unix
sockets, a server of other code), the run happens in this process, as it always did; the first
such run starts a server in the background for the next ones, except in a CI job (`CI` set),
where only `hooklint server start` starts one. Servers exit after
`HOOKLINT_SERVER_IDLE` seconds (default 900) without a run, or with `hooklint server stop`.

This module runs before anything else on every invocation: it imports only built-in modules.
"""

from __future__ import annotations

import marshal
import os
import sys

import hooklint

PROTOCOL = 1
# Request kinds (first byte after the magic): run a command, report status, stop.
RUN, STATUS, STOP = b"R", b"S", b"Q"
# Reply tags: the worker's pid, its exit code, a status report, "stale code: run it yourself".
REPLY_PID, REPLY_EXIT, REPLY_STATUS, REPLY_STALE = b"P", b"X", b"T", b"O"
MAGIC = b"HL"
HEADER_SIZE = 8  # MAGIC, protocol, kind, payload length (4 bytes, big endian)
DEFAULT_IDLE_SECONDS = 900
_MAX_SOCKET_PATH = 100  # sun_path holds 104-108 bytes depending on the platform
_FORWARDED_SIGNALS = ("SIGINT", "SIGTERM", "SIGHUP")
# The server imports from exactly the client's import path (not `-m`'s, which starts with the
# working directory), passed after the socket path.
_SERVER_BOOTSTRAP = "import sys; sys.path[:] = sys.argv[2:]; from hooklint.runtime.server import main; sys.exit(main(sys.argv[1:]))"


def server_enabled() -> bool:
    """Whether runs may go through a server at all."""
    if os.environ.get("HOOKLINT_NO_SERVER", "") not in ("", "0"):
        return False
    import _socket

    return hasattr(os, "fork") and hasattr(_socket, "AF_UNIX") and hasattr(_socket.socket, "sendmsg")


def in_ci() -> bool:
    """Whether this runs in a CI job (`CI` set, as every CI service sets it): a job is one short
    session on a fresh machine, where a server left behind would only outlive the job's steps."""
    return os.environ.get("CI", "").lower() not in ("", "0", "false")


def server_dir() -> str | None:
    """The private directory holding this user's server sockets (created 0700), or None when it
    cannot be made private: another user could then talk to, or pose as, the server."""
    explicit = os.environ.get("HOOKLINT_SERVER_DIR")
    if explicit:
        folder = explicit
    elif os.environ.get("XDG_RUNTIME_DIR"):
        folder = os.path.join(os.environ["XDG_RUNTIME_DIR"], "hooklint")
    else:
        folder = os.path.join(os.environ.get("TMPDIR") or "/tmp", f"hooklint-{os.getuid()}")
    try:
        os.makedirs(folder, mode=0o700, exist_ok=True)
        st = os.lstat(folder)
    except OSError:
        return None
    import stat

    if not stat.S_ISDIR(st.st_mode) or st.st_uid != os.getuid() or st.st_mode & 0o077:
        return None
    return folder


def socket_path() -> str | None:
    """The socket of the server for this exact installation: one Python, one import path, one
    hooklint package, one text encoding set-up. A server also checks, on every run, that
    hooklint's files have not changed since it started (cache.code_fingerprint)."""
    folder = server_dir()
    if folder is None:
        return None
    try:
        from _blake2 import blake2b
    except ImportError:  # pragma: no cover - other interpreters
        from hashlib import blake2b
    identity = "\0".join([
        hooklint.__version__, sys.version, sys.executable, os.path.dirname(hooklint.__file__),
        *sys.path, sys.getfilesystemencoding(), str(sys.flags.utf8_mode), str(PROTOCOL),
    ])
    path = os.path.join(folder, blake2b(identity.encode("utf-8", "surrogateescape"), digest_size=8).hexdigest() + ".sock")
    return path if len(path.encode("utf-8", "surrogateescape")) <= _MAX_SOCKET_PATH else None


def frame(kind: bytes, payload: bytes) -> bytes:
    return MAGIC + bytes([PROTOCOL]) + kind + len(payload).to_bytes(4, "big") + payload


def connect(path: str):  # type: ignore[no-untyped-def]  # -> _socket.socket; no typing import here
    """A connected socket to the server at `path`; OSError when there is none."""
    import _socket

    sock = _socket.socket(_socket.AF_UNIX, _socket.SOCK_STREAM)
    try:
        sock.connect(path)
    except OSError:
        sock.close()
        raise
    return sock


def recv_exact(sock, size: int) -> bytes:  # type: ignore[no-untyped-def]
    """`size` bytes, or fewer when the peer closed the connection."""
    chunks = []
    while size:
        chunk = sock.recv(size)
        if not chunk:
            break
        chunks.append(chunk)
        size -= len(chunk)
    return b"".join(chunks)


def _stream_settings(stream: object) -> tuple[str, str, bool, bool] | None:
    try:
        return (stream.encoding, stream.errors, stream.line_buffering, stream.write_through)  # type: ignore[attr-defined]
    except AttributeError:  # replaced by something that is not a text stream
        return None


def _run_on_server(args: list[str]) -> int | None:
    """Run `args` through the server; its exit code, or None when this process must run them."""
    path = socket_path()
    if path is None:
        return None
    for fd in (0, 1, 2):
        try:
            os.fstat(fd)
        except OSError:  # a closed standard stream: nothing to hand over
            return None
    try:
        sock = connect(path)
    except OSError:
        if not in_ci():  # a CI job's runs use a server only when the job started one
            start_server(path)
        return None
    try:
        return _converse(sock, args, path)
    finally:
        sock.close()


def _converse(sock, args: list[str], path: str) -> int | None:  # type: ignore[no-untyped-def]
    import _socket

    try:
        cwd = os.getcwd()
    except OSError:  # a deleted working directory: let the run here report what it can
        return None
    request = marshal.dumps({
        "argv": [sys.argv[0], *args],
        "cwd": cwd,
        "env": dict(os.environ),
        "umask": _current_umask(),
        "streams": [_stream_settings(s) for s in (sys.stdin, sys.stdout, sys.stderr)],
    })
    data = frame(RUN, request)
    # SCM_RIGHTS takes C ints; array.array would import collections (about 1.5 ms of every run)
    fds = b"".join(fd.to_bytes(4, sys.byteorder) for fd in (0, 1, 2))
    try:
        sent = sock.sendmsg([data], [(_socket.SOL_SOCKET, _socket.SCM_RIGHTS, fds)])
        while sent < len(data):
            sent += sock.send(data[sent:])
        tag = recv_exact(sock, 5)
    except OSError:
        return None
    if len(tag) < 5 or tag[:1] != REPLY_PID:  # stale code, or a server going away: run here
        if tag[:1] == REPLY_STALE:
            start_server(path)
        return None
    worker = int.from_bytes(tag[1:5], "big")
    _forward_signals_to(worker)
    try:
        reply = recv_exact(sock, 5)
    except OSError:
        reply = b""
    if len(reply) == 5 and reply[:1] == REPLY_EXIT:
        return int.from_bytes(reply[1:5], "big", signed=True)
    # The worker died without reporting (killed): say so, as a shell would see a signal.
    sys.stderr.write("hooklint: the run ended without an exit status (its server process was killed)\n")
    return 3


def _current_umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def _forward_signals_to(pid: int) -> None:
    """Ctrl-C and termination reach this process (the terminal's foreground): pass them on."""
    import _signal

    def forward(signum: int, frame: object) -> None:
        try:
            os.kill(pid, signum)
        except OSError:
            pass

    for name in _FORWARDED_SIGNALS:
        signum = getattr(_signal, name, None)
        if signum is not None:
            _signal.signal(signum, forward)


def start_server(path: str) -> None:
    """Start a server for `path` in the background, detached from this process's terminal,
    session and streams. Several runs may race to start one; the server takes a lock first."""
    if not hasattr(os, "posix_spawn"):
        return
    try:
        os.posix_spawn(
            sys.executable,
            [sys.executable, "-c", _SERVER_BOOTSTRAP, path, *sys.path],
            os.environ,
            file_actions=[
                (os.POSIX_SPAWN_OPEN, 0, os.devnull, os.O_RDWR, 0),
                (os.POSIX_SPAWN_DUP2, 0, 1),
                (os.POSIX_SPAWN_DUP2, 0, 2),
            ],
            setsid=True,
        )
    except (OSError, TypeError, ValueError):  # TypeError: a platform without setsid
        pass


def main() -> None:
    args = sys.argv[1:]
    if args == ["--version"]:  # pre-commit and scripts ask this often: answer without anything else
        sys.stdout.write(f"hooklint {hooklint.__version__}\n")
        sys.exit(0)
    if args[:1] != ["server"] and server_enabled():
        code = _run_on_server(args)
        if code is not None:
            sys.exit(code)
    from hooklint.cli import main as run_here

    try:
        run_here()
    finally:
        exit_without_collecting()


def exit_without_collecting() -> None:
    """Called as this process ends: the interpreter's exit runs full garbage collections over
    every object the run made, about a tenth of a small chart's whole run. Freezing them first
    (gc.freeze: they leave the collector's generations) skips that work; the process ends
    anyway, and streams are still flushed and atexit handlers still run."""
    import gc

    gc.freeze()

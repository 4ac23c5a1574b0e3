"""The server behind `hooklint/runtime/client.py`: imports hooklint once, then hands each run to a
forked worker.

`python -c BOOTSTRAP SOCKET PATH...` is started by the client; it
1. takes a lock next to the socket (runs racing to start a server start one),
2. imports every module a run may need and runs the commands once on a small chart of its own,
   then freezes those objects out of the cyclic GC so workers neither copy nor rescan them,
3. publishes its socket atomically and serves runs until `HOOKLINT_SERVER_IDLE` seconds
   (default 900) pass without one, `hooklint server stop`, its socket is removed, or hooklint's
   files change.

Workers are forked ahead of runs (Server.POOL_SIZE wait in accept()). The one that takes a run
adopts the client's standard streams, working directory, environment, time zone and umask, runs
`hooklint.cli.main`, sends the exit code back and exits: nothing a run does reaches the server
or another run.
"""

from __future__ import annotations

import fcntl
import gc
import importlib
import io
import marshal
import mmap
import os
import pkgutil
import select
import signal
import socket
import sys
import threading
import time

import hooklint
from hooklint import cli
from hooklint.gotemplate import parse_cache
from hooklint.gotemplate.sprig import dates as go_dates
from hooklint.runtime import cache, client, streams

# Modules a worker should find imported. Every hooklint module, plus the libraries some commands
# import on first use (jsonschema alone takes about 50 ms).
_LIBRARIES = ("yaml", "jsonschema", "jsonschema.validators", "referencing", "re2", "jinja2",
              "concurrent.futures", "hashlib", "json", "difflib", "subprocess", "tempfile", "tarfile")
# Never imported by the server: the server itself stays free of a cluster client's threads.
_SKIPPED_PREFIXES = ("hooklint.backends.kubernetes", "hooklint.runtime.server", "hooklint.__main__")
_HEADER_TIMEOUT_SECONDS = 5.0
_LOCK_WAIT_SECONDS = 3.0
# The lock that makes this the only server of its socket; workers close their copy.
_lock_fd: int | None = None


def _idle_seconds() -> float:
    try:
        return max(1.0, float(os.environ.get("HOOKLINT_SERVER_IDLE", client.DEFAULT_IDLE_SECONDS)))
    except ValueError:
        return float(client.DEFAULT_IDLE_SECONDS)


def warm_up() -> None:
    """Import what runs use. A module that fails to import is left for the worker to fail on,
    with the error a run without server would give."""
    for info in pkgutil.walk_packages(hooklint.__path__, "hooklint."):
        if info.name.startswith(_SKIPPED_PREFIXES):
            continue
        try:
            importlib.import_module(info.name)
        except Exception:  # noqa: BLE001 - see above
            pass
    for name in _LIBRARIES:
        try:
            importlib.import_module(name)
        except Exception:  # noqa: BLE001 - an optional library that is not installed
            pass


# A small chart in the patterns of real ones, run through the commands once at start-up so that
# what a run builds on first use (regular expressions compiled on demand, parsed rule catalogue,
# lookup tables) is built in the server, once. It lives in a fresh temporary folder, so nothing
# kept from it can ever answer for a user's files.
_WARM_UP_CHART = {
    "Chart.yaml": "apiVersion: v2\nname: warm\nversion: 1.2.3\nappVersion: \"4.5\"\n"
                  "kubeVersion: \">=1.20.0-0\"\ndependencies: []\n",
    "values.yaml": "image:\n  repository: nginx\n  tag: \"\"\nreplicas: 2\nlabels: {tier: web}\n"
                   "env: [{name: A, value: \"1\"}]\nmigrate: {enabled: true, weight: \"-5\"}\n",
    "values.schema.json": '{"$schema": "http://json-schema.org/draft-07/schema#", "type": "object", '
                          '"properties": {"replicas": {"type": "integer", "minimum": 0}}}',
    # `helm create`'s .helmignore, which most charts keep (bitnami's adds the last lines): each
    # pattern is compiled once, here, not in every run
    ".helmignore": ".DS_Store\n.git/\n.gitignore\n.bzr/\n.bzrignore\n.hg/\n.hgignore\n.svn/\n*.swp\n"
                   "*.bak\n*.tmp\n*.orig\n*~\n.project\n.idea/\n*.tmproj\n.vscode/\nimg/\nCHANGELOG.md\n",
    "templates/_helpers.tpl": (
        '{{- define "warm.fullname" -}}{{- printf "%s-%s" .Release.Name .Chart.Name | trunc 63 '
        '| trimSuffix "-" -}}{{- end -}}\n'
        '{{- define "warm.labels" -}}app.kubernetes.io/name: {{ .Chart.Name | quote }}\n'
        '{{- range $k, $v := .Values.labels }}\n{{ $k }}: {{ $v | quote }}{{- end }}{{- end -}}\n'),
    "templates/deployment.yaml": (
        'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: {{ include "warm.fullname" . }}\n'
        '  labels:\n    {{- include "warm.labels" . | nindent 4 }}\nspec:\n'
        '  replicas: {{ .Values.replicas | default 1 }}\n  template:\n    spec:\n      containers:\n'
        '        - name: app\n          image: "{{ .Values.image.repository }}:'
        '{{ .Values.image.tag | default .Chart.AppVersion }}"\n'
        '          env: {{- toYaml .Values.env | nindent 12 }}\n'
        '{{- if semverCompare ">=1.21-0" .Capabilities.KubeVersion.Version }}\n'
        '          args: [{{ tpl "{{ .Release.Namespace }}" . | quote }}, {{ b64enc "x" | quote }}, '
        '{{ toJson .Values.labels | squote }}, {{ regexReplaceAll "a+" "aa" "b" | quote }}]\n{{- end }}\n'),
    "templates/job.yaml": (
        '{{- if .Values.migrate.enabled }}\napiVersion: batch/v1\nkind: Job\nmetadata:\n'
        '  name: {{ include "warm.fullname" . }}-migrate\n  annotations:\n'
        '    "helm.sh/hook": pre-install,pre-upgrade\n'
        '    "helm.sh/hook-weight": {{ .Values.migrate.weight | quote }}\n'
        '    "helm.sh/hook-delete-policy": before-hook-creation,hook-succeeded\nspec:\n'
        '  backoffLimit: 1\n  template:\n    spec:\n      restartPolicy: Never\n      containers:\n'
        '        - name: migrate\n          image: busybox\n{{- end }}\n'),
    "templates/service.yaml": (
        'apiVersion: v1\nkind: Service\nmetadata:\n  name: {{ include "warm.fullname" . }}\n'
        'spec:\n  ports:\n    - port: 80\n'),
    "templates/NOTES.txt": "Installed {{ .Release.Name }}.\n",
}
_WARM_UP_RUNS = (("render",), ("render", "--is-upgrade", "--include-crds"), ("lint",),
                 ("lint", "-o", "sarif"), ("plan",))


def _warm_up_runs() -> None:
    """Run the commands once on _WARM_UP_CHART, caches off, output discarded; then put back
    everything a run may change in the process (environment, working directory, streams)."""
    import tempfile

    from hooklint.gotemplate import gotypes
    from hooklint.runtime import replay

    saved_env, saved_cwd = dict(os.environ), os.getcwd()
    saved_streams = (sys.stdin, sys.stdout, sys.stderr)
    threshold = gc.get_threshold()
    devnull = open(os.devnull, "w", encoding="utf-8")  # noqa: SIM115 - closed below
    try:
        with tempfile.TemporaryDirectory(prefix="hooklint-warm-up-") as folder:
            chart = os.path.join(folder, "warm")
            for name, text in _WARM_UP_CHART.items():
                path = os.path.join(chart, name)
                os.makedirs(os.path.dirname(path), exist_ok=True)
                with open(path, "w", encoding="utf-8") as f:
                    f.write(text)
            os.chdir(folder)
            os.environ["HOOKLINT_NO_CACHE"] = "1"
            sys.stdout = sys.stderr = devnull
            for args in _WARM_UP_RUNS:
                try:
                    cli.main([*args, chart])
                except SystemExit:
                    pass
                except Exception:  # noqa: BLE001 - warming up is only ever an optimisation
                    pass
    finally:
        devnull.close()
        sys.stdin, sys.stdout, sys.stderr = saved_streams
        os.chdir(saved_cwd)
        os.environ.clear()
        os.environ.update(saved_env)
        gc.set_threshold(*threshold)
        cache._deferred = None
        replay._recording = replay._written = None
        gotypes.volatile_calls = 0


class CodeWatch:
    """Tells whether hooklint's code or data changed since the server started: a stat of every
    file and folder cache.code_files lists (about 0.5 ms; hashing them all, as
    cache.code_fingerprint does, costs four times that on every run)."""

    def __init__(self) -> None:
        folders, files = cache.code_files()
        self.paths = folders + files
        self.stamps = cache.stamps(self.paths)

    def changed(self) -> bool:
        return cache.stamps(self.paths) != self.stamps


class Server:
    """The parent process: owns the socket and keeps POOL_SIZE workers forked and waiting.

    Forking a process of this size takes several milliseconds here, so it happens ahead of a
    run: idle workers wait in accept() on the shared socket; the one that takes a connection
    tells the parent (a 5-byte message on a pipe), which forks its replacement."""

    POOL_SIZE = 2
    _TICK_SECONDS = 1.0  # how often parent and idle workers look for each other's death

    def __init__(self, path: str, code: CodeWatch) -> None:
        self.path = path
        self.started = time.time()
        self.idle = _idle_seconds()
        self.code = code
        self.listener: socket.socket | None = None
        self.inode: tuple[int, int] | None = None
        self.idle_workers: set[int] = set()
        self.busy_workers: set[int] = set()
        self.stopping = False  # `hooklint server stop` or SIGTERM: no worker may outlive it
        # Idle workers forked before the last parsed templates were taken in: they exit as
        # soon as they see the write end of their generation's pipe closed (or, when a
        # connection came first, serve one more run without those templates).
        self.retiring_workers: set[int] = set()
        self.generation_r, self.generation_w = os.pipe()
        # Runs served, shared with the workers (they count, the parent reports).
        self.counter = mmap.mmap(-1, 8)
        # Each worker's pipe for its report of the parsed templates its run used, and the
        # bytes read from it so far; reports waiting for no run to be going on.
        self.reports: dict[int, bytearray] = {}
        self.pending_entries: list[tuple[str, bytes]] = []
        self.report_w = -1
        self.messages_r, self.messages_w = os.pipe()
        self.wake_fds = os.pipe()

    def publish(self) -> None:
        """Bind a fresh socket and move it over `path` (a dead server's socket included)."""
        tmp = f"{self.path}.{os.getpid()}.tmp"
        listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        listener.bind(tmp)
        os.chmod(tmp, 0o600)
        listener.listen(64)
        listener.settimeout(self._TICK_SECONDS)
        os.replace(tmp, self.path)
        st = os.stat(self.path)
        self.inode = (st.st_dev, st.st_ino)
        self.listener = listener

    def unpublish(self) -> None:
        """Remove the socket if it is still this server's (a newer server may have replaced it)."""
        if self._still_published():
            try:
                os.unlink(self.path)
            except OSError:
                pass

    def _still_published(self) -> bool:
        """False once the socket was removed or replaced (its folder deleted, a newer server)."""
        try:
            st = os.stat(self.path)
        except OSError:
            return False
        return (st.st_dev, st.st_ino) == self.inode

    def runs(self) -> int:
        return int.from_bytes(self.counter[:8], "little")

    def serve(self) -> None:
        """Keep workers waiting until idle too long, stopped, unpublished, or hooklint's files
        changed. A run's replacement worker is forked once no run is going on (forking competes
        with the run for the CPU), or at once when no worker is left waiting."""
        wake_r, wake_w = self.wake_fds
        os.set_blocking(wake_w, False)
        signal.set_wakeup_fd(wake_w)  # a worker's exit wakes the loop below
        signal.signal(signal.SIGCHLD, lambda *_: None)
        last_run = time.monotonic()
        try:
            while True:
                self._reap()
                if self.pending_entries and not self.busy_workers:
                    self._take_in_parses()
                if not self.idle_workers or not self.busy_workers:
                    while len(self.idle_workers) < self.POOL_SIZE:
                        self._fork_worker()
                        if self.busy_workers:
                            break
                ready, _, _ = select.select([self.messages_r, wake_r, *self.reports], [], [], self._TICK_SECONDS)
                if wake_r in ready:
                    os.read(wake_r, 512)
                for fd in ready:
                    if fd in self.reports:
                        self._read_report(fd)
                if self.messages_r in ready:
                    data = os.read(self.messages_r, 5 * 64)
                    for i in range(0, len(data) - 4, 5):
                        tag, pid = data[i:i + 1], int.from_bytes(data[i + 1:i + 5], "big")
                        if pid in self.idle_workers or pid in self.retiring_workers:
                            self.idle_workers.discard(pid)
                            self.retiring_workers.discard(pid)
                            self.busy_workers.add(pid)
                        last_run = time.monotonic()
                        if tag in (client.STOP, client.REPLY_STALE):
                            self.stopping = tag == client.STOP
                            return
                elif not ready and (time.monotonic() - last_run >= self.idle or not self._still_published()):
                    return
        except SystemExit:  # SIGTERM: a stop too
            self.stopping = True
            raise
        finally:
            self.unpublish()
            # A stop ends every worker it forked, those of runs going on too; a server leaving
            # for other reasons (idle, code changed) lets running runs finish for their clients
            # (a run whose client dies stops by itself: _watch_client).
            ending = self.idle_workers | self.retiring_workers
            if self.stopping:
                ending |= self.busy_workers
            for pid in ending:
                try:
                    os.kill(pid, signal.SIGTERM)
                except OSError:
                    pass

    def _reap(self) -> None:
        while True:
            try:
                pid, _ = os.waitpid(-1, os.WNOHANG)
            except ChildProcessError:
                return
            if pid == 0:
                return
            self.idle_workers.discard(pid)
            self.busy_workers.discard(pid)
            self.retiring_workers.discard(pid)

    def _read_report(self, fd: int) -> None:
        """Read what a worker wrote on its report pipe: a length (4 bytes), then the marshalled
        entries (parse_cache.take_report). A worker that ran nothing just closes it."""
        buffer = self.reports[fd]
        try:
            data = os.read(fd, 1 << 16)
        except OSError:
            data = b""
        buffer += data
        size = int.from_bytes(buffer[:4], "big") if len(buffer) >= 4 else -1
        if data and (size < 0 or len(buffer) < 4 + size):
            return  # more to come
        os.close(fd)
        del self.reports[fd]
        if size >= 0 and len(buffer) >= 4 + size:
            try:
                entries = marshal.loads(bytes(buffer[4:4 + size]))
            except (ValueError, EOFError, TypeError):
                return
            self.pending_entries.extend(entries)

    def _take_in_parses(self) -> None:
        """Hold the reported parsed templates in memory (parse_cache.hold) and retire the idle
        workers, forked without them (serve then forks their replacements)."""
        entries, self.pending_entries = self.pending_entries, []
        if not parse_cache.hold(entries):
            return
        gc.freeze()  # as at start-up: workers share the new objects without touching them
        for fd in (self.generation_r, self.generation_w):  # the idle workers' cue to leave
            os.close(fd)
        self.generation_r, self.generation_w = os.pipe()
        self.retiring_workers |= self.idle_workers
        self.idle_workers.clear()  # serve() forks their replacements next

    def _fork_worker(self) -> None:
        report_r, report_w = os.pipe()
        pid = os.fork()
        if pid == 0:
            try:
                os.close(self.messages_r)
                os.close(self.generation_w)  # else it would never see it closed
                os.close(report_r)
                for fd in self.reports:  # other workers' pipes
                    os.close(fd)
                if _lock_fd is not None:  # the lock is the parent's: it ends with the parent
                    os.close(_lock_fd)
                self.report_w = report_w
                parse_cache.start_reporting()
                cache.write_after_exit()
                self._wait_for_run()
            finally:
                os._exit(0)
        os.close(report_w)
        self.reports[report_r] = bytearray()
        self.idle_workers.add(pid)

    def _wait_for_run(self) -> None:
        """An idle worker: take the next connection, tell the parent, answer it."""
        assert self.listener is not None
        parent = os.getppid()
        # A run gets a fresh process's signal handling: the parent's SIGTERM and SIGCHLD
        # handlers are its own, and a server started from a background job may ignore SIGINT.
        signal.signal(signal.SIGINT, signal.default_int_handler)
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        signal.signal(signal.SIGCHLD, signal.SIG_DFL)
        signal.set_wakeup_fd(-1)
        for fd in self.wake_fds:
            os.close(fd)
        while True:
            ready, _, _ = select.select([self.generation_r, self.listener.fileno()], [], [], self._TICK_SECONDS)
            if self.generation_r in ready:  # replaced by a newer worker (before any connection)
                return
            if not ready:
                if os.getppid() != parent:  # the parent is gone: so is the server
                    return
                continue
            try:
                conn, _ = self.listener.accept()
            except (TimeoutError, BlockingIOError):  # another worker took it
                continue
            self.listener.close()
            self._answer(conn)
            return

    def _tell_parent(self, tag: bytes) -> None:
        os.write(self.messages_w, tag + os.getpid().to_bytes(4, "big"))

    def _answer(self, conn: socket.socket) -> None:
        """Handle the connection this worker took: a run, or a status or stop request."""
        fds: list[int] = []
        tag, length = b"-", -1
        try:
            tag, fds, length = self._read_request(conn)
        except (OSError, ValueError):
            pass
        finally:
            self._tell_parent(tag)  # whatever happened, the parent forks a replacement now
        if tag == client.RUN:
            self.counter[:8] = (self.runs() + 1).to_bytes(8, "little")
            _work(conn, fds, length, self.report_w)  # never returns

    def _read_request(self, conn: socket.socket) -> tuple[bytes, list[int], int]:
        """What to tell the parent, the client's standard streams, and the request's length."""
        if not _same_user(conn):
            return b"-", [], -1
        conn.settimeout(_HEADER_TIMEOUT_SECONDS)
        header, fds = _recv_header(conn)
        kind, length = _parse_header(header)
        if kind == client.STOP:
            _mark_stopped(self.path)
            conn.sendall(client.REPLY_STATUS + marshal.dumps(f"stopped server {os.getppid()}"))
            return client.STOP, fds, -1
        if kind == client.STATUS:
            conn.sendall(client.REPLY_STATUS + marshal.dumps(self.status()))
            return b"-", fds, -1
        if kind != client.RUN or len(fds) != 3:
            return b"-", fds, -1
        # hooklint changed under a running server: this run happens in the client, and a server
        # of the new code replaces this one.
        if self.code.changed():
            conn.sendall(client.REPLY_STALE + bytes(4))
            return client.REPLY_STALE, fds, -1
        return client.RUN, fds, length

    def status(self) -> str:
        return (f"hooklint {hooklint.__version__} server, pid {os.getppid()}, socket {self.path}\n"
                f"up {time.time() - self.started:.0f} s, runs served: {self.runs()}, "
                f"parsed templates held: {parse_cache.held_count()}, "
                f"exits after {self.idle:.0f} s without a run\n")


def _same_user(conn: socket.socket) -> bool:
    """The socket's folder is private already; where the platform tells, check the peer too."""
    opt = getattr(socket, "SO_PEERCRED", None)
    if opt is None:
        return True
    import struct

    creds = conn.getsockopt(socket.SOL_SOCKET, opt, struct.calcsize("3i"))
    _, uid, _ = struct.unpack("3i", creds)
    return bool(uid == os.getuid())


def _recv_header(conn: socket.socket) -> tuple[bytes, list[int]]:
    fds: list[int] = []
    msg, ancdata, _, _ = conn.recvmsg(client.HEADER_SIZE, socket.CMSG_SPACE(3 * 4))
    for level, kind, data in ancdata:
        if level == socket.SOL_SOCKET and kind == socket.SCM_RIGHTS:
            usable = len(data) - len(data) % 4
            fds.extend(int.from_bytes(data[i:i + 4], sys.byteorder, signed=True) for i in range(0, usable, 4))
    if len(msg) < client.HEADER_SIZE:
        msg += client.recv_exact(conn, client.HEADER_SIZE - len(msg))
    return msg, fds


def _parse_header(header: bytes) -> tuple[bytes, int]:
    if len(header) != client.HEADER_SIZE or header[:2] != client.MAGIC or header[2] != client.PROTOCOL:
        raise ValueError("not a hooklint request")
    return header[3:4], int.from_bytes(header[4:8], "big")


def _work(conn: socket.socket, fds: list[int], length: int, report_w: int) -> None:
    """Become the client's process, run the command, report its exit code, then report the
    parsed templates it used to the server (once the client has its exit code)."""
    code = 3
    watch: threading.Event | None = None
    try:
        request = marshal.loads(client.recv_exact(conn, length))
        conn.settimeout(None)
        for target, fd in enumerate(fds):
            os.dup2(fd, target)
        for fd in fds:  # no stray copy of the client's pipes may outlive the run
            if fd > 2:
                os.close(fd)
        _adopt(request)
        conn.sendall(client.REPLY_PID + os.getpid().to_bytes(4, "big"))
        watch = _watch_client(conn)
        code = _run(request["argv"])
    except BaseException:  # noqa: BLE001 - nothing may escape into the server's loop
        code = 3
    finally:
        if watch is not None:
            watch.set()  # the client hangs up once it has the exit code: not a reason to stop
        # The client's streams are let go first: a reader of a pipe sees its end as soon as the
        # client exits, not after what this process does next.
        streams.release_standard_streams()
        try:
            conn.sendall(client.REPLY_EXIT + code.to_bytes(4, "big", signed=True))
        except (OSError, OverflowError):
            pass
        try:
            conn.close()
            cache.write_kept()
            report = marshal.dumps(parse_cache.take_report())
            with open(report_w, "wb", closefd=False) as pipe:
                pipe.write(len(report).to_bytes(4, "big") + report)
        except BaseException:  # noqa: BLE001 - the server's memory is only an optimisation
            pass
        os._exit(code & 0xFF)


def _watch_client(conn: socket.socket) -> threading.Event:
    """Stop this worker as soon as its client is gone (killed by a CI timeout or the OOM
    killer: nothing would read the output or wait for the exit code). The client sends nothing
    after its request, so its end of the connection becoming readable means it closed. Returns
    the event the run sets once it is over (then the client's hang-up is expected)."""
    over = threading.Event()

    def watch() -> None:
        try:
            while conn.recv(1):
                pass
        except OSError:
            pass
        if not over.is_set():
            os.kill(os.getpid(), signal.SIGKILL)

    threading.Thread(target=watch, name="hooklint-client-watch", daemon=True).start()
    return over


def _adopt(request: dict) -> None:  # type: ignore[type-arg]
    os.chdir(request["cwd"])
    os.environ.clear()
    os.environ.update(request["env"])
    if hasattr(time, "tzset"):
        time.tzset()
    # Go's time.Local, read when the date functions were imported (in the server, under its
    # own TZ): read again under the client's.
    go_dates.LOCAL = go_dates._load_local()
    os.umask(request["umask"])
    sys.argv = list(request["argv"])
    streams = []
    for fd, settings in enumerate(request["streams"]):
        encoding, errors, line_buffering, write_through = settings or ("utf-8", "strict", False, False)
        mode = "r" if fd == 0 else "w"
        buffered = open(fd, mode + "b", closefd=False)
        streams.append(io.TextIOWrapper(buffered, encoding=encoding, errors=errors,  # type: ignore[arg-type]
                                        line_buffering=line_buffering, write_through=write_through))
    sys.stdin, sys.stdout, sys.stderr = streams


def _run(argv: list[str]) -> int:
    """`hooklint.cli.main` as the process's main program: its SystemExit becomes the exit code
    (None 0, an int itself, anything else printed and 1, like the interpreter does)."""
    try:
        cli.main(argv[1:])
        code: object = 0
    except SystemExit as e:
        code = e.code
    if code is None:
        code = 0
    elif not isinstance(code, int):
        print(code, file=sys.stderr)
        code = 1
    streams.flush_standard_streams()
    return code


def _mark_stopped(path: str) -> None:
    """Leave the time of a stop next to the socket (see _stopped_since)."""
    try:
        with open(f"{path}.stopped", "wb"):
            pass
        os.utime(f"{path}.stopped")
    except OSError:
        pass


def _stopped_since(path: str, moment: float) -> bool:
    """Whether `hooklint server stop` stopped a server of `path` at or after `moment`: a server
    started before that stop (two runs raced to start one; this one waited for the other's lock)
    must not outlive it. A server replaced because its code changed leaves no such mark."""
    try:
        return os.stat(f"{path}.stopped").st_mtime >= moment
    except OSError:
        return False


def starting(path: str) -> bool:
    """Whether a server for `path` holds its lock (one starting, or running)."""
    try:
        fd = os.open(f"{path}.lock", os.O_RDWR)
    except OSError:
        return False
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        return True
    finally:
        os.close(fd)  # closing releases a lock taken here
    return False


def request(path: str, kind: bytes) -> str | None:
    """Ask the server at `path` for its status or to stop; its answer, or None when none runs."""
    try:
        sock = client.connect(path)
    except OSError:
        return None
    try:
        sock.sendall(client.frame(kind, b""))
        data = b""
        while True:
            chunk = sock.recv(65536)
            if not chunk:
                break
            data += chunk
    except OSError:
        return None
    finally:
        sock.close()
    if data[:1] != client.REPLY_STATUS:
        return None
    answer: str = marshal.loads(data[1:])
    return answer


def main(argv: list[str]) -> int:
    """`argv`: the socket path, then the client's import path, which the bootstrap of
    client.start_server has made this process's before importing this module."""
    global _lock_fd
    if not argv or argv[0] != client.socket_path():
        return 2  # started by hand, or by another installation: not this server's socket
    path = argv[0]
    asked = time.time()
    _lock_fd = os.open(f"{path}.lock", os.O_RDWR | os.O_CREAT, 0o600)
    # A server that found its code changed is on its way out: wait for it a little.
    deadline = time.monotonic() + _LOCK_WAIT_SECONDS
    while True:
        try:
            fcntl.flock(_lock_fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            break
        except OSError:
            if time.monotonic() > deadline:
                return 0  # another server is starting or running
            time.sleep(0.05)
    if _stopped_since(path, asked):
        return 0  # the server this one waited for was stopped: so is this one
    try:
        client.connect(path).close()
        return 0  # one runs already (started before this lock was taken)
    except OSError:
        pass
    code = CodeWatch()  # before importing it: a change from now on is seen
    warm_up()
    _warm_up_runs()
    cli.prebuild_parsers()
    # Once, here: every run checks first that the code is still what CodeWatch saw before the
    # imports, which this fingerprint covers (a run computing it stats every file again).
    cache.code_fingerprint()
    server = Server(path, code)
    server.publish()
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    gc.collect()
    gc.freeze()  # workers share the imported objects without touching their GC headers
    server.serve()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

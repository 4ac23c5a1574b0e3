"""The on-disk cache: content-addressed entries under one directory, shared by every cache of
hooklint (render results, lint results, parsed templates).

Where: `$HOOKLINT_CACHE_DIR`, else `$XDG_CACHE_HOME/hooklint`, else `~/.cache/hooklint`.
`HOOKLINT_NO_CACHE=1` (or `--no-cache`) turns every cache off, except facts about installed
programs (`facts=True`: the version the helm binary on PATH answered, under that binary's path,
inode, size, mtime and ctime), which no output is made from and which asking again costs a
process start (~60 ms) of every run.

An entry's key is a BLAKE2b digest over everything its value depends on, always including
`code_fingerprint()` (hooklint's version, the Python version, the size and mtime of every file
of the installed package, so an edited checkout never reads entries of older code, and of the
libraries that shape the output).
Entries are written atomically (temporary file + rename), so concurrent runs (pre-commit, `-j`)
never read half an entry. Every entry is sealed: a digest over its key and payload goes in front
of the payload (`seal`), and `load` checks it, so a damaged entry (bytes flipped in place,
truncated, emptied, an entry copied under another key) is deleted and is a miss, never an answer.
A missing or unreadable entry is a miss, and a cache directory that cannot be written is
silently not used: the cache can only make a run faster.

This module is on the start-up path of every command: it imports nothing heavy (not even
pathlib: a cache hit must cost less than the render it saves).
"""

from __future__ import annotations

import os
import stat
import sys

import hooklint
from hooklint.runtime import streams

TYPE_CHECKING = False  # not `typing`'s (start-up time)
if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import BinaryIO

    # An entry's bytes, or a function that makes them (None: nothing to store) when it is
    # written: encoding can wait with the write, after the output (gotemplate.parse_cache).
    Entry = bytes | Callable[[], bytes | None]

try:  # CPython's built-in BLAKE2: no OpenSSL to load (hashlib's import costs ~3 ms of start-up)
    from _blake2 import blake2b as _new_hash
except ImportError:  # pragma: no cover - other interpreters
    from hashlib import blake2b as _new_hash

# Entries are pruned (oldest first) when a bucket grows past this many files.
MAX_ENTRIES = 4000
# Inputs larger than this are not worth hashing on every run (a chart path that is really a
# monorepo root): the key is then marked too big and the caller caches nothing.
MAX_INPUT_BYTES = 64 << 20
MAX_INPUT_FILES = 20000
_PACKAGE_DIR = os.path.dirname(os.path.realpath(hooklint.__file__))
_fingerprint: str | None = None
# Digests of the trees KeyBuilder.add_tree walked in this run (None: outside a run, no memo).
_tree_digests: dict[tuple[str, frozenset[str]], tuple[bytes, int, int, bool]] | None = None
# Entries waiting for write_deferred (None: store writes at once).
_deferred: list[tuple[str, str, Entry]] | None = None


def cache_root(*, facts: bool = False) -> str | None:
    """The cache directory, or None when caching is off (for `facts`, never off: module docstring)."""
    if not facts and os.environ.get("HOOKLINT_NO_CACHE", "") not in ("", "0"):
        return None
    explicit = os.environ.get("HOOKLINT_CACHE_DIR")
    if explicit:
        return explicit
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return os.path.join(base, "hooklint")


def disable() -> None:
    """Turn caching off for this process (`--no-cache`)."""
    os.environ["HOOKLINT_NO_CACHE"] = "1"


# Libraries whose behaviour shows in what hooklint prints: libyaml through PyYAML (every YAML
# parse), jsonschema (values validation), RE2 (regex functions).
_OUTPUT_LIBRARIES = ("yaml", "jsonschema", "re2")


def code_fingerprint() -> str:
    """Identifies the code that produced an entry: version, Python, every package file's size
    and mtime (a development checkout changes files without changing the version), and the
    installed files of the libraries that shape the output (found without importing them)."""
    global _fingerprint
    if _fingerprint is None:
        h = _new_hash(f"{hooklint.__version__}\0{sys.version}\0".encode())
        _, files = code_files()
        for path, stamp in zip(files, stamps(files), strict=True):
            size, mtime = stamp or (-1, -1)
            h.update(f"{path}\0{size}\0{mtime}\n".encode())
        _fingerprint = h.hexdigest()
    return _fingerprint


def stamps(paths: list[str]) -> list[tuple[int, int] | None]:
    """(size, mtime in ns) of each path, None where it cannot be read."""
    out: list[tuple[int, int] | None] = []
    for path in paths:
        try:
            st = os.stat(path)
            out.append((st.st_size, st.st_mtime_ns))
        except OSError:
            out.append(None)
    return out


def code_files() -> tuple[list[str], list[str]]:
    """The folders and files of hooklint's code and data (the package; the rule documents, which
    a source checkout keeps next to it) and the files of _OUTPUT_LIBRARIES, in a fixed order.
    A file added to or removed from a folder changes the folder's mtime."""
    from importlib.machinery import PathFinder

    folders: list[str] = []
    files: list[str] = []
    for name in _OUTPUT_LIBRARIES:
        spec = PathFinder.find_spec(name)
        files.append(spec.origin if spec is not None and spec.origin else f"<no {name}>")
    tops = [_PACKAGE_DIR]
    checkout_rules = os.path.join(os.path.dirname(_PACKAGE_DIR), "rules")
    if not os.path.isdir(os.path.join(_PACKAGE_DIR, "_rules")) and os.path.isdir(checkout_rules):
        tops.append(checkout_rules)
    stack = tops[::-1]
    while stack:
        d = stack.pop()
        folders.append(d)
        try:
            entries = sorted(os.scandir(d), key=lambda e: e.name)
        except OSError:
            continue
        for e in entries:
            if e.name == "__pycache__":
                continue
            if e.is_dir(follow_symlinks=False):
                stack.append(e.path)
            elif e.name.endswith((".py", ".yaml", ".json", ".j2")):
                files.append(e.path)
    return folders, files


class KeyBuilder:
    """A digest over a run's inputs, fed in a fixed order. Strings, file contents and whole
    directory trees each go in with a type tag and a length so that no two different input
    sequences hash alike."""

    def __init__(self, kind: str) -> None:
        self._start()
        self.add_str(kind)
        self.add_str(code_fingerprint())

    def _start(self) -> None:
        self._h = _new_hash()
        self.too_big = False  # an input exceeded MAX_INPUT_BYTES / MAX_INPUT_FILES
        self._bytes = 0
        self._files = 0

    def add_str(self, value: str | None) -> None:
        if value is None:
            self._h.update(b"N")
            return
        data = value.encode("utf-8", "surrogateescape")
        self._h.update(b"S%d:" % len(data))
        self._h.update(data)

    def add_environment(self) -> None:
        """What a run's output depends on besides its inputs: the working directory (paths are
        shown relative to it), `TZ` and the system time zone (dates print in local time)."""
        try:
            self.add_str(os.getcwd())
        except OSError:  # the working directory was removed: nothing relative resolves anyway
            self.add_str(None)
        self.add_str(os.environ.get("TZ"))
        self.add_str(os.path.realpath("/etc/localtime"))

    def add_file(self, path: str | os.PathLike[str]) -> None:
        """A file's content (or that it is missing or unreadable: that outcome is cached too)."""
        if self.too_big:
            return
        try:
            with _open_regular(path) as f:
                if f is None:  # a FIFO, socket or device: its type is the key, never its content
                    self._h.update(b"I")
                    return
                # read(n) would allocate n bytes first: ask the size, then read it all
                if os.fstat(f.fileno()).st_size > MAX_INPUT_BYTES - self._bytes:
                    data = f.read(MAX_INPUT_BYTES - self._bytes + 1)
                else:
                    data = f.read()
        except OSError as e:
            self._h.update(b"E%d" % (e.errno or 0))
            return
        self._bytes += len(data)
        self._files += 1
        if self._bytes > MAX_INPUT_BYTES or self._files > MAX_INPUT_FILES:
            self.too_big = True
            return
        self._h.update(b"F%d:" % len(data))
        self._h.update(data)

    def add_tree(self, root: str | os.PathLike[str], prune: frozenset[str] = frozenset()) -> None:
        """Every file name and content under `root` (a chart directory), in sorted order; a
        plain file (a .tgz chart) is added as a file. Symlinks are followed, as Helm's loader
        follows them; a symlink loop is not entered twice. Directories named in `prune` (`.git`,
        `node_modules`, ...) are left out, except inside a chart (a directory with Chart.yaml):
        for a directory of charts, only what can hold or be a chart matters.

        The tree goes in as its own digest, computed once per run (`start_run`): a lint run
        keys both its replay and its lint result on the chart."""
        top = os.fspath(root)
        if not os.path.isdir(top):
            self.add_file(top)
            return
        memo_key = walked = None
        if _tree_digests is not None:
            # inside a chart `prune` changes nothing
            chart = os.path.isfile(os.path.join(top, "Chart.yaml"))
            memo_key = (os.path.abspath(top), frozenset() if chart else prune)
            walked = _tree_digests.get(memo_key)
        if memo_key is None or walked is None:
            tree = KeyBuilder.__new__(KeyBuilder)  # a digest of the tree alone
            tree._start()
            tree._walk(top, prune)
            walked = (tree._h.digest(), tree._bytes, tree._files, tree.too_big)
            if memo_key is not None and _tree_digests is not None:
                _tree_digests[memo_key] = walked
        digest, size, files, too_big = walked
        self._bytes += size
        self._files += files
        if too_big or self._bytes > MAX_INPUT_BYTES or self._files > MAX_INPUT_FILES:
            self.too_big = True
            return
        self._h.update(b"T")
        self._h.update(digest)

    def _walk(self, top: str, prune: frozenset[str]) -> None:
        seen: set[tuple[int, int]] = set()
        try:  # the cache directory is never an input (it may live inside a linted tree)
            own = os.stat(cache_root() or os.devnull)
            seen.add((own.st_dev, own.st_ino))
        except OSError:
            pass
        stack: list[tuple[str, str, bool]] = [(top, "", False)]
        while stack and not self.too_big:
            d, rel, in_chart = stack.pop()
            try:
                st = os.stat(d)
                if (st.st_dev, st.st_ino) in seen:
                    continue
                seen.add((st.st_dev, st.st_ino))
                entries = sorted(os.scandir(d), key=lambda e: e.name)
            except OSError as err:
                self._h.update(b"D%d" % (err.errno or 0))
                continue
            in_chart = in_chart or any(e.name == "Chart.yaml" for e in entries)
            subdirs = []
            for e in entries:
                name = f"{rel}{e.name}"
                try:
                    is_dir = e.is_dir()
                except OSError:
                    is_dir = False
                if is_dir:
                    if in_chart or e.name not in prune:
                        subdirs.append((e.path, name + "/", in_chart))
                    continue
                self.add_str(name)
                self.add_file(e.path)
            stack.extend(reversed(subdirs))

    def hexdigest(self) -> str:
        return self._h.hexdigest()


def file_digest(path: str | os.PathLike[str]) -> str:
    """A digest of one file's content ("E<errno>" when it is missing or unreadable, "I" when
    it is no regular file)."""
    try:
        with _open_regular(path) as f:
            return "I" if f is None else _new_hash(f.read(), digest_size=16).hexdigest()
    except OSError as e:
        return f"E{e.errno or 0}"


class _open_regular:  # noqa: N801 - used as a function: `with _open_regular(path) as f`
    """`open(path, "rb")` for a regular file, else None: opening a FIFO waits for a writer, and
    reading a device may never end (Helm's loader refuses both, with an error the run prints)."""

    __slots__ = ("path", "file")

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.path = path
        self.file: BinaryIO | None = None

    def __enter__(self) -> BinaryIO | None:
        fd = os.open(self.path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
        try:
            if not stat.S_ISREG(os.fstat(fd).st_mode):
                os.close(fd)
                return None
            self.file = os.fdopen(fd, "rb")
        except BaseException:
            os.close(fd)
            raise
        return self.file

    def __exit__(self, *exc: object) -> None:
        if self.file is not None:
            self.file.close()


# The digest in front of every entry's payload (bytes).
SEAL_SIZE = 16


def _seal_digest(key: str, payload: bytes | memoryview) -> bytes:
    h = _new_hash(digest_size=SEAL_SIZE)
    h.update(key.encode("ascii", "replace"))
    h.update(b"\0")
    h.update(payload)
    return h.digest()


def seal(key: str, payload: bytes) -> bytes:
    """An entry as stored under `key`: the digest of key and payload, then the payload."""
    return _seal_digest(key, payload) + payload


def unseal(key: str, data: bytes) -> bytes | None:
    """The payload of an entry read under `key`, or None when its digest does not match."""
    payload = memoryview(data)[SEAL_SIZE:]
    if len(data) < SEAL_SIZE or _seal_digest(key, payload) != data[:SEAL_SIZE]:
        return None
    return payload.tobytes()


def load(bucket: str, key: str, *, facts: bool = False) -> bytes | None:
    """The payload of the entry stored under `key`, or None. A damaged entry is deleted."""
    root = cache_root(facts=facts)
    if root is None:
        return None
    path = os.path.join(root, bucket, key[:2], key)
    try:
        with open(path, "rb") as f:
            data = f.read()
    except OSError:
        return None
    payload = unseal(key, data)
    if payload is None:
        try:  # rewritten by the run that now misses it, unless that run cannot write either
            os.unlink(path)
        except OSError:
            pass
    return payload


def start_run() -> None:
    """A command starts: a tree's digest is computed once until end_run (files that change
    during a run make its result unreliable anyway), and entries are written after the output
    (defer_writes)."""
    global _tree_digests
    _tree_digests = {}
    defer_writes()


def end_run() -> None:
    global _tree_digests
    _tree_digests = None


def defer_writes() -> None:
    """From now on `store` queues entries, and `write_deferred` writes them once the command's
    output is out, in a child process where the platform can fork: the user (a pre-commit hook,
    a CI step, a pipe) waits for the output, not for the cache. The CLI calls this; library use
    and `HOOKLINT_CACHE_SYNC=1` (the test suite) write at once."""
    global _deferred
    if os.environ.get("HOOKLINT_CACHE_SYNC", "") in ("", "0") and hasattr(os, "fork"):
        _deferred = []


def write_immediately() -> None:
    """Make `store` write at once again, dropping the queue without writing it: for a worker
    process forked from the CLI (its copy of the parent's queue is the parent's to write)."""
    global _deferred
    _deferred = None


def write_deferred() -> None:
    """Write the queued entries: in a forked child that lets go of the terminal and pipes at
    once (the parent goes on to exit), or here if forking fails; or, in a server's worker
    (`write_after_exit`), leave them for the worker to write once the client has its exit code."""
    global _deferred
    pending, _deferred = _deferred, None
    if not pending:
        return
    if _after_exit is not None:
        _after_exit.extend(pending)
        return
    streams.flush_standard_streams()
    try:
        pid = os.fork()
    except OSError:
        pid = -1
    if pid > 0:
        return
    if pid == 0:  # the child: never returns into the caller
        try:
            streams.release_standard_streams()
            _write_all(pending)
        finally:
            os._exit(0)
    _write_all(pending)


_after_exit: list[tuple[str, str, Entry]] | None = None


def write_after_exit() -> None:
    """From now on write_deferred keeps the entries for write_kept: a server's worker writes
    them after telling the client its exit code, without forking a writer (~4 ms)."""
    global _after_exit
    _after_exit = []


def write_kept() -> None:
    """Write what write_deferred kept (see write_after_exit)."""
    global _after_exit
    kept, _after_exit = _after_exit, None
    if kept:
        _write_all(kept)


def _write_all(pending: list[tuple[str, str, Entry]]) -> None:
    for bucket, key, entry in pending:
        data = entry if isinstance(entry, bytes) else entry()
        if data is not None:
            _write(bucket, key, data)


def store(bucket: str, key: str, data: Entry, *, facts: bool = False) -> None:
    """Write an entry atomically; any failure (read-only home, full disk) is ignored."""
    if facts:  # written at once: a fact is small, and a run with the cache off has no queue
        if isinstance(data, bytes):
            _write(bucket, key, data, cache_root(facts=True))
        return
    if cache_root() is None:
        return
    if _deferred is not None:
        _deferred.append((bucket, key, data))
        return
    _write_all([(bucket, key, data)])


def _write(bucket: str, key: str, data: bytes, root: str | None = None) -> None:
    root = root or cache_root()
    if root is None:
        return
    folder = os.path.join(root, bucket, key[:2])
    tmp = os.path.join(folder, f".{key}.{os.getpid()}.tmp")
    try:
        os.makedirs(folder, exist_ok=True)
        with open(tmp, "wb") as f:
            f.write(_seal_digest(key, data))
            f.write(data)
        os.replace(tmp, os.path.join(folder, key))
    except OSError:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        return
    if int.from_bytes(bytes.fromhex(key[2:6]), "big") % 64 == 0:  # now and then, keep it bounded
        prune(os.path.join(root, bucket))


def prune(bucket_dir: str, max_entries: int = MAX_ENTRIES) -> None:
    """Remove the least recently written entries beyond `max_entries`."""
    files: list[tuple[int, str]] = []
    try:
        for sub in os.scandir(bucket_dir):
            if sub.is_dir():
                for e in os.scandir(sub.path):
                    if not e.name.startswith("."):
                        files.append((e.stat().st_mtime_ns, e.path))
    except OSError:
        return
    if len(files) <= max_entries:
        return
    files.sort()
    for _, path in files[: len(files) - max_entries]:
        try:
            os.unlink(path)
        except OSError:
            pass

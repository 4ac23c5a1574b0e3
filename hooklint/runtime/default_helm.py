"""The Helm version every command follows when none is given: the `helm` installed here, if any.

hooklint models Helm 3 and Helm 4; a user with Helm 4 on PATH expects `hooklint render` and
`hooklint lint` to behave like the helm they run. The installed version is asked once
(`helm version --template '{{.Version}}'`, bounded by a short timeout) and its answer remembered,
in memory and in the disk cache, for as long as the same binary is found: the server asks at most
once per run, and again only when PATH now names another helm (or the binary was replaced). Without a helm, or when it does not answer
in time, the documented default applies: Helm 3.17.1, the version hooklint's rendering follows.

`HOOKLINT_HELM` names the binary to ask instead of `helm` on PATH; set it empty to never ask
(reproducible CI runs, the test suite).
"""

from __future__ import annotations

import os
import sys

from hooklint.runtime.patterns import lazy_compile

# The version followed when no helm is found (README: "Which Helm version").
FALLBACK = (3, 17, 1)
SUPPORTED_MAJORS = (3, 4)
ASK_TIMEOUT = 2.0  # seconds; a helm that hangs must not stall a lint run
CACHE_BUCKET = "helm-version"

_VERSION = lazy_compile(r"v?([0-9]+)\.([0-9]+)\.([0-9]+)")


class DefaultHelm:
    """The Helm version followed, and where it came from ("helm on PATH" or "default": said in
    the output). A value, written out rather than a frozen dataclass: its generated methods
    would cost start-up time on every run."""

    __slots__ = ("version", "source")

    def __init__(self, version: tuple[int, int, int], source: str) -> None:
        self.version = version
        self.source = source

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, DefaultHelm) or other.__class__ is not self.__class__:
            return NotImplemented
        return (self.version, self.source) == (other.version, other.source)

    def __hash__(self) -> int:
        return hash((self.version, self.source))

    def __repr__(self) -> str:
        return f"DefaultHelm(version={self.version!r}, source={self.source!r})"

    @property
    def major(self) -> int:
        return self.version[0]

    @property
    def text(self) -> str:
        return ".".join(map(str, self.version))


_cache: dict[tuple[str, int, int, int, int], DefaultHelm] = {}


def _binary() -> str | None:
    named = os.environ.get("HOOKLINT_HELM")
    if named is not None:
        return which(named) if named else None
    return which("helm")


def which(command: str) -> str | None:
    """shutil.which(command) on POSIX, without importing shutil: with the compression modules
    it imports, ~2.5 ms of every run (every run looks for a helm to follow)."""
    if sys.platform == "win32":  # PATHEXT and the current directory: shutil knows them
        import shutil

        return shutil.which(command)
    if os.path.dirname(command):
        return command if _executable(command) else None
    path = os.environ.get("PATH")
    if path is None:
        try:
            path = os.confstr("CS_PATH")
        except (AttributeError, ValueError):
            path = os.defpath
    seen: set[str] = set()
    for folder in path.split(os.pathsep) if path else ():
        if folder not in seen:
            seen.add(folder)
            candidate = os.path.join(folder, command)
            if _executable(candidate):
                return candidate
    return None


def _executable(path: str) -> bool:
    return os.path.exists(path) and os.access(path, os.F_OK | os.X_OK) and not os.path.isdir(path)


def parse_answer(text: str) -> tuple[int, int, int] | None:
    """`v3.17.1` / `v4.1.4+g...` -> (major, minor, patch) when hooklint models that major."""
    m = _VERSION.match(text.strip())
    if m is None:
        return None
    version = (int(m.group(1)), int(m.group(2)), int(m.group(3)))
    return version if version[0] in SUPPORTED_MAJORS else None


def _ask(binary: str) -> tuple[int, int, int] | None:
    import subprocess  # only when a helm is there to ask: it imports threading, which start-up avoids

    try:
        done = subprocess.run([binary, "version", "--template", "{{.Version}}"], capture_output=True,
                              text=True, timeout=ASK_TIMEOUT, stdin=subprocess.DEVNULL, check=False)
    except (OSError, subprocess.SubprocessError):
        return None
    return parse_answer(done.stdout) if done.returncode == 0 else None


def default_helm() -> DefaultHelm:
    """The Helm version to follow when the command line and configuration name none."""
    binary = _binary()
    if binary is None:
        return DefaultHelm(FALLBACK, "default")
    try:
        st = os.stat(binary)
    except OSError:
        return DefaultHelm(FALLBACK, "default")
    # A replaced binary changes its inode or ctime (which no copy tool can set back) even where
    # size and mtime are kept.
    key = (binary, st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns)
    if key not in _cache:
        version = _ask_remembered(key)
        _cache[key] = DefaultHelm(version, "helm on PATH") if version else DefaultHelm(FALLBACK, "default")
    return _cache[key]


def _ask_remembered(identity: tuple[str, int, int, int, int]) -> tuple[int, int, int] | None:
    """The binary's answer, kept in the disk cache under its path, inode, size, mtime and ctime:
    a run without a server (CI sets none up) would otherwise start helm (~60 ms) every time. A
    fact about an installed program, so kept even with the cache off (runtime/cache.py)."""
    from hooklint.runtime import cache

    binary = identity[0]
    kb = cache.KeyBuilder(CACHE_BUCKET)
    for part in identity:
        kb.add_str(str(part))
    key = kb.hexdigest()
    stored = cache.load(CACHE_BUCKET, key, facts=True)
    if stored is not None:
        return parse_answer(stored.decode("ascii", "replace"))
    version = _ask(binary)
    if version is not None:  # a failure or time-out may pass: asked again next run
        cache.store(CACHE_BUCKET, key, ".".join(map(str, version)).encode(), facts=True)
    return version


def default_major() -> int:
    return default_helm().major

"""Sprig's checksum functions (sprig v3.3.0 crypto.go: sha1sum, sha256sum, sha512sum,
adler32sum). They live apart from crypto.py so that the checksum annotations nearly every
chart renders do not import `cryptography` and `bcrypt`."""

from __future__ import annotations

import importlib
from collections.abc import Callable

from hooklint.gotemplate.gofmt import go_bytes
from hooklint.gotemplate.gotypes import STRING, gofunc

TYPE_CHECKING = False  # not `typing`'s: importing typing costs ~3 ms of every run
if TYPE_CHECKING:
    from typing import Any

# CPython's own implementations (same digests): importing hashlib loads OpenSSL, ~3 ms of
# start-up for a render; each of these modules loads in a fraction of that, on first use.
_BUILTIN_MODULES = {"sha1": ("_sha1",), "sha256": ("_sha256", "_sha2"), "sha512": ("_sha512", "_sha2")}
_constructors: dict[str, Callable[[bytes], Any]] = {}


def _hexdigest(name: str, data: bytes) -> str:
    new = _constructors.get(name)
    if new is None:
        new = _constructors[name] = _constructor(name)
    return new(data).hexdigest()  # type: ignore[no-any-return]


def _constructor(name: str) -> Callable[[bytes], Any]:
    for module in _BUILTIN_MODULES[name]:
        try:
            return getattr(importlib.import_module(module), name)  # type: ignore[no-any-return]
        except (ImportError, AttributeError):
            continue
    import hashlib  # pragma: no cover - an interpreter without CPython's modules

    return getattr(hashlib, name)  # type: ignore[no-any-return]  # pragma: no cover


@gofunc(STRING, result=STRING)
def sha1sum(s: str) -> str:
    return _hexdigest("sha1", go_bytes(s))


@gofunc(STRING, result=STRING)
def sha256sum(s: str) -> str:
    return _hexdigest("sha256", go_bytes(s))


@gofunc(STRING, result=STRING)
def sha512sum(s: str) -> str:
    return _hexdigest("sha512", go_bytes(s))


@gofunc(STRING, result=STRING)
def adler32sum(s: str) -> str:
    import zlib  # rarely called: the extension module loads on first use

    return str(zlib.adler32(go_bytes(s)))


FUNCS: dict[str, Callable[..., Any]] = {
    "sha1sum": sha1sum,
    "sha256sum": sha256sum,
    "sha512sum": sha512sum,
    "adler32sum": adler32sum,
}

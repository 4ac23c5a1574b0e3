"""Sprig's checksum functions (sprig v3.3.0 crypto.go: sha1sum, sha256sum, sha512sum,
adler32sum). They live apart from crypto.py so that the checksum annotations nearly every
chart renders do not import `cryptography` and `bcrypt`."""

from __future__ import annotations

import hashlib
import zlib
from collections.abc import Callable
from typing import Any

from hooklint.gotemplate.gofmt import go_bytes
from hooklint.gotemplate.gotypes import STRING, gofunc


@gofunc(STRING, result=STRING)
def sha1sum(s: str) -> str:
    return hashlib.sha1(go_bytes(s)).hexdigest()


@gofunc(STRING, result=STRING)
def sha256sum(s: str) -> str:
    return hashlib.sha256(go_bytes(s)).hexdigest()


@gofunc(STRING, result=STRING)
def sha512sum(s: str) -> str:
    return hashlib.sha512(go_bytes(s)).hexdigest()


@gofunc(STRING, result=STRING)
def adler32sum(s: str) -> str:
    return str(zlib.adler32(go_bytes(s)))


FUNCS: dict[str, Callable[..., Any]] = {
    "sha1sum": sha1sum,
    "sha256sum": sha256sum,
    "sha512sum": sha512sum,
    "adler32sum": adler32sum,
}

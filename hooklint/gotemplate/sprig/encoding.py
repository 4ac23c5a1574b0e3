"""Sprig's encoding functions: b64enc, b64dec, b32enc, b32dec (sprig v3.3.0 strings.go).

Go strings are byte strings. Here they are Python `str`; bytes that are not valid UTF-8 travel
as lone surrogates (the `surrogateescape` error handler), so `b64dec` of arbitrary binary data
and a later `b64enc` round-trip byte for byte. `go_bytes`/`go_string` convert between the two.

The decoders reimplement Go's encoding/base64 and encoding/base32 (not Python's `base64`),
because Sprig returns Go's error text as the function's *result*: `b64dec "x"` renders
`illegal base64 data at input byte 0`, and the offset must be Go's.
"""

from __future__ import annotations

import base64
from collections.abc import Callable

from hooklint.gotemplate.gofmt import go_bytes
from hooklint.gotemplate.gotypes import STRING, gofunc

TYPE_CHECKING = False  # not `typing`'s: importing typing costs ~3 ms of every run
if TYPE_CHECKING:
    from typing import Any


def go_string(b: bytes) -> str:
    """The Go string holding bytes `b` (invalid UTF-8 is preserved as surrogates)."""
    return b.decode("utf-8", "surrogateescape")


class CorruptInputError(ValueError):
    """Go's base64/base32 CorruptInputError: `illegal baseNN data at input byte N`."""

    def __init__(self, kind: str, offset: int) -> None:
        super().__init__(f"illegal {kind} data at input byte {offset}")


_B64_ALPHABET = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
_B32_ALPHABET = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"
_B64_MAP = {c: i for i, c in enumerate(_B64_ALPHABET)}
_B32_MAP = {c: i for i, c in enumerate(_B32_ALPHABET)}
_PAD = ord("=")
_NEWLINES = (ord("\n"), ord("\r"))


def b64decode_go(src: bytes) -> bytes:
    """base64.StdEncoding.DecodeString: padding required, \\r and \\n ignored anywhere."""
    out = bytearray()
    si = 0
    while si < len(src):
        si, chunk = _b64_quantum(src, si)
        out += chunk
    return bytes(out)


def _b64_quantum(src: bytes, si: int) -> tuple[int, bytes]:
    # Port of Encoding.decodeQuantum (non-strict StdEncoding).
    dbuf = [0, 0, 0, 0]
    dlen = 4
    j = 0
    while j < 4:
        if si == len(src):
            if j == 0:
                return si, b""
            raise CorruptInputError("base64", si - j)
        c = src[si]
        si += 1
        v = _B64_MAP.get(c)
        if v is not None:
            dbuf[j] = v
            j += 1
            continue
        if c in _NEWLINES:
            continue
        if c != _PAD:
            raise CorruptInputError("base64", si - 1)
        # Padding: the quantum ends here.
        if j in (0, 1):
            raise CorruptInputError("base64", si - 1)
        if j == 2:
            while si < len(src) and src[si] in _NEWLINES:
                si += 1
            if si == len(src):
                raise CorruptInputError("base64", len(src))
            if src[si] != _PAD:
                raise CorruptInputError("base64", si - 1)
            si += 1
        while si < len(src) and src[si] in _NEWLINES:
            si += 1
        if si < len(src):
            raise CorruptInputError("base64", si)  # trailing garbage after padding
        dlen = j
        break
    val = dbuf[0] << 18 | dbuf[1] << 12 | dbuf[2] << 6 | dbuf[3]
    return si, val.to_bytes(3, "big")[: dlen - 1]


def b32decode_go(src: bytes) -> bytes:
    """base32.StdEncoding.DecodeString: newlines stripped first; data after padding ignored."""
    src = bytes(b for b in src if b not in _NEWLINES)
    olen = len(src)
    out = bytearray()
    pos = 0
    end = False
    while pos < olen and not end:
        dbuf = [0] * 8
        dlen = 8
        j = 0
        while j < 8:
            if pos == olen:
                raise CorruptInputError("base32", olen - (olen - pos) - j)
            c = src[pos]
            pos += 1
            rest = olen - pos
            if c == _PAD and j >= 2 and rest < 8:
                if rest + j < 7:
                    raise CorruptInputError("base32", olen)
                for k in range(7 - j):
                    if rest > k and src[pos + k] != _PAD:
                        raise CorruptInputError("base32", olen - rest + k - 1)
                dlen, end = j, True
                if dlen in (1, 3, 6):
                    raise CorruptInputError("base32", olen - rest - 1)
                break
            v = _B32_MAP.get(c)
            if v is None:
                raise CorruptInputError("base32", olen - rest - 1)
            dbuf[j] = v
            j += 1
        val = 0
        for d in dbuf:
            val = val << 5 | d
        nbytes = {8: 5, 7: 4, 5: 3, 4: 2, 2: 1}.get(dlen, 0)
        out += val.to_bytes(5, "big")[:nbytes]
    return bytes(out)


@gofunc(STRING, result=STRING)
def b64enc(v: str) -> str:
    return base64.b64encode(go_bytes(v)).decode("ascii")


@gofunc(STRING, result=STRING)
def b64dec(v: str) -> str:
    try:
        return go_string(b64decode_go(go_bytes(v)))
    except CorruptInputError as e:
        return str(e)  # Sprig returns err.Error() as the value


@gofunc(STRING, result=STRING)
def b32enc(v: str) -> str:
    return base64.b32encode(go_bytes(v)).decode("ascii")


@gofunc(STRING, result=STRING)
def b32dec(v: str) -> str:
    try:
        return go_string(b32decode_go(go_bytes(v)))
    except CorruptInputError as e:
        return str(e)


FUNCS: dict[str, Callable[..., Any]] = {
    "b64enc": b64enc,
    "b64dec": b64dec,
    "b32enc": b32enc,
    "b32dec": b32dec,
}

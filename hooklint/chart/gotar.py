"""Go's archive/tar Reader, as Helm's chart loader reads a chart `.tgz` with it.

Python's tarfile is lenient where Go is strict: it takes a header with a bad checksum for the end
of the archive (the chart then silently loses every file after it), and fails on other damage
with its own exceptions. This reader follows Go's `Reader.Next` (go/src/archive/tar/reader.go)
step by step, so a damaged archive fails where and as Helm fails:
  - every header's checksum is verified (unsigned or signed sum, as Go accepts both), and its
    numeric fields parsed as Go parses them (octal, or base-256 when the first byte's top bit is
    set); a bad one is `archive/tar: invalid tar header`;
  - the archive ends at two zero blocks, at one zero block followed by the end of the data, or
    when the data ends exactly where a header would start (or inside the padding after a
    member, which Go reads with tryReadFull); anywhere else the end of the data is
    `unexpected EOF`;
  - PAX extended headers (`x`; a global `g` header is returned as an entry, which Helm skips)
    and GNU long names (`L`, `K`) apply to the next entry; a malformed record is
    `archive/tar: invalid tar header`, a special file over 1 MiB
    `archive/tar: header field too long`.
Sparse files (GNU or PAX sparse maps) never occur in charts Helm packages; reading one is a
clear error rather than a guess at its content.

The data comes decompressed, with the error the gzip stream ended with, if any (`tail_error`):
Go reads the gzip and tar streams together, so that error surfaces when the tar reader reaches
the point where decompression failed, not before.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass

TYPE_CHECKING = False  # not `typing`'s: importing typing costs ~3 ms of every run
if TYPE_CHECKING:
    from typing import Any

BLOCK = 512
ERR_HEADER = "archive/tar: invalid tar header"
ERR_FIELD_TOO_LONG = "archive/tar: header field too long"
UNEXPECTED_EOF = "unexpected EOF"
MAX_SPECIAL_FILE_SIZE = 1 << 20
_ZERO_BLOCK = bytes(BLOCK)
# Typeflags whose entries have no data section, whatever their size field says.
_HEADER_ONLY = frozenset(b"123456")
_C_ISDIR = 0o40000
_GO_INT = re.compile(r"[+-]?[0-9]+\Z")
_INT64_MIN, _INT64_MAX = -(1 << 63), (1 << 63) - 1
# PAX keys Go merges into the header, and GNU sparse keys it reads.
_PAX_INT_KEYS = ("uid", "gid", "size")
_PAX_TIME_KEYS = ("atime", "mtime", "ctime")
_PAX_SPARSE = ("GNU.sparse.major", "GNU.sparse.minor", "GNU.sparse.map", "GNU.sparse.offset",
               "GNU.sparse.numbytes")


class TarError(Exception):
    """The error Go's tar reader (or the gzip stream under it) returns: its message as Helm
    prints it."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass
class Entry:
    """One entry of the archive, as `tar.Reader.Next` returns its header."""

    name: str
    linkname: str
    typeflag: int  # the flag byte; a legacy NUL flag is already '0' or '5'
    mode: int
    size: int

    def is_dir(self) -> bool:
        """hd.FileInfo().IsDir(): the directory type flag, or directory bits in the mode."""
        return self.typeflag == ord("5") or (self.mode & 0xFFFFFFFF) & ~0o7777 == _C_ISDIR


class _Input:
    """The decompressed bytes, read like Go's io.Reader over the gzip stream."""

    def __init__(self, data: bytes, tail_error: str | None) -> None:
        self.data = data
        self.pos = 0
        self.tail_error = tail_error

    def read(self, n: int) -> bytes:
        """Up to `n` bytes; fewer only at a clean end of the data. Past the data of a stream
        that ended in an error, that error."""
        chunk = self.data[self.pos:self.pos + n]
        self.pos += len(chunk)
        if len(chunk) < n and self.tail_error is not None:
            raise TarError(self.tail_error)
        return chunk


def _go_int(text: str, lo: int = _INT64_MIN, hi: int = _INT64_MAX) -> int | None:
    """strconv.ParseInt(text, 10, 64), None on error."""
    if not _GO_INT.match(text):
        return None
    value = int(text)
    return value if lo <= value <= hi else None


def _parse_string(field: bytes) -> str:
    """Go's parser.parseString: up to the first NUL."""
    end = field.find(0)
    return (field if end < 0 else field[:end]).decode("utf-8", "surrogateescape")


def _parse_octal(field: bytes) -> int | None:
    trimmed = field.strip(b" \x00")
    if not trimmed:
        return 0
    end = trimmed.find(0)
    digits = trimmed if end < 0 else trimmed[:end]
    if not digits or digits.translate(None, _OCTAL_DIGITS):  # something else than 0-7 is left
        return None
    value = int(digits, 8)
    return value if value < 1 << 64 else None


# Header fields repeat from entry to entry (mode, owner, group, time, device numbers): each
# distinct field is parsed once per process. Bounded: cleared when full.
_NUMERIC_MEMO: dict[bytes, int | None] = {}
_NUMERIC_MEMO_MAX = 4096


def _parse_numeric(field: bytes) -> int | None:
    """Go's parser.parseNumeric (a pure function of the field's bytes), remembered."""
    try:
        return _NUMERIC_MEMO[field]
    except KeyError:
        pass
    value = _parse_numeric_field(field)
    if len(_NUMERIC_MEMO) >= _NUMERIC_MEMO_MAX:
        _NUMERIC_MEMO.clear()
    _NUMERIC_MEMO[field] = value
    return value


def _parse_numeric_field(field: bytes) -> int | None:
    """Go's parser.parseNumeric: base-256 when the top bit of the first byte is set."""
    if field and field[0] & 0x80:
        inv = 0xFF if field[0] & 0x40 else 0
        x = 0
        for i, c in enumerate(field):
            c ^= inv
            if i == 0:
                c &= 0x7F
            if x >> 56:
                return None
            x = x << 8 | c
        if x >> 63:
            return None
        return ~x if inv else x
    value = _parse_octal(field)
    if value is not None and value > _INT64_MAX:
        value -= 1 << 64  # int64(uint64): Go's conversion wraps
    return value


def _checksum_ok(blk: bytes) -> bool:
    field = blk[148:156]
    stored = _parse_octal(field)
    if stored is None:
        return False
    unsigned = sum(blk) - sum(field) + 8 * 0x20
    signed = unsigned - 256 * _count_high(blk) + 256 * _count_high(field)
    return stored in (unsigned, signed)


_OCTAL_DIGITS = b"01234567"
_HIGH_BYTES = bytes(range(0x80, 0x100))


def _count_high(data: bytes) -> int:
    """How many bytes of `data` are >= 0x80 (negative as Go's int8): counted in C, not per byte
    in Python (every header block of an archive is checksummed)."""
    return len(data) - len(data.translate(None, _HIGH_BYTES))


def _format(blk: bytes) -> str | None:
    """block.getFormat: None (unknown: a bad checksum), "v7", "ustar", "gnu" or "star"."""
    if not _checksum_ok(blk):
        return None
    magic, version, trailer = blk[257:263], blk[263:265], blk[508:512]
    if magic == b"ustar\x00" and trailer == b"tar\x00":
        return "star"
    if magic == b"ustar\x00":
        return "ustar"
    if magic == b"ustar " and version == b" \x00":
        return "gnu"
    return "v7"


def _read_header(src: _Input) -> tuple[Entry, str] | None:
    """Reader.readHeader: the next header and its block's format, or None at the end."""
    blk = src.read(BLOCK)
    if not blk:
        return None
    if len(blk) < BLOCK:
        raise TarError(UNEXPECTED_EOF)
    if blk == _ZERO_BLOCK:
        blk = src.read(BLOCK)
        if not blk:
            return None
        if len(blk) < BLOCK:
            raise TarError(UNEXPECTED_EOF)
        if blk == _ZERO_BLOCK:
            return None
        raise TarError(ERR_HEADER)
    fmt = _format(blk)
    if fmt is None:
        raise TarError(ERR_HEADER)
    numbers = [_parse_numeric(blk[a:b]) for a, b in ((124, 136), (100, 108), (108, 116), (116, 124), (136, 148))]
    name = _parse_string(blk[0:100])
    if fmt != "v7":
        numbers += [_parse_numeric(blk[329:337]), _parse_numeric(blk[337:345])]
        prefix = ""
        if fmt == "ustar":
            prefix = _parse_string(blk[345:500])
        elif fmt == "star":
            prefix = _parse_string(blk[345:476])
            numbers += [_parse_numeric(blk[476:488]), _parse_numeric(blk[488:500])]
        else:  # GNU: times that do not parse make Go fall back on a pre-Go 1.8 USTAR prefix
            times = [_parse_numeric(blk[a:b]) for a, b in ((345, 357), (357, 369)) if blk[a] != 0]
            if None in times:
                candidate = _parse_string(blk[345:500])
                if candidate.isascii():
                    prefix = candidate
        if prefix:
            name = f"{prefix}/{name}"
    if None in numbers:
        raise TarError(ERR_HEADER)
    size, mode = numbers[0], numbers[1]
    assert size is not None and mode is not None
    return Entry(name, _parse_string(blk[157:257]), blk[156], mode, size), fmt


def _parse_pax(data: bytes) -> dict[str, str]:
    """parsePAX: the records of an extended header, `<length> <key>=<value>\n` each, the length
    counting the whole record in bytes."""
    records: dict[str, str] = {}
    rest = data
    while rest:
        size_text, space, _ = rest.partition(b" ")
        n = _go_int(size_text.decode("latin-1")) if space else None
        if n is None or n < 5 or n > len(rest) or n - len(size_text) - 1 <= 0:
            raise TarError(ERR_HEADER)
        record, rest = rest[len(size_text) + 1:n], rest[n:]
        if not record.endswith(b"\n"):
            raise TarError(ERR_HEADER)
        key_raw, eq, value_raw = record[:-1].partition(b"=")
        key, value = (part.decode("utf-8", "surrogateescape") for part in (key_raw, value_raw))
        if not eq or not key:
            raise TarError(ERR_HEADER)
        if ("\x00" in value) if key in ("path", "linkpath", "uname", "gname") else ("\x00" in key):
            raise TarError(ERR_HEADER)
        records[key] = value
    return records


def _pax_time_ok(value: str) -> bool:
    seconds, _, fraction = value.partition(".")
    return _go_int(seconds) is not None and all(c in "0123456789" for c in fraction)


def _merge_pax(entry: Entry, records: dict[str, str]) -> None:
    for key, value in records.items():
        if not value:
            continue
        if key == "path":
            entry.name = value
        elif key == "linkpath":
            entry.linkname = value
        elif key in _PAX_INT_KEYS:
            number = _go_int(value)
            if number is None:
                raise TarError(ERR_HEADER)
            if key == "size":
                entry.size = number
        elif key in _PAX_TIME_KEYS and not _pax_time_ok(value):
            raise TarError(ERR_HEADER)


def entries(data: bytes, tail_error: str | None = None) -> Iterator[tuple[Entry, Callable[[], bytes]]]:
    """Each entry with a function reading its data (as Helm's io.Copy from the reader does),
    in archive order; TarError where Go's reader returns an error."""
    src = _Input(data, tail_error)
    remaining = pad = 0
    while True:
        records: dict[str, str] = {}
        long_name = long_link = ""
        while True:
            if len(src.read(remaining)) < remaining:  # discard(): what the caller did not read
                raise TarError(UNEXPECTED_EOF)
            remaining = 0
            if len(src.read(pad)) < pad:  # tryReadFull: a stream ending in the padding ends here
                return
            pad = 0
            header = _read_header(src)
            if header is None:
                return
            entry, _ = header
            remaining, pad = _data_size(entry)
            if entry.typeflag in b"xg":  # PAX extended headers: for the next entry, or global
                special, remaining = _read_special(src, remaining)
                records = _parse_pax(special)
                if entry.typeflag == ord("g"):
                    yield entry, lambda: b""
                    break
                continue
            if entry.typeflag in b"LK":  # GNU long name or link name of the next entry
                special, remaining = _read_special(src, remaining)
                if entry.typeflag == ord("L"):
                    long_name = _parse_string(special)
                else:
                    long_link = _parse_string(special)
                continue
            _merge_pax(entry, records)
            if long_name:
                entry.name = long_name
            if long_link:
                entry.linkname = long_link
            if entry.typeflag == 0:
                entry.typeflag = ord("5") if entry.name.endswith("/") else ord("0")
            remaining, pad = _data_size(entry)
            if entry.typeflag == ord("S") or any(key in records for key in _PAX_SPARSE):
                raise TarError("archive/tar: sparse files are not supported (a chart archive never holds one)")
            size = remaining

            def read_data(size: int = size) -> bytes:
                nonlocal remaining
                content = src.read(size)
                remaining -= len(content)
                if len(content) < size:
                    raise TarError(UNEXPECTED_EOF)
                return content

            yield entry, read_data
            break


def _data_size(entry: Entry) -> tuple[int, int]:
    """handleRegularFile: the bytes of the entry's data section and of its padding."""
    size = 0 if entry.typeflag in _HEADER_ONLY else entry.size
    if size < 0:
        raise TarError(ERR_HEADER)
    return size, -size % BLOCK


def _read_special(src: _Input, remaining: int) -> tuple[bytes, int]:
    """readSpecialFile: an extended header's or long name's data (at most 1 MiB); what is left
    of the entry's data section after it."""
    want = min(remaining, MAX_SPECIAL_FILE_SIZE + 1)
    content = src.read(want)
    if len(content) > MAX_SPECIAL_FILE_SIZE:
        raise TarError(ERR_FIELD_TOO_LONG)
    if len(content) < want:
        raise TarError(UNEXPECTED_EOF)
    return content, remaining - len(content)



# --- the gzip stream under it (Go's compress/gzip Reader, multistream) ---------------------

ERR_GZIP_HEADER = "gzip: invalid header"
ERR_GZIP_CHECKSUM = "gzip: invalid checksum"
_FEXTRA, _FNAME, _FCOMMENT, _FHCRC = 4, 8, 16, 2
_CHUNK = 1 << 16


class TooLarge(Exception):
    """The data decompresses to more than the caller's limit."""


def _gzip_header(data: bytes, pos: int) -> tuple[int, str | None]:
    """gzip.Reader.readHeader at `pos`: where the deflate data starts, or the error."""
    import zlib

    def need(n: int) -> bool:
        return pos + n <= len(data)

    if not need(10):
        return pos, "EOF" if pos == len(data) else UNEXPECTED_EOF
    if data[pos:pos + 3] != b"\x1f\x8b\x08":
        return pos, ERR_GZIP_HEADER
    start, flags = pos, data[pos + 3]
    pos += 10
    if flags & _FEXTRA:
        if not need(2):
            return pos, UNEXPECTED_EOF
        pos += 2 + int.from_bytes(data[pos:pos + 2], "little")
        if pos > len(data):
            return pos, UNEXPECTED_EOF
    for flag in (_FNAME, _FCOMMENT):
        if flags & flag:
            end = data.find(b"\x00", pos, pos + 512)
            if end < 0:
                return pos, ERR_GZIP_HEADER if need(512) else UNEXPECTED_EOF
            pos = end + 1
    if flags & _FHCRC:
        if not need(2):
            return pos, UNEXPECTED_EOF
        if int.from_bytes(data[pos:pos + 2], "little") != zlib.crc32(data[start:pos]) & 0xFFFF:
            return pos, ERR_GZIP_HEADER
        pos += 2
    return pos, None


def gunzip(data: bytes, limit: int) -> tuple[bytes, str | None]:
    """The decompressed data of every gzip member, and the error Go's reader returns where
    decompression stopped (None: a clean end). TooLarge past `limit` bytes of output."""
    import zlib

    out = bytearray()
    pos = 0
    while True:
        body, error = _gzip_header(data, pos)
        if error is not None:
            return bytes(out), None if error == "EOF" and pos > 0 else error
        member_start = len(out)
        inflater = zlib.decompressobj(-15)
        at = body
        while not inflater.eof and at < len(data):
            chunk = data[at:at + _CHUNK]
            before = inflater.copy()
            try:
                out += inflater.decompress(chunk)
            except zlib.error:
                # Go's flate names the input offset where it gave up: find the byte
                at = _corrupt_offset(before, chunk, at)
                return bytes(out), f"flate: corrupt input before offset {at - body}"
            if len(out) > limit:
                raise TooLarge
            at += len(chunk) - len(inflater.unused_data)
        if not inflater.eof:
            return bytes(out), UNEXPECTED_EOF
        trailer = data[at:at + 8]
        if len(trailer) < 8:
            return bytes(out), UNEXPECTED_EOF
        member = memoryview(out)[member_start:]
        crc, size = zlib.crc32(member), len(member) & 0xFFFFFFFF
        member.release()
        if trailer != crc.to_bytes(4, "little") + size.to_bytes(4, "little"):
            return bytes(out), ERR_GZIP_CHECKSUM
        pos = at + 8


def _corrupt_offset(inflater: Any, chunk: bytes, at: int) -> int:
    """The input offset just past the byte at which `inflater` (as it was before `chunk`)
    fails."""
    import zlib

    for i in range(len(chunk)):
        try:
            inflater.decompress(chunk[i:i + 1])
        except zlib.error:
            return at + i + 1
    return at + len(chunk)

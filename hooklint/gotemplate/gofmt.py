"""Go's fmt package (Sprint, Sprintln, Sprintf, %v) and strconv's FormatFloat/Quote.

Templates print action results with fmt.Fprint and expose `print`, `printf`, `println`;
Sprig and encoding/json reuse strconv's float formatting and quoting. Everything here
follows Go's src/fmt/print.go, src/fmt/format.go and src/strconv/{ftoa,quote}.go: verbs,
flags, width/precision (also from `*` arguments), argument indexes, and the `%!verb(...)`
error forms Go writes into the output instead of failing.

Go values are modelled as described in gotypes.py.
"""

from __future__ import annotations

import math
import re
import struct
import unicodedata

from hooklint.gotemplate.gotypes import (
    GoObject,
    Uint8,
    Uint32,
    Uint64,
    go_type_name,
    is_go_nil,
)
from hooklint.runtime.patterns import lazy_compile

TYPE_CHECKING = False  # not `typing`'s: importing typing costs ~3 ms of every run
if TYPE_CHECKING:
    from typing import Any

__all__ = [
    "can_backquote",
    "format_float",
    "format_value",
    "is_print",
    "quote",
    "quote_rune",
    "quote_to_ascii",
    "sprint",
    "sprintf",
    "sprintln",
]

NIL_ANGLE = "<nil>"
LIST_TYPE = "[]interface {}"
_LDIGITS = "0123456789abcdefx"
_UDIGITS = "0123456789ABCDEFX"
_MAX_RUNE = 0x10FFFF
_RUNE_ERROR = 0xFFFD
_UINT64_MASK = (1 << 64) - 1


# --- strings as Go sees them ---------------------------------------------------------------


def go_bytes(s: str) -> bytes:
    """The bytes of a Go string held in a Python str (lone surrogates are raw bytes that were
    not valid UTF-8, as produced by the `surrogateescape` error handler)."""
    return s.encode("utf-8", "surrogateescape")


def decode_runes(b: bytes) -> list[tuple[int, int]]:
    """utf8.DecodeRune over `b`: (rune, width) pairs; invalid bytes decode as (RuneError, 1)."""
    out: list[tuple[int, int]] = []
    i, n = 0, len(b)
    while i < n:
        c = b[i]
        if c < 0x80:
            out.append((c, 1))
            i += 1
            continue
        if 0xC2 <= c <= 0xDF:
            size = 2
        elif 0xE0 <= c <= 0xEF:
            size = 3
        elif 0xF0 <= c <= 0xF4:
            size = 4
        else:
            out.append((_RUNE_ERROR, 1))
            i += 1
            continue
        chunk = b[i : i + size]
        try:
            r = ord(chunk.decode("utf-8"))
        except UnicodeDecodeError:
            out.append((_RUNE_ERROR, 1))
            i += 1
            continue
        out.append((r, size))
        i += size
    return out


def _rune_count(s: str) -> int:
    """utf8.RuneCountInString (invalid bytes count one each)."""
    if s.isascii():
        return len(s)
    return len(decode_runes(go_bytes(s)))


# Code points that Unicode 15.0 (Go 1.21+, so Helm's Go) assigns as printable but that
# Unicode 14.0 (Python 3.11's unicodedata) leaves unassigned; derived with unicodedata2 15.0.
# fmt: off
_UNICODE_15_PRINTABLE = (
    (0xCF3, 0xCF3), (0xECE, 0xECE), (0x10EFD, 0x10EFF), (0x1123F, 0x11241), (0x11B00, 0x11B09),
    (0x11F00, 0x11F10), (0x11F12, 0x11F3A), (0x11F3E, 0x11F59), (0x1342F, 0x1342F),
    (0x13440, 0x13455), (0x1B132, 0x1B132), (0x1B155, 0x1B155), (0x1D2C0, 0x1D2D3),
    (0x1DF25, 0x1DF2A), (0x1E030, 0x1E06D), (0x1E08F, 0x1E08F), (0x1E4D0, 0x1E4F9),
    (0x1F6DC, 0x1F6DC), (0x1F774, 0x1F776), (0x1F77B, 0x1F77F), (0x1F7D9, 0x1F7D9),
    (0x1FA75, 0x1FA77), (0x1FA87, 0x1FA88), (0x1FAAD, 0x1FAAF), (0x1FABB, 0x1FABD),
    (0x1FABF, 0x1FABF), (0x1FACE, 0x1FACF), (0x1FADA, 0x1FADB), (0x1FAE8, 0x1FAE8),
    (0x1FAF7, 0x1FAF8), (0x2B739, 0x2B739), (0x31350, 0x323AF),
)
# fmt: on
_NEEDS_UNICODE_15 = unicodedata.unidata_version < "15.0.0"


def is_print(r: int) -> bool:
    """strconv.IsPrint: letters, marks, numbers, punctuation, symbols and ASCII space
    (Unicode 15.0, as in Go 1.21-1.25)."""
    if r > _MAX_RUNE or 0xD800 <= r <= 0xDFFF:
        return False
    if chr(r).isprintable():
        return True
    return _NEEDS_UNICODE_15 and any(lo <= r <= hi for lo, hi in _UNICODE_15_PRINTABLE)


def can_backquote(s: str) -> bool:
    """strconv.CanBackquote: `s` can be a raw string literal without control characters."""
    for r, width in decode_runes(go_bytes(s)):
        if width > 1:
            if r == 0xFEFF:
                return False
            continue
        if r == _RUNE_ERROR:
            return False
        if (r < 0x20 and r != 0x09) or r == 0x60 or r == 0x7F:
            return False
    return True


_SIMPLE_ESCAPES = {7: "\\a", 8: "\\b", 12: "\\f", 10: "\\n", 13: "\\r", 9: "\\t", 11: "\\v"}


def _escape_rune(r: int, quote_char: str, ascii_only: bool) -> str:
    """strconv.appendEscapedRune (graphicOnly is never used by fmt)."""
    if r == ord(quote_char) or r == 0x5C:
        return "\\" + chr(r)
    if ascii_only:
        if r < 0x80 and is_print(r):
            return chr(r)
    elif is_print(r):
        return chr(r)
    simple = _SIMPLE_ESCAPES.get(r)
    if simple is not None:
        return simple
    if r < 0x20 or r == 0x7F:
        return f"\\x{r:02x}"
    if r > _MAX_RUNE or 0xD800 <= r <= 0xDFFF:
        r = _RUNE_ERROR
    if r < 0x10000:
        return f"\\u{r:04x}"
    return f"\\U{r:08x}"


# Characters _quote_with may have to escape: anything but printable ASCII, quotes, backslash.
_MAYBE_ESCAPE = lazy_compile(r"[^ !#-&(-\[\]-~]")
_SURROGATE = "[\ud800-\udfff]"  # compiled on first use (a non-ASCII text): start-up time


def _quote_with(s: str, quote_char: str, ascii_only: bool) -> str:
    if s.isascii() or re.compile(_SURROGATE).search(s) is None:
        # Valid UTF-8: every rune is escaped on its own, so only the runes that may need it
        # go through appendEscapedRune.
        body = _MAYBE_ESCAPE.sub(lambda m: _escape_rune(ord(m.group()), quote_char, ascii_only), s)
        return quote_char + body + quote_char
    return _quote_runes(s, quote_char, ascii_only)


def _quote_runes(s: str, quote_char: str, ascii_only: bool) -> str:
    """strconv.appendQuotedWith rune by rune (invalid UTF-8 bytes escaped as \\xNN)."""
    parts = [quote_char]
    b = go_bytes(s)
    pos = 0
    for r, width in decode_runes(b):
        if width == 1 and r == _RUNE_ERROR:
            parts.append(f"\\x{b[pos]:02x}")
        else:
            parts.append(_escape_rune(r, quote_char, ascii_only))
        pos += width
    parts.append(quote_char)
    return "".join(parts)


# Printable ASCII other than `"` and `\`: strconv quotes such a string unchanged.
_PLAIN_ASCII = lazy_compile(r'[ !#-\[\]-~]*')


def quote(s: str) -> str:
    """strconv.Quote."""
    if _PLAIN_ASCII.fullmatch(s):
        return '"' + s + '"'
    return _quote_with(s, '"', False)


def quote_to_ascii(s: str) -> str:
    """strconv.QuoteToASCII."""
    if _PLAIN_ASCII.fullmatch(s):
        return '"' + s + '"'
    return _quote_with(s, '"', True)


def quote_rune(r: int, ascii_only: bool = False) -> str:
    """strconv.QuoteRune / QuoteRuneToASCII (invalid runes print as '\\ufffd' / '�')."""
    if r > _MAX_RUNE or r < 0 or 0xD800 <= r <= 0xDFFF:
        r = _RUNE_ERROR
    return "'" + _escape_rune(r, "'", ascii_only) + "'"


# --- strconv.FormatFloat -------------------------------------------------------------------


def _float32(f: float) -> float:
    return float(struct.unpack("<f", struct.pack("<f", f))[0])


def _parse_sci(text: str) -> tuple[str, int]:
    """'1.2345e+06' -> digits '12345' (no trailing zeros, '' for zero) and decimal point pos."""
    mant, _, exp = text.partition("e")
    digits = mant.replace(".", "")
    dp = int(exp) + 1 if exp else len(mant.split(".")[0])
    stripped = digits.lstrip("0")
    dp -= len(digits) - len(stripped)
    digits = stripped.rstrip("0")
    if not digits:
        return "", 0
    return digits, dp


def _shortest_digits(a: float, bitsize: int) -> tuple[str, int]:
    """Shortest decimal digits that round-trip (Go's Ryu shortest == Python's repr)."""
    if a == 0:
        return "", 0
    if bitsize == 32:
        for n in range(1, 10):
            text = f"{a:.{n - 1}e}"
            if _float32(float(text)) == a:
                return _parse_sci(text)
    return _parse_sci(f"{a:.17e}" if bitsize == 32 else repr(a))


def _rounded_digits(a: float, n: int) -> tuple[str, int]:
    """`a` correctly rounded (half to even on the exact binary value) to `n` significant digits."""
    if a == 0:
        return "", 0
    return _parse_sci(f"{a:.{n - 1}e}")


def _fmt_e(neg: bool, digits: str, dp: int, prec: int, verb: str) -> str:
    out = ["-" if neg else ""]
    out.append(digits[0] if digits else "0")
    if prec > 0:
        out.append(".")
        frac = digits[1 : 1 + prec]
        out.append(frac + "0" * (prec - len(frac)))
    exp = 0 if not digits else dp - 1
    out.append(verb)
    out.append("-" if exp < 0 else "+")
    exp = abs(exp)
    out.append(f"{exp:02d}")
    return "".join(out)


def _fmt_f(neg: bool, digits: str, dp: int, prec: int) -> str:
    out = ["-" if neg else ""]
    if dp > 0:
        intpart = digits[:dp]
        out.append(intpart + "0" * (dp - len(intpart)))
    else:
        out.append("0")
    if prec > 0:
        out.append(".")
        for i in range(prec):
            j = dp + i
            out.append(digits[j] if 0 <= j < len(digits) else "0")
    return "".join(out)


def _fmt_x(a: float, neg: bool, prec: int, verb: str, bitsize: int) -> str:
    """strconv's %x: -0x1.yyyyp±dd."""
    if bitsize == 32:
        bits = struct.unpack("<I", struct.pack("<f", a))[0]
        mantbits, expbits, bias = 23, 8, -127
    else:
        bits = struct.unpack("<Q", struct.pack("<d", a))[0]
        mantbits, expbits, bias = 52, 11, -1023
    exp = (bits >> mantbits) & ((1 << expbits) - 1)
    mant = bits & ((1 << mantbits) - 1)
    if exp == 0:
        exp += 1
    else:
        mant |= 1 << mantbits
    exp += bias
    if mant == 0:
        exp = 0
    mant <<= 60 - mantbits
    while mant != 0 and mant & (1 << 60) == 0:
        mant <<= 1
        exp -= 1
    if 0 <= prec < 15:
        shift = prec * 4
        extra = (mant << shift) & ((1 << 60) - 1)
        mant >>= 60 - shift
        if extra | (mant & 1) > 1 << 59:
            mant += 1
        mant <<= 60 - shift
        if mant & (1 << 61):
            mant >>= 1
            exp += 1
    hexdigits = _UDIGITS if verb == "X" else _LDIGITS
    out = ["-" if neg else "", "0", verb, str((mant >> 60) & 1)]
    mant = (mant << 4) & ((1 << 64) - 1)
    if prec < 0 and mant != 0:
        out.append(".")
        while mant != 0:
            out.append(hexdigits[(mant >> 60) & 15])
            mant = (mant << 4) & ((1 << 64) - 1)
    elif prec > 0:
        out.append(".")
        for _ in range(prec):
            out.append(hexdigits[(mant >> 60) & 15])
            mant = (mant << 4) & ((1 << 64) - 1)
    out.append("P" if verb == "X" else "p")
    out.append("-" if exp < 0 else "+")
    exp = abs(exp)
    out.append(f"{exp:02d}")
    return "".join(out)


def _fmt_b(a: float, neg: bool, bitsize: int) -> str:
    """strconv's %b: -ddddp±ddd (mantissa and binary exponent as decimal integers)."""
    if bitsize == 32:
        bits = struct.unpack("<I", struct.pack("<f", a))[0]
        mantbits, expbits, bias = 23, 8, -127
    else:
        bits = struct.unpack("<Q", struct.pack("<d", a))[0]
        mantbits, expbits, bias = 52, 11, -1023
    exp = (bits >> mantbits) & ((1 << expbits) - 1)
    mant = bits & ((1 << mantbits) - 1)
    if exp == 0:
        exp += 1
    else:
        mant |= 1 << mantbits
    exp += bias - mantbits
    return f"{'-' if neg else ''}{mant}p{'+' if exp >= 0 else ''}{exp}"


def format_float(f: float, fmt: str, prec: int, bitsize: int = 64) -> str:
    """strconv.FormatFloat(f, fmt, prec, bitsize) for fmt in b e E f g G x X."""
    if bitsize == 32:
        f = _float32(f)
    if math.isnan(f):
        return "NaN"
    if math.isinf(f):
        return "+Inf" if f > 0 else "-Inf"
    neg = math.copysign(1.0, f) < 0
    a = abs(f)
    if fmt == "b":
        return _fmt_b(a, neg, bitsize)
    if fmt in ("x", "X"):
        return _fmt_x(a, neg, prec, fmt, bitsize)
    if fmt not in ("e", "E", "f", "g", "G"):
        return "%" + fmt
    shortest = prec < 0
    if shortest:
        digits, dp = _shortest_digits(a, bitsize)
        nd = len(digits)
        if fmt in ("e", "E"):
            prec = max(nd - 1, 0)
        elif fmt == "f":
            prec = max(nd - dp, 0)
        else:
            prec = nd
    elif fmt in ("e", "E"):
        digits, dp = _rounded_digits(a, prec + 1)
    elif fmt == "f":
        text = f"{a:.{prec}f}"
        intpart, _, frac = text.partition(".")
        digits, dp = _parse_sci(f"{intpart}{frac}e{len(intpart) - 1}") if a else ("", 0)
    else:
        if prec == 0:
            prec = 1
        digits, dp = _rounded_digits(a, prec)
    nd = len(digits)
    if fmt in ("e", "E"):
        return _fmt_e(neg, digits, dp, prec, fmt)
    if fmt == "f":
        return _fmt_f(neg, digits, dp, prec)
    # %g / %G
    eprec = prec
    if eprec > nd and nd >= dp:
        eprec = nd
    if shortest:
        eprec = 6
    exp = dp - 1
    if exp < -4 or exp >= eprec:
        if prec > nd:
            prec = nd
        return _fmt_e(neg, digits, dp, prec - 1, "e" if fmt == "g" else "E")
    if prec > dp:
        prec = nd
    return _fmt_f(neg, digits, dp, max(prec - dp, 0))


# --- the printer ---------------------------------------------------------------------------


_BYTE_DECIMAL = [str(b) for b in range(256)]
# The digits of a byte as bytes.translate tables (hundreds, tens, units; NUL where a number has
# no such digit), made on the first []byte of _DIGITS_FROM bytes or more printed with %v.
_DIGIT_TABLES: list[bytes] = []
_DIGITS_FROM = 64
# Long byte strings printed so far: id -> (the bytes object, what %v prints of it). A chart that
# prints `$` (a `dict` with an odd argument count makes it a key) prints the same `.Files` bytes
# at every such call: envoy-gateway's 78 calls per render were three quarters of its execution.
# Keyed by identity and holding the object (so its id is not reused while it is here): a hit
# needs no hashing or comparison of megabytes, and a new chart's bytes never hit an old entry.
# Emptied when a render ends (forget_printed_bytes).
_BYTES_CACHE: dict[int, tuple[bytes, str]] = {}
_CACHE_FROM = 4096  # shorter ones are quicker to format again than to keep
_CACHE_CHARS = 1 << 25  # at most this many characters kept (~32 MB), dropped all at once past it
_cached_chars = 0


def forget_printed_bytes() -> None:
    """Let go of the byte strings printed so far (a render calls this when it ends: what it
    printed is kept for its own repeats, not for the life of the process)."""
    global _cached_chars
    _BYTES_CACHE.clear()
    _cached_chars = 0


def _bytes_v(v: bytes) -> str:
    """What %v prints of a []byte: the bytes in decimal, separated by spaces, in brackets."""
    n = len(v)
    if n < _DIGITS_FROM:
        return "[" + " ".join(map(_BYTE_DECIMAL.__getitem__, v)) + "]"
    if n < _CACHE_FROM:
        return _bytes_v_long(v)
    global _cached_chars
    hit = _BYTES_CACHE.get(id(v))
    if hit is not None and hit[0] is v:
        return hit[1]
    text = _bytes_v_long(v)
    if _cached_chars + len(text) > _CACHE_CHARS:
        _BYTES_CACHE.clear()
        _cached_chars = 0
    if len(text) <= _CACHE_CHARS:
        _BYTES_CACHE[id(v)] = (v, text)
        _cached_chars += len(text)
    return text


def _bytes_v_long(v: bytes) -> str:
    """_bytes_v of a long byte string, written in C (a chart's whole `.Files` printed through
    `dict $ ...` is megabytes): each digit column is a translation of the bytes into a slice of
    a buffer of 4-byte cells (three digits, a space) after the "[", and the NULs of missing
    digits are deleted: four times faster than joining the bytes' decimal strings."""
    n = len(v)
    if n == 0:
        return "[]"
    tables = _DIGIT_TABLES
    if not tables:
        tables.append(bytes(48 + b // 100 if b >= 100 else 0 for b in range(256)))
        tables.append(bytes(48 + b // 10 % 10 if b >= 10 else 0 for b in range(256)))
        tables.append(bytes(48 + b % 10 for b in range(256)))
    buf = bytearray(b" ") * (4 * n + 1)
    buf[0] = 0x5B  # [
    buf[1::4] = v.translate(tables[0])
    buf[2::4] = v.translate(tables[1])
    buf[3::4] = v.translate(tables[2])
    buf[-1] = 0x5D  # ] in place of the last space
    return buf.translate(None, b"\0").decode("ascii")


class _Flags:
    """fmt's fmtFlags plus width and precision (plain slotted class: no dataclass to create at import)."""

    __slots__ = (
        "wid", "prec", "wid_present", "prec_present", "minus", "plus", "sharp", "space", "zero",
        "plus_v", "sharp_v",
    )

    def __init__(self) -> None:
        self.wid = 0
        self.prec = 0
        self.wid_present = False
        self.prec_present = False
        self.minus = False
        self.plus = False
        self.sharp = False
        self.space = False
        self.zero = False
        self.plus_v = False
        self.sharp_v = False


def _is_unsigned(v: int) -> bool:
    return isinstance(v, (Uint64, Uint32, Uint8))


def _go_string_kind(v: Any) -> bool:
    return isinstance(v, str)


class _Printer:
    """fmt's pp: one output buffer plus the flags of the verb being printed."""

    def __init__(self) -> None:
        self.buf: list[str] = []
        self.f = _Flags()
        self.erroring = False
        self.arg: Any = None
        self.has_arg = False

    def text(self) -> str:
        return "".join(self.buf)

    def write(self, s: str) -> None:
        self.buf.append(s)

    # -- padding (format.go) ----------------------------------------------------------------

    def write_padding(self, n: int) -> None:
        if n > 0:
            self.buf.append(("0" if self.f.zero else " ") * n)

    def pad(self, s: str) -> None:
        f = self.f
        if not f.wid_present or f.wid == 0:
            self.buf.append(s)
            return
        width = f.wid - _rune_count(s)
        if not f.minus:
            self.write_padding(width)
            self.buf.append(s)
        else:
            self.buf.append(s)
            self.write_padding(width)

    def _pad_no_zero(self, s: str) -> None:
        old = self.f.zero
        self.f.zero = False
        self.pad(s)
        self.f.zero = old

    # -- leaves -----------------------------------------------------------------------------

    def fmt_boolean(self, v: bool) -> None:
        self.pad("true" if v else "false")

    def truncate(self, s: str) -> str:
        if self.f.prec_present:
            if s.isascii():
                return s[: self.f.prec]
            b = go_bytes(s)
            n, pos = self.f.prec, 0
            for _r, width in decode_runes(b):
                if n <= 0:
                    return b[:pos].decode("utf-8", "surrogateescape")
                n -= 1
                pos += width
        return s

    def fmt_s(self, s: str) -> None:
        self.pad(self.truncate(s))

    def fmt_sbx(self, data: bytes, digits: str) -> None:
        f = self.f
        length = len(data)
        if f.prec_present and f.prec < length:
            length = f.prec
        width = 2 * length
        if width > 0:
            if f.space:
                if f.sharp:
                    width *= 2
                width += length - 1
            elif f.sharp:
                width += 2
        else:
            if f.wid_present:
                self.write_padding(f.wid)
            return
        if f.wid_present and f.wid > width and not f.minus:
            self.write_padding(f.wid - width)
        out = []
        if f.sharp:
            out.append("0" + digits[16])
        for i in range(length):
            if f.space and i > 0:
                out.append(" ")
                if f.sharp:
                    out.append("0" + digits[16])
            c = data[i]
            out.append(digits[c >> 4] + digits[c & 0xF])
        self.buf.append("".join(out))
        if f.wid_present and f.wid > width and f.minus:
            self.write_padding(f.wid - width)

    def fmt_q(self, s: str) -> None:
        s = self.truncate(s)
        if self.f.sharp and can_backquote(s):
            self.pad("`" + s + "`")
        elif self.f.plus:
            self.pad(quote_to_ascii(s))
        else:
            self.pad(quote(s))

    def fmt_integer(self, u: int, base: int, signed: bool, verb: str, digits: str) -> None:
        """format.go fmtInteger; `u` is the Go value (negative only when signed)."""
        f = self.f
        negative = signed and u < 0
        if negative:
            u = -u
        prec = 0
        if f.prec_present:
            prec = f.prec
            if prec == 0 and u == 0:
                old = f.zero
                f.zero = False
                self.write_padding(f.wid)
                f.zero = old
                return
        elif f.zero and not f.minus and f.wid_present:
            prec = f.wid
            if negative or f.plus or f.space:
                prec -= 1
        if base == 10:
            body = str(u)
        elif base == 16:
            body = format(u, "x")
            if digits is _UDIGITS:
                body = body.upper()
        elif base == 8:
            body = format(u, "o")
        else:
            body = format(u, "b")
        if prec > len(body):
            body = "0" * (prec - len(body)) + body
        if f.sharp:
            if base == 2:
                body = "0b" + body
            elif base == 8:
                if body[0] != "0":
                    body = "0" + body
            elif base == 16:
                body = "0" + digits[16] + body
        if verb == "O":
            body = "0o" + body
        if negative:
            body = "-" + body
        elif f.plus:
            body = "+" + body
        elif f.space:
            body = " " + body
        self._pad_no_zero(body)

    def fmt_unicode(self, u: int) -> None:
        f = self.f
        prec = 4
        if f.prec_present and f.prec > 4:
            prec = f.prec
        tail = ""
        if f.sharp and u <= _MAX_RUNE and is_print(u):
            tail = " '" + chr(u) + "'"
        body = format(u, "X")
        if len(body) < prec:
            body = "0" * (prec - len(body)) + body
        self._pad_no_zero("U+" + body + tail)

    def fmt_c(self, u: int) -> None:
        r = u
        if u > _MAX_RUNE or 0xD800 <= u <= 0xDFFF:
            r = _RUNE_ERROR
        self.pad(chr(r))

    def fmt_qc(self, u: int) -> None:
        r = u
        if u > _MAX_RUNE or 0xD800 <= u <= 0xDFFF:
            r = _RUNE_ERROR
        if self.f.sharp and can_backquote(chr(r)):
            self.pad("'" + chr(r) + "'")
        else:
            self.pad(quote_rune(r, ascii_only=self.f.plus))

    def fmt_float_raw(self, v: float, size: int, verb: str, prec: int) -> None:
        """format.go fmtFloat."""
        f = self.f
        if f.prec_present:
            prec = f.prec
        num = format_float(v, "f" if verb == "F" else verb, prec, size)
        if num[0] in "-+":
            sign, num = num[0], num[1:]
        else:
            sign = "+"
        if f.space and sign == "+" and not f.plus:
            sign = " "
        if num[0] in "IN":  # Inf / NaN are not numbers: never zero-padded
            if num[0] == "N" and not f.space and not f.plus:
                sign = ""
            self._pad_no_zero(sign + num)
            return
        if f.sharp and verb != "b":
            num = self._sharp_float(num, verb, prec)
        if f.plus or sign != "+":
            full = sign + num
            if f.zero and not f.minus and f.wid_present and f.wid > len(full):
                self.buf.append(sign)
                self.write_padding(f.wid - len(full))
                self.buf.append(num)
                return
            self.pad(full)
            return
        self.pad(num)

    @staticmethod
    def _sharp_float(num: str, verb: str, prec: int) -> str:
        """The # flag: always a decimal point; %g/%G/%v/%x keep trailing zeros."""
        digits = 0
        if verb in ("v", "g", "G", "x"):
            digits = prec
            if digits == -1:
                digits = 6
        tail = ""
        head = num
        has_point = False
        saw_nonzero = False
        for i, c in enumerate(num):
            if c == ".":
                has_point = True
            elif c in "pP":
                tail, head = num[i:], num[:i]
                break
            elif c in "eE" and verb not in ("x", "X"):
                tail, head = num[i:], num[:i]
                break
            else:
                if c != "0":
                    saw_nonzero = True
                if saw_nonzero:
                    digits -= 1
        if not has_point:
            if head == "0":
                digits -= 1
            head += "."
        if digits > 0:
            head += "0" * digits
        return head + tail

    # -- by type (print.go) -----------------------------------------------------------------

    def bad_verb(self, verb: str) -> None:
        self.erroring = True
        self.buf.append("%!" + verb + "(")
        if self.has_arg and self.arg is not None:
            self.buf.append(go_type_name(self.arg) + "=")
            self.print_arg(self.arg, "v")
        else:
            self.buf.append(NIL_ANGLE)
        self.buf.append(")")
        self.erroring = False

    def fmt_bool(self, v: bool, verb: str) -> None:
        if verb in ("t", "v"):
            self.fmt_boolean(v)
        else:
            self.bad_verb(verb)

    def fmt_int(self, v: int, verb: str) -> None:
        signed = not _is_unsigned(v)
        if verb in ("v", "d"):
            if verb == "v" and self.f.sharp_v and not signed:
                self._fmt_0x64(v, True)
            else:
                self.fmt_integer(v, 10, signed, verb, _LDIGITS)
        elif verb == "b":
            self.fmt_integer(v, 2, signed, verb, _LDIGITS)
        elif verb in ("o", "O"):
            self.fmt_integer(v, 8, signed, verb, _LDIGITS)
        elif verb == "x":
            self.fmt_integer(v, 16, signed, verb, _LDIGITS)
        elif verb == "X":
            self.fmt_integer(v, 16, signed, verb, _UDIGITS)
        elif verb in ("c", "q", "U"):
            u = v & _UINT64_MASK
            if verb == "c":
                self.fmt_c(u)
            elif verb == "q":
                self.fmt_qc(u)
            else:
                self.fmt_unicode(u)
        else:
            self.bad_verb(verb)

    def _fmt_0x64(self, v: int, leading0x: bool) -> None:
        sharp = self.f.sharp
        self.f.sharp = leading0x
        self.fmt_integer(v, 16, False, "v", _LDIGITS)
        self.f.sharp = sharp

    def fmt_float(self, v: float, size: int, verb: str) -> None:
        if verb == "v":
            self.fmt_float_raw(v, size, "g", -1)
        elif verb in ("b", "g", "G", "x", "X"):
            self.fmt_float_raw(v, size, verb, -1)
        elif verb in ("f", "e", "E", "F"):
            self.fmt_float_raw(v, size, verb, 6)
        else:
            self.bad_verb(verb)

    def fmt_complex(self, v: complex, verb: str) -> None:
        """print.go fmtComplex: `(re+imi)`, the imaginary part always signed."""
        if verb not in ("v", "b", "g", "G", "x", "X", "f", "F", "e", "E"):
            self.bad_verb(verb)
            return
        old_plus = self.f.plus
        self.write("(")
        self.fmt_float(v.real, 64, verb)
        self.f.plus = True
        self.fmt_float(v.imag, 64, verb)
        self.write("i)")
        self.f.plus = old_plus

    def fmt_string(self, v: str, verb: str) -> None:
        if verb == "v":
            if self.f.sharp_v:
                self.fmt_q(v)
            else:
                self.fmt_s(v)
        elif verb == "s":
            self.fmt_s(v)
        elif verb == "x":
            self.fmt_sbx(go_bytes(v), _LDIGITS)
        elif verb == "X":
            self.fmt_sbx(go_bytes(v), _UDIGITS)
        elif verb == "q":
            self.fmt_q(v)
        else:
            self.bad_verb(verb)

    def fmt_bytes(self, v: bytes, verb: str, depth: int) -> None:
        if verb in ("v", "d") and self.f.sharp_v and is_go_nil(v):
            self.buf.append(("[]byte" if depth == 0 else "[]uint8") + "(nil)")
            return
        if verb in ("v", "d") and self.f.sharp_v:
            self.buf.append(("[]byte" if depth == 0 else "[]uint8") + "{")
            for i, c in enumerate(v):
                if i > 0:
                    self.buf.append(", ")
                self._fmt_0x64(c, True)
            self.buf.append("}")
        elif verb in ("v", "d") and not (self.f.wid_present or self.f.prec_present or self.f.plus or self.f.space):
            # No flag changes a byte's digits: the common case (a `.Files` value printed with
            # %v holds megabytes) is formatted in one go, not byte by byte.
            self.buf.append(_bytes_v(v))
        elif verb in ("v", "d"):
            self.buf.append("[")
            for i, c in enumerate(v):
                if i > 0:
                    self.buf.append(" ")
                self.fmt_integer(c, 10, False, verb, _LDIGITS)
            self.buf.append("]")
        elif verb == "s":
            self.fmt_s(v.decode("utf-8", "surrogateescape"))
        elif verb == "x":
            self.fmt_sbx(v, _LDIGITS)
        elif verb == "X":
            self.fmt_sbx(v, _UDIGITS)
        elif verb == "q":
            self.fmt_q(v.decode("utf-8", "surrogateescape"))
        else:
            self.print_list([Uint8(c) for c in v], verb, depth)

    def print_arg(self, arg: Any, verb: str) -> None:
        """print.go printArg: a top-level operand."""
        self.arg = arg
        self.has_arg = True
        if arg is None:
            if verb in ("T", "v"):
                self.pad(NIL_ANGLE)
            else:
                self.bad_verb(verb)
            return
        if verb == "T":
            self.fmt_s(go_type_name(arg))
            return
        self.print_value(arg, verb, 0)

    def print_value(self, v: Any, verb: str, depth: int) -> None:
        """print.go printValue: `v` is never None here (nil elements are handled by callers)."""
        if depth > 0:
            self.arg = v
            self.has_arg = True
        if isinstance(v, bool):
            self.fmt_bool(v, verb)
        elif isinstance(v, int):
            self.fmt_int(v, verb)
        elif isinstance(v, float):
            self.fmt_float(v, 64, verb)
        elif isinstance(v, complex):
            self.fmt_complex(v, verb)
        elif isinstance(v, str):
            self.fmt_string(v, verb)
        elif isinstance(v, (bytes, bytearray)):
            self.fmt_bytes(v if isinstance(v, bytes) else bytes(v), verb, depth)
        elif isinstance(v, dict):
            self.print_map(v, verb, depth)
        elif isinstance(v, (list, tuple)):
            self.print_list(v, verb, depth)
        elif isinstance(v, GoObject):
            self.print_object(v, verb)
        else:
            self.fmt_s(str(v))

    def print_element(self, v: Any, verb: str, depth: int) -> None:
        """An element of a container of interface {}: nil prints `<nil>` without padding."""
        if v is None:
            self.buf.append("interface {}(nil)" if self.f.sharp_v else NIL_ANGLE)
        else:
            self.print_value(v, verb, depth)

    def print_list(self, v: list[Any] | tuple[Any, ...], verb: str, depth: int) -> None:
        if self.f.sharp_v and is_go_nil(v):
            self.buf.append(go_type_name(v) + "(nil)")
            return
        if self.f.sharp_v:
            self.buf.append(go_type_name(v) if isinstance(v, list) else LIST_TYPE)
            self.buf.append("{")
            sep = ", "
        else:
            self.buf.append("[")
            sep = " "
        for i, x in enumerate(v):
            if i > 0:
                self.buf.append(sep)
            self.print_element(x, verb, depth + 1)
        self.buf.append("}" if self.f.sharp_v else "]")

    def print_map(self, v: dict[Any, Any], verb: str, depth: int) -> None:
        if self.f.sharp_v and is_go_nil(v):
            self.buf.append(go_type_name(v) + "(nil)")
            return
        if self.f.sharp_v:
            self.buf.append(go_type_name(v) + "{")
            sep = ", "
        else:
            self.buf.append("map[")
            sep = " "
        for i, key in enumerate(sorted_keys(v)):
            if i > 0:
                self.buf.append(sep)
            self.print_element(key, verb, depth + 1)
            self.buf.append(":")
            self.print_element(v[key], verb, depth + 1)
        self.buf.append("}" if self.f.sharp_v else "]")

    def print_object(self, v: GoObject, verb: str) -> None:
        """A Go struct/named type: it formats itself like a fmt.Stringer for v s q x X."""
        if verb in ("v", "s", "x", "X", "q") and not self.erroring:
            self.fmt_string(v.go_format(), verb)
        elif self.erroring:
            self.fmt_s(v.go_format())
        else:
            self.bad_verb(verb)


def sorted_keys(m: dict[Any, Any]) -> list[Any]:
    """Map keys in internal/fmtsort order: strings bytewise, numbers numerically,
    false before true; mixed dynamic types (interface keys) are ordered by type first."""
    keys = list(m)
    if all(isinstance(k, str) for k in keys):
        return sorted(keys, key=go_bytes)
    if all(isinstance(k, (int, float)) and not isinstance(k, bool) for k in keys):
        return sorted(keys)
    if all(isinstance(k, bool) for k in keys):
        return sorted(keys)
    return sorted(keys, key=lambda k: (go_type_name(k), str(k)))


# --- public API ----------------------------------------------------------------------------


def format_value(v: Any) -> str:
    """What fmt.Fprint(w, v) writes for a single operand (%v)."""
    if v is None:
        return NIL_ANGLE
    t = type(v)
    if t is str:
        return v  # type: ignore[no-any-return]
    if t is int:
        return str(v)
    if t is bool:
        return "true" if v else "false"
    p = _Printer()
    p.print_arg(v, "v")
    return p.text()


def sprint(*args: Any) -> str:
    """fmt.Sprint: a space between operands when neither side is a string."""
    p = _Printer()
    prev_string = False
    for i, arg in enumerate(args):
        is_string = _go_string_kind(arg)
        if i > 0 and not is_string and not prev_string:
            p.write(" ")
        p.f = _Flags()
        p.print_arg(arg, "v")
        prev_string = is_string
    return p.text()


def sprintln(*args: Any) -> str:
    """fmt.Sprintln: operands separated by spaces, then a newline."""
    p = _Printer()
    for i, arg in enumerate(args):
        if i > 0:
            p.write(" ")
        p.f = _Flags()
        p.print_arg(arg, "v")
    p.write("\n")
    return p.text()


_TOO_LARGE = 1_000_000


def _parsenum(s: str, start: int, end: int) -> tuple[int, bool, int]:
    if start >= end:
        return 0, False, end
    num, isnum, i = 0, False, start
    while i < end and "0" <= s[i] <= "9":
        if num > _TOO_LARGE:
            return 0, False, end
        num = num * 10 + ord(s[i]) - 48
        isnum = True
        i += 1
    return num, isnum, i


def _parse_arg_number(fmt: str, start: int) -> tuple[int, int, bool]:
    """print.go parseArgNumber on fmt[start:] which begins with '['."""
    if len(fmt) - start < 3:
        return 0, 1, False
    for i in range(start + 1, len(fmt)):
        if fmt[i] == "]":
            width, ok, newi = _parsenum(fmt, start + 1, i)
            if not ok or newi != i:
                return 0, i - start + 1, False
            return width - 1, i - start + 1, True
    return 0, 1, False


def _int_from_arg(args: tuple[Any, ...], arg_num: int) -> tuple[int, bool, int]:
    num, is_int, new = 0, False, arg_num
    if arg_num < len(args):
        a = args[arg_num]
        if isinstance(a, int) and not isinstance(a, bool):
            if _is_unsigned(a):
                is_int = a < (1 << 63)
            else:
                is_int = -(1 << 63) <= a < (1 << 63)
            num = a if is_int else 0
        new = arg_num + 1
        if num > _TOO_LARGE or num < -_TOO_LARGE:
            num, is_int = 0, False
    return num, is_int, new


class _Scan:
    """Sprintf's argument cursor (pp.argNum, pp.reordered, pp.goodArgNum)."""

    __slots__ = ("arg_num", "reordered", "good_arg_num")

    def __init__(self) -> None:
        self.arg_num = 0
        self.reordered = False
        self.good_arg_num = True


def _arg_number(st: _Scan, fmt: str, i: int, nargs: int) -> tuple[int, bool]:
    """print.go argNumber: an explicit `[n]` index at fmt[i]; returns (new i, found)."""
    if i >= len(fmt) or fmt[i] != "[":
        return i, False
    st.reordered = True
    index, wid, ok = _parse_arg_number(fmt, i)
    if ok and 0 <= index < nargs:
        st.arg_num = index
        return i + wid, True
    st.good_arg_num = False
    return i + wid, ok


# Format strings whose verbs are all %s, %v, %d or %% (no flags, width, precision or index):
# format -> (the text around the verbs, the verbs), or None for any other format. Charts call
# printf with a few such formats many times (`printf "%s-%s" .Release.Name $name`).
_SIMPLE_FORMATS: dict[str, tuple[tuple[str, ...], str] | None] = {}
_MAX_SIMPLE_FORMATS = 1024


def _simple_format(fmt: str) -> tuple[tuple[str, ...], str] | None:
    pieces: list[str] = []
    verbs: list[str] = []
    text: list[str] = []
    i = 0
    while True:
        j = fmt.find("%", i)
        if j < 0:
            text.append(fmt[i:])
            break
        text.append(fmt[i:j])
        verb = fmt[j + 1:j + 2]
        if verb == "%":
            text.append("%")
        elif verb in ("s", "v", "d") and verb:
            pieces.append("".join(text))
            text = []
            verbs.append(verb)
        else:
            return None
        i = j + 2
    pieces.append("".join(text))
    return tuple(pieces), "".join(verbs)


def sprintf(fmt: str, *args: Any) -> str:
    """fmt.Sprintf."""
    if fmt in _SIMPLE_FORMATS:
        simple = _SIMPLE_FORMATS[fmt]
    else:
        if len(_SIMPLE_FORMATS) >= _MAX_SIMPLE_FORMATS:
            _SIMPLE_FORMATS.clear()
        simple = _SIMPLE_FORMATS[fmt] = _simple_format(fmt)
    if simple is not None and len(simple[1]) == len(args):
        # One operand per verb, each a string for %s/%v or an int for %d/%v: what they print is
        # the string, or the int in decimal. Anything else takes the full printer.
        pieces, verbs = simple
        out = [pieces[0]]
        for k, arg in enumerate(args):
            t = type(arg)
            if t is str and verbs[k] != "d":
                out.append(arg)
            elif t is int and verbs[k] != "s":
                out.append(str(arg))
            else:
                break
            out.append(pieces[k + 1])
        else:
            return "".join(out)
    p = _Printer()
    st = _Scan()
    end = len(fmt)
    nargs = len(args)
    i = 0
    after_index = False
    while i < end:
        st.good_arg_num = True
        j = fmt.find("%", i)
        if j < 0:
            p.write(fmt[i:])
            break
        if j > i:
            p.write(fmt[i:j])
        i = j + 1
        f = p.f = _Flags()
        simple_done = False
        while i < end:
            c = fmt[i]
            if c == "#":
                f.sharp = True
            elif c == "0":
                f.zero = not f.minus  # zero padding only ever goes on the left
            elif c == "+":
                f.plus = True
            elif c == "-":
                f.minus = True
                f.zero = False
            elif c == " ":
                f.space = True
            else:
                if "a" <= c <= "z" and st.arg_num < nargs:
                    if c == "v":
                        f.sharp_v, f.sharp = f.sharp, False
                        f.plus_v, f.plus = f.plus, False
                    p.print_arg(args[st.arg_num], c)
                    st.arg_num += 1
                    i += 1
                    simple_done = True
                break
            i += 1
        if simple_done:
            continue

        i, after_index = _arg_number(st, fmt, i, nargs)

        if i < end and fmt[i] == "*":
            i += 1
            f.wid, f.wid_present, st.arg_num = _int_from_arg(args, st.arg_num)
            if not f.wid_present:
                p.write("%!(BADWIDTH)")
            if f.wid < 0:
                f.wid = -f.wid
                f.minus = True
                f.zero = False
            after_index = False
        else:
            f.wid, f.wid_present, i = _parsenum(fmt, i, end)
            if after_index and f.wid_present:
                st.good_arg_num = False

        if i + 1 < end and fmt[i] == ".":
            i += 1
            if after_index:
                st.good_arg_num = False
            i, after_index = _arg_number(st, fmt, i, nargs)
            if i < end and fmt[i] == "*":
                i += 1
                f.prec, f.prec_present, st.arg_num = _int_from_arg(args, st.arg_num)
                if f.prec < 0:
                    f.prec = 0
                    f.prec_present = False
                if not f.prec_present:
                    p.write("%!(BADPREC)")
                after_index = False
            else:
                f.prec, f.prec_present, i = _parsenum(fmt, i, end)
                if not f.prec_present:
                    f.prec = 0
                    f.prec_present = True

        if not after_index:
            i, after_index = _arg_number(st, fmt, i, nargs)

        if i >= end:
            p.write("%!(NOVERB)")
            break

        verb = fmt[i]
        i += 1
        if verb == "%":
            p.write("%")
        elif not st.good_arg_num:
            p.write(f"%!{verb}(BADINDEX)")
        elif st.arg_num >= nargs:
            p.write(f"%!{verb}(MISSING)")
        else:
            if verb == "v":
                f.sharp_v, f.sharp = f.sharp, False
                f.plus_v, f.plus = f.plus, False
            p.print_arg(args[st.arg_num], verb)
            st.arg_num += 1

    if not st.reordered and st.arg_num < nargs:
        p.f = _Flags()
        p.write("%!(EXTRA ")
        for k, arg in enumerate(args[st.arg_num :]):
            if k > 0:
                p.write(", ")
            if arg is None:
                p.write(NIL_ANGLE)
            else:
                p.write(go_type_name(arg) + "=")
                p.print_arg(arg, "v")
        p.write(")")
    return p.text()

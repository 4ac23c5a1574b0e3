"""Sprig's string functions (sprig v3.3.0 functions.go / strings.go), with Go's semantics.

Go strings are byte strings: `trunc`, `substr`, `wrap`, `initials` and `nospace` work on UTF-8
bytes, not characters. A Python `str` stands for a Go string; bytes that are not valid UTF-8
(e.g. after `trunc` cut a character in half) are carried as surrogate escapes
(`errors="surrogateescape"`), so every byte round-trips. Case mappings use Go's `unicode`
package rules (simple, one-rune mappings; categories Lu/Ll/Lt), not Python's full mappings.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Iterable

from hooklint.gotemplate import gofmt
from hooklint.gotemplate.gotypes import (
    ANY,
    BOOL,
    INT,
    STRING,
    STRLIST,
    STRMAP,
    GoPanic,
    StrList,
    StrMap,
    Uint8,
    gofunc,
)
from hooklint.gotemplate.gounicode import is_space, trim_space

TYPE_CHECKING = False  # not `typing`'s: importing typing costs ~3 ms of every run
if TYPE_CHECKING:
    from typing import Any

# Results longer than this are refused instead of exhausting memory (Go would try to allocate).
MAX_RESULT_LEN = 1 << 28


# --- Go string representation ---------------------------------------------------------------


def go_bytes(s: str) -> bytes:
    """The bytes of a Go string held in a Python str."""
    return s.encode("utf-8", "surrogateescape")


def from_go_bytes(b: bytes) -> str:
    """A Go string (arbitrary bytes) as a Python str."""
    return b.decode("utf-8", "surrogateescape")


def _latin1_runes(b: bytes) -> str:
    """What goutils produces by writing `rune(str[i])` for each byte: bytes read as Latin-1."""
    return b.decode("latin-1")


def _valid_runes(s: str) -> str:
    """Go's rune iteration turns each invalid byte into U+FFFD (strings.Map, []rune(s))."""
    if s.isascii():
        return s
    return "".join("\ufffd" if "\udc80" <= c <= "\udcff" else c for c in s)


# --- Go's unicode package -------------------------------------------------------------------



def is_upper(c: str) -> bool:
    return unicodedata.category(c) == "Lu"


def is_lower(c: str) -> bool:
    return unicodedata.category(c) == "Ll"


def is_title(c: str) -> bool:
    return unicodedata.category(c) == "Lt"


def is_letter(c: str) -> bool:
    return unicodedata.category(c)[0] == "L"


def is_digit(c: str) -> bool:
    return unicodedata.category(c) == "Nd"


def is_number(c: str) -> bool:
    return unicodedata.category(c)[0] == "N"


def is_punct(c: str) -> bool:
    return unicodedata.category(c)[0] == "P"


def to_upper(c: str) -> str:
    """unicode.ToUpper: the simple (one-rune) mapping; Python's str.upper is the full one."""
    u = c.upper()
    if len(u) == 1:
        return u
    t = c.title()  # e.g. U+1FB3: full upper is two runes, the simple mapping is the titlecase
    return t if len(t) == 1 else c


def to_lower(c: str) -> str:
    low = c.lower()
    if len(low) == 1:
        return low
    return "i" if c == "\u0130" else c


def to_title(c: str) -> str:
    t = c.title()
    return t if len(t) == 1 else to_upper(c)


def _map_runes(fn: Callable[[str], str], s: str) -> str:
    return "".join(fn(c) for c in _valid_runes(s))


def go_upper(s: str) -> str:
    """strings.ToUpper."""
    if s.isascii():  # Go's ASCII fast path maps exactly a-z, as str.upper does on ASCII
        return s.upper()
    return _map_runes(to_upper, s)


def go_lower(s: str) -> str:
    if s.isascii():  # see go_upper
        return s.lower()
    return _map_runes(to_lower, s)




def _is_title_separator(c: str) -> bool:
    """strings.isSeparator (used by strings.Title)."""
    if c <= "\x7f":
        return not (c.isascii() and (c.isalnum() or c == "_"))
    if is_letter(c) or is_digit(c):
        return False
    return is_space(c)


def go_title(s: str) -> str:
    """strings.Title: upper-case (title-case) the first rune of each word."""
    out = []
    prev = " "
    for c in _valid_runes(s):
        out.append(to_title(c) if _is_title_separator(prev) else c)
        prev = c
    return "".join(out)


def go_repeat(s: str, count: int) -> str:
    if count < 0:
        raise GoPanic("strings: negative Repeat count")
    check_result_len(len(s) * count)
    return s * count


def check_result_len(n: int) -> None:
    if n > MAX_RESULT_LEN:
        raise GoPanic(f"hooklint: refusing to build a result of {n} elements (limit {MAX_RESULT_LEN})")


def go_split(s: str, sep: str, n: int = -1) -> list[str]:
    """strings.SplitN (n < 0: all parts); an empty sep splits after each UTF-8 sequence."""
    if n == 0:
        return []
    if sep == "":
        runes = list(s)
        if 0 < n < len(runes):
            return runes[: n - 1] + ["".join(runes[n - 1 :])]
        return runes
    return s.split(sep) if n < 0 else s.split(sep, n - 1)


# --- fmt-based conversions ------------------------------------------------------------------


def sprint_v(value: Any) -> str:
    """fmt.Sprintf("%v", value)."""
    return gofmt.format_value(value)


def strval(value: Any) -> str:
    """Sprig's strval: strings and []byte as is, everything else as fmt's %v prints it."""
    if isinstance(value, str):
        return value
    if isinstance(value, bytes):
        return from_go_bytes(value)
    return sprint_v(value)


def slice_items(value: Any) -> list[Any] | None:
    """Elements of a Go slice or array value (reflect.Slice/Array kinds), else None."""
    if isinstance(value, bytes):
        return [Uint8(b) for b in value]
    if isinstance(value, list):
        return list(value)
    return None


def strslice(value: Any) -> StrList:
    """Sprig's strslice (toStrings): a []string from any value; nil elements are dropped."""
    if isinstance(value, StrList):
        return value
    items = slice_items(value)
    if items is None:
        return StrList() if value is None else StrList([strval(value)])
    return StrList(strval(v) for v in items if v is not None)


# --- goutils (Masterminds/goutils v1.1.1) ---------------------------------------------------


def _abbreviate_full(s: bytes, offset: int, max_width: int) -> bytes | None:
    """goutils.AbbreviateFull on bytes; None where it returns an error (Sprig then uses "")."""
    if not s:
        return b""
    if max_width < 4:
        return None
    if len(s) <= max_width:
        return s
    offset = min(offset, len(s))
    if len(s) - offset < max_width - 3:
        offset = len(s) - (max_width - 3)
    if offset <= 4:
        return s[: max_width - 3] + b"..."
    if max_width < 7:
        return None
    if offset + max_width - 3 < len(s):
        rest = _abbreviate_full(s[offset:], 0, max_width - 3)
        return b"..." + (rest if rest is not None else b"")
    return b"..." + s[len(s) - (max_width - 3) :]


def _wrap_custom(s: bytes, wrap_length: int, newline: bytes, wrap_long_words: bool) -> bytes:
    """goutils.WrapCustom: byte-oriented, words separated by ' ' only."""
    if not s:
        return b""
    if not newline:
        newline = b"\n"
    wrap_length = max(wrap_length, 1)
    out = bytearray()
    offset = 0
    n = len(s)
    while n - offset > wrap_length:
        if s[offset] == 0x20:
            offset += 1
            continue
        end = wrap_length + offset + 1
        space_at = s.rfind(b" ", offset, end)
        if space_at >= offset:
            out += s[offset:space_at] + newline
            offset = space_at + 1
        elif wrap_long_words:
            out += s[offset : offset + wrap_length] + newline
            offset += wrap_length
        else:
            end = wrap_length + offset
            index = s.find(b" ", end)
            if index == -1:
                out += s[offset:]
                offset = n
            else:
                out += s[offset:index] + newline
                offset = index + 1
    out += s[offset:]
    return bytes(out)


def _uncapitalize(s: str) -> str:
    """goutils.Uncapitalize: lower-case the first rune of each whitespace-separated word."""
    out = []
    next_word = True
    for c in _valid_runes(s):
        if is_space(c):
            next_word = True
            out.append(c)
        elif next_word:
            out.append(to_lower(c))
            next_word = False
        else:
            out.append(c)
    return "".join(out)


def _swap_case(s: str) -> str:
    """goutils.SwapCase: word starts become title case, other letters swap case."""
    out = []
    whitespace = True
    for c in _valid_runes(s):
        if is_upper(c) or is_title(c):
            out.append(to_lower(c))
            whitespace = False
        elif is_lower(c):
            out.append(to_title(c) if whitespace else to_upper(c))
            whitespace = False
        else:
            out.append(c)
            whitespace = is_space(c)
    return "".join(out)


def _initials(s: str) -> str:
    """goutils.Initials: iterates bytes, each read as a Latin-1 rune (so non-ASCII is mangled)."""
    out = []
    last_was_gap = True
    for c in _latin1_runes(go_bytes(s)):
        if is_space(c):
            last_was_gap = True
        elif last_was_gap:
            out.append(c)
            last_was_gap = False
    return "".join(out)


def _delete_white_space(s: str) -> str:
    """goutils.DeleteWhiteSpace: byte-wise; returns s untouched when no byte is whitespace."""
    runes = _latin1_runes(go_bytes(s))
    kept = "".join(c for c in runes if not is_space(c))
    return s if len(kept) == len(runes) else kept


# --- huandu/xstrings v1.5.0 -----------------------------------------------------------------


def _is_connector(c: str) -> bool:
    return c in "-_" or is_space(c)


def _is_alphabet(c: str) -> bool:
    """xstrings' isAlphabet: a letter that is not a CJK ideograph."""
    if not is_letter(c):
        return False
    r = ord(c)
    if r < 0x3400:
        return True
    return not (0x4E00 <= r <= 0x9FCC or 0x3400 <= r <= 0x4D85 or 0x20000 <= r <= 0x2B81D)


def _to_pascal_case(s: str) -> str:
    """xstrings.ToPascalCase (toCamelCase(str, true))."""
    if not s:
        return ""
    runes = _valid_runes(s)
    out: list[str] = []
    i = 0
    r0 = ""
    first_upper = False
    while i < len(runes):
        r0 = runes[i]
        i += 1
        if not _is_connector(r0):
            first_upper = is_upper(r0)
            r0 = to_upper(r0)
            break
        out.append(r0)
    if i == len(runes):
        # Go writes the last rune read once more here, even when it was a connector.
        out.append(r0)
        return "".join(out)
    while i < len(runes):
        r1 = r0
        r0 = runes[i]
        i += 1
        if _is_connector(r0) and _is_connector(r1):
            out.append(r1)
            continue
        if _is_connector(r1):
            first_upper = is_upper(r0)
            r0 = to_upper(r0)
        else:
            if first_upper:
                if is_upper(r0):
                    r0 = to_lower(r0)
                else:
                    first_upper = False
            out.append(r1)
    out.append(r0)
    return "".join(out)


# Word types of xstrings' nextWord.
_INVALID, _NUMBER, _UPPER, _ALPHA, _CONNECTOR, _PUNCT, _OTHER = range(7)


def _is_bad_byte(c: str) -> bool:
    """A rune DecodeRuneInString reports as RuneError: an invalid UTF-8 byte (carried as a
    surrogate escape) or U+FFFD itself, which nextValidRune cannot tell apart."""
    return "\udc80" <= c <= "\udcff" or c == "\ufffd"


def _next_valid_rune(s: str, i: int, prev: str) -> tuple[str, int]:
    """xstrings.nextValidRune at s[i:]: the first valid rune and how many characters it took
    with the invalid bytes before it; `prev` (and everything) when only invalid bytes remain."""
    j = i
    while j < len(s):
        if not _is_bad_byte(s[j]):
            return s[j], j + 1 - i
        j += 1
    return prev, j - i


def _next_word(s: str) -> tuple[int, str, str]:
    """xstrings.nextWord: (word type, word, remaining). Invalid bytes are skipped over while
    classifying, so they stick to the word after them (or end the string as an invalid word)."""
    if not s:
        return _INVALID, "", ""
    r, size = _next_valid_rune(s, 0, "\ufffd")
    offset = size
    if r == "\ufffd":  # nothing but invalid runes left
        return _INVALID, s[:offset], s[offset:]
    pos = size  # start of `remaining`

    def extend(pred: Callable[[str], bool], prev: str) -> tuple[str, int]:
        """Take runes while `pred` holds: (last rune read, its size) when it stopped."""
        nonlocal offset, pos
        rr, sz = prev, 0
        while pos < len(s):
            rr, sz = _next_valid_rune(s, pos, rr)
            if not pred(rr):
                break
            offset += sz
            pos += sz
        return rr, sz

    if _is_connector(r):
        extend(_is_connector, r)
        return _CONNECTOR, s[:offset], s[offset:]
    if is_punct(r):
        extend(is_punct, r)
        return _PUNCT, s[:offset], s[offset:]
    if is_upper(r):
        if pos >= len(s):
            return _UPPER, s[:offset], s[offset:]
        r1, size1 = _next_valid_rune(s, pos, r)
        if is_upper(r1):
            prev_size = size1
            offset += size1
            pos += size1
            rr = r1
            while pos < len(s):
                rr, sz = _next_valid_rune(s, pos, rr)
                if not is_upper(rr):
                    break
                prev_size = sz
                offset += sz
                pos += sz
            # "HTTPStatus" -> "HTTP" + "Status": the last upper rune starts the next word.
            if pos < len(s) and _is_alphabet(rr):
                offset -= prev_size
            return _UPPER, s[:offset], s[offset:]
        if _is_alphabet(r1):
            offset += size1
            pos += size1
            extend(lambda c: _is_alphabet(c) and not is_upper(c), r1)
        return _UPPER, s[:offset], s[offset:]
    if _is_alphabet(r):
        extend(lambda c: _is_alphabet(c) and not is_upper(c), r)
        return _ALPHA, s[:offset], s[offset:]
    if is_number(r):
        extend(is_number, r)
        return _NUMBER, s[:offset], s[offset:]
    extend(lambda c: not (_is_connector(c) or _is_alphabet(c) or is_number(c) or is_punct(c)), r)
    return _OTHER, s[:offset], s[offset:]


def _lower_word(out: list[str], wt: int, word: str, connector: str) -> None:
    """xstrings' toLower helper."""
    if wt not in (_UPPER, _CONNECTOR):
        out.append(word)
        return
    for c in _valid_runes(word):  # DecodeRuneInString: an invalid byte is written as U+FFFD
        if _is_connector(c):
            out.append(connector)
        elif is_upper(c):
            out.append(to_lower(c))
        else:
            out.append(c)


def _camel_to_lower(s: str, connector: str) -> str:
    """xstrings.camelCaseToLowerCase (ToSnakeCase / ToKebabCase)."""
    if not s:
        return ""
    out: list[str] = []
    wt, word, remaining = _next_word(s)
    while remaining:
        if wt != _CONNECTOR:
            _lower_word(out, wt, word, connector)
        prev, last = wt, word
        wt, word, remaining = _next_word(remaining)
        if prev == _NUMBER:
            while wt in (_ALPHA, _NUMBER):
                _lower_word(out, wt, word, connector)
                wt, word, remaining = _next_word(remaining)
            if wt not in (_INVALID, _PUNCT, _CONNECTOR):
                out.append(connector)
        elif prev == _CONNECTOR:
            _lower_word(out, prev, last, connector)
        elif prev == _PUNCT:
            pass
        else:
            if wt != _NUMBER:
                if wt not in (_CONNECTOR, _PUNCT):
                    out.append(connector)
                continue
            if not remaining:
                continue
            last = word
            wt, word, remaining = _next_word(remaining)
            # A number is part of the previous word ("Bld4Floor" -> "bld4_floor")...
            if wt != _ALPHA:
                _lower_word(out, _NUMBER, last, connector)
                if wt not in (_CONNECTOR, _PUNCT):
                    out.append(connector)
                continue
            # ...unless lower-case letters follow it ("HTTP2xx" -> "http_2xx").
            out.append(connector)
            _lower_word(out, _NUMBER, last, connector)
            while wt in (_ALPHA, _NUMBER):
                _lower_word(out, wt, word, connector)
                wt, word, remaining = _next_word(remaining)
            if wt not in (_INVALID, _CONNECTOR, _PUNCT):
                out.append(connector)
    _lower_word(out, wt, word, connector)
    return "".join(out)


# --- the template functions -----------------------------------------------------------------


@gofunc(result=STRING)
def hello() -> str:
    return "Hello!"


@gofunc(INT, STRING, result=STRING)
def abbrev(width: int, s: str) -> str:
    if width < 4:
        return s
    r = _abbreviate_full(go_bytes(s), 0, width)
    return from_go_bytes(r) if r is not None else ""


@gofunc(INT, INT, STRING, result=STRING)
def abbrevboth(left: int, right: int, s: str) -> str:
    if right < 4 or (left > 0 and right < 7):
        return s
    r = _abbreviate_full(go_bytes(s), left, right)
    return from_go_bytes(r) if r is not None else ""


@gofunc(INT, STRING, result=STRING)
def trunc(c: int, s: str) -> str:
    b = go_bytes(s)
    if c < 0 and len(b) + c > 0:
        return from_go_bytes(b[len(b) + c :])
    if c >= 0 and len(b) > c:
        return from_go_bytes(b[:c])
    return s


@gofunc(STRING, result=STRING)
def trim(s: str) -> str:
    return trim_space(s)


@gofunc(STRING, result=STRING)
def upper(s: str) -> str:
    return go_upper(s)


@gofunc(STRING, result=STRING)
def lower(s: str) -> str:
    return go_lower(s)


@gofunc(STRING, result=STRING)
def title(s: str) -> str:
    return go_title(s)


@gofunc(STRING, result=STRING)
def untitle(s: str) -> str:
    return _uncapitalize(s)


def _slice_bounds_panic(text: str) -> GoPanic:
    return GoPanic(f"runtime error: slice bounds out of range {text}")


@gofunc(INT, INT, STRING, result=STRING)
def substr(start: int, end: int, s: str) -> str:
    """Sprig's substring: Go slicing of the bytes, panicking like Go on bad bounds."""
    b = go_bytes(s)
    n = len(b)
    if start < 0:
        if end < 0:
            raise _slice_bounds_panic(f"[:{end}]")
        if end > n:
            raise _slice_bounds_panic(f"[:{end}] with length {n}")
        return from_go_bytes(b[:end])
    if end < 0 or end > n:
        if start > n:
            raise _slice_bounds_panic(f"[{start}:{n}]")
        return from_go_bytes(b[start:])
    if start > end:
        raise _slice_bounds_panic(f"[{start}:{end}]")
    return from_go_bytes(b[start:end])


@gofunc(INT, STRING, result=STRING)
def repeat(count: int, s: str) -> str:
    return go_repeat(s, count)


@gofunc(STRING, STRING, result=STRING)
def trim_all(cutset: str, s: str) -> str:
    return s.strip(cutset) if cutset else s


@gofunc(STRING, STRING, result=STRING)
def trim_suffix(suffix: str, s: str) -> str:
    return s[: len(s) - len(suffix)] if suffix and s.endswith(suffix) else s


@gofunc(STRING, STRING, result=STRING)
def trim_prefix(prefix: str, s: str) -> str:
    return s[len(prefix) :] if s.startswith(prefix) else s


@gofunc(STRING, result=STRING)
def nospace(s: str) -> str:
    return _delete_white_space(s)


@gofunc(STRING, result=STRING)
def initials(s: str) -> str:
    return _initials(s)


@gofunc(STRING, result=STRING)
def swapcase(s: str) -> str:
    return _swap_case(s)


@gofunc(STRING, result=STRING)
def snakecase(s: str) -> str:
    return _camel_to_lower(s, "_")


@gofunc(STRING, result=STRING)
def camelcase(s: str) -> str:
    return _to_pascal_case(s)


@gofunc(STRING, result=STRING)
def kebabcase(s: str) -> str:
    return _camel_to_lower(s, "-")


@gofunc(INT, STRING, result=STRING)
def wrap(length: int, s: str) -> str:
    return from_go_bytes(_wrap_custom(go_bytes(s), length, b"", False))


@gofunc(INT, STRING, STRING, result=STRING)
def wrap_with(length: int, sep: str, s: str) -> str:
    return from_go_bytes(_wrap_custom(go_bytes(s), length, go_bytes(sep), True))


@gofunc(STRING, STRING, result=BOOL)
def contains(substr: str, s: str) -> bool:
    return substr in s


@gofunc(STRING, STRING, result=BOOL)
def has_prefix(prefix: str, s: str) -> bool:
    return s.startswith(prefix)


@gofunc(STRING, STRING, result=BOOL)
def has_suffix(suffix: str, s: str) -> bool:
    return s.endswith(suffix)


@gofunc(variadic=ANY, result=STRING)
def quote(*values: Any) -> str:
    return " ".join(gofmt.quote(strval(v)) for v in values if v is not None)


@gofunc(variadic=ANY, result=STRING)
def squote(*values: Any) -> str:
    return " ".join(f"'{sprint_v(v)}'" for v in values if v is not None)


@gofunc(variadic=ANY, result=STRING)
def cat(*values: Any) -> str:
    return " ".join(sprint_v(v) for v in values if v is not None)


def _indent(spaces: int, v: str) -> str:
    pad = go_repeat(" ", spaces)
    return pad + v.replace("\n", "\n" + pad)


@gofunc(INT, STRING, result=STRING)
def indent(spaces: int, v: str) -> str:
    return _indent(spaces, v)


@gofunc(INT, STRING, result=STRING)
def nindent(spaces: int, v: str) -> str:
    return "\n" + _indent(spaces, v)


@gofunc(STRING, STRING, STRING, result=STRING)
def replace(old: str, new: str, src: str) -> str:
    if old == "":
        check_result_len(len(src) + (len(src) + 1) * len(new))
    return src.replace(old, new)


@gofunc(STRING, STRING, INT, result=STRING)
def plural(one: str, many: str, count: int) -> str:
    return one if count == 1 else many


@gofunc(ANY, result=STRING)
def to_string(v: Any) -> str:
    return strval(v)


def _indexed_map(parts: Iterable[str]) -> StrMap:
    return StrMap((f"_{i}", p) for i, p in enumerate(parts))


@gofunc(STRING, STRING, result=STRMAP)
def split(sep: str, orig: str) -> StrMap:
    return _indexed_map(go_split(orig, sep))


@gofunc(STRING, STRING, result=STRLIST)
def split_list(sep: str, orig: str) -> StrList:
    return StrList(go_split(orig, sep))


@gofunc(STRING, INT, STRING, result=STRMAP)
def splitn(sep: str, n: int, orig: str) -> StrMap:
    return _indexed_map(go_split(orig, sep, n))


@gofunc(ANY, result=STRLIST)
def to_strings(v: Any) -> StrList:
    return strslice(v)


@gofunc(STRING, ANY, result=STRING)
def join(sep: str, v: Any) -> str:
    return sep.join(strslice(v))


FUNCS: dict[str, Callable[..., Any]] = {
    "hello": hello,
    "abbrev": abbrev,
    "abbrevboth": abbrevboth,
    "trunc": trunc,
    "trim": trim,
    "upper": upper,
    "lower": lower,
    "title": title,
    "untitle": untitle,
    "substr": substr,
    "repeat": repeat,
    "trimall": trim_all,  # deprecated alias of trimAll
    "trimAll": trim_all,
    "trimSuffix": trim_suffix,
    "trimPrefix": trim_prefix,
    "nospace": nospace,
    "initials": initials,
    "swapcase": swapcase,
    "snakecase": snakecase,
    # Sprig maps camelcase to xstrings.ToPascalCase (upper camel case).
    "camelcase": camelcase,
    "kebabcase": kebabcase,
    "wrap": wrap,
    "wrapWith": wrap_with,
    "contains": contains,
    "hasPrefix": has_prefix,
    "hasSuffix": has_suffix,
    "quote": quote,
    "squote": squote,
    "cat": cat,
    "indent": indent,
    "nindent": nindent,
    "replace": replace,
    "plural": plural,
    "toString": to_string,
    "split": split,
    "splitList": split_list,
    "splitn": splitn,
    "toStrings": to_strings,
    "join": join,
}

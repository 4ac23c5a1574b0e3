"""Sprig's regular-expression functions (sprig v3.3.0 regex.go) with Go regexp semantics.

Matching uses RE2 (`google-re2`), the engine Go's regexp package was modelled on, so the
syntax and leftmost-first semantics agree. What RE2's Python API does differently is
reimplemented here from Go's regexp.go on byte offsets: the rules for empty matches in
FindAll/ReplaceAll/Split, `$1`/`${name}` expansion, QuoteMeta, and the wording of compile
errors ("error parsing regexp: missing closing ): `(`") and of MustCompile's panic.
"""

from __future__ import annotations

import functools
import unicodedata
from collections.abc import Callable, Iterator

import re2

from hooklint.gotemplate.gofmt import can_backquote, go_bytes, quote
from hooklint.gotemplate.gotypes import (
    BOOL,
    INT,
    STRING,
    STRLIST,
    GoFuncError,
    GoPanic,
    NilStrList,
    StrList,
    gofunc,
)
from hooklint.gotemplate.sprig.encoding import go_string

TYPE_CHECKING = False  # not `typing`'s: importing typing costs ~3 ms of every run
if TYPE_CHECKING:
    from typing import Any


class RegexpSyntaxError(Exception):
    """Go's *syntax.Error; str() is Go's err.Error()."""


# RE2's error-code texts -> Go's regexp/syntax ErrorCode texts (the argument is the same).
_RE2_TO_GO = {
    "missing )": "missing closing )",
    "missing ]": "missing closing ]",
    "unexpected )": "unexpected )",
    "bad repetition operator": "invalid nested repetition operator",
    "invalid repetition size": "invalid repeat count",
    "no argument for repetition operator": "missing argument to repetition operator",
    "invalid perl operator": "invalid or unsupported Perl syntax",
    "invalid named capture group": "invalid named capture",
    "invalid escape sequence": "invalid escape sequence",
    "invalid character class": "invalid character class",
    "invalid character class range": "invalid character class range",
    "invalid UTF-8": "invalid UTF-8",
    "pattern too large - compile failed": "expression too large",
}


def _go_syntax_error(re2_message: str, pattern: str) -> RegexpSyntaxError:
    if re2_message.startswith("trailing \\"):
        # Go reports an empty expression for a trailing backslash.
        return RegexpSyntaxError("error parsing regexp: trailing backslash at end of expression: ``")
    code, _, arg = re2_message.partition(": ")
    go_code = _RE2_TO_GO.get(code, code)
    if go_code == "expression too large":
        arg = pattern
    return RegexpSyntaxError(f"error parsing regexp: {go_code}: `{arg}`")


def _reject_backslash_c(pattern: str) -> None:
    # RE2 accepts \C (any byte); Go's parser rejects it as an invalid escape.
    i = 0
    while i < len(pattern):
        if pattern[i] == "\\":
            if pattern[i + 1 : i + 2] == "C":
                raise RegexpSyntaxError("error parsing regexp: invalid escape sequence: `\\C`")
            i += 2
        else:
            i += 1


class GoRegexp:
    """A compiled Go regexp; all positions are byte offsets into the UTF-8 subject."""

    def __init__(self, pattern: str) -> None:
        self.pattern = pattern
        options = re2.Options()
        options.log_errors = False
        try:
            self._re = re2.compile(go_bytes(pattern), options)
        except re2.error as e:
            raw = e.args[0] if e.args else b""
            message = raw.decode("utf-8", "replace") if isinstance(raw, bytes) else str(raw)
            raise _go_syntax_error(message, pattern) from None
        _reject_backslash_c(pattern)
        self.num_subexp: int = self._re.groups
        names: list[str] = [""] * (self.num_subexp + 1)
        for name, index in self._re.groupindex.items():
            names[index] = name.decode("utf-8", "surrogateescape") if isinstance(name, bytes) else name
        self.subexp_names = names

    def execute(self, b: bytes, pos: int) -> list[int] | None:
        """Leftmost-first match at or after `pos` (context before `pos` is seen by ^ and \\b):
        flat [start0, end0, start1, end1, ...] with -1 for unset groups, or None."""
        m = self._re.search(b, pos)
        if m is None:
            return None
        spans: list[int] = []
        for g in range(self.num_subexp + 1):
            s, e = m.span(g)
            spans += [s, e]
        return spans

    def match(self, s: str) -> bool:
        return self.execute(go_bytes(s), 0) is not None

    def find_string(self, s: str) -> str:
        b = go_bytes(s)
        a = self.execute(b, 0)
        return "" if a is None else go_string(b[a[0] : a[1]])

    def all_matches(self, b: bytes, n: int) -> Iterator[list[int]]:
        """Port of Regexp.allMatches: no empty match right after the previous match."""
        end = len(b)
        pos, i, prev_match_end = 0, 0, -1
        while i < n and pos <= end:
            a = self.execute(b, pos)
            if a is None:
                break
            accept = True
            if a[1] == pos:
                if a[0] == prev_match_end:
                    accept = False
                width = _rune_width(b, pos)
                pos = pos + width if width > 0 else end + 1
            else:
                pos = a[1]
            prev_match_end = a[1]
            if accept:
                yield a
                i += 1

    def find_all_string(self, s: str, n: int) -> StrList:
        """FindAllString: a nil []string when nothing matched (prints "[]", toJson "null")."""
        b = go_bytes(s)
        if n < 0:
            n = len(b) + 1
        return StrList(go_string(b[a[0] : a[1]]) for a in self.all_matches(b, n)) or NilStrList()

    def replace_all(self, s: str, repl: Callable[[bytes, list[int]], bytes]) -> str:
        """Port of Regexp.replaceAll."""
        src = go_bytes(s)
        buf = bytearray()
        last_match_end = 0
        search_pos = 0
        while search_pos <= len(src):
            a = self.execute(src, search_pos)
            if a is None:
                break
            buf += src[last_match_end : a[0]]
            # No replacement for an empty match right after the previous match.
            if a[1] > last_match_end or a[0] == 0:
                buf += repl(src, a)
            last_match_end = a[1]
            width = _rune_width(src, search_pos)
            if search_pos + width > a[1]:
                search_pos += width
            elif search_pos + 1 > a[1]:
                search_pos += 1
            else:
                search_pos = a[1]
        buf += src[last_match_end:]
        return go_string(bytes(buf))

    def replace_all_string(self, s: str, template: str) -> str:
        t = go_bytes(template)
        return self.replace_all(s, lambda src, m: self.expand(t, src, m))

    def replace_all_literal_string(self, s: str, repl: str) -> str:
        r = go_bytes(repl)
        return self.replace_all(s, lambda src, m: r)

    def expand(self, template: bytes, src: bytes, match: list[int]) -> bytes:
        """Port of Regexp.expand: $$, $name / ${name}, names as long as possible."""
        dst = bytearray()
        while template:
            before, sep, after = template.partition(b"$")
            if not sep:
                break
            dst += before
            template = after
            if template[:1] == b"$":
                dst += b"$"
                template = template[1:]
                continue
            parsed = _extract(template)
            if parsed is None:
                dst += b"$"  # malformed: the $ is literal text
                continue
            name, num, template = parsed
            if num >= 0:
                if 2 * num + 1 < len(match) and match[2 * num] >= 0:
                    dst += src[match[2 * num] : match[2 * num + 1]]
            else:
                for i, namei in enumerate(self.subexp_names):
                    if name == namei and 2 * i + 1 < len(match) and match[2 * i] >= 0:
                        dst += src[match[2 * i] : match[2 * i + 1]]
                        break
        dst += template
        return bytes(dst)

    def split(self, s: str, n: int) -> StrList:
        """Port of Regexp.Split (n == 0: Go's nil slice)."""
        if n == 0:
            return NilStrList()
        if self.pattern and s == "":
            return StrList([""])
        b = go_bytes(s)
        limit = len(b) + 1 if n < 0 else n
        out = StrList()
        beg = end = 0
        for m in self.all_matches(b, limit):
            if n > 0 and len(out) == n - 1:
                break
            end = m[0]
            if m[1] != 0:
                out.append(go_string(b[beg:end]))
            beg = m[1]
        if end != len(b):
            out.append(go_string(b[beg:]))
        return out


def _rune_width(b: bytes, pos: int) -> int:
    """utf8.DecodeRune width at `pos`: 0 at the end, 1 for an invalid byte."""
    if pos >= len(b):
        return 0
    for width in (1, 2, 3, 4):
        try:
            b[pos : pos + width].decode("utf-8")
            return width
        except UnicodeDecodeError:
            continue
    return 1


def _is_name_char(ch: str) -> bool:
    # unicode.IsLetter / unicode.IsDigit / '_'
    if ch == "_":
        return True
    cat = unicodedata.category(ch)
    return cat.startswith("L") or cat == "Nd"


def _extract(template: bytes) -> tuple[str, int, bytes] | None:
    """Port of regexp's extract: the name after a `$` (or inside `{...}`), its number or -1,
    and the rest of the template; None when malformed."""
    text = go_string(template)
    brace = text[:1] == "{"
    if brace:
        text = text[1:]
    i = 0
    while i < len(text) and _is_name_char(text[i]):
        i += 1
    if i == 0:
        return None
    name = text[:i]
    if brace:
        if i >= len(text) or text[i] != "}":
            return None
        i += 1
    num = 0
    for ch in name:
        if not ("0" <= ch <= "9") or num >= 100_000_000:
            num = -1
            break
        num = num * 10 + ord(ch) - ord("0")
    if name[0] == "0" and len(name) > 1:
        num = -1
    return name, num, go_bytes(text[i:])


@functools.lru_cache(maxsize=256)
def compile_go(pattern: str) -> GoRegexp:
    """regexp.Compile; raises RegexpSyntaxError with Go's message."""
    return GoRegexp(pattern)


def must_compile(pattern: str) -> GoRegexp:
    """regexp.MustCompile: a compile error is a panic."""
    try:
        return compile_go(pattern)
    except RegexpSyntaxError as e:
        raise GoPanic(f"regexp: Compile({_regexp_quote(pattern)}): {e}") from None


def _compile_or_error(pattern: str) -> GoRegexp:
    try:
        return compile_go(pattern)
    except RegexpSyntaxError as e:
        raise GoFuncError(str(e)) from None


def _regexp_quote(s: str) -> str:
    """regexp's quote(): backquoted when strconv.CanBackquote, else strconv.Quote."""
    if can_backquote(s):
        return f"`{s}`"
    return quote(s)


# --- template functions ----------------------------------------------------------------------


@gofunc(STRING, STRING, result=BOOL)
def regexMatch(regex: str, s: str) -> bool:
    try:
        return compile_go(regex).match(s)
    except RegexpSyntaxError:
        return False  # Sprig drops the error


@gofunc(STRING, STRING, error=True, result=BOOL)
def mustRegexMatch(regex: str, s: str) -> bool:
    return _compile_or_error(regex).match(s)


@gofunc(STRING, STRING, INT, result=STRLIST)
def regexFindAll(regex: str, s: str, n: int) -> StrList:
    return must_compile(regex).find_all_string(s, n)


@gofunc(STRING, STRING, INT, error=True, result=STRLIST)
def mustRegexFindAll(regex: str, s: str, n: int) -> StrList:
    return _compile_or_error(regex).find_all_string(s, n)


@gofunc(STRING, STRING, result=STRING)
def regexFind(regex: str, s: str) -> str:
    return must_compile(regex).find_string(s)


@gofunc(STRING, STRING, error=True, result=STRING)
def mustRegexFind(regex: str, s: str) -> str:
    return _compile_or_error(regex).find_string(s)


@gofunc(STRING, STRING, STRING, result=STRING)
def regexReplaceAll(regex: str, s: str, repl: str) -> str:
    return must_compile(regex).replace_all_string(s, repl)


@gofunc(STRING, STRING, STRING, error=True, result=STRING)
def mustRegexReplaceAll(regex: str, s: str, repl: str) -> str:
    return _compile_or_error(regex).replace_all_string(s, repl)


@gofunc(STRING, STRING, STRING, result=STRING)
def regexReplaceAllLiteral(regex: str, s: str, repl: str) -> str:
    return must_compile(regex).replace_all_literal_string(s, repl)


@gofunc(STRING, STRING, STRING, error=True, result=STRING)
def mustRegexReplaceAllLiteral(regex: str, s: str, repl: str) -> str:
    return _compile_or_error(regex).replace_all_literal_string(s, repl)


@gofunc(STRING, STRING, INT, result=STRLIST)
def regexSplit(regex: str, s: str, n: int) -> StrList:
    return must_compile(regex).split(s, n)


@gofunc(STRING, STRING, INT, error=True, result=STRLIST)
def mustRegexSplit(regex: str, s: str, n: int) -> StrList:
    return _compile_or_error(regex).split(s, n)


_META = frozenset("\\.+*?()|[]{}^$")


@gofunc(STRING, result=STRING)
def regexQuoteMeta(s: str) -> str:
    return "".join("\\" + ch if ch in _META else ch for ch in s)


FUNCS: dict[str, Callable[..., Any]] = {
    "regexMatch": regexMatch,
    "mustRegexMatch": mustRegexMatch,
    "regexFindAll": regexFindAll,
    "mustRegexFindAll": mustRegexFindAll,
    "regexFind": regexFind,
    "mustRegexFind": mustRegexFind,
    "regexReplaceAll": regexReplaceAll,
    "mustRegexReplaceAll": mustRegexReplaceAll,
    "regexReplaceAllLiteral": regexReplaceAllLiteral,
    "mustRegexReplaceAllLiteral": mustRegexReplaceAllLiteral,
    "regexSplit": regexSplit,
    "mustRegexSplit": mustRegexSplit,
    "regexQuoteMeta": regexQuoteMeta,
}

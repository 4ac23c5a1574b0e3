"""The template lexer: Go's text/template/parse/lex.go (Go 1.23) state machine in Python.

Positions are `str` indices into the template text (Go uses byte offsets; callers convert
to bytes only where Go prints them, see nodes.error_context). Line numbers follow Go's
lexer exactly, including where it does not count newlines (inside comments).
"""

from __future__ import annotations

import re
from collections import namedtuple
from collections.abc import Callable

from hooklint.gotemplate.gofmt import is_print, quote
from hooklint.runtime.patterns import lazy_compile

TYPE_CHECKING = False  # not `typing`'s: importing typing costs ~3 ms of every run
if TYPE_CHECKING:
    from typing import NamedTuple

# Item types, in Go's order: keywords sort after KEYWORD.
ERROR = 0
BOOL = 1
CHAR = 2
CHAR_CONSTANT = 3
COMMENT = 4
COMPLEX = 5
ASSIGN = 6
DECLARE = 7
EOF = 8
FIELD = 9
IDENTIFIER = 10
LEFT_DELIM = 11
LEFT_PAREN = 12
NUMBER = 13
PIPE = 14
RAW_STRING = 15
RIGHT_DELIM = 16
RIGHT_PAREN = 17
SPACE = 18
STRING = 19
TEXT = 20
VARIABLE = 21
KEYWORD = 22
BLOCK = 23
BREAK = 24
CONTINUE = 25
DOT = 26
DEFINE = 27
ELSE = 28
END = 29
IF = 30
NIL = 31
RANGE = 32
TEMPLATE = 33
WITH = 34

ITEM_NAMES = {
    ERROR: "error", BOOL: "bool", CHAR: "char", CHAR_CONSTANT: "charconst", COMMENT: "comment",
    COMPLEX: "complex", ASSIGN: "=", DECLARE: ":=", EOF: "EOF", FIELD: "field",
    IDENTIFIER: "identifier", LEFT_DELIM: "left delim", LEFT_PAREN: "(", NUMBER: "number",
    PIPE: "pipe", RAW_STRING: "raw string", RIGHT_DELIM: "right delim", RIGHT_PAREN: ")",
    SPACE: "space", STRING: "string", TEXT: "text", VARIABLE: "variable", BLOCK: "block",
    BREAK: "break", CONTINUE: "continue", DOT: ".", DEFINE: "define", ELSE: "else", END: "end",
    IF: "if", NIL: "nil", RANGE: "range", TEMPLATE: "template", WITH: "with",
}

KEYWORDS = {
    ".": DOT,
    "block": BLOCK,
    "break": BREAK,
    "continue": CONTINUE,
    "define": DEFINE,
    "else": ELSE,
    "end": END,
    "if": IF,
    "range": RANGE,
    "nil": NIL,
    "template": TEMPLATE,
    "with": WITH,
}

LEFT_DELIM_TEXT = "{{"
RIGHT_DELIM_TEXT = "}}"
LEFT_COMMENT = "/*"
RIGHT_COMMENT = "*/"
SPACE_CHARS = " \t\r\n"
TRIM_MARKER_LEN = 2  # "- " or " -"


if TYPE_CHECKING:
    class _ItemFields(NamedTuple):
        typ: int
        pos: int
        val: str
        line: int
else:  # collections' namedtuple: typing.NamedTuple's import costs every run ~3 ms
    _ItemFields = namedtuple("Item", ("typ", "pos", "val", "line"))


class Item(_ItemFields):
    """A token: type, start index, text (or error message), line of its start."""

    __slots__ = ()

    def __str__(self) -> str:
        """Go's item.String(), used in parse errors ("unexpected <end> in ...")."""
        if self.typ == EOF:
            return "EOF"
        if self.typ == ERROR:
            return self.val
        if self.typ > KEYWORD:
            return f"<{self.val}>"
        if len(self.val) > 10:
            return quote(self.val[:10]) + "..."
        return quote(self.val)


# Item(typ, pos, val, line) without NamedTuple's Python-level __new__ (the lexer's hot path).
_new_tuple = tuple.__new__


def format_rune_u(ch: str) -> str:
    """Go's %#U: `U+007D '}'` (the quoted form only for printable runes)."""
    r = ord(ch)
    if is_print(r):
        return f"U+{r:04X} '{ch}'"
    return f"U+{r:04X}"


def is_space(ch: str) -> bool:
    return ch == " " or ch == "\t" or ch == "\r" or ch == "\n"


def is_alnum(ch: str) -> bool:
    """Go's isAlphaNumeric: '_' or a Unicode letter or decimal digit."""
    return ch == "_" or ch.isalpha() or (ch.isdigit() and ch.isdecimal())


def _has_left_trim_marker(s: str, i: int) -> bool:
    return len(s) >= i + 2 and s[i] == "-" and is_space(s[i + 1])


def _has_right_trim_marker(s: str, i: int) -> bool:
    return len(s) >= i + 2 and is_space(s[i]) and s[i + 1] == "-"


_StateFn = Callable[["Lexer"], "object"]


class Lexer:
    """Pull lexer: `next_item()` runs state functions until one item is produced."""

    def __init__(self, text: str, *, emit_comment: bool = True, break_ok: bool = True,
                 continue_ok: bool = True) -> None:
        self.input = text
        self.pos = 0
        self.start = 0
        self.at_eof = False
        self.paren_depth = 0
        self.line = 1
        self.start_line = 1
        self.inside_action = False
        self.emit_comment = emit_comment
        self.break_ok = break_ok
        self.continue_ok = continue_ok
        self.item: Item = Item(EOF, 0, "EOF", 1)

    # --- primitives (lex.go next/peek/backup/thisItem/emit/ignore/accept) -----------------

    def next(self) -> str:
        """The next character, or "" at end of input."""
        if self.pos >= len(self.input):
            self.at_eof = True
            return ""
        ch = self.input[self.pos]
        self.pos += 1
        if ch == "\n":
            self.line += 1
        return ch

    def peek(self) -> str:
        ch = self.next()
        self.backup()
        return ch

    def backup(self) -> None:
        if not self.at_eof and self.pos > 0:
            self.pos -= 1
            if self.input[self.pos] == "\n":
                self.line -= 1

    def this_item(self, typ: int) -> Item:
        item = _new_tuple(Item, (typ, self.start, self.input[self.start:self.pos], self.start_line))
        self.start = self.pos
        self.start_line = self.line
        return item

    def emit(self, typ: int) -> None:
        self.item = self.this_item(typ)

    def ignore(self) -> None:
        self.line += self.input.count("\n", self.start, self.pos)
        self.start = self.pos
        self.start_line = self.line

    def accept(self, valid: str) -> bool:
        ch = self.next()
        if ch and ch in valid:
            return True
        self.backup()
        return False

    def accept_run(self, valid: str) -> None:
        while True:
            ch = self.next()
            if not ch or ch not in valid:
                break
        self.backup()

    def errorf(self, message: str) -> None:
        self.item = Item(ERROR, self.start, message, self.start_line)
        self.start = 0
        self.pos = 0
        self.input = ""

    def next_item(self) -> Item:
        self.item = _new_tuple(Item, (EOF, self.pos, "EOF", self.start_line))
        state: _StateFn | None = _lex_inside_action if self.inside_action else _lex_text
        while state is not None:
            state = state(self)  # type: ignore[assignment]
        return self.item

    def at_right_delim(self) -> tuple[bool, bool]:
        s, p = self.input, self.pos
        if _has_right_trim_marker(s, p) and s.startswith(RIGHT_DELIM_TEXT, p + TRIM_MARKER_LEN):
            return True, True
        if s.startswith(RIGHT_DELIM_TEXT, p):
            return True, False
        return False, False

    def at_terminator(self) -> bool:
        ch = self.peek()
        if is_space(ch):
            return True
        if ch == "" or ch in ".,|:)(":
            return True
        return self.input.startswith(RIGHT_DELIM_TEXT, self.pos)

    def scan_number(self) -> bool:
        self.accept("+-")
        digits = "0123456789_"
        if self.accept("0"):
            if self.accept("xX"):
                digits = "0123456789abcdefABCDEF_"
            elif self.accept("oO"):
                digits = "01234567_"
            elif self.accept("bB"):
                digits = "01_"
        self.accept_run(digits)
        if self.accept("."):
            self.accept_run(digits)
        if len(digits) == 10 + 1 and self.accept("eE"):
            self.accept("+-")
            self.accept_run("0123456789_")
        if len(digits) == 16 + 6 + 1 and self.accept("pP"):
            self.accept("+-")
            self.accept_run("0123456789_")
        self.accept("i")
        ch = self.peek()
        if ch and is_alnum(ch):
            self.next()
            return False
        return True


# --- state functions ---------------------------------------------------------------------


def _lex_text(lx: Lexer) -> _StateFn | None:
    s = lx.input
    x = s.find(LEFT_DELIM_TEXT, lx.pos)
    if x >= 0:
        if x > lx.pos:
            lx.pos = x
            trim = 0
            if _has_left_trim_marker(s, x + len(LEFT_DELIM_TEXT)):
                text = s[lx.start:lx.pos]
                trim = len(text) - len(text.rstrip(SPACE_CHARS))
            lx.pos -= trim
            lx.line += s.count("\n", lx.start, lx.pos)
            item = lx.this_item(TEXT)
            lx.pos += trim
            lx.ignore()
            if item.val:
                lx.item = item
                return None
        return _lex_left_delim
    lx.pos = len(s)
    if lx.pos > lx.start:
        lx.line += s.count("\n", lx.start, lx.pos)
        lx.emit(TEXT)
        return None
    lx.emit(EOF)
    return None


def _lex_left_delim(lx: Lexer) -> _StateFn | None:
    lx.pos += len(LEFT_DELIM_TEXT)
    trim = _has_left_trim_marker(lx.input, lx.pos)
    after = TRIM_MARKER_LEN if trim else 0
    if lx.input.startswith(LEFT_COMMENT, lx.pos + after):
        lx.pos += after
        lx.ignore()
        return _lex_comment
    item = lx.this_item(LEFT_DELIM)
    lx.inside_action = True
    lx.pos += after
    lx.ignore()
    lx.paren_depth = 0
    lx.item = item
    return None


def _lex_comment(lx: Lexer) -> _StateFn | None:
    lx.pos += len(LEFT_COMMENT)
    x = lx.input.find(RIGHT_COMMENT, lx.pos)
    if x < 0:
        lx.errorf("unclosed comment")
        return None
    lx.pos = x + len(RIGHT_COMMENT)
    delim, trim = lx.at_right_delim()
    if not delim:
        lx.errorf("comment ends before closing delimiter")
        return None
    # Go counts the comment's newlines before the next item's line (verified against Helm).
    lx.line += lx.input.count("\n", lx.start, lx.pos)
    item = lx.this_item(COMMENT)
    if trim:
        lx.pos += TRIM_MARKER_LEN
    lx.pos += len(RIGHT_DELIM_TEXT)
    if trim:
        rest = lx.input[lx.pos:]
        lx.pos += len(rest) - len(rest.lstrip(SPACE_CHARS))
    lx.ignore()
    if lx.emit_comment:
        lx.item = item
        return None
    return _lex_text


def _lex_right_delim(lx: Lexer) -> _StateFn | None:
    _, trim = lx.at_right_delim()
    if trim:
        lx.pos += TRIM_MARKER_LEN
        lx.ignore()
    lx.pos += len(RIGHT_DELIM_TEXT)
    item = lx.this_item(RIGHT_DELIM)
    if trim:
        rest = lx.input[lx.pos:]
        lx.pos += len(rest) - len(rest.lstrip(SPACE_CHARS))
        lx.ignore()
    lx.inside_action = False
    lx.item = item
    return None


def _lex_inside_action(lx: Lexer) -> _StateFn | None:
    delim, _ = lx.at_right_delim()
    if delim:
        if lx.paren_depth == 0:
            return _lex_right_delim
        lx.errorf("unclosed left paren")
        return None
    ch = lx.next()
    if ch == "":
        lx.errorf("unclosed action")
        return None
    if is_space(ch):
        lx.backup()
        return _lex_space
    if ch == "=":
        lx.emit(ASSIGN)
        return None
    if ch == ":":
        if lx.next() != "=":
            lx.errorf("expected :=")
            return None
        lx.emit(DECLARE)
        return None
    if ch == "|":
        lx.emit(PIPE)
        return None
    if ch == '"':
        return _lex_quote
    if ch == "`":
        return _lex_raw_quote
    if ch == "$":
        return _lex_variable
    if ch == "'":
        return _lex_char
    if ch == ".":
        if lx.pos < len(lx.input):
            c = lx.input[lx.pos]
            if c < "0" or c > "9":
                return _lex_field
        lx.backup()
        return _lex_number
    if ch == "+" or ch == "-" or "0" <= ch <= "9":
        lx.backup()
        return _lex_number
    if is_alnum(ch):
        lx.backup()
        return _lex_identifier
    if ch == "(":
        lx.paren_depth += 1
        lx.emit(LEFT_PAREN)
        return None
    if ch == ")":
        lx.paren_depth -= 1
        if lx.paren_depth < 0:
            lx.errorf("unexpected right paren")
            return None
        lx.emit(RIGHT_PAREN)
        return None
    if ord(ch) <= 0x7F and is_print(ord(ch)):
        lx.emit(CHAR)
        return None
    lx.errorf(f"unrecognized character in action: {format_rune_u(ch)}")
    return None


def _lex_space(lx: Lexer) -> _StateFn | None:
    num = 0
    while True:
        ch = lx.peek()
        if not is_space(ch):
            break
        lx.next()
        num += 1
    s = lx.input
    if _has_right_trim_marker(s, lx.pos - 1) and s.startswith(RIGHT_DELIM_TEXT, lx.pos - 1 + TRIM_MARKER_LEN):
        lx.backup()
        if num == 1:
            return _lex_right_delim
    lx.emit(SPACE)
    return None


def _lex_identifier(lx: Lexer) -> _StateFn | None:
    while True:
        ch = lx.next()
        if ch and is_alnum(ch):
            continue
        lx.backup()
        word = lx.input[lx.start:lx.pos]
        if not lx.at_terminator():
            lx.errorf(f"bad character {format_rune_u(ch)}")
            return None
        kw = KEYWORDS.get(word, 0)
        if kw > KEYWORD:
            if (kw == BREAK and not lx.break_ok) or (kw == CONTINUE and not lx.continue_ok):
                lx.emit(IDENTIFIER)
            else:
                lx.emit(kw)
        elif word[0] == ".":
            lx.emit(FIELD)
        elif word == "true" or word == "false":
            lx.emit(BOOL)
        else:
            lx.emit(IDENTIFIER)
        return None


def _lex_field(lx: Lexer) -> _StateFn | None:
    return _lex_field_or_variable(lx, FIELD)


def _lex_variable(lx: Lexer) -> _StateFn | None:
    if lx.at_terminator():
        lx.emit(VARIABLE)
        return None
    return _lex_field_or_variable(lx, VARIABLE)


def _lex_field_or_variable(lx: Lexer, typ: int) -> _StateFn | None:
    if lx.at_terminator():
        lx.emit(VARIABLE if typ == VARIABLE else DOT)
        return None
    while True:
        ch = lx.next()
        if not ch or not is_alnum(ch):
            lx.backup()
            break
    if not lx.at_terminator():
        lx.errorf(f"bad character {format_rune_u(ch)}")
        return None
    lx.emit(typ)
    return None


def _lex_escaped(lx: Lexer, close: str, what: str, typ: int) -> _StateFn | None:
    """Go's lexChar and lexQuote: scan to `close`, skipping backslash escapes; a newline or the
    end of input first is `unterminated <what>`."""
    while True:
        ch = lx.next()
        if ch == "\\":
            c = lx.next()
            if c != "" and c != "\n":
                continue
            lx.errorf(f"unterminated {what}")
            return None
        if ch == "" or ch == "\n":
            lx.errorf(f"unterminated {what}")
            return None
        if ch == close:
            break
    lx.emit(typ)
    return None


def _lex_char(lx: Lexer) -> _StateFn | None:
    return _lex_escaped(lx, "'", "character constant", CHAR_CONSTANT)


def _lex_number(lx: Lexer) -> _StateFn | None:
    if not lx.scan_number():
        lx.errorf(f"bad number syntax: {quote(lx.input[lx.start:lx.pos])}")
        return None
    sign = lx.peek()
    if sign == "+" or sign == "-":
        if not lx.scan_number() or lx.input[lx.pos - 1] != "i":
            lx.errorf(f"bad number syntax: {quote(lx.input[lx.start:lx.pos])}")
            return None
        lx.emit(COMPLEX)
        return None
    lx.emit(NUMBER)
    return None


def _lex_quote(lx: Lexer) -> _StateFn | None:
    return _lex_escaped(lx, '"', "quoted string", STRING)


def _lex_raw_quote(lx: Lexer) -> _StateFn | None:
    while True:
        ch = lx.next()
        if ch == "":
            lx.errorf("unterminated raw quoted string")
            return None
        if ch == "`":
            break
    lx.emit(RAW_STRING)
    return None


def tokens(text: str, *, emit_comment: bool = True) -> list[Item]:
    """All items of `text` up to and including EOF or the first error (for tests and tools)."""
    out = [Item(*t) for t in lex(text, emit_comment=emit_comment)]
    for i, item in enumerate(out):
        if item.typ == EOF or item.typ == ERROR:
            return out[:i + 1]
    raise AssertionError("unreachable")


# --- bulk lexing ----------------------------------------------------------------------------
#
# The parser takes all items of a template at once (Go's lexer depends on no parser state, so
# lexing ahead changes nothing; the parser stops at the first ERROR item, as Go's does). `lex`
# runs one loop over the text: text up to the next "{{" is found with str.find, and inside
# actions one regular expression recognizes the common well-formed tokens. Whatever it does not
# recognize (comments, chars, signed or non-decimal numbers, non-ASCII words, every error) is
# handed to the state machine above, positioned where the loop stands, for exactly one item.

_TERM = r"(?=[ \t\r\n.,|:)(]|\}\}|\Z)"  # Go's atTerminator (ASCII), end of input included
# Spaces, then at most one token. The last alternative is empty: group 1 alone matched means
# "spaces only" (or nothing: the state machine takes over).
_ACTION = lazy_compile(
    r"([ \t\r\n]*)(?:"
    r"((?:\.[A-Za-z_][A-Za-z0-9_]*)+)" + _TERM  # 2 fields (".a.b" is two FIELD items)
    + r"|([A-Za-z_][A-Za-z0-9_]*)" + _TERM  # 3 word
    + r"|(\}\})"  # 4 right delimiter
    r"|(\$[A-Za-z0-9_]*)" + _TERM  # 5 variable
    + r"""|("(?:[^"\\\n]|\\[^\n])*")"""  # 6 string
    r"|(\.)(?=[ \t\r\n.,|:)(]|\}\})"  # 7 dot (at the end of input Go lexes "." as a number)
    r"|([|(=]|:=)"  # 8 punctuation
    r"|(\))"  # 9 (checks the paren depth)
    r"|([0-9]+)(?=[ \t\r\n)|}]|\Z)"  # 10 decimal integer (what scanNumber accepts as is)
    r"|(`[^`]*`)"  # 11 raw string
    r"|)"
)
_PUNCT_TYPES = {"|": PIPE, "(": LEFT_PAREN, "=": ASSIGN, ":=": DECLARE}
_WORD_TYPES = {word: typ for word, typ in KEYWORDS.items() if word != "."}
_WORD_TYPES["true"] = _WORD_TYPES["false"] = BOOL

Token = tuple[int, int, str, int]
"""An item as a plain tuple (typ, pos, val, line): what `lex` returns (Item(*token) prints it)."""


_SPACES = re.compile(r"[ \t\r\n]*")


def _skip_spaces(s: str, i: int) -> int:
    m = _SPACES.match(s, i)
    return m.end() if m is not None else i


def lex(text: str, *, emit_comment: bool = True, break_ok: bool = True,
        continue_ok: bool = True) -> list[Token]:
    """Every item of `text` up to the first EOF or ERROR, followed by the items Go's lexer
    would produce if asked again (a few: the parser never reads further)."""
    words = _WORD_TYPES
    if not break_ok or not continue_ok:
        words = dict(words)
        if not break_ok:
            del words["break"]
        if not continue_ok:
            del words["continue"]
    get_word = words.get
    kinds = _KINDS[break_ok, continue_ok]
    lxr = Lexer(text, emit_comment=emit_comment, break_ok=break_ok, continue_ok=continue_ok)
    out: list[Token] = []
    append = out.append
    s = text
    n = len(s)
    find = s.find
    count = s.count
    startswith = s.startswith
    match = _ACTION.match
    pos = 0
    line = 1
    inside = False
    depth = 0
    while True:
        if not inside:
            x = find("{{", pos)
            if x < 0:
                if pos < n:
                    append((TEXT, pos, s[pos:], line))
                    line += count("\n", pos)
                    pos = n
                append((EOF, pos, "", line))
                lxr.pos = lxr.start = pos
                lxr.line = lxr.start_line = line
                lxr.inside_action = False
                break
            after = x + 2
            trim = after + 1 < n and s[after] == "-" and s[after + 1] in SPACE_CHARS
            if x > pos:
                val = s[pos:x].rstrip(SPACE_CHARS) if trim else s[pos:x]
                if val:
                    append((TEXT, pos, val, line))
                line += count("\n", pos, x)
                pos = x
            inside_at = after + 2 if trim else after
            if startswith("/*", inside_at):
                item = _slow_item(lxr, pos, line, False, 0)
                append(item)
                if item.typ == EOF or item.typ == ERROR:
                    break
                pos, line, inside, depth = lxr.pos, lxr.line, lxr.inside_action, lxr.paren_depth
                continue
            append((LEFT_DELIM, x, "{{", line))
            if trim:
                line += count("\n", after, inside_at)
            pos = inside_at
            done = _lex_action(s, pos, line, kinds, out)
            if done is not None:
                pos, line = done
                continue
            inside = True
            depth = 0
            continue
        m = match(s, pos)
        k = m.lastindex  # type: ignore[union-attr]  # the pattern matches everywhere
        end = m.end(1)  # type: ignore[union-attr]
        if end != pos:
            if k == 1 and startswith("-}}", end):
                end -= 1  # the last space belongs to the " -}}" trim marker (lexSpace's backup)
                if end != pos:
                    append((SPACE, pos, s[pos:end], line))
                    line += count("\n", pos, end)
                    pos = end
                if not depth:  # lexRightDelim with a trim marker
                    if s[pos] == "\n":
                        line += 1
                    append((RIGHT_DELIM, pos + 2, "}}", line))
                    pos += 4
                    end = _skip_spaces(s, pos)
                    if end != pos:
                        line += count("\n", pos, end)
                        pos = end
                    inside = False
                    continue
                k = 0  # "unclosed left paren": the state machine reports it
            else:
                val = s[pos:end]
                append((SPACE, pos, val, line))
                if "\n" in val:
                    line += val.count("\n")
                pos = end
                if k == 1:
                    continue
        if k == 2:
            val = m.group(2)  # type: ignore[union-attr]
            end = m.end()  # type: ignore[union-attr]
            x = find(".", pos + 1, end)
            while x >= 0:
                append((FIELD, pos, s[pos:x], line))
                pos = x
                x = find(".", pos + 1, end)
            append((FIELD, pos, s[pos:end], line))
            pos = end
            continue
        if k == 3:
            val = m.group(3)  # type: ignore[union-attr]
            append((get_word(val, IDENTIFIER), pos, val, line))
            pos = m.end()  # type: ignore[union-attr]
            continue
        if k == 4:
            if not depth:
                append((RIGHT_DELIM, pos, "}}", line))
                pos += 2
                inside = False
                continue
        elif k == 5:
            val = m.group(5)  # type: ignore[union-attr]
            append((VARIABLE, pos, val, line))
            pos = m.end()  # type: ignore[union-attr]
            continue
        elif k == 6:
            val = m.group(6)  # type: ignore[union-attr]
            append((STRING, pos, val, line))
            pos = m.end()  # type: ignore[union-attr]
            continue
        elif k == 7:
            append((DOT, pos, ".", line))
            pos += 1
            continue
        elif k == 8:
            val = m.group(8)  # type: ignore[union-attr]
            typ = _PUNCT_TYPES[val]
            if typ == LEFT_PAREN:
                depth += 1
            append((typ, pos, val, line))
            pos = m.end()  # type: ignore[union-attr]
            continue
        elif k == 9:
            if depth:
                depth -= 1
                append((RIGHT_PAREN, pos, ")", line))
                pos += 1
                continue
        elif k == 10:
            val = m.group(10)  # type: ignore[union-attr]
            append((NUMBER, pos, val, line))
            pos = m.end()  # type: ignore[union-attr]
            continue
        elif k == 11:
            val = m.group(11)  # type: ignore[union-attr]
            end = m.end()  # type: ignore[union-attr]
            append((RAW_STRING, pos, val, line))
            line += count("\n", pos, end)
            pos = end
            continue
        item = _slow_item(lxr, pos, line, True, depth)
        append(item)
        if item.typ == EOF or item.typ == ERROR:
            break
        pos, line, inside, depth = lxr.pos, lxr.line, lxr.inside_action, lxr.paren_depth
    for _ in range(4):
        append(lxr.next_item())
    return out


# --- whole actions ----------------------------------------------------------------------------
#
# Most actions hold only well-formed ASCII tokens. For those, one `findall` splits the whole
# action (up to its first "}}") into token texts in C, and a short loop types them by their
# text or first character. The split is accepted only if the tokens tile the action exactly
# (findall skips what it cannot match, so a gap shows as missing length) and parentheses
# balance; anything else (a "}}" inside a quoted string, chars, signed or non-decimal numbers,
# non-ASCII words, errors) is left to the token-at-a-time loop in `lex`. Each alternative is
# what Go's lexer reads at that character when it is followed by what follows it here; the end
# of the searched range (`\Z`) is the "}}" or " -}}" that closes the action, a terminator.
# The parser's fast path (fastparse.py) splits actions with the same _TOKEN and types them with
# the same tables; lexing through it here is what ties it to the state machine (the tests
# compare `lex` with `Lexer.next_item` on generated input).

_TERMINATOR = r"(?=[ \t\r\n.,|:)(]|\Z)"  # Go's atTerminator, the closing delimiter being \Z
_TOKEN = re.compile(
    r"[ \t\r\n]+"
    r"|\.[A-Za-z_]\w*" + _TERMINATOR  # one field (".a.b" is two)
    + r"|[A-Za-z_]\w*" + _TERMINATOR  # word
    + r"|\$\w*" + _TERMINATOR  # variable
    + r'|"[^"\\\n]*(?:\\[^\n][^"\\\n]*)*"'  # string
    r"|\.(?=[ \t\r\n.,|:)(]|\Z)"  # dot
    r"|[|(=),]|:="  # punctuation; "," is a CHAR item
    r"|[0-9]+(?=[ \t\r\n)|}]|\Z)"  # decimal integer (what scanNumber accepts as is)
    r"|`[^`]*`",  # raw string
    re.ASCII,  # \w is [A-Za-z0-9_]: other letters and digits are left to the state machine
)
# Item type by whole token text (punctuation, ".", one space, keywords), else by first character.
_FIRST_CHAR = {c: SPACE for c in SPACE_CHARS} | {
    ".": FIELD, "$": VARIABLE, '"': STRING, "`": RAW_STRING,
} | {c: NUMBER for c in "0123456789"} | {
    c: IDENTIFIER for c in "_abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
}
_FIXED = {" ": SPACE, ".": DOT, "|": PIPE, "(": LEFT_PAREN, ")": RIGHT_PAREN, "=": ASSIGN,
          ":=": DECLARE, ",": CHAR}


def _kinds(break_ok: bool, continue_ok: bool) -> dict[str, int]:
    kinds = _FIXED | _WORD_TYPES
    if not break_ok:
        del kinds["break"]
    if not continue_ok:
        del kinds["continue"]
    return kinds


_KINDS = {(b, c): _kinds(b, c) for b in (False, True) for c in (False, True)}


def _lex_action(s: str, pos: int, line: int, kinds: dict[str, int], out: list[Token]
                ) -> tuple[int, int] | None:
    """The items of the action whose inside starts at `pos`, its right delimiter included,
    appended to `out`; returns the position and line after it, or None (nothing appended) if
    the action is not one whole-action lexing takes."""
    e = s.find("}}", pos)
    if e < 0:
        return None
    end = e
    trim = e - pos >= 2 and s[e - 1] == "-" and s[e - 2] in SPACE_CHARS
    if trim:
        end -= 2
    words = _TOKEN.findall(s, pos, end)
    if sum(map(len, words)) != end - pos:
        return None
    mark = len(out)
    append = out.append
    kind = kinds.get
    first = _FIRST_CHAR
    depth = 0
    for w in words:
        typ = kind(w)
        if typ is None:
            typ = first[w[0]]
            if typ == SPACE or typ == RAW_STRING:
                append((typ, pos, w, line))
                pos += len(w)
                line += w.count("\n")
                continue
        elif typ == LEFT_PAREN:
            depth += 1
        elif typ == RIGHT_PAREN:
            depth -= 1
            if depth < 0:
                del out[mark:]
                return None
        append((typ, pos, w, line))
        pos += len(w)
    if depth:
        del out[mark:]
        return None
    if trim:
        if s[end] == "\n":
            line += 1
        append((RIGHT_DELIM, e, "}}", line))
        pos = _skip_spaces(s, e + 2)
        line += s.count("\n", e + 2, pos)
        return pos, line
    append((RIGHT_DELIM, e, "}}", line))
    return e + 2, line


def _slow_item(lxr: Lexer, pos: int, line: int, inside: bool, depth: int) -> Item:
    """One item from the state machine, started at the given state."""
    lxr.pos = lxr.start = pos
    lxr.line = lxr.start_line = line
    lxr.inside_action = inside
    lxr.paren_depth = depth
    lxr.item = _new_tuple(Item, (EOF, pos, "EOF", line))
    state: _StateFn | None = _lex_inside_action if inside else _lex_text
    while state is not None:
        state = state(lxr)  # type: ignore[assignment]
    return lxr.item

"""The lexer's token stream: types, positions and lines as Go's lex.go produces them, and
that no input text can make it crash."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from hooklint.gotemplate import lexer as lx
from hooklint.gotemplate.lexer import tokens


def kinds(text: str) -> list[tuple[int, str]]:
    return [(i.typ, i.val) for i in tokens(text)]


def test_action_tokens_with_positions_and_lines() -> None:
    items = tokens('ab {{ .X.y | printf "%s" $v }}\ncd')
    assert [(i.typ, i.pos, i.val, i.line) for i in items] == [
        (lx.TEXT, 0, "ab ", 1),
        (lx.LEFT_DELIM, 3, "{{", 1),
        (lx.SPACE, 5, " ", 1),
        (lx.FIELD, 6, ".X", 1),
        (lx.FIELD, 8, ".y", 1),
        (lx.SPACE, 10, " ", 1),
        (lx.PIPE, 11, "|", 1),
        (lx.SPACE, 12, " ", 1),
        (lx.IDENTIFIER, 13, "printf", 1),
        (lx.SPACE, 19, " ", 1),
        (lx.STRING, 20, '"%s"', 1),
        (lx.SPACE, 24, " ", 1),
        (lx.VARIABLE, 25, "$v", 1),
        (lx.SPACE, 27, " ", 1),
        (lx.RIGHT_DELIM, 28, "}}", 1),
        (lx.TEXT, 30, "\ncd", 1),
        (lx.EOF, 33, "", 2),
    ]


def test_trim_markers_remove_surrounding_whitespace() -> None:
    assert kinds("a \n\t{{- 3 -}} \n b") == [
        (lx.TEXT, "a"),
        (lx.LEFT_DELIM, "{{"),
        (lx.NUMBER, "3"),
        (lx.RIGHT_DELIM, "}}"),
        (lx.TEXT, "b"),
        (lx.EOF, ""),
    ]


def test_trim_marker_needs_the_space() -> None:
    assert kinds("a {{-3}}")[1:3] == [(lx.LEFT_DELIM, "{{"), (lx.NUMBER, "-3")]


def test_comments_are_items_with_their_text() -> None:
    items = tokens("x {{- /* hooklint: disable=HL101 */ -}} y")
    assert [(i.typ, i.val) for i in items] == [
        (lx.TEXT, "x"),
        (lx.COMMENT, "/* hooklint: disable=HL101 */"),
        (lx.TEXT, "y"),
        (lx.EOF, ""),
    ]
    assert items[1].pos == 6


def test_keywords_numbers_and_literals() -> None:
    got = kinds("{{range $i, $v := .}}{{0x1F 1_000 1.5e3 'a' `raw` true nil}}{{end}}")
    assert (lx.RANGE, "range") in got
    assert (lx.DECLARE, ":=") in got
    assert (lx.CHAR, ",") in got
    assert (lx.DOT, ".") in got
    for number in ("0x1F", "1_000", "1.5e3"):
        assert (lx.NUMBER, number) in got
    assert (lx.CHAR_CONSTANT, "'a'") in got
    assert (lx.RAW_STRING, "`raw`") in got
    assert (lx.BOOL, "true") in got
    assert (lx.NIL, "nil") in got
    assert (lx.END, "end") in got


def test_newlines_inside_actions_advance_the_line() -> None:
    items = tokens("{{ print\n  1\n}}")
    number = next(i for i in items if i.typ == lx.NUMBER)
    assert number.line == 2


def test_errors_end_the_stream() -> None:
    assert tokens("{{ 'a }}")[-1].val == "unterminated character constant"
    assert tokens("{{ .x")[-1].val == "unclosed action"
    assert tokens("{{ 12ab }}")[-1].val == 'bad number syntax: "12a"'
    assert tokens("{{ .x} }}")[-1].val == "bad character U+007D '}'"
    assert tokens("{{/* x")[-1].val == "unclosed comment"


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("{}-/* \n\t.$'\"`|()=:,abc019_xé")), max_size=60))
def test_lexer_never_crashes(text: str) -> None:
    items = tokens(text)
    assert items[-1].typ in (lx.EOF, lx.ERROR)
    assert all(0 <= i.pos <= len(text) for i in items)

"""The bulk `lex` the parser uses (a regular-expression fast path) produces exactly the items of
Go's state machine (`Lexer.next_item`, itself checked against Go in test_lexer.py), for any
input."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hooklint.gotemplate import lexer

_PIECES = st.sampled_from(
    ["{{", "}}", "{{- ", " -}}", " ", "\t", "\n", "-", ".", "$", "a", "Zz", "_", "1", "0", "07", '"', "\\",
     "`", "(", ")", "|", ":", "=", ":=", "é", "٣", "}", "+", "e", "x", "i", ",", "'", "/*", "*/", "if",
     "end", "true", "nil", "break", "range", ".Values", "$x", '"s"', "\n-}}", "\t-}}", "{{/*", "*/}}",
     "{{- /*", "*/ -}}", ".5", "._a", "\r", "continue"]
)


def _items(text: str, *, after: int = 0, **options: bool) -> list[tuple[int, int, str, int]]:
    """The state machine's items up to EOF or ERROR, then `after` more (what Go's lexer says next)."""
    options = {"break_ok": False, "continue_ok": True, **options}
    lx = lexer.Lexer(text, **options)
    out = []
    while True:
        item = lx.next_item()
        out.append(tuple(item))
        if item.typ in (lexer.EOF, lexer.ERROR):
            out.extend(tuple(lx.next_item()) for _ in range(after))
            return out


@settings(max_examples=400, deadline=None)
@given(st.lists(_PIECES, max_size=30).map("".join), st.booleans(), st.booleans(), st.booleans())
def test_bulk_lexing_matches_state_machine(text: str, emit_comment: bool, break_ok: bool,
                                           continue_ok: bool) -> None:
    options = {"emit_comment": emit_comment, "break_ok": break_ok, "continue_ok": continue_ok}
    assert [tuple(t) for t in lexer.lex(text, **options)] == _items(text, after=4, **options)


@pytest.mark.parametrize(
    "text",
    [
        '{{ include "x.fullname" . | trunc 63 | trimSuffix "-" }}',
        "{{- range $k, $v := .Values.env }}\n{{ $k }}: {{ $v | quote }}{{ end -}}",
        "{{ .Values.a.b }}{{ $.Chart.Name }}{{ (index .Values 1) }}",
        "{{ `raw\nstring` }}{{ 0x1F }}{{ 1.5 }}{{ -3 }}{{ 1e3 }}{{ 'c' }}",
        "{{ $x := 1 }}{{ $x = 2 }}{{ nil }}{{ true }}{{ .é }}{{ fooé }}",
        "{{ . }}{{ .}}{{.}}{{ $ }}{{ ) }}{{ ( }}",
    ],
)
def test_fast_path_on_typical_actions(text: str) -> None:
    assert [tuple(t) for t in lexer.lex(text, break_ok=False)] == _items(text, after=4)

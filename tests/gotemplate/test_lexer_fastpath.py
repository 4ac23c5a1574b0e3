"""The lexer's regular-expression fast path produces exactly the items of Go's state machine
(the slow path, itself checked against Go in test_lexer.py), for any input."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hooklint.gotemplate import lexer

_PIECES = st.sampled_from(
    ["{{", "}}", "{{- ", " -}}", " ", "\t", "\n", "-", ".", "$", "a", "Zz", "_", "1", "0", "07", '"', "\\",
     "`", "(", ")", "|", ":", "=", ":=", "é", "٣", "}", "+", "e", "x", "i", ",", "'", "/*", "*/", "if",
     "end", "true", "nil", "break", "range", ".Values", "$x", '"s"']
)


def _items(text: str, fast: bool, monkeypatch: pytest.MonkeyPatch) -> list[tuple[int, int, str, int]]:
    with monkeypatch.context() as m:
        if not fast:
            m.setattr(lexer, "_fast_inside_action", lambda lx: None)
            m.setattr(lexer, "_fast_left_delim", lambda lx: None)
        lx = lexer.Lexer(text, break_ok=False, continue_ok=True)
        out = []
        while True:
            item = lx.next_item()
            out.append(tuple(item))
            if item.typ in (lexer.EOF, lexer.ERROR):
                return out


@settings(max_examples=400, deadline=None)
@given(st.lists(_PIECES, max_size=30).map("".join))
def test_fast_path_matches_state_machine(text: str) -> None:
    mp = pytest.MonkeyPatch()
    try:
        assert _items(text, True, mp) == _items(text, False, mp)
    finally:
        mp.undo()


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
def test_fast_path_on_typical_actions(text: str, monkeypatch: pytest.MonkeyPatch) -> None:
    assert _items(text, True, monkeypatch) == _items(text, False, monkeypatch)

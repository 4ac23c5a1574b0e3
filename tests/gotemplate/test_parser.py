"""Parser: parse errors carry Go's exact text and line (checked against real Helm), and every
node prints back as Go's Node.String()."""

from __future__ import annotations

import re

import pytest
from conformance import error_tail
from helm_oracle import HAVE_HELM, HelmFailure, helm_render_snippet

from hooklint.gotemplate.template import TemplateParseError, TemplateSet

NAME = "t/templates/t.yaml"

PARSE_ERRORS = [
    "{{ .Values.s }}{{ else }}",
    "{{ if true }}\n{{ else }}\n{{ else }}",
    "{{ range $i, $v := . }}{{ end }}{{ $i }}",
    "{{- /* x */ -}}\n{{ 'a }}",
    "a\n{{ print\n 1\n",
    "{{ if }}{{ end }}",
    "{{ with $x := 1 }}{{ end }}{{ $x }}",
    "{{ nosuch 1 }}",
    "{{ .a.b c }}",
    "{{ print 1 | 2 }}",
    "{{ 1.x }}",
    "{{ template x }}",
    "{{ define \"a\" }}{{ end }}{{ define \"a\" }}x{{ end }}{{ define \"a\" }}y{{ end }}",
    "{{/* a\n\n*/}}\n{{ end }}",
    "{{ $x := 1 }}{{ $x.y := 2 }}",
    "{{ range $a, 3 }}{{ end }}",
    "{{ block \"b\" }}{{ end }}",
    "{{ \"\\400\" }}",
    "{{ 0x1.8 }}",
    "{{ 1__0 }}",
    "line1\nline2 {{ (print 1\n) ) }}",
]


def parse_error(text: str) -> TemplateParseError:
    ts = TemplateSet()
    with pytest.raises(TemplateParseError) as info:
        ts.parse(NAME, text)
    return info.value


@pytest.mark.skipif(not HAVE_HELM, reason="needs helm_python")
@pytest.mark.parametrize("text", PARSE_ERRORS)
def test_parse_error_text_and_line_match_helm(text: str) -> None:
    helm = helm_render_snippet(text)
    assert isinstance(helm, HelmFailure), helm
    m = re.fullmatch(r"parse error at \((\S+):(\d+)\): (.*)", helm.message, re.S)
    assert m, helm.message
    err = parse_error(text)
    assert (err.line, err.template) == (int(m.group(2)), NAME)
    assert error_tail(err.message) == error_tail(helm.message)
    if ": " not in err.inner:  # Helm keeps only the last link of a Go error chain
        assert err.message == f"template: {m.group(1)}:{m.group(2)}: {m.group(3)}"
        assert err.inner == m.group(3)
    assert err.pos is not None and err.pos.file == NAME and err.pos.line == err.line


def test_parse_error_message_is_go_worded() -> None:
    err = parse_error("{{ $y }}")
    assert err.message == 'template: t/templates/t.yaml:1: undefined variable "$y"'
    assert err.inner == 'undefined variable "$y"'


ROUND_TRIP = [
    ('{{.Values.a.b}}', '{{.Values.a.b}}'),
    ('{{ $x := .a | printf "%s" | print }}', '{{$x := .a | printf "%s" | print}}'),
    ('{{ $x = 1 }}', '{{$x = 1}}'),
    ('{{ (.a).b }}{{ (print 1).x }}', '{{(.a).b}}{{(print 1).x}}'),
    ('{{- if and .a (not .b) -}} x {{- else if .c }}y{{ else }}z{{ end }}',
     '{{if and .a (not .b)}}x{{else}}{{if .c}}y{{else}}z{{end}}{{end}}'),
    ('{{ range $i, $v := .l }}{{ break }}{{ continue }}{{ end }}',
     '{{range $i, $v := .l}}{{break}}{{continue}}{{end}}'),
    ('{{ with .a }}{{ . }}{{ else with .b }}{{ end }}', '{{with .a}}{{.}}{{else}}{{with .b}}{{end}}{{end}}'),
    ('{{ template "x" . }}{{ template "y" }}', '{{template "x" .}}{{template "y"}}'),
    ('{{ `raw` }}{{ "q\\n" }}{{ 0x1F }}{{ \'a\' }}{{ nil }}{{ true }}', '{{`raw`}}{{"q\\n"}}{{0x1F}}{{\'a\'}}{{nil}}{{true}}'),
    ('a{{/* c */}}b', 'a{{/* c */}}b'),
]


@pytest.mark.parametrize(("text", "printed"), ROUND_TRIP)
def test_tree_prints_as_go_string(text: str, printed: str) -> None:
    ts = TemplateSet()
    ts.parse("t", text)
    tree = ts.tree("t")
    assert tree is not None
    assert str(tree.root) == printed


def test_block_defines_a_template_and_calls_it() -> None:
    ts = TemplateSet()
    ts.parse("t", '{{ block "b" .x }}B{{ . }}{{ end }}')
    assert ts.has("b")
    tree = ts.tree("t")
    assert tree is not None
    assert str(tree.root) == '{{template "b" .x}}'


def test_break_and_continue_are_functions_when_defined() -> None:
    from hooklint.gotemplate.gotypes import STRING, gofunc

    @gofunc(result=STRING)
    def brk() -> str:
        return "b"

    ts = TemplateSet({"break": brk})
    ts.parse("t", "{{ break }}")
    assert ts.execute_text("t", None) == "b"


def test_the_defines_of_a_file_share_its_line_table_and_positions() -> None:
    """Each {{define}} is a tree of its own over the whole file's text: positions anywhere in
    the file are right from every one of them, and the line table is made once."""
    from hooklint.gotemplate.parser import parse_template

    text = 'a\n{{ define "x" }}\nb {{ .b }}{{ end }}\n{{ define "y" }}c\n\n {{ .c }}{{ end }}\n'
    trees = parse_template("f.tpl", text, set())
    assert set(trees) == {"f.tpl", "x", "y"}
    for tree in trees.values():
        assert tree.line_col(text.index(".b")) == (3, 6)
        assert tree.source_pos(text.index(".c")).line == 6
        assert tree.go_location(text.index(".c")) == (6, 4)
    assert len({id(t._line_starts) for t in trees.values()}) == 1

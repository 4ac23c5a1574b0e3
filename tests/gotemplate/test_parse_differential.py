"""The lexer and parser give exactly what they gave before the parse-speed work (the copy kept in
reference_parser/): the same trees, node for node with every position and field, and the same
parse errors (message and line), for generated templates both valid and broken."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from reference_parser import lexer as ref_lexer
from reference_parser import parser as ref_parser

from hooklint.gotemplate import fastparse, lexer, parser
from hooklint.gotemplate.nodes import Node, Tree

FUNCS = frozenset({"print", "printf", "include", "quote", "len", "index", "not", "and", "f", "é", "dict",
                   "nindent", "contains"})


def dump(value: Any) -> Any:
    """A node's structure: class, then every slot (trees by name, nodes recursively)."""
    if isinstance(value, Node):
        fields: list[Any] = [type(value).__name__]
        for cls in type(value).__mro__:
            for slot in getattr(cls, "__slots__", ()):
                v = getattr(value, slot)
                fields.append((slot, (v.name, v.parse_name) if isinstance(v, Tree) else dump(v)))
        return fields
    if isinstance(value, list):
        return [dump(v) for v in value]
    return value


def outcome(parse: Callable[..., dict[str, Tree]], failure: type[Exception], text: str,
            break_ok: bool, continue_ok: bool) -> Any:
    try:
        trees = parse("t.yaml", text, FUNCS, break_ok=break_ok, continue_ok=continue_ok)
    except failure as e:
        return ("error", str(e), e.parse_name, e.line)  # type: ignore[attr-defined]
    return {name: (tree.name, tree.parse_name, dump(tree.root)) for name, tree in trees.items()}


def assert_same(text: str, break_ok: bool = True, continue_ok: bool = True) -> None:
    want = outcome(ref_parser.parse_template, ref_parser.ParseFailure, text, break_ok, continue_ok)
    got = outcome(parser.parse_template, parser.ParseFailure, text, break_ok, continue_ok)
    assert got == want
    options = {"break_ok": break_ok, "continue_ok": continue_ok}
    assert lexer.lex(text, **options) == ref_lexer.lex(text, **options)


# Random pieces: mostly broken templates (unbalanced delimiters, trim markers, stray quotes).
_PIECES = st.sampled_from(
    ["{{", "}}", "{{- ", " -}}", " ", "\t", "\n", "-", ".", "$", "a", "Zz", "_", "1", "0", "07", '"', "\\",
     "`", "(", ")", "|", ":", "=", ":=", "é", "٣", "}", "+", "e", "x", "i", ",", "'", "/*", "*/", "if",
     "end", "else", "true", "nil", "break", "range", "with", "define", "template", "block", ".Values",
     "$x", '"s"', "\n-}}", "\t-}}", "{{/*", "*/}}", "{{- /*", "*/ -}}", ".5", "._a", "\r", "continue",
     "print", "f", " . ", "'c'", "0x1F", "1e3", "-2", "1.5i", '"}}"', "`}}`", "$x := ", "{{end}}"]
)

# Valid-looking actions built from the grammar (some still fail: undefined variables, functions).
_OPERAND = st.sampled_from(
    [".", ".a", ".Values.x.y", "$", "$x", "$x.k", "$.Values", '"s"', '"a\\"b}}"', "`raw\n}}`", "1",
     "0x10", "1.5", "-3", "'a'", "1e2", "2i", "true", "false", "nil", "print", "f", "nosuch",
     "(print 1)", "(.a).b", "(f .).c", "$y", ".é", "'\\n'", "1_000", "0b101", "0o17", "07"]
)
_SP = st.sampled_from([" ", "  ", "\n", " \t "])
_COMMAND = st.lists(_OPERAND, min_size=1, max_size=4).map(" ".join)
_PIPELINE = st.builds(
    lambda decl, cmds: decl + " | ".join(cmds),
    st.sampled_from(["", "$x := ", "$x = ", "$y := ", "$i, $v := ", "$x, $y = "]),
    st.lists(_COMMAND, min_size=1, max_size=3),
)


def _action(pipe: str, left: str, right: str, sp: str) -> str:
    return f"{left}{sp}{pipe}{sp}{right}"


_LEFT = st.sampled_from(["{{", "{{- ", "{{-\n"])
_RIGHT = st.sampled_from(["}}", " -}}", "\n-}}"])
_ACTION = st.builds(_action, _PIPELINE, _LEFT, _RIGHT, _SP)
_CONTROL = st.sampled_from(
    ["{{ if .a }}", "{{ else }}", "{{- else if $x -}}", "{{ end }}", "{{- end -}}", "{{ range $i, $v := .l }}",
     "{{ range . }}", "{{ with $x := .a }}", "{{ else with .b }}", "{{ break }}", "{{ continue }}",
     '{{ define "d" }}', '{{ template "d" . }}', '{{ block "b" . }}', "{{/* c\n */}}", "{{- /* c */ -}}",
     '{{ define "d" }}x{{ end }}', "{{ $x := 1 }}", "{{ $y := 2 }}", "text\n", "  ", "\n\n", "a}}b"]
)
_VALID_ISH = st.lists(st.one_of(_ACTION, _CONTROL, _CONTROL), max_size=12).map("".join)


@settings(max_examples=500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_PIECES, max_size=30).map("".join), st.booleans(), st.booleans())
def test_random_pieces_parse_as_before(text: str, break_ok: bool, continue_ok: bool) -> None:
    assert_same(text, break_ok, continue_ok)


@settings(max_examples=500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_VALID_ISH, st.booleans())
def test_grammar_templates_parse_as_before(text: str, break_ok: bool) -> None:
    assert_same(text, break_ok)


@pytest.mark.parametrize(
    "text",
    [
        '{{- include "common.labels.standard" ( dict "customLabels" .Values.labels "context" $ ) | nindent 4 }}',
        "{{- range $k, $v := .Values.env }}\n  {{ $k }}: {{ $v | quote }}\n{{- end }}",
        "{{ if and .a (not .b) }}x{{ else if .c }}y{{ else }}z{{ end }}",
        '{{ define "x" }}{{ .a }}{{ end }}{{ template "x" . }}{{ block "b" . }}{{ . }}{{ end }}',
        "{{ .a }}\n{{ (print 1\n) ) }}",
        "{{ print 1 }}{{ 'a }}",
        "{{ (((((.a))))) }}{{ $x := 1 }}{{ $x = 2 }}{{ $x.y }}",
        "{{ .a.b.c }}{{ $.a.b }}{{ (.a).b.c }}{{ \"s\".x }}",
    ],
)
def test_typical_templates_parse_as_before(text: str) -> None:
    assert_same(text)


def fast_outcome(text: str, break_ok: bool = True) -> Any:
    trees = fastparse.parse("t.yaml", text, FUNCS, set(), break_ok, True)
    if trees is None:
        return None
    return {name: (tree.name, tree.parse_name, dump(tree.root)) for name, tree in trees.items()}


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_VALID_ISH, st.booleans())
def test_fast_path_builds_the_reference_tree_or_declines(text: str, break_ok: bool) -> None:
    """The fast path alone (no fallback): the reference's tree, or None where the reference
    reports an error or the fast path leaves the template to the full parser."""
    got = fast_outcome(text, break_ok)
    if got is not None:
        assert got == outcome(ref_parser.parse_template, ref_parser.ParseFailure, text, break_ok, True)


@pytest.mark.parametrize(
    "text",
    [
        '{{- include "common.labels.standard" ( dict "customLabels" .Values.labels "context" $ ) | nindent 4 }}',
        "{{- range $k, $v := .Values.env }}\n  {{ $k }}: {{ $v | quote }}\n{{- end }}",
        "{{ if and .a (not .b) }}x{{ else if .c }}y{{ else }}z{{ end }}",
        '{{ define "x" }}{{ .a }}{{ end }}{{ template "x" . }}{{ block "b" . }}{{ . }}{{ end }}',
        '{{- if contains "{{" (print .a) }}{{ print `{{ .b }}` "}}" }}{{ end -}}',
        "{{/* a\ncomment */}}\n{{- /* trimmed */ -}}\n  {{ (print 1).x }}{{ $.a.b }}",
        "{{ range .l }}{{ if .x }}{{ break }}{{ end }}{{ continue }}{{ else }}none{{ end }}",
        "{{ with $x := .a }}{{ $x }}{{ else with .b }}{{ . }}{{ end }}{{ 42 }}{{ true }}{{ nil | print }}",
    ],
)
def test_fast_path_takes_typical_chart_templates(text: str) -> None:
    got = fast_outcome(text)
    assert got is not None
    assert got == outcome(ref_parser.parse_template, ref_parser.ParseFailure, text, True, True)


@pytest.mark.parametrize(
    "text",
    [
        "{{ if .a }}",  # unexpected EOF
        "{{ end }}",
        "{{ print 'c' }}",  # character constants: the full parser
        "{{ nosuch }}",
        "{{ $u }}",
        "{{ 1.5 }}{{ 0x10 }}{{ -1 }}",
        '{{ define "a" }}x{{ end }}{{ define "a" }}y{{ end }}',
        "{{ .a | 1 }}",
        "{{ print .a.b(1) }}",
        "{{ range .l }}{{ else }}{{ break }}{{ end }}",
        "{{" * 3 + " .a }}",
    ],
)
def test_fast_path_leaves_errors_and_rare_forms_to_the_full_parser(text: str) -> None:
    assert fast_outcome(text) is None
    assert_same(text)


def test_deep_nesting_is_left_to_the_full_parser() -> None:
    """Past the fast path's nesting bound, the full parser (and its limits) decides."""
    text = "{{ if . }}" * 150 + "{{ end }}" * 150
    assert fast_outcome(text) is None
    assert_same(text)


# The same actions again and again, at other positions and lines, after text with newlines and
# with trim markers: a remembered action (its tokens, or the shape of the commonest ones) must
# give the nodes of where it is now.
_REPEATED = st.sampled_from(
    ["{{ .a.b }}", "{{.a}}", "{{- .a.b.c -}}", "{{  .Values.x  }}", "{{-\n.a }}", "{{ .a\n}}", "{{\t.a }}",
     "{{ .a.b.c.d }}", "{{ .a .b }}", "{{ .a.b | f }}", "{{ $x.a }}", "{{ .é }}", "{{ .a. }}", "{{ .1 }}",
     "{{ if .a }}", "{{- if .a.b -}}", "{{ if.a }}", "{{ if  .a }}", "{{ with .a }}", "{{ range .l }}",
     "{{ range .l.m -}}", "{{ else }}", "{{ end }}", "{{- end }}", "{{ end -}}", "{{  end  }}", "{{-\nend }}",
     "{{end}}", "{{ end\n}}", "{{ break }}", '{{ define "d" }}', '{{- define "e" -}}', '{{ define "a\\nb" }}',
     '{{ define "d"}}', '{{ template "d" . }}', "{{ $x := 1 }}", "{{/* c */}}", '{{ include "x" . }}',
     '{{- include "x.y" . | nindent 4 }}', '{{ include "x" $ | f }}', "{{ f .a.b | nindent 12 }}",
     "{{ print . | f 007 }}", '{{ template "d" $x | print }}', '{{ template "d" .a.b.c }}', "{{ f $x }}",
     '{{ nosuch "x" . }}', '{{ print "a b" .a | nosuch }}', "{{ f $u }}", '{{ if "x" . }}', '{{ nil "x" . }}',
     '{{ break "x" . }}', "{{ template . }}", "{{ print .a | true }}", '{{ include "a\\"b" . }}', '{{ template "d" . | print 3 }}',
     "{{ $x }}", "{{ . }}", "{{ $ }}", "{{- if $x }}", "{{ range $x.a }}", "{{ with $.a.b }}", "{{ $x.a.b | f }}",
     "{{ .a | print 1 }}", "{{ if $u }}", "{{ range . | f }}", "{{ if . | nosuch }}", "{{ with $x | f 2 }}",
     "{{ $y := .a.b }}", '{{- $y := include "x" . }}', "{{ $x = $x.a | f 2 }}", "{{ $ := . }}", "{{ $z := $z }}",
     "{{ $y = $u }}", '{{ $y := template "d" . }}', "{{ $y := if .a }}", "{{ else if .a }}", "{{- else if $x.a -}}",
     "{{ else with .a.b }}", "{{ else with $u }}", "{{ else range .a }}", "{{ else if . | f }}", '{{ else if "x" . }}',
     "{{ else print .a }}", "{{ else $y := .a }}", "{{  else  if  .a  }}"]
)
_FILLER = st.sampled_from(["", "x", "\n", "  \n  ", "text\n\n", " ", "\t"])
_REPEATING = st.lists(st.tuples(_FILLER, _REPEATED), max_size=24).map(lambda ps: "".join(f + a for f, a in ps))


@settings(max_examples=500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_REPEATING, st.booleans())
def test_repeated_actions_parse_as_before(text: str, break_ok: bool) -> None:
    assert_same(text, break_ok)
    got = fast_outcome(text, break_ok)
    if got is not None:
        assert got == outcome(ref_parser.parse_template, ref_parser.ParseFailure, text, break_ok, True)


def test_a_remembered_action_is_placed_where_it_is_now() -> None:
    """The second and later occurrences (on other lines, after trimmed text, inside other
    structures and trees) come from what was remembered of the first."""
    text = ("{{ .a.b }}\n  {{- .a.b }}\n\n{{ if .a }}x{{ .a.b }}{{ end }}{{ if .a }}{{- end }}\n"
            '{{ define "d" }}{{ if .a }}{{ .a.b }}{{ end }}{{ end }}\n{{-\n.a.b }}{{ with .a }}{{ end -}}\n  z')
    fastparse.forget()
    assert fast_outcome(text) == outcome(ref_parser.parse_template, ref_parser.ParseFailure, text, True, True)
    assert fast_outcome(text) == outcome(ref_parser.parse_template, ref_parser.ParseFailure, text, True, True)
    assert_same(text)


def test_forget_drops_every_remembered_action() -> None:
    fastparse.parse("t.yaml", "{{ .a.b }}{{ if .a }}{{ print 1 }}{{ end }}", FUNCS, set(), True, True)
    assert any(types.actions for types in fastparse._TYPES.values())
    fastparse.forget()
    assert not any(types.actions for types in fastparse._TYPES.values())


@pytest.mark.parametrize(
    "text",
    [
        "{{ .a.b }}\n{{- .a.b.c -}}\n  {{ .a }}{{ if .a.b }}{{ else }}{{ end }}{{ with .a }}{{ end -}}\n {{ range .l }}{{ end }}",
        '{{ define "d" }}{{ .a }}{{ end }}{{ define "e" }}{{ end }}{{ template "d" . }}{{ template "d" .a.b }}',
        '{{- include "x.y" . | nindent 4 }}\n{{ include "x" $ | f }}{{ f .a.b | nindent 12 }}{{ print "s" .a }}',
        "{{ $x := 1 }}{{ $x }}{{ $x.a.b | f }}{{ $.a }}{{ . }}{{ $ }}{{ .a | print 1 }}{{ print . | f }}",
        "{{ $x := 1 }}{{ with $.a.b }}{{ $x.a }}{{ end }}\n{{- if $x }}{{ else }}{{ end }}{{ range $x.a }}{{ end }}",
        '{{ template "d" $.a | print 3 }}{{ range . | f }}{{ end }}{{ with $ | f 2 }}{{ end }}',
        # lines counted across actions that carry none ({{end}}, {{else}}, comments, defines)
        '{{ if .a }}\n{{ else }}\n{{ end }}\n{{/* c\n */}}\n{{ define "d" }}\n{{- end }}\n\n{{ .b }}'
        '{{-\n.c }}\n{{ if .a -}}\n{{ end -}}\n{{ if .a }}{{ print 1 }}\n{{ end }}\n{{ include "x" . }}',
    ],
)
def test_fast_path_builds_remembered_shapes(text: str) -> None:
    """Each shape the fast path builds without tokens, twice (first seen, then remembered)."""
    fastparse.forget()
    for _ in range(2):
        got = fast_outcome(text)
        assert got is not None
        assert got == outcome(ref_parser.parse_template, ref_parser.ParseFailure, text, True, True)


@pytest.mark.parametrize(
    "text",
    ['{{ if "x" . }}{{ end }}', "{{ if $u }}{{ end }}", "{{ f $u }}", "{{ nosuch . }}", "{{ . | nosuch }}",
     "{{ template . }}", '{{ nil "x" . }}', "{{ print .a | true }}", '{{ define "d" }}{{ end }}{{ define "d" }}x{{ end }}',
     "{{ $y := if .a }}{{ end }}", "{{ if .a }}{{ else range .b }}{{ end }}", "{{ with .a }}{{ else if .b }}{{ end }}",
     "{{ if .a }}{{ else if $u }}{{ end }}", "{{ range .a }}{{ else if .b }}{{ end }}", "{{ else if .a }}",
     "{{ if .a }}{{ else }}{{ else if .b }}{{ end }}"],
)
def test_shapes_leave_the_rest_to_the_general_path(text: str) -> None:
    fastparse.forget()
    for _ in range(2):
        assert_same(text)

"""TemplateSet behaviour: the namespace rules of Go's Template (associate, Clone, Lookup),
missingkey modes, Go objects, the source map and the error objects."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from hooklint.documents.source import SourcePos
from hooklint.gotemplate.gotypes import STRING, GoObject, StrMap, gofunc
from hooklint.gotemplate.template import TemplateExecError, TemplateParseError, TemplateSet


def run(text: str, data: Any, missing_key: str = "default") -> str:
    ts = TemplateSet(missing_key=missing_key)
    ts.parse("t", text)
    return ts.execute_text("t", data)


def exec_error(text: str, data: Any, missing_key: str = "default") -> TemplateExecError:
    with pytest.raises(TemplateExecError) as info:
        run(text, data, missing_key)
    return info.value


# --- missingkey ------------------------------------------------------------------------------

DATA = {"m": {"a": "x"}, "sm": StrMap({"a": "x"})}


@pytest.mark.parametrize("mode", ["default", "invalid", "zero"])
def test_missing_key_in_interface_map_prints_no_value(mode: str) -> None:
    assert run("{{ .m.nope }}", DATA, mode) == "<no value>"


def test_missing_key_in_string_map() -> None:
    assert run("[{{ .sm.nope }}]", DATA, "default") == "[<no value>]"
    assert run("[{{ .sm.nope }}]", DATA, "zero") == "[]"


def test_missing_key_error_mode() -> None:
    err = exec_error("{{ .m.nope }}", DATA, "error")
    assert err.inner == 'map has no entry for key "nope"'
    err = exec_error("{{ .m.nope.deeper }}", DATA, "zero")
    assert err.inner == "nil pointer evaluating interface {}.deeper"


def test_bad_missing_key_mode() -> None:
    with pytest.raises(ValueError):
        TemplateSet(missing_key="bogus")


# --- Go objects --------------------------------------------------------------------------------


class Meta(GoObject):
    go_type = "*chart.Metadata"

    def go_field(self, name: str) -> Any:
        if name == "Name":
            return "demo"
        raise KeyError(name)

    def go_method(self, name: str) -> Callable[..., Any] | None:
        if name == "Greet":

            @gofunc(STRING, result=STRING)
            def greet(who: str) -> str:
                return f"hi {who}"

            return greet
        return None


def test_struct_fields_and_methods() -> None:
    data = {"Chart": Meta()}
    assert run('{{ .Chart.Name }} {{ .Chart.Greet "you" }} {{ "me" | .Chart.Greet }}', data) == "demo hi you hi me"
    # A struct stored in map[string]interface{} has static type interface {}; `with` unwraps it.
    assert exec_error("{{ .Chart.Nope }}", data).inner == "can't evaluate field Nope in type interface {}"
    assert exec_error("{{ with .Chart }}{{ .Nope }}{{ end }}", data).inner == (
        "can't evaluate field Nope in type *chart.Metadata"
    )
    assert exec_error('{{ .Chart.Name "x" }}', data).inner == "Name has arguments but cannot be invoked as function"
    assert exec_error("{{ .Chart.Greet }}", data).inner == "wrong number of args for Greet: want 1 got 0"


# --- namespace ---------------------------------------------------------------------------------


def test_no_such_template() -> None:
    ts = TemplateSet()
    with pytest.raises(TemplateExecError) as info:
        ts.execute("x", None)
    assert info.value.message == 'template: no template "x" associated with template "gotpl"'


def test_defines_are_shared_and_later_parse_wins() -> None:
    ts = TemplateSet()
    ts.parse("a.tpl", '{{ define "h" }}A{{ end }}')
    ts.parse("b.tpl", '{{ define "h" }}B{{ end }}')
    ts.parse("c.tpl", '{{ define "h" }}  {{ end }}')  # empty body: does not replace
    ts.parse("main", '{{ template "h" }}')
    assert ts.execute_text("main", None) == "B"
    assert ts.has("h") and ts.has("main") and not ts.has("nope")
    assert ts.names() == ["a.tpl", "b.tpl", "c.tpl", "h", "main"]


def test_multiple_definition_in_one_file_is_an_error() -> None:
    ts = TemplateSet()
    with pytest.raises(TemplateParseError) as info:
        ts.parse("f", '{{ define "h" }}A{{ end }}{{ define "h" }}B{{ end }}')
    assert info.value.inner == 'template: multiple definition of template "h"'


def test_clone_is_independent() -> None:
    ts = TemplateSet()
    ts.parse("h.tpl", '{{ define "h" }}H{{ end }}')
    twin = ts.clone()
    twin.parse("tpl", '{{ define "h" }}T{{ end }}{{ template "h" }}')
    assert twin.execute_text("tpl", None) == "T"
    assert not ts.has("tpl")
    ts.parse("main", '{{ template "h" }}')
    assert ts.execute_text("main", None) == "H"


def test_comments_with_positions() -> None:
    ts = TemplateSet()
    ts.parse("f.yaml", 'a\n  {{- /* hooklint: disable=HL101 */}}\n{{ define "x" }}{{/* inner */}}{{ end }}')
    assert ts.comments("f.yaml") == [
        (SourcePos("f.yaml", 2, 7), "/* hooklint: disable=HL101 */"),
        (SourcePos("f.yaml", 3, 19), "/* inner */"),
    ]
    assert ts.comments("missing") == []


# --- source map --------------------------------------------------------------------------------


def test_segments_point_at_the_writing_node() -> None:
    ts = TemplateSet()
    ts.parse("_h.tpl", '{{ define "h" }}\nH={{ . }}{{ end }}')
    ts.parse("main.yaml", 'x: {{ .a }}\ny: {{ template "h" .a }}\n')
    text, segments = ts.execute("main.yaml", {"a": "1"})
    assert text == "x: 1\ny: \nH=1\n"
    spans = [(text[s.out_start:s.out_end], s.origin) for s in segments]
    assert spans == [
        ("x: ", SourcePos("main.yaml", 1, 1)),
        ("1", SourcePos("main.yaml", 1, 7)),
        ("\ny: ", SourcePos("main.yaml", 1, 12)),
        ("\nH=", SourcePos("_h.tpl", 1, 17)),
        ("1", SourcePos("_h.tpl", 2, 6)),
        ("\n", SourcePos("main.yaml", 2, 25)),
    ]
    assert all(a.out_end <= b.out_start for a, b in zip(segments, segments[1:], strict=False))


def test_exec_error_position() -> None:
    ts = TemplateSet()
    ts.parse("f", "é\n  {{ .a.b }}")
    with pytest.raises(TemplateExecError) as info:
        ts.execute("f", {"a": 1.5})
    err = info.value
    # Go positions a field chain at its second field (parse.go builds it from the chain).
    assert err.message == 'template: f:2:7: executing "f" at <.a.b>: can\'t evaluate field b in type interface {}'
    assert err.pos == SourcePos("f", 2, 8)
    assert (err.line, err.column) == (2, 8)


def test_error_in_define_names_the_define_and_its_file() -> None:
    ts = TemplateSet()
    ts.parse("_h.tpl", '{{ define "h" }}{{ .x.y }}{{ end }}')
    ts.parse("main", '{{ template "h" "s" }}')
    with pytest.raises(TemplateExecError) as info:
        ts.execute("main", None)
    assert info.value.message == (
        'template: _h.tpl:1:21: executing "h" at <.x.y>: can\'t evaluate field x in type string'
    )
    assert info.value.template == "h"


def test_recursion_reports_go_depth_error() -> None:
    ts = TemplateSet()
    ts.parse("t", '{{ define "r" }}{{ template "r" . }}{{ end }}{{ template "r" . }}')
    with pytest.raises(TemplateExecError) as info:
        ts.execute("t", None)
    assert info.value.inner == "exceeded maximum template depth (100000)"
    assert info.value.message.startswith('template: t:1:28: executing "r" at <{{template "r" .}}>')

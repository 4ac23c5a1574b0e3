"""Function calls: argument conversion and type checks, arity, pipelines and function errors.

The test functions have the Go signatures of the Sprig functions with the same names, so
each case is compared with what real Helm does for the same template."""

from __future__ import annotations

from typing import Any

import pytest
from conformance import error_tail
from helm_oracle import HAVE_HELM, HelmFailure, helm_render_snippet

from hooklint.gotemplate.gotypes import ANY, INT, LIST, STRING, GoFuncError, gofunc
from hooklint.gotemplate.template import TemplateExecError, TemplateSet

NAME = "t/templates/t.yaml"
VALUES = "a: 2\nf: 2.5\ns: str\nn: null\n"
DATA = {"Values": {"a": 2.0, "f": 2.5, "s": "str", "n": None}}


@gofunc(INT, STRING, result=STRING)
def indent(spaces: int, v: str) -> str:
    pad = " " * spaces
    return pad + v.replace("\n", "\n" + pad)


@gofunc(STRING, result=STRING)
def upper(s: str) -> str:
    return s.upper()


@gofunc(STRING, error=True, result=STRING)
def fail(msg: str) -> str:
    raise GoFuncError(msg)


@gofunc(variadic=ANY, result=LIST)
def list_(*v: Any) -> list[Any]:
    return list(v)


@gofunc(ANY, variadic=ANY)
def default(d: Any, *given: Any) -> Any:
    if not given or given[0] in (None, "", 0, False, [], {}):
        return d
    return given[0]


FUNCS = {"indent": indent, "upper": upper, "fail": fail, "list": list_, "default": default}

CASES = [
    '{{ indent 2 "x" }}',
    '{{ indent 2.0 "x" }}',
    '{{ indent 2.5 "x" }}',
    '{{ indent .Values.a "x" }}',
    '{{ "x" | indent 3 }}',
    '{{ .Values.s | indent 1 }}',
    '{{ indent 2 }}',
    '{{ indent 1 2 3 }}',
    '{{ indent 2 nil }}',
    '{{ indent "2" "x" }}',
    '{{ upper .Values.s }}',
    '{{ upper .Values.n }}',
    '{{ upper .Values.missing }}',
    '{{ .Values.n | upper }}',
    '{{ upper 3 }}',
    '{{ fail "boom" }}',
    '{{ list 1 2.5 "a" nil .Values.missing }}',
    '{{ list }}',
    '{{ default "d" .Values.missing }}|{{ .Values.missing | default "d" }}|{{ default "d" .Values.s }}',
    '{{ default }}',
    '{{ upper (indent 1 "a") }}',
    '{{ .Values.s | upper | indent 2 }}',
    '{{ 3 | upper }}',
]


def ours(text: str) -> str | TemplateExecError:
    ts = TemplateSet(FUNCS, missing_key="zero")
    ts.parse(NAME, text)
    try:
        return ts.execute_text(NAME, DATA).replace("<no value>", "")
    except TemplateExecError as e:
        return e


@pytest.mark.skipif(not HAVE_HELM, reason="needs helm_python")
@pytest.mark.parametrize("text", CASES)
def test_call_matches_helm(text: str) -> None:
    helm = helm_render_snippet(text, VALUES)
    got = ours(text)
    if isinstance(helm, HelmFailure):
        assert isinstance(got, TemplateExecError), (got, helm.message)
        assert error_tail(got.message) == error_tail(helm.message)
        assert helm.location is not None and helm.location + ":" in got.message
    else:
        assert got == helm


def test_function_error_is_wrapped_like_go() -> None:
    got = ours('{{ fail "boom" }}')
    assert isinstance(got, TemplateExecError)
    assert got.message == 'template: t/templates/t.yaml:1:3: executing "t/templates/t.yaml" at <fail "boom">: error calling fail: boom'
    assert got.inner == "error calling fail: boom"
    assert (got.template, got.line, got.column) == (NAME, 1, 4)


def test_wrong_type_message() -> None:
    got = ours('{{ indent .Values.f "x" }}')
    assert isinstance(got, TemplateExecError)
    assert got.inner == "wrong type for value; expected int; got float64"

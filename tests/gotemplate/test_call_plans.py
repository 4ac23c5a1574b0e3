"""Function call sites that run again take a planned path (executor._CallPlan: constants
converted once, argument checks decided from the signature): it renders the same bytes and
fails with the same errors, at the same positions, as eval_call's general path."""

from __future__ import annotations

import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from helm_oracle import write_chart
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_compiled_equivalence import outcome
from test_snippet_properties import ARGUMENTS, FUNCTION_NAMES

from hooklint.chart import load_chart
from hooklint.gotemplate import executor
from hooklint.gotemplate.gotypes import ANY, INT, STRING, VOLATILE_FUNCS, gofunc
from hooklint.gotemplate.template import TemplateExecError, TemplateSet
from hooklint.render import RenderOptions, render_chart
from hooklint.render.engine import helm_funcs

NEVER = 1 << 62


@pytest.fixture(autouse=True)
def _walked_only() -> Iterator[None]:
    """Compiled templates call back into the walker; keep them out so the plans are what runs."""
    saved = executor.COMPILE_AFTER
    executor.set_compile_after(NEVER)
    yield
    executor.set_compile_after(saved)


def _planned_and_general(render: Callable[[], Any]) -> tuple[Any, Any, int]:
    """(outcome with plans, outcome with every call on the general path, plans made)."""
    made = 0
    real = executor._plan_call

    def counting(*args: Any) -> Any:
        nonlocal made
        plan = real(*args)
        made += isinstance(plan, executor._CallPlan)
        return plan

    mp = pytest.MonkeyPatch()
    try:
        mp.setattr(executor, "_plan_call", counting)
        planned = outcome(render)
        mp.setattr(executor, "_plan_call", lambda sig, *_: sig)  # no site is ever planned
        general = outcome(render)
    finally:
        mp.undo()
    return planned, general, made


VALUES_YAML = """\
l: [a, "", 3.5, null, {k: v}, [1]]
image: {repository: nginx, tag: "1.25"}
text: "x\\ny"
"""

# Every 3rd function, and the ones charts call most several times over.
COMMON = ["default", "include", "printf", "dict", "list", "eq", "len", "index", "not", "and", "or", "indent", "quote",
          "empty", "ternary", "hasKey", "toYaml", "trunc", "trimSuffix", "contains"]
NAMES = [*[n for n in FUNCTION_NAMES if n not in VOLATILE_FUNCS and n not in ("tpl", "lookup")][::3], *COMMON * 4]
# (Variables with fields and pipelines of a field are planned arguments of their own kinds.)
SITE_ARGS = [*ARGUMENTS, "$e", "$i", ".k", '"%v-%s"', "2", '"d"', "$e.k", "$.Values.image.tag", "(.k)"]


@st.composite
def _range_snippets(draw: st.DrawFn) -> str:
    """Calls inside a range over six elements of different types: every call site runs six
    times (the first on the general path, the others planned)."""
    actions = []
    for _ in range(draw(st.integers(1, 3))):
        call = " ".join([draw(st.sampled_from(NAMES)), *draw(st.lists(st.sampled_from(SITE_ARGS), max_size=3))])
        if draw(st.booleans()):
            call = draw(st.sampled_from(SITE_ARGS)) + " | " + call
        actions.append("{{ " + call + " }}")
    return "{{ range $i, $e := .Values.l }}" + "\n".join(actions) + "\n{{ end }}"


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_range_snippets())
def test_planned_calls_equal_general_calls(text: str) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        chart = write_chart(Path(tmp), {"templates/t.yaml": text, "templates/_h.tpl": '{{ define "d" }}d{{ . }}{{ end }}',
                                        "values.yaml": VALUES_YAML})

        def render() -> Any:
            files = render_chart(load_chart(chart, 3), None, RenderOptions(helm_version=3))
            return {k: (f.text, repr(f.segments)) for k, f in files.items()}

        planned, general, _ = _planned_and_general(render)
    assert planned == general


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_range_snippets(), st.sampled_from(["default", "zero", "error"]))
def test_planned_calls_equal_general_calls_for_missing_keys(text: str, missing_key: str) -> None:
    """Without Helm (whose missingkey is zero): missing keys are the invalid value or an error."""
    text = text.replace(".Values.l", ".l")
    data = {"l": [{"k": 1}, {}, {"k": None}, {"k": "a"}, {"k": [1]}, {"k": 2.5}], "Values": {"image": {"tag": "1"}}}
    funcs = {k: v for k, v in helm_funcs(3).items() if k not in ("tpl", "include", "lookup")}
    planned, general, _ = _planned_and_general(_run(text, data, funcs, missing_key))
    assert planned == general


def _run(text: str, data: Any, funcs: dict[str, Any] | None = None, missing_key: str = "default") -> Callable[[], Any]:
    def render() -> Any:
        ts = TemplateSet(funcs, missing_key)
        ts.parse("t", text)
        return ts.execute_text("t", data)

    return render


def test_planned_call_error_is_at_the_last_constant_argument() -> None:
    """Go reports a piped value of the wrong type at the argument evaluated last (`2`), also
    when that argument is a constant the plan converted once."""
    @gofunc(INT, STRING, result=STRING)
    def indent(n: int, s: str) -> str:
        return " " * n + s

    planned, general, made = _planned_and_general(_run("{{ range . }}{{ . | indent 2 }}{{ end }}", ["a", "b", 3.5],
                                                       {"indent": indent}))
    assert made == 1
    assert planned == general
    assert planned[2] == 'template: t:1:27: executing "t" at <2>: wrong type for value; expected string; got float64'


def test_planned_call_passes_a_missing_key_as_nil_interface() -> None:
    """A missing key (the invalid value) becomes a nil interface{} argument on every call."""
    planned, general, made = _planned_and_general(_run('{{ range . }}{{ default "x" .k }};{{ end }}', [{}, {}, {}],
                                                                         helm_funcs(3)))
    assert made == 1
    assert planned == general == "x;x;x;"


def test_planned_call_converts_constants_and_checks_arguments() -> None:
    """Constants are converted for the parameter type (an untyped 3 becomes an int64 for int64),
    field values of the wrong type fail on a planned call as on the first."""
    @gofunc("int64", STRING, "float64", result=STRING)
    def f(n: int, s: str, x: float) -> str:
        return f"{type(n).__name__}:{n} {s} {x!r}"

    text = "{{ range . }}{{ f 3 .s 2.5 }};{{ end }}"
    data = [{"s": "a"}, {"s": "b"}, {"s": 1.0}]
    planned, general, made = _planned_and_general(_run(text, data, {"f": f}))
    assert made == 1
    assert planned == general
    assert planned[2] == 'template: t:1:20: executing "t" at <.s>: wrong type for value; expected string; got float64'
    ok = _run(text, data[:2], {"f": f})()
    assert ok == "Int64:3 a 2.5;Int64:3 b 2.5;"


def test_call_site_planned_for_one_signature_serves_another() -> None:
    """A set binds a planned call site's name to a function of another signature: the site runs
    the new function, its arguments converted for the new signature."""
    @gofunc(INT, result=STRING)
    def f_int(n: int) -> str:
        return f"int:{n!r}"

    @gofunc(ANY, result=STRING)
    def f_any(v: Any) -> str:
        return f"any:{v!r}"

    ts = TemplateSet({"f": f_int})
    ts.parse("t", "{{ range . }}{{ f 3 }} {{ end }}")
    assert ts.execute_text("t", [1, 2, 3]) == "int:3 int:3 int:3 "
    ts.add_funcs({"f": f_any})
    assert ts.execute_text("t", [1, 2]) == "any:3 any:3 "
    ts.add_funcs({"f": gofunc(INT, INT, result=STRING)(lambda a, b: "")})
    with pytest.raises(TemplateExecError, match=r"wrong number of args for f: want 2 got 1"):
        ts.execute_text("t", [1, 2])


def test_call_site_planned_for_one_function_runs_another_of_the_same_signature() -> None:
    """A set binds a planned call site's name to another function of the same signature: the
    site runs the new function (a plan is for the function it was made for, not its signature)."""
    def make(tag: str) -> Any:
        return gofunc(STRING, INT, result=STRING)(lambda s, n: f"{tag}{s}{n}")

    ts = TemplateSet({"f": make("a")})
    ts.parse("t", '{{ range . }}{{ 3 | f "x" }} {{ f "y" . }} {{ end }}')
    assert ts.execute_text("t", [1, 2, 3]) == "ax3 ay1 ax3 ay2 ax3 ay3 "
    ts.add_funcs({"f": make("b")})
    assert ts.execute_text("t", [4, 5]) == "bx3 by4 bx3 by5 "

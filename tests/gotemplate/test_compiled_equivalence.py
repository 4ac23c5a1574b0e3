"""The compiled templates (hooklint/gotemplate/compiler.py) against the tree-walker they replace:
every conformance case, every fixture chart and generated snippets render to the same bytes,
source map and errors (message, template, position) through both."""

from __future__ import annotations

import random
import re
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from conformance import Case, load_all
from helm_oracle import write_chart
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_snippet_properties import ARGUMENTS, FUNCTION_NAMES, TOKENS

from hooklint.chart import load_chart
from hooklint.errors import HooklintError
from hooklint.gotemplate import executor
from hooklint.gotemplate.gotypes import ANY, INT, STRING, VOLATILE_FUNCS, gofunc
from hooklint.gotemplate.sprig import random as sprig_random
from hooklint.gotemplate.template import TemplateExecError, TemplateSet
from hooklint.render import RenderOptions, render_chart

ROOT = Path(__file__).resolve().parents[2]
CHARTS = sorted(p.parent for p in (ROOT / "fixtures" / "charts").rglob("Chart.yaml") if "charts" not in
                p.parent.relative_to(ROOT / "fixtures" / "charts").parts[1:])
CASES = load_all()
ALWAYS = 1
NEVER = 1 << 62


@pytest.fixture(autouse=True)
def _restore_tiering() -> Iterator[None]:
    saved = executor.COMPILE_AFTER
    yield
    executor.set_compile_after(saved)


def outcome(render: Callable[[], Any]) -> Any:
    """What a user sees of a render: its result, or the error's text and position."""
    try:
        return render()
    except HooklintError as e:
        return ("error", type(e).__name__, str(e), repr(getattr(e, "pos", None)), getattr(e, "inner", None))


def _both(render: Callable[[], Any]) -> tuple[Any, Any, int]:
    """(walked, compiled, how many templates were compiled) of the same render."""
    executor.set_compile_after(NEVER)
    walked = outcome(render)
    assert executor.compile_counts == {"compiled": 0, "declined": 0}
    executor.set_compile_after(ALWAYS)
    compiled = outcome(render)
    made = executor.compile_counts["compiled"]
    return walked, compiled, made


def _chart_render(chart_dir: Path) -> Callable[[], Any]:
    def render() -> Any:
        files = render_chart(load_chart(chart_dir, 3), None, RenderOptions(helm_version=3))
        return {k: (f.text, repr(f.segments)) for k, f in files.items()}

    return render


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_conformance_case_compiled(case: Case, tmp_path: Path) -> None:
    walked, compiled, made = _both(_chart_render(write_chart(tmp_path, case.chart_files())))
    if case.match is not None and not isinstance(walked, tuple):  # random output: Helm's pattern
        assert isinstance(compiled, dict)
        assert re.fullmatch(case.match, compiled["t/templates/t.yaml"][0], re.S)
    else:
        assert compiled == walked
    if not isinstance(walked, tuple):
        assert made > 0


@pytest.mark.parametrize("chart", CHARTS, ids=[str(c.relative_to(ROOT / "fixtures" / "charts")) for c in CHARTS])
def test_fixture_chart_compiled(chart: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    render = _chart_render(chart)

    def seeded() -> Any:  # random functions (fixture parity/random) draw the same in both runs
        monkeypatch.setattr(sprig_random, "secrets", random.Random(1))
        return render()

    walked, compiled, _ = _both(seeded)
    assert compiled == walked


VALUES_YAML = """\
replicaCount: 3
image: {repository: nginx, tag: "1.25"}
list: [1, "two", 3.5, null, {k: v}]
env: [{name: A, value: "1"}, {name: B}]
nothing: null
"""


# Functions whose result does not depend on the time or a random source, every 5th plus builtins.
SOUP = [t for t in TOKENS if t not in VOLATILE_FUNCS]
NAMES = [*[n for n in FUNCTION_NAMES if n not in VOLATILE_FUNCS][::5], "eq", "len", "index", "print", "not", "and", "or"]


@st.composite
def _snippets(draw: st.DrawFn) -> str:
    """Control structures around calls, fields and variables, plus free token soup."""
    def call() -> str:
        name = draw(st.sampled_from(NAMES))
        return " ".join([name, *draw(st.lists(st.sampled_from(ARGUMENTS), max_size=3))])

    def body(depth: int) -> str:
        parts = []
        for _ in range(draw(st.integers(0, 3))):
            kind = draw(st.sampled_from(["text", "act", "pipe", "if", "with", "range", "var", "soup"]))
            if kind == "text":
                parts.append(draw(st.sampled_from(["a", "\n", " x: "])))
            elif kind == "act":
                parts.append("{{ " + draw(st.sampled_from(ARGUMENTS)) + " }}")
            elif kind == "pipe":
                parts.append("{{ " + call() + " | " + call() + " }}")
            elif kind == "var":
                parts.append("{{ $v := " + call() + " }}{{ $v }}{{ $v = 1 }}{{ $ }}")
            elif kind == "soup":
                parts.append("".join(draw(st.lists(st.sampled_from(SOUP), max_size=8))))
            elif depth < 3:
                head = draw(st.sampled_from(ARGUMENTS))
                inner = body(depth + 1)
                if kind == "range":
                    ctl = draw(st.sampled_from(["break", "continue", ""]))
                    inner += "{{ if $i }}{{ " + ctl + " }}{{ end }}" if ctl else ""
                    head = "$i, $e := " + head
                other = draw(st.sampled_from(["", "{{ else }}" + body(depth + 1)]))
                parts.append("{{ " + kind + " " + head + " }}" + inner + other + "{{ end }}")
        return "".join(parts)

    return body(0)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_snippets())
def test_snippets_compiled(text: str) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        chart = write_chart(Path(tmp), {"templates/t.yaml": text, "templates/_h.tpl": '{{ define "d" }}d{{ . }}{{ end }}',
                                        "values.yaml": VALUES_YAML})
        walked, compiled, _ = _both(_chart_render(chart))
    assert compiled == walked


def test_deeply_nested_template_is_declined_and_walked() -> None:
    """Ranges nested deeper than Python's block limit allows: the compiler declines, the
    tree-walker renders it (the same bytes)."""
    text = "{{ range . }}" * 10 + "{{ . }}" + "{{ end }}" * 10
    data: Any = [[[[[[[[[[1, 2]]]]]]]]]]

    def render() -> str:
        ts = TemplateSet()
        ts.parse("t", text)
        return ts.execute_text("t", data)

    walked, compiled, made = _both(render)
    assert walked == compiled == "12"
    assert made == 0 and executor.compile_counts["declined"] == 1


def test_compiled_error_position() -> None:
    """An error deep in a compiled template names the same template, line and column."""
    text = '{{ define "d" }}\n  {{ .a.b }}{{ end }}{{ range .l }}{{ template "d" $ }}{{ end }}'

    def render() -> Any:
        ts = TemplateSet(missing_key="error")
        ts.parse("t", text)
        return ts.execute_text("t", {"l": [1], "a": {}})

    walked, compiled, made = _both(render)
    assert made > 0
    assert compiled == walked
    assert walked[2] == 'template: t:2:7: executing "d" at <.a.b>: map has no entry for key "b"'


def test_tiering_compiles_on_the_nth_run() -> None:
    ts = TemplateSet()
    ts.parse("t", '{{ define "d" }}<{{ . }}>{{ end }}{{ range . }}{{ template "d" . }}{{ end }}')
    executor.set_compile_after(3)
    assert ts.execute_text("t", [1, 2, 3]) == "<1><2><3>"
    assert executor.compile_counts["compiled"] == 1  # "d" ran twice walked, then compiled ("t" ran once)
    assert ts.execute_text("t", [4]) == "<4>"
    with pytest.raises(TemplateExecError):
        ts.execute_text("t", 5.5)


def test_call_site_compiled_for_one_signature_serves_another() -> None:
    """A set compiles a template calling `f`, then binds `f` to a function of another signature
    (Template.Funcs after execution): the compiled template runs the new `f` as the walker does,
    converting its argument for the signature it has."""
    @gofunc(INT, result=STRING)
    def f_int(n: int) -> str:
        return f"int:{n!r}"

    @gofunc(ANY, result=STRING)
    def f_any(v: Any) -> str:
        return f"any:{v!r}"

    executor.set_compile_after(ALWAYS)
    ts = TemplateSet({"f": f_int})
    ts.parse("t", '{{ f 3 }} {{ "x" | printf "%s" }}')
    assert ts.execute_text("t", None) == "int:3 x"
    ts.add_funcs({"f": f_any})
    assert ts.execute_text("t", None) == "any:3 x"  # the untyped constant 3 becomes an int for interface{} too
    ts.add_funcs({"f": gofunc(INT, INT, result=STRING)(lambda a, b: "")})
    with pytest.raises(TemplateExecError, match=r"wrong number of args for f: want 2 got 1"):
        ts.execute_text("t", None)
    assert executor.compile_counts["compiled"] == 1

"""The tree-walker's fast paths (`if`/`with`/pipelines over a field chain, range bodies,
variables, one-call pipeline arguments of planned calls) render the same bytes and fail with
the same errors, at the same positions, as the compiled templates (compiler.py), in every
missingkey mode: for all data shapes, including missing keys, nil values and empty ones."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from test_compiled_equivalence import outcome

from hooklint.gotemplate import executor
from hooklint.gotemplate.template import TemplateSet
from hooklint.render.engine import helm_funcs

NEVER = 1 << 62

# Values of every truthiness, nil and nested maps (where field chains go on or stop).
_LEAVES = st.sampled_from([None, "", "s", 0, 3, 2.5, True, False, [], [1, "x"], {}])
_DATA = st.recursive(_LEAVES, lambda inner: st.dictionaries(st.sampled_from(["a", "b", "c"]), inner, max_size=3),
                     max_leaves=10)
_CHAINS = [".a", ".a.b", ".b.c.a", "$.a.b", "$x", "$x.b", "."]
_SHAPES = [
    "{{ if CHAIN }}T{{ else }}F{{ end }}",
    "{{- with CHAIN }}[{{ . }}]{{ else }}none{{ end -}}",
    "{{ CHAIN | printf \"%v\" }}",
    "{{ CHAIN }}",
    "{{ range $k, $v := CHAIN }}{{ $k }}={{ $v }};{{ end }}",
    "{{ range CHAIN }}{{ if . }}{{ continue }}{{ end }}<{{ . }}>{{ end }}",
    "{{ default \"d\" (printf \"%v\" CHAIN) }}",
    "{{ CHAIN | default \"d\" | quote }}",
]


@pytest.fixture(autouse=True)
def _restore_tiering() -> Iterator[None]:
    saved = executor.COMPILE_AFTER
    yield
    executor.set_compile_after(saved)


def _render(text: str, data: Any, missing_key: str, compile_after: int) -> Any:
    executor.set_compile_after(compile_after)
    funcs = {k: v for k, v in helm_funcs(3).items() if k not in ("tpl", "include", "lookup")}
    ts = TemplateSet(funcs, missing_key)
    ts.parse("t", text)
    # Three runs: the first call of each site, then its plan (executor._CallPlan).
    return outcome(lambda: [(text, repr(segments)) for text, segments in (ts.execute("t", data) for _ in range(3))])


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(_SHAPES), st.sampled_from(_CHAINS)), min_size=1, max_size=4), _DATA,
       st.sampled_from(["default", "zero", "error"]))
def test_walked_shapes_equal_compiled(shapes: list[tuple[str, str]], data: Any, missing_key: str) -> None:
    text = "{{ $x := .a }}" + "|".join(shape.replace("CHAIN", chain) for shape, chain in shapes)
    walked = _render(text, data, missing_key, NEVER)
    assert walked == _render(text, data, missing_key, 1)


def test_if_over_a_missing_key_with_missingkey_error_fails_at_the_field() -> None:
    """The field-chain fast path of an `if` hands a missing key to the general walk, which
    reports it where Go does."""
    got = _render("{{ if .a.b }}x{{ end }}", {"a": {}}, "error", NEVER)
    assert got[0] == "error"
    assert got[2] == 'template: t:1:8: executing "t" at <.a.b>: map has no entry for key "b"'

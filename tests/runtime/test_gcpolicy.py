"""Loads and renders run with the cyclic GC paused, leave nothing for it to collect, and give the
caller's collector back as it was; only the CLI freezes what a render leaves alive."""

from __future__ import annotations

import gc
from pathlib import Path

import pytest

from hooklint.chart import load_chart
from hooklint.gotemplate import fastparse
from hooklint.gotemplate import template as template_mod
from hooklint.render import RenderOptions, render_chart, template_output
from hooklint.runtime import gcpolicy
from hooklint.runtime.gcpolicy import paused_collection

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "charts"
EXAMPLE = FIXTURES / "example"


def test_a_render_pauses_the_collector_and_resumes_it() -> None:
    assert gc.isenabled()
    assert paused_collection(gc.isenabled)() is False
    assert gc.isenabled()
    # the library entry points run through it
    assert render_chart.__wrapped__ and template_output.__wrapped__  # type: ignore[attr-defined]
    assert load_chart.__wrapped__  # type: ignore[attr-defined]
    render_chart(load_chart(EXAMPLE), None, RenderOptions())
    template_output(load_chart(EXAMPLE), RenderOptions())
    assert gc.isenabled()


def test_a_collector_paused_by_the_caller_stays_paused() -> None:
    gc.disable()
    try:
        assert paused_collection(gc.isenabled)() is False
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_the_collector_is_resumed_when_the_render_fails() -> None:
    def fails() -> None:
        raise ValueError("no")

    with pytest.raises(ValueError):
        paused_collection(fails)()
    assert gc.isenabled()


def test_library_renders_freeze_nothing_the_cli_freezes_survivors(monkeypatch: pytest.MonkeyPatch) -> None:
    before = gc.get_freeze_count()
    render_chart(load_chart(EXAMPLE), None, RenderOptions())
    assert gc.get_freeze_count() == before
    monkeypatch.setattr(gcpolicy, "PROMOTE_SURVIVORS", True)
    try:
        render_chart(load_chart(EXAMPLE), None, RenderOptions())
        assert gc.get_freeze_count() > before
    finally:
        gc.unfreeze()


def _cyclic_garbage_of(render: object) -> int:
    """How many objects the cyclic GC finds after `render()` runs and its parses are dropped."""
    gc.collect()
    gc.disable()
    try:
        render()  # type: ignore[operator]
        template_mod._SHARED_PARSES.clear()
        fastparse.forget()
        return gc.collect()
    finally:
        gc.enable()


@pytest.mark.parametrize("chart", ["example", "platform"])
def test_parse_trees_and_template_sets_are_freed_without_the_collector(chart: str) -> None:
    """A render paused the collector: its parse trees (cached, then dropped) and its template
    set must not be reference cycles, or every render would leave them all for a collection.
    (`example` calls tpl; `platform` has subcharts, a packed one among them, and a schema.)"""
    loaded = load_chart(FIXTURES / chart)
    render_chart(loaded, None, RenderOptions())  # the lazily imported modules, once
    template_mod._SHARED_PARSES.clear()
    # Nothing: not the trees (thousands of objects), not the template sets, not the render's
    # `include`/`tpl` functions (made by module-level functions: a closure making itself is a cycle).
    assert _cyclic_garbage_of(lambda: render_chart(loaded, None, RenderOptions())) == 0


def test_a_loaded_chart_with_subcharts_is_freed_without_the_collector() -> None:
    """Subcharts point at their parent weakly: a chart is no reference cycle, so dropping it frees
    its files at once (with the collector paused during loads, cyclic charts piled up between
    full collections: +1.5 MB a load of kube-prometheus-stack)."""
    assert _cyclic_garbage_of(lambda: load_chart(FIXTURES / "platform")) == 0
    chart = load_chart(FIXTURES / "platform")
    sub = next(c for c in chart.dependencies if c.name == "api")
    assert sub.parent is chart and not sub.is_root() and sub.full_path() == "platform/charts/api"
    clone = chart.clone()
    assert all(c.parent is clone for c in clone.dependencies)

"""Renders in library use run with the CLI's GC thresholds and give the caller's back."""

from __future__ import annotations

import gc
from pathlib import Path

from hooklint.chart import load_chart
from hooklint.render import RenderOptions, render_chart, template_output
from hooklint.runtime.gcpolicy import RUN_THRESHOLDS, collecting_less

EXAMPLE = Path(__file__).resolve().parents[2] / "fixtures" / "charts" / "example"


def test_a_render_collects_less_and_restores_the_thresholds() -> None:
    before = gc.get_threshold()
    try:
        gc.set_threshold(700, 10, 10)
        assert collecting_less(gc.get_threshold)() == RUN_THRESHOLDS
        assert gc.get_threshold() == (700, 10, 10)
        # both library entry points run through it, and hand the caller's thresholds back
        assert render_chart.__wrapped__ and template_output.__wrapped__  # type: ignore[attr-defined]
        render_chart(load_chart(EXAMPLE), None, RenderOptions())
        template_output(load_chart(EXAMPLE), RenderOptions())
        assert gc.get_threshold() == (700, 10, 10)
    finally:
        gc.set_threshold(*before)


def test_thresholds_already_raised_are_left_as_they_are() -> None:
    before = gc.get_threshold()
    try:
        gc.set_threshold(100_000, 5, 5)
        assert collecting_less(gc.get_threshold)() == (100_000, 5, 5)
    finally:
        gc.set_threshold(*before)

"""Sprig's `empty` (defaults.is_empty) and mergo's isEmptyValue (dicts.py) are different Go
functions: they agree except on complex numbers, which only Sprig's empty treats as zero-empty."""

from __future__ import annotations

from pathlib import Path

import pytest
from helm_oracle import HAVE_HELM, helm_render, write_chart

from hooklint.chart import load_chart
from hooklint.render import RenderOptions, render_chart

needs_helm = pytest.mark.skipif(not HAVE_HELM, reason="helm_python not installed")

TEMPLATES = [
    "{{ empty 0i }} {{ empty 1i }} {{ empty 0.0 }}",
    '{{ default "d" 0i }} {{ default "d" 2i }}',
    "{{ coalesce 0i 3 }} {{ ternary 1 2 (empty (sub 1 1)) }}",
    '{{ $d := dict "a" 1 }}{{ $_ := mergeOverwrite $d (dict "a" 0i) }}{{ $d.a }}',
    '{{ $d := dict "a" 0i }}{{ $_ := merge $d (dict "a" 2i) }}{{ $d.a }}',
]


@needs_helm
@pytest.mark.parametrize("template", TEMPLATES)
def test_complex_zero_like_helm(tmp_path: Path, template: str) -> None:
    chart = write_chart(tmp_path, {"templates/t.yaml": template})
    expected = helm_render(chart)
    assert isinstance(expected, dict), expected
    ours = render_chart(load_chart(chart, helm_version=4), None, RenderOptions(helm_version=4))
    assert ours["t/templates/t.yaml"].text == expected["t/templates/t.yaml"]

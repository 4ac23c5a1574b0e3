"""Every conformance case: our render equals Helm's recorded bytes (or fails like Helm), and the
recorded expectation still equals live Helm when helm_python is installed."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from conformance import Case, error_tail, load_all
from helm_oracle import HAVE_HELM, HELM_SDK_VERSION, HelmFailure, helm_render_snippet, write_chart

from hooklint.chart import load_chart
from hooklint.errors import HooklintError
from hooklint.render import RenderOptions, render_chart

CASES = load_all()


def _ours(case: Case, tmp_path: Path) -> str | HooklintError:
    chart_dir = write_chart(tmp_path, case.chart_files())
    try:
        chart = load_chart(chart_dir, helm_version=HELM_SDK_VERSION)
        files = render_chart(chart, None, RenderOptions(helm_version=HELM_SDK_VERSION))
    except HooklintError as e:
        return e
    rendered = files.get("t/templates/t.yaml")
    return rendered.text if rendered is not None else ""


def _check(case: Case, got: str | HooklintError, want_output: str | None, want_error: dict | None) -> None:
    if want_error is not None:
        assert isinstance(got, HooklintError), f"Helm fails with {want_error['message']!r}; we rendered {got!r}"
        if want_error.get("location"):
            assert want_error["location"] in got.message, (got.message, want_error)
        assert error_tail(got.message) == error_tail(want_error["message"]), (got.message, want_error)
        return
    assert not isinstance(got, HooklintError), f"we failed: {got.message}"
    if case.match is not None:
        assert re.fullmatch(case.match, got, re.S), (case.match, got)
    else:
        assert got == want_output


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_conformance(case: Case, tmp_path: Path) -> None:
    assert case.output is not None or case.error is not None, "unrecorded: run tools/record_conformance.py"
    if HAVE_HELM:
        live = helm_render_snippet(case.template, case.values, case.files)
        if isinstance(live, HelmFailure):
            assert case.error is not None and error_tail(live.message) == error_tail(case.error["message"])
        elif case.match is not None:
            assert re.fullmatch(case.match, live, re.S), (case.match, live)
        else:
            assert live == case.output, "fixture is stale: re-record it from Helm"
    _check(case, _ours(case, tmp_path), case.output, case.error)

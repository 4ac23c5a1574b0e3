"""Identical template texts in different files are parsed once and shared: every error and
source-map position still names the file that is executing, as in Helm."""

from __future__ import annotations

from pathlib import Path

import pytest
from conformance import error_tail
from helm_oracle import HAVE_HELM, HelmFailure, helm_render, write_chart

from hooklint.chart import load_chart
from hooklint.errors import HooklintError
from hooklint.gotemplate.template import TemplateExecError, TemplateSet
from hooklint.render import RenderOptions, render_chart

HELPER = '{{- define "d" -}}\n{{ index . 5 }}\n{{- end -}}\n'


def test_error_names_the_executing_copy() -> None:
    ts = TemplateSet()
    ts.parse("a/_h.tpl", HELPER)
    ts.parse("b/_h.tpl", HELPER)  # same text: shared nodes, b's definition of "d" wins
    ts.parse("main", '{{ template "d" . }}')
    with pytest.raises(TemplateExecError) as e:
        ts.execute("main", [1])
    assert "template: b/_h.tpl:2:3: executing \"d\" at <index . 5>" in e.value.message


def test_source_map_names_each_file() -> None:
    ts = TemplateSet()
    ts.parse("one.yaml", "a: 1\n{{ .x }}\n")
    ts.parse("two.yaml", "a: 1\n{{ .x }}\n")
    for name in ("one.yaml", "two.yaml"):
        text, segments = ts.execute(name, {"x": 2})
        assert text == "a: 1\n2\n"
        assert {s.origin.file for s in segments} == {name}
        assert [s.origin.line for s in segments] == [1, 2, 2]


@pytest.mark.skipif(not HAVE_HELM, reason="needs helm_python")
def test_duplicate_library_copies_fail_like_helm(tmp_path: Path) -> None:
    files = {
        "templates/_a.tpl": HELPER,
        "templates/_b.tpl": HELPER,
        "templates/t.yaml": '{{ include "d" (list 1) }}',
        "charts/sub/Chart.yaml": "apiVersion: v2\nname: sub\nversion: 0.1.0\n",
        "charts/sub/templates/_a.tpl": HELPER,
    }
    chart_dir = write_chart(tmp_path, files)
    helm = helm_render(chart_dir)
    assert isinstance(helm, HelmFailure)
    with pytest.raises(HooklintError) as e:
        render_chart(load_chart(chart_dir), None, RenderOptions(kube_version="v1.36.0"))
    assert helm.location is not None and helm.location in e.value.message
    inner = helm.message.split("error calling include: ")[1].split(" executing")[0]  # the winning copy
    assert inner in e.value.message
    assert error_tail(e.value.message) == error_tail(helm.message)

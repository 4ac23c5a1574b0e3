"""prepare() hands each render values of its own: a template that changes .Values (Sprig's
`set`, `unset`, `merge`) changes nothing for the next render of the same loaded chart, and the
loaded chart keeps its values and metadata (Chart.clone shares the values, which coalescing
copies, and copies the metadata, which dependency processing edits)."""

from __future__ import annotations

import copy
from pathlib import Path

from helm_oracle import write_chart

from hooklint.chart import load_chart
from hooklint.chart.model import Dependency, Maintainer, Metadata
from hooklint.render import RenderOptions, template_output

_MUTATING = """\
{{- $_ := set .Values.sub "seen" (add1 (default 0 .Values.sub.seen)) }}
{{- $_ := unset .Values "gone" }}
{{- $_ := set .Values.global "top" "changed" }}
{{- $_ := set .Values "imported" (add1 .Values.imported) }}
seen: {{ .Values.sub.seen }}
gone: {{ .Values.gone | default "absent" }}
imported: {{ .Values.imported }}
"""


def test_renders_of_one_loaded_chart_do_not_share_values(tmp_path: Path) -> None:
    chart_dir = write_chart(tmp_path, {
        "Chart.yaml": "apiVersion: v2\nname: c\nversion: 0.1.0\ndependencies:\n"
                      "- name: sub\n  version: 0.1.0\n  condition: sub.enabled\n  import-values: [data]\n",
        "values.yaml": "gone: here\nglobal: {top: 1}\nsub: {enabled: true, list: [1, 2]}\n",
        "templates/cm.yaml": _MUTATING,
        "charts/sub/Chart.yaml": "apiVersion: v2\nname: sub\nversion: 0.1.0\n",
        "charts/sub/values.yaml": "exports: {data: {imported: 1}}\nown: {a: 1}\n",
        "charts/sub/templates/cm.yaml": (
            '{{- $_ := set .Values.own "a" (add1 .Values.own.a) }}own: {{ .Values.own.a }}\nglobal: {{ .Values.global.top }}\n'
        ),
    })
    chart = load_chart(chart_dir)
    values_before = copy.deepcopy([chart.values, chart.dependencies[0].values])
    metadata_before = repr(chart.metadata)
    outputs = [template_output(chart, RenderOptions()) for _ in range(2)]
    assert outputs[0] == outputs[1]
    assert "seen: 1\n" in outputs[0] and "gone: absent\n" in outputs[0] and "imported: 2\n" in outputs[0] and "own: 2\nglobal: 1\n" in outputs[0]
    assert [chart.values, chart.dependencies[0].values] == values_before
    assert repr(chart.metadata) == metadata_before


def test_metadata_copy_is_deep() -> None:
    md = Metadata(Name="c", Sources=["s"], Keywords=["k"], Maintainers=[Maintainer("m"), None],
                  Annotations={"a": "b"},
                  Dependencies=[Dependency("d", tags=["t"], import_values=[{"child": "x", "parent": "y"}]), None])
    out = md.copy()
    assert repr(out) == repr(md) == repr(copy.deepcopy(md))
    assert out.Sources is not md.Sources and out.Keywords is not md.Keywords
    assert out.Annotations is not md.Annotations
    assert out.Maintainers is not None and md.Maintainers is not None
    assert out.Maintainers[0] is not md.Maintainers[0]
    assert out.Dependencies is not None and md.Dependencies is not None
    dep, orig = out.Dependencies[0], md.Dependencies[0]
    assert dep is not None and orig is not None
    assert dep is not orig and dep.tags is not orig.tags
    assert dep.import_values[0] is not orig.import_values[0]

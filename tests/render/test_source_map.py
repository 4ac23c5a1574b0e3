"""The source map a render hands over (made when first asked for) points rendered output back at
template lines, also after Helm's `<no value>` removal, and `helm template`'s output reports an
undecodable document at its template line although it asks for no other position."""

from __future__ import annotations

from pathlib import Path

import pytest

from hooklint.chart import load_chart
from hooklint.documents.manifests import documents_from_rendered
from hooklint.documents.source import SourcePos
from hooklint.errors import RenderError
from hooklint.render import RenderOptions, render_chart, template_output

TEMPLATE = """\
apiVersion: v1
kind: ConfigMap
metadata:
  labels:
    missing: "{{ .Values.nothing }}{{ .Values.nothing }}"
  name: {{ .Release.Name }}-cm
data:
  a: {{ .Values.a | quote }}
"""


def _chart(tmp_path: Path, template: str) -> Path:
    chart = tmp_path / "c"
    (chart / "templates").mkdir(parents=True)
    (chart / "Chart.yaml").write_text("apiVersion: v2\nname: c\nversion: 0.1.0\n")
    (chart / "values.yaml").write_text("a: x\n")
    (chart / "templates" / "cm.yaml").write_text(template)
    return chart


def test_keys_after_no_value_map_to_their_template_lines(tmp_path: Path) -> None:
    files = render_chart(load_chart(_chart(tmp_path, TEMPLATE)), None, RenderOptions())
    rf = files["c/templates/cm.yaml"]
    assert 'missing: ""' in rf.text  # both <no value>s removed, as Helm does
    [doc] = documents_from_rendered(files)
    assert doc.key_pos["metadata.name"] == SourcePos("c/templates/cm.yaml", 6, 3)
    assert doc.key_pos["data.a"] == SourcePos("c/templates/cm.yaml", 8, 3)
    # every segment lies inside the text that is left, in order, none empty
    ends = [(s.out_start, s.out_end) for s in rf.segments]
    assert all(a < b for a, b in ends) and all(b <= c for (_, b), (c, _) in zip(ends, ends[1:], strict=False))
    assert ends[-1][1] <= len(rf.text)


def test_helm_template_reports_an_undecodable_document_at_its_template_line(tmp_path: Path) -> None:
    bad = "a: 1\n---\n{{ if true }}b: [\n{{ end }}"
    chart = load_chart(_chart(tmp_path, bad))
    with pytest.raises(RenderError) as e:
        template_output(chart, RenderOptions())
    assert e.value.pos == SourcePos("c/templates/cm.yaml", 3, 14)


def test_a_render_keeps_no_printed_file_bytes_after_it_ends(tmp_path: Path) -> None:
    """`%v` of a long []byte (a chart printing `.Files` through `$`) is remembered while the
    render runs, for its repeats, and let go of when it ends."""
    from hooklint.gotemplate import gofmt

    chart = _chart(tmp_path, 'a: {{ printf "%v" (.Files.GetBytes "big.txt") | len }}\n'
                             'b: {{ printf "%v" (.Files.GetBytes "big.txt") | len }}\n')
    data = bytes(range(256)) * 64
    (chart / "big.txt").write_bytes(data)
    files = render_chart(load_chart(chart), None, RenderOptions())
    printed = "[" + " ".join(str(b) for b in data) + "]"
    assert files["c/templates/cm.yaml"].text == f"a: {len(printed)}\nb: {len(printed)}\n"
    assert gofmt._BYTES_CACHE == {} and gofmt._cached_chars == 0

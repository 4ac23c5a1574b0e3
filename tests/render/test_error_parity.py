"""Error parity with Helm 4.2.3 (the oracle): broken charts of every kind - Chart.yaml fields,
dependencies and requirements, values files, schemas, template parse and execution errors in
charts and subcharts and helpers, include/template of missing names, required/fail, unsafe
archives - must fail with Helm's exact message (`helm_version=4`). Helm 3.17.1 wording, where it
differs, is asserted from its source below.
"""

from __future__ import annotations

import io
import tarfile
from pathlib import Path

import pytest
from helm_oracle import HAVE_HELM, helm_python, write_chart

from hooklint.chart import load_chart
from hooklint.chart.loader import archive_files
from hooklint.errors import HooklintError
from hooklint.render import RenderOptions, render_chart, template_output

needs_helm = pytest.mark.skipif(not HAVE_HELM, reason="helm_python not installed")

CY = "apiVersion: v2\nname: t\nversion: 0.1.0\n"
DEP = CY + "dependencies:\n- name: sub\n  version: 0.1.0\n"
SUBCY = "apiVersion: v2\nname: sub\nversion: 0.1.0\n"
T = {"templates/t.yaml": "a: 1\n"}
CASES: dict[str, dict[str, str | None] | str] = {
    "no-chart-yaml": {"Chart.yaml": None, **T},
    "chart-yaml-bad-yaml": {"Chart.yaml": "name: [t\n", **T},
    "chart-yaml-missing-name": {"Chart.yaml": "apiVersion: v2\nversion: 0.1.0\n", **T},
    "chart-yaml-missing-version": {"Chart.yaml": "apiVersion: v2\nname: t\n", **T},
    "chart-yaml-bad-version": {"Chart.yaml": "apiVersion: v2\nname: t\nversion: abc\n", **T},
    "chart-yaml-short-version": {"Chart.yaml": "apiVersion: v2\nname: t\nversion: '1.0'\n", **T},
    "chart-yaml-bad-apiversion": {"Chart.yaml": "apiVersion: v3\nname: t\nversion: 0.1.0\n", **T},
    "chart-yaml-no-apiversion": {"Chart.yaml": "name: t\nversion: 0.1.0\n", **T},
    "chart-yaml-bad-name": {"Chart.yaml": "apiVersion: v2\nname: a/b\nversion: 0.1.0\n", **T},
    "chart-yaml-bad-type": {"Chart.yaml": CY + "type: foo\n", **T},
    "chart-yaml-maintainer-no-name": {"Chart.yaml": CY + "maintainers:\n- email: a@b.c\n", **T},
    "chart-yaml-dep-no-name": {"Chart.yaml": CY + "dependencies:\n- version: 1.0.0\n", **T},
    "chart-yaml-dep-bad-alias": {"Chart.yaml": DEP + "  alias: a!b\n", "charts/sub/Chart.yaml": SUBCY, **T},
    "chart-yaml-wrong-type-field": {"Chart.yaml": CY + "keywords: abc\n", **T},
    "chart-yaml-list": {"Chart.yaml": "- a\n", **T},
    "chart-yaml-kubeversion": {"Chart.yaml": CY + "kubeVersion: '<1.20'\n", **T},
    "chart-yaml-bad-kubeversion": {"Chart.yaml": CY + "kubeVersion: 'abc'\n", **T},
    "values-bad-yaml": {"values.yaml": "a: [1\n", **T},
    "values-list": {"values.yaml": "- 1\n", **T},
    "values-tab": {"values.yaml": "a:\n\tb: 1\n", **T},
    "values-dup-key": {"values.yaml": "a: 1\na: 2\n", **T},
    "sub-values-bad-yaml": {
        "Chart.yaml": DEP,
        "charts/sub/Chart.yaml": SUBCY,
        "charts/sub/values.yaml": "a: [\n",
        **T,
    },
    "sub-chart-yaml-bad": {"Chart.yaml": DEP, "charts/sub/Chart.yaml": "name: [\n", **T},
    "sub-chart-yaml-missing": {"Chart.yaml": DEP, "charts/sub/values.yaml": "a: 1\n", **T},
    "sub-tgz-corrupt": {"Chart.yaml": DEP, "charts/sub-0.1.0.tgz": "not a tgz", **T},
    "requirements-bad": {
        "Chart.yaml": "apiVersion: v1\nname: t\nversion: 0.1.0\n",
        "requirements.yaml": "dependencies: [\n",
        **T,
    },
    "requirements-lock-bad": {"requirements.lock": "a: [\n", **T},
    "chart-lock-bad": {"Chart.lock": "a: [\n", **T},
    "parse-unclosed": {"templates/t.yaml": "a: {{ .Values.a\n"},
    "parse-bad-end": {"templates/t.yaml": "{{ end }}\n"},
    "parse-unknown-func": {"templates/t.yaml": "{{ nope 1 }}\n"},
    "parse-in-subchart": {
        "Chart.yaml": DEP,
        "charts/sub/Chart.yaml": SUBCY,
        "charts/sub/templates/x.yaml": "{{ if }}\n",
        **T,
    },
    "parse-in-helper": {"templates/_h.tpl": '{{ define "h" }}{{ .x | }}{{ end }}', **T},
    "exec-nil-pointer": {"templates/t.yaml": "{{ .Values.a.b.c }}"},
    "exec-in-subchart": {
        "Chart.yaml": DEP,
        "charts/sub/Chart.yaml": SUBCY,
        "charts/sub/templates/x.yaml": "\n{{ .Values.q.w.e }}\n",
        **T,
    },
    "exec-wrong-arg-type": {"templates/t.yaml": '{{ indent "x" 2 }}'},
    "exec-index-out-of-range": {"templates/t.yaml": "{{ index (list 1) 5 }}"},
    "exec-div-zero": {"templates/t.yaml": "{{ div 1 0 }}"},
    "exec-wrong-args": {"templates/t.yaml": "{{ quote }}{{ trunc 1 }}"},
    "include-missing": {"templates/t.yaml": '{{ include "nope" . }}'},
    "template-missing": {"templates/t.yaml": '{{ template "nope" . }}'},
    "include-missing-in-helper": {
        "templates/_h.tpl": '{{ define "h" }}{{ include "nope" . }}{{ end }}',
        "templates/t.yaml": '{{ include "h" . }}',
    },
    "required-in-helper": {
        "templates/_h.tpl": '{{ define "h" }}{{ required "need x" .Values.x }}{{ end }}',
        "templates/t.yaml": 'a: {{ include "h" . }}',
    },
    "fail-in-helper": {
        "templates/_h.tpl": '{{ define "h" }}\n{{ fail "nope" }}{{ end }}',
        "templates/t.yaml": 'a: {{ include "h" . }}',
    },
    "fail-in-subchart-helper": {
        "Chart.yaml": DEP,
        "charts/sub/Chart.yaml": SUBCY,
        "charts/sub/templates/_h.tpl": '{{ define "s" }}{{ fail "sub fail" }}{{ end }}',
        "charts/sub/templates/x.yaml": '{{ include "s" . }}',
        **T,
    },
    "exec-error-in-helper": {
        "templates/_h.tpl": '{{ define "h" }}\n\n{{ .Values.a.b.c }}{{ end }}',
        "templates/t.yaml": 'a: {{ include "h" . }}',
    },
    "tpl-parse-error": {"templates/t.yaml": '{{ tpl "{{ if }}" . }}'},
    "tpl-exec-error": {"templates/t.yaml": '{{ tpl "{{ .Values.a.b.c }}" . }}'},
    "tpl-fail": {"templates/t.yaml": '{{ tpl "{{ fail \\"in tpl\\" }}" . }}'},
    "recursion": {
        "templates/_h.tpl": '{{ define "r" }}{{ include "r" . }}{{ end }}',
        "templates/t.yaml": '{{ include "r" . }}',
    },
    "fromYaml-error": {"templates/t.yaml": '{{ (fromYaml "a: [").Error }}'},
    "required-nil-in-sub": {
        "Chart.yaml": DEP,
        "charts/sub/Chart.yaml": SUBCY,
        "charts/sub/templates/x.yaml": '{{ required "sub needs y" .Values.y }}',
        **T,
    },
    "schema-unparseable": {"values.schema.json": "{nope", **T},
    "schema-in-subchart": {
        "Chart.yaml": DEP,
        "charts/sub/Chart.yaml": SUBCY,
        "charts/sub/values.schema.json": '{"required": ["zz"]}',
        "values.yaml": "sub: {a: 1}\n",
        **T,
    },
    "library-chart": {"Chart.yaml": CY + "type: library\n", **T},
    "import-values-missing": {
        "Chart.yaml": DEP + "  import-values:\n  - child: nope.path\n    parent: x\n",
        "charts/sub/Chart.yaml": SUBCY,
        **T,
    },
    "condition-not-bool": {
        "Chart.yaml": DEP + "  condition: sub.enabled\n",
        "charts/sub/Chart.yaml": SUBCY,
        "values.yaml": "sub:\n  enabled: yes-please\n",
        **T,
    },
    "lookup-bad-args": {"templates/t.yaml": '{{ lookup "v1" }}'},
    "toYaml-fine-then-fail": {"templates/t.yaml": 'a: 1\n{{ fail (printf "%d things" 3) }}'},
    "notes-error": {"templates/NOTES.txt": "{{ .Values.a.b.c }}", **T},
    "tgz-abs-path": "TGZ:/etc/x",
    "tgz-parent": "TGZ:t/../../x",
    "tgz-chart-yaml-not-base": "TGZ:Chart.yaml",
    "tgz-empty": "TGZ:",
}


def _make(tmp: Path, spec: dict[str, str | None] | str) -> Path:
    """A chart directory from `spec` (file -> text; Chart.yaml None: none), or for "TGZ:<member>"
    an archive of a valid chart plus that member ("TGZ:" alone: an empty archive)."""
    if isinstance(spec, str):
        name = spec[4:]
        p = tmp / "c.tgz"
        buf = io.BytesIO()
        with tarfile.open(fileobj=buf, mode="w:gz") as tar:
            entries = {"t/Chart.yaml": CY.encode(), "t/templates/t.yaml": b"a: 1\n"}
            if name:
                entries[name] = b"x: 1\n"
            else:
                entries = {}
            for n, d in entries.items():
                ti = tarfile.TarInfo(n)
                ti.size = len(d)
                tar.addfile(ti, io.BytesIO(d))
        p.write_bytes(buf.getvalue())
        return p
    files = dict(spec)
    chart = tmp / "t"
    if files.get("Chart.yaml", "") is None:
        files.pop("Chart.yaml")
        chart.mkdir()
        for rel, text in files.items():
            q = chart / rel
            q.parent.mkdir(parents=True, exist_ok=True)
            q.write_text(text or "")
        return chart
    return write_chart(tmp, {k: v for k, v in files.items() if v is not None})


# The SDK's Chart.render skips action-level checks that `helm template` makes (kubeVersion).
ACTION_ONLY = {"chart-yaml-kubeversion", "chart-yaml-bad-kubeversion"}


def _helm(path: Path) -> str | None:
    try:
        helm_python.Chart.load(str(path)).render(None, name="release-name", namespace="default")
    except helm_python.HelmError as e:
        return str(e)
    return None


def _ours(path: Path, helm_version: int = 4) -> str | None:
    try:
        render_chart(
            load_chart(path, helm_version=helm_version), None, RenderOptions(helm_version=helm_version)
        )
    except HooklintError as e:
        return e.message
    return None


@needs_helm
@pytest.mark.parametrize("name", sorted(set(CASES) - ACTION_ONLY))
def test_error_matches_helm4(name: str, tmp_path: Path) -> None:
    path = _make(tmp_path, CASES[name])
    if path.suffix == ".tgz" and _helm(path) is not None:
        # The SDK loads an archive with LoadArchiveFiles' own errors; `helm template` (LoadFile:
        # the 4.1.4 binary, 4.2's source) replaces them all but gzip's header one.
        with pytest.raises(HooklintError) as err:
            archive_files(path.read_bytes(), helm_version=4)
        assert err.value.message == _helm(path)
        assert _ours(path) == "unable to load chart archive"
        return
    assert _ours(path) == _helm(path)


@pytest.mark.parametrize("helm_version", [3, 4])
def test_kube_version_check_is_helm_templates(tmp_path: Path, helm_version: int) -> None:
    """pkg/action/action.go (3.17.1 and 4.2.3): `chart requires kubeVersion: %s which is
    incompatible with Kubernetes %s` (an unparsable constraint is incompatible too)."""
    path = _make(tmp_path, CASES["chart-yaml-bad-kubeversion"])
    kube = "v1.36.0" if helm_version == 4 else "v1.32.0"
    assert (
        _ours(path, helm_version)
        == f"chart requires kubeVersion: abc which is incompatible with Kubernetes {kube}"
    )


def test_helm3_exec_errors_stay_on_one_line(tmp_path: Path) -> None:
    """v3.17.1 pkg/engine/engine.go cleanupExecError returns text/template's error unchanged."""
    path = _make(tmp_path, CASES["exec-error-in-helper"])
    assert _ours(path, 3) == (
        'template: t/templates/t.yaml:1:6: executing "t/templates/t.yaml" at <include "h" .>: error calling include: '
        'template: t/templates/_h.tpl:3:10: executing "h" at <.Values.a.b.c>: nil pointer evaluating interface {}.b'
    )


def test_helm3_chart_yaml_type_names(tmp_path: Path) -> None:
    """Helm 3.17.1 unmarshals Chart.yaml into chart.Metadata (package chart)."""
    path = _make(tmp_path, CASES["chart-yaml-list"])
    assert _ours(path, 3) == (
        "cannot load Chart.yaml: error unmarshaling JSON: while decoding JSON: json: cannot unmarshal array "
        "into Go value of type chart.Metadata"
    )


@pytest.mark.parametrize(
    ("helm_version", "order"),
    [(3, ["Alpha", "MutatingWebhookConfiguration"]), (4, ["MutatingWebhookConfiguration", "Alpha"])],
)
def test_template_output_uses_the_helm_versions_install_order(
    tmp_path: Path, helm_version: int, order: list[str]
) -> None:
    """InstallOrder: Helm 4.2.3 lists MutatingWebhookConfiguration (pkg/release/v1/util/kind_sorter.go);
    in 3.17.1 it is an unknown kind, sorted by name after the known ones."""
    files = {
        "templates/a.yaml": "apiVersion: v1\nkind: MutatingWebhookConfiguration\nmetadata: {name: w}\n",
        "templates/b.yaml": "apiVersion: v1\nkind: Alpha\nmetadata: {name: a}\n",
    }
    chart = load_chart(write_chart(tmp_path, files), helm_version=helm_version)
    out = template_output(chart, RenderOptions(helm_version=helm_version))
    kinds = [line.split(": ", 1)[1] for line in out.splitlines() if line.startswith("kind: ")]
    assert kinds == order

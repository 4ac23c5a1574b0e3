"""Rendering as Helm 3.17.1 (`helm_version=3`, the default) vs Helm 4.2.3 (`helm_version=4`).

Helm 4 expectations come from the oracle (helm_python is Helm 4.2.3). There is no Helm 3 here,
so each Helm 3 expectation is derived from reading v3.17.1's source, cited in the test's
docstring (`git -C <helm mirror> show v3.17.1:<path>`).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from conformance import error_tail
from helm_oracle import HAVE_HELM, HelmFailure, helm_render, helm_render_snippet, write_chart

from hooklint.chart import load_chart
from hooklint.chart.user_values import merge_user_values
from hooklint.errors import ChartError, HooklintError, UsageError
from hooklint.render import RenderOptions, crd_files, render_chart
from hooklint.render.values import parse_kube_version

needs_helm = pytest.mark.skipif(not HAVE_HELM, reason="helm_python not installed")
KEY = "t/templates/t.yaml"


def _render(tmp_path: Path, template: str, values_yaml: str = "", helm_version: int = 3, **files: str) -> str:
    chart = write_chart(tmp_path, {"templates/t.yaml": template, "values.yaml": values_yaml, **files})
    try:
        loaded = load_chart(chart, helm_version=helm_version)
        return render_chart(loaded, None, RenderOptions(helm_version=helm_version))[KEY].text
    except HooklintError as e:
        return "ERROR: " + e.message


# --- Helm 4.2.3, against the oracle -------------------------------------------------------------

V4_SNIPPETS: dict[str, tuple[str, str]] = {
    "types": (
        "{{ typeOf . }} {{ typeOf .Values }} {{ typeOf .Template }} {{ typeOf .Chart }} {{ typeOf .Release }} "
        "{{ typeOf .Capabilities }} {{ typeOf .Capabilities.KubeVersion }} {{ typeOf .Capabilities.APIVersions }} "
        "{{ typeOf .Files }}",
        "",
    ),
    "dig-on-values-fails": ('{{ dig "a" "" .Values }}', "a: 1\n"),
    "values-named-map-is-a-map": (
        '{{ keys . | sortAlpha }} {{ hasKey .Values "a" }} {{ pick .Values "a" }}',
        "a: 1\n",
    ),
    "chart-is-a-map": ("{{ .Chart }}|{{ .Chart.Metadata }}|{{ .Chart.Nope }}|{{ .Chart.IsRoot }}", ""),
    "kube-version": (
        "{{ .Capabilities.KubeVersion }} {{ .Capabilities.KubeVersion.Minor }} "
        "{{ .Capabilities.KubeVersion.GitVersion }}",
        "",
    ),
    "api-versions": ("{{ .Capabilities.APIVersions }}", ""),
    "default-nulls-dropped": (
        "{{ .Values.o }}|{{ .Values.top }}",
        "o: {a: null, b: {c: null, d: 1}, l: [null]}\ntop: null\n",
    ),
    "values-all-documents": ("{{ .Values }}", "a: 1\nc: {x: 1}\n--- # more\nb: 2\nc: {y: 2}\n"),
    "values-bad-separator": ("{{ .Values }}", "a: 1\n--- !!map\nb: 2\n"),
    "values-bad-document": ("{{ .Values }}", "a: 1\n---\n- 1\n"),
    "must-functions": (
        "{{ mustToYaml .Values }}|{{ mustToToml .Values }}|{{ mustToJson .Values }}",
        "a: 1\n",
    ),
    "toml-floats": ("{{ toToml .Values }}", "a: 1000000\nb: 1.5\n"),
    # tpl runs what it parsed: an empty text renders empty, not the enclosing tpl's "gotpl".
    "nested-empty-tpl": ('{{ tpl "a{{ tpl .Values.e . }}b{{ tpl \\"  \\" . }}c" . }}', 'e: ""\n'),
    "files-map": (
        '{{ len .Files }} {{ range $k, $v := .Files }}{{ $k }}={{ $v }};{{ end }} {{ index .Files "f/a.txt" }} '
        '{{ .Files }} {{ .Files.Get "f/a.txt" }}',
        "",
    ),
}


@needs_helm
@pytest.mark.parametrize("name", sorted(V4_SNIPPETS))
def test_v4_rendering_matches_helm4(name: str, tmp_path: Path) -> None:
    template, values_yaml = V4_SNIPPETS[name]
    files = {"f/a.txt": "hi\n", "f/b.txt": "yo"}
    helm = helm_render_snippet(template, values_yaml, files)
    ours = _render(tmp_path, template, values_yaml, 4, **files)
    if isinstance(helm, HelmFailure):
        assert ours.startswith("ERROR: "), ours
        assert error_tail(ours) == error_tail(helm.message), (ours, helm.message)
    else:
        assert ours == helm


@needs_helm
@pytest.mark.parametrize(
    ("user", "defaults"),
    [
        ({"x": {"a": None}}, "x: {a: null, b: 1}\n"),  # Helm 4 keeps a user null over a null default
        ({"x": {"b": None}}, "x: {a: null, b: 1}\n"),  # ...and deletes a non-null default
        ({"x": {"c": None}}, "x: {b: 1}\n"),
        ({"x": None}, "x: {b: 1}\n"),
    ],
)
def test_v4_user_nulls_match_helm4(user: dict[str, Any], defaults: str, tmp_path: Path) -> None:
    chart = write_chart(tmp_path, {"templates/t.yaml": "{{ .Values }}", "values.yaml": defaults})
    helm = helm_render(chart, user)
    assert isinstance(helm, dict)
    ours = render_chart(load_chart(chart, helm_version=4), user, RenderOptions(helm_version=4))[KEY].text
    assert ours == helm[KEY]


def test_v4_set_json_object_merges(tmp_path: Path) -> None:
    """Helm 4.2.3 pkg/cli/values/options.go: a `--set-json` value starting with `{` is a JSON
    object merged into the values (helm_python has no entry point for MergeValues)."""
    got = merge_user_values(set_json=['{"a": {"b": 1}}', "c=[1]"], helm_version=4)
    assert got == {"a": {"b": 1.0}, "c": [1.0]}
    with pytest.raises(ChartError, match=r"^failed parsing --set-json data JSON: \{nope$"):
        merge_user_values(set_json=["{nope"], helm_version=4)


def test_v4_values_file_documents_merge(tmp_path: Path) -> None:
    """Helm 4.2.3 pkg/cli/values/options.go reads `-f` files with loader.LoadValues (all
    documents merged) and wraps errors as `failed to parse FILE: ...`."""
    good = tmp_path / "v.yaml"
    good.write_text("a: 1\n---\nb: 2\n")
    assert merge_user_values(value_files=[str(good)], helm_version=4) == {"a": 1.0, "b": 2.0}
    assert merge_user_values(value_files=[str(good)]) == {"a": 1.0}
    bad = tmp_path / "bad.yaml"
    bad.write_text("a: 1\n---\n- x\n")
    with pytest.raises(ChartError, match=r"failed to parse .*bad.yaml: cannot unmarshal yaml document: "):
        merge_user_values(value_files=[str(bad)], helm_version=4)


def test_v4_kube_version_keeps_spelling() -> None:
    """Helm 4.2.3 pkg/chart/common/capabilities.go ParseKubeVersion: apimachinery ParseGeneric;
    Version keeps the input (with a `v`), String() is the normalized numbers."""
    kv = parse_kube_version("1.33.4-gke.1245000", 4)
    assert (kv.version, kv.major, kv.minor, kv.go_format_addressable()) == ("v1.33.4-gke.1245000", "1", "33", "v1.33.4")
    assert parse_kube_version("v1.30", 4).go_format_addressable() == "v1.30"
    with pytest.raises(UsageError, match='illegal version string "1"'):
        parse_kube_version("1", 4)


# --- Helm 3.17.1, from its source ---------------------------------------------------------------


def test_v3_values_types(tmp_path: Path) -> None:
    """v3.17.1 pkg/engine/engine.go: renderable.vals and `.Template` are chartutil.Values, and
    Sprig v3.3.0 dict.go `dig` type-asserts map[string]interface{} (a panic, recovered)."""
    out = _render(
        tmp_path, "{{ typeOf . }} {{ typeOf .Values }} {{ typeOf .Template }} {{ typeOf .Capabilities }}"
    )
    assert out == "chartutil.Values chartutil.Values chartutil.Values *chartutil.Capabilities"
    out = _render(tmp_path, '{{ dig "a" "" .Values }}', "a: 1\n")
    assert out.endswith(
        "error calling dig: interface conversion: interface {} is chartutil.Values, not map[string]interface {}"
    )


def test_v3_chart_is_a_struct(tmp_path: Path) -> None:
    """v3.17.1 pkg/engine/engine.go recAllTpls: `.Chart` is struct{ chart.Metadata; IsRoot bool },
    so the embedded Metadata is reachable and unknown fields are an error."""
    assert _render(tmp_path, "{{ typeOf .Chart }}|{{ .Chart.Metadata.Name }}|{{ .Chart.Sources }}") == (
        "struct { chart.Metadata; IsRoot bool }|t|[]"
    )
    assert "can't evaluate field Nope" in _render(tmp_path, "{{ .Chart.Nope }}")


def test_v3_capabilities_defaults(tmp_path: Path) -> None:
    """v3.17.1 pkg/chartutil/capabilities.go + Makefile (client-go v0.32.1 -> v1.32.0)."""
    out = _render(
        tmp_path,
        '{{ .Capabilities.KubeVersion }} {{ .Capabilities.HelmVersion.Version }} {{ .Capabilities.APIVersions.Has "autoscaling/v2beta2" }}',
    )
    assert out == "v1.32.0 v3.17.1 true"


def test_v3_keeps_nested_nulls_of_chart_defaults(tmp_path: Path) -> None:
    """v3.17.1 pkg/chartutil/coalesce.go coalesceValues copies a default absent from the user's
    values as is (`v[key] = val`), nested nulls included; a top-level null default too."""
    assert (
        _render(tmp_path, "{{ .Values }}", "o: {nn: null, s: x}\ntop: null\n")
        == "map[o:map[nn:<nil> s:x] top:<nil>]"
    )


def test_v3_values_yaml_first_document_only(tmp_path: Path) -> None:
    """v3.17.1 pkg/chart/loader/load.go: `yaml.Unmarshal(f.Data, &c.Values)` (sigs.k8s.io/yaml
    decodes one document) and errors are `cannot load values.yaml: <yaml error>`."""
    assert _render(tmp_path, "{{ .Values }}", "a: 1\n---\nb: 2\n--- !!bad\n") == "map[a:1]"
    assert _render(tmp_path, "{{ .Values }}", "- 1\n") == (
        "ERROR: cannot load values.yaml: error unmarshaling JSON: while decoding JSON: json: cannot unmarshal "
        "array into Go value of type map[string]interface {}"
    )


def test_chart_loaded_for_one_version_renders_for_the_other(tmp_path: Path) -> None:
    chart = write_chart(tmp_path, {"templates/t.yaml": "{{ .Values }}", "values.yaml": "a: 1\n---\nb: 2\n"})
    loaded = load_chart(chart)
    assert render_chart(loaded, None, RenderOptions(helm_version=4))[KEY].text == "map[a:1 b:2]"
    assert render_chart(loaded, None, RenderOptions())[KEY].text == "map[a:1]"


def test_v3_set_json_object_is_an_error() -> None:
    """v3.17.1 pkg/cli/values/options.go: every --set-json value goes to strvals.ParseJSON."""
    with pytest.raises(ChartError, match=r'^failed parsing --set-json data \{"a":1\}$'):
        merge_user_values(set_json=['{"a":1}'])


def test_v3_has_no_helm4_functions(tmp_path: Path) -> None:
    """v3.17.1 pkg/engine/funcs.go has toToml (BurntSushi/toml v1.4.0: floats as 1000000.0) and
    no mustToYaml/mustToToml."""
    assert 'function "mustToYaml" not defined' in _render(tmp_path, "{{ mustToYaml . }}")
    assert _render(tmp_path, "{{ toToml .Values }}", "a: 1000000\n") == "a = 1000000.0\n"


def test_v3_kube_version_is_semver() -> None:
    """v3.17.1 pkg/chartutil/capabilities.go ParseKubeVersion: Masterminds semver, `v` + String()."""
    kv = parse_kube_version("1.33.4-gke.1", 3)
    assert (kv.version, kv.go_format_addressable()) == ("v1.33.4-gke.1", "v1.33.4-gke.1")
    assert parse_kube_version("1.30", 3).version == "v1.30.0"


# --- CRDs of enabled charts ---------------------------------------------------------------------


def test_crd_files_follow_conditions(tmp_path: Path) -> None:
    """pkg/chart/chart.go CRDObjects after ProcessDependencies: own crds/ first, then each enabled
    dependency's; a subchart disabled by its condition contributes none."""
    crd = "apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\n"
    chart = write_chart(
        tmp_path,
        {
            "Chart.yaml": (
                "apiVersion: v2\nname: t\nversion: 0.1.0\ndependencies:\n"
                "  - {name: a, version: 0.1.0, condition: a.enabled}\n"
                "  - {name: b, version: 0.1.0, condition: b.enabled}\n"
            ),
            "values.yaml": "a: {enabled: true}\nb: {enabled: false}\n",
            "crds/top.yaml": crd,
            "charts/a/Chart.yaml": "apiVersion: v2\nname: a\nversion: 0.1.0\n",
            "charts/a/crds/a.yaml": crd,
            "charts/b/Chart.yaml": "apiVersion: v2\nname: b\nversion: 0.1.0\n",
            "charts/b/crds/b.yaml": crd,
        },
    )
    loaded = load_chart(chart)
    assert [c.path for c in crd_files(loaded, None, RenderOptions())] == [
        "t/crds/top.yaml",
        "t/charts/a/crds/a.yaml",
    ]
    both = crd_files(loaded, {"b": {"enabled": True}}, RenderOptions(helm_version=4))
    assert [c.path for c in both] == ["t/crds/top.yaml", "t/charts/a/crds/a.yaml", "t/charts/b/crds/b.yaml"]
    assert both[0].text == crd

"""Chart loading: .helmignore, archives, Chart.yaml validation, dependencies, schema, coalescing."""

from __future__ import annotations

import io
import json
import tarfile
from pathlib import Path

import pytest
from helm_oracle import HAVE_HELM, HelmFailure, helm_render, normalize_helm_error, write_chart

from hooklint.chart import load_chart
from hooklint.chart.coalesce import coalesce_values
from hooklint.chart.helmignore import Rules
from hooklint.errors import ChartError
from hooklint.render import RenderOptions, user_values
from hooklint.render.values import prepare

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "charts"


def _tgz(entries: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w:gz") as tar:
        for name, data in entries.items():
            ti = tarfile.TarInfo(name)
            ti.size = len(data)
            tar.addfile(ti, io.BytesIO(data))
    return buf.getvalue()


@pytest.mark.parametrize(
    ("rules", "path", "is_dir", "ignored"),
    [
        ("*.md", "docs/README.md", False, True),
        ("docs/", "docs", True, True),
        ("docs/", "docs", False, False),
        ("/secret.txt", "secret.txt", False, True),
        ("/secret.txt", "sub/secret.txt", False, False),
        ("templates/*.bak", "templates/x.bak", False, True),
        ("!keep.txt", "other.txt", False, True),
        ("", "templates/.hidden.yaml", False, True),
        ("", "templates/ok.yaml", False, False),
    ],
)
def test_helmignore_rules(rules: str, path: str, is_dir: bool, ignored: bool) -> None:
    r = Rules.parse(rules)
    r.add_defaults()
    assert r.ignore(path, is_dir) is ignored


def test_helmignore_rejects_double_star(tmp_path: Path) -> None:
    chart = write_chart(tmp_path, {".helmignore": "**/x\n", "templates/a.yaml": "a: 1\n"})
    with pytest.raises(ChartError, match=r"double-star \(\*\*\) syntax is not supported"):
        load_chart(chart)


def test_helmignored_files_are_not_files(tmp_path: Path) -> None:
    chart = write_chart(tmp_path, {".helmignore": "*.bak\n", "notes.bak": "x", "data.txt": "y"})
    names = {f.name for f in load_chart(chart).files}
    assert "data.txt" in names and "notes.bak" not in names


@pytest.mark.parametrize(
    ("entries", "message"),
    [
        ({"c/../../evil": b"x"}, "chart illegally references parent directory"),
        ({"c//etc/passwd": b"x"}, "chart illegally contains absolute paths"),
        ({"Chart.yaml": b"x"}, 'chart illegally contains content outside the base directory: "Chart.yaml"'),
        ({}, "no files in chart archive"),
    ],
)
def test_archive_safety(tmp_path: Path, entries: dict[str, bytes], message: str) -> None:
    p = tmp_path / "c.tgz"
    p.write_bytes(_tgz(entries))
    with pytest.raises(ChartError) as e:
        load_chart(p)
    assert e.value.message == message


def test_non_gzip_file_is_explained(tmp_path: Path) -> None:
    p = tmp_path / "values.yaml"
    p.write_text("a: 1\n")
    with pytest.raises(ChartError, match="seems to be a YAML file, but expected a gzipped archive"):
        load_chart(p)


def test_archive_chart_loads(tmp_path: Path) -> None:
    p = tmp_path / "c.tgz"
    p.write_bytes(
        _tgz({"c/Chart.yaml": b"apiVersion: v2\nname: c\nversion: 1.0.0\n", "c/templates/a.yaml": b"a: 1\n"})
    )
    c = load_chart(p)
    assert c.name == "c" and [t.name for t in c.templates] == ["templates/a.yaml"]


@pytest.mark.parametrize(
    ("chart_yaml", "message"),
    [
        (
            "apiVersion: v2\nname: x\nversion: 1.0.0\nmaintainers:\n- null\n",
            "validation: maintainers must not contain empty or null nodes",
        ),
        ("apiVersion: v2\nversion: 1.0.0\n", "validation: chart.metadata.name is required"),
        ("apiVersion: v2\nname: x\n", "validation: chart.metadata.version is required"),
        ("apiVersion: v2\nname: x\nversion: one\n", 'validation: chart.metadata.version "one" is invalid'),
        (
            "apiVersion: v2\nname: x\nversion: 1.0.0\ntype: app\n",
            "validation: chart.metadata.type must be application or library",
        ),
        (
            "apiVersion: v2\nname: x\nversion: 1.0.0\ndependencies:\n- name: a\n  alias: b.c\n",
            'validation: dependency "a" has disallowed characters in the alias',
        ),
        (
            'apiVersion: v2\nname: x\nversion: 1.0.0\ndeprecated: "yes"\n',
            "cannot load Chart.yaml: error unmarshaling JSON: while decoding JSON: json: cannot unmarshal string "
            "into Go struct field Metadata.deprecated of type bool",
        ),
    ],
)
def test_chart_yaml_errors(tmp_path: Path, chart_yaml: str, message: str) -> None:
    chart = write_chart(tmp_path, {"Chart.yaml": chart_yaml})
    with pytest.raises(ChartError) as e:
        load_chart(chart)
    assert e.value.message == message


def test_chart_yaml_numbers_in_string_fields_become_strings(tmp_path: Path) -> None:
    """sigs.k8s.io/yaml v1.4.0 yaml.go convertToJSONableObject: a YAML number bound for a Go
    string field is formatted with FormatFloat('g', 32) (Helm 4.2.3 renders `.Chart.Version` 1.1)."""
    chart = write_chart(
        tmp_path, {"Chart.yaml": "apiVersion: v2\nname: x\nversion: 1.10\nappVersion: 1.0\nkeywords: [2]\n"}
    )
    md = load_chart(chart).metadata
    assert (md.Version, md.AppVersion, md.Keywords) == ("1.1", "1", ["2"])


def test_missing_chart_yaml(tmp_path: Path) -> None:
    (tmp_path / "c").mkdir()
    (tmp_path / "c" / "values.yaml").write_text("a: 1\n")
    with pytest.raises(ChartError, match="Chart.yaml file is missing"):
        load_chart(tmp_path / "c")


def _prepared(chart_dir: Path, files: tuple[str, ...] = ()) -> dict:
    opts = RenderOptions(value_files=files)
    _, top = prepare(load_chart(chart_dir), user_values(None, opts), opts)
    return top["Values"]  # type: ignore[no-any-return]


@pytest.mark.skipif(not HAVE_HELM, reason="helm_python not installed")
@pytest.mark.parametrize("values_file", [None, "observability-values.yaml", "minimal-values.yaml"])
def test_enabled_subcharts_match_helm(values_file: str | None) -> None:
    import yaml

    chart_dir = FIXTURES / "platform"
    vf = chart_dir / "ci" / values_file if values_file else None
    helm = helm_render(chart_dir, yaml.safe_load(vf.read_text()) if vf else None)
    assert isinstance(helm, dict)
    helm_charts = {k.split("/templates/")[0] for k in helm if "/charts/" in k}
    opts = RenderOptions(value_files=(str(vf),) if vf else ())
    work, _ = prepare(load_chart(chart_dir), user_values(None, opts), opts)
    ours = {d.full_path() for d in work.dependencies if d.templates}
    assert ours == helm_charts


def test_import_values_and_globals() -> None:
    v = _prepared(FIXTURES / "platform")
    assert v["timeoutSeconds"] == 30  # string form: exports.defaults
    assert v["apiLimits"] == {"cpu": "1", "memory": "512Mi"}  # child/parent form
    assert v["api"]["global"]["environment"] == "staging"


def test_null_deletes_a_default_and_lists_replace(tmp_path: Path) -> None:
    chart = write_chart(tmp_path, {"values.yaml": "a: 1\nb: {c: 2, d: 3}\nl: [1, 2]\n"})
    vals = coalesce_values(load_chart(chart), {"a": None, "b": {"d": None, "e": 4}, "l": [9]})
    assert vals == {"b": {"c": 2, "e": 4}, "l": [9]}


def test_schema_failure_is_reported_like_helm(tmp_path: Path) -> None:
    chart = write_chart(
        tmp_path,
        {
            "values.yaml": "replicas: two\n",
            "values.schema.json": '{"type":"object","required":["image"],"properties":{"replicas":{"type":"integer"}}}',
        },
    )
    opts = RenderOptions()
    with pytest.raises(ChartError) as e:
        prepare(load_chart(chart), {}, opts)
    assert e.value.message == (
        "values don't meet the specifications of the schema(s) in the following chart(s):\n"
        "t:\n- (root): image is required\n- replicas: Invalid type. Expected: integer, given: string\n"
    )
    prepare(load_chart(chart), {}, RenderOptions(skip_schema_validation=True))


@pytest.mark.parametrize("helm_version", [3, 4])
@pytest.mark.parametrize("ref", ["https://example.com/values.json", "other.json"])
def test_remote_schema_ref_is_never_fetched(tmp_path: Path, ref: str, helm_version: int) -> None:
    """Helm would fetch the URL (or read file:///other.json); hooklint refuses and says what to do."""
    schema = json.dumps({"properties": {"a": {"$ref": ref}}})
    chart = write_chart(tmp_path, {"values.schema.json": schema, "values.yaml": "a: 1\n"})
    with pytest.raises(ChartError) as e:
        prepare(load_chart(chart), {}, RenderOptions(helm_version=helm_version))
    assert e.value.message == (
        f"values.schema.json of chart 't' refers to {ref}, which Helm would fetch: hooklint never reads schemas "
        "from the network or other files. Vendor the referenced schema into values.schema.json (under $defs), "
        "or render with --skip-schema-validation"
    )


def test_remote_schema_ref_cli_exits_1(tmp_path: Path) -> None:
    import subprocess
    import sys

    chart = write_chart(tmp_path, {"values.schema.json": '{"$ref": "https://example.com/v.json"}'})
    proc = subprocess.run(
        [sys.executable, "-m", "hooklint", "render", str(chart)], capture_output=True, text=True, check=False
    )
    assert proc.returncode == 1
    assert "refers to https://example.com/v.json" in proc.stderr
    assert "--skip-schema-validation" in proc.stderr
    assert "Traceback" not in proc.stderr


@pytest.mark.skipif(not HAVE_HELM, reason="helm_python not installed")
def test_dangling_local_schema_ref_matches_helm4(tmp_path: Path) -> None:
    chart = write_chart(
        tmp_path,
        {"values.schema.json": '{"properties": {"a": {"$ref": "#/$defs/nope"}}}', "values.yaml": "a: 1\n"},
    )
    helm = helm_render(chart)
    assert isinstance(helm, HelmFailure)
    with pytest.raises(ChartError) as e:
        prepare(load_chart(chart, helm_version=4), {}, RenderOptions(helm_version=4))
    assert normalize_helm_error(e.value.message) == helm.message


@pytest.mark.skipif(not HAVE_HELM, reason="helm_python not installed")
def test_dangling_symlink_error_is_worded_like_helm(tmp_path: Path) -> None:
    chart = write_chart(tmp_path, {"templates/a.yaml": "a: 1\n"}, name="c")
    (chart / "crds").symlink_to(tmp_path / "nowhere" / "bases")
    helm = helm_render(chart)
    assert isinstance(helm, HelmFailure)
    with pytest.raises(ChartError) as e:
        load_chart(chart)
    assert e.value.message == helm.message

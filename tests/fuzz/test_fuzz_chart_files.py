"""Regressions: chart files that are broken as files (a directory named .helmignore, a schema
that is not a schema) and values Go would carry as invalid UTF-8 fail cleanly."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
from broken_inputs import AS_DIR, ChartCase, write_chart
from cli_harness import problems, run_cli
from helm_oracle import HAVE_HELM
from helm_oracle import write_chart as oracle_chart

from hooklint.chart.schema import validate_single


def test_helmignore_is_a_directory(tmp_path: Path) -> None:
    chart = write_chart(tmp_path, ChartCase("x", {".helmignore": AS_DIR}))
    result = run_cli(["render", str(chart)])
    assert result.code == 1 and f"read {chart}/.helmignore: is a directory" in result.stderr


@pytest.mark.parametrize(
    "schema",
    [b'{"type": 5}', b"[1, 2]", b'{"properties": {"image": {"pattern": "("}}}', b'{"patternProperties": {"(": {}}}',
     b'{"type": 5, "properties": [1], "required": "x"}', b'{"items":' * 3000 + b"{}" + b"}" * 3000],
)
@pytest.mark.parametrize("helm_version", ["3", "4"])
def test_schema_not_valid_against_metaschema(tmp_path: Path, schema: bytes, helm_version: str) -> None:
    chart = write_chart(tmp_path, ChartCase("x", {"values.schema.json": schema}))
    result = run_cli(["render", str(chart), "--helm-version", helm_version])
    assert not problems(result), result.stderr
    if schema.startswith(b'{"items":'):
        # valid for Helm (Go nests 10000 deep); ours depends on the recursion limit in force (S4)
        assert result.code == 0 or "invalid schema: nested too deeply" in result.stderr
        return
    assert result.code == 1 and "schema" in result.stderr, result.stderr


@pytest.mark.skipif(not HAVE_HELM, reason="needs the Helm oracle")
@pytest.mark.parametrize("schema", ['{"type": 5}', "[1, 2]"])
def test_metaschema_report_like_helm4(schema: str) -> None:
    import helm_python

    with tempfile.TemporaryDirectory() as tmp:
        chart = oracle_chart(Path(tmp), {"templates/t.yaml": "a: 1", "values.schema.json": schema})
        loaded = helm_python.Chart.load(str(chart))
        with pytest.raises(helm_python.HelmError) as info:
            loaded.validate_schema({"image": "x"})
    assert str(info.value).strip() == ("t:\n" + "".join(validate_single({"image": "x"}, schema.encode(), 4))).strip()


def test_invalid_utf8_values_reach_the_release_record(tmp_path: Path) -> None:
    """A lone surrogate (an invalid byte in a --set argument, a \\ud800 JSON escape) is stored as
    U+FFFD, as Go's json.Marshal does, instead of crashing the release encoding."""
    chart = write_chart(tmp_path, ChartCase("x"))
    for flag, value in (("--set", "a=\u00e9\udcff"), ("--set-json", 'a="\\ud800"')):
        result = run_cli(["apply", str(chart), "--event", "install", "--state", str(tmp_path / f"{flag}.json"), flag, value])
        assert not problems(result) and result.code == 0, result.stderr

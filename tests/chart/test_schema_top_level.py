"""values.schema.json whose top level is not a schema object: a number, null, a string or a
list is gojsonschema's "schema is invalid" (Helm 3.17.1) and jsonschema v6's metaschema report
(Helm 4.1.4); `false` fails every value, `true` none. Outputs as helm template prints them."""

from __future__ import annotations

from pathlib import Path

import pytest

from hooklint.cli import main

HEAD = "Error: values don't meet the specifications of the schema(s) in the following chart(s):\ntop:\n"
META = ('"file:///values.schema.json#" is not valid against metaschema: jsonschema validation failed '
        "with 'https://json-schema.org/draft/2020-12/schema#'\n- at '': got {kind}, want boolean or object\n")


@pytest.fixture()
def chart(tmp_path: Path) -> Path:
    root = tmp_path / "top"
    (root / "templates").mkdir(parents=True)
    (root / "Chart.yaml").write_text("apiVersion: v2\nname: top\nversion: 0.1.0\n")
    (root / "values.yaml").write_text("a: 1\n")
    (root / "templates" / "cm.yaml").write_text("x: 1\n")
    return root


def render(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    try:
        main(["render", *args])
        code = 0
    except SystemExit as e:
        code = int(e.code or 0)
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize(("schema", "kind"), [("5", "number"), ("1.5", "number"), ("null", "null"),
                                              ('"str"', "string"), ("[]", "array")])
def test_a_top_level_that_is_no_schema_is_helms_error(capsys, chart: Path, schema: str, kind: str) -> None:
    (chart / "values.schema.json").write_text(schema + "\n")
    assert render(capsys, str(chart)) == (1, "", HEAD + "schema is invalid\n")
    assert render(capsys, str(chart), "--helm-version", "4") == (1, "", HEAD + META.format(kind=kind))


def test_boolean_top_levels(capsys, chart: Path) -> None:
    (chart / "values.schema.json").write_text("true\n")
    assert render(capsys, str(chart))[0] == 0
    (chart / "values.schema.json").write_text("false\n")
    assert render(capsys, str(chart)) == (1, "", HEAD + "- (root): False always fails validation\n\n")

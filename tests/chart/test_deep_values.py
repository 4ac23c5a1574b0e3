"""Values nested deeper than Python's recursion limit, as `--set` and `--set-json` make them:
Helm takes `a[0][0]...[0]=1` at any depth and JSON up to encoding/json's 10,000 levels, and so
does hooklint (explicit stacks, not recursion), schema validation included; deeper JSON is
Helm's parse error. Checked against helm template 3.17.1 and 4.1.4."""

from __future__ import annotations

from pathlib import Path

import pytest

from hooklint.cli import main

CHART = {
    "Chart.yaml": "apiVersion: v2\nname: deep\nversion: 0.1.0\n",
    "templates/cm.yaml": "size: {{ toJson .Values | len }}\nitems: {{ len .Values.a }}\n",
}
SCHEMA = '{"type": "object", "properties": {"a": {"type": "string"}}}'


@pytest.fixture()
def chart(tmp_path: Path) -> Path:
    root = tmp_path / "deep"
    for name, text in CHART.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text)
    return root


def render(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    try:
        main(["render", *args])
        code = 0
    except SystemExit as e:
        code = int(e.code or 0)
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize("depth", [500, 5000])
def test_set_with_deeply_nested_list_indexes_renders(capsys, chart: Path, depth: int) -> None:
    code, out, err = render(capsys, str(chart), "--set", "a" + "[0]" * depth + "=1")
    size = len('{"a":') + 2 * depth + len("1}")  # toJson: {"a":[[...[1]...]]}
    assert (code, err) == (0, "")
    assert f"size: {size}\nitems: 1\n" in out


@pytest.mark.parametrize("depth", [600, 10000])
def test_set_json_nests_as_deep_as_gos_decoder(capsys, chart: Path, depth: int) -> None:
    if depth > 5000:  # toJson of that much nesting is the template engine's business
        (chart / "templates" / "cm.yaml").write_text("items: {{ len .Values.a }}\n")
    code, out, err = render(capsys, str(chart), "--set-json", "a=" + "[" * depth + "]" * depth)
    assert (code, err) == (0, "")
    size = len('{"a":}') + 2 * depth
    assert (f"size: {size}\n" if depth <= 5000 else "") + "items: 1\n" in out


def test_set_json_deeper_than_gos_decoder_is_helms_error(capsys, chart: Path) -> None:
    value = "a=" + "[" * 10001 + "]" * 10001
    # helm's message; exit 2, README's usage error (an argument hooklint cannot parse)
    assert render(capsys, str(chart), "--set-json", value) == (2, "", f"Error: failed parsing --set-json data {value}\n")


@pytest.mark.parametrize(("version", "message"), [("3", "- a: Invalid type. Expected: string, given: object\n"),
                                                  ("4", "- at '/a': got object, want string\n")])
def test_schema_validation_of_deep_values(capsys, chart: Path, version: str, message: str) -> None:
    (chart / "values.schema.json").write_text(SCHEMA)
    value = "a=" + '{"a":' * 3000 + "1" + "}" * 3000
    code, out, err = render(capsys, str(chart), "--set-json", value, "--helm-version", version)
    assert (code, out) == (1, "") and err.endswith(message + "\n")


@pytest.mark.parametrize("flag", ["--set", "--set-json"])
def test_apply_stores_deep_values_in_the_release(capsys, chart: Path, tmp_path: Path, flag: str) -> None:
    (chart / "templates" / "cm.yaml").write_text(
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: deep\ndata:\n  items: {{ len .Values.a | quote }}\n")
    value = "a" + "[0]" * 5000 + "=1" if flag == "--set" else "a=" + "[" * 10000 + "]" * 10000
    for event in ("install", "upgrade"):
        try:
            main(["apply", str(chart), "--backend", "simulate", "--event", event, "--force", "--state", str(tmp_path / "s.json"),
                  flag, value])
            code = 0
        except SystemExit as e:
            code = int(e.code or 0)
        out, err = capsys.readouterr()
        assert (code, err) == (0, ""), err
        assert "STATUS: deployed" in out

"""What `hooklint lint PATH...` finds and how it names it: chart archives and symlinked charts are
linted, a folder without a chart is a usage error (a wrong path must not go green in CI), and
paths are shown as given (relative only under the working directory), in text and SARIF."""

from __future__ import annotations

import json
import tarfile
from pathlib import Path

import pytest

from hooklint.cli import main

EXAMPLE = Path(__file__).resolve().parents[2] / "fixtures" / "charts" / "example"


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as exit_info:
        main(["lint", "--no-cache", *argv])
    out, err = capsys.readouterr()
    code = exit_info.value.code
    return (code if isinstance(code, int) else 0), out, err


def files(out: str) -> set[str]:
    return {loc["physicalLocation"]["artifactLocation"]["uri"]
            for r in json.loads(out)["runs"][0]["results"] for loc in r["locations"]}


def test_an_empty_folder_or_a_missing_path_is_a_usage_error(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    (tmp_path / "empty").mkdir()
    code, out, err = run(capsys, str(tmp_path / "empty"))
    assert (code, out) == (2, "") and err.startswith("Error: no chart found in ")
    code, _, err = run(capsys, str(tmp_path / "nope"))
    assert code == 2 and err == f'Error: path "{tmp_path / "nope"}" not found\n'


def test_a_file_outside_charts_is_skipped(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    (tmp_path / ".hooklint.yaml").write_text("fail-on: error\n")  # pre-commit passes config changes
    assert run(capsys, str(tmp_path / ".hooklint.yaml")) == (0, "", "")


def test_archives_and_symlinked_charts_are_linted(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    with tarfile.open(tmp_path / "example-0.3.0.tgz", "w:gz") as tar:
        tar.add(EXAMPLE, arcname="example")
    (tmp_path / "links").mkdir()
    (tmp_path / "links" / "ex").symlink_to(EXAMPLE)
    (tmp_path / "links" / "loop").symlink_to(tmp_path / "links")
    _, direct, _ = run(capsys, str(EXAMPLE), "-o", "json")
    expected = {(f["rule"], f["location"]["line"]) for f in json.loads(direct)["findings"]}
    assert expected
    code, out, _ = run(capsys, "example-0.3.0.tgz", "-o", "json")
    found = json.loads(out)["findings"]
    assert code == 0 and {(f["rule"], f["location"]["line"]) for f in found} == expected
    assert {f["location"]["file"].split("/")[0] for f in found} == {"example-0.3.0.tgz"}
    code, out, _ = run(capsys, "links", "-o", "json")
    found = json.loads(out)["findings"]
    assert code == 0 and {(f["rule"], f["location"]["line"]) for f in found} == expected
    assert all(f["location"]["file"].startswith("links/ex/") for f in found)


def test_an_archive_uses_the_repositorys_configuration(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The configuration is found from the archive's folder up (not from the temporary folder it
    # is extracted to), and a `charts:` entry matches the archive's path.
    monkeypatch.chdir(tmp_path)
    (tmp_path / ".git").mkdir()
    (tmp_path / "dist").mkdir()
    with tarfile.open(tmp_path / "dist" / "example-0.3.0.tgz", "w:gz") as tar:
        tar.add(EXAMPLE, arcname="example")

    def rules(*args: str) -> list[str]:
        code, out, err = run(capsys, "dist/example-0.3.0.tgz", "-o", "json", "--helm-version", "4.2", *args)
        assert code == 0, err
        return sorted(f["rule"] for f in json.loads(out)["findings"])

    assert rules() == ["HL211", "HL304"]  # no configuration yet
    (tmp_path / ".hooklint.yaml").write_text("ignore: [HL211]\ncharts:\n  dist/*.tgz:\n    ignore: [HL304]\n")
    assert rules() == []
    assert rules("--no-config") == ["HL211", "HL304"]
    (tmp_path / ".hooklint.yaml").write_text("ignore: [HL211]\n")
    assert rules() == ["HL304"]


def test_paths_outside_the_working_directory_are_shown_as_given(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    code, out, _ = run(capsys, str(EXAMPLE))
    assert code == 0 and out.startswith(f"{EXAMPLE}/templates/") and "../" not in out
    _, sarif, _ = run(capsys, str(EXAMPLE), "-o", "sarif")
    assert files(sarif) >= {(EXAMPLE / "templates" / "hooks.yaml").as_uri()}
    monkeypatch.chdir(EXAMPLE.parent)
    _, sarif, _ = run(capsys, "example", "-o", "sarif")
    locations = [loc["physicalLocation"]["artifactLocation"]
                 for r in json.loads(sarif)["runs"][0]["results"] for loc in r["locations"]]
    assert {"uri": "example/templates/hooks.yaml", "uriBaseId": "%SRCROOT%"} in locations

"""`lint --write-baseline FILE` records today's findings; `--baseline-file FILE` reports only new
ones (the adoption path on a repository with existing findings)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from hooklint.cli import main

EXAMPLE = Path(__file__).resolve().parents[2] / "fixtures" / "charts" / "example"


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as exit_info:
        main(["lint", "--no-cache", *argv])
    out, err = capsys.readouterr()
    return int(exit_info.value.code or 0), out, err


def test_only_new_findings_fail(capsys: pytest.CaptureFixture[str], tmp_path: Path,
                                monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    shutil.copytree(EXAMPLE, "example")
    code, out, err = run(capsys, "example", "--write-baseline", "known.json", "--fail-on", "info", "--helm-version", "4.2")
    assert (code, out) == (0, "") and "recorded 2 finding(s) in known.json" in err
    known = json.loads(Path("known.json").read_text())["findings"]
    assert sorted(e["rule"] for e in known) == ["HL211", "HL304"]
    assert run(capsys, "example", "--baseline-file", "known.json", "--fail-on", "info", "--helm-version", "4.2")[:2] == (
        0, "All checks passed! (1 chart, checked against Helm 4.2)\n")
    hooks = Path("example/templates/hooks.yaml")
    hooks.write_text("# a line above moves every finding down\n" + hooks.read_text().replace('"-5"', "-5"))
    code, out, _ = run(capsys, "example", "--baseline-file", "known.json", "-o", "json", "--helm-version", "4.2")
    assert code == 1 and [f["rule"] for f in json.loads(out)["findings"]] == ["HL101"]


def test_a_bad_baseline_file_is_a_usage_error(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    (tmp_path / "x.json").write_text('{"findings": 3}')
    code, _, err = run(capsys, str(EXAMPLE), "--baseline-file", str(tmp_path / "x.json"))
    assert code == 2 and "not a file written by `hooklint lint --write-baseline`" in err
    code, _, err = run(capsys, str(EXAMPLE), "--baseline-file", str(tmp_path / "none.json"))
    assert code == 2 and "cannot read" in err

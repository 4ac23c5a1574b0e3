"""Configuration values as users write them: README's `.hooklint.yaml` example, where YAML 1.1
reads an unquoted `off` as false."""

from __future__ import annotations

from pathlib import Path

import pytest

from hooklint.errors import ConfigError
from hooklint.lint.catalog import load_index
from hooklint.lint.config import load_config


@pytest.mark.parametrize("spelling", ["off", "'off'", "false", "no"])
def test_severity_off_unquoted(tmp_path: Path, spelling: str) -> None:
    cfg = tmp_path / ".hooklint.yaml"
    cfg.write_text(f"severity: {{HL304: {spelling}}}\n")
    assert load_config(cfg, load_index()).severity == {"HL304": "off"}


def test_severity_on_is_still_an_error(tmp_path: Path) -> None:
    cfg = tmp_path / ".hooklint.yaml"
    cfg.write_text("severity: {HL304: on}\n")
    with pytest.raises(ConfigError, match="is not one of error, warning, info, off"):
        load_config(cfg, load_index())


def test_readme_example_configuration(tmp_path: Path) -> None:
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    block = readme.split("```yaml\n# .hooklint.yaml\n", 1)[1].split("```", 1)[0]
    cfg = tmp_path / ".hooklint.yaml"
    cfg.write_text(block)
    got = load_config(cfg, load_index())
    assert got.severity == {"HL304": "off"} and got.fail_on == "warning"

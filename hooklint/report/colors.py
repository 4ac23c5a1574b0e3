"""Whether output is colored: `--color auto|always|never`, and in `auto` the conventions of
https://no-color.org (NO_COLOR set and not empty: no color) and FORCE_COLOR (set and not empty
or "0": color even when not on a terminal)."""

from __future__ import annotations

import os

from hooklint.errors import UsageError

COLOR_CHOICES = ("auto", "always", "never")
_mode = "auto"


def set_mode(mode: str) -> None:
    global _mode
    if mode not in COLOR_CHOICES:
        raise UsageError(f"--color must be auto, always or never, not {mode!r}")
    _mode = mode


def mode() -> str:
    return _mode


def forced() -> bool:
    return os.environ.get("FORCE_COLOR", "") not in ("", "0") and not os.environ.get("NO_COLOR")


def enabled(is_tty: bool) -> bool:
    """Color for an output that is (or is not) a terminal."""
    if _mode != "auto":
        return _mode == "always"
    if os.environ.get("NO_COLOR"):
        return False
    if forced():
        return True
    return is_tty

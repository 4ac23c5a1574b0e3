"""TOML as Helm's toToml/fromToml do it (BurntSushi/toml)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

FUNCS: dict[str, Callable[..., Any]] = {}
HELM4_FUNCS: dict[str, Callable[..., Any]] = {}

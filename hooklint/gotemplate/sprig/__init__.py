"""Sprig's TxtFuncMap as Helm registers it (env and expandenv removed).

Each module of this package exports `FUNCS: dict[str, Callable]`; every function carries a Go
signature (`@gofunc`). `sprig_funcs()` merges them in a fixed order.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import Any

MODULES = (
    "strings",
    "conv",
    "mathfuncs",
    "lists",
    "dicts",
    "defaults",
    "reflection",
    "paths",
    "encoding",
    "crypto",
    "dates",
    "semver",
    "regex",
    "network",
    "random",
    "urls",
)


def sprig_funcs() -> dict[str, Callable[..., Any]]:
    funcs: dict[str, Callable[..., Any]] = {}
    for name in MODULES:
        try:
            module = importlib.import_module(f"{__name__}.{name}")
        except ModuleNotFoundError as e:
            if e.name == f"{__name__}.{name}":
                continue  # not written yet
            raise
        funcs.update(module.FUNCS)
    # Sprig's own JSON functions (toPrettyJson, toRawJson, must*) live with Go's encoding/json
    # port; Helm's overrides of toJson/fromJson are added later by the render engine.
    from hooklint.gotemplate.gojson import SPRIG_FUNCS as json_funcs

    funcs.update(json_funcs)
    return funcs

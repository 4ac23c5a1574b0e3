"""Sprig's TxtFuncMap as Helm registers it (env and expandenv removed).

Each module of this package exports `FUNCS: dict[str, Callable]`; every function carries a Go
signature (`@gofunc`). `sprig_funcs()` merges them in a fixed order.

Modules whose imports are slow (cryptography, bcrypt, re2, zoneinfo, uuid, ...) are not
imported to register their functions: `LAZY_MODULES` lists their function names and the map
holds a `LazyGoFunc` for each, which imports the module the first time a template calls it.
tests/gotemplate/test_sprig_registry.py checks these lists against the modules' FUNCS.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable

from hooklint.gotemplate.gotypes import LazyGoFunc

TYPE_CHECKING = False  # not `typing`'s: importing typing costs ~3 ms of every run
if TYPE_CHECKING:
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
    "hashes",
    "crypto",
    "dates",
    "semver",
    "regex",
    "network",
    "random",
    "urls",
)

LAZY_MODULES: dict[str, tuple[str, ...]] = {
    # crypto.FUNCS also maps the checksum functions, taken from the light `hashes` module.
    "crypto": (
        "bcrypt", "buildCustomCert", "decryptAES", "derivePassword", "encryptAES",
        "genCA", "genCAWithKey", "genPrivateKey", "genSelfSignedCert", "genSelfSignedCertWithKey",
        "genSignedCert", "genSignedCertWithKey", "htpasswd", "randBytes",
    ),
    "dates": (
        "ago", "date", "dateInZone", "dateModify", "date_in_zone", "date_modify", "duration",
        "durationRound", "htmlDate", "htmlDateInZone", "mustDateModify", "mustToDate",
        "must_date_modify", "now", "toDate", "unixEpoch",
    ),
    "semver": ("semver", "semverCompare"),
    "regex": (
        "mustRegexFind", "mustRegexFindAll", "mustRegexMatch", "mustRegexReplaceAll",
        "mustRegexReplaceAllLiteral", "mustRegexSplit", "regexFind", "regexFindAll", "regexMatch",
        "regexQuoteMeta", "regexReplaceAll", "regexReplaceAllLiteral", "regexSplit",
    ),
    "network": ("getHostByName",),
    "random": ("randAlpha", "randAlphaNum", "randAscii", "randInt", "randNumeric", "shuffle", "uuidv4"),
    "urls": ("urlJoin", "urlParse"),
}

_cache: dict[str, Callable[..., Any]] | None = None


def sprig_funcs() -> dict[str, Callable[..., Any]]:
    """A fresh copy of the function map (callers add and remove entries)."""
    global _cache
    if _cache is None:
        _cache = _build()
    return dict(_cache)


def _build() -> dict[str, Callable[..., Any]]:
    funcs: dict[str, Callable[..., Any]] = {}
    for name in MODULES:
        lazy = LAZY_MODULES.get(name)
        if lazy is not None:
            module_name = f"{__name__}.{name}"
            for fname in lazy:
                funcs[fname] = LazyGoFunc(module_name, fname)
            continue
        module = importlib.import_module(f"{__name__}.{name}")
        funcs.update(module.FUNCS)
    # Sprig's own JSON functions (toPrettyJson, toRawJson, must*) live with Go's encoding/json
    # port; Helm's overrides of toJson/fromJson are added later by the render engine.
    from hooklint.gotemplate.gojson import SPRIG_FUNCS as json_funcs

    funcs.update(json_funcs)
    return funcs

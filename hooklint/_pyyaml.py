"""PyYAML, imported without the one regex of its own that costs most of its import time.

`yaml.reader` compiles `Reader.NON_PRINTABLE` when it is imported: a character class up to
U+10FFFF that `re` builds in about 5 ms, a tenth of a small chart's whole `hooklint render`
start-up. Only PyYAML's pure-Python reader uses it; hooklint parses with libyaml (PyYAML's C
parser) when it is there, so the pattern is usually never used. While `yaml` is imported,
`re`'s compile cache answers that one pattern with a stand-in that compiles it on first use;
the entry is removed again right after. Should `re`'s cache ever work otherwise, the stand-in is
simply not used and PyYAML compiles the pattern as before.

hooklint's modules import PyYAML as `from hooklint._pyyaml import yaml`; whichever comes first
does the import (tests/test_startup_cost.py checks a cold render gets the stand-in).
"""

from __future__ import annotations

import re

TYPE_CHECKING = False  # not `typing`'s (see hooklint/cli.py)

# yaml/reader.py's pattern, character for character (a plain string there, not a raw one).
NON_PRINTABLE = "[^\x09\x0A\x0D\x20-\x7E\x85\xA0-\uD7FF\uE000-\uFFFD\U00010000-\U0010ffff]"


class LazyPattern:
    """A compiled pattern made on first use: attribute access (`search`, `match`, `pattern`...)
    goes to `re.compile(source)`."""

    __slots__ = ("source", "_compiled")

    def __init__(self, source: str) -> None:
        self.source = source
        self._compiled: re.Pattern[str] | None = None

    def __getattr__(self, name: str) -> object:
        compiled = self._compiled
        if compiled is None:
            compiled = self._compiled = re.compile(self.source)
        return getattr(compiled, name)


def _import_yaml():  # type: ignore[no-untyped-def]  # -> the yaml module
    cache = getattr(re, "_cache", None)
    key = (str, NON_PRINTABLE, 0)  # re._compile's key: (type(pattern), pattern, flags)
    planted = isinstance(cache, dict) and key not in cache
    if planted:
        cache[key] = LazyPattern(NON_PRINTABLE)  # type: ignore[index]
    try:
        import yaml
    finally:
        if planted:
            for table in (cache, getattr(re, "_cache2", None)):  # 3.12+ keeps a second, LRU table
                if isinstance(table, dict) and isinstance(table.get(key), LazyPattern):
                    del table[key]
    return yaml


if TYPE_CHECKING:
    import yaml
else:
    yaml = _import_yaml()

"""Regular expressions compiled on first use, for module-level patterns that a run seldom needs:
`re` compiles a pattern in 0.1-5 ms, paid at import by every run otherwise. Used for PyYAML's
own patterns (hooklint/runtime/pyyaml.py) and hooklint's rarely reached ones."""

from __future__ import annotations

import re

# The methods and attributes of re.Pattern: filled in on first use so later calls are plain slot
# lookups, not __getattr__ calls.
_FORWARDED = ("match", "search", "fullmatch", "sub", "subn", "split", "findall", "finditer",
              "pattern", "groupindex", "groups")


class LazyPattern:
    """A compiled pattern made on first use: attribute access (`search`, `match`, `pattern`...)
    goes to `re.compile(source, flags)`."""

    __slots__ = ("source", "source_flags", "_compiled", *_FORWARDED)

    def __init__(self, source: str, flags: int = 0) -> None:
        self.source = source
        self.source_flags = flags
        self._compiled: re.Pattern[str] | None = None

    @property
    def flags(self) -> int:
        return self.compiled().flags

    def compiled(self) -> re.Pattern[str]:
        compiled = self._compiled
        if compiled is None:
            compiled = self._compiled = re.compile(self.source, self.source_flags)
            for name in _FORWARDED:
                setattr(self, name, getattr(compiled, name))
        return compiled

    def __getattr__(self, name: str) -> object:  # only while a forwarded slot is unset
        return getattr(self.compiled(), name)


def lazy_compile(source: str, flags: int = 0) -> re.Pattern[str]:
    """`re.compile(source, flags)` when first used: for module-level patterns few runs reach.
    The result answers every re.Pattern method and attribute (it is not an instance of it)."""
    return LazyPattern(source, flags)  # type: ignore[return-value]

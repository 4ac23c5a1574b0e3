"""PyYAML, imported without compiling the regular expressions it compiles at import.

PyYAML's modules compile ten patterns while `import yaml` runs: `Reader.NON_PRINTABLE` (a
character class up to U+10FFFF that `re` builds in about 5 ms), the implicit-tag patterns of
`yaml.resolver` and `SafeConstructor.timestamp_regexp` (together about 2 ms more). hooklint's
render path uses none of them: it parses with libyaml (PyYAML's C parser, which has a reader of
its own) and resolves plain scalars like go-yaml (hooklint/gotemplate/yaml_resolve.py). The
pure-Python reader, `yaml.safe_load` and the other loaders use them when they run.

So while `yaml` is imported, `re.compile` called from one of PyYAML's own modules returns a
`LazyPattern`, which compiles the pattern on first use and then answers as the compiled pattern
(tests/test_startup_cost.py checks each against PyYAML's answers). Calls from any other module,
and every call after the import, reach `re.compile` unchanged: it is restored in `finally`.

hooklint's modules import PyYAML as `from hooklint.runtime.pyyaml import yaml`; whichever comes
first does the import (tests/test_startup_cost.py checks a cold render gets the stand-ins).
"""

from __future__ import annotations

import re
import sys

TYPE_CHECKING = False  # not `typing`'s (see hooklint/cli.py)

# What PyYAML calls on its patterns (reader: search; resolver and constructor: match), and the
# rest of re.Pattern's public surface: filled in on first use so later calls are plain slot
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


def _import_yaml():  # type: ignore[no-untyped-def]  # -> the yaml module
    compile_now = re.compile

    def compile_in_yaml(pattern, flags=0):  # type: ignore[no-untyped-def]
        # Only PyYAML's own module-level code gets a stand-in (a module imported for the first
        # time during `import yaml`, datetime say, compiles as usual).
        caller = sys._getframe(1).f_globals.get("__name__", "")
        if isinstance(pattern, str) and isinstance(caller, str) and caller.startswith("yaml."):
            return LazyPattern(pattern, flags)
        return compile_now(pattern, flags)

    re.compile = compile_in_yaml
    try:
        import yaml
    finally:
        re.compile = compile_now
    return yaml


if TYPE_CHECKING:
    import yaml
else:
    yaml = _import_yaml()

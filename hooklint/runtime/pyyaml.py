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

from hooklint.runtime.patterns import LazyPattern

TYPE_CHECKING = False  # not `typing`'s (see hooklint/cli.py)

__all__ = ["LazyPattern", "yaml"]


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

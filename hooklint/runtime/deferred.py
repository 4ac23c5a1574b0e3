"""Standard-library modules that a run imports (through other modules) but seldom uses, imported
only when one of their attributes is first used.

- `inspect` (with `ast`, `dis`, `tokenize`: ~5 ms) is imported by `dataclasses`, which on
  Python 3.10 and 3.11 uses it only to write a docstring for a dataclass that has none
  (hooklint's all have one on the render and lint paths; 3.12's dataclasses use it on import);
- `ipaddress` (~1 ms) is imported by `urllib.parse` (which `pathlib` imports) for bracketed
  IPv6 hosts in URLs, which hooklint never parses.

Until then `sys.modules` holds a stand-in module: `import inspect` binds it, and the first
attribute looked up on it imports the real module, copies its namespace into the stand-in (so
later lookups through it are plain) and answers from it. importlib.util.LazyLoader cannot do
this on Python 3.11: the `import` statement itself reads the module's `__spec__`, which loads it.

Only hooklint's command entry (hooklint/cli.py `main`) calls `defer_unused_modules`, before the
run imports anything: a library user's imports are left alone. tests/test_fastargs.py checks
that a cold render and lint leave these modules unloaded.
"""

from __future__ import annotations

import sys
from types import ModuleType

DEFERRED = ("inspect", "ipaddress")


class StandIn(ModuleType):
    """A module's place in sys.modules until one of its attributes is used."""

    def __getattr__(self, attr: str) -> object:  # only for what the stand-in does not hold
        name = self.__name__
        if sys.modules.get(name) is self:
            del sys.modules[name]
        real = __import__(name)
        self.__dict__.update(real.__dict__)
        return getattr(real, attr)


def defer_unused_modules() -> None:
    """Put a stand-in in sys.modules for each DEFERRED module not imported yet."""
    for name in DEFERRED:
        if name not in sys.modules:
            sys.modules[name] = StandIn(name)

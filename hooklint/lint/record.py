"""Record: `repr` and `==` of a dataclass for plain classes that list their fields.

`@dataclass` writes each class's methods as source text and compiles them when the module is
imported: for the few classes on lint's path that cost more than a millisecond of every cold
`hooklint lint` (measured: ~20 million instructions for Finding, Related, Config, LintRequest
and ChartResult). A Record subclass writes its `__init__` by hand and names its fields in
`_fields`; these methods behave as the generated ones did (tests/test_startup_cost.py compares
them with `dataclasses`' own).
"""

from __future__ import annotations

TYPE_CHECKING = False  # not `typing`'s: importing typing costs ~3 ms of every run
if TYPE_CHECKING:
    from typing import Any, ClassVar



class Record:
    """Base of a plain class with dataclass-style `repr` (`Name(a=1, b='x')`, in field order)
    and `==` (same class and equal fields; not hashable, as a non-frozen dataclass)."""

    __slots__ = ()
    _fields: ClassVar[tuple[str, ...]] = ()

    def __repr__(self) -> str:
        fields = ", ".join(f"{f}={getattr(self, f)!r}" for f in self._fields)
        return f"{self.__class__.__qualname__}({fields})"

    def __eq__(self, other: object) -> bool:
        if other.__class__ is self.__class__:
            return tuple(getattr(self, f) for f in self._fields) == tuple(getattr(other, f) for f in self._fields)
        return NotImplemented

    __hash__: ClassVar[Any] = None  # type: ignore[assignment]

"""Plain record classes written out rather than dataclasses: `@dataclass` writes each class's
methods as source text and compiles them when the module is imported, which costs start-up time
on every run (measured: ~20 million instructions for lint's Finding, Related, Config,
LintRequest and ChartResult). `fields_repr` prints a slotted class as `@dataclass` would;
`Record` also gives `==` (tests/test_startup_cost.py compares them with `dataclasses`' own).
"""

from __future__ import annotations

TYPE_CHECKING = False  # not `typing`'s: importing typing costs ~3 ms of every run
if TYPE_CHECKING:
    from typing import Any, ClassVar


def fields_repr(record: object, names: tuple[str, ...] | None = None) -> str:
    """`Name(a=1, b='x')`, as `@dataclass` prints it: the fields `names`, by default the
    record's `__slots__` in order."""
    if names is None:
        names = type(record).__slots__  # type: ignore[attr-defined]
    inner = ", ".join(f"{name}={getattr(record, name)!r}" for name in names)
    return f"{type(record).__qualname__}({inner})"


class Record:
    """Base of a plain class with dataclass-style `repr` (`Name(a=1, b='x')`, in field order)
    and `==` (same class and equal fields; not hashable, as a non-frozen dataclass)."""

    __slots__ = ()
    _fields: ClassVar[tuple[str, ...]] = ()

    def __repr__(self) -> str:
        return fields_repr(self, self._fields)

    def __eq__(self, other: object) -> bool:
        if other.__class__ is self.__class__:
            return tuple(getattr(self, f) for f in self._fields) == tuple(getattr(other, f) for f in self._fields)
        return NotImplemented

    __hash__: ClassVar[Any] = None  # type: ignore[assignment]

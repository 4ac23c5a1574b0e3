"""The repr of plain slotted record classes, written out rather than dataclasses because
creating a dataclass (compiling its generated methods from source) costs start-up time on every
run: `Name(field=value, ...)` in `__slots__` order, as `@dataclass` would print it."""

from __future__ import annotations


def fields_repr(record: object) -> str:
    """`Name(a=1, b='x')` for a record whose `__slots__` are its fields in order."""
    names: tuple[str, ...] = type(record).__slots__  # type: ignore[attr-defined]
    inner = ", ".join(f"{name}={getattr(record, name)!r}" for name in names)
    return f"{type(record).__name__}({inner})"

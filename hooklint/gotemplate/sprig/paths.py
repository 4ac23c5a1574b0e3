"""Sprig's path functions: Go's path package (base, dir, clean, ext, isAbs) and path/filepath
(osBase, ...), which on Linux, where Helm runs, behaves the same."""

from __future__ import annotations

from collections.abc import Callable

from hooklint.gotemplate.gotypes import BOOL, STRING, gofunc

TYPE_CHECKING = False  # not `typing`'s: importing typing costs ~3 ms of every run
if TYPE_CHECKING:
    from typing import Any


def go_clean(path: str) -> str:
    """path.Clean: the shortest equivalent path ("" -> ".", "//a/../b/" -> "/b")."""
    if path == "":
        return "."
    rooted = path[0] == "/"
    parts: list[str] = []
    for part in path.split("/"):
        if part in ("", "."):
            continue
        if part == "..":
            if parts and parts[-1] != "..":
                parts.pop()
            elif not rooted:
                parts.append("..")
            continue
        parts.append(part)
    cleaned = "/".join(parts)
    if rooted:
        return "/" + cleaned
    return cleaned or "."


def go_base(path: str) -> str:
    """path.Base: the last element; "" -> ".", "///" -> "/"."""
    if path == "":
        return "."
    path = path.rstrip("/")
    if path == "":
        return "/"
    return path[path.rfind("/") + 1 :]


def go_dir(path: str) -> str:
    """path.Dir: everything before the last slash, cleaned."""
    return go_clean(path[: path.rfind("/") + 1])


def go_ext(path: str) -> str:
    """path.Ext: the suffix from the last dot in the last element ("" when none)."""
    for i in range(len(path) - 1, -1, -1):
        if path[i] == "/":
            break
        if path[i] == ".":
            return path[i:]
    return ""


@gofunc(STRING, result=STRING)
def base(path: str) -> str:
    return go_base(path)


@gofunc(STRING, result=STRING)
def dir_(path: str) -> str:
    return go_dir(path)


@gofunc(STRING, result=STRING)
def clean(path: str) -> str:
    return go_clean(path)


@gofunc(STRING, result=STRING)
def ext(path: str) -> str:
    return go_ext(path)


@gofunc(STRING, result=BOOL)
def is_abs(path: str) -> bool:
    return path.startswith("/")


FUNCS: dict[str, Callable[..., Any]] = {
    "base": base,
    "dir": dir_,
    "clean": clean,
    "ext": ext,
    "isAbs": is_abs,
    "osBase": base,
    "osClean": clean,
    "osDir": dir_,
    "osExt": ext,
    "osIsAbs": is_abs,
}

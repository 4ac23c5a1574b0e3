"""Sprig's network function getHostByName, as Helm registers it.

Sprig's own getHostByName resolves DNS. Helm replaces it unless DNS lookups are enabled
(`--enable-dns`, engine.EnableDNS; helm v3.17.1 pkg/engine/engine.go initFunMap) with
`func(_ string) string { return "" }`. hooklint never touches the network, so it always
behaves like Helm's default: every name resolves to the empty string.
"""

from __future__ import annotations

from collections.abc import Callable

from hooklint.gotemplate.gotypes import STRING, gofunc

TYPE_CHECKING = False  # not `typing`'s: importing typing costs ~3 ms of every run
if TYPE_CHECKING:
    from typing import Any


@gofunc(STRING, result=STRING)
def getHostByName(name: str) -> str:
    return ""


FUNCS: dict[str, Callable[..., Any]] = {"getHostByName": getHostByName}

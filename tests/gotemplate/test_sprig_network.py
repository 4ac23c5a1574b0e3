"""getHostByName renders "" like Helm without --enable-dns; hooklint never resolves names."""

from __future__ import annotations

import pytest
from helm_oracle import HAVE_HELM, helm_render_snippet

from hooklint.gotemplate.sprig.network import FUNCS, getHostByName


@pytest.mark.parametrize("name", ["localhost", "example.com", "no-such-host.invalid", ""])
def test_get_host_by_name_is_empty(name: str) -> None:
    assert getHostByName(name) == ""
    if HAVE_HELM:
        assert helm_render_snippet('{{ getHostByName "' + name + '" }}') == ""


def test_registered() -> None:
    assert set(FUNCS) == {"getHostByName"}

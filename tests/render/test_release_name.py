"""Release names are checked like Helm's chartutil.ValidateReleaseName (a Go regexp whose `$`
matches only at the very end), against Helm itself."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hooklint.errors import ChartError
from hooklint.render import validate_release_name

helm_python = pytest.importorskip("helm_python")


def _helm_accepts(name: str) -> bool:
    try:
        helm_python.validate_release_name(name)
    except Exception:  # noqa: BLE001 - any Helm error is a rejection
        return False
    return True


def _ours_accepts(name: str) -> bool:
    try:
        validate_release_name(name)
    except ChartError:
        return False
    return True


@pytest.mark.parametrize("name", ["abc", "abc\n", "a.b-c", "a-", "-a", "A", "a" * 53, "a" * 54, "a..b", "x\ny"])
def test_release_names_like_helm(name: str) -> None:
    assert _ours_accepts(name) == _helm_accepts(name)


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet="ab0.-\nA", max_size=12))
def test_any_release_name_like_helm(name: str) -> None:
    assert _ours_accepts(name) == _helm_accepts(name)

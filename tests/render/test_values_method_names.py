"""`.Values` (chartutil.Values / common.Values) looks a method up before a key, as text/template
does: the executor's shortcut through the type's declared method names answers exactly like
asking go_method."""

from __future__ import annotations

from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from hooklint.gotemplate.builtins import MISSING
from hooklint.gotemplate.executor import plain_field
from hooklint.render.objects import ChartutilValues, CommonValues, SubchartValuesMap

_NAMES = st.sampled_from(["YAML", "Table", "AsMap", "Encode", "PathValue", "x", "yaml", "asMap", "Name", ""])


def _walker(v: Any, name: str) -> Any:
    """plain_field as it was: a call of go_method for every present key."""
    if name not in v or v.go_method(name) is not None:
        return MISSING
    return v[name]


@given(st.sampled_from([ChartutilValues, CommonValues, SubchartValuesMap]),
       st.dictionaries(_NAMES, st.integers()), _NAMES)
def test_declared_method_names_answer_like_go_method(cls: type[dict[str, Any]], data: dict[str, int],
                                                     name: str) -> None:
    v = cls(data)
    assert plain_field(v, name) == _walker(v, name)
    assert {n for n in ["YAML", "Table", "AsMap", "Encode", "PathValue", "x"] if v.go_method(n) is not None} \
        == set(cls.go_method_names)  # type: ignore[attr-defined]

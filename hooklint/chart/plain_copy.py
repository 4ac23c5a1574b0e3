"""A deep copy of values-like data (maps, lists, scalars) several times faster than
copy.deepcopy, which the value pipeline calls for every chart and subchart on every run.

Shared sub-objects would come out as separate copies, as Go's copystructure gives them (Helm
copies values with it), where copy.deepcopy keeps them shared; values files never hold shared
objects (a YAML alias decodes to a copy of its anchor), so the output is the same. Anything but
a plain dict, list or immutable scalar goes through copy.deepcopy.
"""

from __future__ import annotations

import copy
from typing import Any

_IMMUTABLE = frozenset({str, int, float, bool, type(None), bytes})


def deep_copy(value: Any) -> Any:
    t = type(value)
    if t is dict:
        return {k: v if type(v) in _IMMUTABLE else deep_copy(v) for k, v in value.items()}
    if t is list:
        return [v if type(v) in _IMMUTABLE else deep_copy(v) for v in value]
    if t in _IMMUTABLE:
        return value
    return copy.deepcopy(value)

"""How often the cyclic garbage collector runs while hooklint renders.

A render allocates millions of small objects (parsed trees, values, output segments) that live
until it ends; at Python's default thresholds the collector rescans them again and again, and
a full collection over a large chart's trees costs 70-100 ms (kube-prometheus-stack: 0.43 s of
CPU for a first in-process render at the defaults, 0.34 s with the GC off). RUN_THRESHOLDS
collect the young generations much less often and practically never the oldest: cycles made
and dropped during a run (a `tpl` call's clone, see TemplateSet.discard) are still collected
young, so memory stays bounded (tests/gotemplate/test_deep_nesting.py).
"""

from __future__ import annotations

import functools
import gc

TYPE_CHECKING = False  # not `typing`'s: importing typing costs ~3 ms of every run
if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import Any, TypeVar

    F = TypeVar("F", bound=Callable[..., Any])

RUN_THRESHOLDS = (50_000, 20, 100)


def collecting_less(fn: F) -> F:
    """`fn` runs with RUN_THRESHOLDS (library use: the CLI sets them for its whole run); the
    thresholds in force before are restored after."""

    @functools.wraps(fn)
    def run(*args: Any, **kwargs: Any) -> Any:
        before = gc.get_threshold()
        if before[0] >= RUN_THRESHOLDS[0]:  # already (the CLI, or a nested render)
            return fn(*args, **kwargs)
        gc.set_threshold(*RUN_THRESHOLDS)
        try:
            return fn(*args, **kwargs)
        finally:
            gc.set_threshold(*before)

    return run  # type: ignore[return-value]

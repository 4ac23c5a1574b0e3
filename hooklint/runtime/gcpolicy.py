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

import gc
from collections.abc import Iterator
from contextlib import contextmanager

RUN_THRESHOLDS = (50_000, 20, 100)


@contextmanager
def collect_less() -> Iterator[None]:
    """RUN_THRESHOLDS for the duration of a render (library use: the CLI sets them for its whole
    run); the thresholds in force before are restored after."""
    before = gc.get_threshold()
    if before[0] >= RUN_THRESHOLDS[0]:  # already (the CLI, or a nested render)
        yield
        return
    gc.set_threshold(*RUN_THRESHOLDS)
    try:
        yield
    finally:
        gc.set_threshold(*before)

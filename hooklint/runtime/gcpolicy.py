"""When the cyclic garbage collector runs while hooklint renders.

A render allocates millions of small objects (parsed trees, values, output) and frees almost all
of them by reference counting: parse trees are acyclic (parser._without_cycles) and the template
set is emptied when the render ends (TemplateSet.discard). The cyclic GC can only rescan what is
still alive, again and again: measured in process over 31 public charts (load + render, nothing
parsed yet, medians of 5), pausing it for the whole render took the sum from ~1.56 s to ~1.02 s
(bitnami mysql ~63 -> ~45 ms). So a render runs with the collector paused
(`paused_collection`); what little cyclic garbage it leaves (a chart clone's parent links, a few
closures) is collected by the next collection after it.

What a render leaves alive (the process-wide parse cache above all) is then all young, and the
first young collection after it scans it once more (~5 ms after bitnami mysql). The CLI owns its
process, which ends soon after its render: it sets PROMOTE_SURVIVORS, so that what a render leaves
alive goes to the permanent generation unscanned (gc.freeze). A library caller's objects are never
frozen or promoted: that would also make its young objects old, and resetting the young counts
after every render of a loop would keep the collector from ever running (measured: +6 MB of
never-collected garbage per render of kube-prometheus).
RUN_THRESHOLDS are the CLI's thresholds outside renders: the young generations collected much less
often than by default, the oldest practically never.
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

# Set by the CLI (cli.main): freeze a render's survivors. Never set in library use.
PROMOTE_SURVIVORS = False


def paused_collection(fn: F) -> F:
    """`fn` runs with the cyclic GC paused (unless the caller already paused it: a nested
    render, or the caller's choice), which is resumed after."""

    @functools.wraps(fn)
    def run(*args: Any, **kwargs: Any) -> Any:
        if not gc.isenabled():
            return fn(*args, **kwargs)
        gc.disable()
        try:
            return fn(*args, **kwargs)
        finally:
            if PROMOTE_SURVIVORS:
                gc.freeze()
            gc.enable()

    return run  # type: ignore[return-value]

"""Run deeply recursive work (parsing and executing templates) on a thread with a large stack.

Go's parser and executor recurse on goroutine stacks that grow to 1 GB: Helm parses 200 nested
`{{ if }}`s or 500 nested parentheses and executes thousands of nested `include`s. Python's
default recursion limit (1000 frames) and its 8 MB main-thread stack end far sooner. `call_deep`
runs a function on a thread whose stack is DEEP_STACK_BYTES (address space only: the pages a run
touches are all it costs) with a recursion limit that stack can hold; nested calls on that
thread run directly, so a whole render pays for one thread.
"""

from __future__ import annotations

import _thread  # not threading: a built-in module, nothing to import on the cold path
import sys
from collections.abc import Callable

TYPE_CHECKING = False  # not `typing`'s: importing typing costs ~3 ms of every run
if TYPE_CHECKING:
    from typing import Any, TypeVar

    T = TypeVar("T")

# 1 GB of stack, like Go's maximum goroutine stack. Python counts C-level recursion against the
# same limit as Python frames, and a counted level costs far less than the stack allows per
# level (1 GB / 1.5 million), so a runaway recursion ends with RecursionError, not a crash.
DEEP_STACK_BYTES = 1 << 30
DEEP_RECURSION_LIMIT = 1_500_000

MIN_STACK_BYTES = 16 << 20

_local = _thread._local()


def _start(run: Callable[[], None], size: int) -> bool:
    """Start `run` on a thread with a `size`-byte stack; False when none can be had (an
    address-space limit, `ulimit -v`, smaller than the stack)."""
    # The stack size applies to the threads started after it is set.
    old_size = _thread.stack_size(size)
    try:
        _thread.start_new_thread(run, ())
    except (RuntimeError, MemoryError):
        return False
    finally:
        _thread.stack_size(old_size)
    return True


def on_deep_stack() -> bool:
    return getattr(_local, "deep", False)


def call_deep(fn: Callable[..., T], *args: Any) -> T:
    """fn(*args) on a large stack: directly when already on one, else on a new thread."""
    if getattr(_local, "deep", False):
        return fn(*args)
    result: list[Any] = []
    error: list[BaseException] = []
    done = _thread.allocate_lock()
    done.acquire()

    def run() -> None:
        _local.deep = True
        try:
            result.append(fn(*args))
        except BaseException as e:  # noqa: BLE001 - handed to the calling thread as is
            error.append(e)
        finally:
            done.release()

    old_limit = sys.getrecursionlimit()
    size = DEEP_STACK_BYTES
    while True:
        # The recursion limit is per interpreter: raised while the deep thread runs (the calling
        # thread only waits), restored after; in proportion to the stack the thread got.
        limit = DEEP_RECURSION_LIMIT * (size // (1 << 20)) // (DEEP_STACK_BYTES // (1 << 20))
        if old_limit < limit:
            sys.setrecursionlimit(limit)
        try:
            if _start(run, size):
                done.acquire()
                break
        finally:
            if old_limit < limit:
                sys.setrecursionlimit(old_limit)
        size //= 4
        if size < MIN_STACK_BYTES:  # no thread to be had (a tight address-space limit): run here
            return fn(*args)
    if error:
        raise error[0].with_traceback(error[0].__traceback__)
    return result[0]  # type: ignore[no-any-return]

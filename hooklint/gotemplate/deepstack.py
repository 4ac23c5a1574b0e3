"""Run deeply recursive work (parsing and executing templates) on a thread with a large stack.

Go's parser and executor recurse on goroutine stacks that grow to 1 GB: Helm parses 200 nested
`{{ if }}`s or 500 nested parentheses and executes thousands of nested `include`s. Python's
default recursion limit (1000 frames) and its 8 MB main-thread stack end far sooner. `call_deep`
runs a function on a thread whose stack is DEEP_STACK_BYTES (address space only: the pages a run
touches are all it costs) with a recursion limit that stack can hold; nested calls on that
thread run directly, so a whole render pays for one hand-over.

The thread is started once and kept waiting for the next call: starting a thread with a 1 GB
stack costs ~0.5 ms, as much as rendering a small chart. A call made while it is busy (another
thread rendering) gets a thread of its own, which ends after the call. A forked child starts
its own (the parent's thread does not exist there). The stack pages a call touched stay with
the thread for the next call.
"""

from __future__ import annotations

import _thread  # not threading: a built-in module, nothing to import on the cold path
import os
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


class _Worker:
    """A large-stack thread and its hand-over: `wake` starts a call, `done` tells it ended."""

    __slots__ = ("wake", "done", "call", "result", "error", "limit", "ended", "abandoned")

    def __init__(self, limit: int) -> None:
        self.wake = _thread.allocate_lock()
        self.wake.acquire()
        self.done = _thread.allocate_lock()
        self.done.acquire()
        self.call: tuple[Callable[..., Any], tuple[Any, ...]] | None = None
        self.result: Any = None
        self.error: BaseException | None = None
        self.limit = limit  # the recursion limit its stack can hold
        self.ended = False  # the last call returned or raised
        self.abandoned = False  # its caller stopped waiting (KeyboardInterrupt): end after the call

    def serve(self) -> None:
        _local.deep = True
        while True:
            self.wake.acquire()
            call = self.call
            if call is None:  # retired
                return
            self.call = None
            try:
                self.result = call[0](*call[1])
            except BaseException as e:  # noqa: BLE001 - handed to the calling thread as is
                self.error = e
            if self.abandoned:
                return
            self.done.release()

    def run(self, fn: Callable[..., T], args: tuple[Any, ...]) -> T:
        # The recursion limit is per interpreter: raised while the deep thread runs (the calling
        # thread only waits), restored after.
        old_limit = sys.getrecursionlimit()
        if old_limit < self.limit:
            sys.setrecursionlimit(self.limit)
        self.ended = False
        try:
            self.call = (fn, args)
            self.wake.release()
            try:
                self.done.acquire()
            except BaseException:
                self.abandoned = True  # still running the call: never handed another
                raise
            self.ended = True
        finally:
            if old_limit < self.limit:
                sys.setrecursionlimit(old_limit)
        result, error = self.result, self.error
        self.result = self.error = None
        if error is not None:
            raise error.with_traceback(error.__traceback__)
        return result  # type: ignore[no-any-return]

    def retire(self) -> None:
        self.call = None
        self.wake.release()


# The waiting worker (at most one); taken by a call, given back after it.
_idle: list[_Worker] = []


def _forget_after_fork() -> None:
    _idle.clear()  # its thread was not copied into the child


os.register_at_fork(after_in_child=_forget_after_fork)


def retire() -> None:
    """End the waiting thread (the next call starts a new one)."""
    while _idle:
        _idle.pop().retire()


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


def _new_worker() -> _Worker | None:
    size = DEEP_STACK_BYTES
    while size >= MIN_STACK_BYTES:
        # A recursion limit in proportion to the stack the thread got.
        worker = _Worker(DEEP_RECURSION_LIMIT * (size // (1 << 20)) // (DEEP_STACK_BYTES // (1 << 20)))
        if _start(worker.serve, size):
            return worker
        size //= 4
    return None  # no thread to be had (a tight address-space limit)


def on_deep_stack() -> bool:
    return getattr(_local, "deep", False)


def call_deep(fn: Callable[..., T], *args: Any) -> T:
    """fn(*args) on a large stack: directly when already on one, else on the waiting thread
    (or a new one)."""
    if getattr(_local, "deep", False):
        return fn(*args)
    try:
        worker = _idle.pop()
    except IndexError:
        new = _new_worker()
        if new is None:
            return fn(*args)  # run here, with Python's own limits
        worker = new
    try:
        return worker.run(fn, args)
    finally:
        if not worker.ended:
            pass  # abandoned mid-call: it ends on its own
        elif _idle:  # another call gave its worker back meanwhile: one waiting thread is enough
            worker.retire()
        else:
            _idle.append(worker)

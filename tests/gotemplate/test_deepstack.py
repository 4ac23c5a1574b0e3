"""The large-stack thread renders run on: started once and reused, one per concurrent caller,
started anew in a forked child, and exceptions reach the caller as raised."""

from __future__ import annotations

import _thread
import os
import sys
from typing import Any

import pytest

from hooklint.gotemplate import deepstack


def _count_starts(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    sizes: list[int] = []
    real_start = deepstack._start

    def start(run: Any, size: int) -> bool:
        sizes.append(size)
        return real_start(run, size)

    monkeypatch.setattr(deepstack, "_start", start)
    return sizes


def test_one_thread_serves_call_after_call(monkeypatch: pytest.MonkeyPatch) -> None:
    deepstack.retire()
    sizes = _count_starts(monkeypatch)
    idents = {deepstack.call_deep(_thread.get_ident) for _ in range(5)}
    assert sizes == [deepstack.DEEP_STACK_BYTES]
    assert len(idents) == 1 and _thread.get_ident() not in idents
    # on it, recursion far past Python's default limit; after it, the caller's limit again
    limit = sys.getrecursionlimit()

    def depth(n: int) -> int:
        return 0 if n == 0 else 1 + depth(n - 1)

    assert deepstack.call_deep(depth, 50_000) == 50_000
    assert sys.getrecursionlimit() == limit


def test_nested_calls_run_directly_and_errors_reach_the_caller() -> None:
    def outer() -> tuple[bool, int]:
        return deepstack.on_deep_stack(), deepstack.call_deep(_thread.get_ident)

    on_deep, inner = deepstack.call_deep(outer)
    assert on_deep and inner == deepstack.call_deep(_thread.get_ident)

    def fails() -> None:
        raise KeyError("x")

    with pytest.raises(KeyError, match="x"):
        deepstack.call_deep(fails)
    assert deepstack.call_deep(lambda: 7) == 7  # the thread serves on after an error


def test_a_call_while_the_thread_is_busy_gets_a_thread_of_its_own(monkeypatch: pytest.MonkeyPatch) -> None:
    deepstack.retire()
    sizes = _count_starts(monkeypatch)
    inner: list[int] = []
    release = _thread.allocate_lock()
    release.acquire()
    finished = _thread.allocate_lock()
    finished.acquire()

    def other_caller() -> None:
        inner.append(deepstack.call_deep(_thread.get_ident))
        finished.release()

    def busy() -> int:
        _thread.start_new_thread(other_caller, ())  # calls while this call holds the thread
        finished.acquire()
        return _thread.get_ident()

    outer = deepstack.call_deep(busy)
    assert len(sizes) == 2 and inner and inner[0] != outer
    assert deepstack.call_deep(_thread.get_ident) in (outer, inner[0])
    assert len(deepstack._idle) == 1  # one thread kept waiting, the other ended


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork")
def test_a_forked_child_starts_its_own_thread() -> None:
    deepstack.call_deep(lambda: None)  # the parent has a waiting thread
    r, w = os.pipe()
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the child
        try:
            ok = deepstack.call_deep(deepstack.on_deep_stack)
            os.write(w, b"1" if ok else b"0")
        finally:
            os._exit(0)
    os.close(w)
    _, status = os.waitpid(pid, 0)
    assert os.read(r, 1) == b"1" and status == 0
    os.close(r)

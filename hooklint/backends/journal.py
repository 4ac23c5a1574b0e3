"""The journal of an apply: one JSON object per operation, written as it happens.

Lines are flushed one by one, so an interrupted run still leaves a journal that says how far it
got. `--journal FILE` writes them to FILE; `-o json` to stdout. Schema (stable; keys always
in this order, `detail` only when there is more to say):

    time     RFC 3339 UTC on the backend's clock ("2025-01-01T00:00:07Z"; fractional seconds
             only when the clock has them). The simulate backend's clock is simulated, so its
             journals are identical from run to run.
    step     the plan step's index as a string ("3"); "3.f1" is the second step of step 3's
             failure branch (what Helm does after step 3 failed); null for release bookkeeping
             and the checks made before the first step.
    phase    the step's phase: prepare, crds, pre-install .. post-delete, test, resources, wait,
             logs, cleanup; finish for the final bookkeeping and the result.
    op       what was done: check, get, create, apply, delete, wait-deleted, watch, wait, keep,
             logs, store-create, store-update, store-delete, interrupt; the last line is
             always op "result".
    object   {"apiVersion", "kind", "name", "namespace"} (namespace null when cluster-scoped),
             or null (release bookkeeping, checks, the result).
    outcome  what came of it: created, applied, patched, unchanged, adopted, deleted, not found,
             gone, exists, succeeded, ready, timeout, failed, kept, read, skipped,
             already exists, step failed, failed (cleanup), failed (ignored); for store-* the
             release status written; for the result the final release status ("purged" when the
             history was deleted, "none" when no release exists).
    detail   the API's or Helm's message, the delete policy that caused a deletion, or the
             release revision (`r v2`) for store-*; for the result: `<event> succeeded` or
             Helm's error.
"""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass, field
from datetime import datetime
from typing import IO, Any

from hooklint.backends.base import describe
from hooklint.backends.release import go_time
from hooklint.model import ObjectRef


@dataclass
class JournalEntry:
    time: str
    step: str | None
    phase: str
    op: str
    object: dict[str, Any] | None
    outcome: str
    detail: str | None = None

    def to_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {
            "time": self.time,
            "step": self.step,
            "phase": self.phase,
            "op": self.op,
            "object": self.object,
            "outcome": self.outcome,
        }
        if self.detail is not None:
            d["detail"] = self.detail
        return d


class Progress:
    """A one-line live display on a terminal: phase, hook, what is being waited for."""

    def __init__(self, stream: IO[str] | None) -> None:
        self.stream = stream
        self.active = bool(stream is not None and getattr(stream, "isatty", lambda: False)())

    def show(self, text: str) -> None:
        if self.active and self.stream is not None:
            self.stream.write("\r\x1b[K" + text[:200])
            self.stream.flush()

    def done(self) -> None:
        if self.active and self.stream is not None:
            self.stream.write("\r\x1b[K")
            self.stream.flush()


@dataclass
class Journal:
    sinks: list[IO[str]] = field(default_factory=list)
    entries: list[JournalEntry] = field(default_factory=list)
    progress: Progress = field(default_factory=lambda: Progress(None))

    def record(
        self,
        when: datetime,
        step: str | None,
        phase: str,
        op: str,
        obj: ObjectRef | None,
        outcome: str,
        detail: str | None = None,
    ) -> JournalEntry:
        entry = JournalEntry(
            time=go_time(when) if when.utcoffset() is not None else when.isoformat(),
            step=step,
            phase=phase,
            op=op,
            object=obj.to_dict() if obj is not None else None,
            outcome=outcome,
            detail=detail,
        )
        self.entries.append(entry)
        line = json.dumps(entry.to_dict(), sort_keys=False, ensure_ascii=False) + "\n"
        for sink in self.sinks:
            sink.write(line)
            sink.flush()
        return entry

    def started(self, phase: str, op: str, obj: ObjectRef | None) -> None:
        what = describe(obj) if obj is not None else ""
        self.progress.show(f"{phase}: {op} {what}".rstrip())

    def close(self) -> None:
        self.progress.done()


def stderr_progress() -> Progress:
    return Progress(sys.stderr)

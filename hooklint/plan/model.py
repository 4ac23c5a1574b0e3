"""Plan and Step: Helm's lifecycle for one event as plain data (JSON round-trip safe).

A Plan is the ordered list of operations Helm performs when every step succeeds. A step that
can fail carries `on_failure`: the complete list of operations Helm performs next instead of the
remaining steps (hook-failed deletions, `--atomic` uninstall or rollback, ...), and `failure`:
the release status Helm leaves behind and the error it reports.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from hooklint.model import ObjectRef

SCHEMA_VERSION = 1

ACTIONS = (
    "install-crd",
    "delete-hook",
    "create-hook",
    "wait-hook",
    "apply",
    "wait",
    "delete",
    "keep",
    "logs",  # `helm test --logs`: read the logs of the Pod named like a test hook
)


@dataclass
class Source:
    """Where the object of a step was written: template (or rendered input) file and line."""

    file: str
    line: int
    column: int = 1
    template: str | None = None  # Helm's template key, e.g. `mychart/templates/job.yaml`

    def to_dict(self) -> dict[str, Any]:
        return {"file": self.file, "line": self.line, "column": self.column, "template": self.template}

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Source:
        return cls(
            file=d["file"], line=int(d["line"]), column=int(d.get("column", 1)), template=d.get("template")
        )


@dataclass
class Failure:
    """What a failed step leaves: the release status and Helm's error message."""

    release_status: str | None
    error: str
    # What the plan cannot know about this branch (e.g. the --atomic rollback without the
    # previous revision's rendering): the branch's steps are then incomplete.
    note: str | None = None

    def to_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {"release_status": self.release_status, "error": self.error}
        if self.note is not None:
            d["note"] = self.note
        return d

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Failure:
        return cls(release_status=d.get("release_status"), error=d.get("error", ""), note=d.get("note"))


@dataclass
class WaitTarget:
    """One object of a `wait` barrier and what "ready" means for it."""

    object: ObjectRef
    ready_when: str
    source: Source | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "object": self.object.to_dict(),
            "ready_when": self.ready_when,
            "source": self.source.to_dict() if self.source is not None else None,
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> WaitTarget:
        o = d["object"]
        return cls(
            object=ObjectRef(o["apiVersion"], o["kind"], o["name"], o.get("namespace")),
            ready_when=str(d.get("ready_when", "")),
            source=Source.from_dict(d["source"]) if d.get("source") else None,
        )


@dataclass
class Step:
    action: str
    object: ObjectRef | None
    hook_event: str | None = None
    weight: int | None = None
    reason: str | None = None
    source: Source | None = None
    on_failure: list[Step] | None = None
    failure: Failure | None = None
    index: int = 0
    phase: str = ""  # e.g. "pre-install", "resources", "crds", "wait", "cleanup"
    # create-hook / apply: "create", "server-side-apply", "update" (create or patch)
    method: str | None = None
    # delete-hook / delete: whether Helm waits until the object is gone before going on
    wait_for_deletion: bool | None = None
    # wait-hook / wait: what "ready" means for this object, and the timeout
    ready_when: str | None = None
    timeout: str | None = None
    # apply / delete: consecutive steps with the same batch number run concurrently in Helm
    batch: int | None = None
    note: str | None = None
    delete_policies: list[str] | None = None
    # A failure certain from the manifest alone (e.g. the kube builder rejecting a non-string
    # annotation value): Helm's error; the step then does nothing and on_failure follows.
    fails: str | None = None
    # wait: Helm waits once for all these objects together (one poll/watch over the whole list,
    # done when every one is ready); `object` is then None.
    waits_for: list[WaitTarget] | None = None
    # apply on upgrade/rollback: the manifest equals the replaced revision's, so a client-side
    # update sends no PATCH at all unless the live object drifted (the three-way patch is empty).
    unchanged: bool | None = None

    def to_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {
            "index": self.index,
            "action": self.action,
            "hook_event": self.hook_event,
            "weight": self.weight,
            "reason": self.reason,
            "object": self.object.to_dict() if self.object is not None else None,
            "source": self.source.to_dict() if self.source is not None else None,
            "on_failure": [s.to_dict() for s in self.on_failure] if self.on_failure is not None else None,
            "failure": self.failure.to_dict() if self.failure is not None else None,
            "phase": self.phase,
        }
        for key in (
            "method",
            "wait_for_deletion",
            "ready_when",
            "timeout",
            "batch",
            "note",
            "delete_policies",
            "fails",
            "unchanged",
        ):
            value = getattr(self, key)
            if value is not None:
                d[key] = value
        if self.waits_for is not None:
            d["waits_for"] = [w.to_dict() for w in self.waits_for]
        return d

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Step:
        obj = d.get("object")
        return cls(
            action=d["action"],
            object=ObjectRef(obj["apiVersion"], obj["kind"], obj["name"], obj.get("namespace"))
            if obj
            else None,
            hook_event=d.get("hook_event"),
            weight=d.get("weight"),
            reason=d.get("reason"),
            source=Source.from_dict(d["source"]) if d.get("source") else None,
            on_failure=[cls.from_dict(s) for s in d["on_failure"]]
            if d.get("on_failure") is not None
            else None,
            failure=Failure.from_dict(d["failure"]) if d.get("failure") else None,
            index=int(d.get("index", 0)),
            phase=d.get("phase", ""),
            method=d.get("method"),
            wait_for_deletion=d.get("wait_for_deletion"),
            ready_when=d.get("ready_when"),
            timeout=d.get("timeout"),
            batch=d.get("batch"),
            note=d.get("note"),
            delete_policies=d.get("delete_policies"),
            fails=d.get("fails"),
            waits_for=[WaitTarget.from_dict(w) for w in d["waits_for"]] if d.get("waits_for") else None,
            unchanged=d.get("unchanged"),
        )


@dataclass
class DroppedEntry:
    object: ObjectRef
    source: Source | None
    reason: str

    def to_dict(self) -> dict[str, Any]:
        return {
            "object": self.object.to_dict(),
            "source": self.source.to_dict() if self.source else None,
            "reason": self.reason,
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> DroppedEntry:
        o = d["object"]
        return cls(
            object=ObjectRef(o["apiVersion"], o["kind"], o["name"], o.get("namespace")),
            source=Source.from_dict(d["source"]) if d.get("source") else None,
            reason=d["reason"],
        )


@dataclass
class Plan:
    event: str
    helm_version: str
    chart: dict[str, Any]  # name, version; a saved plan adds fingerprint, path and inputs
    release: dict[str, Any]
    steps: list[Step] = field(default_factory=list)
    dropped: list[DroppedEntry] = field(default_factory=list)
    options: dict[str, Any] = field(default_factory=dict)
    final_status: str | None = None  # the release status when every step succeeds
    notes: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "schema_version": SCHEMA_VERSION,
            "event": self.event,
            "helm_version": self.helm_version,
            "chart": dict(self.chart),
            "release": dict(self.release),
            "options": dict(self.options),
            "final_status": self.final_status,
            "steps": [s.to_dict() for s in self.steps],
            "dropped": [d.to_dict() for d in self.dropped],
            "notes": list(self.notes),
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Plan:
        return cls(
            event=d["event"],
            helm_version=str(d["helm_version"]),
            chart=dict(d.get("chart", {})),
            release=dict(d.get("release", {})),
            steps=[Step.from_dict(s) for s in d.get("steps", [])],
            dropped=[DroppedEntry.from_dict(x) for x in d.get("dropped", [])],
            options=dict(d.get("options", {})),
            final_status=d.get("final_status"),
            notes=list(d.get("notes", [])),
        )


def renumber(steps: list[Step]) -> list[Step]:
    """Give each step its position; nested failure branches are numbered on their own."""
    for i, step in enumerate(steps):
        step.index = i
        if step.on_failure:
            renumber(step.on_failure)
    return steps

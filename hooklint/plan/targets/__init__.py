"""What a GitOps controller does with the chart's hooks: `hooklint plan --target argocd|flux[:VERSION]`.

Each target module builds a TargetPlan from the chart's renderings: the operations the controller
performs, in its order, and for each one that differs from plain Helm, how and why (with the
controller's source file and function it follows). Versions name the controller's releases (Argo CD;
Flux helm-controller); without one, the latest release listed here is used and the output says so.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from hooklint.errors import UsageError
from hooklint.model import ObjectRef
from hooklint.plan.model import Source

# The latest releases known to this version of hooklint (the projects' tags when they were read).
LATEST = {"argocd": "3.5.1", "flux": "1.6.3"}
OLDEST = {"argocd": (2, 0), "flux": (1, 0)}


@dataclass(frozen=True)
class Target:
    name: str  # "argocd" | "flux"
    version: tuple[int, int, int]
    given: bool  # the user named the version

    @property
    def version_text(self) -> str:
        return ".".join(str(x) for x in self.version)

    def at_least(self, major: int, minor: int) -> bool:
        return self.version[:2] >= (major, minor)


def parse_target(text: str) -> Target:
    """`argocd`, `argocd:3.3`, `flux:v1.4.2` -> Target (a usage error names what is accepted)."""
    name, _, version = text.partition(":")
    name = name.strip().lower()
    if name not in LATEST:
        raise UsageError(f"--target must be argocd or flux, optionally with :VERSION (argocd:3.3), not {text!r}")
    raw = version.strip().lstrip("v") if version else LATEST[name]
    parts = raw.split(".")
    if not 1 <= len(parts) <= 3 or not all(p.isdigit() for p in parts):
        raise UsageError(f"--target {text}: the version must look like 3.3 or 3.3.1")
    numbers = tuple(int(p) for p in parts) + (0,) * (3 - len(parts))
    parsed = (numbers[0], numbers[1], numbers[2])
    if parsed[:2] < OLDEST[name]:
        oldest = ".".join(map(str, OLDEST[name]))
        raise UsageError(f"--target {text}: versions before {oldest} are not modelled")
    return Target(name, parsed, given=bool(version))


@dataclass
class TargetStep:
    index: int
    stage: str  # argocd: PreSync/Sync/PostSync/SyncFail/PreDelete/PostDelete; flux: the Helm action
    action: str
    object: ObjectRef | None
    wave: int | None = None
    detail: str = ""
    source: Source | None = None
    differs: str | None = None  # how plain Helm differs here, and why
    cite: str | None = None  # the controller's source this step follows (file: function)
    only_on_failure: bool = False

    def to_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {
            "index": self.index,
            "stage": self.stage,
            "action": self.action,
            "object": self.object.to_dict() if self.object else None,
            "wave": self.wave,
            "detail": self.detail,
            "source": self.source.to_dict() if self.source else None,
            "differs": self.differs,
            "cite": self.cite,
        }
        if self.only_on_failure:
            d["only_on_failure"] = True
        return d


@dataclass
class Skipped:
    object: ObjectRef
    source: Source | None
    reason: str
    cite: str

    def to_dict(self) -> dict[str, Any]:
        return {"object": self.object.to_dict(), "source": self.source.to_dict() if self.source else None,
                "reason": self.reason, "cite": self.cite}


@dataclass
class TargetPlan:
    target: str
    version: str
    version_note: str  # "latest release known" / "as given"
    event: str  # argocd: sync | delete; flux: install | upgrade | uninstall | test
    chart: dict[str, str]
    release: dict[str, str]
    steps: list[TargetStep] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "schema_version": 1,
            "kind": "target-plan",
            "target": self.target,
            "version": self.version,
            "version_note": self.version_note,
            "event": self.event,
            "chart": dict(self.chart),
            "release": dict(self.release),
            "steps": [s.to_dict() for s in self.steps],
            "skipped": [s.to_dict() for s in self.skipped],
            "notes": list(self.notes),
        }


def number(steps: list[TargetStep]) -> list[TargetStep]:
    for i, s in enumerate(steps):
        s.index = i
    return steps

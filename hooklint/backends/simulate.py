"""`simulate`: an in-memory cluster that behaves like Kubernetes for what hooks touch.

- create of an existing name fails with AlreadyExists (`configmaps "x" already exists`);
- Jobs complete or fail (condition `Complete`/`Failed`, reason `BackoffLimitExceeded`), or hang;
- Pods end `Succeeded`/`Failed`; a Pod with `restartPolicy: Always` (the default) never finishes,
  nor does a failing `OnFailure` Pod (its container restarts forever);
- a Job whose pod template's restartPolicy is not `Never`/`OnFailure`, or an object with a
  non-string annotation or label value, is rejected with the API server's message and status
  (`apimodel.py`);
- deletions are immediate (no finalizers), server-side apply updates in place and keeps status;
- a Pod's log (`helm test --logs`) is one line naming the Pod and its phase.

Outcomes per object: annotation `hooklint.io/simulate: fail|hang|succeed`, or the `outcomes`
option (`--simulate NAME=fail`, NAME being `name` or `Kind/name`), which wins.

Time is simulated: waiting for a hook that never finishes advances the clock by the timeout and
raises Timeout at once. `state` (a JSON file) keeps objects, release records (Secrets) and the
clock between runs, so install, upgrade, rollback and uninstall accumulate leftovers.
`log` holds every API call made, in order, in the style of the recorded Helm traces.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

from hooklint.backends.apimodel import OUTCOMES, synthesized_status, validate
from hooklint.backends.base import (
    FIELD_MANAGER,
    AlreadyExists,
    BackendError,
    BackendUnavailable,
    NotFound,
    Timeout,
    WatchEvent,
    describe,
    qualified_resource,
    ref_of,
)
from hooklint.backends.patches import STRATEGIC, apply_merge_patch, apply_strategic
from hooklint.errors import UsageError
from hooklint.model import ObjectRef

OUTCOME_ANNOTATION = "hooklint.io/simulate"
STATE_VERSION = 1
EPOCH = datetime(2025, 1, 1, tzinfo=timezone.utc)  # deterministic start of simulated time


def _group(api_version: str) -> str:
    return api_version.rsplit("/", 1)[0] if "/" in api_version else ""


def _key(ref: ObjectRef) -> str:
    return f"{_group(ref.api_version)}|{ref.kind}|{ref.namespace or ''}|{ref.name}"


def parse_outcomes(items: list[str]) -> dict[str, str]:
    """`--simulate NAME=fail|hang|succeed` options as a mapping."""
    out: dict[str, str] = {}
    for item in items:
        name, sep, outcome = item.partition("=")
        if not sep or not name or outcome not in OUTCOMES:
            raise UsageError(f"--simulate expects NAME=fail, NAME=hang or NAME=succeed, not {item!r}")
        out[name] = outcome
    return out


def _corrupt_state(path: Path, detail: str) -> BackendUnavailable:
    return BackendUnavailable(f"--state {path}: not a valid hooklint simulate state file: {detail}")


def _state_clock(value: Any, path: Path) -> datetime:
    """The saved simulated time: an RFC 3339 timestamp with a zone (naive times cannot be
    compared with the ones the backend writes)."""
    try:
        clock = datetime.fromisoformat(value.replace("Z", "+00:00")) if isinstance(value, str) else None
    except ValueError:
        clock = None
    if clock is None or clock.tzinfo is None:
        raise _corrupt_state(path, f'"clock" must be an RFC 3339 time, not {value!r}')
    return clock


class SimulateBackend:
    """The embedded default backend (see the module docstring)."""

    name = "simulate"

    def __init__(
        self,
        *,
        state: str | None = None,
        outcomes: dict[str, str] | None = None,
        namespace: str = "default",
        **_: Any,
    ) -> None:
        self.state_path = Path(state) if state else None
        self.outcomes = dict(outcomes or {})
        self.default_namespace = namespace
        self.objects: dict[str, dict[str, Any]] = {}
        self.clock = EPOCH
        self.log: list[str] = []
        self._uid = 0
        self.changed = False  # saved only when something was written: a refused run leaves no trace
        if self.state_path is not None and self.state_path.exists():
            self._load(self.state_path)

    # -- state ---------------------------------------------------------------------------------

    def _load(self, path: Path) -> None:
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError, RecursionError) as e:
            raise BackendUnavailable(f"--state {path}: cannot read the simulated cluster: {e}") from None
        if not isinstance(data, dict) or data.get("version") != STATE_VERSION:
            raise BackendUnavailable(
                f"--state {path}: not a hooklint simulate state file (version {STATE_VERSION})"
            )
        self.clock = _state_clock(data.get("clock"), path)
        uid, objects = data.get("uid", 0), data.get("objects", [])
        if not isinstance(uid, int) or isinstance(uid, bool) or uid < 0:
            raise _corrupt_state(path, f'"uid" must be a non-negative integer, not {uid!r}')
        if not isinstance(objects, list):
            raise _corrupt_state(path, f'"objects" must be a list, not {type(objects).__name__}')
        for i, obj in enumerate(objects):
            meta = obj.get("metadata") if isinstance(obj, dict) else None
            if not isinstance(meta, dict) or not isinstance(meta.get("labels", {}), dict):
                raise _corrupt_state(path, f"objects[{i}] is not a Kubernetes object with metadata")
        self._uid = uid
        for obj in objects:
            self.objects[_key(ref_of(obj))] = obj

    def save(self) -> None:
        if self.state_path is None or not self.changed:
            return
        data = {
            "version": STATE_VERSION,
            "clock": self.clock.isoformat().replace("+00:00", "Z"),
            "uid": self._uid,
            "objects": [self.objects[k] for k in sorted(self.objects)],
        }
        tmp = self.state_path.with_name(self.state_path.name + ".tmp")
        try:
            tmp.write_text(json.dumps(data, indent=1, sort_keys=True) + "\n", encoding="utf-8")
            tmp.replace(self.state_path)
        except OSError as e:
            raise UsageError(
                f"--state {self.state_path}: cannot write the simulated cluster: {e.strerror or e}"
            ) from None

    def close(self) -> None:
        self.save()

    # -- clock and log ---------------------------------------------------------------------------

    def now(self) -> datetime:
        return self.clock

    def _tick(self, seconds: float = 1.0) -> None:
        self.clock += timedelta(seconds=seconds)

    def _record(self, line: str) -> None:
        self.log.append(line)
        self._tick()
        if not line.startswith(("GET ", "LIST ", "WATCH ")):
            self.changed = True

    # -- outcomes and status ---------------------------------------------------------------------

    def outcome(self, obj: dict[str, Any]) -> str:
        ref = ref_of(obj)
        for key in (f"{ref.kind}/{ref.name}", ref.name):
            if key in self.outcomes:
                return self.outcomes[key]
        ann = ((obj.get("metadata") or {}).get("annotations")) or {}
        value = ann.get(OUTCOME_ANNOTATION)
        return value if value in OUTCOMES else "succeed"

    def _status(self, obj: dict[str, Any], ref: ObjectRef) -> dict[str, Any] | None:
        return synthesized_status(obj, ref, self.outcome(obj), self._timestamp())

    def _timestamp(self) -> str:
        return self.clock.strftime("%Y-%m-%dT%H:%M:%SZ")

    def _stored(self, obj: dict[str, Any], ref: ObjectRef) -> dict[str, Any]:
        stored = copy.deepcopy(obj)
        meta = stored.setdefault("metadata", {})
        if ref.namespace:
            meta["namespace"] = ref.namespace
        self._uid += 1
        meta.setdefault("uid", f"00000000-0000-0000-0000-{self._uid:012d}")
        meta.setdefault("creationTimestamp", self._timestamp())
        meta["resourceVersion"] = str(self._uid)
        if ref.kind == "Service" and ref.api_version == "v1":
            spec = stored.setdefault("spec", {}) if isinstance(stored.get("spec", {}), dict) else {}
            if spec.get("type") != "ExternalName" and not spec.get("clusterIP"):
                spec["clusterIP"] = f"10.96.0.{self._uid % 250 + 2}"
        status = self._status(stored, ref)
        if status is not None:
            stored["status"] = status
        return stored

    # -- the Backend protocol --------------------------------------------------------------------

    def _ref(self, obj: dict[str, Any]) -> ObjectRef:
        from hooklint.plan.context import CLUSTER_SCOPED_KINDS

        ref = ref_of(obj, self.default_namespace)
        if ref.kind in CLUSTER_SCOPED_KINDS:
            ref = ObjectRef(ref.api_version, ref.kind, ref.name, None)
        return ref

    def create(self, obj: dict[str, Any], *, field_manager: str | None = FIELD_MANAGER) -> dict[str, Any]:
        ref = self._ref(obj)
        key = _key(ref)
        if key in self.objects:
            self._record(f"CREATE {describe(ref)} -> 409 AlreadyExists")
            raise AlreadyExists(
                f'{qualified_resource(ref.api_version, ref.kind)} "{ref.name}" already exists'
            )
        try:
            validate(obj, ref)
        except BackendError as e:
            self._record(f"CREATE {describe(ref)} -> {e.code} {e.reason}")
            raise
        self.objects[key] = self._stored(obj, ref)
        self._record(f"CREATE {describe(ref)}")
        return copy.deepcopy(self.objects[key])

    def apply(
        self, obj: dict[str, Any], *, field_manager: str = FIELD_MANAGER, force: bool = False
    ) -> dict[str, Any]:
        ref = self._ref(obj)
        key = _key(ref)
        try:
            validate(obj, ref)
        except BackendError as e:
            self._record(f"APPLY {describe(ref)} -> {e.code} {e.reason}")
            raise
        existing = self.objects.get(key)
        if existing is None:
            self.objects[key] = self._stored(obj, ref)
            self._record(f"APPLY {describe(ref)} created")
        else:  # update in place: the applied fields change, status and identity stay
            merged = copy.deepcopy(obj)
            meta = merged.setdefault("metadata", {})
            for k in ("uid", "creationTimestamp", "namespace"):
                if k in existing.get("metadata", {}):
                    meta[k] = existing["metadata"][k]
            self._uid += 1
            meta["resourceVersion"] = str(self._uid)
            if "status" in existing:
                merged["status"] = existing["status"]
            self.objects[key] = merged
            self._record(f"APPLY {describe(ref)} updated-existing")
        return copy.deepcopy(self.objects[key])

    def update(
        self,
        obj: dict[str, Any],
        *,
        field_manager: str | None = FIELD_MANAGER,
        field_validation: str | None = None,
    ) -> dict[str, Any]:
        ref = self._ref(obj)
        key = _key(ref)
        existing = self.objects.get(key)
        if existing is None:
            self._record(f"UPDATE {describe(ref)} -> 404")
            raise NotFound(f'{qualified_resource(ref.api_version, ref.kind)} "{ref.name}" not found')
        validate(obj, ref)
        updated = copy.deepcopy(obj)
        meta = updated.setdefault("metadata", {})
        for k in ("uid", "creationTimestamp", "namespace"):
            if k in existing.get("metadata", {}):
                meta[k] = existing["metadata"][k]
        self._uid += 1
        meta["resourceVersion"] = str(self._uid)
        if "status" in existing and "status" not in updated:
            updated["status"] = existing["status"]
        self.objects[key] = updated
        self._record(f"UPDATE {describe(ref)}")
        return copy.deepcopy(updated)

    def get(self, ref: ObjectRef) -> dict[str, Any]:
        obj = self.objects.get(_key(ref))
        self._record(f"GET {describe(ref)} -> {'found' if obj is not None else '404'}")
        if obj is None:
            raise NotFound(f'{qualified_resource(ref.api_version, ref.kind)} "{ref.name}" not found')
        return copy.deepcopy(obj)

    def list(
        self, api_version: str, kind: str, namespace: str | None, labels: dict[str, str]
    ) -> list[dict[str, Any]]:
        group = _group(api_version)
        found = []
        for obj in self.objects.values():
            ref = ref_of(obj)
            if ref.kind != kind or _group(ref.api_version) != group:
                continue
            if namespace is not None and ref.namespace != namespace:
                continue
            have = (obj.get("metadata") or {}).get("labels") or {}
            if all(have.get(k) == v for k, v in labels.items()):
                found.append(copy.deepcopy(obj))
        self._record(f"LIST {kind} {namespace or ''} -> {len(found)}")
        return sorted(found, key=lambda o: str(o["metadata"].get("name", "")))

    def patch(
        self, ref: ObjectRef, patch: Any, patch_type: str, *, field_manager: str | None = FIELD_MANAGER
    ) -> dict[str, Any]:
        """A strategic merge or JSON merge patch, applied as the API server applies it."""
        key = _key(ref)
        existing = self.objects.get(key)
        if existing is None:
            self._record(f"PATCH {describe(ref)} -> 404")
            raise NotFound(f'{qualified_resource(ref.api_version, ref.kind)} "{ref.name}" not found')
        if patch_type == STRATEGIC:
            merged = apply_strategic(existing, patch, ref.kind)
        else:
            merged = apply_merge_patch(existing, patch)
        self._record(f"PATCH {describe(ref)}")
        return self.update(merged, field_manager=field_manager)

    def delete(self, ref: ObjectRef, *, propagation: str | None = "Background") -> None:
        key = _key(ref)
        if key not in self.objects:
            self._record(f"DELETE {describe(ref)} -> 404 propagation={propagation}")
            raise NotFound(f'{qualified_resource(ref.api_version, ref.kind)} "{ref.name}" not found')
        del self.objects[key]
        self._record(f"DELETE {describe(ref)} -> 200 propagation={propagation}")

    def wait_deleted(self, ref: ObjectRef, timeout: float | None) -> None:
        self.get_quiet_gone(ref)

    def pod_logs(self, ref: ObjectRef) -> str:
        """GET pods/<name>/log: one deterministic line naming the Pod and its phase."""
        pod = ObjectRef("v1", "Pod", ref.name, ref.namespace or self.default_namespace)
        obj = self.objects.get(_key(pod))
        self._record(f"GET {describe(pod)}/log -> {'200' if obj is not None else '404'}")
        if obj is None:
            raise NotFound(f'pods "{ref.name}" not found')
        phase = (obj.get("status") or {}).get("phase") or "Pending"
        return f"hooklint simulate: log of pod {ref.name} (phase {phase})\n"

    def get_quiet_gone(self, ref: ObjectRef) -> None:
        """WaitForDelete's poll: deletions here are immediate, so the first GET is a 404."""
        present = _key(ref) in self.objects
        self._record(f"GET {describe(ref)} -> {'found' if present else '404'}")
        if present:  # pragma: no cover - deletions are immediate in the simulator
            raise Timeout("timed out waiting for the condition")

    def watch(self, ref: ObjectRef, timeout: float | None) -> Iterator[WatchEvent]:
        obj = self.objects.get(_key(ref))
        self.log.append(f"WATCH {describe(ref)}")  # no tick: a finished object is seen at once
        if obj is not None:  # list+watch: the current state first; an absent object sends nothing
            yield WatchEvent("ADDED", copy.deepcopy(obj))
        # Nothing else ever changes in the simulator: whoever keeps watching waits for the timeout.
        if timeout is None:
            raise Timeout("the object never finishes and there is no timeout: Helm would wait forever")
        self._tick(timeout)
        raise Timeout("timed out waiting for the condition")

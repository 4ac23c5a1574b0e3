"""The Backend protocol: the few cluster operations the executor needs, nothing of Helm's semantics.

A backend creates, applies, updates, reads, lists, deletes and watches Kubernetes objects, and
reports failures as the typed errors below. Which objects to touch, in which order, and what a
watched state *means* (Job conditions, Pod phases, a deletion counting as success) is decided by
the executor (`executor.py`); a backend only talks to its cluster.

Objects are plain dicts as the API serves them. Timeouts are in seconds; `None` means no timeout.
Time is the backend's clock (`now()`): the simulator's clock is simulated, so a timeout of five
minutes costs nothing.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol, runtime_checkable

from hooklint.errors import HooklintError
from hooklint.model import ObjectRef

# Helm labels and annotates ordinary resources (never hooks) so a later Helm run can adopt them.
MANAGED_BY_LABEL = "app.kubernetes.io/managed-by"
RELEASE_NAME_ANNOTATION = "meta.helm.sh/release-name"
RELEASE_NAMESPACE_ANNOTATION = "meta.helm.sh/release-namespace"
# Chart objects are written with Helm's field manager, so helm and hooklint can take turns on one
# release without server-side apply conflicts: Helm 4's CLI sets kube.ManagedFieldsManager = "helm"
# and Helm 3 derives the same name from its binary (pkg/kube/client.go getManagedFieldsManager).
HELM_FIELD_MANAGER = "helm"
FIELD_MANAGER = HELM_FIELD_MANAGER


class BackendError(HooklintError):
    """A cluster operation failed. `message` is worded like the Kubernetes API (or client) error."""

    reason = "InternalError"
    code = 500


class AlreadyExists(BackendError):
    reason, code = "AlreadyExists", 409


class NotFound(BackendError):
    reason, code = "NotFound", 404


class Forbidden(BackendError):
    reason, code = "Forbidden", 403


class Unauthorized(BackendError):
    reason, code = "Unauthorized", 401


class Invalid(BackendError):
    reason, code = "Invalid", 422


class BadRequest(BackendError):
    """400: the API server could not even decode the object (e.g. a non-string annotation)."""

    reason, code = "BadRequest", 400


class NoKindMatch(BackendError):
    """The cluster serves no such kind (`no matches for kind "X" in version "g/v"`)."""

    reason, code = "NoKindMatch", 0


class Conflict(BackendError):
    reason, code = "Conflict", 409


class Unreachable(BackendError):
    reason, code = "Unreachable", 0


class Timeout(BackendError):
    """A wait ran out of time (`timed out waiting for the condition`)."""

    reason, code = "Timeout", 0


class BackendUnavailable(HooklintError):
    """The backend cannot be used at all (unknown name, missing optional package): a usage error."""

    exit_code = 2


@dataclass(frozen=True)
class WatchEvent:
    """One watch event: ADDED / MODIFIED / DELETED with the object's state at that time."""

    type: str
    object: dict[str, Any]


def resource_plural(kind: str) -> str:
    """The API's lower-case plural (`configmaps`, `jobs`, `ingresses`, `networkpolicies`), as used in
    error messages such as `configmaps "x" already exists`."""
    lower = kind.lower()
    if lower.endswith("s"):
        return lower + "es"
    if lower.endswith("y") and lower[-2:-1] not in ("a", "e", "i", "o", "u"):
        return lower[:-1] + "ies"
    return lower + "s"


def qualified_resource(api_version: str, kind: str) -> str:
    """`configmaps`, `jobs.batch`, `widgets.example.com`: the resource name in API errors."""
    group = api_version.rsplit("/", 1)[0] if "/" in api_version else ""
    plural = resource_plural(kind)
    return f"{plural}.{group}" if group else plural


def ref_of(obj: dict[str, Any], default_namespace: str | None = None) -> ObjectRef:
    meta = obj.get("metadata") or {}
    ns = meta.get("namespace") or default_namespace
    return ObjectRef(str(obj.get("apiVersion", "")), str(obj.get("kind", "")), str(meta.get("name", "")), ns)


def describe(ref: ObjectRef) -> str:
    where = f"{ref.namespace}/" if ref.namespace else ""
    return f"{ref.kind} {where}{ref.name}"


@runtime_checkable
class Backend(Protocol):
    """What a cluster backend implements. Entry points of the `hooklint.backends` group name a
    class whose constructor takes keyword options (`BackendOptions.as_kwargs()`)."""

    name: str

    def now(self) -> datetime:
        """The backend's clock (UTC)."""
        ...

    def create(self, obj: dict[str, Any], *, field_manager: str | None = FIELD_MANAGER) -> dict[str, Any]:
        """POST (`field_manager` None: no fieldManager parameter). Raises AlreadyExists when the name is taken, Invalid/BadRequest when the API
        rejects it."""
        ...

    def apply(
        self, obj: dict[str, Any], *, field_manager: str = FIELD_MANAGER, force: bool = False
    ) -> dict[str, Any]:
        """Server-side apply (PATCH application/apply-patch+yaml): create or update in place."""
        ...

    def update(
        self,
        obj: dict[str, Any],
        *,
        field_manager: str | None = FIELD_MANAGER,
        field_validation: str | None = None,
    ) -> dict[str, Any]:
        """PUT the whole object (NotFound when it does not exist; Conflict on a stale
        metadata.resourceVersion)."""
        ...

    def get(self, ref: ObjectRef) -> dict[str, Any]:
        """GET. Raises NotFound."""
        ...

    def list(
        self, api_version: str, kind: str, namespace: str | None, labels: dict[str, str]
    ) -> list[dict[str, Any]]:
        """LIST objects of a kind carrying all of `labels`, sorted by name."""
        ...

    def patch(
        self, ref: ObjectRef, patch: Any, patch_type: str, *, field_manager: str | None = FIELD_MANAGER
    ) -> dict[str, Any]:
        """PATCH with `patch_type` (application/strategic-merge-patch+json, merge-patch+json or
        json-patch+json). Raises NotFound, Invalid."""
        ...

    def delete(self, ref: ObjectRef, *, propagation: str | None = "Background") -> None:
        """DELETE with a propagation policy (None: empty DeleteOptions). Raises NotFound."""
        ...

    def wait_deleted(self, ref: ObjectRef, timeout: float | None) -> None:
        """Return once the object is gone. Raises Timeout."""
        ...

    def watch(self, ref: ObjectRef, timeout: float | None) -> Iterator[WatchEvent]:
        """The object's current state (ADDED), then every change, until the caller stops.
        Raises Timeout when nothing conclusive happens in time (the caller decides what is)."""
        ...

    def close(self) -> None: ...

    # Optional (looked up with getattr, so older third-party backends keep working):
    #   def pod_logs(self, ref: ObjectRef) -> str
    # GET pods/<name>/log for `helm test --logs`; raises NotFound when the Pod does not exist.

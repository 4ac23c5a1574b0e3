"""An in-process fake Kubernetes API server for the kubernetes backend's tests.

`http.server` in a thread, bound to 127.0.0.1 on an ephemeral port (never anything else). It
serves the API subset the backend uses, with the API server's status codes and `Status` bodies:

- discovery: `/version`, `/api`, `/apis`, `/api/v1`, `/apis/<group>/<version>`; a created
  CustomResourceDefinition adds its kind to discovery;
- create (POST), get, list (`labelSelector`, `fieldSelector=metadata.name=...`), watch
  (`watch=true`: a chunked stream of JSON events, `resourceVersion`, `timeoutSeconds`), update
  (PUT, optimistic concurrency on `metadata.resourceVersion`), patch (strategic merge patch for
  built-in kinds, JSON merge patch, the JSON patch of managedFields Helm 4 sends; server-side
  apply `application/apply-patch+yaml` upserts with field ownership and 409 conflicts unless
  `force=true`, see fake_fields.py), delete (the object disappears, or after `finalizer_delay`
  seconds for names listed there); a write that changes nothing keeps the resourceVersion;
- managedFields per manager and operation (fieldsV1), `scale()` for `kubectl scale` drift;
  `strict_namespaces=True` refuses namespaced objects in a namespace that does not exist;
- the API server's own rejections (`hooklint.backends.apimodel`) and `AlreadyExists`,
  `NotFound`, `Conflict`;
- controllers: Jobs and Pods get their status shortly after creation, decided by name like the
  server that recorded the Helm traces: `fail` in the name -> Failed, `hang` -> never finishes,
  else success (`status_delay` seconds later, as a MODIFIED event);
- RBAC denials injected with `deny(verb, resource, namespace=None)` -> 403 with the API
  server's message;
- `requests` logs every request (`VERB /path?query`), `writes` every write as it arrived
  (method, path, query, Content-Type, User-Agent, body, response code).

Use it as a context manager (`with FakeAPIServer() as api: ...`) so every test stops it.
"""

from __future__ import annotations

import copy
import json
import socket
import threading
import time
from collections.abc import Iterator
from datetime import datetime, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

import yaml
from fake_fields import ApplyConflict, Owner, Ownership, leaf_paths

from hooklint.backends.apimodel import BUILTIN_GROUPS, synthesized_status, validate
from hooklint.backends.base import BackendError
from hooklint.backends.patches import (
    JSON_PATCH,
    MERGE,
    STRATEGIC,
    PatchError,
    apply_merge_patch,
    apply_strategic,
)
from hooklint.model import ObjectRef

HOST = "127.0.0.1"
TOKEN = "hooklint-fake-token"

# (group, version, plural, kind, namespaced)
BUILTIN_RESOURCES: list[tuple[str, str, str, str, bool]] = [
    ("", "v1", "configmaps", "ConfigMap", True),
    ("", "v1", "secrets", "Secret", True),
    ("", "v1", "pods", "Pod", True),
    ("", "v1", "services", "Service", True),
    ("", "v1", "serviceaccounts", "ServiceAccount", True),
    ("", "v1", "persistentvolumeclaims", "PersistentVolumeClaim", True),
    ("", "v1", "namespaces", "Namespace", False),
    ("apps", "v1", "deployments", "Deployment", True),
    ("apps", "v1", "statefulsets", "StatefulSet", True),
    ("apps", "v1", "daemonsets", "DaemonSet", True),
    ("apps", "v1", "replicasets", "ReplicaSet", True),
    ("batch", "v1", "jobs", "Job", True),
    ("batch", "v1", "cronjobs", "CronJob", True),
    ("rbac.authorization.k8s.io", "v1", "roles", "Role", True),
    ("rbac.authorization.k8s.io", "v1", "rolebindings", "RoleBinding", True),
    ("rbac.authorization.k8s.io", "v1", "clusterroles", "ClusterRole", False),
    ("rbac.authorization.k8s.io", "v1", "clusterrolebindings", "ClusterRoleBinding", False),
    ("networking.k8s.io", "v1", "ingresses", "Ingress", True),
    ("networking.k8s.io", "v1", "networkpolicies", "NetworkPolicy", True),
    ("policy", "v1", "poddisruptionbudgets", "PodDisruptionBudget", True),
    ("apiextensions.k8s.io", "v1", "customresourcedefinitions", "CustomResourceDefinition", False),
    (
        "admissionregistration.k8s.io",
        "v1",
        "validatingwebhookconfigurations",
        "ValidatingWebhookConfiguration",
        False,
    ),
    (
        "admissionregistration.k8s.io",
        "v1",
        "mutatingwebhookconfigurations",
        "MutatingWebhookConfiguration",
        False,
    ),
    ("scheduling.k8s.io", "v1", "priorityclasses", "PriorityClass", False),
    ("storage.k8s.io", "v1", "storageclasses", "StorageClass", False),
]
VERBS = ["create", "delete", "get", "list", "patch", "update", "watch"]


class ApiFailure(Exception):
    """An API error answer: HTTP code and Status body."""

    def __init__(self, code: int, reason: str, message: str, details: dict[str, Any] | None = None) -> None:
        super().__init__(message)
        self.status = {
            "kind": "Status",
            "apiVersion": "v1",
            "metadata": {},
            "status": "Failure",
            "message": message,
            "reason": reason,
            "details": details or {},
            "code": code,
        }
        self.code = code


def outcome_by_name(name: str) -> str:
    """The trace recorder's rule: `fail` in a name fails, `hang` never finishes."""
    if "fail" in name:
        return "fail"
    if "hang" in name:
        return "hang"
    return "succeed"


merge_patch = apply_merge_patch


class Resource:
    def __init__(self, group: str, version: str, plural: str, kind: str, namespaced: bool) -> None:
        self.group, self.version, self.plural, self.kind, self.namespaced = (
            group,
            version,
            plural,
            kind,
            namespaced,
        )

    @property
    def group_version(self) -> str:
        return f"{self.group}/{self.version}" if self.group else self.version

    @property
    def qualified(self) -> str:
        """schema.GroupResource.String(): `configmaps`, `jobs.batch`."""
        return f"{self.plural}.{self.group}" if self.group else self.plural

    def api_resource(self) -> dict[str, Any]:
        return {
            "name": self.plural,
            "singularName": self.kind.lower(),
            "namespaced": self.namespaced,
            "kind": self.kind,
            "verbs": VERBS,
        }


class FakeCluster:
    """The API server's state; every access holds `cond`."""

    def __init__(self, status_delay: float) -> None:
        self.cond = threading.Condition()
        self.resources: dict[str, dict[str, Resource]] = {}
        for spec in BUILTIN_RESOURCES:
            self.add_resource(Resource(*spec))
        self.objects: dict[tuple[str, str, str, str], dict[str, Any]] = {}
        # managedFields: who owns which fields of each object, and when each owner last wrote
        self.fields: dict[tuple[str, str, str, str], Ownership] = {}
        self.field_times: dict[tuple[str, str, str, str], dict[Owner, str]] = {}
        self.events: list[tuple[int, tuple[str, str, str, str], str, dict[str, Any]]] = []
        self.rv = 100
        self.denials: list[tuple[str, str, str | None]] = []
        self.user = "hooklint-tester"
        self.status_delay = status_delay
        self.finalizer_delay: dict[str, float] = {}
        self.timers: list[threading.Timer] = []
        self.stopping = False

    def add_resource(self, res: Resource) -> None:
        self.resources.setdefault(res.group_version, {})[res.plural] = res

    def now(self) -> str:
        return datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")

    def bump(self, key: tuple[str, str, str, str], event: str, obj: dict[str, Any]) -> None:
        self.rv += 1
        obj.setdefault("metadata", {})["resourceVersion"] = str(self.rv)
        self.events.append((self.rv, key, event, copy.deepcopy(obj)))
        self.cond.notify_all()

    def later(self, delay: float, action: Any) -> None:
        def run() -> None:
            with self.cond:
                if not self.stopping:
                    action()

        if delay <= 0:
            action()
            return
        timer = threading.Timer(delay, run)
        timer.daemon = True
        self.timers.append(timer)
        timer.start()


class FakeAPIServer:
    def __init__(
        self, *, status_delay: float = 0.0, token: str = TOKEN, strict_namespaces: bool = False
    ) -> None:
        self.cluster = FakeCluster(status_delay)
        # strict: namespaced objects can only be created in `default` or a created Namespace
        self.strict_namespaces = strict_namespaces
        self.token = token
        self.requests: list[str] = []
        # every write as it reached the server: method, path, query, Content-Type, body, code
        self.writes: list[dict[str, Any]] = []
        self._connections: set[socket.socket] = set()
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    # -- lifecycle -------------------------------------------------------------------------------

    def start(self) -> FakeAPIServer:
        handler = _handler_for(self)
        server = ThreadingHTTPServer((HOST, 0), handler)
        server.daemon_threads = True
        self._server = server
        self._thread = threading.Thread(
            target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        with self.cluster.cond:
            self.cluster.stopping = True
            self.cluster.cond.notify_all()
            for timer in self.cluster.timers:
                timer.cancel()
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
        for conn in list(self._connections):
            try:
                conn.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
        if self._thread is not None:
            self._thread.join(timeout=5)
        self._server = None

    def __enter__(self) -> FakeAPIServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def url(self) -> str:
        assert self._server is not None, "the fake API server is not running"
        return f"http://{HOST}:{self._server.server_address[1]}"

    def kubeconfig(self, path: Path, *, context: str = "fake", namespace: str = "default") -> Path:
        return write_kubeconfig(path, self.url, self.token, context=context, namespace=namespace)

    # -- test controls ---------------------------------------------------------------------------

    def deny(self, verb: str, resource: str, namespace: str | None = None) -> None:
        """RBAC: refuse `verb` on `resource` (plural, e.g. `configmaps`) in `namespace` (or any)."""
        with self.cluster.cond:
            self.cluster.denials.append((verb, resource, namespace))

    def serve(self, api_version: str, plural: str, kind: str, *, namespaced: bool = True) -> None:
        """Serve a custom kind, as if its CRD were installed and established."""
        group, _, version = api_version.rpartition("/")
        with self.cluster.cond:
            self.cluster.add_resource(Resource(group, version, plural, kind, namespaced))

    def linger(self, name: str, seconds: float) -> None:
        """Objects named `name` disappear `seconds` after their deletion (a finalizer's work)."""
        with self.cluster.cond:
            self.cluster.finalizer_delay[name] = seconds

    def objects(self) -> list[dict[str, Any]]:
        with self.cluster.cond:
            return [copy.deepcopy(o) for _, o in sorted(self.cluster.objects.items())]

    def object(self, kind: str, name: str, namespace: str | None = "default") -> dict[str, Any] | None:
        with self.cluster.cond:
            for (_, _, ns, n), obj in self.cluster.objects.items():
                if obj.get("kind") == kind and n == name and (ns or None) == namespace:
                    return copy.deepcopy(obj)
        return None

    def record_write(
        self, method: str, raw_path: str, headers: Any, body: bytes, code: int, answer: Any
    ) -> None:
        parts = urlsplit(raw_path)
        try:
            decoded = json.loads(body) if body else None
        except ValueError:
            decoded = body.decode("utf-8", "replace")
        write = {
            "method": method,
            "path": parts.path,
            "query": {k: v[-1] for k, v in parse_qs(parts.query, keep_blank_values=True).items()},
            "contentType": headers.get("Content-Type"),
            "userAgent": headers.get("User-Agent"),
            "body": decoded,
            "code": code,
        }
        if isinstance(answer, dict) and answer.get("kind") == "Status" and code >= 400:
            write["message"] = answer.get("message")
        with self.cluster.cond:
            self.writes.append(write)

    # -- the API ---------------------------------------------------------------------------------

    def handle(self, method: str, raw_path: str, headers: Any, body: bytes) -> tuple[int, Any]:
        """(code, JSON answer) or (200, iterator of watch lines)."""
        parts = urlsplit(raw_path)
        query = {k: v[-1] for k, v in parse_qs(parts.query, keep_blank_values=True).items()}
        self.requests.append(f"{method} {parts.path}" + (f"?{parts.query}" if parts.query else ""))
        if self.token and headers.get("Authorization") != f"Bearer {self.token}":
            raise ApiFailure(401, "Unauthorized", "Unauthorized")
        segments = [unquote(s) for s in parts.path.strip("/").split("/") if s]
        c = self.cluster
        with c.cond:
            discovery = self._discovery(segments)
            if discovery is not None:
                return 200, discovery
            if (
                method == "GET"
                and len(segments) == 7
                and segments[:3] == ["api", "v1", "namespaces"]
                and segments[4:5] == ["pods"]
                and segments[6] == "log"
            ):
                return 200, self._pod_log(segments[3], segments[5])
            res, namespace, name = self._route(segments)
            verb = self._verb(method, name, query)
            self._authorize(verb, res, namespace, name)
            if verb == "watch":
                return 200, self._watch(res, namespace, query)
            payload = self._decode(body, headers.get("Content-Type", "")) if body else None
            if verb == "get":
                return 200, self._get(res, namespace, name)
            if verb == "list":
                return 200, self._list(res, namespace, query)
            if verb == "create":
                return 201, self._create(res, namespace, payload, query, headers)
            if verb == "update":
                return 200, self._update(res, namespace, name, payload, query, headers)
            if verb == "patch":
                return self._patch(res, namespace, name, payload, query, headers)
            return 200, self._delete(res, namespace, name, payload, query)

    def _discovery(self, segments: list[str]) -> dict[str, Any] | None:
        c = self.cluster
        if segments == ["version"]:
            return {"major": "1", "minor": "31", "gitVersion": "v1.31.0", "platform": "linux/amd64"}
        if segments == ["api"]:
            return {"kind": "APIVersions", "versions": ["v1"]}
        if segments == ["apis"]:
            groups: dict[str, list[str]] = {}
            for group_version in c.resources:
                if "/" in group_version:
                    group, version = group_version.split("/", 1)
                    groups.setdefault(group, []).append(version)
            return {
                "kind": "APIGroupList",
                "apiVersion": "v1",
                "groups": [
                    {
                        "name": g,
                        "versions": [{"groupVersion": f"{g}/{v}", "version": v} for v in vs],
                        "preferredVersion": {"groupVersion": f"{g}/{vs[0]}", "version": vs[0]},
                    }
                    for g, vs in sorted(groups.items())
                ],
            }
        gv: str | None = None
        if len(segments) == 2 and segments[0] == "api":
            gv = segments[1]
        elif len(segments) == 3 and segments[0] == "apis":
            gv = f"{segments[1]}/{segments[2]}"
        if gv is None:
            return None
        if gv not in c.resources:
            raise ApiFailure(404, "NotFound", "the server could not find the requested resource")
        return {
            "kind": "APIResourceList",
            "apiVersion": "v1",
            "groupVersion": gv,
            "resources": [r.api_resource() for r in c.resources[gv].values()],
        }

    def _route(self, segments: list[str]) -> tuple[Resource, str | None, str | None]:
        not_found = ApiFailure(404, "NotFound", "the server could not find the requested resource")
        if segments[:1] == ["api"] and len(segments) >= 3:
            gv, rest = segments[1], segments[2:]
        elif segments[:1] == ["apis"] and len(segments) >= 4:
            gv, rest = f"{segments[1]}/{segments[2]}", segments[3:]
        else:
            raise not_found
        namespace = None
        if len(rest) >= 3 and rest[0] == "namespaces":
            namespace, rest = rest[1], rest[2:]
        if not rest or len(rest) > 2:
            raise not_found
        res = self.cluster.resources.get(gv, {}).get(rest[0])
        if res is None or (res.namespaced and namespace is None and len(rest) == 2):
            raise not_found
        return res, namespace, rest[1] if len(rest) == 2 else None

    @staticmethod
    def _verb(method: str, name: str | None, query: dict[str, str]) -> str:
        if method == "GET":
            if name is not None:
                return "get"
            return "watch" if query.get("watch") in ("true", "1") else "list"
        return {"POST": "create", "PUT": "update", "PATCH": "patch", "DELETE": "delete"}[method]

    def _authorize(self, verb: str, res: Resource, namespace: str | None, name: str | None) -> None:
        for d_verb, d_resource, d_ns in self.cluster.denials:
            if d_verb == verb and d_resource == res.plural and (d_ns is None or d_ns == namespace):
                user = self.cluster.user
                where = f"in the namespace {json.dumps(namespace)}" if namespace else "at the cluster scope"
                why = (
                    f'User "{user}" cannot {verb} resource "{res.plural}" in API group "{res.group}" {where}'
                )
                subject = f'{res.qualified} "{name}"' if name else res.qualified
                raise ApiFailure(
                    403,
                    "Forbidden",
                    f"{subject} is forbidden: {why}",
                    {"name": name or "", "group": res.group, "kind": res.plural},
                )

    @staticmethod
    def _decode(body: bytes, content_type: str) -> Any:
        try:
            if "yaml" in content_type:
                return yaml.safe_load(body.decode("utf-8"))
            return json.loads(body)
        except (ValueError, yaml.YAMLError) as e:
            raise ApiFailure(
                400, "BadRequest", f"the body of the request was in an unknown format: {e}"
            ) from None

    # -- verbs -----------------------------------------------------------------------------------

    def _key(self, res: Resource, namespace: str | None, name: str) -> tuple[str, str, str, str]:
        return (res.group, res.plural, (namespace or "") if res.namespaced else "", name)

    def _pod_log(self, namespace: str, name: str) -> Iterator[bytes]:
        """GET pods/<name>/log: one line naming the Pod and its phase (as text, chunked)."""
        pod = self.cluster.objects.get(("", "pods", namespace, name))
        if pod is None:
            raise self._not_found(self.cluster.resources["v1"]["pods"], name)
        phase = (pod.get("status") or {}).get("phase") or "Pending"
        return iter([f"fake apiserver: log of pod {name} (phase {phase})\n".encode()])

    def _not_found(self, res: Resource, name: str) -> ApiFailure:
        return ApiFailure(
            404,
            "NotFound",
            f'{res.qualified} "{name}" not found',
            {"name": name, "group": res.group, "kind": res.plural},
        )

    def _get(self, res: Resource, namespace: str | None, name: str | None) -> dict[str, Any]:
        assert name is not None
        obj = self.cluster.objects.get(self._key(res, namespace, name))
        if obj is None:
            raise self._not_found(res, name)
        return copy.deepcopy(obj)

    def _matching(
        self, res: Resource, namespace: str | None, query: dict[str, str]
    ) -> Iterator[dict[str, Any]]:
        labels = _selector(query.get("labelSelector", ""))
        fields = _selector(query.get("fieldSelector", ""))
        for (group, plural, ns, name), obj in sorted(self.cluster.objects.items()):
            if group != res.group or plural != res.plural:
                continue
            if res.namespaced and namespace is not None and ns != namespace:
                continue
            if _matches(obj, name, labels, fields):
                yield obj

    def _list(self, res: Resource, namespace: str | None, query: dict[str, str]) -> dict[str, Any]:
        items = []
        for obj in self._matching(res, namespace, query):
            item = copy.deepcopy(obj)
            item.pop("apiVersion", None)  # list items come without apiVersion/kind
            item.pop("kind", None)
            items.append(item)
        return {
            "kind": f"{res.kind}List",
            "apiVersion": res.group_version,
            "metadata": {"resourceVersion": str(self.cluster.rv)},
            "items": items,
        }

    def _admit(self, res: Resource, namespace: str | None, obj: Any, name: str | None) -> dict[str, Any]:
        if not isinstance(obj, dict):
            raise ApiFailure(400, "BadRequest", "the body of the request is not an object")
        obj = copy.deepcopy(obj)
        obj.setdefault("apiVersion", res.group_version)
        obj.setdefault("kind", res.kind)
        meta = obj.get("metadata")
        if isinstance(meta, dict):
            if name is not None and meta.get("name") not in (None, name):
                raise ApiFailure(
                    400, "BadRequest", "the name of the object does not match the name on the URL"
                )
            if name is not None:
                meta.setdefault("name", name)
            if res.namespaced:
                meta["namespace"] = namespace
            else:
                meta.pop("namespace", None)
        ref = ObjectRef(
            str(obj["apiVersion"]), str(obj["kind"]), str((meta or {}).get("name") or ""), namespace
        )
        try:
            validate(obj, ref)
        except BackendError as e:
            details: dict[str, Any] = {"name": ref.name, "group": res.group, "kind": ref.kind}
            raise ApiFailure(e.code, e.reason, e.message, details) from None
        return obj

    def _store_new(
        self, res: Resource, key: tuple[str, str, str, str], obj: dict[str, Any], manager: str, op: str
    ) -> dict[str, Any]:
        c = self.cluster
        meta = obj["metadata"]
        meta["uid"] = f"00000000-0000-4000-8000-{c.rv + 1:012d}"
        meta["creationTimestamp"] = c.now()
        obj.pop("status", None)
        meta.pop("managedFields", None)
        owner: Owner = (manager, op, res.group_version, "")
        ownership = Ownership()
        ownership.update(owner, {}, leaf_paths(obj, res.kind, res.group in BUILTIN_GROUPS))
        c.fields[key], c.field_times[key] = ownership, {owner: c.now()}
        meta["managedFields"] = ownership.entries(c.field_times[key])
        if res.kind == "Service" and res.group == "":
            spec = obj.setdefault("spec", {})
            if spec.get("type") != "ExternalName" and not spec.get("clusterIP"):
                spec["clusterIP"] = f"10.96.0.{c.rv % 250 + 2}"
        if res.kind == "CustomResourceDefinition":
            self._serve_crd(obj)
        c.objects[key] = obj
        c.bump(key, "ADDED", obj)
        self._controllers(res, key)
        return copy.deepcopy(obj)

    def _controllers(self, res: Resource, key: tuple[str, str, str, str]) -> None:
        """What the Job controller, kubelet and others would do with a new object."""
        c = self.cluster
        obj = c.objects[key]
        ref = ObjectRef(str(obj["apiVersion"]), str(obj["kind"]), key[3], key[2] or None)
        status = synthesized_status(obj, ref, outcome_by_name(ref.name), c.now())
        if status is None:
            return

        def act() -> None:
            current = c.objects.get(key)
            if current is None or current["metadata"].get("uid") != obj["metadata"].get("uid"):
                return
            current["status"] = status
            c.bump(key, "MODIFIED", current)

        c.later(c.status_delay, act)

    def _serve_crd(self, crd: dict[str, Any]) -> None:
        spec = crd.get("spec") or {}
        names = spec.get("names") or {}
        for version in spec.get("versions") or []:
            if isinstance(version, dict) and version.get("served", True) and names.get("plural"):
                self.cluster.add_resource(
                    Resource(
                        str(spec.get("group", "")),
                        str(version.get("name")),
                        str(names["plural"]),
                        str(names.get("kind", "")),
                        spec.get("scope", "Namespaced") == "Namespaced",
                    )
                )

    def _namespace_exists(self, res: Resource, namespace: str | None) -> None:
        if not self.strict_namespaces or not res.namespaced or namespace in (None, "default"):
            return
        if ("", "namespaces", "", namespace) not in self.cluster.objects:
            raise ApiFailure(
                404,
                "NotFound",
                f'namespaces "{namespace}" not found',
                {"name": namespace, "kind": "namespaces"},
            )

    def _create(
        self, res: Resource, namespace: str | None, payload: Any, query: dict[str, str], headers: Any
    ) -> dict[str, Any]:
        self._namespace_exists(res, namespace)
        obj = self._admit(res, namespace, payload, None)
        name = str(obj["metadata"]["name"])
        key = self._key(res, namespace, name)
        if key in self.cluster.objects:
            raise ApiFailure(
                409, "AlreadyExists", f'{res.qualified} "{name}" already exists',
                {"name": name, "group": res.group, "kind": res.plural},
            )  # fmt: skip
        return self._store_new(res, key, obj, _manager(query, headers), "Update")

    def _update(
        self,
        res: Resource,
        namespace: str | None,
        name: str | None,
        payload: Any,
        query: dict[str, str],
        headers: Any,
    ) -> dict[str, Any]:
        assert name is not None
        key = self._key(res, namespace, name)
        current = self.cluster.objects.get(key)
        if current is None:
            raise self._not_found(res, name)
        obj = self._admit(res, namespace, payload, name)
        wanted = obj["metadata"].get("resourceVersion")
        if wanted and wanted != current["metadata"]["resourceVersion"]:
            raise ApiFailure(
                409,
                "Conflict",
                f'Operation cannot be fulfilled on {res.qualified} "{name}": the object has been modified; '
                "please apply your changes to the latest version and try again",
                {"name": name, "group": res.group, "kind": res.plural},
            )
        return self._replace(res, key, current, obj, _manager(query, headers), "Update")

    def _replace(
        self,
        res: Resource,
        key: tuple[str, str, str, str],
        current: dict[str, Any],
        obj: dict[str, Any],
        manager: str,
        op: str,
        subresource: str = "",
    ) -> dict[str, Any]:
        meta = obj["metadata"]
        for field in ("uid", "creationTimestamp", "deletionTimestamp"):
            if field in current["metadata"]:
                meta[field] = current["metadata"][field]
        builtin = res.group in BUILTIN_GROUPS
        ownership = self.cluster.fields.setdefault(key, Ownership())
        owner: Owner = (manager, op, res.group_version, subresource)
        if op == "Update":
            ownership.update(
                owner, leaf_paths(current, res.kind, builtin), leaf_paths(obj, res.kind, builtin)
            )
        times = self.cluster.field_times.setdefault(key, {})
        times[owner] = self.cluster.now()
        meta.pop("managedFields", None)
        meta["managedFields"] = ownership.entries(times)
        if _same(current, obj):  # a no-op write: the object and its resourceVersion stay
            return copy.deepcopy(current)
        if "status" in current:
            obj["status"] = current["status"]  # the main resource endpoint does not change status
        self.cluster.objects[key] = obj
        self.cluster.bump(key, "MODIFIED", obj)
        return copy.deepcopy(obj)

    def _patch(
        self,
        res: Resource,
        namespace: str | None,
        name: str | None,
        payload: Any,
        query: dict[str, str],
        headers: Any,
    ) -> tuple[int, dict[str, Any]]:
        content_type = str(headers.get("Content-Type", "")).split(";")[0]
        assert name is not None
        key = self._key(res, namespace, name)
        current = self.cluster.objects.get(key)
        manager = _manager(query, headers)
        if content_type.startswith("application/apply-patch"):
            return self._apply(res, namespace, name, key, current, payload, manager, query)
        if current is None:
            raise self._not_found(res, name)
        try:
            if content_type == STRATEGIC:
                if res.group not in BUILTIN_GROUPS:
                    raise ApiFailure(
                        415,
                        "UnsupportedMediaType",
                        "the body of the request was in an unknown format - accepted media types include: "
                        "application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml",
                    )
                merged = apply_strategic(_bare(current), _object(payload), res.kind)
            elif content_type == MERGE:
                merged = apply_merge_patch(_bare(current), _object(payload))
            elif content_type == JSON_PATCH:
                return 200, self._json_patch(res, key, current, payload, manager)
            else:
                raise ApiFailure(415, "UnsupportedMediaType", f"unsupported patch type {content_type!r}")
        except PatchError as e:
            raise ApiFailure(422, "Invalid", str(e)) from None
        merged["metadata"]["resourceVersion"] = current["metadata"]["resourceVersion"]
        obj = self._admit(res, namespace, merged, name)
        return 200, self._replace(res, key, current, obj, manager, "Update")

    def _apply(
        self,
        res: Resource,
        namespace: str | None,
        name: str,
        key: tuple[str, str, str, str],
        current: dict[str, Any] | None,
        payload: Any,
        manager: str,
        query: dict[str, str],
    ) -> tuple[int, dict[str, Any]]:
        """Server-side apply: create, or merge the configuration into the object with field
        ownership (409 on another manager's field with a different value unless force=true)."""
        if not query.get("fieldManager"):
            raise ApiFailure(
                422, "Invalid", "PatchOptions.meta.k8s.io \"\" is invalid: fieldManager: Required value: "
                "is required for apply patch",
            )  # fmt: skip
        config = self._admit(res, namespace, payload, name)
        if current is None:
            self._namespace_exists(res, namespace)
            c = self.cluster
            obj = config
            owner: Owner = (manager, "Apply", res.group_version, "")
            stored = self._store_new(res, key, obj, manager, "Apply")
            ownership = Ownership()
            ownership.owners[owner] = set(leaf_paths(config, res.kind, res.group in BUILTIN_GROUPS))
            c.fields[key] = ownership
            c.objects[key]["metadata"]["managedFields"] = ownership.entries(c.field_times[key])
            stored["metadata"]["managedFields"] = c.objects[key]["metadata"]["managedFields"]
            return 201, stored
        ownership = self.cluster.fields.setdefault(key, Ownership())
        try:
            result = ownership.apply(
                (manager, "Apply", res.group_version, ""),
                _bare(current),
                config,
                res.kind,
                res.group in BUILTIN_GROUPS,
                query.get("force") == "true",
            )
        except ApplyConflict as e:
            causes = [
                {
                    "type": "FieldManagerConflict",
                    "message": f"conflict with {json.dumps(o[0])}",
                    "field": str(p),
                }
                for o, p in e.conflicts
            ]
            raise ApiFailure(409, "Conflict", e.message, {"causes": causes}) from None
        result["metadata"]["resourceVersion"] = current["metadata"]["resourceVersion"]
        obj = self._admit(res, namespace, result, name)
        return 200, self._replace(res, key, current, obj, manager, "Apply")

    def _json_patch(
        self, res: Resource, key: tuple[str, str, str, str], current: dict[str, Any], ops: Any, manager: str
    ) -> dict[str, Any]:
        """RFC 6902, as far as Helm uses it: `replace` of /metadata/managedFields (csaupgrade) and
        of /metadata/resourceVersion (a precondition: it must equal the stored one)."""
        if not isinstance(ops, list):
            raise ApiFailure(400, "BadRequest", "json patch must be a list of operations")
        ownership = self.cluster.fields.setdefault(key, Ownership())
        for op in ops:
            if not isinstance(op, dict) or op.get("op") not in ("replace", "add", "test"):
                raise ApiFailure(422, "Invalid", f"unsupported json patch operation {op!r}")
            if op.get("path") == "/metadata/resourceVersion":
                if op.get("value") != current["metadata"]["resourceVersion"]:
                    raise ApiFailure(
                        409,
                        "Conflict",
                        "the object has been modified; please apply your changes to the latest version and try again",
                    )
            elif op.get("path") == "/metadata/managedFields":
                ownership.owners = {
                    (
                        m["manager"],
                        m["operation"],
                        m.get("apiVersion", ""),
                        m.get("subresource", ""),
                    ): _paths_of(m.get("fieldsV1") or {})
                    for m in op.get("value") or []
                }
            else:
                raise ApiFailure(422, "Invalid", f"unsupported json patch path {op.get('path')!r}")
        times = self.cluster.field_times.setdefault(key, {})
        current["metadata"]["managedFields"] = ownership.entries(times)
        self.cluster.bump(key, "MODIFIED", current)
        return copy.deepcopy(current)

    def scale(self, kind: str, name: str, replicas: int, namespace: str = "default") -> None:
        """`kubectl scale`: a merge patch of the scale subresource (manager kubectl, Update)."""
        with self.cluster.cond:
            for key, obj in self.cluster.objects.items():
                if obj.get("kind") == kind and key[3] == name and key[2] == namespace:
                    res = self.cluster.resources[obj["apiVersion"]][key[1]]
                    new = copy.deepcopy(obj)
                    new.setdefault("spec", {})["replicas"] = replicas
                    self._replace(res, key, obj, new, "kubectl", "Update", "scale")
                    return
        raise KeyError(name)

    def _delete(
        self, res: Resource, namespace: str | None, name: str | None, payload: Any, query: dict[str, str]
    ) -> dict[str, Any]:
        assert name is not None
        c = self.cluster
        key = self._key(res, namespace, name)
        options = payload if isinstance(payload, dict) else {}
        policy = options.get("propagationPolicy") or query.get("propagationPolicy") or "Background"
        self.requests[-1] += f" propagationPolicy={policy}"
        current = c.objects.get(key)
        if current is None:
            raise self._not_found(res, name)
        uid = current["metadata"]["uid"]

        def remove() -> None:
            gone = c.objects.get(key)
            if gone is not None and gone["metadata"]["uid"] == uid:
                del c.objects[key]
                c.bump(key, "DELETED", gone)

        linger = c.finalizer_delay.get(name, 0.0)
        if linger > 0:
            current["metadata"]["deletionTimestamp"] = c.now()
            c.bump(key, "MODIFIED", current)
            c.later(linger, remove)
        else:
            remove()
        return {
            "kind": "Status",
            "apiVersion": "v1",
            "metadata": {},
            "status": "Success",
            "details": {"name": name, "group": res.group, "kind": res.plural, "uid": uid},
        }

    def _watch(self, res: Resource, namespace: str | None, query: dict[str, str]) -> Iterator[bytes]:
        """Lines of the watch stream (computed while streaming; see _handler_for)."""
        c = self.cluster
        timeout = float(query.get("timeoutSeconds") or 1800)
        since = int(query.get("resourceVersion") or 0)
        labels = _selector(query.get("labelSelector", ""))
        fields = _selector(query.get("fieldSelector", ""))
        initial = []
        if not since:  # no resourceVersion: the current objects first, as ADDED
            initial = [copy.deepcopy(o) for o in self._matching(res, namespace, query)]
            since = c.rv

        def lines() -> Iterator[bytes]:
            nonlocal since
            deadline = time.monotonic() + timeout
            for obj in initial:
                yield _event_line("ADDED", obj)
            while True:
                with c.cond:
                    batch = []
                    for rv, (group, plural, ns, name), event, obj in c.events:
                        if rv <= since or group != res.group or plural != res.plural:
                            continue
                        if res.namespaced and namespace is not None and ns != namespace:
                            continue
                        if _matches(obj, name, labels, fields):
                            batch.append((event, obj))
                    since = c.rv
                    if not batch:
                        remaining = deadline - time.monotonic()
                        if remaining <= 0 or c.stopping:
                            return
                        c.cond.wait(min(remaining, 0.5))
                        continue
                for event, obj in batch:
                    yield _event_line(event, obj)

        return lines()


def write_kubeconfig(
    path: Path, server: str, token: str, *, context: str = "fake", namespace: str = "default"
) -> Path:
    """A kubeconfig for `server` with a bearer token."""
    config = {
        "apiVersion": "v1",
        "kind": "Config",
        "clusters": [{"name": "fake", "cluster": {"server": server}}],
        "users": [{"name": "tester", "user": {"token": token}}],
        "contexts": [
            {"name": context, "context": {"cluster": "fake", "user": "tester", "namespace": namespace}}
        ],
        "current-context": context,
    }
    path.write_text(yaml.safe_dump(config), encoding="utf-8")
    return path


def _event_line(event: str, obj: dict[str, Any]) -> bytes:
    return (json.dumps({"type": event, "object": obj}) + "\n").encode("utf-8")


def _manager(query: dict[str, str], headers: Any) -> str:
    """The field manager: the fieldManager parameter, else the user agent's first word."""
    if query.get("fieldManager"):
        return query["fieldManager"]
    return str(headers.get("User-Agent") or "unknown").split("/", 1)[0]


def _bare(obj: dict[str, Any]) -> dict[str, Any]:
    """The object without server bookkeeping (status, managedFields), as patches apply to it."""
    out = copy.deepcopy(obj)
    out.pop("status", None)
    (out.get("metadata") or {}).pop("managedFields", None)
    return out


def _object(payload: Any) -> dict[str, Any]:
    if not isinstance(payload, dict):
        raise ApiFailure(400, "BadRequest", "the patch is not a JSON object")
    return payload


def _same(a: dict[str, Any], b: dict[str, Any]) -> bool:
    def strip(o: dict[str, Any]) -> dict[str, Any]:
        o = _bare(o)
        o["metadata"].pop("resourceVersion", None)
        return o

    return strip(a) == strip(b)


def _paths_of(fields: dict[str, Any], prefix: tuple[Any, ...] = ()) -> set[Any]:
    """FieldsV1 back to leaf paths (the inverse of fake_fields.fields_v1)."""
    out: set[Any] = set()
    for name, sub in fields.items():
        step = (".", None) if name == "." else tuple(name.split(":", 1))
        path = (*prefix, step)
        if sub:
            out |= _paths_of(sub, path)
        else:
            out.add(path)
    return out


def _selector(text: str) -> dict[str, str]:
    out = {}
    for term in filter(None, (t.strip() for t in text.split(","))):
        key, _, value = term.partition("=")
        out[key.strip()] = value.lstrip("=").strip()
    return out


def _matches(obj: dict[str, Any], name: str, labels: dict[str, str], fields: dict[str, str]) -> bool:
    meta = obj.get("metadata") or {}
    have = meta.get("labels") or {}
    if any(have.get(k) != v for k, v in labels.items()):
        return False
    for key, value in fields.items():
        if key == "metadata.name" and value != name:
            return False
        if key == "metadata.namespace" and value != (meta.get("namespace") or ""):
            return False
    return True


def _handler_for(server: FakeAPIServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        timeout = 30

        def setup(self) -> None:
            super().setup()
            # Headers and body go out as separate writes: without this, Nagle's algorithm and
            # delayed ACKs cost 40 ms per request.
            self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            server._connections.add(self.connection)

        def finish(self) -> None:
            server._connections.discard(self.connection)
            try:
                super().finish()
            except OSError:
                pass

        def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - the base class's name
            pass  # quiet

        def _serve(self, method: str) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else b""
            try:
                code, answer = server.handle(method, self.path, self.headers, body)
            except ApiFailure as failure:
                code, answer = failure.code, failure.status
            except Exception as e:  # a bug in the fake: answer like an API server would
                code, answer = 500, ApiFailure(500, "InternalError", f"fake API server: {e!r}").status
            if method != "GET":
                server.record_write(method, self.path, self.headers, body, code, answer)
            if isinstance(answer, dict):
                data = json.dumps(answer).encode("utf-8")
                self.send_response(code)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)
                return
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Transfer-Encoding", "chunked")
            self.end_headers()
            try:
                for line in answer:
                    self.wfile.write(f"{len(line):x}\r\n".encode() + line + b"\r\n")
                    self.wfile.flush()
                self.wfile.write(b"0\r\n\r\n")
                self.wfile.flush()
            except OSError:
                self.close_connection = True

        def do_GET(self) -> None:  # noqa: N802 - http.server's naming
            self._serve("GET")

        def do_POST(self) -> None:  # noqa: N802
            self._serve("POST")

        def do_PUT(self) -> None:  # noqa: N802
            self._serve("PUT")

        def do_PATCH(self) -> None:  # noqa: N802
            self._serve("PATCH")

        def do_DELETE(self) -> None:  # noqa: N802
            self._serve("DELETE")

    return Handler

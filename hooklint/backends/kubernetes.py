"""`kubernetes`: execute plans against a real cluster through the official Python client.

Install with `pip install 'hooklint[kubernetes]'`. The cluster comes from `--kubeconfig`, else
`$KUBECONFIG`, else `~/.kube/config`, else the in-cluster service account; `--kube-context`
picks a kubeconfig context.

Every kind is reached through API discovery (`kube_discovery.py`), so custom resources work like
built-in ones. The requests are the ones Helm's kube client makes: POST to create, PATCH with a
strategic merge, JSON merge or JSON patch body (`patch`), PATCH with `application/apply-patch+yaml`
for server-side apply (`fieldValidation=Strict`, `force` always sent), PUT to replace, DELETE with
a DeleteOptions body naming the propagation policy, and list+watch with a `metadata.name` field
selector to follow one object (client-go's UntilWithSync). Bodies are JSON with sorted keys, as
encoding/json marshals Helm's unstructured objects; requests say `User-Agent: hooklint/VERSION`. API errors keep the API server's own
message (`configmaps "x" already exists`, `... is forbidden: User "u" cannot create resource
"configmaps" ...`) and become the Backend protocol's typed errors.
"""

from __future__ import annotations

import errno
import json
import math
import os
import time
from collections.abc import Generator, Iterator
from datetime import datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urlsplit

import yaml

from hooklint import __version__
from hooklint.backends.base import (
    FIELD_MANAGER,
    AlreadyExists,
    BackendError,
    BackendUnavailable,
    BadRequest,
    Conflict,
    Forbidden,
    Invalid,
    NotFound,
    Timeout,
    Unauthorized,
    Unreachable,
    WatchEvent,
    ref_of,
)
from hooklint.backends.kube_discovery import Discovery, ResourceMapping
from hooklint.backends.patches import JSON_PATCH
from hooklint.backends.release import NanoTime
from hooklint.model import ObjectRef

INSTALL_HINT = "pip install 'hooklint[kubernetes]'"
CONNECT_TIMEOUT = 10.0
REQUEST_TIMEOUT = 60.0
WATCH_WINDOW = 300  # seconds one watch request may stay open before it is re-opened
WAIT_TIMEOUT = "timed out waiting for the condition"  # wait.ErrWaitTimeout
USER_AGENT = f"hooklint/{__version__}"


def _client_modules() -> tuple[Any, Any]:
    """The official client, imported only when this backend is used."""
    try:
        from kubernetes import client, config
    except ImportError:
        raise BackendUnavailable(
            f"the kubernetes backend needs the official Kubernetes Python client: {INSTALL_HINT}"
        ) from None
    return client, config


def _kubeconfig_path(explicit: str | None) -> str | None:
    """--kubeconfig, else $KUBECONFIG (a path list), else ~/.kube/config when it exists."""
    if explicit:
        if not Path(explicit).is_file():
            raise BackendUnavailable(f"--kubeconfig {explicit}: no such file")
        return explicit
    env = os.environ.get("KUBECONFIG")
    if env:
        return env
    default = Path.home() / ".kube" / "config"
    return str(default) if default.is_file() else None


def _api_client(kubeconfig: str | None, kube_context: str | None) -> Any:
    client, config = _client_modules()
    configuration = client.Configuration()
    path = _kubeconfig_path(kubeconfig)
    try:
        if path is not None:
            config.load_kube_config(
                config_file=path,
                context=kube_context,
                client_configuration=configuration,
                persist_config=False,
            )
        elif os.environ.get("KUBERNETES_SERVICE_HOST"):
            if kube_context:
                raise BackendUnavailable("--kube-context needs a kubeconfig; none was found")
            config.load_incluster_config(client_configuration=configuration)
        else:
            raise BackendUnavailable(
                "no Kubernetes configuration: give --kubeconfig, set KUBECONFIG, create ~/.kube/config "
                "or run inside a cluster"
            )
    except config.ConfigException as e:
        raise BackendUnavailable(f"cannot load the Kubernetes configuration: {e}") from None
    except (ValueError, TypeError, AttributeError, KeyError, IndexError, yaml.YAMLError) as e:
        # the client's loader assumes a well-formed file: anything else is a broken kubeconfig
        raise BackendUnavailable(f"cannot load the Kubernetes configuration {path}: {e}") from None
    # One attempt per request: an unreachable cluster is reported at once, as kubectl/Helm do.
    configuration.retries = False
    return client.ApiClient(configuration=configuration)


def _go_url_error(method: str, url: str, reason: BaseException) -> str:
    """How Go's net/http words a failed request: `Get "https://h:6443/api": dial tcp h:6443: ...`."""
    verb = method[:1].upper() + method[1:].lower()
    inner: BaseException = reason
    while isinstance(getattr(inner, "reason", None), BaseException):
        inner = getattr(inner, "reason")  # noqa: B009 - urllib3 MaxRetryError -> NewConnectionError
    cause: BaseException | None = inner
    while cause is not None and not isinstance(cause, OSError):
        cause = cause.__cause__ or cause.__context__
    parts = urlsplit(url)
    port = parts.port or (443 if parts.scheme == "https" else 80)
    host = f"{parts.hostname}:{port}"
    if isinstance(cause, OSError) and cause.errno == errno.ECONNREFUSED:
        detail = f"dial tcp {host}: connect: connection refused"
    elif isinstance(cause, OSError) and cause.errno == errno.EHOSTUNREACH:
        detail = f"dial tcp {host}: connect: no route to host"
    else:
        detail = str(inner)
    return f'{verb} "{url}": {detail}'


def _status_error(code: int, body: str, fallback: str) -> BackendError:
    """An API Status body (`{"kind":"Status","message":...,"reason":...,"code":...}`) as a typed error."""
    message, reason = fallback, ""
    try:
        status = json.loads(body) if body else {}
    except ValueError:
        status = {}
    if isinstance(status, dict) and status.get("kind") == "Status":
        message = str(status.get("message") or fallback)
        reason = str(status.get("reason") or "")
    elif body and not isinstance(status, dict):
        message = body.strip() or fallback
    by_code: dict[int, type[BackendError]] = {
        400: BadRequest,
        401: Unauthorized,
        403: Forbidden,
        404: NotFound,
        422: Invalid,
    }
    if code == 409:
        return AlreadyExists(message) if reason == "AlreadyExists" else Conflict(message)
    error = by_code.get(code, BackendError)(message)
    if error.__class__ is BackendError:
        error.code, error.reason = code, reason or "InternalError"
    return error


class KubernetesBackend:
    """The Backend protocol over a real Kubernetes API server (see the module docstring)."""

    name = "kubernetes"

    def __init__(
        self,
        *,
        kubeconfig: str | None = None,
        kube_context: str | None = None,
        namespace: str = "default",
        **_: Any,
    ) -> None:
        self._client, _ = _client_modules()
        self.api = _api_client(kubeconfig, kube_context)
        self.host = str(self.api.configuration.host)
        self.default_namespace = namespace
        self.discovery = Discovery(self._get_json)
        self._reachable = False

    # -- transport ---------------------------------------------------------------------------------

    def _request(
        self,
        method: str,
        path: str,
        *,
        query: dict[str, str] | None = None,
        body: Any = None,
        content_type: str = "application/json",
        read_timeout: float = REQUEST_TIMEOUT,
        stream: bool = False,
    ) -> Any:
        """One API request. JSON answers are decoded; `stream` returns the open response."""
        if not self._reachable:
            # Helm's actions begin with KubeClient.IsReachable (GET /version): an unreachable
            # cluster is reported as `Kubernetes cluster unreachable: Get ".../version": ...`.
            self._reachable = True
            try:
                self._request("GET", "/version")
            except BackendError as e:
                if isinstance(e, Unreachable):
                    self._reachable = False
                    raise
        import urllib3

        # The client's urllib3 pool already carries the kubeconfig's TLS settings and client
        # certificates; requests go through it directly because ApiClient.call_api changed its
        # signature across client releases (31 vs 37), while the pool and auth_settings did not.
        url = self.host + path
        if query:
            url += "?" + urlencode(list(query.items()))
        # client-go sends `<binary>/<version>`; audit logs (and the field manager of requests
        # without a fieldManager parameter) name the writer by it.
        headers = {"Content-Type": content_type, "Accept": "application/json", "User-Agent": USER_AGENT}
        for setting in self.api.configuration.auth_settings().values():
            if setting.get("in") == "header" and setting.get("value"):
                headers[setting["key"]] = setting["value"]
        # encoding/json marshals maps with sorted keys: the wire body is the same bytes Helm sends
        payload = (
            None
            if body is None
            else body
            if isinstance(body, (str, bytes))
            else json.dumps(body, sort_keys=True, separators=(",", ":"))
        )
        try:
            response = self.api.rest_client.pool_manager.request(
                method,
                url,
                headers=headers,
                body=payload,
                preload_content=False,
                timeout=urllib3.Timeout(connect=CONNECT_TIMEOUT, read=read_timeout),
                retries=False,
            )
        except urllib3.exceptions.ReadTimeoutError:
            raise Timeout(f'{method.capitalize()} "{url}": context deadline exceeded') from None
        except urllib3.exceptions.SSLError as e:
            raise Unreachable(f"Kubernetes cluster unreachable: {_go_url_error(method, url, e)}") from None
        except (urllib3.exceptions.HTTPError, OSError) as e:
            raise Unreachable(f"Kubernetes cluster unreachable: {_go_url_error(method, url, e)}") from None
        if not 200 <= response.status < 300:
            try:
                body_text = response.data.decode("utf-8", "replace")
            finally:
                response.release_conn()
            raise _status_error(
                int(response.status),
                body_text,
                f"the server responded with {response.status} {response.reason}",
            )
        if stream:
            return response
        try:
            data = response.data
        finally:
            response.release_conn()
        if not data:
            return {}
        try:
            return json.loads(data)
        except ValueError:
            raise BackendError(f"the API server answered {path} with something that is not JSON") from None

    def _get_json(self, path: str) -> dict[str, Any]:
        value = self._request("GET", path)
        return value if isinstance(value, dict) else {}

    # -- objects and where they live ---------------------------------------------------------------

    def _locate(
        self, api_version: str, kind: str, namespace: str | None
    ) -> tuple[ResourceMapping, str | None]:
        mapping = self.discovery.mapping(api_version, kind)
        return mapping, (namespace or self.default_namespace) if mapping.namespaced else None

    def _ref_path(self, ref: ObjectRef, *, named: bool = True) -> str:
        mapping, namespace = self._locate(ref.api_version, ref.kind, ref.namespace)
        return mapping.path(namespace, ref.name if named else None)

    def _object_path(self, obj: dict[str, Any], *, named: bool) -> tuple[str, dict[str, Any]]:
        ref = ref_of(obj)
        mapping, namespace = self._locate(ref.api_version, ref.kind, ref.namespace)
        body = dict(obj)
        meta = dict(body.get("metadata") or {})
        if namespace is not None:
            meta["namespace"] = namespace
        else:
            meta.pop("namespace", None)
        body["metadata"] = meta
        return mapping.path(namespace, ref.name if named else None), body

    # -- the Backend protocol ----------------------------------------------------------------------

    def now(self) -> datetime:
        """time.Now() to the nanosecond, as Helm stamps release times."""
        return NanoTime.from_ns(time.time_ns())

    @staticmethod
    def _write_query(field_manager: str | None, field_validation: str | None = None) -> dict[str, str]:
        """resource.Helper's parameters: fieldManager, then fieldValidation (Helm 4 sends Strict
        on server-side applies and replaces); release Secrets carry neither."""
        query = {"fieldManager": field_manager} if field_manager else {}
        if field_validation:
            query["fieldValidation"] = field_validation
        return query

    def create(self, obj: dict[str, Any], *, field_manager: str | None = FIELD_MANAGER) -> dict[str, Any]:
        path, body = self._object_path(obj, named=False)
        return self._request("POST", path, query=self._write_query(field_manager), body=body)  # type: ignore[no-any-return]

    def apply(
        self, obj: dict[str, Any], *, field_manager: str = FIELD_MANAGER, force: bool = False
    ) -> dict[str, Any]:
        """Helm 4's patchResourceServerSide: `force` is always sent (PatchOptions.Force is set)."""
        path, body = self._object_path(obj, named=True)
        query = self._write_query(field_manager, "Strict")
        query["force"] = "true" if force else "false"
        # JSON is YAML: the client sends the object as JSON text under the apply-patch media type.
        return self._request(  # type: ignore[no-any-return]
            "PATCH", path, query=query, body=body, content_type="application/apply-patch+yaml"
        )

    def patch(
        self, ref: ObjectRef, patch: Any, patch_type: str, *, field_manager: str | None = FIELD_MANAGER
    ) -> dict[str, Any]:
        """PATCH with a strategic merge, JSON merge or JSON patch body (`patch_type` is its media type)."""
        query = self._write_query(field_manager, "Strict" if patch_type == JSON_PATCH else None)
        return self._request(  # type: ignore[no-any-return]
            "PATCH", self._ref_path(ref), query=query, body=patch, content_type=patch_type
        )

    def update(
        self,
        obj: dict[str, Any],
        *,
        field_manager: str | None = FIELD_MANAGER,
        field_validation: str | None = None,
    ) -> dict[str, Any]:
        path, body = self._object_path(obj, named=True)
        query = self._write_query(field_manager, field_validation)
        return self._request("PUT", path, query=query, body=body)  # type: ignore[no-any-return]

    def get(self, ref: ObjectRef) -> dict[str, Any]:
        return self._get_json(self._ref_path(ref))

    def list(
        self, api_version: str, kind: str, namespace: str | None, labels: dict[str, str]
    ) -> list[dict[str, Any]]:
        mapping, ns = self._locate(api_version, kind, namespace)
        query = {"labelSelector": ",".join(f"{k}={v}" for k, v in sorted(labels.items()))} if labels else {}
        listing = self._request("GET", mapping.path(ns), query=query)
        items = []
        for item in listing.get("items") or []:
            # List items come without apiVersion/kind; callers expect whole objects.
            items.append({"apiVersion": mapping.group_version, "kind": kind, **item})
        return sorted(items, key=lambda o: str((o.get("metadata") or {}).get("name", "")))

    def delete(self, ref: ObjectRef, *, propagation: str | None = "Background") -> None:
        """DeleteOptions as client-go marshals them: only the fields set (Helm's release Secrets
        are deleted with empty options)."""
        options = {"propagationPolicy": propagation} if propagation else {}
        self._request("DELETE", self._ref_path(ref), body=options)

    def wait_deleted(self, ref: ObjectRef, timeout: float | None) -> None:
        try:
            self.get(ref)
        except NotFound:
            return
        for event in self.watch(ref, timeout):
            if event.type == "DELETED":
                return

    def pod_logs(self, ref: ObjectRef) -> str:
        """GET pods/<name>/log (client-go GetLogs with empty PodLogOptions: the default container),
        as `helm test --logs` reads it."""
        namespace = ref.namespace or self.default_namespace
        response = self._request("GET", f"/api/v1/namespaces/{namespace}/pods/{ref.name}/log", stream=True)
        try:
            data = response.data
        finally:
            response.release_conn()
        return bytes(data).decode("utf-8", "replace")

    def watch(self, ref: ObjectRef, timeout: float | None) -> Generator[WatchEvent, None, None]:
        """List the object (its current state is an ADDED event), then watch from that list's
        resourceVersion, re-opening the watch until the caller stops or `timeout` runs out."""
        deadline = None if timeout is None else time.monotonic() + timeout
        mapping, namespace = self._locate(ref.api_version, ref.kind, ref.namespace)
        selector = {"fieldSelector": f"metadata.name={ref.name}"}
        version = yield from self._initial_state(mapping, namespace, ref.kind, selector)
        while True:
            window, read_timeout = WATCH_WINDOW, WATCH_WINDOW + CONNECT_TIMEOUT
            if deadline is not None:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise Timeout(WAIT_TIMEOUT)
                # The server ends the watch after whole seconds; the socket read ends it on time.
                window = max(1, min(WATCH_WINDOW, math.ceil(remaining)))
                read_timeout = min(read_timeout, remaining + 0.05)
            query = {
                **selector,
                "watch": "true",
                "timeoutSeconds": str(window),
                "allowWatchBookmarks": "false",
            }
            if version:
                query["resourceVersion"] = version
            response = self._request(
                "GET",
                mapping.path(namespace),
                query=query,
                read_timeout=read_timeout,
                stream=True,
            )
            try:
                for event in self._events(response, deadline):
                    if event.type == "ERROR":
                        status = event.object
                        if int(status.get("code") or 0) == 410:  # too old: list again
                            version = yield from self._initial_state(mapping, namespace, ref.kind, selector)
                            break
                        raise _status_error(
                            int(status.get("code") or 500), json.dumps(status), "watch failed"
                        )
                    version = str((event.object.get("metadata") or {}).get("resourceVersion") or version)
                    yield event
            finally:
                response.close()
                response.release_conn()

    def _initial_state(
        self, mapping: ResourceMapping, namespace: str | None, kind: str, selector: dict[str, str]
    ) -> Generator[WatchEvent, None, str]:
        listing = self._request("GET", mapping.path(namespace), query=selector)
        for item in listing.get("items") or []:
            yield WatchEvent("ADDED", {"apiVersion": mapping.group_version, "kind": kind, **item})
        return str((listing.get("metadata") or {}).get("resourceVersion") or "")

    @staticmethod
    def _events(response: Any, deadline: float | None) -> Iterator[WatchEvent]:
        """Watch events from the chunked JSON stream, one JSON object per line."""
        import urllib3

        buffer = b""
        try:
            for chunk in response.stream(4096, decode_content=True):
                buffer += chunk
                while b"\n" in buffer:
                    line, buffer = buffer.split(b"\n", 1)
                    if line.strip():
                        data = json.loads(line)
                        yield WatchEvent(str(data.get("type", "")), data.get("object") or {})
                if deadline is not None and time.monotonic() >= deadline:
                    raise Timeout(WAIT_TIMEOUT)
        except (urllib3.exceptions.ReadTimeoutError, urllib3.exceptions.ProtocolError):
            if deadline is not None and time.monotonic() >= deadline:
                raise Timeout(WAIT_TIMEOUT) from None
            return  # the server ended the watch early; the caller re-opens it
        if buffer.strip():
            data = json.loads(buffer)
            yield WatchEvent(str(data.get("type", "")), data.get("object") or {})

    def close(self) -> None:
        self.api.close()

"""Helm's release record and its Secret storage format (Helm v3.17.1 `pkg/release`,
`pkg/storage/driver/{secrets,util}.go`), so `helm list/get/upgrade/rollback/uninstall` keep working
on a release hooklint executed.

A revision is stored as Secret `sh.helm.release.v1.<name>.v<revision>` of type
`helm.sh/release.v1` with labels `name`, `owner=helm`, `status`, `version`, and one data key
`release` = base64(gzip(json(Release))) - which the Secret's own data encoding base64s again.
"""

from __future__ import annotations

import base64
import gzip
import json
import re
import zlib
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any

from hooklint.backends.base import Backend, NotFound
from hooklint.documents.hooks import Classified, Hook, classify
from hooklint.documents.manifests import documents_from_helm_output, documents_from_rendered
from hooklint.model import Document, ObjectRef

SECRET_TYPE = "helm.sh/release.v1"
STATUSES = (
    "unknown", "deployed", "uninstalled", "superseded", "failed", "uninstalling",
    "pending-install", "pending-upgrade", "pending-rollback",
)  # fmt: skip
PENDING = ("pending-install", "pending-upgrade", "pending-rollback")


def secret_name(name: str, version: int) -> str:
    return f"sh.helm.release.v1.{name}.v{version}"


class NanoTime(datetime):
    """A datetime that keeps the nanoseconds Go's time.Time has (`nanos`: the part below a
    microsecond), so release times are stored to the nanosecond as Helm stores them and a time
    read back from a release Secret is written again unchanged."""

    nanos: int = 0

    @classmethod
    def of(cls, t: datetime, nanos: int) -> NanoTime:
        out = cls(t.year, t.month, t.day, t.hour, t.minute, t.second, t.microsecond, t.tzinfo)
        out.nanos = nanos
        return out

    @classmethod
    def from_ns(cls, ns: int) -> NanoTime:
        """A Unix time in nanoseconds (time.time_ns()), in UTC."""
        seconds, rest = divmod(ns, 1_000_000_000)
        base = datetime.fromtimestamp(seconds, timezone.utc).replace(microsecond=rest // 1000)
        return cls.of(base, rest % 1000)


def go_time(t: datetime | None) -> str:
    """helm.sh/helm/v3/pkg/time: the zero time marshals as "", others as RFC 3339 with up to
    nanoseconds, trailing zeros dropped (time.RFC3339Nano)."""
    if t is None:
        return ""
    nanos = t.nanos if isinstance(t, NanoTime) else 0
    t = t.astimezone(timezone.utc)
    text = t.strftime("%Y-%m-%dT%H:%M:%S")
    fraction = t.microsecond * 1000 + nanos
    if fraction:
        text += f".{fraction:09d}".rstrip("0")
    return text + "Z"


def parse_go_time(text: str | None) -> datetime | None:
    if not text:
        return None
    text = text.replace("Z", "+00:00")
    nanos = 0
    if "." in text:  # Go writes up to nanoseconds; datetime keeps microseconds, NanoTime the rest
        head, rest = text.split(".", 1)
        digits = "".join(c for c in rest if c.isdigit())
        tz = rest[len(digits) :]
        digits = digits[:9].ljust(9, "0")
        nanos = int(digits[6:])
        text = f"{head}.{digits[:6]}{tz}"
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        return None
    return NanoTime.of(parsed, nanos) if nanos else parsed


_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def go_json(value: Any) -> str:
    """encoding/json.Marshal: compact, HTML characters escaped (`<` -> `\\u003c`)."""
    text = json.dumps(value, separators=(",", ":"), ensure_ascii=False)
    # A lone surrogate is an invalid UTF-8 byte that reached a Go string (a --set argument, a
    # `\ud800` JSON escape): Marshal writes U+FFFD for it.
    text = _LONE_SURROGATE.sub("\ufffd", text)
    for ch, esc in (
        ("&", "\\u0026"),
        ("<", "\\u003c"),
        (">", "\\u003e"),
        ("\u2028", "\\u2028"),
        ("\u2029", "\\u2029"),
    ):
        text = text.replace(ch, esc)
    return text


@dataclass
class HookRecord:
    """`release.Hook` as stored."""

    name: str
    kind: str
    path: str
    manifest: str
    events: list[str]
    weight: int = 0
    delete_policies: list[str] = field(default_factory=list)
    started_at: datetime | None = None
    completed_at: datetime | None = None
    phase: str = ""

    def to_json(self) -> dict[str, Any]:
        d: dict[str, Any] = {}
        for key in ("name", "kind", "path", "manifest"):
            if getattr(self, key):
                d[key] = getattr(self, key)
        if self.events:
            d["events"] = list(self.events)
        last_run: dict[str, Any] = {
            "started_at": go_time(self.started_at),
            "completed_at": go_time(self.completed_at),
        }
        last_run["phase"] = self.phase
        d["last_run"] = last_run
        if self.weight:
            d["weight"] = self.weight
        if self.delete_policies:
            d["delete_policies"] = list(self.delete_policies)
        return d

    @classmethod
    def from_json(cls, d: dict[str, Any]) -> HookRecord:
        run = d.get("last_run") or {}
        return cls(
            name=str(d.get("name", "")),
            kind=str(d.get("kind", "")),
            path=str(d.get("path", "")),
            manifest=str(d.get("manifest", "")),
            events=[str(e) for e in d.get("events") or []],
            weight=int(d.get("weight", 0) or 0),
            delete_policies=[str(p) for p in d.get("delete_policies") or []],
            started_at=parse_go_time(run.get("started_at")),
            completed_at=parse_go_time(run.get("completed_at")),
            phase=str(run.get("phase", "")),
        )

    @classmethod
    def from_hook(cls, hook: Hook) -> HookRecord:
        return cls(
            name=hook.name,
            kind=hook.kind,
            path=hook.path,
            manifest=hook.doc.text,
            events=[e.value for e in hook.events],
            weight=hook.weight,
            delete_policies=list(hook.delete_policies),
        )


@dataclass
class ReleaseRecord:
    """`release.Release` (the fields Helm stores)."""

    name: str
    namespace: str
    version: int
    status: str
    description: str = ""
    first_deployed: datetime | None = None
    last_deployed: datetime | None = None
    deleted: datetime | None = None
    notes: str = ""
    chart: dict[str, Any] | None = None
    config: dict[str, Any] = field(default_factory=dict)
    manifest: str = ""
    hooks: list[HookRecord] = field(default_factory=list)
    labels: dict[str, str] = field(default_factory=dict)
    # Helm v4 records how resources were applied ("ssa" or "csa"); v3 has no such field.
    apply_method: str | None = None

    def to_json(self) -> dict[str, Any]:
        info: dict[str, Any] = {}
        if self.first_deployed:
            info["first_deployed"] = go_time(self.first_deployed)
        if self.last_deployed:
            info["last_deployed"] = go_time(self.last_deployed)
        info["deleted"] = go_time(self.deleted)
        if self.description:
            info["description"] = self.description
        if self.status:
            info["status"] = self.status
        if self.notes:
            info["notes"] = self.notes
        d: dict[str, Any] = {"name": self.name, "info": info}
        if self.chart is not None:
            d["chart"] = self.chart
        if self.config:
            d["config"] = self.config
        if self.manifest:
            d["manifest"] = self.manifest
        if self.hooks:
            d["hooks"] = [h.to_json() for h in self.hooks]
        if self.version:
            d["version"] = self.version
        if self.namespace:
            d["namespace"] = self.namespace
        if self.apply_method:
            d["apply_method"] = self.apply_method
        return d

    @classmethod
    def from_json(cls, d: dict[str, Any], labels: dict[str, str] | None = None) -> ReleaseRecord:
        info = d.get("info") or {}
        return cls(
            name=str(d.get("name", "")),
            namespace=str(d.get("namespace", "")),
            version=int(d.get("version", 0) or 0),
            status=str(info.get("status", "unknown")),
            description=str(info.get("description", "")),
            first_deployed=parse_go_time(info.get("first_deployed")),
            last_deployed=parse_go_time(info.get("last_deployed")),
            deleted=parse_go_time(info.get("deleted")),
            notes=str(info.get("notes", "")),
            chart=d.get("chart"),
            config=dict(d.get("config") or {}),
            manifest=str(d.get("manifest", "")),
            hooks=[HookRecord.from_json(h) for h in d.get("hooks") or []],
            labels=dict(labels or {}),
            apply_method=d.get("apply_method"),
        )

    # -- what the executor re-uses from a stored revision ----------------------------------------

    def classified(self, helm_version: int = 3) -> Classified:
        """The stored manifest and hooks classified again, as rollback/uninstall/test re-use them."""
        text = self.manifest
        for h in self.hooks:
            text += f"---\n# Source: {h.path}\n{h.manifest}\n"
        files = documents_from_helm_output(text, f"release {self.name} v{self.version}")
        return classify(documents_from_rendered(files), helm_version=helm_version)


def assemble_manifest(resources: list[Document]) -> str:
    """`Release.Manifest`: `---\\n# Source: <path>\\n<document>\\n` per ordinary document."""
    return "".join(f"---\n# Source: {d.path}\n{d.text}\n" for d in resources)


def encode_release(record: ReleaseRecord) -> str:
    """driver.encodeRelease: base64(gzip(json)) with gzip.BestCompression."""
    raw = go_json(record.to_json()).encode("utf-8")
    return base64.b64encode(gzip.compress(raw, compresslevel=9, mtime=0)).decode("ascii")


def decode_release(data: str) -> dict[str, Any]:
    """driver.decodeRelease: base64, gunzip when the gzip magic is present, JSON."""
    raw = base64.b64decode(data, validate=True)
    if raw[:3] == b"\x1f\x8b\x08":
        raw = gzip.decompress(raw)
    value = json.loads(raw.decode("utf-8"))
    if not isinstance(value, dict):
        raise ValueError("release data is not a JSON object")
    return value


def release_secret(record: ReleaseRecord, stamp: dict[str, str] | None = None) -> dict[str, Any]:
    """driver.newSecretsObject, as the API object the Secrets driver creates or updates. `stamp`
    is the Create/Update label (`createdAt` / `modifiedAt`: Unix seconds); an Update replaces
    the labels, so `createdAt` does not survive it (as with Helm)."""
    labels = dict(record.labels)
    labels.update(stamp or {})
    labels.update(
        {"name": record.name, "owner": "helm", "status": record.status, "version": str(record.version)}
    )
    encoded = encode_release(record)
    return {
        "apiVersion": "v1",
        "kind": "Secret",
        "metadata": {
            "name": secret_name(record.name, record.version),
            "namespace": record.namespace,
            "labels": labels,
        },
        "type": SECRET_TYPE,
        # Secret data is base64 in the API: the stored bytes are the base64 text of the release.
        "data": {"release": base64.b64encode(encoded.encode("ascii")).decode("ascii")},
    }


# What a corrupt release Secret raises while decoding: bad base64/gzip/JSON, or JSON whose fields
# have the wrong types (Go's json.Unmarshal into rspb.Release fails on those too).
RELEASE_DECODE_ERRORS = (ValueError, TypeError, AttributeError, EOFError, OSError, zlib.error, RecursionError)


def record_from_secret(secret: dict[str, Any]) -> ReleaseRecord:
    data = (secret.get("data") or {}).get("release", "")
    inner = base64.b64decode(data, validate=True).decode("ascii")
    system = {"name", "owner", "status", "version", "createdAt", "modifiedAt"}
    labels = {
        k: v for k, v in ((secret.get("metadata") or {}).get("labels") or {}).items() if k not in system
    }
    return ReleaseRecord.from_json(decode_release(inner), labels)


class ReleaseStore:
    """Release history of one release name in one namespace, kept in Secrets through a backend."""

    def __init__(self, backend: Backend, name: str, namespace: str) -> None:
        self.backend = backend
        self.name = name
        self.namespace = namespace

    def _ref(self, version: int) -> ObjectRef:
        return ObjectRef("v1", "Secret", secret_name(self.name, version), self.namespace)

    def history(self) -> list[ReleaseRecord]:
        secrets = self.backend.list("v1", "Secret", self.namespace, {"owner": "helm", "name": self.name})
        records = []
        for secret in secrets:
            if secret.get("type") != SECRET_TYPE:
                continue
            try:
                records.append(record_from_secret(secret))
            except RELEASE_DECODE_ERRORS:
                continue  # Secrets.Query: "query: failed to decode release" is logged and skipped
        return sorted(records, key=lambda r: r.version)

    def last(self) -> ReleaseRecord | None:
        history = self.history()
        return history[-1] if history else None

    def _unix_now(self) -> str:
        return str(int(self.backend.now().timestamp()))

    def create(self, record: ReleaseRecord) -> None:
        secret = release_secret(record, {"createdAt": self._unix_now()})
        # The Secrets driver sends no fieldManager: the API server names the manager after the
        # client's User-Agent (`Helm` for helm, `hooklint` here).
        self.backend.create(secret, field_manager=None)

    def update(self, record: ReleaseRecord) -> None:
        secret = release_secret(record, {"modifiedAt": self._unix_now()})
        self.backend.update(secret, field_manager=None)

    def delete(self, record: ReleaseRecord) -> None:
        try:
            self.backend.delete(self._ref(record.version), propagation=None)
        except NotFound:
            pass

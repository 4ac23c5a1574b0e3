"""What a check sees: the classified documents of one rendering, positions, options, and `report()`.

Checks are plain functions `check(ctx) -> None` that call `ctx.report(...)`; the engine sets the
rule, its options and the target before each call and collects the findings.

The classes here are plain, not dataclasses: nothing compares them, and generating a
dataclass's methods costs start-up time on every lint.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path

from hooklint.documents.source import SourcePos
from hooklint.lint.catalog import Rule
from hooklint.lint.finding import Finding, Related
from hooklint.lint.provenance import Provenance
from hooklint.model import Document, ObjectRef
from hooklint.runtime.patterns import lazy_compile

TYPE_CHECKING = False  # not `typing`'s: importing typing costs ~3 ms of every run
if TYPE_CHECKING:
    from typing import Any

# Helm's hook events (manifest_sorter.go `events`), with `test-success` as the Helm 2 alias of test.
HOOK_EVENTS = (
    "pre-install", "post-install", "pre-delete", "post-delete", "pre-upgrade", "post-upgrade",
    "pre-rollback", "post-rollback", "test", "test-success",
)
DELETE_POLICIES = ("before-hook-creation", "hook-succeeded", "hook-failed")
ANN_HOOK = "helm.sh/hook"
ANN_WEIGHT = "helm.sh/hook-weight"
ANN_DELETE = "helm.sh/hook-delete-policy"
ANN_LOGS = "helm.sh/hook-output-log-policy"
ANN_RESOURCE_POLICY = "helm.sh/resource-policy"


class HookView:
    """A hook as the checks need it, built from hooks.classify's Hook."""

    __slots__ = ("doc", "ref", "events", "weight", "delete_policies", "order")

    def __init__(self, doc: Document, ref: ObjectRef, events: list[str], weight: int, delete_policies: list[str],
                 order: int) -> None:
        self.doc = doc
        self.ref = ref
        self.events = events  # normalised event names, duplicates kept (Helm keeps them)
        self.weight = weight
        self.delete_policies = delete_policies  # as declared (trimmed, lowercased); [] = none declared
        self.order = order  # position in Helm's stored hook order (kind order, then file order)

    @property
    def kind(self) -> str:
        return self.ref.kind

    @property
    def name(self) -> str:
        return self.ref.name

    @property
    def effective_policies(self) -> list[str]:
        """What Helm applies: the declared list, or before-hook-creation when none is declared."""
        return self.delete_policies or ["before-hook-creation"]


class Baseline:
    """The previous version of the chart (`lint --baseline`) as its release holds it: ordinary
    resources and hooks; or, when it does not render, why."""

    __slots__ = ("resources", "hooks", "error")

    def __init__(self, resources: list[Document] | None = None, hooks: list[HookView] | None = None,
                 error: str | None = None) -> None:
        self.resources: list[Document] = [] if resources is None else resources
        self.hooks: list[HookView] = [] if hooks is None else hooks
        self.error = error


class CheckContext:
    """What the checks of one chart see; the engine sets `rule`, `severity` and `options` before
    each check runs."""

    def __init__(self, chart_dir: Path, chart_name: str, docs: list[Document], hooks: list[HookView],
                 resources: list[Document], dropped: list[Document], release_name: str, release_namespace: str,
                 provenance: Provenance, release_name_given: bool = False, target: str = "helm4",
                 helm_version: tuple[int, int] = (4, 2)) -> None:
        self.chart_dir = chart_dir
        self.chart_name = chart_name
        self.docs = docs
        self.hooks = hooks
        self.resources = resources
        self.dropped = dropped
        self.release_name = release_name
        self.release_namespace = release_namespace
        self.provenance = provenance
        # Whether the user named the release (--release-name); otherwise it is a placeholder, and facts
        # that depend on it (equal-weight name order) are only guesses.
        self.release_name_given = release_name_given
        self.target = target
        self.helm_version = helm_version
        self.rule: Rule | None = None
        self.severity = "warning"  # the current rule's default severity under this target
        self.options: dict[str, Any] = {}
        self.findings: list[Finding] = []
        self.baseline: Baseline | None = None  # lint --baseline: the chart's previous version

    # ---- queries -------------------------------------------------------------------------------
    def ref(self, doc: Document) -> ObjectRef:
        ns = doc.metadata.get("namespace")
        return ObjectRef(doc.api_version, doc.kind, doc.name, str(ns) if ns else None)

    def namespace(self, doc: Document) -> str:
        ns = doc.metadata.get("namespace")
        return str(ns) if ns else self.release_namespace

    def identity(self, doc: Document) -> tuple[str, str, str, str]:
        """How Helm and the API server tell objects apart: group, kind, namespace, name."""
        return (api_group(doc.api_version), doc.kind, self.namespace(doc), doc.name)

    def hooks_for(self, event: str) -> list[HookView]:
        """The hooks of `event` in Helm's execution order: weight, then name, stable (hookByWeight)."""
        selected = [h for h in self.hooks for e in h.events if e == event]
        return sorted(selected, key=lambda h: (h.weight, h.name))

    def hook_of(self, doc: Document) -> HookView | None:
        for h in self.hooks:
            if h.doc is doc:
                return h
        return None

    @property
    def helm4(self) -> bool:
        """Whether the checked Helm runtime is Helm 4 (server-side apply for hooks, kstatus waits)."""
        return self.helm_version[0] >= 4

    def template_line(self, pos: SourcePos | None) -> str:
        return self.provenance.template_line(pos)

    # ---- positions -----------------------------------------------------------------------------
    def pos(self, doc: Document, *path: str | int) -> SourcePos:
        """Template position of the key at `path` (or its nearest known parent, else the document)."""
        keys = [str(p) for p in path]
        while keys:
            p = doc.key_pos.get(".".join(keys))
            if p is not None:
                return self.provenance.chart_pos(p)
            keys.pop()
        if doc.pos is not None:
            return self.provenance.chart_pos(doc.pos)
        return SourcePos(self.provenance.chart_relative(doc.path), 1, 1)

    # ---- reporting -----------------------------------------------------------------------------
    def report(
        self,
        doc: Document | None,
        message: str,
        path: Iterable[str | int] = (),
        *,
        event: str | None = None,
        annotation: str | None = None,
        pos: SourcePos | None = None,
        related: Iterable[Related] = (),
        severity: str | None = None,
    ) -> None:
        """Record a finding for the current rule at `path` inside `doc`.

        `severity`: this finding's severity when it differs from the rule's (e.g. only info under an
        older Helm version).
        `annotation`: the annotation key the finding is about (metadata.annotations.<key>); when its
        value was written in a values file or a helper call, the finding points there and keeps the
        template line as a related location.
        """
        assert self.rule is not None
        rel = list(related)
        path = tuple(path)
        if annotation is not None and not path:
            path = ("metadata", "annotations", annotation)
        if pos is None and doc is not None:
            pos = self.pos(doc, *path)
        if annotation is not None and doc is not None and pos is not None:
            origin = self.provenance.annotation_origin(pos, annotation, doc.annotations.get(annotation))
            if origin is not None:
                rel.insert(0, Related(self.provenance.printing_action(pos), "printed by this template line"))
                pos = origin
        elif doc is not None and pos is not None and path and doc.key_pos.get(".".join(map(str, path))) is not None:
            # A scalar field printed straight from values (`backoffLimit: {{ .Values.job.backoffLimit }}`):
            # the user changes it in the values file, so point there.
            origin = self.provenance.value_origin(pos, dig(doc.body, *path))
            if origin is not None:
                rel.insert(0, Related(pos, "printed by this template line"))
                pos = origin
        self.findings.append(
            Finding(
                rule=self.rule.id,
                name=self.rule.name,
                severity=severity or self.severity,
                message=message,
                pos=pos,
                obj=self.ref(doc) if doc is not None and isinstance(doc.body, dict) else None,
                event=event,
                related=tuple(rel),
                extra={"doc": (doc.path, doc.index)} if doc is not None else {},
            )
        )


# ---- pod specs and what they reference --------------------------------------------------------

POD_SPEC_PATHS: dict[str, tuple[str, ...]] = {
    "Pod": ("spec",),
    "Job": ("spec", "template", "spec"),
    "CronJob": ("spec", "jobTemplate", "spec", "template", "spec"),
    "Deployment": ("spec", "template", "spec"),
    "StatefulSet": ("spec", "template", "spec"),
    "DaemonSet": ("spec", "template", "spec"),
    "ReplicaSet": ("spec", "template", "spec"),
    "ReplicationController": ("spec", "template", "spec"),
}


def api_group(api_version: str) -> str:
    """The API group of an apiVersion ("" for the core group's "v1")."""
    return api_version.rsplit("/", 1)[0] if "/" in api_version else ""


def dig(obj: Any, *path: str | int) -> Any:
    cur = obj
    for p in path:
        if isinstance(p, int):
            if not isinstance(cur, list) or not 0 <= p < len(cur):
                return None
            cur = cur[p]
        else:
            if not isinstance(cur, dict):
                return None
            cur = cur.get(p)
    return cur


def pod_spec(doc: Document) -> tuple[tuple[str, ...], dict[str, Any]] | None:
    """(path, spec) of the pod spec inside a workload document, for the kinds that have one."""
    path = POD_SPEC_PATHS.get(doc.kind)
    if path is None or doc.api_version.split("/")[0] not in ("v1", "apps", "batch", "extensions"):
        return None
    spec = dig(doc.body, *path)
    return (path, spec) if isinstance(spec, dict) else None


class PodRef:
    """An object a pod needs to start: kind (ServiceAccount/Secret/ConfigMap/PersistentVolumeClaim).
    Not frozen (nothing hashes it)."""

    __slots__ = ("kind", "name", "path")

    def __init__(self, kind: str, name: str, path: tuple[str | int, ...]) -> None:
        self.kind = kind
        self.name = name
        self.path = path


def items(value: Any) -> list[Any]:
    """A manifest field that should be a list, or [] when the chart put something else there
    (the API server rejects such an object; lint reports what it can and must not crash)."""
    return value if isinstance(value, list) else []


def containers(spec: dict[str, Any]) -> Iterator[tuple[str, int, dict[str, Any]]]:
    for group in ("initContainers", "containers"):
        for i, c in enumerate(items(spec.get(group))):
            if isinstance(c, dict):
                yield group, i, c


def pod_refs(doc: Document) -> list[PodRef]:
    """Objects the pod cannot start without (optional references are left out)."""
    found = pod_spec(doc)
    if found is None:
        return []
    base, spec = found
    refs: list[PodRef] = []
    sa = spec.get("serviceAccountName") or spec.get("serviceAccount")
    if isinstance(sa, str) and sa and sa != "default":
        key = "serviceAccountName" if spec.get("serviceAccountName") else "serviceAccount"
        refs.append(PodRef("ServiceAccount", sa, (*base, key)))
    for i, vol in enumerate(items(spec.get("volumes"))):
        if not isinstance(vol, dict):
            continue
        vpath: tuple[str | int, ...] = (*base, "volumes", i)
        sec = vol.get("secret")
        if isinstance(sec, dict) and sec.get("secretName") and not sec.get("optional"):
            refs.append(PodRef("Secret", str(sec["secretName"]), (*vpath, "secret", "secretName")))
        cm = vol.get("configMap")
        if isinstance(cm, dict) and cm.get("name") and not cm.get("optional"):
            refs.append(PodRef("ConfigMap", str(cm["name"]), (*vpath, "configMap", "name")))
        pvc = vol.get("persistentVolumeClaim")
        if isinstance(pvc, dict) and pvc.get("claimName"):
            refs.append(PodRef("PersistentVolumeClaim", str(pvc["claimName"]),
                               (*vpath, "persistentVolumeClaim", "claimName")))
        proj = dig(vol, "projected", "sources")
        for j, src in enumerate(proj if isinstance(proj, list) else []):
            for kind, key in (("Secret", "secret"), ("ConfigMap", "configMap")):
                s = src.get(key) if isinstance(src, dict) else None
                if isinstance(s, dict) and s.get("name") and not s.get("optional"):
                    refs.append(PodRef(kind, str(s["name"]), (*vpath, "projected", "sources", j, key, "name")))
    for group, i, c in containers(spec):
        cpath: tuple[str | int, ...] = (*base, group, i)
        for j, env in enumerate(items(c.get("env"))):
            vf = env.get("valueFrom") if isinstance(env, dict) else None
            if not isinstance(vf, dict):
                continue
            for kind, key in (("Secret", "secretKeyRef"), ("ConfigMap", "configMapKeyRef")):
                r = vf.get(key)
                if isinstance(r, dict) and r.get("name") and not r.get("optional"):
                    refs.append(PodRef(kind, str(r["name"]), (*cpath, "env", j, "valueFrom", key, "name")))
        for j, ef in enumerate(items(c.get("envFrom"))):
            if not isinstance(ef, dict):
                continue
            for kind, key in (("Secret", "secretRef"), ("ConfigMap", "configMapRef")):
                r = ef.get(key)
                if isinstance(r, dict) and r.get("name") and not r.get("optional"):
                    refs.append(PodRef(kind, str(r["name"]), (*cpath, "envFrom", j, key, "name")))
    return refs


def split_tokens(value: str) -> list[str]:
    """Helm's annotation list parsing: split on ',', TrimSpace, ToLower (empty tokens kept)."""
    return [t.strip().lower() for t in value.split(",")]


DNS1123_SUBDOMAIN = lazy_compile(r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$")

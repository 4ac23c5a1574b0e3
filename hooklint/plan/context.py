"""Options of a plan and the per-version facts that follow from them (wait strategy, apply method)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from hooklint.documents.hooks import Hook
from hooklint.documents.source import SourcePos
from hooklint.model import Document, ObjectRef
from hooklint.plan.model import Source

WAIT_STRATEGIES = ("hookOnly", "watcher", "legacy")

# Kinds Kubernetes serves cluster-scoped (so Helm sends no namespace for them).
CLUSTER_SCOPED_KINDS = frozenset(
    {
        "Namespace", "Node", "PersistentVolume", "StorageClass", "CustomResourceDefinition",
        "ClusterRole", "ClusterRoleList", "ClusterRoleBinding", "ClusterRoleBindingList",
        "PriorityClass", "PodSecurityPolicy", "IngressClass", "APIService",
        "MutatingWebhookConfiguration", "ValidatingWebhookConfiguration",
        "ValidatingAdmissionPolicy", "ValidatingAdmissionPolicyBinding", "CSIDriver", "CSINode",
        "RuntimeClass", "VolumeAttachment", "CertificateSigningRequest", "FlowSchema",
        "PriorityLevelConfiguration",
    }
)  # fmt: skip


@dataclass
class PlanOptions:
    """What the user asked for (`helm <event>` flags) and who the release is."""

    helm_version: int = 3
    release_name: str = "release-name"
    namespace: str = "default"
    revision: int | None = None  # default: 1 for install, 2 for upgrade/rollback, 1 otherwise
    no_hooks: bool = False
    skip_crds: bool = False
    wait: bool = False
    wait_for_jobs: bool = False
    timeout: str = "5m0s"
    atomic: bool = False  # v4: --rollback-on-failure
    wait_strategy: str | None = None  # v4 only: hookOnly (default) | watcher | legacy
    keep_history: bool = False  # uninstall
    test_filters: list[str] = field(default_factory=list)  # test: name=X / !name=X
    test_logs: bool = False  # test: --logs
    replace: bool = False  # install: --replace (re-use the name of an uninstalled/failed release)
    take_ownership: bool = False  # install/upgrade: --take-ownership (v3.17+)
    cleanup_on_fail: bool = False  # upgrade/rollback: --cleanup-on-fail
    # v4 only. --server-side: install "true"/"false"; upgrade/rollback "auto"/"true"/"false".
    server_side: str = "auto"
    # v4 only: how the existing release was applied ("ssa", or "csa" for a release first made by
    # Helm 3); None: unknown, assumed "ssa" (a note says so).
    release_apply_method: str | None = None


@dataclass
class PlanContext:
    options: PlanOptions
    source_of: Callable[[SourcePos, str], Source]

    @property
    def v4(self) -> bool:
        return self.options.helm_version >= 4

    def strategy(self, event: str) -> str:
        """v4 wait strategy for this event; "legacy" stands for v3 behaviour."""
        if not self.v4:
            return "legacy"
        if event == "test":
            return "watcher"  # release_testing.go always watches with kstatus
        chosen = self.options.wait_strategy or ("watcher" if self.options.wait else "hookOnly")
        if self.options.atomic and chosen == "hookOnly":
            return "watcher"  # --rollback-on-failure upgrades hookOnly
        return chosen

    def waits_for_deletion(self, event: str) -> bool:
        """v3 always polls until a deleted hook is gone; v4 hookOnly's WaitForDelete is a no-op."""
        return self.strategy(event) != "hookOnly"

    def resource_wait(self, event: str) -> bool:
        """Whether the `--wait` barrier on ordinary resources runs."""
        if not self.v4:
            return self.options.wait or self.options.atomic
        return self.strategy(event) in ("watcher", "legacy")

    def ssa(self, event: str) -> bool:
        """v4 apply method: install follows --server-side (default true); upgrade and rollback
        under `auto` follow the release's recorded method (Helm 3 recorded none: client-side);
        uninstall hooks always apply; test follows the release (pkg/action/*.go, v4.2.3)."""
        if not self.v4:
            return False
        if event.startswith(("pre-", "post-")):  # a hook event follows its command's method
            event = event.split("-", 1)[1].replace("delete", "uninstall")
        side = self.options.server_side
        if event == "install":
            return side != "false"
        if event == "uninstall":
            return True
        if event in ("upgrade", "rollback") and side in ("true", "false"):
            return side == "true"
        return self.options.release_apply_method != "csa"

    def hook_create_method(self, event: str) -> str:
        return "server-side-apply" if self.ssa(event) else "create"

    def resource_method(self, event: str) -> str:
        if self.ssa(event):
            return "server-side-apply"
        return "create" if event == "install" else "create-or-patch"

    def ref(self, ref: ObjectRef) -> ObjectRef:
        """The object as Helm addresses it: the release namespace unless set or cluster-scoped."""
        if ref.kind in CLUSTER_SCOPED_KINDS:
            return ObjectRef(ref.api_version, ref.kind, ref.name, None)
        return ObjectRef(ref.api_version, ref.kind, ref.name, ref.namespace or self.options.namespace)

    def doc_source(self, doc: Document) -> Source | None:
        return self.source_of(doc.pos, doc.path) if doc.pos is not None else None

    def hook_source(self, hook: Hook) -> Source | None:
        return self.doc_source(hook.doc)


def default_source(pos: SourcePos, template: str) -> Source:
    return Source(file=pos.file, line=pos.line, column=pos.column, template=template)

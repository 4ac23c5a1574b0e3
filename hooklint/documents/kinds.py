"""Helm's kind orders (`releaseutil/kind_sorter.go`) and its stable sort by kind.

v3 (3.17.1 ... 3.21.x) and v4 differ only by the webhook configuration kinds v4.0.0 added: at the
end of the install order, at the start of the uninstall order (validation removed first).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

TYPE_CHECKING = False  # not `typing`'s: importing typing costs ~3 ms of every run
if TYPE_CHECKING:
    from typing import TypeVar

    T = TypeVar("T")

INSTALL_ORDER_V3: tuple[str, ...] = (
    "PriorityClass", "Namespace", "NetworkPolicy", "ResourceQuota", "LimitRange",
    "PodSecurityPolicy", "PodDisruptionBudget", "ServiceAccount", "Secret", "SecretList",
    "ConfigMap", "StorageClass", "PersistentVolume", "PersistentVolumeClaim",
    "CustomResourceDefinition", "ClusterRole", "ClusterRoleList", "ClusterRoleBinding",
    "ClusterRoleBindingList", "Role", "RoleList", "RoleBinding", "RoleBindingList", "Service",
    "DaemonSet", "Pod", "ReplicationController", "ReplicaSet", "Deployment",
    "HorizontalPodAutoscaler", "StatefulSet", "Job", "CronJob", "IngressClass", "Ingress",
    "APIService",
)  # fmt: skip

UNINSTALL_ORDER_V3: tuple[str, ...] = (
    "APIService", "Ingress", "IngressClass", "Service", "CronJob", "Job", "StatefulSet",
    "HorizontalPodAutoscaler", "Deployment", "ReplicaSet", "ReplicationController", "Pod",
    "DaemonSet", "RoleBindingList", "RoleBinding", "RoleList", "Role", "ClusterRoleBindingList",
    "ClusterRoleBinding", "ClusterRoleList", "ClusterRole", "CustomResourceDefinition",
    "PersistentVolumeClaim", "PersistentVolume", "StorageClass", "ConfigMap", "SecretList",
    "Secret", "ServiceAccount", "PodDisruptionBudget", "PodSecurityPolicy", "LimitRange",
    "ResourceQuota", "NetworkPolicy", "Namespace", "PriorityClass",
)  # fmt: skip

INSTALL_ORDER_V4 = INSTALL_ORDER_V3 + ("MutatingWebhookConfiguration", "ValidatingWebhookConfiguration")
UNINSTALL_ORDER_V4 = ("ValidatingWebhookConfiguration", "MutatingWebhookConfiguration") + UNINSTALL_ORDER_V3


def install_order(helm_version: int = 3) -> tuple[str, ...]:
    return INSTALL_ORDER_V4 if helm_version >= 4 else INSTALL_ORDER_V3


def uninstall_order(helm_version: int = 3) -> tuple[str, ...]:
    return UNINSTALL_ORDER_V4 if helm_version >= 4 else UNINSTALL_ORDER_V3


def kind_sort_key(kind: str, order: Sequence[str]) -> tuple[int, str]:
    """Key equivalent to Helm's `lessByKind` under a stable sort: known kinds by list position,
    unknown kinds after all known ones, bytewise by kind (equal kinds keep input order)."""
    index = {k: i for i, k in enumerate(order)}.get(kind)
    return (index, "") if index is not None else (len(order), kind)


def sort_by_kind(items: Sequence[T], kind_of: Callable[[T], str], order: Sequence[str]) -> list[T]:
    """`sort.SliceStable(items, lessByKind)`: a stable sort, so ties keep the input order."""
    positions = {k: i for i, k in enumerate(order)}
    n = len(order)

    def key(item: T) -> tuple[int, str]:
        kind = kind_of(item)
        i = positions.get(kind)
        return (i, "") if i is not None else (n, kind)

    return sorted(items, key=key)

"""What `--wait` waits for: one barrier over every ordinary resource (and the CRD wait).

Helm v3.17.1 `pkg/kube/wait.go:waitForResources` polls every 2 seconds; each round walks the
whole resource list in manifest order through `ReadyChecker.IsReady` and stops at the first one
that is not ready; the wait ends when a round finds all of them ready, or at the timeout. The
per-kind rules are `pkg/kube/ready.go` (matched on the Go type, so on group *and* kind: a custom
resource named `Deployment` is not checked). Helm 4's `watcher` strategy watches all of them at
once with kstatus and ends when every one is Current; `legacy` is the v3 poller; `hookOnly` (the
default) does not wait at all.
"""

from __future__ import annotations

from hooklint.model import ObjectRef

# ready.go IsReady: the Go types it switches on, as (group, kind).
_CORE = ("",)
_APPS = ("apps", "extensions")
_V3_RULES: dict[tuple[tuple[str, ...], str], str] = {
    (
        _CORE,
        "Pod",
    ): "condition Ready=True (a Pod that ran to completion is never Ready: waits until the timeout)",
    (_APPS, "Deployment"): (
        "paused: ready; else observedGeneration current and the new ReplicaSet has "
        "replicas - maxUnavailable ready Pods"
    ),
    (_CORE, "PersistentVolumeClaim"): "phase Bound",
    (_CORE, "Service"): (
        "ExternalName: ready; else spec.clusterIP set, and for LoadBalancer also externalIPs "
        "or a status.loadBalancer.ingress"
    ),
    (_APPS, "DaemonSet"): (
        "observedGeneration current; RollingUpdate: every Pod updated and desired - maxUnavailable ready"
    ),
    (_APPS, "StatefulSet"): (
        "observedGeneration current; RollingUpdate: replicas - partition updated, all replicas ready "
        "and (partition 0) currentRevision == updateRevision"
    ),
    (_APPS, "ReplicaSet"): "observedGeneration current and every selected Pod Ready",
    (_CORE, "ReplicationController"): "observedGeneration current and every selected Pod Ready",
    (
        ("apiextensions.k8s.io",),
        "CustomResourceDefinition",
    ): "condition Established=True (or NamesAccepted=False)",
}
_V3_JOB = "with --wait-for-jobs: succeeded >= spec.completions (fails when failed > backoffLimit)"
_NOT_CHECKED = "not checked: ready at once (no request)"

# v4 `watcher`: kstatus computes a status per object; Helm waits for Current on all of them.
_V4_RULES: dict[str, str] = {
    "Pod": "kstatus Current: condition Ready=True (or phase Succeeded)",
    "Deployment": "kstatus Current: all replicas updated, ready and available (paused: skipped)",
    "StatefulSet": "kstatus Current: all replicas updated and ready, update revision rolled out",
    "DaemonSet": "kstatus Current: every Pod scheduled, updated and available",
    "ReplicaSet": "kstatus Current: all replicas ready and available",
    "PersistentVolumeClaim": "kstatus Current: phase Bound",
    "Service": "kstatus Current: LoadBalancer needs an ingress address; other types at once",
    "CustomResourceDefinition": "kstatus Current: condition Established=True",
}
_V4_OTHER = "kstatus Current: observedGeneration caught up and a Ready condition, when it has them"


def group_of(ref: ObjectRef) -> str:
    return ref.api_version.rsplit("/", 1)[0] if "/" in ref.api_version else ""


def resource_ready_when(ref: ObjectRef, *, kstatus: bool, wait_for_jobs: bool) -> str:
    """The readiness rule Helm's resource wait applies to this object."""
    group, kind = group_of(ref), ref.kind
    if kstatus:
        if kind == "Job" and group == "batch":
            if wait_for_jobs:
                return "Helm's Job reader: condition Complete=True (fails on Failed=True)"
            return "kstatus Current: the Job has completed"
        return _V4_RULES.get(kind, _V4_OTHER)
    if kind == "Job" and group == "batch":
        return _V3_JOB if wait_for_jobs else "not checked without --wait-for-jobs"
    for (groups, rule_kind), rule in _V3_RULES.items():
        if kind == rule_kind and group in groups:
            return rule
    return _NOT_CHECKED


def barrier_summary(kstatus: bool) -> str:
    if kstatus:
        return "every object kstatus Current (one watch over all of them; a Failed one ends the wait)"
    return "every object ready (polled together every 2s, in manifest order)"

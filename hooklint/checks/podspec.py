"""Pod and Job specs of hooks: whether Helm's wait for the hook can ever end.

Helm waits only for Job and Pod hooks (watchUntilReady / kstatus): a Job until its Complete or
Failed condition, a Pod until phase Succeeded or Failed. Every other kind is "ready" on creation.
"""

from __future__ import annotations

from hooklint.lint.context import CheckContext, dig, pod_spec

WORKLOADS = ("Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "ReplicationController")


def hook_restart_policy(ctx: CheckContext) -> None:
    """HL401"""
    for h in ctx.hooks:
        found = pod_spec(h.doc)
        if found is None or h.kind not in ("Job", "Pod"):
            continue
        path, spec = found
        policy = spec.get("restartPolicy")
        where = (*path, "restartPolicy") if policy is not None else path
        shown = f"restartPolicy {policy}" if policy is not None else "no restartPolicy (Kubernetes defaults to Always)"
        if h.kind == "Job" and policy not in ("Never", "OnFailure"):
            ctx.report(h.doc, f"hook Job pod template has {shown}: the API server rejects a Job unless it is Never "
                              "or OnFailure, so the hook fails when Helm creates it", path=where)
        elif h.kind == "Pod" and policy in (None, "Always"):
            ctx.report(h.doc, f"hook Pod has {shown}: Helm waits for the Pod to reach Succeeded, which a Pod that "
                              "always restarts never does, so the hook hangs until --timeout. Use Never",
                       path=where)


def hook_pod_onfailure_loops(ctx: CheckContext) -> None:
    """HL402"""
    for h in ctx.hooks:
        found = pod_spec(h.doc)
        if h.kind == "Pod" and found is not None and found[1].get("restartPolicy") == "OnFailure":
            ctx.report(h.doc, "a hook Pod with restartPolicy OnFailure restarts a failing container forever: it never "
                              "reaches Failed, so Helm waits until --timeout instead of failing fast. Use Never, "
                              "or a Job with a backoffLimit", path=(*found[0], "restartPolicy"))


def hook_deadline_exceeds_timeout(ctx: CheckContext) -> None:
    """HL404"""
    timeout = int(ctx.options.get("timeout", 300))
    for h in ctx.hooks:
        if h.kind not in ("Job", "Pod"):
            continue
        deadline = dig(h.doc.body, "spec", "activeDeadlineSeconds")
        if isinstance(deadline, int) and not isinstance(deadline, bool) and deadline > timeout:
            ctx.report(h.doc, f"activeDeadlineSeconds {deadline} is longer than Helm's timeout ({timeout}s): if the "
                              "hook hangs or runs long, Helm gives up first and the release fails while the hook "
                              "keeps running until its deadline",
                       path=("spec", "activeDeadlineSeconds"))


def workload_hook_not_awaited(ctx: CheckContext) -> None:
    """HL406"""
    for h in ctx.hooks:
        if h.kind in WORKLOADS:
            ctx.report(h.doc, f"Helm does not wait for a {h.kind} hook (only Jobs and Pods are awaited): it counts "
                              "as done as soon as it is created, and it is never updated or removed with the "
                              "release", annotation="helm.sh/hook")


def run_once_pod_in_main(ctx: CheckContext) -> None:
    """HL407"""
    for d in ctx.resources:
        if d.kind != "Pod" or d.api_version != "v1":
            continue
        policy = dig(d.body, "spec", "restartPolicy")
        if policy in ("Never", "OnFailure"):
            ctx.report(d, f"an ordinary Pod with restartPolicy {policy} runs to completion and is then never Ready: "
                          "helm install --wait (and Flux) waits for it until --timeout. Make it a hook (Job)",
                       path=("spec", "restartPolicy"))


def hook_generate_name(ctx: CheckContext) -> None:
    """HL408"""
    for d in [h.doc for h in ctx.hooks] + ctx.resources:
        if d.metadata.get("generateName") and not d.name:
            ctx.report(d, "metadata.generateName without a name: Helm tracks objects by name, so it cannot find, "
                          "wait for or delete this object reliably (helm lint rejects it too)",
                       path=("metadata", "generateName"))


def custom_kind_named_job(ctx: CheckContext) -> None:
    """HL410"""
    for h in ctx.hooks:
        core = {"Job": "batch/v1", "Pod": "v1"}.get(h.kind)
        if core and h.ref.api_version != core and not h.ref.api_version.startswith("batch/"):
            ctx.report(h.doc, f"this hook's kind is {h.kind} but its apiVersion is {h.ref.api_version}: Helm 3 "
                              f"treats every {h.kind} hook as a core {h.kind} and fails with 'expected ... to be "
                              f"a *batch.Job'; Helm 4 does not wait for it at all", path=("apiVersion",))


def hook_job_unbounded(ctx: CheckContext) -> None:
    """HL403"""
    limit = int(ctx.options.get("max-backoff-limit", 3))
    timeout = int(ctx.options.get("timeout", 300))
    for h in ctx.hooks:
        if h.kind != "Job" or not h.ref.api_version.startswith("batch/"):
            continue
        spec = dig(h.doc.body, "spec")
        if not isinstance(spec, dict) or spec.get("activeDeadlineSeconds") is not None:
            continue
        backoff = spec.get("backoffLimit")
        path: tuple[str, ...]
        if backoff is None:
            shown, path = "the default backoffLimit (6)", ("spec",)
        elif isinstance(backoff, int) and not isinstance(backoff, bool) and backoff > limit:
            shown, path = f"backoffLimit {backoff}", ("spec", "backoffLimit")
        else:
            continue
        waits = _backoff_delay(6 if backoff is None else backoff)
        if waits < timeout:
            continue  # the Job reports its failure before Helm's timeout, however its pods fail
        said = "context deadline exceeded" if ctx.helm4 else "timed out waiting for the condition"
        ctx.report(h.doc, f"this hook Job has {shown} and no activeDeadlineSeconds: a failing pod is retried with "
                          f"exponential back-off (10s, 20s, 40s, ... up to 6 minutes; {waits}s of back-off in all), "
                          f"longer than Helm's {timeout}s timeout, so a failing hook ends as '{said}' instead of "
                          "the Job's real failure. Set a small backoffLimit and an activeDeadlineSeconds below the "
                          "timeout", path=path)


def _backoff_delay(backoff_limit: int) -> int:
    """Seconds the Job controller waits between pod retries before it marks the Job Failed: 10s doubled
    after each failure, capped at 6 minutes (the Kubernetes Job pod backoff failure policy)."""
    return sum(min(10 * 2 ** i, 360) for i in range(max(backoff_limit, 0)))


MESH_OPT_OUT = {
    "istio": ("sidecar.istio.io/inject", ("false",)),
    "linkerd": ("linkerd.io/inject", ("disabled",)),
}


def hook_sidecar_blocks_completion(ctx: CheckContext) -> None:
    """HL405"""
    mesh = str(ctx.options.get("mesh", "") or "").lower()
    if mesh not in MESH_OPT_OUT:
        return
    key, off = MESH_OPT_OUT[mesh]
    for h in ctx.hooks:
        found = pod_spec(h.doc)
        if found is None or h.kind not in ("Job", "Pod"):
            continue
        base, spec = found
        meta_path = (*base[:-1], "metadata") if h.kind == "Job" else ("metadata",)
        meta = dig(h.doc.body, *meta_path) or {}
        values = [str(dig(meta, section, key)).strip().lower() for section in ("annotations", "labels")
                  if dig(meta, section, key) is not None]
        native = any(isinstance(c, dict) and c.get("restartPolicy") == "Always" for c in spec.get("initContainers") or [])
        if any(v in off for v in values) or native:
            continue
        ctx.report(h.doc, f"with {mesh} injection this hook pod gets a proxy sidecar that never exits, so the "
                          f"{h.kind} never completes and Helm waits until --timeout. Add {key}: \"{off[0]}\" to the "
                          "pod template", path=meta_path)


# apiVersion/kind pairs removed from Kubernetes (the release that stopped serving them).
REMOVED_APIS: dict[tuple[str, str], tuple[int, str]] = {
    **{("extensions/v1beta1", k): (16, "apps/v1") for k in ("Deployment", "DaemonSet", "ReplicaSet")},
    **{(g, k): (16, "apps/v1") for g in ("apps/v1beta1", "apps/v1beta2")
       for k in ("Deployment", "DaemonSet", "ReplicaSet", "StatefulSet")},
    **{("rbac.authorization.k8s.io/v1beta1", k): (22, "rbac.authorization.k8s.io/v1")
       for k in ("Role", "ClusterRole", "RoleBinding", "ClusterRoleBinding")},
    ("apiextensions.k8s.io/v1beta1", "CustomResourceDefinition"): (22, "apiextensions.k8s.io/v1"),
    ("extensions/v1beta1", "Ingress"): (22, "networking.k8s.io/v1"),
    ("networking.k8s.io/v1beta1", "Ingress"): (22, "networking.k8s.io/v1"),
    ("admissionregistration.k8s.io/v1beta1", "MutatingWebhookConfiguration"): (22, "admissionregistration.k8s.io/v1"),
    ("admissionregistration.k8s.io/v1beta1", "ValidatingWebhookConfiguration"):
        (22, "admissionregistration.k8s.io/v1"),
    ("scheduling.k8s.io/v1beta1", "PriorityClass"): (22, "scheduling.k8s.io/v1"),
    ("batch/v1beta1", "CronJob"): (25, "batch/v1"),
    ("policy/v1beta1", "PodDisruptionBudget"): (25, "policy/v1"),
    ("policy/v1beta1", "PodSecurityPolicy"): (25, "none (PodSecurityPolicy was removed)"),
    ("autoscaling/v2beta1", "HorizontalPodAutoscaler"): (25, "autoscaling/v2"),
    ("autoscaling/v2beta2", "HorizontalPodAutoscaler"): (26, "autoscaling/v2"),
}


def hook_deprecated_api(ctx: CheckContext) -> None:
    """HL409"""
    import re

    m = re.fullmatch(r"v?1\.([0-9]+)(?:\.[0-9]+)?", str(ctx.options.get("kube-version", "1.30")).strip())
    minor = int(m.group(1)) if m else 30
    for h in ctx.hooks:
        removed = REMOVED_APIS.get((h.ref.api_version, h.kind))
        if removed is None or removed[0] > minor:
            continue
        ctx.report(h.doc, f"{h.ref.api_version} {h.kind} is no longer served since Kubernetes 1.{removed[0]}: creating "
                          f"this hook fails on the cluster (kube-version 1.{minor}), although `helm template` "
                          f"renders it. Use {removed[1]}", path=("apiVersion",))

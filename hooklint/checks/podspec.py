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
            ctx.report(h.doc, f"activeDeadlineSeconds {deadline} is longer than Helm's timeout ({timeout}s): Helm "
                              "gives up first and the release fails while the hook keeps running",
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

"""GitOps portability (targets argocd and flux): the same annotations mean something else there.

Argo CD renders with `helm template` and maps Helm hooks to its own sync phases; Flux runs the Helm
SDK but waits and remediates by default.
"""

from __future__ import annotations

from hooklint.lint.context import ANN_WEIGHT, CheckContext

ARGO_HOOK = "argocd.argoproj.io/hook"
ARGO_UNSUPPORTED = ("pre-rollback", "post-rollback", "test")


def argocd_ignored_hook(ctx: CheckContext) -> None:
    """HL601"""
    for h in ctx.hooks:
        if h.events and all(e in ARGO_UNSUPPORTED for e in h.events):
            ctx.report(h.doc, f"Argo CD does not support {', '.join(dict.fromkeys(h.events))} hooks: it skips this "
                              "object, so it never runs under Argo CD", annotation="helm.sh/hook")


def argocd_install_upgrade_merged(ctx: CheckContext) -> None:
    """HL602"""
    pairs = (("pre-install", "pre-upgrade", "PreSync"), ("post-install", "post-upgrade", "PostSync"))
    for h in ctx.hooks:
        for a, b, phase in pairs:
            if (a in h.events) != (b in h.events):
                only = a if a in h.events else b
                ctx.report(h.doc, f"Argo CD cannot tell install from upgrade: this {only}-only hook becomes a {phase} "
                                  "hook and runs on every sync", annotation="helm.sh/hook")
                break


def argocd_hook_overrides_helm(ctx: CheckContext) -> None:
    """HL603"""
    for d in [h.doc for h in ctx.hooks] + ctx.resources + ctx.dropped:
        if ARGO_HOOK in d.annotations and "helm.sh/hook" in d.annotations:
            ctx.report(d, "this object has both argocd.argoproj.io/hook and helm.sh/hook: Argo CD ignores the Helm "
                          "hook annotations when an Argo CD hook is set, so Helm and Argo CD run it differently",
                       annotation="helm.sh/hook")


def hook_weight_on_non_hook(ctx: CheckContext) -> None:
    """HL605"""
    for d in ctx.resources:
        if ANN_WEIGHT in d.annotations:
            ctx.report(d, "helm.sh/hook-weight on an object without helm.sh/hook: Helm ignores it, while Argo CD "
                          "uses it as the sync wave, so the two order this object differently",
                       annotation=ANN_WEIGHT)


def argocd_named_hook_apply(ctx: CheckContext) -> None:
    """HL607"""
    for h in ctx.hooks:
        if h.kind == "Job" and h.delete_policies and "before-hook-creation" not in h.delete_policies:
            ctx.report(h.doc, "Argo CD applies hooks instead of creating them: without before-hook-creation an "
                              "existing Job with this name is kept (Job specs are immutable), so a changed hook "
                              "fails or does not run again", annotation="helm.sh/hook-delete-policy")


ARGO_WAVE = "argocd.argoproj.io/sync-wave"


def argocd_hook_health_stall(ctx: CheckContext) -> None:
    """HL604"""
    from hooklint.lint.context import pod_refs

    main = {(d.kind, ctx.namespace(d), d.name) for d in ctx.resources}
    for h in ctx.hooks:
        presync = [e for e in h.events if e in ("pre-install", "pre-upgrade")]
        if not presync or ARGO_HOOK in h.doc.annotations:
            continue
        if h.kind == "PersistentVolumeClaim":
            ctx.report(h.doc, "Argo CD runs this PVC as a PreSync hook and waits until it is healthy (Bound): with a "
                              "StorageClass that binds on first consumer (WaitForFirstConsumer) no pod uses it yet, "
                              "so the sync stays Running. Make it an ordinary resource", annotation="helm.sh/hook")
            continue
        if "pre-install" in h.events:
            continue  # HL201 reports pre-install hooks that need ordinary resources
        for ref in pod_refs(h.doc):
            if (ref.kind, ctx.namespace(h.doc), ref.name) in main:
                ctx.report(h.doc, f"Argo CD runs pre-upgrade hooks as PreSync on every sync, the first one too, before "
                                  f"it creates {ref.kind} '{ref.name}' (an ordinary resource): the hook pod cannot "
                                  "start and Argo CD waits for it", path=ref.path, event="pre-upgrade")
                break


def wave_weight_disagree(ctx: CheckContext) -> None:
    """HL606"""
    for d in [h.doc for h in ctx.hooks] + ctx.resources:
        wave, weight = d.annotations.get(ARGO_WAVE), d.annotations.get(ANN_WEIGHT)
        if wave is None or weight is None or str(wave).strip() == str(weight).strip():
            continue
        ctx.report(d, f"sync-wave {wave} and hook-weight {weight} differ: Argo CD orders this object by the sync "
                      "wave, Helm by the hook weight, so the two tools run it at different points",
                   annotation=ANN_WEIGHT)


def flux_remediation_runs_rollback_hooks(ctx: CheckContext) -> None:
    """HL608"""
    for h in ctx.hooks:
        ev = [e for e in h.events if e in ("pre-rollback", "post-rollback")]
        if ev:
            ctx.report(h.doc, f"when a HelmRelease enables upgrade remediation (retries; the default strategy is "
                              f"rollback), Flux rolls back a failed upgrade by itself and runs this {ev[0]} hook "
                              "from the revision it rolls back to, without anyone running helm rollback",
                       annotation="helm.sh/hook", event=ev[0])

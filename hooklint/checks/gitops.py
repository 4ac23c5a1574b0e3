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

"""Lifecycle and deletion: what Helm deletes, when, and what it leaves behind.

execHook applies `before-hook-creation` only when no policy is declared; `hook-succeeded` runs after
the whole event succeeded; `hook-failed` after this hook's wait failed. Hooks are never part of
the release: uninstall does not delete them and upgrades do not update them.
"""

from __future__ import annotations

import re

from hooklint.documents.source import SourcePos
from hooklint.lint.context import (
    ANN_LOGS,
    ANN_RESOURCE_POLICY,
    CheckContext,
    containers,
    dig,
    items,
    pod_refs,
    pod_spec,
    split_tokens,
)

TYPE_CHECKING = False  # not `typing`'s: importing typing costs ~3 ms of every run
if TYPE_CHECKING:
    from typing import Any

RECURRING = ("pre-upgrade", "post-upgrade", "pre-rollback", "post-rollback")
LONG_LIVED = (
    "Service", "Ingress", "MutatingWebhookConfiguration", "ValidatingWebhookConfiguration", "APIService",
    "PriorityClass", "StorageClass", "HorizontalPodAutoscaler", "PodDisruptionBudget", "NetworkPolicy",
)
STATEFUL = ("PersistentVolumeClaim", "PersistentVolume", "Namespace", "StatefulSet")
ANN_DELETE = "helm.sh/hook-delete-policy"


def _fixed_name(doc) -> bool:  # type: ignore[no-untyped-def]
    return bool(doc.name)


def no_before_hook_creation(ctx: CheckContext) -> None:
    """HL301"""
    for h in ctx.hooks:
        p = h.delete_policies
        if p and "before-hook-creation" not in p and "hook-succeeded" in p and _fixed_name(h.doc):
            if all(e == "test" for e in h.events):
                continue  # HL321
            effect = ("silently re-uses the old object under server-side apply (a completed Job does not run "
                      "again), or fails with 'already exists' for releases first installed by Helm 3"
                      if ctx.helm4 else "fails with 'already exists'")
            ctx.report(h.doc, "the declared delete policy replaces the default before-hook-creation: if this hook "
                              f"fails or Helm is interrupted, the object stays and the next run {effect}. Add "
                              "before-hook-creation", annotation=ANN_DELETE)


def hook_rerun_collides(ctx: CheckContext) -> None:
    """HL311"""
    for h in ctx.hooks:
        p = h.delete_policies
        if not p or "before-hook-creation" in p or "hook-succeeded" in p or not _fixed_name(h.doc):
            continue
        events = [e for e in h.events if e != "test"]
        if not events:
            continue  # HL321
        recurring = [e for e in events if e in RECURRING]
        if len(events) < 2 and not recurring:
            continue
        why = (f"it runs on every {recurring[0]}" if recurring
               else f"it runs in several events ({', '.join(events)})")
        if not ctx.helm4:
            effect, severity = "the second run fails with 'already exists'", None
        elif h.kind in ("Job", "Pod"):
            effect, severity = (f"Helm 4 applies the new {h.kind} over the finished one (server-side apply), so it "
                                "does not run again (or the apply fails on immutable fields), and releases first "
                                "installed by Helm 3 fail with 'already exists'"), None
        else:
            # Re-applying a ConfigMap or Secret in place is harmless under server-side apply.
            effect, severity = (f"Helm 4 applies the {h.kind} over the old one (server-side apply), but releases first "
                                "installed by Helm 3 use client-side apply and fail with 'already exists'"), "warning"
        ctx.report(h.doc, f"nothing deletes this hook after it succeeds (no before-hook-creation or hook-succeeded) "
                          f"and {why}: {effect}. Add before-hook-creation", annotation=ANN_DELETE,
                   severity=severity if severity and ctx.severity == "error" else None)


def failure_evidence_deleted(ctx: CheckContext) -> None:
    """HL302"""
    for h in ctx.hooks:
        if h.kind in ("Job", "Pod") and "hook-failed" in h.delete_policies:
            logs = split_tokens(str(h.doc.annotations.get(ANN_LOGS) or ""))
            if "hook-failed" not in logs:
                ctx.report(h.doc, "hook-failed deletes a failed hook at once, with its pods and logs; add "
                                  "helm.sh/hook-output-log-policy: hook-failed (Helm 3.18+/4) to keep the logs, "
                                  "or drop hook-failed", annotation=ANN_DELETE)


def ttl_on_hook_job(ctx: CheckContext) -> None:
    """HL303"""
    for h in ctx.hooks:
        ttl = dig(h.doc.body, "spec", "ttlSecondsAfterFinished")
        if h.kind != "Job" or ttl is None:
            continue
        if ctx.target == "argocd":
            effect = "Argo CD can then wait for a hook that no longer exists"
        elif ctx.helm4:
            effect = ("Helm 4's status waiter never sees a deleted Job become Complete and waits until --timeout "
                      "(then runs the hook-failed policy)")
        else:
            effect = "Helm 3 counts the deletion as success, even for a Job that failed"
        # Whether the TTL controller wins against Helm's watch is timing (the watch normally sees the
        # Complete condition first), so this is never an error; a TTL longer than a minute cannot win
        # in practice and is only worth a note.
        short = not (isinstance(ttl, int) and not isinstance(ttl, bool)) or ttl <= 60
        ctx.report(h.doc, f"ttlSecondsAfterFinished ({ttl}) lets Kubernetes delete the hook Job on its own: if that "
                          f"happens before Helm's watch sees the Job finish (a race), {effect}. Use a delete "
                          "policy instead",
                   path=("spec", "ttlSecondsAfterFinished"),
                   severity=None if short else "info")


def hook_never_cleaned(ctx: CheckContext) -> None:
    """HL304"""
    for h in ctx.hooks:
        if h.kind not in ("Job", "Pod") or "hook-succeeded" in h.effective_policies:
            continue
        if h.kind == "Job" and dig(h.doc.body, "spec", "ttlSecondsAfterFinished") is not None:
            continue
        ctx.report(h.doc, f"this {h.kind} hook is never deleted after it succeeds, and helm uninstall does not "
                          "delete hooks: the finished object stays in the cluster forever. Add hook-succeeded "
                          "(with before-hook-creation)", annotation="helm.sh/hook")


def long_lived_kind_as_hook(ctx: CheckContext) -> None:
    """HL305"""
    for h in ctx.hooks:
        if h.kind in LONG_LIVED:
            ctx.report(h.doc, f"a {h.kind} hook is not part of the release: upgrades do not update it (it is only "
                              "re-created on its events), uninstall does not delete it, and Helm does not wait "
                              "for it. Make it an ordinary resource", annotation="helm.sh/hook")


def stateful_hook_recreated(ctx: CheckContext) -> None:
    """HL306"""
    for h in ctx.hooks:
        if h.kind not in STATEFUL or "before-hook-creation" not in h.effective_policies:
            continue
        rec = [e for e in h.events if e in RECURRING]
        if rec:
            default = "" if h.delete_policies else " (the default policy)"
            ctx.report(h.doc, f"before-hook-creation{default} deletes and re-creates this {h.kind} on every "
                              f"{rec[0]}: everything it holds is lost each time", annotation="helm.sh/hook",
                       event=rec[0])


def keep_with_delete_policy(ctx: CheckContext) -> None:
    """HL307"""
    for h in ctx.hooks:
        keep = str(h.doc.annotations.get(ANN_RESOURCE_POLICY) or "").strip().lower() == "keep"
        conflicting = [p for p in h.delete_policies if p in ("hook-succeeded", "hook-failed")]
        if keep and conflicting:
            ctx.report(h.doc, f"helm.sh/resource-policy: keep has no effect on hook deletion: {conflicting[0]} still "
                              "deletes this hook", annotation=ANN_RESOURCE_POLICY)


def delete_hook_needs_release_resource(ctx: CheckContext) -> None:
    """HL308"""
    main = {(d.kind, ctx.namespace(d), d.name): d for d in ctx.resources}
    order = ctx.hooks_for("post-delete")
    for h in ctx.hooks:
        if "post-delete" not in h.events:
            continue
        earlier = {(o.kind, ctx.namespace(o.doc), o.name) for o in order[:next(i for i, o in enumerate(order) if o is h)]}
        for ref in pod_refs(h.doc):
            key = (ref.kind, ctx.namespace(h.doc), ref.name)
            d = main.get(key)
            if d is None or key in earlier:
                continue  # not the release's, or re-created by an earlier post-delete hook
            if str(d.annotations.get(ANN_RESOURCE_POLICY) or "").strip().lower() == "keep":
                continue
            ctx.report(h.doc, f"this post-delete hook needs {ref.kind} '{ref.name}', an ordinary resource that helm "
                              "uninstall deletes before post-delete hooks run: the pod cannot start. Create it as "
                              "a post-delete hook with a lower weight", path=ref.path, event="post-delete")


# The patterns below are strings, compiled on first use (re's cache): only hooks with containers
# reach them, and compiling at import would cost every lint run.
# Images whose name (the last part of the repository, tag and digest left out) says they are a
# Kubernetes API client: bitnami/kubectl, rancher/kubectl, alpine/k8s, alpine/helm, dtzar/helm-kubectl.
_API_CLIENT_IMAGE = r"(?:^|[-_.])(?:kubectl|helm|k8s|kubernetes-client)(?:$|[-_.])"
# Commands that call the API server: kubectl, a helm command that reads or writes releases, or a
# client reaching the in-cluster endpoint or the pod's ServiceAccount token itself.
_API_CALL = (
    r"\bkubectl\b|\bhelm\s+(?:upgrade|install|uninstall|delete|get|list|ls|status|rollback|history)\b"
    r"|kubernetes\.default|KUBERNETES_SERVICE_HOST|/var/run/secrets/kubernetes\.io/serviceaccount"
)
# Credentials other than the pod's ServiceAccount token: then the ServiceAccount does not matter.
_OTHER_CREDENTIALS = r"--kubeconfig\b|--token\b|\bKUBECONFIG\b"


def _image_name(image: str) -> str:
    name = image.split("@", 1)[0].rsplit("/", 1)[-1]
    return name.split(":", 1)[0].lower()


def _api_call(container: dict[str, Any]) -> tuple[str, str] | None:
    """(what shows it, field) when this container calls the Kubernetes API with the pod's token."""
    words = [str(w) for key in ("command", "args") for w in items(container.get(key))]
    words += [str(e.get("name", "")) for e in items(container.get("env")) if isinstance(e, dict)]
    if any(re.search(_OTHER_CREDENTIALS, w) for w in words):
        return None
    image = str(container.get("image") or "")
    if re.search(_API_CLIENT_IMAGE, _image_name(image)):
        return f"image {image}", "image"
    for key in ("command", "args"):
        for w in items(container.get(key)):
            m = re.search(_API_CALL, str(w))
            if m is not None:
                return f"{key} running {m.group(0)}", key
    return None


def _bound_default_service_accounts(ctx: CheckContext) -> set[str]:
    """Namespaces whose `default` ServiceAccount the chart itself binds to a role."""
    bound: set[str] = set()
    for d in ctx.resources + [h.doc for h in ctx.hooks]:
        if d.kind not in ("RoleBinding", "ClusterRoleBinding"):
            continue
        for subject in items(dig(d.body, "subjects")):
            if isinstance(subject, dict) and subject.get("kind") == "ServiceAccount" and subject.get("name") == "default":
                bound.add(str(subject.get("namespace") or ctx.namespace(d)))
    return bound


def delete_hook_default_serviceaccount(ctx: CheckContext) -> None:
    """HL309"""
    bound = None
    for h in ctx.hooks:
        events = [e for e in h.events if e in ("pre-delete", "post-delete")]
        found = pod_spec(h.doc) if events else None
        if found is None:
            continue
        base, spec = found
        if spec.get("serviceAccountName") or spec.get("serviceAccount"):
            continue
        if bound is None:
            bound = _bound_default_service_accounts(ctx)
        if ctx.namespace(h.doc) in bound:
            continue
        for group, i, c in containers(spec):
            call = _api_call(c)
            if call is None:
                continue
            shown, key = call
            ctx.report(h.doc, f"this {events[0]} hook calls the Kubernetes API ({shown}) but sets no "
                              "serviceAccountName: its pod runs as the namespace's default ServiceAccount, which "
                              "has no RBAC permissions unless something grants them, so the calls are forbidden "
                              "and the hook fails the uninstall. Give it a ServiceAccount with the permissions it "
                              "needs, created as a hook of the same event with a lower weight",
                       path=(*base, group, i, key), event=events[0])
            break


def resource_hook_conversion(ctx: CheckContext) -> None:
    """HL310"""
    if ctx.baseline is None:
        return
    if ctx.baseline.error is not None:
        ctx.report(None, f"the baseline (--baseline) does not render, so changes between hooks and ordinary "
                         f"resources were not checked: {ctx.baseline.error}", pos=SourcePos("Chart.yaml", 1, 1))
        return
    was_resource = {ctx.identity(d): d for d in ctx.baseline.resources if d.name}
    was_hook = {ctx.identity(h.doc): h for h in ctx.baseline.hooks if h.name}
    for h in ctx.hooks:
        old = was_resource.get(ctx.identity(h.doc))
        if old is None or str(old.annotations.get(ANN_RESOURCE_POLICY) or "") == "keep":
            continue
        what = f"{h.kind} '{h.name}' was an ordinary resource in the baseline and is now a hook"
        if "pre-upgrade" in h.events:
            first = ("before-hook-creation deletes the live object and the hook creates it anew"
                     if "before-hook-creation" in h.effective_policies else
                     "creating the hook over the live object fails with 'already exists' (Helm 3)")
            effect = (f"the pre-upgrade hook runs first ({first}); then the upgrade deletes the object as a "
                      "resource no longer in the release, so after the upgrade it is gone")
        elif "post-upgrade" in h.events:
            effect = ("the upgrade deletes the live object as a resource no longer in the release, then the "
                      "post-upgrade hook creates it anew: whatever it held (generated passwords, state) is lost")
        else:
            effect = ("the upgrade deletes the live object as a resource no longer in the release, and this hook "
                      "does not run on upgrades, so after the upgrade it is gone")
        ctx.report(h.doc, f"{what}: on the upgrade from the baseline, {effect}. Keep it an ordinary resource, or "
                          "give the baseline's resource helm.sh/resource-policy: keep before converting it",
                   path=("metadata", "name"), event="pre-upgrade" if "pre-upgrade" in h.events else None)
    for d in ctx.resources:
        was = was_hook.get(ctx.identity(d))
        if was is None or "hook-succeeded" in was.effective_policies:
            continue
        if "meta.helm.sh/release-name" in was.doc.annotations:
            continue  # the chart writes Helm's ownership metadata itself: Helm adopts the object
        ctx.report(d, f"{d.kind} '{d.name}' was a hook in the baseline and is now an ordinary resource: the hook's "
                      "object is still in the cluster (its delete policy never removed it after success) and has no "
                      "release ownership metadata, so the upgrade from the baseline fails with 'rendered manifests "
                      "contain a resource that already exists ... invalid ownership metadata'. Delete it before "
                      "upgrading, or upgrade with --take-ownership (Helm 3.17 and later)",
                   path=("metadata", "name"))


def test_resource_not_hook(ctx: CheckContext) -> None:
    """HL320"""
    for d in ctx.resources:
        if "/tests/" in ctx.provenance.chart_relative(d.path) or d.path.split("/templates/")[-1].startswith("tests/"):
            ctx.report(d, f"this {d.kind} is in templates/tests/ but has no helm.sh/hook: test annotation, so it "
                          "is installed as an ordinary resource on every install and upgrade", path=("metadata",))


def test_hook_not_rerunnable(ctx: CheckContext) -> None:
    """HL321"""
    for h in ctx.hooks:
        if "test" not in h.events or not h.delete_policies or "before-hook-creation" in h.delete_policies:
            continue
        if not _fixed_name(h.doc):
            continue
        when = ("after a failed run" if "hook-succeeded" in h.delete_policies else "after any run")
        effect = ("re-applies over it when the release uses server-side apply, so an old Pod is not run again "
                  "(and fails with 'already exists' otherwise)" if ctx.helm4 else "fails with 'already exists'")
        ctx.report(h.doc, f"without before-hook-creation the test object stays {when}, and the next helm test "
                          f"{effect}. Add before-hook-creation", annotation=ANN_DELETE, event="test")


def test_success_alias(ctx: CheckContext) -> None:
    """HL323"""
    for h in ctx.hooks:
        if "test-success" in split_tokens(str(h.doc.annotations.get("helm.sh/hook") or "")):
            ctx.report(h.doc, "'test-success' is only a Helm 2 compatibility alias of 'test'; write 'test'",
                       annotation="helm.sh/hook", event="test")


def test_logs_deleted(ctx: CheckContext) -> None:
    """HL322"""
    for h in ctx.hooks:
        if h.kind == "Pod" and "test" in h.events and "hook-succeeded" in h.delete_policies:
            ctx.report(h.doc, "hook-succeeded deletes this test Pod before `helm test --logs` reads its logs "
                              "(before Helm 4.1): with --logs the command fails with 'unable to get pod logs' "
                              "although the tests passed. Use before-hook-creation only",
                       annotation=ANN_DELETE, event="test")

"""Naming and collisions: Helm identifies hooks by kind, namespace and name."""

from __future__ import annotations

import re

from hooklint.documents.manifests import list_items
from hooklint.lint.context import DNS1123_SUBDOMAIN, CheckContext, HookView, api_group

# A pattern string, not a compiled pattern: few charts need it, and compiling at import costs every
# lint run; re's own cache compiles it once, on first use.
_NONDETERMINISTIC = r"\b(randAlphaNum|randAlpha|randNumeric|randAscii|randInt|uuidv4|now|date|dateInZone|unixEpoch)\b"
SUBDOMAIN_KINDS = ("Job", "Pod", "ConfigMap", "Secret", "ServiceAccount", "PersistentVolumeClaim", "Deployment",
                   "StatefulSet", "DaemonSet", "CronJob", "ReplicaSet")


def _ident(ctx: CheckContext, h: HookView) -> tuple[str, str, str, str]:
    return (api_group(h.ref.api_version), h.kind, ctx.namespace(h.doc), h.name)


def hook_shadows_main_resource(ctx: CheckContext) -> None:
    """HL501"""
    main = {ctx.identity(d): d for d in ctx.resources if d.name}
    for h in ctx.hooks:
        if not h.name or _ident(ctx, h) not in main:
            continue
        effects = _shadow_effects(ctx, h)
        if effects:
            ctx.report(h.doc, f"hook {h.kind} '{h.name}' has the same identity as an ordinary resource of this "
                              f"chart: {'; '.join(effects)}. Give the hook its own name", path=("metadata", "name"))
        else:
            ctx.report(h.doc, f"hook {h.kind} '{h.name}' has the same identity as an ordinary resource of this "
                              "chart: the install works only because hook-succeeded deletes the hook before "
                              "the resource is created; if the hook fails, the install fails on the leftover. "
                              "Give the hook its own name", path=("metadata", "name"), severity="warning")


def _shadow_effects(ctx: CheckContext, h: HookView) -> list[str]:
    """What goes wrong when hook `h` and an ordinary resource are one object, by event and policy.

    pre-install hooks run (and hook-succeeded deletes them) before the ordinary resources exist;
    every other event finds the release's object already there."""
    policies = h.effective_policies
    out = []
    later = [e for e in dict.fromkeys(h.events) if e != "pre-install"]
    if later:
        if "before-hook-creation" in policies:
            out.append(f"each {'/'.join(later)} run's before-hook-creation deletes the release's live object and "
                       "creates the hook in its place")
        elif ctx.helm4:
            out.append(f"each {'/'.join(later)} run applies the hook over the release's live object (server-side "
                       "apply), or fails with 'already exists' for releases first installed by Helm 3")
        else:
            out.append(f"each {'/'.join(later)} run fails with 'already exists' (the release's object is there)")
    if "pre-install" in h.events and "hook-succeeded" not in policies:
        if ctx.helm4:
            out.append("on install the ordinary resource is applied over the hook's object (server-side apply), "
                       "which then belongs to both")
        else:
            out.append("on install the hook's object is still there when Helm creates the ordinary resource, "
                       "which fails with 'already exists'")
    return out


def duplicate_hook_identity(ctx: CheckContext) -> None:
    """HL502"""
    reported: set[tuple[int, str]] = set()
    for event in sorted({e for h in ctx.hooks for e in h.events}):
        first: dict[tuple[str, str, str, str], HookView] = {}
        for h in ctx.hooks_for(event):  # execution order: the later hook is the one that breaks the other
            if not h.name:
                continue
            key = _ident(ctx, h)
            other = first.setdefault(key, h)
            if other is h or other.doc is h.doc or (id(h), event) in reported:
                continue
            reported.add((id(h), event))
            if "before-hook-creation" in h.effective_policies:
                effect = "this one runs later and its before-hook-creation silently deletes the earlier one"
            elif ctx.helm4:
                effect = ("this one runs later and is applied over the earlier one (server-side apply), or fails "
                          "with 'already exists' for releases first installed by Helm 3")
            else:
                effect = "this one runs later and fails with 'already exists'"
            ctx.report(h.doc, f"two {event} hooks are both {h.kind} '{h.name}' (the other one is in "
                              f"{ctx.provenance.chart_relative(other.doc.path)}): {effect}",
                       path=("metadata", "name"), event=event)


def hook_name_nondeterministic(ctx: CheckContext) -> None:
    """HL504"""
    for h in ctx.hooks:
        pos = ctx.pos(h.doc, "metadata", "name")
        line = ctx.template_line(pos)
        m = re.search(_NONDETERMINISTIC, line.split("{{", 1)[1] if "{{" in line else "")
        if not (m and "name" in line):
            continue
        policies = h.effective_policies
        if "hook-succeeded" in policies and "hook-failed" in policies:
            continue  # every run deletes its own object, whatever its name: nothing is left behind
        left = ("the object of every failed run stays behind" if "hook-succeeded" in policies
                else "every run leaves its object behind")
        ctx.report(h.doc, f"the hook name is built with '{m.group(1)}', so it changes on every render: "
                          f"before-hook-creation matches by name and never finds the previous object, so {left} "
                          "and nothing ever deletes it", path=("metadata", "name"))


def hook_name_invalid(ctx: CheckContext) -> None:
    """HL505"""
    for d in [h.doc for h in ctx.hooks] + ctx.resources:
        for obj in list_items(d):  # a list is never sent itself: its items are the objects
            if obj.metadata.get("generateName"):
                continue
            if not obj.name:
                ctx.report(obj, f"this {obj.kind} has an empty metadata.name: Kubernetes rejects it when Helm "
                                "creates it", path=("metadata",))
            elif obj.kind in SUBDOMAIN_KINDS and (len(obj.name) > 253 or not DNS1123_SUBDOMAIN.match(obj.name)):
                ctx.report(obj, f"'{obj.name}' is not a valid {obj.kind} name (lowercase letters, digits, '-' and '.', "
                                "at most 253 characters): Kubernetes rejects it when Helm creates it",
                           path=("metadata", "name"))


def hook_name_not_release_scoped(ctx: CheckContext) -> None:
    """HL503"""
    release = ctx.release_name
    for h in ctx.hooks:
        if not h.name or release in h.name or h.kind in ("CustomResourceDefinition", "Namespace"):
            continue
        if h.doc.metadata.get("namespace") not in (None, "", ctx.release_namespace):
            continue
        line = ctx.template_line(ctx.pos(h.doc, "metadata", "name"))
        if re.search(_NONDETERMINISTIC, line):
            continue  # HL504
        ctx.report(h.doc, f"hook name '{h.name}' does not contain the release name: two releases of this chart in "
                          "one namespace use the same hook object, so one release's hook deletes (before-hook-"
                          "creation) or collides with the other's. Build the name from .Release.Name or the "
                          "fullname helper", path=("metadata", "name"))

"""What an upgrade (or a rollback) does to the release's objects, beyond applying the new manifest.

Helm v3.17.1 `pkg/action/upgrade.go` performUpgrade and `pkg/kube/client.go` Update:
- objects are matched by group, kind, namespace and name (`isMatchingInfo`: the version is not
  part of it), so an object that changes kind, API group or namespace is a new object, and the
  old one is deleted after the new one is applied;
- a resource that left the manifest is deleted unless the live object's
  `helm.sh/resource-policy` is exactly `keep`;
- an object new to the manifest that already exists without this release's ownership metadata
  stops the upgrade before any hook runs (`existingResourceConflict`);
- `crds/` is read by install only: an upgrade never creates, updates or deletes those CRDs.
Hooks are not part of the manifest: a resource turned hook is deleted by the upgrade, a hook turned
resource collides with the hook's leftover object, and every hook of the event runs again.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from hooklint.documents.hooks import RESOURCE_POLICY_ANNOTATION, Classified, Hook, object_ref
from hooklint.model import Document, ObjectRef
from hooklint.plan.builders import objects
from hooklint.plan.context import PlanContext
from hooklint.plan.hookexec import hooks_for_event
from hooklint.plan.model import Source

# Kinds whose deletion loses data or takes other objects with it: a PVC (and its volume, with the
# default Delete reclaim policy), a PV, a StatefulSet (its pods' identity; its PVCs stay), a
# Namespace (everything in it), a CRD (every custom resource of it).
STATEFUL_KINDS = frozenset(
    {"PersistentVolumeClaim", "PersistentVolume", "StatefulSet", "Namespace", "CustomResourceDefinition"}
)

SEVERITIES = ("danger", "warning", "info")

# code -> what it means (README / docs list these; `--fail-on` selects by code group)
CODES = {
    "deleted": "a resource left the chart: the upgrade deletes it",
    "kept": "a resource left the chart with helm.sh/resource-policy: keep: it stays, unmanaged",
    "resource-to-hook": "a resource became a hook: the upgrade deletes the live object",
    "hook-to-resource": "a hook became a resource: its leftover object collides",
    "kind-changed": "same name, another kind: a new object, the old one deleted",
    "group-changed": "same kind, another API group: a new object, the old one deleted",
    "namespace-moved": "same object, another namespace: created there, deleted here",
    "hook-order": "hooks of an event run in another order",
    "hook-renamed": "a hook's name changed (template unchanged in place)",
    "hook-added": "a hook now runs for this event",
    "hook-removed": "a hook no longer runs for this event",
    "hook-reruns": "an unchanged hook runs again on every upgrade",
    "hook-order-release-name": "hooks of one weight whose order depends on the release name",
    "crd-not-installed": "a CRD added to crds/ is not created by an upgrade",
    "crd-not-upgraded": "a CRD changed in crds/ is not updated by an upgrade",
    "crd-not-deleted": "a CRD removed from crds/ stays in the cluster",
}

Key = tuple[str, str, str, str]  # group, kind, namespace, name: Helm's isMatchingInfo


@dataclass
class Change:
    code: str
    severity: str
    object: ObjectRef
    message: str
    event: str  # the transition: "upgrade" or "rollback"
    source: Source | None = None  # in the chart as it is now
    baseline_source: Source | None = None  # in the baseline
    hook_event: str | None = None
    stateful: bool = False
    deletes: bool = False  # the transition deletes a live object
    fails: str | None = None  # Helm's error when this change makes the transition fail
    findings: list[str] = field(default_factory=list)  # lint rule ids on this object

    def to_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {
            "code": self.code,
            "severity": self.severity,
            "event": self.event,
            "object": self.object.to_dict(),
            "message": self.message,
            "source": self.source.to_dict() if self.source else None,
            "baseline_source": self.baseline_source.to_dict() if self.baseline_source else None,
            "stateful": self.stateful,
            "deletes": self.deletes,
            "findings": list(self.findings),
        }
        if self.hook_event is not None:
            d["hook_event"] = self.hook_event
        if self.fails is not None:
            d["fails"] = self.fails
        return d


def _group(api_version: str) -> str:
    return api_version.rsplit("/", 1)[0] if "/" in api_version else ""


def key_of(ref: ObjectRef) -> Key:
    return (_group(ref.api_version), ref.kind, ref.namespace or "", ref.name)


def _policy(doc: Document) -> str | None:
    ann = (((doc.head or {}).get("metadata") or {}).get("annotations")) or {}
    value = ann.get(RESOURCE_POLICY_ANNOTATION)
    return None if value is None else str(value)


def _meta(doc: Document, what: str) -> dict[str, str]:
    meta = doc.body.get("metadata") if isinstance(doc.body, dict) else None
    values = meta.get(what) if isinstance(meta, dict) else None
    return {str(k): str(v) for k, v in values.items()} if isinstance(values, dict) else {}


def not_in_original(ref: ObjectRef, v4: bool) -> str:
    """KubeClient.Update on an object that exists but is not in the manifest it replaces."""
    if v4:  # v4.1.4 pkg/kube/client.go Update
        return f'original object {ref.kind} with the name "{ref.name}" not found'
    return f'no {ref.kind} with the name "{ref.name}" found'


def ownership_error(doc: Document, release: str, namespace: str, ref: ObjectRef, v4: bool = False) -> str | None:
    """validate.go checkOwnership on the live object as the baseline's hook created it (hooks get no
    ownership metadata from Helm; only what the chart wrote itself): Helm's upgrade error, or None."""
    labels, annotations = _meta(doc, "labels"), _meta(doc, "annotations")
    errors = []
    for where, values, k, v in (
        ("label", labels, "app.kubernetes.io/managed-by", "Helm"),
        ("annotation", annotations, "meta.helm.sh/release-name", release),
        ("annotation", annotations, "meta.helm.sh/release-namespace", namespace),
    ):
        if k not in values:
            errors.append(f'{where} validation error: missing key "{k}": must be set to "{v}"')
        elif values[k] != v:
            errors.append(f'{where} validation error: key "{k}" must equal "{v}": current value is "{values[k]}"')
    if not errors:
        return None
    prefix = "unable" if v4 else "Unable"  # v4.1.4 upgrade.go wraps with a lower-case message
    return (f'{prefix} to continue with update: {ref.kind} "{ref.name}" in namespace "{ref.namespace or ""}" exists '
            "and cannot be imported into the current release: invalid ownership metadata; " + "; ".join(errors))


class _Side:
    """One rendering's objects keyed like Helm matches them."""

    def __init__(self, ctx: PlanContext, classified: Classified) -> None:
        self.ctx = ctx
        self.resources: dict[Key, Document] = {}
        for d in objects(classified.resources):
            self.resources.setdefault(key_of(ctx.ref(object_ref(d))), d)
        self.hooks: dict[Key, Hook] = {}
        for h in classified.hooks:
            self.hooks.setdefault(key_of(ctx.ref(h.ref)), h)
        self.crds: dict[str, Document] = {}
        for d in classified.crds:
            if d.head and d.head.get("kind"):
                self.crds.setdefault(object_ref(d).name, d)

    def ref(self, doc: Document) -> ObjectRef:
        return self.ctx.ref(object_ref(doc))

    def source(self, doc: Document) -> Source | None:
        return self.ctx.doc_source(doc)


def transition_changes(
    ctx: PlanContext,
    old: Classified,
    new: Classified,
    event: str = "upgrade",
    *,
    baseline_source_of: Any = None,
) -> list[Change]:
    """The changes of moving the release from `old` (live) to `new` (applied). upgrade: old is the
    baseline, new the chart now; rollback: old is the chart now, new the baseline."""
    a, b = _Side(ctx, old), _Side(ctx, new)
    src_now = ctx.doc_source
    src_base = _source_fn(ctx, baseline_source_of)

    def change(code: str, severity: str, ref: ObjectRef, message: str, old_doc: Document | None,
               new_doc: Document | None, **kw: Any) -> Change:
        """`old_doc` is from `old`, `new_doc` from `new`; positions go to the chart now / the baseline."""
        now, base = (new_doc, old_doc) if event == "upgrade" else (old_doc, new_doc)
        return Change(code=code, severity=severity, object=ref, message=message, event=event,
                      source=src_now(now) if now is not None else None,
                      baseline_source=src_base(base) if base is not None else None, **kw)

    changes: list[Change] = []
    changes += _resources_left(ctx, a, b, event, change)
    changes += _hooks_turned_resources(ctx, a, b, event, change)
    if event == "rollback":
        changes += _kept_come_back(ctx, a, b, change)
    changes += _hook_changes(ctx, old, new, a, b, event, change)
    if event == "upgrade":
        changes += _crd_changes(a, b, change)
    order = {s: i for i, s in enumerate(SEVERITIES)}
    return sorted(changes, key=lambda c: order[c.severity])  # stable: kind order within a severity


def _source_fn(ctx: PlanContext, mapper: Any) -> Any:
    if mapper is None:
        return ctx.doc_source
    return lambda doc: mapper(doc.pos, doc.path) if doc.pos is not None else None


def _resources_left(ctx: PlanContext, a: _Side, b: _Side, event: str, change: Any) -> list[Change]:
    out: list[Change] = []
    verb = "upgrade" if event == "upgrade" else "rollback"
    by_name: dict[tuple[str, str], list[Key]] = {}
    by_identity: dict[tuple[str, str, str], list[Key]] = {}
    for k in b.resources:
        if k in a.resources or k in a.hooks:
            continue  # not new: it cannot be what this object turned into
        by_name.setdefault((k[2], k[3]), []).append(k)
        by_identity.setdefault((k[0], k[1], k[3]), []).append(k)
    for k, doc in a.resources.items():
        if k in b.resources:
            continue
        ref = a.ref(doc)
        stateful = ref.kind in STATEFUL_KINDS
        policy = _policy(doc)
        if k in b.hooks:
            hook = b.hooks[k]
            out.append(_resource_to_hook(ref, doc, hook, event, change, policy, stateful))
            continue
        if policy == "keep":
            then = (" (a rollback to the baseline then fails: the object is live but not in the upgraded "
                    "release's manifest)") if event == "upgrade" else ""
            out.append(change("kept", "info", ref, f"left the chart; helm.sh/resource-policy: keep: the {verb} "
                              f"leaves it in the cluster, no longer managed by the release{then}", doc, None))
            continue
        same_name = [x for x in by_name.get((k[2], k[3]), []) if x[1] != k[1]]
        same_group_kind = [x for x in by_name.get((k[2], k[3]), []) if x[1] == k[1] and x[0] != k[0]]
        moved = [x for x in by_identity.get((k[0], k[1], k[3]), []) if x[2] != k[2]]
        extra = ""
        if policy is not None:
            extra = f' (its helm.sh/resource-policy "{policy}" is not exactly "keep")'
        stateful_text = " It holds state: " + _stateful_loss(ref.kind) if stateful else ""
        severity = "danger" if stateful else "warning"
        if same_group_kind:
            new_doc = b.resources[same_group_kind[0]]
            nref = b.ref(new_doc)
            out.append(change(
                "group-changed", severity, ref,
                f"now {nref.api_version}: Helm matches objects by API group, so the {verb} applies the "
                f"{nref.api_version} object, then deletes the {ref.api_version} one{extra}; where both groups "
                "serve the same objects (Ingress in extensions and networking.k8s.io) that deletes the object it "
                "just applied." + stateful_text, doc, new_doc, stateful=stateful, deletes=True))
        elif same_name:
            new_doc = b.resources[same_name[0]]
            nref = b.ref(new_doc)
            out.append(change(
                "kind-changed", severity, ref,
                f"now a {nref.kind} of the same name: the {verb} creates the {nref.kind}, then deletes this "
                f"{ref.kind}{extra} (different objects: nothing carries over)." + stateful_text,
                doc, new_doc, stateful=stateful, deletes=True))
        elif moved:
            new_doc = b.resources[moved[0]]
            out.append(change(
                "namespace-moved", severity, ref,
                f"moved to namespace {moved[0][2] or ctx.options.namespace}: the {verb} creates it there, then "
                f"deletes it from {k[2]}{extra}." + stateful_text, doc, new_doc, stateful=stateful, deletes=True))
        else:
            out.append(change(
                "deleted", severity, ref,
                f"left the chart: the {verb} deletes it{extra} (Background propagation, no wait; a delete "
                "error is only logged)." + stateful_text, doc, None, stateful=stateful, deletes=True))
    return out


def _stateful_loss(kind: str) -> str:
    return {
        "PersistentVolumeClaim": "its volume goes with it under the default Delete reclaim policy",
        "PersistentVolume": "the volume and its data go under the Delete reclaim policy",
        "StatefulSet": "its pods go (their PersistentVolumeClaims stay behind, unmanaged)",
        "Namespace": "everything in the namespace is deleted with it",
        "CustomResourceDefinition": "every custom resource of this kind is deleted with it",
    }[kind]


def _resource_to_hook(ref: ObjectRef, doc: Document, hook: Hook, event: str, change: Any, policy: str | None,
                      stateful: bool) -> Change:
    events = [e.value for e in hook.events]
    pre, post = f"pre-{event}", f"post-{event}"
    if policy == "keep":
        text = ("the release no longer lists it and its live helm.sh/resource-policy is keep, so it is not "
                "deleted; the hook runs over it")
        deletes = False
    elif pre in events:
        first = ("before-hook-creation deletes the live object, the hook creates it anew"
                 if hook.has_policy("before-hook-creation")
                 else "creating the hook over the live object fails with 'already exists' (Helm 3)")
        text = (f"the {pre} hook runs first ({first}); then the {event} deletes the object as a resource no "
                "longer in the release: after the " + event + " it is gone")
        deletes = True
    elif post in events:
        text = (f"the {event} deletes the live object as a resource no longer in the release, then the {post} "
                "hook creates it anew: what it held is lost")
        deletes = True
    else:
        text = (f"the {event} deletes the live object as a resource no longer in the release, and this hook does "
                f"not run on {event}: after the {event} it is gone")
        deletes = True
    severity = "danger" if deletes else "info"
    what = (f"an ordinary resource in the baseline, now a {', '.join(events) or 'hook'} hook" if event == "upgrade"
            else f"an ordinary resource now, a {', '.join(events) or 'hook'} hook in the baseline")
    return change("resource-to-hook", severity, ref, f"{what}: {text}", doc, hook.doc, stateful=stateful,
                  deletes=deletes, hook_event=pre if pre in events else (post if post in events else None))


def _kept_come_back(ctx: PlanContext, a: _Side, b: _Side, change: Any) -> list[Change]:
    """rollback: a resource of the baseline that the upgrade left in place (policy keep) is live but not in
    the release being replaced: KubeClient.Update refuses it (`no <kind> with the name ... found`)."""
    out: list[Change] = []
    for k, doc in b.resources.items():
        if k in a.resources or k in a.hooks or _policy(doc) != "keep":
            continue
        ref = b.ref(doc)
        out.append(change("kept", "danger", ref, "kept by the upgrade (helm.sh/resource-policy: keep) and back in "
                          "the baseline: the rollback finds it live but not in the release it replaces, so the "
                          "rollback fails at this object", None, doc, fails=not_in_original(ref, ctx.v4)))
    return out


def _ran_before(hook: Hook) -> bool:
    """Whether the hook's object exists after install/upgrade: it ran (an install or upgrade hook)
    and no hook-succeeded policy deleted it."""
    ran = any(e.value in ("pre-install", "post-install", "pre-upgrade", "post-upgrade") for e in hook.events)
    return ran and not hook.has_policy("hook-succeeded") and hook.kind != "CustomResourceDefinition"


def _hooks_turned_resources(ctx: PlanContext, a: _Side, b: _Side, event: str, change: Any) -> list[Change]:
    out: list[Change] = []
    for k, doc in b.resources.items():
        hook = a.hooks.get(k)
        if hook is None or k in a.resources:
            continue
        ref = b.ref(doc)
        if event == "rollback":
            # back to a baseline where it was a resource: the upgrade deleted it when it left the manifest;
            # a post-upgrade hook then created it again, and that object is still there unless
            # hook-succeeded removed it: KubeClient.Update finds it live but not in the current manifest
            if "post-upgrade" in [e.value for e in hook.events] and not hook.has_policy("hook-succeeded"):
                msg = ("a post-upgrade hook now, an ordinary resource in the baseline: the hook's object stays after "
                       "the upgrade, and the rollback finds it live but not in the release it replaces, so the "
                       "rollback fails at this object")
                out.append(change("hook-to-resource", "danger", ref, msg, hook.doc, doc,
                                  fails=not_in_original(ref, ctx.v4)))
            else:
                msg = ("a hook now, an ordinary resource in the baseline: the upgrade deleted the resource when it "
                       "left the manifest, so the rollback creates it again (what it held is gone)")
                out.append(change("hook-to-resource", "warning", ref, msg, hook.doc, doc))
        elif _ran_before(hook):
            error = ownership_error(hook.doc, ctx.options.release_name, ctx.options.namespace, ref, ctx.v4)
            if error is None:
                msg = ("a hook in the baseline, now an ordinary resource: its leftover object carries this "
                       "release's ownership metadata, so the upgrade adopts it")
                out.append(change("hook-to-resource", "info", ref, msg, hook.doc, doc))
            else:
                msg = ("a hook in the baseline, now an ordinary resource: the hook's object is still in the "
                       "cluster (no hook-succeeded policy removed it) without this release's ownership "
                       f"metadata, so the {event} fails before any hook runs. Delete it first, or "
                       "upgrade with --take-ownership (Helm 3.17 and later)")
                out.append(change("hook-to-resource", "danger", ref, msg, hook.doc, doc, fails=error))
        else:
            msg = ("a hook in the baseline, now an ordinary resource: the hook's object was deleted after it "
                   f"ran (or never ran), so the {event} creates it")
            out.append(change("hook-to-resource", "info", ref, msg, hook.doc, doc))
    return out


def _hook_identity(h: Hook) -> tuple[str, str, str]:
    return (_group(h.ref.api_version), h.kind, h.name)


def _hook_changes(ctx: PlanContext, old: Classified, new: Classified, a: _Side, b: _Side, event: str,
                  change: Any) -> list[Change]:
    out: list[Change] = []
    hook_events = sorted({e.value for h in (*old.hooks, *new.hooks) for e in h.events}, key=_event_order)
    if event == "rollback":  # a rollback runs the baseline's rollback hooks and no others
        hook_events = [e for e in hook_events if e in ("pre-rollback", "post-rollback")]
    for hook_event in hook_events:
        before = hooks_for_event(old.hooks, hook_event)
        after = hooks_for_event(new.hooks, hook_event)
        ids_before = [_hook_identity(h) for h in before]
        ids_after = [_hook_identity(h) for h in after]
        gone = [h for h in before if _hook_identity(h) not in ids_after]
        added = [h for h in after if _hook_identity(h) not in ids_before]
        renamed: dict[int, Hook] = {}  # id(added hook) -> its old self (same kind, template, document)
        for h in added:
            twin = next((g for g in gone if g.kind == h.kind and (g.doc.path, g.doc.index) == (h.doc.path,
                                                                                              h.doc.index)), None)
            if twin is not None:
                renamed[id(h)] = twin
                gone.remove(twin)
        switched = set(a.resources) | set(b.resources)  # reported as resource-to-hook / hook-to-resource
        added = [h for h in added if key_of(ctx.ref(h.ref)) not in switched]
        gone = [h for h in gone if key_of(ctx.ref(h.ref)) not in switched]
        for h in added:
            ref = ctx.ref(h.ref)
            twin = renamed.get(id(h))
            if twin is not None:
                out.append(change("hook-renamed", "warning", ref, f"{hook_event} hook renamed from {twin.name} (same "
                                  "template document): a hook of another name is a new object, and among hooks of "
                                  "the same weight the name decides the order; the old object stays unless a delete "
                                  "policy removed it", twin.doc, h.doc, hook_event=hook_event))
            else:
                out.append(change("hook-added", "info", ref, f"now a {hook_event} hook (weight {h.weight})",
                                  None, h.doc, hook_event=hook_event))
        for h in gone:
            out.append(change("hook-removed", "info", ctx.ref(h.ref), f"no longer a {hook_event} hook",
                              h.doc, None, hook_event=hook_event))
        out += _order_changes(ctx, before, after, hook_event, change)
        if event == "upgrade":
            out += _release_name_order(ctx, after, hook_event, change)
        if event == "upgrade" and hook_event in ("pre-upgrade", "post-upgrade"):
            for h in after:
                twin = next((g for g in before if _hook_identity(g) == _hook_identity(h)), None)
                if twin is not None and twin.doc.body == h.doc.body:
                    out.append(change("hook-reruns", "info", ctx.ref(h.ref), f"unchanged, and still runs again "
                                      f"({hook_event}): Helm runs every {hook_event} hook on each upgrade",
                                      twin.doc, h.doc, hook_event=hook_event))
    return out


_EVENT_ORDER = ("pre-install", "post-install", "pre-upgrade", "post-upgrade", "pre-rollback", "post-rollback",
                "pre-delete", "post-delete", "test")


def _event_order(event: str) -> int:
    return _EVENT_ORDER.index(event) if event in _EVENT_ORDER else len(_EVENT_ORDER)


def moved_indices(ranks: list[int]) -> set[int]:
    """Positions (in `ranks`) not on one longest increasing subsequence: the fewest items whose
    move explains the new order."""
    if not ranks:
        return set()
    import bisect

    tails: list[int] = []  # tails[i]: position in ranks of the smallest tail of an LIS of length i+1
    prev = [-1] * len(ranks)
    for i, r in enumerate(ranks):
        j = bisect.bisect_left([ranks[t] for t in tails], r)
        if j > 0:
            prev[i] = tails[j - 1]
        if j == len(tails):
            tails.append(i)
        else:
            tails[j] = i
    keep: set[int] = set()
    i = tails[-1]
    while i != -1:
        keep.add(i)
        i = prev[i]
    return set(range(len(ranks))) - keep


def _order_changes(ctx: PlanContext, before: list[Hook], after: list[Hook], hook_event: str,
                   change: Any) -> list[Change]:
    """Hooks both versions run whose relative order flipped. A flipped pair is blamed on the hooks
    whose weight changed; a pair where neither weight changed (names decide) on the hook off one
    longest increasing subsequence."""
    ids_before = [_hook_identity(h) for h in before]
    ids_after = [_hook_identity(h) for h in after]
    common_after = [h for h in after if _hook_identity(h) in ids_before]
    common_before = [h for h in before if _hook_identity(h) in ids_after]
    rank = {_hook_identity(h): i for i, h in enumerate(common_before)}
    ranks = [rank[_hook_identity(h)] for h in common_after]
    lis_moved = moved_indices(ranks)
    weight_changed = {i for i, h in enumerate(common_after) if common_before[ranks[i]].weight != h.weight}
    blamed: dict[int, list[int]] = {}  # index in common_after -> the hooks it swapped places with
    for i in range(len(ranks)):
        for j in range(i + 1, len(ranks)):
            if ranks[i] < ranks[j]:
                continue
            culprits = [x for x in (i, j) if x in weight_changed] or [x for x in (i, j) if x in lis_moved] or [i]
            for x in culprits:
                blamed.setdefault(x, []).append(j if x == i else i)
    out: list[Change] = []
    for i in sorted(blamed):
        h = common_after[i]
        old = common_before[ranks[i]]
        why = (f"weight {old.weight} -> {h.weight}" if old.weight != h.weight
               else f"same weight {h.weight}: ordered by name")
        now_before = [common_after[j].name for j in blamed[i] if j > i]
        now_after = [common_after[j].name for j in blamed[i] if j < i]
        where = "; ".join(x for x in (f"now runs before {', '.join(now_before)}" if now_before else "",
                                      f"now runs after {', '.join(now_after)}" if now_after else "") if x)
        out.append(change("hook-order", "warning", ctx.ref(h.ref), f"{hook_event} order changed ({why}): {where}",
                          old.doc, h.doc, hook_event=hook_event))
    return out


def _name_order(group: list[Hook], name: str, other: str) -> list[int]:
    """The hooks' order by name with the release name replaced by `other`."""
    return sorted(range(len(group)), key=lambda i: group[i].name.replace(name, other))


def _release_name_order(ctx: PlanContext, hooks: list[Hook], hook_event: str, change: Any) -> list[Change]:
    """Hooks of one weight run in name order; when the release name is part of some names and not of
    others (or sits at different places), another release name gives another order."""
    name = ctx.options.release_name
    if not name:
        return []
    out: list[Change] = []
    by_weight: dict[int, list[Hook]] = {}
    for h in hooks:
        by_weight.setdefault(h.weight, []).append(h)
    for weight, group in by_weight.items():
        if len(group) < 2 or not any(name in h.name for h in group):
            continue
        orders = {tuple(_name_order(group, name, other)) for other in ("", "\x00", "\U0010ffff")}
        if len(orders) == 1:
            continue
        names = ", ".join(h.name for h in group)
        first = next(h for h in group if name in h.name)
        out.append(change("hook-order-release-name", "info", ctx.ref(first.ref), f"{hook_event} hooks of weight "
                          f"{weight} ({names}) run in name order, and the release name is part of some names: "
                          "another release name runs them in another order. Give them distinct weights",
                          None, first.doc, hook_event=hook_event))
    return out


def _crd_changes(a: _Side, b: _Side, change: Any) -> list[Change]:
    out: list[Change] = []
    for name, doc in b.crds.items():
        ref = object_ref(doc)
        ref = ObjectRef(ref.api_version, ref.kind, ref.name, None)
        old = a.crds.get(name)
        if old is None:
            out.append(change("crd-not-installed", "warning", ref, "added to crds/: helm upgrade does not create "
                              "CRDs from crds/ (only install does), so custom resources of this kind fail to apply "
                              "until the CRD is created by hand", None, doc))
        elif old.body != doc.body:
            out.append(change("crd-not-upgraded", "warning", ref, "changed in crds/: helm upgrade does not update "
                              "CRDs from crds/; the cluster keeps the old definition until it is applied by hand",
                              old, doc))
    for name, doc in a.crds.items():
        if name not in b.crds:
            ref = object_ref(doc)
            out.append(change("crd-not-deleted", "info", ObjectRef(ref.api_version, ref.kind, ref.name, None),
                              "removed from crds/: Helm never deletes CRDs, it stays in the cluster", doc, None))
    return out

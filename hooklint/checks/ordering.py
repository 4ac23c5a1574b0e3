"""Ordering and dependencies: what exists when a hook's pod starts.

Install order (install.go): CRDs from crds/, then pre-install hooks (weight, then name), then every
ordinary resource, then post-install hooks. A pod that needs a ServiceAccount, Secret, ConfigMap or
PVC that does not exist yet cannot start, and Helm waits for the hook until --timeout.
"""

from __future__ import annotations

from pathlib import Path

from hooklint.lint.context import CheckContext, HookView, PodRef, dig, pod_refs
from hooklint.model import Document


def _key(ctx: CheckContext, doc: Document, kind: str, name: str) -> tuple[str, str, str]:
    return (kind, ctx.namespace(doc), name)


def _main_index(ctx: CheckContext) -> dict[tuple[str, str, str], Document]:
    return {(d.kind, ctx.namespace(d), d.name): d for d in ctx.resources}


def _hook_providers(ctx: CheckContext, event: str) -> dict[tuple[str, str, str], list[int]]:
    out: dict[tuple[str, str, str], list[int]] = {}
    for i, h in enumerate(ctx.hooks_for(event)):
        out.setdefault((h.kind, ctx.namespace(h.doc), h.name), []).append(i)
    return out


def _article(kind: str) -> str:
    return f"{kind} '"


# Release names that sort before and after any name character: substituted for the linted release
# name to see whether an equal-weight name order holds for every release.
_PROBE_RELEASES = ("0", "a", "zzzzzzzz")


def name_order_depends_on_release(ctx: CheckContext, first: HookView, second: HookView) -> bool:
    """Whether `first` runs before `second` only because of the release's name.

    Equal weights run in name order, and hook names usually contain the release name (through the
    fullname helper): `pre-install-<release>` sorts before `<release>-scripts` for `release-name`
    but after it for a release called `kibana`. When the user did not give --release-name, such an
    order is a guess about the real release, not a fact about the chart.
    """
    if first.weight != second.weight or ctx.release_name_given:
        return False
    rel = ctx.release_name
    a, b = first.name, second.name
    if not rel or (rel not in a and rel not in b):
        return False
    return any(not (a.replace(rel, p) < b.replace(rel, p)) for p in _PROBE_RELEASES)


def _release_note(ctx: CheckContext) -> str:
    return (f" with the release name '{ctx.release_name}' (the names contain it, so another release name can "
            "reverse the order; pass --release-name to check yours)")


def pre_hook_needs_main_resource(ctx: CheckContext) -> None:
    """HL201"""
    main = _main_index(ctx)
    order = ctx.hooks_for("pre-install")
    providers = _hook_providers(ctx, "pre-install")
    for i, h in enumerate(order):
        if any(o is h for o in order[:i]):
            continue  # listed twice: report once
        for ref in pod_refs(h.doc):
            key = _key(ctx, h.doc, ref.kind, ref.name)
            if key not in main:
                continue
            if any(j < i for j in providers.get(key, [])):
                continue
            ctx.report(h.doc, f"this pre-install hook needs {ref.kind} '{ref.name}', which the chart creates "
                              "only as an ordinary resource, after the pre-install hooks: on a first install "
                              "the pod cannot start and Helm waits until --timeout. Make it a pre-install hook "
                              "with a lower weight", path=ref.path, event="pre-install")


def hook_dependency_ordered_after(ctx: CheckContext) -> None:
    """HL203"""
    events = sorted({e for h in ctx.hooks for e in h.events})
    main = _main_index(ctx)
    for event in events:
        order = ctx.hooks_for(event)
        providers = _hook_providers(ctx, event)
        for i, h in enumerate(order):
            if any(o is h for o in order[:i]):
                continue
            for ref in pod_refs(h.doc):
                key = _key(ctx, h.doc, ref.kind, ref.name)
                idx = providers.get(key, [])
                if not idx or any(j < i for j in idx):
                    continue
                if key in main and event not in ("pre-install", "post-delete"):
                    continue  # an ordinary resource may already provide it
                p = order[idx[0]]
                guess = name_order_depends_on_release(ctx, h, p)
                note = _release_note(ctx) if guess else ""
                ctx.report(h.doc, f"this {event} hook needs {ref.kind} '{ref.name}', which is a hook of the same "
                                  f"event that runs after it{note} (weight {p.weight} vs {h.weight}; equal weights "
                                  "run in name order): the pod cannot start and Helm waits until --timeout. Give "
                                  f"the {ref.kind} a lower weight", path=ref.path, event=event,
                           severity="warning" if guess and ctx.severity == "error" else None)


def post_hook_gates_readiness(ctx: CheckContext) -> None:
    """HL205"""
    main = _main_index(ctx)
    hook_keys: dict[tuple[str, str, str], HookView] = {}
    for h in ctx.hooks:
        hook_keys.setdefault((h.kind, ctx.namespace(h.doc), h.name), h)
    for doc in ctx.resources:
        for ref in pod_refs(doc):
            key = _key(ctx, doc, ref.kind, ref.name)
            provider = hook_keys.get(key)
            if key in main or provider is None:
                continue
            if any(e.startswith("pre-") for e in provider.events):
                continue
            if not any(e in ("post-install", "post-upgrade") for e in provider.events):
                continue
            if ctx.target == "argocd":
                waits = ("Argo CD runs PostSync hooks only after every resource is healthy, so the sync never "
                         "gets there")
            elif ctx.target == "flux":
                waits = ("Flux waits for the pods before Helm runs post hooks (disableWait is false by default), "
                         "so the release deadlocks until the timeout")
            else:
                waits = ("with --wait Helm waits for the pods before running post hooks, so the release "
                         "deadlocks until --timeout")
            ctx.report(doc, f"this workload needs {ref.kind} '{ref.name}', which only a post-install/post-upgrade "
                            f"hook creates: its pods cannot start before the hooks run; {waits}",
                       path=_ref_path(ref))


def _ref_path(ref: PodRef) -> tuple[str | int, ...]:
    return ref.path


def main_cr_needs_hook_crd(ctx: CheckContext) -> None:
    """HL207"""
    hook_crds: dict[tuple[str, str], HookView] = {}
    for h in ctx.hooks:
        if h.kind == "CustomResourceDefinition":
            group = dig(h.doc.body, "spec", "group")
            kind = dig(h.doc.body, "spec", "names", "kind")
            if isinstance(group, str) and isinstance(kind, str):
                hook_crds[(group, kind)] = h
    if not hook_crds:
        return
    main_crds = {
        (dig(d.body, "spec", "group"), dig(d.body, "spec", "names", "kind"))
        for d in ctx.resources if d.kind == "CustomResourceDefinition"
    }
    # Helm installs the crds/ directory of the chart and of every subchart before anything else.
    crd_dirs = _crd_dirs(ctx.chart_dir)
    crd_dir_text = "\n".join(p.read_text(encoding="utf-8", errors="replace")
                             for d in crd_dirs if d.is_dir() for p in sorted(d.rglob("*")) if p.is_file())
    for doc in ctx.resources:
        group = doc.api_version.rsplit("/", 1)[0] if "/" in doc.api_version else ""
        key = (group, doc.kind)
        if key not in hook_crds or key in main_crds or f"kind: {doc.kind}" in crd_dir_text:
            continue
        ctx.report(doc, f"{doc.kind} ({group}) is defined only by a hook CustomResourceDefinition, but Helm maps "
                        "every ordinary resource to its API before it runs any hook: on a cluster without the "
                        "CRD the install fails with 'no matches for kind'. Move the CRD to crds/",
                   path=("kind",))


def crd_as_hook(ctx: CheckContext) -> None:
    """HL208"""
    for h in ctx.hooks:
        if h.kind == "CustomResourceDefinition":
            ctx.report(h.doc, "a CustomResourceDefinition hook is never deleted by Helm (whatever its delete "
                              "policy), is not upgraded with the release and stays after uninstall; put CRDs in "
                              "crds/ or a separate chart", annotation="helm.sh/hook")


def rollback_hooks_from_target(ctx: CheckContext) -> None:
    """HL210"""
    for h in ctx.hooks:
        ev = [e for e in h.events if e in ("pre-rollback", "post-rollback")]
        if ev:
            ctx.report(h.doc, f"{ev[0]} hooks run from the chart version being rolled back *to*, not from the "
                              "current one: this hook cannot undo changes made by a later version",
                       annotation="helm.sh/hook", event=ev[0])


def upgrade_hook_reads_stale_config(ctx: CheckContext) -> None:
    """HL202"""
    main = _main_index(ctx)
    order = ctx.hooks_for("pre-upgrade")
    providers = _hook_providers(ctx, "pre-upgrade")
    for i, h in enumerate(order):
        if any(o is h for o in order[:i]):
            continue
        for ref in pod_refs(h.doc):
            if ref.kind not in ("ConfigMap", "Secret"):
                continue
            key = _key(ctx, h.doc, ref.kind, ref.name)
            if key not in main or any(j < i for j in providers.get(key, [])):
                continue
            ctx.report(h.doc, f"this pre-upgrade hook reads {ref.kind} '{ref.name}', an ordinary resource that "
                              "Helm updates only after the pre-upgrade hooks: the hook sees the previous "
                              "release's version of it, not the one this upgrade installs", path=ref.path,
                       event="pre-upgrade")


_WORKLOAD_HOOK_KINDS = ("Job", "Pod")


def same_weight_kind_order_assumed(ctx: CheckContext) -> None:
    """HL204"""
    from hooklint.documents.kinds import install_order, kind_sort_key

    order = install_order(ctx.helm_version[0])
    reported: set[int] = set()
    for event in sorted({e for h in ctx.hooks for e in h.events}):
        hooks = list({id(h): h for h in ctx.hooks_for(event)}.values())  # Helm's real order (weight, name)
        for i, early in enumerate(hooks):
            if early.kind not in _WORKLOAD_HOOK_KINDS:
                continue
            for late in hooks[i + 1:]:
                if late.weight != early.weight or late.name == early.name or id(late) in reported:
                    continue
                if kind_sort_key(late.kind, order) < kind_sort_key(early.kind, order):
                    reported.add(id(late))
                    guess = name_order_depends_on_release(ctx, early, late)
                    note = _release_note(ctx) if guess else ""
                    ctx.report(late.doc, f"{late.kind} '{late.name}' and {early.kind} '{early.name}' are {event} "
                                         f"hooks with the same weight ({late.weight}); Helm's documentation says "
                                         f"equal weights run in kind order ({late.kind} first), but Helm sorts them "
                                         f"by name, so the {early.kind} runs first{note}. Give the {late.kind} a "
                                         "lower weight", path=("metadata", "name"), event=event,
                               severity="info" if guess and ctx.severity == "warning" else None)


def _strings(obj: object) -> list[str]:
    if isinstance(obj, str):
        return [obj]
    if isinstance(obj, dict):
        return [s for v in obj.values() for s in _strings(v)]
    if isinstance(obj, list):
        return [s for v in obj for s in _strings(v)]
    return []


def post_hook_races_rollout(ctx: CheckContext) -> None:
    """HL206"""
    import re

    from hooklint.lint.context import containers, pod_spec

    services = sorted({d.name for d in ctx.resources if d.kind == "Service" and d.name}, key=len, reverse=True)
    if not services:
        return
    pattern = re.compile(r"(?<![A-Za-z0-9.-])(" + "|".join(re.escape(s) for s in services) + r")(?![A-Za-z0-9-])")
    for h in ctx.hooks:
        events = [e for e in h.events if e in ("post-install", "post-upgrade")]
        found = pod_spec(h.doc)
        if not events or found is None or h.kind not in _WORKLOAD_HOOK_KINDS:
            continue
        base, spec = found
        hit = None
        for group, i, c in containers(spec):
            for key in ("command", "args", "env"):
                for text in _strings(c.get(key)):
                    m = pattern.search(text)
                    if m:
                        hit = (m.group(1), (*base, group, i, key))
                        break
                if hit:
                    break
            if hit:
                break
        if hit is None:
            continue
        ctx.report(h.doc, f"this {events[0]} hook calls Service '{hit[0]}' of the release: without --wait Helm runs "
                          "post hooks as soon as the resources are created, before their pods are ready, so the "
                          "first requests can fail. Retry in the hook, or install with --wait", path=hit[1],
                   event=events[0])


def one_sided_lifecycle_prereq(ctx: CheckContext) -> None:
    """HL209"""
    main = _main_index(ctx)
    hook_keys: dict[tuple[str, str, str], HookView] = {}
    for h in ctx.hooks:
        hook_keys.setdefault((h.kind, ctx.namespace(h.doc), h.name), h)
    for doc in ctx.resources:
        for ref in pod_refs(doc):
            key = _key(ctx, doc, ref.kind, ref.name)
            provider = hook_keys.get(key)
            if key in main or provider is None:
                continue
            ev = set(provider.events)
            if "hook-succeeded" in provider.effective_policies and ev & {"pre-install", "pre-upgrade"}:
                ctx.report(doc, f"{ref.kind} '{ref.name}' is a hook with hook-succeeded: Helm deletes it as soon as "
                                "its event's hooks succeed, before this workload's pods start, so they cannot "
                                "start. Make it an ordinary resource", path=ref.path)
            elif "pre-install" in ev and "pre-upgrade" not in ev:
                ctx.report(doc, f"{ref.kind} '{ref.name}' is created only by a pre-install hook: upgrades never create "
                                "it, so upgrading a release installed from a chart version without it (or after it "
                                "was deleted) leaves this workload's pods unable to start. Add pre-upgrade, or make "
                                "it an ordinary resource", path=ref.path)
            elif "pre-upgrade" in ev and "pre-install" not in ev:
                ctx.report(doc, f"{ref.kind} '{ref.name}' is created only by a pre-upgrade hook: on a first install it "
                                "does not exist, so this workload's pods cannot start. Add pre-install, or make it "
                                "an ordinary resource", path=ref.path)


_MIGRATION = r"(?i)(?<![a-z])(migrat\w*|alembic|flyway|liquibase|db:migrate|schema-?update)(?![a-z])"


def irreversible_upgrade_hook(ctx: CheckContext) -> None:
    """HL211"""
    import re

    from hooklint.lint.context import containers, pod_spec

    if any(e in ("pre-rollback", "post-rollback") for h in ctx.hooks for e in h.events):
        return
    for h in ctx.hooks:
        found = pod_spec(h.doc)
        if "pre-upgrade" not in h.events or found is None or h.kind not in _WORKLOAD_HOOK_KINDS:
            continue
        base, spec = found
        pattern = re.compile(_MIGRATION)  # here, not above: most charts have no pre-upgrade workload hook
        for group, i, c in containers(spec):
            hit = next(((key, m) for key in ("image", "command", "args") for m in map(pattern.search, _strings(c.get(key)))
                        if m), None)
            if hit:
                key, m = hit
                ctx.report(h.doc, f"this pre-upgrade hook looks like a migration ('{m.group(1)}'): helm rollback "
                                  "(and --rollback-on-failure, Flux remediation) restores manifests, not what the "
                                  "migration changed, and runs the rollback hooks of the older chart. Make the "
                                  "migration backward compatible or plan how to revert it",
                           path=(*base, group, i, key), event="pre-upgrade")
                break


def _crd_dirs(chart_dir: Path) -> list[Path]:
    """`crds/` at the root of the chart and of each unpacked subchart (charts/<name>/), at every
    depth: a subchart named `crds` is not one, nor a `crds` folder under templates/."""
    found = [chart_dir / "crds"]
    charts = chart_dir / "charts"
    if charts.is_dir():
        for sub in sorted(charts.iterdir()):
            if sub.is_dir():
                found += _crd_dirs(sub)
    return found

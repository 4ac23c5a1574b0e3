"""Property tests of the upgrade changes and the plan diff over generated releases: whatever the two
manifests hold, every object of the live release that the new one does not keep is accounted for
exactly once, and what the changes say is deleted is what the upgrade plan deletes."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hooklint.documents.hooks import Classified, classify
from hooklint.documents.manifests import documents_from_helm_output, documents_from_rendered
from hooklint.plan import PlanOptions, build_plan
from hooklint.plan.changes import transition_changes
from hooklint.plan.context import PlanContext, default_source
from hooklint.plan.diff import diff_plans

KINDS = [("v1", "ConfigMap"), ("v1", "Secret"), ("apps/v1", "Deployment"), ("v1", "PersistentVolumeClaim")]
HOOKS = [None, "pre-upgrade", "post-upgrade", "pre-install", "pre-install,pre-upgrade", "test"]

obj = st.tuples(st.sampled_from(KINDS), st.sampled_from(["a", "b", "c"]), st.sampled_from(HOOKS),
                st.sampled_from([None, "keep"]), st.sampled_from(["0", "1", "-1"]))
release = st.lists(obj, max_size=7, unique_by=lambda o: (o[0][1], o[1]))


def rendered(objects: list[tuple[tuple[str, str], str, str | None, str | None, str]]) -> Classified:
    docs = []
    for (api, kind), name, hook, policy, weight in objects:
        ann = []
        if hook:
            ann += [f"    helm.sh/hook: {hook}", f'    helm.sh/hook-weight: "{weight}"']
        if policy:
            ann.append(f"    helm.sh/resource-policy: {policy}")
        meta = f"metadata:\n  name: {name}\n" + ("  annotations:\n" + "\n".join(ann) + "\n" if ann else "")
        docs.append(f"---\n# Source: c/templates/{kind.lower()}-{name}.yaml\napiVersion: {api}\nkind: {kind}\n{meta}")
    files = documents_from_helm_output("".join(docs), "gen.yaml")
    return classify(documents_from_rendered(files), helm_version=3)


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(release, release)
def test_every_object_that_leaves_is_accounted_for_once(old_objs: list, new_objs: list) -> None:  # type: ignore[type-arg]
    old, new = rendered(old_objs), rendered(new_objs)
    ctx = PlanContext(options=PlanOptions(), source_of=default_source)
    changes = transition_changes(ctx, old, new, "upgrade")
    old_resources = {(d.kind, d.name) for d in old.resources}
    new_resources = {(d.kind, d.name) for d in new.resources}
    leaving = old_resources - new_resources
    leaving_codes = ("deleted", "kept", "resource-to-hook", "kind-changed", "group-changed", "namespace-moved")
    accounted = [(c.object.kind, c.object.name) for c in changes if c.code in leaving_codes]
    assert sorted(accounted) == sorted(leaving)
    # what the changes delete is what the upgrade plan deletes after applying the new manifest
    plan = build_plan("upgrade", new, PlanOptions(), previous=old)
    plan_deletes = {(s.object.kind, s.object.name) for s in plan.steps if s.action == "delete" and s.object}
    change_deletes = {(c.object.kind, c.object.name) for c in changes if c.deletes}
    assert plan_deletes == change_deletes
    kept = {(s.object.kind, s.object.name) for s in plan.steps if s.action == "keep" and s.object}
    assert kept == {(c.object.kind, c.object.name) for c in changes if c.code in leaving_codes and not c.deletes}


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(release, st.sampled_from(["install", "upgrade", "uninstall", "test"]))
def test_a_plan_compared_with_itself_has_no_step_change(objs: list, event: str) -> None:  # type: ignore[type-arg]
    classified = rendered(objs)
    plan = build_plan(event, classified, PlanOptions(), previous=classified if event == "upgrade" else None)
    assert diff_plans(plan, plan).changes == []

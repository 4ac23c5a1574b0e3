"""Properties of plans that hold for any set of hooks.

Reference comparator, transcribed from Helm (hooks.go `hookByWeight` + kind_sorter.go): the
stored hooks are stable-sorted by InstallOrder kind (unknown kinds last, by kind name), then the
hooks of one event are `sort.Stable`-sorted by (weight, name); a hook listing the event twice
appears twice.
"""

from __future__ import annotations

import functools
import json

from hypothesis import given, settings
from hypothesis import strategies as st

from hooklint.documents.hooks import classify
from hooklint.documents.kinds import INSTALL_ORDER_V3
from hooklint.documents.manifests import documents_from_rendered
from hooklint.documents.source import RenderedFile
from hooklint.plan import PlanOptions, build_plan

KINDS = ["ConfigMap", "Job", "Pod", "Secret", "ServiceAccount", "Widget", "Gadget", "Namespace"]
EVENTS = ["pre-install", "post-install", "pre-upgrade"]

hook_strategy = st.fixed_dictionaries(
    {
        "name": st.sampled_from(["a", "b", "c", "job", "z", "a-1"]),
        "kind": st.sampled_from(KINDS),
        "weight": st.integers(min_value=-3, max_value=3),
        "events": st.lists(st.sampled_from(EVENTS), min_size=1, max_size=3),
        "file": st.sampled_from(["a.yaml", "b.yaml", "Z.yaml"]),
    }
)


def _files(hooks: list[dict]) -> dict[str, RenderedFile]:  # type: ignore[type-arg]
    by_file: dict[str, list[str]] = {}
    for h in hooks:
        doc = (
            f"apiVersion: v1\nkind: {h['kind']}\nmetadata:\n  name: {h['name']}\n  annotations:\n"
            f'    helm.sh/hook: {",".join(h["events"])}\n    helm.sh/hook-weight: "{h["weight"]}"'
        )
        by_file.setdefault(f"c/templates/{h['file']}", []).append(doc)
    return {k: RenderedFile(k, "\n---\n".join(v)) for k, v in by_file.items()}


def _less_by_kind(a: str, b: str) -> bool:
    order = {k: i for i, k in enumerate(INSTALL_ORDER_V3)}
    if a not in order and b not in order:
        return a < b
    if a not in order:
        return False
    if b not in order:
        return True
    return order[a] < order[b]


def _stable_sort(items: list, less) -> list:  # type: ignore[no-untyped-def,type-arg]
    """Insertion sort: stable by construction, driven only by Helm's Less."""
    out: list = []  # type: ignore[type-arg]
    for item in items:
        i = len(out)
        while i > 0 and less(item, out[i - 1]):
            i -= 1
        out.insert(i, item)
    return out


def _helm_order(hooks: list[dict], event: str) -> list[tuple[str, str]]:  # type: ignore[type-arg]
    # traversal: files bytewise, documents in order
    stored = [h for f in sorted({h["file"] for h in hooks}) for h in hooks if h["file"] == f]
    stored = _stable_sort(stored, lambda a, b: _less_by_kind(a["kind"], b["kind"]))
    selected = [h for h in stored for e in h["events"] if e == event]

    def less(a, b):  # type: ignore[no-untyped-def]
        if a["weight"] == b["weight"]:
            return a["name"] < b["name"]
        return a["weight"] < b["weight"]

    return [(h["kind"], h["name"]) for h in _stable_sort(selected, less)]


@settings(max_examples=150, deadline=None)
@given(st.lists(hook_strategy, max_size=8), st.sampled_from([3, 4]))
def test_hook_creation_order_equals_helms_comparator(hooks: list[dict], version: int) -> None:  # type: ignore[type-arg]
    classified = classify(documents_from_rendered(_files(hooks)), helm_version=version)
    for event, plan_event in (
        ("pre-install", "install"),
        ("post-install", "install"),
        ("pre-upgrade", "upgrade"),
    ):
        plan = build_plan(plan_event, classified, PlanOptions(helm_version=version))
        created = [
            (s.object.kind, s.object.name)
            for s in plan.steps
            if s.action == "create-hook" and s.hook_event == event and s.object is not None
        ]
        assert created == _helm_order(hooks, event)


@settings(max_examples=60, deadline=None)
@given(
    st.lists(hook_strategy, max_size=6),
    st.sampled_from(["install", "upgrade", "rollback", "uninstall", "test"]),
)
def test_plans_are_deterministic_and_round_trip(hooks: list[dict], event: str) -> None:  # type: ignore[type-arg]
    build = functools.partial(build_plan, event, options=PlanOptions(atomic=True, wait=True))
    first = build(classify(documents_from_rendered(_files(hooks))))
    second = build(classify(documents_from_rendered(_files(hooks))))
    assert json.dumps(first.to_dict()) == json.dumps(second.to_dict())
    from hooklint.plan import Plan

    assert Plan.from_dict(json.loads(json.dumps(first.to_dict()))).to_dict() == first.to_dict()


@settings(max_examples=80, deadline=None)
@given(st.lists(hook_strategy, max_size=8))
def test_hook_succeeded_deletions_run_in_reverse_after_the_event(hooks: list[dict]) -> None:  # type: ignore[type-arg]
    for h in hooks:
        h["policy"] = True
    files = _files(hooks)
    files = {
        k: RenderedFile(
            k,
            v.text.replace(
                "helm.sh/hook-weight", "helm.sh/hook-delete-policy: hook-succeeded\n    helm.sh/hook-weight"
            ),
        )
        for k, v in files.items()
    }
    plan = build_plan("install", classify(documents_from_rendered(files)))
    pre = [s for s in plan.steps if s.hook_event == "pre-install"]
    created = [(s.object.kind, s.object.name) for s in pre if s.action == "create-hook" and s.object]
    deleted = [(s.object.kind, s.object.name) for s in pre if s.action == "delete-hook" and s.object]
    assert deleted == list(reversed(created))
    if pre:
        last_create = max(i for i, s in enumerate(pre) if s.action in ("create-hook", "wait-hook"))
        assert all(s.action == "delete-hook" for s in pre[last_create + 1 :])

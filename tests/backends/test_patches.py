"""hooklint.backends.patches: the patches Helm's createPatch computes (checked against the bodies
helm sent to a real API server) and their server-side application."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from hooklint.backends.patches import (
    apply_merge_patch,
    apply_strategic,
    go_v,
    three_way_strategic,
    two_way_merge,
)

FIXTURE = Path(__file__).resolve().parents[2] / "fixtures" / "backends" / "real-cluster" / "writes.json"
OWNERSHIP = {
    "labels": {"app.kubernetes.io/managed-by": "Helm"},
    "annotations": {"meta.helm.sh/release-name": "r", "meta.helm.sh/release-namespace": "ns"},
}


def recorded_patch(step_id: str, path_end: str) -> Any:
    steps = json.loads(FIXTURE.read_text(encoding="utf-8"))["steps"]
    step = next(s for s in steps if s["id"] == step_id)
    return next(w["body"] for w in step["writes"] if w["method"] == "PATCH" and w["path"].endswith(path_end))


def owned(obj: dict[str, Any], release: str, namespace: str) -> dict[str, Any]:
    out = copy.deepcopy(obj)
    meta = out["metadata"]
    meta.setdefault("labels", {})["app.kubernetes.io/managed-by"] = "Helm"
    meta.setdefault("annotations", {}).update(
        {"meta.helm.sh/release-name": release, "meta.helm.sh/release-namespace": namespace}
    )
    return out


def deployment(replicas: int, foo: str) -> dict[str, Any]:
    return {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": {"name": "dp-deploy", "namespace": "rt-h3", "labels": {"app": "dp"}},
        "spec": {
            "replicas": replicas,
            "selector": {"matchLabels": {"app": "dp"}},
            "template": {
                "metadata": {"labels": {"app": "dp"}},
                "spec": {
                    "containers": [
                        {
                            "name": "app",
                            "image": "busybox:1.36",
                            "command": ["sleep", "infinity"],
                            "env": [{"name": "FOO", "value": foo}, {"name": "BAR", "value": "unchanged"}],
                        }
                    ]
                },
            },
        },
    }


def test_deployment_patch_is_the_one_helm_sent() -> None:
    original, modified = deployment(1, "a"), owned(deployment(3, "b"), "h3-deploy", "rt-h3")
    live = owned(deployment(1, "a"), "h3-deploy", "rt-h3")
    patch = three_way_strategic(original, modified, live, "Deployment")
    assert patch == recorded_patch("helm3-upgrade-deployment-replicas-env/2-upgrade", "/dp-deploy")
    assert (
        three_way_strategic(modified, modified, apply_strategic(live, patch, "Deployment"), "Deployment")
        == {}
    )


def test_drift_is_reset_from_the_live_object() -> None:
    """After `kubectl scale --replicas=5`, an upgrade with an unchanged manifest sends the replicas."""
    manifest = owned(deployment(3, "b"), "r", "ns")
    drifted = copy.deepcopy(manifest)
    drifted["spec"]["replicas"] = 5
    assert three_way_strategic(deployment(3, "b"), manifest, drifted, "Deployment") == {
        "spec": {"replicas": 3}
    }


def test_custom_resource_merge_patch_is_the_one_helm_sent() -> None:
    def widget(spec: dict[str, Any]) -> dict[str, Any]:
        return {
            "apiVersion": "example.com/v1",
            "kind": "Widget",
            "metadata": {"name": "cr-widget", "namespace": "rt-h3"},
            "spec": spec,
        }

    # `list: [x, y]` is ["x", true] under YAML 1.1, as helm rendered it
    before = widget({"size": "small", "color": "red", "nested": {"a": 1, "b": 2}, "list": ["x", True]})
    after = owned(
        widget({"size": "large", "nested": {"a": 1, "c": 3}, "list": ["x", "z"]}), "h3-crchange", "rt-h3"
    )
    assert two_way_merge(before, after) == recorded_patch(
        "helm3-upgrade-custom-resource-spec/2-upgrade", "/cr-widget"
    )
    # unchanged spec: still the ownership metadata (surprise 1 of the recording)
    assert two_way_merge(widget({"a": 1}), owned(widget({"a": 1}), "r", "ns")) == {"metadata": OWNERSHIP}


def test_removed_container_and_finalizer_directives() -> None:
    def pod(containers: list[str], finalizers: list[str]) -> dict[str, Any]:
        return {
            "apiVersion": "v1",
            "kind": "Pod",
            "metadata": {"name": "p", "finalizers": finalizers},
            "spec": {"containers": [{"name": n, "image": "i"} for n in containers]},
        }

    original, modified = pod(["a", "b"], ["x", "y"]), pod(["b"], ["y"])
    patch = three_way_strategic(original, modified, original, "Pod")
    assert patch == {
        "metadata": {"$deleteFromPrimitiveList/finalizers": ["x"], "$setElementOrder/finalizers": ["y"]},
        "spec": {
            "$setElementOrder/containers": [{"name": "b"}],
            "containers": [{"$patch": "delete", "name": "a"}],
        },
    }
    # a container another client added to the live object is kept, as with kubectl/helm
    live = pod(["a", "b", "sidecar"], ["x", "y"])
    merged = apply_strategic(live, patch, "Pod")
    assert [c["name"] for c in merged["spec"]["containers"]] == ["b", "sidecar"]
    assert merged["metadata"]["finalizers"] == ["y"]


def test_retain_keys_clears_the_other_strategy_fields() -> None:
    rolling = {"type": "RollingUpdate", "rollingUpdate": {"maxSurge": 1}}
    original = {"kind": "Deployment", "metadata": {"name": "d"}, "spec": {"strategy": rolling}}
    modified = {"kind": "Deployment", "metadata": {"name": "d"}, "spec": {"strategy": {"type": "Recreate"}}}
    patch = three_way_strategic(original, modified, original, "Deployment")
    assert patch == {
        "spec": {"strategy": {"$retainKeys": ["type"], "rollingUpdate": None, "type": "Recreate"}}
    }
    assert apply_strategic(original, patch, "Deployment")["spec"]["strategy"] == {"type": "Recreate"}


def test_go_v_prints_numbers_like_fmt() -> None:
    assert [go_v(v) for v in (8080, 1e6, 1234567, 0.5, True, "s")] == [
        "8080",
        "1e+06",
        "1.234567e+06",
        "0.5",
        "true",
        "s",
    ]


# -- properties --------------------------------------------------------------------------------

KEYS = st.sampled_from(["a", "b", "c", "d"])
SCALARS = st.one_of(st.integers(-3, 3), st.sampled_from(["x", "y", ""]), st.booleans())
TREES = st.recursive(SCALARS, lambda inner: st.dictionaries(KEYS, inner, max_size=4), max_leaves=12)
MAPS = st.dictionaries(KEYS, TREES, max_size=4)


def expected(original: Any, modified: Any, current: Any) -> Any:
    """What a three-way patch makes of `current`: modified's values, plus what only the live
    object has (neither in the previous manifest nor in the new one)."""
    if not isinstance(modified, dict) or not isinstance(current, dict):
        return modified
    original = original if isinstance(original, dict) else {}
    out = {k: v for k, v in current.items() if k not in modified and k not in original}
    for k, v in modified.items():
        out[k] = expected(original.get(k), v, current.get(k)) if isinstance(v, dict) else v
    return out


@settings(max_examples=200, deadline=None)
@given(MAPS, MAPS, MAPS)
def test_three_way_patch_brings_current_to_modified(original: Any, modified: Any, current: Any) -> None:
    patch = three_way_strategic(original, modified, current, "ConfigMap")
    assert apply_strategic(current, patch, "ConfigMap") == expected(original, modified, current)


@settings(max_examples=200, deadline=None)
@given(MAPS, MAPS)
def test_merge_patch_brings_original_to_modified(original: Any, modified: Any) -> None:
    assert apply_merge_patch(original, two_way_merge(original, modified)) == modified

"""The simulate backend behaves like the Kubernetes API for what hooks touch, and every
registered backend honours the Backend protocol's contract."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fake_apiserver import FakeAPIServer

from hooklint.backends import registry
from hooklint.backends.base import (
    AlreadyExists,
    Backend,
    BackendUnavailable,
    BadRequest,
    Invalid,
    NotFound,
    Timeout,
)
from hooklint.backends.simulate import SimulateBackend, parse_outcomes
from hooklint.errors import UsageError
from hooklint.model import ObjectRef


def job(name: str, restart: str | None = "Never", **ann: str) -> dict[str, Any]:
    spec: dict[str, Any] = {"containers": [{"name": "c", "image": "busybox"}]}
    if restart is not None:
        spec["restartPolicy"] = restart
    return {
        "apiVersion": "batch/v1",
        "kind": "Job",
        "metadata": {"name": name, "namespace": "default", "annotations": dict(ann)},
        "spec": {"template": {"spec": spec}},
    }


def cm(name: str, **ann: Any) -> dict[str, Any]:
    return {
        "apiVersion": "v1",
        "kind": "ConfigMap",
        "metadata": {"name": name, "namespace": "default", "annotations": ann},
    }


def ref(obj: dict[str, Any]) -> ObjectRef:
    return ObjectRef(obj["apiVersion"], obj["kind"], obj["metadata"]["name"], "default")


def backends() -> list[str]:
    return list(registry.available())


@pytest.fixture(params=backends())
def backend(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Backend]:
    """Every registered backend; `kubernetes` talks to a fake API server on 127.0.0.1."""
    name = str(request.param)
    options: dict[str, Any] = {"state": str(tmp_path / "state.json"), "namespace": "default"}
    with FakeAPIServer() as api:
        if name == "kubernetes":
            options["kubeconfig"] = str(api.kubeconfig(tmp_path / "kubeconfig"))
        try:
            made = registry.create(name, **options)
        except BackendUnavailable as e:
            pytest.skip(f"backend {name} not usable here: {e.message}")
        try:
            yield made
        finally:
            made.close()


# -- the contract every backend honours ----------------------------------------------------------


def test_contract_create_get_delete(backend: Backend) -> None:
    obj = cm("contract-a")
    created = backend.create(obj)
    assert created["metadata"]["name"] == "contract-a"
    assert backend.get(ref(obj))["metadata"]["name"] == "contract-a"
    with pytest.raises(AlreadyExists) as exc:
        backend.create(obj)
    assert exc.value.message == 'configmaps "contract-a" already exists'
    backend.delete(ref(obj))
    backend.wait_deleted(ref(obj), 5)
    with pytest.raises(NotFound) as nf:
        backend.get(ref(obj))
    assert nf.value.message == 'configmaps "contract-a" not found'
    with pytest.raises(NotFound):
        backend.delete(ref(obj))


def test_contract_apply_is_an_upsert(backend: Backend) -> None:
    obj = cm("contract-b")
    obj["data"] = {"a": "1"}
    backend.apply(obj)
    obj["data"] = {"a": "2"}
    backend.apply(obj)
    assert backend.get(ref(obj))["data"] == {"a": "2"}
    listed = backend.list("v1", "ConfigMap", "default", {})
    assert [o["metadata"]["name"] for o in listed] == ["contract-b"]
    assert listed[0]["kind"] == "ConfigMap" and listed[0]["apiVersion"] == "v1"


def test_contract_list_selects_by_label(backend: Backend) -> None:
    for name, owner in (("l-b", "helm"), ("l-a", "helm"), ("l-c", "other")):
        obj = cm(name)
        obj["metadata"]["labels"] = {"owner": owner}
        backend.create(obj)
    listed = backend.list("v1", "ConfigMap", "default", {"owner": "helm"})
    assert [o["metadata"]["name"] for o in listed] == ["l-a", "l-b"]


def test_contract_update_replaces_the_object(backend: Backend) -> None:
    obj = cm("contract-u")
    backend.create(obj)
    obj["data"] = {"k": "v"}
    backend.update(obj)
    assert backend.get(ref(obj))["data"] == {"k": "v"}
    with pytest.raises(NotFound):
        backend.update(cm("contract-missing"))


def test_contract_watch_reports_current_state(backend: Backend) -> None:
    obj = job("contract-job")
    backend.create(obj)
    first = next(iter(backend.watch(ref(obj), 5)))
    assert first.type == "ADDED"
    assert first.object["metadata"]["name"] == "contract-job"


def test_contract_api_rejections(backend: Backend) -> None:
    """The API server's own messages (kubernetes pkg/apis/batch/validation, handlers/rest.go)."""
    with pytest.raises(Invalid) as invalid:
        backend.create(job("contract-bad", restart=None))
    assert invalid.value.message == (
        'Job.batch "contract-bad" is invalid: spec.template.spec.restartPolicy: Required value: '
        'valid values: "OnFailure", "Never"'
    )
    with pytest.raises(BadRequest) as bad:
        backend.create(cm("contract-ann", **{"helm.sh/hook-weight": 5}))
    assert bad.value.code == 400


# -- simulate: outcomes, validation, time, state ---------------------------------------------------


def test_job_outcomes_from_annotation_and_option() -> None:
    sim = SimulateBackend(outcomes={"opt-fail": "fail"})
    ok = sim.create(job("ok"))
    failed = sim.create(job("by-annotation", **{"hooklint.io/simulate": "fail"}))
    by_option = sim.create(job("opt-fail"))
    assert ok["status"]["conditions"][0]["type"] == "Complete"
    assert failed["status"]["conditions"][0]["reason"] == "BackoffLimitExceeded"
    assert by_option["status"]["conditions"][0]["type"] == "Failed"
    hung = sim.create(job("stuck", **{"hooklint.io/simulate": "hang"}))
    assert "conditions" not in hung["status"]


def test_pod_with_restart_always_never_finishes_and_time_is_simulated() -> None:
    sim = SimulateBackend()
    pod = {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p"}, "spec": {"containers": []}}
    created = sim.create(pod)
    assert created["status"]["phase"] == "Running"
    before = sim.now()
    events = sim.watch(ObjectRef("v1", "Pod", "p", "default"), 300)
    assert next(events).type == "ADDED"
    with pytest.raises(Timeout) as exc:
        next(events)
    assert exc.value.message == "timed out waiting for the condition"
    assert (sim.now() - before).total_seconds() >= 300  # simulated, not slept


@pytest.mark.parametrize("restart", [None, "Always"])
def test_job_restart_policy_rejected_like_the_api(restart: str | None) -> None:
    """validateJobSpec: unset (defaulted to Always) or Always is a Required-value error."""
    sim = SimulateBackend()
    with pytest.raises(Invalid) as exc:
        sim.create(job("bad", restart=restart))
    assert exc.value.message == (
        'Job.batch "bad" is invalid: spec.template.spec.restartPolicy: Required value: '
        'valid values: "OnFailure", "Never"'
    )


def test_job_unknown_restart_policy_fails_pod_and_job_validation() -> None:
    sim = SimulateBackend()
    with pytest.raises(Invalid) as exc:
        sim.create(job("odd", restart="Sometimes"))
    where = "spec.template.spec.restartPolicy"
    assert exc.value.message == (
        f'Job.batch "odd" is invalid: [{where}: Unsupported value: "Sometimes": supported values: '
        f'"Always", "OnFailure", "Never", {where}: Unsupported value: "Sometimes": supported values: '
        '"OnFailure", "Never"]'
    )


@pytest.mark.parametrize(
    ("value", "word"),
    [(5, "number"), (1.5, "number"), (True, "bool"), ({"a": "b"}, "object"), (["x"], "array")],
)
def test_non_string_annotation_rejected_like_the_api(value: Any, word: str) -> None:
    """transformDecodeError (400 BadRequest) around sigs.k8s.io/json's UnmarshalTypeError."""
    sim = SimulateBackend()
    with pytest.raises(BadRequest) as exc:
        sim.create(cm("x", **{"helm.sh/hook-weight": value}))
    assert exc.value.message == (
        f'ConfigMap in version "v1" cannot be handled as a ConfigMap: json: cannot unmarshal {word} '
        "into Go struct field ObjectMeta.metadata.annotations of type string"
    )


def test_apply_keeps_status_of_a_completed_job() -> None:
    """v4 SSA re-applies a leftover completed Job in place: it stays Complete."""
    sim = SimulateBackend()
    sim.create(job("done"))
    again = sim.apply(job("done", **{"hooklint.io/simulate": "fail"}))
    assert again["status"]["conditions"][0]["type"] == "Complete"


def test_state_round_trip(tmp_path: Path) -> None:
    path = tmp_path / "cluster.json"
    first = SimulateBackend(state=str(path))
    first.create(cm("kept"))
    first.close()
    second = SimulateBackend(state=str(path))
    assert second.get(ObjectRef("v1", "ConfigMap", "kept", "default"))["metadata"]["name"] == "kept"
    assert second.now() >= first.now()


def test_state_file_not_ours(tmp_path: Path) -> None:
    path = tmp_path / "x.json"
    path.write_text('{"something": 1}')
    with pytest.raises(BackendUnavailable, match="not a hooklint simulate state file"):
        SimulateBackend(state=str(path))


def test_parse_outcomes() -> None:
    assert parse_outcomes(["a=fail", "Job/b=hang"]) == {"a": "fail", "Job/b": "hang"}
    with pytest.raises(UsageError):
        parse_outcomes(["a=explode"])


def test_non_string_label_rejected_like_the_api() -> None:
    sim = SimulateBackend()
    obj = cm("lbl")
    obj["metadata"]["labels"] = {"tier": 1}
    with pytest.raises(BadRequest) as exc:
        sim.create(obj)
    assert exc.value.message.endswith(
        "json: cannot unmarshal number into Go struct field ObjectMeta.metadata.labels of type string"
    )


def test_custom_resources_are_not_decoded_into_typed_structs() -> None:
    sim = SimulateBackend()
    widget = {
        "apiVersion": "example.com/v1",
        "kind": "Widget",
        "metadata": {"name": "w", "annotations": {"n": 1}},
    }
    assert sim.create(widget)["metadata"]["name"] == "w"


def test_unknown_backend_is_a_usage_error() -> None:
    with pytest.raises(BackendUnavailable, match="unknown backend 'nope'"):
        registry.create("nope")

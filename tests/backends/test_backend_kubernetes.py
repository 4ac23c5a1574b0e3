"""The kubernetes backend against the fake API server: what a user of `hooklint apply --backend
kubernetes` sees (release Secrets Helm can read, ownership metadata Helm can adopt, field
managers, RBAC/unreachable/timeout errors, Ctrl-C), and the backend's own API behaviour
(discovery of new kinds, watches, deletions that take time, conflicts)."""

from __future__ import annotations

import base64
import gzip
import json
import signal
import socket
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from cli_run import CliRun, run_cli
from fake_apiserver import TOKEN, FakeAPIServer, write_kubeconfig

from hooklint.backends.base import (
    BackendUnavailable,
    Conflict,
    NotFound,
    Timeout,
    Unauthorized,
)
from hooklint.backends.executor import Executor
from hooklint.backends.journal import Journal
from hooklint.backends.kubernetes import KubernetesBackend
from hooklint.backends.runner import ApplyRequest, prepare
from hooklint.errors import HooklintError
from hooklint.model import ObjectRef
from hooklint.plan.inputs import PlanRequest

REPO = Path(__file__).resolve().parents[2]
LIFECYCLE = REPO / "fixtures" / "backends" / "lifecycle"
TRACES = REPO / "fixtures" / "charts" / "traces"


@pytest.fixture
def api() -> Iterator[FakeAPIServer]:
    with FakeAPIServer() as server:
        yield server


@pytest.fixture
def kubeconfig(api: FakeAPIServer, tmp_path: Path) -> Path:
    return api.kubeconfig(tmp_path / "kubeconfig")


@pytest.fixture
def backend(kubeconfig: Path) -> Iterator[KubernetesBackend]:
    made = KubernetesBackend(kubeconfig=str(kubeconfig))
    try:
        yield made
    finally:
        made.close()


def apply(kubeconfig: Path, *args: str) -> CliRun:
    """`hooklint apply --backend kubernetes ...`; HooklintErrors become their exit code and message."""
    return run_cli(["apply", *args, "--backend", "kubernetes", "--kubeconfig", str(kubeconfig), "--force"])


def release_secrets(api: FakeAPIServer) -> list[dict[str, Any]]:
    return [o for o in api.objects() if o["kind"] == "Secret" and o.get("type") == "helm.sh/release.v1"]


def decode_by_spec(secret: dict[str, Any]) -> dict[str, Any]:
    """Helm's storage format, independently of hooklint's codec: the Secret's data (base64 in the
    API) holds base64(gzip(json(Release))) (storage/driver/util.go encodeRelease)."""
    stored = base64.b64decode(secret["data"]["release"])
    raw = gzip.decompress(base64.b64decode(stored))
    value: dict[str, Any] = json.loads(raw)
    return value


def job(name: str) -> dict[str, Any]:
    return {
        "apiVersion": "batch/v1",
        "kind": "Job",
        "metadata": {"name": name, "namespace": "default"},
        "spec": {
            "template": {"spec": {"restartPolicy": "Never", "containers": [{"name": "c", "image": "x"}]}}
        },
    }


# -- what Helm finds in the cluster afterwards ---------------------------------------------------


def test_release_secret_is_helms_storage_format(api: FakeAPIServer, kubeconfig: Path) -> None:
    result = apply(kubeconfig, str(TRACES / "s1"), "--event", "install", "--name", "r")
    assert result.exit_code == 0, result.output
    (secret,) = release_secrets(api)
    assert secret["metadata"]["name"] == "sh.helm.release.v1.r.v1"
    labels = secret["metadata"]["labels"]
    assert {k: labels[k] for k in ("name", "owner", "status", "version")} == {
        "name": "r",
        "owner": "helm",
        "status": "deployed",
        "version": "1",
    }
    # secrets.go: Create sets createdAt, Update replaces the labels with modifiedAt
    assert "createdAt" not in labels and labels["modifiedAt"].isdigit()
    release = decode_by_spec(secret)
    assert (release["name"], release["namespace"], release["version"]) == ("r", "default", 1)
    assert release["info"]["status"] == "deployed"
    assert release["info"]["description"] == "Install complete"
    assert "# Source: base/templates/" in release["manifest"]
    assert {h["name"] for h in release["hooks"]} >= {"job-a", "job-b", "post-pod"}
    assert all(h["last_run"]["phase"] == "Succeeded" for h in release["hooks"])
    assert release["chart"]["metadata"]["name"] == "base"


def test_upgrade_supersedes_and_uninstall_purges(api: FakeAPIServer, kubeconfig: Path) -> None:
    common = ["--name", "r"]
    assert apply(kubeconfig, str(TRACES / "sD"), "--event", "install", *common).exit_code == 0
    assert (
        apply(kubeconfig, str(TRACES / "sD"), "--event", "upgrade", *common, "--set", "v2=true").exit_code
        == 0
    )
    statuses = sorted(
        (s["metadata"]["name"], s["metadata"]["labels"]["status"]) for s in release_secrets(api)
    )
    assert statuses == [("sh.helm.release.v1.r.v1", "superseded"), ("sh.helm.release.v1.r.v2", "deployed")]
    assert apply(kubeconfig, "--event", "uninstall", *common).exit_code == 0
    assert release_secrets(api) == []


def test_ordinary_resources_carry_helm_ownership_and_field_managers(
    api: FakeAPIServer, kubeconfig: Path
) -> None:
    """Ordinary resources are labelled/annotated as Helm does so Helm can adopt them, and written
    with Helm's field manager `helm` (resources and hooks alike) so helm and hooklint can take turns
    on a release without server-side apply conflicts."""
    result = apply(
        kubeconfig, str(TRACES / "s1"), "--event", "install", "--name", "r", "--helm-version", "4"
    )
    assert result.exit_code == 0, result.output
    plain = api.object("ConfigMap", "plain-cm")
    assert plain is not None
    assert plain["metadata"]["labels"]["app.kubernetes.io/managed-by"] == "Helm"
    assert plain["metadata"]["annotations"]["meta.helm.sh/release-name"] == "r"
    assert plain["metadata"]["annotations"]["meta.helm.sh/release-namespace"] == "default"
    assert [(m["manager"], m["operation"]) for m in plain["metadata"]["managedFields"]] == [("helm", "Apply")]
    hook = api.object("Pod", "post-pod")
    assert hook is not None
    assert [(m["manager"], m["operation"]) for m in hook["metadata"]["managedFields"]] == [("helm", "Apply")]
    assert "app.kubernetes.io/managed-by" not in (hook["metadata"].get("labels") or {})
    assert any(
        r
        == "PATCH /api/v1/namespaces/default/configmaps/plain-cm?fieldManager=helm&fieldValidation=Strict&force=false"
        for r in api.requests
    )


def test_deletions_use_background_propagation(api: FakeAPIServer, kubeconfig: Path) -> None:
    assert apply(kubeconfig, str(TRACES / "s1"), "--event", "install", "--name", "r").exit_code == 0
    deletes = [r for r in api.requests if r.startswith("DELETE ")]
    assert deletes and all(r.endswith("propagationPolicy=Background") for r in deletes)


def test_lifecycle_against_the_fake_cluster(api: FakeAPIServer, kubeconfig: Path) -> None:
    common = ["--name", "r"]
    assert apply(kubeconfig, str(LIFECYCLE), "--event", "install", *common).exit_code == 0
    up = apply(kubeconfig, str(LIFECYCLE), "--event", "upgrade", *common)
    assert up.exit_code == 1 and 'configmaps "leftover-notes" already exists' in up.output
    assert apply(kubeconfig, "--event", "test", *common).exit_code == 0
    rollback = apply(kubeconfig, "--event", "rollback", "--revision", "1", *common)
    assert rollback.exit_code == 0, rollback.output
    statuses = sorted(
        (s["metadata"]["labels"]["version"], s["metadata"]["labels"]["status"]) for s in release_secrets(api)
    )
    assert statuses == [("1", "superseded"), ("2", "failed"), ("3", "deployed")]


# -- errors a user sees ----------------------------------------------------------------------------


def test_rbac_denial_names_the_verb_and_resource(api: FakeAPIServer, kubeconfig: Path) -> None:
    api.deny("create", "jobs", "default")
    result = apply(kubeconfig, str(TRACES / "sA"), "--event", "install", "--name", "r")
    assert result.exit_code == 1
    assert (
        'jobs.batch is forbidden: User "hooklint-tester" cannot create resource "jobs" in API group "batch" '
        'in the namespace "default"'
    ) in result.output
    (secret,) = release_secrets(api)
    assert secret["metadata"]["labels"]["status"] == "failed"


def test_rbac_denial_of_the_release_history(api: FakeAPIServer, kubeconfig: Path) -> None:
    api.deny("list", "secrets")
    result = apply(kubeconfig, str(TRACES / "s1"), "--event", "install", "--name", "r")
    assert result.exit_code == 1
    assert 'secrets is forbidden: User "hooklint-tester" cannot list resource "secrets"' in result.output


def test_unreachable_cluster(tmp_path: Path) -> None:
    with socket.socket() as s:  # a port nobody listens on once the socket is closed
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    kubeconfig = write_kubeconfig(tmp_path / "kubeconfig", f"http://127.0.0.1:{port}", TOKEN)
    result = apply(kubeconfig, str(TRACES / "s1"), "--event", "install", "--name", "r")
    assert result.exit_code == 1
    assert (
        f'Kubernetes cluster unreachable: Get "http://127.0.0.1:{port}/version": dial tcp 127.0.0.1:{port}: '
        "connect: connection refused"
    ) in result.output


def test_hook_timeout(api: FakeAPIServer, kubeconfig: Path) -> None:
    result = apply(
        kubeconfig, str(TRACES / "sT"), "--event", "install", "--name", "r", "--timeout", "1s"
    )
    assert result.exit_code == 1
    assert "failed pre-install: 1 error occurred:\n\t* timed out waiting for the condition" in result.output
    (secret,) = release_secrets(api)
    assert secret["metadata"]["labels"]["status"] == "failed"
    assert api.object("Job", "hang-job") is None  # hook-failed deleted it


def test_wrong_token_is_unauthorized(api: FakeAPIServer, tmp_path: Path) -> None:
    api.token = "another-token"
    made = KubernetesBackend(kubeconfig=str(api.kubeconfig(tmp_path / "kc")))
    api.token = "the-real-token"
    with pytest.raises(Unauthorized, match="Unauthorized"):
        made.get(ObjectRef("v1", "ConfigMap", "x", "default"))
    made.close()


def test_ctrl_c_during_a_watch(api: FakeAPIServer, kubeconfig: Path, tmp_path: Path) -> None:
    """Ctrl-C while Helm's watch waits: the journal says so and the release is left failed."""
    made = KubernetesBackend(kubeconfig=str(kubeconfig))
    request = ApplyRequest(
        plan_request=PlanRequest(
            chart=str(TRACES / "sT"), events=["install"], release_name="r", timeout="30s"
        ),
        event="install",
    )
    prepared = prepare(request, made)
    journal_file = tmp_path / "journal.jsonl"
    with journal_file.open("w", encoding="utf-8") as sink:
        journal = Journal(sinks=[sink])
        # A real Ctrl-C once the hook's watch is open: SIGINT to the main thread interrupts its
        # blocking read of the watch stream.
        main = threading.main_thread().ident
        assert main is not None
        done = threading.Event()

        def interrupt_when_watching() -> None:
            while not done.wait(0.02):
                if any("watch=true" in r for r in api.requests):
                    time.sleep(0.1)
                    signal.pthread_kill(main, signal.SIGINT)
                    return

        watcher = threading.Thread(target=interrupt_when_watching)
        watcher.start()
        try:
            result = Executor(
                prepared.plan, made, journal, objects=prepared.objects, rendering=prepared.rendering
            ).run()
        finally:
            done.set()
            watcher.join()
    made.close()
    assert result.interrupted and result.status == "failed"
    ops = [json.loads(line)["op"] for line in journal_file.read_text().splitlines()]
    assert ops[-2:] == ["interrupt", "store-update"]
    (secret,) = release_secrets(api)
    assert secret["metadata"]["labels"]["status"] == "failed"
    assert 'Release "r" failed: context canceled' == decode_by_spec(secret)["info"]["description"]


# -- configuration ---------------------------------------------------------------------------------


def test_missing_client_names_the_extra(monkeypatch: pytest.MonkeyPatch, kubeconfig: Path) -> None:
    monkeypatch.setitem(sys.modules, "kubernetes", None)
    with pytest.raises(BackendUnavailable, match=r"pip install 'hooklint\[kubernetes\]'"):
        KubernetesBackend(kubeconfig=str(kubeconfig))


def test_kube_context_and_kubeconfig_env(
    api: FakeAPIServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = api.kubeconfig(tmp_path / "kc", context="staging")
    with pytest.raises(BackendUnavailable, match="cannot load the Kubernetes configuration"):
        KubernetesBackend(kubeconfig=str(path), kube_context="production")
    monkeypatch.setenv("KUBECONFIG", str(path))
    made = KubernetesBackend(kube_context="staging")
    assert made.list("v1", "ConfigMap", "default", {}) == []
    made.close()
    with pytest.raises(BackendUnavailable, match="no such file"):
        KubernetesBackend(kubeconfig=str(tmp_path / "missing"))


# -- API behaviour the executor relies on ----------------------------------------------------------


def test_a_new_crd_kind_is_discovered(api: FakeAPIServer, backend: KubernetesBackend) -> None:
    widget = {
        "apiVersion": "example.com/v1",
        "kind": "Widget",
        "metadata": {"name": "w", "namespace": "default"},
    }
    crd = {
        "apiVersion": "apiextensions.k8s.io/v1",
        "kind": "CustomResourceDefinition",
        "metadata": {"name": "widgets.example.com"},
        "spec": {
            "group": "example.com",
            "names": {"plural": "widgets", "kind": "Widget"},
            "scope": "Namespaced",
            "versions": [{"name": "v1", "served": True, "storage": True}],
        },
    }
    with pytest.raises(HooklintError, match='no matches for kind "Widget" in version "example.com/v1"'):
        backend.create(widget)
    backend.create(crd)
    assert backend.create(widget)["metadata"]["name"] == "w"


def test_watch_follows_changes_and_deletion(backend: KubernetesBackend, tmp_path: Path) -> None:
    """The Job completes after the watch began (MODIFIED), and a deletion arrives as DELETED
    (which v3's watchUntilReady counts as success)."""
    with FakeAPIServer(status_delay=0.3) as slow:
        made = KubernetesBackend(kubeconfig=str(slow.kubeconfig(tmp_path / "kc")))
        made.create(job("later"))
        events = made.watch(ObjectRef("batch/v1", "Job", "later", "default"), 5)
        first = next(events)
        assert first.type == "ADDED" and "status" not in first.object
        second = next(events)
        assert second.type == "MODIFIED" and second.object["status"]["conditions"][0]["type"] == "Complete"
        events.close()
        made.create(job("doomed-hang"))
        watch = made.watch(ObjectRef("batch/v1", "Job", "doomed-hang", "default"), 5)
        assert next(watch).type == "ADDED"
        threading.Timer(
            0.2, made.delete, args=(ObjectRef("batch/v1", "Job", "doomed-hang", "default"),)
        ).start()
        last = next(e for e in watch if e.type != "MODIFIED")
        assert last.type == "DELETED" and last.object["metadata"]["name"] == "doomed-hang"
        watch.close()
        made.close()


def test_wait_deleted_waits_for_finalizers(api: FakeAPIServer, backend: KubernetesBackend) -> None:
    ref = ObjectRef("v1", "ConfigMap", "slow", "default")
    backend.create({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "slow"}})
    api.linger("slow", 0.3)
    backend.delete(ref)
    assert backend.get(ref)["metadata"]["deletionTimestamp"]
    backend.wait_deleted(ref, 5)
    with pytest.raises(NotFound):
        backend.get(ref)
    backend.create({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "slow"}})
    api.linger("slow", 30)
    backend.delete(ref)
    with pytest.raises(Timeout, match="timed out waiting for the condition"):
        backend.wait_deleted(ref, 0.5)


def test_update_with_a_stale_resource_version_conflicts(backend: KubernetesBackend) -> None:
    created = backend.create({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "c"}})
    backend.update({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "c"}, "data": {"a": "1"}})
    created["data"] = {"a": "2"}
    with pytest.raises(Conflict) as exc:
        backend.update(created)
    assert exc.value.message == (
        'Operation cannot be fulfilled on configmaps "c": the object has been modified; please apply your '
        "changes to the latest version and try again"
    )


def test_cluster_scoped_kinds_ignore_the_namespace(api: FakeAPIServer, backend: KubernetesBackend) -> None:
    backend.create(
        {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "team", "namespace": "default"}}
    )
    assert "POST /api/v1/namespaces?fieldManager=helm" in api.requests
    assert backend.get(ObjectRef("v1", "Namespace", "team", "default"))["metadata"]["name"] == "team"


def test_v4_apply_errors_name_the_object(api: FakeAPIServer, kubeconfig: Path) -> None:
    """Helm 4's patchResourceServerSide: `server-side apply failed for object <ns>/<name> <GVK>: <err>`
    inside execHook's `warning: Hook <event> <path> failed: ...`."""
    api.deny("patch", "jobs")
    result = apply(
        kubeconfig, str(TRACES / "sA"), "--event", "install", "--name", "r", "--helm-version", "4"
    )
    assert result.exit_code == 1
    assert (
        "failed pre-install: warning: Hook pre-install base/templates/hooks.yaml failed: server-side apply failed "
        'for object default/h2-fail batch/v1, Kind=Job: jobs.batch "h2-fail" is forbidden: User "hooklint-tester" '
        'cannot patch resource "jobs" in API group "batch" in the namespace "default"'
    ) in result.output


def delete_once_watched(api: FakeAPIServer, kubeconfig: Path, ref: ObjectRef) -> threading.Thread:
    """Someone else deletes the hook while Helm watches it."""

    def run() -> None:
        for _ in range(500):
            if any("watch=true" in r and ref.name in r for r in api.requests):
                other = KubernetesBackend(kubeconfig=str(kubeconfig))
                other.delete(ref)
                other.close()
                return
            time.sleep(0.02)

    thread = threading.Thread(target=run)
    thread.start()
    return thread


@pytest.mark.parametrize(
    ("version", "rc", "message"),
    [
        ("3", 0, None),  # watchUntilReady: a Deleted event counts as success
        (
            "4",
            1,
            "resource Job/default/hang-job not ready. status: NotFound, message: Resource not found\n"
            "context deadline exceeded",
        ),
    ],
)
def test_hook_deleted_while_watched(
    api: FakeAPIServer, kubeconfig: Path, version: str, rc: int, message: str | None
) -> None:
    deleter = delete_once_watched(api, kubeconfig, ObjectRef("batch/v1", "Job", "hang-job", "default"))
    result = apply(
        kubeconfig,
        str(TRACES / "sT"),
        "--event",
        "install",
        "--name",
        "r",
        "--timeout",
        "2s",
        "--helm-version",
        version,
    )
    deleter.join()
    assert result.exit_code == rc, result.output
    if message is not None:
        assert message in result.output


def test_test_logs_are_read_from_the_pods_log_subresource(api: FakeAPIServer, kubeconfig: Path) -> None:
    common = ["--name", "r"]
    assert apply(kubeconfig, str(LIFECYCLE), "--event", "install", *common).exit_code == 0
    result = apply(kubeconfig, "--event", "test", "--logs", *common)
    assert result.exit_code == 0, result.output
    assert "GET /api/v1/namespaces/default/pods/smoke-test/log" in api.requests
    # cmd/helm/release_testing.go: a blank line, then GetPodLogs' `POD LOGS: <name>` + the log + "\n"
    assert (
        "\n\nPOD LOGS: smoke-test\nfake apiserver: log of pod smoke-test (phase Succeeded)\n\n"
        in result.output
    )


def test_logs_of_a_missing_pod_fail_like_helm(backend: KubernetesBackend) -> None:
    with pytest.raises(NotFound) as caught:
        backend.pod_logs(ObjectRef("v1", "Pod", "gone", "default"))
    assert caught.value.message == 'pods "gone" not found'

"""`hooklint apply --backend kubernetes` against the fake API server where it used to differ from
helm (issue 15): release records, error wording, requests and the update paths of KubeClient.Update
that the recorded real-cluster chains (test_backend_real_cluster.py) do not reach."""

from __future__ import annotations

import base64
import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from cli_run import CliRun, run_cli
from fake_apiserver import FakeAPIServer

from hooklint import __version__
from hooklint.backends.release import decode_release

REPO = Path(__file__).resolve().parents[2]
CHARTS = REPO / "fixtures" / "backends" / "real-cluster" / "charts"


@pytest.fixture
def api() -> Iterator[FakeAPIServer]:
    with FakeAPIServer() as server:
        yield server


@pytest.fixture
def kubeconfig(api: FakeAPIServer, tmp_path: Path) -> Path:
    return api.kubeconfig(tmp_path / "kubeconfig")


def apply(kubeconfig: Path, *args: str) -> CliRun:
    return run_cli(["apply", *args, "--backend", "kubernetes", "--kubeconfig", str(kubeconfig), "--force"])


def chart(tmp_path: Path, name: str, templates: str, app_version: str | None = None) -> str:
    root = tmp_path / name
    (root / "templates").mkdir(parents=True)
    meta = f"apiVersion: v2\nname: {name}\nversion: 0.1.0\n"
    if app_version:
        meta += f'appVersion: "{app_version}"\n'
    (root / "Chart.yaml").write_text(meta)
    (root / "templates" / "all.yaml").write_text(templates)
    return str(root)


def stored(api: FakeAPIServer, release: str, version: int) -> dict[str, Any]:
    secret = api.object("Secret", f"sh.helm.release.v1.{release}.v{version}")
    assert secret is not None
    return decode_release(base64.b64decode(secret["data"]["release"]).decode("ascii"))


def writes(api: FakeAPIServer) -> list[str]:
    return [f"{w['method']} {w['path']}" for w in api.writes]


# -- release records ----------------------------------------------------------------------------


def test_duplicate_hooks_each_record_their_own_run(
    api: FakeAPIServer, kubeconfig: Path, tmp_path: Path
) -> None:
    """Two hooks of one kind and name: execHook sets LastRun on the hook it runs, so both records
    end Succeeded (the weight decides which runs first, not the manifest order)."""
    hooks = "".join(
        f"""---
apiVersion: v1
kind: ConfigMap
metadata:
  name: dup
  annotations:
    helm.sh/hook: post-install
    helm.sh/hook-weight: "{weight}"
data: {{n: "{weight}"}}
"""
        for weight in (5, 1)
    )
    result = apply(kubeconfig, chart(tmp_path, "dup", hooks), "-e", "install", "--name", "d")
    assert result.exit_code == 0, result.output
    records = stored(api, "d", 1)["hooks"]
    assert [(h["weight"], h["last_run"]["phase"]) for h in records] == [(5, "Succeeded"), (1, "Succeeded")]
    # the weight-1 hook ran first, so it started first
    assert records[1]["last_run"]["started_at"] < records[0]["last_run"]["started_at"]


def test_filtered_tests_are_stored_after_the_skipped_hooks(
    api: FakeAPIServer, kubeconfig: Path, tmp_path: Path
) -> None:
    """release_testing.go: `rel.Hooks = append(skipped, rel.Hooks...)` - every hook the filter
    left out (tests and other hooks) comes first in the stored release."""
    templates = "".join(
        f"""---
apiVersion: v1
kind: ConfigMap
metadata:
  name: {name}
  annotations:
    helm.sh/hook: {event}
data: {{}}
"""
        for name, event in (("t-a", "test"), ("pre", "pre-install"), ("t-b", "test"), ("t-c", "test"))
    )
    path = chart(tmp_path, "tests", templates)
    assert apply(kubeconfig, path, "-e", "install", "--name", "t").exit_code == 0
    result = apply(kubeconfig, path, "-e", "test", "--name", "t", "--filter", "name=t-b")
    assert result.exit_code == 0, result.output
    names = [h["name"] for h in stored(api, "t", 1)["hooks"]]
    assert names == ["t-a", "pre", "t-c", "t-b"]


def test_release_times_have_nanoseconds(
    api: FakeAPIServer, kubeconfig: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import hooklint.backends.kubernetes as kube

    monkeypatch.setattr(kube.time, "time_ns", lambda: 1796650962912983123)
    result = apply(kubeconfig, str(CHARTS / "deploy"), "-e", "install", "--name", "n")
    assert result.exit_code == 0, result.output
    info = stored(api, "n", 1)["info"]
    assert info["first_deployed"] == info["last_deployed"] == "2026-12-07T13:42:42.912983123Z"


def test_requests_name_hooklint_as_user_agent(api: FakeAPIServer, kubeconfig: Path) -> None:
    """Audit logs tell hooklint's writes from helm's; release Secrets (no fieldManager, as the
    Secrets driver sends them) are managed by `hooklint` where helm's are by `Helm`."""
    assert apply(kubeconfig, str(CHARTS / "deploy"), "-e", "install", "--name", "u").exit_code == 0
    assert {w["userAgent"] for w in api.writes} == {f"hooklint/{__version__}"}
    secret = api.object("Secret", "sh.helm.release.v1.u.v1")
    assert secret is not None
    assert [m["manager"] for m in secret["metadata"]["managedFields"]] == ["hooklint"]
    deploy = api.object("Deployment", "dp-deploy")
    assert deploy is not None
    assert [(m["manager"], m["operation"]) for m in deploy["metadata"]["managedFields"]] == [
        ("helm", "Update")
    ]


# -- errors -------------------------------------------------------------------------------------


def test_hook_with_a_numeric_label_fails_before_it_is_created(
    api: FakeAPIServer, kubeconfig: Path, tmp_path: Path
) -> None:
    hook = """apiVersion: v1
kind: Pod
metadata:
  name: post-hook
  labels:
    app.kubernetes.io/version: {{ .Chart.AppVersion }}
  annotations:
    helm.sh/hook: post-install
spec:
  restartPolicy: Never
  containers: [{name: c, image: busybox}]
"""
    path = chart(tmp_path, "numlabel", hook, app_version="1.0")
    result = apply(kubeconfig, path, "-e", "install", "--name", "l")
    assert result.exit_code == 1
    message = (
        "unable to build kubernetes object for post-install hook numlabel/templates/all.yaml: unable to decode "
        '"": json: cannot unmarshal number into Go struct field ObjectMeta.metadata.labels of type string'
    )
    assert result.stderr == f"Error: INSTALLATION FAILED: failed post-install: {message}\n"
    assert "POST /api/v1/namespaces/default/pods" not in writes(api)
    assert stored(api, "l", 1)["info"]["description"] == f'Release "l" failed: failed post-install: {message}'


def test_uninstall_of_a_missing_release(kubeconfig: Path) -> None:
    result = run_cli(["apply", "-e", "uninstall", "--name", "nope", "--backend", "kubernetes",
                      "--kubeconfig", str(kubeconfig)])  # fmt: skip
    assert (result.exit_code, result.stderr) == (
        1,
        "Error: uninstall: Release not loaded: nope: release: not found\n",
    )


@pytest.mark.parametrize(
    ("event", "prefix"), [("install", "INSTALLATION FAILED: "), ("upgrade", "UPGRADE FAILED: ")]
)
def test_unreachable_cluster_is_reported_and_journaled(tmp_path: Path, event: str, prefix: str) -> None:
    with FakeAPIServer() as gone:
        kubeconfig = gone.kubeconfig(tmp_path / "kubeconfig")
        url = gone.url
    journal = tmp_path / "journal.jsonl"
    result = apply(
        kubeconfig, str(CHARTS / "deploy"), "-e", event, "--name", "r", "--journal", str(journal)
    )
    assert result.exit_code == 1
    assert result.stderr.startswith(f'Error: {prefix}Kubernetes cluster unreachable: Get "{url}/version": ')
    entries = [json.loads(line) for line in journal.read_text().splitlines()]
    assert [(e["op"], e["outcome"]) for e in entries] == [("connect", "failed")]
    assert entries[0]["detail"].startswith(f"{event}: Kubernetes cluster unreachable")


def test_render_errors_carry_the_command_prefix(kubeconfig: Path, tmp_path: Path) -> None:
    path = chart(tmp_path, "bad", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\ndata:\n  a: [b\n")
    result = apply(kubeconfig, path, "-e", "install", "--name", "b")
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: INSTALLATION FAILED: YAML parse error on bad/templates/all.yaml")


def test_missing_namespace_and_create_namespace(tmp_path: Path) -> None:
    with FakeAPIServer(strict_namespaces=True) as api:
        kubeconfig = api.kubeconfig(tmp_path / "kubeconfig")
        result = apply(kubeconfig, str(CHARTS / "deploy"), "-e", "install", "--name", "r", "-n", "x")
        assert result.exit_code == 1
        assert (
            result.stderr
            == 'Error: INSTALLATION FAILED: create: failed to create: namespaces "x" not found\n'
        )
        before = len(api.writes)
        result = apply(
            kubeconfig,
            str(CHARTS / "deploy"),
            "-e",
            "install",
            "--name",
            "r",
            "-n",
            "x",
            "--create-namespace",
        )
        assert result.exit_code == 0, result.output
        assert [f"{w['method']} {w['path']}" for w in api.writes[before:]][:2] == [
            "POST /api/v1/namespaces",
            "POST /api/v1/namespaces/x/secrets",
        ]
        created = api.writes[before]
        assert created["query"] == {"fieldManager": "helm"}
        assert created["body"] == {
            "apiVersion": "v1",
            "kind": "Namespace",
            "metadata": {"labels": {"name": "x"}, "name": "x"},
        }
        # an existing namespace is fine (AlreadyExists is ignored)
        again = apply(
            kubeconfig,
            str(CHARTS / "tohook"),
            "-e",
            "install",
            "--name",
            "r2",
            "-n",
            "x",
            "--create-namespace",
        )
        assert again.exit_code == 0, again.output


def test_unknown_hook_is_logged_like_helm(kubeconfig: Path, tmp_path: Path) -> None:
    path = chart(
        tmp_path,
        "unk",
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n  annotations:\n    helm.sh/hook: preinstall\ndata: {}\n",
    )
    v3 = apply(kubeconfig, path, "-e", "install", "--name", "a")
    assert 'manifest_sorter.go:190: info: skipping unknown hook: "preinstall"\n' in v3.stderr
    v4 = apply(kubeconfig, path, "-e", "install", "--name", "b", "--helm-version", "4")
    assert 'level=INFO msg="skipping unknown hooks" hookTypes=preinstall\n' in v4.stderr


def test_force_conflicts_is_a_helm_4_flag(kubeconfig: Path) -> None:
    result = apply(
        kubeconfig, str(CHARTS / "deploy"), "-e", "upgrade", "--name", "r", "--force-conflicts"
    )
    assert result.exit_code == 2
    assert "--force-conflicts is a Helm 4 flag" in result.stderr


# -- KubeClient.Update paths ----------------------------------------------------------------------


def test_upgrade_adopts_an_owned_object_and_patches_it_from_its_live_state(
    api: FakeAPIServer, kubeconfig: Path
) -> None:
    """An object new to the chart that already exists with this release's ownership metadata is
    adopted: Update's original is the live object, so the patch carries only what differs."""
    assert (
        apply(kubeconfig, str(CHARTS / "removeadd"), "-e", "install", "--name", "ra").exit_code == 0
    )
    owned = {
        "apiVersion": "v1",
        "kind": "ConfigMap",
        "metadata": {
            "name": "ra-added",
            "labels": {"app.kubernetes.io/managed-by": "Helm"},
            "annotations": {"meta.helm.sh/release-name": "ra", "meta.helm.sh/release-namespace": "default"},
        },
        "data": {"k": "old", "extra": "x"},
    }
    import urllib.request

    request = urllib.request.Request(
        f"{api.url}/api/v1/namespaces/default/configmaps?fieldManager=kubectl",
        data=json.dumps(owned).encode(),
        headers={"Content-Type": "application/json", "Authorization": f"Bearer {api.token}"},
        method="POST",
    )
    urllib.request.urlopen(request).close()
    before = len(api.writes)
    result = apply(
        kubeconfig, str(CHARTS / "removeadd"), "-e", "upgrade", "--name", "ra", "--set", "step=2"
    )
    assert result.exit_code == 0, result.output
    patches = [w for w in api.writes[before:] if w["path"].endswith("/configmaps/ra-added")]
    assert [(w["method"], w["contentType"], w["body"]) for w in patches] == [
        ("PATCH", "application/strategic-merge-patch+json", {"data": {"k": "v"}})
    ]


def test_an_existing_object_the_previous_release_lacks_is_refused(
    api: FakeAPIServer, kubeconfig: Path, tmp_path: Path
) -> None:
    """Update: a target that exists but is neither in the previous manifest nor adopted."""
    first = chart(tmp_path, "a", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: one\ndata: {}\n")
    assert apply(kubeconfig, first, "-e", "install", "--name", "r").exit_code == 0
    # a hook of the second chart version creates `two` before the resources are updated
    second = chart(
        tmp_path,
        "b",
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: one\ndata: {}\n---\n"
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: two\n  annotations:\n"
        "    helm.sh/hook: pre-upgrade\n    helm.sh/hook-delete-policy: before-hook-creation\ndata: {}\n"
        "---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: two\ndata: {}\n",
    )
    result = apply(kubeconfig, second, "-e", "upgrade", "--name", "r")
    assert result.exit_code == 1
    assert 'no ConfigMap with the name "two" found' in result.stderr


def test_a_backend_without_patch_gets_the_patched_object_replaced(
    api: FakeAPIServer, kubeconfig: Path
) -> None:
    """A third-party backend that predates `patch`: the executor applies the patch itself and
    PUTs the result."""
    from hooklint.backends import registry
    from hooklint.backends.kubernetes import KubernetesBackend

    class NoPatch(KubernetesBackend):
        def __getattribute__(self, name: str) -> Any:
            if name == "patch":
                raise AttributeError(name)
            return super().__getattribute__(name)

    assert apply(kubeconfig, str(CHARTS / "deploy"), "-e", "install", "--name", "p").exit_code == 0
    original = registry.create
    registry.create = lambda name, **kw: NoPatch(**kw) if name == "kubernetes" else original(name, **kw)  # type: ignore[assignment]
    try:
        before = len(api.writes)
        result = apply(
            kubeconfig, str(CHARTS / "deploy"), "-e", "upgrade", "--name", "p", "--set", "step=2"
        )
    finally:
        registry.create = original  # type: ignore[assignment]
    assert result.exit_code == 0, result.output
    deploys = [w for w in api.writes[before:] if "/deployments/" in w["path"]]
    assert [w["method"] for w in deploys] == ["PUT"]
    live = api.object("Deployment", "dp-deploy")
    assert live is not None and live["spec"]["replicas"] == 3
    env = live["spec"]["template"]["spec"]["containers"][0]["env"]
    assert env == [{"name": "FOO", "value": "b"}, {"name": "BAR", "value": "unchanged"}]


def test_helm_4_apply_conflicts_name_the_other_manager(api: FakeAPIServer, kubeconfig: Path) -> None:
    """Helm 4 applies with force=false: a field another manager changed since (kubectl scale)
    conflicts, and the 409 names that manager as the API server does; --force-conflicts takes the
    field over and the other manager's entry goes."""
    common = ["--name", "c", "--helm-version", "4"]
    assert apply(kubeconfig, str(CHARTS / "deploy"), "-e", "install", *common).exit_code == 0
    api.scale("Deployment", "dp-deploy", 5)
    result = apply(kubeconfig, str(CHARTS / "deploy"), "-e", "upgrade", *common, "--set", "step=2")
    assert result.exit_code == 1
    assert re.search(
        r'Apply failed with 1 conflict: conflict with "kubectl" with subresource "scale" using apps/v1: \.spec\.replicas$',
        result.stderr.strip(),
    ), result.stderr
    forced = apply(
        kubeconfig, str(CHARTS / "deploy"), "-e", "upgrade", *common, "--set", "step=2", "--force-conflicts"
    )
    assert forced.exit_code == 0, forced.output
    live = api.object("Deployment", "dp-deploy")
    assert live is not None and live["spec"]["replicas"] == 3
    assert [m["manager"] for m in live["metadata"]["managedFields"]] == ["helm"]


def test_switching_a_client_side_release_to_server_side_apply_upgrades_helms_field_manager(
    api: FakeAPIServer, kubeconfig: Path
) -> None:
    """Helm 4 `--server-side=true` on a release Helm 3 made: before applying, each existing object's
    helm/Update managedFields entry becomes a helm/Apply entry (csaupgrade, a JSON patch guarded
    by the resourceVersion), so the apply does not conflict with helm's own client-side writes."""
    assert apply(kubeconfig, str(CHARTS / "deploy"), "-e", "install", "--name", "s").exit_code == 0
    before = len(api.writes)
    result = apply(
        kubeconfig, str(CHARTS / "deploy"), "-e", "upgrade", "--name", "s", "--helm-version", "4",
        "--set", "step=2", "--server-side", "true",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    deploys = [w for w in api.writes[before:] if "/deployments/" in w["path"]]
    assert [(w["contentType"], w["query"]) for w in deploys] == [
        ("application/json-patch+json", {"fieldManager": "helm", "fieldValidation": "Strict"}),
        (
            "application/apply-patch+yaml",
            {"fieldManager": "helm", "fieldValidation": "Strict", "force": "false"},
        ),
    ]
    ops = deploys[0]["body"]
    assert [(op["op"], op["path"]) for op in ops] == [
        ("replace", "/metadata/managedFields"),
        ("replace", "/metadata/resourceVersion"),
    ]
    assert [(e["manager"], e["operation"]) for e in ops[0]["value"]] == [("helm", "Apply")]
    live = api.object("Deployment", "dp-deploy")
    assert live is not None and live["spec"]["replicas"] == 3
    assert [(m["manager"], m["operation"]) for m in live["metadata"]["managedFields"]] == [("helm", "Apply")]


def test_update_goes_on_after_a_failed_patch_and_reports_every_failure(
    api: FakeAPIServer, kubeconfig: Path, tmp_path: Path
) -> None:
    """KubeClient.Update collects patch errors, updates the remaining targets, then fails with
    the errors joined by ` && `."""
    templates = "".join(
        f"apiVersion: v1\nkind: {k}\nmetadata:\n  name: {n}\n{field}:\n  v: {{{{ .Values.v | quote }}}}\n---\n"
        for k, n, field in (("ConfigMap", "a", "data"), ("ConfigMap", "b", "data"), ("Secret", "s", "stringData"))
    )
    path = chart(tmp_path, "multi", templates)
    assert apply(kubeconfig, path, "-e", "install", "--name", "m", "--set", "v=1").exit_code == 0
    api.deny("patch", "configmaps")
    result = apply(kubeconfig, path, "-e", "upgrade", "--name", "m", "--set", "v=2")
    assert result.exit_code == 1
    denied = 'is forbidden: User "hooklint-tester" cannot patch resource "configmaps" in API group "" in the namespace "default"'
    assert result.stderr == (
        f'Error: UPGRADE FAILED: cannot patch "a" with kind ConfigMap: configmaps "a" {denied} && '
        f'cannot patch "b" with kind ConfigMap: configmaps "b" {denied}\n'
    )
    secret = api.object("Secret", "s")
    assert secret is not None and secret["stringData"] == {"v": "2"}  # the target after them was patched

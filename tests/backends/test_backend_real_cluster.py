"""Replay of what helm v3.17.1 and helm v4.1.4 wrote to a real kube-apiserver
(fixtures/backends/real-cluster/writes.json, extracted by tools/extract_real_cluster_writes.py):
each recorded chain of commands runs again as `hooklint apply --backend kubernetes` against the
fake API server, and the ordered API writes must equal the recorded ones - method, path, query
(fieldManager, fieldValidation, force), Content-Type, body and response code for chart objects;
the revision, status and description for release Secrets (Helm sends those as protobuf).

Helm creates and deletes the objects of one kind concurrently, so a run of writes with the same
method on the same resource compares in name order. Every recorded chain is replayed: the
lifecycle chart of the recording is rebuilt in fixtures from the objects helm sent.
"""

from __future__ import annotations

import base64
import json
import shlex
from pathlib import Path
from typing import Any

import pytest
from cli_run import run_cli
from fake_apiserver import FakeAPIServer

from hooklint.backends.release import decode_release

FIXTURE = Path(__file__).resolve().parents[2] / "fixtures" / "backends" / "real-cluster"
STEPS: list[dict[str, Any]] = json.loads((FIXTURE / "writes.json").read_text(encoding="utf-8"))["steps"]
CHAINS: dict[str, list[dict[str, Any]]] = {}
for _step in STEPS:
    CHAINS.setdefault(_step["trace"], []).append(_step)
# The lifecycle release of each Helm version was recorded as one chain over several files.
for _version in ("helm3", "helm4"):
    _parts = ["install", "upgrade-changed-field", "upgrade-unchanged", "rollback-to-1", "uninstall"]
    CHAINS[f"{_version}-lifecycle"] = [s for part in _parts for s in CHAINS.pop(f"{_version}-{part}")]
REPLAYABLE = sorted(CHAINS)

# The recording cluster had the lifecycle chart's CRD before these chains ran.
WIDGET_CRD = {
    "apiVersion": "apiextensions.k8s.io/v1",
    "kind": "CustomResourceDefinition",
    "metadata": {"name": "widgets.example.com"},
    "spec": {
        "group": "example.com",
        "scope": "Namespaced",
        "names": {"plural": "widgets", "singular": "widget", "kind": "Widget"},
        "versions": [{"name": "v1", "served": True, "storage": True}],
    },
    "status": {"conditions": [{"type": "Established", "status": "True"}]},
}


def hooklint_args(command: str, kubeconfig: Path) -> list[str]:
    """helm3/helm4 CLI arguments as `hooklint apply` arguments."""
    tokens = shlex.split(command)
    client, verb, release, rest = tokens[0], tokens[1], tokens[2], tokens[3:]
    args = ["apply"]
    if verb in ("install", "upgrade"):
        # the recording's scenarios/charts/lifecycle is rebuilt in fixtures as charts/lifecycle
        args.append(str(FIXTURE / "charts" / Path(rest[0]).name))
        rest = rest[1:]
    elif verb == "rollback":
        args += ["--revision", rest[0]]
        rest = rest[1:]
    args += [
        "--event",
        verb,
        "--name",
        release,
        "--backend",
        "kubernetes",
        "--kubeconfig",
        str(kubeconfig),
    ]
    args += ["--force"]  # hooklint's own: apply even when lint has findings
    if client == "helm4":
        args += ["--helm-version", "4"]
    i = 0
    while i < len(rest):
        token = rest[i]
        if token in ("-n", "--set"):
            args += [token, rest[i + 1]]
            i += 1
        elif token.startswith("--server-side="):
            args += ["--server-side", token.split("=", 1)[1]]
        elif token == "--force":  # helm 3's --force: replace instead of patch
            args.append("--force-replace")
        elif token in ("--force-conflicts", "--force-replace"):
            args.append(token)
        elif token != "--debug":
            raise AssertionError(f"unknown flag in the recorded command: {token}")
        i += 1
    return args


def essentials(write: dict[str, Any]) -> dict[str, Any]:
    """What is compared of one write (recorded or replayed)."""
    path = write["path"]
    name = path.rsplit("/", 1)[-1]
    out: dict[str, Any] = {"method": write["method"], "path": path, "code": write["code"]}
    if "/secrets" in path and (name.startswith("sh.helm.release.v1.") or write["method"] == "POST"):
        release = write.get("release")
        if release is None:  # replayed: decode the Secret hooklint sent
            body = write.get("body") or {}
            if (body.get("metadata") or {}).get("name", "").startswith("sh.helm.release.v1."):
                inner = base64.b64decode(body["data"]["release"]).decode("ascii")
                record = decode_release(inner)
                info = record.get("info") or {}
                release = {
                    "version": record.get("version"),
                    "status": info.get("status"),
                    "description": info.get("description"),
                }
            else:
                release = {}
        if release or name.startswith("sh.helm.release.v1."):
            if release:
                out["release"] = release
            return out
    body = write["body"]
    if write["contentType"] == "application/json-patch+json" and isinstance(body, list):
        # csaupgrade's managedFields rewrite: the fields and times are the server's bookkeeping
        # (and other controllers' entries the cluster's); what helm decides is which of its own
        # entries become what
        body = [
            (op.get("op"), op.get("path"))
            + (tuple((e["manager"], e["operation"]) for e in op["value"] if e.get("manager") == "helm"),)
            if op.get("path") == "/metadata/managedFields"
            else (op.get("op"), op.get("path"))
            for op in body
        ]
    if isinstance(body, dict) and "resourceVersion" in (body.get("metadata") or {}):
        # a replace carries the live resourceVersion: the server's counter, not Helm's choice
        body = {**body, "metadata": {**body["metadata"], "resourceVersion": "<live>"}}
    out.update(query=write["query"], contentType=write["contentType"], body=body)
    if write.get("message"):
        out["message"] = write["message"]
    return out


def order_concurrent(writes: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Runs of one method on one resource (POST/PATCH/DELETE of a kind) in name order."""

    def group(w: dict[str, Any]) -> tuple[str, str]:
        path = w["path"]
        resource = path if w["method"] == "POST" else path.rsplit("/", 1)[0]
        return (w["method"], resource)

    def name(w: dict[str, Any]) -> str:
        if w["method"] == "POST":
            return str(((w.get("body") or {}).get("metadata") or {}).get("name", ""))
        return str(w["path"].rsplit("/", 1)[-1])

    out: list[dict[str, Any]] = []
    i = 0
    while i < len(writes):
        j = i
        while j < len(writes) and group(writes[j]) == group(writes[i]) and "release" not in writes[j]:
            j += 1
        j = max(j, i + 1)
        out += sorted(writes[i:j], key=name)
        i = j
    return out


# Writes helm made that the recording lacks. hooks.go execHook stores the release before every
# hook; in this one step the store before pre-upgrade-job is missing from the recording, while the
# same hooks of helm4-upgrade-changed-field have it. hooklint's write right after this DELETE is
# left out of the comparison (only that write: the rest of the step must match).
RECORDING_GAPS = {"helm4-upgrade-unchanged": "DELETE /apis/batch/v1/namespaces/rt-h4/jobs/pre-upgrade-job"}


def without_gap(step_id: str, writes: list[dict[str, Any]]) -> list[dict[str, Any]]:
    after = RECORDING_GAPS.get(step_id)
    for i, w in enumerate(writes[:-1]):
        if after is not None and f"{w['method']} {w['path']}" == after and "release" in writes[i + 1]:
            return writes[: i + 1] + writes[i + 2 :]
    return writes


def replay(chain: list[dict[str, Any]], tmp_path: Path) -> None:
    with FakeAPIServer() as api:
        kubeconfig = api.kubeconfig(tmp_path / "kubeconfig")
        if "crchange" in chain[0]["command"] or "-life " in chain[0]["command"]:
            api.serve("example.com/v1", "widgets", "Widget")
            api.cluster.objects[
                ("apiextensions.k8s.io", "customresourcedefinitions", "", WIDGET_CRD["metadata"]["name"])
            ] = {
                **WIDGET_CRD,
                "metadata": {**WIDGET_CRD["metadata"], "resourceVersion": "1", "uid": "crd"},
            }
        for step in chain:
            before = len(api.writes)
            if step["command"].startswith("kubectl"):
                tokens = shlex.split(step["command"])
                replicas = int(next(t for t in tokens if t.startswith("--replicas=")).split("=", 1)[1])
                target = next(t for t in tokens if "/" in t).split("/", 1)[1]
                api.scale("Deployment", target, replicas, namespace=tokens[tokens.index("-n") + 1])
                continue
            result = run_cli(hooklint_args(step["command"], kubeconfig))
            got = order_concurrent(without_gap(step["id"], [essentials(w) for w in api.writes[before:]]))
            want = order_concurrent([essentials(w) for w in step["writes"]])
            assert result.exit_code == step["exit_code"], (step["id"], result.output)
            assert got == want, step["id"]


@pytest.mark.parametrize("trace", REPLAYABLE)
def test_replays_real_helm_writes(trace: str, tmp_path: Path) -> None:
    replay(CHAINS[trace], tmp_path)

"""Regressions: manifests whose fields have the wrong shape (a number where Kubernetes wants a
list) are linted, planned and applied without an internal error."""

from __future__ import annotations

from pathlib import Path

import pytest
from broken_inputs import ChartCase, write_chart
from cli_harness import problems, run_cli

GARBAGE_PODS = {
    "pod-spec": (
        b"apiVersion: v1\nkind: Pod\nmetadata: {name: p, annotations: {helm.sh/hook: test}}\n"
        b"spec: {containers: 3, securityContext: [1], volumes: 5, initContainers: [1, [2]]}\n"
    ),
    "containers": (
        b"apiVersion: batch/v1\nkind: Job\nmetadata: {name: j, annotations: {helm.sh/hook: pre-install}}\n"
        b"spec:\n  template:\n    spec:\n      containers: [3, {name: [1], image: {a: 1}, env: 5,"
        b" command: 7, securityContext: 3, resources: [1], envFrom: 1, volumeMounts: {x: 1}}]\n"
    ),
    "rbac": (
        b"apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRoleBinding\nmetadata:\n  name: rb\n"
        b"  annotations: {helm.sh/hook: pre-install}\nsubjects: 3\nroleRef: {kind: ClusterRole, name: cluster-admin}\n"
        b"---\napiVersion: rbac.authorization.k8s.io/v1\nkind: Role\nmetadata: {name: r, annotations: {helm.sh/hook: pre-install}}\n"
        b"rules: [{verbs: 3, resources: '*'}, 7]\n"
    ),
}


@pytest.mark.parametrize("name", sorted(GARBAGE_PODS))
@pytest.mark.parametrize("command", ["lint", "plan", "apply"])
def test_garbage_pod_fields(tmp_path: Path, name: str, command: str) -> None:
    chart = write_chart(tmp_path, ChartCase(name, {"templates/job.yaml": GARBAGE_PODS[name]}))
    argv = {
        "lint": ["lint", str(chart), "-o", "json"],
        "plan": ["plan", str(chart), "--event", "all"],
        "apply": ["apply", str(chart), "--event", "install", "--force", "--state", str(tmp_path / "s.json")],
    }[command]
    result = run_cli(argv)
    assert not problems(result), result.output

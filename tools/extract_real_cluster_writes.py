"""Extract the API writes of the real-cluster Helm traces into the compact fixture the kubernetes
backend's replay test compares against (fixtures/backends/real-cluster/writes.json).

    python tools/extract_real_cluster_writes.py TRACE_DIR fixtures/backends/real-cluster/writes.json \
        [fixtures/backends/real-cluster/charts/lifecycle]

TRACE_DIR holds helm{3,4}-*.json as recorded by a logging proxy in front of a real kube-apiserver
(each file: {how, steps: [{id, command, exit_code, writes: [...]}]}). Per write the fixture keeps
what the replay compares: method, path, query, Content-Type, response code and the body (chart
objects: the wire body; release Secrets: the revision's status and description, since their wire
body was protobuf and the release blob is trimmed in the trace).

With a third argument it also rebuilds the recording's lifecycle chart (not part of the traces)
from the objects helm 3 sent for it: hooks as sent, ordinary resources without the ownership
metadata Helm adds, `rev` values templated from `.Values.rev`, the CRD in crds/.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

RELEASE_SECRET = "sh.helm.release.v1."


def compact(write: dict[str, Any]) -> dict[str, Any]:
    path = write["requestURI"].split("?", 1)[0]
    out: dict[str, Any] = {
        "method": write["method"],
        "path": path,
        "query": write.get("query") or {},
        "code": write["code"],
    }
    body = write.get("requestBody")
    name = path.rsplit("/", 1)[-1]
    if isinstance(body, dict) and str((body.get("metadata") or {}).get("name", "")).startswith(RELEASE_SECRET):
        summary = (body.get("data") or {}).get("release_decoded_summary") or {}
        out["release"] = {
            "version": summary.get("version"),
            "status": summary.get("info.status"),
            "description": summary.get("info.description"),
        }
        return out
    if name.startswith(RELEASE_SECRET):
        out["release"] = {}
        return out
    out["contentType"] = write.get("contentType")
    out["body"] = body
    if write["code"] >= 400:
        out["message"] = write.get("status_message")
    return out


def lifecycle_chart(steps: list[dict[str, Any]], root: Path) -> None:
    seen: dict[str, dict[str, Any]] = {}
    for trace in ("helm3-install", "helm3-upgrade-changed-field", "helm3-rollback-to-1", "helm3-uninstall"):
        for step in (s for s in steps if s["trace"] == trace):
            for w in step["writes"]:
                if w["method"] == "POST" and "release" not in w:
                    seen.setdefault(w["body"]["metadata"]["name"], json.loads(json.dumps(w["body"])))
    (root / "templates").mkdir(parents=True, exist_ok=True)
    (root / "crds").mkdir(exist_ok=True)
    (root / "Chart.yaml").write_text(
        "apiVersion: v2\nname: lifecycle\ndescription: \"The recording's lifecycle chart, rebuilt from the "
        "objects helm sent (hooks of every event, kept ConfigMap, CRD and custom resource)\"\nversion: 0.1.0\n"
    )
    (root / "values.yaml").write_text("rev: 1\n")
    hooks, resources = [], []
    for body in seen.values():
        meta = body["metadata"]
        meta.pop("namespace", None)
        if body["kind"] == "CustomResourceDefinition":
            (root / "crds" / "widgets.example.com.yaml").write_text(json.dumps(body, indent=2) + "\n")
            continue
        annotations = meta.get("annotations") or {}
        if "helm.sh/hook" in annotations:
            hooks.append(body)
            continue
        for key in ("meta.helm.sh/release-name", "meta.helm.sh/release-namespace"):
            annotations.pop(key, None)
        if not annotations:
            meta.pop("annotations", None)
        labels = meta.get("labels") or {}
        labels.pop("app.kubernetes.io/managed-by", None)
        if not labels:
            meta.pop("labels", None)
        resources.append(body)

    def rev(value: Any) -> Any:
        if isinstance(value, dict):
            return {k: "__REV__" if k == "rev" else rev(v) for k, v in value.items()}
        return [rev(v) for v in value] if isinstance(value, list) else value

    def emit(objects: list[dict[str, Any]]) -> str:
        return "".join(
            "---\n" + json.dumps(rev(o), indent=2).replace('"__REV__"', "{{ .Values.rev | quote }}") + "\n"
            for o in objects
        )

    (root / "templates" / "hooks.yaml").write_text(emit(hooks))
    (root / "templates" / "app.yaml").write_text(emit(resources))


def main(trace_dir: str, target: str, chart: str | None = None) -> None:
    steps = []
    for path in sorted(Path(trace_dir).glob("helm*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        for step in data["steps"]:
            steps.append(
                {
                    "trace": path.stem,
                    "id": step["id"],
                    "command": step["command"],
                    "exit_code": step["exit_code"],
                    "writes": [compact(w) for w in step["writes"]],
                }
            )
    Path(target).parent.mkdir(parents=True, exist_ok=True)
    Path(target).write_text(json.dumps({"steps": steps}, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    if chart is not None:
        lifecycle_chart(steps, Path(chart))


if __name__ == "__main__":
    main(*sys.argv[1:4])

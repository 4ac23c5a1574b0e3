"""Extract the API writes of the real-cluster Helm traces into the compact fixture the kubernetes
backend's replay test compares against (fixtures/backends/real-cluster/writes.json).

    python tools/extract_real_cluster_writes.py TRACE_DIR fixtures/backends/real-cluster/writes.json

TRACE_DIR holds helm{3,4}-*.json as recorded by a logging proxy in front of a real kube-apiserver
(each file: {how, steps: [{id, command, exit_code, writes: [...]}]}). Per write the fixture keeps
what the replay compares: method, path, query, Content-Type, response code and the body (chart
objects: the wire body; release Secrets: the revision's status and description, since their wire
body was protobuf and the release blob is trimmed in the trace).
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


def main(trace_dir: str, target: str) -> None:
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


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])

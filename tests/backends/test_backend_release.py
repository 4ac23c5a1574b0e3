"""Helm's release Secret format (storage/driver/secrets.go, util.go): name, labels, type, and
base64(gzip(json)) data that decodes back to the same record."""

from __future__ import annotations

import base64
import gzip
import json
from datetime import datetime, timezone

from hooklint.backends.release import (
    HookRecord,
    ReleaseRecord,
    decode_release,
    encode_release,
    go_json,
    record_from_secret,
    release_secret,
)


def record() -> ReleaseRecord:
    t = datetime(2025, 1, 2, 3, 4, 5, tzinfo=timezone.utc)
    return ReleaseRecord(
        name="r",
        namespace="ns",
        version=3,
        status="deployed",
        description="Upgrade complete",
        first_deployed=t,
        last_deployed=t,
        chart={
            "metadata": {"name": "c", "version": "1.0.0"},
            "lock": None,
            "templates": [],
            "values": {},
            "schema": None,
            "files": [],
        },
        config={"a": 1},
        manifest="---\n# Source: c/templates/cm.yaml\napiVersion: v1\nkind: ConfigMap\n",
        hooks=[
            HookRecord(
                name="h",
                kind="Job",
                path="c/templates/h.yaml",
                manifest="kind: Job",
                events=["pre-install"],
                weight=-1,
            )
        ],
    )


def test_secret_name_labels_and_type() -> None:
    secret = release_secret(record())
    assert secret["metadata"]["name"] == "sh.helm.release.v1.r.v3"
    assert secret["metadata"]["namespace"] == "ns"
    assert secret["metadata"]["labels"] == {
        "name": "r",
        "owner": "helm",
        "status": "deployed",
        "version": "3",
    }
    assert secret["type"] == "helm.sh/release.v1"


def test_data_is_base64_of_base64_gzip_json() -> None:
    secret = release_secret(record())
    inner = base64.b64decode(secret["data"]["release"])
    raw = base64.b64decode(inner)
    assert raw[:3] == b"\x1f\x8b\x08"
    doc = json.loads(gzip.decompress(raw))
    assert list(doc) == ["name", "info", "chart", "config", "manifest", "hooks", "version", "namespace"]
    assert doc["info"] == {
        "first_deployed": "2025-01-02T03:04:05Z",
        "last_deployed": "2025-01-02T03:04:05Z",
        "deleted": "",
        "description": "Upgrade complete",
        "status": "deployed",
    }
    assert doc["hooks"][0] == {
        "name": "h",
        "kind": "Job",
        "path": "c/templates/h.yaml",
        "manifest": "kind: Job",
        "events": ["pre-install"],
        "last_run": {"started_at": "", "completed_at": "", "phase": ""},
        "weight": -1,
    }


def test_round_trip() -> None:
    back = record_from_secret(release_secret(record()))
    assert back.to_json() == record().to_json()


def test_uncompressed_legacy_data_decodes() -> None:
    data = base64.b64encode(json.dumps({"name": "old"}).encode()).decode()
    assert decode_release(data) == {"name": "old"}
    assert decode_release(encode_release(record()))["version"] == 3


def test_json_escapes_html_like_go() -> None:
    assert go_json({"a": "<b>&"}) == '{"a":"\\u003cb\\u003e\\u0026"}'

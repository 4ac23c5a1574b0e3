"""Test support: render trace charts through real Helm, run plans against a toy cluster, and
normalise recorded API traces, so a plan's create/delete/wait order can be compared with Helm's.

The toy cluster decides outcomes the way the recording server did: a Job/Pod whose name contains
`fail` or `hang` fails (or times out); creating an existing object fails in v3 (and under
client-side create); everything else succeeds.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from helm_oracle import helm_render

from hooklint.documents.hooks import Classified, classify
from hooklint.documents.manifests import documents_from_rendered
from hooklint.documents.source import RenderedFile
from hooklint.plan import Plan, PlanOptions, Step, build_plan

REPO = Path(__file__).resolve().parents[2]
TRACE_CHARTS = REPO / "fixtures" / "charts" / "traces"

Op = tuple[str, str, str]  # (create|apply|delete|wait, kind, name)


def render_classified(
    chart: str,
    values: dict[str, Any] | None = None,
    *,
    revision: int = 1,
    upgrade: bool = False,
    helm_version: int = 3,
) -> Classified:
    out = (
        helm_render(
            TRACE_CHARTS / chart,
            values,
            name="r",
            namespace="default",
            is_upgrade=upgrade or None,
        )
        if revision == 1
        else _render_rev(chart, values, revision, upgrade)
    )
    assert isinstance(out, dict), out
    files = {k: RenderedFile(path=k, text=v) for k, v in out.items()}
    classified = classify(documents_from_rendered(files), helm_version=helm_version)
    classified.crds = crd_documents(chart)
    return classified


def _render_rev(chart: str, values: dict[str, Any] | None, revision: int, upgrade: bool) -> dict[str, str]:
    import helm_python

    ch = helm_python.Chart.load(str(TRACE_CHARTS / chart))
    return dict(
        ch.render(
            values,
            name="r",
            namespace="default",
            revision=revision,
            is_install=not upgrade,
            is_upgrade=upgrade,
        )
    )


def crd_documents(chart: str):  # type: ignore[no-untyped-def]
    from hooklint.documents.manifests import split_manifests
    from hooklint.model import Document

    crd_dir = TRACE_CHARTS / chart / "crds"
    docs = []
    if not crd_dir.is_dir():
        return docs
    files = sorted(p for p in crd_dir.rglob("*") if p.suffix.lower() in (".yaml", ".yml", ".json"))
    for p in files:
        rel = f"{chart}/crds/{p.relative_to(crd_dir).as_posix()}"
        rf = RenderedFile(path=rel, text=p.read_text())
        from hooklint.documents.manifests import _document, split_manifest_spans

        for i, (s, e) in enumerate(split_manifest_spans(rf.text)):
            docs.append(_document(rf, i, s, e))
    del split_manifests, Document
    return docs


@dataclass
class ToyCluster:
    objects: set[tuple[str, str]] = field(default_factory=set)
    managed: set[tuple[str, str]] = field(default_factory=set)  # ordinary resources of the release


def run(plan: Plan, cluster: ToyCluster) -> tuple[list[Op], bool]:
    """Execute the plan; follow on_failure branches. Returns (ops, succeeded)."""
    ops: list[Op] = []
    ok = _run_steps(plan.steps, cluster, ops, plan)
    if ok and plan.event in ("install", "upgrade", "rollback"):
        cluster.managed = {
            (s.object.kind, s.object.name) for s in plan.steps if s.action == "apply" and s.object is not None
        }
    return ops, ok


def _fails_wait(step: Step) -> bool:
    rw = step.ready_when or ""
    if rw.startswith("fails"):
        return True
    if rw.startswith("ready as soon"):
        return False
    assert step.object is not None
    return "fail" in step.object.name or "hang" in step.object.name


def _run_steps(steps: list[Step], cluster: ToyCluster, ops: list[Op], plan: Plan) -> bool:
    for step in steps:
        obj = step.object
        key = (obj.kind, obj.name) if obj is not None else ("", "")
        failed = False
        if step.fails is not None:
            _run_steps(step.on_failure or [], cluster, ops, plan)
            return False
        if step.action in ("install-crd", "create-hook"):
            ops.append(("apply" if step.action == "install-crd" else "create", *key))
            failed = step.action == "create-hook" and step.method == "create" and key in cluster.objects
            cluster.objects.add(key)
        elif step.action == "apply":
            if step.method != "server-side-apply" and key in cluster.objects and key not in cluster.managed:
                failed = True  # v3: no <Kind> with the name found / ownership conflict
            else:
                ops.append(("apply", *key))
                cluster.objects.add(key)
        elif step.action in ("delete-hook", "delete"):
            ops.append(("delete", *key))
            cluster.objects.discard(key)
        elif step.action == "wait-hook":
            ops.append(("wait", *key))
            failed = _fails_wait(step)
        if failed:
            _run_steps(step.on_failure or [], cluster, ops, plan)
            return False
    return True


def trace_ops(lines: list[str]) -> list[Op]:
    """Normalise recorded API calls (helm-traces format) into comparable operations."""
    ops: list[Op] = []
    last: tuple[str, str, str] | None = None
    for line in lines:
        parts = line.split()
        if len(parts) < 3:
            continue
        verb, kind = parts[1], parts[2]
        name = parts[3].split("/")[-1] if len(parts) > 3 else ""
        if verb in ("CREATE", "APPLY"):
            hook = next((p for p in parts if p.startswith("hook=")), None)
            if hook is None:  # `-> 409 AlreadyExists` lines carry no hook tag
                known_resource = ("apply", kind, name) in ops or kind == "CustomResourceDefinition"
                op = ("apply" if known_resource else "create", kind, name)
            else:
                op = ("apply" if hook == "hook=-" else "create", kind, name)
        elif verb == "PATCH":
            op = ("apply", kind, name)
        elif verb == "DELETE":
            op = ("delete", kind, name)
        elif verb == "WATCH":
            fs = next(
                (p for p in parts if p.startswith("metadata.name=") or p.startswith("fs=metadata.name=")),
                None,
            )
            if fs is not None:
                op = ("wait", kind, fs.split("=")[-1])
            elif last is not None and last[0] in ("create", "apply") and last[1] == kind:
                op = ("wait", kind, last[2])
            else:
                continue  # v4 watcher: waiting for a deletion (a flag on the delete step)
            if ops and ops[-1] == op:
                continue  # a re-established watch
        else:
            continue
        ops.append(op)
        last = op
    return ops


def normalise(ops: list[Op]) -> list[Op]:
    """Helm creates and deletes ordinary resources of one kind concurrently: order inside a run
    of the same (operation, kind) is not defined, so such runs are compared sorted."""
    out: list[Op] = []
    i = 0
    while i < len(ops):
        j = i
        while j < len(ops) and ops[j][:2] == ops[i][:2] and ops[i][0] in ("apply", "delete"):
            j += 1
        if j == i:
            out.append(ops[i])
            i += 1
        else:
            out.extend(sorted(ops[i:j]))
            i = j
    return out


def plan_for(event: str, classified: Classified, previous: Classified | None = None, **opts: Any) -> Plan:
    options = PlanOptions(release_name="r", namespace="default", **opts)
    return build_plan(
        event, classified, options, chart={"name": "base", "version": "0.1.0"}, previous=previous
    )

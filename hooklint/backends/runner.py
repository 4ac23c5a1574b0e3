"""`hooklint apply` without the CLI: from a chart (or a saved plan) to an executed release.

Which rendering each event executes, as Helm does:
- install/upgrade: the chart rendered now (upgrade: the deployed revision's stored manifest is
  the "current" state that resources leaving the chart are computed from);
- rollback: the target revision's *stored* hooks and manifest (`--revision`, default previous);
- uninstall: the highest revision's stored hooks and manifest; test: its stored hooks.

A saved plan (`hooklint plan --out plan.json`) is executed exactly: the chart and values are
rendered again only to obtain the object bodies, and the run is refused when they no longer match
the plan - by the plan's `chart.fingerprint` when it has one, else by rebuilding the plan and
comparing every step.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from hooklint.backends.base import Backend
from hooklint.backends.executor import ApplyResult, Executor, ObjectIndex, ReleaseInputs
from hooklint.backends.journal import Journal
from hooklint.backends.release import ReleaseRecord, ReleaseStore
from hooklint.errors import UsageError
from hooklint.hooks import Classified
from hooklint.plan import Plan, PlanOptions, build_plan
from hooklint.plan.inputs import PlanRequest

FINGERPRINT_KEY = "fingerprint"


@dataclass
class ApplyRequest:
    plan_request: PlanRequest
    event: str
    plan_file: str | None = None
    force: bool = False
    target_revision: int | None = None  # rollback: the revision to roll back to
    lint_errors: Callable[[PlanRequest], list[str]] | None = None
    journal_sinks: list[IO[str]] = field(default_factory=list)


def chart_fingerprint(chart_path: str, request: PlanRequest) -> str:
    """sha256 over the chart's files (path and bytes, sorted) and every values input, so a plan can
    say which chart and values it was made from. Stored in a plan as `chart.fingerprint`."""
    h = hashlib.sha256()
    root = Path(chart_path)
    if root.is_dir():
        for p in sorted(q for q in root.rglob("*") if q.is_file()):
            h.update(b"file\0" + p.relative_to(root).as_posix().encode() + b"\0")
            h.update(p.read_bytes())
    elif root.is_file():
        h.update(b"archive\0" + root.read_bytes())
    for name in request.value_files:
        h.update(b"values\0" + name.encode() + b"\0")
        try:
            h.update(Path(name).read_bytes())
        except OSError:
            h.update(b"<unreadable>")
    for kind, items in (
        ("set", request.set_values),
        ("set-string", request.set_string),
        ("set-json", request.set_json),
        ("set-file", request.set_file),
        ("set-literal", request.set_literal),
    ):
        for item in items:
            h.update(f"{kind}\0{item}\0".encode())
    return "sha256:" + h.hexdigest()


def plan_options(r: PlanRequest) -> PlanOptions:
    return PlanOptions(
        helm_version=r.helm_version,
        release_name=r.release_name,
        namespace=r.namespace,
        no_hooks=r.no_hooks,
        skip_crds=r.skip_crds,
        wait=r.wait,
        wait_for_jobs=r.wait_for_jobs,
        timeout=r.timeout,
        atomic=r.atomic,
        wait_strategy=r.wait_strategy,
        keep_history=r.keep_history,
        test_filters=list(r.test_filters),
    )


def request_from_plan(plan: Plan, base: PlanRequest) -> PlanRequest:
    """The plan's own options win over the command line's (the plan is what was reviewed)."""
    o = plan.options
    base.release_name = str(plan.release.get("name", base.release_name))
    base.namespace = str(plan.release.get("namespace", base.namespace))
    base.helm_version = int(plan.helm_version)
    base.no_hooks = bool(o.get("no_hooks", base.no_hooks))
    base.wait = bool(o.get("wait", base.wait))
    base.wait_for_jobs = bool(o.get("wait_for_jobs", base.wait_for_jobs))
    base.timeout = str(o.get("timeout", base.timeout))
    base.atomic = bool(o.get("atomic", base.atomic))
    base.skip_crds = bool(o.get("skip_crds", base.skip_crds))
    base.wait_strategy = o.get("wait_strategy") if plan.helm_version == "4" else None
    base.test_filters = list(o.get("filter", base.test_filters))
    base.keep_history = plan.final_status == "uninstalled"
    return base


def load_plan_file(path: str, event: str | None) -> Plan:
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except OSError as e:
        raise UsageError(f"--plan: cannot read {path}: {e.strerror or e}") from None
    except ValueError as e:
        raise UsageError(f"--plan: {path} is not JSON: {e}") from None
    plans = data.get("plans") if isinstance(data, dict) and "plans" in data else [data]
    if (
        not isinstance(plans, list)
        or not plans
        or not all(isinstance(p, dict) and "steps" in p for p in plans)
    ):
        raise UsageError(
            f"--plan: {path} does not hold a hooklint plan (`hooklint plan --format json --out FILE`)"
        )
    if event is not None:
        plans = [p for p in plans if p.get("event") == event]
        if not plans:
            raise UsageError(f"--plan: {path} has no plan for --event {event}")
    if len(plans) > 1:
        raise UsageError(f"--plan: {path} holds {len(plans)} plans; choose one with --event")
    try:
        return Plan.from_dict(plans[0])
    except (KeyError, TypeError, ValueError) as e:
        raise UsageError(f"--plan: {path} is not a valid plan: {e}") from None


def _comparable(plan: Plan) -> list[dict[str, Any]]:
    def strip(d: dict[str, Any]) -> dict[str, Any]:
        out = dict(d)
        src = out.get("source")
        out["source"] = src.get("template") if isinstance(src, dict) else None
        if out.get("on_failure"):
            out["on_failure"] = [strip(s) for s in out["on_failure"]]
        return out

    return [strip(s.to_dict()) for s in plan.steps]


@dataclass
class Prepared:
    plan: Plan
    objects: ObjectIndex
    rendering: Classified | None
    inputs: ReleaseInputs
    target: ReleaseRecord | None = None


def _render(request: PlanRequest, upgrade: bool) -> tuple[Classified, dict[str, Any], dict[str, Any], Any]:
    from hooklint.chart.user_values import merge_user_values
    from hooklint.plan.inputs import _ChartSource, _source_mapper

    assert request.chart is not None
    source = _ChartSource(request, request.chart)
    classified = source.classified(upgrade)
    config = merge_user_values(
        request.value_files,
        request.set_values,
        request.set_string,
        request.set_json,
        request.set_file,
        request.set_literal,
    )
    chart_json = _chart_json(source.chart)
    return classified, config, chart_json, _source_mapper(request.chart, source.meta.get("name"))


def _chart_json(chart: Any) -> dict[str, Any]:
    import base64

    def files(items: list[Any]) -> list[dict[str, str]]:
        return [{"name": f.name, "data": base64.b64encode(f.data).decode("ascii")} for f in items]

    meta = chart.metadata.to_json() if hasattr(chart.metadata, "to_json") else {}
    return {
        "metadata": meta,
        "lock": None,
        "templates": files(chart.templates),
        "values": chart.values,
        "schema": base64.b64encode(chart.schema).decode("ascii") if chart.schema else None,
        "files": files(chart.files),
    }


def prepare(req: ApplyRequest, backend: Backend) -> Prepared:
    r = req.plan_request
    event = req.event
    saved = load_plan_file(req.plan_file, event if event else None) if req.plan_file else None
    if saved is not None:
        event = saved.event
        r = request_from_plan(saved, r)
    options = plan_options(r)
    store = ReleaseStore(backend, r.release_name, r.namespace)
    history = store.history() if event in ("upgrade", "rollback", "uninstall", "test") else []
    target: ReleaseRecord | None = None
    inputs = ReleaseInputs()
    if event in ("install", "upgrade"):
        if r.chart is None:
            raise UsageError(f"--event {event} needs a CHART")
        if saved is not None and saved.chart.get(FINGERPRINT_KEY):
            now = chart_fingerprint(r.chart, r)
            if now != saved.chart[FINGERPRINT_KEY]:
                raise UsageError(
                    f"--plan: the chart or values no longer match the plan (plan {saved.chart[FINGERPRINT_KEY]}, "
                    f"now {now}); make a new plan"
                )
        classified, config, chart_json, source_of = _render(r, upgrade=event == "upgrade")
        inputs = ReleaseInputs(chart=chart_json, config=config)
        previous = None
        if event == "upgrade":
            deployed = [h for h in history if h.status == "deployed"] or history[-1:]
            previous = deployed[-1].classified(r.helm_version) if deployed else None
        chart_meta: dict[str, Any] = chart_json.get("metadata") or {}
        meta = {"name": str(chart_meta.get("name", "")), "version": str(chart_meta.get("version", ""))}
        plan = build_plan(event, classified, options, chart=meta, previous=previous, source_of=source_of)
        if event == "upgrade" and history:
            plan.release["revision"] = history[-1].version + 1
        rendering: Classified | None = classified
        objects = ObjectIndex.of(classified)
    else:
        if not history:
            raise UsageError(
                f'release "{r.release_name}" not found in namespace "{r.namespace}" (install it first)'
            )
        last = history[-1]
        if event == "rollback":
            want = req.target_revision if req.target_revision else last.version - 1
            target = next((h for h in history if h.version == want), None)
            if target is None:
                raise UsageError(f"release has no {want} version")
            classified = target.classified(r.helm_version)
            plan = build_plan(
                event,
                classified,
                options,
                chart=_chart_meta(target),
                previous=last.classified(r.helm_version),
            )
            plan.release["revision"] = last.version + 1
        else:
            classified = last.classified(r.helm_version)
            plan = build_plan(event, classified, options, chart=_chart_meta(last))
            plan.release["revision"] = last.version
        rendering = None
        objects = ObjectIndex.of(classified)
    if saved is not None:
        if _comparable(plan) != _comparable(saved):
            raise UsageError(
                "--plan: the chart, values or release history no longer produce this plan; make a new plan"
            )
        saved.release = plan.release
        plan = saved
    return Prepared(plan=plan, objects=objects, rendering=rendering, inputs=inputs, target=target)


def _chart_meta(record: ReleaseRecord) -> dict[str, str]:
    meta = (record.chart or {}).get("metadata") or {}
    return {"name": str(meta.get("name", "")), "version": str(meta.get("version", ""))}


def execute(prepared: Prepared, backend: Backend, journal: Journal) -> ApplyResult:
    executor = Executor(
        prepared.plan,
        backend,
        journal,
        objects=prepared.objects,
        rendering=prepared.rendering,
        inputs=prepared.inputs,
        target=prepared.target,
    )
    return executor.run()

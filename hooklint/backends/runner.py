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

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from hooklint.backends.base import Backend
from hooklint.backends.executor import (
    ApplyResult,
    Executor,
    ObjectIndex,
    ReleaseInputs,
    UpdateOptions,
    go_duration_seconds,
)
from hooklint.backends.journal import Journal
from hooklint.backends.release import ReleaseRecord, ReleaseStore
from hooklint.documents.hooks import Classified
from hooklint.errors import HooklintError, UsageError
from hooklint.plan import Plan, build_plan
from hooklint.plan.inputs import (
    FINGERPRINT_KEY,
    ChartSource,
    PlanRequest,
    chart_fingerprint,
    plan_options,
    source_mapper,
)

__all__ = ["ApplyRequest", "Prepared", "chart_fingerprint", "execute", "prepare"]


@dataclass
class ApplyRequest:
    plan_request: PlanRequest
    event: str
    plan_file: str | None = None
    force: bool = False
    target_revision: int | None = None  # rollback: the revision to roll back to
    description: str | None = None  # --description (install, upgrade, uninstall)
    lint_errors: Callable[[PlanRequest], list[str]] | None = None
    journal_sinks: list[IO[str]] = field(default_factory=list)
    update: UpdateOptions = field(default_factory=lambda: UpdateOptions())


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
    base.test_logs = bool(o.get("logs", base.test_logs))
    base.replace = bool(o.get("replace", base.replace))
    base.take_ownership = bool(o.get("take_ownership", base.take_ownership))
    base.cleanup_on_fail = bool(o.get("cleanup_on_fail", base.cleanup_on_fail))
    if plan.helm_version == "4" and "server_side_apply" in o:
        base.server_side = "true" if o["server_side_apply"] else "false"
    base.keep_history = plan.final_status == "uninstalled"
    return base


def load_plan_file(path: str, event: str | None) -> Plan:
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except OSError as e:
        raise UsageError(f"--plan: cannot read {path}: {e.strerror or e}") from None
    except (ValueError, RecursionError) as e:  # UnicodeDecodeError is a ValueError
        raise UsageError(f"--plan: {path} is not JSON: {e}") from None
    plans = data.get("plans") if isinstance(data, dict) and "plans" in data else [data]
    if (
        not isinstance(plans, list)
        or not plans
        or not all(isinstance(p, dict) and "steps" in p for p in plans)
    ):
        raise UsageError(
            f"--plan: {path} does not hold a hooklint plan (`hooklint plan -o json --out FILE`)"
        )
    if event is not None:
        plans = [p for p in plans if p.get("event") == event]
        if not plans:
            raise UsageError(f"--plan: {path} has no plan for --event {event}")
    if len(plans) > 1:
        raise UsageError(f"--plan: {path} holds {len(plans)} plans; choose one with --event")
    problem = plan_shape_error(plans[0])
    if problem is not None:
        raise UsageError(f"--plan: {path} is not a valid plan: {problem}")
    return Plan.from_dict(plans[0])


# The saved plan's JSON shape (Plan.to_dict): a type, a tuple of alternatives, a dict of
# `key: (shape, required)`, or a one-element list for "list of". Checked before Plan.from_dict so
# an edited or truncated file is a clear usage error, not a crash halfway through the executor.
_OPT_STR: Any = (str, type(None))
_OPT_INT: Any = (int, type(None))
_OPT_BOOL: Any = (bool, type(None))
_OBJECT: Any = {"apiVersion": (str, True), "kind": (str, True), "name": (str, True), "namespace": (_OPT_STR, False)}
_SOURCE: Any = {"file": (str, True), "line": (int, True), "column": (int, False), "template": (_OPT_STR, False)}
_WAIT_TARGET: Any = {"object": (_OBJECT, True), "ready_when": (str, False), "source": ((_SOURCE, type(None)), False)}
_FAILURE: Any = {"release_status": (_OPT_STR, False), "error": (str, False), "note": (_OPT_STR, False)}
_STEP: Any = {
    "action": (str, True), "object": ((_OBJECT, type(None)), False), "hook_event": (_OPT_STR, False),
    "weight": (_OPT_INT, False), "reason": (_OPT_STR, False), "source": ((_SOURCE, type(None)), False),
    "failure": ((_FAILURE, type(None)), False), "index": (int, False), "phase": (str, False),
    "method": (_OPT_STR, False), "wait_for_deletion": (_OPT_BOOL, False), "ready_when": (_OPT_STR, False),
    "timeout": (_OPT_STR, False), "batch": (_OPT_INT, False), "note": (_OPT_STR, False),
    "delete_policies": (([str], type(None)), False), "fails": (_OPT_STR, False),
    "waits_for": (([_WAIT_TARGET], type(None)), False), "unchanged": (_OPT_BOOL, False),
}
_STEP["on_failure"] = (([_STEP], type(None)), False)
_OPTIONS: Any = {
    "no_hooks": (bool, False), "wait": (bool, False), "wait_for_jobs": (bool, False), "timeout": (str, False),
    "atomic": (bool, False), "skip_crds": (bool, False), "wait_strategy": (_OPT_STR, False),
    "filter": ([str], False), "logs": (bool, False), "replace": (bool, False), "take_ownership": (bool, False),
    "cleanup_on_fail": (bool, False), "server_side_apply": (bool, False),
}
_PLAN: Any = {
    "event": (str, True), "helm_version": (str, True), "chart": ({}, False), "release": ({}, False),
    "steps": ([_STEP], True), "dropped": ([{"object": (_OBJECT, True), "reason": (str, True),
                                             "source": ((_SOURCE, type(None)), False)}], False),
    "options": (_OPTIONS, False), "final_status": (_OPT_STR, False), "notes": ([str], False),
}


def _shape_error(value: Any, shape: Any, where: str) -> str | None:
    if isinstance(shape, tuple) and not all(isinstance(t, type) for t in shape):
        errors = [_shape_error(value, alt, where) for alt in shape]
        return None if None in errors else next(e for e in errors if e)
    if isinstance(shape, list):
        if not isinstance(value, list):
            return f"{where} must be a list"
        return next((e for i, v in enumerate(value) if (e := _shape_error(v, shape[0], f"{where}[{i}]"))), None)
    if isinstance(shape, dict):
        if not isinstance(value, dict):
            return f"{where} must be an object"
        for key, (sub, required) in shape.items():
            if key not in value:
                if required:
                    return f"{where}.{key} is missing"
                continue
            problem = _shape_error(value[key], sub, f"{where}.{key}")
            if problem:
                return problem
        return None
    ok = isinstance(value, shape) and not (isinstance(value, bool) and shape in (int, (int, type(None))))
    return None if ok else f"{where} has the wrong type ({type(value).__name__})"


def plan_shape_error(data: dict[str, Any]) -> str | None:
    """What is wrong with a saved plan's structure, or None (see `_PLAN`)."""
    problem = _shape_error(data, _PLAN, "plan")
    if problem is not None:
        return problem
    if data["helm_version"] not in ("3", "4"):
        return f"plan.helm_version must be \"3\" or \"4\", not {data['helm_version']!r}"
    timeouts = [data.get("options", {}).get("timeout")]
    stack = list(data["steps"])
    while stack:
        step = stack.pop()
        timeouts.append(step.get("timeout"))
        stack.extend(step.get("on_failure") or [])
    for t in timeouts:
        if t is not None:
            try:
                go_duration_seconds(t)
            except ValueError as e:
                return f"timeout {t!r}: {e}"
    return None


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
    update: UpdateOptions | None = None


def _render(
    request: PlanRequest, upgrade: bool, revision: int = 2
) -> tuple[Classified, dict[str, Any], dict[str, Any], Any, str]:
    from hooklint.chart.user_values import merge_user_values

    assert request.chart is not None
    source = ChartSource(request, request.chart)
    source.upgrade_revision = revision  # prepareUpgrade: revision := lastRelease.Version + 1
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
    notes = source.notes.get(upgrade, "")
    return classified, config, chart_json, source_mapper(request.chart, source.meta.get("name")), notes


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
    store = ReleaseStore(backend, r.release_name, r.namespace)
    # install reads the history only to plan --replace (the replaced release's objects)
    wants_history = event in ("upgrade", "rollback", "uninstall", "test") or (
        event == "install" and r.replace
    )
    history = store.history() if wants_history else []
    if r.helm_version == 4 and history and r.release_apply_method is None:
        # --server-side=auto follows the release's recorded apply method: the rollback target's,
        # else the last revision's (upgrade.go/rollback.go getUpgradeServerSideValue).
        recorded = history[-1]
        if event == "rollback":
            want = req.target_revision or history[-1].version - 1
            recorded = next((h for h in history if h.version == want), recorded)
        r.release_apply_method = recorded.apply_method or "csa"
    options = plan_options(r)
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
        revision = history[-1].version + 1 if event == "upgrade" and history else 2
        classified, config, chart_json, source_of, notes = _render(r, event == "upgrade", revision)
        inputs = ReleaseInputs(chart=chart_json, config=config, notes=notes, description=req.description)
        previous = None
        if event == "install" and history and history[-1].status in ("uninstalled", "failed"):
            previous = history[-1].classified(r.helm_version)  # --replace: its objects may remain
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
        if not history and event == "uninstall":
            # uninstall.go: `uninstall: Release not loaded: NAME: release: not found`, exit 1
            raise HooklintError(f"uninstall: Release not loaded: {r.release_name}: release: not found")
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
        inputs = ReleaseInputs(description=req.description)
    if saved is not None:
        if _comparable(plan) != _comparable(saved):
            raise UsageError(
                "--plan: the chart, values or release history no longer produce this plan; make a new plan"
            )
        saved.release = plan.release
        plan = saved
    return Prepared(
        plan=plan, objects=objects, rendering=rendering, inputs=inputs, target=target, update=req.update
    )


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
        update=prepared.update,
    )
    return executor.run()

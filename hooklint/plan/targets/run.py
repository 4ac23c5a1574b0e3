"""`hooklint plan --target argocd|flux[:VERSION]`: render the chart as the controller does and build
its plans. Plain arguments in, TargetPlans out."""

from __future__ import annotations

from typing import Any

from hooklint.plan.context import PlanContext
from hooklint.plan.inputs import ChartSource, PlanRequest, plan_options, source_mapper
from hooklint.plan.targets import TargetPlan, parse_target

ARGO_EVENTS = {"install": "sync", "upgrade": "sync", "rollback": "sync", "test": "sync", "uninstall": "delete"}


def build_target_plans(request: PlanRequest, target_text: str, *, helmrelease: str | None = None,
                       baseline: str | None = None, baseline_values: tuple[str, ...] = (),
                       baseline_label: str | None = None, baseline_is_revision: bool = False) -> list[TargetPlan]:
    """The plans of `request.events` under the target. `baseline`: a chart directory or archive the
    release runs now (Argo CD: what the sync prunes; Flux upgrade: what the upgrade replaces)."""
    from hooklint.errors import UsageError

    target = parse_target(target_text)
    if request.chart is None:
        raise UsageError("--target needs a CHART (it renders the chart the way the controller does)")
    if helmrelease is not None and target.name != "flux":
        raise UsageError("--helmrelease describes a Flux HelmRelease: use it with --target flux")
    source = ChartSource(request, request.chart)
    src_now = source_mapper(request.chart, source.meta.get("name"))
    previous = None
    source_of = src_now
    if baseline:
        from hooklint.plan.preview import baseline_mapper

        base = ChartSource(request, baseline, baseline_values)
        previous = base.classified(upgrade=False)
        src_base = baseline_mapper(baseline, baseline_label or baseline, baseline_is_revision, base.meta.get("name"))
        from_base = {id(d.pos) for d in [*previous.resources, *previous.crds, *(h.doc for h in previous.hooks)]}

        def source_of(pos: Any, template: str) -> Any:
            return (src_base if id(pos) in from_base else src_now)(pos, template)

    ctx = PlanContext(options=plan_options(request), source_of=source_of)
    plans: list[TargetPlan] = []
    if target.name == "argocd":
        from hooklint.plan.targets import argocd

        installed = source.classified(upgrade=False)
        differs = _renders_differently(installed, source.classified(upgrade=True))
        for event in dict.fromkeys(ARGO_EVENTS[e] for e in request.events):
            if event == "sync":
                helm_event = "install" if request.events == ["install"] else "upgrade"
                plans.append(argocd.build_sync(ctx, target, installed, chart=source.meta,
                                               renders_differently_on_upgrade=differs, helm_event=helm_event,
                                               previous=previous))
            else:
                plans.append(argocd.build_delete(ctx, target, installed, chart=source.meta))
        return plans
    from hooklint.plan.targets import flux

    spec = flux.spec_from_helmrelease(helmrelease) if helmrelease else flux.FluxSpec()
    installed = source.classified(upgrade=False)
    for event in request.events:
        classified = source.classified(upgrade=event == "upgrade")
        plans.append(flux.build_flux(ctx, target, event, classified, chart=source.meta, spec=spec,
                                     previous=previous, installed=installed))
    return plans


def _renders_differently(install: object, upgrade: object) -> bool:
    from hooklint.documents.hooks import Classified

    assert isinstance(install, Classified) and isinstance(upgrade, Classified)

    def texts(c: Classified) -> list[str]:
        return sorted([d.text for d in c.resources] + [h.doc.text for h in c.hooks])

    return texts(install) != texts(upgrade)

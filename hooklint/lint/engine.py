"""The lint pipeline for one chart:

load config -> render (each values set) -> documents -> classify -> checks -> suppressions ->
severities -> sorted findings. Render and YAML errors are findings (HL000), never a clean result.
"""

from __future__ import annotations

from pathlib import Path

from hooklint.documents.source import SourcePos
from hooklint.lint.catalog import Catalog, Rule
from hooklint.lint.config import Config
from hooklint.lint.context import Baseline, CheckContext, HookView, split_tokens
from hooklint.lint.finding import Finding
from hooklint.lint.provenance import Provenance
from hooklint.lint.rendering import Renderer, RenderOutcome, RenderRequest, builtin_renderer
from hooklint.lint.suppress import Suppression, Suppressions, from_documents, from_templates
from hooklint.model import Document, ObjectRef
from hooklint.runtime.records import Record

TYPE_CHECKING = False  # not `typing`'s: importing typing costs ~3 ms of every run
if TYPE_CHECKING:
    from typing import Any

RENDER_ERROR = "HL000"
UNUSED_SUPPRESSION = "HL002"
_DEBUG_HINT = "Use --debug flag to render out invalid YAML"  # helm template's; lint prints no YAML


def one_line(message: str) -> str:
    """A render error as one line of a finding (`file:line:col: ...` output holds one finding per
    line): Helm's multi-line errors (`1 error occurred:\n\t* ...`) joined with spaces, without
    helm template's hint about its --debug flag."""
    return " ".join(line.strip() for line in message.splitlines() if line.strip() and line.strip() != _DEBUG_HINT)


class LintRequest(Record):
    """One chart to lint and the command-line settings that apply to it. Its repr is part of the
    result cache's key (hooklint.lint.result_cache)."""

    _fields = ("chart_dir", "display_dir", "values_files", "target", "select", "extra_ignore", "release_name",
               "namespace", "helm_version", "release_name_given", "baseline_dir", "set_values", "set_string",
               "set_file", "kube_version", "api_versions", "set_json", "set_literal")

    def __init__(self, chart_dir: Path, display_dir: str, values_files: list[Path] | None = None,
                 target: str | None = None, select: list[str] | None = None, extra_ignore: list[str] | None = None,
                 release_name: str = "release-name", namespace: str = "default", helm_version: str | None = None,
                 release_name_given: bool = False, baseline_dir: Path | None = None,
                 set_values: tuple[str, ...] = (), set_string: tuple[str, ...] = (), set_file: tuple[str, ...] = (),
                 kube_version: str | None = None, api_versions: tuple[str, ...] = (),
                 set_json: tuple[str, ...] = (), set_literal: tuple[str, ...] = ()) -> None:
        self.chart_dir = chart_dir
        self.display_dir = display_dir  # how the user wrote the chart path (findings are shown relative to the cwd)
        self.values_files: list[Path] = [] if values_files is None else values_files  # -f files from the command line
        self.target = target  # --target overrides the config
        self.select = select  # --select overrides the config (ids)
        self.extra_ignore: list[str] = [] if extra_ignore is None else extra_ignore
        self.release_name = release_name
        self.namespace = namespace
        self.helm_version = helm_version  # --helm-version overrides the config
        self.release_name_given = release_name_given  # --release-name was given (else a placeholder)
        self.baseline_dir = baseline_dir  # --baseline: the chart's previous version (HL310)
        self.set_values = set_values  # --set, --set-string, --set-file, --kube-version, -a
        self.set_string = set_string
        self.set_file = set_file
        self.kube_version = kube_version
        self.api_versions = api_versions
        self.set_json = set_json  # apply's check renders with every --set* the apply was given
        self.set_literal = set_literal

    def render_settings(self) -> dict[str, Any]:
        """The RenderRequest fields these command-line settings fill."""
        return {"set_values": self.set_values, "set_string": self.set_string, "set_file": self.set_file,
                "kube_version": self.kube_version, "api_versions": self.api_versions,
                "set_json": self.set_json, "set_literal": self.set_literal}


class ChartResult(Record):
    """What linting one chart found (and suppressed)."""

    _fields = ("chart_dir", "findings", "suppressed", "target", "helm_version")

    def __init__(self, chart_dir: str, findings: list[Finding] | None = None, suppressed: list[Finding] | None = None,
                 target: str = "", helm_version: tuple[int, int] = (0, 0)) -> None:
        self.chart_dir = chart_dir
        self.findings: list[Finding] = [] if findings is None else findings
        self.suppressed: list[Finding] = [] if suppressed is None else suppressed
        self.target = target  # the profile the chart was checked against: said in every report
        self.helm_version = helm_version

    def checked_against(self) -> str:
        """`Helm 3.17`, or `Helm 4.2 (argocd)` for a GitOps profile."""
        text = f"Helm {self.helm_version[0]}.{self.helm_version[1]}"
        return text if self.target in ("helm3", "helm4", "") else f"{text} ({self.target})"


def enabled_rules(catalog: Catalog, config: Config, target: str, select: list[str] | None,
                  helm_version: tuple[int, int] = (4, 2)) -> list[Rule]:
    chosen = select if select is not None else config.select
    out = []
    for rule in catalog.rules:
        if chosen is not None and rule.id not in chosen:
            continue
        if rule.opt_in and not (config.enables(rule) or (select is not None and rule.id in select)):
            continue  # opt-in (preset) rules run only when the configuration asks for them
        if rule.id in config.ignore or config.severity.get(rule.id) == "off":
            continue
        if target not in rule.targets or not rule.applies_to(helm_version):
            continue
        out.append(rule)
    return out


def profile(req: LintRequest, config: Config) -> tuple[str, tuple[int, int]]:
    """(target, Helm version) for a chart: the command line wins over the (chart's) config."""
    from hooklint.lint.config import resolve_profile

    return resolve_profile(req.target or config.target, req.helm_version or config.helm_version)


def value_sets(req: LintRequest, config: Config) -> list[list[Path]]:
    """The values files for each rendering: the command line's, else the config's, plus one rendering
    per `ci/*-values.yaml` when `ci-values` is on."""
    base = list(req.values_files) or [req.chart_dir / v for v in config.values]
    sets = [base]
    if config.ci_values:
        ci = sorted((req.chart_dir / "ci").glob("*-values.yaml"))
        if ci:
            sets = [[*base, f] for f in ci]
    return sets


def lint_chart(
    req: LintRequest,
    config: Config,
    catalog: Catalog,
    renderer: Renderer | None = None,
) -> ChartResult:
    """Lint one chart; with the builtin renderer and the packaged rule catalogue (what the CLI
    uses), an unchanged chart's result comes from the result cache (hooklint.lint.result_cache)."""
    from hooklint.lint.catalog import load_index

    config = config.for_chart(req.chart_dir)
    sets = value_sets(req, config)
    if renderer is not None or catalog is not load_index():
        return _lint_chart(req, config, catalog, renderer, sets)
    from hooklint.lint import result_cache

    key = result_cache.key_for(req, config, sets)
    cached = result_cache.load(key) if key is not None else None
    if isinstance(cached, ChartResult):
        return cached
    from hooklint.gotemplate import gotypes

    before = gotypes.volatile_calls
    result = _lint_chart(req, config, catalog, None, sets)
    if key is not None and gotypes.volatile_calls == before:
        result_cache.store(key, result)
    return result


def _lint_chart(req: LintRequest, config: Config, catalog: Catalog, renderer: Renderer | None,
                sets: list[list[Path]]) -> ChartResult:
    from hooklint.checks import CHECKS

    target, helm_version = profile(req, config)
    rules = enabled_rules(catalog, config, target, req.select, helm_version)
    rules = [r for r in rules if r.id not in req.extra_ignore]
    enabled = {r.id for r in rules}
    render = renderer or builtin_renderer
    raw: list[Finding] = []
    sups: list[Suppression] = from_templates(req.chart_dir)
    for values in sets:
        outcome = render(RenderRequest(req.chart_dir, values, req.release_name, req.namespace,
                                       helm_version=helm_version[0], **req.render_settings()))
        baseline = None
        if req.baseline_dir is not None and outcome.files is not None:
            baseline = _baseline(req, render(RenderRequest(req.baseline_dir, values, req.release_name, req.namespace,
                                                           helm_version=helm_version[0], **req.render_settings())),
                                 (target, helm_version))
        found, doc_sups = _lint_rendering(req, outcome, values, rules, config, (target, helm_version), CHECKS,
                                          catalog, baseline)
        raw.extend(found)
        sups.extend(doc_sups)
    for sup in sups:
        r = catalog.get(sup.rule_key)
        sup.rule_id = r.id if r else None
    suppressions = Suppressions(_dedupe_sups(sups))
    result = ChartResult(chart_dir=req.display_dir, target=target, helm_version=helm_version)
    seen: set[tuple[Any, ...]] = set()
    for f in raw:
        key = (f.rule, f.pos, f.message, f.obj, f.event)
        if key in seen:
            continue
        seen.add(key)
        f.chart_dir = req.display_dir
        level = config.severity.get(f.rule)
        if level and level != "off":
            f.severity = level
        file = f.pos.file if f.pos else "Chart.yaml"
        s = suppressions.match(f.rule, file, f.line, f.extra.get("doc"))
        for where in f.related if s is None else ():
            # A finding moved to the values entry is still silenced by a comment at the template line.
            s = s or suppressions.match(f.rule, where.pos.file, where.pos.line, None)
        if s is not None:
            s.used = True
            f.suppressed_by = f"{s.kind} at {s.pos}"
            result.suppressed.append(f)
            continue
        pattern = config.path_ignored(f.rule, [file, _config_relative(req.chart_dir, config, file)])
        if pattern is not None:
            f.suppressed_by = f"per-path-ignores '{pattern}'"
            result.suppressed.append(f)
            continue
        result.findings.append(f)
    if UNUSED_SUPPRESSION in enabled:
        result.findings.extend(_unused(suppressions, enabled, catalog, req.display_dir))
    result.findings.sort(key=Finding.sort_key)
    result.suppressed.sort(key=Finding.sort_key)
    return result


def _config_relative(chart_dir: Path, config: Config, file: str) -> str:
    try:
        return (chart_dir.resolve() / file).relative_to(config.base_dir.resolve()).as_posix()
    except ValueError:
        return file


def _dedupe_sups(sups: list[Suppression]) -> list[Suppression]:
    out: dict[tuple[Any, ...], Suppression] = {}
    for s in sups:
        out.setdefault((s.kind, s.rule_key, s.pos, s.doc), s)
    return list(out.values())


def _unused(sups: Suppressions, enabled: set[str], catalog: Catalog, display_dir: str) -> list[Finding]:
    rule = catalog.get(UNUSED_SUPPRESSION)
    assert rule is not None
    out = []
    for s in sups.items:
        if s.rule_id is None:
            from hooklint.lint.catalog import suggest

            msg = f"suppression names an unknown rule '{s.rule_key}'{suggest(s.rule_key, catalog.keys())}"
        elif s.rule_id in enabled and s.rule_id != UNUSED_SUPPRESSION and not s.used:
            msg = f"suppression of {s.rule_id} ({s.kind}) is unused: the rule reports nothing here"
        else:
            continue
        out.append(Finding(rule.id, rule.name, rule.severity, msg, s.pos, chart_dir=display_dir))
    return out


def _lint_rendering(
    req: LintRequest,
    outcome: RenderOutcome,
    values: list[Path],
    rules: list[Rule],
    config: Config,
    prof: tuple[str, tuple[int, int]],
    checks: tuple[Any, ...],
    catalog: Catalog,
    baseline: Baseline | None = None,
) -> tuple[list[Finding], list[Suppression]]:
    target, helm_version = prof
    prov = Provenance(req.chart_dir, outcome.chart_name, _values_chain(req.chart_dir, values))
    enabled = {r.id for r in rules}
    out: list[Finding] = []
    render_rule = catalog.get(RENDER_ERROR)
    assert render_rule is not None
    if outcome.files is None:
        if RENDER_ERROR in enabled:
            from hooklint.lint.errorpos import load_error_pos

            pos = prov.chart_pos(outcome.error_pos) if outcome.error_pos else load_error_pos(outcome.error or "")
            if pos is not None and Path(pos.file).is_absolute():  # a -f file: shown relative to the chart
                pos = SourcePos(prov.relative(Path(pos.file)), pos.line, pos.column)
            out.append(Finding(RENDER_ERROR, render_rule.name, render_rule.severity,
                               one_line(f"the chart does not render: {outcome.error}"), pos))
        return out, []
    if outcome.caveat and RENDER_ERROR in enabled:
        out.append(Finding(RENDER_ERROR, render_rule.name, "warning", one_line(_caveat_message(outcome.caveat)),
                           SourcePos("values.schema.json", 1, 1)))
    from hooklint.documents.manifests import documents_from_rendered

    docs = documents_from_rendered(outcome.files)
    broken = [d for d in docs if d.parse_error]
    if broken and RENDER_ERROR in enabled:
        from hooklint.lint.errorpos import document_error_pos

        for d in broken:
            # Helm fails the whole rendering on the first one; all are reported so each can be fixed.
            pos = document_error_pos(d, outcome.files.get(d.path)) or d.pos
            pos = prov.chart_pos(pos) if pos else SourcePos(prov.chart_relative(d.path), 1, 1)
            out.append(Finding(RENDER_ERROR, render_rule.name, render_rule.severity,
                               one_line(f"Helm cannot parse this document, so the whole chart fails: {d.parse_error}"),
                               pos))
    good = [d for d in docs if not d.parse_error and isinstance(d.body, dict)]
    ctx = build_context(req, outcome.chart_name, good, prov, target, helm_version)
    ctx.baseline = baseline
    by_id = {r.id: r for r in rules}
    for rule_id, check in checks:
        rule = by_id.get(rule_id)
        if rule is None or rule_id in (RENDER_ERROR, UNUSED_SUPPRESSION):
            continue
        ctx.rule = rule
        ctx.severity = rule.severity_for(target)
        ctx.options = {**rule.default_options(), **config.options.get(rule_id, {})}
        check(ctx)
    out.extend(ctx.findings)
    return out, from_documents(good, ctx.pos)


def _baseline(req: LintRequest, outcome: RenderOutcome, prof: tuple[str, tuple[int, int]]) -> Baseline:
    """The resources and hooks of the baseline's rendering (same values and release)."""
    if outcome.files is None:
        return Baseline(error=outcome.error or "it does not render")
    from hooklint.documents.manifests import documents_from_rendered

    assert req.baseline_dir is not None
    docs = documents_from_rendered(outcome.files, key_positions=False)
    broken = next((d for d in docs if d.parse_error), None)
    if broken is not None:
        return Baseline(error=broken.parse_error)
    good = [d for d in docs if isinstance(d.body, dict)]
    view = build_context(req, outcome.chart_name, good, Provenance(req.baseline_dir, outcome.chart_name, []), *prof)
    return Baseline(resources=view.resources, hooks=view.hooks)


def _caveat_message(caveat: str) -> str:
    import re

    m = re.search(r"refers to (\S+?)[,:]? (?:which|hooklint)", caveat)
    where = f" refers to {m.group(1)}, which" if m else " refers to a remote schema that"
    return (f"values.schema.json{where} hooklint does not download, so the values were not validated: Helm "
            "downloads it at install time and fails if it cannot, or if the values do not match it")


def _values_chain(chart_dir: Path, values: list[Path]) -> list[Path]:
    chain = [chart_dir / "values.yaml"] if (chart_dir / "values.yaml").is_file() else []
    return chain + [v for v in values if v.is_file()]


def build_context(req: LintRequest, chart_name: str, docs: list[Document], prov: Provenance,
                  target: str, helm_version: tuple[int, int] = (4, 2)) -> CheckContext:
    from hooklint.documents.hooks import classify

    classified = classify(docs, helm_version=helm_version[0])
    hooks = [
        HookView(
            doc=h.doc,
            ref=ObjectRef(h.ref.api_version, h.ref.kind, h.ref.name, h.ref.namespace),
            events=[str(e) for e in h.events],
            weight=h.weight,
            delete_policies=list(h.delete_policies),
            order=order,
        )
        for order, h in enumerate(classified.hooks)
    ]
    return CheckContext(
        chart_dir=req.chart_dir,
        chart_name=chart_name,
        docs=docs,
        hooks=hooks,
        resources=[d for d in classified.resources if d.kind],
        dropped=[d.doc for d in classified.dropped],
        release_name=req.release_name,
        release_namespace=req.namespace,
        provenance=prov,
        release_name_given=req.release_name_given,
        target=target,
        helm_version=helm_version,
    )


__all__ = ["LintRequest", "ChartResult", "lint_chart", "split_tokens"]

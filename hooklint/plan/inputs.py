"""From command-line inputs to plans: render (or read `helm template` output), classify, build.

Which rendering each event uses, as Helm does:
- install, test, uninstall: the chart rendered as an install (revision 1, IsInstall);
- upgrade: rendered as an upgrade (revision 2, IsUpgrade);
- rollback: the target revision as it was rendered, i.e. this chart and values as an install.
`--rendered` input is used as-is for every event. The previous release (upgrade: the deployed
one; rollback: the current one; `install --replace`: the failed release whose objects are still
there) comes from `--previous-rendered`, or from rendering `--previous-chart` (default: CHART)
with `--previous-values`.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from hooklint.documents.hooks import Classified, classify
from hooklint.documents.manifests import (
    _document,
    documents_from_helm_output,
    documents_from_rendered,
    split_manifest_spans,
)
from hooklint.documents.source import RenderedFile, SourcePos
from hooklint.errors import UsageError
from hooklint.model import Document
from hooklint.plan import Plan, PlanOptions, build_plan
from hooklint.plan.model import Source


@dataclass
class PlanRequest:
    chart: str | None
    events: list[str]
    release_name: str = "release-name"
    namespace: str = "default"
    value_files: tuple[str, ...] = ()
    set_values: tuple[str, ...] = ()
    set_string: tuple[str, ...] = ()
    set_json: tuple[str, ...] = ()
    set_file: tuple[str, ...] = ()
    set_literal: tuple[str, ...] = ()
    kube_version: str | None = None
    api_versions: tuple[str, ...] = ()
    rendered: str | None = None
    previous_rendered: str | None = None
    previous_values: tuple[str, ...] = ()
    previous_chart: str | None = None
    no_hooks: bool = False
    skip_crds: bool = False
    wait: bool = False
    wait_for_jobs: bool = False
    timeout: str = "5m0s"
    atomic: bool = False
    helm_version: int = 3
    wait_strategy: str | None = None
    keep_history: bool = False
    test_filters: list[str] = field(default_factory=list)
    test_logs: bool = False
    replace: bool = False
    take_ownership: bool = False
    cleanup_on_fail: bool = False
    server_side: str = "auto"
    release_apply_method: str | None = None


FINGERPRINT_KEY = "fingerprint"


def chart_fingerprint(chart_path: str, request: PlanRequest) -> str:
    """sha256 over the chart's files (path and bytes, sorted) and every values input (-f files by
    content, in order, and --set* arguments), so a saved plan says which chart and values it was made
    from. Stored by `hooklint plan --out` as `plan.chart["fingerprint"]`."""
    h = hashlib.sha256()
    root = Path(chart_path)
    if root.is_dir():
        for p in sorted(q for q in root.rglob("*") if q.is_file()):
            h.update(b"file\0" + p.relative_to(root).as_posix().encode() + b"\0")
            h.update(p.read_bytes())
    elif root.is_file():
        h.update(b"archive\0" + root.read_bytes())
    for name in request.value_files:  # by content, in order: `apply --plan` names them from elsewhere
        h.update(b"values\0")
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
    """The plan options a request asks for."""
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
        test_logs=r.test_logs,
        replace=r.replace,
        take_ownership=r.take_ownership,
        cleanup_on_fail=r.cleanup_on_fail,
        server_side=r.server_side,
        release_apply_method=r.release_apply_method,
    )


def _read_input(name: str, stdin: IO[str] | None) -> str:
    if name == "-":
        if stdin is None:
            raise UsageError("--rendered -: no standard input")
        try:
            return stdin.read()
        except UnicodeDecodeError:
            raise UsageError("--rendered -: standard input is not UTF-8 text") from None
    try:
        return Path(name).read_text(encoding="utf-8")
    except OSError as e:
        raise UsageError(f"cannot read {name}: {e.strerror or e}") from None
    except UnicodeDecodeError:
        raise UsageError(f"cannot read {name}: not UTF-8 text") from None


def _classify_helm_output(text: str, name: str, helm_version: int) -> Classified:
    files = documents_from_helm_output(text, name)
    crd_files = {k: v for k, v in files.items() if _is_crd_key(k)}
    docs = documents_from_rendered({k: v for k, v in files.items() if k not in crd_files})
    classified = classify(docs, helm_version=helm_version)
    for key in sorted(crd_files):
        rf = crd_files[key]
        classified.crds += [_document(rf, i, s, e) for i, (s, e) in enumerate(split_manifest_spans(rf.text))]
    return classified


def _is_crd_key(key: str) -> bool:
    from hooklint.documents.hooks import is_crd_file

    return is_crd_file(key)


class ChartSource:
    """A loaded chart rendered on demand (install-time and upgrade-time renderings)."""

    def __init__(
        self, request: PlanRequest, chart_path: str, value_files: tuple[str, ...] | None = None
    ) -> None:
        from hooklint.chart import load_chart

        self.request = request
        self.path = chart_path
        self.chart = load_chart(chart_path)
        self.value_files = request.value_files if value_files is None else value_files
        # --set* belong to CHART's rendering only; a previous chart or baseline has its own values
        # (not an identity test on the tuples: two empty tuples are the same object)
        self.own_values = value_files is None
        self._cache: dict[bool, Classified] = {}
        # .Release.Revision of an upgrade rendering: the last revision + 1 when the history is
        # known (apply), else 2 (plan and lint, offline)
        self.upgrade_revision = 2
        # The chart's own rendered templates/NOTES.txt per rendering (Release.Info.Notes;
        # subcharts' notes are left out, as without --render-subchart-notes).
        self.notes: dict[bool, str] = {}

    @property
    def meta(self) -> dict[str, str]:
        return {"name": self.chart.metadata.Name, "version": str(self.chart.metadata.Version)}

    def classified(self, upgrade: bool) -> Classified:
        if upgrade not in self._cache:
            self._cache[upgrade] = self._render(upgrade)
        return self._cache[upgrade]

    def _render(self, upgrade: bool) -> Classified:
        from hooklint.render import RenderOptions, render_chart

        r = self.request
        options = RenderOptions(
            release_name=r.release_name,
            namespace=r.namespace,
            revision=self.upgrade_revision if upgrade else 1,
            is_upgrade=upgrade,
            kube_version=r.kube_version,
            api_versions=r.api_versions,
            value_files=self.value_files,
            set_values=r.set_values if self.own_values else (),
            set_string=r.set_string if self.own_values else (),
            set_json=r.set_json if self.own_values else (),
            set_file=r.set_file if self.own_values else (),
            set_literal=r.set_literal if self.own_values else (),
        )
        files: dict[str, RenderedFile] = render_chart(self.chart, None, options)
        notes = files.get(f"{self.chart.metadata.Name}/templates/NOTES.txt")
        self.notes[upgrade] = notes.text if notes is not None else ""
        classified = classify(documents_from_rendered(files), helm_version=r.helm_version)
        classified.crds = self._crds(options)
        return classified

    def _crds(self, options: Any) -> list[Document]:
        """The crds/ files of the chart and of its *enabled* subcharts (Helm removes disabled
        dependencies before installCRDs reads `CRDObjects()`)."""
        if not self.chart.crd_objects():
            return []
        docs: list[Document] = []
        for key, text in enabled_crd_files(self.chart, options):
            rf = RenderedFile(path=key, text=text)
            docs += [_document(rf, i, s, e) for i, (s, e) in enumerate(split_manifest_spans(text))]
        return docs


_ChartSource = ChartSource  # the name runner.py imported first


def enabled_crd_files(chart: Any, options: Any) -> list[tuple[str, str]]:
    """(key, text) of every crds/ file Helm installs: the render helper's processed-chart list
    (dependency conditions and tags applied, so a disabled subchart's CRDs are left out)."""
    from hooklint.render import crd_files

    return [(f.path, f.text) for f in crd_files(chart, None, options)]


def source_mapper(chart_path: str | None, chart_name: str | None) -> Any:
    """Template keys `<chart>/...` become paths relative to the current directory."""
    base = chart_path if chart_path and os.path.isdir(chart_path) else None

    def source_of(pos: SourcePos, template: str) -> Source:
        file = pos.file
        if base is not None and chart_name and file.startswith(chart_name + "/"):
            file = os.path.relpath(os.path.join(base, file[len(chart_name) + 1 :])).replace(os.sep, "/")
        return Source(file=file, line=pos.line, column=pos.column, template=template)

    return source_of


_source_mapper = source_mapper  # the name runner.py imported first


def build_plans(request: PlanRequest, stdin: IO[str] | None = None) -> list[Plan]:
    r = request
    source: ChartSource | None = None
    rendered: Classified | None = None
    chart_meta = {"name": "", "version": ""}
    if r.rendered is not None:
        rendered = _classify_helm_output(_read_input(r.rendered, stdin), r.rendered, r.helm_version)
        if r.chart is not None and os.path.isdir(r.chart):
            chart_meta = _chart_yaml_meta(r.chart)
        else:
            chart_meta = _meta_from_keys(rendered)
    else:
        assert r.chart is not None
        source = ChartSource(r, r.chart)
        chart_meta = source.meta

    previous: Classified | None = None
    needs_previous = any(e in ("upgrade", "rollback") for e in r.events) or (
        r.replace and "install" in r.events
    )
    if needs_previous and r.previous_rendered is not None:
        previous = _classify_helm_output(
            _read_input(r.previous_rendered, stdin), r.previous_rendered, r.helm_version
        )
    elif needs_previous and (r.previous_values or r.previous_chart):
        prev_chart = r.previous_chart or r.chart
        if prev_chart is None:
            raise UsageError("--previous-values needs a CHART (or --previous-chart)")
        previous = ChartSource(r, prev_chart, r.previous_values).classified(upgrade=False)

    options = plan_options(r)
    source_of = source_mapper(r.chart if r.rendered is None else None, chart_meta.get("name"))
    plans: list[Plan] = []
    for event in r.events:
        if rendered is not None:
            classified = rendered
        else:
            assert source is not None
            classified = source.classified(upgrade=event == "upgrade")
        plans.append(
            build_plan(event, classified, options, chart=chart_meta, previous=previous, source_of=source_of)
        )
    return plans


def _chart_yaml_meta(path: str) -> dict[str, str]:
    import yaml

    try:
        data = yaml.safe_load(Path(path, "Chart.yaml").read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError):
        return {"name": os.path.basename(os.path.abspath(path)), "version": ""}
    if not isinstance(data, dict):
        data = {}
    return {"name": str(data.get("name", "")), "version": str(data.get("version", ""))}


def _meta_from_keys(classified: Classified) -> dict[str, str]:
    docs = [h.doc for h in classified.hooks] + classified.resources + [d.doc for d in classified.dropped]
    names = sorted({d.path.split("/", 1)[0] for d in docs if "/" in d.path})
    return {"name": names[0] if names else "", "version": ""}

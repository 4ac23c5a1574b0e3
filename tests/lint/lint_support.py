"""Shared helpers for the lint tests: run a chart (given as files) through the lint pipeline.

Rendering uses hooklint's built-in renderer when it is available, else real Helm (helm_python),
whose output carries no source map: examples keep template lines and rendered lines equal."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from helm_oracle import HelmFailure, helm_render, write_chart

from hooklint.documents.source import RenderedFile, SourcePos
from hooklint.lint.catalog import Catalog, load_catalog
from hooklint.lint.config import Config
from hooklint.lint.engine import ChartResult, LintRequest, lint_chart
from hooklint.lint.rendering import RenderOutcome, RenderRequest, builtin_renderer, chart_name_of


def _merge(a: dict[str, Any], b: dict[str, Any]) -> dict[str, Any]:
    out = dict(a)
    for k, v in b.items():
        out[k] = _merge(out[k], v) if isinstance(v, dict) and isinstance(out.get(k), dict) else v
    return out


def helm_renderer(req: RenderRequest) -> RenderOutcome:
    """Real Helm as the renderer (no source map)."""
    name = chart_name_of(req.chart_dir)
    values: dict[str, Any] = {}
    for f in req.values_files:
        values = _merge(values, yaml.safe_load(f.read_text(encoding="utf-8")) or {})
    out = helm_render(req.chart_dir, values or None, name=req.release_name, namespace=req.namespace)
    if isinstance(out, HelmFailure):
        pos = None
        if out.location:
            parts = out.location.split(":")
            pos = SourcePos(parts[0], int(parts[1]), int(parts[2]) if len(parts) > 2 else 1)
        return RenderOutcome(error=out.message, error_pos=pos, chart_name=name)
    return RenderOutcome(files={k: RenderedFile(k, v) for k, v in out.items()}, chart_name=name)


def builtin_available() -> bool:
    return builtin_renderer(RenderRequest(Path("/nonexistent"))).error != (
        "the built-in renderer is not available in this build"
    )


RENDERER = builtin_renderer if builtin_available() else helm_renderer


def lint_files(
    tmp: Path,
    files: dict[str, str],
    *,
    select: list[str] | None = None,
    config: Config | None = None,
    target: str | None = None,
    values_files: list[str] | None = None,
    name: str = "chart",
    baseline: dict[str, str] | None = None,
) -> ChartResult:
    chart = write_chart(tmp, files, name=name)
    baseline_dir = write_chart(tmp / "baseline", baseline, name=name) if baseline else None
    catalog: Catalog = load_catalog()
    req = LintRequest(
        chart_dir=chart,
        display_dir=".",
        values_files=[chart / v for v in values_files or []],
        target=target,
        select=select,
        baseline_dir=baseline_dir,
    )
    return lint_chart(req, config or Config(), catalog, renderer=RENDERER)

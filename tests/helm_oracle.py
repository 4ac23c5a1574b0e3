"""Real Helm as the oracle: render charts and snippets through helm_python (Helm's Go SDK).

Every expected output in the test-suite comes from here (or was recorded from here into
fixtures/), never from a guess. helm_python is a test dependency only.
"""

from __future__ import annotations

import re
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

try:  # the test extra installs it; without it, recorded fixtures are still checked
    import helm_python

    HAVE_HELM = True
except ImportError:  # pragma: no cover
    helm_python = None
    HAVE_HELM = False

SNIPPET_CHART = "t"
SNIPPET_TEMPLATE = "templates/t.yaml"
# The helm_python SDK is Helm v4.2.3: differential tests render with RenderOptions(helm_version=4).
HELM_SDK_VERSION = 4


@dataclass
class HelmFailure:
    """Helm refused to render. `message` is Helm's error text, `location` its file:line[:col]."""

    message: str
    location: str | None


def write_chart(root: Path, files: dict[str, str], name: str = SNIPPET_CHART) -> Path:
    """Write a chart directory under `root`; Chart.yaml is added when `files` lacks one."""
    chart = root / name
    chart.mkdir(parents=True, exist_ok=True)
    files = dict(files)
    files.setdefault("Chart.yaml", f"apiVersion: v2\nname: {name}\nversion: 0.1.0\n")
    for rel, text in files.items():
        p = chart / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(text, encoding="utf-8")
    return chart


_LOC = re.compile(r"([\w./-]+\.\w+:\d+(?::\d+)?)")


def normalize_helm_error(text: str) -> str:
    """Helm v4 prints Go's `a: b: c` error chains one link per indented line; join them
    back into Go's single-line form so they compare with Helm 3 wording."""
    lines = [ln.strip() for ln in text.strip().splitlines() if ln.strip()]
    joined = " ".join(lines)
    return re.sub(r":\s+", ": ", joined)


def helm_render(
    chart_dir: Path,
    values: dict[str, Any] | None = None,
    *,
    name: str = "release-name",
    namespace: str = "default",
    is_upgrade: bool | None = None,
) -> dict[str, str] | HelmFailure:
    """Helm's engine output per template key (after `<no value>` removal), or its failure."""
    assert helm_python is not None, "helm_python is not installed (pip install -e .[test])"
    try:
        chart = helm_python.Chart.load(str(chart_dir))
        kwargs: dict[str, Any] = {"name": name, "namespace": namespace}
        if is_upgrade:
            kwargs.update(is_upgrade=True, is_install=False)
        return dict(chart.render(values, **kwargs))
    except helm_python.HelmError as e:  # type: ignore[union-attr]
        msg = str(e)
        m = _LOC.search(msg)
        return HelmFailure(normalize_helm_error(msg), m.group(1) if m else None)


def helm_render_snippet(
    template: str, values_yaml: str = "", extra_files: dict[str, str] | None = None
) -> str | HelmFailure:
    """Render one template in a throwaway chart `t`; return its output or Helm's failure."""
    with tempfile.TemporaryDirectory() as tmp:
        files = {SNIPPET_TEMPLATE: template, "values.yaml": values_yaml, **(extra_files or {})}
        chart = write_chart(Path(tmp), files)
        out = helm_render(chart)
        if isinstance(out, HelmFailure):
            return out
        return out.get(f"{SNIPPET_CHART}/{SNIPPET_TEMPLATE}", "")

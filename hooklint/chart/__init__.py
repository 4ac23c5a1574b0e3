"""Helm charts: loading (dir or .tgz), Chart.yaml, .helmignore, dependencies, values, schema.

from hooklint.chart import load_chart
chart = load_chart("fixtures/charts/example")
"""

from __future__ import annotations

TYPE_CHECKING = False  # not `typing`'s: importing typing costs ~3 ms of every run
if TYPE_CHECKING:
    from typing import Any

if TYPE_CHECKING:
    from hooklint.chart.loader import load_chart
    from hooklint.chart.model import Chart, Dependency, File, Maintainer, Metadata

__all__ = ["Chart", "Dependency", "File", "Maintainer", "Metadata", "load_chart"]


def __getattr__(name: str) -> Any:
    # Lazy: importing a submodule (hooklint.chart.model) must not import the loader and
    # everything it needs (start-up time of commands that never load a chart).
    if name == "load_chart":
        from hooklint.chart.loader import load_chart

        return load_chart
    if name in __all__:
        from hooklint.chart import model

        return getattr(model, name)
    raise AttributeError(f"module 'hooklint.chart' has no attribute {name!r}")

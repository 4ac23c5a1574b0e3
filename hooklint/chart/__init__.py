"""Helm charts: loading (dir or .tgz), Chart.yaml, .helmignore, dependencies, values, schema.

from hooklint.chart import load_chart
chart = load_chart("fixtures/charts/example")
"""

from __future__ import annotations

from hooklint.chart.loader import load_chart
from hooklint.chart.model import Chart, Dependency, File, Maintainer, Metadata

__all__ = ["Chart", "Dependency", "File", "Maintainer", "Metadata", "load_chart"]

"""`hooklint plan --baseline REF`: the chart version the release runs now, to plan the upgrade from.

REF is resolved like `lint --baseline` (hooklint.lint.baseline.BaselineCharts): a chart
directory, or a git revision of the repository that holds CHART (the chart's folder at that
revision, extracted with `git archive`); `plan` also takes a packaged chart (`.tgz`).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from hooklint.errors import UsageError
from hooklint.lint.baseline import BaselineCharts

ARCHIVE_SUFFIXES = (".tgz", ".tar.gz")


@dataclass(frozen=True)
class ResolvedBaseline:
    """Where the baseline chart is on disk, and how to name it in the output."""

    path: str  # a chart directory or archive, valid until the resolver is closed
    label: str  # what the user gave (`v1.2.0`, `old/`, `old.tgz`)
    commit: str | None = None  # a git revision's commit
    is_revision: bool = False  # REF named a git revision (its content can change: never replayed)


class BaselineResolver:
    """Resolves REF for one CHART; `close()` removes what a git revision extracted."""

    def __init__(self, spec: str, chart: str) -> None:
        self.spec = spec
        self.chart = chart
        self._charts: BaselineCharts | None = None

    def resolve(self) -> ResolvedBaseline:
        spec = self.spec
        if os.path.isfile(spec):
            if not spec.endswith(ARCHIVE_SUFFIXES):
                raise UsageError(f"--baseline: {spec} is a file but not a packaged chart (.tgz): give the previous "
                                 "version's chart directory or .tgz, or a git revision")
            return ResolvedBaseline(path=spec, label=spec)
        if os.path.isdir(spec):
            self._charts = BaselineCharts(spec, 1)  # checks Chart.yaml, with its worded error
            return ResolvedBaseline(path=spec, label=spec)
        chart_dir = Path(self.chart)
        if not chart_dir.is_dir():
            raise UsageError(f"--baseline {spec}: a git revision needs CHART to be a chart directory in a git "
                             f"repository, and {self.chart} is not a directory")
        self._charts = BaselineCharts(spec, 1)
        found = self._charts.for_chart(chart_dir)
        if found is None:
            raise UsageError(f"--baseline {spec}: {self.chart} did not exist at that revision, so there is no "
                             "release to upgrade from (plan --event install instead)")
        commit = next(iter(self._charts.commits.values()), None)
        return ResolvedBaseline(path=str(found), label=spec, commit=commit, is_revision=True)

    def close(self) -> None:
        if self._charts is not None:
            self._charts.close()
            self._charts = None

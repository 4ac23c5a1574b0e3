"""`hooklint lint --baseline`: the previous version of each linted chart, to compare with (HL310).

The baseline is a chart directory (one chart linted), or a git revision of the repository that
holds each chart: the chart's folder at that revision is extracted (`git archive`) into a
temporary directory, removed when the run ends. A chart that did not exist at that revision has
no baseline: it is new, so nothing in it changed from hook to resource or back.
"""

from __future__ import annotations

import os
from pathlib import Path

from hooklint.errors import UsageError

TYPE_CHECKING = False  # not `typing`'s: importing typing costs ~3 ms of every run

if TYPE_CHECKING:
    import tempfile

# subprocess, tarfile and tempfile are imported only when a --baseline revision is extracted:
# every lint run builds a BaselineCharts, few have a baseline.


class BaselineCharts:
    """The baseline chart of each chart of one run (see the module docstring)."""

    def __init__(self, spec: str | None, chart_count: int) -> None:
        self.spec = spec
        self.folder: tempfile.TemporaryDirectory[str] | None = None
        self.directory: Path | None = None
        self.commits: dict[str, str] = {}  # repository top folder -> the revision's commit
        if spec is not None and os.path.isdir(spec):
            if not os.path.isfile(os.path.join(spec, "Chart.yaml")):
                raise UsageError(f"--baseline: {spec} is a directory without Chart.yaml: give the previous version's "
                                 "chart directory, or a git revision")
            if chart_count > 1:
                raise UsageError(f"--baseline: a chart directory is the baseline of one chart, and {chart_count} "
                                 "charts were found; give a git revision to compare each chart with its own past")
            self.directory = Path(spec)

    def for_chart(self, chart: Path) -> Path | None:
        if self.spec is None:
            return None
        if self.directory is not None:
            return self.directory
        top, prefix = _git(chart, "rev-parse", "--show-toplevel", "--show-prefix").split("\n", 1)
        prefix = prefix.rstrip("\n").rstrip("/")
        commit = self.commits.get(top)
        if commit is None:
            try:
                commit = _git(chart, "rev-parse", "--verify", "--quiet", f"{self.spec}^{{commit}}").strip()
            except UsageError:
                raise UsageError(f"--baseline: '{self.spec}' is neither a chart directory nor a revision of the "
                                 f"git repository at {top}") from None
            self.commits[top] = commit
        import io
        import subprocess
        import tarfile
        import tempfile

        if self.folder is None:
            self.folder = tempfile.TemporaryDirectory(prefix="hooklint-baseline-")
        root = Path(self.folder.name) / commit[:12]  # each chart's folder at that commit, under it
        target = root / prefix if prefix else root
        if (target / "Chart.yaml").is_file():
            return target  # extracted already (the chart was named twice)
        archive = subprocess.run(["git", "-C", top, "archive", "--format=tar", commit, "--", prefix or "."],
                                 capture_output=True, check=False)
        if archive.returncode != 0:
            if b"did not match any files" in archive.stderr:
                return None  # the chart is new since that revision
            raise UsageError(f"--baseline: git archive of {prefix or top} at {self.spec} failed: "
                             f"{archive.stderr.decode('utf-8', 'replace').strip()}")
        with tarfile.open(fileobj=io.BytesIO(archive.stdout), mode="r:") as tar:
            if hasattr(tarfile, "data_filter"):
                tar.extractall(root, filter="data")
            else:  # pragma: no cover - Python before 3.10.12 / 3.11.4
                tar.extractall(root)  # noqa: S202 - the user's own repository
        return target if (target / "Chart.yaml").is_file() else None

    def close(self) -> None:
        if self.folder is not None:
            self.folder.cleanup()
            self.folder = None


def _git(chart: Path, *args: str) -> str:
    import subprocess

    try:
        done = subprocess.run(["git", "-C", str(chart), *args], capture_output=True, text=True, check=False)
    except OSError:
        raise UsageError("--baseline with a git revision needs the git command, which was not found") from None
    if done.returncode != 0:
        message = done.stderr.strip().splitlines()[-1] if done.stderr.strip() else f"git {args[0]} failed"
        raise UsageError(f"--baseline: {chart} is not in a git repository ({message})")
    return done.stdout

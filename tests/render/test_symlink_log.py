"""Symlinks in a chart directory: Helm follows them and logs each one it meets on stderr (even
an ignored one), naming the path through the links; `hooklint render` prints the same lines."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from cli_run import run_cli
from helm_binaries import HELM3, HELM4, helm_binary, run_helm
from helm_oracle import write_chart


def _chart(root: Path) -> Path:
    shared = write_chart(root, {
        "crd.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: linked\n",
        "more/cm.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: linked-dir\n",
        "more/notes.txt": "note: 1\n",
    }, name="shared")
    chart = write_chart(root, {
        "templates/from-file.yaml": '{{ .Files.Get "crd.yaml" }}',
        ".helmignore": "ignored.txt\n",
    }, name="real-chart")
    os.symlink(shared / "crd.yaml", chart / "crd.yaml")
    os.symlink(shared / "more", chart / "templates" / "more")  # a folder: its files are walked too
    os.symlink(shared / "more" / "notes.txt", shared / "more" / "nested-link.txt")  # met through the folder link
    os.symlink(shared / "crd.yaml", chart / "ignored.txt")  # logged, then ignored
    os.symlink(chart, root / "chart-link")  # the chart itself, given through a link: not logged
    return root / "chart-link"


@pytest.mark.parametrize("version", [3, 4])
def test_symlinks_are_logged_like_helm(version: int, tmp_path: Path) -> None:
    chart = _chart(tmp_path)
    theirs = run_helm(helm_binary(HELM3 if version == 3 else HELM4), ["template", str(chart)], tmp_path / "home")
    ours = run_cli(["render", str(chart), "--helm-version", str(version)])
    assert theirs.stderr.count("symbolic link") == 4
    assert (ours.exit_code, ours.stderr) == (theirs.exit_code, theirs.stderr)
    if version == 3:  # Helm 4.2 keeps trailing newlines that 4.1.4 trims (README, render)
        assert ours.stdout == theirs.stdout

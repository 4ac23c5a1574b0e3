"""Reading a chart directory (os.scandir walk, one read per file): what Helm loads, byte for
byte, and its errors, against the real helm binaries."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from cli_run import run_cli
from helm_binaries import HELM3, HELM4, helm_binary, run_helm
from helm_oracle import write_chart
from hypothesis import given, settings
from hypothesis import strategies as st

from hooklint.chart import load_chart
from hooklint.errors import ChartError


@pytest.mark.parametrize("version", [3, 4])
def test_large_and_bom_files_render_like_helm(version: int, tmp_path: Path) -> None:
    # larger than one read of a small file; a BOM is stripped from every file Helm loads
    big = "".join(f"line {i}: {'x' * (i % 97)}\n" for i in range(6000))
    chart = write_chart(tmp_path, {
        "templates/cm.yaml": 'big: {{ .Files.Get "files/big.txt" | len }}\nbom: {{ .Files.Get "files/bom.txt" | quote }}\n'
                             "v: {{ .Values.a }}\n",
        "files/big.txt": big,
        "files/bom.txt": "\ufeffhello",
        "values.yaml": "\ufeffa: 1\n",
    })
    theirs = run_helm(helm_binary(HELM3 if version == 3 else HELM4), ["template", str(chart)], tmp_path / "home")
    ours = run_cli(["render", str(chart), "--helm-version", str(version)])
    assert f"big: {len(big)}" in theirs.stdout and 'bom: "hello"' in theirs.stdout
    assert (ours.exit_code, ours.stdout, ours.stderr) == (theirs.exit_code, theirs.stdout, theirs.stderr)


@pytest.mark.parametrize("version", [3, 4])
def test_irregular_file_is_refused_like_helm(version: int, tmp_path: Path) -> None:
    chart = write_chart(tmp_path, {"templates/cm.yaml": "a: 1\n"})
    os.mkfifo(chart / "pipe")
    theirs = run_helm(helm_binary(HELM3 if version == 3 else HELM4), ["template", str(chart)], tmp_path / "home")
    # load_chart itself: the CLI's cache key reads every file of the chart first (runtime/cache.py)
    with pytest.raises(ChartError) as err:
        load_chart(chart, version)
    assert theirs.exit_code == 1
    assert theirs.stderr == f"Error: {err.value.message}\n"
    assert err.value.message == f"cannot load irregular file {chart}/pipe as it has file mode type bits set"


def test_the_command_with_its_cache_on_refuses_an_irregular_file_like_helm(tmp_path: Path) -> None:
    """The cache key reads the chart's files: a FIFO is keyed by its type, never opened for
    reading (that waited forever for a writer), and the run gives Helm's error."""
    import subprocess
    import sys

    chart = write_chart(tmp_path, {"templates/cm.yaml": "a: 1\n"})
    os.mkfifo(chart / "pipe")
    theirs = run_helm(helm_binary(HELM3), ["template", str(chart)], tmp_path / "home")
    env = {**os.environ, "HOOKLINT_CACHE_DIR": str(tmp_path / "cache"), "HOOKLINT_NO_SERVER": "1"}
    env.pop("HOOKLINT_NO_CACHE", None)
    for _ in range(2):  # the second run finds what the first stored
        ours = subprocess.run([sys.executable, "-m", "hooklint", "render", str(chart)], capture_output=True,
                              text=True, env=env, timeout=60, check=False)
        assert (ours.returncode, ours.stdout, ours.stderr) == (theirs.exit_code, theirs.stdout, theirs.stderr)


def test_an_ignored_irregular_file_is_not_read(tmp_path: Path) -> None:
    chart = write_chart(tmp_path, {"templates/cm.yaml": "a: 1\n", ".helmignore": "pipe\n"})
    os.mkfifo(chart / "pipe")
    assert [f.name for f in load_chart(chart).raw] == [".helmignore", "Chart.yaml", "templates/cm.yaml"]


def test_symlink_loop_is_an_error(tmp_path: Path) -> None:
    # Helm recurses until the path is too long; hooklint stops at the folder met twice
    chart = write_chart(tmp_path, {"templates/cm.yaml": "a: 1\n"})
    (chart / "sub").mkdir()
    os.symlink("..", chart / "sub" / "up")
    with pytest.raises(ChartError) as err:
        load_chart(chart)
    assert err.value.message == f"symbolic link loop in chart at {chart.resolve()}/sub"


def test_a_folder_linked_twice_is_no_loop(tmp_path: Path) -> None:
    chart = write_chart(tmp_path, {"templates/cm.yaml": "a: 1\n", "shared/x.txt": "x"})
    os.symlink("../shared", chart / "templates" / "a")
    os.symlink("../shared", chart / "templates" / "b")
    names = [f.name for f in load_chart(chart).raw]
    assert names == ["Chart.yaml", "shared/x.txt", "templates/a/x.txt", "templates/b/x.txt", "templates/cm.yaml"]


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet="/.ab", max_size=12))
def test_path_str_is_what_pathlib_prints(path: str) -> None:
    """The loader names paths as pathlib did (without importing it): messages and log lines."""
    from pathlib import PurePosixPath

    from hooklint.chart.loader import path_str

    assert path_str(path) == str(PurePosixPath(path))

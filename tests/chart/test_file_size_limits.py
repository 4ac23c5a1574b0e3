"""Helm 4.2.3 refuses chart files over 5 MiB (pkg/chart/loader/archive/archive.go
MaxDecompressedFileSize), in directories and archives; Helm 3.17.1 has no such limit."""

from __future__ import annotations

import tarfile
from pathlib import Path

import pytest
from helm_oracle import HAVE_HELM, HelmFailure, helm_render, write_chart

from hooklint.chart import load_chart
from hooklint.chart.loader import archive_files
from hooklint.errors import ChartError

needs_helm = pytest.mark.skipif(not HAVE_HELM, reason="helm_python not installed")
LIMIT = 5 * 1024 * 1024


def _chart_with_file(tmp_path: Path, size: int, as_archive: bool) -> Path:
    chart = write_chart(tmp_path, {"templates/t.yaml": "a: 1\n", "files/big.txt": "x" * size})
    if not as_archive:
        return chart
    tgz = tmp_path / "t-0.1.0.tgz"
    with tarfile.open(tgz, "w:gz") as tar:
        tar.add(chart, arcname="t")
    return tgz


@needs_helm
@pytest.mark.parametrize("as_archive", [False, True], ids=["dir", "tgz"])
@pytest.mark.parametrize("size", [LIMIT, LIMIT + 1], ids=["at-limit", "over"])
def test_file_size_limit_matches_helm4(tmp_path: Path, size: int, as_archive: bool) -> None:
    """The SDK's loader reports LoadArchiveFiles' own error; `helm template` (LoadFile, Helm
    4.1.4's binary and 4.2's source) replaces any archive error but gzip's header one with
    "unable to load chart archive", as load_chart does for a file."""
    path = _chart_with_file(tmp_path, size, as_archive)
    helm = helm_render(path)
    if isinstance(helm, HelmFailure):
        with pytest.raises(ChartError) as err:
            if as_archive:
                archive_files(path.read_bytes(), helm_version=4)
            else:
                load_chart(path, helm_version=4)
        assert err.value.message == helm.message
        if as_archive:
            with pytest.raises(ChartError) as err:
                load_chart(path, helm_version=4)
            assert err.value.message == "unable to load chart archive"
    else:
        load_chart(path, helm_version=4)


@pytest.mark.parametrize("as_archive", [False, True], ids=["dir", "tgz"])
def test_no_file_size_limit_in_helm3(tmp_path: Path, as_archive: bool) -> None:
    """v3.17.1 pkg/chart/loader/{directory,archive}.go read every file whatever its size."""
    chart = load_chart(_chart_with_file(tmp_path, LIMIT + 1, as_archive))
    assert any(f.name == "files/big.txt" for f in chart.files)

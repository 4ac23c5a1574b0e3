"""A short run of the fuzz campaign (tests/fuzz/campaign.py), a few seconds: broken fixture
charts through every command, with an empty, a damaged and a re-stored cache, and through a
server. The long run is `python tools/fuzz_campaign.py` (README "Fuzzing")."""

from __future__ import annotations

import os
import random
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from campaign import MUTATIONS, Figures, make_case, run_case, server_differences


@pytest.mark.parametrize("mutation", MUTATIONS)
def test_a_broken_fixture_chart_never_crashes_and_a_damaged_cache_changes_nothing(tmp_path: Path, mutation: str) -> None:
    rng = random.Random(f"ci-{mutation}")
    case = make_case(rng, tmp_path, mutation)
    figures = Figures()
    run_case(rng, case, tmp_path, figures)
    assert figures.runs >= 6
    assert not figures.findings, "\n".join(map(str, figures.findings))


@pytest.mark.skipif(not hasattr(os, "fork") or not (Path(sys.executable).parent / "hooklint").exists(),
                    reason="needs the installed `hooklint` command and fork")
def test_runs_through_a_server_print_what_runs_without_it(tmp_path: Path) -> None:
    folder = tempfile.mkdtemp(prefix="hl-fz-")
    os.chmod(folder, 0o700)
    env = {k: v for k, v in os.environ.items() if k != "HOOKLINT_NO_SERVER"}
    env.update(HOOKLINT_SERVER_DIR=folder, HOOKLINT_SERVER_IDLE="60", HOOKLINT_CACHE_DIR=str(tmp_path / "cache"))
    env.pop("HOOKLINT_NO_CACHE", None)
    script = str(Path(sys.executable).parent / "hooklint")
    try:
        subprocess.run([script, "server", "start"], env=env, capture_output=True, timeout=60, check=True)
        figures = Figures()
        case = make_case(random.Random("ci-server"), tmp_path, "annotation")
        server_differences(case, tmp_path, env, figures, parallel=3, commands=2)
        assert figures.runs == 8
        assert not figures.findings, "\n".join(map(str, figures.findings))
    finally:
        subprocess.run([script, "server", "stop"], env=env, capture_output=True, timeout=60)
        shutil.rmtree(folder, ignore_errors=True)

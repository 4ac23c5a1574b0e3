"""What `hooklint apply` prints, as a user runs it: multi-release scenarios through `--state`
(install, a refused second install, upgrade with changed values, test --logs, rollback,
uninstall, an upgrade with no release left), compared with golden transcripts.

A transcript holds, per command: `$ hooklint apply ...`, its stdout, `[stderr]` and its stderr
when there is any, and `[exit N]`. The Helm wording inside (errors, the status block, the
upgrade/rollback/uninstall messages) is checked literally by the other tests here, against
Helm's sources. Regenerate after an intended output change with
`HOOKLINT_UPDATE_GOLDEN=1 pytest tests/backends/test_backend_apply_output.py` and review the diff.
"""

from __future__ import annotations

import os
import shlex
from pathlib import Path

import pytest
from cli_run import run_cli

from hooklint.backends.simulate import SimulateBackend

REPO = Path(__file__).resolve().parents[2]
GOLDEN = REPO / "fixtures" / "backends" / "golden"
UPDATE = os.environ.get("HOOKLINT_UPDATE_GOLDEN") == "1"


def run(args: list[str], cwd: Path) -> tuple[str, str, int]:
    """`hooklint apply ARGS` in-process, as cli.main would run it: (stdout, stderr, exit code)."""
    old = Path.cwd()
    os.chdir(cwd)
    try:
        result = run_cli(["apply", *args])
    finally:
        os.chdir(old)
    return result.stdout, result.stderr, result.exit_code


def transcript(commands: list[str], tmp_path: Path) -> str:
    """Run commands (relative to the repository, `STATE` standing for a fresh state file)."""
    tmp_path.mkdir(parents=True, exist_ok=True)
    state = tmp_path / "state.json"
    out: list[str] = []
    for command in commands:
        args = [a.replace("STATE", str(state)) for a in shlex.split(command)]
        stdout, stderr, code = run(args, REPO)
        out.append(f"$ hooklint apply {command}\n{stdout}")
        if stderr:
            out.append(f"[stderr]\n{stderr}")
        out.append(f"[exit {code}]\n\n")
    return "".join(out)


def check_golden(name: str, text: str) -> None:
    path = GOLDEN / f"{name}.txt"
    if UPDATE or not path.exists():
        path.write_text(text, encoding="utf-8")
        if not UPDATE:
            pytest.fail(f"recorded {path.relative_to(REPO)}: review it and run again")
    assert text == path.read_text(encoding="utf-8")


LIFECYCLE = "fixtures/backends/lifecycle"
EXAMPLE = "fixtures/charts/example"
CLEANUP = "fixtures/backends/cleanup"
TRACES = "fixtures/charts/traces"

SCENARIOS = {
    # The README's chart, Helm 3: everything succeeds; the test Pod is deleted by its
    # hook-succeeded policy before `--logs` reads it, which fails as in Helm 3.17.
    "example-v3": [
        f"{EXAMPLE} --event install --name r --state STATE --dry-run",
        f"{EXAMPLE} --event install --name r --state STATE",
        f"{EXAMPLE} --event install --name r --state STATE",
        f"{EXAMPLE} --event upgrade --name r --state STATE --set replicaCount=3 --description scaled",
        "--event test --name r --state STATE --logs",
        "--event rollback --name r --state STATE --revision 1",
        "--event uninstall --name r --state STATE",
        f"{EXAMPLE} --event upgrade --name r --state STATE",
    ],
    # Helm 4 reads the logs before the cleanup, and prints DESCRIPTION.
    "example-v4": [
        f"{EXAMPLE} --event install --name r --state STATE --helm-version 4",
        "--event test --name r --state STATE --logs --helm-version 4",
        "--event uninstall --name r --state STATE --helm-version 4 --keep-history --description gone",
        f"{EXAMPLE} --event install --name r --state STATE --helm-version 4 --replace",
    ],
    # Leftover hooks accumulate: the post-upgrade hook collides with its post-install leftover.
    "lifecycle-v3": [
        f"{LIFECYCLE} --event install --name r --state STATE --force",
        f"{LIFECYCLE} --event upgrade --name r --state STATE --force --set migrate=false",
        "--event test --name r --state STATE --logs",
        "--event rollback --name r --state STATE --revision 1",
        "--event uninstall --name r --state STATE",
    ],
    # A failing hook, Helm's hook-failed cleanup, then `install --replace` of the failed release.
    "failed-install": [
        f"{TRACES}/sA --event install --name a --state STATE --force --simulate h2-fail=fail",
        f"{TRACES}/sA --event install --name a --state STATE --force",
        f"{TRACES}/sA --event install --name a --state STATE --force --replace",
    ],
    # --cleanup-on-fail deletes what the failed upgrade created; a hanging hook times out.
    "cleanup-on-fail": [
        f"{CLEANUP} --event install --name c --state STATE",
        f"{CLEANUP} --event upgrade --name c --state STATE --set extra=true --cleanup-on-fail --simulate verify=fail",
        f"{CLEANUP} --event upgrade --name c --state STATE --set extra=true --simulate verify=hang --timeout 90s --times",
    ],
}


@pytest.mark.parametrize("name", sorted(SCENARIOS))
def test_scenario_transcripts(name: str, tmp_path: Path) -> None:
    check_golden(name, transcript(SCENARIOS[name], tmp_path))


def test_output_is_deterministic(tmp_path: Path) -> None:
    commands = SCENARIOS["example-v3"][1:4]
    first = transcript(commands, tmp_path / "a")
    assert transcript(commands, tmp_path / "b") == first


# -- Helm's wording (v3.17.1 sources named on each assertion) -----------------------------------


def test_upgrade_without_a_release_is_refused_like_helm(tmp_path: Path) -> None:
    state = str(tmp_path / "s.json")
    stdout, stderr, code = run([EXAMPLE, "--event", "upgrade", "--name", "r", "--state", state], REPO)
    assert code == 1
    # pkg/action/upgrade.go prepareUpgrade: errMissingRelease; cmd/helm/upgrade.go wraps "UPGRADE FAILED"
    assert stderr == 'Error: UPGRADE FAILED: "r" has no deployed releases\n'
    assert "refused" in stdout
    assert not Path(state).exists()  # a refused run writes nothing


def test_install_over_a_release_is_refused_like_helm(tmp_path: Path) -> None:
    state = str(tmp_path / "s.json")
    args = [EXAMPLE, "--event", "install", "--name", "r", "--state", state]
    assert run(args, REPO)[2] == 0
    _, stderr, code = run(args, REPO)
    assert code == 1
    # pkg/action/install.go availableName; cmd/helm/install.go wraps "INSTALLATION FAILED"
    assert stderr == "Error: INSTALLATION FAILED: cannot re-use a name that is still in use\n"
    # --replace only re-uses a failed or uninstalled release's name
    _, stderr, code = run([*args, "--replace"], REPO)
    assert "cannot re-use a name that is still in use" in stderr and code == 1


def test_status_block_and_notes_like_helm_install(tmp_path: Path) -> None:
    stdout, _, code = run(
        [EXAMPLE, "--event", "install", "--name", "r", "--state", str(tmp_path / "s.json")], REPO
    )
    assert code == 0
    # cmd/helm/status.go statusPrinter.WriteTable (LAST DEPLOYED only with --times); test hooks
    # that never ran are not listed; NOTES: the rendered NOTES.txt, trimmed
    assert stdout.endswith(
        "\n\nNAME: r\nNAMESPACE: default\nSTATUS: deployed\nREVISION: 1\n"
        "NOTES:\nr-example is installed. Run `helm test r` to check it.\n"
    )
    hidden, _, _ = run(
        [
            EXAMPLE,
            "--event",
            "install",
            "--name",
            "q",
            "--hide-notes",
            "--state",
            str(tmp_path / "t.json"),
        ],
        REPO,
    )
    assert "NOTES:" not in hidden


def test_times_show_last_deployed_in_ansic(tmp_path: Path) -> None:
    stdout, _, _ = run(
        [
            EXAMPLE,
            "--event",
            "install",
            "--name",
            "r",
            "--times",
            "--state",
            str(tmp_path / "s.json"),
        ],
        REPO,
    )
    # time.ANSIC ("Mon Jan _2 15:04:05 2006") of the simulated clock
    assert "\nLAST DEPLOYED: Wed Jan  1 00:00:" in stdout
    assert "created, waited: Complete (simulated 0s)" in stdout


def test_flags_of_other_commands_are_usage_errors() -> None:
    for args in (
        ["--event", "test", "--replace"],
        ["--event", "install", "--logs"],
        ["--event", "rollback", "--description", "x"],
        ["--event", "install", "--cleanup-on-fail"],
        ["--event", "test", "--take-ownership"],
    ):
        _, stderr, code = run([EXAMPLE, *args], REPO)
        assert code == 2, args
        assert "applies to --event" in stderr


def test_dry_run_prints_the_plan_and_changes_nothing(tmp_path: Path) -> None:
    state = tmp_path / "s.json"
    stdout, _, code = run(
        [EXAMPLE, "--event", "install", "--name", "r", "--state", str(state), "--dry-run"], REPO
    )
    assert code == 0
    assert stdout.startswith("helm install | Helm 3 | chart example")
    assert not state.exists()
    as_json, _, _ = run(
        [EXAMPLE, "--event", "install", "--name", "r", "--dry-run", "--output", "json"], REPO
    )
    assert '"event": "install"' in as_json


def test_take_ownership_adopts_what_the_ownership_check_refuses(tmp_path: Path) -> None:
    state = tmp_path / "s.json"
    sim = SimulateBackend(state=str(state))
    sim.create({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "app", "namespace": "default"}})
    sim.close()
    args = [CLEANUP, "--event", "install", "--name", "c", "--state", str(state)]
    _, stderr, code = run(args, REPO)
    assert code == 1
    # pkg/action/validate.go existingResourceConflict, wrapped "Unable to continue with install"
    assert (
        'Unable to continue with install: ConfigMap "app" in namespace "default" exists and cannot be '
        "imported into the current release: invalid ownership metadata; label validation error: "
        'missing key "app.kubernetes.io/managed-by": must be set to "Helm"' in stderr
    )
    stdout, _, code = run([*args, "--take-ownership"], REPO)
    assert code == 0, stdout
    assert "ConfigMap/app already exists: adopted" in stdout
    live = SimulateBackend(state=str(state)).objects
    app = next(o for o in live.values() if o["metadata"]["name"] == "app")
    assert app["metadata"]["annotations"]["meta.helm.sh/release-name"] == "c"


def test_dry_run_upgrade_without_a_release_fails_like_helm(tmp_path: Path) -> None:
    args = [EXAMPLE, "--event", "upgrade", "--name", "r", "--state", str(tmp_path / "s.json")]
    _, stderr, code = run([*args, "--dry-run"], REPO)
    # pkg/action/upgrade.go: prepareUpgrade runs before the dry-run exit
    assert code == 1
    assert stderr == 'Error: UPGRADE FAILED: "r" has no deployed releases\n'


KEEP_CHART = {
    "Chart.yaml": "apiVersion: v2\nname: keep\nversion: 0.1.0\n",
    "templates/cm.yaml": (
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: plain\n---\n"
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: precious\n"
        "  annotations:\n    helm.sh/resource-policy: keep\n"
    ),
}


def test_uninstall_reports_kept_resources_like_helm(tmp_path: Path) -> None:
    chart = tmp_path / "keep"
    for name, text in KEEP_CHART.items():
        (chart / name).parent.mkdir(parents=True, exist_ok=True)
        (chart / name).write_text(text, encoding="utf-8")
    state = str(tmp_path / "s.json")
    assert run([str(chart), "--event", "install", "--name", "k", "--state", state], REPO)[2] == 0
    stdout, _, code = run(["--event", "uninstall", "--name", "k", "--state", state], REPO)
    assert code == 0
    assert "kept (helm.sh/resource-policy) (1): ConfigMap/precious" in stdout
    # pkg/action/uninstall.go res.Info + cmd/helm/uninstall.go Fprintln, then the uninstalled line
    assert stdout.endswith(
        "\n\nThese resources were kept due to the resource policy:\n[ConfigMap] precious\n\n"
        'release "k" uninstalled\n'
    )

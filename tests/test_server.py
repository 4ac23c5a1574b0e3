"""The background server (hooklint/runtime/client.py, hooklint/runtime/server.py), through the installed
`hooklint` command as a user runs it: a run through the server prints the same bytes, exit code
and errors as a run without one, in the client's directory, environment and streams; the first
run starts a server; `server status|stop` work; a killed server only makes runs slower."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "fixtures" / "charts" / "example"
SCRIPT = Path(sys.executable).parent / "hooklint"

pytestmark = pytest.mark.skipif(
    not SCRIPT.exists() or not hasattr(os, "fork"),
    reason="needs the installed `hooklint` command and a platform with fork and Unix sockets",
)


@pytest.fixture()
def server_env() -> Iterator[dict[str, str]]:
    """An environment whose runs use a server of their own (a short private socket folder); the
    server is stopped afterwards."""
    folder = tempfile.mkdtemp(prefix="hl-srv-")
    os.chmod(folder, 0o700)
    env = {k: v for k, v in os.environ.items() if k not in ("HOOKLINT_NO_SERVER", "CI")}
    env.update(HOOKLINT_SERVER_DIR=folder, HOOKLINT_SERVER_IDLE="120", HOOKLINT_NO_CACHE="1")
    try:
        yield env
    finally:
        subprocess.run([str(SCRIPT), "server", "stop"], env=env, capture_output=True, timeout=60)
        shutil.rmtree(folder, ignore_errors=True)


def hooklint(args: list[str], env: dict[str, str], **kwargs: object) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(SCRIPT), *args], env=env, capture_output=True, text=True, timeout=120,
                          **kwargs)  # type: ignore[call-overload]


def without_server(env: dict[str, str]) -> dict[str, str]:
    return dict(env, HOOKLINT_NO_SERVER="1")


def runs_served(env: dict[str, str]) -> int:
    status = hooklint(["server", "status"], env)
    assert status.returncode == 0, status.stdout + status.stderr
    return int(status.stdout.split("runs served: ")[1].split(",")[0])


def start(env: dict[str, str]) -> None:
    r = hooklint(["server", "start"], env)
    assert r.returncode == 0, r.stdout + r.stderr
    assert "server, pid" in r.stdout


def wait_for_server(env: dict[str, str]) -> None:
    deadline = time.monotonic() + 60
    while hooklint(["server", "status"], env).returncode != 0:
        assert time.monotonic() < deadline, "no server started"
        time.sleep(0.1)


def test_server_commands(server_env: dict[str, str]) -> None:
    status = hooklint(["server", "status"], server_env)
    assert (status.returncode, status.stdout.startswith("no server running")) == (1, True)
    start(server_env)
    assert runs_served(server_env) == 0
    stop = hooklint(["server", "stop"], server_env)
    assert stop.returncode == 0 and stop.stdout.startswith("stopped server")
    assert hooklint(["server", "status"], server_env).returncode == 1
    assert hooklint(["server", "stop"], server_env).stdout == "no server was running\n"
    off = hooklint(["server", "start"], without_server(server_env))
    assert off.returncode == 2 and "turned off" in off.stderr


@pytest.mark.parametrize("args", [
    ["render", str(EXAMPLE)],
    ["render", str(EXAMPLE), "--name", "r1", "-n", "ns", "--set", "replicaCount=3", "--is-upgrade"],
    ["lint", str(EXAMPLE), "--output", "json"],
    ["plan", str(EXAMPLE)],
    ["render", str(EXAMPLE), "--set", "image.tag={{ fail \"boom\" }}"],  # an error, exit 1
    ["render", str(EXAMPLE), "--no-such-option"],  # a usage error, exit 2
    ["render", str(ROOT / "no-such-chart")],
    ["rules"],
    ["explain", "HL101"],
    ["lint", "--help"],  # the command parsers a server builds ahead (cli.prebuild_parsers)
    ["--help"],
    [],  # the help, exit 2
])
def test_a_run_through_the_server_is_the_run_without_it(server_env: dict[str, str], args: list[str]) -> None:
    start(server_env)
    served = hooklint(args, server_env)
    direct = hooklint(args, without_server(server_env))
    assert (served.returncode, served.stdout, served.stderr) == (direct.returncode, direct.stdout, direct.stderr)
    assert runs_served(server_env) == 1


def test_the_run_happens_in_the_clients_directory_environment_and_stdin(server_env: dict[str, str], tmp_path: Path) -> None:
    start(server_env)
    shutil.copytree(EXAMPLE, tmp_path / "example")
    (tmp_path / "extra.yaml").write_text("replicaCount: 7\n")
    env = dict(server_env, GITHUB_ACTIONS="true")  # lint's default format inside GitHub Actions
    for args, stdin in ((["render", "example", "-f", "extra.yaml"], None),
                        (["render", "example", "-f", "-"], "replicaCount: 5\n"),
                        (["lint", "example", "--set", "migrations.hookWeight=5"], None)):
        served = hooklint(args, env, cwd=tmp_path, input=stdin)
        direct = hooklint(args, without_server(env), cwd=tmp_path, input=stdin)
        assert served.returncode == direct.returncode, served.stderr
        assert served.stdout == direct.stdout and served.stderr == direct.stderr
    assert "replicas: 5" in hooklint(["render", "example", "-f", "-"], env, cwd=tmp_path, input="replicaCount: 5\n").stdout
    assert runs_served(server_env) == 4


def test_output_files_get_the_clients_umask(server_env: dict[str, str], tmp_path: Path) -> None:
    start(server_env)
    out = tmp_path / "findings.json"
    r = subprocess.run(f"umask 077 && exec {SCRIPT} lint {EXAMPLE} -o json --output-file {out}", shell=True,
                       env=server_env, capture_output=True, text=True, timeout=120)
    assert r.returncode in (0, 1), r.stderr
    assert out.stat().st_mode & 0o777 == 0o600
    assert runs_served(server_env) == 1


def test_the_first_run_starts_a_server_for_the_next(server_env: dict[str, str]) -> None:
    direct = hooklint(["render", str(EXAMPLE)], without_server(server_env))
    first = hooklint(["render", str(EXAMPLE)], server_env)
    assert (first.returncode, first.stdout) == (0, direct.stdout)
    wait_for_server(server_env)
    assert hooklint(["render", str(EXAMPLE)], server_env).stdout == direct.stdout
    assert runs_served(server_env) == 1


def test_in_ci_runs_start_no_server(monkeypatch: pytest.MonkeyPatch, server_env: dict[str, str]) -> None:
    from hooklint.runtime import client

    for name, value in server_env.items():
        monkeypatch.setenv(name, value)
    started: list[str] = []
    monkeypatch.setattr(client, "start_server", started.append)
    monkeypatch.setenv("CI", "true")
    assert client._run_on_server(["render", str(EXAMPLE)]) is None  # no server: run here
    assert started == []
    monkeypatch.setenv("CI", "")
    assert client._run_on_server(["render", str(EXAMPLE)]) is None
    assert started == [client.socket_path()]


def test_in_ci_a_server_started_by_the_job_serves_its_runs(server_env: dict[str, str]) -> None:
    ci = dict(server_env, CI="true")
    start(ci)
    assert hooklint(["render", str(EXAMPLE)], ci).returncode == 0
    assert runs_served(ci) == 1


def test_stop_right_after_the_first_run_stops_the_server_it_started(server_env: dict[str, str]) -> None:
    assert hooklint(["render", str(EXAMPLE)], server_env).returncode == 0  # starts one, in the background
    stopped = hooklint(["server", "stop"], server_env)
    assert stopped.returncode == 0 and stopped.stdout.startswith("stopped server"), stopped.stdout
    assert hooklint(["server", "status"], server_env).returncode == 1


def test_a_server_waiting_to_start_does_not_outlive_a_stop(server_env: dict[str, str]) -> None:
    """Two runs raced to start a server: the second one's waits for the first one's lock. A stop
    stops the first; the waiting one must not take over after it."""
    start(server_env)
    # The import path the `hooklint` script has (its own folder first): the socket is the same
    as_the_script = f"import sys; sys.path[0] = {str(SCRIPT.parent)!r}; from hooklint.runtime import client, server; "
    spawn = as_the_script + "client.start_server(client.socket_path())"
    subprocess.run([sys.executable, "-c", spawn], env=server_env, check=True, timeout=60)
    time.sleep(0.5)  # the second server is up to its lock by now, and waits for it
    stopped = hooklint(["server", "stop"], server_env)
    assert stopped.returncode == 0 and stopped.stdout.startswith("stopped server"), stopped.stdout
    check = (as_the_script + "import time; path = client.socket_path(); deadline = time.monotonic() + 10\n"
             "while server.starting(path) and time.monotonic() < deadline: time.sleep(0.05)\n"
             "sys.exit(server.starting(path))")
    assert subprocess.run([sys.executable, "-c", check], env=server_env, timeout=60).returncode == 0
    assert hooklint(["server", "status"], server_env).returncode == 1


def test_a_killed_server_only_makes_runs_slower(server_env: dict[str, str]) -> None:
    start(server_env)
    status = hooklint(["server", "status"], server_env).stdout
    pid = int(status.split("pid ")[1].split(",")[0])
    os.kill(pid, signal.SIGKILL)  # its waiting workers notice within a second and exit
    time.sleep(1.5)
    direct = hooklint(["render", str(EXAMPLE)], without_server(server_env))
    after = hooklint(["render", str(EXAMPLE)], server_env)
    assert (after.returncode, after.stdout, after.stderr) == (0, direct.stdout, direct.stderr)
    wait_for_server(server_env)  # that run started a new one
    assert f"pid {pid}," not in hooklint(["server", "status"], server_env).stdout


def test_a_piped_reader_sees_the_end_of_the_output(server_env: dict[str, str]) -> None:
    """No copy of the client's stdout may outlive the run (a cache write, a waiting worker)."""
    start(server_env)
    env = {k: v for k, v in server_env.items() if k != "HOOKLINT_NO_CACHE"}
    env["HOOKLINT_CACHE_SYNC"] = "0"  # the cache written by a forked child, as for users
    env["HOOKLINT_CACHE_DIR"] = tempfile.mkdtemp(prefix="hl-cache-")
    try:
        began = time.monotonic()
        r = subprocess.run(f"{SCRIPT} render {EXAMPLE} | cat", shell=True, env=env, capture_output=True,
                           text=True, timeout=60)
        assert r.returncode == 0 and "# Source:" in r.stdout
        assert time.monotonic() - began < 30
    finally:
        shutil.rmtree(env["HOOKLINT_CACHE_DIR"], ignore_errors=True)


def test_no_usable_socket_folder_is_a_usage_error(server_env: dict[str, str], tmp_path: Path) -> None:
    shared = tmp_path / "shared"
    shared.mkdir(mode=0o777)
    shared.chmod(0o777)  # others could use it: no server there
    too_long = tmp_path / ("x" * 120)
    for folder in (shared, too_long):
        env = dict(server_env, HOOKLINT_SERVER_DIR=str(folder))
        r = hooklint(["server", "start"], env)
        assert r.returncode == 2 and "no usable folder for the server's socket" in r.stderr
        direct = hooklint(["render", str(EXAMPLE)], without_server(env))
        assert hooklint(["render", str(EXAMPLE)], env).stdout == direct.stdout  # runs go on without


def templates_held(env: dict[str, str]) -> int:
    status = hooklint(["server", "status"], env)
    assert status.returncode == 0, status.stdout + status.stderr
    return int(status.stdout.split("parsed templates held: ")[1].split(",")[0])


HELD_CHART = {
    "Chart.yaml": "apiVersion: v2\nname: held\nversion: 0.1.0\n",
    "values.yaml": "boom: false\nitems: [a, b]\n",
    "templates/_helpers.tpl": '{{- define "held.name" -}}{{ .Release.Name }}-{{ .Chart.Name }}{{- end -}}\n',
    "templates/cm.yaml": (
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ include \"held.name\" . }}\ndata:\n"
        "  template: {{ .Template.Name | quote }}\n"
        "{{- range $i, $v := .Values.items }}\n  item{{ $i }}: {{ $v | quote }}\n{{- end }}\n"
        "{{- if .Values.boom }}{{ fail (printf \"boom in %s\" .Template.Name) }}{{ end }}\n"),
}


def test_templates_a_run_parsed_are_held_for_the_next_runs(server_env: dict[str, str], tmp_path: Path) -> None:
    """The server keeps the templates a run parsed (cache on) and its next workers use them: a
    held template read under another file name gets that name and its text back (positions,
    error contexts, .Template.Name), and the runs print what runs without a server print."""
    env = dict(server_env, HOOKLINT_CACHE_DIR=str(tmp_path / "cache"))
    del env["HOOKLINT_NO_CACHE"]
    chart = tmp_path / "held"
    for name, text in HELD_CHART.items():
        (chart / name).parent.mkdir(parents=True, exist_ok=True)
        (chart / name).write_text(text)
    start(env)
    first = hooklint(["render", str(chart)], env)
    assert first.returncode == 0, first.stderr
    deadline = time.monotonic() + 30
    while templates_held(env) < 2:
        assert time.monotonic() < deadline, "the server took in no parsed template"
        time.sleep(0.1)

    (chart / "templates" / "cm.yaml").rename(chart / "templates" / "renamed.yaml")
    outputs = []
    for args in (["render", str(chart)], ["render", str(chart), "--set", "boom=true"],
                 ["lint", str(chart), "--output", "json"]):
        served = hooklint(args, env)
        direct = hooklint(args, without_server(env))
        assert (served.returncode, served.stdout, served.stderr) == (direct.returncode, direct.stdout, direct.stderr)
        outputs.append(served)
    assert 'template: "held/templates/renamed.yaml"' in outputs[0].stdout
    assert outputs[1].returncode == 1 and "boom in held/templates/renamed.yaml" in outputs[1].stderr
    assert runs_served(env) == 4


def test_a_damaged_cache_is_never_replayed_through_the_server(server_env: dict[str, str], tmp_path: Path) -> None:
    """Entries damaged in place (one bit in 8 bytes: stored text stays text) are deleted by the
    worker that reads them, and the run prints what a run without server and cache prints."""
    env = dict(server_env, HOOKLINT_CACHE_DIR=str(tmp_path / "cache"))
    del env["HOOKLINT_NO_CACHE"]
    start(env)
    runs = [["render", str(EXAMPLE)], ["lint", str(EXAMPLE), "--output", "json"]]
    fresh = [hooklint(args, dict(without_server(env), HOOKLINT_NO_CACHE="1")) for args in runs]
    for args in runs:
        hooklint(args, env)
    stored = [p for p in (tmp_path / "cache").rglob("*") if p.is_file() and not p.name.startswith(".")]
    assert {p.parent.parent.name for p in stored} >= {"replay", "lint"}
    for entry in stored:
        data = entry.read_bytes()
        at = len(data) // 2
        entry.write_bytes(data[:at] + bytes(b ^ 1 for b in data[at:at + 8]) + data[at + 8:])
    for args, expected in zip(runs, fresh, strict=True):
        served = hooklint(args, env)
        assert (served.returncode, served.stdout, served.stderr) == (expected.returncode, expected.stdout, expected.stderr)


DATES_CHART = {
    "Chart.yaml": "apiVersion: v2\nname: dates\nversion: 0.1.0\n",
    "templates/cm.yaml": (
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: dates\ndata:\n"
        "  epoch: {{ date \"2006-01-02 15:04 MST\" 0 | quote }}\n"
        "  parsed: {{ toDate \"2006-01-02 15:04\" \"2024-06-01 12:00\" | date \"15:04 -0700\" | quote }}\n"
        "  now: {{ now | date \"MST\" | quote }}\n"),
}


def write_files(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text)
    return root


@pytest.mark.parametrize("tz", ["Asia/Tokyo", "America/New_York", ""])
def test_a_run_through_the_server_uses_the_clients_time_zone(server_env: dict[str, str], tmp_path: Path, tz: str) -> None:
    chart = write_files(tmp_path / "dates", DATES_CHART)
    start(dict(server_env, TZ="Europe/Paris"))  # the server's own zone is neither
    env = dict(server_env, TZ=tz)
    served = hooklint(["render", str(chart)], env)
    direct = hooklint(["render", str(chart)], without_server(env))
    assert (served.returncode, served.stdout, served.stderr) == (0, direct.stdout, direct.stderr)
    assert runs_served(server_env) == 1


# A template that runs for minutes: 10^8 empty iterations.
LONG_CHART = {
    "Chart.yaml": "apiVersion: v2\nname: long\nversion: 0.1.0\n",
    "templates/cm.yaml": "{{ range until 10000 }}{{ range until 10000 }}{{ end }}{{ end }}\n",
}


def processes_in(folder: Path) -> set[int]:
    """The live processes whose working directory is `folder` (a run's worker adopts its
    client's)."""
    found = set()
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            if os.readlink(proc / "cwd") == str(folder) and (proc / "stat").read_text().split(") ")[1][0] != "Z":
                found.add(int(proc.name))
        except OSError:
            continue
    return found


def wait_until(condition: Callable[[], bool], seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.05)
    return True


@pytest.mark.skipif(not Path("/proc/self/cwd").exists(), reason="finds workers through /proc")
def test_a_worker_whose_client_was_killed_stops(server_env: dict[str, str], tmp_path: Path) -> None:
    chart = write_files(tmp_path / "long", LONG_CHART)
    start(server_env)
    client = subprocess.Popen([str(SCRIPT), "render", str(chart)], env=server_env, cwd=tmp_path,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        assert wait_until(lambda: bool(processes_in(tmp_path) - {client.pid}), 30), "no worker took the run"
        workers = processes_in(tmp_path) - {client.pid}
        client.kill()  # SIGKILL: a CI timeout, the OOM killer
        client.wait()
        assert wait_until(lambda: not processes_in(tmp_path), 5), f"workers {workers} still run"
    finally:
        client.kill()


@pytest.mark.skipif(not Path("/proc/self/cwd").exists(), reason="finds workers through /proc")
def test_server_stop_ends_the_workers_of_runs_going_on(server_env: dict[str, str], tmp_path: Path) -> None:
    chart = write_files(tmp_path / "long", LONG_CHART)
    start(server_env)
    client = subprocess.Popen([str(SCRIPT), "render", str(chart)], env=server_env, cwd=tmp_path,
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        assert wait_until(lambda: bool(processes_in(tmp_path) - {client.pid}), 30), "no worker took the run"
        assert hooklint(["server", "stop"], server_env).returncode == 0
        assert wait_until(lambda: not processes_in(tmp_path) - {client.pid}, 5), "the worker outlived the stop"
        _, err = client.communicate(timeout=10)
        assert client.returncode == 3 and "server process was killed" in err
    finally:
        client.kill()


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full")
def test_a_full_standard_output_through_the_server(server_env: dict[str, str]) -> None:
    start(server_env)
    with open("/dev/full", "w") as full:
        r = subprocess.run([str(SCRIPT), "lint", str(EXAMPLE)], env=server_env, stdout=full, stderr=subprocess.PIPE,
                           text=True, timeout=120)
    assert (r.returncode, r.stderr) == (2, "Error: cannot write standard output: No space left on device\n")
    assert runs_served(server_env) == 1

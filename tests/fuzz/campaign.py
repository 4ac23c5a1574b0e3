"""A seeded fuzz campaign over the fixture charts: each case copies one chart of
`fixtures/charts/`, breaks one thing (a template, values, Chart.yaml, the values schema, a hook
annotation, a `--set` string, or the chart packed as a damaged archive) and runs every command on
it (render for Helm 3 and 4, plan and lint in every format, apply on the simulate backend).

Besides what `cli_harness.problems` reports (exit 3, a traceback, an undocumented exit code, a
run past its time limit), a case checks what a cache must never do: a run with an empty cache,
with every entry damaged (random bytes, truncated, emptied, 8 bytes flipped, last byte dropped)
and with the cache it re-stored all print exactly what a run without cache prints. Output that
differs between two runs without cache (a chart calling `now` or `randAlphaNum`) is volatile
and not compared. `server_differences` runs the same commands as processes through a server,
several at once, and compares them with runs without it, with each process's peak RSS.

Shared by `test_fuzz_campaign.py` (a few seconds in CI) and `tools/fuzz_campaign.py` (the long
run: README "Fuzzing").
"""

from __future__ import annotations

import gzip
import io
import json
import os
import random
import shutil
import subprocess
import sys
import tarfile
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from cli_harness import CliResult, Expect, problems, run_cli

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "fixtures" / "charts"
MUTATIONS = ("template", "values", "chart-yaml", "schema", "annotation", "set", "archive")
PLAN_FORMATS = ("text", "json", "markdown", "html", "mermaid")
LINT_FORMATS = ("text", "json", "sarif", "junit", "github", "gitlab")
# Bounds where Helm takes well under a second: a run past them is a problem.
MAX_SECONDS = 20.0
MAX_RSS_BYTES = 1 << 30

# Values, annotation values and JSON that hooks and schemas meet in the wild, and worse.
HOSTILE_SCALARS = (
    "null", "~", "[]", "{}", "5", "-1", "0", "1.5", "1e309", "-0", '""', "true", "no", "0x1F", "1_000",
    "!!binary AAAA", "!!str", "'\\x00'", '"\\ud800"', "*undefined", "&a x", "[[[[[]]]]]", "{a: {b: {c: []}}}",
    "'" + "x" * 5000 + "'", "[" * 200 + "]" * 200, "2024-01-01", "=", "-", "? x", "| \n  text", "'{{ .Values }}'",
)
HOSTILE_ANNOTATIONS = (
    '"pre-install,,post-install"', '"PRE-INSTALL"', '" pre-install "', '"test-success"', '""', "5", "[a, b]",
    "{a: b}", '"crd-install"', '"pre-install,pre-delete,post-rollback,test"', "null",
)
HOSTILE_WEIGHTS = ('"abc"', '"99999999999999999999"', '"-0"', '"1.5"', '" 3 "', "5", "null", '"+7"', '"0x10"')
HOSTILE_POLICIES = ('"before-hook-creation,,hook-failed"', '"never"', '""', "[hook-succeeded]", '"HOOK-SUCCEEDED"')
HOSTILE_SCHEMAS = (
    "5", "null", '"str"', "[]", "true", "false", '{"type": 5}', '{"properties": 5}', '{"required": "x"}',
    '{"type": "object", "required": ["nope"]}', '{"type": "string"}', '{"$ref": "#/nowhere"}',
    '{"$ref": "https://example.com/schema.json"}', '{"pattern": "("}', '{"items":' * 300 + "{}" + "}" * 300,
    '{"properties": {"image": {"type": "integer"}}}', '{"additionalProperties": false}', "{", "",
)
SET_KEYS = ("a", "a.b", "a[0]", "a[0].b", "a\\.b", "a[1][0]", "a[-1]", "a[99999]", "a..b", "[0]", "a[", "a]",
            "image.tag", "hook.weight", "global.x", "a" + "[0]" * 300, ".".join("k" * 31))
SET_VALUES = ("1", "null", "", "{a,b}", "{", "x,y", "true", "1e3", "0777", "\\,", "=", "a=b", "\u00e9\udcff")
TEMPLATE_TOKENS = (b"{{", b"}}", b"{{-", b"-}}", b"\n", b"\t", b":", b"- ", b"&a", b"*a", b"|", b"(", b")", b"$",
                   b".", b'"', b"`", b"end", b"range", b"define", b"include", b"tpl", b"fail", b"required",
                   b"{{ include \"x\" . }}", b"{{ template \"x\" }}", b"{{ .Values }}", b"---\n", b"\x00")


@dataclass
class Case:
    """One broken chart: where it is, what was broken, and the render flags it needs."""

    name: str
    path: Path  # the chart directory, or the .tgz
    flags: list[str] = field(default_factory=list)


@dataclass
class Finding:
    case: str
    argv: list[str]
    kind: str  # a cli_harness Problem kind, or cache-changed-output, server-changed-output, slow, rss
    detail: str

    def __str__(self) -> str:
        return f"[{self.case}] hooklint {' '.join(a[:60] for a in self.argv)}\n    {self.kind}: {self.detail}"


@dataclass
class Figures:
    cases: int = 0
    runs: int = 0
    volatile: int = 0
    slowest: float = 0.0
    peak_rss: int = 0
    findings: list[Finding] = field(default_factory=list)


def fixture_charts() -> list[Path]:
    """The top-level charts of fixtures/charts (not the subcharts in their charts/ folders)."""
    return sorted(p.parent for p in FIXTURES.rglob("Chart.yaml") if p.parent.parent.name != "charts")


# --- breaking a chart ------------------------------------------------------------------------


def _mutate_bytes(rng: random.Random, data: bytes) -> bytes:
    out = bytearray(data)
    for _ in range(rng.randint(1, 4)):
        op, i = rng.randrange(5), rng.randrange(len(out) + 1)
        if op == 0 and out:
            out[min(i, len(out) - 1)] = rng.randrange(256)
        elif op == 1:
            del out[i:i + rng.randint(1, 20)]
        elif op == 2:
            out[i:i] = rng.choice(TEMPLATE_TOKENS)
        elif op == 3:
            j = rng.randrange(len(out) + 1)
            out[i:i] = out[min(i, j):max(i, j)][:200]
        else:
            out[i:i] = bytes(rng.randrange(256) for _ in range(rng.randint(1, 8)))
    return bytes(out)


def _replace_a_value(rng: random.Random, text: str, pattern: Callable[[str], bool], choices: tuple[str, ...]) -> str:
    """Replace what follows `key:` on a random line that `pattern` accepts."""
    lines = text.split("\n")
    candidates = [i for i, line in enumerate(lines) if ":" in line and pattern(line)]
    if not candidates:
        return text + f"\nfuzzed: {rng.choice(choices)}\n"
    i = rng.choice(candidates)
    key = lines[i].split(":", 1)[0]
    lines[i] = f"{key}: {rng.choice(choices)}"
    return "\n".join(lines)


def _set_expression(rng: random.Random) -> list[str]:
    flag = rng.choice(("--set", "--set", "--set-string", "--set-json"))
    parts = []
    for _ in range(rng.randint(1, 3)):
        key = rng.choice(SET_KEYS)
        if flag == "--set-json":
            value = rng.choice(('{"a": 1}', "[1, 2", "null", '"\\ud800"', "[" * 600 + "]" * 600, "1e400", "{}"))
        else:
            value = rng.choice(SET_VALUES)
        parts.append(f"{key}={value}")
    return [flag, ",".join(parts)]


def _pack(chart: Path) -> bytes:
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w", format=tarfile.GNU_FORMAT) as tar:
        tar.add(chart, arcname=chart.name)
    return buf.getvalue()


def _damaged_archive(rng: random.Random, chart: Path) -> bytes:
    raw = bytearray(_pack(chart))
    layer = rng.randrange(4)
    if layer == 0:  # a byte of a header or of a member's data
        raw[rng.randrange(len(raw))] ^= 1 << rng.randrange(8)
    elif layer == 1:  # the stream cut anywhere
        raw = raw[:rng.randrange(len(raw))]
    compressed = bytearray(gzip.compress(bytes(raw), mtime=0))
    if layer == 2:  # the gzip stream damaged
        compressed[rng.randrange(10, len(compressed))] ^= 0xFF
    elif layer == 3:
        compressed = compressed[:rng.randrange(10, len(compressed))]
    return bytes(compressed)


def make_case(rng: random.Random, workdir: Path, mutation: str | None = None) -> Case:
    """Copy a random fixture chart into `workdir` and break one thing in it."""
    source = rng.choice(fixture_charts())
    chart = workdir / source.name
    shutil.copytree(source, chart, symlinks=True)
    kind = mutation or rng.choice(MUTATIONS)
    name = f"{source.relative_to(FIXTURES)}/{kind}"
    templates = sorted(p for p in (chart / "templates").rglob("*") if p.is_file()) if (chart / "templates").is_dir() else []
    if kind == "template" and templates:
        target = rng.choice(templates)
        target.write_bytes(_mutate_bytes(rng, target.read_bytes()))
        name += f":{target.relative_to(chart)}"
    elif kind == "values":
        values = chart / "values.yaml"
        text = values.read_text(errors="replace") if values.exists() else ""
        values.write_text(_replace_a_value(rng, text, lambda line: not line.lstrip().startswith("#"), HOSTILE_SCALARS),
                          errors="surrogateescape")
    elif kind == "chart-yaml":
        meta = chart / "Chart.yaml"
        meta.write_text(_replace_a_value(rng, meta.read_text(), lambda line: True, HOSTILE_SCALARS), errors="surrogateescape")
    elif kind == "schema":
        (chart / "values.schema.json").write_text(rng.choice(HOSTILE_SCHEMAS))
    elif kind == "annotation" and templates:
        hooks = [p for p in templates if b"helm.sh/hook" in p.read_bytes()] or templates
        target = rng.choice(hooks)
        text = target.read_text(errors="surrogateescape")
        choices = {"helm.sh/hook\"": HOSTILE_ANNOTATIONS, "hook-weight": HOSTILE_WEIGHTS,
                   "hook-delete-policy": HOSTILE_POLICIES}
        marker = rng.choice(sorted(choices))
        target.write_text(_replace_a_value(rng, text, lambda line: marker in line, choices[marker]),
                          errors="surrogateescape")
        name += f":{target.relative_to(chart)}"
    elif kind == "set":
        return Case(name, chart, _set_expression(rng))
    elif kind == "archive":
        archive = workdir / f"{source.name}.tgz"
        archive.write_bytes(_damaged_archive(rng, chart))
        shutil.rmtree(chart)
        return Case(name, archive)
    return Case(name, chart)


# --- running a case --------------------------------------------------------------------------


def command_lines(case: Case, state: Path, thorough: bool) -> Iterator[list[str]]:
    """Every command a case goes through (lint takes no --set)."""
    chart, flags = str(case.path), case.flags
    yield ["render", chart, *flags]
    yield ["render", chart, "--helm-version", "4", "--include-crds", *flags]
    for fmt in PLAN_FORMATS if thorough else ("text", "json"):
        yield ["plan", chart, "--event", "all", "-o", fmt, *flags]
    if not flags:
        for fmt in LINT_FORMATS if thorough else ("text", "sarif"):
            yield ["lint", chart, "-o", fmt]
    yield ["apply", chart, "--backend", "simulate", "--event", "install", "--state", str(state), "--force", *flags]
    yield ["apply", chart, "--backend", "simulate", "--event", "upgrade", "--state", str(state), "--force", *flags]


def _random16(rng: random.Random, data: bytes) -> bytes:
    at = rng.randrange(len(data) + 1)
    return data[:at] + bytes(rng.randrange(256) for _ in range(16)) + data[at + 16:]


def _xor8(rng: random.Random, data: bytes) -> bytes:
    at = rng.randrange(max(1, len(data) - 8))
    return data[:at] + bytes(b ^ (1 << rng.randrange(8)) for b in data[at:at + 8]) + data[at + 8:]


# random bytes over part of it, truncated, emptied, 8 bytes with a bit flipped, last byte dropped
_DAMAGE: tuple[Callable[[random.Random, bytes], bytes], ...] = (
    _random16, lambda rng, d: d[:len(d) // 2], lambda rng, d: b"", _xor8, lambda rng, d: d[:-1],
)


def damage_cache(rng: random.Random, cache_dir: Path) -> int:
    """Damage every entry of every bucket, each one of the five ways; how many."""
    count = 0
    for entry in cache_dir.rglob("*"):
        if entry.is_file() and not entry.name.startswith("."):
            entry.write_bytes(rng.choice(_DAMAGE)(rng, entry.read_bytes()))
            count += 1
    return count


def _seen(result: CliResult) -> tuple[int | None, str, str]:
    return result.code, result.stdout, result.stderr


def _run(argv: list[str], cwd: Path, cache_dir: Path | None) -> CliResult:
    from hooklint.gotemplate import template as template_mod

    template_mod._SHARED_PARSES.clear()  # each run as a new process: parsed templates come from disk
    saved = {k: os.environ.get(k) for k in ("HOOKLINT_NO_CACHE", "HOOKLINT_CACHE_DIR", "HOOKLINT_CACHE_SYNC")}
    if cache_dir is None:
        os.environ["HOOKLINT_NO_CACHE"] = "1"
    else:
        os.environ.pop("HOOKLINT_NO_CACHE", None)
        os.environ["HOOKLINT_CACHE_DIR"] = str(cache_dir)
    os.environ["HOOKLINT_CACHE_SYNC"] = "1"
    try:
        return run_cli(argv, timeout=MAX_SECONDS * 3, cwd=cwd)
    finally:
        for k, v in saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v


def run_case(rng: random.Random, case: Case, workdir: Path, figures: Figures, thorough: bool = False) -> None:
    """Every command on `case` in this process: without cache, with an empty cache, with every
    entry damaged, with the re-stored cache. Findings go to `figures`."""
    cache_dir = workdir / "cache"
    figures.cases += 1
    for argv in command_lines(case, workdir / "state.json", thorough):
        replayed = argv[0] in ("render", "plan", "lint")
        base = _run(argv, workdir, None)
        runs = [("", base)]
        if replayed:
            again = _run(argv, workdir, None)
            if _seen(again) != _seen(base):
                figures.volatile += 1
                replayed = False
            else:
                cold = _run(argv, workdir, cache_dir)
                damage_cache(rng, cache_dir)
                damaged = _run(argv, workdir, cache_dir)
                warm = _run(argv, workdir, cache_dir)
                runs += [("empty cache", cold), ("damaged cache", damaged), ("re-stored cache", warm)]
        for label, result in runs:
            figures.runs += 1
            figures.slowest = max(figures.slowest, result.seconds)
            for problem in problems(result, Expect()):
                figures.findings.append(Finding(case.name, argv, problem.kind, f"{label} {problem.detail}".strip()))
            if result.seconds > MAX_SECONDS:
                figures.findings.append(Finding(case.name, argv, "slow", f"{label} {result.seconds:.1f} s"))
            if label and replayed and _seen(result) != _seen(base):
                figures.findings.append(Finding(case.name, argv, "cache-changed-output", f"with a {label}: {_diff(base, result)}"))


def _diff(a: CliResult, b: CliResult) -> str:
    if a.code != b.code:
        return f"exit {a.code} -> {b.code}"
    for name, x, y in (("stdout", a.stdout, b.stdout), ("stderr", a.stderr, b.stderr)):
        if x != y:
            i = next((k for k, (p, q) in enumerate(zip(x, y, strict=False)) if p != q), min(len(x), len(y)))
            return f"{name} differs at {i}: {x[i:i + 60]!r} -> {y[i:i + 60]!r}"
    return "?"


# --- through the server ----------------------------------------------------------------------


@dataclass
class ProcessRun:
    code: int
    stdout: str
    stderr: str
    seconds: float
    rss: int  # peak resident set size in bytes


def run_process(argv: list[str], env: dict[str, str], cwd: Path) -> ProcessRun:
    """`hooklint ARGV` as its own process; its peak RSS from wait4 (so Popen never reaps it)."""
    script = Path(sys.executable).parent / "hooklint"
    start = time.monotonic()
    proc = subprocess.Popen([str(script), *argv], env=env, cwd=cwd, stdin=subprocess.DEVNULL,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert proc.stdout is not None and proc.stderr is not None
    killer = threading.Timer(MAX_SECONDS * 3, proc.kill)
    killer.start()
    with ThreadPoolExecutor(2) as readers:
        out, err = readers.submit(proc.stdout.read), readers.submit(proc.stderr.read)
        _, status, usage = os.wait4(proc.pid, 0)
        stdout, stderr = out.result(), err.result()
    killer.cancel()
    proc.returncode = os.waitstatus_to_exitcode(status)
    proc.stdout.close()
    proc.stderr.close()
    return ProcessRun(proc.returncode, stdout.decode("utf-8", "replace"), stderr.decode("utf-8", "replace"),
                      time.monotonic() - start, usage.ru_maxrss * 1024)


def server_differences(case: Case, workdir: Path, env: dict[str, str], figures: Figures, parallel: int = 4,
                       commands: int = 6) -> None:
    """Render, plan and lint `case` (the first `commands` of them) as processes: `parallel` at
    once through the server (whose socket folder `env` names), and twice without it (two
    different outputs: volatile, not compared); every run must print the same."""
    direct_env = dict(env, HOOKLINT_NO_SERVER="1")
    argvs = [argv for argv in command_lines(case, workdir / "state.json", False) if argv[0] != "apply"]
    for argv in argvs[:commands]:
        direct = run_process(argv, direct_env, workdir)
        again = run_process(argv, direct_env, workdir)
        if (direct.code, direct.stdout, direct.stderr) != (again.code, again.stdout, again.stderr):
            figures.volatile += 1
            continue
        with ThreadPoolExecutor(parallel) as pool:
            served = list(pool.map(lambda _, a=argv: run_process(a, env, workdir), range(parallel)))
        for run in [direct, *served]:
            figures.runs += 1
            figures.slowest = max(figures.slowest, run.seconds)
            figures.peak_rss = max(figures.peak_rss, run.rss)
            if run.code == 3 or "Traceback (most recent call last)" in run.stderr:
                figures.findings.append(Finding(case.name, argv, "internal-error", run.stderr.strip()[:300]))
            if run.rss > MAX_RSS_BYTES:
                figures.findings.append(Finding(case.name, argv, "rss", f"{run.rss >> 20} MiB"))
            if run.seconds > MAX_SECONDS:
                figures.findings.append(Finding(case.name, argv, "slow", f"{run.seconds:.1f} s"))
            if (run.code, run.stdout, run.stderr) != (direct.code, direct.stdout, direct.stderr):
                figures.findings.append(Finding(case.name, argv, "server-changed-output",
                                                f"exit {direct.code} -> {run.code}: {run.stderr.strip()[:200]}"))


def summary(figures: Figures) -> str:
    kinds: dict[str, int] = {}
    for finding in figures.findings:
        kinds[finding.kind] = kinds.get(finding.kind, 0) + 1
    return json.dumps({"cases": figures.cases, "runs": figures.runs, "volatile commands": figures.volatile,
                       "slowest run s": round(figures.slowest, 2), "peak process RSS MiB": figures.peak_rss >> 20,
                       "findings": kinds})

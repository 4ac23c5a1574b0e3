"""A damaged cache entry is never an answer: every bucket of the on-disk cache (replayed runs,
lint results, schema outcomes, parsed templates) is checked on read, a damaged entry is deleted,
and the run prints exactly what a run without the cache prints.

The five kinds of damage a disk, a crash or a careless tool leaves: random bytes written over
part of an entry, a truncated entry, an emptied one, 8 bytes with one bit flipped each (the
stored text stays valid text: only a digest tells), and the last byte dropped."""

from __future__ import annotations

import random
from collections.abc import Callable
from pathlib import Path

import pytest

from hooklint.cli import main
from hooklint.gotemplate import template as template_mod
from hooklint.runtime import cache

CHART = {
    "Chart.yaml": "apiVersion: v2\nname: sealed\nversion: 0.1.0\n",
    "values.yaml": "greeting: hello\nweight: 3\n",
    "values.schema.json": '{"type": "object", "properties": {"weight": {"type": "integer"}}}\n',
    "templates/cm.yaml": (
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Release.Name }}-cm\n"
        "data:\n  greeting: {{ .Values.greeting | quote }}\n  weight: {{ .Values.weight | quote }}\n"),
    # lint findings (no resources, no security context): their messages are stored text too
    "templates/job.yaml": (
        "apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: {{ .Release.Name }}-migrate\n"
        "  annotations:\n    \"helm.sh/hook\": pre-install,pre-rollback\n"
        "    \"helm.sh/hook-weight\": {{ .Values.weight | quote }}\nspec:\n  template:\n    spec:\n"
        "      restartPolicy: Never\n      containers:\n        - name: migrate\n          image: busybox\n"),
}


def _random(data: bytes) -> bytes:
    rng = random.Random(len(data))
    at = len(data) // 2
    return data[:at] + bytes(rng.randrange(256) for _ in range(16)) + data[at + 16:]


def _xor8(data: bytes) -> bytes:
    # one low bit in each of 8 bytes past the header: ASCII text stays ASCII text
    at = max(0, len(data) - 40)
    return data[:at] + bytes(b ^ 1 for b in data[at:at + 8]) + data[at + 8:]


DAMAGE: dict[str, Callable[[bytes], bytes]] = {
    "random-bytes": _random,
    "truncated": lambda data: data[: len(data) // 2],
    "emptied": lambda data: b"",
    "xor-8-bytes": _xor8,
    "last-byte-dropped": lambda data: data[:-1],
}


@pytest.fixture()
def cache_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    d = tmp_path / "cache"
    monkeypatch.setenv("HOOKLINT_CACHE_DIR", str(d))
    monkeypatch.delenv("HOOKLINT_NO_CACHE", raising=False)
    return d


@pytest.fixture()
def chart(tmp_path: Path) -> Path:
    root = tmp_path / "sealed"
    for name, text in CHART.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text)
    return root


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    template_mod._SHARED_PARSES.clear()  # each run as a new process: parses come from disk
    try:
        main(list(args))
        code = 0
    except SystemExit as e:
        code = int(e.code or 0)
    out, err = capsys.readouterr()
    return code, out, err


def entries(cache_dir: Path, bucket: str) -> list[Path]:
    return sorted(p for p in (cache_dir / bucket).rglob("*") if p.is_file() and not p.name.startswith("."))


def damage(cache_dir: Path, buckets: tuple[str, ...], kind: str) -> dict[Path, bytes]:
    damaged = {}
    for bucket in buckets:
        stored = entries(cache_dir, bucket)
        assert stored, f"nothing stored in {bucket}"
        for entry in stored:
            damaged[entry] = DAMAGE[kind](entry.read_bytes())
            entry.write_bytes(damaged[entry])
    return damaged


def drop(cache_dir: Path, bucket: str) -> None:
    for entry in entries(cache_dir, bucket):
        entry.unlink()


@pytest.mark.parametrize("kind", DAMAGE)
def test_a_damaged_entry_in_any_bucket_is_deleted_and_never_printed(capsys, cache_dir, chart, kind):
    commands = [("render", str(chart)), ("lint", str(chart), "--output", "json"), ("lint", str(chart))]
    cold = [run(capsys, *args) for args in commands]
    assert "pre-rollback" in cold[1][1]  # findings: stored text to damage
    # The buckets in the order a run reads them: a hit in one means the next is never read, so
    # the ones before it are emptied first.
    stages = [(("replay",), ()), (("lint",), ("replay",)), (("schema", "parse"), ("replay", "lint"))]
    for damaged_buckets, dropped in stages:
        for bucket in dropped:
            drop(cache_dir, bucket)
        damaged = damage(cache_dir, damaged_buckets, kind)
        assert [run(capsys, *args) for args in commands] == cold, damaged_buckets
        for path, data in damaged.items():  # deleted, or replaced by a good entry
            assert not path.exists() or path.read_bytes() != data, path
        assert [run(capsys, *args) for args in commands] == cold


def test_an_entry_moved_under_another_key_is_a_miss(capsys, cache_dir, chart):
    """The digest covers the key: an intact entry copied over another one's name is not read."""
    render = run(capsys, "render", str(chart))
    run(capsys, "render", str(chart), "--set", "greeting=other")
    first, second = entries(cache_dir, "replay")
    second.write_bytes(first.read_bytes())
    assert run(capsys, "render", str(chart)) == render
    assert "other" in run(capsys, "render", str(chart), "--set", "greeting=other")[1]


def test_sealed_entries_round_trip() -> None:
    key = "ab" * 32
    assert cache.unseal(key, cache.seal(key, b"payload")) == b"payload"
    assert cache.unseal(key, cache.seal(key, b"")) == b""
    assert cache.unseal("cd" * 32, cache.seal(key, b"payload")) is None

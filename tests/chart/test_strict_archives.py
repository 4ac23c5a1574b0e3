"""Chart archives are read as Go's archive/tar and compress/gzip read them (hooklint.chart.gotar):
a damaged archive fails with Helm's error and exit code, never loses files silently and never
ends in an internal error. The expected messages and outputs are those of `helm template` 3.17.1
and 4.1.4 on the same archives."""

from __future__ import annotations

import gzip
import io
import tarfile
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hooklint.chart import gotar
from hooklint.cli import main

FILES = {
    "c/Chart.yaml": b"apiVersion: v2\nname: c\nversion: 0.1.0\n",
    "c/templates/a.yaml": b"apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n",
    "c/templates/b.yaml": b"apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: b\n" + b"#" * 700 + b"\n",
    "c/templates/" + "z" * 120 + ".yaml": b"apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n",
}


def tar_bytes(fmt: int, long_name: bool = True) -> bytearray:
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w", format=fmt) as tar:
        for name, data in FILES.items():
            if not long_name and len(name) > 100:
                name = "c/templates/z.yaml"
            info = tarfile.TarInfo(name)
            info.size, info.mode = len(data), 0o644
            tar.addfile(info, io.BytesIO(data))
    return bytearray(buf.getvalue())


def header_offsets(raw: bytearray) -> list[int]:
    offsets, pos = [], 0
    while raw[pos:pos + 512] != bytes(512):
        offsets.append(pos)
        size = int(bytes(raw[pos + 124:pos + 136]).strip(b"\0 ") or b"0", 8)
        pos += 512 + -(-size // 512) * 512
    return offsets


def flipped(raw: bytearray, at: int) -> bytearray:
    out = bytearray(raw)
    out[at] ^= 1
    return out


def gnu() -> tuple[bytearray, list[int]]:
    raw = tar_bytes(tarfile.GNU_FORMAT)
    return raw, header_offsets(raw)


def ustar() -> tuple[bytearray, list[int]]:
    """Four members, four headers: the last member's header is offsets[3]."""
    raw = tar_bytes(tarfile.USTAR_FORMAT, long_name=False)
    return raw, header_offsets(raw)


def pax() -> tuple[bytearray, list[int]]:
    raw = tar_bytes(tarfile.PAX_FORMAT)
    return raw, header_offsets(raw)


def pax_header(raw: bytearray, offsets: list[int]) -> int:
    return next(i for i, at in enumerate(offsets) if raw[at + 156] == ord("x"))


def _bad_after_pax() -> bytearray:
    raw, offsets = pax()
    return flipped(raw, offsets[pax_header(raw, offsets) + 1] + 148)


def _bad_pax_record() -> bytearray:
    raw, offsets = pax()
    out = bytearray(raw)
    at = offsets[pax_header(raw, offsets)] + 512
    out[at:at + 2] = b"99"
    return out


def _cut_after_pax() -> bytearray:
    raw, offsets = pax()
    return raw[:offsets[pax_header(raw, offsets) + 1] + 10]


def _zero_then_header() -> bytearray:
    raw, offsets = gnu()
    out = bytearray(raw)
    out[offsets[3]:offsets[3] + 512] = bytes(512)
    return out


TAR_DAMAGE: dict[str, tuple[Callable[[], bytearray], str | None]] = {
    # (the damaged tar stream, helm 3's error or None when helm renders)
    "bad-checksum-in-a-later-header": (lambda: flipped(gnu()[0], gnu()[1][2] + 148), "archive/tar: invalid tar header"),
    "bad-name-byte-in-a-later-header": (lambda: flipped(gnu()[0], gnu()[1][2] + 10), "archive/tar: invalid tar header"),
    "bad-header-after-a-pax-header": (_bad_after_pax, "archive/tar: invalid tar header"),
    "bad-pax-record": (_bad_pax_record, "archive/tar: invalid tar header"),
    "cut-after-a-pax-header": (_cut_after_pax, "unexpected EOF"),
    "cut-inside-a-member": (lambda: gnu()[0][:gnu()[1][2] + 512 + 100], "unexpected EOF"),
    "cut-inside-a-header": (lambda: gnu()[0][:gnu()[1][2] + 100], "unexpected EOF"),
    "zero-block-then-a-header": (_zero_then_header, "archive/tar: invalid tar header"),
    "cut-inside-a-long-name": (lambda: gnu()[0][:gnu()[1][3] + 512 + 60], "unexpected EOF"),
    # Go's reader ends cleanly where a header would start, inside the padding after the last
    # member, and after one zero block
    "cut-at-a-header": (lambda: ustar()[0][:ustar()[1][2]], None),
    "cut-inside-the-last-padding": (lambda: ustar()[0][:ustar()[1][3] + 512 + 60], None),
    "one-zero-block-at-the-end": (lambda: ustar()[0][:ustar()[1][3] + 1024 + 512], None),
}


def render(capsys: pytest.CaptureFixture[str], path: Path, *args: str) -> tuple[int, str, str]:
    try:
        main(["render", str(path), *args])
        code = 0
    except SystemExit as e:
        code = int(e.code or 0)
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize("case", TAR_DAMAGE)
def test_a_damaged_tar_stream_fails_or_renders_like_helm(capsys, tmp_path: Path, case: str) -> None:
    make, error = TAR_DAMAGE[case]
    raw = make()
    path = tmp_path / "c.tgz"
    path.write_bytes(gzip.compress(bytes(raw)))
    code, out, err = render(capsys, path)
    if error is not None:
        assert (code, out, err) == (1, "", f"Error: {error}\n")
        assert render(capsys, path, "--helm-version", "4") == (1, "", "Error: unable to load chart archive\n")
        return
    assert code == 0, err
    # what helm renders: the files the archive holds up to where it ends
    names = [name for name in FILES if name != "c/Chart.yaml"]
    kept = [n for n in names if f"\n  name: {FILES[n].split(b'name: ')[1][:1].decode()}\n" in out]
    assert kept == names[: 1 if case == "cut-at-a-header" else 3]


def test_gzip_damage_is_helms_error(capsys, tmp_path: Path) -> None:
    good = gzip.compress(bytes(tar_bytes(tarfile.GNU_FORMAT)))
    cases = {
        "truncated": (good[: len(good) // 2], 1, "Error: unexpected EOF\n"),
        "corrupt-deflate": (good[:40] + bytes([good[40] ^ 0xFF]) + good[41:], 1,
                            "Error: flate: corrupt input before offset 53\n"),
        # the tar reader stops at its end blocks: what follows them is never read
        "bad-crc": (good[:-6] + bytes([good[-6] ^ 1]) + good[-5:], 0, ""),
        "trailing-garbage": (good + b"garbage!!!!!", 0, ""),
    }
    for name, (data, code, err) in cases.items():
        path = tmp_path / f"{name}.tgz"
        path.write_bytes(data)
        got = render(capsys, path)
        assert (got[0], got[2]) == (code, err), name


def test_a_bad_gzip_header_names_the_file(capsys, tmp_path: Path) -> None:
    path = tmp_path / "c.tgz"
    path.write_bytes(b"\x1f\x8b\x08\x08" + bytes(6) + b"n" * 600 + b"\x00")  # a name field past 512 bytes
    expected = f"Error: file '{path}' does not appear to be a valid chart file (details: gzip: invalid header)\n"
    for version in ("3", "4"):
        assert render(capsys, path, "--helm-version", version) == (1, "", expected)


_NAMES = st.text(st.characters(min_codepoint=0x21, max_codepoint=0x7E, exclude_characters="/\\"), min_size=1, max_size=40)


@settings(max_examples=60, deadline=None)
@given(
    members=st.dictionaries(st.lists(_NAMES, min_size=1, max_size=6).map("/".join), st.binary(max_size=1500),
                            min_size=1, max_size=5),
    fmt=st.sampled_from([tarfile.USTAR_FORMAT, tarfile.GNU_FORMAT, tarfile.PAX_FORMAT]),
)
def test_every_archive_a_tar_writer_makes_reads_back_whole(members: dict[str, bytes], fmt: int) -> None:
    """Long names (GNU L headers, PAX path records, USTAR prefixes) and any content come back
    as written; a one-bit change in any header is noticed, never a silently shorter archive."""
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w", format=fmt) as tar:
        for name, data in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            try:
                tar.addfile(info, io.BytesIO(data))
            except ValueError:  # a name USTAR cannot hold
                return
    raw = buf.getvalue()
    read = [(entry.name, data()) for entry, data in gotar.entries(raw) if entry.typeflag not in b"xg"]
    assert read == list(members.items())
    for at in header_offsets(bytearray(raw)):
        damaged = bytearray(raw)
        damaged[at + 148] ^= 1  # the checksum no longer matches
        with pytest.raises(gotar.TarError, match="invalid tar header"):
            for _, data in gotar.entries(bytes(damaged)):
                data()

"""Sprig path functions (Go's path and path/filepath) against Helm's recorded output."""

from __future__ import annotations

import posixpath

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sprig_direct import Call, Opt, Val, check, load_recorded, numbered

from hooklint.gotemplate.sprig import paths

TABLE = "sprig_paths"
V = "file: /etc/config/app.conf\n"
VV = Opt(values=V)
SAMPLES = [
    "",
    "/",
    "//",
    "a",
    "a/",
    "/a/b.c/",
    "a//b/../c/.",
    "../../x",
    "/../x",
    "x.tar.gz",
    ".hidden",
    "a.b/c",
    "///a///",
]

CALLS: list[Call] = numbered(
    [(f, p) for f in ("base", "dir", "clean", "ext", "isAbs") for p in SAMPLES]
    + [(f, p) for f in ("osBase", "osDir", "osClean", "osExt", "osIsAbs") for p in SAMPLES[:6]]
    + [(f, Val("file", "/etc/config/app.conf"), VV) for f in ("base", "dir", "ext", "osBase")]
)
RECORDED = load_recorded(TABLE)


@pytest.mark.parametrize("call", CALLS, ids=[c.name for c in CALLS])
def test_matches_helm(call: Call) -> None:
    check(call, RECORDED[call.name])


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet="ab./", max_size=10))
def test_clean_is_idempotent_and_agrees_with_normpath_on_simple_paths(p: str) -> None:
    cleaned = paths.go_clean(p)
    assert paths.go_clean(cleaned) == cleaned
    if p and not p.startswith("//"):
        assert cleaned == posixpath.normpath(p)

"""Masterminds/semver v3.3.0 as Helm 3.17.1 uses it: version parsing and range constraints.

Helm checks `Chart.yaml` versions (`isValidSemver`), dependency version ranges against the
subcharts found in `charts/` (`IsCompatibleRange`), `kubeVersion` constraints, and parses
`--kube-version`. Each regex and branch below mirrors the Go source (version.go, constraints.go).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

_SEMVER = (
    r"v?([0-9]+)(\.[0-9]+)?(\.[0-9]+)?"
    r"(-([0-9A-Za-z\-]+(\.[0-9A-Za-z\-]+)*))?"
    r"(\+([0-9A-Za-z\-]+(\.[0-9A-Za-z\-]+)*))?"
)
_VERSION_RE = re.compile("^" + _SEMVER + "$")
_NUM = set("0123456789")
_ALLOWED = set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ-0123456789")
_UINT64_MAX = (1 << 64) - 1


class SemverError(ValueError):
    """A version or constraint Masterminds/semver rejects; the message is its error text."""


@dataclass(frozen=True)
class Version:
    major: int
    minor: int
    patch: int
    pre: str = ""
    metadata: str = ""
    original: str = ""

    def __str__(self) -> str:
        s = f"{self.major}.{self.minor}.{self.patch}"
        if self.pre:
            s += "-" + self.pre
        if self.metadata:
            s += "+" + self.metadata
        return s

    def compare(self, o: Version) -> int:
        for a, b in ((self.major, o.major), (self.minor, o.minor), (self.patch, o.patch)):
            if a != b:
                return 1 if a > b else -1
        if not self.pre and not o.pre:
            return 0
        if not self.pre:
            return 1
        if not o.pre:
            return -1
        return _compare_prerelease(self.pre, o.pre)


def _parse_uint(s: str) -> int:
    n = int(s)
    if n > _UINT64_MAX:
        raise SemverError(
            f'Error parsing version segment: strconv.ParseUint: parsing "{s}": value out of range'
        )
    return n


def parse_version(v: str) -> Version:
    """semver.NewVersion (the lenient parser: `v` prefix, missing minor/patch allowed)."""
    m = _VERSION_RE.match(v)
    if m is None:
        raise SemverError("Invalid Semantic Version")
    major = _parse_uint(m.group(1))
    minor = _parse_uint(m.group(2)[1:]) if m.group(2) else 0
    patch = _parse_uint(m.group(3)[1:]) if m.group(3) else 0
    pre = m.group(5) or ""
    meta = m.group(8) or ""
    if pre:
        for part in pre.split("."):
            if set(part) <= _NUM:
                if len(part) > 1 and part[0] == "0":
                    raise SemverError("Version segment starts with 0")
            elif not set(part) <= _ALLOWED:
                raise SemverError("Invalid Prerelease string")
    if meta:
        for part in meta.split("."):
            if not set(part) <= _ALLOWED:
                raise SemverError("Invalid Metadata string")
    return Version(major, minor, patch, pre, meta, v)


def is_valid_semver(v: str) -> bool:
    try:
        parse_version(v)
    except SemverError:
        return False
    return True


def _is_uint(s: str) -> bool:
    return s.isascii() and s.isdigit() and int(s) <= _UINT64_MAX


def _compare_pre_part(s: str, o: str) -> int:
    if s == o:
        return 0
    if s == "":
        return -1
    if o == "":
        return 1
    s_num, o_num = _is_uint(s), _is_uint(o)
    if not s_num and not o_num:
        return 1 if s > o else -1
    if not o_num:
        return -1
    if not s_num:
        return 1
    return 1 if int(s) > int(o) else -1


def _compare_prerelease(v: str, o: str) -> int:
    sp, op = v.split("."), o.split(".")
    for i in range(max(len(sp), len(op))):
        d = _compare_pre_part(sp[i] if i < len(sp) else "", op[i] if i < len(op) else "")
        if d:
            return d
    return 0


# --- constraints ----------------------------------------------------------------------------

_CV = (
    r"v?([0-9|x|X|\*]+)(\.[0-9|x|X|\*]+)?(\.[0-9|x|X|\*]+)?"
    r"(-([0-9A-Za-z\-]+(\.[0-9A-Za-z\-]+)*))?"
    r"(\+([0-9A-Za-z\-]+(\.[0-9A-Za-z\-]+)*))?"
)
_OPS = r"=||!=|>|<|>=|=>|<=|=<|~|~>|\^"


class _ConstraintPatterns:
    """The constraint regexes, compiled on first use: most renders never parse a constraint
    and these four cost a few milliseconds to compile (start-up time)."""

    def __init__(self) -> None:
        self.constraint = re.compile(rf"^\s*({_OPS})\s*({_CV})\s*$")
        self.range = re.compile(rf"\s*({_CV})\s+-\s+({_CV})\s*")
        self.find = re.compile(rf"({_OPS})\s*({_CV})")
        self.valid = re.compile(rf"^(\s*({_OPS})\s*({_CV})\s*)((?:\s+|,\s*)({_OPS})\s*({_CV})\s*)*$")


@lru_cache(maxsize=1)
def _patterns() -> _ConstraintPatterns:
    return _ConstraintPatterns()


@dataclass(frozen=True)
class _Constraint:
    con: Version
    orig: str
    op: str
    minor_dirty: bool = False
    patch_dirty: bool = False
    dirty: bool = False


def _is_x(s: str) -> bool:
    return s in ("x", "*", "X")


def _parse_constraint(c: str) -> _Constraint:
    if not c:
        return _Constraint(Version(0, 0, 0, original="0.0.0"), c, "", dirty=True)
    m = _patterns().constraint.match(c)
    if m is None:
        raise SemverError(f"improper constraint: {c}")
    op, orig = m.group(1), m.group(2)
    g3, g4, g5, g6 = m.group(3) or "", m.group(4) or "", m.group(5) or "", m.group(6) or ""
    ver, minor_dirty, patch_dirty, dirty = orig, False, False, False
    if _is_x(g3) or g3 == "":
        ver, dirty = f"0.0.0{g6}", True
    elif _is_x(g4[1:]) or g4 == "":
        minor_dirty = dirty = True
        ver = f"{g3}.0.0{g6}"
    elif _is_x(g5[1:]) or g5 == "":
        dirty = patch_dirty = True
        ver = f"{g3}{g4}.0{g6}"
    try:
        con = parse_version(ver)
    except SemverError:
        raise SemverError("constraint Parser Error") from None
    return _Constraint(con, orig, op, minor_dirty, patch_dirty, dirty)


def _pre_blocked(v: Version, c: _Constraint) -> bool:
    return v.pre != "" and c.con.pre == ""


def _tilde(v: Version, c: _Constraint) -> bool:
    if _pre_blocked(v, c) or v.compare(c.con) < 0:
        return False
    if c.con.major == 0 and c.con.minor == 0 and c.con.patch == 0 and not c.minor_dirty and not c.patch_dirty:
        return True
    if v.major != c.con.major:
        return False
    return not (v.minor != c.con.minor and not c.minor_dirty)


def _check(v: Version, c: _Constraint) -> bool:  # noqa: C901 - one branch per Go cfunc
    op = c.op
    if op in ("", "="):
        if _pre_blocked(v, c):
            return False
        return _tilde(v, c) if c.dirty else v.compare(c.con) == 0
    if op == "!=":
        if c.dirty:
            if v.pre and not c.con.pre:
                return False
            if c.con.major != v.major:
                return True
            if c.con.minor != v.minor and not c.minor_dirty:
                return True
            if c.minor_dirty:
                return False
            if c.con.patch != v.patch and not c.patch_dirty:
                return True
            if c.patch_dirty:
                if v.pre or c.con.pre:
                    return _compare_prerelease(v.pre, c.con.pre) != 0
                return False
        return v.compare(c.con) != 0
    if _pre_blocked(v, c):
        return False
    if op == ">":
        if not c.dirty:
            return v.compare(c.con) == 1
        if v.major != c.con.major:
            return v.major > c.con.major
        if c.minor_dirty:
            return False
        if c.patch_dirty:
            return v.minor > c.con.minor
        return v.compare(c.con) == 1
    if op == "<":
        return v.compare(c.con) < 0
    if op in (">=", "=>"):
        return v.compare(c.con) >= 0
    if op in ("<=", "=<"):
        if not c.dirty:
            return v.compare(c.con) <= 0
        if v.major > c.con.major:
            return False
        return not (v.major == c.con.major and v.minor > c.con.minor and not c.minor_dirty)
    if op in ("~", "~>"):
        return _tilde(v, c)
    # "^"
    if v.compare(c.con) < 0:
        return False
    if c.con.major > 0 or c.minor_dirty:
        return v.major == c.con.major
    if v.major > 0:
        return False
    if c.con.minor > 0 or c.patch_dirty:
        return v.minor == c.con.minor
    if v.minor > 0:
        return False
    return c.con.patch == v.patch


def _rewrite_range(s: str) -> str:
    out = s
    for m in _patterns().range.finditer(s):
        out = out.replace(m.group(0), f">= {m.group(1)}, <= {m.group(11)} ", 1)
    return out


@lru_cache(maxsize=256)
def parse_constraints(c: str) -> tuple[tuple[_Constraint, ...], ...]:
    """semver.NewConstraint: OR-groups of AND-ed constraints."""
    c = _rewrite_range(c)
    groups = []
    for part in c.split("||"):
        if not _patterns().valid.match(part):
            raise SemverError(f"improper constraint: {part}")
        found = [m.group(0) for m in _patterns().find.finditer(part)] or [part]
        groups.append(tuple(_parse_constraint(s) for s in found))
    return tuple(groups)


def check(constraints: tuple[tuple[_Constraint, ...], ...], v: Version) -> bool:
    return any(all(_check(v, c) for c in group) for group in constraints)


def is_compatible_range(constraint: str, ver: str) -> bool:
    """chartutil.IsCompatibleRange: False when either side does not parse."""
    try:
        sv = parse_version(ver)
        cs = parse_constraints(constraint)
    except SemverError:
        return False
    return check(cs, sv)

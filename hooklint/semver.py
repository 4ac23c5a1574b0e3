"""Masterminds/semver v3.3.0 (what Helm 3.17.1 and Sprig v3.3.0 use): version parsing,
comparison, and range constraints. The one port both callers share:

- chart loading: `Chart.yaml` versions (`isValidSemver`), dependency ranges against the
  subcharts in `charts/` (`IsCompatibleRange`), `kubeVersion` constraints, `--kube-version`;
- templates: Sprig's `semver` / `semverCompare` (`hooklint.gotemplate.sprig.semver` wraps
  these results in Go objects and Go error texts).

Each regex and branch mirrors the Go source (version.go, constraints.go). The regexes run on
Python's `re` (start-up: no re2 for chart loading) written so they match like Go's regexp:
Go's `\\s` is ASCII `[\\t\\n\\f\\r ]` (Python's also takes `\\v` and Unicode spaces) and Go's `$`
is the end of the text (Python's also matches before a final newline), so `1.2.3\\n` is not a
version and `>=1.0\\v` is an improper constraint, as in Helm. Both engines are leftmost-first,
so these patterns capture the same groups.
"""

from __future__ import annotations

import re
from functools import cached_property, lru_cache

from hooklint.runtime.patterns import lazy_compile

_WS = r"[\t\n\f\r ]"  # Go regexp's \s
_SEMVER = (
    r"v?([0-9]+)(\.[0-9]+)?(\.[0-9]+)?"
    r"(-([0-9A-Za-z\-]+(\.[0-9A-Za-z\-]+)*))?"
    r"(\+([0-9A-Za-z\-]+(\.[0-9A-Za-z\-]+)*))?"
)
_VERSION_RE = lazy_compile(_SEMVER + r"\Z")
_NUM = frozenset("0123456789")
_ALLOWED = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ-0123456789")
UINT64_MAX = (1 << 64) - 1


class SemverError(ValueError):
    """A version or constraint Masterminds/semver v3.3.0 rejects; str() is its error text."""


class Version:
    """semver.Version: `original` is the text it was parsed from (Original()).

    A value (equal and hashing by its fields), written out rather than a frozen dataclass,
    whose six generated methods would cost start-up time on every run (charts' versions are
    checked on every load)."""

    __slots__ = ("major", "minor", "patch", "pre", "metadata", "original")

    def __init__(self, major: int, minor: int, patch: int, pre: str = "", metadata: str = "",
                 original: str = "") -> None:
        self.major = major
        self.minor = minor
        self.patch = patch
        self.pre = pre
        self.metadata = metadata
        self.original = original

    def _key(self) -> tuple[int, int, int, str, str, str]:
        return (self.major, self.minor, self.patch, self.pre, self.metadata, self.original)

    def replace(self, **changes: int | str) -> Version:
        """A copy with `changes` (dataclasses.replace for this value)."""
        unknown = changes.keys() - set(self.__slots__)
        if unknown:
            raise TypeError(f"Version has no field {sorted(unknown)[0]!r}")
        copy = Version(self.major, self.minor, self.patch, self.pre, self.metadata, self.original)
        for name, value in changes.items():
            setattr(copy, name, value)
        return copy

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Version) or other.__class__ is not self.__class__:
            return NotImplemented
        return self._key() == other._key()

    def __hash__(self) -> int:
        return hash(self._key())

    def __repr__(self) -> str:
        return (f"Version(major={self.major!r}, minor={self.minor!r}, patch={self.patch!r}, pre={self.pre!r}, "
                f"metadata={self.metadata!r}, original={self.original!r})")

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
        return compare_prerelease(self.pre, o.pre)


def _parse_uint(s: str) -> int:
    """strconv.ParseUint(s, 10, 64) for a string of digits."""
    n = int(s)
    if n > UINT64_MAX:
        raise SemverError(
            f'Error parsing version segment: strconv.ParseUint: parsing "{s}": value out of range'
        )
    return n


def validate_prerelease(p: str) -> None:
    for part in p.split("."):
        if set(part) <= _NUM:
            if len(part) > 1 and part[0] == "0":
                raise SemverError("Version segment starts with 0")
        elif not set(part) <= _ALLOWED:
            raise SemverError("Invalid Prerelease string")


def validate_metadata(m: str) -> None:
    for part in m.split("."):
        if not set(part) <= _ALLOWED:
            raise SemverError("Invalid Metadata string")


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
        validate_prerelease(pre)
    if meta:
        validate_metadata(meta)
    return Version(major, minor, patch, pre, meta, v)


def is_valid_semver(v: str) -> bool:
    try:
        parse_version(v)
    except SemverError:
        return False
    return True


def _as_uint(s: str) -> int | None:
    """strconv.ParseUint(s, 10, 64), None where it fails."""
    if s.isascii() and s.isdigit():
        n = int(s)
        return n if n <= UINT64_MAX else None
    return None


def _compare_pre_part(s: str, o: str) -> int:
    if s == o:
        return 0
    if s == "":
        return -1
    if o == "":
        return 1
    si, oi = _as_uint(s), _as_uint(o)
    if si is None and oi is None:
        # Go compares the bytes; prerelease parts are ASCII (the regex allows no other), where
        # code-point order is byte order.
        return 1 if s > o else -1
    if oi is None:
        return -1
    if si is None:
        return 1
    return 1 if si > oi else -1


def compare_prerelease(v: str, o: str) -> int:
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
    """The constraint regexes, each compiled on first use: most renders never parse a constraint
    and these four cost ~1.5 ms to compile (start-up time); `range` is needed only for a
    constraint with a hyphen range."""

    @cached_property
    def constraint(self) -> re.Pattern[str]:
        return re.compile(rf"{_WS}*({_OPS}){_WS}*({_CV}){_WS}*\Z")

    @cached_property
    def range(self) -> re.Pattern[str]:
        return re.compile(rf"{_WS}*({_CV}){_WS}+-{_WS}+({_CV}){_WS}*")

    @cached_property
    def find(self) -> re.Pattern[str]:
        return re.compile(rf"({_OPS}){_WS}*({_CV})")

    @cached_property
    def valid(self) -> re.Pattern[str]:
        return re.compile(
            rf"({_WS}*({_OPS}){_WS}*({_CV}){_WS}*)((?:{_WS}+|,{_WS}*)({_OPS}){_WS}*({_CV}){_WS}*)*\Z"
        )


@lru_cache(maxsize=1)
def _patterns() -> _ConstraintPatterns:
    return _ConstraintPatterns()


class Constraint:
    """One `op version` term; the *_dirty flags mark wildcard (or missing) segments.

    A plain slotted class (parse_constraints' internal record: nothing compares or hashes it),
    not a dataclass: one class less to generate at start-up."""

    __slots__ = ("con", "orig", "op", "minor_dirty", "patch_dirty", "dirty")

    def __init__(
        self, con: Version, orig: str, op: str, minor_dirty: bool = False, patch_dirty: bool = False,
        dirty: bool = False,
    ) -> None:
        self.con = con
        self.orig = orig
        self.op = op
        self.minor_dirty = minor_dirty
        self.patch_dirty = patch_dirty
        self.dirty = dirty


Constraints = tuple[tuple[Constraint, ...], ...]  # OR-groups of AND-ed terms


def _is_x(s: str) -> bool:
    return s in ("x", "*", "X")


def _parse_constraint(c: str) -> Constraint:
    if not c:
        return Constraint(Version(0, 0, 0, original="0.0.0"), c, "", dirty=True)
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
    return Constraint(con, orig, op, minor_dirty, patch_dirty, dirty)


def _pre_blocked(v: Version, c: Constraint) -> bool:
    # A prerelease version only satisfies constraints that carry a prerelease themselves.
    return v.pre != "" and c.con.pre == ""


def _tilde(v: Version, c: Constraint) -> bool:
    if _pre_blocked(v, c) or v.compare(c.con) < 0:
        return False
    if c.con.major == 0 and c.con.minor == 0 and c.con.patch == 0 and not c.minor_dirty and not c.patch_dirty:
        return True
    if v.major != c.con.major:
        return False
    return not (v.minor != c.con.minor and not c.minor_dirty)


def _check(v: Version, c: Constraint) -> bool:  # noqa: C901 - one branch per Go cfunc
    op = c.op
    if op in ("", "="):
        if _pre_blocked(v, c):
            return False
        return _tilde(v, c) if c.dirty else v.compare(c.con) == 0
    if op == "!=":
        if c.dirty:
            if _pre_blocked(v, c):
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
                    return compare_prerelease(v.pre, c.con.pre) != 0
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
    if "-" not in s:  # every range match holds one (and the regex is compiled on first use)
        return s
    out = s
    for m in _patterns().range.finditer(s):
        out = out.replace(m.group(0), f">= {m.group(1)}, <= {m.group(11)} ", 1)
    return out


@lru_cache(maxsize=256)
def parse_constraints(c: str) -> Constraints:
    """semver.NewConstraint: OR-groups of AND-ed constraints."""
    c = _rewrite_range(c)
    groups = []
    for part in c.split("||"):
        if not _patterns().valid.match(part):
            raise SemverError(f"improper constraint: {part}")
        found = [m.group(0) for m in _patterns().find.finditer(part)] or [part]
        groups.append(tuple(_parse_constraint(s) for s in found))
    return tuple(groups)


def check(constraints: Constraints, v: Version) -> bool:
    """Constraints.Check: some OR-group whose every term admits `v`."""
    return any(all(_check(v, c) for c in group) for group in constraints)


def is_compatible_range(constraint: str, ver: str) -> bool:
    """chartutil.IsCompatibleRange: False when either side does not parse."""
    try:
        sv = parse_version(ver)
        cs = parse_constraints(constraint)
    except SemverError:
        return False
    return check(cs, sv)

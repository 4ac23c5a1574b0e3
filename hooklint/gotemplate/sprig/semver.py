"""Sprig's semver and semverCompare: a port of Masterminds/semver v3.3.0 (version.go,
constraints.go), the library Sprig v3.3.0 calls.

The library's own regular expressions are evaluated with Go regexp semantics (via the regex
module), so loose inputs (`v1`, `1.2`, `1.2.x`, `>=1.2 <2`, `1 - 2`, `^0.0.1`, `||`) behave as
in Helm, including its quirks (`x` anywhere in a segment, `|` inside version classes).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

from hooklint.gotemplate.gotypes import BOOL, INT, STRING, GoFuncError, GoObject, Uint64, gofunc
from hooklint.gotemplate.sprig.regex import GoRegexp, compile_go

VERSION_PTR = "*semver.Version"
VERSION = "semver.Version"
UINT64 = "uint64"

_SEMVER_RE = (
    r"v?([0-9]+)(\.[0-9]+)?(\.[0-9]+)?"
    r"(-([0-9A-Za-z\-]+(\.[0-9A-Za-z\-]+)*))?"
    r"(\+([0-9A-Za-z\-]+(\.[0-9A-Za-z\-]+)*))?"
)
_CV_RE = (
    r"v?([0-9|x|X|\*]+)(\.[0-9|x|X|\*]+)?(\.[0-9|x|X|\*]+)?"
    r"(-([0-9A-Za-z\-]+(\.[0-9A-Za-z\-]+)*))?"
    r"(\+([0-9A-Za-z\-]+(\.[0-9A-Za-z\-]+)*))?"
)
_OPS = r"=||!=|>|<|>=|=>|<=|=<|~|~>|\^"

_NUM = "0123456789"
_ALLOWED = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ-" + _NUM
_UINT64_MAX = (1 << 64) - 1


def _re(pattern: str) -> GoRegexp:
    return compile_go(pattern)


def _submatch(regexp: GoRegexp, s: str) -> list[str] | None:
    """FindStringSubmatch: unset groups are ""."""
    b = s.encode("utf-8", "surrogateescape")
    spans = regexp.execute(b, 0)
    if spans is None:
        return None
    return [
        b[spans[i] : spans[i + 1]].decode("utf-8", "surrogateescape") if spans[i] >= 0 else ""
        for i in range(0, len(spans), 2)
    ]


def _all_submatches(regexp: GoRegexp, s: str) -> list[list[str]]:
    b = s.encode("utf-8", "surrogateescape")
    out = []
    for spans in regexp.all_matches(b, len(b) + 1):
        out.append(
            [
                b[spans[i] : spans[i + 1]].decode("utf-8", "surrogateescape") if spans[i] >= 0 else ""
                for i in range(0, len(spans), 2)
            ]
        )
    return out


class SemverError(Exception):
    """A semver library error; str() is the Go error text."""


def _contains_only(s: str, allowed: str) -> bool:
    return all(ch in allowed for ch in s)


def _validate_prerelease(p: str) -> None:
    for part in p.split("."):
        if _contains_only(part, _NUM):
            if len(part) > 1 and part[0] == "0":
                raise SemverError("Version segment starts with 0")
        elif not _contains_only(part, _ALLOWED):
            raise SemverError("Invalid Prerelease string")


def _validate_metadata(m: str) -> None:
    for part in m.split("."):
        if not _contains_only(part, _ALLOWED):
            raise SemverError("Invalid Metadata string")


def _parse_uint(s: str) -> int:
    """strconv.ParseUint(s, 10, 64) for a string of digits."""
    n = int(s)
    if n > _UINT64_MAX:
        raise SemverError(f'Error parsing version segment: strconv.ParseUint: parsing "{s}": value out of range')
    return n


@dataclass(frozen=True)
class SemVersion:
    major: int
    minor: int
    patch: int
    pre: str
    metadata: str
    original: str

    def string(self) -> str:
        s = f"{self.major}.{self.minor}.{self.patch}"
        if self.pre:
            s += "-" + self.pre
        if self.metadata:
            s += "+" + self.metadata
        return s

    def v_prefix(self) -> str:
        return "v" if self.original[:1] == "v" else ""

    def compare(self, o: SemVersion) -> int:
        for a, b in ((self.major, o.major), (self.minor, o.minor), (self.patch, o.patch)):
            if a != b:
                return -1 if a < b else 1
        if not self.pre and not o.pre:
            return 0
        if not self.pre:
            return 1
        if not o.pre:
            return -1
        return _compare_prerelease(self.pre, o.pre)


def new_version(v: str) -> SemVersion:
    """semver.NewVersion (the loose parser)."""
    m = _submatch(_re("^" + _SEMVER_RE + "$"), v)
    if m is None:
        raise SemverError("Invalid Semantic Version")
    major = _parse_uint(m[1])
    minor = _parse_uint(m[2][1:]) if m[2] else 0
    patch = _parse_uint(m[3][1:]) if m[3] else 0
    pre, metadata = m[5], m[8]
    if pre:
        _validate_prerelease(pre)
    if metadata:
        _validate_metadata(metadata)
    return SemVersion(major, minor, patch, pre, metadata, v)


def _compare_prerelease(v: str, o: str) -> int:
    sparts, oparts = v.split("."), o.split(".")
    for i in range(max(len(sparts), len(oparts))):
        s = sparts[i] if i < len(sparts) else ""
        t = oparts[i] if i < len(oparts) else ""
        d = _compare_pre_part(s, t)
        if d:
            return d
    return 0


def _as_uint(s: str) -> int | None:
    if s and s.isascii() and s.isdigit():
        n = int(s)
        return n if n <= _UINT64_MAX else None
    return None


def _compare_pre_part(s: str, o: str) -> int:
    if s == o:
        return 0
    if s == "":
        return -1
    if o == "":
        return 1
    oi, si = _as_uint(o), _as_uint(s)
    if oi is None and si is None:
        return 1 if s.encode("utf-8", "surrogateescape") > o.encode("utf-8", "surrogateescape") else -1
    if oi is None:
        return -1
    if si is None:
        return 1
    return 1 if si > oi else -1


# --- constraints ---------------------------------------------------------------------------


@dataclass(frozen=True)
class _Constraint:
    con: SemVersion
    orig: str
    origfunc: str
    minor_dirty: bool = False
    dirty: bool = False
    patch_dirty: bool = False


def _is_x(s: str) -> bool:
    return s in ("x", "*", "X")


def _parse_constraint(c: str) -> _Constraint:
    if not c:
        return _Constraint(SemVersion(0, 0, 0, "", "", "0.0.0"), c, "", dirty=True)
    m = _submatch(_re(r"^\s*(" + _OPS + r")\s*(" + _CV_RE + r")\s*$"), c)
    if m is None:
        raise SemverError(f"improper constraint: {c}")
    ver = m[2]
    minor_dirty = patch_dirty = dirty = False
    if _is_x(m[3]) or m[3] == "":
        ver, dirty = f"0.0.0{m[6]}", True
    elif _is_x(m[4][1:]) or m[4] == "":
        minor_dirty = dirty = True
        ver = f"{m[3]}.0.0{m[6]}"
    elif _is_x(m[5][1:]) or m[5] == "":
        dirty = patch_dirty = True
        ver = f"{m[3]}{m[4]}.0{m[6]}"
    try:
        con = new_version(ver)
    except SemverError:
        raise SemverError("constraint Parser Error") from None
    return _Constraint(con, m[2], m[1], minor_dirty, dirty, patch_dirty)


def _rewrite_range(i: str) -> str:
    rng = _re(r"\s*(" + _CV_RE + r")\s+-\s+(" + _CV_RE + r")\s*")
    out = i
    for m in _all_submatches(rng, i):
        out = out.replace(m[0], f">= {m[1]}, <= {m[11]} ", 1)
    return out


def new_constraint(c: str) -> list[list[_Constraint]]:
    """semver.NewConstraint: OR-groups of AND-ed constraints."""
    c = _rewrite_range(c)
    valid = _re(
        r"^(\s*(" + _OPS + r")\s*(" + _CV_RE + r")\s*)((?:\s+|,\s*)(" + _OPS + r")\s*(" + _CV_RE + r")\s*)*$"
    )
    find = _re(r"(" + _OPS + r")\s*(" + _CV_RE + r")")
    groups = []
    for v in c.split("||"):
        if not valid.match(v):
            raise SemverError(f"improper constraint: {v}")
        parts = list(find.find_all_string(v, -1)) or [v]
        groups.append([_parse_constraint(s) for s in parts])
    return groups


def _prerelease_blocked(v: SemVersion, c: _Constraint) -> bool:
    # A prerelease version only satisfies constraints that carry a prerelease themselves.
    return bool(v.pre) and not c.con.pre


def _check(v: SemVersion, c: _Constraint) -> bool:
    op = c.origfunc
    if op in ("", "="):
        return _tilde_or_equal(v, c)
    if op == "!=":
        return _not_equal(v, c)
    if _prerelease_blocked(v, c):
        return False
    cmp = v.compare(c.con)
    if op == ">":
        if not c.dirty:
            return cmp == 1
        if v.major != c.con.major:
            return v.major > c.con.major
        if c.minor_dirty:
            return False
        if c.patch_dirty:
            return v.minor > c.con.minor
        return cmp == 1
    if op == "<":
        return cmp < 0
    if op in (">=", "=>"):
        return cmp >= 0
    if op in ("<=", "=<"):
        if not c.dirty:
            return cmp <= 0
        if v.major > c.con.major:
            return False
        return not (v.major == c.con.major and v.minor > c.con.minor and not c.minor_dirty)
    if op in ("~", "~>"):
        return _tilde(v, c)
    return _caret(v, c)


def _tilde(v: SemVersion, c: _Constraint) -> bool:
    if _prerelease_blocked(v, c) or v.compare(c.con) < 0:
        return False
    con = c.con
    if con.major == 0 and con.minor == 0 and con.patch == 0 and not c.minor_dirty and not c.patch_dirty:
        return True
    if v.major != con.major:
        return False
    return not (v.minor != con.minor and not c.minor_dirty)


def _tilde_or_equal(v: SemVersion, c: _Constraint) -> bool:
    if _prerelease_blocked(v, c):
        return False
    if c.dirty:
        return _tilde(v, c)
    return v.compare(c.con) == 0


def _not_equal(v: SemVersion, c: _Constraint) -> bool:
    if c.dirty:
        if _prerelease_blocked(v, c):
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


def _caret(v: SemVersion, c: _Constraint) -> bool:
    if _prerelease_blocked(v, c) or v.compare(c.con) < 0:
        return False
    con = c.con
    if con.major > 0 or c.minor_dirty:
        return v.major == con.major
    if v.major > 0:
        return False
    if con.minor > 0 or c.patch_dirty:
        return v.minor == con.minor
    if v.minor > 0:
        return False
    return con.patch == v.patch


def constraint_check(groups: list[list[_Constraint]], v: SemVersion) -> bool:
    return any(all(_check(v, c) for c in group) for group in groups)


# --- the Version object templates see ------------------------------------------------------


class Version(GoObject):
    """A *semver.Version (pointer=True, what `semver` returns) or a semver.Version value
    (what IncMajor/SetPrerelease/... return). Methods follow Go's method sets."""

    def __init__(self, v: SemVersion, pointer: bool = True) -> None:
        self.v = v
        self.pointer = pointer
        self.go_type = VERSION_PTR if pointer else VERSION
        self.go_kind = "ptr" if pointer else "struct"

    def go_method(self, name: str) -> Callable[..., Any] | None:
        if name in _POINTER_METHODS and not self.pointer:
            return None  # pointer-receiver methods are not in a value's method set
        return super().go_method(name)

    def go_json(self) -> Any:
        return self.v.string()

    def go_format(self) -> str:
        return self.v.string()

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Version) and (self.v, self.pointer) == (other.v, other.pointer)

    def __hash__(self) -> int:
        return hash((self.v, self.pointer))

    # value-receiver methods
    @gofunc(result=STRING)
    def go_String(self) -> str:  # noqa: N802 - Go method names
        return self.v.string()

    @gofunc(result=UINT64)
    def go_Major(self) -> Uint64:  # noqa: N802
        return Uint64(self.v.major)

    @gofunc(result=UINT64)
    def go_Minor(self) -> Uint64:  # noqa: N802
        return Uint64(self.v.minor)

    @gofunc(result=UINT64)
    def go_Patch(self) -> Uint64:  # noqa: N802
        return Uint64(self.v.patch)

    @gofunc(result=STRING)
    def go_Prerelease(self) -> str:  # noqa: N802
        return self.v.pre

    @gofunc(result=STRING)
    def go_Metadata(self) -> str:  # noqa: N802
        return self.v.metadata

    def _bumped(self, **changes: Any) -> Version:
        nxt = replace(self.v, **changes)
        return Version(replace(nxt, original=self.v.v_prefix() + nxt.string()), pointer=False)

    @gofunc(result=VERSION)
    def go_IncPatch(self) -> Version:  # noqa: N802
        if self.v.pre:
            return self._bumped(metadata="", pre="")
        return self._bumped(metadata="", pre="", patch=(self.v.patch + 1) & _UINT64_MAX)

    @gofunc(result=VERSION)
    def go_IncMinor(self) -> Version:  # noqa: N802
        return self._bumped(metadata="", pre="", patch=0, minor=(self.v.minor + 1) & _UINT64_MAX)

    @gofunc(result=VERSION)
    def go_IncMajor(self) -> Version:  # noqa: N802
        return self._bumped(metadata="", pre="", patch=0, minor=0, major=(self.v.major + 1) & _UINT64_MAX)

    @gofunc(STRING, error=True, result=VERSION)
    def go_SetPrerelease(self, prerelease: str) -> Version:  # noqa: N802
        if prerelease:
            _raise_go(_validate_prerelease, prerelease)
        return self._bumped(pre=prerelease)

    @gofunc(STRING, error=True, result=VERSION)
    def go_SetMetadata(self, metadata: str) -> Version:  # noqa: N802
        if metadata:
            _raise_go(_validate_metadata, metadata)
        return self._bumped(metadata=metadata)

    # pointer-receiver methods
    @gofunc(result=STRING)
    def go_Original(self) -> str:  # noqa: N802
        return self.v.original

    @gofunc(VERSION_PTR, result=INT)
    def go_Compare(self, o: Version) -> int:  # noqa: N802
        return self.v.compare(o.v)

    @gofunc(VERSION_PTR, result=BOOL)
    def go_LessThan(self, o: Version) -> bool:  # noqa: N802
        return self.v.compare(o.v) < 0

    @gofunc(VERSION_PTR, result=BOOL)
    def go_LessThanEqual(self, o: Version) -> bool:  # noqa: N802
        return self.v.compare(o.v) <= 0

    @gofunc(VERSION_PTR, result=BOOL)
    def go_GreaterThan(self, o: Version) -> bool:  # noqa: N802
        return self.v.compare(o.v) > 0

    @gofunc(VERSION_PTR, result=BOOL)
    def go_GreaterThanEqual(self, o: Version) -> bool:  # noqa: N802
        return self.v.compare(o.v) >= 0

    @gofunc(VERSION_PTR, result=BOOL)
    def go_Equal(self, o: Version | None) -> bool:  # noqa: N802
        if o is None:
            return False
        return self.v.compare(o.v) == 0


_POINTER_METHODS = frozenset(
    {"Original", "Compare", "LessThan", "LessThanEqual", "GreaterThan", "GreaterThanEqual", "Equal"}
)


def _raise_go(check: Callable[[str], None], arg: str) -> None:
    try:
        check(arg)
    except SemverError as e:
        raise GoFuncError(str(e)) from None


# --- template functions --------------------------------------------------------------------


@gofunc(STRING, error=True, result=VERSION_PTR)
def semver(version: str) -> Version:
    try:
        return Version(new_version(version))
    except SemverError as e:
        raise GoFuncError(str(e)) from None


@gofunc(STRING, STRING, error=True, result=BOOL)
def semverCompare(constraint: str, version: str) -> bool:
    try:
        groups = new_constraint(constraint)
        v = new_version(version)
    except SemverError as e:
        raise GoFuncError(str(e)) from None
    return constraint_check(groups, v)


FUNCS: dict[str, Callable[..., Any]] = {"semver": semver, "semverCompare": semverCompare}


def _v35_message(message: str) -> str:
    """Masterminds/semver v3.5.0 (Helm 4.2.3) wording of a v3.3.0 error: the sentinel errors
    start lower-case ("invalid semantic version", "error parsing version segment: ...") and
    an improper constraint is %q-quoted (checked against the Helm 4 SDK)."""
    from hooklint.gotemplate.gofmt import quote

    prefix = "improper constraint: "
    if message.startswith(prefix):
        return prefix + quote(message[len(prefix) :])
    if message in _V33_SENTINELS:
        return message.lower()
    return message[:1].lower() + message[1:]


_V33_SENTINELS = frozenset(
    {"Invalid Semantic Version", "Version segment starts with 0", "Invalid Prerelease string",
     "Invalid Metadata string", "Invalid characters in version", "Version string empty"}
)  # fmt: skip


@gofunc(STRING, error=True, result=VERSION_PTR)
def semver_v35(version: str) -> Version:
    try:
        return Version(new_version(version))
    except SemverError as e:
        raise GoFuncError(_v35_message(str(e))) from None


@gofunc(STRING, STRING, error=True, result=BOOL)
def semver_compare_v35(constraint: str, version: str) -> bool:
    try:
        groups = new_constraint(constraint)
        v = new_version(version)
    except SemverError as e:
        raise GoFuncError(_v35_message(str(e))) from None
    return constraint_check(groups, v)


# Helm 4.2.3 links semver v3.5.0 under Sprig v3.3.0: same checks, its error wording.
HELM4_FUNCS: dict[str, Callable[..., Any]] = {"semver": semver_v35, "semverCompare": semver_compare_v35}

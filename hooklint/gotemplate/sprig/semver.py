"""Sprig's semver and semverCompare: the template layer over `hooklint.semver`, the
Masterminds/semver v3.3.0 port chart loading also uses. This module adds what templates see:
the *semver.Version / semver.Version Go object with its method sets, Go error values, and
Helm 4.2.3's (semver v3.5.0) error wording.
"""

from __future__ import annotations

from collections.abc import Callable

from hooklint import semver as masterminds
from hooklint.gotemplate.gotypes import BOOL, INT, STRING, GoFuncError, GoObject, Uint64, gofunc
from hooklint.semver import SemverError

TYPE_CHECKING = False  # not `typing`'s: importing typing costs ~3 ms of every run
if TYPE_CHECKING:
    from typing import Any

VERSION_PTR = "*semver.Version"
VERSION = "semver.Version"
UINT64 = "uint64"
_UINT64_MAX = masterminds.UINT64_MAX


# --- the Version object templates see ------------------------------------------------------


class Version(GoObject):
    """A *semver.Version (pointer=True, what `semver` returns) or a semver.Version value
    (what IncMajor/SetPrerelease/... return). Methods follow Go's method sets."""

    def __init__(self, v: masterminds.Version, pointer: bool = True) -> None:
        self.v = v
        self.pointer = pointer
        self.go_type = VERSION_PTR if pointer else VERSION
        self.go_kind = "ptr" if pointer else "struct"

    def go_method(self, name: str) -> Callable[..., Any] | None:
        if name in _POINTER_METHODS and not self.pointer:
            return None  # pointer-receiver methods are not in a value's method set
        return super().go_method(name)

    def go_json(self) -> Any:
        return str(self.v)

    def go_format(self) -> str:
        return str(self.v)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Version) and (self.v, self.pointer) == (other.v, other.pointer)

    def __hash__(self) -> int:
        return hash((self.v, self.pointer))

    # value-receiver methods
    @gofunc(result=STRING)
    def go_String(self) -> str:  # noqa: N802 - Go method names
        return str(self.v)

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
        # Go: vNext.original = v.originalVPrefix() + vNext.String()
        nxt = self.v.replace(**changes)
        v_prefix = "v" if self.v.original[:1] == "v" else ""
        return Version(nxt.replace(original=v_prefix + str(nxt)), pointer=False)

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
            _raise_go(masterminds.validate_prerelease, prerelease)
        return self._bumped(pre=prerelease)

    @gofunc(STRING, error=True, result=VERSION)
    def go_SetMetadata(self, metadata: str) -> Version:  # noqa: N802
        if metadata:
            _raise_go(masterminds.validate_metadata, metadata)
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


def _version(version: str, wording: Callable[[str], str]) -> Version:
    try:
        return Version(masterminds.parse_version(version))
    except SemverError as e:
        raise GoFuncError(wording(str(e))) from None


def _satisfies(constraint: str, version: str, wording: Callable[[str], str]) -> bool:
    try:
        groups = masterminds.parse_constraints(constraint)
        v = masterminds.parse_version(version)
    except SemverError as e:
        raise GoFuncError(wording(str(e))) from None
    return masterminds.check(groups, v)


def _v33_message(message: str) -> str:
    return message


@gofunc(STRING, error=True, result=VERSION_PTR)
def semver(version: str) -> Version:
    return _version(version, _v33_message)


@gofunc(STRING, STRING, error=True, result=BOOL)
def semverCompare(constraint: str, version: str) -> bool:
    return _satisfies(constraint, version, _v33_message)


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
     "Invalid Metadata string", "Invalid characters in version", "Version string empty",
     "constraint Parser Error"}
)  # fmt: skip


@gofunc(STRING, error=True, result=VERSION_PTR)
def semver_v35(version: str) -> Version:
    return _version(version, _v35_message)


@gofunc(STRING, STRING, error=True, result=BOOL)
def semver_compare_v35(constraint: str, version: str) -> bool:
    return _satisfies(constraint, version, _v35_message)


# Helm 4.2.3 links semver v3.5.0 under Sprig v3.3.0: same checks, its error wording.
HELM4_FUNCS: dict[str, Callable[..., Any]] = {"semver": semver_v35, "semverCompare": semver_compare_v35}

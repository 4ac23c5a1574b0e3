"""semver/semverCompare: Masterminds/semver v3.3.0 rules (what Helm 3.17.1 ships).

The oracle SDK (Helm v4) ships semver v3.4.0, which lower-cased error texts and moved the
prerelease rule to whole AND-groups. Cases where the two versions agree are compared with
the oracle; the rest are pinned to v3.3.0's source (constraints.go, version.go)."""

from __future__ import annotations

import json

import pytest
from helm_oracle import HAVE_HELM, HelmFailure, helm_render_snippet
from hypothesis import given
from hypothesis import strategies as st

from hooklint.gotemplate.gotypes import GoFuncError, Uint64
from hooklint.gotemplate.sprig.semver import Version, semver, semverCompare

needs_helm = pytest.mark.skipif(not HAVE_HELM, reason="helm_python not installed")

CONSTRAINTS = [
    "*", "x", "1", "1.x", "1.2.x", ">1", ">1.2", ">1.2.3", "<1.2", "<=1.2", "<=1.2.3", ">=1.2.3-0", ">=1.2.3-alpha",
    "~1", "~1.2", "~1.2.3", "~0", "^1", "^1.2", "^0.2", "^0.0.3", "^0.0", "^0", "!=1.2", "!=1", "1.2.3 - 2.3",
    "1 - 2", ">=1 <2", ">=1, <2", ">1 || <0.5", "=1.2.3", "=>1", "=<2", "~>1.2", "v1.2", ">= v1.2.3", ">=1.x.3",
    "1||2", "^1.2.3-beta.2", "~1.2.3-beta", ">1.2.3-beta", "<1.2.3-beta", " >= 1.0 ", ">= 1.x", "<= 1.x", "> 1.x",
    "< 1.x", "> 1.2.x", "<= 1.2.x", "!=1.x", "!=1.2.x",
]  # fmt: skip
VERSIONS = [
    "1.2.3", "1.2.3-beta", "1.2.3-beta.2", "1.2.3-beta.11", "0.0.3", "0.2.5", "0.0.0", "2.0.0", "1.0.0", "1.3.0-0",
    "v1.2.4", "1.2", "1", "0.5.0", "1.2.3+meta", "1.2.3-alpha+meta", "1.2.3-Beta", "1.2.3-beta.-1",
]  # fmt: skip


def _helm_compare(constraint: str, version: str) -> str:
    out = helm_render_snippet(
        "{{ semverCompare .Values.c .Values.v }}", json.dumps({"c": constraint, "v": version})
    )
    assert isinstance(out, str), out
    return out


@needs_helm
@pytest.mark.parametrize("constraint", CONSTRAINTS)
def test_semver_compare_like_helm(constraint: str) -> None:
    for version in VERSIONS:
        assert str(semverCompare(constraint, version)).lower() == _helm_compare(constraint, version), version


@pytest.mark.parametrize(
    ("constraint", "version", "expected"),
    [
        # v3.3.0 constraintNotEqual: a non-dirty "!=" accepts prereleases (v3.4.0 rejects them).
        ("!=1.2.3", "1.2.3-beta", True),
        ("!=1.2.3", "1.3.0-0", True),
        ("!=1.2.3", "1.2.3", False),
    ],
)
def test_semver_v3_3_0_not_equal_with_prerelease(constraint: str, version: str, expected: bool) -> None:
    assert semverCompare(constraint, version) is expected


@pytest.mark.parametrize(
    ("constraint", "version", "message"),
    [
        ("", "1.2.3", "improper constraint: "),
        ("foo", "1.2.3", "improper constraint: foo"),
        (">1 <", "1.2.3", "improper constraint: >1 <"),
        (">=18446744073709551616", "1.0.0", "constraint Parser Error"),
        ("*", "foo", "Invalid Semantic Version"),
        ("*", "1.2.3.4", "Invalid Semantic Version"),
        ("*", "1.2.3-01", "Version segment starts with 0"),
        ("*", "1.2.3-a_b", "Invalid Semantic Version"),
        (
            "*",
            "99999999999999999999.0.0",
            'Error parsing version segment: strconv.ParseUint: parsing "99999999999999999999": value out of range',
        ),
    ],
)
def test_semver_v3_3_0_error_texts(constraint: str, version: str, message: str) -> None:
    with pytest.raises(GoFuncError) as e:
        semverCompare(constraint, version)
    assert str(e.value) == message


@needs_helm
@pytest.mark.parametrize(
    ("constraint", "version"),
    [("", "1.0.0"), ("*", "foo"), ("*", "1.2.3-01"), (">=18446744073709551616", "1.0.0")],
)
def test_errors_are_errors_in_helm_too(constraint: str, version: str) -> None:
    out = helm_render_snippet(
        "{{ semverCompare .Values.c .Values.v }}", json.dumps({"c": constraint, "v": version})
    )
    assert isinstance(out, HelmFailure)
    with pytest.raises(GoFuncError) as e:
        semverCompare(constraint, version)
    assert str(e.value).lower() in out.message.lower().replace('"', "")


def test_version_object_methods() -> None:
    v = semver("v1.2.3-rc.1+b5")
    assert isinstance(v, Version) and v.go_type == "*semver.Version" and v.go_kind == "ptr"
    assert v.go_format() == "1.2.3-rc.1+b5" and v.go_json() == "1.2.3-rc.1+b5"
    assert v.go_Major() == 1 and isinstance(v.go_Major(), Uint64)
    assert (v.go_Minor(), v.go_Patch(), v.go_Prerelease(), v.go_Metadata()) == (2, 3, "rc.1", "b5")
    assert v.go_Original() == "v1.2.3-rc.1+b5"
    inc = v.go_IncMajor()
    assert inc.go_type == "semver.Version" and inc.go_format() == "2.0.0"
    assert inc.go_method("Original") is None  # pointer-receiver method, not in a value's method set
    assert inc.go_method("Major") is not None
    assert v.go_IncPatch().go_format() == "1.2.3" and semver("1.2.3").go_IncPatch().go_format() == "1.2.4"
    assert v.go_IncMinor().go_format() == "1.3.0"
    assert semver("1.2.3").go_Compare(semver("1.2.4")) == -1
    assert semver("1.0").go_Equal(semver("1.0.0"))
    with pytest.raises(GoFuncError, match="Version segment starts with 0"):
        semver("1.2.3").go_SetPrerelease("x.01")


@given(st.tuples(st.integers(0, 50), st.integers(0, 50), st.integers(0, 50)))
def test_exact_constraint_matches_itself(parts: tuple[int, int, int]) -> None:
    v = "%d.%d.%d" % parts  # noqa: UP031
    assert semverCompare("=" + v, v) and semverCompare(">=" + v, v) and not semverCompare(">" + v, v)

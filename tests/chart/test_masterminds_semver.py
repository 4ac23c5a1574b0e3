"""hooklint.semver, the one Masterminds/semver v3.3.0 port behind Chart.yaml checks and Sprig's
semver/semverCompare.

Where the chart-side and template-side ports used to disagree (Python `re` reading `\\s` and `$`
unlike Go's regexp), Helm decides: `1.2.3\\n` is not a version, `>=1.0\\v` is no constraint."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from helm_oracle import HAVE_HELM, HelmFailure, helm_render, helm_render_snippet, write_chart
from hypothesis import given, settings
from hypothesis import strategies as st

from hooklint import semver
from hooklint.chart import load_chart
from hooklint.errors import ChartError
from hooklint.gotemplate.gotypes import GoFuncError
from hooklint.gotemplate.sprig.regex import GoRegexp, compile_go
from hooklint.gotemplate.sprig.semver import semver_compare_v35

needs_helm = pytest.mark.skipif(not HAVE_HELM, reason="helm_python not installed")

# Inputs the two former ports answered differently; Helm (Go's regexp) rejects each of them.
NOT_VERSIONS = ["1.2.3\n", "v1\n", "1.2.3-a\n", "1.2.3+m\n"]
NOT_CONSTRAINTS = [">=1.0\v", "\v>=1.0", "\u00a0>=1.0", ">=1.0\u2003", ">=1.0\x85", ">=1.0\x1c", ">=1\v<2"]


@pytest.mark.parametrize("version", NOT_VERSIONS)
def test_trailing_newline_is_no_version(version: str) -> None:
    assert not semver.is_valid_semver(version)
    with pytest.raises(semver.SemverError, match="^Invalid Semantic Version$"):
        semver.parse_version(version)


@pytest.mark.parametrize("constraint", NOT_CONSTRAINTS)
def test_non_go_whitespace_is_no_constraint(constraint: str) -> None:
    assert not semver.is_compatible_range(constraint, "1.2.3")
    with pytest.raises(semver.SemverError, match="^improper constraint: "):
        semver.parse_constraints(constraint)


def test_go_whitespace_and_newline_still_separate_constraints() -> None:
    assert semver.is_compatible_range(">=1.0\n", "1.2.3")
    assert semver.is_compatible_range(">=1\n<2", "1.2.3") and not semver.is_compatible_range(
        ">=1\t<2", "2.0.0"
    )


@needs_helm
@pytest.mark.parametrize(
    ("constraint", "version"),
    [("*", v) for v in NOT_VERSIONS] + [(c, "1.2.3") for c in NOT_CONSTRAINTS] + [(">=1.0\n", "1.2.3")],
)
def test_semver_compare_whitespace_like_helm(constraint: str, version: str) -> None:
    out = helm_render_snippet(
        "{{ semverCompare .Values.c .Values.v }}", json.dumps({"c": constraint, "v": version})
    )
    if isinstance(out, HelmFailure):
        with pytest.raises(GoFuncError) as e:
            semver_compare_v35(constraint, version)
        assert out.message.endswith("error calling semverCompare: " + str(e.value))
    else:
        assert str(semver_compare_v35(constraint, version)).lower() == out


@needs_helm
def test_chart_version_with_trailing_newline_is_invalid_like_helm(tmp_path: Path) -> None:
    chart = write_chart(
        tmp_path, {"Chart.yaml": "apiVersion: v2\nname: x\nversion: |\n  1.2.3\n", "templates/a.yaml": "a: 1"}
    )
    out = helm_render(chart)
    assert isinstance(out, HelmFailure)
    with pytest.raises(ChartError) as e:
        load_chart(chart)
    assert e.value.message == out.message == 'validation: chart.metadata.version "1.2.3\\n" is invalid'


# --- the Python patterns match like Masterminds' Go regexps --------------------------------

_CV = (
    r"v?([0-9|x|X|\*]+)(\.[0-9|x|X|\*]+)?(\.[0-9|x|X|\*]+)?"
    r"(-([0-9A-Za-z\-]+(\.[0-9A-Za-z\-]+)*))?"
    r"(\+([0-9A-Za-z\-]+(\.[0-9A-Za-z\-]+)*))?"
)
_OPS = r"=||!=|>|<|>=|=>|<=|=<|~|~>|\^"
# Verbatim from Masterminds/semver v3.3.0 version.go and constraints.go.
GO_VERSION = compile_go(
    r"^v?([0-9]+)(\.[0-9]+)?(\.[0-9]+)?(-([0-9A-Za-z\-]+(\.[0-9A-Za-z\-]+)*))?(\+([0-9A-Za-z\-]+(\.[0-9A-Za-z\-]+)*))?$"
)
GO_CONSTRAINT = compile_go(rf"^\s*({_OPS})\s*({_CV})\s*$")
GO_RANGE = compile_go(rf"\s*({_CV})\s+-\s+({_CV})\s*")
GO_FIND = compile_go(rf"({_OPS})\s*({_CV})")
GO_VALID = compile_go(rf"^(\s*({_OPS})\s*({_CV})\s*)((?:\s+|,\s*)({_OPS})\s*({_CV})\s*)*$")

TEXT = st.text(alphabet="0123456789.vxX*|-+aZ=<>!~^, \t\n\v\f\r\u00a0\u2003\x85", max_size=24)


def _go_groups(regexp: GoRegexp, s: str) -> list[str | None] | None:
    b = s.encode()
    spans = regexp.execute(b, 0)
    if spans is None:
        return None
    return [b[spans[i] : spans[i + 1]].decode() if spans[i] >= 0 else None for i in range(0, len(spans), 2)]


def _go_all(regexp: GoRegexp, s: str) -> list[str]:
    b = s.encode()
    return [b[a[0] : a[1]].decode() for a in regexp.all_matches(b, len(b) + 1)]


@settings(max_examples=300)
@given(TEXT)
def test_patterns_match_like_go(s: str) -> None:
    py = semver._patterns()
    for go, ours in ((GO_VERSION, semver._VERSION_RE), (GO_CONSTRAINT, py.constraint), (GO_VALID, py.valid)):
        m = ours.match(s)
        assert _go_groups(go, s) == (None if m is None else [m.group(0), *m.groups()])
    assert _go_all(GO_RANGE, s) == [m.group(0) for m in py.range.finditer(s)]
    assert _go_all(GO_FIND, s) == [m.group(0) for m in py.find.finditer(s)]

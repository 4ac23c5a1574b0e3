"""Sprig date functions on the Go time port: layouts, zones, parsing, durations vs Helm."""

from __future__ import annotations

import json
import re

import pytest
from helm_oracle import HAVE_HELM, HelmFailure, helm_render_snippet
from hypothesis import given
from hypothesis import strategies as st

from hooklint.gotemplate.gofmt import format_value
from hooklint.gotemplate.gotypes import GoFuncError, Int64
from hooklint.gotemplate.sprig import dates as D

needs_helm = pytest.mark.skipif(not HAVE_HELM, reason="helm_python not installed")


def _helm(template: str, values: dict[str, object] | None = None) -> str:
    out = helm_render_snippet(template, json.dumps(values or {}))
    if isinstance(out, HelmFailure):
        return "ERR:" + out.message.split("error calling ", 1)[-1].split(": ", 1)[-1]
    return out


def _ours(thunk: object) -> str:
    try:
        v = thunk()  # type: ignore[operator]
    except GoFuncError as e:
        return "ERR:" + str(e)
    return v if isinstance(v, str) else format_value(v)


LAYOUTS = [
    "2006-01-02 15:04:05.000 MST -0700 Z07:00",
    "Mon Jan _2 15:04:05 2006",
    "Monday January 2 3:4:5 PM pm 06 __2 002",
    ".9 .999 ,000 .000000000 .999999999",
    "Z0700 Z07 -07 -070000 -07:00:00 Z070000 Z07:00:00",
    "_2006 2006_2 Janx Jan Monx Mont 01/02/06",
    "15h04m",
    "",
]
STAMPS = [
    ("2006-01-02 15:04:05.999999999 -0700", "2024-03-05 07:08:09.012345678 +0530"),
    ("2006-01-02 15:04:05.999999999 -0700", "1999-12-31 23:59:59.5 -0000"),
    ("2006-01-02", "0001-01-01"),
]
ZONES = ["UTC", "America/New_York", "Asia/Kolkata", "Europe/Berlin", "bogus", "Local", ""]


@needs_helm
@pytest.mark.parametrize("layout", LAYOUTS)
def test_format_layouts_and_zones_like_helm(layout: str) -> None:
    for parse_layout, value in STAMPS:
        for zone in ZONES:
            values = {"l": layout, "pl": parse_layout, "v": value, "z": zone}
            theirs = _helm("{{ dateInZone .Values.l (toDate .Values.pl .Values.v) .Values.z }}", values)
            assert (
                _ours(lambda pl=parse_layout, v=value, z=zone: D.dateInZone(layout, D.toDate(pl, v), z))
                == theirs
            )


@needs_helm
@pytest.mark.parametrize("epoch", [0, 86399, 1700000000, -1, 253402300799])
def test_epochs_like_helm(epoch: int) -> None:
    layout = LAYOUTS[0]
    assert D.date(layout, epoch) == _helm("{{ date .Values.l %d }}" % epoch, {"l": layout})  # noqa: UP031
    assert D.date(layout, Int64(epoch)) == _helm("{{ date .Values.l (int64 %d) }}" % epoch, {"l": layout})  # noqa: UP031
    assert D.htmlDateInZone(epoch, "Asia/Tokyo") == _helm('{{ htmlDateInZone %d "Asia/Tokyo" }}' % epoch)  # noqa: UP031


PARSES = [
    ("2006-01-02", "x"), ("2006-01-02", "2024-13-01"), ("2006-01-02", "2024-02-30"), ("2006-01-02", "2024-02-29x"),
    ("15:04", "25:00"), ("Jan 2", "jan 5"), ("Jan 2", "Foo 5"), ("2006-01-02 15:04:05", "2024-01-01 10:00:00.123"),
    ("2006-01-02 MST", "2024-01-01 PST"), ("2006-01-02 MST", "2024-01-01 GMT+3"), ("2006-01-02 -0700", "2024-01-01 +2500"),
    ("2006 002", "2024 060"), ("2006 002", "2023 366"), ("3PM", "3AM"), ("3PM", "12AM"), ("3pm", "3XM"),
    ("2006-01-02T15:04:05Z07:00", "2024-06-01T10:11:12.5Z"), ("2006-01-02T15:04:05Z07:00", "2024-06-01T10:11:12+02:00"),
    ("2006-01-02 .000", "2024-01-01 .12"), ("2006-01-02 .999", "2024-01-01 .123456789123"), ("Monday 2006", "Tue 2024"),
    ("2006  01", "2024 01"), ("06", "68"), ("06", "69"), ("Mon Jan _2", "Tue Feb  3"), ("2006 ü", "2024 ü"), ("2006", "2024ü"),
]  # fmt: skip


@needs_helm
@pytest.mark.parametrize(("layout", "value"), PARSES)
def test_parse_like_helm(layout: str, value: str) -> None:
    values = {"l": layout, "v": value}
    assert _ours(lambda: D.mustToDate(layout, value)) == _helm("{{ mustToDate .Values.l .Values.v }}", values)
    assert _ours(lambda: D.toDate(layout, value)) == _helm("{{ toDate .Values.l .Values.v }}", values)


DURATIONS = [
    "1h", "-1.5h", "1h30m", "300ms", "1.5us", "1.5µs", ".5s", "5.s", "0", "-0", "", "x", "1", "1x", "1.h", ".h",
    "9223372036854775807ns", "9223372036854775808ns", "-9223372036854775808ns", "1.0000000001s", "1h-1m", "3ö",
]  # fmt: skip


@needs_helm
@pytest.mark.parametrize("d", DURATIONS)
def test_date_modify_and_duration_round_like_helm(d: str) -> None:
    base = D.toDate("2006", "2000")
    assert _ours(lambda: D.mustDateModify(d, base)) == _helm(
        '{{ toDate "2006" "2000" | mustDateModify .Values.d }}', {"d": d}
    )
    assert _ours(lambda: D.dateModify(d, base)) == _helm(
        '{{ toDate "2006" "2000" | dateModify .Values.d }}', {"d": d}
    )
    assert D.durationRound(d) == _helm("{{ durationRound .Values.d }}", {"d": d})


@needs_helm
@pytest.mark.parametrize("s", ["0", "59", "3661", "-90", "99999999999999999999", "+5", "1.5", "", "1_0"])
def test_duration_strings_like_helm(s: str) -> None:
    assert D.duration(s) == _helm("{{ duration .Values.s }}", {"s": s})


def test_duration_argument_types_follow_sprig_switch() -> None:
    assert D.duration(95) == "0s"  # int is not int64: Sprig's default case
    assert D.duration(95.0) == "0s"
    assert D.duration(Int64(95)) == "1m35s"
    assert D.durationRound(Int64(3600 * 10**9)) == "60m"


@given(st.integers(min_value=-(1 << 63), max_value=(1 << 63) - 1))
def test_duration_string_round_trips_through_parse(ns: int) -> None:
    text = D.duration_string(ns)
    assert D.parse_duration(text) == ns


# Go parses only years 0000..9999.
@given(st.integers(min_value=-62167219200, max_value=253402300799), st.integers(0, 999_999_999))
def test_rfc3339_format_then_parse_is_identity(sec: int, nsec: int) -> None:
    t = D.GoTime(sec, nsec, D.UTC)
    layout = "2006-01-02T15:04:05.999999999Z07:00"
    back = D.parse_in_location(layout, t.format(layout), D.UTC)
    assert (back.sec, back.nsec) == (sec, nsec)


def test_now_and_ago_shapes() -> None:
    assert re.fullmatch(
        r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(\.\d+)? [+-]\d{4} \S+ m=\+\d+\.\d{9}", D.now().string()
    )
    assert D.ago(D.now()) == "0s"
    assert D.ago(1.5) == "0s"  # float64 is "now" for Sprig
    assert D.now().go_method("Year") is not None


def test_time_object_as_templates_see_it() -> None:
    t = D.toDate("2006-01-02 15:04:05", "2024-03-05 07:08:09")
    assert (
        t.go_Year(),
        t.go_Month().go_format(),
        t.go_Day(),
        t.go_Weekday().go_format(),
        t.go_YearDay(),
    ) == (
        2024,
        "March",
        5,
        "Tuesday",
        65,
    )
    assert t.go_json() == "2024-03-05T07:08:09Z"
    assert D.unixEpoch(t) == "1709622489"
    if HAVE_HELM:
        sub = '{{ (toDate "2006-01-02 15:04:05" "2024-03-05 07:08:09").Sub (toDate "2006" "2024") }}'
        assert t.go_Sub(D.toDate("2006", "2024")).go_format() == _helm(sub)

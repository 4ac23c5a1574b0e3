"""JUnit output: well-formed XML whatever a chart's annotations hold, and info findings are not
failures."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from hypothesis import given
from hypothesis import strategies as st

from hooklint.documents.source import SourcePos
from hooklint.lint.finding import Finding
from hooklint.report import findings_junit


def finding(severity: str, message: str) -> Finding:
    return Finding("HL101", "hook-weight", severity, message, SourcePos("c/templates/job.yaml", 7, 5),
                   chart_dir="c")


@given(st.text())
def test_any_message_makes_well_formed_xml(message: str) -> None:
    xml = findings_junit.render([finding("error", message)], ["c"])
    root = ET.fromstring(xml.encode("utf-8", "surrogatepass"))
    failure = root.find("./testsuite/testcase/failure")
    assert failure is not None


def test_control_characters_are_shown_and_info_passes() -> None:
    xml = findings_junit.render([finding("error", "bad \x1b[31m\x00 value"), finding("info", "just so")], ["c"])
    root = ET.fromstring(xml)
    assert root.get("failures") == "1" and root.get("tests") == "2"
    cases = root.findall("./testsuite/testcase")
    assert cases[0].find("failure").get("message") == "bad \\x1b[31m\\x00 value"  # type: ignore[union-attr]
    assert cases[1].find("failure") is None and "just so" in (cases[1].findtext("system-out") or "")

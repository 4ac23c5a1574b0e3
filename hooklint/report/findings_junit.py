"""JUnit XML: one test case per chart and finding; errors and warnings are failures, info
findings pass (their text in system-out), as CI dashboards count them. Characters XML 1.0 cannot
hold (ESC, NUL and other controls a chart's annotations may carry) are written as `\\xNN`."""

from __future__ import annotations

import re
from xml.sax.saxutils import escape, quoteattr

from hooklint.lint.finding import Finding

# What XML 1.0 forbids even as character references: C0 controls but tab, LF and CR; surrogates;
# U+FFFE and U+FFFF.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _clean(text: str) -> str:
    return _NOT_XML.sub(lambda m: f"\\x{ord(m.group()):02x}" if ord(m.group()) < 0x100 else f"\\u{ord(m.group()):04x}",
                        text)


def _attr(text: str) -> str:
    return quoteattr(_clean(text))


def render(findings: list[Finding], charts: list[str]) -> str:
    by_chart: dict[str, list[Finding]] = {c: [] for c in charts}
    for f in findings:
        by_chart.setdefault(f.chart_dir, []).append(f)
    failures = sum(f.severity != "info" for f in findings)
    out = ['<?xml version="1.0" encoding="UTF-8"?>',
           f'<testsuites name="hooklint" tests="{max(len(findings), len(by_chart))}" failures="{failures}">']
    for chart in sorted(by_chart):
        fs = by_chart[chart]
        failing = sum(f.severity != "info" for f in fs)
        out.append(f'  <testsuite name={_attr(chart)} tests="{max(len(fs), 1)}" failures="{failing}">')
        if not fs:
            out.append(f'    <testcase classname={_attr(chart)} name="hooklint"/>')
        for f in fs:
            name = f"{f.rule} {f.file}:{f.line}"
            text = escape(_clean(f"{f.file}:{f.line}:{f.column}: {f.severity} {f.rule} {f.message}"))
            out.append(f'    <testcase classname={_attr(chart)} name={_attr(name)}>')
            if f.severity == "info":
                out.append(f"      <system-out>{text}</system-out>")
            else:
                out.append(f'      <failure type={_attr(f.severity)} message={_attr(f.message)}>{text}</failure>')
            out.append("    </testcase>")
        out.append("  </testsuite>")
    out.append("</testsuites>")
    return "\n".join(out) + "\n"

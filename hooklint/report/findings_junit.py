"""JUnit XML: one test case per chart and rule that ran, failures for findings."""

from __future__ import annotations

from xml.sax.saxutils import escape, quoteattr

from hooklint.lint.finding import Finding


def render(findings: list[Finding], charts: list[str]) -> str:
    by_chart: dict[str, list[Finding]] = {c: [] for c in charts}
    for f in findings:
        by_chart.setdefault(f.chart_dir, []).append(f)
    out = ['<?xml version="1.0" encoding="UTF-8"?>',
           f'<testsuites name="hooklint" tests="{max(len(findings), len(by_chart))}" failures="{len(findings)}">']
    for chart in sorted(by_chart):
        fs = by_chart[chart]
        out.append(f'  <testsuite name={quoteattr(chart)} tests="{max(len(fs), 1)}" failures="{len(fs)}">')
        if not fs:
            out.append(f'    <testcase classname={quoteattr(chart)} name="hooklint"/>')
        for f in fs:
            name = f"{f.rule} {f.file}:{f.line}"
            out.append(f'    <testcase classname={quoteattr(chart)} name={quoteattr(name)}>')
            out.append(f'      <failure type={quoteattr(f.severity)} message={quoteattr(f.message)}>'
                       f'{escape(f"{f.file}:{f.line}:{f.column}: {f.severity} {f.rule} {f.message}")}</failure>')
            out.append("    </testcase>")
        out.append("  </testsuite>")
    out.append("</testsuites>")
    return "\n".join(out) + "\n"

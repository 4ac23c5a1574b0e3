"""The rule engine: rule catalogue (rules/*.yaml), configuration, suppressions and the lint pipeline.

The checks themselves live in `hooklint.checks`; reporters in `hooklint.report.findings_*`.
"""

"""Property: whatever bytes a chart's Chart.yaml, values.yaml or a template holds, and whatever
a `--set` string says, hooklint answers with output or a clear error - never exit 3, never a
traceback, never a hang."""

from __future__ import annotations

import tempfile
from pathlib import Path

from broken_inputs import BASE_FILES, ChartCase, write_chart
from cli_harness import problems, run_cli
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

# Bytes biased towards what the parsers care about: template delimiters, YAML indicators.
TOKENS = [b"{{", b"}}", b"{{-", b"-}}", b"\n", b"\t", b": ", b"- ", b"&a ", b"*a", b"|", b"(", b")", b"$x",
          b".Values.", b'"', b"`", b" end ", b" range ", b" define ", b" include ", b"---\n", b"\xff", b"\x00",
          b"[", b"]", b"{", b"}", b"#", b"'", b" tpl ", b" toYaml ", b" fail "]
chunks = st.lists(st.one_of(st.sampled_from(TOKENS), st.binary(max_size=12)), max_size=30).map(b"".join)
TARGETS = ("Chart.yaml", "values.yaml", "templates/job.yaml", "templates/_helpers.tpl")
SETTINGS = settings(max_examples=25, deadline=None, derandomize=True,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


def _check(files: dict[str, bytes], argv_tail: list[str], commands: tuple[str, ...] = ("render", "lint")) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        chart = str(write_chart(Path(tmp), ChartCase("random", files)))
        for command in commands:
            result = run_cli([command, chart, *argv_tail], timeout=20)
            assert not problems(result), (command, files, result.output[:2000])


@SETTINGS
@given(target=st.sampled_from(TARGETS), data=chunks)
def test_random_bytes_in_one_file(target: str, data: bytes) -> None:
    _check({target: data}, [])


@SETTINGS
@given(target=st.sampled_from(TARGETS), cut=st.integers(min_value=0, max_value=400), insert=chunks)
def test_base_file_cut_and_spliced(target: str, cut: int, insert: bytes) -> None:
    """Valid files broken in one place: the parsers get further than with pure noise."""
    original = BASE_FILES[target] if target in BASE_FILES else b""
    at = min(cut, len(original))
    _check({target: original[:at] + insert + original[at:]}, [], ("render", "plan", "lint"))


@SETTINGS
@given(flag=st.sampled_from(["--set", "--set-string", "--set-json", "--set-literal"]),
       value=st.text(alphabet=st.sampled_from("ab.=,[]0\\{}\"' :1-"), max_size=25))
def test_random_set_strings(flag: str, value: str) -> None:
    _check({}, [flag, value], ("render",))

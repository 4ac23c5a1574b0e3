"""The direct block writer produces exactly the emitter's text whenever it takes a value
(for any value: it must give up rather than differ), and it takes the common ones."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from hooklint.gotemplate.yaml_block import write_block
from hooklint.gotemplate.yaml_encode import Emitter, YAMLEncodeError, collect_events, to_yaml

_PIECES = list("ab Z09-_:#'\"\\{}[],&*!|>%@`?é\t\n\r") + ["\u2028", "\x85", "  ", "\n\n", "yes", "1.5"]
_TEXT = st.lists(st.sampled_from(_PIECES), max_size=10).map("".join)
_LONG = st.builds(lambda w, n: " ".join([w] * n), st.sampled_from(["word", "a-b", "x"]), st.integers(1, 30))
_SCALARS = st.one_of(st.none(), st.booleans(), st.integers(-5, 10**20), st.floats(allow_nan=False, allow_infinity=False),
                     _TEXT, _LONG)
_KEYS = st.one_of(_TEXT, st.sampled_from(["a", "b", "name", "x" * 130, "true", "1"]))
_VALUES = st.recursive(
    _SCALARS,
    lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(_KEYS, inner, max_size=4)),
    max_leaves=15,
)


def _events(value: object) -> list[tuple[int, str, str]] | None:
    events: list[tuple[int, str, str]] = []
    try:
        collect_events(value, events)
    except YAMLEncodeError:
        return None
    return events


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.dictionaries(_KEYS, _VALUES, min_size=1, max_size=5), st.lists(_VALUES, min_size=1, max_size=5)))
def test_block_writer_equals_emitter(value: object) -> None:
    events = _events(value)
    if events is None:
        return
    fast = write_block(events)
    if fast is not None:
        assert fast == Emitter(events).run()


def test_block_writer_takes_typical_values() -> None:
    value = {
        "metadata": {"name": "x", "labels": {"app.kubernetes.io/name": "x", "helm.sh/chart": "x-1.0.0"}},
        "spec": {
            "replicas": 3,
            "ports": [{"name": "http", "port": 80}, {"name": "https", "port": 443}],
            "args": ["--a=1", "--b", "true", "1.5", ""],
            "empty": {},
            "none": [],
            "config": "line one\nline two\n",
            "script": "#!/bin/sh\nexec foo\n\n",
            "nested": [[1, 2], [{"a": None}]],
            "note": "it's",
        },
    }
    events = _events(value)
    assert events is not None and write_block(events) is not None
    assert to_yaml(value) == Emitter(events).run()

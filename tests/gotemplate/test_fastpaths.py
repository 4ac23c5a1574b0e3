"""Fast paths equal the general code they shortcut, for all inputs: strconv.Quote and
encoding/json string encoding of plain ASCII and of valid UTF-8, toYaml's one-pass event collection, its
digit-free key sort (goyaml.v2 sorter.go) and its line-at-a-time literal blocks, fmt's %v of
a large []byte by translating digit columns, Sprintf of formats with only %s, %v and %d."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hooklint.gotemplate import gofmt, gojson, yaml_encode

# Go strings: any code point, with invalid UTF-8 bytes as surrogate escapes (gofmt.go_bytes).
_GO_TEXT = st.text(
    alphabet=st.one_of(
        st.characters(blacklist_categories=("Cs",)),
        st.sampled_from(["\udc80", "\udcff", '"', "\\", "<", ">", "&", "\x7f", "\u2028", "\u2029", "\n", "\x01", "\ufffd"]),
    ),
    max_size=12,
)


@settings(max_examples=500, deadline=None)
@given(_GO_TEXT)
def test_quote_fast_path(s: str) -> None:
    assert gofmt.quote(s) == gofmt._quote_runes(s, '"', False)
    assert gofmt.quote_to_ascii(s) == gofmt._quote_runes(s, '"', True)


@settings(max_examples=500, deadline=None)
@given(_GO_TEXT, st.booleans())
def test_json_string_fast_path(s: str, escape_html: bool) -> None:
    fast = gojson._encode_string(s, escape_html)
    mp = pytest.MonkeyPatch()
    never = re.compile(r"(?!)")
    mp.setattr(gojson, "_JSON_PLAIN", never)
    mp.setattr(gojson, "_JSON_PLAIN_HTML", never)
    try:
        assert fast == gojson._encode_string(s, escape_html)  # the escaping regex, or the rune loop
    finally:
        mp.undo()
    assert fast == gojson._encode_runes(s, escape_html)  # the rune loop, whatever the string holds


_KEYS = st.text(alphabet=st.sampled_from("aAbZ_-.é0719 "), max_size=6)


@settings(max_examples=500, deadline=None)
@given(st.lists(_KEYS, unique=True, max_size=8))
def test_sorted_keys_equals_sorter_go(keys: list[str]) -> None:
    assert yaml_encode.sorted_keys(list(keys)) == sorted(keys, key=yaml_encode._sort_key)


_SCALARS = st.one_of(
    st.none(), st.booleans(), st.integers(-(2**63), 2**64 - 1),
    st.floats(allow_nan=False, allow_infinity=False), _GO_TEXT.filter(lambda s: "\x85" not in s),
)
_VALUES = st.recursive(
    _SCALARS,
    lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(_KEYS, inner, max_size=4)),
    max_leaves=20,
)


@settings(max_examples=300, deadline=None)
@given(_VALUES)
def test_collect_events_equals_roundtrip_events(value: object) -> None:
    try:
        want = list(yaml_encode._events(yaml_encode.json_roundtrip(value)))
    except yaml_encode.YAMLEncodeError as e:
        with pytest.raises(yaml_encode.YAMLEncodeError, match=re.escape(str(e))):
            yaml_encode.collect_events(value, [])
        return
    got: list[tuple[int, str, str]] = []
    yaml_encode.collect_events(value, got)
    assert got == want


# Multi-line strings (toYaml writes them as literal blocks), nested at several indents.
_LINES = st.lists(st.sampled_from(["", " ", "a", "  b c", "x:", "- y", "\t", "é", "#"]), min_size=1, max_size=5)
_MULTILINE = st.builds(lambda lines, end: "\n".join(lines) + end, _LINES, st.sampled_from(["", "\n", "\n\n"]))
_BLOCKS = st.recursive(
    _MULTILINE | st.sampled_from(["a", "", "1"]),
    lambda inner: st.one_of(st.lists(inner, max_size=3), st.dictionaries(_KEYS, inner, max_size=3)),
    max_leaves=8,
)


@settings(max_examples=300, deadline=None)
@given(_BLOCKS)
def test_literal_block_lines_equal_the_character_loop(value: object) -> None:
    fast = yaml_encode.to_yaml(value)
    mp = pytest.MonkeyPatch()
    mp.setattr(yaml_encode, "_only_newline_breaks", lambda _value: False)
    try:
        assert fast == yaml_encode.to_yaml(value)
    finally:
        mp.undo()


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=300), st.sampled_from([0, 1, 2, 3]), st.sampled_from([0, 2, 50, 10**9]),
       st.sampled_from([0, 100, 600, 1 << 25]))
def test_long_bytes_print_like_bytes(data: bytes, digits_from: int, cache_from: int, cache_chars: int) -> None:
    mp = pytest.MonkeyPatch()
    mp.setattr(gofmt, "_DIGITS_FROM", digits_from)  # the digit-column path from (nearly) any length
    mp.setattr(gofmt, "_CACHE_FROM", cache_from)  # and the cache of long ones, from any length
    mp.setattr(gofmt, "_CACHE_CHARS", cache_chars)  # full after none, some or all of them
    mp.setattr(gofmt, "_BYTES_CACHE", {})
    mp.setattr(gofmt, "_cached_chars", 0)
    want = "[" + " ".join(str(b) for b in data) + "]"
    try:
        assert gofmt.format_value(data) == want
        assert gofmt.sprintf("%v|%d", data, data) == want + "|" + want  # the second print of it may be cached
        other = bytes(reversed(data))  # another object (id): never the first one's text
        assert gofmt.format_value(other) == "[" + " ".join(str(b) for b in other) + "]"
        assert gofmt.format_value(data) == want
    finally:
        mp.undo()


_FORMATS = st.lists(st.sampled_from(["%s", "%v", "%d", "%%", "%", "%5s", "%q", "-", "a", "é", "%x", "%[1]s"]),
                    max_size=6).map("".join)
_OPERANDS = st.lists(st.one_of(_GO_TEXT, st.integers(-(2**63), 2**63 - 1), st.booleans(), st.none(),
                               st.floats(allow_nan=False), st.just(b"ab")), max_size=5)


@settings(max_examples=500, deadline=None)
@given(_FORMATS, _OPERANDS)
def test_simple_printf_formats_print_like_the_printer(fmt: str, args: list[object]) -> None:
    fast = gofmt.sprintf(fmt, *args)
    mp = pytest.MonkeyPatch()
    mp.setattr(gofmt, "_simple_format", lambda _fmt: None)
    mp.setattr(gofmt, "_SIMPLE_FORMATS", {})
    try:
        assert fast == gofmt.sprintf(fmt, *args)
    finally:
        mp.undo()

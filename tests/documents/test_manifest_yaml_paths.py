"""parse_yaml has two converters: the general one (go-yaml's alias bookkeeping) for documents with
an anchor, and a lighter one for the documents without (nearly all). A trailing comment holding
`&` sends a document down the general path without changing its value or its key offsets, so the
two must agree on every document: values (types included), key offsets, root offset, errors."""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from hooklint.documents.manifests_yaml import YamlSyntaxError, parse_yaml

# Plain scalars go-yaml resolves to ints, floats, bools, nulls, timestamps kept as strings, or
# strings that look like them; and the merge key.
_WORDS = ["1", "-0", "+7", "0x1F", "0o17", "0777", "0b101", "1_000", "1e3", "-.5", ".inf", "-.Inf", ".nan",
          "yes", "No", "on", "OFF", "~", "null", "true", "2001-12-14", "2001-12-14T21:59:43Z", "1:30",
          "18446744073709551615", "9223372036854775808", "a", "app.kubernetes.io/name", "x y", "<<"]


def _scalar(word: str, style: int) -> str:
    if style == 0 or word == "":
        return word or '""'
    return f"'{word}'" if style == 1 else f'"{word}"'


_leaf = st.builds(_scalar, st.sampled_from(_WORDS), st.integers(0, 2))


def _block(value: Any, indent: int) -> list[str]:
    pad = " " * indent
    if isinstance(value, list):
        out = []
        for item in value:
            if isinstance(item, str):
                out.append(f"{pad}- {item}")
            else:
                out.append(f"{pad}-")
                out.extend(_block(item, indent + 2))
        return out or [f"{pad}[]"]
    out = []
    for key, item in value:
        if isinstance(item, str):
            out.append(f"{pad}{key}: {item}")
        else:
            out.append(f"{pad}{key}:")
            out.extend(_block(item, indent + 2))
    return out or [f"{pad}{{}}"]


_tree = st.recursive(
    _leaf,
    lambda children: st.one_of(
        st.lists(children, max_size=4),
        # a mapping: a tuple of (key, value) pairs, duplicate keys and `<<` included
        st.lists(st.tuples(_leaf, children), max_size=4).map(tuple),
    ),
    max_leaves=25,
)


def _parsed(text: str) -> tuple[Any, ...]:
    try:
        p = parse_yaml(text)
    except YamlSyntaxError as e:
        return ("error", str(e))
    return (repr(p.value), p.key_offsets, p.root_offset)


@settings(max_examples=300, deadline=None)
@given(_tree)
def test_documents_without_anchors_parse_as_with_alias_bookkeeping(tree: Any) -> None:
    text = "\n".join(_block(tree, 0) if not isinstance(tree, str) else [tree]) + "\n"
    assert "&" not in text
    assert _parsed(text) == _parsed(text + "# & an anchor character: the general converter\n")


def test_merge_keys_and_duplicates_on_both_paths() -> None:
    text = "a: 1\n<<: {a: 2, b: 0x10}\nb: yes\nc:\n  <<: [{d: ~}, {d: 1.5}]\n  d: '3'\na: last\n"
    fast, general = _parsed(text), _parsed(text + "# &\n")
    assert fast == general
    assert fast[0] == "{'b': True, 'c': {'d': '3'}, 'a': 'last'}"

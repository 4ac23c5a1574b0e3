"""Look inside one rendered YAML document at the node level.

Helm and the API server see decoded values, but several rules need what decoding hides: whether a
scalar was quoted (an unquoted `5` is an int to Kubernetes), which keys were repeated (the last one
wins silently), and where in the text each field sits. PyYAML's composer keeps all of that; its
resolver follows YAML 1.1 like go-yaml v2 (so `yes`/`on` are booleans for both).
"""

from __future__ import annotations

from collections.abc import Iterator

TYPE_CHECKING = False  # not `typing`'s: importing typing costs ~3 ms of every run
if TYPE_CHECKING:
    from typing import Any, TypeGuard

    from yaml.nodes import Node, ScalarNode

STR_TAG = "tag:yaml.org,2002:str"


def _is(node: Any, kind: str) -> TypeGuard[Node]:
    """PyYAML's node kind (`scalar`, `sequence`, `mapping`) without importing PyYAML."""
    return getattr(node, "id", None) == kind
NULL_TAG = "tag:yaml.org,2002:null"

PathKey = str | int


class Field:
    """A mapping entry (or sequence item, then `key` is None) found by path (a plain slotted
    class: no dataclass to generate at start-up)."""

    __slots__ = ("key", "value")

    def __init__(self, key: ScalarNode | None, value: Node) -> None:
        self.key = key
        self.value = value

    @property
    def anchor(self) -> Node:
        """The node a finding about this field should point at: the key, else the value."""
        return self.key if self.key is not None else self.value


def compose(text: str) -> Node | None:
    """The node tree of a single YAML document, or None if it does not parse.
    PyYAML is imported here, on first use: most lint runs never need a node tree."""
    import yaml

    try:
        return yaml.compose(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))  # type: ignore[no-any-return]
    except yaml.YAMLError:
        return None
    except Exception:  # composer errors on exotic input (e.g. several documents) are not ours to raise
        return None


def entries(node: Node | None) -> Iterator[tuple[ScalarNode, Node]]:
    """The (key, value) pairs of a mapping node whose keys are scalars, in document order."""
    if _is(node, "mapping"):
        for k, v in node.value:
            if _is(k, "scalar"):
                yield k, v  # type: ignore[misc]  # k is a ScalarNode (checked above)


def get(node: Node | None, *path: PathKey) -> Field | None:
    """Follow `path` (mapping keys and sequence indexes); the last duplicate key wins like Helm."""
    cur: Field | None = Field(None, node) if node is not None else None
    for step in path:
        if cur is None:
            return None
        nxt: Field | None = None
        if isinstance(step, int):
            if _is(cur.value, "sequence") and 0 <= step < len(cur.value.value):
                nxt = Field(None, cur.value.value[step])
        else:
            for k, v in entries(cur.value):
                if k.value == step:
                    nxt = Field(k, v)
        cur = nxt
    return cur


def items(node: Node | None) -> list[Node]:
    return list(node.value) if _is(node, "sequence") else []


def is_plain_non_string(node: Node) -> bool:
    """An unquoted scalar that YAML resolves to a number, boolean or null (not a string)."""
    return _is(node, "scalar") and node.tag != STR_TAG


def is_null(node: Node) -> bool:
    return _is(node, "scalar") and node.tag == NULL_TAG


def yaml_type(node: Node) -> str:
    """A short name for what a scalar resolves to: 'integer', 'boolean', 'float', 'null', 'string'."""
    if _is(node, "mapping"):
        return "map"
    if _is(node, "sequence"):
        return "list"
    tag = node.tag.rsplit(":", 1)[-1]
    return {"int": "integer", "bool": "boolean", "float": "float", "null": "null", "str": "string"}.get(tag, tag)


def duplicate_keys(node: Node | None) -> list[tuple[tuple[str, ...], ScalarNode, ScalarNode]]:
    """(path of the mapping, first key, repeated key) for every repeated key, in document order."""
    found: list[tuple[tuple[str, ...], ScalarNode, ScalarNode]] = []
    stack: list[tuple[tuple[str, ...], Node]] = [((), node)] if node is not None else []
    while stack:
        path, n = stack.pop()
        if _is(n, "mapping"):
            seen: dict[str, ScalarNode] = {}
            for k, v in n.value:
                if _is(k, "scalar"):
                    key: ScalarNode = k  # type: ignore[assignment]  # a ScalarNode (checked above)
                    if key.value in seen:
                        found.append((path, seen[key.value], key))
                    else:
                        seen[key.value] = key
                    stack.append(((*path, k.value), v))
        elif _is(n, "sequence"):
            stack.extend(((*path, str(i)), item) for i, item in enumerate(n.value))
    found.sort(key=lambda p: p[2].start_mark.index)
    return found

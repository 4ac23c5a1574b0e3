"""Plain data passed between the stages after rendering (see DESIGN.md's one-way flow).

RenderedFile[] -> manifests.split_documents -> Document[] -> hooks.classify -> Classified
(Hook[] + Resource[] + CRD[] + Dropped[]) -> plan.build_plan -> Plan -> lint / report / execute.

Only plain records here; the functions that build them live in manifests.py, hooks.py, plan.py.
ObjectRef is a hashable value; Document compares by identity (nothing compares documents). Both
are written out rather than dataclasses: generating their methods at import was about 1 ms of
every run (they repr as the dataclasses did).
"""

from __future__ import annotations

from collections.abc import Mapping

from hooklint.documents.source import SourcePos
from hooklint.runtime.records import fields_repr

TYPE_CHECKING = False  # not `typing`'s: importing typing costs ~3 ms of every run
if TYPE_CHECKING:
    from typing import Any


class ObjectRef:
    """The identity of a Kubernetes object as Helm sees it. A value: equal and hashing by its
    fields, immutable."""

    __slots__ = ("api_version", "kind", "name", "namespace")

    api_version: str
    kind: str
    name: str
    namespace: str | None

    def __init__(self, api_version: str, kind: str, name: str, namespace: str | None = None) -> None:
        set_field = object.__setattr__
        set_field(self, "api_version", api_version)
        set_field(self, "kind", kind)
        set_field(self, "name", name)
        set_field(self, "namespace", namespace)

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError(f"cannot assign to field {name!r}")  # (frozen, as the dataclass was)

    def __delattr__(self, name: str) -> None:
        raise AttributeError(f"cannot delete field {name!r}")

    def __eq__(self, other: object) -> bool:
        if other.__class__ is not self.__class__:
            return NotImplemented
        assert isinstance(other, ObjectRef)
        return (self.api_version, self.kind, self.name, self.namespace) == (
            other.api_version, other.kind, other.name, other.namespace)

    def __hash__(self) -> int:
        return hash((self.api_version, self.kind, self.name, self.namespace))

    def __repr__(self) -> str:
        return fields_repr(self)

    def __reduce__(self) -> tuple[Any, ...]:
        return ObjectRef, (self.api_version, self.kind, self.name, self.namespace)

    def to_dict(self) -> dict[str, Any]:
        return {"apiVersion": self.api_version, "kind": self.kind, "name": self.name, "namespace": self.namespace}


class Document:
    """One YAML document of a rendered template, split exactly like Helm's SplitManifests.

    `path`: Helm's template key (`chart/templates/x.yaml`, the `# Source:` value).
    `index`: position of the document inside its file (0-based).
    `text`: the document text as Helm keeps it (trimmed).
    `body`: the parsed YAML (None if it did not parse; then `parse_error` says why).
    `pos`: where the document starts in the template source (via the source map), else in the
    rendered file. `key_pos`: positions of interesting keys, e.g. "metadata.annotations.helm.sh/hook"
    -> SourcePos of that line in the template (falls back to the rendered position).
    `head`: what Helm's classifier decodes (releaseutil.SimpleHead, see
    manifests.decode_simple_head): {"apiVersion": str, "kind": str, "metadata": None | {"name":
    str, "annotations": None | dict[str, str]}}, field names matched case-insensitively and
    scalars coerced to strings.
    """

    _FIELDS = ("path", "index", "text", "body", "parse_error", "pos", "key_pos", "head")

    def __init__(self, path: str, index: int, text: str, body: Any = None, parse_error: str | None = None,
                 pos: SourcePos | None = None, key_pos: Mapping[str, SourcePos] | None = None,
                 head: dict[str, Any] | None = None) -> None:
        self.path = path
        self.index = index
        self.text = text
        self.body = body
        self.parse_error = parse_error
        self.pos = pos
        # manifests.KeyPositions: found on demand
        self.key_pos: Mapping[str, SourcePos] = {} if key_pos is None else key_pos
        self.head = head

    def __repr__(self) -> str:
        return fields_repr(self, self._FIELDS)

    @property
    def kind(self) -> str:
        return str(self.body.get("kind", "")) if isinstance(self.body, dict) else ""

    @property
    def api_version(self) -> str:
        return str(self.body.get("apiVersion", "")) if isinstance(self.body, dict) else ""

    @property
    def metadata(self) -> dict[str, Any]:
        md = self.body.get("metadata") if isinstance(self.body, dict) else None
        return md if isinstance(md, dict) else {}

    @property
    def name(self) -> str:
        n = self.metadata.get("name")
        return "" if n is None else str(n)

    @property
    def annotations(self) -> dict[str, Any]:
        a = self.metadata.get("annotations")
        return a if isinstance(a, dict) else {}

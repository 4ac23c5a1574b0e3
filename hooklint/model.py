"""Plain data passed between the stages after rendering (see DESIGN.md's one-way flow).

RenderedFile[] -> manifests.split_documents -> Document[] -> hooks.classify -> Classified
(Hook[] + Resource[] + CRD[] + Dropped[]) -> plan.build_plan -> Plan -> lint / report / execute.

Only dataclasses here; the functions that build them live in manifests.py, hooks.py, plan.py.
ObjectRef is a hashable value; Document compares by identity (`eq=False`: nothing compares
documents, and each generated method costs start-up time).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from hooklint.documents.source import SourcePos

TYPE_CHECKING = False  # not `typing`'s: importing typing costs ~3 ms of every run
if TYPE_CHECKING:
    from typing import Any


@dataclass(frozen=True)
class ObjectRef:
    """The identity of a Kubernetes object as Helm sees it."""

    api_version: str
    kind: str
    name: str
    namespace: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"apiVersion": self.api_version, "kind": self.kind, "name": self.name, "namespace": self.namespace}


@dataclass(eq=False)
class Document:
    """One YAML document of a rendered template, split exactly like Helm's SplitManifests.

    `path`: Helm's template key (`chart/templates/x.yaml`, the `# Source:` value).
    `index`: position of the document inside its file (0-based).
    `text`: the document text as Helm keeps it (trimmed).
    `body`: the parsed YAML (None if it did not parse; then `parse_error` says why).
    `pos`: where the document starts in the template source (via the source map), else in the
    rendered file. `key_pos`: positions of interesting keys, e.g. "metadata.annotations.helm.sh/hook"
    -> SourcePos of that line in the template (falls back to the rendered position).
    """

    path: str
    index: int
    text: str
    body: Any = None
    parse_error: str | None = None
    pos: SourcePos | None = None
    key_pos: Mapping[str, SourcePos] = field(default_factory=dict)  # manifests.KeyPositions: found on demand
    # What Helm's classifier decodes (releaseutil.SimpleHead, see manifests.decode_simple_head):
    # {"apiVersion": str, "kind": str, "metadata": None | {"name": str, "annotations": None |
    # dict[str, str]}}, field names matched case-insensitively and scalars coerced to strings.
    head: dict[str, Any] | None = None

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

"""Hook annotations parsed exactly as Helm parses them, and Helm's classification of documents.

Source: Helm v3.17.1 `pkg/releaseutil/manifest_sorter.go` (`manifestFile.sort`,
`calculateHookWeight`, `operateAnnotationValues`) and `pkg/release/hook.go`; v4 is the same
apart from the kind order (kinds.py). Quirks kept on purpose:
- one unknown token in `helm.sh/hook` drops the whole document (it is deployed neither as a hook
  nor as a resource);
- duplicate events are kept (the hook then runs twice in that event);
- the weight is `strconv.Atoi` of the raw string: no trimming, anything else is 0;
- every delete-policy element is kept, unknown or empty ones included, and any element at all
  suppresses the default `before-hook-creation`.

The records here compare by identity: nothing compares them. They are plain slotted classes,
not dataclasses: creating a dataclass costs start-up time on every render.
"""

from __future__ import annotations

from enum import Enum

from hooklint.documents.kinds import install_order, sort_by_kind
from hooklint.documents.source import SourcePos
from hooklint.model import Document, ObjectRef
from hooklint.runtime.records import fields_repr

HOOK_ANNOTATION = "helm.sh/hook"
HOOK_WEIGHT_ANNOTATION = "helm.sh/hook-weight"
HOOK_DELETE_ANNOTATION = "helm.sh/hook-delete-policy"
HOOK_OUTPUT_LOG_ANNOTATION = "helm.sh/hook-output-log-policy"  # v3.18+ and v4 only
RESOURCE_POLICY_ANNOTATION = "helm.sh/resource-policy"


class HookEvent(str, Enum):
    PRE_INSTALL = "pre-install"
    POST_INSTALL = "post-install"
    PRE_DELETE = "pre-delete"
    POST_DELETE = "post-delete"
    PRE_UPGRADE = "pre-upgrade"
    POST_UPGRADE = "post-upgrade"
    PRE_ROLLBACK = "pre-rollback"
    POST_ROLLBACK = "post-rollback"
    TEST = "test"

    def __str__(self) -> str:
        return self.value


# manifest_sorter.go `events`: the accepted (trimmed, lowercased) tokens.
EVENT_TOKENS: dict[str, HookEvent] = {e.value: e for e in HookEvent}
EVENT_TOKENS["test-success"] = HookEvent.TEST  # Helm 2 compatibility alias


class HookDeletePolicy(str, Enum):
    BEFORE_HOOK_CREATION = "before-hook-creation"
    HOOK_SUCCEEDED = "hook-succeeded"
    HOOK_FAILED = "hook-failed"

    def __str__(self) -> str:
        return self.value


KNOWN_DELETE_POLICIES = frozenset(p.value for p in HookDeletePolicy)
KNOWN_OUTPUT_LOG_POLICIES = frozenset({"hook-succeeded", "hook-failed"})

_INT_MIN, _INT_MAX = -(1 << 63), (1 << 63) - 1


def go_atoi(raw: str | None) -> int:
    """`strconv.Atoi` as calculateHookWeight uses it: 0 on any error (spaces, decimals, overflow)."""
    if raw is None:
        return 0
    digits = raw[1:] if raw[:1] in ("+", "-") else raw
    if not (digits.isascii() and digits.isdigit()):  # [+-]?[0-9]+ (no regex to compile at start-up)
        return 0
    value = int(raw)
    return value if _INT_MIN <= value <= _INT_MAX else 0


def split_policy_values(raw: str | None) -> list[str]:
    """`operateAnnotationValues`: split on ',', TrimSpace, ToLower; every element kept."""
    if raw is None:
        return []
    return [part.strip(_GO_SPACE_CHARS).lower() for part in raw.split(",")]


_GO_SPACE_CHARS = "\t\n\v\f\r \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000"


def parse_hook_events(raw: str) -> tuple[list[HookEvent], list[str]]:
    """Events of a `helm.sh/hook` value, and the unknown tokens (Helm stops at the first one and
    drops the document; all of them are returned here so a report can name each)."""
    events: list[HookEvent] = []
    unknown: list[str] = []
    for token in raw.split(","):
        norm = token.strip(_GO_SPACE_CHARS).lower()
        event = EVENT_TOKENS.get(norm)
        if event is None:
            unknown.append(token)
        else:
            events.append(event)
    return events, unknown


class HookAnnotations:
    """The hook annotations of one document, parsed like Helm (values as Helm's classifier sees
    them: non-string YAML scalars already coerced to strings). Compares by identity."""

    __slots__ = ("events", "unknown_events", "weight", "weight_raw", "delete_policies", "output_log_policies")

    def __init__(self, events: list[HookEvent], unknown_events: list[str], weight: int, weight_raw: str | None,
                 delete_policies: list[str], output_log_policies: list[str]) -> None:
        self.events = events
        self.unknown_events = unknown_events
        self.weight = weight
        self.weight_raw = weight_raw
        self.delete_policies = delete_policies
        self.output_log_policies = output_log_policies

    def __repr__(self) -> str:
        return fields_repr(self)


def parse_hook_annotations(annotations: dict[str, str]) -> HookAnnotations | None:
    """None when `helm.sh/hook` is absent (an ordinary resource); else the parsed annotations."""
    raw = annotations.get(HOOK_ANNOTATION)
    if raw is None:
        return None
    events, unknown = parse_hook_events(raw)
    weight_raw = annotations.get(HOOK_WEIGHT_ANNOTATION)
    return HookAnnotations(
        events=events,
        unknown_events=unknown,
        weight=go_atoi(weight_raw),
        weight_raw=weight_raw,
        delete_policies=split_policy_values(annotations.get(HOOK_DELETE_ANNOTATION)),
        output_log_policies=split_policy_values(annotations.get(HOOK_OUTPUT_LOG_ANNOTATION)),
    )


class Hook:
    """One hook as Helm stores it in the release (`release.Hook`), plus where it came from.
    Compares by identity."""

    __slots__ = ("doc", "events", "weight", "weight_raw", "delete_policies", "output_log_policies", "ref")

    def __init__(self, doc: Document, events: list[HookEvent], weight: int, weight_raw: str | None,
                 delete_policies: list[str], output_log_policies: list[str], ref: ObjectRef) -> None:
        self.doc = doc
        self.events = events
        self.weight = weight
        self.weight_raw = weight_raw
        self.delete_policies = delete_policies
        self.output_log_policies = output_log_policies
        self.ref = ref

    def __repr__(self) -> str:
        return fields_repr(self)

    @property
    def name(self) -> str:
        return self.ref.name

    @property
    def kind(self) -> str:
        return self.ref.kind

    @property
    def path(self) -> str:
        return self.doc.path

    @property
    def pos(self) -> SourcePos | None:
        return self.doc.pos

    @property
    def effective_delete_policies(self) -> list[str]:
        """execHook's mutation: `before-hook-creation` only when no policy is declared at all."""
        return list(self.delete_policies) or [HookDeletePolicy.BEFORE_HOOK_CREATION.value]

    def has_policy(self, policy: HookDeletePolicy | str) -> bool:
        return str(policy) in self.effective_delete_policies


class Dropped:
    """A document Helm silently skips: `helm.sh/hook` holds a token it does not know.
    Compares by identity."""

    __slots__ = ("doc", "reason", "unknown_events")

    def __init__(self, doc: Document, reason: str, unknown_events: list[str]) -> None:
        self.doc = doc
        self.reason = reason
        self.unknown_events = unknown_events

    def __repr__(self) -> str:
        return fields_repr(self)


class Classified:
    """Documents split like Helm's SortManifests: hooks and resources in stored (kind) order.
    (Written out rather than a dataclass: generating its methods costs start-up time.)"""

    __slots__ = ("hooks", "resources", "crds", "dropped", "errors")

    def __init__(self, hooks: list[Hook] | None = None, resources: list[Document] | None = None,
                 crds: list[Document] | None = None, dropped: list[Dropped] | None = None,
                 errors: list[Document] | None = None) -> None:
        self.hooks: list[Hook] = [] if hooks is None else hooks
        self.resources: list[Document] = [] if resources is None else resources
        self.crds: list[Document] = [] if crds is None else crds
        self.dropped: list[Dropped] = [] if dropped is None else dropped
        # Documents that do not decode: Helm fails the whole render/plan on the first one.
        self.errors: list[Document] = [] if errors is None else errors

    def __repr__(self) -> str:
        return fields_repr(self)


def is_crd_file(path: str) -> bool:
    """A document from a chart's (or subchart's) `crds/` directory rather than `templates/`.

    Only `crds/` at a chart's root is special (chart.CRDObjects): the path is the chart's name,
    then `charts/<sub>` per subchart level, then the chart-relative file. A subchart literally
    named `crds` (`top/charts/crds/templates/x.yaml`) holds ordinary templates."""
    parts = path.split("/")
    i = 1
    while i + 2 < len(parts) and parts[i] == "charts":
        i += 2
    return i < len(parts) - 1 and parts[i] == "crds"


def head_annotations(doc: Document) -> dict[str, str] | None:
    """Annotations as Helm's classifier sees them (None: no metadata or no annotations)."""
    head = doc.head
    if not head:
        return None
    meta = head.get("metadata")
    if not meta:
        return None
    ann = meta.get("annotations")
    return ann if ann else None


def object_ref(doc: Document) -> ObjectRef:
    head = doc.head or {}
    meta = head.get("metadata") or {}
    namespace = doc.metadata.get("namespace")
    return ObjectRef(
        api_version=str(head.get("apiVersion", "")),
        kind=str(head.get("kind", "")),
        name=str(meta.get("name", "")),
        namespace=None if namespace in (None, "") else str(namespace),
    )


def classify(docs: list[Document], helm_version: int = 3) -> Classified:
    """Helm's `SortManifests`: walk files bytewise then documents in order; classify; stable-sort
    hooks and resources by InstallOrder kind."""
    result = Classified()
    hooks: list[Hook] = []
    resources: list[Document] = []
    for doc in sorted(docs, key=lambda d: (d.path, d.index)):
        if doc.parse_error is not None:
            result.errors.append(doc)
            continue
        if is_crd_file(doc.path):
            result.crds.append(doc)
            continue
        annotations = head_annotations(doc)
        parsed = parse_hook_annotations(annotations) if annotations else None
        if parsed is None:
            resources.append(doc)
            continue
        if parsed.unknown_events:
            import json  # only for this message: the module stays off the render start-up path

            raw = annotations.get(HOOK_ANNOTATION, "") if annotations else ""
            result.dropped.append(
                Dropped(
                    doc=doc,
                    reason=f"skipping unknown hook: {json.dumps(raw, ensure_ascii=False)}",
                    unknown_events=parsed.unknown_events,
                )
            )
            continue
        hooks.append(
            Hook(
                doc=doc,
                events=parsed.events,
                weight=parsed.weight,
                weight_raw=parsed.weight_raw,
                delete_policies=parsed.delete_policies,
                output_log_policies=parsed.output_log_policies,
                ref=object_ref(doc),
            )
        )
    order = install_order(helm_version)
    result.hooks = sort_by_kind(hooks, lambda h: h.kind, order)
    result.resources = sort_by_kind(resources, lambda d: str((d.head or {}).get("kind", "")), order)
    return result

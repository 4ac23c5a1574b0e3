"""The loaded chart, mirroring Helm's `chart.Chart`, `chart.Metadata` and `chart.Dependency`.

Field names follow Go's (templates see `.Chart.Name`, `.Chart.AppVersion`, ...); `json` names
are the struct tags, used when a template marshals `.Chart` (toJson/toYaml).

These compare by identity: nothing compares charts or their parts. File, Maintainer and
Dependency are plain slotted classes rather than dataclasses: creating a dataclass costs
start-up time on every run.
"""

from __future__ import annotations

import copy
import weakref
from dataclasses import dataclass, field

from hooklint.chart.plain_copy import deep_copy
from hooklint.runtime.records import fields_repr

TYPE_CHECKING = False  # not `typing`'s: importing typing costs ~3 ms of every run
if TYPE_CHECKING:
    from typing import Any


class File:
    """A file of the chart: `name` is its path relative to the chart root, `/`-separated."""

    __slots__ = ("name", "data")

    def __init__(self, name: str, data: bytes) -> None:
        self.name = name
        self.data = data

    def __repr__(self) -> str:
        return fields_repr(self)


class Maintainer:
    """One entry of `maintainers:` in Chart.yaml."""

    __slots__ = ("name", "email", "url")

    def __init__(self, name: str = "", email: str = "", url: str = "") -> None:
        self.name = name
        self.email = email
        self.url = url

    def __repr__(self) -> str:
        return fields_repr(self)

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for key, val in (("name", self.name), ("email", self.email), ("url", self.url)):
            if val:
                out[key] = val
        return out


class Dependency:
    """One entry of `dependencies:` in Chart.yaml (or requirements.yaml for apiVersion v1)."""

    __slots__ = ("name", "version", "repository", "condition", "tags", "enabled", "import_values", "alias")

    def __init__(self, name: str = "", version: str = "", repository: str = "", condition: str = "",
                 tags: list[str] | None = None, enabled: bool = False, import_values: list[Any] | None = None,
                 alias: str = "") -> None:
        self.name = name
        self.version = version
        self.repository = repository
        self.condition = condition
        self.tags = [] if tags is None else tags
        self.enabled = enabled
        self.import_values = [] if import_values is None else import_values
        self.alias = alias

    def __repr__(self) -> str:
        return fields_repr(self)

    def copy(self) -> Dependency:
        """A copy sharing nothing mutable (dependency processing edits entries in place)."""
        return Dependency(self.name, self.version, self.repository, self.condition, list(self.tags),
                          self.enabled, deep_copy(self.import_values), self.alias)

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"name": self.name}
        if self.version:
            out["version"] = self.version
        out["repository"] = self.repository
        if self.condition:
            out["condition"] = self.condition
        if self.tags:
            out["tags"] = list(self.tags)
        if self.enabled:
            out["enabled"] = True
        if self.import_values:
            out["import-values"] = copy.deepcopy(self.import_values)
        if self.alias:
            out["alias"] = self.alias
        return out


# (Go field name, json tag, kind) in struct order; kinds drive decoding and the zero value.
METADATA_FIELDS: tuple[tuple[str, str, str], ...] = (
    ("Name", "name", "string"),
    ("Home", "home", "string"),
    ("Sources", "sources", "[]string"),
    ("Version", "version", "string"),
    ("Description", "description", "string"),
    ("Keywords", "keywords", "[]string"),
    ("Maintainers", "maintainers", "[]*chart.Maintainer"),
    ("Icon", "icon", "string"),
    ("APIVersion", "apiVersion", "string"),
    ("Condition", "condition", "string"),
    ("Tags", "tags", "string"),
    ("AppVersion", "appVersion", "string"),
    ("Deprecated", "deprecated", "bool"),
    ("Annotations", "annotations", "map[string]string"),
    ("KubeVersion", "kubeVersion", "string"),
    ("Dependencies", "dependencies", "[]*chart.Dependency"),
    ("Type", "type", "string"),
)


@dataclass(eq=False)
class Metadata:
    """Chart.yaml. Attribute names are the Go field names, so templates and code agree."""

    Name: str = ""
    Home: str = ""
    Sources: list[str] | None = None
    Version: str = ""
    Description: str = ""
    Keywords: list[str] | None = None
    Maintainers: list[Maintainer | None] | None = None
    Icon: str = ""
    APIVersion: str = ""
    Condition: str = ""
    Tags: str = ""
    AppVersion: str = ""
    Deprecated: bool = False
    Annotations: dict[str, str] | None = None
    KubeVersion: str = ""
    Dependencies: list[Dependency | None] | None = None
    Type: str = ""

    def copy(self) -> Metadata:
        """A deep copy (what copy.deepcopy gives, several times faster: every render copies the
        metadata of every chart): strings and bools are shared, lists, maps and entries copied."""
        out = object.__new__(Metadata)
        out.__dict__.update(self.__dict__)
        if self.Sources is not None:
            out.Sources = list(self.Sources)
        if self.Keywords is not None:
            out.Keywords = list(self.Keywords)
        if self.Maintainers is not None:
            out.Maintainers = [None if m is None else Maintainer(m.name, m.email, m.url) for m in self.Maintainers]
        if self.Annotations is not None:
            out.Annotations = dict(self.Annotations)
        if self.Dependencies is not None:
            out.Dependencies = [None if d is None else d.copy() for d in self.Dependencies]
        return out

    def to_json(self) -> dict[str, Any]:
        """encoding/json of the struct: omitempty drops zero values."""
        out: dict[str, Any] = {}
        for go_name, tag, kind in METADATA_FIELDS:
            val = getattr(self, go_name)
            if not val:
                continue
            if kind == "[]*chart.Maintainer":
                val = [m.to_json() if m is not None else None for m in val]
            elif kind == "[]*chart.Dependency":
                val = [d.to_json() if d is not None else None for d in val]
            elif isinstance(val, (list, dict)):
                val = copy.copy(val)
            out[tag] = val
        return out


@dataclass(eq=False)
class Chart:
    """A chart with its subcharts (`dependencies`), like Helm's `*chart.Chart`."""

    metadata: Metadata
    values: dict[str, Any] = field(default_factory=dict)
    schema: bytes | None = None
    templates: list[File] = field(default_factory=list)
    files: list[File] = field(default_factory=list)
    raw: list[File] = field(default_factory=list)
    dependencies: list[Chart] = field(default_factory=list)
    source: str = ""  # where it was loaded from (directory or archive path), for messages
    # values.yaml as read (None: the chart has none) and which Helm's rules parsed `values`
    # from it: Helm 3.17.1 reads the first YAML document, Helm 4.2.3 merges all of them.
    values_raw: bytes | None = field(default=None, repr=False, compare=False)
    values_helm_version: int = 3
    # The parent chart, weakly: a strong link back would make every chart with subcharts a
    # reference cycle, which only the cyclic GC frees (and loads and renders pause it:
    # runtime/gcpolicy.py). A subchart is used through its root, which holds it.
    _parent: weakref.ref[Chart] | None = field(default=None, init=False, repr=False, compare=False)

    @property
    def parent(self) -> Chart | None:
        ref = self._parent
        return None if ref is None else ref()

    @parent.setter
    def parent(self, chart: Chart | None) -> None:
        self._parent = None if chart is None else weakref.ref(chart)

    @property
    def name(self) -> str:
        return self.metadata.Name

    def is_root(self) -> bool:
        return self.parent is None

    def full_path(self) -> str:
        """ChartFullPath: `root/charts/sub/charts/subsub`, the prefix of every template key."""
        if self.parent is None:
            return self.name
        return f"{self.parent.full_path()}/charts/{self.name}"

    def set_dependencies(self, charts: list[Chart]) -> None:
        self.dependencies = []
        for c in charts:
            c.parent = self
            self.dependencies.append(c)

    def crd_objects(self) -> list[tuple[str, File]]:
        """CRDObjects: (filename with the chart's full path, file) for `crds/*.{yaml,yml,json}`."""
        out: list[tuple[str, File]] = []
        for f in self.files:
            if f.name.startswith("crds/") and _has_manifest_extension(f.name):
                out.append((f"{self.full_path()}/{f.name}", f))
        for dep in self.dependencies:
            out.extend(dep.crd_objects())
        return out

    def clone(self) -> Chart:
        """A copy that dependency processing may edit (Helm's does: metadata, the subchart list,
        each chart's `values` replaced by import-values). The values themselves are shared, not
        copied: nothing changes them in place (coalescing copies a chart's values before it
        merges them, import-values assigns a new map)."""
        return _clone(self, None)

    def reload_values(self, helm_version: int) -> None:
        """Re-read values.yaml of this chart and every subchart the way `helm_version` does.

        Raises ChartError worded like that Helm's loader."""
        from hooklint.chart.loader import parse_values_file

        if self.values_raw is not None:
            self.values = parse_values_file(self.values_raw, helm_version)
        self.values_helm_version = helm_version
        for dep in self.dependencies:
            dep.reload_values(helm_version)


def _clone(c: Chart, parent: Chart | None) -> Chart:
    out = Chart(
        metadata=c.metadata.copy(),
        values=c.values,
        schema=c.schema,
        templates=c.templates,  # immutable once loaded: shared
        files=c.files,
        raw=c.raw,
        source=c.source,
        values_raw=c.values_raw,
        values_helm_version=c.values_helm_version,
    )
    out.parent = parent
    out.dependencies = [_clone(d, out) for d in c.dependencies]
    return out


def _has_manifest_extension(name: str) -> bool:
    base = name.rsplit("/", 1)[-1]
    dot = base.rfind(".")
    ext = base[dot:].lower() if dot >= 0 else ""
    return ext in (".yaml", ".yml", ".json")

"""The Go objects Helm passes to templates: `.Values`, `.Chart`, `.Capabilities`, `.Files`.

Structs are GoObjects: templates reach fields by their Go names (`.Chart.AppVersion`,
`.Capabilities.KubeVersion.Minor`) and methods (`.Capabilities.APIVersions.Has`); toJson/toYaml
see the json tags (`go_json`); `{{ . }}` prints what fmt's %v prints. Named map types
(`chartutil.Values`, `engine.files`) are dict subclasses carrying their Go type name.

Helm 3.17.1 and 4.2.3 differ here: the package of the named types (`chartutil` vs `common`),
`.Chart` (a struct embedding chart.Metadata in 3, a map[string]interface{} built by reflection
in 4: pkg/chart/common.go structToMap) and the BuildInfo fields.
"""

from __future__ import annotations

import base64
import posixpath
from collections.abc import Callable, Iterable

from hooklint.chart.model import METADATA_FIELDS, Dependency, File, Maintainer, Metadata
from hooklint.gotemplate.gotypes import (
    BOOL,
    BYTES,
    MAP,
    STRING,
    STRLIST,
    GoFuncError,
    GoObject,
    GoPanic,
    GoStructJSON,
    NilStrMap,
    StrList,
    StrMap,
    go_type_name,
    gofunc,
)
from hooklint.render import capabilities as caps

TYPE_CHECKING = False  # not `typing`'s: importing typing costs ~3 ms of every run
if TYPE_CHECKING:
    from typing import Any


def _fmt_v(v: Any) -> str:
    """fmt %v for the plain values that appear in these structs."""
    if v is None:
        return "<nil>"
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, GoObject):
        return v.go_format()
    if isinstance(v, dict):
        return "map[" + " ".join(f"{k}:{_fmt_v(v[k])}" for k in sorted(v)) + "]"
    if isinstance(v, list):
        return "[" + " ".join(_fmt_v(x) for x in v) + "]"
    return str(v)


class _MaintainerObject(GoObject):
    go_type = "*chart.Maintainer"

    def __init__(self, m: Maintainer) -> None:
        self.m = m

    def go_field(self, name: str) -> Any:
        if name in ("Name", "Email", "URL"):
            return getattr(self.m, "url" if name == "URL" else name.lower())
        raise KeyError(name)

    def go_json(self) -> Any:
        return GoStructJSON(self.m.to_json())

    def go_format(self) -> str:
        return f"&{{{self.m.name} {self.m.email} {self.m.url}}}"


class _DependencyObject(GoObject):
    go_type = "*chart.Dependency"
    _FIELDS = {
        "Name": "name",
        "Version": "version",
        "Repository": "repository",
        "Condition": "condition",
        "Tags": "tags",
        "Enabled": "enabled",
        "ImportValues": "import_values",
        "Alias": "alias",
    }

    def __init__(self, d: Dependency) -> None:
        self.d = d

    def go_field(self, name: str) -> Any:
        attr = self._FIELDS.get(name)
        if attr is None:
            raise KeyError(name)
        val = getattr(self.d, attr)
        return StrList(val) if name == "Tags" else val

    def go_json(self) -> Any:
        return GoStructJSON(self.d.to_json())

    def go_format(self) -> str:
        d = self.d
        return (
            f"&{{{d.name} {d.version} {d.repository} {d.condition} {_fmt_v(d.tags)} "
            f"{_fmt_v(d.enabled)} {_fmt_v(d.import_values)} {d.alias}}}"
        )


class ChartObject(GoObject):
    """`.Chart`: `struct{ chart.Metadata; IsRoot bool }` (fields promoted from Metadata)."""

    go_type = "struct { chart.Metadata; IsRoot bool }"

    def __init__(self, metadata: Metadata, is_root: bool) -> None:
        self.metadata = metadata
        self.is_root = is_root

    def go_field(self, name: str) -> Any:
        if name == "IsRoot":
            return self.is_root
        if name == "Metadata":
            return _MetadataObject(self.metadata)
        return _metadata_field(self.metadata, name)

    def go_json(self) -> Any:
        out = _metadata_json(self.metadata)
        out["IsRoot"] = self.is_root
        return out

    def go_format(self) -> str:
        return f"{{{_MetadataObject(self.metadata).go_format()} {_fmt_v(self.is_root)}}}"


class _MetadataObject(GoObject):
    go_type = "chart.Metadata"

    def __init__(self, metadata: Metadata) -> None:
        self.metadata = metadata

    def go_field(self, name: str) -> Any:
        return _metadata_field(self.metadata, name)

    def go_json(self) -> Any:
        return _metadata_json(self.metadata)

    def go_format(self) -> str:
        parts = []
        for go_name, _, _ in METADATA_FIELDS:
            val = _metadata_field(self.metadata, go_name)
            parts.append(
                "[]"
                if val is None and go_name in ("Sources", "Keywords", "Maintainers", "Dependencies")
                else ("map[]" if val is None and go_name == "Annotations" else _fmt_v(val))
            )
        return "{" + " ".join(parts) + "}"


def _metadata_json(md: Metadata) -> GoStructJSON:
    """encoding/json of *chart.Metadata: struct fields (its own, each maintainer's and
    dependency's) in declaration order, not sorted like a map's keys."""
    out = GoStructJSON(md.to_json())
    for tag in ("maintainers", "dependencies"):
        entries = out.get(tag)
        if entries:
            out[tag] = [None if e is None else GoStructJSON(e) for e in entries]
    return out


# METADATA_FIELDS by Go field name (`.Chart.Name` is looked up in every template)
_METADATA_SPECS = {spec[0]: spec for spec in METADATA_FIELDS}


def _metadata_field(md: Metadata, name: str) -> Any:
    spec = _METADATA_SPECS.get(name)
    if spec is None:
        raise KeyError(name)
    val = getattr(md, name)
    kind = spec[2]
    # A nil slice or map field prints as `[]` / `map[]`, is false and has length 0: the empty
    # typed value behaves the same in templates (only toJson of the lone field differs: null).
    if kind == "[]string":
        return StrList(val or ())
    if kind == "map[string]string":
        return NilStrMap() if val is None else StrMap(val)
    if kind == "[]*chart.Maintainer":
        return [None if m is None else _MaintainerObject(m) for m in val or ()]
    if kind == "[]*chart.Dependency":
        return [None if d is None else _DependencyObject(d) for d in val or ()]
    return val


def metadata_as_map(md: Metadata, is_root: bool) -> dict[str, Any]:
    """Helm 4's `.Chart`: MetadataAsMap() plus IsRoot (pkg/chart/common.go structToMap).

    Keys are the Go field names; slices become []interface{} (a nil slice an empty one),
    pointed-to structs become maps of their fields, maps (Annotations) stay map[string]string."""
    out: dict[str, Any] = {}
    for go_name, _, kind in METADATA_FIELDS:
        val = getattr(md, go_name)
        if kind == "[]string":
            out[go_name] = list(val or ())
        elif kind == "map[string]string":
            out[go_name] = NilStrMap() if val is None else StrMap(val)
        elif kind == "[]*chart.Maintainer":
            out[go_name] = [
                None if m is None else {"Name": m.name, "Email": m.email, "URL": m.url} for m in val or ()
            ]
        elif kind == "[]*chart.Dependency":
            out[go_name] = [None if d is None else _dependency_as_map(d) for d in val or ()]
        else:
            out[go_name] = val
    out["IsRoot"] = is_root
    return out


def _dependency_as_map(d: Dependency) -> dict[str, Any]:
    return {
        "Name": d.name,
        "Version": d.version,
        "Repository": d.repository,
        "Condition": d.condition,
        "Tags": list(d.tags),
        "Enabled": d.enabled,
        "ImportValues": list(d.import_values),
        "Alias": d.alias,
    }


def chart_object(metadata: Metadata, is_root: bool, helm_version: int) -> Any:
    """What `.Chart` is for the chosen Helm."""
    if helm_version == 4:
        return metadata_as_map(metadata, is_root)
    return ChartObject(metadata, is_root)


# --- named map types ------------------------------------------------------------------------


class _ValuesMethods:
    """The methods of chartutil.Values (3.17.1 pkg/chartutil/values.go) and common.Values (4.2.3
    pkg/chart/common/values.go): YAML, Table, AsMap, Encode, PathValue. text/template looks a
    method up before a map key, so `.Values.AsMap` calls the method (gotohelm charts use it).

    Go converts between map[string]interface{} and Values without copying; a Python dict has one
    type, so Table returns a typed shallow copy (setting a top-level key of a Table result does
    not reach the original; nested maps are shared) and AsMap of a typed Values a plain copy."""

    go_values_type = "chartutil.Values"
    # Every name go_method answers for (executor.plain_field looks here first)
    go_method_names: frozenset[str] = frozenset(("YAML", "Table", "AsMap", "Encode", "PathValue"))

    def go_method(self, name: str) -> Callable[..., Any] | None:
        if name in _VALUES_METHODS:
            return getattr(self, "go_" + name)  # type: ignore[no-any-return]
        return None

    @gofunc(result=STRING, error=True)
    def go_YAML(self) -> str:  # noqa: N802 - Go method name
        from hooklint.gotemplate import goyaml

        try:
            text = goyaml.to_yaml(self)
        except goyaml.YAMLEncodeError as e:
            raise GoFuncError(str(e)) from None
        return text.decode("utf-8", "replace") if isinstance(text, bytes) else text

    @gofunc(STRING, error=True)
    def go_Table(self, name: str) -> dict[str, Any]:  # noqa: N802
        table: Any = self
        for key in name.split("."):
            table = _table_lookup(table, key)
        if type(table) is not self._typed_class():
            table = self._typed_class()(table)
        return table  # type: ignore[no-any-return]

    @gofunc(result=MAP)
    def go_AsMap(self) -> dict[str, Any]:  # noqa: N802
        if go_type_name(self) == MAP and len(self):  # type: ignore[arg-type]
            return self  # type: ignore[return-value]
        return dict(self)  # type: ignore[call-overload]

    @gofunc("io.Writer", result="error")
    def go_Encode(self, writer: Any) -> Any:  # noqa: N802
        # Only reachable with a nil writer (no template value is an io.Writer): w.Write panics.
        raise GoPanic("runtime error: invalid memory address or nil pointer dereference")

    @gofunc(STRING, error=True)
    def go_PathValue(self, path: str) -> Any:  # noqa: N802
        if path == "":
            raise GoFuncError("YAML path cannot be empty")
        keys = path.split(".")
        last = keys[-1]
        table: Any = self
        try:
            for key in keys[:-1]:
                table = _table_lookup(table, key)
        except GoFuncError:
            raise GoFuncError(f"{_go_quote(last)} is not a value") from None
        if last in table and not _is_table(table[last]):
            return table[last]
        raise GoFuncError(f"{_go_quote(last)} is not a value")

    def _typed_class(self) -> type[dict[str, Any]]:
        return CommonValues if self.go_values_type == "common.Values" else ChartutilValues


_VALUES_METHODS = _ValuesMethods.go_method_names


def _is_table(v: Any) -> bool:
    """istable: v.(map[string]interface{}) - the unnamed map type only."""
    return isinstance(v, dict) and go_type_name(v) == MAP


def _table_lookup(v: dict[str, Any], key: str) -> dict[str, Any]:
    """tableLookup: a map or Values under `key`, else ErrNoTable."""
    if key in v:
        found = v[key]
        if isinstance(found, dict) and go_type_name(found) in (MAP, "chartutil.Values", "common.Values"):
            return found
    raise GoFuncError(f"{_go_quote(key)} is not a table")


def _go_quote(s: str) -> str:
    from hooklint.gotemplate.gofmt import quote

    return quote(s)  # type: ignore[no-any-return]


class ChartutilValues(_ValuesMethods, dict):  # type: ignore[type-arg]
    """Helm 3's chartutil.Values: the top-level data, `.Values`, `.Template`."""

    go_type = "chartutil.Values"
    go_kind = "map"
    go_underlying = "map[string]interface {}"


class CommonValues(_ValuesMethods, dict):  # type: ignore[type-arg]
    """Helm 4's common.Values (same role as chartutil.Values)."""

    go_type = "common.Values"
    go_values_type = "common.Values"
    go_kind = "map"
    go_underlying = "map[string]interface {}"


class SubchartValuesMap(_ValuesMethods, dict):  # type: ignore[type-arg]
    """A subchart's `.Values`: in Go the parent's `.Values.<sub>` map converted to Values
    without a copy (recAllTpls: vals.Table("Values." + name)), so `set` in one chart is seen by
    the other. One Python object serves both: it prints as the parent sees it
    (map[string]interface {}: `dig` and `typeOf` from the parent behave like Helm) and has the
    Values methods the subchart calls (`.Values.AsMap`)."""

    go_type = MAP
    go_kind = "map"


def values_type(helm_version: int) -> type[dict[str, Any]]:
    return CommonValues if helm_version == 4 else ChartutilValues


def subchart_values(parent_values: dict[str, Any], name: str, helm_version: int) -> dict[str, Any] | None:
    """The subchart's `.Values` (the same map as the parent's `.Values.<name>`), or None when
    that is not a map (then Helm gives the subchart an empty Values)."""
    found = parent_values.get(name)
    if not isinstance(found, dict) or isinstance(found, (ChartutilValues, CommonValues)):
        return found if isinstance(found, dict) else None
    if type(found) is not SubchartValuesMap:
        found = SubchartValuesMap(found)
        found.go_values_type = values_type(helm_version).go_type  # type: ignore[attr-defined]
        parent_values[name] = found
    return found


# --- Capabilities ---------------------------------------------------------------------------


class VersionSet(StrList):
    """chartutil.VersionSet ([]string with a Has method)."""

    go_type = "chartutil.VersionSet"
    go_kind = "slice"
    go_underlying = "[]string"

    def go_method(self, name: str) -> Callable[..., Any] | None:
        return self.go_Has if name == "Has" else None

    @gofunc(STRING, result=BOOL)
    def go_Has(self, api_version: str) -> bool:  # noqa: N802 - Go method name
        return api_version in self


class CommonVersionSet(VersionSet):
    go_type = "common.VersionSet"


class KubeVersionObject(GoObject):
    """KubeVersion. Helm 4 keeps the user's spelling in Version and prints (String) the
    normalized form; Helm 3 has only the normalized one."""

    go_type = "chartutil.KubeVersion"

    def __init__(
        self, version: str, major: str, minor: str, normalized: str | None = None, pkg: str = "chartutil"
    ) -> None:
        self.version, self.major, self.minor = version, major, minor
        self.normalized = normalized or version
        self.go_type = f"{pkg}.KubeVersion"

    def go_field(self, name: str) -> Any:
        if name == "Version":
            return self.version
        if name == "Major":
            return self.major
        if name == "Minor":
            return self.minor
        raise KeyError(name)

    @gofunc(result=STRING)
    def go_String(self) -> str:  # noqa: N802
        return self.normalized

    @gofunc(result=STRING)
    def go_GitVersion(self) -> str:  # noqa: N802
        return self.version

    def go_json(self) -> Any:
        return GoStructJSON(Version=self.version, Major=self.major, Minor=self.minor)

    def go_format_addressable(self) -> str:
        """`{{ .Capabilities.KubeVersion }}` prints an addressable value, and *KubeVersion is a
        fmt.Stringer (text/template's printValue takes its address)."""
        return self.normalized

    def go_format(self) -> str:
        """fmt %v of a copy (a function argument: print, printf, toString, quote): a struct
        value has no String(), so Go prints its fields."""
        return self.go_format_field()

    def go_format_field(self) -> str:
        """fmt %v of the KubeVersion struct value (also inside a printed Capabilities); Helm 4's
        struct has the unexported normalizedVersion second."""
        if self.go_type.startswith("common."):
            return f"{{{self.version} {self.normalized} {self.major} {self.minor}}}"
        return f"{{{self.version} {self.major} {self.minor}}}"


class BuildInfoObject(GoObject):
    go_type = "version.BuildInfo"

    def __init__(
        self,
        version: str,
        commit: str,
        tree_state: str,
        go_version: str,
        kube_client_version: str | None = None,
    ) -> None:
        self.fields = {
            "Version": version,
            "GitCommit": commit,
            "GitTreeState": tree_state,
            "GoVersion": go_version,
        }
        if kube_client_version is not None:  # Helm 4 only
            self.fields["KubeClientVersion"] = kube_client_version

    def go_field(self, name: str) -> Any:
        return self.fields[name]

    def go_json(self) -> Any:
        tags = {
            "Version": "version",
            "GitCommit": "git_commit",
            "GitTreeState": "git_tree_state",
            "GoVersion": "go_version",
        }
        out = GoStructJSON((tags[k], v) for k, v in self.fields.items() if v and k in tags)  # omitempty
        if "KubeClientVersion" in self.fields:  # no omitempty
            out["kube_client_version"] = self.fields["KubeClientVersion"]
        return out

    def go_format(self) -> str:
        return "{" + " ".join(self.fields.values()) + "}"


class CapabilitiesObject(GoObject):
    go_type = "*chartutil.Capabilities"

    def __init__(
        self,
        kube: KubeVersionObject,
        api_versions: Iterable[str],
        helm: BuildInfoObject,
        pkg: str = "chartutil",
    ) -> None:
        self.kube = kube
        self.api_versions = CommonVersionSet(api_versions) if pkg == "common" else VersionSet(api_versions)
        self.helm = helm
        self.go_type = f"*{pkg}.Capabilities"

    def go_field(self, name: str) -> Any:
        if name == "KubeVersion":
            return self.kube
        if name == "APIVersions":
            return self.api_versions
        if name == "HelmVersion":
            return self.helm
        raise KeyError(name)

    def go_json(self) -> Any:
        return GoStructJSON(
            KubeVersion=self.kube.go_json(),
            APIVersions=list(self.api_versions),
            HelmVersion=self.helm.go_json(),
        )

    def go_format(self) -> str:
        # text/template indirects a pointer before printing (printableValue), so no `&`.
        return f"{{{self.kube.go_format_field()} {_fmt_v(list(self.api_versions))} {self.helm.go_format()}}}"


def default_build_info(helm_version: int = 3) -> BuildInfoObject:
    if helm_version == 4:
        return BuildInfoObject(
            caps.V4_HELM_VERSION,
            caps.V4_HELM_GIT_COMMIT,
            caps.V4_HELM_GIT_TREE_STATE,
            caps.V4_HELM_GO_VERSION,
            caps.V4_KUBE_CLIENT_VERSION,
        )
    return BuildInfoObject(
        caps.HELM_VERSION, caps.HELM_GIT_COMMIT, caps.HELM_GIT_TREE_STATE, caps.HELM_GO_VERSION
    )


# --- Files ----------------------------------------------------------------------------------


def _to_yaml(v: Any) -> str:
    from hooklint.gotemplate import goyaml

    try:
        text = goyaml.to_yaml(v)
    except Exception:  # toYAML swallows marshal errors
        return ""
    if isinstance(text, bytes):
        text = text.decode("utf-8", "replace")
    return text.removesuffix("\n")


class FilesObject(dict):  # type: ignore[type-arg]
    """engine.files (map[string][]byte) with Get, GetBytes, Glob, AsConfig, AsSecrets, Lines.

    A real map for `index`, `range`, `len` and printing; the methods come first on field access."""

    go_type = "engine.files"
    go_kind = "map"
    go_underlying = "map[string][]uint8"

    @property
    def files(self) -> dict[str, bytes]:
        return self

    @classmethod
    def from_chart_files(cls, files: list[File]) -> FilesObject:
        return cls({f.name: f.data for f in files})

    def go_method(self, name: str) -> Callable[..., Any] | None:
        fn = getattr(self, "go_" + name, None) if name[:1].isupper() else None
        return fn if callable(fn) else None

    @gofunc(STRING, result=BYTES)
    def go_GetBytes(self, name: str) -> bytes:  # noqa: N802
        return self.files.get(name, b"")

    @gofunc(STRING, result=STRING)
    def go_Get(self, name: str) -> str:  # noqa: N802
        return self.files.get(name, b"").decode("utf-8", "replace")

    @gofunc(STRING, result="engine.files")
    def go_Glob(self, pattern: str) -> FilesObject:  # noqa: N802
        from hooklint.render.globmatch import glob_match

        return FilesObject({n: d for n, d in self.files.items() if glob_match(pattern, n)})

    @gofunc(result=STRING)
    def go_AsConfig(self) -> str:  # noqa: N802
        m = StrMap(
            {posixpath.basename(k): v.decode("utf-8", "replace") for k, v in sorted(self.files.items())}
        )
        return _to_yaml(m)

    @gofunc(result=STRING)
    def go_AsSecrets(self) -> str:  # noqa: N802
        m = StrMap(
            {posixpath.basename(k): base64.b64encode(v).decode() for k, v in sorted(self.files.items())}
        )
        return _to_yaml(m)

    @gofunc(STRING, result=STRLIST)
    def go_Lines(self, path: str) -> StrList:  # noqa: N802
        data = self.files.get(path)
        if data is None:
            return StrList()
        if not data:  # Helm reads s[len(s)-1] of the (non-nil) empty file
            raise GoPanic("runtime error: index out of range [-1]")
        s = data.decode("utf-8", "replace")
        if s.endswith("\n"):
            s = s[:-1]
        return StrList(s.split("\n"))

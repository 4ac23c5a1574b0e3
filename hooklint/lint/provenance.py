"""Where a rendered value was written: template line, values file, or helper call.

Many charts print hook annotations from values (`{{ toYaml .Values.job.annotations | nindent 4 }}`)
or pass them through a helper (`include "x.hook" (dict "helm.sh/hook" "pre-upgrade")`). A finding
about such an annotation is only useful if it points where the user wrote the value. The approach:

1. If the template line that printed the annotation contains the annotation key itself, the value
   was written there: nothing to do.
2. Otherwise, if the line reads `.Values.a.b`, look up `a.b.<key>` in the values files used for the
   rendering (the last `-f` file first, as it wins) and point at that entry when its value matches.
3. Otherwise search the values files for any `<key>: <same value>` entry, then the chart's templates
   and helpers for a `"<key>" "<same value>"` pair (a `dict` helper argument).

The template line stays attached as a related location (SARIF relatedLocations).
Provenance is a plain class, not a dataclass: nothing compares it, and generating a dataclass's
methods costs start-up time on every lint.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from hooklint.documents.source import SourcePos

TYPE_CHECKING = False  # not `typing`'s: importing typing costs ~3 ms of every run
if TYPE_CHECKING:
    from typing import Any

# A pattern string, not a compiled pattern: few charts need it, and compiling at import costs every
# lint run; re's own cache compiles it once, on first use.
_VALUES_REF = r"\.Values((?:\.[A-Za-z0-9_-]+)+)"


class _ValuesEntry:
    """One key of a values file with its position (a plain slotted class: no dataclass to
    generate at start-up)."""

    __slots__ = ("path", "value", "line", "column")

    def __init__(self, path: tuple[str, ...], value: Any, line: int, column: int) -> None:
        self.path = path
        self.value = value
        self.line = line
        self.column = column


class Provenance:
    """Finds where a rendered value was written, for one chart and its values files."""

    __slots__ = ("chart_dir", "chart_name", "values_files", "_lines", "_values")

    def __init__(self, chart_dir: Path, chart_name: str, values_files: list[Path] | None = None) -> None:
        self.chart_dir = chart_dir
        self.chart_name = chart_name
        self.values_files: list[Path] = [] if values_files is None else values_files  # lowest precedence first
        self._lines: dict[str, list[str]] = {}
        self._values: dict[Path, list[_ValuesEntry]] = {}

    # ---- paths ---------------------------------------------------------------------------------
    def chart_relative(self, file: str) -> str:
        prefix = self.chart_name + "/"
        return file[len(prefix):] if file.startswith(prefix) else file

    def chart_pos(self, pos: SourcePos) -> SourcePos:
        rel = self.chart_relative(pos.file)
        return pos if rel == pos.file else SourcePos(rel, pos.line, pos.column)

    def relative(self, path: Path) -> str:
        """`path` relative to the chart root (findings' file names are chart-relative)."""
        return self._rel(path)

    def _rel(self, path: Path) -> str:
        try:
            return path.resolve().relative_to(self.chart_dir.resolve()).as_posix()
        except ValueError:
            return os.path.relpath(path.resolve(), self.chart_dir.resolve()).replace(os.sep, "/")

    # ---- template source -----------------------------------------------------------------------
    def lines(self, rel: str) -> list[str]:
        if rel not in self._lines:
            p = self.chart_dir / rel
            try:
                self._lines[rel] = p.read_text(encoding="utf-8", errors="replace").splitlines()
            except OSError:
                self._lines[rel] = []
        return self._lines[rel]

    def template_line(self, pos: SourcePos | None) -> str:
        if pos is None:
            return ""
        lines = self.lines(self.chart_relative(pos.file))
        return lines[pos.line - 1] if 0 < pos.line <= len(lines) else ""

    def printing_action(self, pos: SourcePos) -> SourcePos:
        """The template action that printed a multi-line value: the source map may place the second and
        later output lines of `{{ toYaml ... | nindent }}` below the action, so look up for it."""
        rel = self.chart_relative(pos.file)
        lines = self.lines(rel)
        for ln in range(min(pos.line, len(lines)), max(pos.line - 30, 0), -1):
            text = lines[ln - 1]
            if "{{" in text and (".Values" in text or "include" in text or "toYaml" in text):
                return SourcePos(rel, ln, text.index("{{") + 1)
        return self.chart_pos(pos)

    # ---- annotation origin ---------------------------------------------------------------------
    def annotation_origin(self, pos: SourcePos, key: str, value: Any) -> SourcePos | None:
        """Where `key: value` was written when it was not written on the template line `pos`."""
        rel = self.chart_relative(pos.file)
        line = self.template_line(pos)
        if key in line:
            # Written literally - unless in a helper (`_*.tpl`), whose caller passes the value.
            if rel.rsplit("/", 1)[-1].startswith("_") and isinstance(value, str):
                return self._helper_argument(key, value, rel)
            return None
        want = _as_text(value)
        # Until every source map marks action output (Segment.literal), `pos` may sit below the
        # action that printed a multi-line value: read the `.Values` reference from that action.
        action = line if "{{" in line else self.template_line(self.printing_action(pos))
        refs = [tuple(m.group(1).strip(".").split(".")) for m in re.finditer(_VALUES_REF, action)]
        chain = self._values_chain(rel)
        for ref in refs:
            for vf, prefix in chain:
                for e in self._entries(vf):
                    if e.path == (*prefix, *ref, key) and _as_text(e.value) == want:
                        return SourcePos(self._rel(vf), e.line, e.column)
        if isinstance(value, str):
            # A helper argument in the same template (`dict "helm.sh/hook" "pre-upgrade"`) is more
            # specific than a same-valued entry anywhere in the values.
            here = self._helper_argument(key, value, rel, same_file_only=True)
            if here is not None:
                return here
        for vf, prefix in chain:
            for e in self._entries(vf):
                if e.path[:len(prefix)] == prefix and e.path and e.path[-1] == key and _as_text(e.value) == want:
                    return SourcePos(self._rel(vf), e.line, e.column)
        if isinstance(value, str):
            return self._helper_argument(key, value, rel)
        return None

    def value_origin(self, pos: SourcePos, value: Any) -> SourcePos | None:
        """Where a scalar field's value was written, when template line `pos` printed it from
        `.Values.<path>` unchanged (the values entry holds the same value)."""
        if value is None or isinstance(value, (dict, list)):
            return None
        line = self.template_line(pos)
        if "{{" not in line:
            return None
        want = _as_text(value)
        chain = self._values_chain(self.chart_relative(pos.file))
        for m in re.finditer(_VALUES_REF, line):
            ref = tuple(m.group(1).strip(".").split("."))
            for vf, prefix in chain:
                for e in self._entries(vf):
                    if e.path == (*prefix, *ref) and _as_text(e.value) == want:
                        return SourcePos(self._rel(vf), e.line, e.column)
        return None

    def _values_chain(self, rel: str) -> list[tuple[Path, tuple[str, ...]]]:
        """The values files that can hold a value read by template `rel`, highest precedence first,
        each with the key prefix under which that template's `.Values` appear in it: a subchart
        (`charts/etcd/...`) reads the parent's values under `etcd.` and its own values.yaml."""
        subs = _subchart_names(rel)
        chain: list[tuple[Path, tuple[str, ...]]] = [(vf, tuple(subs)) for vf in reversed(self.values_files)]
        for depth in range(len(subs), 0, -1):
            own = self.chart_dir.joinpath(*(p for name in subs[:depth] for p in ("charts", name)), "values.yaml")
            if own.is_file():
                chain.append((own, tuple(subs[depth:])))
        return chain

    def _helper_argument(self, key: str, value: str, rel: str = "", same_file_only: bool = False) -> SourcePos | None:
        """A `"<key>" "<value>"` pair (a `dict` argument): in template `rel` first, then in the
        templates of the (sub)chart that owns it, then anywhere in the chart."""
        pattern = re.compile(r'"' + re.escape(key) + r'"\s+(?:"' + re.escape(value) + r'"|`' + re.escape(value) + "`)")
        candidates = [rel] if rel else []
        if not same_file_only:
            owner = self.chart_dir.joinpath(*(p for name in _subchart_names(rel) for p in ("charts", name)))
            for tdir in dict.fromkeys((owner / "templates", self.chart_dir / "templates")):
                if tdir.is_dir():
                    candidates += [self._rel(p) for p in sorted(tdir.rglob("*")) if p.is_file()]
        for cand in dict.fromkeys(candidates):
            for i, text in enumerate(self.lines(cand), 1):
                m = pattern.search(text)
                if m:
                    return SourcePos(cand, i, m.start() + 1)
        return None

    def _entries(self, path: Path) -> list[_ValuesEntry]:
        if path not in self._values:
            self._values[path] = _values_entries(path)
        return self._values[path]


def _subchart_names(rel: str) -> list[str]:
    """`charts/a/charts/b/templates/x.yaml` -> ["a", "b"]: the subcharts that own a template."""
    parts = rel.split("/")
    names = []
    i = 0
    while i + 1 < len(parts) and parts[i] == "charts":
        names.append(parts[i + 1])
        i += 2
    return names


def _as_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _values_entries(path: Path) -> list[_ValuesEntry]:
    """Every scalar mapping entry of a values file with its key position (1-based)."""
    import yaml
    from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

    try:
        text = path.read_text(encoding="utf-8", errors="replace")
        root = yaml.compose(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except (OSError, yaml.YAMLError):
        return []
    out: list[_ValuesEntry] = []
    stack: list[tuple[tuple[str, ...], Node]] = [((), root)] if root is not None else []
    while stack:
        prefix, node = stack.pop()
        if isinstance(node, MappingNode):
            for k, v in node.value:
                if not isinstance(k, ScalarNode):
                    continue
                sub = (*prefix, k.value)
                if isinstance(v, ScalarNode):
                    value: Any = v.value if v.tag.endswith(":str") else _plain(v.value)
                    out.append(_ValuesEntry(sub, value, k.start_mark.line + 1, k.start_mark.column + 1))
                else:
                    stack.append((sub, v))
        elif isinstance(node, SequenceNode):
            for i, item in enumerate(node.value):
                stack.append(((*prefix, str(i)), item))
    out.sort(key=lambda e: (e.line, e.column))
    return out


def _plain(text: str) -> Any:
    import yaml

    try:
        return yaml.safe_load(text)
    except yaml.YAMLError:
        return text

"""A set of associated templates sharing one namespace and function map (Go's *Template with
its `common`), as Helm builds it: parse every file into the set, then ExecuteTemplate each.

This module imports neither Sprig nor YAML: callers pass their function maps in.
"""

from __future__ import annotations

import gc
from collections.abc import Callable, Mapping
from types import MappingProxyType

from hooklint.documents.source import Segment, SourcePos
from hooklint.errors import RenderError
from hooklint.gotemplate import parse_cache
from hooklint.gotemplate.builtins import BUILTINS
from hooklint.gotemplate.deepstack import call_deep, on_deep_stack
from hooklint.gotemplate.executor import MISSING_KEY_MODES, ExecFailure, State, Templates, execute_tree
from hooklint.gotemplate.gofmt import quote
from hooklint.gotemplate.gotypes import GoSig, LazyGoFunc, signature_of
from hooklint.gotemplate.nodes import Tree, is_empty_tree
from hooklint.gotemplate.parser import ParseFailure, comments_of, parse_template

TYPE_CHECKING = False  # not `typing`'s: importing typing costs ~3 ms of every run
if TYPE_CHECKING:
    from typing import Any

__all__ = ["TemplateExecError", "TemplateParseError", "TemplateSet"]


class _TemplateError(RenderError):
    """Go's error text in `message`; `template`, `line`, `column` (1-based characters, None
    when Go reports only a line) and `inner` (the message without Go's location prefix)."""

    def __init__(self, message: str, pos: SourcePos | None, template: str, line: int | None,
                 column: int | None, inner: str) -> None:
        super().__init__(message, pos)
        self.template = template
        self.line = line
        self.column = column
        self.inner = inner


class TemplateParseError(_TemplateError):
    """The template text is not valid Go template syntax (Go's parse error text)."""


class TemplateExecError(_TemplateError):
    """Executing a template failed (Go's ExecError text)."""


def _exec_error(e: ExecFailure) -> TemplateExecError:
    line = e.pos.line if e.pos else None
    column = e.pos.column if e.pos else None
    return TemplateExecError(e.message, e.pos, e.template, line, column, e.inner)


def _good_name(name: str) -> bool:
    """Go's goodName: a valid identifier for a template function."""
    if not name:
        return False
    for i, ch in enumerate(name):
        if ch == "_":
            continue
        if i == 0 and not ch.isalpha():
            return False
        if not ch.isalpha() and not ch.isdigit():
            return False
    return True


# Function names _good_name accepted: every render adds Helm's ~200 functions again (checking
# them all cost ~0.3 ms a render).
_GOOD_NAMES: set[str] = set()
# The last read-only function map added and its checked table: Helm's engine adds the same map
# (render.engine.helm_funcs) to every render's template set.
_last_table: tuple[Mapping[str, Callable[..., Any]], dict[str, tuple[Callable[..., Any], GoSig | None]]] | None = None


class _FuncNames:
    """The parse-time function namespace (user functions plus builtins)."""

    __slots__ = ("funcs",)

    def __init__(self, funcs: Mapping[str, object]) -> None:
        self.funcs = funcs

    def __contains__(self, name: object) -> bool:
        return name in self.funcs or name in BUILTINS


# TemplateSet's in-process parse cache (see __init__), bounded by MAX_SHARED_PARSES entries.
_SHARED_PARSES: dict[tuple[str, bool, bool, frozenset[str]], tuple[str, dict[str, Tree]]] = {}
MAX_SHARED_PARSES = 8192


class TemplateSet:
    """Go's template namespace: `parse` adds files (and their {{define}}s), `execute` runs one.

    `missing_key` is Go's missingkey option: "default"/"invalid" print `<no value>`,
    "zero" yields the map element type's zero value, "error" fails on a missing key.
    """

    def __init__(self, funcs: Mapping[str, Callable[..., Any]] | None = None, missing_key: str = "default",
                 *, root_name: str = "gotpl") -> None:
        if missing_key not in MISSING_KEY_MODES:
            raise ValueError(f"unrecognized missingkey option {missing_key!r}")
        self.root_name = root_name
        self.missing_key = missing_key
        # name -> (function, signature); the signature is None for a LazyGoFunc not yet called
        # (the executor resolves it on first use).
        self._funcs: dict[str, tuple[Callable[..., Any], GoSig | None]] = {}
        self._trees: dict[str, Tree] = {}
        self._file_trees: dict[str, list[Tree]] = {}
        # Parse results by (text, flags, function names), shared by every template set of the
        # process: Helm's `tpl` parses the same value text into a fresh clone on every call, and
        # a process renders a chart more than once (lint's values sets, plan's install and
        # upgrade renders). Trees are never modified after parsing (only position memos), so
        # they can be shared.
        # The cache is keyed by text (not name): charts vendor identical copies of library
        # charts (bitnami `common` under every subchart), parsed once and re-homed
        # (parse_cache.rehome). Under it, parse_cache keeps parsed trees on disk between runs.
        self._parse_cache = _SHARED_PARSES
        self._names: frozenset[str] = frozenset()
        self._current: Templates | None = None
        if funcs:
            self.add_funcs(funcs)

    # --- building ------------------------------------------------------------------------

    def add_funcs(self, funcs: Mapping[str, Callable[..., Any]]) -> None:
        """Template.Funcs: add or replace functions (later wins)."""
        global _last_table
        last = _last_table
        if last is not None and last[0] is funcs:
            self._funcs.update(last[1])
        else:
            table: dict[str, tuple[Callable[..., Any], GoSig | None]] = {}
            for name, fn in funcs.items():
                if name not in _GOOD_NAMES:
                    if not _good_name(name):
                        raise ValueError(f"function name {name!r} is not a valid identifier")
                    _GOOD_NAMES.add(name)
                table[name] = (fn, None) if isinstance(fn, LazyGoFunc) else (fn, signature_of(fn))
            self._funcs.update(table)
            if type(funcs) is MappingProxyType:  # read-only: the table stays true to it
                _last_table = (funcs, table)
        if not self._names.issuperset(funcs):
            self._names = frozenset(self._funcs)

    def parse(self, name: str, text: str) -> Tree:
        """t.New(name).Parse(text) on this namespace; raises TemplateParseError.

        Returns the tree of the template Go's Parse returns. It is the parsed text even when
        Go's associate keeps an older non-empty definition of `name` in the namespace (text that
        is empty once its {{define}}s are taken out): what Template.Execute on Parse's result
        runs, as Helm's `tpl` does (`execute_tree`), unlike ExecuteTemplate (`execute`)."""
        break_ok, continue_ok = "break" not in self._funcs, "continue" not in self._funcs
        key = (text, break_ok, continue_ok, self._names)
        # Parsing allocates many small objects: pausing the cyclic GC avoids repeated scans
        # of everything already alive (values, other trees) while it runs.
        gc_enabled = gc.isenabled()
        gc.disable()
        try:
            cached = self._parse_cache.get(key)
            trees = None
            if cached is not None:
                trees = cached[1] if cached[0] == name else parse_cache.rehome(cached[1], cached[0], name, text)
            if trees is None:
                disk_key = parse_cache.entry_key(name, text, self._names, break_ok, continue_ok)
                if disk_key is not None:
                    trees = parse_cache.load(disk_key, name, text)
                if trees is None:
                    trees = parse_template(
                        name, text, _FuncNames(self._funcs), break_ok=break_ok, continue_ok=continue_ok
                    )
                    if disk_key is not None:
                        parse_cache.store(disk_key, name, trees)
                if len(self._parse_cache) < MAX_SHARED_PARSES:
                    self._parse_cache[key] = (name, trees)
        except ParseFailure as e:
            prefix = f"template: {e.parse_name}:{e.line}: "
            inner = e.message[len(prefix):] if e.message.startswith(prefix) else e.message
            raise TemplateParseError(
                e.message, SourcePos(e.parse_name, e.line, 1), name, e.line, None, inner
            ) from None
        finally:
            if gc_enabled:
                gc.enable()
        self._file_trees[name] = list(trees.values())
        own = trees[name]
        for tree_name, tree in trees.items():
            old = self._trees.get(tree_name)
            # Go's associate: an empty (re)definition never replaces an existing template.
            if old is not None and is_empty_tree(tree.root) and old.root is not None:
                continue
            self._trees[tree_name] = tree
        return own

    def clone(self) -> TemplateSet:
        """Template.Clone: a copy of the namespace and function map; trees are shared
        (they are never modified after parsing)."""
        twin = TemplateSet(missing_key=self.missing_key, root_name=self.root_name)
        twin._funcs = dict(self._funcs)
        twin._trees = dict(self._trees)
        twin._file_trees = dict(self._file_trees)
        twin._parse_cache = self._parse_cache
        twin._names = self._names
        return twin

    def discard(self) -> None:
        """Let go of this set's tables: for a clone made for one call (Helm's `tpl`). Its
        `include`/`tpl` functions refer back to it, a cycle only the cyclic GC could free, and
        the GC is paused while templates execute: without this, every `tpl` call of a render
        kept its copy of the function map (~9 kB) until the render ended."""
        self._funcs = {}
        self._trees = {}
        self._file_trees = {}
        self._current = None

    # --- queries -------------------------------------------------------------------------

    def has(self, name: str) -> bool:
        return name in self._trees

    def names(self) -> list[str]:
        return sorted(self._trees)

    def tree(self, name: str) -> Tree | None:
        """The parse tree executed for template `name` (for analysis passes)."""
        return self._trees.get(name)

    def comments(self, name: str) -> list[tuple[SourcePos, str]]:
        """Every {{/* comment */}} of the file parsed as `name`, in source order, with its
        position; the text includes the `/*` `*/` markers (Go's CommentNode.Text)."""
        out: list[tuple[SourcePos, str]] = []
        for tree in self._file_trees.get(name, []):
            out.extend(comments_of(tree))
        out.sort(key=lambda c: (c[0].line, c[0].column))
        return out

    # --- execution -----------------------------------------------------------------------

    def execute(self, name: str, data: Any) -> tuple[str, list[Segment]]:
        """ExecuteTemplate: the output and its source map; raises TemplateExecError."""
        text, make_segments = self.execute_mapped(name, data)
        return text, make_segments()

    def execute_mapped(self, name: str, data: Any) -> tuple[str, Callable[[], list[Segment]]]:
        """ExecuteTemplate: the output, and a function that makes its source map when called
        (what the execution recorded is kept for it until then; the output is not)."""
        state = self._run(name, data, True)
        text = "".join(state.out)
        state.out = []
        return text, state.segments

    def execute_text(self, name: str, data: Any) -> str:
        tree = self._trees.get(name)
        if tree is not None and not gc.isenabled() and on_deep_stack():
            # A nested execution (Helm's `include` calls this): already on the deep stack, the
            # GC already paused by the outer one; only what the output needs.
            try:
                state = execute_tree(self._templates(), tree, data, False)
            except ExecFailure as e:
                raise _exec_error(e) from None
            return "".join(state.out)
        return "".join(self._run(name, data, False).out)

    def _templates(self) -> Templates:
        """What an execution needs from this set, made again only when the set was changed."""
        t = self._current
        if t is None or t.trees is not self._trees or t.funcs is not self._funcs or t.missing_key != self.missing_key \
                or t.root_name != self.root_name:
            t = self._current = Templates(self._trees, self._funcs, self.missing_key, self.root_name)
        return t

    def execute_tree(self, tree: Tree, data: Any, record: bool = True) -> tuple[str, list[Segment]]:
        """Template.Execute of the template `parse` returned `tree` for."""
        state = self._run_tree(tree, data, record)
        return "".join(state.out), state.segments() if record else []

    def _run(self, name: str, data: Any, record: bool) -> State:
        tree = self._trees.get(name)
        if tree is None:
            message = f"template: no template {quote(name)} associated with template {quote(self.root_name)}"
            raise TemplateExecError(message, None, name, None, None, message)
        return self._run_tree(tree, data, record)

    def _run_tree(self, tree: Tree, data: Any, record: bool) -> State:
        """The finished execution of `tree` on `data`."""
        templates = self._templates()
        # Execution allocates many short-lived objects while the values and parse trees (often
        # hundreds of thousands of objects) stay alive: pause the cyclic GC, which would scan
        # them again and again, until the outermost execution ends.
        gc_enabled = gc.isenabled()
        gc.disable()
        try:
            state = call_deep(execute_tree, templates, tree, data, record)
        except ExecFailure as e:
            raise _exec_error(e) from None
        finally:
            if gc_enabled:
                gc.enable()
        return state

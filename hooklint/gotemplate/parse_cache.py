"""Parsed templates kept on disk between runs (the "parse" bucket of hooklint.runtime.cache).

Lexing and parsing dominate the rendering of big charts, and templates rarely change between
two runs: TemplateSet.parse looks a template text up here before parsing it, and stores what it
parsed. One entry per template text: an edit misses for the edited template only, and reading
one more small file costs ~10 µs, little next to what unpickling instead of parsing saves.
(Storing costs more: pickling takes about a third of the parse time, and each new entry is one
file written, a one-off cost paid by the first run that parses a template.)

Key (hooklint.runtime.cache.KeyBuilder, so hooklint's code fingerprint is part of it): the template
text, the `break`/`continue` lexing flags, the set of function names the parser accepts (an
undefined function is a parse error), and the file name only when the parse outcome may depend
on it: when the text {{define}}s or {{block}}s a template named like the file (Go's associate
rules then choose between the file's own tree and that definition). Otherwise the trees are
stored under the file name that parsed them first and re-homed (`rehome`) on load.

Value: the pickled `(file name, trees)`, sealed by the cache (a digest over key and payload,
checked on read: a damaged entry is deleted). The nodes are pickled as they are, positions
included, so a tree from the cache gives the same error messages, source map and comments as a
fresh parse; only the template text is left out (the key determines it; `load` puts it back). An
entry that does not unpickle into trees is a miss too. Parse errors are never stored: they take
Go's full error path every time.

Entries are unpickled: hooklint wrote them into the user's own cache directory, the same trust
as Python's .pyc files; the unpickler still resolves nothing but the node classes (anything else
makes the entry a miss).

Only texts with at least MIN_ACTIONS `{{` go through the cache. Measured (median per template,
parse vs. key + read + unpickle): 0 actions 7 µs vs 26 µs, 1 action 35 vs 37 µs, 2 actions 53
vs 39 µs, 6 actions 200 vs 66 µs; large templates come from the cache about 3.5 times faster.
"""

from __future__ import annotations

import copyreg
import io
import re

from hooklint.gotemplate.goconst import GoSyntaxError, unquote
from hooklint.gotemplate.nodes import Node, Tree
from hooklint.runtime import cache

TYPE_CHECKING = False  # not `typing`'s: importing typing costs ~3 ms of every run
if TYPE_CHECKING:
    from typing import Any

__all__ = ["BUCKET", "MIN_ACTIONS", "defined_names", "entry_key", "hold", "load", "rehome", "start_reporting",
           "store", "take_report"]

BUCKET = "parse"
# Texts with fewer "{{" than this are parsed, never looked up (see the module docstring).
MIN_ACTIONS = 2
_PROTOCOL = 5

# What follows `define` or `block` in a {{define "name"}} or {{block "name" ...}} header: Go's
# lexer needs at least one space after the keyword, and the name is a quoted or raw string.
_NAME_LITERAL = r'[ \t\r\n]+("(?:[^"\\\n]|\\.)*"|`[^`]*`)'

# Pickle emits its compact NEWOBJ opcode for reductions through this function.
_NEWOBJ = copyreg.__newobj__  # type: ignore[attr-defined]

_names_digests: dict[frozenset[str], str] = {}


def defined_names(text: str) -> frozenset[str]:
    """Every template name `text` may {{define}} or {{block}}. A superset: the keywords are
    also looked for in text outside actions, which only makes the file name part of a key
    (or prevents a re-homing) where it need not."""
    names = set()
    for keyword in ("define", "block"):
        i = text.find(keyword)
        while i >= 0:
            m = re.compile(_NAME_LITERAL).match(text, i + len(keyword))  # compiled once (re's cache)
            if m is not None:
                try:
                    names.add(unquote(m.group(1)))
                except GoSyntaxError:
                    pass  # not a valid name: the parse fails on it, or it is not an action
            i = text.find(keyword, i + len(keyword))
    return frozenset(names)


def rehome(trees: dict[str, Tree], old: str, new: str, text: str) -> dict[str, Tree] | None:
    """The trees of parsing `text` under file name `new`, from those of parsing it under `old`:
    new Tree objects (name, ParseName) sharing the parsed nodes, or None when the text may
    define a template named like either file (then the parse outcome itself may differ)."""
    defined = defined_names(text)
    if old in defined or new in defined or old not in trees:
        return None
    out: dict[str, Tree] = {}
    for tree_name, tree in trees.items():
        twin = Tree(new if tree_name == old else tree_name, new, tree.text)
        twin.root = tree.root
        out[twin.name] = twin
    return out


def _names_digest(names: frozenset[str]) -> str:
    """One digest per function-name set (computed once: a render uses one or two sets)."""
    digest = _names_digests.get(names)
    if digest is None:
        kb = cache.KeyBuilder("parse-funcs")
        for name in sorted(names):
            kb.add_str(name)
        digest = _names_digests[names] = kb.hexdigest()
    return digest


def entry_key(name: str, text: str, names: frozenset[str], break_ok: bool, continue_ok: bool) -> str | None:
    """The entry key of parsing `text` as file `name`, or None when the cache is off or the text
    is too small to be worth a lookup."""
    if text.count("{{") < MIN_ACTIONS or cache.cache_root() is None:
        return None
    try:
        kb = cache.KeyBuilder(BUCKET)
        kb.add_str(_names_digest(names))
        kb.add_str(f"{break_ok:d}{continue_ok:d}")
        kb.add_str(name if name in defined_names(text) else None)
        kb.add_str(text)
    except UnicodeEncodeError:  # a lone surrogate (from a `tpl` value): not worth a key
        return None
    return kb.hexdigest()


# What an entry leaves out of a Tree: its text (the key determines it; `load` puts it back) and
# what looking up positions memoizes on it (filled in when a run executes the template, which
# may happen before the entry is encoded; see `store`). The nodes keep only constants.
_TREE_STATE = tuple(slot for slot in Tree.__slots__ if slot not in ("text", "_line_starts", "_src_cache"))


def _reduce_tree(tree: Tree) -> tuple[Any, ...]:
    """A Tree as pickle's default for __slots__ classes has it, less what _TREE_STATE leaves out."""
    return _NEWOBJ, (Tree,), (None, {slot: getattr(tree, slot) for slot in _TREE_STATE})


class _Codec:
    """The pickler and unpickler of entries, made on first use: importing the pickle module
    costs about a millisecond that a run without the cache need not pay."""

    def __init__(self) -> None:
        try:  # the C module directly: `pickle` imports more than this uses
            import _pickle as pickle_mod
        except ImportError:  # pragma: no cover - other interpreters
            import pickle as pickle_mod  # type: ignore[no-redef]
        allowed: dict[tuple[str, str], Any] = {("builtins", "complex"): complex}  # NumberNode values
        stack: list[type] = [Tree, Node]
        while stack:
            cls = stack.pop()
            allowed[cls.__module__, cls.__qualname__] = cls
            stack.extend(cls.__subclasses__())
        pickler: Any = pickle_mod.Pickler
        unpickler: Any = pickle_mod.Unpickler
        unpickling_error = pickle_mod.UnpicklingError

        class Pickler(pickler):  # type: ignore[misc]
            # A private dispatch table rather than reducer_override: no Python call per node.
            dispatch_table = {Tree: _reduce_tree}

        class Unpickler(unpickler):  # type: ignore[misc]
            def find_class(self, module: str, name: str) -> Any:
                cls = allowed.get((module, name))
                if cls is None:
                    raise unpickling_error(f"{module}.{name} is not a template node")
                return cls

        self.pickler = Pickler
        self.unpickler = Unpickler


_the_codec: _Codec | None = None


def _codec() -> _Codec:
    global _the_codec
    if _the_codec is None:
        _the_codec = _Codec()
    return _the_codec


def load(key: str, name: str, text: str) -> dict[str, Tree] | None:
    """The trees stored under `key`, as parsing `text` under file name `name` gives them, or
    None (no entry, a damaged one, or one that cannot be re-homed)."""
    held = _held.get(key)
    if held is not None:
        stored, trees, _ = held
        if _reporting:
            _report[key] = b""  # used, not new: the server keeps it among the most recent
    else:
        data = cache.load(BUCKET, key)
        if data is None:
            return None
        decoded = _decode(data)
        if decoded is None:
            return None
        if _reporting:
            _report[key] = data
        stored, trees = decoded
    for tree in trees.values():
        tree.text = text
    return trees if stored == name else rehome(trees, stored, name, text)


def _decode(data: bytes) -> tuple[str, dict[str, Tree]] | None:
    """An entry's (file name, trees), their text not set yet; None when it holds anything else
    (the cache checked its digest when it was read)."""
    try:
        stored, trees = _codec().unpickler(io.BytesIO(data)).load()
        if type(stored) is not str or type(trees) is not dict or stored not in trees:
            return None
        first: Tree | None = None
        for tree in trees.values():
            if type(tree) is not Tree:
                return None
            tree._line_starts = None
            tree._src_cache = {}
            if first is None:
                first = tree
            else:
                first.share_positions(tree)  # as parsing gives them (parser._without_cycles)
    except Exception:  # noqa: BLE001 - whatever a damaged entry raises, it is a miss
        return None
    return stored, trees


# --- entries held in memory by a server ----------------------------------------------------
#
# A server (hooklint/runtime/server.py) forks a worker per run from a process that has imported
# everything; unpickling an entry still costs about a fifth of parsing its text. So each worker
# reports the entries its run read or wrote (`take_report`), and the server decodes them into
# its own memory (`hold`) while no run is going on, for the workers it forks next: a template
# parsed in any earlier run (the unchanged ones of an edited chart, a library chart vendored by
# many charts) then costs a dictionary lookup. Held trees never run in the server itself; a
# worker fills in their text (the key determines it; entries leave it out) on its copy.

HELD_BYTES = 16 << 20  # entries held, in encoded bytes (the trees take about three times that)
# key -> (file name, trees, encoded size), least recently used first
_held: dict[str, tuple[str, dict[str, Tree], int]] = {}
_reporting = False
_report: dict[str, bytes] = {}


def start_reporting() -> None:
    """Record the entries this process reads or writes from now on (a server's worker)."""
    global _reporting
    _reporting = True


def take_report() -> list[tuple[str, bytes]]:
    """The entries read or written since start_reporting, and the keys of the held entries
    used since then (with empty bytes)."""
    entries = list(_report.items())
    _report.clear()
    return entries


def hold(entries: list[tuple[str, bytes]]) -> int:
    """Keep these entries decoded in memory, the most recently used ones within HELD_BYTES (an
    entry with empty bytes is a held one a run used); how many were not held before."""
    added = 0
    for key, data in entries:
        if key in _held:
            _held[key] = _held.pop(key)  # most recently used last
            continue
        if not data or len(data) > HELD_BYTES // 4:
            continue
        decoded = _decode(data)
        if decoded is None:
            continue
        _held[key] = (*decoded, len(data))
        added += 1
    total = sum(size for _, _, size in _held.values())
    for key in list(_held):
        if total <= HELD_BYTES:
            break
        total -= _held.pop(key)[2]
    return added


def held_count() -> int:
    return len(_held)


def store(key: str, name: str, trees: dict[str, Tree]) -> None:
    """Store the trees of parsing a text under file name `name` (failures are ignored).

    Pickled when the entry is written: under the CLI that is after the output (by the writer
    process, or by a server's worker once its client has the exit code), so a run does not wait
    for it (pickling costs about 40% of parsing). Executing the templates in between changes
    nothing that is pickled (_TREE_STATE)."""

    def encode() -> bytes | None:
        f = io.BytesIO()
        try:
            _codec().pickler(f, _PROTOCOL).dump((name, trees))
        except Exception:  # noqa: BLE001 - e.g. a tree too deep to pickle: just not cached
            return None
        data = f.getvalue()
        if _reporting:
            _report[key] = data
        return data

    cache.store(BUCKET, key, encode)

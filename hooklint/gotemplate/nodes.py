"""Parse-tree nodes of Go's text/template (parse/node.go), with Go's String() forms.

`str(node)` is exactly what Go's Node.String() prints: the executor quotes it in error
messages (`executing "t" at <.Values.x>: ...`) and the round-trip tests re-parse it.
Positions are `str` indices into the owning Tree's text.
"""

from __future__ import annotations

import bisect

from hooklint.documents.source import SourcePos
from hooklint.gotemplate.gofmt import quote
from hooklint.gotemplate.gounicode import is_blank

TYPE_CHECKING = False  # not `typing`'s: importing typing costs ~3 ms of every run
if TYPE_CHECKING:
    from typing import Any


class Tree:
    """One parsed template: `name`, the file it came from (`parse_name`), its root list."""

    __slots__ = ("name", "parse_name", "root", "text", "_line_starts", "_src_cache")

    def __init__(self, name: str, parse_name: str, text: str) -> None:
        self.name = name
        self.parse_name = parse_name
        self.text = text
        self.root: ListNode | None = None
        self._line_starts: list[int] | None = None
        self._src_cache: dict[int, SourcePos] = {}

    def _starts(self) -> list[int]:
        starts = self._line_starts
        if not starts:  # None, or the empty list shared by the trees of one file (share_positions)
            found = [0]
            text = self.text
            i = text.find("\n")
            while i >= 0:
                found.append(i + 1)
                i = text.find("\n", i + 1)
            if starts is None:
                self._line_starts = starts = found
            else:
                starts.extend(found)
        return starts

    def share_positions(self, other: Tree) -> None:
        """Have `other`, parsed from the same text under the same file name (a {{define}} of
        this file), share this tree's line table and positions: a file's table is then made once,
        not once per define."""
        if self._line_starts is None:
            self._line_starts = []
        other._line_starts = self._line_starts
        other._src_cache = self._src_cache

    def line_col(self, pos: int) -> tuple[int, int]:
        """1-based line and 1-based character column of index `pos`."""
        starts = self._starts()
        i = bisect.bisect_right(starts, pos) - 1
        return i + 1, pos - starts[i] + 1

    def source_pos(self, pos: int) -> SourcePos:
        src = self._src_cache.get(pos)
        if src is None:
            line, col = self.line_col(pos)
            src = self._src_cache[pos] = SourcePos(self.parse_name, line, col)
        return src

    def go_location(self, pos: int) -> tuple[int, int]:
        """Go's ErrorContext line and column: the column is the 0-based *byte* offset."""
        starts = self._starts()
        i = bisect.bisect_right(starts, pos) - 1
        prefix = self.text[starts[i]:pos]
        return i + 1, len(prefix.encode("utf-8", "surrogateescape"))

    def error_context(self, node: Node) -> tuple[str, str]:
        """Go's Tree.ErrorContext: ("NAME:LINE:COL", node text)."""
        line, col = self.go_location(node.pos)
        return f"{self.parse_name}:{line}:{col}", str(node)


class Node:
    __slots__ = ("pos", "tree")

    def __init__(self, pos: int, tree: Tree | None) -> None:
        self.pos = pos
        self.tree = tree

    def __str__(self) -> str:
        parts: list[str] = []
        self.write_to(parts)
        return "".join(parts)

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {str(self)!r} @{self.pos}>"

    def write_to(self, out: list[str]) -> None:
        raise NotImplementedError


class ListNode(Node):
    __slots__ = ("nodes",)

    def __init__(self, pos: int, tree: Tree | None) -> None:
        self.pos = pos  # (Node.__init__ inlined: parsing creates many nodes)
        self.tree = tree
        self.nodes: list[Node] = []

    def write_to(self, out: list[str]) -> None:
        for n in self.nodes:
            n.write_to(out)


class TextNode(Node):
    __slots__ = ("text",)

    def __init__(self, pos: int, tree: Tree | None, text: str) -> None:
        self.pos = pos
        self.tree = tree
        self.text = text

    def write_to(self, out: list[str]) -> None:
        out.append(self.text)


class CommentNode(Node):
    """`{{/* text */}}`; `text` includes the `/*` and `*/` markers, as in Go."""

    __slots__ = ("text",)

    def __init__(self, pos: int, tree: Tree | None, text: str) -> None:
        self.pos = pos
        self.tree = tree
        self.text = text

    def write_to(self, out: list[str]) -> None:
        out.append("{{")
        out.append(self.text)
        out.append("}}")


class VariableNode(Node):
    __slots__ = ("ident",)

    def __init__(self, pos: int, tree: Tree | None, ident: str) -> None:
        self.pos = pos
        self.tree = tree
        self.ident = ident.split(".")

    def write_to(self, out: list[str]) -> None:
        out.append(".".join(self.ident))


class PipeNode(Node):
    __slots__ = ("line", "is_assign", "decl", "cmds")

    def __init__(self, pos: int, tree: Tree | None, line: int) -> None:
        self.pos = pos
        self.tree = tree
        self.line = line
        self.is_assign = False
        self.decl: list[VariableNode] = []
        self.cmds: list[CommandNode] = []

    def write_to(self, out: list[str]) -> None:
        if self.decl:
            for i, v in enumerate(self.decl):
                if i > 0:
                    out.append(", ")
                v.write_to(out)
            out.append(" = " if self.is_assign else " := ")
        for i, c in enumerate(self.cmds):
            if i > 0:
                out.append(" | ")
            c.write_to(out)


class ActionNode(Node):
    __slots__ = ("line", "pipe")

    def __init__(self, pos: int, tree: Tree | None, line: int, pipe: PipeNode) -> None:
        self.pos = pos
        self.tree = tree
        self.line = line
        self.pipe = pipe

    def write_to(self, out: list[str]) -> None:
        out.append("{{")
        self.pipe.write_to(out)
        out.append("}}")


class CommandNode(Node):
    __slots__ = ("args",)

    def __init__(self, pos: int, tree: Tree | None) -> None:
        self.pos = pos
        self.tree = tree
        self.args: list[Node] = []

    def write_to(self, out: list[str]) -> None:
        for i, arg in enumerate(self.args):
            if i > 0:
                out.append(" ")
            if isinstance(arg, PipeNode):
                out.append("(")
                arg.write_to(out)
                out.append(")")
                continue
            arg.write_to(out)


class IdentifierNode(Node):
    __slots__ = ("ident",)

    def __init__(self, pos: int, tree: Tree | None, ident: str) -> None:
        self.pos = pos
        self.tree = tree
        self.ident = ident

    def write_to(self, out: list[str]) -> None:
        out.append(self.ident)


class DotNode(Node):
    __slots__ = ()

    def write_to(self, out: list[str]) -> None:
        out.append(".")


class NilNode(Node):
    __slots__ = ()

    def write_to(self, out: list[str]) -> None:
        out.append("nil")


class FieldNode(Node):
    __slots__ = ("ident",)

    def __init__(self, pos: int, tree: Tree | None, ident: str) -> None:
        self.pos = pos
        self.tree = tree
        self.ident = ident[1:].split(".")

    def write_to(self, out: list[str]) -> None:
        for ident in self.ident:
            out.append(".")
            out.append(ident)


class ChainNode(Node):
    __slots__ = ("node", "field")

    def __init__(self, pos: int, tree: Tree | None, node: Node) -> None:
        self.pos = pos
        self.tree = tree
        self.node = node
        self.field: list[str] = []

    def add(self, field: str) -> None:
        self.field.append(field[1:])

    def write_to(self, out: list[str]) -> None:
        if isinstance(self.node, PipeNode):
            out.append("(")
            self.node.write_to(out)
            out.append(")")
        else:
            self.node.write_to(out)
        for f in self.field:
            out.append(".")
            out.append(f)


class BoolNode(Node):
    __slots__ = ("true",)

    def __init__(self, pos: int, tree: Tree | None, true: bool) -> None:
        self.pos = pos
        self.tree = tree
        self.true = true

    def write_to(self, out: list[str]) -> None:
        out.append("true" if self.true else "false")


class NumberNode(Node):
    """A numeric constant stored under every Go type that can represent it."""

    __slots__ = ("text", "is_int", "is_uint", "is_float", "is_complex", "int64", "uint64",
                 "float64", "complex128", "ideal")

    def __init__(self, pos: int, tree: Tree | None, text: str) -> None:
        self.pos = pos
        self.tree = tree
        self.text = text
        self.is_int = self.is_uint = self.is_float = self.is_complex = False
        self.int64 = 0
        self.uint64 = 0
        self.float64 = 0.0
        self.complex128 = 0j
        # The value the executor uses where no type is known (idealConstant), computed once.
        self.ideal: Any = None

    def write_to(self, out: list[str]) -> None:
        out.append(self.text)


class StringNode(Node):
    __slots__ = ("quoted", "text")

    def __init__(self, pos: int, tree: Tree | None, quoted: str, text: str) -> None:
        self.pos = pos
        self.tree = tree
        self.quoted = quoted
        self.text = text

    def write_to(self, out: list[str]) -> None:
        out.append(self.quoted)


class EndNode(Node):
    __slots__ = ()

    def write_to(self, out: list[str]) -> None:
        out.append("{{end}}")


class ElseNode(Node):
    __slots__ = ("line",)

    def __init__(self, pos: int, tree: Tree | None, line: int) -> None:
        self.pos = pos
        self.tree = tree
        self.line = line

    def write_to(self, out: list[str]) -> None:
        out.append("{{else}}")


class BranchNode(Node):
    __slots__ = ("line", "pipe", "list", "else_list")
    keyword = ""

    def __init__(self, pos: int, tree: Tree | None, line: int, pipe: PipeNode, list_: ListNode,
                 else_list: ListNode | None) -> None:
        self.pos = pos
        self.tree = tree
        self.line = line
        self.pipe = pipe
        self.list = list_
        self.else_list = else_list

    def write_to(self, out: list[str]) -> None:
        out.append("{{")
        out.append(self.keyword)
        out.append(" ")
        self.pipe.write_to(out)
        out.append("}}")
        self.list.write_to(out)
        if self.else_list is not None:
            out.append("{{else}}")
            self.else_list.write_to(out)
        out.append("{{end}}")


class IfNode(BranchNode):
    __slots__ = ()
    keyword = "if"


class RangeNode(BranchNode):
    __slots__ = ()
    keyword = "range"


class WithNode(BranchNode):
    __slots__ = ()
    keyword = "with"


class BreakNode(Node):
    __slots__ = ("line",)

    def __init__(self, pos: int, tree: Tree | None, line: int) -> None:
        self.pos = pos
        self.tree = tree
        self.line = line

    def write_to(self, out: list[str]) -> None:
        out.append("{{break}}")


class ContinueNode(Node):
    __slots__ = ("line",)

    def __init__(self, pos: int, tree: Tree | None, line: int) -> None:
        self.pos = pos
        self.tree = tree
        self.line = line

    def write_to(self, out: list[str]) -> None:
        out.append("{{continue}}")


class TemplateNode(Node):
    __slots__ = ("line", "name", "pipe")

    def __init__(self, pos: int, tree: Tree | None, line: int, name: str, pipe: PipeNode | None) -> None:
        self.pos = pos
        self.tree = tree
        self.line = line
        self.name = name
        self.pipe = pipe

    def write_to(self, out: list[str]) -> None:
        out.append("{{template ")
        out.append(quote(self.name))
        if self.pipe is not None:
            out.append(" ")
            self.pipe.write_to(out)
        out.append("}}")


def is_empty_tree(n: Node | None) -> bool:
    """Go's parse.IsEmptyTree: nothing but space and comments."""
    if n is None or isinstance(n, CommentNode):
        return True
    if isinstance(n, ListNode):
        return all(is_empty_tree(x) for x in n.nodes)
    if isinstance(n, TextNode):
        return is_blank(n.text)  # bytes.TrimSpace: not Python's strip(), which drops \x1c-\x1f too
    return False

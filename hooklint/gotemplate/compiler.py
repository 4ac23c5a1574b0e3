"""Compile a parsed template to Python code: the tree-walker (executor.State) with the walk done
once, at compile time.

`generate(root, funcs)` turns a template's root ListNode into the source of a module defining
`make(N)`; `make` takes the template's nodes (in `node_list` order) and returns `run(S, dot)`,
which does exactly what `State.walk(dot, root)` does. The generated code inlines the common
shapes (text, dict field chains, calls of functions whose signature is known when compiling,
if/with/range, variables) and calls the State's own methods for everything else, so the
tree-walker stays the one definition of Go's semantics. The rules that keep the two identical:

- `S.node` is set wherever the walker sets `self.node` before something that can fail (error
  messages and positions come from it), so handing over to a State method at any point is exact;
- values go through the same sentinels (NO_VALUE, MISSING) and conversions (validate_type);
- a call site compiled for a signature checks, per call, that the function it finds has that
  signature (a template set may bind another function to the name), else takes the walker's path.

The source refers to nodes only by index and to functions only by name (signatures are spelled
out), so a code object could be marshalled and bound to the trees of a later run; that is not
done: loading and binding every template of bitnami mysql that way (5.5 ms marshal, 11 ms bind)
costs more than compiled execution saves in a run (about 3 ms).

When it is used: executor.run_root (tiered, COMPILE_AFTER). Declined (tree-walked instead):
templates whose ranges nest deeper than MAX_RANGE_NESTING, or whose source Python's compiler
refuses (too deeply indented, too large).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator

from hooklint.gotemplate import executor
from hooklint.gotemplate.builtins import BUILTIN_SIGS, BUILTINS, MISSING, NO_VALUE, REFLECT_VALUE, is_true
from hooklint.gotemplate.gofmt import format_value
from hooklint.gotemplate.gotypes import ANY, GoFuncError, GoPanic, GoSig, StrList, StrMap
from hooklint.gotemplate.nodes import (
    ActionNode,
    BoolNode,
    BranchNode,
    BreakNode,
    ChainNode,
    CommandNode,
    CommentNode,
    ContinueNode,
    DotNode,
    FieldNode,
    IdentifierNode,
    IfNode,
    ListNode,
    NilNode,
    Node,
    NumberNode,
    PipeNode,
    RangeNode,
    StringNode,
    TemplateNode,
    TextNode,
    VariableNode,
    WithNode,
)

TYPE_CHECKING = False  # not `typing`'s: importing typing costs ~3 ms of every run
if TYPE_CHECKING:
    from typing import Any

__all__ = ["Declined", "bind", "compile_source", "generate", "node_list"]

# Python's compiler refuses more than 20 statically nested blocks (for, try); a range is three
# of them, so templates with deeper ranges stay with the tree-walker. (An if/with is no block;
# very deep ones exceed the indentation Python's tokenizer allows and are declined as well.)
MAX_RANGE_NESTING = 6


class Declined(Exception):
    """The template is not compiled (too deeply nested for Python's compiler): tree-walk it."""


def node_list(root: ListNode) -> list[Node]:
    """Every node under `root` (itself included) in a fixed pre-order: the generated code's N."""
    out: list[Node] = []
    stack: list[Node] = [root]
    while stack:
        n = stack.pop()
        out.append(n)
        t = type(n)
        kids: list[Node] = []
        if t is ListNode:
            kids = list(n.nodes)  # type: ignore[attr-defined]
        elif t is ActionNode:
            kids = [n.pipe]  # type: ignore[attr-defined]
        elif t is PipeNode:
            kids = [*n.decl, *n.cmds]  # type: ignore[attr-defined]
        elif t is CommandNode:
            kids = list(n.args)  # type: ignore[attr-defined]
        elif t is ChainNode:
            kids = [n.node]  # type: ignore[attr-defined]
        elif isinstance(n, BranchNode):
            kids = [n.pipe, n.list] + ([n.else_list] if n.else_list is not None else [])
        elif t is TemplateNode and n.pipe is not None:  # type: ignore[attr-defined]
            kids = [n.pipe]  # type: ignore[attr-defined]
        stack.extend(reversed(kids))
    return out


# --- run-time helpers the generated code calls (its globals) ---------------------------------


def _call_failed(s: Any, e: BaseException, cmd: Node, name: str) -> None:
    """eval_call's handling of an exception out of the called function."""
    if isinstance(e, (GoFuncError, GoPanic)):
        s.node = cmd
        s.errorf(f"error calling {name}: {e}")
    if isinstance(e, RecursionError):
        s.node = cmd
        raise e
    if isinstance(e, (executor._DepthExceeded, executor._Break, executor._Continue)) or not isinstance(e, Exception):
        raise e
    s.node = cmd
    s.errorf(f"error calling {name}: {e or type(e).__name__}")


def _range_items(s: Any, v: Any, ndecl: int) -> tuple[Iterator[tuple[Any, Any]], bool] | None:
    """What State._range iterates over: ((index, element) pairs, elements sit in interface{}),
    or None when it runs the else branch."""
    t = type(v)
    if t is list or isinstance(v, list):
        if v:
            return enumerate(v), not isinstance(v, StrList)
        return None
    if t is dict or isinstance(v, dict):
        if v:
            return ((k, v[k]) for k in sorted(v)), not isinstance(v, StrMap)
        return None
    if isinstance(v, int) and not isinstance(v, bool):
        if ndecl > 1:
            s.errorf(f"can't use {format_value(v)} to iterate over more than one variable")
        if v > 0:
            cls = type(v)
            return ((NO_VALUE, i if cls is int else cls(i)) for i in range(v)), False
        return None
    if v is NO_VALUE:
        return None
    s.errorf(f"range can't iterate over {format_value(v)}")
    return None  # not reached: errorf raises


def _sig_ok(cells: list[Any], k: int, entry: Any, want: GoSig) -> bool:
    """Whether call site k may use its argument handling compiled for signature `want` with this
    function map entry (the last entry that did is remembered: the check is an identity test)."""
    if entry is not None and entry[1] is not None and entry[1] == want:
        cells[k] = entry
        return True
    return False


def _chain(s: Any, dot: Any, recv: Any, iface: bool, node: Any) -> Any:
    """eval_field_chain of a field or variable node with no arguments (the general case)."""
    return s.eval_field_chain(dot, recv, iface, node, node.ident if type(node) is FieldNode else node.ident[1:],
                              None, MISSING)


def _globals() -> dict[str, Any]:
    return {
        "__builtins__": __builtins__,
        "NO_VALUE": NO_VALUE,
        "MISSING": MISSING,
        "is_true": is_true,
        "BUILTINS": BUILTINS,
        "GoSig": GoSig,
        "_Break": executor._Break,
        "_Continue": executor._Continue,
        "_truth": executor.branch_truth,
        "_chain": _chain,
        "_field": executor.plain_field,
        "_printed": executor.print_text,
        "_call_failed": _call_failed,
        "_range_items": _range_items,
        "_sig_ok": _sig_ok,
        "zero_of": executor.zero_of,
        "INT_CONV": executor._INT_TYPES,
        "UINT_CONV": executor._UINT_TYPES,
    }


# --- code generation -------------------------------------------------------------------------


class _Gen:
    def __init__(self, root: ListNode, funcs: dict[str, tuple[Callable[..., Any], GoSig | None]],
                 record: bool) -> None:
        self.nodes = node_list(root)
        self.index = {id(n): i for i, n in enumerate(self.nodes)}
        self.funcs = funcs
        self.lines: list[str] = []
        self.tmp = 0
        self.sigs: list[GoSig] = []
        self.depth = 0
        self.used: set[int] = set()
        self.builtins: set[str] = set()
        self.record = record

    def n(self, node: Node) -> str:
        i = self.index[id(node)]
        self.used.add(i)
        return f"n{i}"

    def new(self, prefix: str) -> str:
        self.tmp += 1
        return f"{prefix}{self.tmp}"

    def emit(self, ind: int, line: str) -> None:
        line = "    " * ind + line
        lines = self.lines
        # Two node assignments in a row: only the second one can be seen.
        if line.lstrip().startswith("S.node = ") and lines and lines[-1].lstrip().startswith("S.node = ") \
                and len(lines[-1]) - len(lines[-1].lstrip()) == 4 * ind:
            lines[-1] = line
        else:
            lines.append(line)

    def write(self, ind: int, text: str, node: Node) -> None:
        """State.write(text, node): the source map only when this variant records one."""
        if self.record:
            self.emit(ind, f"S.write({text}, {self.n(node)})")
        else:
            self.emit(ind, f"o({text})")

    # --- statements ----------------------------------------------------------------------

    def block(self, lst: ListNode | None, ind: int, dot: str) -> None:
        start = len(self.lines)
        if lst is not None:
            for node in lst.nodes:
                self.stmt(node, ind, dot)
        if len(self.lines) == start:
            self.emit(ind, "pass")

    def stmt(self, node: Node, ind: int, dot: str) -> None:
        t = type(node)
        if t is TextNode:
            text = node.text  # type: ignore[attr-defined]
            if text:
                self.write(ind, repr(text), node)
        elif t is CommentNode:
            pass
        elif t is ActionNode:
            self.action(node, ind, dot)  # type: ignore[arg-type]
        elif t is IfNode or t is WithNode:
            self.if_with(node, ind, dot)  # type: ignore[arg-type]
        elif t is RangeNode:
            self.range_(node, ind, dot)  # type: ignore[arg-type]
        elif t is TemplateNode:
            self.emit(ind, f"S.node = {self.n(node)}")
            self.emit(ind, f"S.walk_template({dot}, {self.n(node)})")
        elif t is BreakNode:
            self.emit(ind, f"S.node = {self.n(node)}")
            self.emit(ind, "raise _Break()")
        elif t is ContinueNode:
            self.emit(ind, f"S.node = {self.n(node)}")
            self.emit(ind, "raise _Continue()")
        else:
            self.emit(ind, f"S.walk({dot}, {self.n(node)})")

    def action(self, node: ActionNode, ind: int, dot: str) -> None:
        me = self.n(node)
        self.emit(ind, f"S.node = {me}")
        v = self.pipe(node.pipe, ind, dot)
        if node.pipe.decl:
            return
        self.emit(ind, f"S.node = {me}")
        self.emit(ind, f"if type({v}) is not str: {v} = '<no value>' if {v} is NO_VALUE else _printed(S, {v}, {me})")
        self.write(ind, v, node)

    def if_with(self, node: IfNode | WithNode, ind: int, dot: str) -> None:
        mark = self.new("m")
        self.emit(ind, f"S.node = {self.n(node)}")
        self.emit(ind, f"{mark} = len(vs)")
        v = self.pipe(node.pipe, ind, dot)
        self.emit(ind, f"if {v} is True or ({v} is not False and _truth(S, {v})):")
        if type(node) is WithNode:
            saved = self.new("i")
            self.emit(ind + 1, f"{saved} = S.dot_iface")
            self.emit(ind + 1, "S.dot_iface = False")
            self.block(node.list, ind + 1, v)
            self.emit(ind + 1, f"S.dot_iface = {saved}")
        else:
            self.block(node.list, ind + 1, dot)
        if node.else_list is not None:
            self.emit(ind, "else:")
            self.block(node.else_list, ind + 1, dot)
        self.emit(ind, f"del vs[{mark}:]")

    def range_(self, node: RangeNode, ind: int, dot: str) -> None:
        self.depth += 1
        if self.depth > MAX_RANGE_NESTING:
            raise Declined(f"range nested more than {MAX_RANGE_NESTING} deep")
        me = self.n(node)
        outer, mark, saved, items, it, iface, idx, el = (
            self.new("m"), self.new("m"), self.new("i"), self.new("r"), self.new("t"), self.new("f"),
            self.new("k"), self.new("e"),
        )
        pipe = node.pipe
        decl = pipe.decl
        ndecl = len(decl)
        breaks = _has(node.list, BreakNode) or _has(node.else_list, BreakNode)
        continues = _has(node.list, ContinueNode)
        self.emit(ind, f"S.node = {me}")
        self.emit(ind, f"{outer} = len(vs)")
        if breaks:
            self.emit(ind, "try:")
            ind += 1
        v = self.pipe(pipe, ind, dot)
        self.emit(ind, f"{mark} = len(vs)")
        self.emit(ind, f"{saved} = S.dot_iface")
        self.emit(ind, f"{items} = _range_items(S, {v}, {ndecl})")
        self.emit(ind, f"if {items} is not None:")
        self.emit(ind + 1, f"{it}, {iface} = {items}")
        self.emit(ind + 1, f"for {idx}, {el} in {it}:")
        body = ind + 2
        if ndecl > 0:
            first = decl[0].ident[0]
            if pipe.is_assign:
                if ndecl > 1:
                    self.emit(body, f"S.set_var({first!r}, {idx})")
                else:
                    self.emit(body, f"S.set_var({first!r}, {el}, {iface})")
            else:
                self.emit(body, f"x = vs[-1]; x[1] = {el}; x[2] = {iface}")
        if ndecl > 1:
            if pipe.is_assign:
                self.emit(body, f"S.set_var({decl[1].ident[0]!r}, {el}, {iface})")
            else:
                self.emit(body, f"x = vs[-2]; x[1] = {idx}; x[2] = False")
        self.emit(body, f"S.dot_iface = {iface}")
        self.emit(body, "try:")
        self.block(node.list, body + 1, el)
        if continues:
            self.emit(body, "except _Continue:")
            self.emit(body + 1, "pass")
        self.emit(body, "finally:")
        self.emit(body + 1, f"S.dot_iface = {saved}")
        self.emit(body + 1, f"del vs[{mark}:]")
        if node.else_list is not None:
            self.emit(ind, "else:")
            self.block(node.else_list, ind + 1, dot)
        if breaks:
            ind -= 1
            self.emit(ind, "except _Break:")
            self.emit(ind + 1, "pass")
        self.emit(ind, f"del vs[{outer}:]")
        self.depth -= 1

    # --- expressions (each emits statements and returns the local holding the value) -------

    def pipe(self, pipe: PipeNode, ind: int, dot: str) -> str:
        v = self.new("v")
        self.emit(ind, f"S.node = {self.n(pipe)}")
        cmds = pipe.cmds
        if len(cmds) == 1 and not pipe.decl:
            self.command(cmds[0], ind, dot, None, v)
            self.emit(ind, f"if {v} is None: {v} = NO_VALUE")
            return v
        final: str | None = None
        for cmd in cmds:
            self.command(cmd, ind, dot, final, v)
            self.emit(ind, f"if {v} is None: {v} = NO_VALUE")
            final = v
        for variable in pipe.decl:
            name = variable.ident[0]
            if pipe.is_assign:
                self.emit(ind, f"S.set_var({name!r}, {v})")
            else:
                self.emit(ind, f"vs.append([{name!r}, {v}, False])")
        return v

    def command(self, cmd: CommandNode, ind: int, dot: str, final: str | None, out: str) -> None:
        """Emit `out = <eval_command(dot, cmd, final)>` (final None: MISSING)."""
        first = cmd.args[0]
        t = type(first)
        fin = final if final is not None else "MISSING"
        plain = len(cmd.args) == 1 and final is None
        me = self.n(first)
        if t is FieldNode and plain:
            self.emit(ind, f"S.node = {me}")
            self.chain(ind, dot, dot, "S.dot_iface", first, first.ident, out)  # type: ignore[attr-defined]
        elif t is VariableNode and plain:
            self.variable(first, ind, dot, out)  # type: ignore[arg-type]
        elif t is IdentifierNode:
            self.call(first, cmd, cmd.args[1:], ind, dot, final, out)  # type: ignore[arg-type]
        elif t is PipeNode and plain:
            v = self.pipe(first, ind, dot)  # type: ignore[arg-type]
            self.emit(ind, f"{out} = {v}")
        elif t is StringNode and plain:
            self.emit(ind, f"S.node = {me}")
            self.emit(ind, f"{out} = {first.text!r}")  # type: ignore[attr-defined]
        elif t is BoolNode and plain:
            self.emit(ind, f"S.node = {me}")
            self.emit(ind, f"{out} = {first.true!r}")  # type: ignore[attr-defined]
        elif t is DotNode and plain:
            self.emit(ind, f"S.node = {me}")
            self.emit(ind, f"{out} = {dot}")
        elif t is NumberNode and plain:
            self.emit(ind, f"S.node = {me}")
            self.emit(ind, f"{out} = S.ideal_constant({me})")
        else:
            self.emit(ind, f"{out} = S.eval_command({dot}, {self.n(cmd)}, {fin})")

    def variable(self, node: VariableNode, ind: int, dot: str, out: str) -> None:
        """eval_variable_node with no arguments."""
        me = self.n(node)
        self.emit(ind, f"S.node = {me}")
        if len(node.ident) == 1:
            self.emit(ind, f"{out} = S.var_value({node.ident[0]!r})[1]")
        else:
            entry = self.new("x")
            self.emit(ind, f"{entry} = S.var_value({node.ident[0]!r})")
            recv = self.new("w")
            self.emit(ind, f"{recv} = {entry}[1]")
            self.chain(ind, dot, recv, f"{entry}[2]", node, node.ident[1:], out)

    def chain(self, ind: int, dot: str, recv: str, iface: str, node: Node, ident: list[str], out: str) -> None:
        """eval_field_chain(dot, recv, iface, node, ident, None, MISSING): plain maps inline."""
        conds = [f"({out} := ({out}.get({name!r}, MISSING) if type({out}) is dict else _field({out}, {name!r}))) "
                 "is not MISSING" for name in ident]
        self.emit(ind, f"{out} = {recv}")
        self.emit(ind, f"if not ({' and '.join(conds)}): {out} = _chain(S, {dot}, {recv}, {iface}, {self.n(node)})")

    def call(self, ident: IdentifierNode, cmd: Node, argn: list[Node], ind: int, dot: str, final: str | None,
             out: str) -> None:
        """eval_function + eval_call; `cmd` is the node errors are reported at."""
        name = ident.ident
        me = self.n(ident)
        fin = final if final is not None else "MISSING"
        args_expr = f"{self.n(cmd)}.args" if type(cmd) is CommandNode else "None"
        slow = f"S.eval_function({dot}, {me}, {self.n(cmd)}, {args_expr}, {fin})"
        self.emit(ind, f"S.node = {me}")
        entry = self.funcs.get(name)
        if entry is None:
            if name in ("and", "or") and (argn or final is not None):
                self.emit(ind, f"if {name!r} in F: {out} = {slow}")
                self.emit(ind, "else:")
                self.and_or(name == "or", argn, ind + 1, dot, final, out)
                return
            if name not in BUILTINS or name in ("and", "or", "call"):
                self.emit(ind, f"{out} = {slow}")
                return
            sig = BUILTIN_SIGS[name]
            self.emit(ind, f"if {name!r} in F: {out} = {slow}")
            self.emit(ind, "else:")
            self.call_with(sig, f"B_{name}", name, cmd, argn, ind + 1, dot, final, out, slow)
            self.builtins.add(name)
            return
        sig_or_none = entry[1]
        if sig_or_none is None:  # not resolved yet: the walker resolves it
            self.emit(ind, f"{out} = {slow}")
            return
        k = len(self.sigs)
        self.sigs.append(sig_or_none)
        e = self.new("x")
        self.emit(ind, f"{e} = F.get({name!r})")
        self.emit(ind, f"if {e} is C[{k}] or _sig_ok(C, {k}, {e}, SIGS[{k}]):")
        self.call_with(sig_or_none, f"{e}[0]", name, cmd, argn, ind + 1, dot, final, out, slow)
        self.emit(ind, "else:")
        self.emit(ind + 1, f"{out} = {slow}")

    def and_or(self, want: bool, argn: list[Node], ind: int, dot: str, final: str | None, out: str) -> None:
        """The builtin and (want False) / or (want True): the first argument whose truth is
        `want`, else the last one (the piped value last); later ones are not evaluated."""
        if final is not None:  # `out` is the pipeline's variable: it holds the piped value now
            piped = self.new("p")
            self.emit(ind, f"{piped} = {final}")
            final = piped
        for i, arg in enumerate(argn):
            a = self.arg(arg, REFLECT_VALUE, ind, dot)
            self.emit(ind, f"{out} = {a}")
            if i == len(argn) - 1 and final is None:
                return
            self.emit(ind, f"if {'not ' if want else ''}is_true({out})[0]:")
            ind += 1
        if final is not None:
            self.emit(ind, f"{out} = {final}")

    def call_with(self, sig: GoSig, fn: str, name: str, cmd: Node, argn: list[Node], ind: int, dot: str,
                  final: str | None, out: str, slow: str) -> None:
        params = sig.params
        variadic = sig.variadic
        num_in = len(argn) + (final is not None)
        if (variadic is None and num_in != len(params)) or (variadic is not None and num_in < len(params)):
            self.emit(ind, f"{out} = {slow}")  # the walker reports the count
            return
        argv: list[str] = []
        for i, arg in enumerate(argn):
            typ = params[i] if i < len(params) else variadic
            assert typ is not None
            argv.append(self.arg(arg, typ, ind, dot))
        if final is not None:
            typ = params[num_in - 1] if num_in - 1 < len(params) else variadic
            assert typ is not None
            argv.append(self.validated(final, typ, ind))
        self.emit(ind, f"try: {out} = {fn}({', '.join(argv)})")
        self.emit(ind, f"except BaseException as ex: _call_failed(S, ex, {self.n(cmd)}, {name!r})")

    def validated(self, v: str, typ: str, ind: int) -> str:
        """validate_type(v, typ), in place."""
        if typ == ANY:
            self.emit(ind, f"if {v} is NO_VALUE: {v} = None")
        elif typ == REFLECT_VALUE:
            pass
        elif typ == "string":
            self.emit(ind, f"if type({v}) is not str: {v} = S.validate_type({v}, 'string')")
        elif typ in _EXACT:
            self.emit(ind, f"if type({v}) is not {_EXACT[typ]}: {v} = S.validate_type({v}, {typ!r})")
        else:
            self.emit(ind, f"{v} = S.validate_type({v}, {typ!r})")
        return v

    def arg(self, n: Node, typ: str, ind: int, dot: str) -> str:
        """eval_arg(dot, typ, n)."""
        t = type(n)
        me = self.n(n)
        v = self.new("a")
        self.emit(ind, f"S.node = {me}")
        if t is FieldNode:
            self.chain(ind, dot, dot, "S.dot_iface", n, n.ident, v)  # type: ignore[attr-defined]
            return self.validated(v, typ, ind)
        if t is DotNode:
            self.emit(ind, f"{v} = {dot}")
            return self.validated(v, typ, ind)
        if t is VariableNode:
            self.variable(n, ind, dot, v)  # type: ignore[arg-type]
            return self.validated(v, typ, ind)
        if t is PipeNode:
            p = self.pipe(n, ind, dot)  # type: ignore[arg-type]
            return self.validated(p, typ, ind)
        if t is IdentifierNode:
            self.call(n, n, [], ind, dot, None, v)  # type: ignore[arg-type]
            return self.validated(v, typ, ind)
        const = _constant(n, typ)
        if const is not None:
            self.emit(ind, f"{v} = {const}")
            return v
        self.emit(ind, f"{v} = S.eval_arg({dot}, {typ!r}, {me})")
        return v


# Parameter types a value of this exact Python type is assignable to (executor.type_name).
_EXACT = {"int": "int", "string": "str", "bool": "bool", "float64": "float", "map[string]interface {}": "dict",
          "[]interface {}": "list"}


def _constant(n: Node, typ: str) -> str | None:
    """The source of eval_arg's value for a constant node, when it cannot fail."""
    t = type(n)
    if typ == ANY or typ == REFLECT_VALUE:
        if t is StringNode:
            return repr(n.text)  # type: ignore[attr-defined]
        if t is BoolNode:
            return repr(n.true)  # type: ignore[attr-defined]
        if t is NilNode or t is NumberNode:
            return None  # the walker's (NilNode: an error; numbers: ideal_constant)
        return None
    if t is StringNode and typ == "string":
        return repr(n.text)  # type: ignore[attr-defined]
    if t is BoolNode and typ == "bool":
        return repr(n.true)  # type: ignore[attr-defined]
    if t is NumberNode:
        if typ == "int" and n.is_int:  # type: ignore[attr-defined]
            return repr(int(n.int64))  # type: ignore[attr-defined]
        if typ in ("int64", "int32") and n.is_int:  # type: ignore[attr-defined]
            return f"INT_CONV[{typ!r}]({int(n.int64)!r})"  # type: ignore[attr-defined]
        if typ in ("float64", "float32") and n.is_float and math.isfinite(n.float64):  # type: ignore[attr-defined]
            return repr(float(n.float64))  # type: ignore[attr-defined]
    return None


def _has(lst: ListNode | None, cls: type) -> bool:
    """Whether `cls` (break/continue) occurs anywhere in `lst`: then the range catches it. (One
    in a nested range belongs to that range; catching it here too costs nothing.)"""
    if lst is None:
        return False
    for n in lst.nodes:
        if type(n) is cls:
            return True
        if isinstance(n, BranchNode) and (_has(n.list, cls) or _has(n.else_list, cls)):
            return True
    return False


def generate(root: ListNode, funcs: dict[str, tuple[Callable[..., Any], GoSig | None]], record: bool) -> str:
    """The module source for `root` (raises Declined): `record` makes it keep the source map,
    as State.write does when the state records one. Call sites of functions whose signature
    is known in `funcs` are specialised for it."""
    g = _Gen(root, funcs, record)
    g.emit(1, "def run(S, dot):")
    g.emit(2, "o = S.out.append; F = S.t.funcs; vs = S.vars")
    g.emit(2, f"S.node = {g.n(root)}")
    g.block(root, 2, "dot")
    g.emit(1, "return run")
    sigs = "".join(f"GoSig({s.params!r}, {s.variadic!r}, {s.returns_error!r}, {s.result!r}), " for s in g.sigs)
    used = sorted(g.used)
    names = "".join(f"n{i}, " for i in used)
    head = ["def make(N):", f"    {names}= [N[i] for i in {tuple(used)!r}]", f"    SIGS = ({sigs})",
            f"    C = [None] * {len(g.sigs)}"]
    head += [f"    B_{name} = BUILTINS[{name!r}]" for name in sorted(g.builtins)]
    return "\n".join(head + g.lines) + "\n"


def compile_source(source: str, name: str) -> Any:
    """The code object of generated source (raises Declined when Python's compiler refuses it)."""
    try:
        return compile(source, f"<template {name}>", "exec")
    except (SyntaxError, RecursionError, MemoryError, ValueError) as e:
        raise Declined(f"compile: {e}") from None


def bind(code: Any, root: ListNode) -> Callable[[Any, Any], None]:
    """run(S, dot) of a compiled template, bound to this tree's nodes."""
    namespace = _globals()
    exec(code, namespace)  # noqa: S102 - code generated by `generate` from parsed nodes
    return namespace["make"](node_list(root))  # type: ignore[no-any-return]

"""The template executor: Go's text/template/exec.go (Go 1.23) over parsed trees.

Values follow gotypes.py. Two reflect-level states have their own sentinels (builtins.py):
NO_VALUE is Go's invalid reflect.Value (a missing map key; printed "<no value>"), and
MISSING marks "no piped-in final argument". None is a nil interface{} (a YAML null).

Go tracks each value's static type; it only shows in error texts ("can't evaluate field x
in type interface {}"), so the executor tracks one bit per value instead: whether the value
sits in an interface{} (map[string]interface{} elements, []interface{} items, range dots).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

from hooklint.documents.source import Segment, SourcePos
from hooklint.gotemplate.builtins import (
    BUILTIN_SIGS,
    BUILTINS,
    MISSING,
    NO_VALUE,
    REFLECT_VALUE,
    call_function,
    is_true,
)
from hooklint.gotemplate.gofmt import format_value, quote
from hooklint.gotemplate.gotypes import (
    ANY,
    GoFuncError,
    GoObject,
    GoPanic,
    GoSig,
    Int32,
    Int64,
    NilBytes,
    StrList,
    StrMap,
    Uint8,
    Uint32,
    Uint64,
    go_type_name,
    signature_of,
)
from hooklint.gotemplate.nodes import (
    ActionNode,
    BoolNode,
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
    Tree,
    VariableNode,
    WithNode,
)

TYPE_CHECKING = False  # not `typing`'s: importing typing costs ~3 ms of every run
if TYPE_CHECKING:
    from typing import Any, NoReturn

MAX_EXEC_DEPTH = 100000

MISSING_KEY_MODES = ("default", "invalid", "zero", "error")

# Kinds of Go parameter types, for converting untyped constants (evalArg).
_INT_TYPES: dict[str, Callable[[int], int]] = {
    "int": int, "int64": Int64, "int32": Int32, "int16": int, "int8": int,
}
_UINT_TYPES: dict[str, Callable[[int], int]] = {
    "uint": Uint64, "uint64": Uint64, "uint32": Uint32, "uint16": Uint32, "uint8": Uint8, "uintptr": Uint64,
}
_EXACT_TYPE_NAMES = {bool: "bool", int: "int", float: "float64", str: "string", list: "[]interface {}",
                     dict: "map[string]interface {}", bytes: "[]uint8"}


class ExecFailure(Exception):
    """An execution error: Go's full message plus where it happened."""

    def __init__(self, message: str, template: str, pos: SourcePos | None, inner: str) -> None:
        super().__init__(message)
        self.message = message
        self.template = template
        self.pos = pos
        self.inner = inner


class _Break(Exception):
    pass


class _DepthExceeded(Exception):
    def __init__(self, node: TemplateNode, tree: Tree) -> None:
        self.node = node
        self.tree = tree


class _Continue(Exception):
    pass


def can_be_nil(typ: str) -> bool:
    return (typ == ANY or typ == REFLECT_VALUE or typ.startswith(("[]", "map[", "*", "func", "chan "))
            or typ.startswith("interface") or typ == "error")


def zero_of(typ: str) -> Any:
    """reflect.Zero for the nil-able types (canBeNil)."""
    if typ == REFLECT_VALUE:
        return NO_VALUE
    if typ == "[]string":
        return StrList()
    if typ == "[]uint8":
        return b""
    if typ.startswith("[]"):
        return []
    if typ == "map[string]string":
        return StrMap()
    if typ == "map[string]interface {}":
        # A nil map: Sprig's dict functions read it as empty and `set` panics on it, as in Go.
        return None
    if typ.startswith("map["):
        return {}
    return None


def type_name(value: Any) -> str:
    name = _EXACT_TYPE_NAMES.get(type(value))
    if name is not None:
        return name
    try:
        return go_type_name(value)
    except TypeError:
        return type(value).__name__


def assignable(value: Any, typ: str) -> bool:
    """Go's AssignableTo for a non-nil concrete value and a parameter type."""
    name = type_name(value)
    if name == typ:
        return True
    underlying = getattr(value, "go_underlying", None)
    # A named type is assignable to its unnamed underlying type (chartutil.Values -> map).
    return underlying == typ and not _is_named(typ)


def _is_named(typ: str) -> bool:
    return "." in typ and not typ.startswith(("[]", "map[", "*", "func"))


class Templates:
    """What an execution needs from the template set (Go's `common`)."""

    __slots__ = ("trees", "funcs", "missing_key", "root_name", "roots", "plans", "zero_missing", "error_missing")

    def __init__(self, trees: dict[str, Tree], funcs: dict[str, tuple[Callable[..., Any], GoSig | None]],
                 missing_key: str, root_name: str) -> None:
        self.trees = trees
        self.funcs = funcs
        self.missing_key = missing_key
        self.root_name = root_name
        self.zero_missing = missing_key == "zero"
        self.error_missing = missing_key == "error"
        # Per source-map mode (index: whether the run records one), root -> times it was walked
        # so far, or its run function, or _DECLINED. Kept with the set, not the process:
        # nothing here outlives the template set (a render).
        self.roots: tuple[dict[ListNode, Any], dict[ListNode, Any]] = ({}, {})
        # Call site (the node eval_function reports at) -> its _CallPlan, a GoSig whose calls
        # there take eval_call's general path, or _SEEN after its first call.
        self.plans: dict[Node, Any] = {}


class State:
    """One execution (Go's `state`): output buffer, variable stack, current node."""

    __slots__ = ("t", "tree", "node", "vars", "depth", "out", "out_len", "spans", "dot_iface", "last_iface",
                 "zero_missing", "error_missing")

    def __init__(self, templates: Templates, tree: Tree, record_segments: bool, dot: Any) -> None:
        self.t = templates
        self.tree = tree
        self.node: Node | None = None
        self.vars: list[list[Any]] = [["$", dot, False]]
        self.depth = 0
        self.out: list[str] = []
        self.out_len = 0
        # (start, end, node, tree executing it): nodes of identical template texts are shared
        # between trees (TemplateSet.parse), so the tree is recorded with the node.
        self.spans: list[tuple[int, int, Node, Tree]] | None = [] if record_segments else None
        self.dot_iface = False
        self.last_iface = False
        self.zero_missing = templates.zero_missing
        self.error_missing = templates.error_missing

    # --- errors ------------------------------------------------------------------------

    def errorf(self, message: str) -> NoReturn:
        tree = self.tree
        name = tree.name
        node = self.node
        if node is None or node.tree is None:
            full = f"template: {name}: {message}"
            raise ExecFailure(full, name, None, message)
        # Go's ErrorContext uses the node's own tree; the executing tree is that tree, or one
        # parsed from the same text in another file (same positions, its own ParseName).
        location, context = tree.error_context(node)
        full = f"template: {location}: executing {quote(name)} at <{context}>: {message}"
        raise ExecFailure(full, name, tree.source_pos(node.pos), message)

    # --- output ------------------------------------------------------------------------

    def write(self, text: str, node: Node) -> None:
        if not text:
            return
        start = self.out_len
        self.out.append(text)
        self.out_len = end = start + len(text)
        spans = self.spans
        if spans is not None:
            spans.append((start, end, node, self.tree))

    def segments(self) -> list[Segment]:
        """The source map of the output so far (built once, after execution)."""
        out: list[Segment] = []
        for start, end, node, tree in self.spans or ():
            if node.tree is not None:
                out.append(Segment(start, end, tree.source_pos(node.pos), type(node) is TextNode))
        return out

    # --- variables -------------------------------------------------------------------------

    def push(self, name: str, value: Any, iface: bool = False) -> None:
        self.vars.append([name, value, iface])

    def set_var(self, name: str, value: Any, iface: bool = False) -> None:
        for v in reversed(self.vars):
            if v[0] == name:
                v[1] = value
                v[2] = iface
                return
        self.errorf(f"undefined variable: {name}")

    def set_top_var(self, n: int, value: Any, iface: bool) -> None:
        v = self.vars[-n]
        v[1] = value
        v[2] = iface

    def var_value(self, name: str) -> list[Any]:
        for v in reversed(self.vars):
            if v[0] == name:
                return v
        self.errorf(f"undefined variable: {name}")

    # --- walk ------------------------------------------------------------------------------

    def walk(self, dot: Any, node: Node) -> None:
        self.node = node
        fn = _WALK.get(type(node))
        if fn is None:
            self.errorf(f"unknown node: {node}")
        fn(self, dot, node)

    def walk_list(self, dot: Any, node: ListNode) -> None:
        walk = _WALK
        for n in node.nodes:
            self.node = n
            if type(n) is TextNode:  # inlined write(): text is most of every template
                text = n.text  # type: ignore[attr-defined]
                start = self.out_len
                self.out.append(text)
                self.out_len = start + len(text)
                if self.spans is not None:
                    self.spans.append((start, self.out_len, n, self.tree))
            else:
                walk[type(n)](self, dot, n)

    def walk_text(self, dot: Any, node: TextNode) -> None:
        self.write(node.text, node)

    def walk_comment(self, dot: Any, node: CommentNode) -> None:
        pass

    def walk_break(self, dot: Any, node: BreakNode) -> None:
        raise _Break()

    def walk_continue(self, dot: Any, node: ContinueNode) -> None:
        raise _Continue()

    def walk_action(self, dot: Any, node: ActionNode) -> None:
        pipe = node.pipe
        val = self.eval_pipeline(dot, pipe)
        if not pipe.decl:
            self.node = node
            if val is NO_VALUE:
                text = "<no value>"
            elif type(val) is str:
                text = val
            else:
                text = print_text(self, val, node)
            if text:  # write(), inlined: an action's output is a fifth of a chart's writes
                start = self.out_len
                self.out.append(text)
                self.out_len = end = start + len(text)
                spans = self.spans
                if spans is not None:
                    spans.append((start, end, node, self.tree))

    # walk_if and walk_with are Go's walkIfOrWith, written out twice around branch_truth: an if
    # is a tenth of the nodes a chart runs. (Their lists are ListNodes: walk() on them is
    # walk_list().)

    def walk_if(self, dot: Any, node: IfNode) -> None:
        mark = len(self.vars)
        if branch_truth(self, self.eval_pipeline(dot, node.pipe)):
            self.node = node.list
            self.walk_list(dot, node.list)
        elif node.else_list is not None:
            self.node = node.else_list
            self.walk_list(dot, node.else_list)
        del self.vars[mark:]

    def walk_with(self, dot: Any, node: WithNode) -> None:
        mark = len(self.vars)
        val = self.eval_pipeline(dot, node.pipe)
        if branch_truth(self, val):
            saved = self.dot_iface
            self.dot_iface = False
            self.node = node.list
            self.walk_list(val, node.list)
            self.dot_iface = saved
        elif node.else_list is not None:
            self.node = node.else_list
            self.walk_list(dot, node.else_list)
        del self.vars[mark:]

    def walk_range(self, dot: Any, r: RangeNode) -> None:
        self.node = r
        mark_outer = len(self.vars)
        try:
            self._range(dot, r)
        except _Break:
            pass
        del self.vars[mark_outer:]

    def _range(self, dot: Any, r: RangeNode) -> None:
        val = self.eval_pipeline(dot, r.pipe)
        t = type(val)
        if t is list or isinstance(val, list):
            if val:
                self._range_over(r, enumerate(val), not isinstance(val, StrList))
                return
        elif t is dict or isinstance(val, dict):
            if val:
                keys = sorted(val)  # fmtsort's order of string keys: byte-wise (code points agree for valid UTF-8)
                self._range_over(r, ((key, val[key]) for key in keys), not isinstance(val, StrMap))
                return
        elif isinstance(val, int) and not isinstance(val, bool):
            if len(r.pipe.decl) > 1:
                self.errorf(f"can't use {format_value(val)} to iterate over more than one variable")
            if val > 0:
                cls = type(val)
                self._range_over(r, ((NO_VALUE, i if cls is int else cls(i)) for i in range(val)), False)
                return
        elif val is NO_VALUE:
            pass
        else:
            self.errorf(f"range can't iterate over {format_value(val)}")
        if r.else_list is not None:
            self.walk(dot, r.else_list)

    def _range_over(self, r: RangeNode, pairs: Iterator[tuple[Any, Any]], elem_iface: bool) -> None:
        """The iterations of a range: (index or key, element) pairs, taken one at a time (an
        element is read when its iteration starts, as Go reads them)."""
        mark = len(self.vars)
        decl = r.pipe.decl
        ndecl = len(decl)
        is_assign = r.pipe.is_assign
        saved_iface = self.dot_iface
        body = r.list
        for index, elem in pairs:
            if ndecl > 0:
                if is_assign:
                    if ndecl > 1:
                        self.set_var(decl[0].ident[0], index)
                    else:
                        self.set_var(decl[0].ident[0], elem, elem_iface)
                else:
                    self.set_top_var(1, elem, elem_iface)
            if ndecl > 1:
                if is_assign:
                    self.set_var(decl[1].ident[0], elem, elem_iface)
                else:
                    self.set_top_var(2, index, False)
            self.dot_iface = elem_iface
            self.node = body  # walk(elem, body) without its dispatch: a range body is a list
            try:
                self.walk_list(elem, body)
            except _Continue:
                pass
            finally:
                self.dot_iface = saved_iface
                del self.vars[mark:]

    def walk_template(self, dot: Any, t: TemplateNode) -> None:
        self.node = t
        tree = self.t.trees.get(t.name)
        if tree is None:
            self.errorf(f"template {quote(t.name)} not defined")
        if self.depth == MAX_EXEC_DEPTH:
            self.errorf(f"exceeded maximum template depth ({MAX_EXEC_DEPTH})")
        dot = self.eval_pipeline(dot, t.pipe)
        saved = (self.tree, self.vars, self.dot_iface)
        self.tree = tree
        self.vars = [["$", dot, False]]
        self.dot_iface = False
        self.depth += 1
        try:
            if tree.root is None:
                self.errorf(f"{quote(t.name)} is an incomplete or empty template")
            run_root(self, dot, tree.root)
        except RecursionError:
            # Python's stack ends long before Go's 100000 levels; report it as Go does for
            # the runaway recursion that is the only realistic way to get here.
            raise _DepthExceeded(t, saved[0]) from None
        self.depth -= 1
        self.tree, self.vars, self.dot_iface = saved

    # --- evaluation -----------------------------------------------------------------------

    def eval_pipeline(self, dot: Any, pipe: PipeNode | None) -> Any:
        if pipe is None:
            return NO_VALUE
        self.node = pipe
        value = MISSING
        # Most pipelines are one function call, or one field chain walked here through present
        # map keys (`.Values.x`, `if .Values.x.enabled`) without eval_command's call.
        for cmd in pipe.cmds:
            args = cmd.args
            first = args[0]
            t = type(first)
            if t is IdentifierNode:
                value = self.eval_function(dot, first, cmd, args, value)  # type: ignore[arg-type]
            elif t is FieldNode and value is MISSING and len(args) == 1:  # `.Values.x | quote`
                self.node = first
                value = dot
                for field in first.ident:  # type: ignore[attr-defined]
                    value = value.get(field, MISSING) if type(value) is dict else plain_field(value, field)
                    if value is MISSING:  # the general walk decides (again from the start: no side effects)
                        value = self.eval_field_chain(dot, dot, self.dot_iface, first, first.ident, args, MISSING)  # type: ignore[attr-defined]
                        break
            else:
                value = self.eval_command(dot, cmd, value)
            if value is None:  # a nil interface{} unwraps to the invalid value ("lovely!")
                value = NO_VALUE
        if pipe.decl:
            for variable in pipe.decl:
                if pipe.is_assign:
                    self.set_var(variable.ident[0], value)
                else:
                    self.vars.append([variable.ident[0], value, False])
        return value

    def not_a_function(self, args: list[Node] | None, final: Any) -> None:
        if (args is not None and len(args) > 1) or final is not MISSING:
            assert args is not None
            self.errorf(f"can't give argument to non-function {args[0]}")

    def eval_command(self, dot: Any, cmd: CommandNode, final: Any) -> Any:
        first = cmd.args[0]
        t = type(first)
        if t is FieldNode:
            self.node = first
            args = cmd.args
            if final is MISSING and len(args) == 1:  # a chain of plain fields (plain_field)
                v = dot
                for field in first.ident:  # type: ignore[attr-defined]
                    v = v.get(field, MISSING) if type(v) is dict else plain_field(v, field)
                    if v is MISSING:
                        break
                else:
                    return v
            return self.eval_field_chain(dot, dot, self.dot_iface, first, first.ident, args, final)  # type: ignore[attr-defined]
        if t is IdentifierNode:
            return self.eval_function(dot, first, cmd, cmd.args, final)  # type: ignore[arg-type]
        if t is VariableNode:
            return self.eval_variable_node(dot, first, cmd.args, final)  # type: ignore[arg-type]
        if t is ChainNode:
            return self.eval_chain_node(dot, first, cmd.args, final)  # type: ignore[arg-type]
        if t is PipeNode:
            self.not_a_function(cmd.args, final)
            return self.eval_pipeline(dot, first)  # type: ignore[arg-type]
        self.node = first
        self.not_a_function(cmd.args, final)
        if t is BoolNode:
            return first.true  # type: ignore[attr-defined]
        if t is DotNode:
            return dot
        if t is NilNode:
            self.errorf("nil is not a command")
        if t is NumberNode:
            return self.ideal_constant(first)  # type: ignore[arg-type]
        if t is StringNode:
            return first.text  # type: ignore[attr-defined]
        self.errorf(f"can't evaluate command {quote(str(first))}")

    def ideal_constant(self, constant: NumberNode) -> Any:
        self.node = constant
        v = ideal_value(constant)
        if v is None:
            self.errorf(f"{constant.text} overflows int")
        return v

    def eval_field_node(self, dot: Any, field: FieldNode, args: list[Node] | None, final: Any) -> Any:
        self.node = field
        return self.eval_field_chain(dot, dot, self.dot_iface, field, field.ident, args, final)

    def eval_chain_node(self, dot: Any, chain: ChainNode, args: list[Node] | None, final: Any) -> Any:
        self.node = chain
        if not chain.field:
            self.errorf("internal error: no fields in evalChainNode")
        if isinstance(chain.node, NilNode):
            self.errorf(f"indirection through explicit nil in {chain}")
        pipe = self.eval_arg(dot, None, chain.node)
        return self.eval_field_chain(dot, pipe, False, chain, chain.field, args, final)

    def eval_variable_node(self, dot: Any, variable: VariableNode, args: list[Node] | None, final: Any) -> Any:
        self.node = variable
        ident = variable.ident
        name = ident[0]
        for entry in reversed(self.vars):  # var_value, without its call
            if entry[0] == name:
                break
        else:
            self.errorf(f"undefined variable: {name}")
        if len(ident) == 1:
            if final is not MISSING or (args is not None and len(args) > 1):
                self.not_a_function(args, final)
            return entry[1]
        return self.eval_field_chain(dot, entry[1], entry[2], variable, ident[1:], args, final)

    def eval_field_chain(self, dot: Any, receiver: Any, recv_iface: bool, node: Node, ident: list[str],
                         args: list[Node] | None, final: Any) -> Any:
        n = len(ident)
        for i in range(n - 1):
            # Fast paths: the overwhelmingly common map[string]interface{} walk, then plain fields
            # of other receivers (values typed chartutil.Values, .Release, .Chart).
            name = ident[i]
            if type(receiver) is dict:
                value = receiver.get(name, MISSING)
                if value is not MISSING:
                    receiver = value
                    recv_iface = True
                    continue
            else:
                value = plain_field(receiver, name)
                if value is not MISSING:
                    recv_iface = isinstance(receiver, dict) and not isinstance(receiver, StrMap)
                    receiver = value
                    continue
            receiver = self.eval_field(dot, name, node, None, MISSING, receiver, recv_iface)
            recv_iface = self.last_iface
        if final is MISSING and (args is None or len(args) < 2):  # no arguments: eval_field's
            # first case, or a plain field, without its call (last_iface is only read in this loop)
            name = ident[n - 1]
            value = receiver.get(name, MISSING) if type(receiver) is dict else plain_field(receiver, name)
            if value is not MISSING:
                return value
        return self.eval_field(dot, ident[n - 1], node, args, final, receiver, recv_iface)

    def eval_field(self, dot: Any, name: str, node: Node, args: list[Node] | None, final: Any,
                   receiver: Any, recv_iface: bool) -> Any:
        has_args = (args is not None and len(args) > 1) or final is not MISSING
        if type(receiver) is dict:
            if has_args:
                self.errorf(f"{name} is not a method but has arguments")
            self.last_iface = True
            try:
                return receiver[name]
            except KeyError:
                return self._missing_key(name, receiver)
        if receiver is NO_VALUE:
            if self.error_missing:
                self.errorf(f"nil data; no entry for key {quote(name)}")
            return NO_VALUE
        if receiver is None:
            self.errorf(f"nil pointer evaluating interface {{}}.{name}")
        method_of = getattr(receiver, "go_method", None)
        if method_of is not None:
            method = method_of(name)
            if method is not None:
                sig: GoSig = method.__go_sig__
                result = self.eval_call(dot, method, sig, False, node, name, args, final)
                self.last_iface = sig.result == ANY
                return result
        if isinstance(receiver, dict):
            if has_args:
                self.errorf(f"{name} is not a method but has arguments")
            self.last_iface = not isinstance(receiver, StrMap)
            if name in receiver:
                return receiver[name]
            return self._missing_key(name, receiver)
        if isinstance(receiver, GoObject):
            try:
                value = receiver.go_field(name)
            except KeyError:
                pass
            else:
                if has_args:
                    self.errorf(f"{name} has arguments but cannot be invoked as function")
                self.last_iface = False
                return value
        typ = "interface {}" if recv_iface else type_name(receiver)
        self.errorf(f"can't evaluate field {name} in type {typ}")

    def _missing_key(self, name: str, receiver: dict[str, Any]) -> Any:
        if self.zero_missing:  # reflect.Zero of the element type
            if isinstance(receiver, StrMap):
                return ""
            if getattr(receiver, "go_underlying", None) == "map[string][]uint8":
                return NilBytes()  # .Files.<missing>: a nil []byte, printed `[]`
            return None
        if self.error_missing:
            self.errorf(f"map has no entry for key {quote(name)}")
        return NO_VALUE

    def eval_function(self, dot: Any, node: IdentifierNode, cmd: Node, args: list[Node] | None,
                      final: Any) -> Any:
        self.node = node
        t = self.t
        # A call site that runs again runs through its plan: the argument checks and constants
        # that depend only on the site and the signature, worked out on its second call in this
        # template set (most call sites of a render run once: planning them would cost more than
        # it saves). The plan holds the function table's entry it was made for: the same entry
        # (tuple) is the same function and signature, without looking at either.
        plan = t.plans.get(cmd)
        if plan.__class__ is not _CallPlan or plan.entry is not t.funcs.get(node.ident) \
                or plan.has_final is (final is MISSING):
            # Its first call, a site planned for another function bound to the name since, or
            # one that always takes eval_call's general path. (Written here, not in a method of
            # its own: a third of a chart's calls come this way.)
            name = node.ident
            entry = t.funcs.get(name)
            if entry is not None:
                fn = entry[0]
                sig = entry[1]
                if sig is None:  # a LazyGoFunc: import its implementation now, once per set
                    fn = fn.resolve()  # type: ignore[attr-defined]
                    sig = signature_of(fn)
                    entry = t.funcs[name] = (fn, sig)
                is_builtin = False
            else:
                builtin = BUILTINS.get(name)
                if builtin is None:
                    self.errorf(f"{quote(name)} is not a defined function")
                fn = builtin
                sig = BUILTIN_SIGS[name]
                is_builtin = True
            if plan is None:
                t.plans[cmd] = _SEEN
                return self.eval_call(dot, fn, sig, is_builtin, cmd, name, args, final)
            if plan is sig or (plan.__class__ is _CallPlan and plan.entry is entry):
                return self.eval_call(dot, fn, sig, is_builtin, cmd, name, args, final)
            # the second call, or the name is bound to another function now
            plan = t.plans[cmd] = _plan_call(sig, is_builtin, name, args, final, entry, fn)
            if plan.__class__ is not _CallPlan or plan.has_final is (final is MISSING):
                return self.eval_call(dot, fn, sig, is_builtin, cmd, name, args, final)
        consts = plan.consts
        if consts is not None:  # every argument a constant (`nindent 4`, `quote`, `default "x"`)
            if final is MISSING:
                argv: Any = consts
            else:
                if plan.last_const is not None:
                    self.node = plan.last_const  # where eval_arg left it
                check = plan.final_check  # _final_arg's commonest outcomes without its call
                if check is None or (check is not _ANY_CHECK and type(final) is check) \
                        or (check is _ANY_CHECK and final is not NO_VALUE):
                    argv = (*consts, final)
                else:
                    argv = (*consts, self._final_arg(plan, final))
        else:
            argv = []
            for kind, n, typ, check, const in plan.items:
                if kind == _K_CONST:
                    argv.append(const)
                    continue
                # eval_arg(dot, typ, n) for the nodes that evaluate to a value, with validate_type's
                # outcome for the commonest parameter types decided without a call.
                self.node = n
                if kind == _K_DOT:
                    v = dot
                elif kind == _K_FIELD:
                    v = dot
                    for field in n.ident:
                        v = v.get(field, MISSING) if type(v) is dict else plain_field(v, field)
                        if v is MISSING:
                            v = self.eval_field_chain(dot, dot, self.dot_iface, n, n.ident, None, MISSING)
                            break
                elif kind == _K_VAR:  # eval_variable_node's var_value, without its calls
                    var_name = n.ident[0]  # (not `name`: the function's, for its error messages)
                    for entry in reversed(self.vars):
                        if entry[0] == var_name:
                            v = entry[1]
                            break
                    else:
                        self.errorf(f"undefined variable: {var_name}")
                elif kind == _K_PIPE:  # `(dict "a" .)`, `(include "x" .)`: eval_pipeline's one-call case inlined
                    cmds = n.cmds
                    if len(cmds) == 1 and not n.decl and type(cmds[0].args[0]) is IdentifierNode:
                        v = self.eval_function(dot, cmds[0].args[0], cmds[0], cmds[0].args, MISSING)
                        if v is None:
                            v = NO_VALUE
                    else:
                        v = self.eval_pipeline(dot, n)
                elif kind == _K_VAR_CHAIN:
                    v = self.eval_variable_node(dot, n, None, MISSING)
                else:
                    argv.append(self.eval_arg(dot, typ, n))
                    continue
                if check is None:  # reflect.Value: as it is
                    argv.append(v)
                elif check is _ANY_CHECK:
                    argv.append(None if v is NO_VALUE else v)
                elif type(v) is check:  # exactly the parameter's type
                    argv.append(v)
                else:
                    argv.append(self.validate_type(v, typ))
            if plan.last_const is not None:
                self.node = plan.last_const  # where eval_arg left it
            if final is not MISSING:
                check = plan.final_check
                if check is None or (check is not _ANY_CHECK and type(final) is check) \
                        or (check is _ANY_CHECK and final is not NO_VALUE):
                    argv.append(final)
                else:
                    argv.append(self._final_arg(plan, final))
        try:
            return plan.fn(*argv)
        except RecursionError:  # (handled here: no frame to spare for a call)
            self.node = cmd  # the outermost execution reports it at this call
            raise
        except Exception as e:  # noqa: BLE001 - sorted out by call_failed (Go's safeCall)
            self.call_failed(e, cmd, node.ident)

    def _final_arg(self, plan: _CallPlan, final: Any) -> Any:
        """A planned call's piped final value, checked against its parameter type."""
        check = plan.final_check
        if check is None or (check is not _ANY_CHECK and type(final) is check):
            return final
        if check is _ANY_CHECK and final is not NO_VALUE:
            return final
        return self.validate_type(final, plan.final_type)

    def eval_call(self, dot: Any, fun: Callable[..., Any], sig: GoSig, is_builtin: bool, node: Node,
                  name: str, args: list[Node] | None, final: Any) -> Any:
        argn = args[1:] if args is not None else []
        params = sig.params
        variadic = sig.variadic
        num_in = len(argn) + (final is not MISSING)
        num_fixed = len(argn)
        if variadic is not None:
            num_fixed = len(params)
            if num_in < num_fixed:
                self.errorf(f"wrong number of args for {name}: want at least {len(params)} got {len(argn)}")
        elif num_in != len(params):
            self.errorf(f"wrong number of args for {name}: want {len(params)} got {num_in}")

        if is_builtin and (name == "and" or name == "or"):
            want = name == "or"
            v: Any = NO_VALUE
            for arg in argn:
                v = self.eval_arg(dot, REFLECT_VALUE, arg)
                if is_true(v)[0] == want:
                    return v
            if final is not MISSING:
                v = self.validate_type(final, REFLECT_VALUE)
            return v

        argv: list[Any] = []
        eval_arg = self.eval_arg
        if variadic is None:  # as many arguments as parameters (checked above), less a piped one
            for typ, n in zip(params, argn, strict=False):
                argv.append(eval_arg(dot, typ, n))
        else:
            for i, n in enumerate(argn):
                argv.append(eval_arg(dot, params[i] if i < num_fixed else variadic, n))
        if final is not MISSING:
            if variadic is not None:
                t = params[num_in - 1] if num_in - 1 < num_fixed else variadic
            else:
                t = params[-1]
            argv.append(self.validate_type(final, t))

        if is_builtin and name == "call":
            callee = str(argn[0]) if argn else format_value(final)
            fn_value, rest = argv[0], argv[1:]
            try:
                return call_function(callee, fn_value, tuple(rest), self._check_call_arg)
            except (GoFuncError, GoPanic) as e:
                self.node = node
                self.errorf(f"error calling {name}: {e}")
        try:
            return fun(*argv)
        except RecursionError:  # (handled here: no frame to spare for a call)
            self.node = node  # the outermost execution reports it at this call
            raise
        except Exception as e:  # noqa: BLE001 - sorted out by call_failed (Go's safeCall)
            self.call_failed(e, node, name)

    def call_failed(self, e: Exception, node: Node, name: str) -> NoReturn:
        """A template function raised `e` at `node`: Go's safeCall. Its error (GoFuncError) or
        panic (GoPanic, or any other exception) becomes `error calling NAME: ...`; the
        executor's own control flow (break, continue, the depth limit) passes through."""
        if isinstance(e, (GoFuncError, GoPanic)):
            self.node = node
            self.errorf(f"error calling {name}: {e}")
        if isinstance(e, (_DepthExceeded, _Break, _Continue)):
            raise e
        self.node = node
        self.errorf(f"error calling {name}: {e or type(e).__name__}")

    def _check_call_arg(self, value: Any, typ: str) -> Any:
        """prepareArg of the `call` builtin."""
        if value is NO_VALUE:
            if not can_be_nil(typ):
                raise GoFuncError(f"value is nil; should be of type {typ}")
            return zero_of(typ)
        if typ in (ANY, REFLECT_VALUE) or assignable(value, typ):
            return value
        if isinstance(value, int) and not isinstance(value, bool):
            conv = _INT_TYPES.get(typ) or _UINT_TYPES.get(typ)
            if conv is not None:
                return conv(int(value))
        raise GoFuncError(f"value has type {type_name(value)}; should be {typ}")

    def validate_type(self, value: Any, typ: str | None) -> Any:
        if value is NO_VALUE:
            if typ is None:
                return NO_VALUE
            if can_be_nil(typ):
                return zero_of(typ)
            self.errorf(f"invalid value; expected {typ}")
        if typ is None or typ == ANY or typ == REFLECT_VALUE:
            return value
        if value is None:
            if typ.startswith("interface") or typ == "error":
                return None
            self.errorf(f"wrong type for value; expected {typ}; got interface {{}}")
        if assignable(value, typ):
            return value
        self.errorf(f"wrong type for value; expected {typ}; got {type_name(value)}")

    def eval_arg(self, dot: Any, typ: str | None, n: Node) -> Any:
        self.node = n
        t = type(n)
        if t is StringNode and (typ == "string" or typ == ANY or typ == REFLECT_VALUE):
            return n.text  # type: ignore[attr-defined]  # the commonest argument, decided first
        if t is FieldNode:  # eval_field_node, its chain through plain fields without its calls
            v = dot
            for field in n.ident:  # type: ignore[attr-defined]
                v = v.get(field, MISSING) if type(v) is dict else plain_field(v, field)
                if v is MISSING:  # (no arguments: eval_field_node's args [n] and None both mean none)
                    v = self.eval_field_chain(dot, dot, self.dot_iface, n, n.ident, None, MISSING)  # type: ignore[attr-defined]
                    break
        elif t is DotNode:
            v = dot
        elif t is VariableNode:
            v = self.eval_variable_node(dot, n, None, MISSING)  # type: ignore[arg-type]
        elif t is PipeNode:
            v = self.eval_pipeline(dot, n)  # type: ignore[arg-type]
        elif t is IdentifierNode:
            v = self.eval_function(dot, n, n, None, MISSING)  # type: ignore[arg-type]
        elif t is ChainNode:
            v = self.eval_chain_node(dot, n, None, MISSING)  # type: ignore[arg-type]
        else:
            return self._eval_constant_arg(dot, typ, n, t)
        # validate_type(v, typ), its commonest outcomes decided without the call
        if typ == ANY:
            if v is not NO_VALUE:
                return v
        elif typ == REFLECT_VALUE:
            return v
        elif type(v) is _CHECKS.get(typ):  # type: ignore[arg-type]
            return v
        return self.validate_type(v, typ)

    def _eval_constant_arg(self, dot: Any, typ: str | None, n: Node, t: type) -> Any:
        """eval_arg of the other nodes: constants for the parameter type, nil."""
        if t is NilNode:
            if typ is not None and can_be_nil(typ):
                return zero_of(typ)
            self.errorf(f"cannot assign nil to {typ}")
        if typ is None:
            self.errorf(f"can't handle {n} for arg of type <nil>")
        if typ == ANY or typ == REFLECT_VALUE:
            return self.eval_empty_interface(dot, n)
        if typ == "string":
            if t is StringNode:
                return n.text  # type: ignore[attr-defined]
            self.errorf(f"expected string; found {n}")
        conv = _INT_TYPES.get(typ)
        if conv is not None:
            if t is NumberNode and n.is_int:  # type: ignore[attr-defined]
                return conv(n.int64)  # type: ignore[attr-defined]
            self.errorf(f"expected integer; found {n}")
        if typ == "float64" or typ == "float32":
            if t is NumberNode and n.is_float:  # type: ignore[attr-defined]
                return n.float64  # type: ignore[attr-defined]
            self.errorf(f"expected float; found {n}")
        if typ == "bool":
            if t is BoolNode:
                return n.true  # type: ignore[attr-defined]
            self.errorf(f"expected bool; found {n}")
        conv = _UINT_TYPES.get(typ)
        if conv is not None:
            if t is NumberNode and n.is_uint:  # type: ignore[attr-defined]
                return conv(n.uint64)  # type: ignore[attr-defined]
            self.errorf(f"expected unsigned integer; found {n}")
        if typ in ("complex128", "complex64"):
            if t is NumberNode and n.is_complex:  # type: ignore[attr-defined]
                return n.complex128  # type: ignore[attr-defined]
            self.errorf(f"expected complex; found {n}")
        self.errorf(f"can't handle {n} for arg of type {typ}")

    def eval_empty_interface(self, dot: Any, n: Node) -> Any:
        self.node = n
        t = type(n)
        if t is BoolNode:
            return n.true  # type: ignore[attr-defined]
        if t is DotNode:
            return dot
        if t is FieldNode:
            return self.eval_field_node(dot, n, None, MISSING)  # type: ignore[arg-type]
        if t is IdentifierNode:
            return self.eval_function(dot, n, n, None, MISSING)  # type: ignore[arg-type]
        if t is NilNode:
            self.errorf("evalEmptyInterface: nil (can't happen)")
        if t is NumberNode:
            return self.ideal_constant(n)  # type: ignore[arg-type]
        if t is StringNode:
            return n.text  # type: ignore[attr-defined]
        if t is VariableNode:
            return self.eval_variable_node(dot, n, None, MISSING)  # type: ignore[arg-type]
        if t is PipeNode:
            return self.eval_pipeline(dot, n)  # type: ignore[arg-type]
        self.errorf(f"can't handle assignment of {n} to empty interface argument")


class _CallPlan:
    """What eval_call works out from a function call site and the function's signature alone:
    per argument node, how its value is found (_K_*), its value when it is a constant that
    converts without error, the parameter type, and how its value is checked (None: not at all,
    reflect.Value; _ANY_CHECK: interface {}; a Python type: values of exactly that type pass,
    others go through validate_type); all the values when every argument is such a constant;
    the type the piped final value is validated against, and its check; the last argument node
    when it is a constant (eval_arg would have left state.node there); the function table entry
    the plan was made for (None: a builtin) and its function."""

    __slots__ = ("sig", "has_final", "items", "consts", "final_type", "final_check", "last_const", "entry", "fn")

    def __init__(self, sig: GoSig, has_final: bool, items: tuple[tuple[int, Any, str, Any, Any], ...],
                 consts: tuple[Any, ...] | None, final_type: str | None, last_const: Node | None, entry: Any,
                 fn: Callable[..., Any]) -> None:
        self.sig = sig
        self.has_final = has_final
        self.items = items
        self.consts = consts
        self.final_type = final_type
        self.final_check = _DYNAMIC if final_type is None else _CHECKS.get(final_type, _DYNAMIC)
        self.last_const = last_const
        self.entry = entry
        self.fn = fn


# How a planned argument's value is found: a constant converted once; dot; a chain of fields
# from dot; one variable; a pipeline; a variable with fields; anything else through eval_arg.
_K_CONST, _K_DOT, _K_FIELD, _K_VAR, _K_PIPE, _K_VAR_CHAIN, _K_OTHER = range(7)


_DYNAMIC: Any = object()
_SEEN: Any = object()  # a call site's first call: it runs without a plan
_ANY_CHECK: Any = object()
# Parameter type -> how a _CallPlan checks an argument value: None for reflect.Value (as it
# is), _ANY_CHECK for interface {}, else the Python type whose values pass validate_type
# unchanged (type_name); any type not here is _DYNAMIC (no type): validate_type always.
_CHECKS: dict[str, Any] = {REFLECT_VALUE: None, ANY: _ANY_CHECK, "string": str, "int": int, "bool": bool,
                           "float64": float, "map[string]interface {}": dict, "[]interface {}": list}


def _plan_call(sig: GoSig, is_builtin: bool, name: str, args: list[Node] | None, final: Any, entry: Any,
               fn: Callable[..., Any]) -> Any:
    """The _CallPlan of a call site, or `sig` itself when its calls take eval_call's general path:
    the argument count is wrong (eval_call reports it) or the builtin is and/or/call."""
    if is_builtin and name in ("and", "or", "call"):
        return sig
    argn = args[1:] if args is not None else []
    params = sig.params
    variadic = sig.variadic
    has_final = final is not MISSING
    num_in = len(argn) + has_final
    if (variadic is None and num_in != len(params)) or (variadic is not None and num_in < len(params)):
        return sig
    items: list[tuple[int, Any, str, Any, Any]] = []
    consts: list[Any] | None = []
    nparams = len(params)
    for i, n in enumerate(argn):
        typ = params[i] if i < nparams else variadic
        assert typ is not None
        t = type(n)
        const = _constant_arg(n, typ) if t is StringNode or t is NumberNode or t is BoolNode else _DYNAMIC
        if const is not _DYNAMIC:
            kind = _K_CONST
            if consts is not None:
                consts.append(const)
        elif t is VariableNode:
            kind = _K_VAR if len(n.ident) == 1 else _K_VAR_CHAIN  # type: ignore[attr-defined]
        else:
            kind = _ARG_KINDS.get(t, _K_OTHER)
        items.append((kind, n, typ, _CHECKS.get(typ, _DYNAMIC), const))
        if kind != _K_CONST:
            consts = None
    final_type = None
    if has_final:
        final_type = params[num_in - 1] if num_in - 1 < len(params) else variadic
    last_const = items[-1][1] if items and items[-1][0] == _K_CONST else None
    return _CallPlan(sig, has_final, tuple(items), None if consts is None else tuple(consts), final_type, last_const,
                     entry, fn)


_ARG_KINDS = {DotNode: _K_DOT, FieldNode: _K_FIELD, PipeNode: _K_PIPE}


def _constant_arg(n: Node, typ: str) -> Any:
    """eval_arg's value for a constant node and parameter type when it cannot fail, else _DYNAMIC."""
    t = type(n)
    if typ == ANY or typ == REFLECT_VALUE:  # eval_empty_interface
        if t is StringNode:
            return n.text  # type: ignore[attr-defined]
        if t is BoolNode:
            return n.true  # type: ignore[attr-defined]
        if t is NumberNode:
            v = ideal_value(n)  # type: ignore[arg-type]
            return _DYNAMIC if v is None else v
        return _DYNAMIC
    if t is StringNode and typ == "string":
        return n.text  # type: ignore[attr-defined]
    if t is BoolNode and typ == "bool":
        return n.true  # type: ignore[attr-defined]
    if t is NumberNode:
        conv = _INT_TYPES.get(typ)
        if conv is not None and n.is_int:  # type: ignore[attr-defined]
            return conv(n.int64)  # type: ignore[attr-defined]
        if (typ == "float64" or typ == "float32") and n.is_float:  # type: ignore[attr-defined]
            return n.float64  # type: ignore[attr-defined]
        conv = _UINT_TYPES.get(typ)
        if conv is not None and n.is_uint:  # type: ignore[attr-defined]
            return conv(n.uint64)  # type: ignore[attr-defined]
    return _DYNAMIC


def ideal_value(constant: NumberNode) -> Any:
    """idealConstant's value of a number node, NO_VALUE for none, None when it is an error
    (an unsigned constant that overflows int)."""
    v = constant.ideal
    if v is not None:
        return v
    text = constant.text
    if constant.is_complex:
        v = constant.complex128
    elif (constant.is_float and not _is_hex_int(text) and not text.startswith("'")
          and any(c in text for c in ".eEpP")):
        v = constant.float64
    elif constant.is_int:
        v = constant.int64
    elif constant.is_uint:
        return None
    else:
        return NO_VALUE
    constant.ideal = v
    return v


# Node type -> State method. A class-level table of plain functions: a per-State table of bound
# methods would make every State (one per include call) a reference cycle, which the cyclic GC,
# paused while templates run, would never free.
_WALK: dict[type, Callable[[State, Any, Any], None]] = {
    ActionNode: State.walk_action,
    BreakNode: State.walk_break,
    CommentNode: State.walk_comment,
    ContinueNode: State.walk_continue,
    IfNode: State.walk_if,
    ListNode: State.walk_list,
    RangeNode: State.walk_range,
    TemplateNode: State.walk_template,
    TextNode: State.walk_text,
    WithNode: State.walk_with,
}


def plain_field(v: Any, name: str) -> Any:
    """eval_field(name) with no arguments on a receiver that is not a plain map, when it is a
    present key of a map type or a field of a Go object and no method of that name exists;
    MISSING when the walker must decide (methods, missing keys, nil, other receivers)."""
    if isinstance(v, dict):  # a named map type (chartutil.Values: `$.Values`), or StrMap
        if name not in v:
            return MISSING  # (a method of that name, or the missing key: the walker decides)
        # A type that lists its methods' names (`go_method_names`, what go_method answers for)
        # is answered without a call: `.Values.x` is most lookups of a chart.
        names = getattr(type(v), "go_method_names", None)
        if names is not None:
            return MISSING if name in names else v[name]
        method_of = getattr(v, "go_method", None)
        if method_of is not None and method_of(name) is not None:
            return MISSING
        return v[name]
    if v is NO_VALUE or v is None:
        return MISSING
    method_of = getattr(v, "go_method", None)
    if method_of is not None and method_of(name) is not None:
        return MISSING
    if isinstance(v, GoObject):
        try:
            return v.go_field(name)
        except KeyError:
            return MISSING
    return MISSING


def branch_truth(state: State, val: Any) -> bool:
    """Go's isTrue for {{if}} and {{with}}, failing as walkIfOrWith does on a value with no
    truth; the commonest values decided without is_true's call."""
    if val is True:
        return True
    if val is False or val is NO_VALUE:
        return False
    t = type(val)
    if t is str or t is dict or t is list:
        return len(val) > 0
    truth, ok = is_true(val)
    if not ok:
        state.errorf(f"if/with can't use {format_value(val)}")
    return truth


def print_text(state: State, val: Any, node: Node) -> str:
    """walk_action's text of a value that is neither NO_VALUE nor a string (state.node is node)."""
    if type(val) is int:
        return str(val)
    if callable(val) and not isinstance(val, GoObject):
        state.errorf(f"can't print {node} of type {type_name(val)}")
    # printValue takes the address of an addressable struct whose pointer is a fmt.Stringer
    # (KubeVersion); a function argument is a copy and prints fields.
    addressable = getattr(val, "go_format_addressable", None)
    return addressable() if addressable is not None else format_value(val)  # type: ignore[no-any-return]


# --- compiled templates (compiler.py) ---------------------------------------------------------
#
# A template's root list is tree-walked the first COMPILE_AFTER - 1 times it runs in a template
# set (per source-map mode) and compiled when it runs again. Python's compile() is costly: ~45 µs per
# template node, ~1.6 ms for the median define of public charts, 10-15 times their parse; compiled
# code runs their defines 1.2x faster (median; 2-3x for those of plain field lookups), so a template
# pays its compilation back after a median ~255 runs (measured on bitnami mysql and kube-prometheus,
# prometheus-statsd-exporter, rollout-operator, victoria-traces-cluster: 171 templates). Only
# defines that `include` calls hundreds of times in one render get there; a first run is not
# slowed down by compiling what runs a few times. Keyed by the root node (trees from one text
# share it, whatever their file name), per template set (Templates): nothing outlives a render.
COMPILE_AFTER = 256
_DECLINED: Any = object()
# Templates compiled and declined since set_compile_after (what the tests look at).
compile_counts = {"compiled": 0, "declined": 0}


def set_compile_after(runs: int) -> None:
    """Compile a template when it runs for the `runs`-th time (1: always compiled; a huge
    number: always tree-walked), forgetting what was compiled so far."""
    global COMPILE_AFTER
    COMPILE_AFTER = runs
    compile_counts.update(compiled=0, declined=0)


def run_root(state: State, dot: Any, root: ListNode) -> None:
    """state.walk(dot, root), through root's compiled form once it has one."""
    roots = state.t.roots[state.spans is not None]
    fn = roots.get(root, 0)
    if fn.__class__ is int:
        runs = fn + 1
        if runs < COMPILE_AFTER:
            roots[root] = runs
            state.node = root  # state.walk(dot, root) without its dispatch: a root is a list
            state.walk_list(dot, root)
            return
        fn = roots[root] = compile_root((root, state.spans is not None), state.t.funcs)
    if fn is _DECLINED:
        state.node = root
        state.walk_list(dot, root)
    else:
        fn(state, dot)


def compile_root(key: tuple[ListNode, bool], funcs: dict[str, tuple[Callable[..., Any], GoSig | None]]) -> Any:
    """The run function of (root, recording), or _DECLINED."""
    from hooklint.gotemplate import compiler

    root, record = key
    try:
        fn = compiler.bind(compiler.compile_source(compiler.generate(root, funcs, record), "t"), root)
    except compiler.Declined:
        compile_counts["declined"] += 1
        return _DECLINED
    compile_counts["compiled"] += 1
    return fn


def _is_hex_int(s: str) -> bool:
    return len(s) > 2 and s[0] == "0" and s[1] in "xX" and not any(c in s for c in "pP")


# Executions in progress on this process's deep stack (an `include` or `tpl` call starts one
# inside another).
_executing = 0


def execute_tree(templates: Templates, tree: Tree, data: Any, record_segments: bool = True) -> State:
    """Run `tree` with `data` as dot and `$`; the returned State holds output and segments."""
    dot = NO_VALUE if data is None else data
    state = State(templates, tree, record_segments, dot)
    if tree.root is None:
        state.errorf(f"{quote(tree.name)} is an incomplete or empty template")
    # Deep include/template chains recurse far past Python's default limit: callers run this on
    # a large stack (deepstack.call_deep); a RecursionError left is a runaway recursion. It
    # passes through nested executions (an `include` runs one) untouched, to be reported once by
    # the outermost: wrapped in each include's error, its message would grow with the square of
    # the depth.
    global _executing
    _executing += 1
    try:
        # run_root, its tree-walked case without its call (an include runs one execution)
        root = tree.root
        roots = templates.roots[state.spans is not None]
        runs = roots.get(root, 0)
        if runs.__class__ is int and runs + 1 < COMPILE_AFTER:
            roots[root] = runs + 1
            state.node = root
            state.walk_list(dot, root)
        else:
            run_root(state, dot, root)
    except (RecursionError, _DepthExceeded) as e:
        if _executing > 1:
            raise
        if isinstance(e, _DepthExceeded):
            state.node, state.tree = e.node, e.tree
        state.errorf(f"exceeded maximum template depth ({MAX_EXEC_DEPTH})")
    finally:
        _executing -= 1
    return state

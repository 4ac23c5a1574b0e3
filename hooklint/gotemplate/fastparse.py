"""The template parser's fast path: well-formed templates parsed in one pass over the text.

`parser._Parser` follows Go's parse.go item by item, which is what makes its error messages
and lines Go's, and costs a Python tuple per lexer item and a method call per grammar rule.
Almost every template a chart holds parses without error, and for those only the tree matters.
This module builds the same tree (every node, position, line and field) directly: each action
is split into token texts by one `findall` (lexer._TOKEN, checked to tile the action exactly),
positions come from their running lengths, and the grammar is walked over those lists in a
few functions, control structures on an explicit stack. The commonest actions (`{{ end }}`,
`{{ define "x" }}`, `{{ if .Values.a }}`, `{{ include "x" . | nindent 4 }}`, ...: _Shape, _Call)
are recognised by one regular expression instead, and their nodes built directly. What is
learnt of an action's text is remembered for its next occurrences (charts repeat most actions).

Anything this path does not take (an action the fast lexer does not tile: a character
constant, a signed or non-decimal number, a non-ASCII name; any input that would be a parse
error; nesting past its bounds) makes `parse` return None, and
the caller parses the template again with `_Parser`, which then gives Go's exact error. So this
path never reports an error itself: it only ever needs to agree with `_Parser` on valid input
(tests/gotemplate/test_parse_differential.py compares both with the earlier implementation).
"""

from __future__ import annotations

import re
from collections.abc import Container
from itertools import accumulate

from hooklint.gotemplate import lexer as lx
from hooklint.gotemplate.goconst import GoSyntaxError, unquote
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
    Tree,
    VariableNode,
    WithNode,
    is_empty_tree,
)

_SPACE = lx.SPACE
_FIELD = lx.FIELD
_IDENTIFIER = lx.IDENTIFIER
_VARIABLE = lx.VARIABLE
_STRING = lx.STRING
_RAW_STRING = lx.RAW_STRING
_DOT = lx.DOT
_LEFT_PAREN = lx.LEFT_PAREN
_RIGHT_PAREN = lx.RIGHT_PAREN
_RIGHT_DELIM = lx.RIGHT_DELIM
_PIPE = lx.PIPE
_NIL = lx.NIL
_BOOL = lx.BOOL
_NUMBER = lx.NUMBER
_IF, _RANGE, _WITH, _ELSE, _END = lx.IF, lx.RANGE, lx.WITH, lx.ELSE, lx.END
_SPACE_CHARS = lx.SPACE_CHARS
_KEYWORD = lx.KEYWORD
_OPERAND_START = frozenset({_BOOL, _DOT, _FIELD, _IDENTIFIER, _NUMBER, _NIL, _RAW_STRING, _STRING,
                            _VARIABLE, _LEFT_PAREN})
_NOT_EXECUTABLE = (BoolNode, DotNode, NilNode, NumberNode, StringNode)
_BRANCHES: dict[int, tuple[type[BranchNode], str]] = {
    _IF: (IfNode, "if"), _RANGE: (RangeNode, "range"), _WITH: (WithNode, "with"),
}
# Parenthesized pipelines nest by recursion here, control structures on a list; deeper ones
# are left to _Parser, whose limits (Go's depth limit, the deep stack) then apply as before.
_MAX_PARENS = 50
_MAX_NESTING = 100


_Action = tuple[list[str], list[int], list[int], "list[int] | None"]
"""An action's tokens: texts, item types, offsets, newlines before each (None: no newline)."""


class _Types(dict[str, int]):
    """Item type of the fixed tokens and words by their text (anything else is typed by its
    first character, lexer._FIRST_CHAR).

    `actions` remembers the tokens of whole actions by their text: a chart repeats most of its
    actions (`{{- end }}`, the same `include`s in every template, library charts vendored under
    each subchart); the lists are never modified."""

    def __init__(self, fixed: dict[str, int]) -> None:
        super().__init__(fixed)
        self.actions: dict[str, _Action | _Shape | _Call] = {}


# Bounds of what is remembered (a long-running server parses many charts): a chart has some
# hundreds of distinct actions.
_MAX_ACTIONS = 5000
_MAX_TRIES = 8  # "}}" inside one action's quoted strings


_TYPES = {key: _Types(kinds) for key, kinds in lx._KINDS.items()}  # by (break_ok, continue_ok)


def forget() -> None:
    """Drop every remembered action (benchmarks of a chart never seen before, as in a new
    process)."""
    for types in _TYPES.values():
        types.actions.clear()


class _Bail(Exception):
    """Not a template this path takes: the caller parses it with _Parser."""


class _Frame:
    """An open control structure: {{if}}/{{range}}/{{with}}, a {{define}} or {{block}} body."""

    __slots__ = ("kind", "pipe", "main", "else_list", "nodes", "outer", "mark", "chained",
                 "saved")

    def __init__(self, kind: int, pipe: PipeNode | None, main: ListNode, outer: list[Node],
                 mark: int, chained: bool) -> None:
        self.kind = kind  # IF/RANGE/WITH, or DEFINE/BLOCK (a new tree)
        self.pipe = pipe
        self.main = main
        self.else_list: ListNode | None = None
        self.nodes = main.nodes  # the list being filled
        self.outer = outer  # where the finished node goes
        self.mark = mark  # variables declared inside are dropped at the end
        self.chained = chained  # an {{else if}}: its {{end}} also ends the frame below
        self.saved: tuple[Tree, list[str], int] | None = None  # (tree, vars, range depth) outside


class _FastParser:
    """Parsing state (the current tree, variables in scope, {{range}} depth) and the tokens of
    the action being read."""

    __slots__ = ("tree", "funcs", "known", "vars", "range_depth", "parens", "ws", "ts", "rel", "nls",
                 "base", "line")

    def __init__(self, tree: Tree, funcs: Container[str], known: set[str]) -> None:
        self.tree = tree
        self.funcs = funcs
        self.known = known
        self.vars = ["$"]
        self.range_depth = 0
        self.parens = 0
        # The current action: token texts, item types (a RIGHT_DELIM last), offsets from `base`
        # and newlines before each token, if any (its first token is on line `line`).
        self.ws: list[str] = []
        self.ts: list[int] = []
        self.rel: list[int] = []
        self.nls: list[int] | None = None
        self.base = 0
        self.line = 0

    def line_of(self, i: int) -> int:
        """The line of item `i` of the current action."""
        nls = self.nls
        return self.line if nls is None else self.line + nls[i]

    def pipeline(self, i: int, end: int, context: str) -> tuple[PipeNode, int]:
        """Go's pipeline from item `i`; returns it and the index after its `end` item."""
        ts = self.ts
        ws = self.ws
        rel = self.rel
        base = self.base
        tree = self.tree
        while ts[i] == _SPACE:
            i += 1
        nls = self.nls
        pipe = PipeNode(base + rel[i], tree, self.line if nls is None else self.line + nls[i])
        if ts[i] == _VARIABLE:
            i = self.declarations(pipe, i, context)
        cmds = pipe.cmds
        known = self.known
        while True:
            t = ts[i]
            while t == _SPACE:
                i += 1
                t = ts[i]
            if t == end:
                if not cmds:
                    raise _Bail
                if len(cmds) > 1:
                    for cmd in cmds[1:]:
                        if isinstance(cmd.args[0], _NOT_EXECUTABLE):
                            raise _Bail
                return pipe, i + 1
            if t not in _OPERAND_START:
                raise _Bail
            cmd = CommandNode(base + rel[i], tree)
            args = cmd.args
            append = args.append
            while True:
                node: Node
                # (the commonest first: identifiers, strings, fields, variables)
                if t == _IDENTIFIER:
                    w = ws[i]
                    if w not in known:
                        if w not in self.funcs:
                            raise _Bail
                        known.add(w)
                    node = IdentifierNode(base + rel[i], tree, w)
                    i += 1
                    t = ts[i]
                    if t == _FIELD:
                        node, i = self.chain(node, i)
                        t = ts[i]
                    append(node)
                elif t == _STRING:
                    w = ws[i]
                    text = w[1:-1]  # the fast lexer's strings are well-formed
                    append(StringNode(base + rel[i], tree, w, unquote(w) if "\\" in text else text))
                    i += 1
                    t = ts[i]
                elif t == _FIELD:
                    if ts[i + 1] == _FIELD:  # .a.b: one FieldNode, at the second field (Go's)
                        j = i + 2
                        while ts[j] == _FIELD:
                            j += 1
                        append(FieldNode(base + rel[i + 1], tree, "".join(ws[i:j])))
                        i = j
                    else:
                        append(FieldNode(base + rel[i], tree, ws[i]))
                        i += 1
                    t = ts[i]
                elif t == _VARIABLE:
                    w = ws[i]
                    if w not in self.vars:
                        raise _Bail
                    if ts[i + 1] == _FIELD:
                        j = i + 2
                        while ts[j] == _FIELD:
                            j += 1
                        append(VariableNode(base + rel[i + 1], tree, w + "".join(ws[i + 1:j])))
                        i = j
                    else:
                        append(VariableNode(base + rel[i], tree, w))
                        i += 1
                    t = ts[i]
                elif t == _LEFT_PAREN:
                    if self.parens >= _MAX_PARENS:
                        raise _Bail
                    self.parens += 1
                    node, i = self.pipeline(i + 1, _RIGHT_PAREN, "parenthesized pipeline")
                    self.parens -= 1
                    t = ts[i]
                    if t == _FIELD:
                        node, i = self.chain(node, i)
                        t = ts[i]
                    append(node)
                elif t == _DOT:
                    append(DotNode(base + rel[i], tree))
                    i += 1
                    t = ts[i]
                elif t == _NUMBER:
                    append(_number(base + rel[i], tree, ws[i]))
                    i += 1
                    t = ts[i]
                elif t == _RAW_STRING:
                    w = ws[i]
                    append(StringNode(base + rel[i], tree, w, unquote(w)))
                    i += 1
                    t = ts[i]
                elif t == _BOOL:
                    append(BoolNode(base + rel[i], tree, ws[i] == "true"))
                    i += 1
                    t = ts[i]
                elif t == _NIL:
                    append(NilNode(base + rel[i], tree))
                    i += 1
                    t = ts[i]
                # (anything else is not a term: Go's operand reads nothing)
                if t == _SPACE:
                    i += 1
                    t = ts[i]
                    while t == _SPACE:
                        i += 1
                        t = ts[i]
                    if t != _RIGHT_DELIM and t != _RIGHT_PAREN and t != _PIPE:
                        continue  # the next operand
                elif t == _FIELD:
                    raise _Bail  # a field after a constant, nil or dot
                if t == _PIPE:
                    i += 1
                elif t != _RIGHT_DELIM and t != _RIGHT_PAREN:
                    raise _Bail
                break
            if not args:
                raise _Bail
            cmds.append(cmd)

    def chain(self, node: Node, i: int) -> tuple[ChainNode, int]:
        """The fields from item `i` on, chained to `node`."""
        ts = self.ts
        j = i + 1
        while ts[j] == _FIELD:
            j += 1
        chain = ChainNode(self.base + self.rel[i], self.tree, node)
        chain.field.extend([w[1:] for w in self.ws[i:j]])
        return chain, j

    def check_function(self, name: str) -> str:
        """`name`, if it is a function this parse knows (else the full parser reports it)."""
        if name not in self.known:
            if name not in self.funcs:
                raise _Bail
            self.known.add(name)
        return name

    def declarations(self, pipe: PipeNode, i: int, context: str) -> int:
        """The "decls:" part of Go's pipeline, at a VARIABLE item; returns where the commands
        start."""
        ts = self.ts
        ws = self.ws
        while True:
            while ts[i] == _SPACE:
                i += 1
            if ts[i] != _VARIABLE:
                return i
            j = i + 1
            while ts[j] == _SPACE:
                j += 1
            t = ts[j]
            if t == lx.ASSIGN or t == lx.DECLARE:
                pipe.is_assign = t == lx.ASSIGN
                pipe.decl.append(VariableNode(self.base + self.rel[i], self.tree, ws[i]))
                self.vars.append(ws[i])
                return j + 1
            if t == lx.CHAR and ws[j] == ",":
                pipe.decl.append(VariableNode(self.base + self.rel[i], self.tree, ws[i]))
                self.vars.append(ws[i])
                if context == "range" and len(pipe.decl) < 2:
                    k = j + 1
                    while ts[k] == _SPACE:
                        k += 1
                    if ts[k] in (_VARIABLE, _RIGHT_DELIM, _RIGHT_PAREN):
                        i = k
                        continue
                raise _Bail
            return i

    def skip(self, i: int) -> int:
        ts = self.ts
        while ts[i] == _SPACE:
            i += 1
        return i

    def at_end(self, i: int) -> bool:
        """Only spaces from item `i` to the action's right delimiter."""
        return self.skip(i) == len(self.ts) - 1

    def name_at(self, i: int) -> str:
        """The quoted template name of {{template}}/{{block}}/{{define}} at item `i`."""
        if self.ts[i] != _STRING and self.ts[i] != _RAW_STRING:
            raise _Bail
        return unquote(self.ws[i])


class _Shape:
    """A remembered action of one of the commonest shapes, on one line with spaces only:
    `{{ end }}`, `{{ else }}`, `{{ define "name" }}`, and one field chain alone or after if/with/range
    (`{{ .Values.a.b }}`, `{{- if .Values.a }}`). The parse builds their nodes from this,
    without tokens: what `_FastParser.pipeline` would build from them."""

    __slots__ = ("kind", "at", "field_at", "fields")

    def __init__(self, kind: int, at: int = 0, field_at: int = 0, fields: str = "") -> None:
        self.kind = kind  # END, ELSE, DEFINE, 0 for an action, else IF/WITH/RANGE
        self.at = at  # where the pipeline and its command start, from the inside's start
        self.field_at = field_at  # where Go puts the FieldNode: at its second field, if any
        self.fields = fields  # the field chain (".a.b"), or the name defined


# Each field, keyword or string ends at a terminator (a space or the end) as lexer._TOKEN reads
# them; tabs, newlines and anything else take the general path.
_SHAPE = r" *(?:(end|else)|define +\"([^\"\\\n]*)\"|(?:(if|with|range) +)?(\.[A-Za-z_]\w*)((?:\.[A-Za-z_]\w*)*)) *"
_SHAPE_KINDS = {None: 0, "if": _IF, "with": _WITH, "range": _RANGE}


class _Call:
    """A remembered action of the other common shape, on one line with spaces only: one
    argument (`.`, a variable or a field chain, with their fields), alone, after a function and
    an optional quoted string (no escapes), after if/with/range, or in `template "name" arg`,
    optionally piped to a function with an optional number (`{{ include "x.labels" . | nindent
    4 }}`, `{{ toYaml .Values.a | nindent 8 }}`, `{{ $x | quote }}`, `{{- if $x }}`).
    Positions are from the inside's start."""

    __slots__ = ("kind", "fn", "fn_at", "quoted", "quoted_at", "arg", "arg_type", "arg_at",
                 "node_at", "var", "fn2", "fn2_at", "num", "num_at")

    def __init__(self, m: re.Match[str], kind: int) -> None:
        self.kind = kind  # 0 for an action, else TEMPLATE or IF/WITH/RANGE
        self.fn, self.quoted, self.arg, self.fn2, self.num = m.groups()[5:]
        self.fn_at, self.quoted_at, self.arg_at, self.fn2_at, self.num_at = map(m.start, range(6, 11))
        arg = self.arg
        self.arg_type = _VARIABLE if arg[0] == "$" else _DOT if arg == "." else _FIELD
        # Go puts the node of a chain at its second field (a variable's: at its first field)
        dot = arg.find(".", 1)
        self.node_at = self.arg_at + dot if dot > 0 else self.arg_at
        self.var = arg[:dot] if dot > 0 else arg  # (a variable's name)


_CALL = (r' *(?:([A-Za-z_]\w*) +(?:("[^"\\\n]*") +)?)?'
         r"(\.[A-Za-z_]\w*(?:\.[A-Za-z_]\w*)*|\.|\$\w*(?:\.[A-Za-z_]\w*)*)"
         r"(?: +\| +([A-Za-z_]\w*)(?: +([1-9][0-9]{0,8}))?)? *")
_CALL_KINDS = {_IDENTIFIER: 0, _IF: _IF, _WITH: _WITH, _RANGE: _RANGE}
# Both in one regular expression (one match per new action): a _Shape's groups are 1-5, a
# _Call's 6-10.
_SHAPE_OR_CALL = re.compile(f"(?:{_SHAPE})|(?:{_CALL})", re.ASCII).fullmatch


def _shape_or_call(body: str, types: _Types) -> _Shape | _Call | None:
    """`body`'s _Shape or else _Call, if it has one of their shapes (a call's words being
    functions, or keywords where they belong)."""
    m = _SHAPE_OR_CALL(body)
    if m is None:
        return None
    word, name, keyword, first, more, fn, quoted, arg, fn2, _ = m.groups()
    if arg is None:  # a _Shape
        if word:
            return _Shape(_END if word == "end" else _ELSE)
        if name is not None:
            return _Shape(lx.DEFINE, fields=name)
        at = m.start(4)
        return _Shape(_SHAPE_KINDS[keyword], at, m.start(5) if more else at, first + more)
    if fn is None:
        kind = 0
    else:
        fn_type = dict.get(types, fn, _IDENTIFIER)  # keywords depend on break_ok/continue_ok
        if fn_type == lx.TEMPLATE and quoted is not None:
            kind = fn_type
        elif fn_type in _CALL_KINDS and (fn_type == _IDENTIFIER or quoted is None):
            kind = _CALL_KINDS[fn_type]
        else:
            return None
    if fn2 is not None and dict.get(types, fn2, _IDENTIFIER) != _IDENTIFIER:
        return None
    return _Call(m, kind)


def _call_pipe(p: _FastParser, c: _Call, start: int, line: int) -> PipeNode:
    """The pipeline of `c` at `start` on `line` (checking that its functions and variable are
    known there)."""
    tree = p.tree
    arg_at = start + c.arg_at
    node: Node
    if c.arg_type == _FIELD:
        node = FieldNode(start + c.node_at, tree, c.arg)
    elif c.arg_type == _DOT:
        node = DotNode(arg_at, tree)
    else:
        if c.var not in p.vars:
            raise _Bail
        node = VariableNode(start + c.node_at, tree, c.arg)
    if c.kind or c.fn is None:
        pipe = PipeNode(arg_at, tree, line)
        cmd = CommandNode(arg_at, tree)
        cmd.args.append(node)
    else:
        at = start + c.fn_at
        pipe = PipeNode(at, tree, line)
        cmd = CommandNode(at, tree)
        args = cmd.args
        args.append(IdentifierNode(at, tree, p.check_function(c.fn)))
        quoted = c.quoted
        if quoted is not None:
            args.append(StringNode(start + c.quoted_at, tree, quoted, quoted[1:-1]))
        args.append(node)
    pipe.cmds.append(cmd)
    if c.fn2 is not None:
        at2 = start + c.fn2_at
        cmd = CommandNode(at2, tree)
        cmd.args.append(IdentifierNode(at2, tree, p.check_function(c.fn2)))
        if c.num is not None:
            cmd.args.append(_number(start + c.num_at, tree, c.num))
        pipe.cmds.append(cmd)
    return pipe


def _number(pos: int, tree: Tree, text: str) -> NumberNode:
    """Tree.newNumber of a decimal integer literal (the only NUMBER the fast lexer takes): an
    int, uint and float at once. Octal (a leading 0) and values past int64 are left to _Parser."""
    if len(text) > 18 or (text[0] == "0" and len(text) > 1):
        raise _Bail
    v = int(text)
    node = NumberNode(pos, tree, text)
    node.is_int = node.is_uint = node.is_float = True
    node.int64 = node.uint64 = v
    node.float64 = float(v)
    return node


def _add(tree_set: dict[str, Tree], tree: Tree) -> None:
    """Go's Tree.add; a clash of two definitions is an error (left to _Parser)."""
    old = tree_set.get(tree.name)
    if old is None or is_empty_tree(old.root):
        tree_set[tree.name] = tree
    elif not is_empty_tree(tree.root):
        raise _Bail


def parse(name: str, text: str, funcs: Container[str], known: set[str], break_ok: bool,
          continue_ok: bool) -> dict[str, Tree] | None:
    """parse_template's result for `text`, or None if the fast path does not take it."""
    try:
        return _parse(name, text, funcs, known, _TYPES[break_ok, continue_ok])
    except (_Bail, GoSyntaxError):
        return None


def _parse(name: str, text: str, funcs: Container[str], known: set[str],
           types: _Types) -> dict[str, Tree]:
    s = text
    n = len(s)
    find = s.find
    count = s.count
    findall = lx._TOKEN.findall
    fixed_get = types.get
    first_char = lx._FIRST_CHAR
    memo = types.actions
    memo_get = memo.get
    spaces = lx._SPACES.match  # (always matches)
    top = Tree(name, name, text)
    p = _FastParser(top, funcs, known)
    tree_set: dict[str, Tree] = {}
    root = top.root = ListNode(0, top)
    pending: ListNode | None = root  # a new list takes the position of the next item
    stack: list[_Frame] = []
    nodes = root.nodes
    pos = 0
    last_x = 0  # where lines were last counted (an action's "{{") ...
    line = 1  # ... and its line
    while True:
        x = find("{{", pos)
        if x < 0:
            if pos < n:
                if pending is not None:
                    pending.pos = pos
                nodes.append(TextNode(pos, p.tree, s[pos:]))
            elif pending is not None:
                pending.pos = n
            if stack:
                raise _Bail  # unexpected EOF
            _add(tree_set, top)
            return tree_set
        after = x + 2
        trim = after + 1 < n and s[after] == "-" and s[after + 1] in _SPACE_CHARS
        if x > pos:
            val = s[pos:x].rstrip(_SPACE_CHARS) if trim else s[pos:x]
            if val:
                if pending is not None:
                    pending.pos = pos
                    pending = None
                nodes.append(TextNode(pos, p.tree, val))
        start = after + 2 if trim else after
        if s.startswith("/*", start):  # {{/* a comment */}}
            e = find("*/", start + 2)
            if e < 0:
                raise _Bail
            e += 2
            if s.startswith("}}", e):
                pos = e + 2
            elif e + 3 < n and s[e] in _SPACE_CHARS and s[e + 1] == "-" and s.startswith("}}", e + 2):
                pos = spaces(s, e + 4).end()  # type: ignore[union-attr]
            else:
                raise _Bail
            if pending is not None:
                pending.pos = start
                pending = None
            nodes.append(CommentNode(start, p.tree, s[start:e]))
            continue
        e = find("}}", start)
        tries = _MAX_TRIES
        while True:
            if e < 0:
                raise _Bail
            end = e
            rtrim = e - start >= 2 and s[e - 1] == "-" and s[e - 2] in _SPACE_CHARS
            if rtrim:
                end -= 2
            body = s[start:end]
            action = memo_get(body)
            if action is not None:
                break
            shape: _Shape | _Call | None = (
                None if "(" in body or "=" in body else _shape_or_call(body, types))
            if shape is not None:
                if len(memo) >= _MAX_ACTIONS:
                    memo.clear()
                action = memo[body] = shape
                break
            ws = findall(body)
            ps = list(accumulate(map(len, ws), initial=0))
            if ps[-1] == end - start:  # the tokens tile the action
                ts = [fixed_get(w) or first_char[w[0]] for w in ws]
                ts.append(_RIGHT_DELIM)
                nls = list(accumulate([w.count("\n") for w in ws], initial=0)) if "\n" in body else None
                if len(memo) >= _MAX_ACTIONS:
                    memo.clear()
                action = memo[body] = (ws, ts, ps, nls)
                break
            # A "}}" inside a quoted string does not end the action: try the next one. (No
            # token but a string holds a "}", so a tiling up to a later "}}" is Go's reading.)
            tries -= 1
            if not tries or ('"' not in body and "`" not in body):
                raise _Bail
            e = find("}}", e + 2)
        if pending is not None:
            pending.pos = x
            pending = None
        if isinstance(action, _Call):
            pos = e + 2
            if rtrim:
                pos = spaces(s, pos).end()  # type: ignore[union-attr]
            line += count("\n", last_x, x)  # (counted only for the actions that need it)
            last_x = x
            here = line + 1 if trim and s[after + 1] == "\n" else line
            kind = action.kind
            if kind == lx.TEMPLATE:
                nodes.append(TemplateNode(start + action.quoted_at, p.tree, here, action.quoted[1:-1],
                                          _call_pipe(p, action, start, here)))
                continue
            if not kind:
                pipe = _call_pipe(p, action, start, here)
                nodes.append(ActionNode(pipe.pos, p.tree, here, pipe))
                continue
            if len(stack) >= _MAX_NESTING:
                raise _Bail
            mark = len(p.vars)
            pending = _open_list(p, stack, kind, _call_pipe(p, action, start, here), mark, nodes, False)
            nodes = pending.nodes
            continue
        if isinstance(action, _Shape):
            # The nodes straight from what the shape recorded (the checks that depend on where
            # the action is are those of the general path below).
            pos = e + 2
            if rtrim:
                pos = spaces(s, pos).end()  # type: ignore[union-attr]
            kind = action.kind
            if kind == _END:
                if not stack:
                    raise _Bail
                _close(p, stack, tree_set)
                nodes = stack[-1].nodes if stack else root.nodes
                continue
            if kind == _ELSE:  # (not {{else if}}: the general path)
                if not stack:
                    raise _Bail
                frame = stack[-1]
                if frame.kind not in _BRANCHES or frame.else_list is not None:
                    raise _Bail
                if frame.kind == _RANGE:
                    p.range_depth -= 1
                frame.else_list = pending = ListNode(0, p.tree)
                nodes = frame.nodes = pending.nodes
                continue
            if kind == lx.DEFINE:
                if stack:
                    raise _Bail
                definition = Tree("definition", name, text)
                definition.name = action.fields
                pending = _open_tree(p, stack, lx.DEFINE, definition, nodes)
                nodes = pending.nodes
                continue
            # {{.a.b}} / {{if .a.b}}
            tree = p.tree
            line += count("\n", last_x, x)  # (counted only for the actions that need it)
            last_x = x
            here = line + 1 if trim and s[after + 1] == "\n" else line
            at = start + action.at
            pipe = PipeNode(at, tree, here)
            cmd = CommandNode(at, tree)
            cmd.args.append(FieldNode(start + action.field_at, tree, action.fields))
            pipe.cmds.append(cmd)
            if not kind:
                nodes.append(ActionNode(at, tree, here, pipe))
                continue
            if len(stack) >= _MAX_NESTING:
                raise _Bail
            pending = _open_list(p, stack, kind, pipe, len(p.vars), nodes, False)
            nodes = pending.nodes
            continue
        ws, ts, ps, nls = action
        p.ws = ws
        p.ts = ts
        p.rel = ps
        p.nls = nls
        p.base = start
        line += count("\n", last_x, x)
        last_x = x
        p.line = line + 1 if trim and s[after + 1] == "\n" else line
        pos = e + 2
        if rtrim:
            pos = spaces(s, pos).end()  # type: ignore[union-attr]
        i = 0
        while ts[i] == _SPACE:
            i += 1
        t = ts[i]
        tree = p.tree
        if t <= _KEYWORD or t == _DOT or t == _NIL:
            pipe, j = p.pipeline(i, _RIGHT_DELIM, "command")
            nodes.append(ActionNode(pipe.pos, tree, pipe.line, pipe))  # (the same first item)
            continue
        if t == _END:
            last = len(ts) - 1
            if not stack or not (i + 1 == last or (i + 2 == last and ts[i + 1] == _SPACE)):
                raise _Bail
            _close(p, stack, tree_set)
            nodes = stack[-1].nodes if stack else root.nodes
            continue
        if t == _ELSE:
            if not stack:
                raise _Bail
            frame = stack[-1]
            if frame.kind not in _BRANCHES or frame.else_list is not None:
                raise _Bail
            j = p.skip(i + 1)
            t = ts[j]
            if t == _RIGHT_DELIM:
                if frame.kind == _RANGE:
                    p.range_depth -= 1
                frame.else_list = pending = ListNode(0, tree)
                nodes = frame.nodes = pending.nodes
                continue
            if t != frame.kind or t == _RANGE:
                raise _Bail
            # {{else if}} / {{else with}}: a branch inside the else list, ending with this one
            frame.else_list = ListNode(start + ps[j], tree)
            frame.nodes = frame.else_list.nodes
            pending = _open_branch(p, stack, t, j, frame.nodes, chained=True)
            nodes = pending.nodes
            continue
        if t in _BRANCHES:
            pending = _open_branch(p, stack, t, i, nodes, chained=False)
            nodes = pending.nodes
            continue
        if t == lx.TEMPLATE:
            j = p.skip(i + 1)
            template_name = p.name_at(j)
            k = p.skip(j + 1)
            tpipe: PipeNode | None = None
            if ts[k] != _RIGHT_DELIM:
                tpipe, k = p.pipeline(k, _RIGHT_DELIM, "template clause")
            nodes.append(TemplateNode(start + ps[j], tree, p.line_of(j), template_name, tpipe))
            continue
        if t == lx.BREAK or t == lx.CONTINUE:
            if not p.at_end(i + 1) or p.range_depth == 0:
                raise _Bail
            nodes.append((BreakNode if t == lx.BREAK else ContinueNode)(start + ps[i], tree, p.line_of(i)))
            continue
        if t == lx.BLOCK:
            j = p.skip(i + 1)
            template_name = p.name_at(j)
            tpipe, k = p.pipeline(j + 1, _RIGHT_DELIM, "block clause")
            nodes.append(TemplateNode(start + ps[j], tree, p.line_of(j), template_name, tpipe))
            pending = _open_tree(p, stack, lx.BLOCK, Tree(template_name, name, text), nodes)
            nodes = pending.nodes
            continue
        if t == lx.DEFINE:
            j = p.skip(i + 1)
            if stack:
                raise _Bail
            definition = Tree("definition", name, text)
            definition.name = p.name_at(j)
            if not p.at_end(j + 1):
                raise _Bail
            pending = _open_tree(p, stack, lx.DEFINE, definition, nodes)
            nodes = pending.nodes
            continue
        raise _Bail


def _open_branch(p: _FastParser, stack: list[_Frame], t: int, i: int, outer: list[Node],
                 chained: bool) -> ListNode:
    """{{if}}/{{range}}/{{with}} at item `i`: its pipeline read, its list opened."""
    if len(stack) >= _MAX_NESTING:
        raise _Bail
    mark = len(p.vars)
    pipe, j = p.pipeline(i + 1, _RIGHT_DELIM, _BRANCHES[t][1])
    return _open_list(p, stack, t, pipe, mark, outer, chained)


def _open_list(p: _FastParser, stack: list[_Frame], t: int, pipe: PipeNode, mark: int,
               outer: list[Node], chained: bool) -> ListNode:
    """The list of the branch `t` whose pipeline, read with `mark` variables in scope, is `pipe`."""
    if t == _RANGE:
        p.range_depth += 1
    main = ListNode(0, p.tree)
    stack.append(_Frame(t, pipe, main, outer, mark, chained))
    return main


def _open_tree(p: _FastParser, stack: list[_Frame], t: int, tree: Tree, outer: list[Node]) -> ListNode:
    """A {{define}} or {{block}} body: a new tree, with its own variables."""
    if len(stack) >= _MAX_NESTING:
        raise _Bail
    main = ListNode(0, tree)
    frame = _Frame(t, None, main, outer, 0, False)
    frame.saved = (p.tree, p.vars, p.range_depth)
    p.tree = tree
    p.vars = ["$"]
    p.range_depth = 0
    stack.append(frame)
    return main


def _close(p: _FastParser, stack: list[_Frame], tree_set: dict[str, Tree]) -> None:
    """{{end}}: the innermost open structure finished and added where it belongs (and the ones
    its {{else if}}s opened); a {{define}} or {{block}} body is a tree of its own."""
    while True:
        frame = stack.pop()
        if frame.saved is not None:
            tree = p.tree
            tree.root = frame.main
            p.tree, p.vars, p.range_depth = frame.saved
            _add(tree_set, tree)
            return
        if frame.kind == _RANGE and frame.else_list is None:
            p.range_depth -= 1
        del p.vars[frame.mark:]
        pipe = frame.pipe
        assert pipe is not None
        frame.outer.append(_BRANCHES[frame.kind][0](pipe.pos, p.tree, pipe.line, pipe, frame.main,
                                                    frame.else_list))
        if not frame.chained:
            return

"""The template parser: Go's text/template/parse/parse.go (Go 1.23), token for token.

Parse errors carry Go's exact text (`template: NAME:LINE: MESSAGE`), including the line of
the most recently read token, which is how Go picks the line it reports.
"""

from __future__ import annotations

from collections.abc import Callable, Container

from hooklint.documents.source import SourcePos
from hooklint.gotemplate import fastparse
from hooklint.gotemplate import lexer as lx
from hooklint.gotemplate.deepstack import call_deep, on_deep_stack
from hooklint.gotemplate.goconst import (
    GoSyntaxError,
    parse_float,
    parse_int,
    parse_uint,
    unquote,
    unquote_char,
)
from hooklint.gotemplate.lexer import Item
from hooklint.gotemplate.nodes import (
    ActionNode,
    BoolNode,
    BreakNode,
    ChainNode,
    CommandNode,
    CommentNode,
    ContinueNode,
    DotNode,
    ElseNode,
    EndNode,
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


class ParseFailure(Exception):
    """A parse error: `message` is Go's full text; `parse_name`/`line` locate it."""

    def __init__(self, message: str, parse_name: str, line: int) -> None:
        super().__init__(message)
        self.message = message
        self.parse_name = parse_name
        self.line = line
        self.inner = message


# Go's maxStackDepth: parenthesized pipelines nest at most this deep (control structures are
# bounded only by the stack; see deepstack.py).
MAX_PAREN_DEPTH = 10000

_SPACE = lx.SPACE
_FIELD = lx.FIELD
_EOF = lx.EOF
_TEXT = lx.TEXT
_LEFT_DELIM = lx.LEFT_DELIM
_RIGHT_DELIM = lx.RIGHT_DELIM
_RIGHT_PAREN = lx.RIGHT_PAREN
_IDENTIFIER = lx.IDENTIFIER
_VARIABLE = lx.VARIABLE
_STRING = lx.STRING
_OPERAND_START = frozenset({
    lx.BOOL, lx.CHAR_CONSTANT, lx.COMPLEX, lx.DOT, lx.FIELD, lx.IDENTIFIER, lx.NUMBER,
    lx.NIL, lx.RAW_STRING, lx.STRING, lx.VARIABLE, lx.LEFT_PAREN,
})
_CONTROL = frozenset({lx.BLOCK, lx.BREAK, lx.CONTINUE, lx.ELSE, lx.END, lx.IF, lx.RANGE, lx.TEMPLATE, lx.WITH})

Token = lx.Token


class _Parser:
    """Parsing state of one Tree (Go's Tree fields used only while parsing).

    The items come from `lex` all at once; `c` indexes the next one. Go's parser reads them
    through a three-item lookahead with backup; every backup in Go's grammar restores items
    in their order, so moving `c` back is the same. Go reports an error at the line of the
    item it read from the lexer last, the furthest item peeked or consumed: `max(hi, c)`
    counts them (`hi` is raised where `c` moves back, or where an item is peeked and not
    consumed before the next possible error).
    """

    __slots__ = ("tree", "toks", "c", "hi", "funcs", "known", "tree_set", "vars", "action_line",
                 "range_depth", "paren_depth")

    def __init__(self, tree: Tree, toks: list[Token], c: int, funcs: Container[str], known: set[str],
                 tree_set: dict[str, Tree]) -> None:
        self.tree = tree
        self.toks = toks
        self.c = c
        self.hi = 0
        self.funcs = funcs
        self.known = known  # names found in funcs (its membership test may be slow)
        self.tree_set = tree_set
        self.vars: list[str] = ["$"]
        self.action_line = 0
        self.range_depth = 0
        self.paren_depth = 0  # Go's stackDepth: nested parenthesized pipelines

    def child(self, tree: Tree) -> _Parser:
        """A parser for a {{define}}/{{block}} body reading on from this one's position (Go
        starts it right after consuming an item: no lookahead to share)."""
        return _Parser(tree, self.toks, self.c, self.funcs, self.known, self.tree_set)

    # --- token stream ----------------------------------------------------------------

    def next(self) -> Token:
        c = self.c
        self.c = c + 1
        return self.toks[c]

    def backup(self) -> None:
        c = self.c
        if c > self.hi:
            self.hi = c
        self.c = c - 1

    def peek(self) -> Token:
        c = self.c
        if c >= self.hi:
            self.hi = c + 1
        return self.toks[c]

    def next_non_space(self) -> Token:
        toks = self.toks
        c = self.c
        token = toks[c]
        while token[0] == _SPACE:
            c += 1
            token = toks[c]
        self.c = c + 1
        return token

    def peek_non_space(self) -> Token:
        """Go's nextNonSpace + backup: the spaces stay consumed."""
        toks = self.toks
        c = self.c
        token = toks[c]
        while token[0] == _SPACE:
            c += 1
            token = toks[c]
        self.c = c
        if c >= self.hi:
            self.hi = c + 1
        return token

    # --- errors ------------------------------------------------------------------------

    def errorf(self, message: str) -> None:
        n = max(self.hi, self.c)
        line = self.toks[n - 1][3] if n else 0
        name = self.tree.parse_name
        raise ParseFailure(f"template: {name}:{line}: {message}", name, line)

    def expect(self, expected: int, context: str) -> Token:
        token = self.next_non_space()
        if token[0] != expected:
            self.unexpected(token, context)
        return token

    def expect_one_of(self, e1: int, e2: int, context: str) -> Token:
        token = self.next_non_space()
        if token[0] != e1 and token[0] != e2:
            self.unexpected(token, context)
        return token

    def unexpected(self, token: Token, context: str) -> None:
        if token[0] == lx.ERROR:
            extra = ""
            if self.action_line != 0 and self.action_line != token[3]:
                extra = f" in action started at {self.tree.parse_name}:{self.action_line}"
                if token[2].endswith(" action"):
                    extra = extra[len(" in action"):]
            self.errorf(f"{Item(*token)}{extra}")
        self.errorf(f"unexpected {Item(*token)} in {context}")

    # --- grammar -------------------------------------------------------------------------

    def parse(self) -> None:
        tree = self.tree
        root = tree.root = ListNode(self.peek()[1], tree)
        nodes = root.nodes
        while True:
            token = self.peek()
            typ = token[0]
            if typ == _EOF:
                return
            if typ == _LEFT_DELIM:
                self.c += 1
                if self.next_non_space()[0] == lx.DEFINE:
                    new_tree = Tree("definition", tree.parse_name, tree.text)
                    child = self.child(new_tree)
                    child.parse_definition()
                    self.c = child.c
                    continue
                # Go's backup2(delim) then textOrAction: the delimiter is read again and the
                # action goes on from the item after it (spaces skipped).
                self.backup()
                n = self.action_at(token)
            elif typ == _TEXT:
                self.c += 1
                n = TextNode(token[1], tree, token[2])
            else:
                n = self.text_or_action()
            if isinstance(n, (EndNode, ElseNode)):
                self.errorf(f"unexpected {n}")
            nodes.append(n)

    def add(self) -> None:
        """Go's Tree.add: register this tree; two non-empty definitions in one parse clash."""
        tree = self.tree
        old = self.tree_set.get(tree.name)
        if old is None or is_empty_tree(old.root):
            self.tree_set[tree.name] = tree
            return
        if not is_empty_tree(tree.root):
            self.errorf(f"template: multiple definition of template {_q(tree.name)}")

    def parse_definition(self) -> None:
        context = "define clause"
        name = self.expect_one_of(lx.STRING, lx.RAW_STRING, context)
        try:
            self.tree.name = unquote(name[2])
        except GoSyntaxError as e:
            self.errorf(str(e))
        self.expect(lx.RIGHT_DELIM, context)
        root, end = self.item_list()
        self.tree.root = root
        if not isinstance(end, EndNode):
            self.errorf(f"unexpected {end} in {context}")
        self.add()

    def item_list(self) -> tuple[ListNode, Node]:
        toks = self.toks
        tree = self.tree
        lst = ListNode(self.peek_non_space()[1], tree)
        nodes = lst.nodes
        while True:
            c = self.c
            token = toks[c]
            while token[0] == _SPACE:
                c += 1
                token = toks[c]
            typ = token[0]
            self.c = c + 1
            if typ == _TEXT:
                nodes.append(TextNode(token[1], tree, token[2]))
                continue
            if typ == _LEFT_DELIM:
                n = self.action_at(token)
                if isinstance(n, (EndNode, ElseNode)):
                    return lst, n
                nodes.append(n)
                continue
            if typ == _EOF:
                self.c = c
                if c >= self.hi:
                    self.hi = c + 1
                self.errorf("unexpected EOF")
            self.c = c
            n = self.text_or_action()
            if isinstance(n, (EndNode, ElseNode)):
                return lst, n
            nodes.append(n)

    def text_or_action(self) -> Node:
        token = self.next_non_space()
        typ = token[0]
        if typ == _TEXT:
            return TextNode(token[1], self.tree, token[2])
        if typ == _LEFT_DELIM:
            return self.action_at(token)
        if typ == lx.COMMENT:
            return CommentNode(token[1], self.tree, token[2])
        self.unexpected(token, "input")
        raise AssertionError("unreachable")

    def action_at(self, delim: Token) -> Node:
        """textOrAction's action branch, `delim` just read."""
        self.action_line = delim[3]
        try:
            return self.action()
        finally:
            self.action_line = 0

    def action(self) -> Node:
        token = self.next_non_space()
        typ = token[0]
        if typ in _CONTROL:
            if typ == lx.END:
                return self.end_control()
            if typ == lx.IF:
                return self.if_control()
            if typ == lx.ELSE:
                return self.else_control()
            if typ == lx.RANGE:
                return self.range_control()
            if typ == lx.WITH:
                return self.with_control()
            if typ == lx.TEMPLATE:
                return self.template_control()
            if typ == lx.BLOCK:
                return self.block_control()
            if typ == lx.BREAK:
                return self.break_control(token[1], token[3])
            return self.continue_control(token[1], token[3])
        self.c -= 1  # backup + peek: the pipeline reads this item next
        return ActionNode(token[1], self.tree, token[3], self.pipeline("command", _RIGHT_DELIM))

    def break_control(self, pos: int, line: int) -> Node:
        token = self.next_non_space()
        if token[0] != lx.RIGHT_DELIM:
            self.unexpected(token, "{{break}}")
        if self.range_depth == 0:
            self.errorf("{{break}} outside {{range}}")
        return BreakNode(pos, self.tree, line)

    def continue_control(self, pos: int, line: int) -> Node:
        token = self.next_non_space()
        if token[0] != lx.RIGHT_DELIM:
            self.unexpected(token, "{{continue}}")
        if self.range_depth == 0:
            self.errorf("{{continue}} outside {{range}}")
        return ContinueNode(pos, self.tree, line)

    def pipeline(self, context: str, end: int) -> PipeNode:
        toks = self.toks
        c = self.c
        token = toks[c]
        while token[0] == _SPACE:
            c += 1
            token = toks[c]
        pipe = PipeNode(token[1], self.tree, token[3])
        if token[0] == _VARIABLE:
            self.c = c
            self.declarations(pipe, context)
            c = self.c
        cmds = pipe.cmds
        while True:
            token = toks[c]
            while token[0] == _SPACE:
                c += 1
                token = toks[c]
            typ = token[0]
            if typ == end:
                self.c = c + 1
                self.check_pipeline(pipe, context)
                return pipe
            self.c = c
            if typ in _OPERAND_START:
                cmds.append(self.command())
                c = self.c
            else:
                self.c = c + 1
                self.unexpected(token, context)

    def declarations(self, pipe: PipeNode, context: str) -> None:
        """The "decls:" part of Go's pipeline, at a VARIABLE item."""
        while True:  # Go's "decls:" label
            v = self.peek_non_space()
            if v[0] != _VARIABLE:
                return
            at_v = self.c
            self.next()
            nxt = self.peek_non_space()  # (Go peeks at the item after v first: no matter here)
            if nxt[0] == lx.ASSIGN or nxt[0] == lx.DECLARE:
                pipe.is_assign = nxt[0] == lx.ASSIGN
                self.next_non_space()
                pipe.decl.append(VariableNode(v[1], self.tree, v[2]))
                self.vars.append(v[2])
            elif nxt[0] == lx.CHAR and nxt[2] == ",":
                self.next_non_space()
                pipe.decl.append(VariableNode(v[1], self.tree, v[2]))
                self.vars.append(v[2])
                if context == "range" and len(pipe.decl) < 2:
                    if self.peek_non_space()[0] in (lx.VARIABLE, lx.RIGHT_DELIM, lx.RIGHT_PAREN):
                        continue  # second initialized variable in a range pipeline
                    self.errorf("range can only initialize variables")
                self.errorf(f"too many declarations in {context}")
            else:
                # backup3(v, space) or backup2(v): v and the items after it, in order
                self.c = at_v
            return

    def check_pipeline(self, pipe: PipeNode, context: str) -> None:
        if not pipe.cmds:
            self.errorf(f"missing value for {context}")
        for i, c in enumerate(pipe.cmds[1:]):
            if isinstance(c.args[0], (BoolNode, DotNode, NilNode, NumberNode, StringNode)):
                self.errorf(f"non executable command in pipeline stage {i + 2}")

    def parse_control(self, context: str) -> tuple[int, int, PipeNode, ListNode, ListNode | None]:
        mark = len(self.vars)
        try:
            pipe = self.pipeline(context, lx.RIGHT_DELIM)
            if context == "range":
                self.range_depth += 1
            lst, nxt = self.item_list()
            if context == "range":
                self.range_depth -= 1
            else_list: ListNode | None = None
            if isinstance(nxt, ElseNode):
                if context == "if" and self.peek()[0] == lx.IF:
                    self.next()
                    else_list = ListNode(nxt.pos, self.tree)
                    else_list.nodes.append(self.if_control())
                elif context == "with" and self.peek()[0] == lx.WITH:
                    self.next()
                    else_list = ListNode(nxt.pos, self.tree)
                    else_list.nodes.append(self.with_control())
                else:
                    else_list, nxt = self.item_list()
                    if not isinstance(nxt, EndNode):
                        self.errorf(f"expected end; found {nxt}")
            return pipe.pos, pipe.line, pipe, lst, else_list
        finally:
            del self.vars[mark:]

    def if_control(self) -> Node:
        return IfNode(*self._with_tree(self.parse_control("if")))

    def range_control(self) -> Node:
        return RangeNode(*self._with_tree(self.parse_control("range")))

    def with_control(self) -> Node:
        return WithNode(*self._with_tree(self.parse_control("with")))

    def _with_tree(
        self, parts: tuple[int, int, PipeNode, ListNode, ListNode | None]
    ) -> tuple[int, Tree, int, PipeNode, ListNode, ListNode | None]:
        pos, line, pipe, lst, else_list = parts
        return pos, self.tree, line, pipe, lst, else_list

    def end_control(self) -> Node:
        return EndNode(self.expect(lx.RIGHT_DELIM, "end")[1], self.tree)

    def else_control(self) -> Node:
        peek = self.peek_non_space()
        if peek[0] == lx.IF or peek[0] == lx.WITH:
            return ElseNode(peek[1], self.tree, peek[3])
        token = self.expect(lx.RIGHT_DELIM, "else")
        return ElseNode(token[1], self.tree, token[3])

    def block_control(self) -> Node:
        context = "block clause"
        token = self.next_non_space()
        name = self.parse_template_name(token, context)
        pipe = self.pipeline(context, lx.RIGHT_DELIM)
        block = self.child(Tree(name, self.tree.parse_name, self.tree.text))
        root, end = block.item_list()
        block.tree.root = root
        if not isinstance(end, EndNode):
            self.errorf(f"unexpected {end} in {context}")  # at this parser's last item
        block.add()
        self.c = block.c
        return TemplateNode(token[1], self.tree, token[3], name, pipe)

    def template_control(self) -> Node:
        context = "template clause"
        token = self.next_non_space()
        name = self.parse_template_name(token, context)
        pipe: PipeNode | None = None
        if self.next_non_space()[0] != lx.RIGHT_DELIM:
            self.backup()
            pipe = self.pipeline(context, lx.RIGHT_DELIM)
        return TemplateNode(token[1], self.tree, token[3], name, pipe)

    def parse_template_name(self, token: Token, context: str) -> str:
        if token[0] in (lx.STRING, lx.RAW_STRING):
            try:
                return unquote(token[2])
            except GoSyntaxError as e:
                self.errorf(str(e))
        self.unexpected(token, context)
        raise AssertionError("unreachable")

    def command(self) -> CommandNode:
        toks = self.toks
        c = self.c
        token = toks[c]
        while token[0] == _SPACE:
            c += 1
            token = toks[c]
        self.c = c
        cmd = CommandNode(token[1], self.tree)
        args = cmd.args
        operand = self.operand
        while True:
            # peekNonSpace: operand's term reads this item next (no error in between)
            node = operand()
            if node is not None:
                args.append(node)
            c = self.c
            token = toks[c]
            typ = token[0]
            self.c = c + 1
            if typ == _SPACE:
                continue
            if typ == _RIGHT_DELIM or typ == _RIGHT_PAREN:
                self.c = c  # backup
                if c >= self.hi:
                    self.hi = c + 1
            elif typ != lx.PIPE:
                self.unexpected(token, "operand")
            break
        if not args:
            self.errorf("empty command")
        return cmd

    def operand(self) -> Node | None:
        """Go's operand with term inlined: one term and the fields chained to it."""
        toks = self.toks
        c = self.c
        token = toks[c]
        while token[0] == _SPACE:
            c += 1
            token = toks[c]
        c += 1
        self.c = c
        typ = token[0]
        tree = self.tree
        node: Node
        if typ == _FIELD:
            if toks[c][0] == _FIELD:  # .a.b: the chain's FieldNode (at the second field)
                return FieldNode(toks[c][1], tree, token[2] + self._chained())
            return FieldNode(token[1], tree, token[2])
        if typ == _IDENTIFIER:
            val = token[2]
            if val not in self.known:
                if val not in self.funcs:
                    self.errorf(f"function {_q(val)} not defined")
                self.known.add(val)
            node = IdentifierNode(token[1], tree, val)
        elif typ == _VARIABLE:
            node = self.use_var(token[1], token[2])
            if toks[c][0] == _FIELD:
                return VariableNode(toks[c][1], tree, token[2] + self._chained())
            return node
        elif typ == _STRING or typ == lx.RAW_STRING:
            try:
                text = unquote(token[2])
            except GoSyntaxError as e:
                self.errorf(str(e))
            node = StringNode(token[1], tree, token[2], text)
        elif typ == lx.DOT:
            node = DotNode(token[1], tree)
        elif typ == lx.LEFT_PAREN:
            if self.paren_depth >= MAX_PAREN_DEPTH:
                self.errorf("max expression depth exceeded")
            self.paren_depth += 1
            node = self.pipeline("parenthesized pipeline", _RIGHT_PAREN)
            self.paren_depth -= 1
        elif typ == lx.NIL:
            node = NilNode(token[1], tree)
        elif typ == lx.BOOL:
            node = BoolNode(token[1], tree, token[2] == "true")
        elif typ in (lx.CHAR_CONSTANT, lx.COMPLEX, lx.NUMBER):
            try:
                node = new_number(token[1], tree, token[2], typ)
            except _NumberError as e:
                self.errorf(str(e))
        else:
            # not a term: backup
            if c > self.hi:
                self.hi = c
            self.c = c - 1
            return None
        c = self.c
        if toks[c][0] != _FIELD:
            return node
        chain = ChainNode(toks[c][1], tree, node)
        chain.field.extend(self._chained().split(".")[1:])
        if isinstance(node, (BoolNode, StringNode, NumberNode, NilNode, DotNode)):
            self.errorf(f"unexpected . after term {_q(str(node))}")
        return chain

    def _chained(self) -> str:
        """The FIELD items from the current one on, consumed and concatenated (".b.c")."""
        toks = self.toks
        c = self.c
        start = c
        while toks[c][0] == _FIELD:
            c += 1
        self.c = c
        if c >= self.hi:
            self.hi = c + 1  # the item after the chain was peeked
        return "".join([t[2] for t in toks[start:c]])

    def use_var(self, pos: int, name: str) -> Node:
        v = VariableNode(pos, self.tree, name)
        if v.ident[0] in self.vars:
            return v
        self.errorf(f"undefined variable {_q(v.ident[0])}")
        raise AssertionError("unreachable")


def _q(s: str) -> str:
    from hooklint.gotemplate.gofmt import quote

    return quote(s)


class _NumberError(Exception):
    pass


def new_number(pos: int, tree: Tree | None, text: str, typ: int) -> NumberNode:
    """Go's Tree.newNumber: the constant under every type that represents it."""
    n = NumberNode(pos, tree, text)
    if typ == lx.CHAR_CONSTANT:
        try:
            r, _, end = unquote_char(text, 1, text[0])
        except GoSyntaxError as e:
            raise _NumberError(str(e)) from None
        if text[end:] != "'":
            raise _NumberError(f"malformed character constant: {text}")
        n.int64 = n.uint64 = r
        n.is_int = n.is_uint = n.is_float = True
        n.float64 = float(r)
        return n
    if typ == lx.COMPLEX:
        try:
            c = complex(text.replace("_", "").replace("i", "j"))
        except ValueError:
            raise _NumberError("expected integer") from None
        n.is_complex = True
        n.complex128 = c
        _simplify_complex(n)
        return n
    if text.endswith("i"):
        f = parse_float(text[:-1])
        if f is not None:
            n.is_complex = True
            n.complex128 = complex(0, f)
            _simplify_complex(n)
            return n
    u = parse_uint(text)
    if u is not None:
        n.is_uint = True
        n.uint64 = u
    i = parse_int(text)
    if i is not None:
        n.is_int = True
        n.int64 = i
        if i == 0:
            n.is_uint = True
            n.uint64 = u if u is not None else 0
    if n.is_int:
        n.is_float = True
        n.float64 = float(n.int64)
    elif n.is_uint:
        n.is_float = True
        n.float64 = float(n.uint64)
    else:
        f = parse_float(text)
        if f is not None:
            if not any(c in text for c in ".eEpP"):
                raise _NumberError(f"integer overflow: {_q(text)}")
            n.is_float = True
            n.float64 = f
            if not n.is_int and f.is_integer() and -(2**63) <= f < 2**63:
                n.is_int = True
                n.int64 = int(f)
            if not n.is_uint and f.is_integer() and 0 <= f < 2**64:
                n.is_uint = True
                n.uint64 = int(f)
    if not n.is_int and not n.is_uint and not n.is_float:
        raise _NumberError(f"illegal number syntax: {_q(text)}")
    return n


def _simplify_complex(n: NumberNode) -> None:
    n.is_float = n.complex128.imag == 0
    if n.is_float:
        f = n.complex128.real
        n.float64 = f
        n.is_int = f.is_integer() and -(2**63) <= f < 2**63
        if n.is_int:
            n.int64 = int(f)
        n.is_uint = f.is_integer() and 0 <= f < 2**64
        if n.is_uint:
            n.uint64 = int(f)


def parse_template(
    name: str, text: str, funcs: Container[str], *, break_ok: bool = True, continue_ok: bool = True
) -> dict[str, Tree]:
    """Go's parse.Parse: the named top-level tree plus every {{define}}/{{block}} in `text`.

    Raises ParseFailure with Go's message.
    """
    try:
        return _parse_template(name, text, funcs, break_ok, continue_ok)
    except RecursionError:
        # Deep nesting (hundreds of nested actions or parentheses): parse again, as Go does on
        # its growable stack, with room for it. Parsing has no side effects to repeat.
        if on_deep_stack():
            raise _too_deep(name) from None
    try:
        return call_deep(_parse_template, name, text, funcs, break_ok, continue_ok)
    except RecursionError:
        raise _too_deep(name) from None


def _too_deep(name: str) -> ParseFailure:
    """Nesting past even the deep stack (Go's parser would overflow its 1 GB stack too)."""
    message = f"template: {name}:1: actions nest too deeply (more than hooklint's parser can hold)"
    return ParseFailure(message, name, 1)


def _parse_template(name: str, text: str, funcs: Container[str], break_ok: bool, continue_ok: bool
                    ) -> dict[str, Tree]:
    known: set[str] = set()
    # Well-formed templates take the fast path; _Parser reads the rest, giving Go's errors.
    trees = fastparse.parse(name, text, funcs, known, break_ok, continue_ok)
    if trees is None:
        trees = {}
        tree = Tree(name, name, text)
        toks = lx.lex(text, emit_comment=True, break_ok=break_ok, continue_ok=continue_ok)
        p = _Parser(tree, toks, 0, funcs, known, trees)
        p.parse()
        p.add()
    return _without_cycles(trees)


def _without_cycles(trees: dict[str, Tree]) -> dict[str, Tree]:
    """The parsed trees, each root handed to a new Tree: the nodes keep pointing at the Tree
    they were parsed into (Go's node.tr), which lets go of its root. A tree whose nodes point
    back at it is a reference cycle that only the cyclic GC frees, and renders run with it
    paused (runtime/gcpolicy.py): acyclic trees are freed as soon as the last holder lets go."""
    out: dict[str, Tree] = {}
    first: Tree | None = None
    for key, parsed in trees.items():
        tree = out[key] = Tree(parsed.name, parsed.parse_name, parsed.text)
        tree.root, parsed.root = parsed.root, None
        if first is None:
            first = tree
        else:
            first.share_positions(tree)
    return out


def comments_of(tree: Tree) -> list[tuple[SourcePos, str]]:
    """Every {{/* comment */}} in `tree` (nested lists included), in source order."""
    out: list[tuple[SourcePos, str]] = []

    def visit(node: Node | None) -> None:
        if node is None:
            return
        if isinstance(node, CommentNode):
            out.append((tree.source_pos(node.pos), node.text))
        elif isinstance(node, ListNode):
            for n in node.nodes:
                visit(n)
        elif isinstance(node, (IfNode, RangeNode, WithNode)):
            visit(node.list)
            visit(node.else_list)

    visit(tree.root)
    return out


FuncNames = Callable[[str], bool]

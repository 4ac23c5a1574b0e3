"""The template parser: Go's text/template/parse/parse.go (Go 1.23), token for token.

Parse errors carry Go's exact text (`template: NAME:LINE: MESSAGE`), including the line of
the most recently read token, which is how Go picks the line it reports.
"""

from __future__ import annotations

from collections.abc import Callable, Container

from hooklint.gotemplate import lexer as lx
from hooklint.gotemplate.goconst import (
    GoSyntaxError,
    parse_float,
    parse_int,
    parse_uint,
    unquote,
    unquote_char,
)
from hooklint.gotemplate.lexer import Item, Lexer
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
from hooklint.source import SourcePos


class ParseFailure(Exception):
    """A parse error: `message` is Go's full text; `parse_name`/`line` locate it."""

    def __init__(self, message: str, parse_name: str, line: int) -> None:
        super().__init__(message)
        self.message = message
        self.parse_name = parse_name
        self.line = line
        self.inner = message


_SPACE = lx.SPACE
_OPERAND_START = frozenset({
    lx.BOOL, lx.CHAR_CONSTANT, lx.COMPLEX, lx.DOT, lx.FIELD, lx.IDENTIFIER, lx.NUMBER,
    lx.NIL, lx.RAW_STRING, lx.STRING, lx.VARIABLE, lx.LEFT_PAREN,
})


class _Parser:
    """Parsing state of one Tree (Go's Tree fields used only while parsing)."""

    def __init__(self, tree: Tree, lexer: Lexer, funcs: Container[str], tree_set: dict[str, Tree]) -> None:
        self.tree = tree
        self.lex = lexer
        self.funcs = funcs
        self.tree_set = tree_set
        self.token: list[Item] = [Item(lx.EOF, 0, "", 0)] * 3
        self.peek_count = 0
        self.vars: list[str] = ["$"]
        self.action_line = 0
        self.range_depth = 0

    def child(self, tree: Tree) -> _Parser:
        """A parser for a {{define}}/{{block}} body sharing this one's token stream."""
        p = _Parser(tree, self.lex, self.funcs, self.tree_set)
        # Go's startParse on the new tree shares the lexer; lookahead tokens are not shared,
        # which is fine because Go only starts a child right after consuming a token.
        return p

    # --- token stream ----------------------------------------------------------------

    def next(self) -> Item:
        if self.peek_count > 0:
            self.peek_count -= 1
        else:
            self.token[0] = self.lex.next_item()
        return self.token[self.peek_count]

    def backup(self) -> None:
        self.peek_count += 1

    def backup2(self, t1: Item) -> None:
        self.token[1] = t1
        self.peek_count = 2

    def backup3(self, t2: Item, t1: Item) -> None:
        self.token[1] = t1
        self.token[2] = t2
        self.peek_count = 3

    def peek(self) -> Item:
        if self.peek_count > 0:
            return self.token[self.peek_count - 1]
        self.peek_count = 1
        self.token[0] = self.lex.next_item()
        return self.token[0]

    def next_non_space(self) -> Item:
        tokens = self.token
        next_item = self.lex.next_item
        while True:  # next() inlined: this is the parser's hottest loop
            if self.peek_count > 0:
                self.peek_count -= 1
                token = tokens[self.peek_count]
            else:
                token = tokens[0] = next_item()
            if token.typ != _SPACE:
                return token

    def peek_non_space(self) -> Item:
        token = self.next_non_space()
        self.backup()
        return token

    # --- errors ------------------------------------------------------------------------

    def errorf(self, message: str) -> None:
        line = self.token[0].line
        name = self.tree.parse_name
        raise ParseFailure(f"template: {name}:{line}: {message}", name, line)

    def expect(self, expected: int, context: str) -> Item:
        token = self.next_non_space()
        if token.typ != expected:
            self.unexpected(token, context)
        return token

    def expect_one_of(self, e1: int, e2: int, context: str) -> Item:
        token = self.next_non_space()
        if token.typ != e1 and token.typ != e2:
            self.unexpected(token, context)
        return token

    def unexpected(self, token: Item, context: str) -> None:
        if token.typ == lx.ERROR:
            extra = ""
            if self.action_line != 0 and self.action_line != token.line:
                extra = f" in action started at {self.tree.parse_name}:{self.action_line}"
                if token.val.endswith(" action"):
                    extra = extra[len(" in action"):]
            self.errorf(f"{token}{extra}")
        self.errorf(f"unexpected {token} in {context}")

    # --- grammar -------------------------------------------------------------------------

    def parse(self) -> None:
        tree = self.tree
        tree.root = ListNode(self.peek().pos, tree)
        while self.peek().typ != lx.EOF:
            if self.peek().typ == lx.LEFT_DELIM:
                delim = self.next()
                if self.next_non_space().typ == lx.DEFINE:
                    new_tree = Tree("definition", tree.parse_name, tree.text)
                    self.child(new_tree).parse_definition()
                    continue
                self.backup2(delim)
            n = self.text_or_action()
            if isinstance(n, (EndNode, ElseNode)):
                self.errorf(f"unexpected {n}")
            tree.root.nodes.append(n)

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
            self.tree.name = unquote(name.val)
        except GoSyntaxError as e:
            self.errorf(str(e))
        self.expect(lx.RIGHT_DELIM, context)
        root, end = self.item_list()
        self.tree.root = root
        if not isinstance(end, EndNode):
            self.errorf(f"unexpected {end} in {context}")
        self.add()

    def item_list(self) -> tuple[ListNode, Node]:
        lst = ListNode(self.peek_non_space().pos, self.tree)
        while self.peek_non_space().typ != lx.EOF:
            n = self.text_or_action()
            if isinstance(n, (EndNode, ElseNode)):
                return lst, n
            lst.nodes.append(n)
        self.errorf("unexpected EOF")
        raise AssertionError("unreachable")

    def text_or_action(self) -> Node:
        token = self.next_non_space()
        if token.typ == lx.TEXT:
            return TextNode(token.pos, self.tree, token.val)
        if token.typ == lx.LEFT_DELIM:
            self.action_line = token.line
            try:
                return self.action()
            finally:
                self.action_line = 0
        if token.typ == lx.COMMENT:
            return CommentNode(token.pos, self.tree, token.val)
        self.unexpected(token, "input")
        raise AssertionError("unreachable")

    def action(self) -> Node:
        token = self.next_non_space()
        typ = token.typ
        if typ == lx.BLOCK:
            return self.block_control()
        if typ == lx.BREAK:
            return self.break_control(token.pos, token.line)
        if typ == lx.CONTINUE:
            return self.continue_control(token.pos, token.line)
        if typ == lx.ELSE:
            return self.else_control()
        if typ == lx.END:
            return self.end_control()
        if typ == lx.IF:
            return self.if_control()
        if typ == lx.RANGE:
            return self.range_control()
        if typ == lx.TEMPLATE:
            return self.template_control()
        if typ == lx.WITH:
            return self.with_control()
        self.backup()
        token = self.peek()
        return ActionNode(token.pos, self.tree, token.line, self.pipeline("command", lx.RIGHT_DELIM))

    def break_control(self, pos: int, line: int) -> Node:
        token = self.next_non_space()
        if token.typ != lx.RIGHT_DELIM:
            self.unexpected(token, "{{break}}")
        if self.range_depth == 0:
            self.errorf("{{break}} outside {{range}}")
        return BreakNode(pos, self.tree, line)

    def continue_control(self, pos: int, line: int) -> Node:
        token = self.next_non_space()
        if token.typ != lx.RIGHT_DELIM:
            self.unexpected(token, "{{continue}}")
        if self.range_depth == 0:
            self.errorf("{{continue}} outside {{range}}")
        return ContinueNode(pos, self.tree, line)

    def pipeline(self, context: str, end: int) -> PipeNode:
        token = self.peek_non_space()
        pipe = PipeNode(token.pos, self.tree, token.line)
        while True:  # Go's "decls:" label
            v = self.peek_non_space()
            if v.typ != lx.VARIABLE:
                break
            self.next()
            token_after_variable = self.peek()
            nxt = self.peek_non_space()
            if nxt.typ == lx.ASSIGN or nxt.typ == lx.DECLARE:
                pipe.is_assign = nxt.typ == lx.ASSIGN
                self.next_non_space()
                pipe.decl.append(VariableNode(v.pos, self.tree, v.val))
                self.vars.append(v.val)
            elif nxt.typ == lx.CHAR and nxt.val == ",":
                self.next_non_space()
                pipe.decl.append(VariableNode(v.pos, self.tree, v.val))
                self.vars.append(v.val)
                if context == "range" and len(pipe.decl) < 2:
                    if self.peek_non_space().typ in (lx.VARIABLE, lx.RIGHT_DELIM, lx.RIGHT_PAREN):
                        continue  # second initialized variable in a range pipeline
                    self.errorf("range can only initialize variables")
                self.errorf(f"too many declarations in {context}")
            elif token_after_variable.typ == lx.SPACE:
                self.backup3(v, token_after_variable)
            else:
                self.backup2(v)
            break
        while True:
            token = self.next_non_space()
            if token.typ == end:
                self.check_pipeline(pipe, context)
                return pipe
            if token.typ in _OPERAND_START:
                self.backup()
                pipe.cmds.append(self.command())
            else:
                self.unexpected(token, context)

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
                if context == "if" and self.peek().typ == lx.IF:
                    self.next()
                    else_list = ListNode(nxt.pos, self.tree)
                    else_list.nodes.append(self.if_control())
                elif context == "with" and self.peek().typ == lx.WITH:
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
        return EndNode(self.expect(lx.RIGHT_DELIM, "end").pos, self.tree)

    def else_control(self) -> Node:
        peek = self.peek_non_space()
        if peek.typ == lx.IF or peek.typ == lx.WITH:
            return ElseNode(peek.pos, self.tree, peek.line)
        token = self.expect(lx.RIGHT_DELIM, "else")
        return ElseNode(token.pos, self.tree, token.line)

    def block_control(self) -> Node:
        context = "block clause"
        token = self.next_non_space()
        name = self.parse_template_name(token, context)
        pipe = self.pipeline(context, lx.RIGHT_DELIM)
        block = self.child(Tree(name, self.tree.parse_name, self.tree.text))
        root, end = block.item_list()
        block.tree.root = root
        if not isinstance(end, EndNode):
            self.errorf(f"unexpected {end} in {context}")
        block.add()
        return TemplateNode(token.pos, self.tree, token.line, name, pipe)

    def template_control(self) -> Node:
        context = "template clause"
        token = self.next_non_space()
        name = self.parse_template_name(token, context)
        pipe: PipeNode | None = None
        if self.next_non_space().typ != lx.RIGHT_DELIM:
            self.backup()
            pipe = self.pipeline(context, lx.RIGHT_DELIM)
        return TemplateNode(token.pos, self.tree, token.line, name, pipe)

    def parse_template_name(self, token: Item, context: str) -> str:
        if token.typ in (lx.STRING, lx.RAW_STRING):
            try:
                return unquote(token.val)
            except GoSyntaxError as e:
                self.errorf(str(e))
        self.unexpected(token, context)
        raise AssertionError("unreachable")

    def command(self) -> CommandNode:
        cmd = CommandNode(self.peek_non_space().pos, self.tree)
        while True:
            self.peek_non_space()
            operand = self.operand()
            if operand is not None:
                cmd.args.append(operand)
            token = self.next()
            if token.typ == lx.SPACE:
                continue
            if token.typ in (lx.RIGHT_DELIM, lx.RIGHT_PAREN):
                self.backup()
            elif token.typ == lx.PIPE:
                pass
            else:
                self.unexpected(token, "operand")
            break
        if not cmd.args:
            self.errorf("empty command")
        return cmd

    def operand(self) -> Node | None:
        node = self.term()
        if node is None:
            return None
        if self.peek().typ == lx.FIELD:
            chain = ChainNode(self.peek().pos, self.tree, node)
            while self.peek().typ == lx.FIELD:
                chain.add(self.next().val)
            if isinstance(node, FieldNode):
                return FieldNode(chain.pos, self.tree, str(chain))
            if isinstance(node, VariableNode):
                return VariableNode(chain.pos, self.tree, str(chain))
            if isinstance(node, (BoolNode, StringNode, NumberNode, NilNode, DotNode)):
                self.errorf(f"unexpected . after term {_q(str(node))}")
            return chain
        return node

    def term(self) -> Node | None:
        token = self.next_non_space()
        typ = token.typ
        if typ == lx.IDENTIFIER:
            if token.val not in self.funcs:
                self.errorf(f"function {_q(token.val)} not defined")
            return IdentifierNode(token.pos, self.tree, token.val)
        if typ == lx.DOT:
            return DotNode(token.pos, self.tree)
        if typ == lx.NIL:
            return NilNode(token.pos, self.tree)
        if typ == lx.VARIABLE:
            return self.use_var(token.pos, token.val)
        if typ == lx.FIELD:
            return FieldNode(token.pos, self.tree, token.val)
        if typ == lx.BOOL:
            return BoolNode(token.pos, self.tree, token.val == "true")
        if typ in (lx.CHAR_CONSTANT, lx.COMPLEX, lx.NUMBER):
            try:
                return new_number(token.pos, self.tree, token.val, typ)
            except _NumberError as e:
                self.errorf(str(e))
        if typ == lx.LEFT_PAREN:
            return self.pipeline("parenthesized pipeline", lx.RIGHT_PAREN)
        if typ in (lx.STRING, lx.RAW_STRING):
            try:
                text = unquote(token.val)
            except GoSyntaxError as e:
                self.errorf(str(e))
            return StringNode(token.pos, self.tree, token.val, text)
        self.backup()
        return None

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
    tree_set: dict[str, Tree] = {}
    tree = Tree(name, name, text)
    lexer = Lexer(text, emit_comment=True, break_ok=break_ok, continue_ok=continue_ok)
    p = _Parser(tree, lexer, funcs, tree_set)
    p.parse()
    p.add()
    return tree_set


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

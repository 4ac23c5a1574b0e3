"""Property tests: any tree prints (Go's String()) to text that parses back to the same tree,
and no input text makes the parser fail with anything but TemplateParseError."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from hooklint.gotemplate.template import TemplateParseError, TemplateSet

FUNCS = ["print", "printf", "len", "not", "and", "or", "eq", "index"]
NAMES = st.sampled_from(["a", "b", "Values", "x1", "_y"])
LITERAL_HEADS = ("true", "false", ".", "nil")


@st.composite
def operands(draw: st.DrawFn, variables: tuple[str, ...], depth: int, literal_ok: bool) -> str:
    choices = ["field", "var", "func", "chain"]
    if literal_ok:
        choices += ["number", "string", "bool", "dot", "nil"]
    if depth > 0:
        choices.append("paren")
    kind = draw(st.sampled_from(choices))
    if kind == "field":
        return "".join("." + draw(NAMES) for _ in range(draw(st.integers(1, 3))))
    if kind == "var":
        name = draw(st.sampled_from(variables))
        return name + "".join("." + draw(NAMES) for _ in range(draw(st.integers(0, 2))))
    if kind == "func":
        return draw(st.sampled_from(FUNCS))
    if kind == "chain":
        return "(" + draw(pipelines(variables, max(depth - 1, 0))) + ")." + draw(NAMES)
    if kind == "number":
        return draw(st.sampled_from(["1", "-2", "0x1F", "1.5", "1e3", "'a'", "0o17", "1_000"]))
    if kind == "string":
        return draw(st.sampled_from(['"s"', '"a\\nb"', "`raw`", '""']))
    if kind == "bool":
        return draw(st.sampled_from(["true", "false"]))
    if kind == "dot":
        return "."
    if kind == "nil":
        return "nil"
    return "(" + draw(pipelines(variables, depth - 1)) + ")"


@st.composite
def commands(draw: st.DrawFn, variables: tuple[str, ...], depth: int, first: bool) -> str:
    # Only a pipeline's first command may start with a literal (parse.go checkPipeline).
    head = draw(operands(variables, depth, first))
    args = [draw(operands(variables, depth, True)) for _ in range(draw(st.integers(0, 2)))]
    return " ".join([head, *args])


@st.composite
def pipelines(draw: st.DrawFn, variables: tuple[str, ...], depth: int) -> str:
    n = draw(st.integers(1, 3))
    return " | ".join(draw(commands(variables, depth, i == 0)) for i in range(n))


@st.composite
def lists(draw: st.DrawFn, variables: tuple[str, ...], depth: int, in_range: bool) -> str:
    out: list[str] = []
    local = variables
    for _ in range(draw(st.integers(0, 3))):
        kinds = ["text", "action", "decl", "comment", "template"]
        if depth > 0:
            kinds += ["if", "range", "with"]
        if in_range:
            kinds += ["break", "continue"]
        kind = draw(st.sampled_from(kinds))
        if kind == "text":
            out.append(draw(st.sampled_from(["x", "a b\n", " ", "é", "}x"])))
        elif kind == "action":
            out.append("{{" + draw(pipelines(local, 1)) + "}}")
        elif kind == "decl":
            name = draw(st.sampled_from(["$v", "$w"]))
            op = " = " if name in local else " := "
            out.append("{{" + name + op + draw(pipelines(local, 1)) + "}}")
            local = (*local, name)
        elif kind == "comment":
            out.append("{{/* c */}}")
        elif kind == "template":
            arg = " " + draw(pipelines(local, 0)) if draw(st.booleans()) else ""
            out.append('{{template "t"' + arg + "}}")
        elif kind in ("break", "continue"):
            out.append("{{" + kind + "}}")
        else:
            inner_vars = local
            head = draw(pipelines(local, 1))
            if kind == "range" and draw(st.booleans()):
                head = "$i, $e := " + head
                inner_vars = (*local, "$i", "$e")
            body = draw(lists(inner_vars, depth - 1, in_range or kind == "range"))
            text = "{{" + kind + " " + head + "}}" + body
            if draw(st.booleans()):
                text += "{{else}}" + draw(lists(local, depth - 1, in_range))
            out.append(text + "{{end}}")
    return "".join(out)


def printed(text: str) -> str:
    ts = TemplateSet()
    ts.parse("t", text)
    tree = ts.tree("t")
    assert tree is not None and tree.root is not None
    return str(tree.root)


@settings(max_examples=60, deadline=None)
@given(lists(("$",), 2, False))
def test_string_form_round_trips(text: str) -> None:
    once = printed(text)
    assert once == text
    assert printed(once) == once


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("{}-/* \n.$'\"`|()=:,abc1_ifendrangewithdefine")), max_size=50))
def test_parser_only_raises_parse_errors(text: str) -> None:
    ts = TemplateSet()
    try:
        ts.parse("t", text)
    except TemplateParseError as e:
        assert e.message.startswith("template: t:")

"""Properties that hold for every input, found worth pinning while measuring snippet parity
with Helm (tools/snippets.py):

- no template text makes the lexer/parser fail with anything but TemplateParseError;
- no template (however ill-typed its calls) makes rendering fail with anything but a
  HooklintError, and failures always name the template file and line;
- Sprig's list and dict functions keep their algebraic invariants on any Go values.
"""

from __future__ import annotations

import dataclasses
import re
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from helm_oracle import write_chart
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hooklint.chart import load_chart
from hooklint.chart.model import Chart, File
from hooklint.errors import HooklintError
from hooklint.gotemplate import gojson
from hooklint.gotemplate.gotypes import GoFuncError, GoPanic, NilList, StrList
from hooklint.gotemplate.sprig import sprig_funcs
from hooklint.gotemplate.template import TemplateParseError, TemplateSet
from hooklint.render import RenderOptions, render_chart

VALUES = """\
replicaCount: 3
image: {repository: nginx, tag: "1.25"}
ratio: 0.5
big: 12345678901234567890
flag: yes
nothing: null
text: "héllo\\nworld"
list: [1, "two", 3.5, null, {k: v}]
env: [{name: A, value: "1"}, {name: B}]
"""

# Template vocabulary: every kind of token the lexer knows, Helm and Sprig names, and the
# shapes that break (unclosed delimiters, comments, trim markers, raw strings, runes).
TOKENS = [
    "{{", "}}", "{{- ", " -}}", "{{/*", "*/}}", " ", "\n", "\t", "\r\n", "|", "(", ")", ",", "=", ":=", ".",
    "$", "$x", "$x :=", "$x =", ".Values", ".Values.image", ".Values.list", ".Values.nothing", ".Release.Name",
    ".Chart", ".Capabilities.KubeVersion", ".Files", ".Template.Name", "if", "else", "else if", "end", "range",
    "with", "define \"d\"", "template \"d\"", "block \"b\" .", "include \"d\" .", "break", "continue", "nil",
    "true", "0", "-1", "2.5", "1e3", "0x1F", "'a'", '"s"', '"%v"', "`raw`", '"', "`", "'", "\\", "é",
    "printf", "print", "len", "index", "slice", "eq", "lt", "and", "or", "not", "call", "html", "js",
    "toYaml", "fromYaml", "toJson", "fromJson", "tpl", "required \"r\"", "fail \"f\"", "lookup", "default",
    "quote", "upper", "trunc", "nindent", "list", "dict", "append", "uniq", "keys", "merge", "set", "dig",
    "add", "div", "mod", "int", "float64", "atoi", "regexMatch", "semver", "semverCompare", "b64dec", "date",
    "toDate", "until", "seq", "sortAlpha", "first", "rest", "concat", "deepCopy", "typeOf", "kindOf",
]  # fmt: skip

template_texts = st.lists(st.sampled_from(TOKENS), max_size=24).map("".join)

# Well-formed calls of every Helm/Sprig function with arguments of every kind: the execution
# paths (argument conversion, Go errors and panics) rather than the parser's.
FUNCTION_NAMES = sorted(sprig_funcs()) + ["include", "tpl", "required", "toYaml", "fromYaml", "toJson", "lookup"]
ARGUMENTS = [
    "nil", "true", "0", "-3", "2.5", "1e300", '""', '"a,b"', '"1.2.3"', '"{{ .Release.Name }}"', "(list)",
    "(list 1 \"x\" nil)", "(dict)", '(dict "a" 1)', ".Values", ".Values.image", ".Values.list", ".Values.big",
    ".Values.nothing", ".Values.ratio", ".Values.text", ".Release", ".Capabilities", ".Files", ".", "$",
]  # fmt: skip


@st.composite
def calls(draw: st.DrawFn) -> str:
    def one() -> str:
        name = draw(st.sampled_from(FUNCTION_NAMES))
        args = draw(st.lists(st.sampled_from(ARGUMENTS), max_size=3))
        return " ".join([name, *args])

    pipeline = " | ".join(one() for _ in range(draw(st.integers(1, 3))))
    return "line\n{{ " + pipeline + " }}"


@pytest.fixture(scope="module")
def base_chart() -> Chart:
    with tempfile.TemporaryDirectory() as tmp:
        chart_dir = write_chart(Path(tmp), {"templates/t.yaml": "", "values.yaml": VALUES})
        return load_chart(chart_dir, helm_version=4)


def _render(chart: Chart, text: str) -> str:
    one = dataclasses.replace(chart, templates=[File("templates/t.yaml", text.encode("utf-8"))])
    files = render_chart(one, None, RenderOptions(helm_version=4))
    rendered = files.get("t/templates/t.yaml")
    return rendered.text if rendered is not None else ""


@settings(max_examples=400, deadline=None)
@given(template_texts)
def test_parser_only_raises_parse_errors(text: str) -> None:
    ts = TemplateSet(sprig_funcs())
    try:
        ts.parse("t/templates/t.yaml", text)
    except TemplateParseError as e:
        assert e.message.startswith("template: t/templates/t.yaml:")


_LOCATION = re.compile(r"t/templates/t\.yaml:\d+")


@pytest.mark.filterwarnings("ignore:The recursion limit will not be reset")
@settings(max_examples=500, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.one_of(template_texts, calls()))
def test_render_only_raises_hooklint_errors_naming_file_and_line(base_chart: Chart, text: str) -> None:
    try:
        _render(base_chart, text)
    except HooklintError as e:
        assert _LOCATION.search(e.message), e.message


# --- Sprig lists and dicts ------------------------------------------------------------------

FUNCS = sprig_funcs()


def call(name: str, *args: Any) -> Any:
    fn: Callable[..., Any] = FUNCS[name]
    return fn(*args)


scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(2**40), 2**40),
    st.floats(allow_nan=False, allow_infinity=False, width=64),
    st.text(max_size=6),
)
values = st.recursive(
    scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=4), inner, max_size=4)
    ),
    max_leaves=10,
)
go_lists = st.lists(values, max_size=8)
string_lists = st.lists(st.text(max_size=5), max_size=8)
go_dicts = st.dictionaries(st.text(max_size=5), values, max_size=6)


@settings(max_examples=150, deadline=None)
@given(go_lists, values)
def test_list_function_invariants(lst: list[Any], x: Any) -> None:
    assert call("reverse", call("reverse", lst)) == lst
    once = call("uniq", lst)
    assert call("uniq", once) == once and all(call("has", v, lst) for v in once) and len(once) <= len(lst)
    appended = call("append", lst, x)
    assert len(appended) == len(lst) + 1 and call("last", appended) is x and call("has", x, appended)
    assert call("first", call("prepend", lst, x)) is x
    assert not call("has", x, call("without", appended, x))
    assert [v for v in lst if not call("empty", v)] == call("compact", lst)
    assert call("concat", lst, [x]) == appended
    if lst:
        assert [call("first", lst), *call("rest", lst)] == lst
        assert [*call("initial", lst), call("last", lst)] == lst
    else:  # Sprig returns nil slices here: empty to templates, `null` to toJson
        assert isinstance(call("rest", lst), NilList) and gojson.marshal(call("initial", lst)) == "null"
    for size in (1, 2, 3):
        chunks = call("chunk", size, lst)
        assert [v for c in chunks for v in c] == lst and all(0 < len(c) <= size for c in chunks)


@settings(max_examples=150, deadline=None)
@given(string_lists)
def test_sort_alpha_sorts_bytewise_and_keeps_elements(lst: list[str]) -> None:
    out = call("sortAlpha", lst)
    assert isinstance(out, StrList) and sorted(out) == sorted(lst)
    encoded = [s.encode("utf-8", "surrogatepass") for s in out]
    assert encoded == sorted(encoded)


@settings(max_examples=150, deadline=None)
@given(go_dicts, go_dicts, st.lists(st.text(max_size=5), max_size=4))
def test_dict_function_invariants(a: dict[str, Any], b: dict[str, Any], names: list[str]) -> None:
    assert sorted(call("keys", a)) == sorted(a)
    picked, omitted = call("pick", a, *names), call("omit", a, *names)
    assert {**picked, **omitted} == a and not set(picked) & set(omitted)
    assert all(call("hasKey", a, k) for k in a)
    copy = call("deepCopy", a)
    assert copy == a
    # mergo (checked against Helm): nil source values are skipped by merge, empty destination
    # values are filled, non-empty ones win; mergeOverwrite lets every source value win.
    merged = call("merge", call("deepCopy", a), call("deepCopy", b))
    assert set(merged) == set(a) | {k for k, v in b.items() if v is not None}
    assert all(merged[k] == v for k, v in a.items() if not isinstance(v, dict) and not call("empty", v))
    overwritten = call("mergeOverwrite", call("deepCopy", a), call("deepCopy", b))
    assert set(overwritten) == set(a) | set(b)
    assert all(overwritten[k] == v for k, v in b.items() if not isinstance(v, dict))
    for k, v in a.items():
        assert call("get", a, k) is v and call("dig", k, "dflt", a) is v


@settings(max_examples=100, deadline=None)
@given(values)
def test_list_functions_reject_non_lists_with_go_errors(v: Any) -> None:
    if isinstance(v, list):
        return
    for name in ("mustFirst", "mustLast", "mustRest", "mustInitial", "mustReverse", "mustUniq"):
        with pytest.raises((GoFuncError, GoPanic)):
            call(name, v)


# --- the CLI ------------------------------------------------------------------------------


def test_cli_cut_rune_in_a_manifest_is_helms_yaml_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A template that cuts a rune (`trunc` counts bytes) renders invalid UTF-8; go-yaml's
    reader refuses it when Helm sorts the manifests (the wording is sigs.k8s.io/yaml's, as
    fromYaml shows it in fixtures/gotemplate/snippets_utf8.yaml), never a crash."""
    from hooklint.cli import main

    chart = write_chart(
        tmp_path, {"templates/t.yaml": "a: {{ .Values.s | trunc 2 }}\n", "values.yaml": 's: "\\U0001F600abc"\n'}
    )
    with pytest.raises(SystemExit) as exit_info:
        main(["render", str(chart), "--helm-version", "4"])
    assert exit_info.value.code == 1
    assert capsys.readouterr().err.startswith(
        "Error: YAML parse error on t/templates/t.yaml: error converting YAML to JSON: "
        "yaml: incomplete UTF-8 octet sequence"
    )

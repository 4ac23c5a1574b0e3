"""The on-disk parse cache as a user sees it: a second render of an unchanged chart reads its
parsed templates from the cache and prints exactly the same bytes, source map and error messages
(positions included); changed, damaged or unusable entries and cache directories only cost a
fresh parse."""

from __future__ import annotations

import pickle
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from helm_oracle import write_chart
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hooklint.chart import load_chart
from hooklint.errors import HooklintError
from hooklint.gotemplate import parse_cache
from hooklint.gotemplate import template as template_mod
from hooklint.gotemplate.gotypes import ANY, STRING, gofunc
from hooklint.gotemplate.nodes import Node, Tree
from hooklint.gotemplate.template import TemplateExecError, TemplateParseError, TemplateSet
from hooklint.render import RenderOptions, render_chart, template_output
from hooklint.render.engine import helm_funcs
from hooklint.runtime import cache

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "charts"
OPTIONS = RenderOptions(kube_version="v1.30.0")

HELPERS = """\
{{/* hooklint: disable-file=HL101 helpers are vendored */}}
{{- define "t.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- define "t.pick" -}}
{{- /* ünïcödé before the failing action: Go's column counts bytes */ -}}
{{- range $i, $v := .Values.items }}
é {{ $i }}: {{ index $v 5 }}
{{- end }}
{{- end }}
"""
CONFIGMAP = """\
apiVersion: v1
kind: ConfigMap
metadata:
  name: {{ include "t.name" . }}
  {{- /* hooklint: disable=HL202 a comment inside an if */}}
data:
{{- if .Values.items }}
  picked: {{ include "t.pick" . | quote }}
{{- end }}
  n: {{ len .Values.items | add 1 }}
"""


@pytest.fixture
def cache_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    d = tmp_path / "cache"
    monkeypatch.setenv("HOOKLINT_CACHE_DIR", str(d))
    monkeypatch.delenv("HOOKLINT_NO_CACHE", raising=False)
    return d


@pytest.fixture
def parsed(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[tuple[str, str]]]:
    """(name, text) of every template that is really parsed (not read from a cache)."""
    calls: list[tuple[str, str]] = []
    real = template_mod.parse_template

    def spy(name: str, text: str, *args: Any, **kwargs: Any) -> dict[str, Tree]:
        calls.append((name, text))
        return real(name, text, *args, **kwargs)

    monkeypatch.setattr(template_mod, "parse_template", spy)
    yield calls


def entries(cache_dir: Path) -> list[Path]:
    return sorted(p for p in (cache_dir / parse_cache.BUCKET).rglob("*") if p.is_file())


def new_process() -> None:
    """Forget the parses this process made, as a new hooklint process starts (the disk cache is
    what these tests are about)."""
    template_mod._SHARED_PARSES.clear()


def render(chart_dir: Path) -> tuple[str, dict[str, Any]]:
    """`helm template` output, and each rendered file's text and source map, as a new process."""
    new_process()
    files = render_chart(load_chart(chart_dir), None, OPTIONS)
    source_maps = {
        path: (f.text, [(s.out_start, s.out_end, s.origin, s.literal) for s in f.segments])
        for path, f in files.items()
    }
    return template_output(load_chart(chart_dir), OPTIONS), source_maps


def render_error(chart_dir: Path) -> str:
    new_process()
    with pytest.raises(HooklintError) as e:
        render_chart(load_chart(chart_dir), None, OPTIONS)
    return str(e.value)


def cacheable(calls: list[tuple[str, str]]) -> list[str]:
    return [name for name, text in calls if text.count("{{") >= parse_cache.MIN_ACTIONS]


@pytest.fixture
def chart(tmp_path: Path) -> Path:
    values = "items:\n  - [1, 2, 3, 4, 5, 6]\n"
    return write_chart(tmp_path, {"values.yaml": values, "templates/_helpers.tpl": HELPERS,
                                  "templates/cm.yaml": CONFIGMAP})


# --- rendering twice --------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["example", "platform"])
def test_warm_render_reads_every_template_from_the_cache(name, cache_dir, parsed):
    cold = render(FIXTURES / name)
    assert cacheable(parsed) and entries(cache_dir)
    parsed.clear()
    warm = render(FIXTURES / name)
    assert cacheable(parsed) == []  # only texts too small to be worth an entry were parsed
    assert warm == cold  # helm template output, and every file's text and source map


def test_cached_render_is_the_uncached_render(chart, cache_dir, monkeypatch):
    monkeypatch.setenv("HOOKLINT_NO_CACHE", "1")
    uncached = render(chart)
    monkeypatch.delenv("HOOKLINT_NO_CACHE")
    assert render(chart) == uncached  # cold: parsed and stored
    assert render(chart) == uncached  # warm: read back


def test_execution_errors_keep_their_positions(chart, cache_dir, parsed, monkeypatch):
    items = "items:\n  - [1, 2]\n"  # index 5 is out of range: fails inside t.pick
    (chart / "values.yaml").write_text(items, encoding="utf-8")
    monkeypatch.setenv("HOOKLINT_NO_CACHE", "1")
    uncached = render_error(chart)
    monkeypatch.delenv("HOOKLINT_NO_CACHE")
    assert 't/templates/_helpers.tpl:8:16: executing "t.pick" at <index $v 5>' in uncached  # byte column
    assert render_error(chart) == uncached
    parsed.clear()
    assert render_error(chart) == uncached
    assert cacheable(parsed) == []


def test_same_text_in_another_file_names_that_file(cache_dir, parsed):
    helper = '{{- define "d" -}}\n{{ index . 5 }}\n{{- end -}}\n'
    TemplateSet().parse("a/_h.tpl", helper)  # stored under a/_h.tpl
    ts = TemplateSet()
    ts.parse("b/_h.tpl", helper)  # read back and re-homed
    ts.parse("main", '{{ template "d" . }}')
    assert [name for name, _ in parsed] == ["a/_h.tpl", "main"]
    with pytest.raises(TemplateExecError) as e:
        ts.execute("main", [1])
    assert 'template: b/_h.tpl:2:3: executing "d" at <index . 5>' in e.value.message


@gofunc(STRING, ANY, result=STRING)
def _include(name: str, data: Any) -> str:
    return ""


def test_suppression_comments_keep_their_positions(cache_dir, parsed):
    funcs = {**helm_funcs(3), "include": _include}
    sets = []
    for _ in range(2):  # cold, then warm
        ts = TemplateSet(funcs)
        ts.parse("t/_helpers.tpl", HELPERS)
        ts.parse("t/cm.yaml", CONFIGMAP)
        sets.append(ts)
    assert len(parsed) == 2
    for name in ("t/_helpers.tpl", "t/cm.yaml"):
        assert sets[1].comments(name) == sets[0].comments(name) != []


def test_a_define_named_like_its_file_is_parsed_under_each_name(cache_dir):
    # Parsed as a.yaml, the text is the definition of a.yaml; parsed as b.yaml, it defines a.yaml
    # and leaves b.yaml empty. Neither outcome may be re-homed to the other name.
    text = '{{define "a.yaml"}}A{{end}}'
    for first, second in (("a.yaml", "b.yaml"), ("b.yaml", "a.yaml")):
        TemplateSet().parse(first, text)  # stored under `first`
        from_disk = TemplateSet()
        from_disk.parse(second, text)
        in_process = TemplateSet()
        in_process.parse(first, text)
        in_process.parse(second, text)
        expected = template_mod.parse_template(second, text, template_mod._FuncNames({}))
        assert shape({n: from_disk.tree(n) for n in from_disk.names()}) == shape(expected)
        output = "A" if second == "a.yaml" else ""
        assert from_disk.execute_text(second, None) == in_process.execute_text(second, None) == output


# --- what makes an entry miss -------------------------------------------------------------


def test_a_changed_template_misses(chart, cache_dir, parsed):
    render(chart)
    parsed.clear()
    cm = chart / "templates" / "cm.yaml"
    cm.write_text(CONFIGMAP.replace("n: ", "count: "), encoding="utf-8")
    out, _ = render(chart)
    assert [name.rsplit("/", 1)[-1] for name in cacheable(parsed)] == ["cm.yaml"]
    assert "count: 2" in out and "  n: " not in out


@pytest.mark.parametrize("damage", ["truncate", "flip", "empty", "garbage", "foreign-pickle"])
def test_a_damaged_entry_is_a_miss(chart, cache_dir, parsed, damage):
    cold = render(chart)
    cold_parsed = cacheable(parsed)
    stored = entries(cache_dir)
    assert len(stored) == len(cold_parsed) == 2
    for entry in stored:
        data = entry.read_bytes()
        if damage == "truncate":
            data = data[: len(data) // 2]
        elif damage == "flip":
            data = data[:-20] + bytes([data[-20] ^ 1]) + data[-19:]
        elif damage == "empty":
            data = b""
        elif damage == "garbage":
            data = b"\x80\x05not a pickle at all"
        else:  # a well-formed entry naming something else than template nodes
            body = pickle.dumps(("x", {"x": print}), protocol=5)
            data = cache.seal(entry.name, body)
        entry.write_bytes(data)
    parsed.clear()
    assert render(chart) == cold
    assert cacheable(parsed) == cold_parsed  # parsed again, and stored again
    parsed.clear()
    assert render(chart) == cold
    assert cacheable(parsed) == []


def test_no_cache_writes_nothing(chart, cache_dir, parsed, monkeypatch):
    monkeypatch.setenv("HOOKLINT_NO_CACHE", "1")
    first = render(chart)
    assert render(chart) == first
    assert not cache_dir.exists()
    # each render() is a new process that parses every template once (its second template set
    # shares the process's parses), and reads nothing from disk
    assert Counter(name for name, _ in parsed) == {name: 2 for name, _ in parsed}


def test_an_unwritable_cache_dir_is_no_cache(chart, tmp_path, parsed, monkeypatch):
    blocker = tmp_path / "not-a-dir"
    blocker.write_text("a file where the cache directory should be\n", encoding="utf-8")
    monkeypatch.setenv("HOOKLINT_CACHE_DIR", str(blocker / "cache"))
    monkeypatch.delenv("HOOKLINT_NO_CACHE", raising=False)
    first = render(chart)
    assert render(chart) == first
    assert Counter(name for name, _ in parsed) == {name: 2 for name, _ in parsed}  # once per process


# --- parsed templates a server holds in memory ----------------------------------------------


def test_held_templates_that_runs_use_outlast_newer_ones(cache_dir, parsed, monkeypatch):
    """A server holds HELD_BYTES of reported entries and drops the least recently used first:
    a held template a later run used counts as used then, not as when it was first parsed."""
    monkeypatch.setattr(parse_cache, "_held", {})
    monkeypatch.setattr(parse_cache, "_report", {})
    monkeypatch.setattr(parse_cache, "_reporting", True)  # as in a server's worker
    render(FIXTURES / "example")
    example = parse_cache.take_report()
    parse_cache.hold(example)
    render(FIXTURES / "platform")
    platform = parse_cache.take_report()
    parse_cache.hold(platform)
    assert example and platform and parse_cache.held_count() == len(example) + len(platform)
    parsed.clear()
    render(FIXTURES / "example")  # every template it parses comes from the held ones
    assert cacheable(parsed) == []
    used = parse_cache.take_report()
    assert {key for key, _ in used} == {key for key, _ in example} and all(data == b"" for _, data in used)
    parse_cache.hold(used)
    # room for example's entries only: platform's, held later but used earlier, go
    monkeypatch.setattr(parse_cache, "HELD_BYTES", sum(len(data) for _, data in example))
    parse_cache.hold([])
    assert set(parse_cache._held) == {key for key, _ in example}


# --- any tree comes back from the cache as it was parsed -----------------------------------


def shape(trees: dict[str, Tree]) -> dict[str, Any]:
    """Everything a tree holds: names, text, and each node's type and fields (positions
    included), with the tree each node belongs to."""

    def dump(v: Any) -> Any:
        if isinstance(v, Node):
            fields = [(a, dump(getattr(v, a))) for c in type(v).__mro__ for a in getattr(c, "__slots__", ())
                      if a != "tree"]
            return (type(v).__name__, v.tree.name if v.tree is not None else None, fields)
        if isinstance(v, list):
            return [dump(x) for x in v]
        return v

    return {name: (t.name, t.parse_name, t.text, dump(t.root), str(t.root)) for name, t in trees.items()}


OPERANDS = st.sampled_from([".Values.a", ".b.c", "$", "$.x", ".", "nil", "true", "1", "-2.5e3", "0x1F",
                            "'é'", "1i", '"q\\n\\u00e9"', "`raw\nline`", '(len "x")'])
FUNCS = st.sampled_from(["", "len ", "print ", 'printf "%v" ', "not ", "eq 1 "])


@st.composite
def template_texts(draw: st.DrawFn, depth: int = 2) -> str:
    """Template texts that mostly parse: text, actions, comments, variables, if/with/range with
    else branches, and (at the top level) definitions."""
    parts = []
    kinds = ["text", "action", "comment", "decl"] + (["if", "with", "range"] if depth else [])
    for _ in range(draw(st.integers(1, 5))):
        kind = draw(st.sampled_from(kinds + (["define"] if depth == 2 else [])))
        if kind == "text":
            parts.append(draw(st.sampled_from(["a: b\n", "é\n  ", " x ", "\n\n", "}}"])))
        elif kind == "action":
            left, right = draw(st.sampled_from([("{{", "}}"), ("{{- ", " -}}"), ("{{ ", " }}")]))
            parts.append(f"{left}{draw(FUNCS)}{draw(OPERANDS)}{right}")
        elif kind == "comment":
            parts.append(draw(st.sampled_from(["{{/* hooklint: disable=HL101 why */}}", "{{- /* c */ -}}"])))
        elif kind == "decl":
            parts.append("{{ $v := .x }}{{ $v = 2 }}{{ $v }}")
        elif kind == "define":
            name = draw(st.sampled_from(["d", "e", "t.yaml"]))
            parts.append(f'{{{{ define "{name}" }}}}{draw(template_texts(1))}{{{{ end }}}}')
        else:
            head = "$k, $e := .items" if kind == "range" else ".c"
            body = draw(template_texts(depth - 1))
            other = "{{ else }}" + draw(template_texts(depth - 1)) if draw(st.booleans()) else ""
            parts.append(f"{{{{ {kind} {head} }}}}{body}{other}{{{{ end }}}}")
    return "".join(parts)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=template_texts())
def test_any_tree_from_the_cache_is_the_parsed_tree(text, monkeypatch):
    monkeypatch.delenv("HOOKLINT_NO_CACHE", raising=False)
    monkeypatch.setattr(parse_cache, "MIN_ACTIONS", 0)
    fresh = TemplateSet()
    try:
        fresh.parse("t.yaml", text)  # parsed and stored
    except TemplateParseError:
        return  # never stored
    key = parse_cache.entry_key("t.yaml", text, fresh._names, True, True)
    assert key is not None
    loaded = parse_cache.load(key, "t.yaml", text)
    assert loaded is not None
    assert shape(loaded) == shape(template_mod.parse_template("t.yaml", text, template_mod._FuncNames({})))
    cached = TemplateSet()
    cached.parse("t.yaml", text)
    assert cached.names() == fresh.names()
    assert shape({n: cached.tree(n) for n in cached.names()}) == shape({n: fresh.tree(n) for n in fresh.names()})
    assert cached.comments("t.yaml") == fresh.comments("t.yaml")

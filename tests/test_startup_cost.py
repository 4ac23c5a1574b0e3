"""Start-up cost guards: what a cold `render` / `lint` of a plain chart must not import, and the
cheap replacements of start-up-heavy code (regexes, hashlib, dataclasses) against what they
replaced."""

from __future__ import annotations

import hashlib
import os
import re
import subprocess
import sys
import zlib
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from hooklint.documents.hooks import go_atoi
from hooklint.gotemplate import gofmt, yaml_block, yaml_encode
from hooklint.gotemplate.gotypes import GoSig
from hooklint.gotemplate.sprig import hashes

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "fixtures" / "charts" / "example"

# Modules a render or lint of the example chart (no values.schema.json, no fromJson, no toToml,
# annotations Helm knows or `checksum/*`) has no use for. Lint reads the rule catalogue from
# its generated Python index (no json, no YAML documents) and renders like Helm 4 by default
# (its map has toToml and semver eagerly).
# A render imports no `typing` (~3 ms): its modules name typing's types in annotations only.
# Neither needs the crypto libraries (only gen*/htpasswd/encryptAES do), the kubernetes client
# (apply --backend kubernetes), nor threading (deep templates run on a _thread of their own).
_NEVER = {"cryptography", "bcrypt", "kubernetes", "threading"}
NOT_NEEDED = {
    "render": {"_hashlib", "hashlib", "difflib", "jsonschema", "json", "hooklint.gotemplate.gotoml",
               "hooklint.gotemplate.sprig.semver", "typing", *_NEVER},
    # Lint needs neither the result cache's pickle (the cache is off here) nor TOML (no
    # pyproject.toml holds its configuration).
    "lint": {"_hashlib", "hashlib", "difflib", "jsonschema", "json", "pickle", "tomllib", "typing", *_NEVER},
}

_PROGRAM = """
import sys
from pathlib import Path

from hooklint.chart import load_chart
from hooklint.render import RenderOptions, template_output

template_output(load_chart(sys.argv[1]), RenderOptions())
if sys.argv[2] == "lint":
    from hooklint.lint.catalog import load_index
    from hooklint.lint.config import load_config
    from hooklint.lint.engine import LintRequest, lint_chart

    catalog = load_index()
    lint_chart(LintRequest(chart_dir=Path(sys.argv[1]), display_dir="."), load_config(None, catalog), catalog)
print("\\n".join(sorted(sys.modules)))
"""


def _loaded_modules(command: str) -> set[str]:
    env = dict(os.environ, HOOKLINT_NO_CACHE="1")
    proc = subprocess.run(
        [sys.executable, "-c", _PROGRAM, str(EXAMPLE), command],
        capture_output=True, text=True, check=True, env=env, cwd=ROOT,
    )
    return set(proc.stdout.split())


@pytest.mark.parametrize("command", ["render", "lint"])
def test_a_plain_chart_does_not_import_what_it_does_not_use(command: str) -> None:
    loaded = _loaded_modules(command)
    assert "hooklint.gotemplate.template" in loaded  # the program did render
    assert not (NOT_NEEDED[command] & loaded), sorted(NOT_NEEDED[command] & loaded)


@pytest.mark.parametrize("command", ["render", "lint"])
def test_the_command_does_not_import_what_the_chart_does_not_use(command: str) -> None:
    """The whole command (option parsing, --baseline support, output), not only the library:
    `-X importtime` names every module the process imports."""
    env = dict(os.environ, HOOKLINT_NO_CACHE="1", HOOKLINT_NO_SERVER="1")
    proc = subprocess.run([sys.executable, "-X", "importtime", "-m", "hooklint", command, str(EXAMPLE)],
                          capture_output=True, text=True, check=False, env=env, cwd=ROOT)
    assert proc.returncode in (0, 1), proc.stderr[-2000:]
    loaded = {line.rsplit("|", 1)[1].strip() for line in proc.stderr.splitlines() if line.startswith("import time:")}
    assert "hooklint.gotemplate.template" in loaded
    unneeded = (NOT_NEEDED[command] - {"json"}) | {"tarfile", "subprocess", "tempfile"}
    # The command line is typer's: what typer itself imports (difflib for its suggestions,
    # subprocess for completion, threading) is the price of parsing in-process; a server's
    # workers have it imported already. hooklint's own code must still import none of them
    # (test_a_plain_chart_does_not_import_what_it_does_not_use checks the library without typer).
    unneeded -= _typer_modules()
    assert unneeded and not (unneeded & loaded), sorted(unneeded & loaded)
    if command == "render":  # parsed without typer: nor pathlib (the library test's program imports it)
        assert "typer" not in loaded and "pathlib" not in loaded


def _typer_modules() -> set[str]:
    proc = subprocess.run([sys.executable, "-c", "import sys, typer, typer.main; print('\\n'.join(sys.modules))"],
                          capture_output=True, text=True, check=True)
    return set(proc.stdout.split())


_CHARS = "ab \t\n\r\x7f\x80\x85\x9f\xa0\u2028\u2029\udc80\udcff\ufffe\uffff\U0001f600"
# Go strings hold invalid UTF-8 as surrogate escapes (U+DC80-U+DCFF); other surrogates only in
# the character-class tests.
_TEXT = st.text(alphabet=st.sampled_from(_CHARS + "\ud800\udbff"))
_GO_TEXT = st.text(alphabet=st.sampled_from(_CHARS))


@given(_TEXT)
def test_other_breaks_is_the_character_class(value: str) -> None:
    assert yaml_block._other_breaks(value) == bool(re.search("[\r\x85\u2028\u2029]", value))


@given(_TEXT)
def test_reader_rejects_is_the_character_class(value: str) -> None:
    expected = bool(re.search("[\x7f-\x84\x86-\x9f\ud800-\udfff\ufffe\uffff]", value))
    assert yaml_encode._reader_rejects(value) == expected


@given(_GO_TEXT)
def test_quoting_with_surrogates_is_unchanged(value: str) -> None:
    assert gofmt.quote(value) == gofmt._quote_runes(value, '"', False)


@pytest.mark.parametrize(
    "raw",
    ["", "+", "-", "0", "7", "+7", "-7", "007", " 1", "1 ", "1\n", "1.0", "0x1", "١", "²", "+-1",
     "9223372036854775807", "9223372036854775808", "-9223372036854775808", "-9223372036854775809"],
)
def test_go_atoi_is_the_regex_it_replaced(raw: str) -> None:
    expected = int(raw) if re.match(r"[+-]?[0-9]+\Z", raw) else 0
    assert go_atoi(raw) == (expected if -(1 << 63) <= expected < (1 << 63) else 0)


@given(st.text())
def test_checksums_are_hashlibs(s: str) -> None:
    data = s.encode("utf-8", "surrogateescape")
    assert hashes.sha1sum(s) == hashlib.sha1(data).hexdigest()
    assert hashes.sha256sum(s) == hashlib.sha256(data).hexdigest()
    assert hashes.sha512sum(s) == hashlib.sha512(data).hexdigest()
    assert hashes.adler32sum(s) == str(zlib.adler32(data))


def test_gosig_is_a_value() -> None:
    a = GoSig(("string",), None, True, "string")
    b = GoSig(("string",), None, True, "string")
    assert a == b and hash(a) == hash(b) and len({a, b}) == 1
    assert a != GoSig(("string",), None, False, "string")
    assert repr(a) == "GoSig(params=('string',), variadic=None, returns_error=True, result='string')"


def _pyyaml_patterns() -> str:
    """Code printing, for each pattern PyYAML compiles at import, its place and type."""
    return (
        "import yaml.reader, yaml.resolver, yaml.constructor\n"
        "found = [('reader', yaml.reader.Reader.NON_PRINTABLE),\n"
        "         ('timestamp', yaml.constructor.SafeConstructor.timestamp_regexp)]\n"
        "for first, pairs in sorted(yaml.resolver.Resolver.yaml_implicit_resolvers.items()):\n"
        "    found += [(tag, p) for tag, p in pairs]\n"
        "print(len(found), sorted({type(p).__name__ for _, p in found}),\n"
        "      all(p._compiled is None for _, p in found if type(p).__name__ == 'LazyPattern'))\n"
    )


def test_pyyaml_is_imported_without_compiling_its_patterns() -> None:
    """hooklint/runtime/pyyaml.py: a cold render leaves every pattern PyYAML compiles at import
    uncompiled (libyaml reads, hooklint resolves), and `re.compile` as it was."""
    code = (
        "import re, sys\n"
        "compile_before = re.compile\n"
        "from hooklint.chart import load_chart\n"
        "from hooklint.render import RenderOptions, template_output\n"
        "template_output(load_chart(sys.argv[1]), RenderOptions())\n"
        "print(re.compile is compile_before, type(re.compile('a')).__name__)\n"
        + _pyyaml_patterns()
    )
    env = dict(os.environ, HOOKLINT_NO_CACHE="1")
    out = subprocess.run([sys.executable, "-c", code, str(EXAMPLE)], capture_output=True, text=True, check=True,
                         env=env, cwd=ROOT).stdout
    # 2 + the resolver's patterns, once per first character they are registered for.
    count = int(subprocess.run([sys.executable, "-c", _pyyaml_patterns()], capture_output=True, text=True,
                               check=True).stdout.split()[0])
    assert out == f"True Pattern\n{count} ['LazyPattern'] True\n"


# Scalars for every implicit tag of PyYAML's resolver (bool, float, int, merge, null, timestamp,
# value, yaml) and near misses, as plain, quoted and key scalars.
_SCALARS = ["yes", "No", "ON", "off", "true", "False", "y", "n", "~", "null", "Null", "", "<<", "=", "!", "&", "*",
            "0", "-17", "+0x1F", "0b101", "0o17", "017", "1_000", "190:20:30", "1.5", "-.inf", ".NaN", "6.8523015e+5",
            "1e3", "2001-12-14", "2001-12-14t21:59:43.10-05:00", "2001-12-14 21:59:43.10", "2002-1-1 1:2:3",
            "2001-12-14T21:59:43Z", "12-14-2001", "1.2.3", "0x", "yes!", "a: b", "é", "\u2028x"]


@pytest.mark.parametrize("loader", ["SafeLoader", "CSafeLoader", "FullLoader"])
def test_pyyaml_loads_as_without_the_stand_ins(loader: str) -> None:
    """Every loader answers through the stand-ins exactly as PyYAML imported plainly does:
    implicit tags, timestamps, merge keys, the pure-Python reader's printable check."""
    import json

    docs = [yaml_text for s in _SCALARS
            for yaml_text in (f"- {s}\n" if s else "- \n", f"- '{s}'\n", f"{json.dumps(s)}: x\n")]
    docs += ["a: &a {x: 1}\nb: {<<: *a, y: 2}\n", "a: \x01\n", "a: !!binary aGk=\n", "t: !!timestamp 2001-12-14\n"]
    program = (
        "import json, sys\n{imp}\n"
        "out = []\n"
        "for doc in json.loads(sys.stdin.read()):\n"
        "    try:\n"
        "        out.append(repr(yaml.load(doc, Loader=getattr(yaml, sys.argv[1]))))\n"
        "    except yaml.YAMLError as e:\n"
        "        out.append(type(e).__name__ + ': ' + str(e))\n"
        "print(json.dumps(out))\n"
    )
    answers = []
    for imp in ("import yaml", "from hooklint.runtime.pyyaml import yaml, LazyPattern\n"
                "assert isinstance(yaml.resolver.Resolver.yaml_implicit_resolvers['y'][0][1], LazyPattern)"):
        proc = subprocess.run([sys.executable, "-c", program.format(imp=imp), loader], input=json.dumps(docs),
                              capture_output=True, text=True, check=True, cwd=ROOT)
        answers.append(json.loads(proc.stdout))
    assert answers[0] == answers[1]
    assert len(answers[0]) == len(docs) and "[True]" in answers[0] and answers[0][-3].startswith("ReaderError")


@given(st.text(alphabet=st.sampled_from(_CHARS + "\x00\x09\x1f~\ud7ff\ue000\U0010ffff0123456789-:.TZ +")))
def test_the_lazy_pattern_is_the_compiled_one(value: str) -> None:
    from hooklint.runtime.patterns import LazyPattern

    for source, flags in [("[^\x09\x0A\x0D\x20-\x7E\x85\xA0-\uD7FF\uE000-\uFFFD\U00010000-\U0010ffff]", 0),
                          (r"^(?P<y>[0-9]{4})-(?P<m>[0-9][0-9]?)(?:[Tt ](?P<h>[0-9]+))?$", re.X)]:
        real, lazy = re.compile(source, flags), LazyPattern(source, flags)
        for method in ("search", "match", "fullmatch"):
            found, expected = getattr(lazy, method)(value), getattr(real, method)(value)
            assert (found and (found.span(), found.groupdict())) == (expected and (expected.span(), expected.groupdict()))
        assert (lazy.pattern, lazy.flags, lazy.groupindex) == (real.pattern, real.flags, real.groupindex)
        assert lazy.sub("_", value) == real.sub("_", value) and lazy.scanner is not None  # not forwarded: __getattr__


def test_a_deferred_module_loads_on_first_use() -> None:
    """hooklint/runtime/deferred.py: the stand-in answers as the module once used, however it is
    reached (`import x` bound before, `from x import y`, attributes after loading)."""
    code = (
        "import sys\n"
        "from hooklint.runtime.deferred import StandIn, defer_unused_modules\n"
        "defer_unused_modules()\n"
        "import inspect, ipaddress\n"
        "assert type(inspect) is StandIn and type(sys.modules['inspect']) is StandIn\n"
        "def f(a, b=2): pass\n"
        "print(inspect.signature(f), inspect.isfunction(f), type(sys.modules['inspect']).__name__)\n"
        "from ipaddress import ip_address\n"
        "print(ip_address('::1').version, ipaddress.IPv4Address('10.0.0.1').is_private)\n"
        "import dataclasses\n"
        "@dataclasses.dataclass\n"
        "class NoDoc:\n"
        "    x: int\n"
        "print(NoDoc.__doc__)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out == "(a, b=2) True module\n6 True\nNoDoc(x: int)\n"


def test_written_out_values_behave_as_the_frozen_dataclasses_they_replaced() -> None:
    from hooklint.runtime.default_helm import DefaultHelm
    from hooklint.semver import Version, parse_version

    a, b = Version(1, 2, 3, "rc.1", "build", "v1.2.3-rc.1+build"), parse_version("v1.2.3-rc.1+build")
    assert a == b and hash(a) == hash(b) and len({a, b}) == 1 and a != Version(1, 2, 3)
    assert repr(a) == ("Version(major=1, minor=2, patch=3, pre='rc.1', metadata='build', "
                       "original='v1.2.3-rc.1+build')")
    assert a.replace(patch=4, pre="") == Version(1, 2, 4, "", "build", "v1.2.3-rc.1+build")
    with pytest.raises(TypeError):
        a.replace(minr=1)
    h = DefaultHelm((3, 17, 1), "default")
    assert h == DefaultHelm((3, 17, 1), "default") and len({h, DefaultHelm((3, 17, 1), "default")}) == 1
    assert h != DefaultHelm((4, 1, 4), "helm on PATH") and (h.major, h.text) == (3, "3.17.1")
    assert repr(h) == "DefaultHelm(version=(3, 17, 1), source='default')"


_GLOB_PARTS = st.sampled_from(["*", "a", "b", ".", "/", "~", "x.y", "-", "*a", "a/", ".git"])


@given(st.lists(_GLOB_PARTS, max_size=4).map("".join), st.text(alphabet="ab./~x-y*", max_size=8))
def test_simple_helmignore_patterns_match_like_the_regex(pattern: str, name: str) -> None:
    """hooklint/chart/gomatch.py matches literal and `*x` / `x*` / `*x*` patterns with str
    methods: the same answers as the filepath.Match translation it skips."""
    from hooklint.chart import gomatch

    assert gomatch.match(pattern, name) == (gomatch._compile(pattern).fullmatch(name) is not None)


def test_written_out_records_behave_as_the_dataclasses_they_replaced() -> None:
    """SourcePos and CRDFile are values (frozen dataclasses before); the others compare by
    identity (eq=False dataclasses before). Every repr is the dataclass's."""
    from hooklint.chart.model import Dependency, File, Maintainer
    from hooklint.documents.source import Segment, SourcePos
    from hooklint.render import CRDFile

    p = SourcePos("t.yaml", 3)
    assert p == SourcePos("t.yaml", 3, 1) and hash(p) == hash(SourcePos("t.yaml", 3, 1)) and len({p, SourcePos("t.yaml", 3)}) == 1
    assert p != SourcePos("t.yaml", 3, 2) and p != ("t.yaml", 3, 1) and str(p) == "t.yaml:3:1"
    assert repr(p) == "SourcePos(file='t.yaml', line=3, column=1)"
    assert repr(Segment(0, 4, p)) == "Segment(out_start=0, out_end=4, origin=SourcePos(file='t.yaml', line=3, column=1), literal=True)"
    c = CRDFile("c/crds/a.yaml", "kind: CRD\n")
    assert c == CRDFile("c/crds/a.yaml", "kind: CRD\n") and len({c, CRDFile("c/crds/a.yaml", "kind: CRD\n")}) == 1
    assert c != CRDFile("c/crds/b.yaml", "kind: CRD\n") and repr(c) == "CRDFile(path='c/crds/a.yaml', text='kind: CRD\\n')"
    a, b = Dependency(name="x"), Dependency(name="x")
    assert a != b and a == a and a.tags is not b.tags and a.import_values is not b.import_values
    a.tags.append("t")
    assert b.tags == [] and repr(a) == ("Dependency(name='x', version='', repository='', condition='', tags=['t'], "
                                         "enabled=False, import_values=[], alias='')")
    assert repr(Maintainer(name="m")) == "Maintainer(name='m', email='', url='')"
    assert repr(File("a", b"x")) == "File(name='a', data=b'x')" and File("a", b"x") != File("a", b"x")
    import copy
    import pickle

    from hooklint.model import Document, ObjectRef

    ref = ObjectRef("v1", "Pod", "p")
    assert ref == ObjectRef("v1", "Pod", "p", None) and len({ref, ObjectRef("v1", "Pod", "p")}) == 1
    assert ref != ObjectRef("v1", "Pod", "p", "ns") and ref != ("v1", "Pod", "p", None)
    assert repr(ref) == "ObjectRef(api_version='v1', kind='Pod', name='p', namespace=None)"
    assert pickle.loads(pickle.dumps(ref)) == ref and copy.deepcopy(ref) == ref
    with pytest.raises(AttributeError):
        ref.name = "q"  # type: ignore[misc]
    doc = Document("c/templates/a.yaml", 0, "a: 1")
    assert doc != Document("c/templates/a.yaml", 0, "a: 1") and doc.key_pos == {}
    assert repr(doc) == ("Document(path='c/templates/a.yaml', index=0, text='a: 1', body=None, parse_error=None, "
                         "pos=None, key_pos={}, head=None)")


def _lint_records() -> list[object]:
    from hooklint.documents.source import SourcePos
    from hooklint.lint.config import Config
    from hooklint.lint.engine import ChartResult, LintRequest
    from hooklint.lint.finding import Finding, Related
    from hooklint.model import ObjectRef
    from hooklint.render import RenderOptions

    related = Related(SourcePos("values.yaml", 3, 5), "the value is set here")
    finding = Finding("HL101", "hook-weight-not-string", "error", "weight 'x'", SourcePos("templates/job.yaml", 7, 5),
                      ObjectRef("batch/v1", "Job", "migrate", None), "pre-install", (related,), "charts/a",
                      extra={"doc": ("templates/job.yaml", 0)})
    return [
        related, finding, Finding("HL000", "render-error", "error", "does not render", None),
        LintRequest(chart_dir=EXAMPLE, display_dir="."),
        LintRequest(EXAMPLE, "ex", [EXAMPLE / "values.yaml"], "argocd", ["HL101"], ["HL102"], "r", "ns", "4.1",
                    True, None, ("a=1",), ("b=2",), (), "1.30", ("v1",), ("c={}",), ("d=e",)),
        Config(), Config(source=EXAMPLE / ".hooklint.yaml", select=["HL101"], severity={"HL304": "off"},
                         per_path_ignores={"charts/*": ["*"]}, ci_values=True, charts={"x/*": {"target": "flux"}}),
        ChartResult("charts/a", [finding], [], "helm4", (4, 2)),
        RenderOptions(), RenderOptions("r", "ns", 2, True, 4, "v1.30.0", ("a/v1",), ("v.yaml",), ("a=1",), ("b=2",),
                                       ("c={}",), ("d=f",), ("e=x",), True, ({"kind": "Pod"},), ("v1",), True),
    ]


def test_render_options_replace_as_dataclasses_replace_did() -> None:
    from hooklint.render import RenderOptions

    base = RenderOptions(release_name="r", set_values=("a=1",))
    changed = base.replace(skip_schema_validation=True, namespace="ns")
    assert changed == RenderOptions(release_name="r", namespace="ns", set_values=("a=1",), skip_schema_validation=True)
    assert base == RenderOptions(release_name="r", set_values=("a=1",))  # unchanged
    with pytest.raises(TypeError):
        base.replace(no_such_field=1)


@pytest.mark.parametrize("value", _lint_records(), ids=lambda v: type(v).__name__)
def test_lint_records_behave_as_the_dataclasses_they_replaced(value: object) -> None:
    """hooklint/runtime/records.py Record: repr (the result cache's key holds LintRequest's and Config's)
    and == as `@dataclass` generated them, over every parameter of the class's __init__."""
    import dataclasses
    import inspect

    cls = type(value)
    fields: tuple[str, ...] = cls._fields  # type: ignore[attr-defined]
    assert list(inspect.signature(cls).parameters) == list(fields)
    twin = dataclasses.make_dataclass(cls.__name__, fields)(*(getattr(value, f) for f in fields))
    assert repr(value) == repr(twin)
    same = cls(*(getattr(value, f) for f in fields))
    assert value == same and not (value != same) and value != twin
    for f in fields:
        other = cls(*(("changed" if g == f else getattr(value, g)) for g in fields))
        assert (value == other) == (getattr(value, f) == "changed")
    with pytest.raises(TypeError):
        hash(value)

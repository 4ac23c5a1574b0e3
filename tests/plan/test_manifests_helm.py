"""manifests.py: Helm's SplitManifests and SimpleHead decoding.

Split facts and weight/event tables are Helm 3.17.1 observations recorded in the shared Helm
semantics notes ([E3]); YAML/JSON error texts are compared live with real Helm (the v4.2.3 SDK's
`install --dry-run=client`, which sorts manifests exactly like Helm 3 and stays offline).
"""

from __future__ import annotations

import re
import tempfile
import time
from pathlib import Path

import pytest
from helm_oracle import HAVE_HELM, write_chart
from hypothesis import given
from hypothesis import strategies as st

from hooklint.documents.hooks import classify
from hooklint.documents.manifests import (
    _GO_SPACE,
    _separators,
    documents_from_helm_output,
    documents_from_rendered,
    go_trim_span,
    split_manifests,
)
from hooklint.documents.source import RenderedFile

# --- SplitManifests --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "docs"),
    [
        ("a: 1\n---\nb: 2\n", ["a: 1", "b: 2"]),
        ("---\na: 1", ["a: 1"]),
        ("a: 1\n  ---\nb: 2", ["a: 1\n  ---\nb: 2"]),  # indented --- does not split
        ("a: 1\n---apiVersion: v1", ["a: 1", "apiVersion: v1"]),  # glued: splits
        ("a: 1\n--- # c\nb: 2", ["a: 1", "# c\nb: 2"]),  # comment after --- starts the doc
        ("a: 1\n---\n---\nb: 2", ["a: 1", "---\nb: 2"]),  # greedy \s*: second --- stays
        ("# only a comment\n---\na: 1", ["# only a comment", "a: 1"]),
        ("  \n\t\n", []),
        ("a: 1\n\n\n---\n\n\nb: 2\n\n", ["a: 1", "b: 2"]),
        ("a: 1\r\n---\r\nb: 2", ["a: 1", "b: 2"]),
    ],
)
def test_split_manifests_like_helm(text: str, docs: list[str]) -> None:
    assert split_manifests(text) == docs


_line = st.text(alphabet=st.sampled_from("ab:- #\t'\"x1"), min_size=1, max_size=12).filter(
    lambda s: not s.lstrip(" \t").startswith("---") and s.strip() != ""
)
_doc = st.lists(_line, min_size=1, max_size=4).map("\n".join).map(str.strip).filter(lambda d: bool(d))


@given(st.lists(_doc, min_size=1, max_size=5))
def test_split_round_trips_non_separator_content(docs: list[str]) -> None:
    """Documents without separator lines come back exactly, whatever the separator spacing."""
    if any(line.startswith("---") for d in docs for line in d.splitlines()):
        return
    assert split_manifests("\n---\n".join(docs)) == docs
    assert split_manifests("---\n" + "\n---   \n\n".join(docs) + "\n") == docs


@pytest.mark.parametrize(
    ("text", "v3", "v4"),
    [
        # a template whose output starts with whitespace then `---`: no empty first document
        ("\n---\na: 1\n", ["a: 1"], ["a: 1\n"]),
        ("\n\n  \n---\n\na: 1\n---\nb: 2\n\n", ["a: 1", "b: 2"], ["a: 1", "b: 2\n\n"]),
        ("\n---", [], []),  # trimmed first: `^---` matches, both pieces are empty
        ("\n---\n", [], []),
        ("a: 1\n---\n\v\n---\nb: 2", ["a: 1", "", "b: 2"], ["a: 1", "b: 2"]),  # \v: not a separator space
        ("a: 1\n---\n   \n---\nb: 2", ["a: 1", "---\nb: 2"], ["a: 1", "---\nb: 2"]),  # greedy \s*
    ],
)
def test_split_trims_the_whole_text_first(text: str, v3: list[str], v4: list[str]) -> None:
    """Helm 3.17.1/4.1.4 trim the text, then split (`^` matches only at the trimmed start);
    Helm 4.2 trims only on the left and drops whitespace-only pieces."""
    assert split_manifests(text) == v3
    assert split_manifests(text, helm_version=4) == v4


def _go_sep_reference(text: str) -> list[tuple[int, int]]:
    """The separator regex on the trimmed text as a string of its own, where Python's
    backtracking search finds the same leftmost-first matches as Go's RE2 (only slower)."""
    lo, hi = go_trim_span(text, 0, len(text))
    window = text[lo:hi]
    return [(lo + m.start(), lo + m.end()) for m in re.finditer(r"(?:^|[\t\n\f\r ]*\n)---[\t\n\f\r ]*", window)]


@given(st.lists(st.sampled_from(["-", "---", "\n", " ", "\t", "\r", "\f", "\v", "a", "#"]), max_size=30).map("".join))
def test_separator_scan_finds_the_regex_matches(text: str) -> None:
    lo, hi = go_trim_span(text, 0, len(text))
    assert _separators(text, lo, hi) == _go_sep_reference(text)


_PIECES = ["-", "---", "\n", " ", "\t", "\r", "\f", "\v", "\x85", "a", "#"]


@given(st.lists(st.sampled_from(_PIECES), max_size=30).map("".join))
def test_helm4_split_differs_only_in_trailing_space(text: str) -> None:
    """Helm 4.2's documents are Helm 3's with their trailing whitespace kept, less the documents
    Helm 3 keeps empty (a piece of only \\v or \\x85, which are not separator spaces)."""
    go_space = "".join(_GO_SPACE)
    assert [d.rstrip(go_space) for d in split_manifests(text, helm_version=4)] == [
        d for d in split_manifests(text) if d
    ]


@pytest.mark.parametrize("filler", ["\n", " ", "\n \t"])
def test_split_is_linear_in_whitespace_runs(filler: str) -> None:
    """100,000-character runs of whitespace (with and without a separator after them) split in
    well under a second; the old regex scan was quadratic (39 s for 100,000 blank lines)."""
    for text in (
        "a: 1\n" + filler * 100_000 + "\nb: 2",
        "a: 1\n" + filler * 100_000 + "\n---\nb: 2",
        "a: 1\n" + (filler * 50 + "--") * 4_000,
    ):
        started = time.perf_counter()
        docs = split_manifests(text)
        split_manifests(text, helm_version=4)
        assert time.perf_counter() - started < 2.0, repr(filler)
        assert docs[0].startswith("a: 1")


# --- positions ------------------------------------------------------------------------------


def test_key_positions_follow_the_rendered_text() -> None:
    text = "# c\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n  annotations:\n    helm.sh/hook: pre-install\n"
    [doc] = documents_from_rendered({"c/templates/a.yaml": RenderedFile("c/templates/a.yaml", "\n" + text)})
    assert (doc.key_pos["kind"].line, doc.key_pos["kind"].column) == (4, 1)
    assert doc.key_pos["metadata.name"].line == 6
    assert doc.key_pos["metadata.annotations.helm.sh/hook"].line == 8
    assert doc.key_pos["metadata.annotations.helm.sh/hook"].column == 5


def test_partials_notes_and_blank_files_are_skipped() -> None:
    files = {
        "c/templates/_x.yaml": "kind: ConfigMap\nmetadata: {name: a}",
        "c/templates/RELEASE-NOTES.txt": "kind: ConfigMap\nmetadata: {name: b}",
        "c/templates/blank.yaml": " \n\t\n",
        "c/templates/d.txt": "kind: ConfigMap\nmetadata: {name: d}",
    }
    docs = documents_from_rendered({k: RenderedFile(k, v) for k, v in files.items()})
    assert [d.name for d in docs] == ["d"]


def test_helm_template_output_is_split_back_by_source() -> None:
    out = (
        "---\n# Source: c/templates/a.yaml\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n"
        "---\n# Source: c/templates/b.yaml\napiVersion: v1\nkind: Secret\nmetadata:\n  name: b\n"
        "---\n# Source: c/templates/a.yaml\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: h\n"
        "  annotations:\n    helm.sh/hook: pre-install\n"
    )
    files = documents_from_helm_output(out, "r.yaml")
    assert sorted(files) == ["c/templates/a.yaml", "c/templates/b.yaml"]
    c = classify(documents_from_rendered(files))
    assert [d.name for d in c.resources] == ["b", "a"]  # kind order: Secret before ConfigMap
    assert [h.name for h in c.hooks] == ["h"]
    assert str(c.hooks[0].doc.key_pos["metadata.annotations.helm.sh/hook"]) == "r.yaml:20:5"


# --- Helm's own errors (live oracle) ----------------------------------------------------------

pytestmark_helm = pytest.mark.skipif(not HAVE_HELM, reason="helm_python not installed")


def _helm_dry_run_error(template: str) -> str | None:
    import helm_python

    with tempfile.TemporaryDirectory() as tmp:
        chart = write_chart(Path(tmp), {"templates/t.yaml": template})
        try:
            helm_python.Config(storage_driver="memory").install(
                str(chart), "r", namespace="default", dry_run="client"
            )
        except helm_python.HelmError as e:
            return str(e)
    return None


@pytestmark_helm
@pytest.mark.parametrize(
    "template",
    [
        "foo: [",
        "a: b: c",
        "x: *nope",
        "a:\n  b\n c: d",
        'a: "x',
        "- a\nb: c",
        "a:\n\t- b",
        "just a string",
        "- a\n- b",
        "kind: {a: 1}",
        "kind: [ConfigMap]",
        "metadata: str",
        "metadata: 5",
        "metadata:\n  name: [x]",
        "metadata:\n  annotations: notamap",
        "metadata:\n  annotations:\n    x: [1]\n  name: {a: 1}",
        "metadata:\n  annotations:\n    helm.sh/hook: {a: b}",
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ok\n  annotations:\n    helm.sh/hook-weight: 5",
        "# only a comment",
    ],
)
def test_parse_errors_match_helm(template: str) -> None:
    want = _helm_dry_run_error(template)
    if want is not None:  # the SDK is Helm 4, whose package is `util`; Helm 3 says `releaseutil`
        want = want.replace("type util.SimpleHead", "type releaseutil.SimpleHead")
    [doc] = documents_from_rendered({"t/templates/t.yaml": RenderedFile("t/templates/t.yaml", template)})
    assert doc.parse_error == want


def test_helm_output_headers_are_read_in_linear_time() -> None:
    """`# Source:` lines (plan --rendered) with a 100,000-character run of blanks: trailing ones
    are not part of the name, and reading them stays linear."""
    text = "---\n# Source: c/templates/a.yaml" + " " * 100_000 + "\nkind: A\n---\n# Source: c/templates/b.yaml \t\nkind: B\n"
    started = time.perf_counter()
    files = documents_from_helm_output(text)
    assert time.perf_counter() - started < 2.0
    assert sorted(files) == ["c/templates/a.yaml", "c/templates/b.yaml"]
    assert files["c/templates/a.yaml"].text.strip() == "kind: A"

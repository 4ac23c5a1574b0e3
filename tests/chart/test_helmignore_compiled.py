"""A .helmignore without negations is compiled into one test (name set, suffix and prefix
tuples, remaining patterns): it must ignore exactly what Helm's rule-by-rule loop ignores."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hooklint.chart.helmignore import IgnoreError, Rules

_RULE_CHARS = st.sampled_from(["a", "b", ".", "/", "~", "*", "?", "[", "]", "^", "-", "\\", "!"])
_RULES = st.lists(st.lists(_RULE_CHARS, min_size=1, max_size=6).map("".join), max_size=6)
_SEGMENTS = st.lists(st.sampled_from(["a", "b", ".", "~", "*", "-", "ab", ".a", "a~", "b.a"]), min_size=1, max_size=3)
_PATHS = st.lists(_SEGMENTS.map("/".join), min_size=1, max_size=8)


def _parse(rules: list[str]) -> Rules | None:
    try:
        r = Rules.parse("\n".join(rules))
    except IgnoreError:
        return None
    r.add_defaults()
    return r


@settings(max_examples=400, deadline=None)
@given(_RULES, _PATHS)
def test_compiled_rules_ignore_what_the_rules_one_by_one_ignore(rules: list[str], paths: list[str]) -> None:
    # negated rules are left out here: they keep the rule-by-rule loop (tested below)
    r = _parse([rule.replace("!", "") for rule in rules])
    if r is None:
        return
    for path in paths:
        for is_dir in (False, True):
            assert r.ignore(path, is_dir) is r.ignore_rulewise(path, is_dir), (rules, path, is_dir)


@settings(max_examples=200, deadline=None)
@given(_RULES, _PATHS)
def test_rules_with_negations_agree_too(rules: list[str], paths: list[str]) -> None:
    r = _parse(rules)
    if r is None:
        return
    for path in paths:
        for is_dir in (False, True):
            assert r.ignore(path, is_dir) is r.ignore_rulewise(path, is_dir), (rules, path, is_dir)


# `helm create`'s .helmignore, the one most charts keep
_HELM_CREATE = (
    ".DS_Store\n.git/\n.gitignore\n.bzr/\n.bzrignore\n.hg/\n.hgignore\n.svn/\n*.swp\n*.bak\n*.tmp\n"
    "*.orig\n*~\n# Various IDEs\n.project\n.idea/\n*.tmproj\n.vscode/\n"
)


@pytest.mark.parametrize(
    ("path", "is_dir", "ignored"),
    [
        (".git", True, True),
        (".git", False, False),  # `.git/` only names folders (a submodule's .git file stays)
        ("sub/.git", True, True),  # no `/` in the rule: the base name is matched at any depth
        ("ci/x.swp", False, True),
        ("x.swp.txt", False, False),
        ("README~", False, True),
        ("a.tmproj", False, True),
        ("templates/.hidden.yaml", False, True),  # the default rule
        ("templates/sub/.hidden.yaml", False, False),
        ("templates/deployment.yaml", False, False),
        (".gitignore", False, True),
        (".gitignore.d", False, False),
    ],
)
def test_helm_create_helmignore(path: str, is_dir: bool, ignored: bool) -> None:
    r = Rules.parse(_HELM_CREATE)
    r.add_defaults()
    assert r.ignore(path, is_dir) is ignored
    assert r.ignore_rulewise(path, is_dir) is ignored


def test_a_rule_added_after_a_lookup_counts() -> None:
    r = Rules.parse("*.bak\n")
    assert not r.ignore("notes.txt", False)
    r.add_rule("*.txt")
    assert r.ignore("notes.txt", False)
    r.add_rule("!keep")  # a negation: every path but `keep` is now ignored, in order
    assert r.ignore("keep.bak", False)
    assert r.ignore("other", False)

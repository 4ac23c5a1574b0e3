"""`.helmignore` rules exactly as Helm 3.17.1's pkg/ignore evaluates them.

Rules are tried in order and the first decisive one wins: a matching positive rule ignores the
path; a negated rule (`!x`) that does *not* match ignores it too (a quirk kept from Helm).
Patterns use filepath.Match; `**` is rejected; a trailing `/` restricts a rule to directories;
a pattern without `/` is matched against the base name only.

`Rules.ignore` is asked about every file and folder of a chart, and a typical .helmignore has a
dozen or more rules: a set of rules with no negation is compiled once into a name set, suffix
and prefix tuples and the remaining tests (`_Compiled`), which answers what trying the rules
one by one (`Rules.ignore_rulewise`) answers. A negation makes the order matter: such sets are
tried rule by rule.
"""

from __future__ import annotations

from collections.abc import Callable

from hooklint.chart import gomatch
from hooklint.gotemplate.gounicode import trim_space

HELMIGNORE = ".helmignore"


class IgnoreError(ValueError):
    pass


class _Pattern:
    """One rule of a .helmignore (a plain slotted record: creating a dataclass costs start-up time)."""

    __slots__ = ("raw", "rule", "negate", "must_dir", "anchored", "structural", "_test")

    def __init__(self, raw: str, rule: str, negate: bool, must_dir: bool, anchored: bool, structural: bool) -> None:
        self.raw = raw
        self.rule = rule
        self.negate = negate
        self.must_dir = must_dir
        self.anchored = anchored  # started with "/": match the path from the chart root
        self.structural = structural  # contains "/": match the whole relative path
        # Compiled once: the rule is tried on every file and folder of the chart.
        try:
            self._test: Callable[[str], bool] | None = gomatch.matcher(rule.lstrip("/") if anchored else rule)
        except gomatch.BadPattern:  # e.g. a bad pattern after the "/" add_rule validated
            self._test = None

    def matches(self, path: str) -> bool:
        if self._test is None:
            return False
        return self._test(path if (self.anchored or self.structural) else path.rsplit("/", 1)[-1])


class _Compiled:
    """A set of positive rules (no `!`) as one test: a path is ignored when any rule matches
    it, so the order of the rules does not matter. Base-name rules that are a literal, `*x` or
    `x*` (gomatch's string-method shapes) become a set and two tuples of str.endswith /
    str.startswith; the others are tried one by one. Files and folders have their own tables:
    a rule ending in `/` only applies to folders."""

    __slots__ = ("names", "suffixes", "prefixes", "others")

    def __init__(self, patterns: list[_Pattern]) -> None:
        names: set[str] = set()
        suffixes: list[str] = []
        prefixes: list[str] = []
        self.others: list[tuple[bool, Callable[[str], bool]]] = []  # (test the whole path, test)
        for p in patterns:
            if p._test is None:  # matches nothing
                continue
            whole = p.anchored or p.structural
            kind, text = _shape(p.rule)
            if whole or kind == "":
                self.others.append((whole, p._test))
            elif kind == "=":
                names.add(text)
            elif kind == "*x":
                suffixes.append(text)
            else:
                prefixes.append(text)
        self.names = frozenset(names)
        self.suffixes = tuple(suffixes)
        self.prefixes = tuple(prefixes)

    def matches(self, path: str) -> bool:
        base = path[path.rfind("/") + 1 :]
        if base in self.names or base.endswith(self.suffixes) or base.startswith(self.prefixes):
            return True
        for whole, test in self.others:
            if test(path if whole else base):
                return True
        return False


def _shape(rule: str) -> tuple[str, str]:
    """("=", name) for a literal, ("*x", x) and ("x*", x) for one leading or trailing star
    with a literal rest, ("", "") for anything else (classes, `?`, escapes, inner stars).
    On a base name (no `/`), `*x` is exactly str.endswith(x) and `x*` str.startswith(x)."""
    if "?" in rule or "[" in rule or "\\" in rule:
        return "", ""
    stars = rule.count("*")
    if stars == 0:
        return "=", rule
    if stars == 1 and rule[0] == "*":
        return "*x", rule[1:]
    if stars == 1 and rule[-1] == "*":
        return "x*", rule[:-1]
    return "", ""


class Rules:
    def __init__(self) -> None:
        self.patterns: list[_Pattern] = []
        # (for files, for folders), built on the first ignore() after a rule was added
        self._compiled: tuple[_Compiled, _Compiled] | None = None
        self._ordered = False  # a negated rule makes the order matter: try the rules one by one

    @classmethod
    def parse(cls, text: str) -> Rules:
        r = cls()
        lines = text.split("\n")
        if lines and lines[0].startswith("\ufeff"):
            lines[0] = lines[0][1:]
        for line in lines:
            r.add_rule(line.rstrip("\r"))
        return r

    def add_defaults(self) -> None:
        """Dotfiles directly in templates/ are never loaded."""
        self.add_rule("templates/.?*")

    def add_rule(self, rule: str) -> None:
        rule = trim_space(rule)  # strings.TrimSpace: not str.strip(), which drops \x1c-\x1f too
        if rule == "" or rule.startswith("#"):
            return
        if "**" in rule:
            raise IgnoreError("double-star (**) syntax is not supported")
        try:
            gomatch.matcher(rule)  # validates
        except gomatch.BadPattern as e:
            raise IgnoreError(str(e)) from None
        raw = rule
        negate = rule.startswith("!")
        if negate:
            rule = rule[1:]
        must_dir = rule.endswith("/")
        if must_dir:
            rule = rule[:-1]
        anchored = rule.startswith("/")
        structural = not anchored and "/" in rule
        self.patterns.append(_Pattern(raw, rule, negate, must_dir, anchored, structural))
        self._compiled = None
        self._ordered = self._ordered or negate

    def ignore(self, path: str, is_dir: bool) -> bool:
        """Whether Helm leaves `path` (chart-relative, `/`-separated) out of the chart."""
        if path in ("", ".", "./"):
            return False
        if self._ordered:
            return self.ignore_rulewise(path, is_dir)
        compiled = self._compiled
        if compiled is None:
            compiled = self._compiled = (
                _Compiled([p for p in self.patterns if not p.must_dir]),
                _Compiled(self.patterns),
            )
        return compiled[is_dir].matches(path)

    def ignore_rulewise(self, path: str, is_dir: bool) -> bool:
        """ignore.Rules.Ignore as Helm writes it: the rules in order, the first decisive one wins."""
        if path in ("", ".", "./"):
            return False
        for p in self.patterns:
            if p.negate:
                if p.must_dir and not is_dir:
                    return True
                if not p.matches(path):
                    return True
                continue
            if p.must_dir and not is_dir:
                continue
            if p.matches(path):
                return True
        return False

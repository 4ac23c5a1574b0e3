"""`.helmignore` rules exactly as Helm 3.17.1's pkg/ignore evaluates them.

Rules are tried in order and the first decisive one wins: a matching positive rule ignores the
path; a negated rule (`!x`) that does *not* match ignores it too (a quirk kept from Helm).
Patterns use filepath.Match; `**` is rejected; a trailing `/` restricts a rule to directories;
a pattern without `/` is matched against the base name only.
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


class Rules:
    def __init__(self) -> None:
        self.patterns: list[_Pattern] = []

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

    def ignore(self, path: str, is_dir: bool) -> bool:
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

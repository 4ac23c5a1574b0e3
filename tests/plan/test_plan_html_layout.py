"""The plan page: a summary of every event at the top, delete policies as badges, phases that
fold (big ones start folded), and source paths that wrap instead of floating over the step text
(checked by eye in headless Chromium at 1400 and 800 px; this test keeps the structure)."""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path

from hooklint.plan.inputs import PlanRequest, build_plans
from hooklint.report import plan_html

EXAMPLE = str(Path(__file__).resolve().parents[2] / "fixtures" / "charts" / "example")


class Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.stack: list[str] = []
        self.seen: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.seen.append((tag, dict(attrs)))
        if tag not in ("meta", "br", "img", "input"):
            self.stack.append(tag)

    def handle_endtag(self, tag: str) -> None:
        assert self.stack and self.stack[-1] == tag, (tag, self.stack[-5:])
        self.stack.pop()


def page(events: list[str]) -> tuple[str, Tags]:
    plans = build_plans(PlanRequest(chart=EXAMPLE, events=events))
    html = plan_html.render_html(plans)
    tags = Tags()
    tags.feed(html)
    assert tags.stack == []  # every element closed, in order
    return html, tags


def test_summary_badges_and_folding() -> None:
    html, tags = page(["install", "upgrade", "rollback", "uninstall", "test"])
    rows = html.split('<table class="summary">', 1)[1].split("</table>", 1)[0]
    assert rows.count("<tr>") == 6 and '<a href="#upgrade">helm upgrade</a>' in rows
    assert '<span class="badge" title="helm.sh/hook-delete-policy">before-hook-creation</span>' in html
    boxes = [a for t, a in tags.seen if t == "details" and a.get("class") == "phase-box"]
    assert boxes and all("open" in a for a in boxes)  # the example's phases are small
    assert "float: right" not in html


def test_big_phases_start_folded(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(plan_html, "FOLD_ABOVE", 5)  # install: 6 hook steps, 4 resources
    _, tags = page(["install"])
    boxes = [a for t, a in tags.seen if t == "details" and a.get("class") == "phase-box"]
    assert any("open" not in a for a in boxes) and any("open" in a for a in boxes)

"""Rules the engine itself implements (they need the whole run, not one rendering)."""

from __future__ import annotations

from hooklint.lint.context import CheckContext


def render_error(ctx: CheckContext) -> None:
    """HL000: reported by the engine when rendering or a document's YAML fails."""


def unused_suppression(ctx: CheckContext) -> None:
    """HL002: reported by the engine after suppressions are matched."""

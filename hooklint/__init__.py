"""hooklint: offline Helm renderer, hook lifecycle planner and hook linter."""

__version__ = "0.2.0"

"""Batch YAML documents through real Helm's fromYaml/toYaml (one render per batch)."""

from __future__ import annotations

from helm_oracle import HelmFailure, helm_render_snippet

SEP = "\n<<<8<<<\n"


def helm_pipeline(docs: list[str], pipeline: str) -> list[str] | HelmFailure:
    """Helm's output of `{{ .Files.Get "dN.txt" | PIPELINE }}` for each document."""
    files = {f"d{i}.txt": d for i, d in enumerate(docs)}
    template = SEP.join(f'{{{{ .Files.Get "d{i}.txt" | {pipeline} }}}}' for i in range(len(docs)))
    out = helm_render_snippet(template, "", files)
    if isinstance(out, HelmFailure):
        return out
    parts = out.split(SEP)
    assert len(parts) == len(docs), (len(parts), len(docs))
    return parts

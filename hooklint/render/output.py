"""`helm template` stdout (Helm 3.17.1 cmd/helm/template.go + action.renderResources).

Manifest: for each ordinary document in SortManifests order (files bytewise, documents in
order, stable by InstallOrder kind) `---\\n# Source: <path>\\n<doc>\\n`; CRDs from `crds/` first
with `--include-crds`; then TrimSpace + newline; then hooks (kind-sorted) in the same format
unless `--no-hooks` (`--skip-tests` drops `test` hooks). `--show-only` re-splits that text and
keeps the documents whose `# Source:` path (chart name stripped) matches a pattern.
"""

from __future__ import annotations

import os
import re
from collections.abc import Sequence

from hooklint.chart.gomatch import BadPattern, match
from hooklint.documents.source import RenderedFile
from hooklint.errors import RenderError
from hooklint.render import helmlog

TYPE_CHECKING = False  # not `typing`'s: importing typing costs ~3 ms of every run

if TYPE_CHECKING:
    from hooklint.documents.hooks import Classified

_GO_SPACE = "\t\n\v\f\r \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000"
_MANIFEST_NAME = r"# Source: [^/]+/(.+)"  # --show-only only: compiled there (start-up time)


def _trim(s: str) -> str:
    return s.strip(_GO_SPACE)


def sorted_documents(
    files: dict[str, RenderedFile], helm_version: int = 3
) -> tuple[list[tuple[str, str, str]], list[tuple[str, str, list[str]]]]:
    """(resources [(path, kind, text)], hooks [(path, text, events)]) in Helm's stored order.

    Raises RenderError worded like Helm for the first document that does not decode."""
    from hooklint.documents.hooks import classify
    from hooklint.documents.manifests import documents_from_rendered

    kept = {k: v for k, v in files.items() if not k.endswith("NOTES.txt")}
    # InstallOrder differs in 4; the output needs no positions but those of a document in error
    documents = documents_from_rendered(kept, key_positions=False, helm_version=helm_version, positions=False)
    classified = classify(documents, helm_version)
    _log_unknown_hooks(classified, helm_version)
    if classified.errors:
        doc = classified.errors[0]
        raise RenderError(doc.parse_error or f"YAML parse error on {doc.path}", doc.pos)
    resources = [(d.path, d.kind, d.text) for d in classified.resources]
    hooks = [(h.path, h.doc.text, [e.value for e in h.events]) for h in classified.hooks]
    return resources, hooks


def _log_unknown_hooks(classified: Classified, helm_version: int) -> None:
    """Helm's sorter logs each document it drops for an unknown hook event, in file order, and
    stops at the first document that does not decode."""
    from hooklint.documents.hooks import HOOK_ANNOTATION, head_annotations
    from hooklint.gotemplate.gofmt import quote

    stop = min(((d.path, d.index) for d in classified.errors), default=None)
    for dropped in classified.dropped:
        doc = dropped.doc
        if stop is not None and (doc.path, doc.index) > stop:
            continue
        raw = (head_annotations(doc) or {}).get(HOOK_ANNOTATION, "")
        helmlog.emit(helm_version, f"manifest_sorter.go:190: info: skipping unknown hook: {quote(raw)}",
                     "skipping unknown hooks", hookTypes=raw)


def assemble(
    files: dict[str, RenderedFile],
    crds: Sequence[tuple[str, bytes]] = (),
    include_crds: bool = False,
    skip_tests: bool = False,
    no_hooks: bool = False,
    show_only: Sequence[str] = (),
    output_dir: str | None = None,
    release_name: str = "release-name",
    use_release_name: bool = False,
    helm_version: int = 3,
) -> str:
    resources, hooks = sorted_documents(files, helm_version)
    written: set[str] = set()
    out_dir = os.path.join(output_dir, release_name) if (output_dir and use_release_name) else output_dir
    lines: list[str] = []  # stdout of --output-dir mode ("wrote <file>")
    buf = []
    if include_crds:
        for filename, data in crds:
            body = data.decode("utf-8", "replace")
            if output_dir is None:
                buf.append(f"---\n# Source: {filename}\n{body}\n")
            else:
                lines.append(_write(output_dir, filename, body, filename in written))
                written.add(filename)
    for path, _kind, text in resources:
        if out_dir is None:
            buf.append(f"---\n# Source: {path}\n{text}\n")
        else:
            lines.append(_write(out_dir, path, text, path in written))
            written.add(path)
    manifest = "".join(buf)
    out = _trim(manifest) + "\n"
    if not no_hooks:
        for path, text, events in hooks:
            if skip_tests and "test" in events:
                continue
            if out_dir is None:
                out += f"---\n# Source: {path}\n{text}\n"
            else:
                exists = os.path.exists(os.path.join(out_dir, path))
                lines.append(_write(out_dir, path, text, exists or path in written))
                written.add(path)
    if show_only:
        return _show_only(out, show_only, helm_version)
    if output_dir is not None:
        return "".join(lines) + out  # the (empty) manifest buffer still prints its newline
    return out


def _write(directory: str, name: str, data: str, append: bool) -> str:
    target = os.path.join(directory, name)
    try:
        os.makedirs(os.path.dirname(target), exist_ok=True)
        with open(target, "a" if append else "w", encoding="utf-8") as fh:
            fh.write(f"---\n# Source: {name}\n{data}\n")
    except OSError as e:
        raise RenderError(f"open {target}: {e.strerror or e}") from None
    return f"wrote {target}\n"


def _show_only(text: str, patterns: Sequence[str], helm_version: int) -> str:
    from hooklint.documents.manifests import split_manifests

    manifests = split_manifests(text, helm_version)
    manifest_name = re.compile(_MANIFEST_NAME)
    chosen: list[str] = []
    for f in patterns:
        f = f.replace(os.sep, "/")
        missing = True
        for m in manifests:
            sub = manifest_name.search(m)
            if sub is None:
                continue
            try:
                ok = match(f, sub.group(1))
            except BadPattern:
                ok = False
            if not ok:
                continue
            chosen.append(m)
            missing = False
        if missing:
            raise RenderError(f"could not find template {f} in chart")
    return "".join(f"---\n{m}\n" for m in chosen)

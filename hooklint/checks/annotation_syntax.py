"""Annotation syntax: how Helm parses (and silently mis-parses) the helm.sh/ annotations.

Helm's classifier (manifest_sorter.go) splits `helm.sh/hook` on commas, trims and lowercases each
token, and drops the *whole object* when any token is unknown; the weight goes through
strconv.Atoi and silently becomes 0 when that fails; delete policies are never validated.
"""

from __future__ import annotations

import re
from functools import lru_cache

from hooklint.lint.catalog import suggest
from hooklint.lint.context import (
    ANN_DELETE,
    ANN_HOOK,
    ANN_LOGS,
    ANN_RESOURCE_POLICY,
    ANN_WEIGHT,
    DELETE_POLICIES,
    HOOK_EVENTS,
    POD_SPEC_PATHS,
    CheckContext,
    dig,
    split_tokens,
)
from hooklint.lint.yamltree import compose, duplicate_keys
from hooklint.model import Document
from hooklint.runtime.patterns import lazy_compile

TYPE_CHECKING = False  # not `typing`'s: importing typing costs ~3 ms of every run
if TYPE_CHECKING:
    from typing import Any

KNOWN_HELM_ANNOTATIONS = (ANN_HOOK, ANN_WEIGHT, ANN_DELETE, ANN_LOGS, ANN_RESOURCE_POLICY)
_ATOI = lazy_compile(r"^[+-]?[0-9]+$")
_INT64_MAX = 2**63 - 1


def _hook_value(doc: Document) -> Any:
    return doc.annotations.get(ANN_HOOK)


def _has_hook_key(doc: Document) -> bool:
    return ANN_HOOK in doc.annotations


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _type_name(value: Any) -> str:
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "number"
    return type(value).__name__


def _created_docs(ctx: CheckContext) -> list[Document]:
    """Documents Helm will try to create: hooks and ordinary resources (not dropped ones)."""
    return [h.doc for h in ctx.hooks] + ctx.resources


def hook_weight_not_string(ctx: CheckContext) -> None:
    """HL101"""
    for doc in _created_docs(ctx):
        value = doc.annotations.get(ANN_WEIGHT)
        if value is None or isinstance(value, str):
            continue
        if ctx.hook_of(doc) is not None:
            effect = ("`helm template` and --dry-run accept it, but creating the hook fails (Helm's Kubernetes "
                      "client only accepts string annotation values), after the release record was written")
        else:
            effect = ("the install fails before anything is created: Helm's Kubernetes client only accepts string "
                      "annotation values")
        ctx.report(doc, f"helm.sh/hook-weight is an unquoted {_type_name(value)} ({_text(value)}); {effect}. "
                        f'Quote it: "{_text(value)}" (e.g. {{{{ .Values.weight | quote }}}})',
                   annotation=ANN_WEIGHT)


def hook_weight_not_integer(ctx: CheckContext) -> None:
    """HL102"""
    for h in ctx.hooks:
        value = h.doc.annotations.get(ANN_WEIGHT)
        if not isinstance(value, str):
            continue
        ok = bool(_ATOI.match(value)) and abs(int(value)) <= _INT64_MAX + (1 if value.startswith("-") else 0)
        if not ok:
            ctx.report(h.doc, f"hook weight {value!r} is not an integer Go's strconv.Atoi accepts "
                              "(no spaces, decimals or words); Helm silently uses weight 0", annotation=ANN_WEIGHT)


def _event_problems(value: Any) -> tuple[list[str], bool]:
    """(unknown tokens, whole value empty)."""
    text = _text(value)
    if not text.strip():
        return [], True
    return [t for t in split_tokens(text) if t not in HOOK_EVENTS], False


def unknown_hook_event(ctx: CheckContext) -> None:
    """HL103"""
    for doc in ctx.dropped:
        if not _has_hook_key(doc):
            continue
        unknown, empty = _event_problems(_hook_value(doc))
        if empty:
            continue
        unknown = [t for t in unknown if t not in ("crd-install", "test-failure")]
        if not unknown:
            continue
        parts = []
        for t in dict.fromkeys(unknown):  # each once: `a,,b,` has two empty events, one message
            if t == "":
                parts.append("an empty event (a trailing or doubled comma)")
            else:
                parts.append(f"'{t}'{suggest(t, HOOK_EVENTS)}")
        events = "event" if len(parts) == 1 else "events"
        ctx.report(doc, f"unknown hook {events} {', '.join(parts)} in helm.sh/hook "
                        f"{_text(_hook_value(doc))!r}: Helm silently drops the whole object, it is "
                        "installed neither as a hook nor as a resource", annotation=ANN_HOOK)


def crd_install_hook(ctx: CheckContext) -> None:
    """HL104"""
    for doc in ctx.dropped:
        if _has_hook_key(doc) and "crd-install" in split_tokens(_text(_hook_value(doc))):
            ctx.report(doc, "'crd-install' was a Helm 2 hook; Helm 3 and 4 treat it as unknown and silently "
                            "drop this object. Put CRDs in the chart's crds/ directory instead",
                       annotation=ANN_HOOK)


def test_failure_hook(ctx: CheckContext) -> None:
    """HL105"""
    for doc in ctx.dropped:
        if _has_hook_key(doc) and "test-failure" in split_tokens(_text(_hook_value(doc))):
            ctx.report(doc, "'test-failure' was a Helm 2 hook; Helm 3 and 4 do not know it and silently drop "
                            "this test. Use 'test' and make the test pass when the check succeeds",
                       annotation=ANN_HOOK)


def empty_hook_annotation(ctx: CheckContext) -> None:
    """HL111"""
    for doc in ctx.dropped:
        if _has_hook_key(doc) and _event_problems(_hook_value(doc))[1]:
            ctx.report(doc, "helm.sh/hook is empty (a condition produced no event?): Helm silently drops "
                            "the whole object; it is installed neither as a hook nor as a resource",
                       annotation=ANN_HOOK)


def duplicate_hook_event(ctx: CheckContext) -> None:
    """HL112"""
    for h in ctx.hooks:
        seen: set[str] = set()
        for e in h.events:
            norm = "test" if e == "test-success" else e
            if norm in seen:
                ctx.report(h.doc, f"event '{norm}' is listed twice in helm.sh/hook: Helm runs this hook twice "
                                  f"in every {norm}", annotation=ANN_HOOK, event=norm)
                break
            seen.add(norm)


def unknown_delete_policy(ctx: CheckContext) -> None:
    """HL106"""
    for h in ctx.hooks:
        value = h.doc.annotations.get(ANN_DELETE)
        if ANN_DELETE not in h.doc.annotations:
            continue
        tokens = split_tokens(_text(value))
        bad = [t for t in tokens if t not in DELETE_POLICIES]
        if not bad:
            continue
        shown = ", ".join(f"'{t}'{suggest(t, DELETE_POLICIES)}" if t else "an empty value" for t in bad)
        tail = ("; no valid policy is left, so Helm never deletes this hook"
                if len(bad) == len(tokens) else "")
        ctx.report(h.doc, f"unknown delete policy {shown}: Helm ignores it, and because a policy is declared "
                          f"the default before-hook-creation no longer applies{tail}", annotation=ANN_DELETE)


def invalid_output_log_policy(ctx: CheckContext) -> None:
    """HL107"""
    for h in ctx.hooks:
        if ANN_LOGS not in h.doc.annotations:
            continue
        tokens = split_tokens(_text(h.doc.annotations.get(ANN_LOGS)))
        bad = [t for t in tokens if t not in ("hook-succeeded", "hook-failed")]
        if ctx.helm_version < (3, 18) and ctx.target != "argocd":
            ctx.report(h.doc, f"helm.sh/hook-output-log-policy first shipped in Helm 3.18: Helm "
                              f"{ctx.helm_version[0]}.{ctx.helm_version[1]} ignores it and prints no hook logs",
                       annotation=ANN_LOGS, severity="info")
        elif bad:
            shown = ", ".join(f"'{t}'{suggest(t, ('hook-succeeded', 'hook-failed'))}" for t in bad)
            ctx.report(h.doc, f"unknown output log policy {shown}: Helm ignores it", annotation=ANN_LOGS)
        elif h.kind not in ("Job", "Pod"):
            ctx.report(h.doc, f"helm.sh/hook-output-log-policy has no effect on a {h.kind}: Helm only "
                              "prints logs of Job and Pod hooks", annotation=ANN_LOGS)


@lru_cache(maxsize=512)
def _close_helm_annotation(key: str, cutoff: float) -> list[str]:
    """The Helm annotation `key` is a likely misspelling of (charts repeat the same keys on every
    object, so this is cached)."""
    import difflib  # only charts with annotations Helm does not know need it (start-up time)

    return difflib.get_close_matches(key, KNOWN_HELM_ANNOTATIONS, n=1, cutoff=cutoff)


def unknown_helm_annotation(ctx: CheckContext) -> None:
    """HL108"""
    known = (*KNOWN_HELM_ANNOTATIONS, "helm.sh/chart")
    for doc in ctx.docs:
        for key in doc.annotations:
            if not isinstance(key, str) or key in known:
                continue
            if key == "helm.sh/hook-delete-timeout":
                ctx.report(doc, "helm.sh/hook-delete-timeout was Helm 2 only: Helm 3 and 4 ignore it",
                           path=("metadata", "annotations", key))
                continue
            looks_helm = key.lower().startswith("helm.sh/") or key.lower().startswith("helm.sh.")
            close = _close_helm_annotation(key, 0.6 if looks_helm else 0.84)
            if looks_helm or close:
                hint = f" (did you mean '{close[0]}'?)" if close else ""
                ctx.report(doc, f"annotation '{key}' is not one Helm reads; Helm silently ignores it{hint}",
                           path=("metadata", "annotations", key))


def hook_annotation_on_pod_template(ctx: CheckContext) -> None:
    """HL109"""
    for doc in ctx.docs:
        base = POD_SPEC_PATHS.get(doc.kind)
        if base is None or _has_hook_key(doc):
            continue
        tmpl = base[:-1]  # .../template
        ann = dig(doc.body, *tmpl, "metadata", "annotations")
        if isinstance(ann, dict) and any(isinstance(k, str) and k.startswith("helm.sh/hook") for k in ann):
            key = next(k for k in ann if isinstance(k, str) and k.startswith("helm.sh/hook"))
            ctx.report(doc, f"'{key}' is on the pod template, where Helm never looks: Helm only reads hook "
                            f"annotations from the object's own metadata, so this {doc.kind} is an ordinary "
                            "resource", path=(*tmpl, "metadata", "annotations", key))


def annotation_value_not_string(ctx: CheckContext) -> None:
    """HL110"""
    for doc in _created_docs(ctx):
        places: list[tuple[str | int, ...]] = [("metadata",)]
        base = POD_SPEC_PATHS.get(doc.kind)
        if base is not None:
            places.append((*base[:-1], "metadata"))
        for place in places:
            for section in ("annotations", "labels"):
                mapping = dig(doc.body, *place, section)
                if not isinstance(mapping, dict):
                    continue
                for key, value in mapping.items():
                    if value is None or isinstance(value, str):
                        continue
                    if place == ("metadata",) and section == "annotations" and key == ANN_WEIGHT:
                        continue  # HL101
                    where = "pod template " if place != ("metadata",) else ""
                    ctx.report(doc, f"{where}{section[:-1]} '{key}' has a non-string value "
                                    f"({_type_name(value) if not isinstance(value, (list, dict)) else 'a '+type(value).__name__}); "
                                    "`helm template` accepts it, but `helm install`/`upgrade` fails when Helm's "
                                    "Kubernetes client builds the object (annotation and label values must be "
                                    "strings). Quote the value", path=(*place, section, key))


_WATCHED_KEY = lazy_compile(r'(?:metadata|annotations|labels|"?helm\.sh/[^:]*)"?\s*:')
_WATCHED_KEY_LINE = lazy_compile(r'^((?:[ ]*-[ ]+)*[ ]*)((?:metadata|annotations|labels|"?helm\.sh/[^:\n]*)"?)[ ]*:', re.M)
# A flow mapping that holds a watched key, opened where a value starts (`key: {` or `- {`). Anchored
# at line starts so one pass is linear even over long JSON lines.
_FLOW_WATCHED_KEY = lazy_compile(
    r'^[ \t]*(?:-[ \t]+)*(?:[^\s:#{][^:\n]*:[ \t]+)?\{[^\n]*?(?:metadata|annotations|labels|helm\.sh/)', re.M)


def _may_repeat_watched_key(text: str) -> bool:
    """Cheap pre-check for HL113 (composing every document's node tree was most of the rule's cost):
    a repeated metadata/annotations/labels/helm.sh key needs the same key line twice among the
    siblings of one block mapping, or a flow mapping (which this line scan does not follow)."""
    # Fast gate (regex, C speed): no flow mapping holds a watched key, and no watched key line
    # repeats at one indentation anywhere. Both patterns match within one line holding a watched
    # word, so only those lines are tried (a `^` pattern searched over the whole text is tried at
    # every character: that made this gate cost more than parsing the document).
    lines = []
    line_start = -1
    for word in re.finditer(r"metadata|annotations|labels|helm\.sh/", text):
        start = text.rfind("\n", 0, word.start()) + 1
        if start == line_start:
            continue
        line_start = start
        end = text.find("\n", word.end())
        end = len(text) if end < 0 else end
        if _FLOW_WATCHED_KEY.match(text, start, end):
            return True
        m = _WATCHED_KEY_LINE.match(text, start, end)
        if m:
            lines.append((len(m.group(1)), m.group(2).strip('"')))
    if len(set(lines)) == len(lines):
        return False
    seen: dict[int, set[str]] = {}  # indentation -> watched keys of the current mapping there
    for line in text.split("\n"):
        body = line.lstrip(" ")
        if not body or body.startswith("#"):
            continue
        indent = len(line) - len(body)
        item = body.startswith("- ")
        if item:  # a new list item starts new mappings at deeper indentation
            body = body[2:].lstrip(" ")
            indent = len(line) - len(body)
        for level in [lv for lv in seen if lv > indent or (item and lv >= indent)]:
            del seen[level]
        m = _WATCHED_KEY.match(body)
        if m is None:
            continue
        key = m.group(0).rstrip(" :").strip("\"")
        keys = seen.setdefault(indent, set())
        if key in keys:
            return True
        keys.add(key)
    return False


def duplicate_metadata_key(ctx: CheckContext) -> None:
    """HL113"""
    for doc in ctx.docs:
        if not _may_repeat_watched_key(doc.text):
            continue
        for path, first, again in duplicate_keys(compose(doc.text)):
            key = str(again.value)
            if key not in ("metadata", "annotations", "labels") and not key.startswith("helm.sh/"):
                continue
            ctx.report(doc, f"key '{key}' appears twice (document lines {first.start_mark.line + 1} and "
                            f"{again.start_mark.line + 1}); Helm keeps only the last one and silently loses "
                            "the first", path=(*path, key))


def resource_policy_not_keep(ctx: CheckContext) -> None:
    """HL115"""
    for doc in _created_docs(ctx):
        if ANN_RESOURCE_POLICY not in doc.annotations:
            continue
        value = _text(doc.annotations.get(ANN_RESOURCE_POLICY))
        if value == "keep":
            continue
        if value.strip().lower() == "keep":
            msg = (f"resource policy {value!r} is not exactly 'keep': uninstall keeps the object, but an "
                   "upgrade that removes it from the chart deletes it")
        else:
            msg = (f"resource policy {value!r} is not 'keep' (the only policy Helm knows): on uninstall Helm "
                   "neither deletes this object nor reports that it kept it")
        ctx.report(doc, msg, annotation=ANN_RESOURCE_POLICY)

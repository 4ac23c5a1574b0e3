"""hooks.py: Helm's hook annotation parsing and classification.

Expected values are Helm 3.17.1 observations (weights from `helm install -o json` release dumps,
events and policies from stored hooks), recorded in the shared Helm semantics notes [E3][E4].
"""

from __future__ import annotations

import pytest

from hooklint.documents.hooks import HookEvent, classify
from hooklint.documents.manifests import documents_from_rendered
from hooklint.documents.source import RenderedFile


def _hook_doc(name: str, annotations: str, kind: str = "ConfigMap") -> str:
    return f"apiVersion: v1\nkind: {kind}\nmetadata:\n  name: {name}\n  annotations:\n{annotations}"


def _classify(*docs: str, path: str = "c/templates/h.yaml"):  # type: ignore[no-untyped-def]
    text = "\n---\n".join(docs)
    return classify(documents_from_rendered({path: RenderedFile(path, text)}))


@pytest.mark.parametrize(
    ("yaml_value", "weight"),
    [
        ("5", 5), ('"+7"', 7), ('"-10"', -10), ("0x10", 16), ("0o17", 15), ("017", 15), ("1_000", 1000),
        ("5.0", 5), ("1e3", 1000), ("2.5", 0), ('"2.0"', 0), (".inf", 0), ("true", 0), ("~", 0),
        ('" 3"', 0), ('"5\\t"', 0), ('"abc"', 0), ("1:30", 0), ('"9223372036854775807"', 9223372036854775807),
        ('"9223372036854775808"', 0), ('"+0"', 0), ('"-0"', 0),
    ],
)  # fmt: skip
def test_hook_weight_like_helm(yaml_value: str, weight: int) -> None:
    c = _classify(_hook_doc("h", f"    helm.sh/hook: pre-install\n    helm.sh/hook-weight: {yaml_value}"))
    assert [h.weight for h in c.hooks] == [weight]


@pytest.mark.parametrize(
    ("value", "events"),
    [
        ('" Pre-Install ,POST-INSTALL"', [HookEvent.PRE_INSTALL, HookEvent.POST_INSTALL]),
        ("pre-install,pre-install", [HookEvent.PRE_INSTALL, HookEvent.PRE_INSTALL]),
        ("test-success", [HookEvent.TEST]),
        ("test,test-success", [HookEvent.TEST, HookEvent.TEST]),
    ],
)
def test_hook_events(value: str, events: list[HookEvent]) -> None:
    c = _classify(_hook_doc("h", f"    helm.sh/hook: {value}"))
    assert c.hooks[0].events == events


@pytest.mark.parametrize(
    "value", ['"pre-install,"', '""', "null", "true", "crd-install", "test-failure", '"pre-install;post-install"',
              '"pre-install,pre-instal"', "preinstall"],
)  # fmt: skip
def test_unknown_events_drop_the_document(value: str) -> None:
    c = _classify(_hook_doc("h", f"    helm.sh/hook: {value}"))
    assert c.hooks == [] and c.resources == []
    assert [d.doc.name for d in c.dropped] == ["h"]
    assert c.dropped[0].reason.startswith("skipping unknown hook: ")


def test_dropped_reason_quotes_the_raw_value_like_helm() -> None:
    c = _classify(_hook_doc("h", '    helm.sh/hook: "pre-install,"'))
    assert c.dropped[0].reason == 'skipping unknown hook: "pre-install,"'
    assert c.dropped[0].unknown_events == [""]


@pytest.mark.parametrize(
    ("value", "declared", "effective"),
    [
        (None, [], ["before-hook-creation"]),
        ("hook-succeded", ["hook-succeded"], ["hook-succeded"]),
        ('""', [""], [""]),
        ('" Hook-Succeeded , BEFORE-hook-creation "', ["hook-succeeded", "before-hook-creation"],
         ["hook-succeeded", "before-hook-creation"]),
        ("hook-failed,hook-failed", ["hook-failed", "hook-failed"], ["hook-failed", "hook-failed"]),
    ],
)  # fmt: skip
def test_delete_policies(value: str | None, declared: list[str], effective: list[str]) -> None:
    extra = f"\n    helm.sh/hook-delete-policy: {value}" if value is not None else ""
    c = _classify(_hook_doc("h", f"    helm.sh/hook: pre-install{extra}"))
    assert c.hooks[0].delete_policies == declared
    assert c.hooks[0].effective_delete_policies == effective


def test_output_log_policies_are_parsed_like_delete_policies() -> None:
    c = _classify(
        _hook_doc(
            "h", '    helm.sh/hook: pre-install\n    helm.sh/hook-output-log-policy: " Hook-Failed ,bogus"'
        )
    )
    assert c.hooks[0].output_log_policies == ["hook-failed", "bogus"]


def test_field_names_match_case_insensitively_but_annotation_keys_do_not() -> None:
    c = _classify(
        "apiVersion: v1\nKIND: ConfigMap\nMetadata:\n  name: upper\n  ANNOTATIONS:\n    helm.sh/hook: pre-install",
        _hook_doc("not-a-hook", "    Helm.sh/hook: pre-install"),
    )
    assert [(h.kind, h.name) for h in c.hooks] == [("ConfigMap", "upper")]
    assert [d.name for d in c.resources] == ["not-a-hook"]


def test_duplicate_keys_last_one_wins() -> None:
    c = _classify(
        "kind: ConfigMap\nmetadata:\n  name: dup-ann\n  annotations:\n    helm.sh/hook: pre-install\n"
        "  annotations:\n    other: x",
        _hook_doc("dup-hook-key", "    helm.sh/hook: pre-install\n    helm.sh/hook: post-install"),
    )
    assert [d.name for d in c.resources] == ["dup-ann"]
    assert [h.events for h in c.hooks] == [[HookEvent.POST_INSTALL]]


def test_hooks_and_resources_are_stable_sorted_by_install_order() -> None:
    c = _classify(
        _hook_doc("j", "    helm.sh/hook: pre-install", kind="Job"),
        _hook_doc("w", "    helm.sh/hook: pre-install", kind="Widget"),
        _hook_doc("a", "    helm.sh/hook: pre-install", kind="Alpha"),
        _hook_doc("c", "    helm.sh/hook: pre-install", kind="ConfigMap"),
        _hook_doc("ns", "    helm.sh/hook: pre-install", kind="Namespace"),
    )
    assert [h.name for h in c.hooks] == ["ns", "c", "j", "a", "w"]


def test_v4_knows_webhook_kinds() -> None:
    docs = documents_from_rendered(
        {
            "c/templates/x.yaml": RenderedFile(
                "c/templates/x.yaml",
                "kind: ValidatingWebhookConfiguration\nmetadata: {name: v}\n---\nkind: Aardvark\nmetadata: {name: a}",
            )
        }
    )
    assert [d.name for d in classify(docs, helm_version=3).resources] == ["a", "v"]  # both unknown: by kind
    assert [d.name for d in classify(docs, helm_version=4).resources] == ["v", "a"]

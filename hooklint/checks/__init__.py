"""The checks: one function per rule, registered here by rule id (the rule's documentation is
rules/<id>-<name>.yaml; a meta-test keeps the two one-to-one)."""

from __future__ import annotations

from collections.abc import Callable

from hooklint.checks import annotation_syntax, gitops, lifecycle, meta, naming, ordering, podspec, security
from hooklint.lint.context import CheckContext

Check = Callable[[CheckContext], None]

CHECKS: tuple[tuple[str, Check], ...] = (
    ("HL000", meta.render_error),
    ("HL002", meta.unused_suppression),
    ("HL101", annotation_syntax.hook_weight_not_string),
    ("HL102", annotation_syntax.hook_weight_not_integer),
    ("HL103", annotation_syntax.unknown_hook_event),
    ("HL104", annotation_syntax.crd_install_hook),
    ("HL105", annotation_syntax.test_failure_hook),
    ("HL106", annotation_syntax.unknown_delete_policy),
    ("HL107", annotation_syntax.invalid_output_log_policy),
    ("HL108", annotation_syntax.unknown_helm_annotation),
    ("HL109", annotation_syntax.hook_annotation_on_pod_template),
    ("HL110", annotation_syntax.annotation_value_not_string),
    ("HL111", annotation_syntax.empty_hook_annotation),
    ("HL112", annotation_syntax.duplicate_hook_event),
    ("HL113", annotation_syntax.duplicate_metadata_key),
    ("HL115", annotation_syntax.resource_policy_not_keep),
    ("HL201", ordering.pre_hook_needs_main_resource),
    ("HL203", ordering.hook_dependency_ordered_after),
    ("HL205", ordering.post_hook_gates_readiness),
    ("HL207", ordering.main_cr_needs_hook_crd),
    ("HL208", ordering.crd_as_hook),
    ("HL210", ordering.rollback_hooks_from_target),
    ("HL301", lifecycle.no_before_hook_creation),
    ("HL302", lifecycle.failure_evidence_deleted),
    ("HL303", lifecycle.ttl_on_hook_job),
    ("HL304", lifecycle.hook_never_cleaned),
    ("HL305", lifecycle.long_lived_kind_as_hook),
    ("HL306", lifecycle.stateful_hook_recreated),
    ("HL307", lifecycle.keep_with_delete_policy),
    ("HL308", lifecycle.delete_hook_needs_release_resource),
    ("HL311", lifecycle.hook_rerun_collides),
    ("HL320", lifecycle.test_resource_not_hook),
    ("HL321", lifecycle.test_hook_not_rerunnable),
    ("HL323", lifecycle.test_success_alias),
    ("HL401", podspec.hook_restart_policy),
    ("HL402", podspec.hook_pod_onfailure_loops),
    ("HL404", podspec.hook_deadline_exceeds_timeout),
    ("HL406", podspec.workload_hook_not_awaited),
    ("HL407", podspec.run_once_pod_in_main),
    ("HL408", podspec.hook_generate_name),
    ("HL410", podspec.custom_kind_named_job),
    ("HL501", naming.hook_shadows_main_resource),
    ("HL502", naming.duplicate_hook_identity),
    ("HL504", naming.hook_name_nondeterministic),
    ("HL505", naming.hook_name_invalid),
    ("HL601", gitops.argocd_ignored_hook),
    ("HL602", gitops.argocd_install_upgrade_merged),
    ("HL603", gitops.argocd_hook_overrides_helm),
    ("HL605", gitops.hook_weight_on_non_hook),
    ("HL607", gitops.argocd_named_hook_apply),
    ("HL701", security.hook_cluster_admin),
    ("HL702", security.hook_rbac_outlives_hook),
    ("HL703", security.hook_privileged_host_access),
    ("HL705", security.hook_wildcard_rbac),
    ("HL706", security.hook_inline_credentials),
)

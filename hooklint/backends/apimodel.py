"""What the Kubernetes API server itself does with an object hooks touch: the few request
rejections hooks run into, and the status its controllers would report.

Shared by the `simulate` backend and the fake API server of the tests, so both reject and
complete objects the same way. Messages are the API server's (kubernetes v1.3x sources):

- a non-string annotation or label value fails JSON decoding into the typed object
  (`apiserver/pkg/endpoints/handlers/rest.go` transformDecodeError -> 400 BadRequest; the
  inner text is sigs.k8s.io/json's UnmarshalTypeError with its struct/field context);
- a Job whose pod template's restartPolicy is unset or `Always` fails
  `pkg/apis/batch/validation` validateJobSpec with `Required value: valid values: "OnFailure",
  "Never"`; another unknown value fails the Pod template's validation and the Job's
  (`Unsupported value`), both reported (`[a, b]`, apimachinery's aggregate);
- an object without a name fails ValidateObjectMeta (`metadata.name: Required value: ...`).
"""

from __future__ import annotations

from typing import Any

from hooklint.backends.base import BadRequest, Invalid
from hooklint.model import ObjectRef

# Groups whose objects the API server decodes into typed Go structs (custom resources are not).
BUILTIN_GROUPS = frozenset(
    {
        "", "apps", "batch", "autoscaling", "policy", "networking.k8s.io", "rbac.authorization.k8s.io",
        "storage.k8s.io", "scheduling.k8s.io", "coordination.k8s.io", "node.k8s.io",
        "discovery.k8s.io", "apiextensions.k8s.io", "admissionregistration.k8s.io",
        "certificates.k8s.io", "events.k8s.io", "flowcontrol.apiserver.k8s.io",
    }
)  # fmt: skip

OUTCOMES = ("succeed", "fail", "hang")


def group_of(api_version: str) -> str:
    return api_version.rsplit("/", 1)[0] if "/" in api_version else ""


def qualified_kind(ref: ObjectRef) -> str:
    """schema.GroupKind.String(): `Job.batch`, `ConfigMap` (the core group has no suffix)."""
    group = group_of(ref.api_version)
    return f"{ref.kind}.{group}" if group else ref.kind


def _json_type(value: Any) -> str:
    """The JSON value kind encoding/json names in an UnmarshalTypeError."""
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, (int, float)):
        return "number"
    if isinstance(value, list):
        return "array"
    return "object"


# Built-in kinds with a `spec` (typed `<version>.<Kind>Spec`), and those whose spec holds a pod
# template; a Pod's spec is the pod spec itself.
_SPEC_KINDS = frozenset({
    ("", "Pod"), ("", "Service"), ("", "PersistentVolumeClaim"), ("", "ReplicationController"),
    ("batch", "Job"), ("batch", "CronJob"), ("apps", "Deployment"), ("apps", "StatefulSet"),
    ("apps", "DaemonSet"), ("apps", "ReplicaSet"), ("apiextensions.k8s.io", "CustomResourceDefinition"),
})  # fmt: skip
_POD_TEMPLATE_KINDS = frozenset({("batch", "Job"), ("apps", "Deployment"), ("apps", "StatefulSet"),
                                 ("apps", "DaemonSet"), ("apps", "ReplicaSet"), ("", "ReplicationController")})


def _json_kind(value: Any) -> str:
    return "string" if isinstance(value, str) else _json_type(value)


def _typed_fields(ref: ObjectRef) -> list[tuple[str, str, str, bool]]:
    """(JSON path, the Go struct holding the field, the field's Go type, whether it is an
    object (else a list)) of the fields of `ref`'s kind a chart can give the wrong JSON kind."""
    group, version = group_of(ref.api_version), ref.api_version.rsplit("/", 1)[-1]
    fields = [("metadata", ref.kind, "v1.ObjectMeta", True),
              ("metadata.labels", "ObjectMeta", "map[string]string", True),
              ("metadata.annotations", "ObjectMeta", "map[string]string", True)]
    if (group, ref.kind) == ("", "Pod"):
        fields += [("spec", "Pod", "v1.PodSpec", True), ("spec.containers", "PodSpec", "[]v1.Container", False)]
    elif (group, ref.kind) in _SPEC_KINDS:
        spec = f"{ref.kind}Spec"
        fields.append(("spec", ref.kind, f"{version}.{spec}", True))
        if (group, ref.kind) in _POD_TEMPLATE_KINDS:
            fields += [("spec.template", spec, "v1.PodTemplateSpec", True),
                       ("spec.template.metadata", "PodTemplateSpec", "v1.ObjectMeta", True),
                       ("spec.template.spec", "PodTemplateSpec", "v1.PodSpec", True),
                       ("spec.template.spec.containers", "PodSpec", "[]v1.Container", False)]
    return fields


def decode_error(obj: dict[str, Any], ref: ObjectRef) -> str | None:
    """The JSON decoding error of a built-in object whose metadata, labels, annotations, spec,
    pod template or containers have the wrong JSON kind (`spec: 5`), in sigs.k8s.io/json's
    words (the struct holding the field, the field's full JSON path); None when it decodes. A
    null field decodes to its zero value, as in Go."""
    if group_of(ref.api_version) not in BUILTIN_GROUPS:
        return None
    for path, struct, go_type, is_object in _typed_fields(ref):
        value: Any = obj
        for name in path.split("."):
            value = value.get(name) if isinstance(value, dict) else None
        if value is None or isinstance(value, dict if is_object else list):
            continue
        return f"json: cannot unmarshal {_json_kind(value)} into Go struct field {struct}.{path} of type {go_type}"
    return None


def validate(obj: dict[str, Any], ref: ObjectRef) -> None:
    """Raise the API server's error for what hooks run into; return when it would accept `obj`."""
    meta = obj.get("metadata")
    version = ref.api_version.rsplit("/", 1)[-1]
    problem = decode_error(obj, ref)
    if problem is not None:  # rest.go transformDecodeError: 400 BadRequest
        raise BadRequest(f'{ref.kind} in version "{version}" cannot be handled as a {ref.kind}: {problem}')
    if group_of(ref.api_version) in BUILTIN_GROUPS and isinstance(meta, dict):
        for field_name in ("annotations", "labels"):
            values = meta.get(field_name)
            if not isinstance(values, dict):
                continue
            for value in values.values():
                if value is not None and not isinstance(value, str):
                    raise BadRequest(
                        f'{ref.kind} in version "{version}" cannot be handled as a {ref.kind}: json: cannot '
                        f"unmarshal {_json_type(value)} into Go struct field ObjectMeta.metadata.{field_name} "
                        "of type string"
                    )
    if not isinstance(meta, dict) or not ref.name:
        raise Invalid(
            f'{qualified_kind(ref)} "" is invalid: metadata.name: Required value: name or generateName is required'
        )
    if ref.kind == "Job" and group_of(ref.api_version) == "batch":
        template = (obj.get("spec") or {}).get("template")  # decode_error checked their kinds
        if not isinstance(template, dict):
            return
        policy = (template.get("spec") or {}).get("restartPolicy") or ""
        where = "spec.template.spec.restartPolicy"
        if policy in ("", "Always"):
            raise Invalid(
                f'Job.batch "{ref.name}" is invalid: {where}: Required value: valid values: "OnFailure", "Never"'
            )
        if policy not in ("OnFailure", "Never"):
            pod = f'{where}: Unsupported value: "{policy}": supported values: "Always", "OnFailure", "Never"'
            job = f'{where}: Unsupported value: "{policy}": supported values: "OnFailure", "Never"'
            raise Invalid(f'Job.batch "{ref.name}" is invalid: [{pod}, {job}]')


def synthesized_status(
    obj: dict[str, Any], ref: ObjectRef, outcome: str, stamp: str
) -> dict[str, Any] | None:
    """The status controllers would report once they acted on `obj` (`outcome`: succeed, fail or
    hang). Jobs get the Job controller's conditions; Pods end Succeeded/Failed, except that a Pod
    with restartPolicy Always (the default) never ends, nor does a failing OnFailure Pod."""
    group = group_of(ref.api_version)
    if ref.kind == "Job" and group == "batch":
        if outcome == "succeed":
            return {
                "conditions": [{"type": "Complete", "status": "True", "lastTransitionTime": stamp}],
                "succeeded": 1,
                "startTime": stamp,
                "completionTime": stamp,
            }
        if outcome == "fail":
            return {
                "conditions": [
                    {
                        "type": "Failed",
                        "status": "True",
                        "reason": "BackoffLimitExceeded",
                        "message": "Job has reached the specified backoff limit",
                        "lastTransitionTime": stamp,
                    }
                ],
                "failed": 1,
                "startTime": stamp,
            }
        return {"active": 1, "startTime": stamp}
    if ref.kind == "Pod" and ref.api_version == "v1":
        policy = (obj.get("spec") or {}).get("restartPolicy") or "Always"
        if outcome == "hang" or policy == "Always" or (outcome == "fail" and policy == "OnFailure"):
            ready = "True" if outcome == "succeed" else "False"
            return {
                "phase": "Running",
                "startTime": stamp,
                "conditions": [{"type": "Ready", "status": ready}],
            }
        return {"phase": "Succeeded" if outcome == "succeed" else "Failed", "startTime": stamp}
    return workload_status(obj, ref, outcome)


def workload_status(obj: dict[str, Any], ref: ObjectRef, outcome: str) -> dict[str, Any] | None:
    """What controllers would report for the `--wait` rules; `hang`/`fail` never get ready."""
    ready = outcome == "succeed"
    spec = obj.get("spec") or {}
    if ref.kind in ("Deployment", "StatefulSet", "ReplicaSet", "ReplicationController"):
        replicas = spec.get("replicas", 1)
        replicas = replicas if isinstance(replicas, int) else 1
        return {"replicas": replicas, "readyReplicas": replicas if ready else 0}
    if ref.kind == "DaemonSet":
        return {"desiredNumberScheduled": 1, "numberReady": 1 if ready else 0}
    if ref.kind == "PersistentVolumeClaim":
        return {"phase": "Bound" if ready else "Pending"}
    if ref.kind == "CustomResourceDefinition":
        return {"conditions": [{"type": "Established", "status": "True" if ready else "False"}]}
    return None

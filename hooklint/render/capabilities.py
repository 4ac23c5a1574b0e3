"""`.Capabilities` defaults of `helm template` (chartutil/common.DefaultCapabilities), per Helm version.

Helm 3.17.1: KubeVersion from the client-go module it builds with (k8s.io/client-go v0.32.1 ->
v1.32.0); APIVersions: client-go v0.32.1's scheme registrations in kubernetes/scheme/register.go
order (core `v1` first), then the apiextensions groups Helm adds (allKnownVersions); HelmVersion:
the v3.17.1 release build info.

Helm 4.2.3 (pkg/chart/common/capabilities.go): the same construction on client-go v0.36.1
(go.mod) -> KubeVersion v1.36.0, and the scheme list of that client-go (recorded from the Helm
4.2.3 SDK, which is built from the same go.mod). Its BuildInfo gains `KubeClientVersion`.
"""

from __future__ import annotations

DEFAULT_KUBE_VERSION = "v1.32.0"

DEFAULT_API_VERSIONS: tuple[str, ...] = (
    "v1",
    "admissionregistration.k8s.io/v1",
    "admissionregistration.k8s.io/v1alpha1",
    "admissionregistration.k8s.io/v1beta1",
    "internal.apiserver.k8s.io/v1alpha1",
    "apps/v1",
    "apps/v1beta1",
    "apps/v1beta2",
    "authentication.k8s.io/v1",
    "authentication.k8s.io/v1alpha1",
    "authentication.k8s.io/v1beta1",
    "authorization.k8s.io/v1",
    "authorization.k8s.io/v1beta1",
    "autoscaling/v1",
    "autoscaling/v2",
    "autoscaling/v2beta1",
    "autoscaling/v2beta2",
    "batch/v1",
    "batch/v1beta1",
    "certificates.k8s.io/v1",
    "certificates.k8s.io/v1beta1",
    "certificates.k8s.io/v1alpha1",
    "coordination.k8s.io/v1alpha2",
    "coordination.k8s.io/v1beta1",
    "coordination.k8s.io/v1",
    "discovery.k8s.io/v1",
    "discovery.k8s.io/v1beta1",
    "events.k8s.io/v1",
    "events.k8s.io/v1beta1",
    "extensions/v1beta1",
    "flowcontrol.apiserver.k8s.io/v1",
    "flowcontrol.apiserver.k8s.io/v1beta1",
    "flowcontrol.apiserver.k8s.io/v1beta2",
    "flowcontrol.apiserver.k8s.io/v1beta3",
    "networking.k8s.io/v1",
    "networking.k8s.io/v1alpha1",
    "networking.k8s.io/v1beta1",
    "node.k8s.io/v1",
    "node.k8s.io/v1alpha1",
    "node.k8s.io/v1beta1",
    "policy/v1",
    "policy/v1beta1",
    "rbac.authorization.k8s.io/v1",
    "rbac.authorization.k8s.io/v1beta1",
    "rbac.authorization.k8s.io/v1alpha1",
    "resource.k8s.io/v1beta1",
    "resource.k8s.io/v1alpha3",
    "scheduling.k8s.io/v1alpha1",
    "scheduling.k8s.io/v1beta1",
    "scheduling.k8s.io/v1",
    "storage.k8s.io/v1beta1",
    "storage.k8s.io/v1",
    "storage.k8s.io/v1alpha1",
    "storagemigration.k8s.io/v1alpha1",
    "apiextensions.k8s.io/v1beta1",
    "apiextensions.k8s.io/v1",
)

# internal/version.BuildInfo of the official v3.17.1 binaries (version and commit from the
# release tag; the Go toolchain is the 1.23 patch release current at the release date).
HELM_VERSION = "v3.17.1"
HELM_GIT_COMMIT = "980d8ac1939e39138101364400756af2bdee1da5"
HELM_GIT_TREE_STATE = "clean"
HELM_GO_VERSION = "go1.23.6"

# --- Helm 4.2.3 ---------------------------------------------------------------------------

V4_KUBE_VERSION = "v1.36.0"

V4_API_VERSIONS: tuple[str, ...] = (
    "v1",
    "admissionregistration.k8s.io/v1",
    "admissionregistration.k8s.io/v1alpha1",
    "admissionregistration.k8s.io/v1beta1",
    "internal.apiserver.k8s.io/v1alpha1",
    "apps/v1",
    "apps/v1beta1",
    "apps/v1beta2",
    "authentication.k8s.io/v1",
    "authentication.k8s.io/v1alpha1",
    "authentication.k8s.io/v1beta1",
    "authorization.k8s.io/v1",
    "authorization.k8s.io/v1beta1",
    "autoscaling/v1",
    "autoscaling/v2",
    "batch/v1",
    "batch/v1beta1",
    "certificates.k8s.io/v1",
    "certificates.k8s.io/v1beta1",
    "certificates.k8s.io/v1alpha1",
    "coordination.k8s.io/v1alpha2",
    "coordination.k8s.io/v1beta1",
    "coordination.k8s.io/v1",
    "discovery.k8s.io/v1",
    "discovery.k8s.io/v1beta1",
    "events.k8s.io/v1",
    "events.k8s.io/v1beta1",
    "extensions/v1beta1",
    "flowcontrol.apiserver.k8s.io/v1",
    "flowcontrol.apiserver.k8s.io/v1beta1",
    "flowcontrol.apiserver.k8s.io/v1beta2",
    "flowcontrol.apiserver.k8s.io/v1beta3",
    "networking.k8s.io/v1",
    "networking.k8s.io/v1beta1",
    "node.k8s.io/v1",
    "node.k8s.io/v1alpha1",
    "node.k8s.io/v1beta1",
    "policy/v1",
    "policy/v1beta1",
    "rbac.authorization.k8s.io/v1",
    "rbac.authorization.k8s.io/v1beta1",
    "rbac.authorization.k8s.io/v1alpha1",
    "resource.k8s.io/v1",
    "resource.k8s.io/v1beta2",
    "resource.k8s.io/v1beta1",
    "resource.k8s.io/v1alpha3",
    "scheduling.k8s.io/v1alpha2",
    "scheduling.k8s.io/v1beta1",
    "scheduling.k8s.io/v1",
    "storage.k8s.io/v1beta1",
    "storage.k8s.io/v1",
    "storage.k8s.io/v1alpha1",
    "storagemigration.k8s.io/v1beta1",
    "apiextensions.k8s.io/v1beta1",
    "apiextensions.k8s.io/v1",
)

# internal/version.BuildInfo as the Helm 4.2.3 SDK (helm_python, the oracle this mode reproduces)
# reports it: a library build has no ldflags, so Version is the source default "v4.2" with empty
# GitCommit/GitTreeState, GoVersion is runtime.Version() of that build, and KubeClientVersion comes
# from client-go v0.36 -> "v1.36". (The official `helm` v4.2.3 binary would say v4.2.3 and its commit.)
V4_HELM_VERSION = "v4.2"
V4_HELM_GIT_COMMIT = ""
V4_HELM_GIT_TREE_STATE = ""
V4_HELM_GO_VERSION = "go1.26.6"
V4_KUBE_CLIENT_VERSION = "v1.36"


def default_kube_version(helm_version: int) -> str:
    return V4_KUBE_VERSION if helm_version == 4 else DEFAULT_KUBE_VERSION


def default_api_versions(helm_version: int) -> tuple[str, ...]:
    return V4_API_VERSIONS if helm_version == 4 else DEFAULT_API_VERSIONS

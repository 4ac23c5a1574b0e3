"""Security of hook workloads: install-time jobs often run kubectl with broad rights, and several
scanners never see hooks (they scan only the release manifest)."""

from __future__ import annotations

import re

from hooklint.lint.context import CheckContext, containers, dig, items, pod_spec

TYPE_CHECKING = False  # not `typing`'s: importing typing costs ~3 ms of every run
if TYPE_CHECKING:
    from typing import Any

POWERFUL_ROLES = ("cluster-admin", "admin", "edit")
RBAC_KINDS = ("Role", "ClusterRole", "RoleBinding", "ClusterRoleBinding", "ServiceAccount")
# A pattern string, not a compiled pattern: few charts need it, and compiling at import costs every
# lint run; re's own cache compiles it once, on first use.
_SECRETISH = r"(?i)(PASSWORD|PASSWD|TOKEN|SECRET|API_?KEY|PRIVATE_?KEY|CREDENTIALS?)"
# Names that say the value points at a credential instead of holding it: `*_PASSWORD_FILE=/run/secrets/x`
# (the Docker/Bitnami convention), `*_SECRET_NAME`, `*_TOKEN_PATH`, feature switches.
_REFERENCE_NAME = (r"(?i)[_-](FILE|FILES|FILENAME|PATH|DIR|DIRECTORY|MOUNT|LOCATION|NAME|REF|KEY_?NAME|"
                   r"ENABLED|DISABLED|ENABLE|DISABLE|TTL|EXPIRY|EXPIRATION|LENGTH|TYPE|URL|URI|HEADER)$")
_NOT_A_CREDENTIAL = ("true", "false", "yes", "no", "0", "1", "none", "null")


def _literal_credential(name: str, value: object) -> bool:
    """Whether env `name` carries a credential as a literal `value` (not a path, switch or reference)."""
    if not (re.search(_SECRETISH, name) and isinstance(value, str) and value) or "$(" in value:
        return False
    if re.search(_REFERENCE_NAME, name) or value.lower() in _NOT_A_CREDENTIAL:
        return False
    return not (value.startswith("/") and " " not in value)  # a mounted file's path


def _hook_service_accounts(ctx: CheckContext) -> set[tuple[str, str]]:
    out = set()
    for h in ctx.hooks:
        found = pod_spec(h.doc)
        if found:
            sa = found[1].get("serviceAccountName") or found[1].get("serviceAccount") or "default"
            out.add((ctx.namespace(h.doc), str(sa)))
    return out


def hook_cluster_admin(ctx: CheckContext) -> None:
    """HL701"""
    sas = _hook_service_accounts(ctx)
    for d in [h.doc for h in ctx.hooks] + ctx.resources:
        if d.kind not in ("RoleBinding", "ClusterRoleBinding"):
            continue
        role = dig(d.body, "roleRef", "name")
        if dig(d.body, "roleRef", "kind") != "ClusterRole" or role not in POWERFUL_ROLES:
            continue
        for _i, s in enumerate(items(d.body.get("subjects"))):
            if not isinstance(s, dict) or s.get("kind") != "ServiceAccount":
                continue
            ns = str(s.get("namespace") or ctx.namespace(d))
            if (ns, str(s.get("name"))) in sas:
                ctx.report(d, f"the hook ServiceAccount '{s.get('name')}' is bound to the '{role}' ClusterRole: "
                              "the hook runs with (nearly) full rights; grant only what it needs",
                           path=("roleRef", "name"))
                break


def hook_rbac_outlives_hook(ctx: CheckContext) -> None:
    """HL702"""
    for h in ctx.hooks:
        if h.kind in RBAC_KINDS and "hook-succeeded" not in h.effective_policies:
            ctx.report(h.doc, f"this {h.kind} hook is never deleted after the hooks succeed, and uninstall does not "
                              "delete hooks: the hook's rights stay in the cluster. Add hook-succeeded (with "
                              "before-hook-creation)", annotation="helm.sh/hook")


def hook_privileged_host_access(ctx: CheckContext) -> None:
    """HL703"""
    for h in ctx.hooks:
        found = pod_spec(h.doc)
        if found is None:
            continue
        base, spec = found
        hits: list[tuple[str, tuple[str | int, ...]]] = []
        for key in ("hostNetwork", "hostPID", "hostIPC"):
            if spec.get(key) is True:
                hits.append((key, (*base, key)))
        for i, vol in enumerate(items(spec.get("volumes"))):
            if isinstance(vol, dict) and isinstance(vol.get("hostPath"), dict):
                hits.append((f"hostPath volume {vol.get('hostPath', {}).get('path', '')}", (*base, "volumes", i)))
        for group, i, c in containers(spec):
            sc = c.get("securityContext") or {}
            if isinstance(sc, dict) and sc.get("privileged") is True:
                hits.append((f"privileged container '{c.get('name')}'", (*base, group, i, "securityContext")))
            add = dig(sc, "capabilities", "add")
            if isinstance(add, list) and add:
                hits.append((f"added capabilities {add}", (*base, group, i, "securityContext")))
        for what, path in hits:
            ctx.report(h.doc, f"hook pod uses {what}: install-time hooks with host access are as dangerous as "
                              "privileged workloads, and scanners that read only the release manifest never see "
                              "them", path=path)


def hook_wildcard_rbac(ctx: CheckContext) -> None:
    """HL705"""
    for h in ctx.hooks:
        if h.kind not in ("Role", "ClusterRole"):
            continue
        for i, rule in enumerate(items(h.doc.body.get("rules"))):
            if not isinstance(rule, dict):
                continue
            wild = [k for k in ("verbs", "resources", "apiGroups") if "*" in items(rule.get(k))]
            if wild:
                ctx.report(h.doc, f"hook {h.kind} rule grants '*' {', '.join(wild)}: grant the hook only the verbs "
                                  "and resources it uses", path=("rules", i, wild[0]))


def hook_inline_credentials(ctx: CheckContext) -> None:
    """HL706"""
    for h in ctx.hooks:
        found = pod_spec(h.doc)
        if found is None:
            continue
        base, spec = found
        for group, i, c in containers(spec):
            for j, env in enumerate(items(c.get("env"))):
                if not isinstance(env, dict):
                    continue
                name, value = str(env.get("name") or ""), env.get("value")
                if _literal_credential(name, value):
                    ctx.report(h.doc, f"env {name} holds a literal value: hook manifests are stored in the release "
                                      "and printed by `helm get hooks` and `--dry-run`; read it from a Secret",
                               path=(*base, group, i, "env", j, "value"))


def hook_no_security_context(ctx: CheckContext) -> None:
    """HL704"""
    for h in ctx.hooks:
        found = pod_spec(h.doc)
        if found is None or h.kind not in ("Job", "Pod", "CronJob"):
            continue
        base, spec = found
        raw_psc = spec.get("securityContext")
        psc: dict[str, Any] = raw_psc if isinstance(raw_psc, dict) else {}
        for group, i, c in containers(spec):
            raw_sc = c.get("securityContext")
            sc: dict[str, Any] = raw_sc if isinstance(raw_sc, dict) else {}
            missing = []
            if sc.get("runAsNonRoot") is not True and (psc.get("runAsNonRoot") is not True or
                                                        sc.get("runAsNonRoot") is False):
                missing.append("runAsNonRoot: true")
            if sc.get("allowPrivilegeEscalation") is not False:
                missing.append("allowPrivilegeEscalation: false")
            drop = dig(sc, "capabilities", "drop")
            if not (isinstance(drop, list) and any(str(x).upper() == "ALL" for x in drop)):
                missing.append("capabilities.drop: [ALL]")
            seccomp = dig(sc, "seccompProfile", "type") or dig(psc, "seccompProfile", "type")
            if seccomp not in ("RuntimeDefault", "Localhost"):
                missing.append("seccompProfile RuntimeDefault")
            if missing:
                ctx.report(h.doc, f"hook container '{c.get('name')}' runs without {', '.join(missing)}: hook images "
                                  "(kubectl, database clients) often run as root by default",
                           path=(*base, group, i, "securityContext" if sc else "name"))

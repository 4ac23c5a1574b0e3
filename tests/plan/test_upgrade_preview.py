"""`hooklint plan --baseline REF`: the upgrade planned from the baseline, the changes it makes to the
release's objects, the plan diff in every format, `--fail-on` exit codes, and REF as a directory,
a .tgz or a git revision.

Oracle: the real-cluster recordings of helm v3.17.1 and v4.1.4 (upgrade of a resource turned into a
pre-upgrade hook, and of resources removed and added; then the rollback to revision 1). The charts
are fixtures/charts/upgrade/{tohook,removeadd}; the expected write requests below were read from
the recordings (release Secrets left out).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tarfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hooklint.plan.changes import moved_indices
from hooklint.plan.inputs import PlanRequest
from hooklint.plan.model import Plan
from hooklint.plan.preview import build_preview

REPO = Path(__file__).resolve().parents[2]
UPGRADE = "fixtures/charts/upgrade"
APP = f"{UPGRADE}/app"


def hooklint(*args: str, cwd: Path = REPO) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "HOOKLINT_NO_SERVER": "1", "HOOKLINT_NO_CACHE": "1"}
    return subprocess.run([sys.executable, "-m", "hooklint", *args], cwd=cwd, capture_output=True, text=True,
                          check=False, env=env)


def writes(plan: Plan) -> list[tuple[str, str]]:
    """The write requests a plan sends (what the recordings show): unchanged client-side patches send
    none; server-side apply is a PATCH either way."""
    out = []
    for s in plan.steps:
        name = s.object.name if s.object else ""
        if s.action in ("delete-hook", "delete"):
            out.append(("delete", name))
        elif s.action == "create-hook":
            out.append(("patch" if s.method == "server-side-apply" else "create", name))
        elif s.action == "apply":
            if s.method == "server-side-apply":
                out.append(("patch", name))
            elif s.method == "create":
                out.append(("create", name))
            elif not s.unchanged:
                out.append(("patch", name))
    return out


TRACES = [
    # helm3-upgrade-to-hook.json: 2-upgrade, 4-rollback-to-1
    ("tohook", 3, "h3-tohook", [("delete", "th-cm"), ("create", "th-cm"), ("delete", "th-cm")],
     [("create", "th-cm")]),
    # helm4-upgrade-to-hook.json
    ("tohook", 4, "h4-tohook", [("delete", "th-cm"), ("patch", "th-cm"), ("patch", "th-other"), ("delete", "th-cm")],
     [("patch", "th-cm"), ("patch", "th-other")]),
    # helm3-upgrade-remove-add.json
    ("removeadd", 3, "h3-removeadd", [("create", "ra-added"), ("delete", "ra-removed"),
                                      ("delete", "ra-removed-deploy")],
     [("create", "ra-removed"), ("create", "ra-removed-deploy"), ("delete", "ra-added")]),
    # helm4-upgrade-remove-add.json
    ("removeadd", 4, "h4-removeadd", [("patch", "ra-keep"), ("patch", "ra-added"), ("delete", "ra-removed"),
                                      ("delete", "ra-removed-deploy")],
     [("patch", "ra-keep"), ("patch", "ra-removed"), ("patch", "ra-removed-deploy"), ("delete", "ra-added")]),
]


@pytest.mark.parametrize(("chart", "helm", "release", "upgrade", "rollback"), TRACES)
def test_upgrade_and_rollback_match_the_recordings(chart: str, helm: int, release: str,
                                                   upgrade: list[tuple[str, str]],
                                                   rollback: list[tuple[str, str]]) -> None:
    request = PlanRequest(chart=f"{UPGRADE}/{chart}", events=["upgrade", "rollback"], set_values=("step=2",),
                          release_name=release, namespace=f"rt-h{helm}", helm_version=helm)
    preview = build_preview(request, f"{UPGRADE}/{chart}")
    up, back = preview.plans
    assert (up.event, back.event) == ("upgrade", "rollback")
    assert writes(up) == upgrade
    assert writes(back) == rollback


def _preview(events: list[str], helm: int = 3) -> dict:  # type: ignore[type-arg]
    r = hooklint("plan", APP, "--event", events[0] if len(events) == 1 else "all", "--baseline", APP,
                 "--set", "step=2", "--name", "shop", "--helm-version", str(helm), "-o", "json")
    assert r.returncode == 0, r.stderr
    return json.loads(r.stdout)  # type: ignore[no-any-return]


def test_upgrade_changes_name_every_deletion_switch_and_order_change() -> None:
    data = _preview(["upgrade"])
    assert data["kind"] == "plan-diff" and data["baseline"]["ref"] == APP
    got = [(c["severity"], c["code"], c["object"]["kind"], c["object"]["name"], c["object"]["namespace"])
           for c in data["changes"]]
    assert got == [
        ("danger", "deleted", "PersistentVolumeClaim", "shop-data", "default"),
        ("danger", "hook-to-resource", "Secret", "shop-password", "default"),
        ("warning", "namespace-moved", "ConfigMap", "shop-settings", "default"),
        ("warning", "kind-changed", "Deployment", "shop-db", "default"),
        ("warning", "hook-order", "Job", "shop-migrate", "default"),
        ("info", "kept", "PersistentVolumeClaim", "shop-cache", "default"),
        ("info", "hook-reruns", "Job", "shop-backup", "default"),
        ("info", "hook-added", "Job", "shop-notify", "default"),
    ]
    by_code = {c["code"]: c for c in data["changes"]}
    # positions: the template line in the chart now, and in the baseline
    assert by_code["deleted"]["source"] is None
    assert (by_code["deleted"]["baseline_source"]["file"], by_code["deleted"]["baseline_source"]["line"]) == (
        f"{APP}/templates/storage.yaml", 2)
    assert (by_code["hook-order"]["source"]["file"], by_code["hook-order"]["source"]["line"]) == (
        f"{APP}/templates/hooks.yaml", 1)
    assert "weight 0 -> 10" in by_code["hook-order"]["message"] and "after shop-backup" in by_code["hook-order"]["message"]
    assert by_code["deleted"]["stateful"] and by_code["deleted"]["deletes"]
    assert by_code["hook-to-resource"]["findings"] == ["HL204", "HL310"]
    assert by_code["hook-to-resource"]["fails"].startswith(
        'Unable to continue with update: Secret "shop-password" in namespace "default" exists and cannot be '
        'imported into the current release: invalid ownership metadata; label validation error: missing key '
        '"app.kubernetes.io/managed-by": must be set to "Helm"')
    # the upgrade plan stops at the ownership check, before any hook runs
    upgrade = data["plans"][0]
    first = upgrade["steps"][0]
    assert (first["action"], first["object"]["name"], first["fails"]) == ("apply", "shop-password",
                                                                          by_code["hook-to-resource"]["fails"])
    assert first["failure"]["release_status"] == "deployed"
    steps = [(s["action"], s["object"]["kind"], s["object"]["name"]) for s in upgrade["steps"] if s["object"]]
    assert ("delete", "PersistentVolumeClaim", "shop-data") in steps
    assert ("keep", "PersistentVolumeClaim", "shop-cache") in steps
    assert steps.index(("apply", "StatefulSet", "shop-db")) < steps.index(("delete", "Deployment", "shop-db"))


def test_rollback_to_the_baseline() -> None:
    data = _preview(["rollback"])
    got = [(c["severity"], c["code"], c["object"]["kind"], c["object"]["name"], c.get("fails"))
           for c in data["changes"]]
    assert got == [
        ("danger", "resource-to-hook", "Secret", "shop-password", None),
        ("danger", "kind-changed", "StatefulSet", "shop-db", None),
        ("danger", "kept", "PersistentVolumeClaim", "shop-cache",
         'no PersistentVolumeClaim with the name "shop-cache" found'),
        ("warning", "namespace-moved", "ConfigMap", "shop-settings", None),
    ]
    (event,) = data["events"]
    fails = [(c["step"]["action"], c["step"]["object"]["name"]) for c in event["changes"] if c["status"] == "now-fails"]
    assert fails == [("apply", "shop-cache")]


def test_step_diff_statuses() -> None:
    data = _preview(["upgrade"])
    (event,) = data["events"]
    assert event["counts"] == {"now-fails": 1, "new": 10, "gone": 4, "moved": 2, "changed": 0}
    moved = [(c["step"]["object"]["name"], c["old_index"], c["new_index"], c["detail"])
             for c in event["changes"] if c["status"] == "moved"]
    assert moved == [("shop-backup", 3, 1, "other steps moved around it"), ("shop-migrate", 0, 4, "weight 0 -> 10")]


def test_fail_on_exit_codes() -> None:
    base = ["plan", APP, "-e", "upgrade", "--baseline", APP, "--set", "step=2", "--name", "shop"]
    r = hooklint(*base, "--fail-on", "delete-stateful,hook-order")
    assert r.returncode == 4, r.stderr
    assert r.stderr.splitlines() == [
        "hooklint: --fail-on: upgrade: deleted PersistentVolumeClaim/shop-data (delete-stateful)",
        "hooklint: --fail-on: upgrade: hook-order Job/shop-migrate (hook-order)",
    ]
    assert hooklint(*base, "--fail-on", "crd").returncode == 0
    unchanged = hooklint("plan", APP, "-e", "upgrade", "--baseline", APP, "--fail-on", "any")
    assert unchanged.returncode == 0 and "no step changed" in unchanged.stdout, unchanged.stdout
    bad = hooklint(*base, "--fail-on", "deletes")
    assert bad.returncode == 2 and "unknown gate 'deletes'" in bad.stderr


def test_usage_errors() -> None:
    r = hooklint("plan", APP, "--view", "diff")
    assert r.returncode == 2 and "give --baseline REF" in r.stderr
    r = hooklint("plan", APP, "-e", "upgrade", "--baseline", f"{APP}/values.yaml")
    assert r.returncode == 2 and "not a packaged chart (.tgz)" in r.stderr
    r = hooklint("plan", APP, "-e", "upgrade", "--baseline", APP, "-o", "mermaid")
    assert r.returncode == 2 and "no mermaid format" in r.stderr
    r = hooklint("plan", APP, "-e", "upgrade", "--baseline", APP, "--rendered", f"{APP}/values.yaml")
    assert r.returncode == 2 and "without --rendered" in r.stderr
    r = hooklint("plan", APP, "-e", "upgrade", "--baseline", APP, "--view", "plan", "--fail-on", "any")
    assert r.returncode == 2 and "drop --view plan" in r.stderr


def test_previous_chart_is_an_alias_and_view_plan_prints_the_plan() -> None:
    a = hooklint("plan", APP, "-e", "upgrade", "--baseline", APP, "--set", "step=2", "-o", "json")
    b = hooklint("plan", APP, "-e", "upgrade", "--previous-chart", APP, "--set", "step=2", "-o", "json")
    assert a.returncode == b.returncode == 0 and a.stdout == b.stdout
    plain = hooklint("plan", APP, "-e", "upgrade", "--baseline", APP, "--set", "step=2", "--view", "plan",
                     "--name", "shop", "-o", "json")
    assert plain.returncode == 0, plain.stderr
    plan = json.loads(plain.stdout)
    assert plan["event"] == "upgrade"
    # the baseline renders with its own values, not with --set (step 1: the PVC is there to delete)
    assert ("delete", "shop-data") in [(s["action"], s["object"]["name"]) for s in plan["steps"] if s["object"]]


def test_tgz_baseline_matches_the_directory(tmp_path: Path) -> None:
    archive = tmp_path / "app-0.1.0.tgz"
    with tarfile.open(archive, "w:gz") as tar:
        tar.add(REPO / APP, arcname="app")
    a = json.loads(hooklint("plan", APP, "-e", "upgrade", "--baseline", APP, "--set", "step=2", "-o", "json").stdout)
    b = json.loads(hooklint("plan", APP, "-e", "upgrade", "--baseline", str(archive), "--set", "step=2",
                            "-o", "json").stdout)
    assert [(c["code"], c["object"]) for c in a["changes"]] == [(c["code"], c["object"]) for c in b["changes"]]
    deleted = next(c for c in b["changes"] if c["code"] == "deleted")
    assert deleted["baseline_source"]["file"] == f"{archive}:templates/storage.yaml"


def git(cwd: Path, *args: str) -> None:
    env = {**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.com",
           "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.com"}
    subprocess.run(["git", *args], cwd=cwd, env=env, check=True, capture_output=True)


CRD = """apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: {name}.example.com
spec:
  group: example.com
  names: {{kind: {kind}, plural: {name}}}
  scope: Namespaced
  versions: [{{name: {version}, served: true, storage: true}}]
"""


@pytest.mark.skipif(subprocess.run(["git", "--version"], capture_output=True).returncode != 0, reason="needs git")
def test_git_revision_baseline_and_crds(tmp_path: Path) -> None:
    chart = tmp_path / "charts" / "web"
    (chart / "templates").mkdir(parents=True)
    (chart / "crds").mkdir()
    (chart / "Chart.yaml").write_text("apiVersion: v2\nname: web\nversion: 1.0.0\n")
    (chart / "templates" / "cm.yaml").write_text("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: web\n")
    (chart / "crds" / "a.yaml").write_text(CRD.format(name="widgets", kind="Widget", version="v1"))
    (chart / "crds" / "old.yaml").write_text(CRD.format(name="olds", kind="Old", version="v1"))
    git(tmp_path, "init", "-q")
    git(tmp_path, "add", ".")
    git(tmp_path, "commit", "-q", "-m", "v1")
    (chart / "Chart.yaml").write_text("apiVersion: v2\nname: web\nversion: 2.0.0\n")
    (chart / "templates" / "cm.yaml").unlink()
    (chart / "crds" / "a.yaml").write_text(CRD.format(name="widgets", kind="Widget", version="v2"))
    (chart / "crds" / "old.yaml").unlink()
    (chart / "crds" / "b.yaml").write_text(CRD.format(name="gadgets", kind="Gadget", version="v1"))
    r = hooklint("plan", "charts/web", "-e", "upgrade", "--baseline", "HEAD", "-o", "json", "--fail-on", "crd",
                 cwd=tmp_path)
    assert r.returncode == 4, r.stderr
    data = json.loads(r.stdout)
    assert (data["chart"]["version"], data["baseline"]["version"], data["baseline"]["ref"]) == ("2.0.0", "1.0.0",
                                                                                                 "HEAD")
    assert len(data["baseline"]["commit"]) == 40
    got = [(c["code"], c["object"]["name"]) for c in data["changes"]]
    assert got == [("deleted", "web"), ("crd-not-upgraded", "widgets.example.com"),  # crds/ in file order
                   ("crd-not-installed", "gadgets.example.com"), ("crd-not-deleted", "olds.example.com")]
    deleted = data["changes"][0]
    assert (deleted["baseline_source"]["file"], deleted["baseline_source"]["line"]) == ("HEAD:templates/cm.yaml", 1)
    # the Argo CD sync after this change prunes the ConfigMap, shown at its place in the revision
    argo = json.loads(hooklint("plan", "charts/web", "-e", "upgrade", "--baseline", "HEAD", "--target", "argocd",
                               "-o", "json", cwd=tmp_path).stdout)
    prune = next(s for s in argo["steps"] if s["action"] == "prune")
    assert (prune["object"]["name"], prune["source"]["file"]) == ("web", "HEAD:templates/cm.yaml")
    bad = hooklint("plan", "charts/web", "-e", "upgrade", "--baseline", "no-such-rev", cwd=tmp_path)
    assert bad.returncode == 2 and "neither a chart directory nor a revision" in bad.stderr


def _big_chart(root: Path, objects: int, hooks: int) -> Path:
    (root / "templates").mkdir(parents=True)
    (root / "Chart.yaml").write_text("apiVersion: v2\nname: big\nversion: 0.1.0\n")
    (root / "values.yaml").write_text("keep: 200\nweight: 0\n")
    (root / "templates" / "cms.yaml").write_text(
        f"{{{{- range $i := until {objects} }}}}\n{{{{- if lt $i (int $.Values.keep) }}}}\n---\napiVersion: v1\n"
        "kind: ConfigMap\nmetadata:\n  name: cm-{{ $i }}\ndata:\n  i: \"{{ $i }}\"\n{{- end }}\n{{- end }}\n")
    (root / "templates" / "hooks.yaml").write_text(
        f"{{{{- range $i := until {hooks} }}}}\n---\napiVersion: batch/v1\nkind: Job\nmetadata:\n  name: job-{{{{ $i }}}}\n"
        "  annotations:\n    helm.sh/hook: pre-upgrade\n    helm.sh/hook-weight: \"{{ if eq $i 0 }}{{ $.Values.weight }}"
        "{{ else }}{{ $i }}{{ end }}\"\nspec:\n  template:\n    spec:\n      restartPolicy: Never\n      containers:\n"
        "        - name: c\n          image: busybox\n{{- end }}\n")
    return root


def test_markdown_for_a_200_object_chart_is_collapsed_github_markdown(tmp_path: Path) -> None:
    chart = _big_chart(tmp_path / "big", 200, 10)
    r = hooklint("plan", str(chart), "-e", "upgrade", "--baseline", str(chart), "--set", "keep=150",
                 "--set", "weight=20", "-o", "markdown")
    assert r.returncode == 0, r.stderr
    md = r.stdout
    lines = md.splitlines()
    assert lines[0].startswith("### hooklint plan diff: big 0.1.0 against baseline")
    # GitHub renders a table inside <details> only after a blank line following <summary>
    for i, line in enumerate(lines):
        if line.startswith("<details>"):
            assert lines[i + 1] == "", line
    # every table row has as many cells as its header
    header_cells = None
    for line in lines:
        if line.startswith("|"):
            cells = line.rstrip().rstrip("|").count("|")
            if header_cells is None:
                header_cells = cells
            assert cells == header_cells, line
        else:
            header_cells = None
    # the 50 deletions are warnings in the open table; the 9 unchanged hooks that run again are folded away
    assert md.count("| warning | `deleted` |") == 50
    assert "<details><summary>9 informational change(s)</summary>" in md
    # 50 deletions are new steps, their 50 applies gone
    assert "| upgrade | 0 | 51 | 9 | 0 | 50 | 50 | 1 | 0 |" in md
    assert len(md) < 65536  # a GitHub comment's limit
    assert "job-0" in md and "weight 0 -> 20" in md


def test_text_and_html_formats() -> None:
    args = ["plan", APP, "-e", "upgrade", "--baseline", APP, "--set", "step=2", "--name", "shop"]
    text = hooklint(*args).stdout
    assert text.splitlines()[0] == (f"plan diff | Helm 3 | app 0.1.0 against baseline {APP} (app 0.1.0) | "
                                    "release shop in namespace default")
    assert "  DANGER  deleted           PersistentVolumeClaim/shop-data (default)" in text
    assert f"          at baseline {APP}/templates/storage.yaml:2" in text
    html = hooklint(*args, "-o", "html").stdout
    assert html.startswith("<!DOCTYPE html>") and "<script" not in html
    assert '<td class="sev-danger">danger</td><td><code>deleted</code></td>' in html


def _lis_length(xs: list[int]) -> int:
    best = [1] * len(xs)
    for i in range(len(xs)):
        for j in range(i):
            if xs[j] < xs[i]:
                best[i] = max(best[i], best[j] + 1)
    return max(best, default=0)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.integers(0, 30), max_size=14, unique=True))
def test_moved_indices_are_the_fewest_moves(perm: list[int]) -> None:
    """Any order of distinct ranks: the kept ones increase, and as many are kept as possible."""
    moved = moved_indices(perm)
    kept = [x for i, x in enumerate(perm) if i not in moved]
    assert kept == sorted(kept)
    assert len(kept) == _lis_length(perm)


def test_a_removed_object_pairs_only_with_a_new_one(tmp_path: Path) -> None:
    """A Role that leaves the chart next to a ServiceAccount of the same name that both versions have
    is deleted, not turned into the ServiceAccount (found on prometheus-operator-admission-webhook
    0.5.0 -> 0.43.2); the plan's delete step points at the baseline's template."""
    def chart(root: Path, with_role: bool) -> Path:
        (root / "templates").mkdir(parents=True)
        (root / "Chart.yaml").write_text("apiVersion: v2\nname: c\nversion: 1.0.0\n")
        (root / "templates" / "sa.yaml").write_text("apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: x\n")
        if with_role:
            (root / "templates" / "role.yaml").write_text(
                "apiVersion: rbac.authorization.k8s.io/v1\nkind: Role\nmetadata:\n  name: x\nrules: []\n")
        return root

    old, new = chart(tmp_path / "old", True), chart(tmp_path / "new", False)
    r = hooklint("plan", "new", "-e", "upgrade", "--baseline", "old", "-o", "json", cwd=tmp_path)
    data = json.loads(r.stdout)
    assert [(c["code"], c["object"]["kind"]) for c in data["changes"]] == [("deleted", "Role")]
    delete = next(s for s in data["plans"][0]["steps"] if s["action"] == "delete")
    assert delete["source"]["file"] == "old/templates/role.yaml"
    assert old.is_dir() and new.is_dir()


def test_helm4_wording_of_the_failures() -> None:
    """Helm v4.1.4: upgrade.go wraps the ownership error as 'unable to continue with update', and
    kube/client.go Update refuses an unlisted live object as 'original object ... not found'."""
    up = {c["code"]: c for c in _preview(["upgrade"], helm=4)["changes"]}
    assert up["hook-to-resource"]["fails"].startswith('unable to continue with update: Secret "shop-password"')
    back = {c["code"]: c for c in _preview(["rollback"], helm=4)["changes"]}
    assert back["kept"]["fails"] == 'original object PersistentVolumeClaim with the name "shop-cache" not found'


def test_hook_order_that_depends_on_the_release_name(tmp_path: Path) -> None:
    """Hooks of one weight run in name order (hooks.go hookByWeight): 'a-setup' runs before
    'shop-backup' in release shop, after 'aa-backup' in release aa; hooks that all carry the name as
    a prefix keep their order."""
    chart = tmp_path / "c"
    (chart / "templates").mkdir(parents=True)
    (chart / "Chart.yaml").write_text("apiVersion: v2\nname: c\nversion: 1.0.0\n")
    job = ("---\napiVersion: batch/v1\nkind: Job\nmetadata:\n  name: {name}\n  annotations:\n"
           "    helm.sh/hook: pre-upgrade\nspec:\n  template:\n    spec:\n      restartPolicy: Never\n"
           "      containers: [{{name: c, image: busybox}}]\n")
    (chart / "templates" / "hooks.yaml").write_text(
        job.format(name="a-setup") + job.format(name="{{ .Release.Name }}-backup"))
    for release, expected in (("shop", ["hook-order-release-name"]), ("aa", ["hook-order-release-name"])):
        r = hooklint("plan", "c", "-e", "upgrade", "--baseline", "c", "--name", release, "-o", "json",
                     cwd=tmp_path)
        codes = [c["code"] for c in json.loads(r.stdout)["changes"] if c["code"] != "hook-reruns"]
        assert codes == expected, r.stdout
    (chart / "templates" / "hooks.yaml").write_text(
        job.format(name="{{ .Release.Name }}-a") + job.format(name="{{ .Release.Name }}-b"))
    r = hooklint("plan", "c", "-e", "upgrade", "--baseline", "c", "--name", "shop", "-o", "json", cwd=tmp_path)
    assert [c["code"] for c in json.loads(r.stdout)["changes"]] == ["hook-reruns", "hook-reruns"]


def test_markdown_closes_details_after_a_blank_line() -> None:
    """A table ends at a blank line (GFM): `</details>` on the line after a row would be read as part
    of the table on GitHub."""
    md = hooklint("plan", APP, "-e", "all", "--baseline", APP, "--set", "step=2", "-o", "markdown").stdout
    lines = md.splitlines()
    closes = [i for i, line in enumerate(lines) if line == "</details>"]
    assert len(closes) >= 5
    assert all(lines[i - 1] == "" for i in closes)

"""Execute a Plan against a Backend with Helm's semantics (Helm v3.17.1 `pkg/action`, and the
v4.2.3 differences the plan encodes: server-side apply, no wait after deletions, kstatus).

The plan says *what* Helm does in which order; the executor performs each step through the
backend, decides what the cluster's answers mean (Job conditions, Pod phases, AlreadyExists, a
Deleted watch event counting as success in v3), keeps the release record as Helm does (stored
before each hook's creation, final status at the end), and on a failed step follows the step's
`on_failure` branch and leaves the release status its `failure` names.

Only objects named by the plan (and the release's own Secrets) are ever touched.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from hooklint.backends.base import (
    HELM_FIELD_MANAGER,
    MANAGED_BY_LABEL,
    RELEASE_NAME_ANNOTATION,
    RELEASE_NAMESPACE_ANNOTATION,
    AlreadyExists,
    Backend,
    BackendError,
    Conflict,
    NotFound,
    Timeout,
    Unreachable,
    WatchEvent,
)
from hooklint.backends.journal import Journal
from hooklint.backends.patches import (
    JSON_PATCH,
    MERGE,
    STRATEGIC,
    apply_merge_patch,
    apply_strategic,
    is_builtin,
    three_way_strategic,
    two_way_merge,
)
from hooklint.backends.release import PENDING, HookRecord, ReleaseRecord, ReleaseStore, assemble_manifest
from hooklint.documents.hooks import RESOURCE_POLICY_ANNOTATION, Classified
from hooklint.documents.manifests import list_items
from hooklint.model import Document, ObjectRef
from hooklint.plan.hookexec import build_error
from hooklint.plan.model import Failure, Plan, Step

PLACEHOLDER = re.compile(r"<[A-Za-z][^<>\n]*>")
CLI_PREFIX = {"install": "INSTALLATION FAILED: ", "upgrade": "UPGRADE FAILED: "}


def go_duration_seconds(text: str | int | float | None) -> float | None:
    """A Go duration (`5m0s`, `300s`, `1h`, `0`) in seconds; 0 means no timeout (None)."""
    if text is None:
        return 300.0
    if isinstance(text, (int, float)):
        return None if text == 0 else float(text)
    units = {"ns": 1e-9, "us": 1e-6, "µs": 1e-6, "ms": 1e-3, "s": 1.0, "m": 60.0, "h": 3600.0}
    s = text.strip()
    if s in ("0", ""):
        return None
    total = 0.0
    for number, unit in re.findall(r"([0-9]*\.?[0-9]+)(ns|us|µs|ms|s|m|h)", s):
        total += float(number) * units[unit]
    if not re.fullmatch(r"(?:[0-9]*\.?[0-9]+(?:ns|us|µs|ms|s|m|h))+", s):
        raise ValueError(f'time: invalid duration "{text}"')
    return total or None


@dataclass
class ApplyResult:
    ok: bool
    event: str
    release: str
    revision: int | None
    status: str | None  # the release status left behind; "purged" when the history was deleted
    error: str | None = None
    interrupted: bool = False
    kept: list[str] = field(default_factory=list)
    # `helm test --logs`: (pod name, log text) in the order Helm prints them
    logs: list[tuple[str, str]] = field(default_factory=list)
    # the release record as left behind (None when the run was refused before one existed)
    record: ReleaseRecord | None = None

    def message(self) -> str:
        if self.ok:
            return ""
        return CLI_PREFIX.get(self.event, "") + (self.error or "")


class StoreFailed(Exception):
    """The release storage refused a new revision (`error` is the driver's wrapped message)."""

    def __init__(self, error: str) -> None:
        super().__init__(error)
        self.error = error


class UpdateFailed(Exception):
    """One target of KubeClient.Update failed to update; Update collects these and reports them
    together (joined with " && ") after the last target."""

    def __init__(self, error: str) -> None:
        super().__init__(error)
        self.error = error


class StepFailed(Exception):
    """A step failed: `error` is what Helm reports in place of the plan's placeholder."""

    def __init__(self, error: str) -> None:
        super().__init__(error)
        self.error = error


@dataclass
class ObjectIndex:
    """Object bodies for the plan's steps, from the rendering (or stored revision) it was made of."""

    by_template: dict[tuple[str, str, str], Document] = field(default_factory=dict)
    by_ref: dict[tuple[str, str], Document] = field(default_factory=dict)

    @classmethod
    def of(cls, *classified: Classified) -> ObjectIndex:
        index = cls()
        for c in classified:
            # a list's items are objects of their own (the plan names them, see list_items)
            items = [item for doc in c.resources for item in list_items(doc) if item is not doc]
            for doc in [h.doc for h in c.hooks] + c.resources + items + c.crds:
                if not isinstance(doc.body, dict) or not doc.body:
                    continue
                index.by_template.setdefault((doc.path, doc.kind, doc.name), doc)
                index.by_ref.setdefault((doc.kind, doc.name), doc)
        return index

    def find(self, step: Step) -> Document | None:
        obj = step.object
        if obj is None:
            return None
        template = step.source.template if step.source is not None else None
        if template is not None and (template, obj.kind, obj.name) in self.by_template:
            return self.by_template[(template, obj.kind, obj.name)]
        return self.by_ref.get((obj.kind, obj.name))


@dataclass
class ReleaseInputs:
    """What goes into a new release revision (install/upgrade) besides the plan."""

    chart: dict[str, Any] | None = None
    config: dict[str, Any] = field(default_factory=dict)
    notes: str = ""  # the chart's rendered templates/NOTES.txt (Release.Info.Notes)
    description: str | None = None  # --description: replaces "Install complete" etc. on success


@dataclass
class UpdateOptions:
    """Helm's flags for how objects are written: `--force-conflicts` (v4: apply with force=true),
    `--force-replace` (v3 `--force`: PUT the whole object instead of patching it) and
    `--create-namespace` (install: create the release namespace first)."""

    force_conflicts: bool = False
    force_replace: bool = False
    create_namespace: bool = False


class Executor:
    def __init__(
        self,
        plan: Plan,
        backend: Backend,
        journal: Journal,
        *,
        objects: ObjectIndex,
        rendering: Classified | None = None,
        inputs: ReleaseInputs | None = None,
        target: ReleaseRecord | None = None,
        update: UpdateOptions | None = None,
    ) -> None:
        self.plan = plan
        self.update = update or UpdateOptions()
        self.backend = backend
        self.journal = journal
        self.objects = objects
        self.rendering = rendering
        self.inputs = inputs or ReleaseInputs()
        self.target = target  # rollback: the revision rolled back to
        self.name = str(plan.release.get("name", "release-name"))
        self.namespace = str(plan.release.get("namespace", "default"))
        self.v4 = str(plan.helm_version) == "4"
        self.timeout = go_duration_seconds(plan.options.get("timeout", "5m0s"))
        self.store = ReleaseStore(backend, self.name, self.namespace)
        self.record: ReleaseRecord | None = None
        self.previous: ReleaseRecord | None = None  # upgrade: the deployed revision
        self.history: list[ReleaseRecord] = []
        self.adopted: set[tuple[str, str]] = set()
        self._hook_uses: dict[tuple[str, str, str | None], int] = {}
        self._running_hooks: dict[tuple[str, str], HookRecord] = {}
        self._skipped_tests: list[HookRecord] | None = None
        self._update_errors: list[str] = []
        # upgrade/rollback: the objects of the release being replaced (Update's `original`)
        self.originals: dict[tuple[str, str, str, str], dict[str, Any]] = {}
        self.skipped_crd_files: set[str] = set()
        self.kept: list[str] = []
        self.logs: list[tuple[str, str]] = []
        self._step_label: str | None = None
        self._phase = "prepare"

    # -- journal helpers -------------------------------------------------------------------------

    def _log(self, op: str, obj: ObjectRef | None, outcome: str, detail: str | None = None) -> None:
        self.journal.record(self.backend.now(), self._step_label, self._phase, op, obj, outcome, detail)

    # -- entry point -----------------------------------------------------------------------------

    def run(self) -> ApplyResult:
        try:
            early = self._prepare_storing()
            result = early if early is not None else self._walk()
        except KeyboardInterrupt:
            result = self._interrupted()
        result.logs = list(self.logs)
        result.record = self.record
        return result

    def _walk(self) -> ApplyResult:
        ok, failed_step, error = self._run_sequence([s for s in self.plan.steps if s.phase != "crds"], "")
        if not ok:
            assert failed_step is not None
            return self._fail(failed_step, error)
        self._step_label = None
        return self._succeed()

    def _run_crds(self) -> tuple[bool, Step | None, str]:
        """install: crds/ are created before anything is rendered or stored."""
        return self._run_sequence([s for s in self.plan.steps if s.phase == "crds"], "")

    def _run_sequence(
        self, steps: list[Step], label: str, cleanup: bool = False
    ) -> tuple[bool, Step | None, str]:
        """Perform steps in order. Steps that belong to an uninstall (the uninstall event, or the
        `--atomic` branch of a failed install) keep Uninstall.Run's bookkeeping: the release is
        `uninstalling`, and it is stored once the pre-delete hooks have run."""
        in_uninstall = self.plan.event == "uninstall" and not cleanup
        stored = False
        for i, step in enumerate(steps):
            self._step_label = f"{label}{step.index if not label else i}"
            if not in_uninstall and _is_uninstall_step(step) and self.record is not None:
                in_uninstall = True
                self.record.status = "uninstalling"
                self.record.deleted = self.backend.now()
                self.record.description = "Deletion in progress (or silently failed)"
            if in_uninstall and not stored and step.phase != "pre-delete":
                self._store("update")
                stored = True
            self._phase = step.phase or self._phase
            try:
                self._perform(step)
            except StepFailed as failed:
                if cleanup:  # errors of a failure branch are only logged; keep going
                    self._log(step.action, step.object, "failed (cleanup)", failed.error)
                    continue
                return False, step, failed.error
        if in_uninstall and not stored:
            self._store("update")
        return True, None, ""

    # -- before the first step: Helm's checks and the pending record ----------------------------

    def _prepare(self) -> ApplyResult | None:
        event = self.plan.event
        self.history = self.store.history()
        last = self.history[-1] if self.history else None
        now = self.backend.now()
        if event == "install":
            # availableName: a used name is refused unless --replace and the last revision is
            # uninstalled or failed
            replaces = bool(self.plan.options.get("replace")) and last is not None
            if last is not None and not (replaces and last.status in ("uninstalled", "failed")):
                return self._refuse("cannot re-use a name that is still in use")
            ok, failed_step, error = self._run_crds()
            if not ok:
                assert failed_step is not None
                self._log(failed_step.action, failed_step.object, "step failed", error)
                return self._refuse(error)
            self._phase = "prepare"
            bad = self._resource_build_error()
            if bad is not None:
                return self._refuse(f"unable to build kubernetes objects from release manifest: {bad}")
            conflict = self._ownership_check(self._apply_steps(), "install")
            if conflict is not None:
                return self._refuse(conflict)
            if self.update.create_namespace:
                failed = self._create_namespace()
                if failed is not None:
                    return self._refuse(failed)
            version = 1
            if replaces and last is not None:  # replaceRelease
                version = last.version + 1
                if last.status != "failed":
                    last.status, last.description = "superseded", "superseded by new release"
                    self._store("update", last)
            self.record = self._new_record(version, "pending-install", "Initial install underway", now)
            self._store("create")
        elif event == "upgrade":
            if last is None:
                return self._refuse(f'"{self.name}" has no deployed releases')
            if last.status in PENDING:
                return self._refuse("another operation (install/upgrade/rollback) is in progress")
            deployed = [r for r in self.history if r.status == "deployed"]
            if deployed:
                self.previous = deployed[-1]
            elif last.status in ("failed", "superseded"):
                self.previous = last
            else:
                return self._refuse(f'"{self.name}" has no deployed releases')
            bad = self._resource_build_error()
            if bad is not None:
                return self._refuse(f"unable to build kubernetes objects from new release manifest: {bad}")
            current = {(d.kind, d.name) for d in self.previous.classified().resources}
            new = [
                s
                for s in self._apply_steps()
                if s.object is not None and (s.object.kind, s.object.name) not in current
            ]
            conflict = self._ownership_check(new, "update")
            if conflict is not None:
                return self._refuse(conflict)
            self.originals = self._objects_of(self.previous)
            self.record = self._new_record(last.version + 1, "pending-upgrade", "Preparing upgrade", now)
            self.record.first_deployed = self.previous.first_deployed
            self._store("create")
        elif event == "rollback":
            if last is None:
                return self._refuse(f'release: not found "{self.name}"')
            if last.status in PENDING:
                return self._refuse("another operation (install/upgrade/rollback) is in progress")
            target = self.target or (self.history[-2] if len(self.history) > 1 else None)
            if target is None:
                return self._refuse(f"release has no {last.version - 1} version")
            self.originals = self._objects_of(last)  # Rollback: Update(current manifest, target)
            self.record = ReleaseRecord(
                name=self.name,
                namespace=self.namespace,
                version=last.version + 1,
                status="pending-rollback",
                description=f"Rollback to {target.version}",
                first_deployed=last.first_deployed,
                last_deployed=now,
                chart=target.chart,
                config=dict(target.config),
                manifest=target.manifest,
                hooks=[HookRecord.from_json(h.to_json()) for h in target.hooks],
                labels=dict(target.labels),
                notes=target.notes,
                apply_method=self._apply_method(),
            )
            self._store("create")
        elif event == "uninstall":
            if last is None:
                return self._refuse(f"uninstall: Release not loaded: {self.name}: release: not found")
            if last.status == "uninstalled":
                return self._refuse(f'the release named "{self.name}" is already deleted')
            self.record = last
            last.status = "uninstalling"
            last.deleted = now
            last.description = "Deletion in progress (or silently failed)"
        else:  # test
            if last is None:
                return self._refuse(f'release: not found "{self.name}"')
            self.record = last
            self._select_tests()
        return None

    def _create_namespace(self) -> str | None:
        """Install.RunWithContext with --create-namespace: the release namespace (label `name`),
        created after the ownership checks; one that exists already is fine."""
        body = {
            "apiVersion": "v1",
            "kind": "Namespace",
            "metadata": {"name": self.namespace, "labels": {"name": self.namespace}},
        }
        ref = ObjectRef("v1", "Namespace", self.namespace, None)
        try:
            if self.v4 and self.plan.options.get("server_side_apply", True):
                self.backend.apply(body, field_manager=HELM_FIELD_MANAGER)
            else:
                self.backend.create(body, field_manager=HELM_FIELD_MANAGER)
        except AlreadyExists:
            self._log("create", ref, "already exists", "--create-namespace")
            return None
        except BackendError as e:
            self._log("create", ref, "failed", e.message)
            return e.message
        self._log("create", ref, "created", "--create-namespace")
        return None

    def _objects_of(self, record: ReleaseRecord) -> dict[tuple[str, str, str, str], dict[str, Any]]:
        """The objects of a stored manifest as KubeClient.Build decodes them (the namespace
        defaulted to the release's for namespaced kinds), by ResourceList identity."""
        from hooklint.plan.context import CLUSTER_SCOPED_KINDS

        out: dict[tuple[str, str, str, str], dict[str, Any]] = {}
        docs = record.classified(3 if not self.v4 else 4).resources
        for doc in [item for d in docs for item in list_items(d)]:
            if not isinstance(doc.body, dict) or not doc.body:
                continue
            body = _jsonable(doc.body)
            meta = body.get("metadata")
            if not isinstance(meta, dict):
                continue
            kind = str(body.get("kind", ""))
            if kind not in CLUSTER_SCOPED_KINDS:
                meta["namespace"] = meta.get("namespace") or self.namespace
            ref = ObjectRef(
                str(body.get("apiVersion", "")), kind, str(meta.get("name", "")), meta.get("namespace")
            )
            out.setdefault(_identity(ref), body)
        return out

    def _prepare_storing(self) -> ApplyResult | None:
        """_prepare; a release record the storage driver cannot create ends the command with the
        Secrets driver's wording (`create: failed to create: namespaces "x" not found`)."""
        try:
            return self._prepare()
        except StoreFailed as e:
            self.record = None
            return self._refuse(e.error)

    def _new_record(self, version: int, status: str, description: str, now: Any) -> ReleaseRecord:
        rendering = self.rendering or Classified()
        return ReleaseRecord(
            name=self.name,
            namespace=self.namespace,
            version=version,
            status=status,
            description=description,
            first_deployed=now,
            last_deployed=now,
            chart=self.inputs.chart,
            config=dict(self.inputs.config),
            manifest=assemble_manifest(rendering.resources),
            hooks=[HookRecord.from_hook(h) for h in rendering.hooks],
            notes=self.inputs.notes,
            apply_method=self._apply_method(),
        )

    def _apply_method(self) -> str | None:
        """v4 records how the release was applied (determineReleaseSSApplyMethod); v3 does not."""
        if not self.v4:
            return None
        return "ssa" if self.plan.options.get("server_side_apply", True) else "csa"

    def _refuse(self, error: str) -> ApplyResult:
        self._log("check", None, "failed", error)
        return ApplyResult(
            False, self.plan.event, self.name, None, self.history[-1].status if self.history else None, error
        )

    def _apply_steps(self) -> list[Step]:
        return [s for s in self.plan.steps if s.action == "apply"]

    def _resource_build_error(self) -> str | None:
        for step in self._apply_steps():
            doc = self.objects.find(step)
            if doc is not None:
                bad = build_error(doc)
                if bad is not None:
                    return bad
        return None

    def _ownership_check(self, steps: list[Step], verb: str) -> str | None:
        """validate.go existingResourceConflict: an existing object must carry this release's
        ownership label and annotations; owned ones are adopted (updated instead of created)."""
        for step in steps:
            ref = step.object
            if ref is None:
                continue
            try:
                live = self.backend.get(ref)
            except NotFound:
                self._log("get", ref, "not found", "ownership check")
                continue
            except BackendError as e:
                return f'unable to continue with {verb}: could not get information about the resource {ref.kind} "{ref.name}": {e.message}'
            self._log("get", ref, "exists", "ownership check")
            if self.plan.options.get("take_ownership"):  # requireAdoption: adopt whatever owns it
                self.adopted.add((ref.kind, ref.name))
                continue
            problems = _ownership_problems(live, self.name, self.namespace)
            if problems:
                where = f' in namespace "{ref.namespace}"' if ref.namespace else ""
                head = "unable" if self.v4 else "Unable"
                return (
                    f'{head} to continue with {verb}: {ref.kind} "{ref.name}"{where} exists and cannot be imported '
                    f"into the current release: invalid ownership metadata; {'; '.join(problems)}"
                )
            self.adopted.add((ref.kind, ref.name))
        return None

    # -- release bookkeeping ---------------------------------------------------------------------

    def _store(self, how: str, record: ReleaseRecord | None = None) -> None:
        record = record or self.record
        assert record is not None
        saved_step = self._step_label
        if how == "create":
            try:
                self.store.create(record)
            except BackendError as e:
                if isinstance(e, Unreachable):
                    raise
                self.journal.record(
                    self.backend.now(), saved_step, self._phase, "store-create", None, "failed", e.message
                )
                raise StoreFailed(f"create: failed to create: {e.message}") from None
        elif how == "delete":
            self.store.delete(record)
        else:
            self.store.update(record)
        self.journal.record(
            self.backend.now(),
            saved_step,
            self._phase,
            f"store-{how}",
            None,
            record.status,
            f"{record.name} v{record.version}",
        )

    def _hook_record(self, step: Step) -> HookRecord | None:
        """The release's record of the hook this step runs. Hooks that share kind and name (and
        template) are told apart by execution order: execHook runs an event's hooks sorted stably
        by weight, so the n-th creation of such a hook is the n-th of its records in that order;
        its watch belongs to the record its creation took."""
        if self.record is None or step.object is None:
            return None
        key = (step.object.kind, step.object.name)
        if step.action != "create-hook":
            if key in self._running_hooks:
                return self._running_hooks[key]
            matches = self._matching_hooks(step)
            return matches[0] if matches else None
        candidates = self._matching_hooks(step)
        if not candidates:
            return None
        use = (key[0], key[1], step.hook_event)
        uses = self._hook_uses.get(use, 0)
        self._hook_uses[use] = uses + 1
        record = candidates[min(uses, len(candidates) - 1)]
        self._running_hooks[key] = record
        return record

    def _matching_hooks(self, step: Step) -> list[HookRecord]:
        assert self.record is not None and step.object is not None
        template = step.source.template if step.source is not None else None
        same = [
            h
            for h in self.record.hooks
            if h.kind == step.object.kind
            and h.name == step.object.name
            and (template is None or h.path == template)
        ]
        running = [h for h in same if step.hook_event in h.events] or same
        return sorted(running, key=lambda h: h.weight)  # sorted() is stable, like sort.Stable

    def _select_tests(self) -> None:
        """release_testing.go Run with --filter: the release keeps only the executing hooks while
        they run; the skipped ones (of any kind) go back in front when it is stored at the end."""
        filters = [str(f) for f in self.plan.options.get("filter") or []]
        if self.record is None or not filters:
            return
        include = [f[len("name=") :] for f in filters if f.startswith("name=")]
        exclude = [re.sub(r"^!\s?name=", "", f, count=1) for f in filters if re.match(r"^!\s?name=", f)]
        skipped: list[HookRecord] = []
        executing: list[HookRecord] = []
        if exclude:
            for h in self.record.hooks:
                (skipped if h.name in exclude else executing).append(h)
            self.record.hooks = executing
        if include:
            executing = []
            for h in self.record.hooks:
                (executing if h.name in include else skipped).append(h)
            self.record.hooks = executing
        self._skipped_tests = skipped

    def _restore_skipped_tests(self) -> None:
        if self.record is not None and self._skipped_tests is not None:
            self.record.hooks = self._skipped_tests + self.record.hooks  # append(skipped, rel.Hooks...)
            self._skipped_tests = None

    # -- steps -----------------------------------------------------------------------------------

    def _perform(self, step: Step) -> None:
        self.journal.started(step.phase, step.action, step.object)
        if step.fails is not None:  # the kube builder rejects the manifest before any API call
            self._log(step.action, step.object, "failed", step.fails)
            raise StepFailed(step.fails)
        handler: dict[str, Callable[[Step], None]] = {
            "install-crd": self._install_crd,
            "delete-hook": self._delete_hook,
            "create-hook": self._create_hook,
            "wait-hook": self._wait_hook,
            "apply": self._apply,
            "wait": self._wait_resource,
            "delete": self._delete_resource,
            "keep": self._keep,
            "logs": self._logs,
        }
        perform = handler.get(step.action)
        if perform is None:  # a hand-edited or newer plan file
            self._log(step.action, step.object, "failed", "unknown plan action")
            raise StepFailed(f"hooklint cannot execute the plan action {step.action!r}")
        perform(step)

    def _body(self, step: Step) -> dict[str, Any]:
        doc = self.objects.find(step)
        if doc is None:
            assert step.object is not None
            raise StepFailed(
                f"the plan names {step.object.kind} {step.object.name}, which is not in the rendered chart"
            )
        body = _jsonable(doc.body)
        if step.object is not None and step.object.namespace and step.object.kind != "Namespace":
            if not isinstance(body.get("metadata"), dict):  # `metadata: null`: Helm's client sets a map
                body["metadata"] = {}
            body["metadata"]["namespace"] = step.object.namespace
        return body

    def _install_crd(self, step: Step) -> None:
        template = step.source.template if step.source is not None else ""
        if template in self.skipped_crd_files:
            self._log("create", step.object, "skipped", "an earlier object of this file already exists")
            return
        try:
            if self.v4 and self.plan.options.get("server_side_apply", True):
                # v4 installCRDs: Create with server-side apply, so an existing CRD is applied too
                self.backend.apply(
                    self._body(step), field_manager=HELM_FIELD_MANAGER, force=self.update.force_conflicts
                )
            else:
                self.backend.create(self._body(step), field_manager=HELM_FIELD_MANAGER)
        except AlreadyExists as e:
            self.skipped_crd_files.add(template or "")
            self._log(
                "create", step.object, "already exists", f"CRD is already present. Skipping. ({e.message})"
            )
            return
        except BackendError as e:
            self._log("create", step.object, "failed", e.message)
            raise StepFailed(f"failed to install CRD {template}: {e.message}") from None
        self._log("create", step.object, "created")

    def _delete(self, ref: ObjectRef, *, wait: bool, what: str) -> None:
        try:
            self.backend.delete(ref, propagation="Background")
            self._log("delete", ref, "deleted", what)
        except NotFound:
            self._log("delete", ref, "not found", what)
        if wait:
            try:
                self.backend.wait_deleted(ref, self.timeout)
                self._log("wait-deleted", ref, "gone")
            except Timeout as e:
                self._log("wait-deleted", ref, "timeout", e.message)
                raise StepFailed(self._multi(e.message)) from None

    def _delete_hook(self, step: Step) -> None:
        assert step.object is not None
        try:
            self._delete(step.object, wait=bool(step.wait_for_deletion), what=step.reason or "")
        except BackendError as e:
            self._log("delete", step.object, "failed", e.message)
            raise StepFailed(e.message) from None

    def _create_hook(self, step: Step) -> None:
        assert step.object is not None
        record = self._hook_record(step)
        body = self._body(step)
        now = self.backend.now()
        if record is not None:
            if not record.delete_policies:
                record.delete_policies = ["before-hook-creation"]
            record.started_at, record.completed_at, record.phase = now, None, "Running"
        self._store("update")  # execHook records the release before each hook's creation
        if record is not None:
            record.phase = "Unknown"
        try:
            if step.method == "server-side-apply":
                self.backend.apply(body, field_manager=HELM_FIELD_MANAGER)
                self._log("apply", step.object, "applied", f"hook {step.hook_event}")
            else:
                self.backend.create(body, field_manager=HELM_FIELD_MANAGER)
                self._log("create", step.object, "created", f"hook {step.hook_event}")
        except BackendError as e:
            if record is not None:
                record.completed_at, record.phase = self.backend.now(), "Failed"
            self._log(
                "create" if step.method != "server-side-apply" else "apply", step.object, "failed", e.message
            )
            raise StepFailed(self._create_error(step, e)) from None
        if record is not None and not self._waits_next(step):
            record.completed_at, record.phase = self.backend.now(), "Succeeded"

    def _waits_next(self, step: Step) -> bool:
        steps = self.plan.steps
        i = steps.index(step) if step in steps else -1
        return (
            0 <= i < len(steps) - 1
            and steps[i + 1].action == "wait-hook"
            and steps[i + 1].object == step.object
        )

    def _multi(self, message: str) -> str:
        """v3 wraps kube client errors with hashicorp/go-multierror; v4 uses errors.Join."""
        return message if self.v4 else f"1 error occurred:\n\t* {message}\n\n"

    def _wait_hook(self, step: Step) -> None:
        ref = step.object
        assert ref is not None
        record = self._hook_record(step)
        ready_when = step.ready_when or ""
        try:
            if ready_when.startswith("fails"):
                kind = "*batch.Job" if ref.kind == "Job" else "*v1.Pod"
                self._watch_first(ref)
                raise StepFailed(
                    self._multi(f"expected {ref.name} to be a {kind}, got *unstructured.Unstructured")
                )
            if ready_when.startswith("ready as soon"):
                self._log("watch", ref, "ready", "no readiness rule for this kind: ready once it exists")
            else:
                self._watch_hook(ref)
        except StepFailed:
            if record is not None:
                record.completed_at, record.phase = self.backend.now(), "Failed"
            raise
        if record is not None:
            record.completed_at, record.phase = self.backend.now(), "Succeeded"

    def _watch_first(self, ref: ObjectRef) -> None:
        """Open the watch and read the first event (watchUntilReady fails on it for custom kinds)."""
        try:
            for _event in self.backend.watch(ref, self.timeout):
                break
        except BackendError:
            pass
        self._log("watch", ref, "failed", "a custom kind named like a Job/Pod fails Helm's type assertion")

    def _watch_hook(self, ref: ObjectRef) -> None:
        timeout = self.timeout
        if self.v4 and timeout is None:
            timeout = 30.0  # kstatus DefaultStatusWatcherTimeout
        present = False  # kstatus: an object that is not there (yet, or any more) is NotFound
        try:
            for event in self.backend.watch(ref, timeout):
                present = event.type != "DELETED"
                verdict = self._hook_verdict(ref, event)
                if verdict is None:
                    continue
                ok, message = verdict
                self._log("watch", ref, "succeeded" if ok else "failed", message or None)
                if not ok:
                    raise StepFailed(message)
                return
        except Timeout as e:
            self._log("watch", ref, "timeout", e.message)
            if self.v4:
                status, message = _kstatus_in_progress(ref) if present else ("NotFound", "Resource not found")
                raise StepFailed(
                    f"resource {ref.kind}/{ref.namespace}/{ref.name} not ready. status: {status}, message: {message}\n"
                    "context deadline exceeded"
                ) from None
            raise StepFailed(self._multi(e.message)) from None
        except BackendError as e:
            self._log("watch", ref, "failed", e.message)
            raise StepFailed(self._multi(e.message)) from None

    def _hook_verdict(self, ref: ObjectRef, event: WatchEvent) -> tuple[bool, str] | None:
        """v3 watchUntilReady / v4 kstatus readers: (succeeded, error) or None to keep waiting."""
        if event.type == "DELETED":
            # v3 watchUntilReady: a Deleted event counts as success. v4 kstatus: the object is
            # NotFound, which is not Current: keep waiting (the timeout reports it).
            return None if self.v4 else (True, "")
        if event.type == "ERROR":
            return False, self._multi(f"failed to deploy {ref.name}")
        status = event.object.get("status") or {}
        if ref.kind == "Job":
            for cond in status.get("conditions") or []:
                if cond.get("status") != "True":
                    continue
                if cond.get("type") == "Complete":
                    return True, ""
                if cond.get("type") == "Failed":
                    if self.v4:
                        # internal/statusreaders jobConditions: completions default to parallelism
                        spec = event.object.get("spec") or {}
                        failed = status.get("failed", 0)
                        completions = spec.get("completions", spec.get("parallelism", 1))
                        return False, (
                            f"resource Job/{ref.namespace}/{ref.name} not ready. status: Failed, "
                            f"message: Job Failed. failed: {failed}/{completions}"
                        )
                    return False, self._multi(f"job {ref.name} failed: {cond.get('reason', '')}")
            return None
        phase = status.get("phase")
        if phase == "Succeeded":
            return True, ""
        if phase == "Failed":
            if self.v4:
                return (
                    False,
                    f"resource Pod/{ref.namespace}/{ref.name} not ready. status: Failed, message: pod {ref.name} failed",
                )
            return False, self._multi(f"pod {ref.name} failed")
        return None

    def _with_ownership(self, body: dict[str, Any]) -> dict[str, Any]:
        """setMetadataVisitor: ordinary resources carry Helm's ownership label and annotations."""
        meta = body.get("metadata")
        if not isinstance(meta, dict):  # `metadata: null`: unstructured's setters make a map
            meta = body["metadata"] = {}
        labels: dict[str, Any] = meta["labels"] if isinstance(meta.get("labels"), dict) else {}
        labels[MANAGED_BY_LABEL] = "Helm"
        meta["labels"] = labels
        ann: dict[str, Any] = meta["annotations"] if isinstance(meta.get("annotations"), dict) else {}
        ann[RELEASE_NAME_ANNOTATION] = self.name
        ann[RELEASE_NAMESPACE_ANNOTATION] = self.namespace
        meta["annotations"] = ann
        return body

    def _apply(self, step: Step) -> None:
        ref = step.object
        assert ref is not None
        body = self._with_ownership(self._body(step))
        try:
            if step.method == "server-side-apply":
                self._server_side_apply(step, body)
            elif (
                step.method == "create"
                and self.plan.event == "install"
                and (ref.kind, ref.name) not in self.adopted
            ):
                self.backend.create(body, field_manager=HELM_FIELD_MANAGER)
                self._log("create", ref, "created")
            else:
                self._client_side_update(step, body)
        except UpdateFailed as e:  # Update goes on with the next target, and reports them all
            self._update_errors.append(e.error)
        except BackendError as e:
            self._log("apply", ref, "failed", e.message)
            raise StepFailed(self._create_error(step, e)) from None
        if self._update_errors and self._ends_update(step):
            errors, self._update_errors = self._update_errors, []
            raise StepFailed(" && ".join(errors))

    def _ends_update(self, step: Step) -> bool:
        """The last target of KubeClient.Update: the next plan step applies nothing."""
        steps = self.plan.steps
        i = next((n for n, s in enumerate(steps) if s is step), -1)
        return i < 0 or i + 1 >= len(steps) or steps[i + 1].action != "apply"

    def _server_side_apply(self, step: Step, body: dict[str, Any]) -> None:
        """Helm 4 creates and updates with server-side apply (patchResourceServerSide); Update
        still GETs each target first, and a create counts as one (res.Created)."""
        ref = step.object
        assert ref is not None
        if self.update.force_replace and self.plan.event != "install":
            raise StepFailed("invalid operation: cannot use server-side apply and force replace together")
        if self.plan.event != "install" or (ref.kind, ref.name) in self.adopted:
            try:
                live = self.backend.get(ref)
            except NotFound:
                try:  # Update's createApplyFunc
                    self.backend.apply(body, field_manager=HELM_FIELD_MANAGER, force=self._force_conflicts())
                except BackendError as e:
                    self._log("apply", ref, "failed", e.message)
                    raise StepFailed(f"failed to create resource: {self._create_error(step, e)}") from None
                self._log("apply", ref, "applied")
                return
            try:
                if self._upgrades_csa_manager() and _identity(ref) in self.originals:
                    self._upgrade_csa_manager(ref, live)
                self.backend.apply(body, field_manager=HELM_FIELD_MANAGER, force=self._force_conflicts())
            except StepFailed as e:
                raise UpdateFailed(e.error) from None
            except BackendError as e:
                self._log("apply", ref, "failed", e.message)
                raise UpdateFailed(self._create_error(step, e)) from None
            self._log("apply", ref, "applied")
            return
        self.backend.apply(body, field_manager=HELM_FIELD_MANAGER, force=self._force_conflicts())
        self._log("apply", ref, "applied")

    def _upgrades_csa_manager(self) -> bool:
        """ClientUpdateOptionUpgradeClientSideFieldManager: an upgrade from a release applied
        client-side (Helm 3, or v4 `csa`) to server-side apply, and every server-side rollback."""
        if self.plan.event == "rollback":
            return True
        if self.plan.event != "upgrade" or self.previous is None:
            return False
        return (self.previous.apply_method or "csa") == "csa"

    def _upgrade_csa_manager(self, ref: ObjectRef, live: dict[str, Any]) -> None:
        """csaupgrade.UpgradeManagedFieldsPatch: helm's client-side (Update) field ownership
        becomes its server-side (Apply) ownership, so the apply that follows does not conflict
        with helm's own earlier writes. Sent as a JSON patch guarded by the resourceVersion."""
        meta = live.get("metadata") or {}
        entries = [dict(e) for e in meta.get("managedFields") or [] if isinstance(e, dict)]
        upgraded = upgraded_managed_fields(entries, HELM_FIELD_MANAGER, HELM_FIELD_MANAGER)
        if upgraded == entries:
            return
        patch = [
            {"op": "replace", "path": "/metadata/managedFields", "value": upgraded},
            {"op": "replace", "path": "/metadata/resourceVersion", "value": meta.get("resourceVersion", "")},
        ]
        try:
            self._patch(ref, patch, JSON_PATCH)
        except BackendError as e:
            raise StepFailed(
                f"failed to patch object to upgrade CSA field manager {ref.namespace or ''}/{ref.name} "
                f"{_gvk(ref)}: {e.message}"
            ) from None
        self._log("patch", ref, "upgraded", "client-side field management now server-side apply")

    def _force_conflicts(self) -> bool:
        return self.update.force_conflicts

    def _client_side_update(self, step: Step, body: dict[str, Any]) -> None:
        """KubeClient.Update for one target (Helm 3, Helm 4 client-side): create it when the API
        does not have it, else patch it from the previous manifest's object (updateResource)."""
        ref = step.object
        assert ref is not None
        try:
            live = self.backend.get(ref)
        except NotFound:
            try:
                self.backend.create(body, field_manager=HELM_FIELD_MANAGER)
            except BackendError as e:
                self._log("create", ref, "failed", e.message)
                raise StepFailed(f"failed to create resource: {e.message}") from None
            self._log("create", ref, "created")
            return
        original = self.originals.get(_identity(ref))
        if original is None and (ref.kind, ref.name) in self.adopted:
            # existingResourceConflict/requireAdoption return the *target* infos, which become
            # Update's originals: the patch brings the live object to the target, deleting nothing
            original = body
        if original is None:
            what = (
                "original object {} with the name {!r} not found"
                if self.v4
                else "no {} with the name {!r} found"
            )
            raise StepFailed(what.format(ref.kind, ref.name).replace("'", '"'))
        if self.update.force_replace:
            self._replace(ref, body, live)
            return
        if is_builtin(ref.api_version):
            patch, patch_type = three_way_strategic(_jsonable(original), body, live, ref.kind), STRATEGIC
        else:
            patch, patch_type = two_way_merge(_jsonable(original), body), MERGE
        if not patch:
            # `Looks like there are no changes`: no request (only built-in kinds get here, the
            # merge patch of a custom resource always carries the ownership metadata)
            self._log("apply", ref, "unchanged")
            return
        try:
            self._patch(ref, patch, patch_type)
        except BackendError as e:
            self._log("apply", ref, "failed", e.message)
            raise UpdateFailed(f'cannot patch "{ref.name}" with kind {ref.kind}: {e.message}') from None
        self._log("apply", ref, "patched", patch_type)

    def _patch(self, ref: ObjectRef, patch: Any, patch_type: str) -> None:
        send = getattr(self.backend, "patch", None)
        if send is not None:
            send(ref, patch, patch_type, field_manager=HELM_FIELD_MANAGER)
            return
        # a third-party backend without patch: apply the patch here and replace the object
        live = self.backend.get(ref)
        if patch_type == JSON_PATCH:  # only csaupgrade's replaces of metadata fields
            merged = dict(live, metadata=dict(live.get("metadata") or {}))
            for op in patch:
                merged["metadata"][str(op["path"]).rsplit("/", 1)[-1]] = op["value"]
        elif patch_type == STRATEGIC:
            merged = apply_strategic(live, patch, ref.kind)
        else:
            merged = apply_merge_patch(live, patch)
        self.backend.update(merged, field_manager=HELM_FIELD_MANAGER)

    def _replace(self, ref: ObjectRef, body: dict[str, Any], live: dict[str, Any]) -> None:
        """helper.Replace(overwrite=true): PUT the new object with the live resourceVersion."""
        version = (live.get("metadata") or {}).get("resourceVersion")
        if version:
            body.setdefault("metadata", {})["resourceVersion"] = version
        try:
            self.backend.update(
                body, field_manager=HELM_FIELD_MANAGER, field_validation="Strict" if self.v4 else None
            )
        except BackendError as e:
            self._log("apply", ref, "failed", e.message)
            raise UpdateFailed(f"failed to replace object: {e.message}") from None
        self._log("apply", ref, "replaced")

    def _create_error(self, step: Step, error: BackendError) -> str:
        """How Helm reports a failed create/apply. v4's patchResourceServerSide wraps the API
        error with the object's namespace/name and GroupVersionKind.String()."""
        ref = step.object
        if not (self.v4 and step.method == "server-side-apply" and ref is not None):
            return self._multi(error.message)
        group, _, version = ref.api_version.rpartition("/")
        gvk = f"{group}/{version}, Kind={ref.kind}"
        namespace = self._body_namespace(step)
        what = (
            "conflict occurred while applying"
            if isinstance(error, Conflict)
            else "server-side apply failed for"
        )
        return f"{what} object {namespace}/{ref.name} {gvk}: {error.message}"

    def _body_namespace(self, step: Step) -> str:
        from hooklint.plan.context import CLUSTER_SCOPED_KINDS

        ref = step.object
        if ref is None or ref.kind in CLUSTER_SCOPED_KINDS:
            return ""
        return ref.namespace or self.namespace

    def _wait_resource(self, step: Step) -> None:
        """`--wait`: one object, or (`waits_for`) every object of a barrier Helm waits for
        together; the barrier is done when each one is ready, within one shared timeout."""
        targets = [t.object for t in getattr(step, "waits_for", None) or []]
        if step.object is not None:
            targets = [step.object]
        jobs = bool(self.plan.options.get("wait_for_jobs"))
        started = self.backend.now()
        for ref in targets:
            timeout = self.timeout
            if timeout is not None:
                timeout = max(timeout - (self.backend.now() - started).total_seconds(), 0.001)
            try:
                for event in self.backend.watch(ref, timeout):
                    if event.type == "DELETED":
                        continue
                    if _resource_ready(event.object, jobs):
                        self._log("wait", ref, "ready")
                        break
            except Timeout as e:
                self._log("wait", ref, "timeout", e.message)
                raise StepFailed("context deadline exceeded" if self.v4 else e.message) from None
            except BackendError as e:
                self._log("wait", ref, "failed", e.message)
                raise StepFailed(self._multi(e.message)) from None

    def _logs(self, step: Step) -> None:
        """`helm test --logs` (GetPodLogs): the logs of the Pod named like the test hook; a
        missing Pod ends the command with `unable to get pod logs for <name>: ...`."""
        ref = step.object
        assert ref is not None
        read = getattr(self.backend, "pod_logs", None)  # optional in the Backend protocol
        if read is None:
            message = (
                f"unable to get pod logs for {ref.name}: the {self.backend.name} backend cannot read logs"
            )
            self._log("logs", ref, "failed", message)
            raise StepFailed(message)
        try:
            text = str(read(ref))
        except NotFound as e:
            self._log("logs", ref, "not found", e.message)
            raise StepFailed(f"unable to get pod logs for {ref.name}: {e.message}") from None
        except BackendError as e:
            self._log("logs", ref, "failed", e.message)
            raise StepFailed(f"unable to get pod logs for {ref.name}: {e.message}") from None
        self.logs.append((ref.name, text))
        self._log("logs", ref, "read", f"{len(text.splitlines())} line(s)")

    def _delete_resource(self, step: Step) -> None:
        ref = step.object
        assert ref is not None
        left_chart = bool(step.note and "left the chart" in step.note)
        if left_chart:  # Update's removal: the *live* object's policy must be exactly "keep"
            try:
                live = self.backend.get(ref)
            except NotFound:
                self._log("delete", ref, "not found")
                return
            ann = (live.get("metadata") or {}).get("annotations") or {}
            if ann.get(RESOURCE_POLICY_ANNOTATION) == "keep":
                self._log("keep", ref, "kept", 'live helm.sh/resource-policy is "keep"')
                return
            try:
                self._delete(ref, wait=bool(step.wait_for_deletion), what="left the chart")
            except (BackendError, StepFailed) as e:  # Helm only logs these
                self._log("delete", ref, "failed (ignored)", getattr(e, "message", None) or str(e))
            return
        try:
            self._delete(ref, wait=bool(step.wait_for_deletion), what="release resource")
        except BackendError as e:
            self._log("delete", ref, "failed", e.message)
            raise StepFailed(f"failed to delete release: {self.name}") from None

    def _keep(self, step: Step) -> None:
        ref = step.object
        assert ref is not None
        self._log("keep", ref, "kept", step.note)
        if step.note and "kept and reported" in step.note:
            self.kept.append(f"[{ref.kind}] {ref.name}")

    # -- endings ---------------------------------------------------------------------------------

    def _succeed(self) -> ApplyResult:
        event = self.plan.event
        record = self.record
        assert record is not None
        self._phase = "finish"
        now = self.backend.now()
        if event == "install":
            record.status, record.last_deployed = "deployed", now
            record.description = self.inputs.description or "Install complete"
            self._store("update")
        elif event == "upgrade":
            assert self.previous is not None
            self.previous.status = "superseded"  # upgrade.go: the status only, the description stays
            self._store("update", self.previous)
            record.status, record.last_deployed = "deployed", now
            record.description = self.inputs.description or "Upgrade complete"
            self._store("update")
        elif event == "rollback":
            for old in self.history:
                if old.status == "deployed":
                    old.status = "superseded"  # rollback.go: the status only
                    self._store("update", old)
            record.status, record.last_deployed = "deployed", now
            self._store("update")
        elif event == "uninstall":
            record.status = "uninstalled"
            record.description = self.inputs.description or "Uninstallation complete"
            if self.plan.options.get("keep_history") or self.plan.final_status == "uninstalled":
                self._store("update")
            else:
                self._purge()
                return ApplyResult(True, event, self.name, record.version, "purged", kept=self.kept)
        else:
            self._restore_skipped_tests()
            self._store("update")
        return ApplyResult(True, event, self.name, record.version, record.status, kept=self.kept)

    def _purge(self) -> None:
        for old in self.store.history():
            self._store("delete", old)

    def _fail(self, step: Step, error: str) -> ApplyResult:
        failure = step.failure or Failure("failed", error)
        if self.plan.event == "upgrade" and step.action == "apply" and self.previous is not None:
            # releasingUpgrade: a failed KubeClient.Update first records the original release again
            self._store("update", self.previous)
        message = PLACEHOLDER.sub(lambda _m: error, failure.error, count=1) if failure.error else error
        if failure.error and not PLACEHOLDER.search(failure.error) and step.fails is None:
            message = failure.error
        self._log(step.action, step.object, "step failed", message)
        self._run_sequence(step.on_failure or [], f"{step.index}.f", cleanup=True)
        self._step_label = None
        self._phase = "finish"
        return self._leave(failure.release_status, message)

    def _leave(self, status: str | None, message: str) -> ApplyResult:
        event = self.plan.event
        record = self.record
        assert record is not None
        if status is None:  # --atomic uninstall or post-delete errors: the history is purged
            self._purge()
            return ApplyResult(False, event, self.name, record.version, "purged", message, kept=self.kept)
        if status in ("pending-rollback", "uninstalling") and record.status == status:
            if event == "uninstall" and record.version and not self._stored_as(record, status):
                self._store("update")
            return ApplyResult(False, event, self.name, record.version, status, message, kept=self.kept)
        if event == "test":
            self._restore_skipped_tests()
            self._store("update")  # hooks' LastRun; tests never change the release status
            return ApplyResult(
                False, event, self.name, record.version, record.status, message, kept=self.kept
            )
        if event == "rollback" and status == "failed":
            for old in self.history:
                if old.version == record.version - 1 and old.status == "deployed":
                    old.status = "superseded"
                    self._store("update", old)
            record.description = message
        elif event == "upgrade":
            record.description = f'Upgrade "{self.name}" failed: {message}'
        else:
            record.description = f'Release "{self.name}" failed: {message}'
        record.status = status
        self._store("update")
        return ApplyResult(False, event, self.name, record.version, status, message, kept=self.kept)

    def _stored_as(self, record: ReleaseRecord, status: str) -> bool:
        for old in self.store.history():
            if old.version == record.version:
                return old.status == status
        return False

    def _interrupted(self) -> ApplyResult:
        """Ctrl-C: say so in the journal and leave a release status that says what happened."""
        message = "context canceled"
        self._log("interrupt", None, "interrupted", "the apply was interrupted (Ctrl-C)")
        record = self.record
        if record is None:
            return ApplyResult(False, self.plan.event, self.name, None, None, message, interrupted=True)
        if self.plan.event != "test":
            if self.plan.event == "uninstall":
                record.description = "Deletion interrupted (hooklint apply was cancelled)"
            else:
                record.status = "failed"
                record.description = f'Release "{self.name}" failed: {message}'
            try:
                self._store("update")
            except (BackendError, KeyboardInterrupt):
                pass
        return ApplyResult(
            False, self.plan.event, self.name, record.version, record.status, message, interrupted=True
        )


def _gvk(ref: ObjectRef) -> str:
    """schema.GroupVersionKind.String(): `apps/v1, Kind=Deployment`, `/v1, Kind=ConfigMap`."""
    group, _, version = ref.api_version.rpartition("/")
    return f"{group}/{version}, Kind={ref.kind}"


def upgraded_managed_fields(
    entries: list[dict[str, Any]], csa_manager: str, ssa_manager: str
) -> list[dict[str, Any]]:
    """client-go csaupgrade upgradedManagedFields: the first `ssa_manager` Apply entry (else the
    first `csa_manager` Update entry, turned into it) takes the union of its fields and the first
    `csa_manager` Update entry's; every `csa_manager` Update entry then goes."""

    def is_csa(e: dict[str, Any]) -> bool:
        return e.get("manager") == csa_manager and e.get("operation") == "Update" and not e.get("subresource")

    entries = [dict(e) for e in entries]
    target = next(
        (
            i
            for i, e in enumerate(entries)
            if e.get("manager") == ssa_manager and e.get("operation") == "Apply" and not e.get("subresource")
        ),
        None,
    )
    if target is None:
        target = next((i for i, e in enumerate(entries) if is_csa(e)), None)
        if target is None:
            return entries
        entries[target]["operation"], entries[target]["manager"] = "Apply", ssa_manager
    csa = next((e for e in entries if is_csa(e)), None)
    if csa is not None:
        entries[target]["fieldsV1"] = _union_fields(
            entries[target].get("fieldsV1") or {}, csa.get("fieldsV1") or {}
        )
    return [e for e in entries if not is_csa(e)]


def _union_fields(a: dict[str, Any], b: dict[str, Any]) -> dict[str, Any]:
    out = {k: dict(v) if isinstance(v, dict) else v for k, v in a.items()}
    for key, value in b.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = _union_fields(out[key], value)
        else:
            out.setdefault(key, value)
    return out


def _identity(ref: ObjectRef) -> tuple[str, str, str, str]:
    """ResourceList.Get's match: group, kind, namespace and name (not the version)."""
    group = ref.api_version.rsplit("/", 1)[0] if "/" in ref.api_version else ""
    return (group, ref.kind, ref.namespace or "", ref.name)


def _is_uninstall_step(step: Step) -> bool:
    if step.phase in ("pre-delete", "post-delete"):
        return True
    return (
        step.action in ("delete", "keep")
        and step.phase == "resources"
        and not (step.note and "left the chart" in step.note)
    )


def _ownership_problems(live: dict[str, Any], name: str, namespace: str) -> list[str]:
    meta = live.get("metadata") or {}
    labels = meta.get("labels") or {}
    ann = meta.get("annotations") or {}
    problems = []
    for where, have, key, want in (
        ("label", labels, MANAGED_BY_LABEL, "Helm"),
        ("annotation", ann, RELEASE_NAME_ANNOTATION, name),
        ("annotation", ann, RELEASE_NAMESPACE_ANNOTATION, namespace),
    ):
        if key not in have:
            problems.append(f'{where} validation error: missing key "{key}": must be set to "{want}"')
        elif have[key] != want:
            problems.append(
                f'{where} validation error: key "{key}" must equal "{want}": current value is "{have[key]}"'
            )
    return problems


def _kstatus_in_progress(ref: ObjectRef) -> tuple[str, str]:
    if ref.kind == "Job":
        return "InProgress", "Job in progress"
    return "InProgress", "Pod in progress"


def _resource_ready(obj: dict[str, Any], wait_for_jobs: bool) -> bool:
    """The `--wait` rules (v3 ReadyChecker) over the object's status."""
    kind = obj.get("kind")
    spec = obj.get("spec") or {}
    status = obj.get("status") or {}
    if kind == "Pod":
        conds = {c.get("type"): c.get("status") for c in status.get("conditions") or []}
        return conds.get("Ready") == "True" or status.get("phase") == "Succeeded"
    if kind == "Job":
        if not wait_for_jobs:
            return True
        return any(
            c.get("type") == "Complete" and c.get("status") == "True" for c in status.get("conditions") or []
        )
    if kind in ("Deployment", "StatefulSet", "ReplicaSet", "ReplicationController"):
        if spec.get("paused"):
            return True
        want = spec.get("replicas", 1)
        return int(status.get("readyReplicas", 0) or 0) >= int(want if want is not None else 1)
    if kind == "DaemonSet":
        return int(status.get("numberReady", 0) or 0) >= int(status.get("desiredNumberScheduled", 0) or 0)
    if kind == "PersistentVolumeClaim":
        return status.get("phase") == "Bound"
    if kind == "Service":
        return spec.get("type") == "ExternalName" or bool(spec.get("clusterIP"))
    if kind == "CustomResourceDefinition":
        return any(
            c.get("type") == "Established" and c.get("status") == "True"
            for c in status.get("conditions") or []
        )
    return True


def _jsonable(value: Any) -> Any:
    """YAML values as the API's JSON sees them (dates become strings)."""
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_jsonable(v) for v in value]
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    return str(value)

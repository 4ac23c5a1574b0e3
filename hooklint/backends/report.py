"""What `hooklint apply` prints in text format: a step-by-step summary of what was executed,
then Helm's own output for the event.

The summary is made from the journal (what actually happened) and the plan (weights). Lines are
grouped by phase; the steps Helm ran because an earlier one failed (hook-failed deletions, the
`--atomic` uninstall, ...) are marked `then`. Nothing in it depends on the clock unless `times`
is asked for: then hook waits show how long they took (simulated time for `simulate`).

Helm's output follows `cmd/helm/{install,upgrade,rollback,uninstall,release_testing,status}.go`
(v3.17.1) and `pkg/cmd/*.go` (v4.2.3): `helm upgrade` says `Release "r" has been upgraded. Happy
Helming!` before the status, `helm rollback` prints only `Rollback was a success! Happy
Helming!`, `helm uninstall` the kept resources and `release "r" uninstalled`, `helm test` the
status with one TEST SUITE block per started test hook, then `POD LOGS: <name>` with `--logs`.
The status block is NAME, LAST DEPLOYED (only with `times`: a clock reading), NAMESPACE, STATUS,
REVISION, DESCRIPTION (v4 only), TEST SUITE, NOTES.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any

from hooklint.backends.journal import JournalEntry
from hooklint.backends.release import ReleaseRecord, parse_go_time
from hooklint.plan.model import Plan, Step

PHASE_WIDTH = 14  # "post-rollback" and a space
ANSIC = "%a %b %e %H:%M:%S %Y"  # Go's time.ANSIC: "Mon Jan _2 15:04:05 2006"

_RESOURCE_VERBS = {
    ("create", "created"): "created",
    ("apply", "applied"): "applied (server-side)",
    ("apply", "patched"): "updated",
    ("apply", "unchanged"): "unchanged",
    ("apply", "adopted"): "adopted",
    ("delete", "deleted"): "deleted",
    ("delete", "not found"): "already gone",
    ("wait", "ready"): "ready",
    ("keep", "kept"): "kept (helm.sh/resource-policy)",
    ("create", "already exists"): "already present, skipped",
    ("create", "skipped"): "skipped (an earlier object of the file exists)",
}


def go_duration(seconds: float) -> str:
    """Go's time.Duration.String for whole and fractional seconds: 0s, 1.5s, 5m0s, 1h0m0s."""
    if seconds < 60:
        text = f"{seconds:.3f}".rstrip("0").rstrip(".")
        return f"{text}s"
    whole = int(seconds)
    hours, rest = divmod(whole, 3600)
    minutes, secs = divmod(rest, 60)
    frac = f"{seconds - whole:.3f}"[1:].rstrip("0").rstrip(".")
    head = f"{hours}h" if hours else ""
    return f"{head}{minutes}m{secs}{frac}s"


def one_line(message: str) -> str:
    """A Helm error on one line: go-multierror's `1 error occurred:\n\t* X\n\n` becomes `X`."""
    return " ".join(_ONE_ERROR.sub("", message).split())


_ONE_ERROR = re.compile(r"1 error occurred:\s*\*\s*")


def _ref_text(obj: dict[str, Any] | None) -> str:
    if not obj:
        return ""
    return f"{obj.get('kind')}/{obj.get('name')}"


def _when(entry: JournalEntry) -> datetime | None:
    return parse_go_time(entry.time)


@dataclass
class _Line:
    phase: str
    text: str
    then: bool = False  # Helm ran this because an earlier step failed
    group: tuple[str, ...] | None = None  # resource lines with the same group are merged
    objects: tuple[str, ...] = ()


class _Summary:
    def __init__(self, plan: Plan, times: bool, simulated: bool) -> None:
        self.plan = plan
        self.times = times
        self.simulated = simulated
        self.lines: list[_Line] = []
        self.hook_line: dict[str, tuple[_Line, JournalEntry]] = {}  # object -> its create line
        self.last_detail = ""  # what the previous entry said (not repeated by "Helm error")

    def step(self, label: str | None) -> Step | None:
        if label is None:
            return None
        head, _, branch = label.partition(".f")
        try:
            step = self.plan.steps[int(head)]
            if branch:
                return (step.on_failure or [])[int(branch)]
        except (ValueError, IndexError):
            return None
        return step

    def add(self, entry: JournalEntry) -> None:
        then = entry.step is not None and ".f" in entry.step
        last_detail, self.last_detail = self.last_detail, one_line(entry.detail or "")
        if entry.outcome == "step failed":
            self.last_detail = last_detail
        what = _ref_text(entry.object)
        phase = entry.phase
        op, outcome = entry.op, entry.outcome
        step = self.step(entry.step)
        is_hook = step is not None and step.action in ("create-hook", "delete-hook", "wait-hook")
        if op.startswith("store-") or op == "result":  # release bookkeeping: see the last line
            return
        if (op, outcome) in (("wait-deleted", "gone"), ("get", "not found")):
            return
        if op == "get" and outcome == "exists":
            self._text(phase, f"{what} already exists: adopted (ownership check)", then)
        elif op == "check":
            self._text(phase, f"refused: {one_line(entry.detail or '')}", then)
        elif outcome == "step failed":
            if one_line(entry.detail or "") != last_detail:  # else the failed step already said it
                self._text(phase, f"Helm error: {one_line(entry.detail or '')}", then)
        elif op == "interrupt":
            self._text(phase, "interrupted (Ctrl-C)", then)
        elif is_hook and op in ("create", "apply"):
            self._hook_created(entry, step, what, then)
        elif is_hook and op == "delete":
            reason = step.reason if step is not None and step.reason else "delete"
            if outcome == "deleted":
                self._text(phase, f"{reason}: deleted {what}", then)
            elif outcome == "not found" and reason != "before-hook-creation":
                self._text(phase, f"{reason}: {what} was already gone", then)
            elif outcome != "not found":
                self._text(
                    phase, f"{reason}: deleting {what} {outcome}: {one_line(entry.detail or '')}", then
                )
        elif op == "watch":
            self._hook_waited(entry, what, then)
        elif op == "wait-deleted":
            self._text(phase, f"{what} still there: {one_line(entry.detail or outcome)}", then)
        elif op == "logs":
            detail = "" if outcome == "read" else f": {one_line(entry.detail or '')}"
            self._text(phase, f"logs of {what} {outcome}{detail}", then)
        elif (op, outcome) in _RESOURCE_VERBS:
            verb = _RESOURCE_VERBS[(op, outcome)]
            if op == "delete" and entry.detail == "left the chart":
                verb += ", left the chart"
            if op == "create" and step is not None and step.action == "install-crd":
                verb = "CRD " + verb
            self.lines.append(_Line(phase, verb, then, (phase, verb, str(then)), (what,)))
        else:  # failures and anything unusual: say it as the journal says it
            detail = f": {one_line(entry.detail)}" if entry.detail else ""
            self._text(phase, f"{what} {op} {outcome}{detail}".strip(), then)

    def _text(self, phase: str, text: str, then: bool) -> None:
        self.lines.append(_Line(phase, text, then))

    def _hook_created(self, entry: JournalEntry, step: Step | None, what: str, then: bool) -> None:
        weight = f" (weight {step.weight})" if step is not None and step.weight is not None else ""
        if entry.outcome == "failed":
            text = f"{what}{weight} {entry.op} failed: {one_line(entry.detail or '')}"
        elif entry.op == "apply":
            text = f"{what}{weight} applied (server-side)"
        else:
            text = f"{what}{weight} created"
        line = _Line(entry.phase, text, then)
        self.lines.append(line)
        self.hook_line[what] = (line, entry)

    def _hook_waited(self, entry: JournalEntry, what: str, then: bool) -> None:
        kind = (entry.object or {}).get("kind")
        outcome = entry.outcome
        if outcome == "succeeded":
            text = "Complete" if kind == "Job" else "Succeeded" if kind == "Pod" else "ready"
        elif outcome == "ready":
            text = "ready (no readiness rule for this kind)"
        elif outcome == "timeout":
            text = "timed out"
        else:
            text = f"failed: {one_line(entry.detail or '')}"
        found = self.hook_line.get(what)
        if found is not None and found[0] is self.lines[-1]:
            line, created = found
            line.text += f", waited: {text}{self._took(created, entry)}"
        else:
            self._text(entry.phase, f"{what} waited: {text}{self._took(None, entry)}", then)

    def _took(self, start: JournalEntry | None, end: JournalEntry) -> str:
        if not self.times or start is None:
            return ""
        begin, finish = _when(start), _when(end)
        if begin is None or finish is None:
            return ""
        seconds = max((finish - begin).total_seconds(), 0.0)
        return f" ({'simulated ' if self.simulated else ''}{go_duration(seconds)})"

    def render(self) -> list[str]:
        merged: list[_Line] = []
        for line in self.lines:
            last = merged[-1] if merged else None
            if line.group is not None and last is not None and last.group == line.group:
                last.objects += line.objects
                continue
            merged.append(_Line(line.phase, line.text, line.then, line.group, line.objects))
        out: list[str] = []
        previous_phase = None
        for line in merged:
            text = line.text
            if line.group is not None:
                text = f"{text} ({len(line.objects)}): {', '.join(line.objects)}"
            if line.then:
                text = "then " + text
            label = line.phase if line.phase != previous_phase else ""
            previous_phase = line.phase
            out.append(f"{label:<{PHASE_WIDTH}}{text}".rstrip())
        return out


def summary_lines(
    plan: Plan, entries: list[JournalEntry], *, times: bool = False, simulated: bool = False
) -> list[str]:
    """The step-by-step summary of one apply, from its journal."""
    summary = _Summary(plan, times, simulated)
    for entry in entries:
        summary.add(entry)
    return summary.render()


def outcome_line(result: Any) -> str:
    """The last summary line: what became of the release."""
    label = f"{'release':<{PHASE_WIDTH}}"
    if result.status == "purged":
        return f"{label}{result.release}: uninstalled, history deleted"
    if result.revision is None:
        state = f"left as it was ({result.status})" if result.status else "no release"
        return f"{label}{result.release}: {state}"
    return f"{label}{result.release} revision {result.revision}: {result.status}"


def _ansic(moment: datetime | None) -> str:
    if moment is None:
        return ""
    return moment.astimezone(timezone.utc).strftime(ANSIC)


def status_block(record: ReleaseRecord, *, helm_version: str, times: bool, hide_notes: bool = False) -> str:
    """statusPrinter.WriteTable as `helm install/upgrade/test` print it (no --debug)."""
    out = [f"NAME: {record.name}"]
    if times and record.last_deployed is not None:
        out.append(f"LAST DEPLOYED: {_ansic(record.last_deployed)}")
    out.append(f"NAMESPACE: {record.namespace}")
    out.append(f"STATUS: {record.status}")
    out.append(f"REVISION: {record.version}")
    if helm_version == "4":
        out.append(f"DESCRIPTION: {record.description}")
    tests = [h for h in record.hooks if "test" in h.events]
    if not tests:
        out.append("TEST SUITE: None")
    for hook in tests:
        for _ in [e for e in hook.events if e == "test"]:
            if hook.started_at is None:  # never started: not shown
                continue
            out.append(f"TEST SUITE:     {hook.name}")
            if times:
                out.append(f"Last Started:   {_ansic(hook.started_at)}")
                out.append(f"Last Completed: {_ansic(hook.completed_at)}")
            out.append(f"Phase:          {hook.phase}")
    text = "\n".join(out) + "\n"
    if not hide_notes and record.notes:
        text += f"NOTES:\n{record.notes.strip()}\n"
    return text


def helm_output(result: Any, plan: Plan, *, times: bool, hide_notes: bool = False) -> str:
    """What the helm command of the event prints on stdout (errors go to stderr separately)."""
    event = result.event
    record: ReleaseRecord | None = result.record
    if event == "uninstall":
        if not result.ok:
            return ""
        kept = ""
        if result.kept:
            kept = "These resources were kept due to the resource policy:\n" + "".join(
                f"{k}\n" for k in result.kept
            )
            kept += "\n"  # fmt.Fprintln(out, res.Info)
        return f'{kept}release "{result.release}" uninstalled\n'
    if event == "rollback":
        return "Rollback was a success! Happy Helming!\n" if result.ok else ""
    if record is None:
        return ""
    if event == "test":
        text = status_block(record, helm_version=plan.helm_version, times=times, hide_notes=hide_notes)
        if plan.options.get("logs"):
            text += "\n" + "".join(f"POD LOGS: {name}\n{log}\n" for name, log in result.logs)
        return text
    if not result.ok:
        return ""
    head = f'Release "{result.release}" has been upgraded. Happy Helming!\n' if event == "upgrade" else ""
    return head + status_block(record, helm_version=plan.helm_version, times=times, hide_notes=hide_notes)

"""Broken inputs that are not charts: saved plans, simulate state, `--rendered` text, stdin,
configuration files given with `--config`, `--lookup-data`, and odd arguments to every command."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

from broken_inputs import BASE_FILES, GARBAGE, YAML_BOMB, ChartCase, write_chart
from cli_harness import Expect, run_cli

NOT_HELM_OUTPUT: dict[str, bytes] = {
    "empty": b"",
    "garbage": GARBAGE,
    "non-utf8": b"---\n# Source: x/templates/a.yaml\nkind: \xff\n",
    "prose": b"this is not helm output\nat all: really: no\n",
    "bad-yaml": b"---\n# Source: c/templates/a.yaml\napiVersion: v1\nkind: ConfigMap\nmetadata: [\n",
    "no-source": b"apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n",
    "list-doc": b"---\n# Source: c/templates/a.yaml\n- 1\n- 2\n",
    "scalar-doc": b"---\n# Source: c/templates/a.yaml\nhello\n",
    "bomb": b"---\n# Source: c/templates/a.yaml\n" + YAML_BOMB,
    "hook-garbage": (
        b"---\n# Source: c/templates/a.yaml\napiVersion: batch/v1\nkind: Job\nmetadata:\n  name: [1]\n"
        b"  annotations: {helm.sh/hook: 5, helm.sh/hook-weight: x, helm.sh/hook-delete-policy: [1]}\n"
    ),
    "hooks-header-only": b"---\n# Source: c/templates/a.yaml\n---\n# Source: c/templates/b.yaml\n",
    "source-weird": b"---\n# Source: \n---\n# Source: /abs/../../x\nkind: Job\nmetadata: {name: j}\n",
    "notes-only": b"NOTES:\nhello\n",
    "helm-install-output": b"NAME: x\nLAST DEPLOYED: now\nNAMESPACE: default\nSTATUS: deployed\nREVISION: 1\n",
    "crlf": b"---\r\n# Source: c/templates/a.yaml\r\napiVersion: v1\r\nkind: ConfigMap\r\nmetadata:\r\n  name: x\r\n",
    "deep": b"---\n# Source: c/templates/a.yaml\na: " + b"[" * 3000 + b"]" * 3000 + b"\n",
    "kind-list": b"---\n# Source: c/templates/a.yaml\napiVersion: v1\nkind: List\nitems: [1, {kind: Job}]\n",
}

BAD_JSON: dict[str, bytes] = {
    "empty": b"",
    "garbage": GARBAGE,
    "not-json": b"{ nope",
    "null": b"null",
    "list": b"[1, 2]",
    "number": b"5",
    "string": b'"plan"',
    "empty-object": b"{}",
    "deep": b"[" * 100000 + b"]" * 100000,
    "huge-number": b'{"version": 1e999, "clock": 1e999}',
    "non-utf8": b'{"a": "\xff"}',
    "bom": b'\xef\xbb\xbf{"version": 1}',
}


def _mangled_plans(good: dict[str, object]) -> Iterator[tuple[str, bytes]]:
    """A valid saved plan with one field replaced by each wrong type."""
    for key in sorted(good):
        for bad_name, bad in (("null", None), ("int", 7), ("str", "x"), ("list", [1]), ("map", {"a": 1})):
            data = dict(good)
            data[key] = bad
            yield f"plan-{key}-{bad_name}", json.dumps(data).encode()
    steps = good.get("steps")
    if isinstance(steps, list) and steps and isinstance(steps[0], dict):
        for key in sorted(steps[0]):
            for bad_name, bad in (("null", None), ("int", 7), ("str", "x"), ("list", [1]), ("map", {"a": 1})):
                step = dict(steps[0])
                step[key] = bad
                data = dict(good)
                data["steps"] = [step, *steps[1:]]
                yield f"plan-step-{key}-{bad_name}", json.dumps(data).encode()
        yield "plan-steps-garbage", json.dumps({**good, "steps": [1, "x", None, []]}).encode()


def _mangled_states(good: dict[str, object]) -> Iterator[tuple[str, bytes]]:
    for key in sorted(good):
        for bad_name, bad in (("null", None), ("int", 7), ("str", "x"), ("list", [1]), ("map", {"a": 1})):
            data = dict(good)
            data[key] = bad
            yield f"state-{key}-{bad_name}", json.dumps(data).encode()
        data = dict(good)
        del data[key]
        yield f"state-no-{key}", json.dumps(data).encode()
    objects = good.get("objects")
    if isinstance(objects, list) and objects:
        yield "state-objects-garbage", json.dumps({**good, "objects": [1, None, {"kind": 3}, {}]}).encode()
        first = objects[0]
        if isinstance(first, dict):
            for key in sorted(first):
                obj = {**first, key: 7}
                yield f"state-object-{key}-int", json.dumps({**good, "objects": [obj, *objects[1:]]}).encode()
            secret = next((o for o in objects if isinstance(o, dict) and o.get("kind") == "Secret"), None)
            if secret is not None:
                for bad_name, bad in (("garbage", "!!!"), ("int", 5), ("json", "e30=")):
                    broken = json.loads(json.dumps(secret))
                    data_field = broken.get("data") or {}
                    for k in list(data_field):
                        data_field[k] = bad
                    yield f"state-release-{bad_name}", json.dumps({**good, "objects": [broken]}).encode()


def side_input_runs(tmp: Path) -> Iterator[tuple[str, list[str], bytes, Expect]]:
    """(name, argv, stdin, expectation) for every non-chart input; files are written under tmp."""
    chart = str(write_chart(tmp / "base", ChartCase("base")).resolve())
    other = tmp / "other"
    other_chart = write_chart(other, ChartCase("other", {"values.yaml": BASE_FILES["values.yaml"] + b"x: 1\n"}))

    def put(name: str, data: bytes) -> str:
        path = tmp / name
        path.write_bytes(data)
        return str(path)

    for name, text in NOT_HELM_OUTPUT.items():
        f = put(f"rendered-{name}.yaml", text)
        for event in ("all", "upgrade", "uninstall"):
            yield f"rendered-{name}-{event}", ["plan", "--rendered", f, "--event", event, "-o", "json"], b"", Expect()
        yield f"rendered-{name}-prev", ["plan", "--rendered", f, "--previous-rendered", f, "--event", "upgrade"], b"", Expect()
        yield f"rendered-{name}-stdin", ["plan", "--rendered", "-", "--event", "all"], text, Expect()
    yield "rendered-missing", ["plan", "--rendered", str(tmp / "nope.yaml")], b"", Expect(mentions=("nope.yaml",))
    yield "rendered-dir", ["plan", "--rendered", str(tmp)], b"", Expect()
    yield "rendered-stdin-empty", ["plan", "--rendered", "-"], b"", Expect()
    yield "prev-values-garbage", ["plan", chart, "--event", "upgrade", "--previous-values", put("pv.yaml", b"- [\n")], b"", Expect()
    yield "prev-chart-missing", ["plan", chart, "--event", "upgrade", "--previous-chart", str(tmp / "nope")], b"", Expect()
    yield "prev-chart-broken", ["plan", chart, "--event", "rollback", "--previous-chart", str(other_chart / "values.yaml")], b"", Expect()

    # saved plans: corrupt, wrong shape, from a different chart
    plan_path = tmp / "good-plan.json"
    run_cli(["plan", chart, "--event", "install", "-o", "json", "--out", str(plan_path)])
    all_path = tmp / "all-plan.json"
    run_cli(["plan", chart, "--event", "all", "-o", "json", "--out", str(all_path)])
    for name, data in BAD_JSON.items():
        f = put(f"plan-{name}.json", data)
        yield f"plan-file-{name}", ["apply", "--plan", f], b"", Expect()
        yield f"plan-file-{name}-dry", ["apply", "--plan", f, "--dry-run"], b"", Expect()
    yield "plan-file-other-chart", ["apply", str(other_chart), "--plan", str(plan_path)], b"", Expect()
    yield "plan-file-all-no-event", ["apply", "--plan", str(all_path)], b"", Expect()
    yield "plan-file-dir", ["apply", "--plan", str(tmp)], b"", Expect()
    if plan_path.exists():
        good = json.loads(plan_path.read_text())
        plans = good.get("plans") if isinstance(good, dict) and "plans" in good else [good]
        if plans and isinstance(plans[0], dict):
            for name, data in _mangled_plans(plans[0]):
                f = put(f"{name}.json", data)
                yield name, ["apply", "--plan", f, "--state", str(tmp / f"{name}.state")], b"", Expect()
                yield f"{name}-chart", ["apply", chart, "--plan", f], b"", Expect()

    # simulate state files
    state = tmp / "good.state"
    run_cli(["apply", chart, "--event", "install", "--state", str(state)])
    for name, data in BAD_JSON.items():
        f = put(f"state-{name}.json", data)
        yield f"state-file-{name}", ["apply", chart, "--event", "upgrade", "--state", f], b"", Expect()
    yield "state-dir", ["apply", chart, "--event", "install", "--state", str(tmp)], b"", Expect()
    if state.exists():
        good_state = json.loads(state.read_text())
        if isinstance(good_state, dict):
            for name, data in _mangled_states(good_state):
                f = put(f"{name}.json", data)
                for event in ("upgrade", "rollback", "uninstall", "test"):
                    yield f"{name}-{event}", ["apply", chart, "--event", event, "--state", f], b"", Expect()

    # configuration files given explicitly
    configs = {
        "yaml-broken": b"rules: [\n", "list-root": b"- a\n", "garbage": GARBAGE, "empty": b"",
        "wrong-types": b"select: 3\nignore: {a: 1}\nfail-on: 7\ntarget: nowhere\nseverity: [1]\noptions: 3\n"
                       b"per-path-ignores: 5\nvalues: 3\nci-values: x\ncharts: [1]\nextends: 5\nhelm-version: x\n",
        "nested-wrong": b"options: {HL101: 3, HL999: {}}\nseverity: {HL101: loud, nope: error}\n"
                        b"charts: {'[': {select: 1}}\nper-path-ignores: {'[': [HL101], 'a': 3}\n",
        "bomb": YAML_BOMB,
    }
    for name, data in configs.items():
        f = put(f"cfg-{name}.yaml", data)
        yield f"config-{name}", ["lint", chart, "--config", f], b"", Expect(mentions=(f"cfg-{name}.yaml",))
    tomls = {"broken": b"[tool.hooklint\n", "wrong": b"[tool.hooklint]\nselect = 3\n", "garbage": GARBAGE,
             "not-table": b"tool = 3\n", "hooklint-not-table": b"[tool]\nhooklint = 3\n"}
    for name, data in tomls.items():
        d = tmp / f"toml-{name}"
        d.mkdir()
        (d / "pyproject.toml").write_bytes(data)
        yield f"pyproject-{name}", ["lint", chart, "--config", str(d / "pyproject.toml")], b"", Expect(
            mentions=("pyproject.toml",))
    yield "config-missing", ["lint", chart, "--config", str(tmp / "nope.yaml")], b"", Expect(mentions=("nope.yaml",))
    yield "config-dir", ["lint", chart, "--config", str(tmp)], b"", Expect()

    # --lookup-data
    for name, data in {"garbage": GARBAGE, "scalar": b"3", "list-of-int": b"[1]", "bomb": YAML_BOMB,
                       "items-garbage": b"kind: List\nitems: 3\n", "bad-objects": b"[{kind: 3, metadata: 5}]"}.items():
        f = put(f"lookup-{name}.yaml", data)
        yield f"lookup-{name}", ["render", chart, "--lookup-data", f], b"", Expect()

    # odd arguments
    odd: list[list[str]] = [
        [], ["--help"], ["nope"], ["render"], ["render", ""], ["render", "/dev/null"], ["render", str(tmp / "nope")],
        ["render", chart, "--helm-version", "5"], ["render", chart, "--helm-version", "x"],
        ["render", chart, "--renderer", "x"], ["render", chart, "--show-only", "nope.yaml"],
        ["render", chart, "--show-only", "["], ["render", chart, "--show-only", ""],
        ["render", chart, "--output-dir", "/dev/null/x"], ["render", chart, "--output-dir", put("file-not-dir", b"")],
        ["plan", chart, "--event", "nope"], ["plan", chart, "-o", "pdf"], ["plan", chart, "--timeout", "banana"],
        ["plan", chart, "--timeout", "-5s"], ["plan", chart, "--timeout", "99999999999999h"],
        ["plan", chart, "--timeout", ""], ["plan", chart, "--filter", "=="], ["plan", chart, "--event", "test", "--filter", "x"],
        ["plan", chart, "--event", "test", "--filter", "name="], ["plan", chart, "--out", "/dev/null/x"],
        ["plan", chart, "--wait-strategy", "x"], ["plan", chart, "--server-side", "x"],
        ["plan"], ["plan", "/dev/null"],
        ["lint", "/dev/null"], ["lint", chart, "--fail-on", "x"], ["lint", chart, "--target", "x"],
        ["lint", chart, "--helm-version", "x"], ["lint", chart, "--helm-version", "9"], ["lint", chart, "--select", "x"],
        ["lint", chart, "--ignore", "x"], ["lint", chart, "-o", "x"], ["lint", chart, "--output-file", "/dev/null/x"],
        ["lint", chart, "-j", "-5"], ["lint", chart, "-f", str(tmp / "nope.yaml")], ["lint", str(tmp)],
        ["apply"], ["apply", chart], ["apply", chart, "--event", "x"], ["apply", chart, "--event", "install", "--backend", "x"],
        ["apply", chart, "--event", "install", "--simulate", "x"], ["apply", chart, "--event", "install", "--simulate", "=fail"],
        ["apply", chart, "--event", "install", "--timeout", "x"], ["apply", chart, "--event", "rollback", "--revision", "-1"],
        ["apply", chart, "--event", "install", "--journal", "/dev/null/x"],
        ["apply", chart, "--event", "install", "--state", "/dev/null/x"],
        ["apply", chart, "--event", "install", "--backend", "kubernetes", "--kubeconfig", put("kc", GARBAGE)],
        ["apply", chart, "--event", "install", "--backend", "kubernetes", "--kubeconfig", str(tmp / "nope")],
        ["apply", chart, "--event", "install", "--backend", "kubernetes", "--kubeconfig", put("kc2", b"- 1\n")],
        ["apply", chart, "--event", "install", "--backend", "kubernetes", "--kubeconfig",
         put("kc3", b"apiVersion: v1\nkind: Config\nclusters: 3\ncontexts: [1]\ncurrent-context: {a: 1}\n")],
        ["rules", "-o", "x"], ["rules", "extra"], ["explain"], ["explain", ""], ["explain", "x" * 5000],
        ["explain", "HL"], ["explain", "\x00"], ["explain", "hl101"], ["explain", "HL000"],
    ]
    for i, argv in enumerate(odd):
        yield f"odd-{i}", argv, b"", Expect()

"""apply on the simulate backend with objects of the wrong shape that render, plan and lint
handle: `metadata: null`, a spec, pod template, pod spec or container list that is a number,
string or list. The simulate backend answers like the API server (a decoding error: 400
BadRequest in sigs.k8s.io/json's words; a missing name: 422 Invalid), the release fails with
Helm's message and exit code 1, never an internal error."""

from __future__ import annotations

from pathlib import Path

import pytest
from cli_run import run_cli

HOOK = 'apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: j\n  annotations:\n    "helm.sh/hook": pre-install\n'
CASES = {
    "job-spec-number": (HOOK + "spec: 5\n", 'cannot unmarshal number into Go struct field Job.spec of type v1.JobSpec'),
    "job-spec-string": (HOOK + "spec: abc\n", 'cannot unmarshal string into Go struct field Job.spec of type v1.JobSpec'),
    "job-spec-list": (HOOK + "spec: [1]\n", 'cannot unmarshal array into Go struct field Job.spec of type v1.JobSpec'),
    "job-template-number": (HOOK + "spec:\n  template: 5\n",
                            "cannot unmarshal number into Go struct field JobSpec.spec.template of type v1.PodTemplateSpec"),
    "job-pod-spec-number": (HOOK + "spec:\n  template:\n    spec: 5\n",
                            "cannot unmarshal number into Go struct field PodTemplateSpec.spec.template.spec of type v1.PodSpec"),
    "job-pod-spec-string": (HOOK + "spec:\n  template:\n    spec: x\n",
                            "cannot unmarshal string into Go struct field PodTemplateSpec.spec.template.spec of type v1.PodSpec"),
    "job-pod-spec-list": (HOOK + "spec:\n  template:\n    spec: [a]\n",
                          "cannot unmarshal array into Go struct field PodTemplateSpec.spec.template.spec of type v1.PodSpec"),
    "job-containers-number": (HOOK + "spec:\n  template:\n    spec:\n      containers: 5\n",
                              "cannot unmarshal number into Go struct field PodSpec.spec.template.spec.containers of type []v1.Container"),
    "pod-spec-number": ("apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec: 5\n",
                        "cannot unmarshal number into Go struct field Pod.spec of type v1.PodSpec"),
    "pod-spec-list": ("apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec: [1]\n",
                      "cannot unmarshal array into Go struct field Pod.spec of type v1.PodSpec"),
    "metadata-null": ("apiVersion: v1\nkind: Pod\nmetadata: null\n",
                      'Pod "" is invalid: metadata.name: Required value: name or generateName is required'),
    "hook-labels-list": (HOOK.replace("  name: j\n", "  name: j\n  labels: [1]\n") + "spec: {}\n",
                         "cannot unmarshal array into Go struct field ObjectMeta.metadata.labels of type map[string]string"),
}


@pytest.mark.parametrize("case", CASES)
def test_a_badly_shaped_object_is_the_api_servers_error(tmp_path: Path, case: str) -> None:
    manifest, message = CASES[case]
    chart = tmp_path / "shapes"
    (chart / "templates").mkdir(parents=True)
    (chart / "Chart.yaml").write_text("apiVersion: v2\nname: shapes\nversion: 0.1.0\n")
    (chart / "templates" / "obj.yaml").write_text(manifest)
    for argv in (["render", str(chart)], ["plan", str(chart)]):
        assert run_cli(argv).exit_code == 0
    state = tmp_path / "state.json"
    result = run_cli(["apply", str(chart), "--backend", "simulate", "--event", "install", "--force",
                      "--state", str(state)])
    assert result.exit_code == 1, result.output
    assert message in result.stderr, result.output
    assert "internal error" not in result.output

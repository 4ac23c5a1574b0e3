"""Deep input Helm (Go) handles: nested actions and parentheses in the parser, long chains of
`template` and `include` in the executor, and memory that does not grow with include calls.
The expected outputs and messages are those of `helm template` (Helm 3.17.1) on the same input."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from hooklint.chart import load_chart
from hooklint.errors import RenderError
from hooklint.gotemplate.template import TemplateExecError, TemplateParseError, TemplateSet
from hooklint.render import RenderOptions, template_output

ROOT = Path(__file__).resolve().parents[2]


def run(text: str) -> str:
    ts = TemplateSet()
    ts.parse("t", text)
    return ts.execute_text("t", {})


def write_chart(top: Path, name: str, templates: dict[str, str]) -> Path:
    chart = top / name
    (chart / "templates").mkdir(parents=True)
    (chart / "Chart.yaml").write_text(f"apiVersion: v2\nname: {name}\nversion: 0.1.0\n")
    for file, text in templates.items():
        (chart / "templates" / file).write_text(text)
    return chart


def chain(n: int, action: str) -> str:
    """Templates d0 .. dn, each one running the next with `action` ("include" or "template")."""
    lines = [f'{{{{- define "d{i}" -}}}}{{{{ {action} "d{i + 1}" . }}}}{{{{- end -}}}}' for i in range(n)]
    lines.append(f'{{{{- define "d{n}" -}}}}x{{{{- end -}}}}')
    return "\n".join(lines) + "\n"


def test_200_nested_ifs_parse_and_run() -> None:
    assert run("{{ if true }}" * 200 + "x" + "{{ end }}" * 200) == "x"


def test_500_nested_parentheses() -> None:
    assert run("{{ " + "(" * 500 + "1" + ")" * 500 + " }}") == "1"


def test_parentheses_nest_at_most_10000_deep() -> None:
    assert run("{{ " + "(" * 10000 + "1" + ")" * 10000 + " }}") == "1"
    with pytest.raises(TemplateParseError) as info:
        run("{{ " + "(" * 10001 + "1" + ")" * 10001 + " }}")
    assert info.value.message == "template: t:1: max expression depth exceeded"


def test_deep_template_chain_runs_and_100000_is_the_limit() -> None:
    ts = TemplateSet()
    ts.parse("t", chain(3000, "template") + '{{ template "d0" . }}')
    assert ts.execute_text("t", {}) == "x"

    ts = TemplateSet()
    ts.parse("t", '{{ define "r" }}{{ template "r" . }}{{ end }}{{ template "r" . }}')
    with pytest.raises(TemplateExecError) as info:
        ts.execute_text("t", {})
    assert info.value.message == (
        'template: t:1:28: executing "r" at <{{template "r" .}}>: exceeded maximum template depth (100000)'
    )


def test_2800_distinct_nested_includes_render(tmp_path: Path) -> None:
    chart = write_chart(tmp_path, "deep", {"_h.tpl": chain(2800, "include"), "cm.yaml": 'a: {{ include "d0" . }}\n'})
    assert template_output(load_chart(chart), RenderOptions()) == "---\n# Source: deep/templates/cm.yaml\na: x\n"


def test_runaway_include_recursion_is_a_clear_error(tmp_path: Path) -> None:
    # Helm stops a template including itself after 1000 nested calls of one name.
    chart = write_chart(tmp_path, "loop", {"_h.tpl": '{{ define "a" }}{{ include "a" . }}{{ end }}',
                                           "cm.yaml": 'a: {{ include "a" . }}\n'})
    with pytest.raises(RenderError) as info:
        template_output(load_chart(chart), RenderOptions())
    assert "rendering template has a nested reference name: a" in info.value.message


_RSS_PROGRAM = """
import os, sys
from hooklint.chart import load_chart
from hooklint.render import RenderOptions, template_output
size = len(template_output(load_chart(sys.argv[1]), RenderOptions()))
# VmHWM: this process's own peak (ru_maxrss would include the forking test process's).
peak = next(line.split()[1] for line in open("/proc/self/status") if line.startswith("VmHWM:"))
sys.stdout.write(f"{size} {peak}")
"""


def test_include_fan_out_memory_stays_flat(tmp_path: Path) -> None:
    """2^15 include calls (each template includes the next one twice): the peak RSS of the
    process stays near an empty render's (it grew by ~3 kB per include call)."""
    levels = 15
    helpers = "\n".join(
        f'{{{{- define "l{i}" -}}}}{{{{ include "l{i + 1}" . }}}}{{{{ include "l{i + 1}" . }}}}{{{{- end -}}}}'
        for i in range(levels)
    ) + f'\n{{{{- define "l{levels}" -}}}}x{{{{- end -}}}}\n'
    chart = write_chart(tmp_path, "fan", {"_h.tpl": helpers, "cm.yaml": 'a: {{ include "l0" . }}\n'})
    env = dict(os.environ, HOOKLINT_NO_CACHE="1")
    proc = subprocess.run([sys.executable, "-c", _RSS_PROGRAM, str(chart)], capture_output=True, text=True,
                          env=env, cwd=ROOT, check=True)
    size, peak_kb = map(int, proc.stdout.split())
    assert size == len("---\n# Source: fan/templates/cm.yaml\na: \n") + 2**levels
    assert peak_kb < 80 * 1024, f"peak RSS {peak_kb} kB"


def test_tpl_calls_in_a_loop_keep_memory_flat(tmp_path: Path) -> None:
    """20,000 `tpl` calls: each works on a clone of the template set whose functions refer back
    to it; with the GC paused during execution the clones (~9 kB each) once stayed until the
    render ended (~200 MB here, ~900 MB for 100,000 calls against helm's 66 MB)."""
    calls = 20000
    template = f'a: {{{{ range $i, $e := until {calls} }}}}{{{{ tpl "{{{{ if .x }}}}{{{{ .x }}}}{{{{ end }}}}" (dict "x" $i) }}}}{{{{ end }}}}\n'
    chart = write_chart(tmp_path, "tplloop", {"cm.yaml": template})
    env = dict(os.environ, HOOKLINT_NO_CACHE="1")
    proc = subprocess.run([sys.executable, "-c", _RSS_PROGRAM, str(chart)], capture_output=True, text=True,
                          env=env, cwd=ROOT, check=True)
    size, peak_kb = map(int, proc.stdout.split())
    assert size == len("---\n# Source: tplloop/templates/cm.yaml\na: \n") + len("".join(map(str, range(1, calls))))
    assert peak_kb < 80 * 1024, f"peak RSS {peak_kb} kB"


def test_without_room_for_a_large_stack_a_smaller_one_serves(monkeypatch: pytest.MonkeyPatch) -> None:
    from hooklint.gotemplate import deepstack

    sizes: list[int] = []
    real_start = deepstack._start

    def start(run: Any, size: int) -> bool:
        sizes.append(size)
        return size <= 64 << 20 and real_start(run, size)

    deepstack.retire()  # the waiting thread of earlier calls has its 1 GB stack
    monkeypatch.setattr(deepstack, "_start", start)
    try:
        assert deepstack.call_deep(deepstack.on_deep_stack) is True
        assert sizes == [1 << 30, 256 << 20, 64 << 20]
        assert run("{{ if true }}" * 200 + "x" + "{{ end }}" * 200) == "x"
    finally:
        deepstack.retire()  # not the 64 MB one for later tests


def test_without_any_thread_the_calling_thread_runs(monkeypatch: pytest.MonkeyPatch) -> None:
    from hooklint.gotemplate import deepstack

    deepstack.retire()
    monkeypatch.setattr(deepstack, "_start", lambda run, size: False)
    assert deepstack.call_deep(deepstack.on_deep_stack) is False
    assert run("{{ if true }}{{ (1) }}{{ end }}") == "1"

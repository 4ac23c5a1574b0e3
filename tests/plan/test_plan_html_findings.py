"""`plan -o html` shows lint findings on the step of the object they concern, escaped; findings
that fit no step go in "Other findings"; a clean chart shows none."""

from __future__ import annotations

from pathlib import Path

from markupsafe import escape

from hooklint.documents.source import SourcePos
from hooklint.lint.finding import Finding
from hooklint.model import ObjectRef
from hooklint.plan.inputs import PlanRequest, build_plans
from hooklint.plan.preview_run import plan_findings
from hooklint.report.plan_html import render_html

HOOK = """apiVersion: batch/v1
kind: Job
metadata:
  name: migrate
  annotations:
    helm.sh/hook: pre-install
    helm.sh/hook-delete-policy: {policy}
spec:
  backoffLimit: 1
  activeDeadlineSeconds: 120
  template:
    spec:
      restartPolicy: Never
      containers:
        - name: m
          image: busybox:1.36
"""

CONFIGMAP = """apiVersion: v1
kind: ConfigMap
metadata:
  name: settings
data:
  a: "1"
"""


def chart(tmp: Path, policy: str) -> str:
    (tmp / "templates").mkdir(parents=True)
    (tmp / "Chart.yaml").write_text("apiVersion: v2\nname: demo\nversion: 0.1.0\n")
    (tmp / "templates" / "job.yaml").write_text(HOOK.format(policy=policy))
    (tmp / "templates" / "cm.yaml").write_text(CONFIGMAP)
    return str(tmp)


def page(path: str) -> str:
    request = PlanRequest(chart=path, events=["install"])
    return render_html(build_plans(request), plan_findings(request))


def step_item(html: str, action: str, obj: str) -> str:
    """The <li> of the step (the timeline items have no nested <li> before their findings list)."""
    start = html.index(f'<span class="action">{action}</span> <span class="obj">{obj} (default)</span>')
    return html[start:html.index("</li>\n", start)]


def test_finding_shows_on_its_step(tmp_path: Path) -> None:
    path = chart(tmp_path, "before-hook-creation,hook-sucseeded")
    request = PlanRequest(chart=path, events=["install"])
    findings = [f for f in plan_findings(request) if "hook-sucseeded" in f.message]
    assert findings, "the chart's unknown delete policy must be a finding"
    rule, message = findings[0].rule, findings[0].message
    html = page(path)
    item = step_item(html, "create-hook", "Job/migrate")
    assert f'<span class="fid">{rule}</span>' in item
    assert "hook-sucseeded" in item and "job.yaml:7" in item
    assert str(escape(message)) in item
    assert "fid" not in step_item(html, "apply", "ConfigMap/settings")
    assert "Other findings" not in html


def test_clean_chart_shows_no_findings(tmp_path: Path) -> None:
    html = page(chart(tmp_path, "before-hook-creation,hook-succeeded"))
    assert 'class="finding"' not in html and "Other findings" not in html


def test_unmatched_findings_go_first_and_are_escaped(tmp_path: Path) -> None:
    plans = build_plans(PlanRequest(chart=chart(tmp_path, "hook-succeeded"), events=["install"]))
    stray = Finding(rule="HL999", name="x", severity="warning", message="<b>not a step</b>", pos=None,
                    obj=ObjectRef("v1", "Secret", "elsewhere"), chart_dir=str(tmp_path))
    # No object: placed by file and line, on the document that holds the line.
    in_cm = Finding(rule="HL998", name="y", severity="error", message="data", obj=None,
                    pos=SourcePos("templates/cm.yaml", 5, 3), chart_dir=str(tmp_path))
    html = render_html(plans, [stray, in_cm])
    other = html.index('<h2>Other findings</h2>')
    assert other < html.index("<h2>helm install")
    assert "&lt;b&gt;not a step&lt;/b&gt;" in html[other:] and "<b>not a step</b>" not in html
    assert "HL998" not in html[other:html.index("<h2>helm install")]
    assert '<span class="sev sev-error">error</span> <span class="fid">HL998</span>' in step_item(
        html, "apply", "ConfigMap/settings")

"""Template-engine benchmark: a synthetic template-heavy chart rendered N times in-process by
hooklint and by Helm (helm_python, Helm's Go SDK), with the ratio.

    python bench/engine.py [--repeat N] [--templates T] [--items I] [--profile]

The chart (written to a temporary directory) is shaped like real charts' hot paths:
  - every template includes `bench.fullname` and `bench.labels` several times, and those
    helpers include further helpers (`bench.name` -> `bench.chart` ...), as bitnami/common does;
  - `toYaml | nindent` of large values (a nested config map, resources, env lists);
  - `range` over big lists and maps with `printf`, `quote`, `default`, `tpl`;
  - `tpl` on values that hold template text.
The output must be identical between the two engines (checked once before timing).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

HELPERS = """\
{{- define "bench.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "bench.fullname" -}}
{{- if .Values.fullnameOverride -}}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- $name := default .Chart.Name .Values.nameOverride -}}
{{- if contains $name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}
{{- end -}}

{{- define "bench.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "bench.selectorLabels" -}}
app.kubernetes.io/name: {{ include "bench.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{- define "bench.labels" -}}
helm.sh/chart: {{ include "bench.chart" . }}
{{ include "bench.selectorLabels" . }}
{{- if .Chart.AppVersion }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
{{- end }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- with .Values.commonLabels }}
{{ toYaml . }}
{{- end }}
{{- end -}}

{{- define "bench.tplvalues.render" -}}
{{- if typeIs "string" .value -}}
{{- tpl .value .context -}}
{{- else -}}
{{- tpl (.value | toYaml) .context -}}
{{- end -}}
{{- end -}}

{{- define "bench.image" -}}
{{- $registry := .Values.image.registry -}}
{{- $tag := .Values.image.tag | default .Chart.AppVersion | toString -}}
{{- printf "%s/%s:%s" $registry .Values.image.repository $tag -}}
{{- end -}}
"""

TEMPLATE = """\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{ include "bench.fullname" . }}-__N__
  labels:
    {{- include "bench.labels" . | nindent 4 }}
  annotations:
    checksum/config: {{ toYaml .Values.config | sha256sum }}
    {{- include "bench.tplvalues.render" (dict "value" .Values.annotations "context" $) | nindent 4 }}
spec:
  replicas: {{ .Values.replicas }}
  selector:
    matchLabels:
      {{- include "bench.selectorLabels" . | nindent 6 }}
  template:
    metadata:
      labels:
        {{- include "bench.labels" . | nindent 8 }}
    spec:
      containers:
        - name: {{ include "bench.name" . }}
          image: {{ include "bench.image" . | quote }}
          env:
            {{- range $i, $e := .Values.env }}
            - name: {{ $e.name | upper | replace "-" "_" }}
              value: {{ $e.value | default (printf "v-%d" $i) | quote }}
            {{- end }}
            {{- range $k, $v := .Values.extraEnv }}
            - name: {{ $k }}
              value: {{ tpl $v $ | quote }}
            {{- end }}
          resources:
            {{- toYaml .Values.resources | nindent 12 }}
          ports:
            {{- range .Values.ports }}
            - name: {{ .name }}
              containerPort: {{ .port }}
              protocol: {{ .protocol | default "TCP" }}
            {{- end }}
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: {{ include "bench.fullname" . }}-config-__N__
  labels:
    {{- include "bench.labels" . | nindent 4 }}
data:
  config.yaml: |
    {{- toYaml .Values.config | nindent 4 }}
  hosts: {{ join "," .Values.hosts | quote }}
  {{- range $k, $v := .Values.config.services }}
  {{ $k }}.json: {{ toJson $v | quote }}
  {{- end }}
"""


def build_values(items: int) -> str:
    import yaml

    services = {
        f"svc{i}": {
            "host": f"svc{i}.example.internal",
            "port": 8000 + i,
            "timeout": f"{i % 7 + 1}s",
            "enabled": i % 3 != 0,
            "weights": [i, i * 2, i * 3],
            "tags": {"tier": "backend" if i % 2 else "frontend", "zone": f"z{i % 4}"},
            "ratio": i / 8,
        }
        for i in range(items)
    }
    values: dict[str, Any] = {
        "replicas": 3,
        "nameOverride": "",
        "fullnameOverride": "",
        "commonLabels": {"team": "bench", "cost-center": "1234"},
        "annotations": {"owner": "{{ .Release.Name }}-owner", "note": "plain"},
        "image": {"registry": "docker.io", "repository": "bench/app", "tag": ""},
        "env": [{"name": f"var-{i}", "value": f"value {i}" if i % 2 else ""} for i in range(items)],
        "extraEnv": {f"EXTRA_{i}": "{{ .Release.Namespace }}-" + str(i) for i in range(items // 4)},
        "resources": {"limits": {"cpu": "500m", "memory": "512Mi"}, "requests": {"cpu": "100m", "memory": "128Mi"}},
        "ports": [{"name": f"p{i}", "port": 9000 + i} for i in range(items // 4)],
        "hosts": [f"h{i}.example.com" for i in range(items)],
        "config": {"services": services, "global": {"logLevel": "info", "retries": 3, "debug": False}},
    }
    return yaml.safe_dump(values, sort_keys=False)


def write_chart(root: Path, templates: int, items: int) -> Path:
    chart = root / "bench"
    (chart / "templates").mkdir(parents=True)
    (chart / "Chart.yaml").write_text("apiVersion: v2\nname: bench\nversion: 1.2.3\nappVersion: 4.5.6\n")
    (chart / "values.yaml").write_text(build_values(items))
    (chart / "templates" / "_helpers.tpl").write_text(HELPERS)
    for n in range(templates):
        (chart / "templates" / f"deploy{n}.yaml").write_text(TEMPLATE.replace("__N__", str(n)))
    return chart


def _times(fn: Callable[[], object], repeat: int) -> list[float]:
    out = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        out.append(time.perf_counter() - t0)
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--templates", type=int, default=20)
    ap.add_argument("--items", type=int, default=60)
    ap.add_argument("--profile", action="store_true", help="cProfile one hooklint render (top 25)")
    args = ap.parse_args()

    os.environ["HOOKLINT_NO_CACHE"] = "1"
    from hooklint.chart import load_chart
    from hooklint.gotemplate import template as template_mod
    from hooklint.render import RenderOptions, render_chart

    fields = RenderOptions.__dataclass_fields__
    opts = RenderOptions(**({"helm_version": 4} if "helm_version" in fields else {"kube_version": "v1.36.0"}))

    with tempfile.TemporaryDirectory() as tmp:
        chart_dir = write_chart(Path(tmp), args.templates, args.items)

        def ours() -> dict[str, str]:
            # each render parses as a new process would: nothing shared from the previous one
            # (the disk cache is off: HOOKLINT_NO_CACHE below)
            template_mod._SHARED_PARSES.clear()
            files = render_chart(load_chart(chart_dir), None, opts)
            return {k: f.text for k, f in files.items()}

        helm: Callable[[], object] | None = None
        try:
            import helm_python

            def helm_fn() -> dict[str, str]:
                chart = helm_python.Chart.load(str(chart_dir))
                return dict(chart.render(None, name="release-name", namespace="default"))

            helm = helm_fn
        except ImportError:  # pragma: no cover - helm_python not installed
            print("helm_python not installed: hooklint only")

        first = ours()
        size = sum(len(t) for t in first.values())
        if helm is not None and helm() != first:
            print("WARNING: hooklint output differs from Helm's for the bench chart")
        if args.profile:
            import cProfile
            import pstats

            prof = cProfile.Profile()
            prof.runcall(ours)
            pstats.Stats(prof).sort_stats("cumulative").print_stats(25)
            pstats.Stats(prof).sort_stats("tottime").print_stats(25)

        print(f"chart: {args.templates} templates, {args.items} items per list, {size} bytes of output")
        t_ours = _times(ours, args.repeat)
        print(f"hooklint: median {statistics.median(t_ours) * 1000:8.1f} ms  min {min(t_ours) * 1000:8.1f} ms")
        if helm is not None:
            t_helm = _times(helm, args.repeat)
            print(f"helm:     median {statistics.median(t_helm) * 1000:8.1f} ms  min {min(t_helm) * 1000:8.1f} ms")
            print(f"ratio hooklint/helm: median {statistics.median(t_ours) / statistics.median(t_helm):.2f}")


if __name__ == "__main__":
    main()

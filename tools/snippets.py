"""Snippet-level parity with Helm: generate one-template charts, render them through hooklint and
through real Helm (helm_python, Helm 4), and report where the two differ.

    python tools/snippets.py                      # every family, 1500 random, 500 mutated (~1 min CPU)
    python tools/snippets.py --family printf --family random --random 3000 --seed 7 --show 20
    python tools/snippets.py --cli-every 1        # `hooklint render` (in-process) on every chart
    python tools/snippets.py --grep '^fs-' --messages --json report.json

Families (`--family NAME`): trim, pipelines, control, compare, printf, strings, math, lists, dicts,
defaults, yaml, helm_objects, sprig_misc, sprig_rest, errors, nested_errors, manifests, files,
values_quirks, fuzz_values, fuzz_yaml_docs, fuzz_strings, fuzz_printf; `random` (typed pipelines
and expression trees over values and literals); `--mutate N` malformed variants of the others.
Minimal repros of every difference found live in fixtures/gotemplate/snippets_*.yaml.

The generated set imitates what an acceptance test author writes: every text/template construct,
every Sprig family with typical and edge arguments, Helm's objects and functions, Helm-typical
values files (float64 numbers, big ints, YAML 1.1 quirks, nulls, unicode), malformed templates
whose errors must name file and line; half hand-written families with parameters, half seeded
random compositions of typed pipelines. Needs the test extra (helm_python).

Outcomes: `same` (byte-identical output, or both fail and our message names Helm's file:line),
`differ`, `helm-rejects` (Helm fails, we render), `we-reject` (we fail, Helm renders),
`location` (both fail, our message lacks Helm's file:line), `internal` (anything but a
HooklintError escaped, or the CLI exited 3), `unstable` (Helm printed a pointer address; left
out of the rates). `message` counts both-fail cases whose innermost
error text differs (they still count as `same`: the file and line are what the acceptance asks).
"""

from __future__ import annotations

import argparse
import codecs
import contextlib
import difflib
import io
import json
import random
import re
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT))

from conformance import error_tail  # noqa: E402
from helm_oracle import HELM_SDK_VERSION, HelmFailure, helm_render, normalize_helm_error, write_chart  # noqa: E402

from hooklint.errors import HooklintError  # noqa: E402

TEMPLATE_KEY = "t/templates/t.yaml"


@dataclass(frozen=True)
class Snippet:
    """One chart `t` with `templates/t.yaml` = `template`, `values.yaml` = `values`."""

    name: str
    template: str
    values: str = ""
    files: tuple[tuple[str, str], ...] = ()

    def chart_files(self) -> dict[str, str]:
        return {"templates/t.yaml": self.template, "values.yaml": self.values, **dict(self.files)}


# --------------------------------------------------------------------------------------------
# Helm-typical values files
# --------------------------------------------------------------------------------------------

HELM_VALUES = """\
replicaCount: 3
image:
  repository: nginx
  tag: "1.25.3"
  pullPolicy: IfNotPresent
  digest: null
imagePullSecrets: []
nameOverride: ""
fullnameOverride: ~
serviceAccount:
  create: true
  annotations: {}
  name: ""
podAnnotations:
  prometheus.io/scrape: "true"
  prometheus.io/port: "9090"
service:
  type: ClusterIP
  port: 80
  targetPort: http
ingress:
  enabled: false
  className: nginx
  hosts:
    - host: chart-example.local
      paths:
        - path: /
          pathType: ImplementationSpecific
    - host: other.example.com
      paths: []
  tls: []
resources:
  limits:
    cpu: 100m
    memory: 128Mi
  requests:
    cpu: 0.5
    memory: 64Mi
autoscaling:
  enabled: true
  minReplicas: 1
  maxReplicas: 100
  targetCPUUtilizationPercentage: 80
nodeSelector: {}
tolerations:
  - key: dedicated
    operator: Equal
    value: infra
    effect: NoSchedule
env:
  - name: LOG_LEVEL
    value: debug
  - name: WORKERS
    value: "4"
  - name: EMPTY
extraArgs: ["--verbose", "--port=8080", "-x"]
config:
  enabled: yes
  debug: off
  level: Off
  ratio: 0.75
  timeout: 30s
  retries: 5
  big: 12345678901234567890
  bigint: 9007199254740993
  maxint: 9223372036854775807
  exp: 1e3
  negexp: -2.5e-3
  octal: 0755
  octal12: 0o17
  hex: 0x1F
  neg: -42
  zero: 0
  fzero: 0.0
  date: 2024-01-02
  time: 2001-12-14t21:59:43.10-05:00
  version: 1.10
  semver: v1.2.3-rc.1+build.5
  sexagesimal: 1:30
  tilde: ~
  empty: ""
  space: " padded "
  multiline: |
    line one
    line two
  folded: >
    folded one
    folded two
  keep: |+
    kept

  strip: |-
    stripped
  unicode: "héllo wörld ✓ 日本 😀"
  quotes: 'it''s "quoted"'
  special: "a: b # c {d} [e] & *f !g | > ' % @ `"
  html: "<b>&amp;</b>"
  list: [1, 2.5, "three", true, null, [4], {five: 5}]
  nested:
    a:
      b:
        c: deep
    "x.y": dotted
    "": emptykey
    "1": one
    true: yes-key
"""

SMALL_VALUES = """\
name: demo
enabled: true
count: 2
port: 8080
ratio: 1.5
tags: [a, b, c, b]
nums: [3, 1, 2]
labels:
  app: demo
  tier: web
items:
  - name: x
    port: 1
  - name: y
    port: 2
nothing: null
text: "Hello, World"
"""

VALUES_DOCS = {"helm": HELM_VALUES, "small": SMALL_VALUES}

# Value paths per values doc that random compositions draw from (leaves and subtrees).
VALUE_PATHS: dict[str, list[str]] = {
    "helm": [
        ".Values.replicaCount", ".Values.image", ".Values.image.tag", ".Values.image.repository",
        ".Values.image.digest", ".Values.imagePullSecrets", ".Values.nameOverride",
        ".Values.fullnameOverride", ".Values.serviceAccount", ".Values.podAnnotations",
        ".Values.service.port", ".Values.service.targetPort", ".Values.ingress.hosts",
        ".Values.ingress.tls", ".Values.resources", ".Values.resources.requests.cpu",
        ".Values.autoscaling.maxReplicas", ".Values.nodeSelector", ".Values.tolerations",
        ".Values.env", ".Values.extraArgs", ".Values.config.enabled", ".Values.config.debug",
        ".Values.config.level", ".Values.config.ratio", ".Values.config.big",
        ".Values.config.bigint", ".Values.config.maxint", ".Values.config.exp",
        ".Values.config.negexp", ".Values.config.octal", ".Values.config.octal12",
        ".Values.config.hex", ".Values.config.neg", ".Values.config.zero", ".Values.config.fzero",
        ".Values.config.date", ".Values.config.time", ".Values.config.version",
        ".Values.config.semver", ".Values.config.sexagesimal", ".Values.config.tilde",
        ".Values.config.empty", ".Values.config.space", ".Values.config.multiline",
        ".Values.config.folded", ".Values.config.keep", ".Values.config.strip",
        ".Values.config.unicode", ".Values.config.quotes", ".Values.config.special",
        ".Values.config.html", ".Values.config.list", ".Values.config.nested",
        ".Values.config.timeout", ".Values.missing",
    ],  # fmt: skip
    "small": [
        ".Values.name", ".Values.enabled", ".Values.count", ".Values.port", ".Values.ratio",
        ".Values.tags", ".Values.nums", ".Values.labels", ".Values.items", ".Values.nothing",
        ".Values.text", ".Values.labels.app", ".Values.nope",
    ],  # fmt: skip
}

HELPERS = """\
{{- define "t.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- define "t.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}
{{- define "t.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
app.kubernetes.io/name: {{ include "t.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- if .Chart.AppVersion }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
{{- end }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end }}
"""

EXTRA_FILES = (
    ("templates/_helpers.tpl", HELPERS),
    ("files/app.conf", "key = value\nother = 2\n"),
    ("files/data.json", '{"a": 1, "b": [true, null]}\n'),
    ("files/script.sh", "#!/bin/sh\necho hi\n"),
    ("files/bin.dat", "caf\u00e9\n"),
    ("config/a.yaml", "a: 1\n"),
    ("config/b.yaml", "b: [2]\n"),
)


# --------------------------------------------------------------------------------------------
# Hand-written families
# --------------------------------------------------------------------------------------------

Family = Callable[[], Iterator[Snippet]]
FAMILIES: dict[str, Family] = {}


def family(fn: Family) -> Family:
    FAMILIES[fn.__name__.removeprefix("fam_")] = fn
    return fn


def _s(prefix: str, i: int, template: str, values: str = "helm", files: bool = False) -> Snippet:
    return Snippet(f"{prefix}-{i}", template, VALUES_DOCS.get(values, values), EXTRA_FILES if files else ())


def _many(prefix: str, templates: list[str], values: str = "helm", files: bool = False) -> Iterator[Snippet]:
    for i, t in enumerate(templates):
        yield _s(prefix, i, t, values, files)


@family
def fam_trim() -> Iterator[Snippet]:
    bodies = ["x", ".Values.replicaCount", "/* c */", '"s"', "- 3", "-3"]
    seps = ["", " ", "\n", "\n\n  ", "\t", " \r\n"]
    ts: list[str] = []
    for b in bodies:
        for left in seps:
            for right in seps[:3]:
                for lt, rt in (("{{- ", " -}}"), ("{{", "}}"), ("{{- ", "}}"), ("{{", " -}}")):
                    if b == "x":
                        continue
                    ts.append(f"a{left}{lt}{b}{rt}{right}b")
    ts += [
        "{{-3}}", "{{- 3}}", "{{-3 -}}", "{{ 3 -}}x", "{{/* c */}}x", "{{- /* c */ -}}\n x",
        "{{/* multi\nline */}}y", "{{ /* bad */ }}", "{{-/* c */}}", "{{/* c */-}}",
        "a\n{{- if true }}\n  b\n{{- end }}\nc", "  {{- range .Values.extraArgs }}\n  - {{ . }}\n  {{- end }}",
    ]  # fmt: skip
    yield from _many("trim", ts)


@family
def fam_pipelines() -> Iterator[Snippet]:
    ts = [
        "{{ .Values.image.tag | quote }}", "{{ .Values.image.tag | upper | quote }}",
        '{{ "x" | printf "%s-%s" "a" }}', "{{ 1 | add 2 | mul 3 }}", "{{ (add 1 2) }}",
        "{{ (list 1 2 3) | len }}", "{{ len (list 1 2) | add1 }}", "{{ print (1) (2) }}",
        "{{ .Values.config | keys | sortAlpha | join \",\" }}", "{{ 3 | printf \"%d\" }}",
        "{{ print 1 2 \"a\" \"b\" 3 }}", "{{ println 1 2 }}", "{{ print nil }}", "{{ print .Values.missing }}",
        "{{ .Values.missing }}", "{{ .Values.config.tilde }}", "{{ (.Values.image).tag }}",
        "{{ (index .Values.ingress.hosts 0).host }}", "{{ (index .Values.env 1).value | int | add 1 }}",
        "{{ .Values.image | toYaml | nindent 2 }}", "{{ 'a' }}", "{{ `raw\\n` }}", "{{ \"esc\\t\\u00e9\" }}",
        "{{ 0x1F }} {{ 0o17 }} {{ 017 }} {{ 1_000 }} {{ 0b101 }} {{ 1e3 }} {{ 1.0 }} {{ -0 }} {{ +5 }}",
        "{{ 'a' }}{{ '\\n' }}{{ 'é' }}", "{{ 1i }}", "{{ 0x1p-2 }}", "{{ 12345678901234567890 }}",
        "{{ 9223372036854775807 }}", "{{ -9223372036854775808 }}", "{{ 1.5e300 }}", "{{ .5 }}",
        "{{ true }} {{ false }} {{ nil | print }}", "{{ and 1 0 \"x\" }} {{ or 0 \"\" nil }} {{ or 0 2 }}",
        "{{ not 0 }} {{ not \"\" }} {{ not .Values.env }}", "{{ and }}", "{{ not }}",
        "{{ $x := 1 }}{{ $x = add $x 1 }}{{ $x }}", "{{ $ | kindOf }}", "{{ $.Values.service.port }}",
        "{{ $a, $b := 1 }}", "{{ $x := 1 }}{{ $y := $x }}{{ $y }}", "{{ $undefined }}",
        "{{ .Values.service.port | .Values.x }}", "{{ nil }}", "{{ 1 | nil }}", "{{ . | len }}",
        "{{ .Values | len }}", "{{ .Values.extraArgs | first }}", "{{ .Values.image.tag.x }}",
        "{{ .Values.missing.deeper }}", "{{ .Values.missing.deeper.deepest }}",
        "{{ .Values.config.nested.a.b.c }}", "{{ .Values.config.nested.a.b.c.d }}",
        "{{ .Values.replicaCount.x }}", "{{ index .Values.config.nested \"x.y\" }}",
        "{{ index .Values.config.nested \"\" }}", "{{ index .Values.config.nested \"1\" }}",
        "{{ index .Values.config.nested \"true\" }}", "{{ index .Values \"missing\" \"x\" }}",
        "{{ index .Values.extraArgs 5 }}", "{{ index .Values.extraArgs -1 }}", "{{ index .Values.extraArgs 1.0 }}",
        "{{ index .Values.config.list 6 \"five\" }}", "{{ index \"abc\" 1 }}", "{{ index nil 1 }}",
        "{{ index .Values.extraArgs }}", "{{ slice \"abcdef\" 1 3 }}", "{{ slice .Values.extraArgs 1 }}",
        "{{ slice .Values.extraArgs 2 1 }}", "{{ slice .Values.extraArgs 0 1 2 }}", "{{ slice \"héllo\" 1 3 }}",
        "{{ len \"héllo\" }}", "{{ len .Values.config.nested }}", "{{ len 3 }}", "{{ len nil }}",
        "{{ html \"<a&'\\\">\" }} {{ js \"<a&'\\\"\\n=é>\" }} {{ urlquery \"a b&c=d/é\" }}",
        "{{ html .Values.config.list }}", "{{ js 1 2 }}", "{{ urlquery nil }}", "{{ call .Values.x }}",
        "{{ call nil }}", "{{ .Values.config.list | print }}", "{{ .Values.config.nested | print }}",
        "{{ .Values.config | print }}", "{{ print .Values.config.ratio .Values.config.exp .Values.config.big }}",
        "{{ .Values.config.big }} {{ .Values.config.bigint }} {{ .Values.config.maxint }} {{ .Values.config.negexp }}",
        "{{ .Values.config.octal }} {{ .Values.config.octal12 }} {{ .Values.config.hex }} {{ .Values.config.exp }}",
        "{{ .Values.config.date }} {{ .Values.config.time }} {{ .Values.config.version }} {{ .Values.config.sexagesimal }}",
        "{{ .Values.config.enabled }} {{ .Values.config.debug }} {{ .Values.config.level }}",
        "{{ .Values.config.keep }}|{{ .Values.config.strip }}|{{ .Values.config.folded }}|",
        "{{ .Values.config.special }} {{ .Values.config.quotes }} {{ .Values.config.unicode }}",
    ]  # fmt: skip
    yield from _many("pipe", ts)


@family
def fam_control() -> Iterator[Snippet]:
    ts = [
        "{{ if .Values.ingress.enabled }}on{{ else if .Values.autoscaling.enabled }}auto{{ else }}off{{ end }}",
        "{{ if 0 }}a{{ else if \"\" }}b{{ else if list }}c{{ else if dict }}d{{ else if 0.0 }}e{{ else }}f{{ end }}",
        "{{ if .Values.missing }}a{{ end }}|{{ if .Values.config.tilde }}b{{ end }}|{{ if .Values.config.fzero }}c{{ end }}",
        "{{ with .Values.image }}{{ .repository }}:{{ .tag }}{{ end }}", "{{ with .Values.missing }}x{{ else }}none{{ end }}",
        "{{ with $x := .Values.image.tag }}{{ $x }}{{ end }}", "{{ with .Values.nodeSelector }}x{{ else with .Values.tolerations }}{{ len . }}{{ end }}",
        "{{ range .Values.extraArgs }}[{{ . }}]{{ end }}", "{{ range $i, $a := .Values.extraArgs }}{{ $i }}={{ $a }};{{ end }}",
        "{{ range $k, $v := .Values.podAnnotations }}{{ $k }}={{ $v }};{{ end }}", "{{ range .Values.config.nested }}{{ . }};{{ end }}",
        "{{ range .Values.missing }}x{{ else }}empty{{ end }}", "{{ range .Values.nodeSelector }}x{{ else }}empty{{ end }}",
        "{{ range 3 }}{{ . }}{{ end }}", "{{ range $i := 3 }}{{ $i }}{{ end }}", "{{ range $i, $v := 3 }}{{ $i }}{{ end }}",
        "{{ range 0 }}x{{ else }}zero{{ end }}", "{{ range -1 }}x{{ end }}", "{{ range \"abc\" }}{{ . }}{{ end }}",
        "{{ range 1.5 }}{{ . }}{{ end }}", "{{ range true }}{{ end }}", "{{ range nil }}{{ end }}",
        "{{ range until 5 }}{{ if eq . 3 }}{{ break }}{{ end }}{{ . }}{{ end }}",
        "{{ range until 5 }}{{ if eq . 1 }}{{ continue }}{{ end }}{{ . }}{{ end }}",
        "{{ break }}", "{{ if true }}{{ continue }}{{ end }}", "{{ range . }}{{ end }}{{ break }}",
        "{{ range $i, $e := .Values.ingress.hosts }}{{ $e.host }}{{ range $e.paths }}:{{ .path }}{{ end }};{{ end }}",
        "{{ range .Values.env }}- name: {{ .name }}\n  value: {{ .value | quote }}\n{{ end }}",
        "{{ range $k, $v := .Values.resources }}{{ $k }}:{{ range $k2, $v2 := $v }} {{ $k2 }}={{ $v2 }}{{ end }}\n{{ end }}",
        "{{ $r := 1 }}{{ range until 3 }}{{ $r = mul $r 2 }}{{ end }}{{ $r }}",
        "{{ $x := 1 }}{{ if true }}{{ $x := 2 }}{{ end }}{{ $x }}",
        "{{ $x := 1 }}{{ if true }}{{ $x = 2 }}{{ end }}{{ $x }}", "{{ if true }}{{ $y := 1 }}{{ end }}{{ $y }}",
        "{{ range $i, $v := list \"a\" \"b\" }}{{ $ | kindOf }}{{ $.Release.Name }}{{ end }}",
        "{{ range .Values.tolerations }}{{ toYaml . | nindent 2 }}{{ end }}", "{{ range $x := .Values.extraArgs }}{{ $x }}{{ end }}",
        "{{ range $a, $b, $c := list 1 }}{{ end }}", "{{ with }}{{ end }}", "{{ if }}{{ end }}",
        "{{ if true }}a{{ else }}b{{ else }}c{{ end }}", "{{ if true }}", "{{ end }}", "{{ else }}",
        "{{ range .Values.x }}{{ else if true }}{{ end }}", "{{ if true }}a{{ else with 1 }}{{ . }}{{ end }}",
        "{{ with 0 }}a{{ else with 1 }}b{{ . }}{{ end }}", "{{ with 0 }}a{{ else if 1 }}b{{ . }}{{ end }}",
        "{{ define \"x\" }}X{{ end }}{{ template \"x\" }}", "{{ template \"x\" }}",
        "{{ block \"b\" . }}default {{ .Release.Name }}{{ end }}", "{{ define \"r\" }}{{ if gt . 0 }}{{ . }}{{ template \"r\" sub . 1 }}{{ end }}{{ end }}{{ template \"r\" 3 }}",
        "{{ define \"a\" }}{{ .x }}{{ end }}{{ template \"a\" dict \"x\" 1 }}", "{{ define \"a\" }}A{{ end }}{{ define \"a\" }}B{{ end }}{{ template \"a\" }}",
        "{{ define \"a\" }}{{ define \"b\" }}{{ end }}{{ end }}", "{{ template .Values.x }}", "{{ template \"a\" 1 2 }}",
        "{{ include \"t.fullname\" . }}", "{{ include \"t.labels\" . | nindent 4 }}", "{{ include \"t.name\" . | upper }}",
        "{{ include \"nope\" . }}", "{{ include \"t.name\" }}", "{{ include }}", "{{ tpl \"{{ .Release.Name }}\" . }}",
        "{{ tpl \"{{ .Values.image.tag }}-{{ include \\\"t.name\\\" . }}\" . }}", "{{ tpl \"{{ .x }}\" (dict \"x\" 1) }}",
        "{{ tpl \"{{ .Template.Name }}\" . }}", "{{ tpl \"{{ if }}\" . }}", "{{ tpl \"{{ fail \\\"boom\\\" }}\" . }}",
        "{{ tpl (toYaml .Values.image) . }}", "{{ tpl 1 . }}", "{{ tpl \"{{ define \\\"zz\\\" }}Z{{ end }}{{ template \\\"zz\\\" }}\" . }}",
        "{{ define \"d\" }}{{ . }}{{ end }}{{ include \"d\" (list 1 2) }} {{ include \"d\" nil }}",
    ]  # fmt: skip
    yield from _many("ctl", ts, files=True)


@family
def fam_compare() -> Iterator[Snippet]:
    ops = ["eq", "ne", "lt", "le", "gt", "ge"]
    args = ["1", "2", "1.0", '"1"', '"a"', "true", "nil", ".Values.replicaCount", ".Values.config.ratio",
            ".Values.config.big", ".Values.missing", ".Values.extraArgs", "(int64 3)", "-1"]  # fmt: skip
    ts = []
    rng = random.Random(11)
    for op in ops:
        for _ in range(14):
            a, b = rng.choice(args), rng.choice(args)
            ts.append(f"{{{{ {op} {a} {b} }}}}")
    ts += ['{{ eq 1 2 3 1 }}', '{{ eq "a" "b" "a" }}', "{{ eq .Values.image .Values.image }}", "{{ eq }}", "{{ lt 1 }}",
           "{{ eq (list 1) (list 1) }}", "{{ eq 3 .Values.replicaCount }}", "{{ lt .Values.replicaCount 5 }}",
           "{{ gt (len .Values.extraArgs) 2 }}", "{{ eq .Values.service.type \"ClusterIP\" }}", "{{ ne nil nil }}"]  # fmt: skip
    yield from _many("cmp", ts)


@family
def fam_printf() -> Iterator[Snippet]:
    verbs = ["%v", "%+v", "%#v", "%d", "%s", "%q", "%x", "%X", "%o", "%O", "%b", "%e", "%E", "%f", "%F", "%g",
             "%G", "%t", "%T", "%c", "%U", "%5d", "%-5d|", "%05d", "%.2f", "%8.3f", "%+d", "% d", "%6.2s", "%.0f",
             "%10v|", "%x%%", "%!", "%z", "%[2]v %[1]v", "%*d", "%d %d", "%.3g", "%#x", "%#o", "%08.3f"]  # fmt: skip
    operands = ["1", "-7", "3.14159", "1e21", '"héllo"', "true", "nil", ".Values.config.big", ".Values.config.ratio",
                ".Values.extraArgs", ".Values.image", ".Values.config.list", ".Values.replicaCount", "(int64 255)",
                ".Values.config.nested", "(list)", "(dict)", "0.1",
                "100000000.0", "1234567.0", ".Values.config.exp", "(float64 3)"]  # fmt: skip
    rng = random.Random(5)
    ts = [f'{{{{ printf "{v}" {o} }}}}' for v in verbs for o in rng.sample(operands, 5)]
    ts += ['{{ printf "%s" }}', '{{ printf "%d %s" 1 }}', '{{ printf "x" 1 }}', '{{ printf "%v" .Values.env }}',
           '{{ printf "%s" .Values.config.list }}', '{{ printf "%d" .Values.config.list }}', '{{ printf }}',
           '{{ printf 1 }}', '{{ printf "%v %v" .Values.podAnnotations .Values.config.keep }}']  # fmt: skip
    yield from _many("printf", ts)


@family
def fam_strings() -> Iterator[Snippet]:
    s = ['"Hello, World"', '"  padded  "', '""', '"héllo wörld"', '"snake_case-Kebab CamelCase"', ".Values.config.multiline",
         ".Values.image.tag", "1", "nil", ".Values.missing", '"aBc DeF ghi"', '"HTTPServer2XML"']  # fmt: skip
    fns = ["upper", "lower", "title", "untitle", "trim", "nospace", "snakecase", "camelcase", "kebabcase",
           "swapcase", "initials", "quote", "squote", "toString", "b64enc", "b32enc", "sha1sum", "sha256sum",
           "adler32sum", "trimAll \"o\"", "trimPrefix \"He\"", "trimSuffix \"d\"", "trunc 5", "trunc -3", "trunc 0",
           "abbrev 5", "abbrev 100", "abbrevboth 3 8", "repeat 3", "repeat 0", "substr 1 4", "substr 3 1",
           "substr -1 2", "substr 0 100", "wrap 5", "wrapWith 5 \"\\n\\t\"", "indent 2", "nindent 2", "replace \"l\" \"L\"",
           "cat \"x\" nil", "contains \"ll\"", "hasPrefix \"He\"", "hasSuffix \"d\"", "plural \"one\" \"many\"",
           "splitList \",\"", "split \",\"", "splitn \",\" 2", "regexMatch \"^H\"", "regexFind \"[a-z]+\"",
           "regexFindAll \"[a-z]\" 3", "regexFindAll \"[a-z]\" -1", "regexReplaceAll \"(l+)\" \"<${1}>\"",
           "regexReplaceAllLiteral \"l\" \"$1\"", "regexSplit \"l+\" -1", "regexQuoteMeta", "shuffle | len",
           "toStrings", "len", "html", "js", "urlquery", "print", "toJson", "toYaml", "toRawJson", "squote | quote",
           "trimAll \"\"", "mustRegexMatch \"(\"", "regexMatch \"(\"", "b64enc | b64dec", "b32enc | b32dec", "b64dec",
           "ellipsis", "toDecimal", "atoi", "int", "float64"]  # fmt: skip
    ts = []
    for i, f in enumerate(fns):
        for j, arg in enumerate(s):
            if (i + j) % 3 == 0 or f in ("upper", "trunc 5", "quote", "title", "camelcase", "snakecase", "kebabcase"):
                ts.append(f"{{{{ {arg} | {f} }}}}")
    ts += ['{{ join "," (list 1 "a" nil 2.5) }}', '{{ join "-" .Values.extraArgs }}', '{{ join "," "abc" }}',
           '{{ join "," nil }}', '{{ sortAlpha (list "b" "a" 10 2) }}', '{{ splitList "" "abc" }}',
           '{{ (split "." "a.b.c")._1 }}', '{{ (splitn "." 2 "a.b.c")._1 }}', '{{ indent -2 "x" }}',
           '{{ nindent 0 "a\\nb" }}', '{{ indent 2 "a\\n\\nb\\n" }}', '{{ replace "" "x" "abc" }}',
           '{{ repeat -1 "x" }}', '{{ "a" | repeat 3 | upper }}', '{{ quote 1 2.5 nil true "x" }}',
           '{{ squote }}', '{{ cat }}', '{{ cat 1 (list 2 3) }}', '{{ title "hello_world foo-bar" }}',
           '{{ camelcase "hello_world foo-bar" }}', '{{ snakecase "ABCdefGHI jKL" }}', '{{ kebabcase "ABCdefGHI jKL" }}',
           '{{ initials "hello world  foo" }}', '{{ wrap 10 "a very long line of text that wraps" }}',
           '{{ abbrevboth 5 10 "1234 5678 9123 4567" }}', '{{ trunc 63 (printf "%s-%s" .Release.Name "very-long-name-that-goes-on-and-on-and-on-forever-and-more") }}',
           '{{ substr 0 3 "héllo" }}', '{{ trunc 2 "héllo" }}', '{{ "héllo" | upper }}', '{{ "ǅ" | title }}',
           '{{ "ß" | upper }}', '{{ "İ" | lower }}', '{{ toString 1.0 }} {{ toString .Values.config.ratio }} {{ toString .Values.config.big }}',
           '{{ toStrings (list 1 nil "a" 2.5 true) }}', '{{ toString nil }} {{ toString (list 1) }}',
           '{{ regexFind "a(b)" "xabab" }} {{ regexReplaceAll "a(?P<x>b)" "xabab" "${x}!" }}',
           '{{ regexReplaceAll "\\\\d" "a1b22" "#" }}', '{{ regexSplit "," "a,b,,c" 2 }}',
           '{{ mustRegexFind "(" "x" }}', '{{ regexFind "\\\\p{Greek}+" "abc αβγ" }}', '{{ regexMatch "(?i)HELLO" "hello" }}',
           '{{ regexMatch "a{2,}" "caab" }}', '{{ regexReplaceAll "(?m)^" "a\\nb" "> " }}',
           '{{ regexFindAll "(a)(b)?" "ab a" -1 }}', '{{ regexMatch "\\\\bfoo\\\\b" "a foo b" }}']  # fmt: skip
    yield from _many("str", ts)


@family
def fam_math() -> Iterator[Snippet]:
    nums = ["1", "-3", "2.5", "0", ".Values.replicaCount", ".Values.config.ratio", ".Values.config.big",
            ".Values.config.maxint", '"7"', '"x"', "nil", "true", ".Values.config.bigint", "(int64 9)", '"2.5"',
            ".Values.config.exp", ".Values.config.neg", ".Values.config.hex", ".Values.config.octal"]  # fmt: skip
    fns2 = ["add", "sub", "mul", "div", "mod", "max", "min", "addf", "subf", "mulf", "divf", "maxf", "minf", "round"]
    fns1 = ["add1", "int", "int64", "float64", "floor", "ceil", "atoi", "toDecimal", "add1f", "sub1f", "biggest",
            "toString", "seq", "until", "len"]  # fmt: skip
    rng = random.Random(3)
    ts = []
    for f in fns2:
        for _ in range(10):
            ts.append(f"{{{{ {f} {rng.choice(nums)} {rng.choice(nums)} }}}}")
    for f in fns1:
        for n in rng.sample(nums, 8):
            ts.append(f"{{{{ {f} {n} }}}}")
    ts += ["{{ add 1 2 3 4.5 }}", "{{ mul 2 3 4 }}", "{{ max 1 5 3 }}", "{{ min 4 2 8 }}", "{{ addf 1.1 2.2 }}",
           "{{ mulf 0.1 3 }}", "{{ divf 1 3 }}", "{{ divf 1 0 }}", "{{ div 1 0 }}", "{{ mod 5 0 }}", "{{ div 7 2 }}",
           "{{ div -7 2 }}", "{{ mod -7 2 }}", "{{ round 2.567 2 }}", "{{ round -2.5 0 }}", "{{ round 2.5 0 0.6 }}",
           "{{ seq 5 }}", "{{ seq 2 5 }}", "{{ seq 5 2 }}", "{{ seq 1 2 9 }}", "{{ seq 0 }}", "{{ seq 1 0 5 }}",
           "{{ until 3 }}", "{{ untilStep 0 10 3 }}", "{{ untilStep 10 0 -4 }}", "{{ untilStep 0 10 0 }}",
           "{{ add .Values.config.maxint 1 }}", "{{ mul .Values.config.big 2 }}", "{{ int .Values.config.big }}",
           "{{ int64 .Values.config.big }}", "{{ float64 \"1e400\" }}", "{{ int \"0x1F\" }}", "{{ int \"1e3\" }}",
           "{{ int \"  5\" }}", "{{ int 2.9 }}", "{{ int -2.9 }}", "{{ atoi \"12abc\" }}", "{{ atoi \"-12\" }}",
           "{{ floor \"3.7\" }}", "{{ ceil -0.5 }}", "{{ 0.1 | addf 0.2 }}", "{{ addf 1 2 }}", "{{ maxf 1 2.5 \"3\" }}",
           "{{ add1 .Values.config.version }}", "{{ sub 10 .Values.replicaCount }}", "{{ mul .Values.resources.requests.cpu 1000 }}",
           "{{ mulf .Values.resources.requests.cpu 1000 }}", "{{ div .Values.autoscaling.maxReplicas 3 }}",
           "{{ .Values.replicaCount | add 1 | toString | quote }}", "{{ randInt 1 2 }}", "{{ randInt 5 5 }}",
           "{{ 3 | mod 10 }}", "{{ int64 \"9223372036854775808\" }}", "{{ int \"-9223372036854775809\" }}",
           "{{ toDecimal \"0777\" }}", "{{ toDecimal \"abc\" }}", "{{ float64 \"1_000.5\" }}", "{{ float64 \"0x1p4\" }}",
           "{{ float64 \"inf\" }}", "{{ int \"1_000\" }}", "{{ int \"0b11\" }}", "{{ int64 \"0o17\" }}", "{{ int true }}"]  # fmt: skip
    yield from _many("math", ts)


@family
def fam_lists() -> Iterator[Snippet]:
    lists = ["(list 1 2 3)", '(list "b" "a" "c" "a")', "(list)", ".Values.extraArgs", ".Values.config.list",
             ".Values.tolerations", "nil", ".Values.missing", '"abc"', "(list 1 (list 2) nil)", ".Values.image",
             '(list "" 0 nil false "x")']  # fmt: skip
    fns = ["first", "last", "rest", "initial", "reverse", "uniq", "compact", "sortAlpha", "len", "toJson",
           'append "z"', 'prepend "a"', 'without "a"', 'has "a"', "concat (list 9)", "slice 1", "slice 1 2",
           "chunk 2", "mustFirst", "mustLast", "mustRest", "mustInitial", "mustReverse", "mustUniq", "mustCompact",
           'mustAppend "z"', 'mustPrepend "a"', 'mustWithout "a"', 'mustHas "a"', "mustSlice 0 1", "mustChunk 1",
           "join \";\"", "toStrings", "kindOf", "typeOf", "empty", "shuffle | len", "deepCopy", "mustDeepCopy"]  # fmt: skip
    ts = []
    for i, f in enumerate(fns):
        for j, lst in enumerate(lists):
            if (i * 7 + j) % 3 == 0 or lst in ("(list 1 2 3)", "nil"):
                ts.append(f"{{{{ {lst} | {f} }}}}")
    ts += ['{{ has 1 (list 1.0 1) }}', '{{ has nil (list nil) }}', '{{ concat (list 1) (list 2 3) (list) }}',
           '{{ concat (list 1) "x" }}', '{{ append nil 1 }}', '{{ uniq (list 1 1.0 "1" (list 1) (list 1)) }}',
           '{{ without (list 1 2 1 3) 1 3 }}', '{{ slice (list 1 2 3) 5 }}', '{{ chunk 0 (list 1 2) }}',
           '{{ index (list 1 2 3) 1 }}', '{{ list 1 "a" 2.5 nil true (dict "a" 1) | toYaml }}',
           '{{ (list 1 2) | toPrettyJson }}', '{{ $l := list 1 }}{{ $_ := append $l 2 }}{{ $l }}',
           '{{ range (list 3 1 2 | sortAlpha) }}{{ . }}{{ end }}', '{{ tuple 1 "a" }}', '{{ list }}']  # fmt: skip
    yield from _many("list", ts)


@family
def fam_dicts() -> Iterator[Snippet]:
    ts = [
        '{{ dict "a" 1 "b" "x" }}', '{{ dict "a" }}', '{{ dict 1 2 }}', '{{ dict nil 2 }}', '{{ dict }}', '{{ dict "b" 1 "a" 2 | toYaml }}',
        '{{ get .Values.image "tag" }}', '{{ get .Values.image "nope" }}', '{{ get nil "a" }}', '{{ get .Values.image 1 }}',
        '{{ $d := dict "a" 1 }}{{ $_ := set $d "b" 2 }}{{ $d }}', '{{ $d := dict "a" 1 }}{{ unset $d "a" }}', '{{ set nil "a" 1 }}',
        '{{ hasKey .Values "image" }} {{ hasKey .Values "nope" }} {{ hasKey nil "x" }}', '{{ keys .Values.image | sortAlpha }}',
        '{{ keys .Values.image .Values.service | sortAlpha }}', '{{ keys nil }}', '{{ values .Values.podAnnotations | sortAlpha }}',
        '{{ pick .Values.image "tag" "repository" "nope" }}', '{{ omit .Values.image "tag" }}', '{{ pluck "tag" .Values.image (dict "tag" 2) (dict) }}',
        '{{ merge (dict "a" 1 "n" (dict "x" 1)) (dict "a" 2 "b" 3 "n" (dict "y" 2)) }}', '{{ mergeOverwrite (dict "a" 1) (dict "a" 2 "b" nil) }}',
        '{{ merge (dict "a" nil) (dict "a" 2) }}', '{{ mustMerge (dict) 1 }}', '{{ merge (dict) 1 }}', '{{ mergeOverwrite .Values.image (dict "tag" "x") | toYaml }}',
        '{{ deepCopy .Values.image | toJson }}', '{{ dig "a" "b" "c" "def" (dict "a" (dict "b" (dict "c" 1))) }}',
        '{{ dig "a" "x" "def" (dict "a" (dict "b" 1)) }}', '{{ dig "image" "tag" "def" .Values }}', '{{ dig "a" "def" nil }}',
        '{{ dig "a" "b" "def" (dict "a" 1) }}', '{{ dig "a" }}', '{{ (dict "a" (dict "b" 1)).a.b }}', '{{ (dict "a" 1).b }}',
        '{{ (dict "a" 1).b.c }}', '{{ dict "a" 1 | keys }}', '{{ pick (dict "a" 1) }}', '{{ omit nil "a" }}',
        '{{ range $k, $v := dict "b" 1 "a" 2 "c" 3 }}{{ $k }}{{ $v }}{{ end }}', '{{ .Values.image | toJson }}',
        '{{ $x := dict "a" (list 1 2) }}{{ $x.a }}', '{{ dict "z" 1 "a" (dict "y" 2 "b" 3) | toPrettyJson }}',
        '{{ dict "z" 1 "a" 2 | toToml }}', '{{ dict "a" (dict "b" 1) "c" (list 1 2) "d" "s" | toToml }}',
        '{{ index (dict "a" (dict "b" 2)) "a" "b" }}', '{{ index (dict) "x" }}', '{{ index (dict "a" 1) 1 }}',
    ]  # fmt: skip
    yield from _many("dict", ts)


@family
def fam_defaults() -> Iterator[Snippet]:
    vals = ['""', "0", "0.0", "nil", "false", "(list)", "(dict)", '"x"', "1", ".Values.missing", ".Values.config.tilde",
            ".Values.nameOverride", ".Values.nodeSelector", ".Values.replicaCount", ".Values.config.fzero", "(list 0)"]  # fmt: skip
    ts = []
    for v in vals:
        ts += [f'{{{{ default "d" {v} }}}}', f"{{{{ empty {v} }}}}", f'{{{{ coalesce {v} "c" }}}}',
               f'{{{{ ternary "y" "n" (not (empty {v})) }}}}', f"{{{{ {v} | default 5 | toJson }}}}"]  # fmt: skip
    ts += ['{{ default }}', '{{ default 1 }}', '{{ default 1 2 3 }}', '{{ coalesce }}', '{{ coalesce nil nil }}',
           '{{ ternary 1 2 "x" }}', '{{ ternary 1 2 }}', '{{ all 1 "a" (list 1) }}', '{{ all 1 0 }}', '{{ any 0 "" 1 }}',
           '{{ any }}', '{{ all }}', '{{ fail "boom" }}', '{{ fail 1 }}', '{{ required "need x" .Values.missing }}',
           '{{ required "need x" .Values.replicaCount }}', '{{ required "need" "" }}', '{{ required "need" nil }}',
           '{{ required "need" 0 }}', '{{ required "need" .Values.nameOverride }}', '{{ required .Values.missing "x" }}',
           '{{ "x" | required "msg" }}', '{{ toJson (coalesce (list) (dict "a" 1)) }}', '{{ default (list 1) nil | first }}',
           '{{ fromJson "{\\"a\\": 1}" }}', '{{ fromJson "bad" }}', '{{ mustFromJson "bad" }}', '{{ fromJsonArray "[1, 2.5, \\"a\\"]" }}',
           '{{ fromJsonArray "{}" }}', '{{ (fromJson "{\\"a\\": 12345678901234567890}").a }}', '{{ toJson 1e21 }} {{ toJson 1e20 }} {{ toJson 0.000001 }} {{ toJson 1e-7 }}',
           '{{ toJson .Values.config.big }}', '{{ toJson (float64 "NaN") }}', '{{ mustToJson (float64 "-inf") }}',
           '{{ toPrettyJson (dict) }} {{ toPrettyJson (list) }} {{ toJson nil }}', '{{ toRawJson "<&>" }}', '{{ toJson "<&>" }}']  # fmt: skip
    yield from _many("dflt", ts)


@family
def fam_yaml() -> Iterator[Snippet]:
    paths = VALUE_PATHS["helm"]
    ts = [f"{{{{ toYaml {p} }}}}" for p in paths]
    ts += [f"x:{{{{ {p} | toYaml | nindent 2 }}}}" for p in paths[::4]]
    ts += [f"{{{{ {p} | toJson }}}}" for p in paths[::2]]
    ts += [
        '{{ fromYaml "a: 1\\nb: [x, 2.5]" | toJson }}', '{{ fromYaml "- 1\\n- 2" | toJson }}', '{{ fromYaml ": bad: [" | toJson }}',
        '{{ (fromYaml "a: 1").Error }}', '{{ (fromYaml "- x").Error }}', '{{ fromYamlArray "- 1\\n- a: 2" | toJson }}',
        '{{ fromYamlArray "a: 1" | toJson }}', '{{ fromYaml "" | toJson }}', '{{ fromYaml "~" | toJson }}',
        '{{ fromYaml "a: yes\\nb: on\\nc: 0x1F\\nd: 1e3\\ne: 0755\\nf: 2024-01-02\\ng: 12345678901234567890" | toJson }}',
        '{{ fromYaml "a: &x 1\\nb: *x" | toJson }}', '{{ fromYaml "a: 1\\na: 2" | toJson }}', '{{ fromYaml "? [1]\\n: x" | toJson }}',
        '{{ fromYaml "a: !!str 1\\nb: !!int \\"2\\"" | toJson }}', '{{ fromYaml "a:\\n  - b: 1\\n    c: 2" | toYaml }}',
        '{{ toYaml "" }}|{{ toYaml nil }}|{{ toYaml (list) }}|{{ toYaml (dict) }}|{{ toYaml 1.0 }}|{{ toYaml "1.0" }}',
        '{{ toYaml "yes" }} {{ toYaml "on" }} {{ toYaml "null" }} {{ toYaml "~" }} {{ toYaml "0x1F" }} {{ toYaml "1e3" }} {{ toYaml "012" }}',
        '{{ toYaml "a: b" }} {{ toYaml "- x" }} {{ toYaml "#c" }} {{ toYaml " lead" }} {{ toYaml "trail " }} {{ toYaml "@x" }} {{ toYaml "`x" }}',
        '{{ toYaml "multi\\nline" }}|{{ toYaml "multi\\nline\\n" }}|{{ toYaml "trail \\nx" }}|{{ toYaml "\\ttab\\nx" }}',
        '{{ toYaml (list "a\\nb" "c") }}', '{{ toYaml (dict "k" "v\\n\\n") }}', '{{ toYaml (repeat 30 "word ") }}',
        '{{ toYaml (dict "a b" 1 "a:b" 2 "-x" 3 "y" 4 "" 5 "null" 6 "1" 7) }}', '{{ toYaml (list (list 1 2) (list) (dict)) }}',
        '{{ toYaml 1e21 }} {{ toYaml 1e20 }} {{ toYaml 0.000001 }} {{ toYaml 123456789.0 }} {{ toYaml -0.0 }}',
        '{{ toYaml .Values | len }}', '{{ .Values.config.multiline | toYaml | indent 2 }}', '{{ toYaml "é✓😀" }} {{ toYaml "\\u0007" }}',
        '{{ toYaml (dict "a" (list (dict "b" 1 "c" (list 2)))) }}', '{{ mustToYaml (dict "a" 1) }}', '{{ toYaml "\\u2028" }}',
        '{{ toYaml (printf "%s" "a\\r\\nb") }}', '{{ toYaml "  a\\nb" }}', '{{ toYaml "a\\n  b" }}', '{{ toYaml "x\\n " }}',
    ]  # fmt: skip
    yield from _many("yaml", ts)


@family
def fam_helm_objects() -> Iterator[Snippet]:
    ts = [
        "{{ .Release.Name }} {{ .Release.Namespace }} {{ .Release.Service }} {{ .Release.IsInstall }} {{ .Release.IsUpgrade }} {{ .Release.Revision }}",
        "{{ .Chart.Name }} {{ .Chart.Version }} {{ .Chart.AppVersion }} {{ .Chart.ApiVersion }} {{ .Chart.APIVersion }} {{ .Chart.Description }}",
        "{{ .Chart }}", "{{ .Release }}", "{{ .Template.Name }} {{ .Template.BasePath }}", "{{ .Template }}",
        "{{ .Capabilities.KubeVersion }} {{ .Capabilities.KubeVersion.Version }} {{ .Capabilities.KubeVersion.Major }} {{ .Capabilities.KubeVersion.Minor }}",
        "{{ .Capabilities.KubeVersion.GitVersion }}", '{{ .Capabilities.APIVersions.Has "apps/v1" }} {{ .Capabilities.APIVersions.Has "x/v9" }}',
        '{{ .Capabilities.APIVersions.Has "apps/v1/Deployment" }}', "{{ .Capabilities.HelmVersion.Version }}",
        '{{ semverCompare ">=1.19-0" .Capabilities.KubeVersion.GitVersion }}', '{{ semverCompare "<1.20" .Capabilities.KubeVersion.Version }}',
        "{{ .Capabilities.APIVersions | len | lt 10 }}", '{{ .Files.Get "files/app.conf" }}', '{{ .Files.Get "nope" }}|',
        '{{ .Files.GetBytes "files/bin.dat" }}', '{{ .Files.Get "files/bin.dat" | b64enc }}', '{{ .Files.Lines "files/app.conf" }}',
        '{{ range .Files.Lines "files/app.conf" }}[{{ . }}]{{ end }}', '{{ (.Files.Glob "config/*.yaml").AsConfig }}',
        '{{ (.Files.Glob "config/*").AsSecrets }}', '{{ range $p, $c := .Files.Glob "config/**" }}{{ $p }}={{ $c | toString | trim }};{{ end }}',
        '{{ .Files.Glob "files/*" | len }}', '{{ .Files.AsConfig }}', '{{ (.Files.Glob "none/*").AsConfig }}|',
        '{{ .Files.Get "templates/t.yaml" | len }}', '{{ .Files.Get "values.yaml" | len }}', '{{ .Files.Get "Chart.yaml" }}',
        '{{ .Files.Get "files/data.json" | fromJson | toYaml }}', '{{ .Files.Get }}', '{{ .Files.Get 1 }}',
        '{{ lookup "v1" "Namespace" "" "default" }}', '{{ lookup "v1" "Pod" "ns" "" | toJson }}', '{{ (lookup "v1" "Secret" "ns" "x").data }}',
        '{{ lookup "v1" }}', '{{ .Values.image.tag | quote }}', '{{ .Values.Values }}', '{{ .values }}', '{{ .Foo }}',
        '{{ .Release.Foo }}', '{{ .Chart.Foo }}', '{{ .Capabilities.Foo }}', '{{ .Files.Foo }}', "{{ .Chart.Maintainers }} {{ .Chart.Keywords }} {{ .Chart.Dependencies }}",
        "{{ .Chart.IsRoot }}", "{{ .Subcharts }}", "{{ .Chart.Annotations }}", "{{ .Chart.Type }} {{ .Chart.Home }} {{ .Chart.Icon }}",
        '{{ toYaml .Chart }}', '{{ toJson .Release }}', '{{ .Values.YAML }}', '{{ .Values.AsMap | len }}', '{{ .Values.Table "image" }}',
        '{{ .Values.PathValue "image.tag" }}', '{{ .Values.PathValue "image.nope" }}', '{{ kindOf .Values }} {{ typeOf .Values }}',
        '{{ typeOf .Files }} {{ typeOf .Capabilities }} {{ typeOf .Release }} {{ typeOf .Chart }}', '{{ typeOf .Template }}',
        '{{ kindOf .Capabilities.APIVersions }}', '{{ .Capabilities.APIVersions | toJson | len | lt 3 }}', '{{ typeOf .Capabilities.KubeVersion }}',
        '{{ printf "%v" .Capabilities.KubeVersion }}', '{{ toJson .Capabilities.KubeVersion }}', '{{ .Release.Name | len }}',
    ]  # fmt: skip
    yield from _many("helm", ts, files=True)


@family
def fam_sprig_misc() -> Iterator[Snippet]:
    ts = [
        '{{ b64dec "aGVsbG8=" }} {{ b64dec "!!" }} {{ b32dec "NBSWY3DP" }} {{ b32dec "x" }}', '{{ sha256sum "" }} {{ sha1sum "a" }} {{ adler32sum "x" }} {{ sha512sum "a" | len }}',
        '{{ semver "1.2.3-rc.1+b" }}', '{{ (semver "1.2.3").Major }} {{ (semver "v1.2").Minor }}', '{{ semver "nope" }}',
        '{{ semverCompare "^1.2" "1.3.0" }} {{ semverCompare "~1.2" "1.3.0" }} {{ semverCompare ">= 1.2, < 2" "1.9.9" }}',
        '{{ semverCompare "1.x" "1.2.3-beta" }} {{ semverCompare ">=1.0.0-0" "1.0.0-alpha" }} {{ semverCompare "bad" "1.0.0" }}',
        '{{ semverCompare "1.0.0" "bad" }}', '{{ (semver "1.2.3").Compare (semver "1.2.4") }}', '{{ (semver "v1.2.3").Original }}',
        '{{ typeOf 1 }} {{ typeOf 1.5 }} {{ typeOf "s" }} {{ typeOf nil }} {{ typeOf (list) }} {{ typeOf (dict) }} {{ typeOf true }}',
        '{{ kindOf 1 }} {{ kindOf 1.5 }} {{ kindOf "s" }} {{ kindOf nil }} {{ kindOf (list) }} {{ kindOf (dict) }} {{ kindOf (int64 1) }}',
        '{{ typeOf .Values.replicaCount }} {{ typeOf .Values.config.big }} {{ typeOf .Values.extraArgs }} {{ typeOf .Values.config.date }}',
        '{{ typeIs "int" 1 }} {{ typeIsLike "string" "x" }} {{ kindIs "map" .Values }} {{ kindIs "slice" .Values.extraArgs }}',
        '{{ deepEqual (list 1 2) (list 1 2) }} {{ deepEqual 1 1.0 }} {{ deepEqual .Values.image .Values.image }}',
        '{{ typeOf (splitList "," "a") }} {{ typeOf (split "," "a") }} {{ typeOf (semver "1.0.0") }} {{ typeOf (until 2) }}',
        '{{ base "/a/b.txt" }} {{ dir "/a/b.txt" }} {{ ext "x.tar.gz" }} {{ clean "a//b/../c/." }} {{ isAbs "/x" }}',
        '{{ osBase "a/b" }} {{ osDir "a/b" }} {{ osClean "a/../b" }} {{ osExt "a.b" }} {{ osIsAbs "a" }}', '{{ base "" }} {{ dir "" }} {{ clean "" }}',
        '{{ urlParse "https://u:p@host:8080/p/a?q=1&r=2#frag" | toJson }}', '{{ urlJoin (dict "scheme" "http" "host" "h" "path" "/x" "query" "a=1") }}',
        '{{ urlParse "::bad" }}', '{{ (urlParse "http://h/a%20b").path }}', '{{ urlquery "x y" }}',
        '{{ date "2006-01-02" (toDate "2006-01-02" "2024-02-29") }}', '{{ toDate "2006-01-02" "bad" }}', '{{ mustToDate "2006-01-02" "bad" }}',
        '{{ dateInZone "2006-01-02 15:04 MST" (toDate "2006-01-02T15:04:05Z07:00" "2024-01-02T03:04:05+02:00") "UTC" }}',
        '{{ unixEpoch (toDate "2006-01-02" "2024-01-02") }}', '{{ (toDate "2006-01-02" "2024-01-02") | date "Mon Jan 2 2006" }}',
        '{{ dateModify "1h30m" (toDate "2006-01-02" "2024-01-02") | date "15:04" }}', '{{ dateModify "bad" (toDate "2006-01-02" "2024-01-02") }}',
        '{{ duration 3661 }} {{ duration "95" }} {{ durationRound "3601s" }} {{ durationRound 90000 }}', '{{ date "2006" 0 }}',
        '{{ date "2006-01-02" 86400 }}', '{{ htmlDate 0 }} {{ htmlDateInZone 0 "UTC" }}', '{{ now | date "2006" | len }}', '{{ now | kindOf }}',
        '{{ toDate "2006-01-02" "2024-01-02" }}', '{{ typeOf (toDate "2006-01-02" "2024-01-02") }}', '{{ date "2006" "x" }}',
        '{{ uuidv4 | len }}', '{{ randAlphaNum 8 | len }} {{ randAlpha 3 | regexMatch "^[a-zA-Z]{3}$" }} {{ randNumeric 4 | len }} {{ randAscii 5 | len }}',
        '{{ derivePassword 1 "long" "password" "user" "example.com" }}', '{{ genPrivateKey "rsa" | len | lt 100 }}',
        '{{ encryptAES "secretkey" "plaintext" | len | lt 0 }}', '{{ decryptAES "secretkey" "bad" }}', '{{ bcrypt "x" | len }}', '{{ htpasswd "u" "p" | len }}',
        '{{ getHostByName "localhost" | len | lt 0 }}', '{{ env "HOME" }} {{ expandenv "$NOPE" }}', '{{ toToml (dict "a" (list 1 "x")) }}',
        '{{ fromToml "a = 1" | toJson }}', '{{ fromToml "bad =" | toJson }}', '{{ semver "1.2.3" | toJson }}', '{{ regexMatch "[" "x" }}',
        '{{ list 1 2 | toString }} {{ dict "a" 1 | toString }} {{ toString (semver "1.2.3") }}', '{{ sortAlpha (keys .Values.config.nested) }}',
        '{{ $x := "a" }}{{ $x | cat "b" | nospace }}', '{{ "abc" | splitList "" | reverse | join "" }}',
    ]  # fmt: skip
    yield from _many("misc", ts, files=True)


@family
def fam_sprig_rest() -> Iterator[Snippet]:
    """The functions the other families leave out: aliases, must* variants, certificates
    (random: only their shape is compared), Helm 4's toYamlPretty and mustToToml."""
    d = '(toDate "2006-01-02T15:04:05Z07:00" "2024-03-04T05:06:07+02:00")'
    ts = [
        f'{{{{ date_in_zone "2006-01-02 15:04:05 -0700" {d} "Asia/Tokyo" }}}}', f'{{{{ date_modify "-25h" {d} | date "2006-01-02 15:04" }}}}',
        f'{{{{ mustDateModify "90m" {d} | date "15:04" }}}}', f'{{{{ must_date_modify "1x" {d} }}}}', f'{{{{ mustDateModify "bad" {d} }}}}',
        f'{{{{ dateInZone "2006-01-02" {d} "Nowhere/Zone" }}}}', f'{{{{ {d} | ago | len | lt 0 }}}}', '{{ ago 0 | len | lt 0 }}',
        '{{ mustMergeOverwrite (dict "a" 1) (dict "a" 2 "b" 3) | toJson }}', '{{ mustMergeOverwrite (dict) 1 }}',
        '{{ push (list 1) 2 | toJson }}', '{{ mustPush (list 1) 2 | toJson }}', '{{ mustPush 1 2 }}', '{{ push "ab" 1 }}',
        '{{ mustRegexFindAll "[0-9]+" "a1b22c333" 2 | toJson }}', '{{ mustRegexFindAll "(" "x" -1 }}',
        '{{ mustRegexReplaceAll "a(x*)b" "-ab-axxb-" "${1}W" }}', '{{ mustRegexReplaceAll "[" "x" "y" }}',
        '{{ mustRegexReplaceAllLiteral "a(x*)b" "-ab-axxb-" "${1}W" }}', '{{ mustRegexSplit "a" "banana" -1 | toJson }}',
        '{{ mustRegexSplit "a" "banana" 2 | toJson }}', '{{ mustRegexSplit "(" "x" 1 }}', '{{ mustToPrettyJson (dict "a" (list 1 "<x>")) }}',
        '{{ mustToRawJson (dict "a" "<x>&") }}', '{{ mustToToml (dict "a" 1 "b" (dict "c" "d")) }}', '{{ mustToToml 1 }}',
        '{{ toToml 1.5 }}', '{{ toToml (dict "f" 1.0 "g" 1e21 "h" 0.1 "i" -0.0) }}', '{{ toToml (dict "l" (list (dict "a" 1) (dict "b" 2))) }}',
        '{{ trimall "-" "--a-b--" }}', '{{ randBytes 12 | b64dec | len }}', '{{ randBytes 0 }}|',
        '{{ toYamlPretty (dict "b" (list 1 (dict "c" "x\ny")) "a" "s") }}', '{{ toYamlPretty .Values }}', '{{ toYamlPretty (list) }}',
        '{{ toYamlPretty "a: b" }}', '{{ toYamlPretty nil }}', '{{ toYamlPretty (dict "k" (list)) }}',
        '{{ $ca := genCA "my-ca" 365 }}{{ $ca.Cert | hasPrefix "-----BEGIN CERTIFICATE-----" }} {{ $ca.Key | hasPrefix "-----BEGIN RSA PRIVATE KEY-----" }}',
        '{{ $c := genSelfSignedCert "x.example.com" (list "10.0.0.1") (list "alt.example.com") 30 }}{{ $c.Cert | len | lt 500 }} {{ kindOf $c }} {{ typeOf $c }}',
        '{{ $ca := genCA "ca" 10 }}{{ $c := genSignedCert "svc" nil (list "svc.ns") 10 $ca }}{{ $c.Key | len | lt 500 }}',
        '{{ $k := genPrivateKey "ecdsa" }}{{ $c := genSelfSignedCertWithKey "n" nil nil 1 $k }}{{ $c.Key | eq $k }}',
        '{{ $k := genPrivateKey "ed25519" }}{{ $ca := genCAWithKey "ca" 5 $k }}{{ $ca.Key | eq $k }}',
        '{{ $ca := genCA "ca" 5 }}{{ $k := genPrivateKey "rsa" }}{{ $c := genSignedCertWithKey "n" nil nil 5 $ca $k }}{{ $c.Key | eq $k }}',
        '{{ $c := buildCustomCert "bad" "bad" }}', '{{ genPrivateKey "nope" }}', '{{ genSelfSignedCertWithKey "n" nil nil 1 "not a key" }}',
        '{{ $ca := genCA "ca" 5 }}{{ $c := buildCustomCert ($ca.Cert | b64enc) ($ca.Key | b64enc) }}{{ $c.Cert | eq $ca.Cert }}',
    ]  # fmt: skip
    yield from _many("rest", ts)


@family
def fam_errors() -> Iterator[Snippet]:
    """Malformed templates and execution failures, placed on various lines so locations matter."""
    bad = [
        "{{ .Values.x", "{{ if }}", "{{ end }}", "{{ else }}", "{{ nofunc 1 }}", "{{ $nope }}", "{{ 1 2 }}",
        '{{ "unterminated }}', "{{ 'ab' }}", "{{ `x }}", "{{ (1 }}", "{{ 1) }}", "{{ range }}{{ end }}",
        "{{ define }}{{ end }}", '{{ define "a" }}', "{{ if true }}x", "{{ with 1 }}{{ else }}{{ else }}{{ end }}",
        "{{ 3x }}", "{{ .a.b. }}", "{{ .Values..x }}", "{{ $x := }}", "{{ $x = 1 }}", "{{ := 1 }}", "{{ | upper }}",
        "{{ upper | }}", "{{ 1 | 2 }}", "{{ /* unterminated }}", "{{ /* c */ x }}", "{{ template }}", '{{ template "a" . . }}',
        "{{ break 1 }}", "{{ range . }}{{ continue 1 }}{{ end }}", "{{ .Values.x.y | }}", "{{ - 3}}", "{{ .Values.x }}}}{{",
        "{{ $x := 1 }}{{ $x.y }}", "{{ nil.x }}", "{{ 1.x }}", '{{ "s".x }}', "{{ .Values.image.tag.x.y }}", "{{ index 1 1 }}",
        "{{ upper 1 }}", "{{ upper }}", '{{ upper "a" "b" }}', "{{ add1 \"x\" | upper }}", "{{ len 1 }}", "{{ slice 1 }}",
        "{{ .Release.Name.x }}", '{{ fail "custom failure" }}', '{{ required "value x is required" .Values.nope }}',
        "{{ include \"missing\" . }}", "{{ template \"missing\" . }}", "{{ div 1 0 }}", "{{ mod 1 0 }}", "{{ toYaml }}",
        '{{ tpl "{{ .nope.x }}" . }}', "{{ .Values.config.list.x }}", "{{ index .Values.extraArgs 10 }}",
        '{{ printf "%d" "x" | int | upper }}', "{{ call .Values.image }}", "{{ .Capabilities.APIVersions.Has }}",
        '{{ .Files.Glob "[" }}', "{{ chunk 0 (list 1) }}", '{{ mustRegexMatch "[" "x" }}', '{{ semver "x" }}',
        '{{ dict "a" }}', "{{ and 1 }}{{ end }}", "{{ else if }}", "{{ if 1 }}{{ else if }}{{ end }}", "{{ .Values.x | call }}",
        "{{ range $i, $v := 3 }}{{ end }}", "{{ define \"x\" }}{{ end }}{{ define \"x\" }}", "{{ template 1 }}",
        "{{ 9999999999999999999999 }}", "{{ 1e999 }}", "{{ 0x }}", "{{ 1__0 }}", "{{ 'é' 'x' }}", "{{ '\\z' }}", '{{ "\\z" }}',
        "{{ $ := 1 }}", "{{ $x := 1 }}{{ $x := 2 }}{{ $x }}", "{{ with $x := 1 }}{{ end }}{{ $x }}", "{{ .Values.image | index }}",
    ]  # fmt: skip
    prefixes = ["", "line1\n", "a: 1\nb: 2\n  ", "{{/* c\n */}}\n\n", '{{- define "h" }}\nx\n{{- end }}\nkey: ']
    out = []
    for i, b in enumerate(bad):
        out.append(prefixes[i % len(prefixes)] + b + "\ntail")
    out += ["ok\n{{ if true }}\n{{ .Values.replicaCount | upper }}\n{{ end }}", "{{ range until 3 }}\n{{ if eq . 2 }}{{ fail \"at two\" }}{{ end }}\n{{ end }}",
            "{{ include \"t.fullname\" . }}\n{{ include \"bad.helper\" . }}", "x\n\n{{ template \"t.labels\" }}"]  # fmt: skip
    yield from _many("err", out, files=True)
    # An error inside a helper file: the location names the helper.
    helper = '{{- define "bad.helper" -}}\nok\n{{ .Values.image.tag.x.y }}\n{{- end }}\n{{- define "bad.fail" }}{{ fail "in helper" }}{{ end }}'
    for i, t in enumerate(['{{ include "bad.helper" . }}', '{{ include "bad.fail" . }}', 'a\n{{ template "bad.helper" . }}']):
        yield Snippet(f"err-helper-{i}", t, HELM_VALUES, (("templates/_bad.tpl", helper),))
    # A helper file with a parse error.
    yield Snippet("err-helper-parse", "x", HELM_VALUES, (("templates/_bad.tpl", "a\n\n{{ if }}"),))


@family
def fam_nested_errors() -> Iterator[Snippet]:
    """Failures deep inside helpers, tpl, range/with and blocks: Helm's location is the outermost
    action in t.yaml (include/tpl wrap the inner error), or the helper's own file."""
    inner = ['fail "inner"', "required \"req\" .nope", ".a.b.c", "index (list) 3", "div 1 0", "nofunc", "toYaml", "include \"none\" .",
             'tpl "{{ fail \\"deep\\" }}" $', "semver \"x\"", "(list 1).x", "template \"none\""]  # fmt: skip
    wrappers = [
        ('{{{{ define "h" }}}}\n{{{{ {x} }}}}\n{{{{ end }}}}', 'a\n{{{{ include "h" . }}}}'),
        ('{{{{ define "h" }}}}{{{{ range list 1 2 }}}}\n{{{{ {x} }}}}{{{{ end }}}}{{{{ end }}}}', '{{{{ include "h" . | nindent 2 }}}}'),
        ('{{{{ define "h" }}}}{{{{ with . }}}}{{{{ {x} }}}}{{{{ end }}}}{{{{ end }}}}', 'x: 1\ny: {{{{ template "h" . }}}}'),
        ('{{{{ define "h" }}}}{{{{ include "h2" . }}}}{{{{ end }}}}{{{{ define "h2" }}}}\n\n{{{{ {x} }}}}{{{{ end }}}}', '{{{{ include "h" . }}}}'),
        ("", '{{{{ tpl "line1\\n{{{{ {x} }}}}" . }}}}'),
        ("", '{{{{ range until 2 }}}}\n{{{{ tpl "{{{{ {x} }}}}" $ }}}}{{{{ end }}}}'),
        ('{{{{ define "h" }}}}{{{{ tpl "{{{{ {x} }}}}" . }}}}{{{{ end }}}}', '{{{{ include "h" . }}}}'),
        ("", '{{{{ block "b" . }}}}\n  {{{{ {x} }}}}\n{{{{ end }}}}'),
    ]
    i = 0
    for helper, main in wrappers:
        for x in inner:
            h = helper.format(x=x.replace('"', '\\"') if "tpl" in helper else x)
            m = main.format(x=x.replace('"', '\\"') if "tpl" in main else x)
            files = (("templates/_h.tpl", h),) if h else ()
            yield Snippet(f"nest-{i}", m, SMALL_VALUES, files)
            i += 1


@family
def fam_manifests() -> Iterator[Snippet]:
    """Whole, realistic manifests (what charts actually render)."""
    deploy = """\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{ include "t.fullname" . }}
  labels:
    {{- include "t.labels" . | nindent 4 }}
  {{- with .Values.podAnnotations }}
  annotations:
    {{- toYaml . | nindent 4 }}
  {{- end }}
spec:
  {{- if not .Values.autoscaling.enabled }}
  replicas: {{ .Values.replicaCount }}
  {{- end }}
  template:
    spec:
      {{- with .Values.imagePullSecrets }}
      imagePullSecrets:
        {{- toYaml . | nindent 8 }}
      {{- end }}
      containers:
        - name: {{ .Chart.Name }}
          image: "{{ .Values.image.repository }}:{{ .Values.image.tag | default .Chart.AppVersion }}"
          imagePullPolicy: {{ .Values.image.pullPolicy }}
          args:
            {{- range .Values.extraArgs }}
            - {{ . | quote }}
            {{- end }}
          env:
            {{- range .Values.env }}
            - name: {{ .name }}
              {{- if .value }}
              value: {{ .value | quote }}
              {{- end }}
            {{- end }}
          ports:
            - containerPort: {{ .Values.service.port }}
          resources:
            {{- toYaml .Values.resources | nindent 12 }}
      {{- with .Values.tolerations }}
      tolerations:
        {{- toYaml . | nindent 8 }}
      {{- end }}
"""
    configmap = """\
apiVersion: v1
kind: ConfigMap
metadata:
  name: {{ .Release.Name }}-cfg
  namespace: {{ .Release.Namespace | quote }}
data:
  {{- range $k, $v := .Values.config }}
  {{- if kindIs "map" $v }}
  {{ $k }}: {{ toJson $v | quote }}
  {{- else if kindIs "slice" $v }}
  {{ $k }}: {{ $v | join "," | quote }}
  {{- else }}
  {{ $k }}: {{ $v | toString | quote }}
  {{- end }}
  {{- end }}
  files: |
    {{- .Files.Get "files/app.conf" | nindent 4 }}
  {{- (.Files.Glob "config/*").AsConfig | nindent 2 }}
"""
    hook = """\
apiVersion: batch/v1
kind: Job
metadata:
  name: "{{ .Release.Name }}-hook"
  annotations:
    "helm.sh/hook": pre-install,pre-upgrade
    "helm.sh/hook-weight": "{{ .Values.replicaCount | sub 5 }}"
    "helm.sh/hook-delete-policy": before-hook-creation,hook-succeeded
    checksum/config: {{ toJson .Values.config | sha256sum }}
spec:
  backoffLimit: {{ .Values.config.retries | default 3 }}
  template:
    spec:
      restartPolicy: Never
      containers:
        - name: hook
          image: {{ printf "%s:%s" .Values.image.repository .Values.image.tag | quote }}
          command: ["/bin/sh", "-c", {{ .Files.Get "files/script.sh" | quote }}]
---
{{- if .Values.ingress.enabled }}
apiVersion: networking.k8s.io/v1
kind: Ingress
{{- end }}
"""
    ingress = """\
{{- $fullName := include "t.fullname" . -}}
{{- $svcPort := .Values.service.port -}}
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: {{ $fullName }}
spec:
  {{- if and .Values.ingress.className (semverCompare ">=1.18-0" .Capabilities.KubeVersion.GitVersion) }}
  ingressClassName: {{ .Values.ingress.className }}
  {{- end }}
  rules:
    {{- range .Values.ingress.hosts }}
    - host: {{ .host | quote }}
      http:
        paths:
          {{- range .paths }}
          - path: {{ .path }}
            pathType: {{ .pathType }}
            backend:
              service:
                name: {{ $fullName }}
                port:
                  number: {{ $svcPort }}
          {{- else }}
          []
          {{- end }}
    {{- end }}
"""
    secret = """\
apiVersion: v1
kind: Secret
metadata:
  name: {{ template "t.fullname" . }}
type: Opaque
data:
  password: {{ .Values.config.semver | b64enc | quote }}
  {{- $existing := lookup "v1" "Secret" .Release.Namespace "x" }}
  {{- if $existing }}
  token: {{ index $existing.data "token" }}
  {{- else }}
  token: {{ "static" | b64enc }}
  {{- end }}
stringData:
  config.yaml: |-
    {{- tpl (toYaml .Values.podAnnotations) . | nindent 4 }}
"""
    for i, t in enumerate((deploy, configmap, hook, ingress, secret)):
        yield _s("manifest", i, t, files=True)
        yield Snippet(f"manifest-small-{i}", t, SMALL_VALUES + "image: {repository: r, tag: ''}\n", EXTRA_FILES)


@family
def fam_values_quirks() -> Iterator[Snippet]:
    """Values files themselves: YAML 1.1 scalars, anchors, duplicate keys, odd keys, bad YAML."""
    docs = [
        "a: yes\nb: No\nc: on\nd: OFF\ne: y\nf: n\ng: True\nh: ~\ni: Null\n",
        "a: 0x1F\nb: 0o17\nc: 017\nd: 0b101\ne: 1_000\nf: +5\ng: -0\nh: .5\ni: 5.\nj: 1e3\nk: 1E+3\n",
        "a: 1:30\nb: 190:20:30\nc: 2001-12-14\nd: 2001-12-14 21:59:43.10 -5\ne: 12:30:00\n",
        "a: &x {k: v}\nb: *x\nc:\n  <<: *x\n  z: 1\n", "a: 1\na: 2\n", "? complex\n: key\n[1, 2]: x\n",
        "a: !!str 123\nb: !!float 1\nc: !!binary aGVsbG8=\nd: !!null ''\ne: !custom x\n", "a: .inf\nb: -.Inf\nc: .NaN\n", "z: .nan\na: -.inf\n",
        "a: 9223372036854775807\nb: 9223372036854775808\nc: -9223372036854775808\nd: 18446744073709551615\ne: 1e400\n",
        "a: \"\\u00e9\\x41\\t\"\nb: 'it''s'\nc: \"\\U0001F600\"\n", "a: [1, [2, [3]], {b: {c: [d]}}]\n", "- 1\n- 2\n",
        "just a string\n", "a: b: c\n", "a:\n\t- tab\n", "", "# only comment\n", "---\na: 1\n---\nb: 2\n", "a: 1\n...\n",
        "a: |\n   indented\n  less\n", "a: >-\n  x\n\n  y\n", "a: \"multi\n  line\"\n", "key with space: 1\n\"quoted:key\": 2\n",
        "a: 1.0\nb: 2.50\nc: 100.0\nd: 1.5e+300\ne: 0.1\n", "a: null\nb:\nc: []\n", "\ufeffa: 1\n",
    ]  # fmt: skip
    for i, doc in enumerate(docs):
        for j, t in enumerate(["{{ toYaml .Values }}", "{{ toJson .Values }}",
                               "{{ range $k, $v := .Values }}{{ $k }}={{ $v }}|{{ typeOf $v }};{{ end }}"]):  # fmt: skip
            yield Snippet(f"vq-{i}-{j}", t, doc)


PLAIN_SCALARS = [
    "0", "-0", "+1", "007", "08", "0o17", "0O17", "0x1F", "0X1F", "0x_1F", "0b101", "1_000", "1__0", "1,000", ".5",
    "5.", "+.5", "-.5e3", "1e3", "1E3", "1.0e+3", "1e", "6.8523015e+5", "685.230_15e+03", "190:20:30", "1:30",
    "-1:30", "1:70", ".inf", "+.inf", "-.Inf", ".NaN", ".nan", "NaN", "inf", "yes", "Yes", "YES", "no", "on", "Off",
    "y", "Y", "n", "true", "True", "TRUE", "tRue", "false", "null", "Null", "NULL", "~", "2001-12-14",
    "2001-12-14t21:59:43.10-05:00", "2001-12-14 21:59:43.10 -5", "2002-12-14", "2001-13-14", "12:30:00", "v1.2",
    "1.2.3", "1.10", "1.0", "3.", "9223372036854775807", "9223372036854775808", "-9223372036854775808",
    "-9223372036854775809", "18446744073709551616", "123456789012345678901234567890", "0.1", "1e-7", "1e400",
    "0.30000000000000004", "4.9e-324", "1.7976931348623157e308", "= ", "<<", "a b", "a#b", "a #b", "@x", "%x",
    "!x", "*x", "&x", "-x", "- x", "?x", ":x", "x:", "x: y", "'q'", '"dq"', "[a]", "{a: 1}", "é", "日本", "😀",
]  # fmt: skip


@family
def fam_fuzz_values() -> Iterator[Snippet]:
    """Values files of YAML 1.1/1.2 edge scalars in every style, printed and re-encoded."""
    rng = random.Random(21)
    styles = ["{s}", "'{s}'", '"{s}"', "|\n  {s}", ">-\n  {s}", "[{s}]", "{{k: {s}}}", "!!str {s}"]
    for i in range(120):
        lines = []
        for j in range(rng.randint(1, 4)):
            scalar = rng.choice(PLAIN_SCALARS)
            style = rng.choice(styles) if rng.random() < 0.4 else "{s}"
            if "'" in style and "'" in scalar or '"' in style and ('"' in scalar or "\\" in scalar):
                style = "{s}"
            lines.append(f"k{j}: " + style.format(s=scalar))
        values = "\n".join(lines) + "\n"
        template = rng.choice([
            "{{ range $k, $v := .Values }}{{ $k }}={{ $v }}|{{ typeOf $v }}|{{ $v | toJson }};{{ end }}",
            "{{ toYaml .Values }}", "{{ toJson .Values }}", "{{ range $k, $v := .Values }}{{ printf \"%v %q\" $v (toString $v) }};{{ end }}",
            "{{ range .Values }}{{ . | quote }} {{ kindOf . }} {{ empty . }};{{ end }}",
        ])  # fmt: skip
        yield Snippet(f"fv-{i}", template, values)


def _random_yaml(rng: random.Random, depth: int, indent: int, anchors: list[str]) -> list[str]:
    """Lines of a random block mapping at `indent`: nested maps and lists, flow collections,
    block scalars with indicators, anchors, aliases, merge keys, comments, tags, odd keys."""
    pad = " " * indent
    lines: list[str] = []
    keys = ["a", "b", "name", "port", "x.y", '"quoted key"', "'k: v'", "1", "true", "null", "~", "-k", "日本", "on"]
    for i in range(rng.randint(1, 4)):
        key = rng.choice(keys) + ("" if i == 0 else str(i))
        kind = rng.random()
        anchor = ""
        if rng.random() < 0.1:
            anchor = f" &a{len(anchors)}"
            anchors.append(f"a{len(anchors)}")
        if kind < 0.3 and depth > 0:
            lines.append(f"{pad}{key}:{anchor}")
            if rng.random() < 0.15 and anchors:
                lines.append(f"{pad}  <<: *{rng.choice(anchors)}")
            lines += _random_yaml(rng, depth - 1, indent + 2, anchors)
        elif kind < 0.45 and depth > 0:
            lines.append(f"{pad}{key}:{anchor}")
            for _ in range(rng.randint(1, 3)):
                if rng.random() < 0.4:
                    sub = _random_yaml(rng, depth - 1, indent + 4, anchors)
                    lines.append(f"{pad}  - " + sub[0].lstrip())
                    lines += sub[1:]
                else:
                    lines.append(f"{pad}  - {rng.choice(PLAIN_SCALARS)}")
        elif kind < 0.55:
            items = ", ".join(rng.choice(["1", "a", "'q'", '"d"', "null", "{k: v}", "[x]", "2.5", "yes"]) for _ in range(3))
            lines.append(f"{pad}{key}:{anchor} " + rng.choice([f"[{items}]", "{a: 1, b: [2, 3], c: {d: e}}", "[]", "{}"]))
        elif kind < 0.65:
            indicator = rng.choice(["|", "|-", "|+", ">", ">-", ">+", "|2", ">1-"])
            lines.append(f"{pad}{key}:{anchor} {indicator}")
            body = rng.choice([["line one", "line two"], ["  indented", "back"], ["", "after blank", ""], ["trail  "]])
            lines += [f"{pad}    {b}".rstrip() if not b else f"{pad}    {b}" for b in body]
        elif kind < 0.7 and anchors:
            lines.append(f"{pad}{key}: *{rng.choice(anchors)}")
        elif kind < 0.75:
            tagged = rng.choice(["!!str 12", '!!int "7"', "!!float 1", "!!bool yes", "!!null x", "!!binary aGk="])
            lines.append(f"{pad}{key}: {tagged}")
        else:
            comment = rng.choice(["", "", "  # comment", " #c"])
            lines.append(f"{pad}{key}:{anchor} {rng.choice(PLAIN_SCALARS)}{comment}")
    return lines


@family
def fam_fuzz_yaml_docs() -> Iterator[Snippet]:
    """Random nested values documents: what Helm's YAML decoding (go-yaml via sigs.k8s.io/yaml)
    makes of them, re-encoded by toYaml/toJson, or its error."""
    rng = random.Random(55)
    for i in range(250):
        doc = "\n".join(_random_yaml(rng, 2, 0, [])) + "\n"
        if rng.random() < 0.15:  # a damaged document: the values error must match too
            pos = rng.randrange(len(doc))
            doc = doc[:pos] + rng.choice(["\t", ":", "- ", "  ", "[", "'", "&", "*x", "\n  "]) + doc[pos:]
        template = rng.choice(["{{ toYaml .Values }}", "{{ toJson .Values }}", "{{ toPrettyJson .Values }}"])
        yield Snippet(f"fy-{i}", template, doc)


FUZZ_CHARS = list("aZ09 _-.:/@#,;'\"\\") + ["\t", "\n", "\r", "\u00a0", "é", "ß", "İ", "ı", "ǅ", "ﬁ", "Σ", "ς",
                                            "\u0301", "😀", "日", "\u2028", "\x7f", "\u200b", "K", "Å", "ǰ"]  # fmt: skip
STRING_FUNCS = ["upper", "lower", "title", "untitle", "camelcase", "snakecase", "kebabcase", "swapcase", "initials",
                "trim", "nospace", "quote", "squote", "trunc 3", "trunc -3", "abbrev 5", "substr 1 3", "wrap 3",
                "wrapWith 4 \"|\"", "indent 2", "toYaml", "toJson", "b64enc", "len", "printf \"%q\"", "printf \"%x\"",
                "printf \"%+q\"", "printf \"%-8s|\"", "printf \"%.2s\"", "html", "js", "urlquery", "regexQuoteMeta",
                "sha1sum", "adler32sum", "toString", "splitList \" \"", "shellQuote", "plural \"a\" \"b\"", "repeat 2",
                "trimAll \"a\"", "replace \" \" \"_\"", "regexFindAll \"[[:alpha:]]+\" -1", "regexReplaceAll \"\\\\s+\" \"-\"",
                "title | swapcase", "upper | lower", "nindent 2 | trim", "toYaml | fromYaml", "quote | fromJson"]  # fmt: skip


def _yaml_double_quoted(s: str) -> str:
    out = []
    for ch in s:
        if ch in "\"\\":
            out.append("\\" + ch)
        elif ch.isprintable() and ch not in "\u2028\u00a0\u200b":
            out.append(ch)
        else:
            out.append(f"\\u{ord(ch):04x}" if ord(ch) < 0x10000 else f"\\U{ord(ch):08x}")
    return '"' + "".join(out) + '"'


@family
def fam_fuzz_strings() -> Iterator[Snippet]:
    """Random unicode strings (case-mapping traps, line separators, combining marks) through
    Sprig's string functions, fmt verbs and the YAML/JSON encoders."""
    rng = random.Random(33)
    for i in range(400):
        text = "".join(rng.choice(FUZZ_CHARS) for _ in range(rng.randint(0, 12)))
        funcs = rng.sample(STRING_FUNCS, 3)
        if i % 3 == 0:  # a cut rune (invalid UTF-8) flowing into the next function
            funcs = [f"{rng.choice(['trunc 1', 'substr 1 3', 'trunc -2', 'abbrev 4'])} | {f}" for f in funcs]
        template = " ".join(f"{{{{ .Values.s | {f} }}}}" for f in funcs)
        yield Snippet(f"fs-{i}", template, f"s: {_yaml_double_quoted(text)}\n")


@family
def fam_fuzz_printf() -> Iterator[Snippet]:
    """Random fmt directives: flags, widths, precisions, argument indexes, verbs, operands."""
    rng = random.Random(44)
    operands = ["1", "-42", "255", "3.14159", "-0.5", "1e21", "1e-7", '"héllo"', '""', "true", "nil", "(list 1 2)",
                '(list "a" "b")', '(dict "k" 1)', ".Values.f", ".Values.i", ".Values.s", ".Values.l", ".Values.m",
                "(int64 -7)", "'x'", ".Values.n", "(toDate \"2006-01-02\" \"2024-03-04\")", "(semver \"1.2.3\")"]  # fmt: skip
    for i in range(300):
        parts = []
        n_args = rng.randint(0, 3)
        for _ in range(rng.randint(1, 3)):
            flags = "".join(rng.sample("+-# 0", rng.randint(0, 2)))
            width = rng.choice(["", "", "5", "12", "*", "0"])
            prec = rng.choice(["", "", ".0", ".2", ".10", ".*", "."])
            index = rng.choice(["", "", "", "[1]", "[2]", "[3]", "[9]"])
            verb = rng.choice("vdsqxXobeEfFgGtTcUp%")
            parts.append(f"%{flags}{index}{width}{prec}{verb}")
        fmt = rng.choice(["", "a", "<", "|"]).join(parts)
        args = " ".join(rng.choice(operands) for _ in range(n_args))
        yield Snippet(f"fp-{i}", f'{{{{ printf "{fmt}" {args} }}}}', "f: 2.5\ni: 7\ns: str\nl: [1, x]\nm: {a: 1}\nn: null\n")


GLOB_FILES = (
    ("files/a.txt", "alpha\r\nbeta\n"),
    ("files/b.json", '{"k": [1, 2.5, "x"], "n": null}'),
    ("files/sub/c.yaml", "c: 3\nlist: [x, y]\n"),
    ("files/sub/deeper/d.conf", "d=4"),
    ("files/.hidden", "h"),
    ("files/space name.txt", "spaced"),
    ("files/UPPER.TXT", "UP\n\n"),
    ("files/empty.txt", ""),
    ("files/bin.dat", "\x00\x01\x02ÿ"),
    ("conf/x.ini", "[s]\nk = v\n"),
    ("README.md", "# readme"),
    (".helmignore", "ignored.txt\n*.bak\n"),
    ("ignored.txt", "never"),
    ("files/old.bak", "never"),
)


@family
def fam_files() -> Iterator[Snippet]:
    """.Files: Get/GetBytes/Lines/Glob (gobwas/glob patterns) and AsConfig/AsSecrets, with
    .helmignore, nested directories, odd names, empty and binary files."""
    patterns = ["files/*", "files/**", "files/**.yaml", "**.txt", "*", "**", "files/*.{txt,json}", "files/[ab].*",
                "files/[!a]*", "files/?.txt", "files/sub/*", "files/sub/**/*", "conf/*.ini", "nothing/*",
                "files/\\*", "files/*.TXT", "{files,conf}/*", "files/**/d.conf", "files/*/c.yaml", "files/space*"]  # fmt: skip
    ts = []
    for p in patterns:
        ts += [f'{{{{ range $k, $v := .Files.Glob "{p}" }}}}{{{{ $k }}}}={{{{ len $v }}}};{{{{ end }}}}',
               f'{{{{ (.Files.Glob "{p}").AsConfig }}}}', f'{{{{ (.Files.Glob "{p}").AsSecrets | nindent 2 }}}}']  # fmt: skip
    ts += ['{{ .Files.Get "files/a.txt" | quote }}', '{{ .Files.GetBytes "files/bin.dat" }}', '{{ .Files.Get "files/bin.dat" | toJson }}',
           '{{ .Files.Lines "files/a.txt" | toJson }}', '{{ .Files.Lines "files/UPPER.TXT" | toJson }}', '{{ .Files.Lines "files/empty.txt" | toJson }}',
           '{{ .Files.Get "ignored.txt" }}|{{ .Files.Get "files/old.bak" }}|{{ .Files.Get ".helmignore" }}', '{{ .Files.Get "Chart.yaml" | len }}',
           '{{ .Files.Get "files/b.json" | fromJson | toYaml }}', '{{ .Files.Get "files/sub/c.yaml" | fromYaml | toJson }}',
           '{{ range .Files.Lines "conf/x.ini" }}[{{ . }}]{{ end }}', '{{ .Files | len }}', '{{ keys .Files | sortAlpha | toJson }}',
           '{{ (.Files.Glob "files/*").Get "files/a.txt" | len }}', '{{ index .Files "files/a.txt" | toString | trim }}',
           '{{ .Files.Get "files/space name.txt" }}', '{{ .Files.Get "/files/a.txt" }}|{{ .Files.Get "./files/a.txt" }}|',
           '{{ .Files.AsSecrets | len }}', '{{ tpl (.Files.Get "files/sub/c.yaml") . }}', '{{ (.Files.Glob "files/**").AsConfig | fromYaml | keys | sortAlpha }}',
           '{{ .Files.Glob "[" }}', '{{ .Files.Glob "files/{a" }}', '{{ .Files.Get "values.yaml" }}', '{{ .Files.Get "templates/t.yaml" | len }}']  # fmt: skip
    for i, t in enumerate(ts):
        yield Snippet(f"files-{i}", t, SMALL_VALUES, GLOB_FILES)


# --------------------------------------------------------------------------------------------
# Random compositions: typed pipelines over values and literals
# --------------------------------------------------------------------------------------------

# Function stages by input kind; each returns the output kind. "any" stages accept anything.
STAGES: dict[str, list[tuple[str, str]]] = {
    "str": [
        ("upper", "str"), ("lower", "str"), ("title", "str"), ("trim", "str"), ("quote", "str"), ("squote", "str"),
        ("trunc 5", "str"), ("trunc -2", "str"), ("abbrev 6", "str"), ("repeat 2", "str"), ('replace "e" "E"', "str"),
        ('trimSuffix "-"', "str"), ('trimPrefix "n"', "str"), ("b64enc", "str"), ("sha256sum", "str"), ("indent 2", "str"),
        ("nindent 4", "str"), ("snakecase", "str"), ("camelcase", "str"), ("kebabcase", "str"), ("nospace", "str"),
        ('printf "%q"', "str"), ('printf "<%s>"', "str"), ("substr 1 4", "str"), ('cat "x"', "str"),
        ('regexReplaceAll "[aeiou]" "_"', "str"), ("wrap 4", "str"), ("initials", "str"), ("urlquery", "str"),
        ("html", "str"), ("js", "str"), ("swapcase", "str"), ('splitList "-"', "list"), ('regexSplit "[.:]" -1', "list"),
        ("len", "int"), ('contains "a"', "bool"), ('hasPrefix "n"', "bool"), ("adler32sum", "str"), ('trimAll "\\""', "str"),
        ("untitle", "str"), ('regexFind "[0-9]+"', "str"), ("toYaml", "str"), ("b32enc", "str"),
    ],
    "list": [
        ("uniq", "list"), ("reverse", "list"), ("sortAlpha", "list"), ("compact", "list"), ("rest", "list"),
        ("initial", "list"), ('append "z"', "list"), ('prepend "a"', "list"), ('without "b"', "list"),
        ("first", "any"), ("last", "any"), ('join ","', "str"), ("len", "int"), ("toJson", "str"), ("toYaml", "str"),
        ('has "a"', "bool"), ("toStrings", "list"), ("slice 1", "list"), ("chunk 2", "list"), ("concat (list 0)", "list"),
        ("deepCopy", "list"), ("kindOf", "str"),
    ],
    "map": [
        ("keys | sortAlpha", "list"), ("toYaml", "str"), ("toJson", "str"), ("toPrettyJson", "str"), ('pick "a" "tag"', "map"),
        ('omit "tag"', "map"), ("deepCopy", "map"), ("len", "int"), ("values | len", "int"), ("typeOf", "str"),
        ('merge (dict "zz" 1)', "map"), ('hasKey "a"', "bool"),
    ],
    "int": [
        ("add1", "int"), ("add 5", "int"), ("sub 1", "int"), ("mul 3", "int"), ("max 2", "int"), ("min 2", "int"),
        ("toString", "str"), ("int64", "int"), ("float64", "float"), ("until", "list"), ('printf "%05d"', "str"),
        ("quote", "str"), ("addf 0.5", "float"), ("mulf 1.5", "float"), ("toJson", "str"), ("seq", "str"),
        ("div 100", "int"), ("mod 7", "int"), ("typeOf", "str"), ('plural "one" "many"', "str"),
    ],
    "float": [
        ("floor", "float"), ("ceil", "float"), ("int", "int"), ("toString", "str"), ("add1", "int"), ("mulf 2", "float"),
        ("addf 0.1", "float"), ('printf "%.2f"', "str"), ('printf "%v"', "str"), ("toJson", "str"), ("toYaml", "str"),
        ("quote", "str"), ("round 1", "any"), ("typeOf", "str"), ("toDecimal", "int"),
    ],
    "bool": [
        ("not", "bool"), ("toString", "str"), ("quote", "str"), ('ternary "y" "n"', "str"), ("toJson", "str"),
        ("typeOf", "str"), ('and 1', "any"), ('or 0', "any"),
    ],
    "any": [
        ("toString", "str"), ("toJson", "str"), ("toYaml", "str"), ("quote", "str"), ('default "dflt"', "any"),
        ("kindOf", "str"), ("typeOf", "str"), ('printf "%v"', "str"), ("empty", "bool"), ("toRawJson", "str"),
        ('list "a"', "list"), ("toPrettyJson", "str"), ('dict "k"', "map"), ('print "p"', "str"), ("len", "int"),
    ],
}  # fmt: skip

LITERALS: list[tuple[str, str]] = [
    ('"web-server"', "str"), ('"Hello World"', "str"), ('""', "str"), ('"v1.2.3"', "str"), ('"héllo-✓"', "str"),
    ("42", "int"), ("-1", "int"), ("0", "int"), ("1.5", "float"), ("2.0", "float"), ("1e6", "float"), ("true", "bool"),
    ("false", "bool"), ("nil", "any"), ('(list "b" "a" "b")', "list"), ("(list 1 2 3)", "list"), ("(list)", "list"),
    ('(dict "a" 1 "tag" "x")', "map"), ("(dict)", "map"), ("(until 4)", "list"), ('(splitList "," "x,y,,z")', "list"),
]  # fmt: skip


def _kind_of_value(path: str) -> str:
    """A coarse static kind for a value path of the helm values doc (for choosing stages)."""
    lists = {"imagePullSecrets", "hosts", "tls", "tolerations", "env", "extraArgs", "list", "tags", "nums", "items"}
    maps = {"image", "serviceAccount", "podAnnotations", "resources", "nodeSelector", "nested", "labels", "requests"}
    ints = {"replicaCount", "port", "maxReplicas", "retries", "octal", "hex", "neg", "zero", "count", "big", "bigint",
            "maxint", "octal12"}  # fmt: skip
    floats = {"ratio", "exp", "negexp", "fzero", "cpu", "version", "nan", "inf"}
    bools = {"enabled", "debug", "level"}
    leaf = path.rsplit(".", 1)[-1]
    for names, kind in ((lists, "list"), (maps, "map"), (ints, "int"), (floats, "float"), (bools, "bool")):
        if leaf in names:
            return kind
    return "str" if leaf not in ("missing", "nope", "tilde", "digest", "fullnameOverride", "nothing") else "any"


def _random_expr(rng: random.Random, values: str) -> str:
    if rng.random() < 0.55:
        src = rng.choice(VALUE_PATHS[values])
        kind = _kind_of_value(src)
    else:
        src, kind = rng.choice(LITERALS)
    parts = [src]
    for _ in range(rng.choice((1, 1, 2, 2, 3))):
        pool = STAGES[kind] + STAGES["any"] if rng.random() < 0.85 else [s for v in STAGES.values() for s in v]
        stage, kind = rng.choice(pool)
        if kind == "any":
            kind = "any"
        parts.append(stage)
    return " | ".join(parts)


def _random_template(rng: random.Random, values: str) -> str:
    expr = _random_expr(rng, values)
    wrappers = [
        "{{{{ {e} }}}}", "key: {{{{ {e} }}}}", "{{{{- {e} -}}}}", "{{{{ ({e}) }}}}", "v: {{{{ {e} | quote }}}}",
        "{{{{ with {e} }}}}w={{{{ . }}}}{{{{ else }}}}none{{{{ end }}}}", "{{{{ if {e} }}}}yes{{{{ else }}}}no{{{{ end }}}}",
        "{{{{ range $i, $x := {e} }}}}{{{{ $i }}}}:{{{{ $x }}}},{{{{ end }}}}", "{{{{ $v := {e} }}}}{{{{ $v }}}}|{{{{ typeOf $v }}}}",
        "x:{{{{ {e} | toYaml | nindent 2 }}}}", '{{{{ define "h" }}}}{{{{ {e} }}}}{{{{ end }}}}{{{{ include "h" . }}}}',
        "{{{{ tpl (print \"{{{{ \" (quote ({e} | toString)) \" }}}}\") . }}}}", "a:\n  {{{{- {e} | nindent 2 }}}}",
        "{{{{ printf \"%v|%T\" ({e}) ({e}) }}}}",
    ]  # fmt: skip
    return rng.choice(wrappers).format(e=expr)


# Calls for expression trees: name and argument count (any argument kind: conversions and
# type errors are part of what is compared).
TREE_CALLS: list[tuple[str, int]] = [
    ("add", 2), ("sub", 2), ("mul", 2), ("div", 2), ("mod", 2), ("max", 3), ("min", 2), ("addf", 2), ("mulf", 2),
    ("divf", 2), ("int", 1), ("int64", 1), ("float64", 1), ("toString", 1), ("atoi", 1), ("default", 2),
    ("ternary", 3), ("coalesce", 3), ("eq", 2), ("ne", 2), ("lt", 2), ("ge", 2), ("and", 2), ("or", 2), ("not", 1),
    ("empty", 1), ("len", 1), ("list", 2), ("dict", 2), ("printf \"%v-%v\"", 2), ("printf \"%s\"", 1),
    ("printf \"%d\"", 1), ("print", 2), ("quote", 2), ("cat", 2), ("join \"-\"", 1), ("upper", 1), ("trunc", 2),
    ("repeat", 2), ("substr", 3), ("replace", 3), ("contains", 2), ("hasPrefix", 2), ("splitList", 2),
    ("first", 1), ("last", 1), ("has", 2), ("append", 2), ("concat", 2), ("uniq", 1), ("sortAlpha", 1),
    ("toJson", 1), ("toYaml", 1), ("fromJson", 1), ("fromYaml", 1), ("typeOf", 1), ("kindOf", 1), ("get", 2),
    ("hasKey", 2), ("pluck", 2), ("merge", 2), ("index", 2), ("slice", 2), ("seq", 1), ("until", 1), ("b64enc", 1),
    ("indent", 2), ("nindent", 2), ("required", 2), ("toStrings", 1), ("compact", 1), ("round", 2), ("floor", 1),
    ("ceil", 1), ("toDecimal", 1), ("semverCompare", 2), ("regexMatch", 2), ("regexFind", 2), ("trim", 1),
    ("dig", 3), ("deepEqual", 2), ("typeIs", 2), ("kindIs", 2), ("abbrev", 2), ("wrap", 2), ("initials", 1),
    ("html", 1), ("js", 1), ("urlquery", 1), ("mustToJson", 1), ("toRawJson", 1), ("squote", 1), ("tpl", 2),
    ("include", 2),
]  # fmt: skip

TREE_LEAVES = [
    '"a"', '"B-c"', '"1"', '"2.5"', '"0x10"', '"true"', '"x,y"', '"{\\"k\\": [1, 2]}"', '"k: v"', '""', '"1.2.3"',
    '">=1.0"', '"t.name"', '"{{ .Release.Name }}"', "0", "1", "-2", "3", "2.5", "1e3", "true", "false", "nil",
    ".Values", ".Release.Name", ".Chart.Version", '"k"', "(list)", "(dict)",
]  # fmt: skip


# `.` and `$` are left out: printing them prints the *Capabilities pointer's address in Helm.


def _random_tree(rng: random.Random, values: str, depth: int) -> str:
    if depth <= 0 or rng.random() < 0.3:
        return rng.choice(TREE_LEAVES + VALUE_PATHS[values])
    name, arity = rng.choice(TREE_CALLS)
    args = [_random_tree(rng, values, depth - 1) for _ in range(arity)]
    if rng.random() < 0.3 and arity > 0:  # the last argument through a pipe
        return f"({args[-1]} | {name} {' '.join(args[:-1])})".replace(" )", ")")
    return f"({name} {' '.join(args)})"


def random_snippets(n: int, seed: int) -> Iterator[Snippet]:
    rng = random.Random(seed)
    for i in range(n):
        values = "helm" if rng.random() < 0.75 else "small"
        if i % 2:
            parts = [f"{{{{ {_random_tree(rng, values, rng.choice((1, 2, 3)))} }}}}" for _ in range(rng.choice((1, 2)))]
        else:
            parts = [_random_template(rng, values) for _ in range(rng.choice((1, 1, 2, 3)))]
        files = EXTRA_FILES if rng.random() < 0.3 else ()
        yield Snippet(f"rand-{seed}-{i}", "\n".join(parts), VALUES_DOCS[values], files)


# --------------------------------------------------------------------------------------------
# Running and comparing
# --------------------------------------------------------------------------------------------


@dataclass
class Outcome:
    snippet: Snippet
    kind: str  # same | differ | helm-rejects | we-reject | location | internal | unstable
    helm: str
    ours: str
    message_differs: bool = False
    notes: list[str] = field(default_factory=list)


def _ours(chart_dir: Path) -> str | HooklintError | BaseException:
    from hooklint.chart import load_chart
    from hooklint.render import RenderOptions, render_chart

    try:
        chart = load_chart(chart_dir, helm_version=HELM_SDK_VERSION)
        files = render_chart(chart, None, RenderOptions(helm_version=HELM_SDK_VERSION))
    except HooklintError as e:
        return e
    except RecursionError as e:
        return e
    except Exception as e:  # an internal error: exactly what this tool hunts
        return e
    rendered = files.get(TEMPLATE_KEY)
    return rendered.text if rendered is not None else ""


def run_cli(chart_dir: Path) -> tuple[int, str, str]:
    """`hooklint render CHART --helm-version 4` in-process: (exit code, stdout, stderr)."""
    from hooklint.cli import main

    out, err = io.StringIO(), io.StringIO()
    code = 0
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            main(["render", str(chart_dir), "--helm-version", str(HELM_SDK_VERSION)])
        except SystemExit as e:
            code = e.code if isinstance(e.code, int) else (0 if e.code is None else 1)
    return code, out.getvalue(), err.getvalue()


def _go_replace(e: UnicodeError) -> tuple[str, int]:
    """encoding/json's coercion of invalid UTF-8: one U+FFFD per bad byte."""
    assert isinstance(e, UnicodeDecodeError)
    return "\ufffd" * (e.end - e.start), e.end


codecs.register_error("go-replace", _go_replace)

_FILE_LINE = re.compile(r"t/templates/[\w.-]+:\d+")
_POINTER = re.compile(r"0x[0-9a-f]{8,}")


def compare(snippet: Snippet, tmp: Path, with_cli: bool) -> Outcome:
    chart_dir = write_chart(tmp / snippet.name, snippet.chart_files())
    helm_out = helm_render(chart_dir)
    helm: str | HelmFailure = (
        helm_out if isinstance(helm_out, HelmFailure) else helm_out.get(TEMPLATE_KEY, "")
    )
    ours = _ours(chart_dir)
    notes: list[str] = []
    if with_cli:
        code, _out, err = run_cli(chart_dir)
        if code == 3 or "Traceback" in err:
            notes.append(f"cli internal error: {err.strip()[-400:]}")
        elif isinstance(ours, HooklintError) and not _FILE_LINE.search(err) and isinstance(helm, HelmFailure) and helm.location:
            notes.append(f"cli error names no file:line: {err.strip()[:300]}")
    helm_text = f"ERROR {helm.location}: {helm.message}" if isinstance(helm, HelmFailure) else helm
    if isinstance(ours, HooklintError):
        ours_text = f"ERROR: {normalize_helm_error(ours.message)}"
    elif isinstance(ours, BaseException):
        ours_text = f"INTERNAL {type(ours).__name__}: {ours}"
    else:
        # helm_python hands Helm's output over as JSON, where Go turns each invalid UTF-8 byte
        # into U+FFFD; ours keeps invalid bytes as surrogate escapes: compare them the same way.
        ours_text = ours.encode("utf-8", "surrogateescape").decode("utf-8", "go-replace")
    if isinstance(ours, BaseException) and not isinstance(ours, HooklintError) or any("internal" in n for n in notes):
        kind = "internal"
    elif isinstance(helm, HelmFailure):
        if not isinstance(ours, HooklintError):
            kind = "helm-rejects"
        elif helm.location and helm.location not in ours.message:
            kind = "location"
        else:
            kind = "same"
    elif isinstance(ours, HooklintError):
        kind = "we-reject"
    else:
        kind = "same" if ours_text == helm else "differ"
    message_differs = (
        isinstance(helm, HelmFailure)
        and isinstance(ours, HooklintError)
        and error_tail(helm.message) != error_tail(normalize_helm_error(ours.message))
    )
    if kind == "same" and notes:
        kind = "location"
    if kind == "differ" and _POINTER.search(helm_text):
        kind = "unstable"  # Helm printed a pointer address: its own output changes run to run
    return Outcome(snippet, kind, helm_text, ours_text, message_differs, notes)


_MUTATION_TOKENS = ["{{", "}}", "{{-", "-}}", "|", "(", ")", '"', "`", "'", "$", ".", "-", " ", "\n", "/*", "*/",
                    "end", "else", "if", "range", ":=", "=", ",", "nil", "0", "\\", "\t", "\r\n", "é", "\x00"]  # fmt: skip


def mutated_snippets(base: list[Snippet], n: int, seed: int) -> Iterator[Snippet]:
    """Malformed variants of hand-written snippets: deletions, insertions of template syntax,
    swapped halves; the lexer/parser/executor must fail like Go (file:line) or render alike."""
    rng = random.Random(seed)
    for i in range(n):
        s = rng.choice(base)
        t = s.template
        for _ in range(rng.choice((1, 1, 2, 3))):
            pos = rng.randrange(len(t) + 1)
            op = rng.random()
            if op < 0.35 and t:
                t = t[:pos] + t[pos + rng.randint(1, 4) :]
            elif op < 0.85:
                t = t[:pos] + rng.choice(_MUTATION_TOKENS) + t[pos:]
            else:
                t = t[pos:] + t[:pos]
        yield Snippet(f"mut-{seed}-{i}", t, s.values, s.files)


def all_snippets(families: list[str] | None, n_random: int, seed: int, n_mutations: int = 0) -> list[Snippet]:
    out: list[Snippet] = []
    for name, fam in FAMILIES.items():
        if families is None or name in families:
            out.extend(fam())
    if families is None or "random" in families:
        out.extend(random_snippets(n_random, seed))
    if n_mutations:
        base = [s for name, fam in FAMILIES.items() for s in fam()]
        out.extend(mutated_snippets(base, n_mutations, seed))
    return out


def _show(o: Outcome) -> str:
    lines = [f"--- [{o.kind}{' +message' if o.message_differs else ''}] {o.snippet.name}",
             f"template: {o.snippet.template!r}"]  # fmt: skip
    if o.snippet.values not in VALUES_DOCS.values():
        lines.append(f"values: {o.snippet.values!r}")
    if o.kind == "differ" and ("\n" in o.helm or "\n" in o.ours):
        diff = difflib.unified_diff(
            o.helm.splitlines(), o.ours.splitlines(), "helm", "hooklint", lineterm="", n=1
        )
        lines += ["diff:", *(f"  {d}" for d in diff)]
    else:
        lines += [f"helm: {o.helm!r}", f"ours: {o.ours!r}"]
    lines += [f"note: {n}" for n in o.notes]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--family", action="append", help=f"only these families ({', '.join(FAMILIES)}, random)")
    ap.add_argument("--random", type=int, default=1500, help="number of random compositions")
    ap.add_argument("--mutate", type=int, default=500, help="number of malformed (mutated) snippets")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--cli-every", type=int, default=2, help="also run the CLI on every Nth chart (0: never)")
    ap.add_argument("--show", type=int, default=10, help="print up to N cases per non-same outcome")
    ap.add_argument("--messages", action="store_true", help="also print both-fail cases with differing text")
    ap.add_argument("--grep", help="only snippets whose name matches this regex")
    ap.add_argument("--json", help="write every outcome to this file")
    args = ap.parse_args(argv)
    if isinstance(sys.stdout, io.TextIOWrapper):  # outputs may hold lone surrogates
        sys.stdout.reconfigure(errors="backslashreplace")

    snippets = all_snippets(args.family, args.random, args.seed, args.mutate)
    if args.grep:
        snippets = [s for s in snippets if re.search(args.grep, s.name)]
    started = time.process_time()
    outcomes: list[Outcome] = []
    sys.setrecursionlimit(max(sys.getrecursionlimit(), 10000))
    with tempfile.TemporaryDirectory() as tmp:
        for i, s in enumerate(snippets):
            outcomes.append(compare(s, Path(tmp), bool(args.cli_every) and i % args.cli_every == 0))
    counts = Counter(o.kind for o in outcomes)
    shown: Counter[str] = Counter()
    for o in outcomes:
        if (o.kind != "same" or (args.messages and o.message_differs)) and shown[o.kind] < args.show:
            shown[o.kind] += 1
            print(_show(o))
    total = len(outcomes) - counts["unstable"]
    print(f"\n{total} snippets in {time.process_time() - started:.1f}s CPU ({counts['unstable']} more left out: Helm's output is unstable)")
    for kind in ("same", "differ", "helm-rejects", "we-reject", "location", "internal"):
        print(f"  {kind:13} {counts[kind]:6}  {100.0 * counts[kind] / max(total, 1):6.2f}%")
    print(f"  message text differs (both fail, same location): {sum(o.message_differs for o in outcomes)}")
    if args.json:
        Path(args.json).write_text(
            json.dumps(
                [{"name": o.snippet.name, "kind": o.kind, "template": o.snippet.template, "helm": o.helm,
                  "ours": o.ours, "message_differs": o.message_differs, "notes": o.notes} for o in outcomes],  # fmt: skip
                indent=1, ensure_ascii=True,  # Helm output may hold lone surrogates (invalid UTF-8)
            ),
            encoding="utf-8",
        )
    return 0 if counts["same"] == total else 1


if __name__ == "__main__":
    raise SystemExit(main())

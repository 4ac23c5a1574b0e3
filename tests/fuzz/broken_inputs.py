"""Hostile charts and inputs, built systematically: a small valid chart plus one breakage.

Each `ChartCase` overrides some files of `BASE_FILES` (bytes, `DELETE`, `AS_DIR`, or a
`Symlink`) and may add flags; `mentions` is what a failure must name (the file at fault).
"""

from __future__ import annotations

import gzip
import io
import os
import tarfile
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path

BASE_FILES: dict[str, bytes] = {
    "Chart.yaml": b"apiVersion: v2\nname: base\nversion: 0.1.0\nappVersion: '1.0'\n",
    "values.yaml": b"image: busybox\nreplicas: 1\nhook:\n  enabled: true\n  weight: '-5'\n",
    "templates/_helpers.tpl": b'{{- define "base.name" -}}{{ .Chart.Name }}-{{ .Release.Name }}{{- end -}}\n',
    "templates/cm.yaml": (
        b"apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ include \"base.name\" . }}\n"
        b"data:\n  replicas: {{ .Values.replicas | quote }}\n"
    ),
    "templates/job.yaml": (
        b"{{- if .Values.hook.enabled }}\napiVersion: batch/v1\nkind: Job\nmetadata:\n"
        b"  name: {{ include \"base.name\" . }}-migrate\n  annotations:\n"
        b"    \"helm.sh/hook\": pre-install,pre-upgrade\n"
        b"    \"helm.sh/hook-weight\": {{ .Values.hook.weight | quote }}\n"
        b"    \"helm.sh/hook-delete-policy\": before-hook-creation\nspec:\n  template:\n    spec:\n"
        b"      restartPolicy: Never\n      containers:\n        - name: m\n          image: {{ .Values.image }}\n"
        b"{{- end }}\n"
    ),
}


class _Marker:
    def __init__(self, name: str) -> None:
        self.name = name

    def __repr__(self) -> str:
        return self.name


DELETE = _Marker("DELETE")
AS_DIR = _Marker("AS_DIR")


@dataclass(frozen=True)
class Symlink:
    target: str


FileSpec = bytes | _Marker | Symlink


@dataclass
class ChartCase:
    name: str
    files: Mapping[str, FileSpec] = field(default_factory=dict)
    flags: tuple[str, ...] = ()  # extra render flags (values files are relative to the chart)
    mentions: tuple[str, ...] = ()
    archive: bool = False  # pack as .tgz and pass the archive


def write_chart(root: Path, case: ChartCase) -> Path:
    """The case's chart under `root/<name>` (or `root/<name>.tgz`); returns the path to pass."""
    chart = root / "chart"
    files: dict[str, FileSpec] = {**BASE_FILES, **case.files}
    for rel, spec in sorted(files.items(), key=lambda kv: kv[0]):
        if spec is DELETE:
            continue
        path = chart / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if spec is AS_DIR:
            path.mkdir(parents=True, exist_ok=True)
        elif isinstance(spec, Symlink):
            os.symlink(spec.target, path)
        elif isinstance(spec, bytes):
            path.write_bytes(spec)
    if not case.archive:
        return chart
    out = root / "chart.tgz"
    out.write_bytes(pack_tgz({f"base/{k}": v for k, v in files.items() if isinstance(v, bytes)}))
    return out


def pack_tgz(members: dict[str, bytes], extra: list[tarfile.TarInfo] | None = None) -> bytes:
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w:gz") as tar:
        for name, data in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            info.mode = 0o644
            tar.addfile(info, io.BytesIO(data))
        for info in extra or []:
            tar.addfile(info)
    return buf.getvalue()


def _job_with(annotations: bytes) -> bytes:
    return (
        b"apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: j\n  annotations:\n" + annotations
        + b"spec:\n  template:\n    spec:\n      restartPolicy: Never\n      containers: [{name: c, image: x}]\n"
    )


GARBAGE = bytes(range(256)) * 4
YAML_BOMB = (
    b"a: &a ['lol','lol','lol','lol','lol','lol','lol','lol','lol']\n"
    + b"".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [*{chr(97 + i)},*{chr(97 + i)},*{chr(97 + i)},*{chr(97 + i)},"
        f"*{chr(97 + i)},*{chr(97 + i)},*{chr(97 + i)},*{chr(97 + i)},*{chr(97 + i)}]\n".encode()
        for i in range(8)
    )
)


def chart_yaml_cases() -> Iterator[ChartCase]:
    bodies: dict[str, FileSpec] = {
        "missing": DELETE,
        "empty": b"",
        "null": b"~\n",
        "list-root": b"- a\n- b\n",
        "scalar-root": b"hello\n",
        "no-name": b"apiVersion: v2\nversion: 0.1.0\n",
        "no-version": b"apiVersion: v2\nname: base\n",
        "bad-version": b"apiVersion: v2\nname: base\nversion: not.a.version\n",
        "no-apiversion": b"name: base\nversion: 0.1.0\n",
        "bad-apiversion": b"apiVersion: v9\nname: base\nversion: 0.1.0\n",
        "name-int": b"apiVersion: v2\nname: 12\nversion: 0.1.0\n",
        "name-map": b"apiVersion: v2\nname: {a: 1}\nversion: 0.1.0\n",
        "version-list": b"apiVersion: v2\nname: base\nversion: [1]\n",
        "version-float": b"apiVersion: v2\nname: base\nversion: 1.0\n",
        "deps-scalar": b"apiVersion: v2\nname: base\nversion: 0.1.0\ndependencies: 3\n",
        "deps-list-of-str": b"apiVersion: v2\nname: base\nversion: 0.1.0\ndependencies: [a, b]\n",
        "deps-missing": b"apiVersion: v2\nname: base\nversion: 0.1.0\ndependencies:\n- name: nope\n  version: 1.0.0\n",
        "deps-bad-condition": (
            b"apiVersion: v2\nname: base\nversion: 0.1.0\ndependencies:\n"
            b"- name: sub\n  version: '>=0'\n  condition: [x]\n  tags: 7\n  import-values: 5\n  alias: 'Bad Alias!'\n"
        ),
        "maintainers-garbage": b"apiVersion: v2\nname: base\nversion: 0.1.0\nmaintainers: [1, [2], {name: 3}]\n",
        "annotations-list": b"apiVersion: v2\nname: base\nversion: 0.1.0\nannotations: [1]\n",
        "type-bad": b"apiVersion: v2\nname: base\nversion: 0.1.0\ntype: weird\n",
        "type-library": b"apiVersion: v2\nname: base\nversion: 0.1.0\ntype: library\n",
        "kubeversion-bad": b"apiVersion: v2\nname: base\nversion: 0.1.0\nkubeVersion: '>>= 1.x.y'\n",
        "kubeversion-int": b"apiVersion: v2\nname: base\nversion: 0.1.0\nkubeVersion: 5\n",
        "syntax-error": b"apiVersion: v2\nname: [base\nversion: 0.1.0\n",
        "tabs": b"apiVersion: v2\n\tname: base\nversion: 0.1.0\n",
        "bom": b"\xef\xbb\xbfapiVersion: v2\nname: base\nversion: 0.1.0\n",
        "non-utf8": b"apiVersion: v2\nname: b\xe9se\xff\nversion: 0.1.0\n",
        "utf16": "apiVersion: v2\nname: base\nversion: 0.1.0\n".encode("utf-16"),
        "garbage": GARBAGE,
        "nul-bytes": b"apiVersion: v2\x00\nname: base\nversion: 0.1.0\n",
        "huge": b"apiVersion: v2\nname: base\nversion: 0.1.0\ndescription: " + b"x" * 3_000_000 + b"\n",
        "yaml-bomb": b"apiVersion: v2\nname: base\nversion: 0.1.0\n" + YAML_BOMB,
        "duplicate-keys": b"apiVersion: v2\nname: base\nname: other\nversion: 0.1.0\n",
        "multi-doc": b"apiVersion: v2\nname: base\nversion: 0.1.0\n---\nname: x\n",
        "anchors": b"apiVersion: v2\nname: &n base\nversion: 0.1.0\ndescription: *n\n",
        "unknown-alias": b"apiVersion: v2\nname: *nope\nversion: 0.1.0\n",
        "deep-nesting": b"apiVersion: v2\nname: base\nversion: 0.1.0\nx: " + b"[" * 5000 + b"]" * 5000 + b"\n",
        "is-directory": AS_DIR,
        "symlink-loop": Symlink("Chart.yaml"),
        "symlink-dangling": Symlink("nowhere.yaml"),
        "symlink-dev-null": Symlink("/dev/null"),
    }
    for name, body in bodies.items():
        yield ChartCase(f"chart-yaml/{name}", {"Chart.yaml": body})


def values_cases() -> Iterator[ChartCase]:
    bodies: dict[str, FileSpec] = {
        "syntax-error": b"a: [1\n",
        "tabs": b"a:\n\tb: 1\n",
        "list-root": b"- 1\n- 2\n",
        "scalar-root": b"hello\n",
        "null-root": b"~\n",
        "hook-not-map": b"hook: 3\nimage: x\n",
        "hook-list": b"hook: [1, 2]\n",
        "weight-map": b"hook:\n  enabled: true\n  weight: {a: 1}\n",
        "bomb": YAML_BOMB,
        "deep": b"a: " + b"{b: " * 3000 + b"1" + b"}" * 3000 + b"\n",
        "non-utf8": b"image: \xff\xfe\n",
        "bom": b"\xef\xbb\xbfimage: x\nhook: {enabled: true, weight: '1'}\n",
        "garbage": GARBAGE,
        "nul": b"image: a\x00b\n",
        "huge-int": b"replicas: " + b"9" * 5000 + b"\n",
        "float-nan": b"replicas: .nan\nimage: .inf\n",
        "binary-tag": b"image: !!binary aGVsbG8=\n",
        "weird-tags": b"image: !!python/object:os.system x\nreplicas: !!timestamp 2001-12-14\n",
        "set-tag": b"image: !!set {a, b}\n",
        "merge-keys": b"base: &b {x: 1}\nimage:\n  <<: *b\n  <<: [*b, 3]\n",
        "complex-key": b"? [a, b]\n: 1\n",
        "null-key": b"~: 1\n",
        "bool-keys": b"true: 1\nyes: 2\n1: 3\n",
        "is-directory": AS_DIR,
        "symlink-loop": Symlink("values.yaml"),
    }
    for name, body in bodies.items():
        yield ChartCase(f"values/{name}", {"values.yaml": body})


def template_cases() -> Iterator[ChartCase]:
    bodies: dict[str, FileSpec] = {
        "unclosed-action": b"a: {{ .Values.image\n",
        "unclosed-if": b"{{ if .Values.image }}\na: 1\n",
        "extra-end": b"a: 1\n{{ end }}\n",
        "bad-syntax": b"a: {{ .Values.image | | }}\n",
        "unknown-func": b"a: {{ nosuchfunc 1 }}\n",
        "wrong-arg-count": b"a: {{ quote }}\n{{ printf }}\n{{ index }}\n",
        "wrong-arg-type": b"a: {{ add \"x\" (list 1) }}\n",
        "nil-pointer": b"a: {{ .Values.nope.deeper.still }}\n",
        "index-out-of-range": b"a: {{ index (list 1) 5 }}\n",
        "fail": b"{{ fail \"boom\" }}\n",
        "required": b"{{ required \"need x\" .Values.x }}\n",
        "include-missing": b"{{ include \"nope\" . }}\n",
        "include-recursion": b"{{ define \"r\" }}{{ include \"r\" . }}{{ end }}{{ include \"r\" . }}\n",
        "template-recursion": b"{{ define \"t\" }}{{ template \"t\" . }}{{ end }}{{ template \"t\" . }}\n",
        "tpl-recursion": b"{{ define \"q\" }}{{ tpl \"{{ include \\\"q\\\" . }}\" . }}{{ end }}{{ include \"q\" . }}\n",
        "tpl-bad": b"{{ tpl \"{{ .x\" . }}\n",
        "tpl-non-string": b"{{ tpl 5 . }}\n",
        "huge-output": b"{{ range until 200000 }}line: {{ . }}\n{{ end }}",
        "repeat-huge": b"a: {{ repeat 50000000 \"x\" }}\n",
        "until-huge": b"{{ $x := until 100000000 }}\n",
        "divide-zero": b"a: {{ div 1 0 }}\nb: {{ mod 1 0 }}\n",
        "regex-bad": b"a: {{ regexMatch \"(\" \"x\" }}\n",
        "semver-bad": b"a: {{ semverCompare \">>1\" \"x\" }}\n",
        "fromYaml-garbage": b"a: {{ fromYaml \"[\" }}\n{{ fromJson \"{\" }}\n{{ fromYamlArray \"a: 1\" }}\n",
        "toYaml-self": b"{{ $d := dict }}{{ $_ := set $d \"self\" $d }}{{ toYaml $d }}\n",
        "toJson-self": b"{{ $d := dict }}{{ $_ := set $d \"self\" $d }}{{ toJson $d }}\n",
        "printf-self": b"{{ $d := dict }}{{ $_ := set $d \"self\" $d }}{{ printf \"%v\" $d }}\n",
        "deepCopy-self": b"{{ $d := dict }}{{ $_ := set $d \"self\" $d }}{{ deepCopy $d }}\n",
        "list-self": b"{{ $l := list }}{{ $l = append $l $l }}{{ toYaml $l }}\n",
        "lookup": b"{{ lookup \"v1\" \"Pod\" \"\" \"\" }}\n",
        "files-missing": b"{{ .Files.Get \"nope\" }}{{ .Files.Glob \"[\" }}{{ .Files.Lines nil }}\n",
        "getHostByName": b"{{ getHostByName \"localhost\" }}\n",
        "invalid-yaml-out": b"a: b: c\n  - x\n",
        "invalid-yaml-tab": b"apiVersion: v1\nkind: ConfigMap\nmetadata:\n\tname: x\n",
        "no-kind": b"apiVersion: v1\nmetadata:\n  name: x\n",
        "no-metadata": b"apiVersion: v1\nkind: ConfigMap\n",
        "metadata-list": b"apiVersion: v1\nkind: ConfigMap\nmetadata: [1]\n",
        "name-int": b"apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: 5\n",
        "list-doc": b"- a\n- b\n",
        "scalar-doc": b"hello\n",
        "kind-list": b"apiVersion: v1\nkind: List\nitems: 3\n",
        "kind-list-garbage": b"apiVersion: v1\nkind: List\nitems: [1, {a: b}, {kind: Job, metadata: 3}]\n",
        "many-docs": b"---\n---\n--- \n---\nkind: ConfigMap\n---\n...\n",
        "yaml-bomb-out": YAML_BOMB,
        "deep-out": b"a: " + b"[" * 3000 + b"]" * 3000 + b"\n",
        "non-utf8": b"apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: \xff\xfe\n",
        "garbage": GARBAGE,
        "nul": b"a: \x00\n",
        "bom": b"\xef\xbb\xbfapiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n",
        "comment-unclosed": b"{{/* never closed\n",
        "raw-string-unclosed": b"{{ `abc }}\n",
        "string-unclosed": b"{{ \"abc }}\n",
        "char-const-bad": b"{{ 'ab' }}\n",
        "number-bad": b"{{ 0x }}\n{{ 1e }}\n",
        "huge-number": b"{{ 99999999999999999999999999999999999 }}\n{{ add 1 1e400 }}\n",
        "break-outside": b"{{ break }}\n",
        "define-in-action": b"{{ if true }}{{ define \"x\" }}{{ end }}{{ end }}\n",
        "range-int-huge": b"{{ range 100000000 }}{{ end }}\n",
        "range-func": b"{{ range $x := (dict) }}{{ end }}{{ range 3.5 }}{{ end }}\n",
        "variable-undefined": b"{{ $nope }}\n",
        "deep-pipeline": b"{{ " + b"(" * 2000 + b"1" + b")" * 2000 + b" }}\n",
        "deep-if": b"{{ if true }}" * 2000 + b"{{ end }}" * 2000 + b"\n",
        "trim-markers": b"{{- -}}\n{{-3}}\n{{ - 3 }}\n",
        "call-nonfunc": b"{{ call .Values.image }}\n{{ call nil }}\n",
        "method-args": b"{{ .Capabilities.APIVersions.Has }}\n{{ .Files.Get 1 2 }}\n",
        "and-no-args": b"{{ and }}{{ or }}{{ not }}{{ eq }}{{ lt 1 }}\n",
        "compare-incompat": b"{{ lt 1 \"a\" }}{{ eq (list) (list) }}\n",
        "slice-bad": b"{{ slice \"abc\" 2 1 }}{{ slice (list) 5 }}\n",
        "printf-bad": b"{{ printf \"%!\" 1 }}{{ printf \"%*d\" \"x\" 1 }}{{ printf \"%[9]d\" }}\n",
        "nested-tpl": b"{{ tpl (.Files.Get \"templates/cm.yaml\") . }}\n",
        "toYaml-funcs": b"{{ toYaml (list (dict \"a\" nil) .Capabilities .Release .Template) }}\n",
        "huge-indent": b"{{ indent 100000000 \"x\" }}\n",
        "huge-printf-width": b"{{ printf \"%999999999d\" 1 }}\n",
        "huge-trunc": b"{{ trunc 99999999999999999999 \"x\" }}\n{{ substr -5 99999999999 \"abc\" }}\n",
        "b64dec-garbage": b"{{ b64dec \"!!!\" }}{{ b32dec \"!!!\" }}\n",
        "crypto": b"{{ genPrivateKey \"nope\" }}{{ buildCustomCert \"x\" \"y\" }}\n",
        "date-bad": b"{{ toDate \"bad\" \"bad\" }}{{ dateInZone \"x\" now \"Nowhere/Zone\" }}\n",
        "is-directory": AS_DIR,
        "symlink-loop": Symlink("job.yaml"),
        "symlink-dir-loop": Symlink("."),
        "symlink-parent": Symlink(".."),
        "symlink-abs": Symlink("/etc/hostname"),
    }
    for name, body in bodies.items():
        yield ChartCase(f"template/{name}", {"templates/job.yaml": body}, mentions=("job.yaml",))
    yield ChartCase("template/helpers-broken", {"templates/_helpers.tpl": b"{{ define \"x\" }}\n"},
                    mentions=("_helpers.tpl",))
    yield ChartCase("template/notes-broken", {"templates/NOTES.txt": b"{{ .Values.x.y.z }}{{ fail \"n\" }}\n"})


def hook_annotation_cases() -> Iterator[ChartCase]:
    annotations: dict[str, bytes] = {
        "unknown-event": b"    helm.sh/hook: pre-nothing\n",
        "empty-event": b"    helm.sh/hook: ''\n",
        "commas": b"    helm.sh/hook: ',,, ,pre-install,'\n",
        "weight-text": b"    helm.sh/hook: pre-install\n    helm.sh/hook-weight: heavy\n",
        "weight-huge": b"    helm.sh/hook: pre-install\n    helm.sh/hook-weight: '99999999999999999999999'\n",
        "weight-float": b"    helm.sh/hook: pre-install\n    helm.sh/hook-weight: '1.5'\n",
        "weight-int": b"    helm.sh/hook: pre-install\n    helm.sh/hook-weight: 5\n",
        "policy-bad": b"    helm.sh/hook: pre-install\n    helm.sh/hook-delete-policy: never,always\n",
        "hook-list": b"    helm.sh/hook: [pre-install]\n",
        "hook-null": b"    helm.sh/hook: ~\n",
        "hook-map": b"    helm.sh/hook: {a: 1}\n",
        "resource-policy": b"    helm.sh/resource-policy: keep\n    helm.sh/hook: test\n",
        "output-log-policy": b"    helm.sh/hook: test\n    helm.sh/hook-output-log-policy: bogus\n",
        "ignore-check-garbage": b"    helm.sh/hook: pre-install\n    ignore-check.hooklint.io/HL999: 5\n    ignore-check.hooklint.io/: ''\n",
    }
    for name, ann in annotations.items():
        yield ChartCase(f"hook/{name}", {"templates/job.yaml": _job_with(ann)})
    yield ChartCase("hook/annotations-list", {"templates/job.yaml": (
        b"apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: j\n  annotations: [helm.sh/hook]\n")})
    yield ChartCase("hook/annotations-scalar", {"templates/job.yaml": (
        b"apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n  annotations: 7\n  labels: [1]\n")})
    yield ChartCase("hook/name-missing", {"templates/job.yaml": (
        b"apiVersion: v1\nkind: Pod\nmetadata:\n  annotations: {helm.sh/hook: pre-install}\n")})
    yield ChartCase("hook/kind-int", {"templates/job.yaml": (
        b"apiVersion: 1\nkind: 2\nmetadata:\n  name: 3\n  namespace: [x]\n  annotations: {helm.sh/hook: test}\n")})
    yield ChartCase("hook/spec-garbage", {"templates/job.yaml": (
        b"apiVersion: batch/v1\nkind: Job\nmetadata: {name: j, annotations: {helm.sh/hook: pre-install}}\n"
        b"spec: {template: 3, backoffLimit: x, activeDeadlineSeconds: [1], ttlSecondsAfterFinished: -1}\n")})
    yield ChartCase("hook/pod-spec-garbage", {"templates/job.yaml": (
        b"apiVersion: v1\nkind: Pod\nmetadata: {name: p, annotations: {helm.sh/hook: test}}\n"
        b"spec: {containers: 3, securityContext: [1], volumes: {a: 1}, initContainers: [1, [2]]}\n")})
    yield ChartCase("hook/containers-garbage", {"templates/job.yaml": (
        b"apiVersion: batch/v1\nkind: Job\nmetadata: {name: j, annotations: {helm.sh/hook: pre-install}}\n"
        b"spec:\n  template:\n    spec:\n      containers: [3, {name: [1], image: {a: 1}, env: 5,"
        b" command: 7, securityContext: 3, resources: [1], envFrom: 1, volumeMounts: {x: 1}}]\n")})
    yield ChartCase("hook/sa-rbac-garbage", {"templates/job.yaml": (
        b"apiVersion: rbac.authorization.k8s.io/v1\nkind: RoleBinding\nmetadata:\n  name: rb\n"
        b"  annotations: {helm.sh/hook: pre-install}\nsubjects: 3\nroleRef: [1]\n---\n"
        b"apiVersion: v1\nkind: ServiceAccount\nmetadata: {name: 5, annotations: {helm.sh/hook: 1}}\n"
        b"secrets: {a: 1}\n---\napiVersion: v1\nkind: Secret\nmetadata: {name: s}\ndata: [1]\nstringData: 3\n")})
    yield ChartCase("hook/crd-hook", {"templates/job.yaml": (
        b"apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nmetadata:\n  name: x\n"
        b"  annotations: {helm.sh/hook: crd-install}\nspec: 3\n")})


def tree_cases() -> Iterator[ChartCase]:
    yield ChartCase("tree/templates-is-file", {"templates/cm.yaml": DELETE, "templates/job.yaml": DELETE,
                    "templates/_helpers.tpl": DELETE, "templates": b"not a dir\n"})
    yield ChartCase("tree/no-templates", {"templates/cm.yaml": DELETE, "templates/job.yaml": DELETE,
                    "templates/_helpers.tpl": DELETE})
    yield ChartCase("tree/charts-garbage-file", {"charts/sub.tgz": GARBAGE})
    yield ChartCase("tree/charts-empty-tgz", {"charts/sub.tgz": b""})
    yield ChartCase("tree/charts-text-file", {"charts/README": b"hello\n"})
    yield ChartCase("tree/charts-yaml-as-tgz", {"charts/sub.tgz": b"apiVersion: v2\nname: sub\n"})
    yield ChartCase("tree/subchart-no-chart-yaml", {"charts/sub/values.yaml": b"a: 1\n"})
    yield ChartCase("tree/subchart-bad-chart-yaml", {"charts/sub/Chart.yaml": b"name: [\n"})
    yield ChartCase("tree/subchart-bad-values", {"charts/sub/Chart.yaml": b"apiVersion: v2\nname: sub\nversion: 1.0.0\n",
                                                 "charts/sub/values.yaml": b"- 1\n"})
    yield ChartCase("tree/subchart-bad-template", {
        "charts/sub/Chart.yaml": b"apiVersion: v2\nname: sub\nversion: 1.0.0\n",
        "charts/sub/templates/x.yaml": b"{{ .Values.a.b.c }}\n{{ if }}\n"}, mentions=("x.yaml",))
    yield ChartCase("tree/subchart-values-clash", {
        "charts/sub/Chart.yaml": b"apiVersion: v2\nname: sub\nversion: 1.0.0\n",
        "charts/sub/values.yaml": b"a: {b: 1}\nglobal: 3\n",
        "values.yaml": b"sub: 5\nglobal: [1]\nhook: {enabled: false}\n"})
    yield ChartCase("tree/subchart-name-clash", {
        "charts/sub/Chart.yaml": b"apiVersion: v2\nname: base\nversion: 1.0.0\n",
        "charts/sub/charts/deeper/Chart.yaml": b"apiVersion: v2\nname: base\nversion: 1.0.0\n"})
    yield ChartCase("tree/subchart-symlink-loop", {"charts/loop": Symlink("..")})
    yield ChartCase("tree/subchart-self-symlink", {"charts/self": Symlink("../charts")})
    yield ChartCase("tree/crds-garbage", {"crds/x.yaml": GARBAGE, "crds/y.yaml": b"a: [\n", "crds/z.yaml": b"- 1\n"})
    yield ChartCase("tree/crds-dir", {"crds/sub/x.yaml": b"kind: CustomResourceDefinition\n", "crds/empty.yaml": b""})
    yield ChartCase("tree/crds-templated", {"crds/x.yaml": b"{{ fail \"no\" }}\nkind: x\n"})
    yield ChartCase("tree/helmignore-everything", {".helmignore": b"*\n"})
    yield ChartCase("tree/helmignore-chart-yaml", {".helmignore": b"Chart.yaml\n"})
    yield ChartCase("tree/helmignore-garbage", {".helmignore": b"[\n**/***\n!\n!!\n/\n\\\n" + GARBAGE})
    yield ChartCase("tree/helmignore-dir", {".helmignore": AS_DIR})
    yield ChartCase("tree/helmignore-templates", {".helmignore": b"templates/\n"})
    yield ChartCase("tree/schema-invalid-json", {"values.schema.json": b"{ not json"})
    yield ChartCase("tree/schema-garbage", {"values.schema.json": GARBAGE})
    yield ChartCase("tree/schema-not-object", {"values.schema.json": b"[1, 2]"})
    yield ChartCase("tree/schema-bool-false", {"values.schema.json": b"false"})
    yield ChartCase("tree/schema-invalid-schema", {"values.schema.json": b'{"type": 5, "properties": [1], "required": "x"}'})
    yield ChartCase("tree/schema-bad-regex", {"values.schema.json": b'{"properties": {"image": {"pattern": "("}}, "patternProperties": {"(": {}}}'})
    yield ChartCase("tree/schema-remote-ref", {"values.schema.json": b'{"$ref": "https://example.com/x.json"}'})
    yield ChartCase("tree/schema-file-ref", {"values.schema.json": b'{"$ref": "file:///etc/passwd"}'})
    yield ChartCase("tree/schema-self-ref", {"values.schema.json": b'{"$ref": "#"}'})
    yield ChartCase("tree/schema-ref-loop", {"values.schema.json": b'{"$defs": {"a": {"$ref": "#/$defs/b"}, "b": {"$ref": "#/$defs/a"}}, "$ref": "#/$defs/a"}'})
    yield ChartCase("tree/schema-deep", {"values.schema.json": b'{"items":' * 2000 + b"{}" + b"}" * 2000})
    yield ChartCase("tree/schema-huge-number", {"values.schema.json": b'{"properties": {"replicas": {"maximum": 1e999, "multipleOf": 1e-999}}}'})
    yield ChartCase("tree/schema-fails", {"values.schema.json": b'{"required": ["nope"], "properties": {"replicas": {"type": "string"}}}'})
    yield ChartCase("tree/requirements-garbage", {"requirements.yaml": b"dependencies: 3\n", "requirements.lock": GARBAGE})
    yield ChartCase("tree/chart-lock-garbage", {"Chart.lock": b"dependencies: [1\n"})
    yield ChartCase("tree/files-garbage", {"files/bin": GARBAGE, "files/empty": b""})
    yield ChartCase("tree/file-is-fifo-like-name", {"templates/weird name \u00e9\n.yaml".encode().decode(): b"a: 1\n"})
    yield ChartCase("tree/hooklint-config-broken", {".hooklint.yaml": b"rules: [\n"}, mentions=(".hooklint.yaml",))
    yield ChartCase("tree/hooklint-config-wrong-types", {".hooklint.yaml": (
        b"select: 3\nignore: {a: 1}\nfail_on: 7\ntarget: nowhere\nrules: [1]\nextends: 5\nper-file-ignores: 3\n")},
        mentions=(".hooklint.yaml",))
    yield ChartCase("tree/hooklint-config-list-root", {".hooklint.yaml": b"- a\n"}, mentions=(".hooklint.yaml",))
    yield ChartCase("tree/hooklint-config-garbage", {".hooklint.yaml": GARBAGE}, mentions=(".hooklint.yaml",))
    yield ChartCase("tree/hooklint-config-dir", {".hooklint.yaml": AS_DIR})
    yield ChartCase("tree/pyproject-broken", {"pyproject.toml": b"[tool.hooklint\nselect = 3\n"}, mentions=("pyproject.toml",))
    yield ChartCase("tree/pyproject-wrong-types", {"pyproject.toml": b"[tool.hooklint]\nselect = 3\nignore = {a = 1}\nrules = 5\n"},
                    mentions=("pyproject.toml",))
    yield ChartCase("tree/pyproject-garbage", {"pyproject.toml": GARBAGE})
    yield ChartCase("tree/archive", archive=True)


def archive_blobs() -> Iterator[tuple[str, bytes]]:
    """`.tgz` charts that are broken as archives (the chart inside is the valid base)."""
    good = pack_tgz({f"base/{k}": v for k, v in BASE_FILES.items()})
    yield "empty", b""
    yield "garbage", GARBAGE
    yield "truncated", good[: len(good) // 2]
    yield "truncated-header", good[:5]
    yield "gzip-of-garbage", gzip.compress(GARBAGE)
    yield "gzip-of-nothing", gzip.compress(b"")
    yield "plain-tar", _plain_tar({f"base/{k}": v for k, v in BASE_FILES.items()})
    yield "yaml-file", BASE_FILES["Chart.yaml"]
    yield "path-traversal", pack_tgz({"base/Chart.yaml": BASE_FILES["Chart.yaml"], "base/../../evil": b"x"})
    yield "absolute-path", pack_tgz({"base/Chart.yaml": BASE_FILES["Chart.yaml"], "/etc/evil": b"x"})
    yield "no-chart-yaml", pack_tgz({"base/values.yaml": b"a: 1\n"})
    yield "nested-chart-yaml", pack_tgz({"base/sub/Chart.yaml": BASE_FILES["Chart.yaml"]})
    yield "top-level-file", pack_tgz({"Chart.yaml": BASE_FILES["Chart.yaml"]})
    sym = tarfile.TarInfo("base/templates/link.yaml")
    sym.type, sym.linkname = tarfile.SYMTYPE, "/etc/passwd"
    yield "symlink", pack_tgz({f"base/{k}": v for k, v in BASE_FILES.items()}, [sym])
    hard = tarfile.TarInfo("base/templates/hard.yaml")
    hard.type, hard.linkname = tarfile.LNKTYPE, "base/Chart.yaml"
    yield "hardlink", pack_tgz({f"base/{k}": v for k, v in BASE_FILES.items()}, [hard])
    dev = tarfile.TarInfo("base/templates/dev")
    dev.type = tarfile.CHRTYPE
    yield "device", pack_tgz({f"base/{k}": v for k, v in BASE_FILES.items()}, [dev])
    yield "bomb", _gzip_bomb()
    yield "dup-members", pack_tgz({"base/Chart.yaml": BASE_FILES["Chart.yaml"]}) + pack_tgz({"base/Chart.yaml": b"x: ["})
    yield "non-utf8-names", pack_tgz({**{f"base/{k}": v for k, v in BASE_FILES.items()}, "base/templates/\udcff.yaml": b"a: 1\n"})
    yield "bad-chart-inside", pack_tgz({"base/Chart.yaml": b"name: [\n"})
    yield "subchart-garbage-inside", pack_tgz({**{f"base/{k}": v for k, v in BASE_FILES.items()}, "base/charts/s.tgz": GARBAGE})


def _plain_tar(members: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w") as tar:
        for name, data in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    return buf.getvalue()


def _gzip_bomb() -> bytes:
    """A 200 MiB file of zeros inside a chart, compressed to ~200 KiB."""
    size = 200 * 1024 * 1024
    buf = io.BytesIO()
    with gzip.GzipFile(fileobj=buf, mode="wb", compresslevel=9) as gz, tarfile.open(fileobj=gz, mode="w") as tar:
        for k, v in BASE_FILES.items():
            info = tarfile.TarInfo(f"base/{k}")
            info.size = len(v)
            tar.addfile(info, io.BytesIO(v))
        info = tarfile.TarInfo("base/files/zeros")
        info.size = size
        tar.addfile(info, _Zeros(size))
    return buf.getvalue()


class _Zeros(io.RawIOBase):
    def __init__(self, size: int) -> None:
        self.left = size

    def readable(self) -> bool:
        return True

    def readinto(self, b: bytearray) -> int:  # type: ignore[override]
        n = min(len(b), self.left)
        b[:n] = bytes(n)
        self.left -= n
        return n


SET_STRINGS: tuple[str, ...] = (
    "", ",", "=", "a", "a=", "=b", "a==b", "a.b=1,a=2", "a=1,a.b=2", "a[0]=1,a.b=2", "a.b=1,a[0]=2",
    "a[", "a]=1", "a[x]=1", "a[-1]=1", "a[99999999]=1", "a[1e3]=1", "a[0][0][0]=1", "a.b.c.d.e.f.g=1",
    ".a=1", "a.=1", "a..b=1", "a\\=1", "a=\\", "a={b}", "a={b,c}", "a=[1,2]", "name\x00=1", "a=\u00e9\udcff",
    "hook=3", "hook.enabled=notabool", "hook.weight=null", "hook=null", "image=null", "a=1,,b=2",
    "a" * 10000 + "=1", ".".join(["a"] * 3000) + "=1", "a" + "[0]" * 3000 + "=1",
)
SET_JSON_STRINGS: tuple[str, ...] = (
    "a=", "a={", "a=[1,", "a=nul", "a=1e999", "a=\"\\ud800\"", "a={\"b\": " * 2000 + "1" + "}" * 2000,
    "=1", "a", "a[0]={}", "hook=[1]", "a=[" * 5000 + "]" * 5000,
)


def flag_cases() -> Iterator[ChartCase]:
    for i, s in enumerate(SET_STRINGS):
        for flag in ("--set", "--set-string", "--set-literal"):
            yield ChartCase(f"flags/{flag[2:]}-{i}", flags=(flag, s))
    for i, s in enumerate(SET_JSON_STRINGS):
        yield ChartCase(f"flags/set-json-{i}", flags=("--set-json", s))
    yield ChartCase("flags/set-file-missing", flags=("--set-file", "a=nope.txt"))
    yield ChartCase("flags/set-file-dir", flags=("--set-file", "a=templates"))
    yield ChartCase("flags/set-file-garbage", {"g.bin": GARBAGE}, flags=("--set-file", "a=g.bin"))
    yield ChartCase("flags/set-file-no-eq", flags=("--set-file", "nope"))
    values_bodies: dict[str, FileSpec] = {
        "syntax": b"a: [\n", "list": b"- 1\n", "scalar": b"x\n", "garbage": GARBAGE, "bomb": YAML_BOMB,
        "empty": b"", "nul": b"\x00", "non-utf8": b"a: \xff\n", "type-clash": b"hook: 3\nreplicas: {a: 1}\n",
    }
    for name, body in values_bodies.items():
        # a type clash fails in the template that reads the value (Helm names the template)
        mentions = () if name == "type-clash" else (f"v-{name}.yaml",)
        yield ChartCase(f"flags/values-{name}", {f"v-{name}.yaml": body}, flags=("-f", f"v-{name}.yaml"),
                        mentions=mentions)
    yield ChartCase("flags/values-missing", flags=("-f", "nope.yaml"), mentions=("nope.yaml",))
    yield ChartCase("flags/values-dir", flags=("-f", "templates"), mentions=("templates",))
    yield ChartCase("flags/values-url", flags=("-f", "http://127.0.0.1:9/v.yaml"))
    yield ChartCase("flags/values-dev-null", flags=("-f", "/dev/null"))
    yield ChartCase("flags/kube-version-bad", flags=("--kube-version", "banana"))
    yield ChartCase("flags/kube-version-empty", flags=("--kube-version", ""))
    yield ChartCase("flags/api-versions-garbage", flags=("-a", ",,,/,a/b/c/d,\x00"))
    yield ChartCase("flags/namespace-garbage", flags=("-n", "Bad Namespace\n"))
    yield ChartCase("flags/release-name-garbage", flags=("--name", "x" * 300 + "\n\u00e9"))
    yield ChartCase("flags/release-name-empty", flags=("--name", ""))


def all_chart_cases() -> list[ChartCase]:
    return [
        *chart_yaml_cases(), *values_cases(), *template_cases(), *hook_annotation_cases(),
        *tree_cases(), *flag_cases(),
    ]

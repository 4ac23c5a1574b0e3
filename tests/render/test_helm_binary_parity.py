"""`hooklint render` against the real `helm template` binary: whole stdout, stderr and exit code.

Every fixture chart (each folder under fixtures/ holding a top-level chart) with its default
values and with each of its `ci/*.yaml` values files; then, on default values, six flag sets:
`--include-crds --is-upgrade`; `--skip-tests --kube-version -a`; `--no-hooks --set --set-string
--set-json`; `--show-only`; `--output-dir` (the written tree is compared too), also with a
release name, `--namespace` and `--use-release-name` (helm's `--release-name`).
Each case runs once against helm v3.17.1 (hooklint's default) and once with `--helm-version 4`
against helm v4.1.4.

hooklint's Helm 4 is Helm 4.2 (README, render section). Two 4.1 -> 4.2 changes show in these
outputs and are bridged here, nowhere else:
- the default `.Capabilities.KubeVersion` (4.1.4: v1.35.0, 4.2: v1.36.0): helm 4.1.4 is run with
  `--kube-version v1.36.0` when the case sets none;
- 4.2's SplitManifests keeps a document's trailing whitespace: both outputs are compared with
  each document's trailing whitespace removed (test_helm4_split_matches_the_sdk checks hooklint's
  4.2 split against the 4.2.3 SDK's own release manifest, exactly).
The third, 4.2 dropping `null`s of chart defaults, needs no bridge: no fixture chart has one.

Flags Helm rejects (ERROR_FLAGS) must give Helm's message and exit code (a usage error is
hooklint's exit 2). Helm's log lines on stderr are compared as a sorted list: values warnings
come from Go map iteration, whose order changes from run to run.

Charts that call random functions (rand*, uuidv4, gen*, now, ...) are compared on their stable
documents: helm renders twice, and the documents that differ between those two runs are left out
of both outputs (their count and `# Source:` headers must still agree).
"""

from __future__ import annotations

import re
import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml
from cli_run import run_cli
from helm_binaries import HELM3, HELM4, helm_binary, run_helm
from helm_oracle import HAVE_HELM

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "fixtures"
# 4.2's default KubeVersion, given to helm 4.1.4 (see the module docstring)
HELM42_KUBE_VERSION = "v1.36.0"
# Go's unicode.IsSpace, as strings.TrimSpace uses it
_GO_SPACE = "\t\n\v\f\r \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000"
_RANDOM = re.compile(r"\b(rand\w*|uuidv4|genCA|genPrivateKey|genSelfSigned\w*|genSigned\w*|now|htpasswd|shuffle)\b")


def _charts() -> list[Path]:
    """Top-level fixture charts: a Chart.yaml not inside another chart's charts/ folder."""
    found = []
    for chart_yaml in sorted(FIXTURES.rglob("Chart.yaml")):
        chart = chart_yaml.parent
        rel = chart.relative_to(FIXTURES).parts
        if "charts" in rel[1:-1] and any((FIXTURES.joinpath(*rel[:i]) / "Chart.yaml").exists() for i in range(1, len(rel))):
            continue  # a subchart
        found.append(chart)
    return found


def _show_only_target(chart: Path) -> str:
    """The first template that is not a partial or NOTES.txt (it may render nothing: then both
    must fail the same way)."""
    for t in sorted((chart / "templates").rglob("*")):
        if t.is_file() and not t.name.startswith("_") and t.name != "NOTES.txt":
            return t.relative_to(chart).as_posix()
    return "templates/none.yaml"


@dataclass(frozen=True)
class Case:
    chart: Path
    flags: tuple[str, ...]
    name: str
    exit_code: int | None = None  # hooklint's, where it differs from helm's 1 by design
    release: str | None = None  # `hooklint render NAME CHART` / `helm template NAME CHART`


# Flags Helm rejects: the same message; the same exit code but for usage errors (README: 2).
ERROR_FLAGS: list[tuple[tuple[str, ...], int | None]] = [
    (("--show-only", "templates/nope.yaml"), None),
    (("--show-only", "["), None),
    (("--set", "a={1,2"), 2),  # an unparsable --set* argument: a usage error
    (("--set-json", "a=["), 2),  # an unparsable --set* argument: a usage error
    (("--set-file", "a=/nonexistent/file"), 2),  # an unparsable --set* argument: a usage error
    (("-f", "/nonexistent/values.yaml"), None),
    (("--kube-version", "banana"), 2),
]


def _cases() -> list[Case]:
    cases = []
    for chart in _charts():
        label = chart.relative_to(FIXTURES).as_posix()
        cases.append(Case(chart, (), f"{label}:defaults"))
        for vf in sorted((chart / "ci").glob("*.yaml")):
            cases.append(Case(chart, ("-f", str(vf)), f"{label}:{vf.name}"))
        # flags that cannot hide each other's effect share a run (the suite's time budget)
        variants: list[tuple[str, ...]] = [
            ("--include-crds", "--is-upgrade"),
            ("--skip-tests", "--kube-version", "v1.29.3", "-a", "example.com/v1/Widget", "-a", "policy/v1beta1"),
            ("--no-hooks", "--set", "replicaCount=3,extra.list={a,b}", "--set-string", "extra.code=010",
             "--set-json", 'extra.obj={"k":[1,null,{"x":true}]}'),
            ("--show-only", _show_only_target(chart)),
        ]
        cases += [Case(chart, v, f"{label}:{v[0]}") for v in variants]
        cases.append(Case(chart, ("--output-dir", "OUT"), f"{label}:--output-dir"))
        cases.append(Case(chart, ("--output-dir", "OUT", "--release-name", "--namespace", "shop"),
                          f"{label}:--output-dir:release", release="my-release"))
    example = FIXTURES / "charts" / "example"
    cases += [Case(example, flags, f"charts/example:error:{' '.join(flags)}", code) for flags, code in ERROR_FLAGS]
    return cases


CASES = _cases()


def _documents(out: str) -> list[str]:
    """The printed documents, each starting with its `---` line."""
    return [d for d in re.split(r"(?m)^(?=---\n# Source: )", out) if d]


def _strip_doc_trailing_space(out: str) -> str:
    """Each document's trailing whitespace removed (Helm 4.1 vs 4.2 SplitManifests)."""
    return "".join(d.rstrip() + "\n" for d in _documents(out))


def _is_random(chart: Path) -> bool:
    return any(
        _RANDOM.search(t.read_text(encoding="utf-8", errors="replace"))
        for t in chart.rglob("*")
        if t.is_file() and t.suffix in (".yaml", ".tpl", ".yml", ".txt") and "templates" in t.parts
    )


def _stable(out: str, again: str, ours: str) -> tuple[str, str]:
    """Helm's and our output (or one written file) without the documents that differ between
    two helm runs."""
    first, second, mine = _documents(out), _documents(again), _documents(ours)
    if len(first) != len(second) or len(first) != len(mine):
        return out, ours  # a different document count is a real difference
    keep = [i for i in range(len(first)) if first[i] == second[i]]
    header = [d.split("\n", 2)[:2] for d in first] == [d.split("\n", 2)[:2] for d in mine]
    assert header, "random chart: the documents' # Source: headers differ"
    return "".join(first[i] for i in keep), "".join(mine[i] for i in keep)


_LOG_LINE = re.compile(r"^(?:[a-z_]+\.go:\d+: |level=[A-Z]+ |WARNING: )")


def _stderr(text: str) -> tuple[list[str], list[str]]:
    """(Helm's log lines, sorted; the other lines, in order). Helm logs values-coalescing
    warnings while iterating Go maps, so their order changes from run to run."""
    lines = text.splitlines(keepends=True)
    return sorted(ln for ln in lines if _LOG_LINE.match(ln)), [ln for ln in lines if not _LOG_LINE.match(ln)]


def _tree(root: Path) -> dict[str, str]:
    return {p.relative_to(root).as_posix(): p.read_text(encoding="utf-8") for p in sorted(root.rglob("*")) if p.is_file()}


@pytest.mark.parametrize("version", [3, 4])
@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_render_equals_helm_template(case: Case, version: int, tmp_path: Path) -> None:
    helm = helm_binary(HELM3 if version == 3 else HELM4)
    ours_dir, helm_dir = tmp_path / "ours", tmp_path / "helm"
    flags = list(case.flags)
    out_dir = "OUT" in flags
    ours_flags = [str(ours_dir) if f == "OUT" else f for f in flags]
    # helm's boolean --release-name is hooklint's too
    helm_flags = [str(helm_dir) if f == "OUT" else f for f in flags]
    if version == 4 and "--kube-version" not in flags:
        helm_flags += ["--kube-version", HELM42_KUBE_VERSION]
    name = [case.release] if case.release else []
    hl_args = ["render", *name, str(case.chart), *ours_flags] + (["--helm-version", "4"] if version == 4 else [])
    ours = run_cli(hl_args)
    helm_args = ["template", *name, str(case.chart)]
    theirs = run_helm(helm, [*helm_args, *helm_flags], tmp_path / "home")
    ours_out, helm_out = ours.stdout, theirs.stdout
    if out_dir:
        ours_out = ours_out.replace(str(ours_dir), "OUT")
        helm_out = helm_out.replace(str(helm_dir), "OUT")
    mine = _tree(ours_dir) if ours_dir.exists() else {}
    want = _tree(helm_dir) if helm_dir.exists() else {}
    if theirs.exit_code == 0 and _is_random(case.chart):
        again_dir = tmp_path / "again"
        again_flags = [str(again_dir) if f == str(helm_dir) else f for f in helm_flags]
        again = run_helm(helm, [*helm_args, *again_flags], tmp_path / "home")
        helm_out, ours_out = _stable(helm_out, again.stdout.replace(str(again_dir), "OUT"), ours_out)
        again_tree = _tree(again_dir) if again_dir.exists() else {}
        for name in set(want) & set(mine) & set(again_tree):
            want[name], mine[name] = _stable(want[name], again_tree[name], mine[name])
    if version == 4:
        helm_out, ours_out = _strip_doc_trailing_space(helm_out), _strip_doc_trailing_space(ours_out)
    assert ours.exit_code == (theirs.exit_code if case.exit_code is None else case.exit_code), ours.stderr
    assert _stderr(ours.stderr) == _stderr(theirs.stderr)
    assert ours_out == helm_out
    if out_dir:
        if version == 4:
            mine = {k: _strip_doc_trailing_space(v) for k, v in mine.items()}
            want = {k: _strip_doc_trailing_space(v) for k, v in want.items()}
        assert mine == want
    shutil.rmtree(tmp_path, ignore_errors=True)


SDK_CASES = [c for c in CASES if ":error:" not in c.name and (c.flags == () or c.flags[0] == "-f")]


@pytest.mark.skipif(not HAVE_HELM, reason="helm_python not installed")
@pytest.mark.parametrize("case", SDK_CASES, ids=[c.name for c in SDK_CASES])
def test_helm4_split_matches_the_sdk(case: Case) -> None:
    """Helm 4.2's manifest text (documents keep their trailing newlines) is the 4.2.3 SDK's own:
    `helm template --no-hooks` prints the release manifest, trimmed, plus a newline."""
    import helm_python

    values = yaml.safe_load(Path(case.flags[1]).read_text()) if case.flags else None
    try:
        release = helm_python.Config(storage_driver="memory").install(
            str(case.chart), "release-name", values, namespace="default", dry_run="client"
        )
    except helm_python.HelmError:
        pytest.skip("the chart does not install (its error is compared against helm 4.1.4 above)")
    want = release.get("manifest", "").strip(_GO_SPACE) + "\n"  # no key: empty
    ours = run_cli(["render", str(case.chart), *case.flags, "--no-hooks", "--helm-version", "4"])
    assert ours.exit_code == 0, ours.stderr
    if _is_random(case.chart):
        again = helm_python.Config(storage_driver="memory").install(
            str(case.chart), "release-name", values, namespace="default", dry_run="client"
        )
        want, mine = _stable(want, again.get("manifest", "").strip(_GO_SPACE) + "\n", ours.stdout)
        assert mine == want
        return
    assert ours.stdout == want

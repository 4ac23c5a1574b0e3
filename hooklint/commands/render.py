"""`hooklint render CHART [NAME]`: print exactly what `helm template` prints.

Errors print `Error: <Helm's message>` on stderr with exit 1; usage errors exit 2.
`--renderer helm` runs a `helm` binary from PATH instead of the built-in engine.
"""

from __future__ import annotations

import sys

from hooklint.errors import ChartError, UsageError

TYPE_CHECKING = False  # not `typing`'s: a replayed render must start fast
if TYPE_CHECKING:
    from typing import Any


def _lookup_objects(path: str) -> tuple[dict[str, Any], ...]:
    """`--lookup-data FILE`: a YAML or JSON list of objects (or a `kind: List` with items)."""
    from hooklint.chart.yamlio import YamlError, load_yaml

    try:
        with open(path, encoding="utf-8") as f:
            text = f.read()
    except OSError as e:
        raise UsageError(f"--lookup-data: cannot read {path}: {e.strerror or e}") from None
    except UnicodeDecodeError:
        raise UsageError(f"--lookup-data: cannot read {path}: not UTF-8 text") from None
    try:
        data = load_yaml(text, path)
    except YamlError as e:
        raise UsageError(f"--lookup-data: {path}: {e}") from None
    if isinstance(data, dict) and isinstance(data.get("items"), list):
        data = data["items"]
    if not isinstance(data, list) or not all(isinstance(o, dict) for o in data):
        raise UsageError(f"--lookup-data: {path} must hold a list of Kubernetes objects")
    return tuple(data)


def _run_helm(args: list[str]) -> str:
    import shutil  # with subprocess, ~4 ms a run: imported for --renderer helm only
    import subprocess

    helm = shutil.which("helm")
    if helm is None:
        raise UsageError(
            "--renderer helm: no `helm` binary on PATH (install Helm, or use --renderer builtin)"
        )
    proc = subprocess.run([helm, "template", *args], capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        msg = proc.stderr.strip()
        raise ChartError(msg.removeprefix("Error: ") or f"helm exited with status {proc.returncode}")
    return proc.stdout


def register(subparsers: Any) -> None:
    from hooklint.commands import options as opt

    p = opt.add_command(
        subparsers,
        "render",
        "Render a chart like `helm template` (byte for byte) without Helm or a cluster.",
        "[OPTIONS] CHART [NAME]",
        render,
        cached=True,
    )
    p.add_argument("chart", metavar="CHART", help="Chart directory or .tgz.")
    p.add_argument("name", nargs="?", metavar="NAME", help="Release name (like `helm template NAME CHART`).")
    p.add_argument("--release-name", metavar="NAME", help="Release name (default: release-name).")
    opt.add_render_options(p, release_name=False)
    p.add_argument("--include-crds", action="store_true", help="Include CRDs in the output.")
    p.add_argument("--skip-tests", action="store_true", help="Skip test hooks.")
    p.add_argument("--no-hooks", action="store_true", help="Leave hooks out.")
    p.add_argument("--is-upgrade", action="store_true", help="Set .Release.IsUpgrade instead of IsInstall.")
    p.add_argument(
        "-s", "--show-only", action="append", metavar="TEMPLATE", help="Only show manifests from these templates."
    )
    p.add_argument("--output-dir", metavar="DIR", help="Write the files to this directory.")
    p.add_argument("--use-release-name", action="store_true", help="Use the release name in the output-dir path.")
    p.add_argument("--skip-schema-validation", action="store_true", help="Skip values.schema.json.")
    p.add_argument("--lookup-data", metavar="FILE", help="YAML/JSON list of objects `lookup` answers with.")
    p.add_argument(
        "--renderer", default="builtin", metavar="RENDERER", help="builtin (default) or helm (a helm binary on PATH)."
    )
    p.add_argument(
        "--helm-version",
        type=int,
        default=3,
        metavar="VERSION",
        help="Render like Helm 3 (3.17.1, default) or Helm 4 (4.2.3).",
    )


def render(
    chart: str,
    name: str | None,
    release_name: str | None,
    namespace: str,
    values: list[str] | None,
    set_: list[str] | None,
    set_string: list[str] | None,
    set_json: list[str] | None,
    set_file: list[str] | None,
    set_literal: list[str] | None,
    include_crds: bool,
    skip_tests: bool,
    no_hooks: bool,
    is_upgrade: bool,
    show_only: list[str] | None,
    output_dir: str | None,
    use_release_name: bool,
    kube_version: str | None,
    api_versions: list[str] | None,
    skip_schema_validation: bool,
    lookup_data: str | None,
    renderer: str,
    helm_version: int,
) -> None:
    """`hooklint render`: the parsed options as keyword arguments."""
    options = dict(locals())  # every option, for the replay key
    values, set_, set_string, set_json, set_file, set_literal, api_versions, show_only = (
        list(v or ())
        for v in (values, set_, set_string, set_json, set_file, set_literal, api_versions, show_only)
    )
    if renderer not in ("builtin", "helm"):
        raise UsageError(f"--renderer must be builtin or helm, not {renderer!r}")
    if helm_version not in (3, 4):
        raise UsageError(f"--helm-version must be 3 or 4, not {helm_version}")
    chart_path, rel = chart, name or release_name or "release-name"
    apis = tuple(a for item in api_versions for a in item.split(",") if a)
    if renderer == "helm":
        args = [rel, chart_path, "--namespace", namespace]
        for flag, items in (
            ("--values", values), ("--set", set_), ("--set-string", set_string), ("--set-json", set_json),
            ("--set-file", set_file), ("--set-literal", set_literal), ("--show-only", show_only),
            ("--api-versions", list(apis)),
        ):  # fmt: skip
            for item in items:
                args += [flag, item]
        for flag, on in (
            ("--include-crds", include_crds), ("--skip-tests", skip_tests), ("--no-hooks", no_hooks),
            ("--is-upgrade", is_upgrade), ("--skip-schema-validation", skip_schema_validation),
            ("--release-name", use_release_name),
        ):  # fmt: skip
            if on:
                args.append(flag)
        if kube_version:
            args += ["--kube-version", kube_version]
        if output_dir:
            args += ["--output-dir", output_dir]
        sys.stdout.write(_run_helm(args))
        return

    def run() -> None:
        _render_builtin(chart_path, rel, namespace, values, set_, set_string, set_json, set_file, set_literal,
                        include_crds, skip_tests, no_hooks, is_upgrade, show_only, output_dir, use_release_name,
                        kube_version, apis, skip_schema_validation, lookup_data, helm_version)

    from hooklint.runtime import replay

    set_files = replay.set_file_paths(set_file)
    if output_dir is not None or set_files is None:
        run()  # files written elsewhere, or --set-file paths we cannot name: not replayable
        return
    inputs = [*values, *([lookup_data] if lookup_data else []), *set_files]
    replay.run("render", replay.settings_of(options), [chart_path], inputs, run)


def _render_builtin(
    chart_path: str, rel: str, namespace: str, values: list[str], set_: list[str], set_string: list[str],
    set_json: list[str], set_file: list[str], set_literal: list[str], include_crds: bool, skip_tests: bool,
    no_hooks: bool, is_upgrade: bool, show_only: list[str], output_dir: str | None, use_release_name: bool,
    kube_version: str | None, apis: tuple[str, ...], skip_schema_validation: bool, lookup_data: str | None,
    helm_version: int,
) -> None:
    from hooklint.chart import load_chart
    from hooklint.render import RenderOptions, helmlog, template_output
    from hooklint.render.values import parse_kube_version

    if kube_version:
        parse_kube_version(kube_version, helm_version)  # usage error before touching the chart
    options = RenderOptions(
        helm_version=helm_version,
        release_name=rel,
        namespace=namespace,
        is_upgrade=is_upgrade,
        kube_version=kube_version,
        api_versions=apis,
        value_files=tuple(values),
        set_values=tuple(set_),
        set_string=tuple(set_string),
        set_json=tuple(set_json),
        set_file=tuple(set_file),
        set_literal=tuple(set_literal),
        skip_schema_validation=skip_schema_validation,
        lookup_data=_lookup_objects(lookup_data) if lookup_data else None,
    )
    with helmlog.capture() as logged:
        try:
            loaded = load_chart(chart_path, helm_version)
            if loaded.metadata.Deprecated and loaded.metadata.Type in ("", "application"):
                # after Helm's installable check, before its dependency processing
                helmlog.emit(helm_version, "WARNING: This chart is deprecated", "this chart is deprecated", "WARN")
            out = template_output(
                loaded,
                options,
                include_crds=include_crds,
                skip_tests=skip_tests,
                no_hooks=no_hooks,
                show_only=tuple(show_only),
                output_dir=output_dir,
                use_release_name=use_release_name,
            )
        finally:  # what Helm logged before it failed is printed before its error, too
            sys.stderr.write("".join(logged))
    sys.stdout.write(out)

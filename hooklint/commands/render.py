"""`hooklint render [NAME] CHART`: print exactly what `helm template [NAME] [CHART]` prints.

Errors print `Error: <Helm's message>` on stderr with exit 1; usage errors exit 2.
`--renderer helm` runs a `helm` binary from PATH instead of the built-in engine.
"""

from __future__ import annotations

import sys

from hooklint.commands import options as opt
from hooklint.errors import ChartError, UsageError

TYPE_CHECKING = False  # not `typing`'s: importing typing costs ~3 ms of every run
if TYPE_CHECKING:
    from typing import Annotated, Any

if TYPE_CHECKING:
    import typer

    from hooklint.commands import params


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


def register(app: typer.Typer) -> None:
    from hooklint.commands import params

    params.command(
        app, "render", render, cached=True,
        help="Render a chart like `helm template [NAME] [CHART]` (byte for byte) without Helm or a cluster.",
        epilog="Examples:\n\n\b\n"
               "  hooklint render ./mychart\n"
               "  hooklint render myrelease ./mychart -n prod -f values.yaml --set image.tag=1.2\n"
               "  hooklint render myrelease ./mychart --output-dir out --release-name",
    )


def render(
    args: Annotated[list[str], typer.Argument(metavar="[NAME] CHART", show_default=False,
                                              help="Release name (optional, as helm template's NAME) and chart "
                                                   "directory or .tgz.")],
    name: params.Name = None,
    release_name: Annotated[bool, typer.Option(
        "--release-name", help="Use the release name in the --output-dir path (helm template's flag).")] = False,
    namespace: params.Namespace = "default",
    values: params.Values = None,
    set_: params.SetValues = None,
    set_string: params.SetString = None,
    set_json: params.SetJson = None,
    set_file: params.SetFile = None,
    set_literal: params.SetLiteral = None,
    include_crds: Annotated[bool, typer.Option("--include-crds", help="Include CRDs in the output.")] = False,
    skip_tests: Annotated[bool, typer.Option("--skip-tests", help="Skip test hooks.")] = False,
    no_hooks: Annotated[bool, typer.Option("--no-hooks", help="Leave hooks out.")] = False,
    is_upgrade: Annotated[bool, typer.Option(
        "--is-upgrade", help="Set .Release.IsUpgrade instead of IsInstall.")] = False,
    show_only: Annotated[list[str] | None, typer.Option(
        "-s", "--show-only", metavar="TEMPLATE", help="Only show manifests from these templates.")] = None,
    output_dir: Annotated[str | None, typer.Option(
        "--output-dir", metavar="DIR", help="Write the files to this directory.")] = None,
    kube_version: params.KubeVersion = None,
    api_versions: params.ApiVersions = None,
    skip_schema_validation: Annotated[bool, typer.Option(
        "--skip-schema-validation", help="Skip values.schema.json.")] = False,
    lookup_data: Annotated[str | None, typer.Option(
        "--lookup-data", metavar="FILE", help="YAML/JSON list of objects `lookup` answers with.")] = None,
    renderer: Annotated[str, typer.Option(
        "--renderer", metavar="RENDERER", help="builtin or helm (a helm binary on PATH).")] = "builtin",
    helm_version: params.HelmMajor = None,
    debug: Annotated[bool, typer.Option(
        "--debug", help="On a YAML error, print the rendered (invalid) manifests, as helm template --debug.")] = False,
) -> None:
    """`hooklint render`: the parsed options as keyword arguments."""
    options = dict(locals())  # every option, for the replay key
    rel_name, chart = opt.release_and_chart(args, name, "render")
    opt.check_chart_path(chart)
    use_release_name = release_name
    values, set_, set_string, set_json, set_file, set_literal, api_versions, show_only = (
        list(v or ())
        for v in (values, set_, set_string, set_json, set_file, set_literal, api_versions, show_only)
    )
    if renderer not in ("builtin", "helm"):
        raise UsageError(f"--renderer must be builtin or helm, not {renderer!r}")
    helm_version = opt.helm_major(helm_version)
    chart_path, rel = str(chart), rel_name or "release-name"
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
                        kube_version, apis, skip_schema_validation, lookup_data, helm_version, debug)

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
    helm_version: int, debug: bool = False,
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
    from hooklint.errors import RenderError

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
        except RenderError as e:
            if not debug or e.debug_message is None:
                raise
            sys.stdout.write(e.rendered or "")  # what helm template --debug prints (sorted: Go's map order varies)
            raise RenderError(e.debug_message, e.pos) from None
        finally:  # what Helm logged before it failed is printed before its error, too
            sys.stderr.write("".join(logged))
    sys.stdout.write(out)

"""`hooklint render CHART [NAME]`: print exactly what `helm template` prints.

Errors print `Error: <Helm's message>` on stderr with exit 1; usage errors exit 2.
`--renderer helm` runs a `helm` binary from PATH instead of the built-in engine.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

from hooklint.errors import ChartError, UsageError


def _lookup_objects(path: str) -> tuple[dict[str, Any], ...]:
    """`--lookup-data FILE`: a YAML or JSON list of objects (or a `kind: List` with items)."""
    from hooklint.chart.yamlio import YamlError, load_yaml

    try:
        text = Path(path).read_text(encoding="utf-8")
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


def register(app: Any) -> None:
    import typer

    from hooklint.commands import options as opt

    @app.command(
        "render",
        help="Render a chart like `helm template` (byte for byte) without Helm or a cluster.",
    )
    def render(
        chart: str = typer.Argument(..., help="Chart directory or .tgz."),  # noqa: B008
        name: str = typer.Argument(None, help="Release name (like `helm template NAME CHART`)."),  # noqa: B008
        release_name: str = typer.Option(  # noqa: B008
            None, "--release-name", help="Release name (default: release-name)."
        ),
        namespace: str = opt.NAMESPACE,
        values: list[str] | None = opt.VALUES,
        set_: list[str] | None = opt.SET,
        set_string: list[str] | None = opt.SET_STRING,
        set_json: list[str] | None = opt.SET_JSON,
        set_file: list[str] | None = opt.SET_FILE,
        set_literal: list[str] | None = opt.SET_LITERAL,
        include_crds: bool = typer.Option(False, "--include-crds", help="Include CRDs in the output."),  # noqa: B008
        skip_tests: bool = typer.Option(False, "--skip-tests", help="Skip test hooks."),  # noqa: B008
        no_hooks: bool = typer.Option(False, "--no-hooks", help="Leave hooks out."),  # noqa: B008
        is_upgrade: bool = typer.Option(  # noqa: B008
            False, "--is-upgrade", help="Set .Release.IsUpgrade instead of IsInstall."
        ),
        show_only: list[str] = typer.Option(  # noqa: B008
            [], "--show-only", "-s", help="Only show manifests from these templates."
        ),
        output_dir: str = typer.Option(None, "--output-dir", help="Write the files to this directory."),  # noqa: B008
        use_release_name: bool = typer.Option(  # noqa: B008
            False, "--use-release-name", help="Use the release name in the output-dir path."
        ),
        kube_version: str = opt.KUBE_VERSION,
        api_versions: list[str] | None = opt.API_VERSIONS,
        skip_schema_validation: bool = typer.Option(  # noqa: B008
            False, "--skip-schema-validation", help="Skip values.schema.json."
        ),
        lookup_data: str = typer.Option(  # noqa: B008
            None, "--lookup-data", help="YAML/JSON list of objects `lookup` answers with."
        ),
        renderer: str = typer.Option(  # noqa: B008
            "builtin", "--renderer", help="builtin (default) or helm (a helm binary on PATH)."
        ),
        helm_version: int = typer.Option(  # noqa: B008
            3, "--helm-version", help="Render like Helm 3 (3.17.1, default) or Helm 4 (4.2.3)."
        ),
    ) -> None:
        values, set_, set_string, set_json, set_file, set_literal, api_versions = (
            list(v or ()) for v in (values, set_, set_string, set_json, set_file, set_literal, api_versions)
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

        from hooklint.chart import load_chart
        from hooklint.render import RenderOptions, template_output
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
        loaded = load_chart(chart_path, helm_version)
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
        sys.stdout.write(out)

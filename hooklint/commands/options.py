"""Options shared by the commands that render a chart, declared once so that their names,
defaults and help read the same everywhere (`hooklint render`, `hooklint plan`, `hooklint apply`)."""

from __future__ import annotations

import typer

RELEASE_NAME = typer.Option("release-name", "--release-name", help="Release name.")
NAMESPACE = typer.Option("default", "--namespace", "-n", help="Release namespace.")
VALUES = typer.Option(None, "--values", "-f", help="Values file (repeatable; later wins).")
SET = typer.Option(None, "--set", help="Set values (key=value[,key=value]).")
SET_STRING = typer.Option(None, "--set-string", help="Set STRING values.")
SET_JSON = typer.Option(None, "--set-json", help="Set JSON values.")
SET_FILE = typer.Option(None, "--set-file", help="Set values from files.")
SET_LITERAL = typer.Option(None, "--set-literal", help="Set a literal STRING value.")
KUBE_VERSION = typer.Option(None, "--kube-version", help="Kubernetes version for .Capabilities.")
API_VERSIONS = typer.Option(None, "--api-versions", "-a", help="Extra API versions for .Capabilities.")

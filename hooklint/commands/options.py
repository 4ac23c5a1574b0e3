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

# Lifecycle options shared by `plan` (what Helm would do) and `apply` (doing it).
TIMEOUT = typer.Option("5m0s", "--timeout", help="Timeout of each hook and of the wait.")
WAIT = typer.Option(False, "--wait", help="Wait for resources to be ready.")
WAIT_FOR_JOBS = typer.Option(False, "--wait-for-jobs", help="With --wait, also wait for Jobs.")
ATOMIC = typer.Option(False, "--atomic", help="v3: uninstall/roll back on failure.")
ROLLBACK_ON_FAILURE = typer.Option(False, "--rollback-on-failure", help="v4 name of --atomic.")
SKIP_CRDS = typer.Option(False, "--skip-crds", help="install: do not install crds/.")
WAIT_STRATEGY = typer.Option(None, "--wait-strategy", help="v4: hookOnly, watcher or legacy.")
KEEP_HISTORY = typer.Option(False, "--keep-history", help="uninstall: keep the release record.")
FILTER = typer.Option(None, "--filter", help="test: name=X or !name=X (repeatable).")
REPLACE = typer.Option(
    False, "--replace", help="install: re-use the name of an uninstalled or failed release."
)
TAKE_OWNERSHIP = typer.Option(
    False, "--take-ownership", help="install/upgrade: adopt existing objects whatever their owner."
)
CLEANUP_ON_FAIL = typer.Option(
    False, "--cleanup-on-fail", help="upgrade/rollback: delete the objects created when it fails."
)
SERVER_SIDE = typer.Option(
    None, "--server-side", help="v4: install true|false (default true); upgrade/rollback auto|true|false."
)

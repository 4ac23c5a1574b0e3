#!/bin/sh
# Helm plugin entry point for hooklint (see plugin.yaml).
# `--install`: create a private virtualenv in the plugin directory and install hooklint into it.
# The virtualenv has a name of its own (.helm-plugin-venv), not .venv: a plugin installed from a
# local checkout (`helm plugin install ./hooklint`) is a symlink to that checkout, whose own
# development .venv must stay as it is.
# Otherwise: `helm hooklint [lint options] CHART...` runs `hooklint lint`; `helm hooklint rules|explain|plan ...`
# runs that hooklint command.
set -eu
PLUGIN_DIR="${HELM_PLUGIN_DIR:-$(cd "$(dirname "$0")/.." && pwd)}"
VENV="$PLUGIN_DIR/.helm-plugin-venv"

if [ "${1:-}" = "--install" ]; then
  PY="$(command -v python3 || command -v python || true)"
  if [ -z "$PY" ]; then
    echo "helm-hooklint: Python 3.10+ is required" >&2
    exit 2
  fi
  "$PY" -m venv "$VENV"
  "$VENV/bin/python" -m pip install -q "$PLUGIN_DIR"
  exit 0
fi

if [ -x "$VENV/bin/hooklint" ]; then
  HOOKLINT="$VENV/bin/hooklint"
elif command -v hooklint >/dev/null 2>&1; then
  HOOKLINT="hooklint"
else
  echo "helm-hooklint: hooklint is not installed; run: helm plugin update hooklint" >&2
  exit 2
fi

case "${1:-}" in
  lint|rules|explain|plan|render|apply|--version|-h|--help) exec "$HOOKLINT" "$@" ;;
  *) exec "$HOOKLINT" lint "$@" ;;
esac

"""Record what the real `helm template` binaries print for the regression fixture charts.

    python tools/record_helm_outputs.py --helm3 PATH-TO-helm-v3.17.1 --helm4 PATH-TO-helm-v4.1.4

Every chart folder under fixtures/charts/regressions/ is rendered with `helm template CHART`
(from that folder, so paths in messages are relative) by both binaries, helm v4.1.4 with
`--kube-version v1.36.0` (the default of Helm 4.2, which `--helm-version 4` renders like); exit
code, stdout and stderr go to fixtures/charts/regressions/recorded.json, which
tests/render/test_corpus_regressions.py compares `hooklint render` (and `--helm-version 4`)
with when no helm binary is at hand. Each chart reproduces a difference the parity corpus
(tools/corpus.py) found between hooklint and the real binaries.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import tempfile
from pathlib import Path

REGRESSIONS = Path(__file__).resolve().parent.parent / "fixtures" / "charts" / "regressions"
RECORDED = REGRESSIONS / "recorded.json"
# Helm names a followed symbolic link by its absolute path: recorded as this placeholder, which
# the test replaces with the folder's path on the machine it runs on.
PLACEHOLDER = "<REGRESSIONS>"
VERSIONS = {"helm3": "v3.17.1", "helm4": "v4.1.4"}
FLAGS = {"helm3": [], "helm4": ["--kube-version", "v1.36.0"]}


def charts() -> list[str]:
    return sorted(p.name for p in REGRESSIONS.iterdir() if (p / "Chart.yaml").is_file())


def helm_template(helm: str, chart: str, home: str, flags: list[str]) -> dict[str, object]:
    env = dict(os.environ, HELM_CACHE_HOME=f"{home}/cache", HELM_CONFIG_HOME=f"{home}/config")
    env["HELM_DATA_HOME"] = f"{home}/data"
    p = subprocess.run(
        [helm, "template", chart, *flags],
        cwd=REGRESSIONS,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    here = str(REGRESSIONS.resolve())
    return {
        "exit": p.returncode,
        "stdout": p.stdout.replace(here, PLACEHOLDER),
        "stderr": p.stderr.replace(here, PLACEHOLDER),
    }


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--helm3", required=True, help="helm v3.17.1 binary")
    ap.add_argument("--helm4", required=True, help="helm v4.1.4 binary")
    args = ap.parse_args()
    recorded: dict[str, dict[str, object]] = {}
    with tempfile.TemporaryDirectory() as home:
        for flag, want in VERSIONS.items():
            helm = getattr(args, flag)
            got = subprocess.run([helm, "version", "--short"], capture_output=True, text=True, check=False)
            if not got.stdout.startswith(want + "+") and got.stdout.strip() != want:
                raise SystemExit(f"record_helm_outputs: {helm} is {got.stdout.strip()!r}, expected {want}")
        for chart in charts():
            recorded[chart] = {
                f"helm-{want}": helm_template(getattr(args, flag), chart, home, FLAGS[flag])
                for flag, want in VERSIONS.items()
            }
    RECORDED.write_text(json.dumps(recorded, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    print(f"recorded {len(recorded)} charts into {RECORDED.relative_to(REGRESSIONS.parents[2])}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""YAML decoding benchmark: values.yaml / Chart.yaml and fromYaml-sized documents, decoded the
way chart loading and `fromYaml` decode them (sigs.k8s.io/yaml.Unmarshal into interface{}).

    python bench/yamldecode.py CHART_DIR [CHART_DIR ...] [--repeat N]

Collects every `values.yaml` and `Chart.yaml` under the given chart folders (subcharts unpacked
under `charts/` included) and a fixed set of small documents like those templates pass to
`fromYaml`. Each round decodes all of them once through `yaml_to_json_value` (the decoder
entry point: the event-fused fast path with its fallback) and once through
`full_yaml_to_json_value` (the node-tree path the fast path falls back to), in alternating
order, so both see the same machine load. Prints the median CPU milliseconds of a round per
group and path and their ratio. CPU time, not wall time: on a shared machine it varies less.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from hooklint.chart.metadata import metadata_target  # noqa: E402
from hooklint.gotemplate.yaml_decode import (  # noqa: E402
    GoYAMLError,
    full_yaml_to_json_value,
    yaml_to_json_value,
)

# Shapes of what charts' helpers render and pipe to fromYaml (labels, an image, probe args).
SMALL_DOCS = [
    "app.kubernetes.io/name: web\napp.kubernetes.io/instance: rel\n",
    "image:\n  registry: docker.io\n  repository: bitnami/nginx\n  tag: 1.25.3\n  pullPolicy: IfNotPresent\n",
    "httpGet:\n  path: /health\n  port: 8080\ninitialDelaySeconds: 5\nperiodSeconds: 10\nenabled: true\n",
    "args:\n  - --http.listenAddr=:8428\n  - --retentionPeriod=1\n  - '--loggerFormat=json'\n",
    "a: 1\n",
]


def _collect(charts: list[str]) -> tuple[list[str], list[str]]:
    values: list[str] = []
    metas: list[str] = []
    for chart in charts:
        for path in sorted(Path(chart).rglob("*.yaml")):
            if path.name == "values.yaml":
                values.append(path.read_text(encoding="utf-8", errors="surrogateescape"))
            elif path.name == "Chart.yaml":
                metas.append(path.read_text(encoding="utf-8", errors="surrogateescape"))
    return values, metas


def _round(decode: Callable[..., object], docs: list[str], target: object) -> float:
    start = time.process_time()
    for text in docs:
        try:
            decode(text, target=target)
        except GoYAMLError:
            pass  # a document Helm rejects is a result too
    return time.process_time() - start


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("charts", nargs="+", help="chart folders")
    ap.add_argument("--repeat", type=int, default=15, help="rounds (default 15)")
    args = ap.parse_args(argv)
    values, metas = _collect(args.charts)
    groups = [
        (f"values.yaml x{len(values)}", values, None),
        (f"Chart.yaml x{len(metas)}", metas, metadata_target()),
        (f"fromYaml x{len(SMALL_DOCS)}x200", SMALL_DOCS * 200, None),
    ]
    paths = [("fast", yaml_to_json_value), ("full", full_yaml_to_json_value)]
    for label, docs, target in groups:
        times: dict[str, list[float]] = {name: [] for name, _ in paths}
        for i in range(args.repeat):
            order = paths if i % 2 == 0 else paths[::-1]
            for name, decode in order:
                times[name].append(_round(decode, docs, target))
        fast = statistics.median(times["fast"]) * 1000
        full = statistics.median(times["full"]) * 1000
        ratio = full / fast if fast else float("nan")
        print(f"{label:28} fast {fast:8.2f} ms  full {full:8.2f} ms  speed-up {ratio:5.2f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())

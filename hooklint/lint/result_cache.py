"""Lint results of unchanged charts, kept between runs (the way ruff caches per file).

A chart's ChartResult is stored under a key (hooklint.runtime.cache.KeyBuilder) over everything linting
it depends on: hooklint's code and rule catalogue (the code fingerprint), the request (chart,
values files, release name, namespace, target, Helm version, selected and ignored rules), the
effective configuration, the working directory and time zone, the whole chart tree, and every
values file rendered. Only the builtin renderer's results are cached, and not when a volatile
template function ran (gotypes.VOLATILE_FUNCS): those charts are linted afresh every time.

Entries are pickles that hooklint itself wrote into the user's cache directory (the same trust
as Python's own .pyc files); an entry that does not load is a miss.
"""

from __future__ import annotations

from pathlib import Path

from hooklint.runtime import cache

TYPE_CHECKING = False  # not `typing`'s: importing typing costs ~3 ms of every run
if TYPE_CHECKING:
    from typing import Any

BUCKET = "lint"


def key_for(req: Any, config: Any, value_sets: list[list[Path]]) -> str | None:
    """The key of linting `req` with `config` (after Config.for_chart), or None (caching off,
    or a chart too big to hash on every run)."""
    if cache.cache_root() is None or req.baseline_dir is not None:
        return None  # a baseline may be a revision extracted for this run only: not worth keying
    kb = cache.KeyBuilder(BUCKET)
    kb.add_str(repr(req))
    kb.add_str(repr(config))
    from hooklint.runtime.default_helm import default_helm

    kb.add_str(default_helm().text)  # the profile when neither req nor config names a Helm version
    kb.add_environment()
    kb.add_tree(req.chart_dir)
    for item in getattr(req, "set_file", ()):  # --set-file KEY=PATH: the file's content is a value
        kb.add_file(Path(item.partition("=")[2]))
    for values in value_sets:
        kb.add_str(str(len(values)))
        for path in values:
            kb.add_str(str(path))
            kb.add_file(path)
    return None if kb.too_big else kb.hexdigest()


def load(key: str) -> Any | None:
    data = cache.load(BUCKET, key)
    if data is None:
        return None
    import pickle  # only with the cache on (~1 ms of a run's start-up otherwise)

    try:
        return pickle.loads(data)
    except Exception:  # noqa: BLE001 - any damaged or outdated entry is a miss
        return None


def store(key: str, result: Any) -> None:
    import pickle

    cache.store(BUCKET, key, pickle.dumps(result, protocol=pickle.HIGHEST_PROTOCOL))

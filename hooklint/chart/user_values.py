"""User-supplied values: `-f`, `--set-json`, `--set`, `--set-string`, `--set-file`, `--set-literal`,
merged in that order like `values.Options.MergeValues` (pkg/cli/values/options.go).

Helm 4.2.3 differs in two places: `-f` files merge all their YAML documents (loader.LoadValues),
and a `--set-json` value that is a JSON object (`{...}`) is merged in whole."""

from __future__ import annotations

import sys
from collections.abc import Sequence

from hooklint.chart import strvals
from hooklint.chart.plain_copy import deep_copy
from hooklint.chart.yamlio import YamlError, load_values_for, merge_maps
from hooklint.errors import ChartError, ValuesArgumentError

TYPE_CHECKING = False  # not `typing`'s: importing typing costs ~3 ms of every run
if TYPE_CHECKING:
    from typing import Any

__all__ = ["merge_maps", "merge_user_values"]


def _read(path: str) -> bytes:
    if path.strip() == "-":
        return sys.stdin.buffer.read()
    if "://" in path:
        raise ChartError(
            f"{path}: hooklint reads values only from local files; download it first and pass the local path"
        )
    try:
        with open(path, "rb") as f:  # (not pathlib: importing it is ~2 ms of every run)
            return f.read()
    except FileNotFoundError:
        raise ChartError(f"open {path}: no such file or directory") from None
    except OSError as e:
        raise ChartError(f"open {path}: {e.strerror or e}") from None


def merge_user_values(
    value_files: Sequence[str] = (),
    set_values: Sequence[str] = (),
    set_string: Sequence[str] = (),
    set_json: Sequence[str] = (),
    set_file: Sequence[str] = (),
    set_literal: Sequence[str] = (),
    initial: dict[str, Any] | None = None,
    helm_version: int = 3,
) -> dict[str, Any]:
    base: dict[str, Any] = deep_copy(initial) if initial else {}
    for fp in value_files:
        text = _read(fp).removeprefix(b"\xef\xbb\xbf").decode("utf-8", "replace")
        try:
            current = load_values_for(text, fp, helm_version)
        except YamlError as e:
            raise ChartError(f"failed to parse {fp}: {e}") from None
        base = merge_maps(base, current)
    for value in set_json:
        if helm_version == 4 and value.strip(" \t\n\v\f\r\x85\xa0").startswith("{"):
            base = merge_maps(base, _json_object(value))
            continue
        try:
            strvals.parse_json(value, base)
        except strvals.StrvalsError:
            raise ValuesArgumentError(f"failed parsing --set-json data {value}") from None
    for value in set_values:
        try:
            strvals.parse_into(value, base)
        except strvals.StrvalsError as e:
            raise ValuesArgumentError(f"failed parsing --set data: {e}") from None
    for value in set_string:
        try:
            strvals.parse_into_string(value, base)
        except strvals.StrvalsError as e:
            raise ValuesArgumentError(f"failed parsing --set-string data: {e}") from None
    for value in set_file:

        def reader(rs: str) -> Any:
            return _read(rs).decode("utf-8", "replace")

        try:
            strvals.parse_into_file(value, base, reader)
        except strvals.StrvalsError as e:
            raise ValuesArgumentError(f"failed parsing --set-file data: {e}") from None
        except ChartError as e:
            raise ValuesArgumentError(f"failed parsing --set-file data: {e.message}") from None
    for value in set_literal:
        try:
            strvals.parse_literal_into(value, base)
        except strvals.StrvalsError as e:
            raise ValuesArgumentError(f"failed parsing --set-literal data: {e}") from None
    return base


def _json_object(value: str) -> dict[str, Any]:
    """Helm 4: json.Unmarshal of a whole `--set-json '{...}'` into a map."""
    from hooklint.gotemplate.gojson import JSONError, unmarshal
    from hooklint.gotemplate.gotypes import MAP

    try:
        out = unmarshal(value.strip(" \t\n\v\f\r\x85\xa0"), MAP)
    except JSONError:
        raise ValuesArgumentError(f"failed parsing --set-json data JSON: {value}") from None
    return out if isinstance(out, dict) else {}

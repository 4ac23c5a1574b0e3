"""Everything `helm template` takes besides the chart: release, capabilities, values flags.

Every dataclass of the start-up path has a docstring: for one without, `@dataclass` builds one
from `inspect.signature(cls)`, which costs start-up time.
"""

from __future__ import annotations

from dataclasses import dataclass

TYPE_CHECKING = False  # not `typing`'s: importing typing costs ~3 ms of every run
if TYPE_CHECKING:
    from typing import Any


@dataclass
class RenderOptions:
    """The options of one render: treated as immutable (`dataclasses.replace` derives variants),
    but not frozen, since nothing hashes it and a frozen dataclass costs more start-up time."""

    release_name: str = "release-name"
    namespace: str = "default"
    revision: int = 1
    is_upgrade: bool = False
    # Which Helm to behave like: 3 = Helm 3.17.1 (`helm template`, the default), 4 = Helm 4.2.3.
    helm_version: int = 3
    kube_version: str | None = None  # None: the chosen Helm's default (v1.32.0 / v1.36.0)
    api_versions: tuple[str, ...] = ()  # extra API versions (`--api-versions`), appended
    value_files: tuple[str, ...] = ()
    set_values: tuple[str, ...] = ()
    set_string: tuple[str, ...] = ()
    set_json: tuple[str, ...] = ()
    set_file: tuple[str, ...] = ()
    set_literal: tuple[str, ...] = ()
    skip_schema_validation: bool = False
    # Objects `lookup` answers with (list of Kubernetes objects); None: empty, like `helm template`.
    lookup_data: tuple[dict[str, Any], ...] | None = None
    # The base API version list; None: the chosen Helm's defaults.
    base_api_versions: tuple[str, ...] | None = None
    enable_dns: bool = False

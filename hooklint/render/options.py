"""Everything `helm template` takes besides the chart: release, capabilities, values flags.

A record written out (hooklint/runtime/records.py) rather than a dataclass: creating this
dataclass of 18 fields at import was about 0.8 ms of every run.
"""

from __future__ import annotations

from hooklint.runtime.records import Record

TYPE_CHECKING = False  # not `typing`'s: importing typing costs ~3 ms of every run
if TYPE_CHECKING:
    from typing import Any


class RenderOptions(Record):
    """The options of one render: treated as immutable (`replace` derives variants); compares
    like the dataclass it was (field by field), not hashable."""

    _fields = ("release_name", "namespace", "revision", "is_upgrade", "helm_version", "kube_version",
               "api_versions", "value_files", "set_values", "set_string", "set_json", "set_file",
               "set_literal", "skip_schema_validation", "lookup_data", "base_api_versions", "enable_dns")
    __slots__ = _fields

    def __init__(self, release_name: str = "release-name", namespace: str = "default", revision: int = 1,
                 is_upgrade: bool = False, helm_version: int = 3, kube_version: str | None = None,
                 api_versions: tuple[str, ...] = (), value_files: tuple[str, ...] = (),
                 set_values: tuple[str, ...] = (), set_string: tuple[str, ...] = (),
                 set_json: tuple[str, ...] = (), set_file: tuple[str, ...] = (),
                 set_literal: tuple[str, ...] = (), skip_schema_validation: bool = False,
                 lookup_data: tuple[dict[str, Any], ...] | None = None,
                 base_api_versions: tuple[str, ...] | None = None, enable_dns: bool = False) -> None:
        self.release_name = release_name
        self.namespace = namespace
        self.revision = revision
        self.is_upgrade = is_upgrade
        # Which Helm to behave like: 3 = Helm 3.17.1 (`helm template`, the default), 4 = Helm 4.2.3.
        self.helm_version = helm_version
        self.kube_version = kube_version  # None: the chosen Helm's default (v1.32.0 / v1.36.0)
        self.api_versions = api_versions  # extra API versions (`--api-versions`), appended
        self.value_files = value_files
        self.set_values = set_values
        self.set_string = set_string
        self.set_json = set_json
        self.set_file = set_file
        self.set_literal = set_literal
        self.skip_schema_validation = skip_schema_validation
        # Objects `lookup` answers with (list of Kubernetes objects); None: empty, like `helm template`.
        self.lookup_data = lookup_data
        # The base API version list; None: the chosen Helm's defaults.
        self.base_api_versions = base_api_versions
        self.enable_dns = enable_dns

    def replace(self, **changes: Any) -> RenderOptions:
        """A copy with `changes` (what dataclasses.replace gave)."""
        unknown = set(changes) - set(self._fields)
        if unknown:
            raise TypeError(f"RenderOptions has no field {sorted(unknown)[0]!r}")
        return RenderOptions(**{f: changes.get(f, getattr(self, f)) for f in self._fields})

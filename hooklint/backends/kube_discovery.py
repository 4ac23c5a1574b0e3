"""API discovery and REST mapping: which URL serves a kind, for any kind the cluster serves.

Like client-go's deferred discovery REST mapper: the resource list of a group version
(`/api/v1`, `/apis/<group>/<version>`) is fetched the first time a kind of it is needed, and
fetched again once when a kind is missing from it (a CRD installed a moment ago only shows up
in discovery once it is established). A kind the cluster does not serve is client-go's
NoKindMatchError, `no matches for kind "Widget" in version "example.com/v1"`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

from hooklint.backends.base import NoKindMatch, NotFound


@dataclass(frozen=True)
class ResourceMapping:
    """Where a kind is served: `/apis/batch/v1/namespaces/<ns>/jobs/<name>`."""

    group: str
    version: str
    resource: str  # the lower-case plural the API uses in URLs and error messages
    kind: str
    namespaced: bool

    @property
    def group_version(self) -> str:
        return f"{self.group}/{self.version}" if self.group else self.version

    def path(self, namespace: str | None, name: str | None = None) -> str:
        base = f"/apis/{self.group}/{self.version}" if self.group else f"/api/{self.version}"
        if self.namespaced and namespace:
            base += f"/namespaces/{quote(namespace, safe='')}"
        base += f"/{self.resource}"
        if name is not None:
            base += f"/{quote(name, safe='')}"
        return base


def group_version_path(api_version: str) -> str:
    return "/api/v1" if api_version == "v1" else f"/apis/{api_version}"


class Discovery:
    """Kind -> ResourceMapping through the cluster's discovery documents (`fetch(path)` GETs one)."""

    def __init__(self, fetch: Callable[[str], dict[str, Any]]) -> None:
        self._fetch = fetch
        self._by_group_version: dict[str, dict[str, ResourceMapping]] = {}

    def _load(self, api_version: str) -> dict[str, ResourceMapping]:
        group, _, version = api_version.rpartition("/")
        try:
            listing = self._fetch(group_version_path(api_version))
        except NotFound:
            listing = {}
        kinds: dict[str, ResourceMapping] = {}
        for item in listing.get("resources") or []:
            name = str(item.get("name", ""))
            kind = str(item.get("kind", ""))
            if not name or "/" in name or not kind:  # subresources (jobs/status) are not kinds
                continue
            kinds.setdefault(kind, ResourceMapping(group, version, name, kind, bool(item.get("namespaced"))))
        self._by_group_version[api_version] = kinds
        return kinds

    def mapping(self, api_version: str, kind: str) -> ResourceMapping:
        kinds = self._by_group_version.get(api_version)
        if kinds is None or kind not in kinds:
            kinds = self._load(api_version)  # first use, or a kind served since (a new CRD)
        if kind not in kinds:
            raise NoKindMatch(f'no matches for kind "{kind}" in version "{api_version}"')
        return kinds[kind]

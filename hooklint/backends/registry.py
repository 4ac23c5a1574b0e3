"""Backend discovery through the `hooklint.backends` entry-point group.

A third-party package ships a backend by declaring, in its own pyproject.toml:

    [project.entry-points."hooklint.backends"]
    mycluster = "mypkg.backend:MyBackend"

The class is constructed with keyword options (`state`, `outcomes`, `namespace`, `kube_context`,
`kubeconfig`, ...) and must accept and ignore the ones it does not use. hooklint's own backends
are declared the same way; `BUILTIN` only stands in for them when hooklint runs from a source
tree whose installed metadata predates an entry point.
"""

from __future__ import annotations

from importlib import import_module
from importlib.metadata import entry_points
from typing import Any

from hooklint.backends.base import Backend, BackendUnavailable

GROUP = "hooklint.backends"
BUILTIN = {
    "simulate": "hooklint.backends.simulate:SimulateBackend",
    "kubernetes": "hooklint.backends.kubernetes:KubernetesBackend",
}


def available() -> dict[str, str]:
    """Backend name -> `module:attribute`, sorted by name."""
    found = {ep.name: ep.value for ep in entry_points(group=GROUP)}
    for name, target in BUILTIN.items():
        found.setdefault(name, target)
    return dict(sorted(found.items()))


def load(name: str) -> type:
    targets = available()
    if name not in targets:
        raise BackendUnavailable(f"unknown backend {name!r}: available backends are {', '.join(targets)}")
    module_name, _, attr = targets[name].partition(":")
    try:
        module = import_module(module_name)
    except ImportError as e:
        raise BackendUnavailable(f"backend {name!r} cannot be loaded: {e}") from None
    cls = getattr(module, attr, None)
    if cls is None:
        raise BackendUnavailable(f"backend {name!r}: {targets[name]} does not exist")
    return cls  # type: ignore[no-any-return]


def create(name: str, **options: Any) -> Backend:
    backend = load(name)(**options)
    if not isinstance(backend, Backend):
        raise BackendUnavailable(f"backend {name!r} does not implement the Backend protocol")
    return backend

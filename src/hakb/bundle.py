"""Turning what the user passed (folders, files, archives, stdin) into a list of artifacts.

Archives are unpacked into a private temporary folder, member by member: nothing is written
outside it, links, devices and paths that climb out are skipped and reported, and limits on size,
count and compression ratio stop archive bombs. Each artifact is attributed to a host from its
path (a vm-support folder ``esx-<host>-<date>--<time>-<pid>/``, a per-host subfolder) or ``--host``.
"""

from __future__ import annotations

import os
import re
import shutil
import stat
import sys
import tarfile
import zipfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import BinaryIO, Iterator

from hakb.model import Artifact

VM_SUPPORT_FOLDER = re.compile(r"^esx-(?P<host>.+?)-\d{4}-\d{2}-\d{2}--\d{2}\.\d{2}-\d+$")
#: Folder names found inside bundles that never name a host.
NOT_HOSTS = frozenset({"commands", "var", "log", "logs", "run", "etc", "vmfs", "tmp", "scratch",
                       "usr", "proc", "json", "reconstruct", "action-logs", "output", "collected"})
ARCHIVE_SUFFIXES = (".tgz", ".tar.gz", ".tar", ".tar.bz2", ".tbz2", ".tar.xz", ".txz", ".zip")
_CHUNK = 1 << 20


class InputError(Exception):
    """An input the user named cannot be used at all (missing, unreadable)."""


@dataclass(frozen=True)
class Limits:
    """Bounds on what archives may unpack to. Defaults fit a large vm-support bundle."""

    max_total_bytes: int = 32 * 1024**3
    max_files: int = 200_000
    max_ratio: float = 1000.0
    max_depth: int = 3


@dataclass
class Inventory:
    """The artifacts found, and what was passed over (with why) or could not be read."""

    artifacts: list[Artifact] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)
    errors: list[tuple[str, str]] = field(default_factory=list)
    total_bytes: int = 0
    file_count: int = 0


class LimitExceeded(Exception):
    pass


def host_from_parts(parts: tuple[str, ...]) -> str | None:
    """The host a file belongs to, from the folders above it (closest vm-support folder wins).

    >>> host_from_parts(("esx-esx02.lab-2024-05-01--10.20-12345", "var", "run", "log", "hostd.log"))
    'esx02.lab'
    >>> host_from_parts(("esx01", "hostd.log"))
    'esx01'
    >>> host_from_parts(("hostd.log",)) is None
    True
    """
    for part in reversed(parts[:-1]):
        match = VM_SUPPORT_FOLDER.match(part)
        if match:
            return match.group("host")
    if len(parts) > 1 and parts[0].lower() not in NOT_HOSTS and not is_archive_name(parts[0]):
        return parts[0]
    return None


def is_archive_name(name: str) -> bool:
    return name.lower().endswith(ARCHIVE_SUFFIXES)


def _archive_kind(path: Path) -> str | None:
    """'zip' or 'tar' by content (falling back to the name), else None."""
    try:
        if zipfile.is_zipfile(path):
            return "zip"
        if is_archive_name(path.name) and tarfile.is_tarfile(path):
            return "tar"
        with open(path, "rb") as fh:
            magic = fh.read(6)
        if magic[:2] == b"\x1f\x8b" and tarfile.is_tarfile(path):  # a .gz without the name
            return "tar"
    except OSError:
        return None
    if is_archive_name(path.name):
        return "tar"  # named like one: let extraction report why it cannot be read
    return None


def _safe_member(name: str) -> PurePosixPath | None:
    """The member path if it stays inside the extraction folder, else None."""
    name = name.replace("\\", "/")
    if name.startswith("/") or re.match(r"^[A-Za-z]:", name):
        return None
    parts = [p for p in PurePosixPath(name).parts if p not in ("", ".")]
    if not parts or ".." in parts:
        return None
    return PurePosixPath(*parts)


class _Budget:
    def __init__(self, inventory: Inventory, limits: Limits) -> None:
        self.inventory = inventory
        self.limits = limits

    def add_file(self) -> None:
        self.inventory.file_count += 1
        if self.inventory.file_count > self.limits.max_files:
            raise LimitExceeded(f"more than {self.limits.max_files} files (raise --max-files)")

    def add_bytes(self, count: int) -> None:
        self.inventory.total_bytes += count
        if self.inventory.total_bytes > self.limits.max_total_bytes:
            raise LimitExceeded(
                f"unpacks to more than {self.limits.max_total_bytes} bytes (raise --max-unpacked)")


def _copy_bounded(source: BinaryIO, target: Path, budget: _Budget, compressed: int | None) -> None:
    written = 0
    ceiling = None if not compressed else max(compressed, 1) * budget.limits.max_ratio
    with open(target, "wb") as out:
        while True:
            chunk = source.read(_CHUNK)
            if not chunk:
                break
            written += len(chunk)
            budget.add_bytes(len(chunk))
            if ceiling is not None and written > ceiling and written > _CHUNK:
                raise LimitExceeded(
                    f"compression ratio above {budget.limits.max_ratio:g}:1 (an archive bomb?)")
            out.write(chunk)


def _extract_tar(path: Path, dest: Path, label: str, inventory: Inventory, budget: _Budget) -> None:
    with tarfile.open(path, "r:*") as tar:
        for member in tar:
            shown = f"{label}:{member.name}"
            if member.isdir():
                continue
            safe = _safe_member(member.name)
            if safe is None:
                inventory.skipped.append((shown, "path leaves the archive folder"))
                continue
            if member.issym() or member.islnk():
                inventory.skipped.append((shown, f"link to {member.linkname!r}, not followed"))
                continue
            if not member.isfile():
                inventory.skipped.append((shown, "device, FIFO or special file"))
                continue
            budget.add_file()
            target = dest / safe
            target.parent.mkdir(parents=True, exist_ok=True)
            source = tar.extractfile(member)
            if source is None:
                inventory.skipped.append((shown, "no data"))
                continue
            # tar compresses the whole stream; the ratio is checked against the archive's size.
            _copy_bounded(source, target, budget, None)


def _extract_zip(path: Path, dest: Path, label: str, inventory: Inventory, budget: _Budget) -> None:
    archive_size = path.stat().st_size
    with zipfile.ZipFile(path) as archive:
        for info in archive.infolist():
            shown = f"{label}:{info.filename}"
            if info.is_dir():
                continue
            safe = _safe_member(info.filename)
            if safe is None:
                inventory.skipped.append((shown, "path leaves the archive folder"))
                continue
            mode = info.external_attr >> 16
            if stat.S_ISLNK(mode):
                inventory.skipped.append((shown, "symbolic link, not followed"))
                continue
            if stat.S_IFMT(mode) and not stat.S_ISREG(mode):  # type bits absent: a plain file
                inventory.skipped.append((shown, "device, FIFO or special file"))
                continue
            budget.add_file()
            target = dest / safe
            target.parent.mkdir(parents=True, exist_ok=True)
            with archive.open(info) as source:
                _copy_bounded(source, target, budget, info.compress_size or 1)
    if inventory.total_bytes > max(archive_size, 1) * budget.limits.max_ratio * 2:
        raise LimitExceeded(f"compression ratio above {budget.limits.max_ratio:g}:1 (an archive bomb?)")


def _walk(root: Path) -> Iterator[Path]:
    """Files under ``root`` in a stable order; linked folders are not entered."""
    for folder, dirs, files in os.walk(root):
        dirs[:] = sorted(d for d in dirs if not (Path(folder) / d).is_symlink())
        for name in sorted(files):
            yield Path(folder) / name


class Collector:
    """Gathers artifacts from the inputs into ``inventory``, unpacking archives into ``workdir``."""

    def __init__(self, workdir: Path, host: str | None = None, limits: Limits = Limits()) -> None:
        self.workdir = workdir
        self.host = host
        self.limits = limits
        self.inventory = Inventory()
        self._archives = 0

    def add(self, argument: str, stdin: BinaryIO | None = None) -> None:
        if argument == "-":
            target = self.workdir / "stdin"
            with open(target, "wb") as out:
                shutil.copyfileobj(stdin or sys.stdin.buffer, out)
            self._add_file(target, "<stdin>", ("<stdin>",))
            return
        path = Path(argument)
        if not path.exists():
            raise InputError(f"{argument}: no such file or folder")
        if path.is_dir():
            self._add_tree(path, (argument.rstrip("/\\") or argument) + "/")
        else:
            self._add_file(path, argument, (path.name,))

    def _add_tree(self, root: Path, prefix: str, depth: int = 0) -> None:
        real_root = root.resolve()
        root_parts = (root.name,) if VM_SUPPORT_FOLDER.match(root.name) else ()
        for path in _walk(root):
            relative = path.relative_to(root)
            shown = prefix + relative.as_posix()
            if path.is_symlink():
                try:
                    inside = path.resolve().is_relative_to(real_root)
                except OSError:
                    inside = False
                if not inside or not path.resolve().is_file():
                    self.inventory.skipped.append((shown, "symbolic link leaving the folder, not followed"))
                    continue
            parts = root_parts + relative.parts
            self._add_file(path, shown, parts, depth=depth)

    def _add_file(self, path: Path, shown: str, parts: tuple[str, ...], depth: int = 0) -> None:
        if not path.is_file():
            self.inventory.skipped.append((shown, "not a regular file"))
            return
        kind = _archive_kind(path)
        if kind:
            self._add_archive(path, shown, kind, depth)
            return
        host = host_from_parts(parts) or self.host
        self.inventory.artifacts.append(Artifact(name=shown, path=path, host=host, size=path.stat().st_size))

    def _add_archive(self, path: Path, shown: str, kind: str, depth: int) -> None:
        if depth >= self.limits.max_depth:
            self.inventory.skipped.append((shown, f"archive nested deeper than {self.limits.max_depth}"))
            return
        self._archives += 1
        dest = self.workdir / f"archive-{self._archives}"
        dest.mkdir()
        budget = _Budget(self.inventory, self.limits)
        try:
            if kind == "zip":
                _extract_zip(path, dest, shown, self.inventory, budget)
            else:
                _extract_tar(path, dest, shown, self.inventory, budget)
        except LimitExceeded as exc:
            self.inventory.errors.append((shown, f"archive refused: {exc}"))
            shutil.rmtree(dest, ignore_errors=True)
            return
        except (tarfile.TarError, zipfile.BadZipFile, EOFError, OSError, ValueError) as exc:
            detail = str(exc) or type(exc).__name__
            self.inventory.errors.append((shown, f"archive is corrupt or truncated: {detail}"))
            # Members read before the damage are still diagnosed.
        self._add_tree(dest, shown + ":", depth=depth + 1)


def collect(arguments: list[str], workdir: Path, host: str | None = None,
            limits: Limits = Limits(), stdin: BinaryIO | None = None) -> Inventory:
    """All artifacts in ``arguments``; raises InputError for an argument that does not exist."""
    collector = Collector(workdir, host, limits)
    for argument in arguments:
        collector.add(argument, stdin=stdin)
    return collector.inventory

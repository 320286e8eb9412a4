"""Turning what the user passed (folders, files, archives, stdin) into a list of artifacts.

Bundles come from broken systems and from strangers, so archives are unpacked defensively into
a private temporary folder, member by member (never with ``extractall``):

* nothing is written outside the folder: members whose path climbs out (``../``, absolute
  paths, drive letters, backslash tricks) are skipped and reported; no link is ever created, so
  no later member can be written through one;
* symbolic links are skipped; a hard link is kept only when it names a member already unpacked
  from the same archive (it is copied), otherwise skipped; devices and FIFOs are skipped;
* limits on total unpacked size, file count and compression ratio (measured against the
  archive's own size, so a zip or gzip bomb stops early) refuse an archive with a clear reason;
* nested archives are unpacked up to :attr:`Limits.max_depth`; a gzip-compressed single file
  (rotated logs such as ``hostd.0.gz``) is decompressed under the same limits;
* a corrupt or truncated archive becomes an error for that input only; what was read before the
  damage is still diagnosed, and the other inputs are too.

Each artifact is attributed to a host from its path (a vm-support folder
``esx-<host>-<date>--<time>-<pid>/``, a folder named like a host, see :mod:`hakb.hosts`). An
archive whose members all sit in one top folder is read like that folder passed on the command
line.
"""

from __future__ import annotations

import gzip
import os
import re
import shutil
import stat
import sys
import tarfile
import tempfile
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import BinaryIO, Iterator

from hakb.hosts import is_host_name, looks_like_host
from hakb.model import Artifact
from hakb.safetext import one_line

VM_SUPPORT_FOLDER = re.compile(r"^esx-(?P<host>.+?)-\d{4}-\d{2}-\d{2}--\d{2}\.\d{2}-\d+$")
ARCHIVE_SUFFIXES = (".tgz", ".tar.gz", ".tar", ".tar.bz2", ".tbz2", ".tar.xz", ".txz", ".zip")
_CHUNK = 1 << 20
#: Any archive may unpack to this much whatever its ratio (tiny archives of tiny files).
RATIO_FLOOR = 1 << 20
_ZIP_MAGIC = (b"PK\x03\x04", b"PK\x05\x06")


def display_name(name: str) -> str:
    """A path as hakb shows and stores it: undecodable bytes as U+FFFD, control characters as '?'.

    File names inside a stranger's archive are bytes; one carrying an escape sequence must not
    repaint the terminal, and one that is not UTF-8 must not break the JSON or the database.

    >>> display_name("log/\\x1b[2Jx\\udcffy.txt")
    'log/?[2Jx\\ufffdy.txt'
    """
    if any(0xD800 <= ord(ch) <= 0xDFFF for ch in name):
        name = name.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
        name = "".join("\ufffd" if 0xD800 <= ord(ch) <= 0xDFFF else ch for ch in name)
    return re.sub(r"[\x00-\x1f\x7f-\x9f]", "?", name)


class InputError(Exception):
    """An input the user named cannot be used at all (missing, unreadable)."""


@dataclass(frozen=True)
class Limits:
    """Bounds on what archives may unpack to. Defaults fit a large vm-support bundle
    (several GB, tens of thousands of files, logs compressing 10-50:1)."""

    max_total_bytes: int = 20 * 1024**3
    max_files: int = 100_000
    max_ratio: float = 200.0
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


def host_from_parts(parts: tuple[str, ...], top: str | None = None) -> str | None:
    """The host a file belongs to, from the folders above it: the closest vm-support folder, else
    the closest folder named like a host (:func:`hakb.hosts.is_host_name`), else ``top`` (the
    folder given on the command line or wrapping an archive, when it looks like a host).

    >>> host_from_parts(("esx-esx02.lab-2024-05-01--10.20-12345", "var", "run", "log", "hostd.log"))
    'esx02.lab'
    >>> host_from_parts(("INC0042-acmebank", "esx03", "commands", "nics.txt"))
    'esx03'
    >>> host_from_parts(("hostd.log",)) is None
    True
    """
    for part in reversed(parts[:-1]):
        match = VM_SUPPORT_FOLDER.match(part)
        if match:
            return match.group("host")
    for part in reversed(parts[:-1]):
        if is_host_name(part) and not is_archive_name(part):
            return part
    return top


def is_archive_name(name: str) -> bool:
    return name.lower().endswith(ARCHIVE_SUFFIXES)


def _archive_kind(path: Path) -> str | None:
    """'zip', 'tar' or 'gzip' (one compressed file) by content and name, else None."""
    named = is_archive_name(path.name)
    try:
        with open(path, "rb") as fh:
            magic = fh.read(4)
        if (magic in _ZIP_MAGIC or path.name.lower().endswith(".zip")) and zipfile.is_zipfile(path):
            return "zip"
        if (named or magic[:2] == b"\x1f\x8b") and tarfile.is_tarfile(path):
            return "tar"
        if magic[:2] == b"\x1f\x8b":
            return "gzip"
    except (OSError, EOFError, zlib.error, tarfile.TarError, ValueError):
        pass  # unreadable as an archive: named like one, extraction reports why; else plain file
    if named:
        return "zip" if path.name.lower().endswith(".zip") else "tar"
    return None


def _safe_member(name: str) -> PurePosixPath | None:
    """The member path if it stays inside the extraction folder, else None.

    >>> [str(_safe_member(n)) for n in ("a/./b.txt", "a\\\\b.txt")]
    ['a/b.txt', 'a/b.txt']
    >>> [_safe_member(n) for n in ("../x", "a/../../x", "/etc/passwd", "C:\\\\x", "\\\\\\\\srv\\\\s", "a\\x00b")]
    [None, None, None, None, None, None]
    """
    if "\x00" in name:
        return None
    name = name.replace("\\", "/")
    if name.startswith("/") or re.match(r"^[A-Za-z]:", name):
        return None
    parts = [p for p in PurePosixPath(name).parts if p not in ("", ".")]
    if not parts or ".." in parts:
        return None
    return PurePosixPath(*parts)


class _Budget:
    """Counts what one archive unpacks against the global limits and its own ratio allowance."""

    def __init__(self, inventory: Inventory, limits: Limits, archive_size: int) -> None:
        self.inventory = inventory
        self.limits = limits
        self.unpacked = 0
        self.allowance = max(archive_size * limits.max_ratio, RATIO_FLOOR)

    def add_file(self) -> None:
        self.inventory.file_count += 1
        if self.inventory.file_count > self.limits.max_files:
            raise LimitExceeded(f"more than {self.limits.max_files} files (raise --max-files)")

    def add_bytes(self, count: int) -> None:
        self.inventory.total_bytes += count
        self.unpacked += count
        if self.inventory.total_bytes > self.limits.max_total_bytes:
            raise LimitExceeded(
                f"unpacks to more than {self.limits.max_total_bytes} bytes (raise --max-unpacked)")
        if self.unpacked > self.allowance:
            raise LimitExceeded(f"compression ratio above {self.limits.max_ratio:g}:1, an archive "
                                "bomb? (raise --max-ratio if it is genuine)")


def _copy_bounded(source: BinaryIO, target: Path, budget: _Budget) -> None:
    with open(target, "wb") as out:
        while True:
            chunk = source.read(_CHUNK)
            if not chunk:
                break
            budget.add_bytes(len(chunk))
            out.write(chunk)


def _target(dest: Path, safe: PurePosixPath) -> Path:
    """Where a member goes; refuses (OSError) when a parent on disk is not a plain folder."""
    target = dest.joinpath(*safe.parts)
    parent = target.parent
    parent.mkdir(parents=True, exist_ok=True)
    # Belt and braces: no link is ever created, but check that the folder is still ours.
    if not parent.resolve().is_relative_to(dest.resolve()):
        raise OSError(f"{safe} would leave the archive folder")
    if target.is_symlink() or target.is_dir():
        raise OSError(f"{safe} collides with another member")
    return target


_MEMBER_ERRORS = (OSError, RuntimeError, NotImplementedError, zipfile.BadZipFile, zlib.error,
                  EOFError, ValueError)


def _extract_tar(path: Path, dest: Path, label: str, inventory: Inventory, budget: _Budget) -> None:
    written: dict[PurePosixPath, Path] = {}
    with tarfile.open(path, "r:*") as tar:
        for member in tar:
            shown = f"{label}:{member.name}"
            if member.isdir():
                continue
            safe = _safe_member(member.name)
            if safe is None:
                inventory.skipped.append((shown, "path leaves the archive folder"))
                continue
            if member.issym():
                inventory.skipped.append((shown, f"symbolic link to {member.linkname!r}, not followed"))
                continue
            if member.islnk():
                linked = _safe_member(member.linkname)
                if linked is None or linked not in written:
                    inventory.skipped.append((shown, f"hard link to {member.linkname!r}, outside the "
                                                     "archive or not unpacked, not followed"))
                    continue
                try:
                    budget.add_file()
                    target = _target(dest, safe)
                    with open(written[linked], "rb") as source:
                        _copy_bounded(source, target, budget)
                    written[safe] = target
                except OSError as exc:
                    inventory.skipped.append((shown, f"cannot unpack: {exc.strerror or exc}"))
                continue
            if not member.isfile():
                inventory.skipped.append((shown, "device, FIFO or special file"))
                continue
            budget.add_file()
            try:
                target = _target(dest, safe)
            except OSError as exc:
                inventory.skipped.append((shown, f"cannot unpack: {exc.strerror or exc}"))
                continue
            source = tar.extractfile(member)
            if source is None:
                inventory.skipped.append((shown, "no data"))
                continue
            _copy_bounded(source, target, budget)
            written[safe] = target


def _extract_zip(path: Path, dest: Path, label: str, inventory: Inventory, budget: _Budget) -> None:
    with zipfile.ZipFile(path) as archive:
        for info in archive.infolist():
            shown = f"{label}:{info.filename}"
            if info.is_dir() or info.filename.endswith("\\"):
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
            try:
                target = _target(dest, safe)
                with archive.open(info) as source:
                    _copy_bounded(source, target, budget)
            except LimitExceeded:
                raise
            except _MEMBER_ERRORS as exc:  # encrypted, unknown method, bad CRC: this member only
                inventory.errors.append((shown, f"cannot unpack: {exc}"))
                continue


def _decompress_gzip(path: Path, dest: Path, budget: _Budget) -> Path:
    target = dest / (path.name[:-3] if path.name.lower().endswith(".gz") else path.name)
    budget.add_file()
    with gzip.open(path, "rb") as source:
        _copy_bounded(source, target, budget)
    return target


def _walk(root: Path) -> Iterator[tuple[Path, bool]]:
    """(path, is_linked_folder) under ``root`` in a stable order; linked folders are not entered."""
    for folder, dirs, files in os.walk(root):
        linked = sorted(d for d in dirs if (Path(folder) / d).is_symlink())
        dirs[:] = sorted(d for d in dirs if d not in linked)
        for name in linked:
            yield Path(folder) / name, True
        for name in sorted(files):
            yield Path(folder) / name, False


class Collector:
    """Gathers artifacts from the inputs into ``inventory``, unpacking archives into ``workdir``."""

    def __init__(self, workdir: Path, limits: Limits = Limits()) -> None:
        self.workdir = workdir
        self.limits = limits
        self.inventory = Inventory()
        self._archives = 0

    def add(self, argument: str, stdin: BinaryIO | None = None) -> None:
        if argument == "-":
            target = self.workdir / "stdin"
            source = stdin or sys.stdin.buffer
            copied = 0
            with open(target, "wb") as out:
                while chunk := source.read(_CHUNK):
                    copied += len(chunk)
                    if copied > self.limits.max_total_bytes:
                        raise InputError(f"stdin: more than {self.limits.max_total_bytes} bytes "
                                         "(raise --max-unpacked)")
                    out.write(chunk)
            self._add_file(target, "<stdin>", ("<stdin>",))
            return
        path = Path(argument)
        if not path.exists():
            raise InputError(f"{display_name(argument)}: no such file or folder")
        if not os.access(path, os.R_OK):
            raise InputError(f"{display_name(argument)}: permission denied")
        if path.is_dir():
            self._add_tree(path, (argument.rstrip("/\\") or argument) + "/")
        else:
            self._add_file(path, argument, (path.name,))

    def _add_tree(self, root: Path, prefix: str, depth: int = 0, hosts_from: Path | None = None,
                  default_host: str | None = None) -> None:
        """Every file under ``root``; hosts are read from paths relative to ``hosts_from`` (whose
        own name counts when it looks like a host), else ``default_host`` (the host of the archive
        they came from). ``--host`` is the last resort, applied after parsing
        (:func:`hakb.hosts.assign_hosts`), so what an artifact says of itself comes first."""
        real_root = root.resolve()
        hosts_from = hosts_from or root
        root_parts = (hosts_from.name,) if VM_SUPPORT_FOLDER.match(hosts_from.name) else ()
        top = hosts_from.name if looks_like_host(hosts_from.name) else None
        for path, linked_folder in _walk(root):
            shown = prefix + path.relative_to(root).as_posix()
            if linked_folder:
                self.inventory.skipped.append((shown, "symbolic link to a folder, not followed"))
                continue
            if path.is_symlink():
                try:
                    inside = path.resolve().is_relative_to(real_root) and path.resolve().is_file()
                except (OSError, RuntimeError):
                    inside = False
                if not inside:
                    self.inventory.skipped.append((shown, "symbolic link leaving the folder, not followed"))
                    continue
            try:
                parts = root_parts + path.relative_to(hosts_from).parts
            except ValueError:
                parts = path.relative_to(root).parts
            self._add_file(path, shown, parts, depth=depth, default_host=top or default_host)

    def _add_file(self, path: Path, shown: str, parts: tuple[str, ...], depth: int = 0,
                  default_host: str | None = None) -> None:
        if not path.is_file():
            self.inventory.skipped.append((shown, "not a regular file"))
            return
        host = host_from_parts(parts) or default_host
        kind = _archive_kind(path)
        if kind:
            self._add_archive(path, shown, kind, depth, host)
            return
        self.inventory.artifacts.append(Artifact(name=shown, path=path, host=host, size=path.stat().st_size))

    def _add_archive(self, path: Path, shown: str, kind: str, depth: int,
                     host: str | None = None) -> None:
        if depth >= self.limits.max_depth:
            self.inventory.skipped.append((shown, f"archive nested deeper than {self.limits.max_depth}"))
            return
        self._archives += 1
        dest = Path(tempfile.mkdtemp(prefix=f"archive-{self._archives}-", dir=self.workdir))
        budget = _Budget(self.inventory, self.limits, path.stat().st_size)
        try:
            if kind == "gzip":
                target = _decompress_gzip(path, dest, budget)
                self.inventory.artifacts.append(
                    Artifact(name=shown, path=target, host=host, size=target.stat().st_size))
                return
            if kind == "zip":
                _extract_zip(path, dest, shown, self.inventory, budget)
            else:
                _extract_tar(path, dest, shown, self.inventory, budget)
        except LimitExceeded as exc:
            self.inventory.errors.append((shown, f"archive refused: {exc}"))
            shutil.rmtree(dest, ignore_errors=True)
            return
        except (tarfile.TarError, zipfile.BadZipFile, EOFError, OSError, ValueError, zlib.error,
                RuntimeError, NotImplementedError) as exc:
            detail = str(exc) or type(exc).__name__
            self.inventory.errors.append((shown, f"archive is corrupt or truncated: {detail}"))
            if kind == "gzip":
                shutil.rmtree(dest, ignore_errors=True)
                return
            # Members read before the damage are still diagnosed.
        entries = list(dest.iterdir())
        # One top folder (``tar czf case.tgz case/``) is read like that folder given directly.
        wrapper = entries[0] if len(entries) == 1 and entries[0].is_dir() \
            and not entries[0].is_symlink() else None
        self._add_tree(dest, shown + ":", depth=depth + 1, hosts_from=wrapper, default_host=host)


def collect(arguments: list[str], workdir: Path, limits: Limits = Limits(),
            stdin: BinaryIO | None = None) -> Inventory:
    """All artifacts in ``arguments``; raises InputError for an argument that does not exist."""
    collector = Collector(workdir, limits)
    for argument in arguments:
        collector.add(argument, stdin=stdin)
    inventory = collector.inventory
    inventory.artifacts = [
        Artifact(name=display_name(a.name), path=a.path, host=display_name(a.host) if a.host else a.host,
                 size=a.size) for a in inventory.artifacts]
    # Reasons may span lines (tarfile lists each method it tried): "; " between them, not "?".
    inventory.skipped = [(display_name(n), display_name(one_line(r))) for n, r in inventory.skipped]
    inventory.errors = [(display_name(n), display_name(one_line(r))) for n, r in inventory.errors]
    return inventory

"""Turning what the user passed (folders, files, archives, stdin) into a list of artifacts.

Bundles come from broken systems and from strangers, so archives are unpacked defensively
(:mod:`hakb.archives`) into a private temporary folder, member by member: nothing lands outside
it, links are never created, every member passed over is listed with the reason, and limits
counted over the whole run (bytes, members, ratio to the size of what the user gave, each
archive's own ratio) refuse bombs, nested ones included, early. Nested archives are unpacked up
to :attr:`Limits.max_depth`; a gzip-compressed single file (``hostd.0.gz``) is decompressed under
the same limits; a corrupt or truncated archive becomes an error for that input only, and what
was read before the damage is still diagnosed.

The temporary folder of a run (:func:`work_folder`) is named after the process and locked while
it lives, so a run killed outright (SIGKILL, power loss) leaves a folder the next run removes.

Each artifact is attributed to a host from its path (a vm-support folder
``esx-<host>-<date>--<time>-<pid>/``, a folder named like a host, see :mod:`hakb.hosts`). An
archive whose members all sit in one top folder is read like that folder passed on the command
line.
"""

from __future__ import annotations

import os
import re
import shutil
import sys
import tarfile
import tempfile
import zipfile
import zlib
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO, Iterator

from hakb.archives import (Budget, LimitExceeded, Limits, archive_kind, decompress_gzip, extract_tar,
                           extract_zip, exact_size, given_size)
from hakb.hosts import is_host_name, looks_like_host
from hakb.model import Artifact
from hakb.safetext import one_line

try:
    import fcntl  # advisory locks: a run's lock dies with it, even on SIGKILL
except ImportError:  # Windows
    fcntl = None

__all__ = ["InputError", "Inventory", "LimitExceeded", "Limits", "collect", "display_name",
           "host_from_parts", "work_folder"]

VM_SUPPORT_FOLDER = re.compile(r"^esx-(?P<host>.+?)-\d{4}-\d{2}-\d{2}--\d{2}\.\d{2}-\d+$")
ARCHIVE_SUFFIXES = (".tgz", ".tar.gz", ".tar", ".tar.bz2", ".tbz2", ".tar.xz", ".txz", ".zip")
_CHUNK = 1 << 20


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


@dataclass
class Inventory:
    """The artifacts found, and what was passed over (with why) or could not be read."""

    artifacts: list[Artifact] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)
    errors: list[tuple[str, str]] = field(default_factory=list)
    total_bytes: int = 0
    file_count: int = 0


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
    return archive_kind(path, named=is_archive_name(path.name))


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

    def __init__(self, workdir: Path, limits: Limits = Limits(), given: int = 0) -> None:
        self.workdir = workdir
        self.limits = limits
        self.inventory = Inventory()
        self._archives = 0
        #: The whole run's budget (its size: what the user gave), then the archives being unpacked.
        self.run_budget = Budget(limits, given)
        self._budgets = [self.run_budget]
        self._folders: list[Path] = []  # one per archive unpacked, in order

    def add(self, argument: str, stdin: BinaryIO | None = None) -> None:
        if argument == "-":
            target = self.workdir / "stdin"
            source = stdin or sys.stdin.buffer
            copied = 0
            with open(target, "wb") as out:
                while chunk := source.read(_CHUNK):
                    copied += len(chunk)
                    if copied > self.limits.max_total_bytes:
                        raise InputError(f"stdin: more than {exact_size(self.limits.max_total_bytes)} "
                                         "(raise --max-unpacked)")
                    out.write(chunk)
            self.run_budget.size += copied  # what came on stdin was given too
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
        first = len(self._folders)
        dest = Path(tempfile.mkdtemp(prefix=f"archive-{self._archives}-", dir=self.workdir))
        self._folders.append(dest)
        enclosing = self._budgets[-1]
        budget = Budget(self.limits, path.stat().st_size, enclosing)
        self._budgets.append(budget)
        kept = len(self.inventory.artifacts)
        try:
            self._unpack(path, dest, shown, kind, depth, host, budget)
        except LimitExceeded as exc:
            # Refused here when it is this archive's own limit, or the run's and this archive is
            # one the user gave; otherwise the enclosing archive is the one refused.
            if exc.budget is not budget and not (exc.budget is self.run_budget
                                                 and enclosing is self.run_budget):
                raise
            for folder in self._folders[first:]:  # this archive's and those nested in it
                shutil.rmtree(folder, ignore_errors=True)
            del self._folders[first:]
            del self.inventory.artifacts[kept:]  # their files are gone with the folders
            self.inventory.errors.append((shown, f"archive refused: {exc}"))
        finally:
            self._budgets.pop()
            self.inventory.total_bytes = self.run_budget.unpacked
            self.inventory.file_count = self.run_budget.members

    def _unpack(self, path: Path, dest: Path, shown: str, kind: str, depth: int,
                host: str | None, budget: Budget) -> None:
        inventory = self.inventory
        noted = len(inventory.skipped) + len(inventory.errors)
        try:
            if kind == "gzip":
                target = decompress_gzip(path, dest, budget)
                inventory.artifacts.append(Artifact(name=shown, path=target, host=host,
                                                    size=target.stat().st_size))
                return
            extract = extract_zip if kind == "zip" else extract_tar
            extract(path, dest, shown, budget, lambda name, reason: inventory.skipped.append((name, reason)),
                    lambda name, reason: inventory.errors.append((name, reason)))
        except (tarfile.TarError, zipfile.BadZipFile, EOFError, OSError, ValueError, zlib.error,
                RuntimeError, NotImplementedError) as exc:
            detail = str(exc) or type(exc).__name__
            inventory.errors.append((shown, f"archive is corrupt or truncated: {detail}"))
            if kind == "gzip":
                shutil.rmtree(dest, ignore_errors=True)
                return
            # Members read before the damage are still diagnosed.
        entries = list(dest.iterdir())
        if not entries and len(inventory.skipped) + len(inventory.errors) == noted:
            inventory.skipped.append((shown, "archive holds no files"))
        # One top folder (``tar czf case.tgz case/``) is read like that folder given directly.
        wrapper = entries[0] if len(entries) == 1 and entries[0].is_dir() \
            and not entries[0].is_symlink() else None
        self._add_tree(dest, shown + ":", depth=depth + 1, hosts_from=wrapper, default_host=host)


def collect(arguments: list[str], workdir: Path, limits: Limits = Limits(),
            stdin: BinaryIO | None = None) -> Inventory:
    """All artifacts in ``arguments``; raises InputError for an argument that does not exist.

    ``workdir`` receives unpacked archives and stdin; :func:`work_folder` makes a suitable one.
    """
    # The run's ratio limit is against everything given, so it is known before anything unpacks.
    given = sum(given_size(Path(a)) for a in arguments if a != "-")
    collector = Collector(workdir, limits, given=given)
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


# -- the run's temporary folder ----------------------------------------------------------------

_WORK_FOLDER = re.compile(r"^hakb-(?P<pid>\d+)-[A-Za-z0-9_]+$")
_LOCK_NAME = ".hakb-run.lock"


def _owner_gone(folder: Path) -> bool:
    """True when the run that made ``folder`` is over: nobody holds its lock (locks die with
    their process, even on SIGKILL), or, without a lock file, its process no longer exists."""
    if fcntl is None:  # no advisory locks (Windows): leave it, it may be in use
        return False
    lock = folder / _LOCK_NAME
    try:
        fd = os.open(lock, os.O_RDWR | getattr(os, "O_NOFOLLOW", 0))
    except FileNotFoundError:
        match = _WORK_FOLDER.match(folder.name)
        return match is not None and not _process_exists(int(match.group("pid")))
    except OSError:
        return False
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        return False  # held: that run is alive
    finally:
        os.close(fd)
    return True


def _process_exists(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True  # exists, owned by someone else
    return True


def remove_stale_work_folders(base: Path) -> list[Path]:
    """Remove the work folders under ``base`` left by runs that were killed; returns them.

    Only folders named like :func:`work_folder` names them, owned by this user, whose run is
    over (:func:`_owner_gone`).
    """
    removed = []
    try:
        candidates = [p for p in base.iterdir() if _WORK_FOLDER.match(p.name)]
    except OSError:
        return removed
    for folder in candidates:
        try:
            info = folder.lstat()
        except OSError:
            continue
        if not folder.is_dir() or folder.is_symlink() or info.st_uid != getattr(os, "getuid", lambda: info.st_uid)():
            continue
        if _owner_gone(folder):
            shutil.rmtree(folder, ignore_errors=True)
            removed.append(folder)
    return removed


@contextmanager
def work_folder(base: Path | None = None) -> Iterator[Path]:
    """A private temporary folder for one run, removed afterwards (also on Ctrl-C and kill).

    It is called ``hakb-<pid>-<random>`` under ``base`` (the system's temporary folder) and
    holds a lock for as long as the run lives; starting a run first removes the folders of runs
    that were killed before they could clean up.
    """
    base = Path(base or tempfile.gettempdir())
    remove_stale_work_folders(base)
    folder = Path(tempfile.mkdtemp(prefix=f"hakb-{os.getpid()}-", dir=base))
    lock = None
    try:
        if fcntl is not None:
            lock = os.open(folder / _LOCK_NAME, os.O_RDWR | os.O_CREAT, 0o600)
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        yield folder
    finally:
        if lock is not None:
            os.close(lock)
        shutil.rmtree(folder, ignore_errors=True)

"""Unpacking archives from strangers: member by member, inside one folder, within limits.

Never with ``extractall``, and never trusting what an archive says about itself:

* nothing is written outside the folder: members whose path climbs out (``../``, absolute
  paths, drive letters, backslash tricks) are skipped and reported; no link is ever created, so
  no later member can be written through one; a member is opened with ``O_NOFOLLOW``;
* symbolic links are skipped; a hard link is kept only when it names a member already unpacked
  from the same archive (it is copied), otherwise skipped; devices and FIFOs are skipped;
* every member that is not unpacked is listed with the reason (skipped, or an error when it
  could not be read); a member cut short by damage is an error, not half a file; a later member
  of the same name replacing an earlier one is said too;
* limits are counted by :class:`Budget` across the whole run, nested archives included: total
  unpacked bytes, total members, the ratio of everything unpacked to the size of what the user
  gave, and each archive's own ratio (everything unpacked from it, nested archives included,
  against its size), so a bomb stops early wherever it hides;
* members are counted before anything is written (a zip's from its end record, before its
  directory is even read; a tar's by reading its headers, stopping at the limit), so an archive
  of too many members is refused at once; a zip's declared sizes are checked up front too.
"""

from __future__ import annotations

import gzip
import os
import re
import stat
import tarfile
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import BinaryIO, Callable

_CHUNK = 1 << 20
#: Any archive may unpack to this much whatever its ratio (tiny archives of tiny files); the
#: whole run too, whatever the ratio of all inputs.
RATIO_FLOOR = 1 << 20
ZIP_MAGIC = (b"PK\x03\x04", b"PK\x05\x06")
_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)

#: What may go wrong reading one member (besides a limit).
MEMBER_ERRORS = (OSError, RuntimeError, NotImplementedError, zipfile.BadZipFile, zlib.error,
                 EOFError, ValueError, tarfile.TarError)


@dataclass(frozen=True)
class Limits:
    """Bounds on what archives may unpack to, counted over the whole run. Defaults fit a large
    vm-support bundle (several GB, tens of thousands of files, logs compressing 10-50:1)."""

    max_total_bytes: int = 20 * 1024**3
    max_files: int = 100_000
    max_ratio: float = 200.0
    max_depth: int = 3


def exact_size(count: float) -> str:
    """``count`` bytes in the largest unit that says it exactly (to one decimal), so a limit
    reads as it was given: 20 GiB, 1.5 MiB, 5000 bytes.

    >>> [exact_size(n) for n in (20 * 1024**3, 1536 * 1024, 5000)]
    ['20 GiB', '1.5 MiB', '5000 bytes']
    """
    count = int(count)
    for unit, size in (("TiB", 1024**4), ("GiB", 1024**3), ("MiB", 1024**2), ("KiB", 1024)):
        if count >= size and (count * 10) % size == 0:
            return f"{count * 10 // size / 10:g} {unit}"
    return f"{count} bytes"


class LimitExceeded(Exception):
    """A limit was reached; ``budget`` is the one exceeded (an archive's, or the run's)."""

    def __init__(self, message: str, budget: "Budget") -> None:
        super().__init__(message)
        self.budget = budget


class Budget:
    """What unpacking may still write: one archive's (``parent`` is what encloses it) or, with
    no parent, the whole run's, whose ``size`` is the size of everything the user gave.

    Every byte and member counts against the archive being unpacked and all that enclose it;
    the outermost budget a count exceeds is the one reported, so a bomb nested in an archive
    refuses the archive that carries it.
    """

    def __init__(self, limits: Limits, size: int, parent: "Budget | None" = None) -> None:
        self.limits = limits
        self.size = size
        self.parent = parent
        self.unpacked = 0
        self.members = 0

    def _chain(self) -> list["Budget"]:
        """This budget and those enclosing it, the outermost (the run) first."""
        chain, budget = [], self
        while budget is not None:
            chain.append(budget)
            budget = budget.parent
        return chain[::-1]

    def _allowance(self) -> float:
        return max(self.size * self.limits.max_ratio, RATIO_FLOOR)

    def check(self, members: int = 0, count: int = 0) -> None:
        """Raise LimitExceeded if ``members`` more members or ``count`` more bytes would not fit."""
        ratio = f"{self.limits.max_ratio:g}:1"
        for budget in self._chain():
            if budget.parent is None:
                if budget.members + members > self.limits.max_files:
                    raise LimitExceeded(f"more than {self.limits.max_files} members in all "
                                        "(raise --max-files)", budget)
                if budget.unpacked + count > self.limits.max_total_bytes:
                    raise LimitExceeded(f"unpacks to more than {exact_size(self.limits.max_total_bytes)} "
                                        "in all (raise --max-unpacked)", budget)
                if budget.unpacked + count > budget._allowance():
                    raise LimitExceeded(
                        f"compression ratio above {ratio} for all inputs together ("
                        f"{exact_size(budget.size)} given), an archive bomb? (raise --max-ratio if it "
                        "is genuine)", budget)
            elif budget.unpacked + count > budget._allowance():
                raise LimitExceeded(f"compression ratio above {ratio}, an archive bomb? (raise "
                                    "--max-ratio if it is genuine)", budget)

    def add_member(self) -> None:
        self.check(members=1)
        for budget in self._chain():
            budget.members += 1

    def add_bytes(self, count: int) -> None:
        self.check(count=count)
        for budget in self._chain():
            budget.unpacked += count


def has_members(path: Path) -> bool:
    """True when ``path`` is a tar holding at least one member. A gzip log that starts with NUL
    bytes reads as an empty tar; it is a log, not an archive."""
    try:
        with tarfile.open(path, "r:*") as tar:
            return tar.next() is not None
    except (OSError, EOFError, zlib.error, tarfile.TarError, ValueError):
        return False


def archive_kind(path: Path, named: bool) -> str | None:
    """'zip', 'tar' or 'gzip' (one compressed file) by content (and name: ``named`` says it is
    called like an archive), else None."""
    try:
        with open(path, "rb") as fh:
            magic = fh.read(4)
        if (magic in ZIP_MAGIC or path.name.lower().endswith(".zip")) and zipfile.is_zipfile(path):
            return "zip"
        if (named or magic[:2] == b"\x1f\x8b") and has_members(path):
            return "tar"
        if magic[:2] == b"\x1f\x8b":
            return "gzip"
    except (OSError, EOFError, zlib.error, tarfile.TarError, ValueError):
        pass  # unreadable as an archive: named like one, extraction reports why; else plain file
    if named:
        return "zip" if path.name.lower().endswith(".zip") else "tar"
    return None


def safe_member(name: str) -> PurePosixPath | None:
    """The member path if it stays inside the extraction folder, else None.

    >>> [str(safe_member(n)) for n in ("a/./b.txt", "a\\\\b.txt")]
    ['a/b.txt', 'a/b.txt']
    >>> [safe_member(n) for n in ("../x", "a/../../x", "/etc/passwd", "C:\\\\x", "\\\\\\\\srv\\\\s", "a\\x00b")]
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


class Folder:
    """The extraction folder of one archive: where each member goes, checked once per folder."""

    def __init__(self, dest: Path) -> None:
        self.dest = dest
        self.real = dest.resolve()
        self.checked: set[Path] = {dest}

    def target(self, safe: PurePosixPath) -> Path:
        """Where a member goes; OSError when a parent on disk is not a plain folder of ours or
        the name is taken by a folder."""
        target = self.dest.joinpath(*safe.parts)
        parent = target.parent
        if parent not in self.checked:
            parent.mkdir(parents=True, exist_ok=True)
            # Belt and braces: no link is ever created, but check that the folder is still ours.
            if not parent.resolve().is_relative_to(self.real):
                raise OSError(f"{safe} would leave the archive folder")
            self.checked.add(parent)
        try:
            mode = os.lstat(target).st_mode
        except FileNotFoundError:
            return target
        if not stat.S_ISREG(mode):
            raise OSError(f"{safe} collides with another member")
        return target


def copy_bounded(source: BinaryIO, target: Path, budget: Budget) -> None:
    """Copy ``source`` to a new file ``target`` (never through a link), counting every byte.
    On any failure the partial file is removed."""
    fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | _NOFOLLOW | getattr(os, "O_BINARY", 0), 0o600)
    try:
        with open(fd, "wb", closefd=True) as out:
            while chunk := source.read(_CHUNK):
                budget.add_bytes(len(chunk))
                out.write(chunk)
    except BaseException:
        target.unlink(missing_ok=True)
        raise


def _detail(exc: BaseException) -> str:
    return (getattr(exc, "strerror", None) or str(exc) or type(exc).__name__) if isinstance(exc, OSError) \
        else (str(exc) or type(exc).__name__)


Note = Callable[[str, str], None]  # (member shown, reason)


#: How far into a compressed tar's stream members are counted before anything is written.
#: Counting means decompressing, so it is bounded; members beyond are counted while unpacking.
COUNT_AHEAD_BYTES = 256 * 1024**2
_COMPRESSED_MAGIC = (b"\x1f\x8b", b"BZh", b"\xfd7zXZ")


def count_tar_members(path: Path, budget: Budget) -> None:
    """Refuse a tar whose members do not fit ``budget`` before writing any: read its headers
    (stopping at the limit, not at the end), all of them in a plain tar (reading them costs a
    seek each), those in the first :data:`COUNT_AHEAD_BYTES` of a compressed one."""
    with open(path, "rb") as fh:
        compressed = fh.read(6).startswith(_COMPRESSED_MAGIC)
    try:
        with tarfile.open(path, "r:*") as tar:
            for count, _ in enumerate(tar, start=1):
                budget.check(members=count)
                if compressed and tar.offset > COUNT_AHEAD_BYTES:
                    return
    except MEMBER_ERRORS:
        return  # damaged further on: unpacking keeps what comes before and reports the damage


def extract_tar(path: Path, dest: Path, label: str, budget: Budget, skip: Note, fail: Note) -> None:
    """Unpack a tar (any compression) into ``dest``; members passed over go to ``skip``, members
    that cannot be read to ``fail``. Raises LimitExceeded, or a TarError/OSError for damage."""
    count_tar_members(path, budget)
    folder = Folder(dest)
    written: dict[PurePosixPath, Path] = {}
    with tarfile.open(path, "r:*") as tar:
        for member in tar:
            shown = f"{label}:{member.name}"
            budget.add_member()
            if member.isdir():
                continue
            safe = safe_member(member.name)
            if safe is None:
                skip(shown, "path leaves the archive folder")
                continue
            if member.issym():
                skip(shown, f"symbolic link to {member.linkname!r}, not followed")
                continue
            if member.islnk():
                linked = safe_member(member.linkname)
                if linked is None or linked not in written:
                    skip(shown, f"hard link to {member.linkname!r}, outside the archive or not "
                                "unpacked, not followed")
                    continue
                try:
                    target = folder.target(safe)
                    with open(written[linked], "rb") as source:
                        copy_bounded(source, target, budget)
                except OSError as exc:
                    skip(shown, f"cannot unpack: {_detail(exc)}")
                    continue
                _replaced(safe, written, target, shown, skip)
                continue
            if not member.isfile():
                skip(shown, "device, FIFO or special file")
                continue
            try:
                target = folder.target(safe)
            except OSError as exc:
                skip(shown, f"cannot unpack: {_detail(exc)}")
                continue
            source = tar.extractfile(member)
            if source is None:
                skip(shown, "no data")
                continue
            try:
                copy_bounded(source, target, budget)
            except LimitExceeded:
                raise
            except MEMBER_ERRORS as exc:  # the stream is damaged here: this member, then the rest
                fail(shown, f"cut short, not unpacked: {_detail(exc)}")
                raise
            _replaced(safe, written, target, shown, skip)


def _replaced(safe: PurePosixPath, written: dict, target: Path, shown: str, skip: Note) -> None:
    if safe in written:
        skip(shown, "an earlier member of the same name was replaced by this one")
    written[safe] = target


def _zip_entries(path: Path) -> int | None:
    """The member count a zip's end record declares, read without reading its directory."""
    try:
        with open(path, "rb") as fh:
            record = zipfile._EndRecData(fh)  # the stdlib's own reader of the end record
    except (AttributeError, OSError, zipfile.BadZipFile, ValueError):
        return None
    return int(record[zipfile._ECD_ENTRIES_TOTAL]) if record else None


def extract_zip(path: Path, dest: Path, label: str, budget: Budget, skip: Note, fail: Note) -> None:
    """Unpack a zip into ``dest``, refusing it before writing anything when its declared member
    count or sizes do not fit; a member that cannot be read (encrypted, unknown method, bad
    CRC) goes to ``fail`` and the others are unpacked."""
    declared = _zip_entries(path)
    if declared is not None:
        budget.check(members=declared)  # before the directory is even read
    folder = Folder(dest)
    written: dict[PurePosixPath, Path] = {}
    with zipfile.ZipFile(path) as archive:
        infos = archive.infolist()
        budget.check(members=len(infos), count=sum(i.file_size for i in infos if not i.is_dir()))
        for info in infos:
            shown = f"{label}:{info.filename}"
            budget.add_member()
            if info.is_dir() or info.filename.endswith("\\"):
                continue
            safe = safe_member(info.filename)
            if safe is None:
                skip(shown, "path leaves the archive folder")
                continue
            mode = info.external_attr >> 16
            if stat.S_ISLNK(mode):
                skip(shown, "symbolic link, not followed")
                continue
            if stat.S_IFMT(mode) and not stat.S_ISREG(mode):  # type bits absent: a plain file
                skip(shown, "device, FIFO or special file")
                continue
            try:
                target = folder.target(safe)
                with archive.open(info) as source:
                    copy_bounded(source, target, budget)
            except LimitExceeded:
                raise
            except MEMBER_ERRORS as exc:
                fail(shown, f"cannot unpack: {_detail(exc)}")
                continue
            _replaced(safe, written, target, shown, skip)


def decompress_gzip(path: Path, dest: Path, budget: Budget) -> Path:
    """One gzip-compressed file (``hostd.0.gz``) into ``dest``; returns where it went."""
    target = dest / (path.name[:-3] if path.name.lower().endswith(".gz") else path.name)
    budget.add_member()
    with gzip.open(path, "rb") as source:
        copy_bounded(source, target, budget)
    return target


def given_size(path: Path) -> int:
    """Bytes of what the user gave: a file's size, or every regular file under a folder
    (links not followed); what cannot be read counts nothing."""
    try:
        if not path.is_dir():
            return path.stat().st_size
    except OSError:
        return 0
    total = 0
    for folder, dirs, files in os.walk(path):
        dirs[:] = [d for d in dirs if not (Path(folder) / d).is_symlink()]
        for name in files:
            try:
                info = os.lstat(os.path.join(folder, name))
            except OSError:
                continue
            if stat.S_ISREG(info.st_mode):
                total += info.st_size
    return total

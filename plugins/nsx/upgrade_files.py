"""A listing of the folder that should hold the pre-upgrade backup and tech support bundle.

The upgrade checklist asks for a fresh Manager backup (written to the backup server configured in
the Manager) and a tech support bundle. Neither shows in the ESXi bundle; a listing of where they
were saved does, as ``ls -l`` or Windows ``dir`` output::

    $ ls -l /srv/backup/vcns
    -rw-r--r-- 1 backup backup 52428800 Nov 19 21:02 vsm01-backup-2026-11-19-2100.bak
    -rw-r--r-- 1 backup backup 31457280 Nov 19 21:10 VMware-vShield-Manager-tech-support-2026-11-19.tgz

File names with "backup" count as backups, names with "tech support"/"techsupport" as bundles.
A listing that has neither proves they are missing from that folder. Listings of VM folders
(with .vmdk/.vmx files) belong to the VM folder parser and are left alone.
"""

from __future__ import annotations

import re
from typing import Iterable, Iterator

from hakb import Fact, Head, Parser
from hakb.formats import size_bytes
from hakb.sections import split_command

_LS = re.compile(
    r"^\s*(?P<perm>[-dl][-rwxsStT]{9}[.+@]?)\s+\d+\s+\S+\s+\S+\s+(?P<size>\d+(?:[.,]\d+)?[KMGTP]?)\s+"
    r"(?P<date>[A-Z][a-z]{2}\s+\d{1,2}\s+(?:\d{1,2}:\d{2}|\d{4})|\d{4}-\d{2}-\d{2}\s+\d{2}:\d{2}(?::\d{2})?)\s+"
    r"(?P<name>.+?)\s*$")
_DIR = re.compile(r"^\s*(?P<date>\d{1,4}[./-]\d{1,2}[./-]\d{1,4}\s+\d{1,2}:\d{2}(?:\s*[AP]M)?)\s+"
                  r"(?P<size><DIR>|[\d.,\s]*\d)\s+(?P<name>\S.*?)\s*$", re.I)
_DIR_OF = re.compile(r"^\s*Directory of\s+(?P<folder>.+?)\s*$", re.I)
_BACKUP = re.compile(r"backup", re.I)
_TECH_SUPPORT = re.compile(r"tech[\s_-]*support", re.I)
_VM_FILES = re.compile(r"\.(vmdk|vmx|vmsd|vmsn)$", re.I)


def _kind(name: str) -> str:
    if _TECH_SUPPORT.search(name):
        return "tech-support"
    if _BACKUP.search(name):
        return "backup"
    return ""


def _entry(text: str) -> tuple[str, str, str] | None:
    """(name, size text, date) of a file line in ls -l or dir output; None for anything else."""
    ls = _LS.match(text)
    if ls:
        return (ls.group("name"), ls.group("size"), ls.group("date")) if ls.group("perm")[0] == "-" else None
    windows = _DIR.match(text)
    if windows and windows.group("size").upper() != "<DIR>":
        return windows.group("name"), re.sub(r"[\s.,]", "", windows.group("size")), windows.group("date")
    return None


def recognise(head: Head) -> int:
    files = [e[0] for e in map(_entry, head.lines) if e]
    if any(_VM_FILES.search(name) for name in files):
        return 0
    if any(_kind(name) for name in files):
        return 50
    # An empty or unrelated listing still proves absence when the command lists a backup folder.
    listed = [" ".join(c[1][1:]) for c in (split_command(line, ("ls", "dir")) for line in head.lines[:20]) if c]
    listed += [m.group("folder") for m in map(_DIR_OF.match, head.lines[:20]) if m]
    return 40 if any(_kind(folder) for folder in listed) else 0


def parse(lines: Iterable[tuple[int, str]], artifact) -> Iterator[Fact]:
    folder = ""
    anchor: tuple[int, str] | None = None
    counts = {"files": 0, "backup": 0, "tech-support": 0}
    for number, text in lines:
        command = split_command(text, ("ls", "dir"))
        if command:
            paths = [w for w in command[1][1:] if not w.startswith(("-", "/A", "/a"))]
            folder = paths[0] if paths else command[0]
            anchor = (number, text)
            continue
        heading = _DIR_OF.match(text)
        if heading:
            folder, anchor = heading.group("folder"), (number, text)
            continue
        entry = _entry(text)
        if not entry:
            continue
        name, size, date = entry
        anchor = anchor or (number, text)
        counts["files"] += 1
        kind = _kind(name)
        if kind:
            counts[kind] += 1
            yield Fact("upgrade-file", {"kind": kind, "file": name, "size": size_bytes(size), "date": date},
                       line=number, text=text)
    if anchor:
        yield Fact("upgrade-file-listing", {"folder": folder, "files": counts["files"],
                                            "backups": counts["backup"], "tech_support": counts["tech-support"]},
                   line=anchor[0], text=anchor[1])


PARSERS = [
    Parser("nsx-upgrade-files", recognise, parse,
           "ls -l / dir of the backup folder: the Manager backup and tech support bundle files"),
]

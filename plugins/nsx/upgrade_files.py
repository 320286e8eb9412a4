"""A listing of the folder that should hold the pre-upgrade backup and tech support bundle.

The upgrade checklist asks for a fresh Manager backup (written to the backup server configured in
the Manager) and a tech support bundle. Neither shows in the ESXi bundle; a listing of where they
were saved does, as ``ls -l``/``ls -lh`` or Windows ``dir`` output in any locale::

    $ ls -l /srv/backup/vcns
    -rw-r--r-- 1 backup backup 52428800 Nov 19 21:02 vsm01-backup-2026-11-19-2100.bak
    -rw-r--r-- 1 backup backup 31457280 Nov 19 21:10 VMware-vShield-Manager-tech-support-2026-11-19.tgz

The core's listing reader (:mod:`hakb.reading.listing`) gives one record per entry, with the
folder from a ``Directory of`` / ``Verzeichnis von`` line or an ``ls`` heading; else the folder
is the path of the command line. File names with "backup" count as backups, names with "tech
support"/"techsupport" as bundles. A listing of a folder named for them that shows neither (or
nothing: ``total 0``, ``File Not Found``) proves they are missing there; a listing of any other
folder is only read for backup and bundle files in it. Listings of VM folders (with .vmdk/.vmx
files) belong to the VM folder parser and are left alone. The counts are of a whole listing, so
this parser reads the section's records itself.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Iterable, Iterator

from hakb import Fact, Head, Parser
from hakb.reading import Record, parse_records
from hakb.sections import command_segments
from hakb.plugins.nsx.common import head_records, integer, present

_BACKUP = re.compile(r"backup", re.I)
_TECH_SUPPORT = re.compile(r"tech[\s_-]*support", re.I)
_VM_FILES = re.compile(r"\.(vmdk|vmx|vmsd|vmsn|vmem|vswp|nvram|vmxf)$", re.I)
_LISTERS = ("ls", "dir")


def kind_of(name: str) -> str:
    """``tech-support``, ``backup`` or "" for a file (or folder) name.

    >>> kind_of("VMware-vShield-Manager-tech-support-2026-11-19.tgz"), kind_of("vsm01-backup.bak")
    ('tech-support', 'backup')
    """
    if _TECH_SUPPORT.search(name or ""):
        return "tech-support"
    if _BACKUP.search(name or ""):
        return "backup"
    return ""


def command_folder(command: str) -> str:
    """The folder an ``ls``/``dir`` command line lists ("" when it names none).

    >>> command_folder("ls -l /srv/backup/vcns"), command_folder('dir /a "D:\\\\Backup\\\\vcns"')
    ('/srv/backup/vcns', 'D:\\\\Backup\\\\vcns')
    """
    for words in command_segments(command or ""):
        program = words[0].lower()
        if program not in _LISTERS:
            continue
        for word in words[1:]:
            if word.startswith("-") or (program == "dir" and re.fullmatch(r"/[A-Za-z](?::\S*)?|/-[A-Za-z]", word)):
                continue
            return word
        return ""
    return ""


def _is_file(record: Record) -> bool:
    return record.shape == "listing" and record.type_name != "du" and record.get("is_dir") != "True" \
        and (record.get("mode") or "-")[:1] == "-"


@dataclass
class _Folder:
    name: str
    line: int
    text: str
    files: int = 0
    kinds: dict = field(default_factory=lambda: {"backup": 0, "tech-support": 0})


def recognise(head: Head) -> int:
    text = head.text.lower()
    if "backup" not in text and not _TECH_SUPPORT.search(text):  # neither a file nor a folder for them
        return 0
    records = [r for r in head_records(head) if r.shape == "listing"]
    names = [present(r.get("name")) for r in records if _is_file(r)]
    if any(_VM_FILES.search(name) for name in names):
        return 0
    if any(kind_of(name) for name in names):
        return 50
    # An empty or unrelated listing still proves absence when it is of a backup folder.
    folders = [present(r.get("directory")) for r in records] + [command_folder(head.command)]
    return 40 if any(kind_of(folder) for folder in folders) else 0


def parse(lines: Iterable[tuple[int, str]], artifact) -> Iterator[Fact]:
    section = artifact.section
    command = section.command if section is not None else ""
    listed = command_folder(command)
    seen: dict[str, object] = {"first": None}

    def watched(source: Iterable[tuple[int, str]]) -> Iterator[tuple[int, str]]:
        for item in source:
            if seen["first"] is None:
                seen["first"] = item
            yield item

    folders: dict[str, _Folder] = {}
    for record in parse_records(watched(lines), command):
        if record.shape != "listing":
            continue
        directory = present(record.get("directory")) or listed
        folder = folders.get(directory)
        if folder is None:
            if record.get("directory") or not command:  # a heading line names it, else the first entry
                line, text = record.line("name"), record.text("name")
            else:
                line, text = seen["first"]
            folder = folders[directory] = _Folder(directory, line, text)
        if not _is_file(record):
            continue
        name = present(record.get("name"))
        if _VM_FILES.search(name):
            continue  # a VM's file is no backup, whatever its name (backup01-flat.vmdk)
        folder.files += 1
        kind = kind_of(name)
        if kind:
            folder.kinds[kind] += 1
            yield Fact("upgrade-file", {"kind": kind, "file": name, "size": integer(record.get("size")),
                                        "date": present(record.get("modified"))},
                       line=record.line("name"), text=record.text("name"))
    if not folders and kind_of(listed) and seen["first"] is not None:
        folders[listed] = _Folder(listed, *seen["first"])  # total 0, File Not Found: nothing in it
    for folder in folders.values():
        if kind_of(folder.name) or any(folder.kinds.values()):
            yield Fact("upgrade-file-listing", {"folder": folder.name, "files": folder.files,
                                                "backups": folder.kinds["backup"],
                                                "tech_support": folder.kinds["tech-support"]},
                       line=folder.line, text=folder.text)


PARSERS = [
    Parser("nsx-upgrade-files", recognise, parse,
           "ls -l / dir of the backup folder (any locale): the Manager backup and tech support bundle files"),
]

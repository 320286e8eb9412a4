"""VM folder listings: what a VM's snapshots weigh, from ``ls -l``, ``du`` or Windows ``dir``.

Snapshot deltas are files beside the base disk, so a listing of the VM's folder shows the whole
chain and its size::

    [root@esx01:~] ls -lh /vmfs/volumes/datastore1/app01/
    -rw-------    1 root     root      200.0G Nov 20 08:10 app01-flat.vmdk
    -rw-------    1 root     root         555 Nov 20 08:10 app01.vmdk
    -rw-------    1 root     root       61.2G Nov 20 09:12 app01-000001-delta.vmdk
    -rw-------    1 root     root         322 Nov 20 09:12 app01-000001.vmdk

The core's listing reader (:mod:`hakb.reading.listing`) turns ``ls -l``/``-la``/``-lh`` (bytes or
busybox units, any date style), ``du -h`` of the files and ``dir`` of a folder downloaded with
the datastore browser (any locale) into one record per file; this parser groups them by folder.
The folder comes from the section's command line (``ls -lh /vmfs/volumes/ds/app01``) or prompt
(``[root@esx01:/vmfs/volumes/ds/app01] ls -la``), an ``ls -R`` heading or ``Directory of``
line, the listed paths (``du``, a glob), else from the file names (the ``.vmx`` names the VM); a
folder on a Windows machine names no datastore. One fact per file, one per disk chain (base disk
plus its ``-00000N`` deltas) and one per folder, so rules need no arithmetic on lists. ``du``
lines naming a folder (its total) are not files and are passed over.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from itertools import islice
from typing import Iterable, Iterator

from hakb import Fact, Head, ParseError, Parser
from hakb.formats import human_size
from hakb.reading import Record, parse_records, read_records
from hakb.sections import command_segments

_VOLUME = re.compile(r"/vmfs/volumes/(?P<ds>[^/\s]+)(?:/(?P<folder>[^/\s]+))?")
_WINDOWS = re.compile(r"^(?:[A-Za-z]:\\|\\\\)")
_DELTA = re.compile(r"^(?P<base>.+)-(?P<level>\d{6})$")
_VM_FILE = re.compile(r"\.(vmdk|vmx|vmsd|vmsn|vmem|vswp|nvram|vmxf)$", re.I)
_LISTERS = ("ls", "du", "dir")
#: Records of a head read to recognise a listing.
HEAD_RECORDS = 500


@dataclass
class _Entry:
    line: int
    text: str
    name: str
    size: int
    kind: str
    disk: str = ""
    base: str = ""
    level: int = 0


@dataclass
class _Folder:
    """One listed folder, buffered: a VM folder holds tens of files, not millions."""

    datastore: str = ""
    folder: str = ""
    line: int = 0
    text: str = ""
    entries: list[_Entry] = field(default_factory=list)


def classify(name: str) -> tuple[str, str, str, int]:
    """(kind, disk key, base disk key, delta level) of a file in a VM folder.

    >>> classify("app01-000002-sesparse.vmdk")
    ('delta-data', 'app01-000002', 'app01', 2)
    >>> classify("app01_1-flat.vmdk")
    ('base-data', 'app01_1', 'app01_1', 0)
    >>> classify("app01-Snapshot3.vmsn")
    ('snapshot-state', '', '', 0)
    """
    lower = name.lower()
    if lower.endswith(".vmdk"):
        stem = name[:-5]
        suffix = ""
        for ending in ("-flat", "-delta", "-sesparse", "-ctk", "-rdm", "-rdmp"):
            if stem.lower().endswith(ending):
                suffix, stem = ending, stem[: -len(ending)]
                break
        disk = stem.lower()
        delta = _DELTA.match(disk)
        base, level = (delta.group("base"), int(delta.group("level"))) if delta else (disk, 0)
        if suffix == "-ctk":
            return "change-tracking", disk, base, level
        if suffix in ("-rdm", "-rdmp"):
            return "raw-mapping", disk, base, level
        if suffix in ("-delta", "-sesparse"):
            return "delta-data", disk, base, level
        if suffix == "-flat":
            return ("delta-data" if level else "base-data"), disk, base, level
        return ("delta-descriptor" if level else "base-descriptor"), disk, base, level
    for ending, kind in ((".vmx", "config"), (".vmsd", "snapshot-list"), (".vmsn", "snapshot-state"),
                         (".vmem", "memory"), (".vswp", "swap"), (".log", "log"), (".nvram", "nvram"),
                         (".vmxf", "config")):
        if lower.endswith(ending):
            return kind, "", "", 0
    return "other", "", "", 0


def _location(path: str) -> tuple[str, str]:
    """(datastore, folder) a path names: a /vmfs/volumes path both, a Windows folder (a
    datastore browser download) only the folder, anything else neither.

    >>> _location("/vmfs/volumes/ds01/app01/app01.vmx"), _location("C:\\\\Users\\\\me\\\\Downloads\\\\app01")
    (('ds01', 'app01'), ('', 'app01'))
    """
    match = _VOLUME.search(path or "")
    if match:
        return match.group("ds"), match.group("folder") or ""
    if _WINDOWS.match(path or ""):
        parts = [p for p in path.split("\\") if p]
        return "", parts[-1] if len(parts) > 1 else ""
    return "", ""


def _command_location(command: str, cwd: str) -> tuple[str, str]:
    """(datastore, folder) a listing command names: its path, joined with the prompt's folder
    when relative, else the prompt's folder."""
    for words in command_segments(command or ""):
        if words[0].lower() not in _LISTERS:
            continue
        paths = [w for w in words[1:] if not w.startswith("-") and not re.match(r"^/[a-zA-Z]$|^/[aot]:", w)]
        if not paths:
            return _location(cwd)
        path = paths[0]
        if not path.startswith("/") and not _WINDOWS.match(path) and cwd.startswith("/"):
            path = cwd.rstrip("/") + "/" + path
        return _location(path)
    return "", ""


def _is_vm_file(record: Record) -> bool:
    return record.shape == "listing" and bool(_VM_FILE.search(record.get("name") or ""))


def recognise(head: Head) -> int:
    try:
        records = [r for r in islice(read_records(enumerate(head.lines, 1), head.command), HEAD_RECORDS)
                   if _is_vm_file(r)]
    except ValueError:  # some other structured output, and not a readable one
        return 0
    if not records:
        return 0
    disks = any((r.get("name") or "").lower().endswith(".vmdk") for r in records)
    segments = command_segments(head.command or "")
    pasted = bool(segments) and segments[0][0].lower() in _LISTERS
    return 90 if disks and pasted else 60 if disks else 30


def _vm_name(folder: _Folder) -> str:
    configs = [e.name[:-4] for e in folder.entries if e.kind == "config" and e.name.lower().endswith(".vmx")]
    if configs:
        return configs[0]
    if folder.folder:
        return folder.folder
    bases = [e.base for e in folder.entries if e.kind in ("base-data", "base-descriptor")]
    return bases[0] if bases else ""


def _emit(folder: _Folder) -> Iterator[Fact]:
    if not folder.entries:
        return
    vm = _vm_name(folder)
    where = {"vm": vm, "datastore": folder.datastore, "folder": folder.folder}
    for e in folder.entries:
        yield Fact("vm-file", {**where, "file": e.name, "kind": e.kind, "disk": e.disk, "base": e.base,
                               "level": e.level, "size": e.size}, line=e.line, text=e.text)
    chains: dict[str, list[_Entry]] = {}
    for e in folder.entries:
        if e.base and e.kind not in ("change-tracking", "raw-mapping"):
            chains.setdefault(e.base, []).append(e)
    delta_total = delta_files = base_total = 0
    for base, entries in chains.items():
        deltas = sorted({e.disk for e in entries if e.level}, key=lambda d: int(d.rsplit("-", 1)[1]))
        data = [e for e in entries if e.kind == "delta-data"]
        delta_bytes = sum(e.size for e in data)
        base_bytes = sum(e.size for e in entries if e.kind == "base-data")
        delta_total += delta_bytes
        delta_files += len(data)
        base_total += base_bytes
        if not deltas:
            continue
        newest = max(data or [e for e in entries if e.level], key=lambda e: (e.level, e.size))
        # The chain's evidence line: the base disk (its size is the yardstick), else the newest delta.
        anchor = next((e for e in entries if e.kind == "base-data"), newest)
        formats = sorted({e.name.rsplit("-", 1)[-1][:-5].lower() for e in data
                          if e.name.lower().endswith(("-delta.vmdk", "-sesparse.vmdk"))})
        yield Fact("vm-disk-chain", {
            **where, "disk": base, "depth": len(deltas), "top": deltas[-1], "deltas": deltas,
            "delta_bytes": delta_bytes, "base_bytes": base_bytes,
            "format": ",".join(formats) or "unknown",
            "delta_size": human_size(delta_bytes), "base_size": human_size(base_bytes) if base_bytes else "",
        }, line=anchor.line, text=anchor.text)
    snapshots = sum(1 for e in folder.entries if e.kind == "snapshot-state")
    yield Fact("vm-folder-usage", {
        **where, "files": len(folder.entries), "total_bytes": sum(e.size for e in folder.entries),
        "delta_bytes": delta_total, "delta_files": delta_files, "base_bytes": base_total,
        "snapshots": snapshots, "delta_size": human_size(delta_total),
    }, line=folder.line or folder.entries[0].line, text=folder.text or folder.entries[0].text)


def _is_file(record: Record) -> bool:
    """A listed file: not a folder, link or device, nor du's total of a folder."""
    if record.get("is_dir") == "True" or (record.get("mode") or "-")[:1] != "-":
        return False
    return record.type_name != "du" or bool(_VM_FILE.search(record.get("name") or "")) \
        or "." in (record.get("name") or "").replace("\\", "/").rsplit("/", 1)[-1]


def parse(lines: Iterable[tuple[int, str]], artifact) -> Iterator[Fact]:
    section = artifact.section
    command = section.command if section is not None else ""
    first: list[tuple[int, str]] = []

    def remembered(source: Iterable[tuple[int, str]]) -> Iterator[tuple[int, str]]:
        for item in source:
            if not first:
                first.append(item)
            yield item

    current: _Folder | None = None
    directory = ""
    for record in parse_records(remembered(lines), command):
        if record.shape != "listing":
            continue
        if current is None:  # the command line (the section's prompt line) is the folder's evidence
            ds, folder = _command_location(command, section.cwd if section is not None else "")
            line, text = first[0] if command and first else (0, "")
            current = _Folder(ds, folder, line, text)
        listed_in = record.get("directory") or ""
        if listed_in and listed_in != directory:  # an ls -R heading, dir's "Directory of"
            yield from _emit(current)
            current = _Folder(*_location(listed_in), record.line("name"), record.text("name"))
        directory = listed_in
        if not _is_file(record):
            continue
        name = (record.get("name") or "").replace("\\", "/")
        if "/" in name:  # du and ls of a glob print paths: the path names the folder
            ds, folder = _location(name)
            if ds and (ds, folder) != (current.datastore, current.folder) and current.entries:
                yield from _emit(current)
                current = _Folder(ds, folder)
            elif ds:
                current.datastore, current.folder = ds, folder
            name = name.rsplit("/", 1)[-1]
        size = record.get("size") or ""
        if not size.isdigit():
            raise ParseError(f"line {record.line('name')}: cannot read the size in "
                             f"{record.text('name').strip()!r}")
        kind, disk, base, level = classify(name)
        current.entries.append(_Entry(record.line("name"), record.text("name"), name, int(size), kind,
                                      disk, base, level))
    if current is not None:
        yield from _emit(current)


PARSERS = [
    Parser("vmware-vm-folder-listing", recognise, parse,
           "ls -l / -la / -lh, du -h and Windows dir of a VM folder -> vm-file, vm-disk-chain, "
           "vm-folder-usage (base disks, snapshot deltas and their sizes)"),
]

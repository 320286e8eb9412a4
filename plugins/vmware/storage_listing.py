"""A VM folder listing (``ls -la`` / ``ls -lh`` of ``/vmfs/volumes/<ds>/<vm>/``): what its snapshots weigh.

Snapshot deltas are files beside the base disk, so a long listing of the VM's folder shows the
whole chain and its size::

    [root@esx01:~] ls -lh /vmfs/volumes/datastore1/app01/
    -rw-------    1 root     root      200.0G Nov 20 08:10 app01-flat.vmdk
    -rw-------    1 root     root         555 Nov 20 08:10 app01.vmdk
    -rw-------    1 root     root       61.2G Nov 20 09:12 app01-000001-delta.vmdk
    -rw-------    1 root     root         322 Nov 20 09:12 app01-000001.vmdk

Sizes may be bytes (``-l``) or busybox units (``-h``). The folder comes from the pasted command
line, the prompt's folder, an ``ls -R`` heading (``/vmfs/volumes/ds/app01:``) or, when none is
there, from the file names (the ``.vmx`` names the VM). One fact per file, one per disk chain
(base disk plus its ``-00000N`` deltas) and one per folder, so rules need no arithmetic on lists.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Iterable, Iterator

from hakb import Fact, Head, ParseError, Parser
from hakb.formats import human_size, size_bytes
from hakb.sections import split_command

_LONG = re.compile(
    r"^\s*(?P<perm>[-dlbcps][-rwxsStT]{9}[.+@]?)\s+\d+\s+\S+\s+\S+\s+"
    r"(?P<size>\d+(?:[.,]\d+)?[KMGTP]?)\s+"
    r"(?P<date>[A-Z][a-z]{2}\s+\d{1,2}\s+(?:\d{1,2}:\d{2}|\d{4})"  # Nov 20 09:12 / Jan 12  2026
    r"|\d{4}-\d{2}-\d{2}\s+\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:\s+[+-]\d{4})?)\s+"  # --time-style=long-iso/full-iso
    r"(?P<name>.+?)\s*$")
_HEADING = re.compile(r"^\s*(?P<path>/\S+):\s*$")
_VOLUME = re.compile(r"/vmfs/volumes/(?P<ds>[^/\s]+)(?:/(?P<folder>[^/\s]+))?")
_DELTA = re.compile(r"^(?P<base>.+)-(?P<level>\d{6})$")
_VM_FILE = re.compile(r"\.(vmdk|vmx|vmsd|vmsn|vmem|vswp|nvram|vmxf)$", re.I)


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
    """(datastore, folder) named by a /vmfs/volumes path, or ("", "")."""
    match = _VOLUME.search(path or "")
    if not match:
        return "", ""
    return match.group("ds"), match.group("folder") or ""



def recognise(head: Head) -> int:
    long_lines = [m for m in map(_LONG.match, head.lines) if m]
    vm_files = [m for m in long_lines if _VM_FILE.search(m.group("name"))]
    if not vm_files:
        return 0
    disks = any(m.group("name").lower().endswith(".vmdk") for m in vm_files)
    pasted = any(split_command(line, ("ls",)) for line in head.lines[:200])
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


def parse(lines: Iterable[tuple[int, str]], artifact) -> Iterator[Fact]:
    current = _Folder()
    for number, text in lines:
        command = split_command(text, ("ls",))
        if command:
            yield from _emit(current)
            cwd, words = command
            paths = [w for w in words[1:] if not w.startswith("-")]
            ds, folder = _location(paths[0] if paths else "")
            if not ds and paths and not paths[0].startswith("/"):
                ds, folder = _location(cwd.rstrip("/") + "/" + paths[0])
            if not ds and not paths:
                ds, folder = _location(cwd)
            current = _Folder(ds, folder, number, text)
            continue
        heading = _HEADING.match(text)
        if heading:
            yield from _emit(current)
            ds, folder = _location(heading.group("path"))
            current = _Folder(ds, folder, number, text)
            continue
        entry = _LONG.match(text)
        if not entry or entry.group("perm")[0] != "-":
            continue  # folders, links, "total", blank and --More-- lines
        name = entry.group("name")
        if "/" in name:  # ls of a glob prints paths: the path names the folder
            ds, folder = _location(name)
            if ds and (ds, folder) != (current.datastore, current.folder) and current.entries:
                yield from _emit(current)
                current = _Folder(ds, folder)
            elif ds:
                current.datastore, current.folder = ds, folder
            name = name.rsplit("/", 1)[-1]
        size = size_bytes(entry.group("size"))
        if size is None:
            raise ParseError(f"line {number}: cannot read the size in {text.strip()!r}")
        kind, disk, base, level = classify(name)
        current.entries.append(_Entry(number, text, name, size, kind, disk, base, level))
    yield from _emit(current)


PARSERS = [
    Parser("vmware-vm-folder-listing", recognise, parse,
           "ls -la / ls -lh of a VM folder: base disks, snapshot deltas and their sizes"),
]

"""Datastore capacity from ESXi ``df`` / ``df -h`` and ``esxcli storage filesystem list``.

Both say how big each mounted volume is and how much is free; rules judge the free share.
``df`` (busybox) on ESXi::

    Filesystem   Size   Used Available Use% Mounted on
    VMFS-6     499.8G 496.1G      3.7G  99% /vmfs/volumes/datastore1

``esxcli storage filesystem list`` prints exact bytes in fixed-width columns under a dashed rule::

    Mount Point                                        Volume Name  UUID                                 Mounted  Type            Size          Free
    -------------------------------------------------  -----------  -----------------------------------  -------  ------  ------------  ------------
    /vmfs/volumes/5a1b2c3d-1a2b3c4d-5e6f-005056000001  datastore1   5a1b2c3d-1a2b3c4d-5e6f-005056000001     true  VMFS-6  536602476544    3972005888

Only datastore file systems are kept (VMFS, NFS, vSAN, vVols); boot banks (vfat) and the
in-memory root (visorfs) say nothing about where VMs live.
"""

from __future__ import annotations

import re
from typing import Iterable, Iterator

from hakb import Fact, Head, ParseError, Parser
from hakb.plugins.vmware.storage_common import VOLUME_UUID
from hakb.formats import human_size, size_bytes
from hakb.sections import split_command

_DATASTORE_TYPES = re.compile(r"^(vmfs|nfs|vsan|vvol|pmem)", re.I)
_DF_HEADER = re.compile(r"^\s*Filesystem\s+(Size|Bytes|1[Kk]-blocks)\s+Used\s+Avail(able)?\s+Use%\s+Mounted on\s*$")
_DF_ROW = re.compile(r"^\s*(?P<fs>\S+)\s+(?P<size>\S+)\s+(?P<used>\S+)\s+(?P<avail>\S+)\s+"
                     r"(?P<pct>\d+%|-)\s+(?P<mount>/.*?)\s*$")
_FS_HEADER = re.compile(r"^\s*Mount Point\s+Volume Name\s+UUID\s+Mounted\s+Type\s+Size\s+Free\s*$")
_RULE = re.compile(r"^\s*-{3,}(\s+-{3,})+\s*$")


def _free_pct(size: int | None, free: int | None) -> float | None:
    if not size or free is None:
        return None
    return round(100.0 * free / size, 3)


def _name_of(mount: str) -> tuple[str, str]:
    """(name, uuid) of a /vmfs/volumes mount point; a UUID mount has no name of its own."""
    last = mount.rstrip("/").rsplit("/", 1)[-1]
    if VOLUME_UUID.match(last):
        return last, last
    return last, ""


# -- df ------------------------------------------------------------------------------------------

def recognise_df(head: Head) -> int:
    lines = head.lines
    if not any(_DF_HEADER.match(line) for line in lines[:40]):
        return 0
    vmfs = any((m := _DF_ROW.match(line)) and _DATASTORE_TYPES.match(m.group("fs"))
               and "/vmfs/volumes/" in m.group("mount") for line in lines)
    return 100 if vmfs else 20


def parse_df(lines: Iterable[tuple[int, str]], artifact) -> Iterator[Fact]:
    unit = None  # "bytes" | "human" | "kib", from the header
    for number, text in lines:
        if _DF_HEADER.match(text):
            word = text.split()[1]
            unit = "bytes" if word == "Bytes" else "kib" if word.lower() == "1k-blocks" else "human"
            continue
        if unit is None or split_command(text, ("df",)):
            continue
        row = _DF_ROW.match(text)
        if not row or not _DATASTORE_TYPES.match(row.group("fs")):
            continue
        values = [size_bytes(row.group(k)) for k in ("size", "used", "avail")]
        if None in values:
            raise ParseError(f"line {number}: cannot read the sizes in {text.strip()!r}")
        if unit == "kib":
            values = [v * 1024 for v in values]
        size, used, free = values
        name, uuid = _name_of(row.group("mount"))
        yield Fact("datastore", {
            "name": name, "uuid": uuid, "mount": row.group("mount"), "type": row.group("fs"),
            "size": size, "used": used, "free": free, "free_pct": _free_pct(size, free),
            "size_text": human_size(size), "free_text": human_size(free),
            "exact": unit != "human", "source": "df",
        }, line=number, text=text)


# -- esxcli storage filesystem list ----------------------------------------------------------------

def recognise_filesystem_list(head: Head) -> int:
    return 100 if any(_FS_HEADER.match(line) for line in head.lines[:40]) else 0


def _spans(rule: str) -> list[tuple[int, int]]:
    return [(m.start(), m.end()) for m in re.finditer(r"-+", rule)]


def _cells(text: str, spans: list[tuple[int, int]]) -> list[str]:
    """Cells of a fixed-width row: each column runs from its rule's start to the next one's."""
    cells = []
    for i, (start, _end) in enumerate(spans):
        stop = spans[i + 1][0] if i + 1 < len(spans) else len(text)
        cells.append(text[start:stop].strip())
    return cells


def parse_filesystem_list(lines: Iterable[tuple[int, str]], artifact) -> Iterator[Fact]:
    header: list[str] | None = None
    spans: list[tuple[int, int]] | None = None
    for number, text in lines:
        if _FS_HEADER.match(text):
            header, spans = text, None
            continue
        if header is not None and spans is None and _RULE.match(text):
            spans = _spans(text)
            names = _cells(header, spans)
            if names != ["Mount Point", "Volume Name", "UUID", "Mounted", "Type", "Size", "Free"]:
                raise ParseError(f"line {number}: unexpected columns {names}")
            continue
        if spans is None or not text.strip() or text.strip() == "--More--":
            continue
        mount, volume, uuid, mounted, fs_type, size_text, free_text = _cells(text, spans)
        if not mount.startswith("/") or not _DATASTORE_TYPES.match(fs_type):
            continue
        size, free = size_bytes(size_text), size_bytes(free_text)
        if size is None or free is None:
            raise ParseError(f"line {number}: cannot read the sizes in {text.strip()!r}")
        yield Fact("datastore", {
            "name": volume or uuid, "uuid": uuid, "mount": mount, "type": fs_type,
            "mounted": mounted.lower() == "true", "size": size, "used": size - free, "free": free,
            "free_pct": _free_pct(size, free), "size_text": human_size(size),
            "free_text": human_size(free), "exact": True, "source": "esxcli-filesystem",
        }, line=number, text=text)


PARSERS = [
    Parser("vmware-df", recognise_df, parse_df,
           "ESXi df / df -h: size and free space of each VMFS/NFS datastore"),
    Parser("vmware-esxcli-filesystem-list", recognise_filesystem_list, parse_filesystem_list,
           "esxcli storage filesystem list: datastores with exact size and free bytes"),
]

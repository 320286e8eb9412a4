"""Datastore capacity as objects: ESXi ``df``, ``esxcli storage filesystem list``, PowerCLI ``Get-Datastore``.

Each says how big a mounted volume is and how much is free; rules judge the free share. The core
reads the text shape (:mod:`hakb.reading`); a shape here maps one kind of object:

* ``df`` / ``df -h`` (busybox on ESXi: ``Filesystem Size|Bytes Used Available Use% Mounted on``;
  ``-h`` sizes such as ``499.8G`` are rounded, so ``exact`` is false);
* ``esxcli storage filesystem list`` (exact bytes; default table, ``--formatter=csv``, ``xml``,
  ``json``, ``keyvalue``);
* ``Get-Datastore`` (``FreeSpaceGB``/``CapacityGB``, or ``FreeSpaceMB``/``CapacityMB`` in older
  PowerCLI), in any PowerShell shape and locale (``3,69921875``); ``Format-Table`` prints GB with
  three decimals, so its sizes are not exact.

Only datastore file systems are kept (VMFS, NFS, vSAN, vVols); boot banks (vfat) and the
in-memory root (visorfs) say nothing about where VMs live.
"""

from __future__ import annotations

import re
from typing import Iterator

from hakb import Fact, ParseError
from hakb.formats import human_size, parse_bool, parse_decimal, size_bytes
from hakb.reading import Record
from hakb.shapes import evidence, object_parser, shape
from hakb.plugins.vmware.common import VOLUME_UUID, present

_DATASTORE_TYPES = re.compile(r"^(vmfs|nfs|vsan|vvol|pmem)", re.I)


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


def _sizes(record: Record, *texts: str | None) -> list[int]:
    values = [size_bytes(text or "") for text in texts]
    if None in values:
        line, text = evidence(record, *record.names()[:1])
        raise ParseError(f"line {line}: cannot read the sizes in {text.strip()!r}")
    return values


def _datastore(record: Record, at: str, *, size: int, free: int, exact: bool, source: str,
               **slots) -> Iterator[Fact]:
    line, text = evidence(record, at)
    yield Fact("datastore", {
        **{k: v for k, v in slots.items() if v is not None},
        "size": size, "used": size - free, "free": free, "free_pct": _free_pct(size, free),
        "size_text": human_size(size), "free_text": human_size(free), "exact": exact, "source": source,
    }, line=line, text=text)


def df(record: Record) -> Iterator[Fact]:
    """``df`` in bytes (``Bytes`` column), ``df -h`` (``Size``, rounded units) or 1 KiB blocks."""
    fs_type = present(record.get("Filesystem"))
    mount = present(record.get("Mounted on"))
    if not _DATASTORE_TYPES.match(fs_type) or "/vmfs/volumes/" not in mount:
        return
    if "Bytes" in record:
        size_text, factor, exact = record.get("Bytes"), 1, True
    elif "1K-blocks" in record:
        size_text, factor, exact = record.get("1K-blocks"), 1024, True
    else:
        size_text, factor = record.get("Size"), 1
        exact = (size_text or "").strip().isdigit()
    size, free = (value * factor for value in _sizes(record, size_text, record.get("Available")))
    name, uuid = _name_of(mount)
    yield from _datastore(record, "Mounted on", size=size, free=free, exact=exact, source="df",
                          name=name, uuid=uuid, mount=mount, type=fs_type)


def filesystem(record: Record) -> Iterator[Fact]:
    mount, fs_type = present(record.get("Mount Point")), present(record.get("Type"))
    if not mount.startswith("/") or not _DATASTORE_TYPES.match(fs_type):
        return
    size, free = _sizes(record, record.get("Size"), record.get("Free"))
    uuid = present(record.get("UUID"))
    yield from _datastore(record, "Mount Point", size=size, free=free, exact=True,
                          source="esxcli-filesystem", name=present(record.get("Volume Name")) or uuid,
                          uuid=uuid, mount=mount, type=fs_type,
                          mounted=parse_bool(record.get("Mounted")))


def _powercli_type(record: Record) -> str:
    """``VMFS`` with FileSystemVersion ``6.82`` -> ``VMFS-6``, as ESXi itself names it."""
    kind = present(record.get("Type"))
    version = present(record.get("FileSystemVersion"))
    if kind.upper() == "VMFS" and version[:1].isdigit():
        return f"VMFS-{version.split('.')[0]}"
    return kind


def get_datastore(record: Record) -> Iterator[Fact]:
    unit, factor = ("GB", 1 << 30) if "CapacityGB" in record else ("MB", 1 << 20)
    capacity = parse_decimal(record.get(f"Capacity{unit}"))
    free = parse_decimal(record.get(f"FreeSpace{unit}"))
    name = present(record.get("Name"))
    if capacity is None or free is None:
        line, text = evidence(record, f"Capacity{unit}")
        raise ParseError(f"line {line}: cannot read the sizes in {text.strip()!r}")
    if not name or record.is_truncated("Name"):
        return
    kind = _powercli_type(record)
    if kind and not _DATASTORE_TYPES.match(kind):
        return
    state = present(record.get("State"))
    mounted = parse_bool(record.get("Accessible"))
    if mounted is None and state:
        mounted = state.lower() == "available"
    yield from _datastore(record, "Name", size=round(capacity * factor), free=round(free * factor),
                          exact=record.shape != "table", source="Get-Datastore", name=name, uuid="",
                          mount="", type=kind, mounted=mounted)


SHAPES = (
    shape("esxcli storage filesystem list", {"Mount Point", "Volume Name", "Size", "Free"}, filesystem,
          commands=("esxcli storage filesystem list", "localcli storage filesystem list")),
    # No command: a df that shows no datastore (a Linux box, boot banks only) is not an error.
    shape("df", {"Filesystem", "Used", "Available", "Mounted on"}, df, commands=()),
    shape("Get-Datastore", {"Name", "FreeSpaceGB", "CapacityGB"}, get_datastore),
    shape("Get-Datastore", {"Name", "FreeSpaceMB", "CapacityMB"}, get_datastore),
)

PARSERS = [
    object_parser("vmware-datastores", SHAPES,
                  "ESXi df / df -h, esxcli storage filesystem list, PowerCLI Get-Datastore, in any "
                  "shape -> datastore (size and free space)"),
]

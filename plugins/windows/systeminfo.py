"""A Windows machine as ``systeminfo`` and ``Get-ComputerInfo`` describe it: ``windows-system``
facts, and the ``host-name`` the artifact was collected on.

``systeminfo`` prints the same object as a list (the default: ``Host Name:   EX01``), with
``/fo csv`` (``"Host Name","OS Name",...``) and with ``/fo table`` (columns under ``====`` rules),
labelled in the server's language (English, German, French and Spanish labels are known here).
Memory is read whatever the locale's thousands separator (``16,383 MB``, ``16.383 MB``,
``16 383 MB``); hotfixes are the ``[01]: KB2533552`` items, however the shape joins them.
"""

from __future__ import annotations

import re
from typing import Iterator

from hakb import Fact
from hakb.formats import parse_int, parse_size_mb
from hakb.reading import Record
from hakb.shapes import evidence, shape

from hakb.shapes import object_parser

#: slot -> the label of each locale (English, German, French, Spanish), as systeminfo prints it.
LABELS = {
    "hostname": ("Host Name", "Hostname", "Nom de l'hôte", "Nom de l\u2019hôte", "Nombre de host"),
    "os_name": ("OS Name", "Betriebssystemname", "Nom du système d'exploitation",
                "Nom du système d\u2019exploitation", "Nombre del sistema operativo"),
    "os_version": ("OS Version", "Betriebssystemversion", "Version du système", "Versión del sistema operativo"),
    "total_memory_mb": ("Total Physical Memory", "Gesamter physischer Speicher", "Mémoire physique totale",
                        "Cantidad total de memoria física"),
    "available_memory_mb": ("Available Physical Memory", "Verfügbarer physischer Speicher",
                            "Mémoire physique disponible", "Memoria física disponible"),
    "domain": ("Domain", "Domäne", "Domaine", "Dominio"),
    "system_type": ("System Type", "Systemtyp", "Type du système", "Tipo de sistema"),
    "hotfixes": ("Hotfix(s)", "Hotfix(es)", "Hotfix(e)", "Correctif(s)", "Revisión(es)"),
}
_FRENCH_UNITS = re.compile(r"(?<=\d)\s*([KMGT])o\s*$")
_HOTFIX = re.compile(r"\[\d+\]:\s*(?P<id>[^\s,]+)")
_RULE = re.compile(r"^=+$")


def memory_mb(value: str | None) -> int | None:
    """``16,383 MB``, ``16.383 MB``, French ``16 383 Mo`` as MB.

    >>> memory_mb("16 383 Mo"), memory_mb("16.383 MB")
    (16383, 16383)
    """
    return parse_size_mb(_FRENCH_UNITS.sub(r" \1B", value or ""))


def hotfixes(record: Record) -> list[str]:
    """``[01]: KB2533552`` items of the hotfix value, in any shape (list items, a CSV cell)."""
    value = record.value(next((n for n in LABELS["hotfixes"] if n in record), ""))
    if value is None:
        return []
    text = ", ".join(value.items) if value.items else value.value
    return [match.group("id") for match in _HOTFIX.finditer(text)]


def systeminfo(record: Record) -> Iterator[Fact]:
    host = (record.first(*LABELS["hostname"]) or "").strip()
    if not host or _RULE.match(host):  # /fo table's rule under the header is no machine
        return
    slots: dict = {"hostname": host, "hotfixes": hotfixes(record)}
    for slot in ("os_name", "os_version", "domain", "system_type"):
        slots[slot] = (record.first(*LABELS[slot]) or "").strip()
    for slot in ("total_memory_mb", "available_memory_mb"):
        size = memory_mb(record.first(*LABELS[slot]))
        if size is not None:
            slots[slot] = size
    line, text = evidence(record, *LABELS["hostname"])
    yield Fact("host-name", {"name": host, "source": "systeminfo"}, line=line, text=text)
    yield Fact("windows-system", slots, line=line, text=text, host=host)


def computer_info(record: Record) -> Iterator[Fact]:
    """``Get-ComputerInfo`` (PowerShell 5.1): Cs* and Os* properties; memory in bytes."""
    host = (record.first("CsDNSHostName", "CsName") or "").strip()
    if not host:
        return
    slots: dict = {"hostname": host, "os_name": record.get("OsName") or record.get("WindowsProductName") or "",
                   "os_version": record.get("OsVersion") or "", "domain": record.get("CsDomain") or "",
                   "system_type": record.get("CsSystemType") or "",
                   "hotfixes": [h for h in (_kb(i) for i in record.values("OsHotFixes")) if h]}
    total = parse_int(record.get("CsTotalPhysicalMemory"))
    if total is not None:
        slots["total_memory_mb"] = total // (1024 * 1024)
    free = parse_int(record.get("OsFreePhysicalMemory"))  # in KB
    if free is not None:
        slots["available_memory_mb"] = free // 1024
    line, text = evidence(record, "CsDNSHostName", "CsName")
    yield Fact("host-name", {"name": host, "source": "Get-ComputerInfo"}, line=line, text=text)
    yield Fact("windows-system", slots, line=line, text=text, host=host)


def _kb(item: str) -> str:
    match = re.search(r"\bKB\d+", item or "")
    return match.group(0) if match else ""


#: (host name label, OS name label) of each locale: what tells a systeminfo object.
SIGNATURES = tuple(zip(LABELS["hostname"], LABELS["os_name"]))

SHAPES = [*(shape("systeminfo", signature, systeminfo) for signature in SIGNATURES),
          shape("Get-ComputerInfo", {"CsName", "OsName"}, computer_info),
          shape("Get-ComputerInfo", {"CsName", "WindowsProductName"}, computer_info)]

PARSERS = [object_parser(
    "windows-systeminfo", SHAPES,
    "systeminfo (list, /fo csv, /fo table; English, German, French, Spanish) and Get-ComputerInfo: "
    "host name, OS, memory, domain, hotfixes")]

r"""Outlook's own build from OUTLOOK.EXE's version resource, as engineers list it.

Hotfixes replace OUTLOOK.EXE, so its file version is Outlook's build (what the Exchange 2010
archive needs), where the Office product's version only shows the service pack. Read from:

* ``(Get-Item "...\Office12\OUTLOOK.EXE").VersionInfo`` (a table ProductVersion, FileVersion,
  FileName; a truncated FileName is recognised by the command), ``| fl``, ``| fl *``, Export-Csv,
  ConvertTo-Json, Export-Clixml; ``Get-ChildItem ... | Select-Object -ExpandProperty VersionInfo``;
* ``Get-ItemProperty ... | fl VersionInfo`` and ``dir ... | fl *``, where VersionInfo prints as
  ``File: ... FileVersion: 12.0.6423.1000 ...``;
* ``(Get-Item ...).VersionInfo.FileVersion`` (one bare version line);
* ``wmic datafile where name="..." get Version`` (or ``get Name,Version``) and ``filever``::

    --a-- W32i   APP ENU     12.0.6423.1000 shp 12,983,624 10-18-2009 outlook.exe

Each gives one ``office-product`` fact with ``source`` file-version: Outlook's version and
build, its major version; the edition is not in a file's version (other artifacts tell it).
"""

from __future__ import annotations

import re
from typing import Iterable, Iterator

from hakb import Artifact, Fact, Head, Parser
from hakb.reading import Record
from hakb.sections import command_matches, head_command, parse_prompt
from hakb.shapes import evidence, shape
from hakb.plugins.exchange.common import first_of, objects_parser, records_of

_VERSION = re.compile(r"^(?P<major>\d+)\.(?P<minor>\d+)\.(?P<build>\d+)\.(?P<rev>\d+)")
_OUTLOOK = re.compile(r"(?:^|[\\/\s\"'=])outlook\.exe(?![\w.])", re.I)
#: VersionInfo printed as one value (FileVersionInfo.ToString): "File: ... FileVersion: x ...".
_INFO_FILE = re.compile(r"\bFile:\s*(?P<file>.+?)\s+InternalName:", re.I)
_INFO_VERSION = re.compile(r"\bFileVersion:\s*(?P<version>\d+\.\d+\.\d+\.\d+)", re.I)
_INFO_ORIGINAL = re.compile(r"\bOriginalFilename:\s*(?P<name>\S+)", re.I)
_YEARS = {11: "2003", 12: "2007", 14: "2010", 15: "2013", 16: "2016"}
#: filever: attributes, platform, type, language, version, build kind, size, date, name.
_FILEVER = re.compile(r"^[-a-z]{5}\s+\S+\s+\S+\s+\S+\s+(?P<version>\d+\.\d+\.\d+\.\d+)\s+\S+\s+[\d,.]+\s+"
                      r"\S+\s+(?P<name>\S+)\s*$", re.I)


def is_outlook(*names: str) -> bool:
    """True when one of the names (a path, an original file name, a command line) is OUTLOOK.EXE."""
    return any(_OUTLOOK.search(name or "") for name in names)


def outlook_fact(version: str, line: int, text: str) -> Iterator[Fact]:
    """The ``office-product`` fact of an OUTLOOK.EXE with this file version."""
    match = _VERSION.match(version.strip())
    if not match:
        return
    major = int(match["major"])
    version = match.group(0)
    year = _YEARS.get(major, "")
    yield Fact("office-product", {
        "product": f"Microsoft Office Outlook {year}".strip() if major <= 12 else f"Microsoft Outlook {year}".strip(),
        "edition": "", "licence": "", "major": major,
        "version": version, "version_build": int(match["build"]),
        "outlook_version": version, "outlook_build": int(match["build"]),
        "includes_outlook": True, "product_code": "", "source": "file-version",
    }, line=line, text=text)


def version_info(record: Record) -> Iterator[Fact]:
    """A FileVersionInfo object (fl, table, CSV, JSON, Clixml)."""
    file = first_of(record, "FileName")
    original = first_of(record, "OriginalFilename")
    # a table cuts a long FileName ("C:\Program Files\Microsoft Office\O..."): the command names it
    if not is_outlook(file, original) and not (record.is_truncated("FileName") and is_outlook(record.command)):
        return
    line, text = evidence(record, "FileVersion")
    yield from outlook_fact(first_of(record, "FileVersion", "FileVersionRaw"), line, text)


def version_info_text(record: Record) -> Iterator[Fact]:
    """``VersionInfo`` printed as one value, as ``fl VersionInfo`` and ``fl *`` show it."""
    info = record.get("VersionInfo") or ""
    version = _INFO_VERSION.search(info)
    file = _INFO_FILE.search(info)
    original = _INFO_ORIGINAL.search(info)
    names = [file["file"] if file else "", original["name"] if original else "", first_of(record, "FullName", "Name")]
    if version is None or not is_outlook(*names):
        return
    line, text = evidence(record, "VersionInfo")
    yield from outlook_fact(version["version"], line, text)


def data_file(record: Record) -> Iterator[Fact]:
    """``wmic datafile ... get Name,Version`` as a table or CSV (``/format:csv``)."""
    if not is_outlook(first_of(record, "Name")):
        return
    line, text = evidence(record, "Version")
    yield from outlook_fact(first_of(record, "Version"), line, text)


SHAPES = [
    shape("FileVersionInfo", {"FileVersion", "FileName"}, version_info, commands=(),
          types=("System.Diagnostics.FileVersionInfo",)),
    shape("VersionInfo", {"VersionInfo"}, version_info_text, commands=()),
    shape("wmic datafile", {"Name", "Version"}, data_file, commands=()),
]


# --- free text: wmic datafile with one column, filever ---------------------------------------

#: A command printing one version property: ``(Get-Item ...\OUTLOOK.EXE).VersionInfo.FileVersion``.
_PROPERTY_ACCESS = re.compile(r"\.(?:File|Product)Version\)?\s*$", re.I)
_BARE_VERSION = re.compile(r"^\s*(\d+\.\d+\.\d+\.\d+)\s*$")


def _reads(command: str) -> bool:
    return is_outlook(command) and (command_matches(command, "wmic datafile") or command_matches(command, "filever")
                                    or bool(_PROPERTY_ACCESS.search(command)))


def recognise(head: Head) -> int:
    if _reads(head_command(head)):
        return 100
    if any(_FILEVER.match(line.strip()) and is_outlook(line) for line in head.lines[:200]):
        return 80
    return 0


def parse(lines: Iterable[tuple[int, str]], artifact: Artifact) -> Iterator[Fact]:
    """``wmic datafile`` output (one column ``Version`` or several), a bare version a property
    access printed, and ``filever`` lines."""
    section = artifact.section
    command = section.command if section is not None else ""
    lines = list(lines)
    for number, text in lines:
        match = _FILEVER.match(text.strip())
        if match and is_outlook(match["name"]):
            yield from outlook_fact(match["version"], number, text)
            return
    if _PROPERTY_ACCESS.search(command) and is_outlook(command):  # one bare version line
        for number, text in lines:
            match = _BARE_VERSION.match(text)
            if match:
                yield from outlook_fact(match.group(1), number, text)
                return
        return
    if not command_matches(command, "wmic datafile"):
        return
    for record in records_of(iter(lines), command):  # get Name,Version, /format:csv
        if "Version" in record:
            yield from data_file(record) if "Name" in record else outlook_fact(
                record.get("Version") or "", *evidence(record, "Version"))
            return
    header = None  # "get Version": a header line, then the value
    for number, text in lines:
        if not text.strip() or parse_prompt(text):
            continue
        if header is None:
            header = text.strip().lower()
            if header != "version":
                return
            continue
        yield from outlook_fact(text.strip(), number, text)
        return


PARSERS = [
    objects_parser("outlook-file-version", SHAPES,
                  "OUTLOOK.EXE's version resource (VersionInfo in any PowerShell shape, wmic datafile)"),
    Parser("outlook-file-version-text", recognise, parse,
           "OUTLOOK.EXE's version from `wmic datafile ... get Version` and filever"),
]

r"""File listings as records, one per listed file: ``ls -l``, ``du``, Windows ``dir``.

Read:

* ``ls -l``/``-la``/``-lh`` from GNU coreutils and busybox (ESXi): mode, links, owner, group,
  size in bytes or human units (``40G``, ``4.0K``; powers of 1024), a date as ``Nov 20 09:14``,
  ``Nov 20  2025``, ``20. Nov 09:14`` (German locale) or ``2026-11-20 09:14`` (``long-iso``,
  ``full-iso``), then the name (``name -> target`` for links). ``total N`` lines are skipped; a
  ``/vmfs/volumes/ds01/app01:`` header names the directory of the lines below it.
* ``du -h``/``du -sh`` lines (``4.0G<TAB>./app01``); plain numbers are du's 1 KiB blocks.
* Windows ``dir`` in any locale's date and digit grouping (``11/20/2026  09:14 AM
  42,949,672,960 app01-flat.vmdk``, ``20.11.2026  09:14    42.949.672.960 app01-flat.vmdk``),
  ``<DIR>``/``<JUNCTION>``/``<SYMLINKD>`` lines; `` Directory of C:\...`` (or ``Verzeichnis von``
  ...) names the directory. Volume and summary lines are skipped.

Every record (shape ``listing``, ``type_name`` ``ls``, ``du`` or ``dir``) has the same names:
``name``, ``size`` (bytes as digits; ``""`` when not printed), ``size_text`` (as printed),
``mode``, ``links``, ``owner``, ``group``, ``modified`` (as printed), ``directory``, ``is_dir``
(``True``/``False``; ``""`` for du, which does not say) and ``target`` (of a link); a name the
listing does not print is ``""``. Lines that are none of these (``ls: cannot access ...``) are
skipped.

A synthetic ``ls -lh`` of a VM folder on ESXi:

>>> rows = list(read(enumerate(['/vmfs/volumes/ds01/app01:', 'total 41943104',
...     '-rw-------    1 root     root       40.0G Nov 20 09:14 app01-flat.vmdk'], start=1)))
>>> [(r.get("name"), r.get("size"), r.get("directory"), r.line("name")) for r in rows]
[('app01-flat.vmdk', '42949672960', '/vmfs/volumes/ds01/app01', 3)]
"""

from __future__ import annotations

import re
from typing import Iterable, Iterator

from hakb.reading.record import Line, Record, clean_text

SHAPE = "listing"
NAMES = ("name", "size", "size_text", "mode", "links", "owner", "group", "modified", "directory",
         "is_dir", "target")

_UNITS = {"": 1, "B": 1, "K": 1 << 10, "M": 1 << 20, "G": 1 << 30, "T": 1 << 40, "P": 1 << 50,
          "E": 1 << 60}
_HUMAN = r"\d+(?:[.,]\d+)?[KMGTPE]?"
_MODE = r"[-dlcbpsDn?][-rwxsStTlL?]{9}[.+@]?"
_MONTH = r"[^\W\d_]{3,5}\.?"
_CLOCK_OR_YEAR = r"(?:\d{1,2}:\d{2}(?::\d{2})?|\d{4})"
_LS_DATE = (rf"(?:{_MONTH}\s+\d{{1,2}}|\d{{1,2}}\.?\s+{_MONTH})\s+{_CLOCK_OR_YEAR}"
            r"|\d{4}-\d{2}-\d{2}(?:[ T]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?(?:\s+[+-]\d{4})?")
_LS = re.compile(
    rf"^\s*(?:\d+\s+)?(?:{_HUMAN}\s+)?(?P<mode>{_MODE})\s+(?P<links>\d+)\s+(?P<owner>\S+)\s+"
    rf"(?P<group>\S+)\s+(?P<size>\d+,\s*\d+|{_HUMAN})\s+(?P<date>{_LS_DATE})\s(?P<name>.+)$")
_LS_TOTAL = re.compile(rf"^\s*(?:total|insgesamt|totale?|totaal|итого)\s+{_HUMAN}\s*$", re.I)
_LS_HEADER = re.compile(r"^(?P<dir>\S(?:.*\S)?):$")
_DU = re.compile(rf"^(?P<size>{_HUMAN})(?P<gap>\s+)(?P<name>\S.*)$")
_DIR = re.compile(
    r"^(?P<date>\d{1,4}[./-]\d{1,2}[./-]\d{2,4})\s+"
    r"(?P<time>\d{1,2}:\d{2}(?::\d{2})?(?:\s?[AaPp]\.?\s?[Mm]\.?)?)\s+"
    r"(?:(?P<kind><(?:DIR|JUNCTION|SYMLINKD?|REPARSE)>)|(?P<size>\d{1,3}(?:[,.'\u00a0\u202f]\d{3})+|\d+))"
    r"\s+(?P<name>.+?)\s*$")
_DIR_HEADER = re.compile(r"^\s+\S.*?\s(?P<dir>(?:[A-Za-z]:\\|\\\\)\S.*?)\s*$")
_TARGET = re.compile(r"^(?P<name>.*?)\s+\[(?P<target>[^\]]*)\]$")
#: dir's summary lines: "2 File(s)  42,949,672,960 bytes", "2 Datei(en)", "3 Dir(s) ... bytes free".
_DIR_SUMMARY = re.compile(r"^\s*\d+\s+\S+\(\S+\)\s+.*$")


def human_bytes(text: str, unit: int = 1) -> str:
    """Bytes (as digits) of a size as printed: plain digits times ``unit``, or a K/M/G/T/P
    suffix in powers of 1024 (``,`` or ``.`` as the decimal mark); ``""`` when it is not one.

    >>> human_bytes("40.0G"), human_bytes("4,0K"), human_bytes("512"), human_bytes("8", unit=1024)
    ('42949672960', '4096', '512', '8192')
    """
    match = re.fullmatch(r"(?P<number>\d+(?:[.,]\d+)?)(?P<unit>[KMGTPE]?)", text.strip(), re.I)
    if not match:
        return ""
    number = match["number"].replace(",", ".")
    factor = _UNITS[match["unit"].upper()] if match["unit"] else unit
    if "." in number:
        whole, _, fraction = number.partition(".")
        return str((int(whole) * 10 ** len(fraction) + int(fraction)) * factor // 10 ** len(fraction))
    return str(int(number) * factor)


def _du_line(text: str) -> re.Match | None:
    """A du line: a size, then a tab (GNU, busybox) or a unit-suffixed size and blanks."""
    match = _DU.match(text)
    if match and ("\t" in match["gap"] or not match["size"][-1].isdigit()):
        return match
    return None


def looks_like(head_lines: list[str]) -> bool:
    """True when the first lines hold an ``ls -l`` or ``dir`` entry, or are all du lines.

    >>> looks_like(['total 8', 'drwxr-xr-x    1 root     root           512 Nov 20 09:14 app01'])
    True
    >>> looks_like(['4.0G\\t./app01', '12.0K\\t./app02']), looks_like(['Name    : app01'])
    (True, False)
    """
    lines = [clean_text(line) for line in head_lines]
    lines = [line for line in lines if line.strip()][:8]
    if not lines:
        return False
    if any(_LS.match(line) for line in lines):
        return True
    # A dir line (date, time, size, name) looks like many a table row (Get-WinEvent prints date,
    # time, an id and text): a dir listing shows its "Directory of" header, or is mostly such lines.
    dirs = sum(1 for line in lines if _DIR.match(line.strip()))
    if dirs and (any(_DIR_HEADER.match(line) for line in lines) or dirs * 2 > len(lines)
                 and all(_DIR.match(line.strip()) or _DIR_HEADER.match(line) or _DIR_SUMMARY.match(line)
                         for line in lines)):
        return True
    return all(_du_line(line) for line in lines)


def _record(kind: str, number: int, text: str, values: dict[str, str]) -> Record:
    record = Record(shape=SHAPE, type_name=kind)
    for name in NAMES:
        record.set(name, values.get(name, ""), number, text)
    return record


def _ls(match: re.Match, directory: str) -> dict[str, str]:
    mode = match["mode"]
    name, target = match["name"], ""
    if mode.startswith("l") and " -> " in name:
        name, _, target = name.partition(" -> ")
    size_text = match["size"]
    return {"name": name, "size": human_bytes(size_text),  # "" for a device's "major, minor"
            "size_text": size_text, "mode": mode, "links": match["links"], "owner": match["owner"],
            "group": match["group"], "modified": match["date"], "directory": directory,
            "is_dir": "True" if mode.startswith("d") else "False", "target": target}


def _dir(match: re.Match, line: str, directory: str) -> dict[str, str]:
    name, target = match["name"], ""
    kind = match["kind"]
    if kind in ("<JUNCTION>", "<SYMLINKD>", "<SYMLINK>"):
        found = _TARGET.match(name)
        if found:
            name, target = found["name"], found["target"]
    size_text = kind or match["size"]
    return {"name": name, "size": "" if kind else re.sub(r"\D", "", match["size"]),
            "size_text": size_text, "modified": line[match.start("date"):match.end("time")],
            "directory": directory,
            "is_dir": "True" if kind in ("<DIR>", "<JUNCTION>", "<SYMLINKD>") else "False",
            "target": target}


def read(lines: Iterable[Line]) -> Iterator[Record]:
    r"""One record per listed file, in the order listed; other lines are skipped.

    >>> rows = list(read(enumerate([' Directory of C:\\VMs\\app01', '',
    ...     '11/20/2026  09:14 AM    42,949,672,960 app01-flat.vmdk'], start=1)))
    >>> [(r.get("name"), r.get("size"), r.get("directory"), r.get("modified")) for r in rows]
    [('app01-flat.vmdk', '42949672960', 'C:\\VMs\\app01', '11/20/2026  09:14 AM')]
    """
    directory = ""
    for number, raw in lines:
        text = clean_text(raw)
        stripped = text.strip()
        if not stripped or _LS_TOTAL.match(stripped):
            continue
        if match := _LS.match(text):
            yield _record("ls", number, text, _ls(match, directory))
        elif match := _DIR.match(stripped):
            yield _record("dir", number, text, _dir(match, stripped, directory))
        elif match := _du_line(text):
            size = human_bytes(match["size"], unit=1024)
            yield _record("du", number, text, {"name": match["name"].rstrip(), "size": size,
                                               "size_text": match["size"],
                                               "directory": directory})
        elif text.startswith((" ", "\t")) and (match := _DIR_HEADER.match(text)):
            directory = match["dir"]
        elif (match := _LS_HEADER.match(stripped)) and ": " not in match["dir"]:
            directory = match["dir"]

"""``systeminfo`` output (list or ``/fo csv``), English or German, as a ``windows-system`` fact.

    Host Name:                 EX01
    OS Name:                   Microsoft Windows Server 2008 R2 Enterprise
    Total Physical Memory:     16,383 MB

Memory is read whatever the locale's thousands separator (``16,383``, ``16.383``, ``16 383``).
"""

from __future__ import annotations

import csv
import re
from typing import Iterator

from hakb import Fact, Head, ParseError
from hakb.formats import is_noise, parse_size_mb
from hakb.model import Parser

#: Label (lower case, without colon) -> slot, English and German.
LABELS = {
    "host name": "hostname", "hostname": "hostname",
    "os name": "os_name", "betriebssystemname": "os_name",
    "os version": "os_version", "betriebssystemversion": "os_version",
    "total physical memory": "total_memory_mb", "gesamter physischer speicher": "total_memory_mb",
    "available physical memory": "available_memory_mb",
    "verfügbarer physischer speicher": "available_memory_mb",
    "domain": "domain", "domäne": "domain",
    "system type": "system_type", "systemtyp": "system_type",
    "hotfix(s)": "hotfixes", "hotfix(es)": "hotfixes", "hotfix(e)": "hotfixes",
}
_LINE = re.compile(r"^(?P<label>[^\s:][^:]{1,40}?):\s+(?P<value>.*)$")
_ITEM = re.compile(r"^\s+\[\d+\]:\s*(?P<value>.+)$")
_SIGNATURES = (("host name:", "os name:"), ("hostname:", "betriebssystemname:"),
               ('"host name","os name"',), ('"hostname","betriebssystemname"',))


def recognise(head: Head) -> int:
    text = head.text.lower()
    for words in _SIGNATURES:
        if all(word in text for word in words):
            return 100
    return 10 if head.name.lower().startswith("systeminfo") else 0


def _fact(values: dict, line: int, text: str) -> Fact:
    slots: dict = {}
    for slot, value in values.items():
        if slot in ("total_memory_mb", "available_memory_mb"):
            size = parse_size_mb(value)
            if size is not None:
                slots[slot] = size
        elif slot == "hotfixes":
            slots[slot] = list(value)
        else:
            slots[slot] = value.strip()
    if not slots.get("hostname"):
        raise ParseError("systeminfo output without a Host Name line")
    return Fact("windows-system", slots, line=line, text=text, host=slots["hostname"])


def _parse_csv(lines: Iterator[tuple[int, str]], header: tuple[int, str]) -> Iterator[Fact]:
    columns = next(csv.reader([header[1]]))
    for number, text in lines:
        if not text.strip() or is_noise(text):
            continue
        row = next(csv.reader([text]))
        values = {}
        for label, value in zip(columns, row):
            slot = LABELS.get(label.strip().lower())
            if slot == "hotfixes":
                values[slot] = [v.split(":", 1)[-1].strip() for v in value.split(",")
                                if v.strip().startswith("[")]
            elif slot:
                values[slot] = value
        yield _fact(values, number, text)


def parse(lines, artifact) -> Iterator[Fact]:
    values: dict = {}
    first: tuple[int, str] | None = None
    current = ""
    iterator = iter(lines)
    for number, text in iterator:
        stripped = text.strip()
        if stripped.lower().startswith(('"host name"', '"hostname"')):
            yield from _parse_csv(iterator, (number, stripped))
            return
        if not stripped or is_noise(text):
            continue
        item = _ITEM.match(text)
        if item and current == "hotfixes":
            values.setdefault("hotfixes", []).append(item.group("value").strip())
            continue
        match = _LINE.match(text)
        if not match or text[:1].isspace():
            continue
        slot = LABELS.get(match.group("label").strip().lower())
        current = slot or ""
        if slot == "hostname":
            if first is not None:  # a second machine's output in the same file
                yield _fact(values, *first)
                values = {}
            first = (number, text)
        if slot == "hotfixes":
            values.setdefault("hotfixes", [])
        elif slot:
            values[slot] = match.group("value")
    if first is not None:
        yield _fact(values, *first)


PARSERS = [Parser("windows-systeminfo", recognise, parse,
                  "systeminfo output (list or CSV, English or German): host, OS, memory, domain")]

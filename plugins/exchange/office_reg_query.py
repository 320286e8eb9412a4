r"""Office products and updates from ``reg query ...\Uninstall /s`` output (cmd.exe's registry
listing, which the core's reading layer has no reader for: a line parser until it has).

    HKEY_LOCAL_MACHINE\SOFTWARE\Microsoft\Windows\CurrentVersion\Uninstall\{90120000-0030-0000-0000-0000000FF1CE}
        DisplayName    REG_SZ    Microsoft Office Enterprise 2007
        DisplayVersion    REG_SZ    12.0.6425.1000

A key is a line of its own starting with the hive; each value below it is indented by four
spaces, its name, type and data separated by four spaces (names may hold spaces). The uninstall
entries are decoded as :mod:`hakb.plugins.exchange.office` decodes a regedit export; other keys
and the closing "End of search" line are not Office's and give nothing.
"""

from __future__ import annotations

import re
from typing import Iterable, Iterator

from hakb import Artifact, Fact, Head, Parser
from hakb.plugins.exchange.office import product_facts

_KEY = re.compile(r"^(?:HKEY_(?:LOCAL_MACHINE|CURRENT_USER|USERS|CLASSES_ROOT|CURRENT_CONFIG)|HK(?:LM|CU|U|CR|CC))"
                  r"(?:\\\S.*)?$", re.I)
_VALUE = re.compile(r"^ {2,}(?P<name>\S.*?) {2,}(?P<type>REG_[A-Z_]+)(?: {2,}(?P<data>.*?))?\s*$")
_UNINSTALL_KEY = re.compile(r"^HK\S*\\.*\\Uninstall\\", re.I | re.M)


def recognise(head: Head) -> int:
    """90 for a reg query listing of Uninstall keys with values; 0 for anything else (a regedit
    export quotes its names and is the windows plugin's)."""
    if "Windows Registry Editor" in head.text or "REGEDIT4" in head.text:
        return 0
    if _UNINSTALL_KEY.search(head.text) and any(_VALUE.match(line) for line in head.text.splitlines()):
        return 90
    return 0


def parse(lines: Iterable[tuple[int, str]], artifact: Artifact) -> Iterator[Fact]:
    key, values = "", {}
    for number, text in lines:
        line = text.rstrip("\r\n")
        if _KEY.match(line):
            yield from _entry(key, values)
            key, values = line.strip(), {}
            continue
        value = _VALUE.match(line)
        if value and key:
            values[value.group("name").lower()] = (value.group("data") or "", number, line)
    yield from _entry(key, values)


def _entry(key: str, values: dict) -> Iterator[Fact]:
    """The facts of one listed key (nothing for a key without a DisplayName or outside Uninstall)."""
    if "\\uninstall\\" not in key.lower() or "displayname" not in values:
        return
    name, number, text = values["displayname"]
    version = values.get("displayversion", ("",))[0]
    yield from product_facts(key, name, version, number, text)


PARSERS = [Parser("office-reg-query", recognise, parse,
                  "Office products and updates from `reg query ...\\Uninstall /s` output")]

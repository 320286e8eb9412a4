"""A host's virtual switches: ``esxcli network vswitch standard|dvs vmware list`` and ``esxcfg-vswitch -l``.

NSX builds its logical switches on vSphere Distributed Switches, so a host that only has standard
vSwitches cannot be prepared. esxcli prints one block per switch::

    vSwitch0
       Name: vSwitch0
       Class: cswitch
       MTU: 1500
       Uplinks: vmnic1, vmnic0
       Portgroups: VM Network, Management Network

(a DVS block has ``VDS ID:`` instead of ``Portgroups:``). ``esxcfg-vswitch -l`` prints a
``Switch Name`` table per standard switch and a ``DVS Name`` table per distributed one. Besides
one fact per switch, each listing yields a ``vswitch-listing`` fact with how many switches of a
kind it showed, because "no DVS" is only known when the DVS list was taken and came back empty
(paste the command line with the empty output: an empty file says nothing).
"""

from __future__ import annotations

import re
from typing import Iterable, Iterator

from hakb import Fact, Head, Parser
from hakb.plugins.vmware.storage_common import split_command

_BLOCK_KEY = re.compile(r"^\s{2,}(?P<key>[A-Za-z][A-Za-z ]*?):\s*(?P<value>.*?)\s*$")
_BLOCK_NAME = re.compile(r"^(?P<name>\S.*?)\s*$")
_TABLE = re.compile(r"^\s*(?P<kind>Switch Name|DVS Name)\s+Num Ports\s+Used Ports\s+Configured Ports\s+MTU\s+Uplinks\s*$")
_TABLE_ROW = re.compile(r"^(?P<name>\S.*?)\s+(?P<num>\d+)\s+(?P<used>\d+)\s+(?P<configured>\d+)\s+"
                        r"(?P<mtu>\d+)\s*(?P<uplinks>\S*)\s*$")
_SIGNATURE = re.compile(r"^\s+(Class:\s+(etherswitch|cswitch)|VDS ID:|Num Ports:|Portgroups:|VMware Branded:)")


def _split_list(value: str) -> list[str]:
    return [v.strip() for v in re.split(r"[,\s]+" if "," not in value else r",", value) if v.strip()]


def recognise(head: Head) -> int:
    lines = head.lines
    for line in lines[:200]:
        command = split_command(line, ("esxcli", "esxcfg-vswitch"))
        if command and (command[1][0].endswith("esxcfg-vswitch") or "vswitch" in command[1]):
            return 100
    if any(_TABLE.match(line) for line in lines):
        return 90
    hits = sum(1 for line in lines if _SIGNATURE.match(line))
    return 80 if hits >= 3 else 0


class _Listing:
    """The switches one command printed, per kind, and where the command was."""

    def __init__(self, kind: str, source: str, line: int = 0, text: str = "") -> None:
        self.kinds = {"standard": 0, "dvs": 0} if kind == "both" else {kind: 0}
        self.source, self.line, self.text = source, line, text
        self.first: dict[str, tuple[int, str]] = {}

    def facts(self) -> Iterator[Fact]:
        for kind, count in self.kinds.items():
            line, text = (self.line, self.text) if self.line else self.first.get(kind, (0, ""))
            if line:
                yield Fact("vswitch-listing", {"kind": kind, "count": count, "source": self.source},
                           line=line, text=text)


def _block_fact(block: dict, kind_hint: str, listing: _Listing | None) -> Iterator[Fact]:
    if not block:
        return
    kind = "dvs" if "VDS ID" in block["keys"] or "VMware Branded" in block["keys"] else \
        "standard" if "Portgroups" in block["keys"] else kind_hint
    if kind not in ("standard", "dvs"):
        return
    keys = block["keys"]
    mtu = keys.get("MTU", "")
    if listing is not None and kind in listing.kinds:
        listing.kinds[kind] += 1
        listing.first.setdefault(kind, (block["line"], block["text"]))
    yield Fact("vswitch", {
        "name": keys.get("Name") or block["name"], "kind": kind,
        "mtu": int(mtu) if mtu.isdigit() else None,
        "uplinks": _split_list(keys.get("Uplinks", "")),
        "portgroups": _split_list(keys.get("Portgroups", "")) if kind == "standard" else [],
        "source": "esxcli",
    }, line=block["line"], text=block["text"])


def parse(lines: Iterable[tuple[int, str]], artifact) -> Iterator[Fact]:
    listing: _Listing | None = None
    kind_hint = ""
    block: dict = {}
    table_kind = ""
    for number, text in lines:
        command = split_command(text, ("esxcli", "esxcfg-vswitch"))
        if command:
            yield from _block_fact(block, kind_hint, listing)
            block, table_kind = {}, ""
            if listing:
                yield from listing.facts()
            words = command[1]
            if words[0].endswith("esxcfg-vswitch"):
                kind_hint, listing = "both", _Listing("both", "esxcfg-vswitch", number, text)
            elif "dvs" in words:
                kind_hint, listing = "dvs", _Listing("dvs", "esxcli", number, text)
            elif "standard" in words:
                kind_hint, listing = "standard", _Listing("standard", "esxcli", number, text)
            else:
                kind_hint, listing = "", None
            continue
        table = _TABLE.match(text)
        if table:
            yield from _block_fact(block, kind_hint, listing)
            block = {}
            table_kind = "standard" if table.group("kind") == "Switch Name" else "dvs"
            if listing is None:
                listing = _Listing("both", "esxcfg-vswitch")
            continue
        if table_kind:
            row = _TABLE_ROW.match(text)
            if row and not text.startswith(" "):
                listing.kinds[table_kind] += 1
                listing.first.setdefault("standard", (number, text))
                listing.first.setdefault("dvs", (number, text))
                yield Fact("vswitch", {
                    "name": row.group("name"), "kind": table_kind, "mtu": int(row.group("mtu")),
                    "uplinks": _split_list(row.group("uplinks")), "portgroups": [],
                    "source": "esxcfg-vswitch",
                }, line=number, text=text)
            continue
        key = _BLOCK_KEY.match(text)
        if key and block:
            block["keys"][key.group("key")] = key.group("value")
            continue
        name = _BLOCK_NAME.match(text)
        if name and text.strip() != "--More--":
            yield from _block_fact(block, kind_hint, listing)
            if listing is None:
                listing = _Listing(kind_hint or "both", "esxcli")
            block = {"name": name.group("name"), "line": number, "text": text, "keys": {}}
    yield from _block_fact(block, kind_hint, listing)
    if listing:
        yield from listing.facts()

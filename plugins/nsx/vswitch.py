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
from hakb.sections import parse_prompt
from hakb.sections import split_command

_BLOCK_KEY = re.compile(r"^\s{2,}(?P<key>[A-Za-z][A-Za-z ]*?):\s*(?P<value>.*?)\s*$")
_BLOCK_NAME = re.compile(r"^(?P<name>\S.*?)\s*$")
_TABLE = re.compile(r"^\s*(?P<kind>Switch Name|DVS Name)\s+Num Ports\s+Used Ports\s+Configured Ports\s+MTU\s+"
                    r"Uplinks\s*$")
_TABLE_ROW = re.compile(r"^(?P<name>\S.*?)\s+(?P<num>\d+)\s+(?P<used>\d+)\s+(?P<configured>\d+)\s+"
                        r"(?P<mtu>\d+)\s*(?P<uplinks>\S*)\s*$")
_SIGNATURE = re.compile(r"^\s+(Class:\s+(etherswitch|cswitch)|VDS ID:|Num Ports:|Portgroups:|VMware Branded:)")


def _split_list(value: str) -> list[str]:
    return [v.strip() for v in re.split(r"[,\s]+" if "," not in value else r",", value) if v.strip()]


def _esxcli_kind(words: list[str]) -> str:
    """"standard" / "dvs" for the two esxcli switch lists, "" for any other esxcli command.

    >>> _esxcli_kind("esxcli network vswitch dvs vmware list".split())
    'dvs'
    >>> _esxcli_kind("esxcli network vswitch standard portgroup list".split())
    ''
    """
    rest = [w for w in words[1:] if not w.startswith("-")]
    if rest == ["network", "vswitch", "standard", "list"]:
        return "standard"
    if rest == ["network", "vswitch", "dvs", "vmware", "list"]:
        return "dvs"
    return ""


def recognise(head: Head) -> int:
    lines = head.lines
    for line in lines[:200]:
        command = split_command(line, ("esxcli", "esxcfg-vswitch"))
        if command and (command[1][0].endswith("esxcfg-vswitch") or _esxcli_kind(command[1])):
            return 100
    if any(_TABLE.match(line) for line in lines):
        return 90
    hits = sum(1 for line in lines if _SIGNATURE.match(line))
    return 80 if hits >= 3 else 0


_BARE_PROMPT = re.compile(r"^\s*(\[[^\]]*\]\s*[#$]?|\S*\s*[#$])\s*$")


class _Listing:
    """The switches one command printed, per kind, and where the command was.

    ``kind`` "both" (esxcfg-vswitch -l shows every switch), "standard" or "dvs" (one esxcli list),
    or "" when no command line says which list this is: then only kinds actually seen count.
    """

    def __init__(self, kind: str, source: str, line: int = 0, text: str = "", host: str | None = None) -> None:
        self.host = host
        self.kinds = {"standard": 0, "dvs": 0} if kind == "both" else {kind: 0} if kind else {}
        self.source, self.line, self.text = source, line, text
        self.first: dict[str, tuple[int, str]] = {}

    def facts(self) -> Iterator[Fact]:
        for kind, count in self.kinds.items():
            line, text = (self.line, self.text) if self.line else self.first.get(kind, (0, ""))
            if line:
                yield Fact("vswitch-listing", {"kind": kind, "count": count, "source": self.source},
                           line=line, text=text, host=self.host)


def _block_fact(block: dict, kind_hint: str, listing: _Listing | None) -> Iterator[Fact]:
    if not block or not {"Name", "Class", "Num Ports"} & set(block["keys"]):
        return
    kind = "dvs" if "VDS ID" in block["keys"] or "VMware Branded" in block["keys"] else \
        "standard" if "Portgroups" in block["keys"] else kind_hint
    if kind not in ("standard", "dvs"):
        return
    keys = block["keys"]
    mtu = keys.get("MTU", "")
    if listing is not None and (kind in listing.kinds or not listing.line):
        listing.kinds[kind] = listing.kinds.get(kind, 0) + 1
        listing.first.setdefault(kind, (block["line"], block["text"]))
    yield Fact("vswitch", {
        "name": keys.get("Name") or block["name"], "kind": kind,
        "mtu": int(mtu) if mtu.isdigit() else None,
        "uplinks": _split_list(keys.get("Uplinks", "")),
        "portgroups": _split_list(keys.get("Portgroups", "")) if kind == "standard" else [],
        "source": "esxcli",
    }, line=block["line"], text=block["text"], host=listing.host if listing else None)


def parse(lines: Iterable[tuple[int, str]], artifact) -> Iterator[Fact]:
    own_host = getattr(artifact, "host", None) is None
    host = None  # from the prompt, for pasted output that no host folder attributes
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
            prompt = parse_prompt(text)
            if own_host and prompt and prompt.host:
                host = prompt.host
            words = command[1]
            if words[0].endswith("esxcfg-vswitch"):
                kind_hint, listing = "both", _Listing("both", "esxcfg-vswitch", number, text, host)
            elif _esxcli_kind(words):
                kind_hint = _esxcli_kind(words)
                listing = _Listing(kind_hint, "esxcli", number, text, host)
            else:
                kind_hint, listing = "", None
            continue
        table = _TABLE.match(text)
        if table:
            yield from _block_fact(block, kind_hint, listing)
            block = {}
            table_kind = "standard" if table.group("kind") == "Switch Name" else "dvs"
            if listing is None:
                listing = _Listing("both", "esxcfg-vswitch", host=host)
            continue
        if table_kind:
            row = _TABLE_ROW.match(text)
            if row and not text.startswith(" "):
                listing.kinds[table_kind] = listing.kinds.get(table_kind, 0) + 1
                listing.first.setdefault("standard", (number, text))
                listing.first.setdefault("dvs", (number, text))
                yield Fact("vswitch", {
                    "name": row.group("name"), "kind": table_kind, "mtu": int(row.group("mtu")),
                    "uplinks": _split_list(row.group("uplinks")), "portgroups": [],
                    "source": "esxcfg-vswitch",
                }, line=number, text=text, host=listing.host)
            continue
        key = _BLOCK_KEY.match(text)
        if key and block:
            block["keys"][key.group("key")] = key.group("value")
            continue
        name = _BLOCK_NAME.match(text)
        if name and text.strip() != "--More--" and not _BARE_PROMPT.match(text):
            yield from _block_fact(block, kind_hint, listing)
            if listing is None:
                listing = _Listing("", "esxcli", host=host)
            block = {"name": name.group("name"), "line": number, "text": text, "keys": {}}
    yield from _block_fact(block, kind_hint, listing)
    if listing:
        yield from listing.facts()


PARSERS = [
    Parser("nsx-vswitch-list", recognise, parse,
           "esxcli network vswitch standard/dvs list, esxcfg-vswitch -l: a host's virtual switches"),
]

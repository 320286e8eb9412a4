"""A host's virtual switches, whatever tool listed them, and how many of each kind a list showed.

NSX builds its logical switches on vSphere Distributed Switches, so a host that only has standard
vSwitches cannot be prepared. The switches come as objects (the core's reading layer gives the
records, :mod:`hakb.reading`):

* ``esxcli network vswitch standard list`` / ``dvs vmware list``: ``Name: value`` blocks by
  default, or ``--formatter=csv|keyvalue|xml|json`` (a DVS has ``VDS ID``, a standard switch
  ``Portgroups``);
* ``esxcli network vswitch dvs vmware vxlan list``: the distributed switches that carry VXLAN
  (``VDS Name``, ``MTU``, ``Segment ID``); it proves a DVS, but no DVS in it proves nothing;
* ``esxcfg-vswitch -l``: a ``Switch Name`` table per standard switch and a ``DVS Name`` table
  per distributed one (the port group tables in between are not switches);
* PowerCLI ``Get-VirtualSwitch`` and ``Get-VDSwitch`` in any shape (``fl``, ``ft``, Export-Csv,
  ConvertTo-Json, Export-Clixml): the kind from the object's type name or properties (a standard
  switch has ``Nic``, ``VMHostId``; a distributed one ``Version``, ``Vendor``) or the command
  (``-Standard``, ``Get-VDSwitch``); the host from ``VMHost`` or the command's ``-VMHost``.

Besides one ``vswitch`` fact per switch, each list yields a ``vswitch-listing`` fact per kind it
covers with how many switches of that kind it showed, because "no DVS" is only known when the DVS
list was taken and came back empty: that is the section of the command with nothing after it.
The count is of a whole section, so this is a parser over the section's records, not an object
parser (those map one record at a time).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterable, Iterator

from hakb import Fact, Head, ParseError, Parser
from hakb.hosts import short_name
from hakb.reading import Record, parse_records
from hakb.sections import command_segments
from hakb.plugins.nsx.common import command_host, head_records, integer, items, present

_ESXCLI_LISTS = {("network", "vswitch", "standard", "list"): "standard",
                 ("network", "vswitch", "dvs", "vmware", "list"): "dvs"}
_VXLAN_LIST = ("network", "vswitch", "dvs", "vmware", "vxlan", "list")
_ESXCLI_VALUED = {"--formatter", "-f", "--server", "-s", "--username", "-u", "--password", "-p",
                  "--config", "-c", "--vihost", "-h", "--thumbprint", "-d", "--sessionfile"}
_DVS_TYPE = re.compile(r"VDSwitch|DistributedSwitch|DistributedVirtualSwitch", re.I)
_STANDARD_TYPE = re.compile(r"\.VirtualSwitchImpl$|HostVirtualSwitch$", re.I)
_STANDARD_PROPERTIES = ("Nic", "NumPortsAvailable", "VMHostId")
_DVS_PROPERTIES = ("Version", "Vendor", "NumUplinkPorts", "Datacenter", "LinkDiscoveryProtocol")
_KINDS = ("standard", "dvs")
#: An empty list in a structured format: esxcli XML with no structure in its list, JSON ``[]``.
_EMPTY_DOCUMENT = re.compile(r"^\s*(?:(?:<[^<>]*>\s*)+|\[\s*\])$")


@dataclass(frozen=True)
class Listing:
    """What a command line lists: the switch kinds it prints, the kinds it shows completely for
    one host (so none of a kind proves there is none), the tool, and the host it names ("" when
    the section's host is meant)."""

    prints: frozenset
    complete: frozenset
    source: str
    host: str = ""


def _esxcli_words(words: list[str]) -> tuple[str, ...]:
    """The namespace and command of an esxcli line, without global options and their values."""
    rest, skip = [], False
    for word in words[1:]:
        if skip:
            skip = False
        elif word.startswith("-"):
            skip = "=" not in word and word.lower() in _ESXCLI_VALUED
        else:
            rest.append(word.lower())
    return tuple(rest)


def listing_of(command: str) -> Listing | None:
    """The switch list ``command`` prints, or None when it prints none.

    >>> listing_of("esxcli --formatter=xml network vswitch dvs vmware list").complete
    frozenset({'dvs'})
    >>> listing_of("esxcli network vswitch standard portgroup list") is None
    True
    >>> sorted(listing_of("Get-VMHost esx01 | Get-VirtualSwitch | Export-Csv s.csv").complete)
    ['dvs', 'standard']
    >>> sorted(listing_of("Get-VirtualSwitch | ft").complete)  # which host's DVS? none proven
    ['standard']
    """
    for words in command_segments(command or ""):
        program = words[0].lower()
        if program in ("esxcli", "localcli"):
            namespace = _esxcli_words(words)
            kind = _ESXCLI_LISTS.get(namespace)
            if kind:
                return Listing(frozenset({kind}), frozenset({kind}), "esxcli")
            if namespace == _VXLAN_LIST:
                return Listing(frozenset({"dvs"}), frozenset(), "esxcli")
        elif program == "esxcfg-vswitch":
            if "-l" in words or "--list" in words:
                return Listing(frozenset(_KINDS), frozenset(_KINDS), "esxcfg-vswitch")
        elif program in ("get-vdswitch", "get-virtualswitch"):
            options = {w.lower() for w in words[1:]}
            if program == "get-vdswitch" or "-distributed" in options:
                kinds = frozenset({"dvs"})
            elif "-standard" in options:
                kinds = frozenset({"standard"})
            else:
                kinds = frozenset(_KINDS)
            host = command_host(command)
            # a distributed switch object names no host: only one host's list proves there is none
            complete = kinds if host else kinds - {"dvs"}
            return Listing(kinds, complete, "powercli", host)
    return None


@dataclass(frozen=True)
class Switch:
    kind: str
    name: str
    mtu: int | None
    uplinks: list
    portgroups: list
    source: str
    host: str
    line: int
    text: str


def _powercli_kind(record: Record, listing: Listing | None) -> str:
    if _DVS_TYPE.search(record.type_name):
        return "dvs"
    if _STANDARD_TYPE.search(record.type_name):
        return "standard"
    if any(name in record for name in _STANDARD_PROPERTIES):
        return "standard"
    if any(name in record for name in _DVS_PROPERTIES):
        return "dvs"
    ident = record.get("Id") or ""
    if ident.startswith("key-vim.host.VirtualSwitch"):
        return "standard"
    if "DistributedVirtualSwitch" in ident:
        return "dvs"
    if listing is not None and len(listing.prints) == 1:
        return next(iter(listing.prints))
    return ""  # Get-VirtualSwitch's default table does not say which kind a switch is


def switch_of(record: Record, listing: Listing | None) -> Switch | None:
    """The switch a record describes, or None (a port group, a DVPort, anything else)."""
    if "VDS Name" in record and "Segment ID" in record:  # the VXLAN list: switches by VDS name
        kind, where = "dvs", "VDS Name"
        name, source, host, uplinks, portgroups = present(record.get(where)), "esxcli", "", [], []
    elif "Switch Name" in record or "DVS Name" in record:
        kind = "standard" if "Switch Name" in record else "dvs"
        where = "Switch Name" if kind == "standard" else "DVS Name"
        name = present(record.get(where))
        source, host, uplinks, portgroups = "esxcfg-vswitch", "", items(record, "Uplinks"), []
    else:
        where = "Name"
        name = present(record.get("Name"))
        if not name or not ({"mtu", "numports", "uplinks"} & record.keys()):
            return None
        if "Class" in record or "VDS ID" in record or "Portgroups" in record:  # esxcli, any format
            if "VDS ID" in record or "VMware Branded" in record:
                kind = "dvs"
            elif "Portgroups" in record:
                kind = "standard"
            else:
                kind = next(iter(listing.prints)) if listing and len(listing.prints) == 1 else ""
            source, host = "esxcli", ""
            uplinks = items(record, "Uplinks")
            portgroups = items(record, "Portgroups") if kind == "standard" else []
        elif "NumPorts" in record:  # PowerCLI: every switch object has it, a VMkernel adapter not
            kind = _powercli_kind(record, listing)
            source = "powercli"
            host = "" if record.is_truncated("VMHost") else present(record.first("VMHost.Name", "VMHost"))
            host = host or (listing.host if listing else "")
            uplinks, portgroups = items(record, "Nic"), []
        else:
            return None
    if kind not in _KINDS or not name:
        return None
    return Switch(kind, name, integer(record.get("MTU")), uplinks, portgroups, source, host,
                  record.line(where), record.text(where))


#: Words one of which any switch listing has (lower case): a cheap test before records are read.
_HINTS = ("num ports", "numports", "switch name", "dvs name", "vds id", "vdsid", "portgroups",
          "segment id", "virtualswitch", "vdswitch", "nic ")


def recognise(head: Head) -> int:
    if listing_of(head.command) is not None:
        return 100
    text = head.text.lower()
    if not any(hint in text for hint in _HINTS):
        return 0
    return 90 if any(switch_of(r, None) for r in head_records(head)) else 0


def parse(lines: Iterable[tuple[int, str]], artifact) -> Iterator[Fact]:
    section = artifact.section
    command = section.command if section is not None else ""
    listing = listing_of(command)
    seen: dict[str, object] = {"first": None, "output": False}

    def watched(source: Iterable[tuple[int, str]]) -> Iterator[tuple[int, str]]:
        for number, text in source:
            if seen["first"] is None:
                seen["first"] = (number, text)
            elif text.strip() and not _EMPTY_DOCUMENT.match(text):
                seen["output"] = True
            yield number, text

    counts: dict[tuple[str, str], int] = {}
    first: dict[tuple[str, str], Switch] = {}
    unknown = 0  # switches whose kind the shape does not say (Get-VirtualSwitch's default table)
    for record in parse_records(watched(lines), command):
        found = switch_of(record, listing)
        if found is None:
            unknown += bool(present(record.get("Name")) and "NumPorts" in record)
            continue
        counts[(found.host, found.kind)] = counts.get((found.host, found.kind), 0) + 1
        first.setdefault((found.host, found.kind), found)
        yield Fact("vswitch", {"name": found.name, "kind": found.kind, "mtu": found.mtu,
                               "uplinks": found.uplinks, "portgroups": found.portgroups,
                               "source": found.source},
                   line=found.line, text=found.text, host=found.host or None)
    if listing is not None and not counts and seen["output"]:
        if unknown:
            raise ParseError(f"line {seen['first'][0]}: the output of {command!r} does not say which switch "
                             "is standard and which distributed (collect it with -Standard, or | Format-List)")
        raise ParseError(f"line {seen['first'][0]}: the output of {command!r} shows no switch "
                         "(an error message, or a shape the reader does not know)")
    command_line = seen["first"] if listing is not None else None
    yield from _listings(listing, counts, first, command_line)


def _listings(listing: Listing | None, counts: dict, first: dict,
              command_line: tuple[int, str] | None) -> Iterator[Fact]:
    """One vswitch-listing per host and kind: each kind the command shows completely (0 when it
    showed none), and each kind it showed. Evidence: the command line, else the first switch."""
    hosts = {host for host, _ in counts}
    named = listing.host if listing is not None else ""
    if named:  # the command's -VMHost esx01 is the esx01.lab.example its objects name
        named = next((h for h in sorted(hosts, key=len, reverse=True) if short_name(h) == short_name(named)), named)
    if listing is not None and (named or not hosts):
        hosts.add(named)
    for host in sorted(hosts):
        kinds = {kind for h, kind in counts if h == host}
        if listing is not None and (host == named or "dvs" not in listing.complete):
            kinds |= set(listing.complete)
        for kind in _KINDS:
            if kind not in kinds:
                continue
            switch = first.get((host, kind))
            line, text = command_line or ((switch.line, switch.text) if switch else (0, ""))
            if not line:
                continue
            source = listing.source if listing is not None else switch.source
            yield Fact("vswitch-listing", {"kind": kind, "count": counts.get((host, kind), 0), "source": source},
                       line=line, text=text, host=host or None)


PARSERS = [
    Parser("nsx-vswitch-list", recognise, parse,
           "esxcli network vswitch standard/dvs list (any format), esxcfg-vswitch -l, PowerCLI "
           "Get-VirtualSwitch / Get-VDSwitch: a host's virtual switches, and how many of each kind"),
]

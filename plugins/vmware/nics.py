"""Which host owns a MAC address: ESXi NIC listings and PowerCLI inventory exports.

A VMFS lock names its holder only by the MAC in the owner UUID; these listings turn it into a
host. Read here (pasted with a prompt or as vm-support ``commands/`` files)::

    ~ # esxcfg-nics -l
    Name    PCI          Driver  Link Speed     Duplex MAC Address       MTU    Description
    vmnic0  0000:02:00.0 ntg3    Up   1000Mbps  Full   00:50:56:0a:01:01 1500   Broadcom BCM5720

and ``esxcli network nic list``, ``esxcli network ip interface list`` (blocks per vmk, with
``esxcli network ip interface ipv4 get`` supplying addresses), ``esxcfg-vmknic -l``,
``vmkfstools --activehosts <datastore>`` (hosts heartbeating on a volume, by MAC) and
``Get-VMHostNetworkAdapter | Export-Csv`` (columns VMHost, Name, Mac, ... in any order).
MACs are normalised (lower case, colons) so they compare whatever notation a tool printed.
"""

from __future__ import annotations

import csv
import re
from typing import Iterable, Iterator

from hakb import Artifact, Fact, Head, Parser
from hakb.plugins.vmware.common import datastore_of, normalise_mac
from hakb.sections import clean_line, parse_prompt

_MAC = r"[0-9A-Fa-f]{2}(?:[:-][0-9A-Fa-f]{2}){5}"
_ESXCFG_NICS_HEADER = re.compile(r"^\s*Name\s+PCI\s+Driver\s+Link\s+Speed\s+Duplex\s+MAC\s+Address\s+MTU\b")
_ESXCLI_NIC_HEADER = re.compile(r"^\s*Name\s+PCI\s+Device\s+Driver\s+.*\bMAC\s+Address\s+MTU\b")
_VMKNIC_HEADER = re.compile(r"^\s*Interface\s+Port\s+Group.*\bMAC\s+Address\s+MTU\b")
_IPV4_HEADER = re.compile(r"^\s*Name\s+IPv4\s+Address\s+IPv4\s+Netmask\b")
# A table row: name first, then (somewhere) the MAC followed by the MTU.
_TABLE_ROW = re.compile(rf"^\s*(?P<name>\S+)\s+.*?(?P<mac>{_MAC})\s+(?P<mtu>\d+)\b")
_VMKNIC_ROW = re.compile(rf"^\s*(?P<name>vmk\d+)\s+(?P<pg>.+?)\s+IPv[46]\s+(?P<ip>\S+)\s+.*?"
                         rf"(?P<mac>{_MAC})\s+(?P<mtu>\d+)\b(?P<rest>.*)$")
_IPV4_ROW = re.compile(r"^\s*(?P<name>vmk\d+)\s+(?P<ip>\d{1,3}(?:\.\d{1,3}){3})\b")
_BLOCK_FIELD = re.compile(r"^\s*(?P<key>[A-Za-z][A-Za-z0-9 ]*?):\s*(?P<value>.*)$")
_BLOCK_NAME = re.compile(r"^\s*Name:\s*(?P<name>vmk\d+)\s*$")
_BLOCK_TITLE = re.compile(r"^(?P<name>vmk\d+)\s*$")
_ACTIVE_FOUND = re.compile(r"actively heartbeating hosts on volume\s+'(?P<volume>[^']*)'")
_ACTIVE_HOST = re.compile(rf"^\s*\(\d+\):\s*MAC address\s+(?P<mac>{_MAC})")
# "--activehosts", or an en/em dash where a web page pasted the option.
_ACTIVE_COMMAND = re.compile(
    r"vmkfstools\s+(?:.*?\s)?[-\u2013\u2014]{1,2}activehosts\s+(?P<ds>\"[^\"]+\"|'[^']+'|\S+)")
_CSV_TYPE = re.compile(r"^\s*#TYPE\s")
_NA = {"n/a", "na", "-", "", "none", "null"}

#: Inventory CSV columns (lower case) read for each slot, best first.
_CSV_COLUMNS = {
    "host": ("vmhost", "vmhostname", "host", "hostname", "esxhost"),
    "name": ("name", "devicename", "device"),
    "mac": ("mac", "macaddress", "mac address"),
    "mtu": ("mtu",),
    "ip": ("ip", "ipaddress", "ip address"),
    "portgroup": ("portgroupname", "portgroup"),
}
_IP_INTERFACE_KEYS = {"name", "mac address", "enabled", "portset", "portgroup", "netstack instance",
                      "vds name", "vds uuid", "vds port", "vds connection", "mtu", "tso mss",
                      "port id", "opaque network id", "opaque network type", "external id",
                      "rxdispqueue size"}


def _value(text: str) -> str:
    text = text.strip().strip('"')
    return "" if text.lower() in _NA else text


def _int(text: str) -> int | None:
    try:
        return int(str(text).strip())
    except ValueError:
        return None


def _csv_columns(text: str) -> tuple[dict[str, int], str]:
    """Column index per slot of an inventory CSV header, and its delimiter; ({}, d) if not one."""
    delimiter = ";" if text.count(";") > text.count(",") else ","
    try:
        cells = next(csv.reader([text], delimiter=delimiter))
    except (csv.Error, StopIteration):
        return {}, delimiter
    names = [c.strip().lower() for c in cells]
    columns = {}
    for slot, candidates in _CSV_COLUMNS.items():
        for candidate in candidates:
            if candidate in names:
                columns[slot] = names.index(candidate)
                break
    if "mac" not in columns or not ({"host", "name"} & set(columns)):
        return {}, delimiter
    return columns, delimiter


def _listing_header(text: str) -> tuple[str, str] | None:
    """(mode, detail) when ``text`` starts a listing: the table's source, the datastore, ..."""
    if _ESXCFG_NICS_HEADER.match(text):
        return "table", "esxcfg-nics"
    if _ESXCLI_NIC_HEADER.match(text):
        return "table", "esxcli-nic-list"
    if _VMKNIC_HEADER.match(text):
        return "vmknic", ""
    if _IPV4_HEADER.match(text):
        return "ipv4", ""
    found = _ACTIVE_FOUND.search(text)
    if found:
        return "active", datastore_of(found.group("volume")) or found.group("volume")
    if ("," in text or ";" in text) and _csv_columns(text)[0]:
        return "csv", ""
    return None


def _nic(name: str, mac: str, source: str, line: int, text: str, host: str | None, mtu=None,
         netstack: str = "", portgroup: str = "", vds: str = "", ip: str = "") -> Fact | None:
    mac = normalise_mac(mac)
    if not mac:
        return None
    slots = {"name": name, "mac": mac, "netstack": netstack, "portgroup": portgroup, "vds": vds,
             "ip": ip, "source": source}
    if mtu is not None:
        slots["mtu"] = mtu
    return Fact("host-nic", slots, line=line, text=text, host=host)


class NicReader:
    """Reads NIC listings from a stream of lines (several listings, prompts and noise allowed).

    Tables are read row by row; ``esxcli network ip interface list`` blocks are kept until the
    artifact ends so addresses from ``ipv4 get`` can be joined to them (a handful of interfaces).
    """

    def __init__(self, host_from_prompt: bool = True) -> None:
        self.host_from_prompt = host_from_prompt
        self.host: str | None = None
        self.mode = ""               # table | vmknic | ipv4 | block | active | csv
        self.source = ""
        self.datastore = ""
        self.columns: dict[str, int] = {}
        self.delimiter = ","
        self.block: dict[str, tuple[str, int, str]] = {}
        self.interfaces: list[tuple[dict[str, tuple[str, int, str]], str | None]] = []
        self.addresses: dict[tuple[str | None, str], str] = {}
        self.vmknics: set[tuple[str | None, str]] = set()

    def feed(self, number: int, raw: str) -> list[Fact]:
        text = clean_line(raw)
        out: list[Fact] = []
        prompt = parse_prompt(text)
        if prompt is not None:
            self._end_block()
            if prompt.host and self.host_from_prompt:
                self.host = prompt.host
            self._command(prompt.command)
            return out
        if not text.strip():
            return out
        if self._header(text):
            self._end_block()
            return out
        active = _ACTIVE_HOST.match(text)
        if active:
            return out + [Fact("vmfs-active-host", {"datastore": self.datastore,
                                                    "mac": normalise_mac(active.group("mac"))},
                               line=number, text=raw, host=self.host)]
        if self.mode == "block" or _BLOCK_NAME.match(text) or _BLOCK_TITLE.match(text):
            self._block_line(number, raw, text)
            return out
        if self.mode == "table":
            row = _TABLE_ROW.match(text)
            if row:
                fact = _nic(row.group("name"), row.group("mac"), self.source, number, raw, self.host,
                            mtu=_int(row.group("mtu")))
                out += [fact] if fact else []
        elif self.mode == "vmknic":
            row = _VMKNIC_ROW.match(text)
            # An interface with IPv4 and IPv6 has a row for each: report it once.
            if row and (self.host, row.group("name")) not in self.vmknics:
                self.vmknics.add((self.host, row.group("name")))
                rest = row.group("rest").split()
                netstack = rest[-1] if rest and rest[-1] not in ("true", "false", "STATIC", "DHCP") else ""
                fact = _nic(row.group("name"), row.group("mac"), "esxcfg-vmknic", number, raw,
                            self.host, mtu=_int(row.group("mtu")), netstack=netstack,
                            portgroup=_value(row.group("pg")), ip=_value(row.group("ip")))
                out += [fact] if fact else []
        elif self.mode == "ipv4":
            row = _IPV4_ROW.match(text)
            if row:
                self.addresses[(self.host, row.group("name"))] = row.group("ip")
        elif self.mode == "csv" and not _CSV_TYPE.match(text):
            fact = self._csv_row(number, raw, text)
            out += [fact] if fact else []
        return out

    def close(self) -> list[Fact]:
        self._end_block()
        out = []
        for block, host in self.interfaces:
            fact = self._interface_fact(block, host)
            if fact:
                out.append(fact)
        self.interfaces.clear()
        return out

    # -- modes --------------------------------------------------------------------------------

    def _command(self, command: str) -> None:
        """Switch mode from a pasted command line; the listing's header confirms it."""
        self.mode = ""
        active = _ACTIVE_COMMAND.search(command)
        if active:
            volume = active.group("ds").strip("'\"")
            self.mode, self.datastore = "active", datastore_of(volume) or volume.rstrip("/")
        elif re.search(r"\b(?:esx|local)cli\s+network\s+ip\s+interface\s+list\b", command):
            self.mode = "block"

    def _header(self, text: str) -> bool:
        """Switch mode when ``text`` is the header of a listing; True when it was one."""
        kind = _listing_header(text)
        if kind is None:
            return False
        mode, detail = kind
        self.mode = mode
        if mode == "table":
            self.source = detail
        elif mode == "active":
            self.datastore = detail
        elif mode == "csv":
            self.columns, self.delimiter = _csv_columns(text)
        return True

    def _csv_row(self, number: int, raw: str, text: str) -> Fact | None:
        try:
            cells = next(csv.reader([text], delimiter=self.delimiter))
        except (csv.Error, StopIteration):
            return None

        def cell(slot: str) -> str:
            at = self.columns.get(slot)
            return _value(cells[at]) if at is not None and at < len(cells) else ""

        host = cell("host") or self.host
        return _nic(cell("name"), cell("mac"), "inventory-csv", number, raw, host,
                    mtu=_int(cell("mtu")), portgroup=cell("portgroup"), ip=cell("ip"))

    # -- esxcli network ip interface list -------------------------------------------------------

    def _block_line(self, number: int, raw: str, text: str) -> None:
        title = _BLOCK_TITLE.match(text)
        name = _BLOCK_NAME.match(text)
        if title or (name and "name" in self.block):
            self._end_block()
        if title:
            self.mode = "block"
            return
        field = _BLOCK_FIELD.match(text)
        if field and field.group("key").strip().lower() in _IP_INTERFACE_KEYS:
            self.mode = "block"
            self.block[field.group("key").strip().lower()] = (field.group("value"), number, raw)

    def _end_block(self) -> None:
        if self.block:
            self.interfaces.append((self.block, self.host))
        self.block = {}

    def _interface_fact(self, block: dict[str, tuple[str, int, str]], host: str | None) -> Fact | None:
        def get(key: str) -> str:
            return _value(block[key][0]) if key in block else ""

        if "mac address" not in block:
            return None
        _, line, raw = block["mac address"]
        name = get("name")
        return _nic(name, get("mac address"), "esxcli-ip-interface", line, raw, host,
                    mtu=_int(get("mtu")), netstack=get("netstack instance"),
                    portgroup=get("portgroup"), vds=get("vds name"),
                    ip=self.addresses.get((host, name), ""))


def recognise(head: Head) -> int:
    """90 when a NIC listing's header, an ip-interface block or --activehosts output is present."""
    lines = [clean_line(line) for line in head.lines[:3000]]
    named = mac = False
    for text in lines:
        if _ACTIVE_HOST.match(text) or _listing_header(text):
            return 90
        named = named or bool(_BLOCK_NAME.match(text))
        mac = mac or text.strip().startswith("MAC Address:")
        if named and mac:  # esxcli network ip interface list
            return 90
    return 0


def parse(lines: Iterable[tuple[int, str]], artifact: Artifact) -> Iterator[Fact]:
    reader = NicReader(host_from_prompt=artifact.host is None)
    for number, text in lines:
        yield from reader.feed(number, text)
    yield from reader.close()


PARSERS = [
    Parser("vmware-nics", recognise, parse,
           "esxcfg-nics -l, esxcli network nic / ip interface list, esxcfg-vmknic -l, "
           "vmkfstools --activehosts, PowerCLI NIC CSV exports -> host-nic, vmfs-active-host"),
]

"""Adapter IP configuration as objects: ``ipconfig /all`` (English/German blocks with dot
leaders), ``netsh interface ipv4 show config``, ``Get-NetIPConfiguration``, ``Get-DnsClient``
and ``Get-NetAdapter`` in any shape (``fl``, tables, ``Export-Csv``, ``ConvertTo-Json``).

    Ethernet adapter Replication:
       Default Gateway . . . . . . . . . : 192.0.2.1
       DNS Servers . . . . . . . . . . . : 198.51.100.10

A DAG replication adapter should have neither a gateway nor DNS servers, so these are kept as
lists; the adapter's role is guessed from its name (``Replication``, ``DAG``, ``Heartbeat``).
ipconfig's ``Host Name`` names the machine (a ``host-name`` fact).
"""

from __future__ import annotations

import ipaddress
import re
from typing import Iterator

from hakb import Fact
from hakb.formats import parse_bool
from hakb.reading import Record, key
from hakb.shapes import evidence, shape

from hakb.plugins.windows.objects import enum, first, guarded
from hakb.shapes import object_parser

_ROLE_REPLICATION = re.compile(r"repl|replik|\bdag\b|dag[-_ ]?net", re.I)
_ROLE_HEARTBEAT = re.compile(r"heartbeat|\bhb\b|private|privat|cluster", re.I)
_IPV4 = re.compile(r"\b(\d{1,3}(?:\.\d{1,3}){3})\b")


def role_of(name: str, description: str = "") -> str:
    """``replication`` or ``heartbeat`` when an adapter's name says so, else ""."""
    if _ROLE_REPLICATION.search(name or ""):
        return "replication"
    if _ROLE_HEARTBEAT.search(name or ""):
        return "heartbeat"
    return ""


def subnet(ip: str, mask: str) -> str:
    """``192.0.2.11`` + ``255.255.255.0`` (or ``24``) -> ``192.0.2.0/24``; "" when either is not valid."""
    try:
        return str(ipaddress.ip_interface(f"{ip}/{mask}").network)
    except ValueError:
        return ""


def ipv4s(text: str) -> list[str]:
    return [ip for ip in _IPV4.findall(text or "") if not ip.startswith("0.")]


def _addresses(record: Record, *names: str) -> list[str]:
    """IPv4 addresses of the first of ``names`` the record has, with its items (continuation
    lines, JSON arrays)."""
    for name in names:
        value = record.value(name)
        if value is not None:
            return ipv4s(", ".join(value.items) if value.items else value.value)
    return []


def _members(record: Record, base: str, member: str) -> list[str]:
    """``base[0].member``, ``base[1].member`` ...: an array of objects flattened by the JSON and
    Clixml readers (``IPv4Address[0].IPAddress``)."""
    found, index = [], 0
    while f"{base}[{index}].{member}" in record or (index == 0 and f"{base}.{member}" in record):
        name = f"{base}[{index}].{member}" if f"{base}[{index}].{member}" in record else f"{base}.{member}"
        found.append(record.get(name) or "")
        index += 1
        if name == f"{base}.{member}":
            break
    return found


# --- ipconfig /all -----------------------------------------------------------------------------

_ADAPTER = re.compile(r"^(?P<kind>.*?)(?:adapter|Adapter)\s+(?P<name>.+?)\s*:?\s*$")
#: Fields of ipconfig's first block (English and German): they tell it from other host names.
IPCONFIG_HEADER = {"host name", "hostname", "primary dns suffix", "primäres dns-suffix", "node type", "knotentyp",
                   "ip routing enabled", "ip-routing aktiviert", "wins proxy enabled", "wins-proxy aktiviert",
                   "dns suffix search list", "dns-suffixsuchliste"}
_HEADER_KEYS = {key(n) for n in IPCONFIG_HEADER}


def ipconfig_host(record: Record) -> Iterator[Fact]:
    host = first(record, "Host Name", "Hostname")
    if host:
        line, text = evidence(record, "Host Name", "Hostname")
        yield Fact("host-name", {"name": host, "source": "ipconfig"}, line=line, text=text)


def _is_ipconfig_header(record: Record) -> bool:
    return record.shape == "blocks" and not record.title and record.keys() <= _HEADER_KEYS


def ipconfig_adapter(record: Record) -> Iterator[Fact]:
    match = _ADAPTER.match(record.title)
    name = match.group("name").strip() if match else record.title
    ips = _addresses(record, "IPv4 Address", "IP Address", "IPv4-Adresse", "IP-Adresse",
                     "Autoconfiguration IPv4 Address", "Autokonfiguration IPv4-Adresse")
    masks = _addresses(record, "Subnet Mask", "Subnetzmaske")
    description = first(record, "Description", "Beschreibung")
    slots = {"adapter": name, "description": description, "role": role_of(name, description), "ips": ips,
             "subnets": [s for s in (subnet(ip, mask) for ip, mask in zip(ips, masks)) if s],
             "gateways": _addresses(record, "Default Gateway", "Standardgateway"),
             "dns_servers": _addresses(record, "DNS Servers", "DNS-Server"), "source": "ipconfig"}
    dhcp = parse_bool(first(record, "DHCP Enabled", "DHCP aktiviert"))
    if dhcp is not None:
        slots["dhcp"] = dhcp
    line, text = evidence(record, "Description", "Beschreibung", *record.names()[:1])
    yield Fact("ip-interface", slots, line=line, text=text)


def _is_ipconfig_adapter(record: Record) -> bool:
    return record.shape == "blocks" and bool(_ADAPTER.match(record.title)) and len(record) > 0


# --- netsh interface ipv4 show config ----------------------------------------------------------

_NETSH = re.compile(r'^(?:Configuration for interface|Konfiguration (?:für|der) Schnittstelle)\s+"(?P<name>[^"]+)"',
                    re.I)


def netsh_config(record: Record) -> Iterator[Fact]:
    name = _NETSH.match(record.title).group("name")
    register = first(record, "Register with which suffix", "Mit folgendem Suffix registrieren")
    if register:
        line, text = evidence(record, "Register with which suffix", "Mit folgendem Suffix registrieren")
        yield Fact("ip-dns-registration", {"adapter": name, "register": register.lower() not in ("none", "keine"),
                                           "source": "netsh"}, line=line, text=text)
    ips = _addresses(record, "IP Address", "IP-Adresse")
    if not ips:
        return
    prefixes = re.findall(r"\d{1,3}(?:\.\d{1,3}){3}/\d{1,2}", first(record, "Subnet Prefix", "Subnetzpräfix"))
    slots = {"adapter": name, "description": "", "role": role_of(name), "ips": ips,
             "subnets": [str(ipaddress.ip_network(p, strict=False)) for p in prefixes],
             "gateways": _addresses(record, "Default Gateway", "Standardgateway"),
             "dns_servers": _addresses(record, "Statically Configured DNS Servers",
                                       "DNS servers configured through DHCP",
                                       "Statisch konfigurierte DNS-Server", "Über DHCP konfigurierte DNS-Server"),
             "source": "netsh"}
    dhcp = parse_bool(first(record, "DHCP enabled", "DHCP aktiviert"))
    if dhcp is not None:
        slots["dhcp"] = dhcp
    line, text = evidence(record, "IP Address", "IP-Adresse")
    yield Fact("ip-interface", slots, line=line, text=text)


# --- cmdlets -------------------------------------------------------------------------------------

def net_ip_configuration(item: Record) -> Iterator[Fact]:
    name = first(item, "InterfaceAlias")
    line, text = evidence(item, "InterfaceAlias")
    ips = _members(item, "IPv4Address", "IPAddress") or _addresses(item, "IPv4Address")
    prefix = first(item, "IPv4Address[0].PrefixLength", "IPv4Address.PrefixLength", "PrefixLength")
    gateways = _members(item, "IPv4DefaultGateway", "NextHop") or _addresses(item, "IPv4DefaultGateway")
    dns = [ip for value in _members(item, "DNSServer", "ServerAddresses") for ip in ipv4s(value)] \
        or _addresses(item, "DNSServer")
    slots = {"adapter": name, "description": first(item, "InterfaceDescription"), "role": role_of(name),
             "ips": ips, "subnets": [s for s in (subnet(ip, prefix) for ip in ips) if s] if prefix else [],
             "gateways": [g for g in gateways if g and not g.startswith("0.")], "dns_servers": dns,
             "source": "Get-NetIPConfiguration"}
    dhcp = first(item, "NetIPv4Interface.DHCP", "NetIPv4Interface.Dhcp")
    if dhcp:
        slots["dhcp"] = enum(dhcp, {0: "Disabled", 1: "Enabled"}).lower() == "enabled"
    yield Fact("ip-interface", slots, line=line, text=text)


def dns_client(item: Record) -> Iterator[Fact]:
    register = parse_bool(item.get("RegisterThisConnectionsAddress"))
    if register is None:
        return
    line, text = evidence(item, "RegisterThisConnectionsAddress")
    yield Fact("ip-dns-registration", {"adapter": first(item, "InterfaceAlias"), "register": register,
                                       "source": "Get-DnsClient"}, line=line, text=text)


def net_adapter(item: Record) -> Iterator[Fact]:
    line, text = evidence(item, "Name")
    yield Fact("network-adapter", {
        "name": first(item, "Name"), "description": first(item, "InterfaceDescription"),
        "index": first(item, "ifIndex", "InterfaceIndex"), "status": first(item, "Status"),
        "mac": first(item, "MacAddress").replace("-", ":").lower(), "speed": first(item, "LinkSpeed"),
        "source": "Get-NetAdapter"}, line=line, text=text)


SHAPES = [
    guarded("ipconfig", {"host name"}, ipconfig_host, _is_ipconfig_header, commands=("ipconfig",)),
    guarded("ipconfig", {"hostname"}, ipconfig_host, _is_ipconfig_header, commands=("ipconfig",)),
    guarded("ipconfig", (), ipconfig_adapter, _is_ipconfig_adapter, commands=("ipconfig",)),
    guarded("netsh interface ipv4 show config", (), netsh_config,
            lambda r: r.shape == "blocks" and bool(_NETSH.match(r.title))),
    shape("Get-NetIPConfiguration", {"interfacealias", "ipv4address"}, net_ip_configuration),
    shape("Get-NetIPConfiguration", {"interfacealias", "ipv4defaultgateway"}, net_ip_configuration),
    shape("Get-DnsClient", {"interfacealias", "registerthisconnectionsaddress"}, dns_client),
    shape("Get-NetAdapter", {"name", "interfacedescription", "macaddress"}, net_adapter),
    shape("Get-NetAdapter", {"name", "interfacedescription", "status", "linkspeed"}, net_adapter),
]

PARSERS = [object_parser(
    "windows-network", SHAPES,
    "ipconfig /all (English, German), netsh interface ipv4 show config, Get-NetIPConfiguration, "
    "Get-DnsClient, Get-NetAdapter in any shape")]

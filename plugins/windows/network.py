"""Adapter IP configuration: ``ipconfig /all`` (English/German), ``netsh interface ipv4 show
config``, and the ``Get-NetIPConfiguration`` / ``Get-DnsClient`` cmdlets (shapes).

    Ethernet adapter Replication:
       Default Gateway . . . . . . . . . : 192.0.2.1
       DNS Servers . . . . . . . . . . . : 198.51.100.10

A DAG replication adapter should have neither a gateway nor DNS servers, so these are kept as
lists; the adapter's role is guessed from its name (``Replication``, ``DAG``, ``Heartbeat``).
"""

from __future__ import annotations

import ipaddress
import re
from typing import Iterable, Iterator

from hakb import Fact, Head
from hakb.formats import is_noise, parse_bool
from hakb.model import Parser
from hakb.shapes import Item, evidence, shape

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
    """``192.0.2.11`` + ``255.255.255.0`` -> ``192.0.2.0/24``; "" when either is not valid."""
    try:
        return str(ipaddress.ip_interface(f"{ip}/{mask}").network)
    except ValueError:
        return ""


def ipv4s(text: str) -> list[str]:
    return [ip for ip in _IPV4.findall(text or "") if not ip.startswith("0.")]


# --- ipconfig /all --------------------------------------------------------------------------

_ADAPTER = re.compile(r"^(?P<kind>[^\s:][^:]*?(?:adapter|Adapter))\s+(?P<name>.+?):\s*$")
_FIELD = re.compile(r"^\s+(?P<label>[^.:]+?)[ .]*:\s?(?P<value>.*)$")
_CONTINUED = re.compile(r"^\s{20,}(?P<value>\S.*)$")
LABELS = {
    "description": "description", "beschreibung": "description",
    "dhcp enabled": "dhcp", "dhcp aktiviert": "dhcp",
    "ipv4 address": "ip", "ip address": "ip", "ipv4-adresse": "ip", "ip-adresse": "ip",
    "subnet mask": "mask", "subnetzmaske": "mask",
    "default gateway": "gateway", "standardgateway": "gateway",
    "dns servers": "dns", "dns-server": "dns",
    "host name": "host", "hostname": "host",
}


def recognise_ipconfig(head: Head) -> int:
    text = head.text.replace("\r", "")
    banner = re.search(r"Windows[- ]IP[- ](?:Configuration|Konfiguration)", text, re.I)
    adapter = re.search(r"^\S.*adapter\s+.+:\s*$", text, re.M | re.I)
    if banner and adapter:
        return 100
    if adapter and re.search(r"(?:Default Gateway|Standardgateway)[ .]*:", text):
        return 50
    return 0


def _adapter_fact(name: str, values: dict, line: int, text: str) -> Fact:
    ips = values.get("ip", [])
    masks = values.get("mask", [])
    subnets = [s for s in (subnet(ip, mask) for ip, mask in zip(ips, masks)) if s]
    slots = {"adapter": name, "description": values.get("description", ""),
             "role": role_of(name, values.get("description", "")), "ips": ips, "subnets": subnets,
             "gateways": values.get("gateway", []), "dns_servers": values.get("dns", []),
             "source": "ipconfig"}
    dhcp = parse_bool(values.get("dhcp_text"))
    if dhcp is not None:
        slots["dhcp"] = dhcp
    return Fact("ip-interface", slots, line=line, text=text)


def parse_ipconfig(lines: Iterable[tuple[int, str]], artifact) -> Iterator[Fact]:
    host = ""
    adapter: tuple[str, int, str] | None = None
    values: dict = {}
    current = ""
    for number, text in lines:
        if not text.strip() or is_noise(text):
            continue
        match = _ADAPTER.match(text)
        if match:
            if adapter is not None:
                yield _with_host(_adapter_fact(adapter[0], values, adapter[1], adapter[2]), host)
            adapter, values, current = (match.group("name").strip(), number, text), {}, ""
            continue
        field = _FIELD.match(text)
        if field and not _CONTINUED.match(text):
            label = re.sub(r"\s+", " ", field.group("label").strip().lower())
            current = LABELS.get(label, "")
            value = field.group("value").strip()
            if current == "host" and adapter is None:
                host = value
            elif adapter is not None and current in ("ip", "mask", "gateway", "dns"):
                values.setdefault(current, []).extend(ipv4s(value))
            elif adapter is not None and current == "description":
                values["description"] = value
            elif adapter is not None and current == "dhcp":
                values["dhcp_text"] = value
            continue
        more = _CONTINUED.match(text)
        if more and adapter is not None and current in ("gateway", "dns", "ip"):
            values.setdefault(current, []).extend(ipv4s(more.group("value")))
    if adapter is not None:
        yield _with_host(_adapter_fact(adapter[0], values, adapter[1], adapter[2]), host)


def _with_host(fact: Fact, host: str) -> Fact:
    return Fact(fact.type, fact.slots, fact.line, fact.text, host=host or None)


# --- netsh interface ipv4 show config ---------------------------------------------------------

_NETSH_ADAPTER = re.compile(r'^(?:Configuration for interface|Konfiguration für Schnittstelle)\s+"(?P<name>[^"]+)"',
                            re.I)
_NETSH_REGISTER = re.compile(r"^\s*(?:Register with which suffix|Mit folgendem Suffix registrieren)\s*:\s*(?P<v>.+)$",
                             re.I)


def recognise_netsh(head: Head) -> int:
    text = head.text.replace("\r", "")
    return 100 if any(_NETSH_ADAPTER.match(line.strip()) for line in text.splitlines()) else 0


def parse_netsh(lines: Iterable[tuple[int, str]], artifact) -> Iterator[Fact]:
    adapter = ""
    for number, text in lines:
        match = _NETSH_ADAPTER.match(text.strip())
        if match:
            adapter = match.group("name")
            continue
        register = _NETSH_REGISTER.match(text)
        if register and adapter:
            value = register.group("v").strip().lower()
            yield Fact("ip-dns-registration", {"adapter": adapter, "register": value not in ("none", "keine"),
                                               "source": "netsh"}, line=number, text=text)


# --- cmdlets ---------------------------------------------------------------------------------

def net_ip_configuration(item: Item) -> Iterator[Fact]:
    name = item.get("InterfaceAlias") or ""
    line, text = evidence(item, "InterfaceAlias")
    ips = ipv4s(item.get("IPv4Address") or "")
    prefix = item.get("PrefixLength") or ""
    slots = {"adapter": name, "description": item.get("InterfaceDescription") or "",
             "role": role_of(name), "ips": ips,
             "subnets": [s for s in (subnet(ip, prefix) for ip in ips) if s] if prefix else [],
             "gateways": ipv4s(item.get("IPv4DefaultGateway") or ""),
             "dns_servers": ipv4s(item.get("DNSServer") or ""), "source": "Get-NetIPConfiguration"}
    dhcp = item.get("NetIPv4Interface.DHCP") or item.get("NetIPv4Interface.Dhcp")
    if dhcp:
        slots["dhcp"] = dhcp.strip().lower() == "enabled"
    yield Fact("ip-interface", slots, line=line, text=text)


def dns_client(item: Item) -> Iterator[Fact]:
    register = parse_bool(item.get("RegisterThisConnectionsAddress"))
    if register is None:
        return
    line, text = evidence(item, "RegisterThisConnectionsAddress")
    yield Fact("ip-dns-registration", {"adapter": item.get("InterfaceAlias") or "", "register": register,
                                       "source": "Get-DnsClient"}, line=line, text=text)


SHAPES = [
    shape("Get-NetIPConfiguration", {"interfacealias", "ipv4address"}, net_ip_configuration),
    shape("Get-NetIPConfiguration", {"interfacealias", "ipv4defaultgateway"}, net_ip_configuration),
    shape("Get-DnsClient", {"interfacealias", "registerthisconnectionsaddress"}, dns_client),
]

PARSERS = [
    Parser("windows-ipconfig", recognise_ipconfig, parse_ipconfig,
           "ipconfig /all (English or German): adapters with addresses, gateways, DNS servers"),
    Parser("windows-netsh-ipconfig", recognise_netsh, parse_netsh,
           "netsh interface ipv4 show config: DNS registration per adapter"),
]

"""Windows Firewall objects of the NetSecurity cmdlets, in any shape (``fl``, tables,
``Export-Csv``, ``ConvertTo-Json`` with enums as numbers):

* a rule together with its ports, as the common one-liner prints it
  (``Get-NetFirewallRule | ft Name,DisplayName,Enabled,Direction,Action,@{n='Protocol';e={($_ |
  Get-NetFirewallPortFilter).Protocol}},@{n='LocalPort';...}``): a ``firewall-rule`` fact, the same
  a ``netsh advfirewall firewall show rule`` listing gives;
* ``Get-NetFirewallRule`` alone, which has no ports: a ``netfirewall-rule`` fact (taking it for a
  rule on every port would make a block rule block everything);
* ``Get-NetFirewallRule | Get-NetFirewallPortFilter``: a ``netfirewall-port-filter`` fact, whose
  ``rule`` is the rule's ``Name`` (``InstanceID``) when the shape shows it (``fl *``, CSV, JSON);
* ``Get-NetFirewallProfile``: a ``firewall-policy`` fact per profile, as ``netsh advfirewall show
  allprofiles`` gives.
"""

from __future__ import annotations

from typing import Iterator

from hakb import Fact
from hakb.formats import parse_bool
from hakb.reading import Record
from hakb.shapes import evidence, shape

from hakb.plugins.windows.objects import enum, first, guarded
from hakb.shapes import object_parser

#: NetSecurity enums as ConvertTo-Json writes them.
DIRECTIONS = {1: "Inbound", 2: "Outbound"}
ACTIONS = {0: "NotConfigured", 2: "Allow", 3: "AllowBypass", 4: "Block"}
ENABLED = {1: "True", 2: "False"}
GPO_BOOLEAN = {0: "False", 1: "True", 2: "NotConfigured"}
PROFILES = {0: "Any", 1: "Domain", 2: "Private", 4: "Public"}


def direction(value: str | None) -> str:
    text = enum(value, DIRECTIONS).lower()
    return {"inbound": "in", "outbound": "out"}.get(text, text)


def action(value: str | None) -> str:
    text = enum(value, ACTIONS).lower()
    return {"allowbypass": "bypass"}.get(text, text)


def profiles(value: str | None, items: list[str]) -> list[str]:
    """``Domain, Private`` (any shape) or a flags number (JSON) as profile names."""
    text = (value or "").strip()
    if text.isdigit():
        number = int(text)
        return ["Any"] if number == 0 else [name for bit, name in PROFILES.items() if bit and number & bit]
    return [p.strip() for item in items for p in item.split(",") if p.strip()]


def ports(record: Record, name: str) -> list[str]:
    values = [v for v in record.values(name) if v]
    return values or ["Any"]


def _enabled(record: Record) -> bool:
    return bool(parse_bool(enum(record.get("Enabled"), ENABLED)))


def rule_with_ports(record: Record) -> Iterator[Fact]:
    line, text = evidence(record, "DisplayName", "Name")
    protocol = first(record, "Protocol") or "Any"
    yield Fact("firewall-rule", {
        "name": first(record, "DisplayName", "Name"), "enabled": _enabled(record),
        "direction": direction(record.get("Direction")),
        "profiles": profiles(record.get("Profile"), record.values("Profile")),
        "action": action(record.get("Action")), "protocol": "Any" if protocol.lower() == "any" else protocol,
        "local_ports": ports(record, "LocalPort"), "remote_ports": ports(record, "RemotePort"),
        "local_ip": first(record, "LocalAddress"), "remote_ip": first(record, "RemoteAddress"),
        "program": first(record, "Program"), "group": first(record, "DisplayGroup", "Group"),
    }, line=line, text=text)


def rule(record: Record) -> Iterator[Fact]:
    line, text = evidence(record, "DisplayName", "Name")
    yield Fact("netfirewall-rule", {
        "name": first(record, "Name", "InstanceID"), "display_name": first(record, "DisplayName"),
        "enabled": _enabled(record), "direction": direction(record.get("Direction")),
        "action": action(record.get("Action")),
        "profiles": profiles(record.get("Profile"), record.values("Profile")),
        "group": first(record, "DisplayGroup", "Group"),
    }, line=line, text=text)


def port_filter(record: Record) -> Iterator[Fact]:
    line, text = evidence(record, "LocalPort", "Protocol")
    protocol = first(record, "Protocol") or "Any"
    yield Fact("netfirewall-port-filter", {
        "rule": first(record, "InstanceID"), "protocol": "Any" if protocol.lower() == "any" else protocol,
        "local_ports": ports(record, "LocalPort"), "remote_ports": ports(record, "RemotePort"),
    }, line=line, text=text)


def profile(record: Record) -> Iterator[Fact]:
    name = first(record, "Name", "Profile")
    if not name:
        return
    enabled = parse_bool(enum(record.get("Enabled"), GPO_BOOLEAN))
    inbound = action(record.get("DefaultInboundAction"))
    outbound = action(record.get("DefaultOutboundAction"))
    line, text = evidence(record, "DefaultInboundAction", "Name")
    yield Fact("firewall-policy", {
        "profile": name, "state": "" if enabled is None else ("on" if enabled else "off"),
        # NotConfigured leaves Windows' defaults: block inbound, allow outbound
        "inbound": "block" if inbound in ("", "notconfigured") else inbound,
        "outbound": "allow" if outbound in ("", "notconfigured") else outbound,
    }, line=line, text=text)


def _has_ports(record: Record) -> bool:
    return bool({"localport", "protocol"} & record.keys())


SHAPES = [
    shape("Get-NetFirewallRule", {"direction", "action", "localport"}, rule_with_ports, commands=()),
    shape("Get-NetFirewallRule", {"direction", "action", "protocol"}, rule_with_ports, commands=()),
    guarded("Get-NetFirewallRule", {"name", "displayname", "direction", "action", "enabled"}, rule,
            lambda r: not _has_ports(r), commands=("Get-NetFirewallRule",)),
    shape("Get-NetFirewallPortFilter", {"protocol", "localport", "remoteport", "icmptype"}, port_filter),
    shape("Get-NetFirewallProfile", {"name", "defaultinboundaction"}, profile),
]

PARSERS = [object_parser(
    "windows-firewall", SHAPES,
    "Get-NetFirewallRule (with or without its ports), Get-NetFirewallPortFilter, Get-NetFirewallProfile")]

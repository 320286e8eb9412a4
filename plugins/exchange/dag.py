"""Database availability groups and their networks: ``Get-DatabaseAvailabilityGroup [-Status]`` and
``Get-DatabaseAvailabilityGroupNetwork`` objects, in any shape the reading layer reads.

    WARNING: The witness server ... for database availability group 'DAG1' is in a failed state.
    Name              : DAG1
    Servers           : {EX01, EX02}
    WitnessServer     : fsw01.example.com
    WitnessShareInUse : InvalidConfiguration

The WARNING line printed before a DAG's record (``record.warnings``) is kept on it: it is how the
cmdlet reports a witness it cannot use. A member list cut by ``$FormatEnumerationLimit`` leaves
the count unknown. ``ConvertTo-Json`` writes ``WitnessShareInUse`` as its enum number. Output
without a Name (``Get-DatabaseAvailabilityGroup DAG1 -Status | fl *witness*``) is named by the command.
"""

from __future__ import annotations

import re
from typing import Iterator

from hakb import Fact
from hakb.formats import parse_bool
from hakb.plugins.exchange.cmdline import argument
from hakb.shapes import Item, evidence, shape

_WITNESS_TROUBLE = re.compile(r"witness.*(failed state|unhealthy|doesn't match|does not match|"
                              r"cannot be (?:reached|accessed)|fehlerhaft)", re.I)
_SUBNET = re.compile(r"\d{1,3}(?:\.\d{1,3}){3}/\d{1,2}")
#: One interface as Format-List prints it: ``{EX01,Up,198.51.100.11}``.
_INTERFACE = re.compile(r"\{\s*(?P<server>[A-Za-z][\w.-]*)\s*,\s*(?P<state>\w+)\s*,\s*(?P<ip>[\d.]+)\s*\}")
#: WitnessShareUsage as ConvertTo-Json writes it (the enum's order: None, Primary, Alternate,
#: InvalidConfiguration).
WITNESS_USAGE = {"0": "None", "1": "Primary", "2": "Alternate", "3": "InvalidConfiguration"}


def _text(item: Item, name: str) -> str:
    return (item.get(name) or "").strip()


def dag(item: Item) -> Iterator[Fact]:
    # ``Get-DatabaseAvailabilityGroup DAG1 -Status | fl *witness*`` shows no Name: the command does
    name = _text(item, "Name") or argument(item.command, "Get-DatabaseAvailabilityGroup", "Identity", 0)
    if not name:
        return
    servers = item.values("Servers")
    warning = next((text for _, text in item.warnings if _WITNESS_TROUBLE.search(text)), "")
    in_use = _text(item, "WitnessShareInUse")
    in_use = WITNESS_USAGE.get(in_use, in_use)
    slots = {
        "name": name, "servers": servers,
        # not shown, or cut by $FormatEnumerationLimit ({A, B, C, D...}): the count is unknown
        "member_count": None if "Servers" not in item or item.is_truncated("Servers") else len(servers),
        "witness_server": _text(item, "WitnessServer"),
        "witness_directory": _text(item, "WitnessDirectory"),
        "alternate_witness_server": _text(item, "AlternateWitnessServer"),
        "alternate_witness_directory": _text(item, "AlternateWitnessDirectory"),
        "operational_servers": item.values("OperationalServers"),
        "primary_active_manager": _text(item, "PrimaryActiveManager"),
        "witness_share_in_use": in_use,
        "witness_failed": bool(warning) or in_use.lower() == "invalidconfiguration",
        "warning": warning,
    }
    line, text = evidence(item, "Name", "WitnessShareInUse", "WitnessServer")
    yield Fact("exchange-dag", slots, line=line, text=text)


def _members(item: Item, name: str) -> list[dict[str, str]]:
    """Objects of a collection that ConvertTo-Json wrote as objects (``Interfaces[0].NodeName``)."""
    found: list[dict[str, str]] = []
    for index in range(len(item.values(name))):
        prefix = f"{name}[{index}]."
        found.append({n[len(prefix):].lower(): v for n, v in item.items() if n.startswith(prefix)})
    return found


def _subnets(item: Item) -> list[str]:
    subnets: list[str] = []
    for entry in item.values("Subnets") or [item.get("Subnets") or ""]:
        for subnet in _SUBNET.findall(entry):
            if subnet not in subnets:
                subnets.append(subnet)
    return subnets


def _interfaces(item: Item) -> list[str]:
    found = [f"{m['server']}={m['ip']}" for m in _INTERFACE.finditer(item.get("Interfaces") or "")]
    if found:
        return found
    for member in _members(item, "Interfaces"):
        server = member.get("nodename") or member.get("node") or ""
        address = member.get("ipaddress") or member.get("address") or ""
        if server and address:
            found.append(f"{server}={address}")
    return found


def dag_network(item: Item) -> Iterator[Fact]:
    identity = item.get("Identity") or ""
    line, text = evidence(item, "Name")
    slots = {
        "dag": identity.split("\\", 1)[0] if "\\" in identity else "",
        "name": _text(item, "Name"),
        "subnets": _subnets(item),
        "interfaces": _interfaces(item),
    }
    for slot, name in (("mapi_access", "MapiAccessEnabled"), ("replication", "ReplicationEnabled")):
        value = parse_bool(item.get(name))
        if value is not None:
            slots[slot] = value
    yield Fact("exchange-dag-network", slots, line=line, text=text)


SHAPES = [
    shape("Get-DatabaseAvailabilityGroup", {"name", "witnessserver"}, dag),
    shape("Get-DatabaseAvailabilityGroup", {"witnessserver", "witnessdirectory"}, dag),
    shape("Get-DatabaseAvailabilityGroupNetwork", {"name", "mapiaccessenabled", "replicationenabled"}, dag_network),
]

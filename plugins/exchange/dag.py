"""``Get-DatabaseAvailabilityGroup [-Status] | fl`` and ``Get-DatabaseAvailabilityGroupNetwork``.

    WARNING: The witness server ... for database availability group 'DAG1' is in a failed state.
    Name              : DAG1
    Servers           : {EX01, EX02}
    WitnessServer     : fsw01.example.com
    WitnessShareInUse : InvalidConfiguration

The WARNING line printed before a DAG's record is kept on it: it is how the cmdlet reports a
witness it cannot use. A member list cut by ``$FormatEnumerationLimit`` leaves the count unknown.
"""

from __future__ import annotations

import re
from typing import Iterator

from hakb import Fact
from hakb.formats import collection, is_truncated, parse_bool
from hakb.shapes import Item, evidence, shape

_WITNESS_TROUBLE = re.compile(r"witness.*(failed state|unhealthy|doesn't match|does not match|"
                              r"cannot be (?:reached|accessed)|fehlerhaft)", re.I)
_SUBNET = re.compile(r"\d{1,3}(?:\.\d{1,3}){3}/\d{1,2}")
_INTERFACE = re.compile(r"\{\s*(?P<server>[A-Za-z][\w.-]*)\s*,\s*(?P<state>\w+)\s*,\s*(?P<ip>[\d.]+)\s*\}")


def dag(item: Item) -> Iterator[Fact]:
    servers_text = item.get("Servers")
    servers = collection(servers_text)
    warning = next((text for _, text in item.warnings if _WITNESS_TROUBLE.search(text)), "")
    in_use = (item.get("WitnessShareInUse") or "").strip()
    slots = {
        "name": (item.get("Name") or "").strip(), "servers": servers,
        "member_count": None if is_truncated(servers_text) else len(servers),
        "witness_server": (item.get("WitnessServer") or "").strip(),
        "witness_directory": (item.get("WitnessDirectory") or "").strip(),
        "alternate_witness_server": (item.get("AlternateWitnessServer") or "").strip(),
        "alternate_witness_directory": (item.get("AlternateWitnessDirectory") or "").strip(),
        "operational_servers": collection(item.get("OperationalServers")),
        "primary_active_manager": (item.get("PrimaryActiveManager") or "").strip(),
        "witness_share_in_use": in_use,
        "witness_failed": bool(warning) or in_use.lower() == "invalidconfiguration",
        "warning": warning,
    }
    line, text = evidence(item, "Name")
    yield Fact("exchange-dag", slots, line=line, text=text)


def dag_network(item: Item) -> Iterator[Fact]:
    identity = item.get("Identity") or ""
    line, text = evidence(item, "Name")
    slots = {
        "dag": identity.split("\\", 1)[0] if "\\" in identity else "",
        "name": (item.get("Name") or "").strip(),
        "subnets": _SUBNET.findall(item.get("Subnets") or ""),
        "interfaces": [f"{m['server']}={m['ip']}" for m in _INTERFACE.finditer(item.get("Interfaces") or "")],
    }
    for slot, name in (("mapi_access", "MapiAccessEnabled"), ("replication", "ReplicationEnabled")):
        value = parse_bool(item.get(name))
        if value is not None:
            slots[slot] = value
    yield Fact("exchange-dag-network", slots, line=line, text=text)


SHAPES = [
    shape("Get-DatabaseAvailabilityGroup", {"name", "witnessserver"}, dag),
    shape("Get-DatabaseAvailabilityGroupNetwork", {"name", "mapiaccessenabled", "replicationenabled"}, dag_network),
]

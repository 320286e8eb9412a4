"""Transport records of ``Format-List`` output: receive and send connectors, accepted domains and
the Edge subscription's state (``Test-EdgeSynchronization | fl``).

    Identity         : HUB01\\Default HUB01
    Bindings         : {0.0.0.0:25}
    PermissionGroups : ExchangeUsers, ExchangeServers, ExchangeLegacyServers

Default connectors are recognised by their default names (``Default <server>``, ``Client
<server>``, ``Default internal receive connector <server>``) so rules can hold them to their
default settings.
"""

from __future__ import annotations

import re

from hakb import Fact
from hakb.formats import Record, parse_bool
from hakb.plugins.exchange.common import flags, moment


def _port(binding: str) -> int | None:
    match = re.search(r":(\d+)\s*$", binding)
    return int(match.group(1)) if match else None


def default_kind(name: str, server: str = "") -> str:
    """Which default receive connector a name is: edge-default, hub-default, hub-client or "".

    >>> default_kind("Default internal receive connector EDGE01")
    'edge-default'
    >>> default_kind("Client HUB01", "HUB01")
    'hub-client'
    """
    lower = name.strip().lower()
    if lower.startswith("default internal receive connector"):
        return "edge-default"
    words = lower.split()
    if len(words) == 2 and (not server or words[1] == server.lower().split(".")[0]):
        if words[0] == "default":
            return "hub-default"
        if words[0] == "client":
            return "hub-client"
    return ""


def is_receive_connector(names: set[str]) -> bool:
    return "bindings" in names and bool(names & {"permissiongroups", "authmechanism", "remoteipranges"})


def receive_connector(record: Record) -> Fact:
    identity = record.get("Identity") or ""
    name = record.get("Name") or identity.split("\\")[-1]
    server = record.get("Server") or (identity.split("\\", 1)[0] if "\\" in identity else "")
    bindings = flags(record.get("Bindings"))
    groups = flags(record.get("PermissionGroups"))
    ports = sorted({p for p in (_port(b) for b in bindings) if p is not None})
    field = "Identity" if "Identity" in record else "Name"
    return Fact("receive-connector", {
        "identity": identity or name, "name": name, "server": server, "bindings": bindings,
        "ports": ports, "permission_groups": groups,
        "auth_mechanism": flags(record.get("AuthMechanism")),
        "anonymous": any(g.lower() == "anonymoususers" for g in groups),
        "fqdn": record.get("Fqdn") or "", "enabled": parse_bool(record.get("Enabled")),
        "default_kind": default_kind(name, server), "transport_role": record.get("TransportRole") or "",
    }, line=record.line(field), text=record.text(field))


def is_send_connector(names: set[str]) -> bool:
    return "addressspaces" in names


def send_connector(record: Record) -> Fact:
    changed, changed_iso = moment(record.get("WhenChanged"))
    return Fact("send-connector", {
        "name": record.get("Name") or record.get("Identity") or "", "fqdn": (record.get("Fqdn") or "").lower(),
        "address_spaces": flags(record.get("AddressSpaces")), "smart_hosts": flags(record.get("SmartHosts")),
        "source_servers": flags(record.get("SourceTransportServers")),
        "enabled": parse_bool(record.get("Enabled")),
        "when_changed": changed, "when_changed_iso": changed_iso,
    }, line=record.line("Name") or record.first_line, text=record.text("Name") or record.text("Identity"))


def is_accepted_domain(names: set[str]) -> bool:
    return "domainname" in names and "domaintype" in names


def accepted_domain(record: Record) -> Fact:
    changed, changed_iso = moment(record.get("WhenChanged"))
    return Fact("accepted-domain", {
        "name": record.get("Name") or "", "domain_name": (record.get("DomainName") or "").lower(),
        "domain_type": record.get("DomainType") or "", "default": parse_bool(record.get("Default")),
        "when_changed": changed, "when_changed_iso": changed_iso,
    }, line=record.line("DomainName"), text=record.text("DomainName"))


def is_edgesync_status(names: set[str]) -> bool:
    return "syncstatus" in names or ("leaseholder" in names and "connectionresult" in names)


def edgesync_status(record: Record) -> Fact:
    field = next((f for f in ("LastSynchronizedUtc", "LastSynchronized", "LastSynchronizedDate")
                  if f in record), "LastSynchronizedUtc")
    last, last_iso = moment(record.get(field))
    status = record.get("SyncStatus") or ""
    # The evidence line: the failing status, else when it last synchronised.
    shown = "SyncStatus" if (status and status.lower() != "normal") or field not in record else field
    return Fact("edgesync-status", {
        "name": record.get("Name") or "", "sync_status": record.get("SyncStatus") or "",
        "connection_result": record.get("ConnectionResult") or "",
        "failure_detail": record.get("FailureDetail") or "",
        "last_sync": last, "last_sync_iso": last_iso,
    }, line=record.line(shown), text=record.text(shown) or record.text("Name"))


RECORD_KINDS = [
    ("receive-connector", is_receive_connector, receive_connector),
    ("send-connector", is_send_connector, send_connector),
    ("accepted-domain", is_accepted_domain, accepted_domain),
    ("edgesync-status", is_edgesync_status, edgesync_status),
]

"""Transport objects in any shape: receive and send connectors, accepted domains and the Edge
subscription's state (``Test-EdgeSynchronization``, ``Get-EdgeSubscription``).

    Identity         : HUB01\\Default HUB01
    Bindings         : {0.0.0.0:25}
    PermissionGroups : ExchangeUsers, ExchangeServers, ExchangeLegacyServers

Default connectors are recognised by their default names (``Default <server>``, ``Client
<server>``, ``Default internal receive connector <server>``) so rules can hold them to their
default settings. ConvertTo-Json writes Test-EdgeSynchronization's SyncStatus as a number: it is
named from Exchange's ValidationStatus enum (0 NoSyncConfigured, 1 Normal, 2 Warning, 3 Failed,
4 Inconclusive, 5 FailedUrgent). An Edge subscription (``Get-EdgeSubscription``) names the Edge
server, which is how rules know which host is the Edge even without EdgeSync's test.
"""

from __future__ import annotations

import re
from typing import Iterator

from hakb import Fact
from hakb.reading import Record
from hakb.sections import command_matches
from hakb.shapes import evidence, shape
from hakb.plugins.exchange.common import boolean, enum_text, first_of, flag_names, items_of, moment, server_of

#: Microsoft.Exchange.EdgeSync.Validation.ValidationStatus.
SYNC_STATUSES = {0: "NoSyncConfigured", 1: "Normal", 2: "Warning", 3: "Failed", 4: "Inconclusive",
                 5: "FailedUrgent"}
#: Microsoft.Exchange.Data.PermissionGroups (flags; ConvertTo-Json gives the number).
PERMISSION_GROUPS = {1: "AnonymousUsers", 2: "ExchangeUsers", 4: "ExchangeServers",
                     8: "ExchangeLegacyServers", 16: "Partners", 32: "Custom"}
#: ... SystemConfiguration.AuthMechanisms (flags).
AUTH_MECHANISMS = {1: "Tls", 2: "Integrated", 4: "BasicAuth", 8: "BasicAuthRequireTLS", 16: "ExchangeServer",
                   32: "ExternalAuthoritative"}
#: ... SystemConfiguration.AcceptedDomainType.
DOMAIN_TYPES = {0: "Authoritative", 1: "ExternalRelay", 2: "InternalRelay"}


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


def _flags(record: Record, name: str, bits: dict[int, str]) -> list[str]:
    """A flags property: its names in any shape, or its number (ConvertTo-Json) split in bits."""
    value = record.get(name) or ""
    if re.fullmatch(r"\d+", value.strip()):
        return flag_names(value, bits)
    return items_of(record, name)


def receive_connector(record: Record) -> Iterator[Fact]:
    identity = first_of(record, "Identity")
    name = first_of(record, "Name") or identity.split("\\")[-1]
    server = server_of(record)
    bindings = items_of(record, "Bindings")
    groups = _flags(record, "PermissionGroups", PERMISSION_GROUPS)
    ports = sorted({p for p in (_port(b) for b in bindings) if p is not None})
    line, text = evidence(record, "Identity", "Name")
    yield Fact("receive-connector", {
        "identity": identity or name, "name": name, "server": server, "bindings": bindings,
        "ports": ports, "permission_groups": groups,
        "auth_mechanism": _flags(record, "AuthMechanism", AUTH_MECHANISMS),
        "anonymous": any(g.lower() == "anonymoususers" for g in groups),
        "fqdn": first_of(record, "Fqdn"), "enabled": boolean(record.get("Enabled")),
        "default_kind": default_kind(name, server), "transport_role": first_of(record, "TransportRole"),
    }, line=line, text=text)


def send_connector(record: Record) -> Iterator[Fact]:
    changed, changed_iso = moment(record.get("WhenChanged"))
    line, text = evidence(record, "Name", "Identity")
    yield Fact("send-connector", {
        "name": first_of(record, "Name", "Identity"), "fqdn": first_of(record, "Fqdn").lower(),
        "address_spaces": items_of(record, "AddressSpaces"), "smart_hosts": items_of(record, "SmartHosts"),
        "source_servers": items_of(record, "SourceTransportServers"),
        "enabled": boolean(record.get("Enabled")),
        "when_changed": changed, "when_changed_iso": changed_iso,
    }, line=line, text=text)


def accepted_domain(record: Record) -> Iterator[Fact]:
    changed, changed_iso = moment(record.get("WhenChanged"))
    line, text = evidence(record, "DomainName")
    yield Fact("accepted-domain", {
        "name": first_of(record, "Name"), "domain_name": first_of(record, "DomainName").lower(),
        "domain_type": enum_text(record.get("DomainType"), DOMAIN_TYPES), "default": boolean(record.get("Default")),
        "when_changed": changed, "when_changed_iso": changed_iso,
    }, line=line, text=text)


_LAST_SYNC = ("LastSynchronizedUtc", "LastSynchronized", "LastSynchronizedDate")


def edgesync_status(record: Record) -> Iterator[Fact]:
    field = next((f for f in _LAST_SYNC if f in record), _LAST_SYNC[0])
    last, last_iso = moment(record.get(field))
    status = enum_text(record.get("SyncStatus"), SYNC_STATUSES)
    # The evidence line: the failing status, else when it last synchronised.
    shown = "SyncStatus" if (status and status.lower() != "normal") or field not in record else field
    line, text = evidence(record, shown, "Name")
    yield Fact("edgesync-status", {
        "name": first_of(record, "Name"), "sync_status": status,
        # ConnectionResult's numbers are not named here: a number nobody can read judges nothing
        "connection_result": enum_text(record.get("ConnectionResult"), {}),
        "failure_detail": first_of(record, "FailureDetail"),
        "last_sync": last, "last_sync_iso": last_iso,
    }, line=line, text=text)
    # UtcNow is when the test ran: the collection time of a file that has no other (Export-Csv,
    # ConvertTo-Json), so "hours since the last synchronisation" is counted from it.
    ran, _ = moment(record.get("UtcNow"))
    if ran is not None:
        line, text = evidence(record, "UtcNow")
        yield Fact("collection-time", {"epoch": ran, "source": "Test-EdgeSynchronization UtcNow"},
                   line=line, text=text)


def edge_subscription(record: Record) -> Iterator[Fact]:
    """``Get-EdgeSubscription``: the Edge server a subscription names. Nothing is known of its
    state, so the fact carries the name only (rules take it as "this host is the Edge").
    Get-ExchangeServer also has Name, Site and Domain: its records are told apart by the command
    that printed them, or by the properties only a server has."""
    name = first_of(record, "Name")
    if record.command and not command_matches(record.command, "Get-EdgeSubscription"):
        return
    if not name or any(n in record for n in _SERVER_ONLY):
        return
    line, text = evidence(record, "Name")
    yield Fact("edgesync-status", {"name": name, "sync_status": "", "connection_result": "",
                                   "failure_detail": "", "last_sync": None, "last_sync_iso": ""},
               line=line, text=text)


#: Properties of Get-ExchangeServer that an Edge subscription does not have.
_SERVER_ONLY = ("ServerRole", "AdminDisplayVersion", "Edition", "IsEdgeServer")

_EDGESYNC_TYPES = ("Microsoft.Exchange.EdgeSync.Validation.EdgeSubscriptionStatus",
                   "Deserialized.Microsoft.Exchange.EdgeSync.Validation.EdgeSubscriptionStatus")

SHAPES = [
    *(shape("Get-ReceiveConnector", {"Bindings", telling}, receive_connector)
      for telling in ("PermissionGroups", "AuthMechanism", "RemoteIPRanges")),
    shape("Get-SendConnector", {"AddressSpaces"}, send_connector),
    shape("Get-AcceptedDomain", {"DomainName", "DomainType"}, accepted_domain),
    shape("Test-EdgeSynchronization", {"SyncStatus"}, edgesync_status, types=_EDGESYNC_TYPES),
    shape("Test-EdgeSynchronization", {"LeaseHolder", "ConnectionResult"}, edgesync_status,
          types=_EDGESYNC_TYPES),
    shape("Test-EdgeSynchronization", {"Name", "LastSynchronizedUtc"}, edgesync_status, types=_EDGESYNC_TYPES),
    shape("Get-EdgeSubscription", {"Name", "Site", "Domain"}, edge_subscription),
]

"""Client access objects: where Outlook and browsers are sent, in any shape PowerShell prints.

``Get-ClientAccessServer`` (AutoDiscoverServiceInternalUri), ``Get-ClientAccessArray``, the
``Get-*VirtualDirectory`` and ``Get-OutlookAnywhere`` URLs, ``Get-MailboxDatabase``
(RpcClientAccessServer) and ``Get-MoveRequestStatistics``::

    Name                           : CAS01
    AutoDiscoverServiceInternalUri : https://mail.example.com/Autodiscover/Autodiscover.xml
"""

from __future__ import annotations

import re
from typing import Iterator

from hakb import Fact
from hakb.reading import Record
from hakb.shapes import evidence, shape
from hakb.plugins.exchange.common import enum_text, first_of, fqdn_of, items_of, moment, server_of, uri_of

#: Virtual directory names (before " (Default Web Site)") and URL paths -> service.
SERVICES = {
    "owa": "owa", "ews": "ews", "ecp": "ecp", "oab": "oab", "autodiscover": "autodiscover",
    "microsoft-server-activesync": "activesync", "powershell": "powershell", "rpc": "outlook-anywhere",
}
#: Microsoft.Exchange.Data.Directory.Recipient.RequestStatus (ConvertTo-Json writes the number).
MOVE_STATUSES = {0: "None", 1: "Queued", 2: "InProgress", 3: "AutoSuspended", 4: "CompletionInProgress",
                 5: "Synced", 10: "Completed", 11: "CompletedWithWarning", 98: "Suspended", 99: "Failed"}
#: The cmdlets that print virtual directories.
VIRTUAL_DIRECTORY_COMMANDS = tuple(f"Get-{kind}VirtualDirectory" for kind in (
    "Owa", "WebServices", "Ecp", "Oab", "ActiveSync", "Autodiscover", "PowerShell"))


def _service(record: Record, url: str) -> str:
    name = first_of(record, "Name", "Identity").split("\\")[-1]
    word = name.split("(")[0].strip().lower()
    if word in SERVICES:
        return SERVICES[word]
    path = re.sub(r"^[a-z]+://[^/]+", "", url.strip(), flags=re.I).strip("/").split("/")[0].lower()
    return SERVICES.get(path, path or "")


def client_access_server(record: Record) -> Iterator[Fact]:
    uri = uri_of(record, "AutoDiscoverServiceInternalUri")
    line, text = evidence(record, "AutoDiscoverServiceInternalUri")
    yield Fact("client-access-server", {
        "name": first_of(record, "Name", "Identity"), "site": _site(first_of(record, "Site")),
        "autodiscover_internal_uri": uri, "autodiscover_fqdn": fqdn_of(uri),
    }, line=line, text=text)


def _site(value: str) -> str:
    """A site as written (``Amsterdam``) or as an AD path (``example.com/Configuration/Sites/Amsterdam``)."""
    return value.rstrip("/").rsplit("/", 1)[-1] if "/Sites/" in value else value


def cas_array(record: Record) -> Iterator[Fact]:
    fqdn = first_of(record, "Fqdn").lower()
    if not fqdn:
        return
    line, text = evidence(record, "Fqdn")
    yield Fact("cas-array", {
        "name": first_of(record, "Name"), "fqdn": fqdn,
        "site": _site(first_of(record, "Site", "SiteName")), "members": items_of(record, "Members"),
    }, line=line, text=text)


def exchange_urls(record: Record) -> Iterator[Fact]:
    server = server_of(record)
    for field, scope in (("InternalUrl", "internal"), ("ExternalUrl", "external"),
                         ("InternalHostname", "internal"), ("ExternalHostname", "external")):
        value = uri_of(record, field).strip()
        if not value:
            continue
        is_host = field.endswith("Hostname")
        service = "outlook-anywhere" if is_host else _service(record, value)
        line, text = evidence(record, field)
        yield Fact("exchange-url", {
            "server": server, "service": service, "scope": scope,
            "url": "" if is_host else value, "fqdn": fqdn_of(value),
        }, line=line, text=text)


def mailbox_database(record: Record) -> Iterator[Fact]:
    line, text = evidence(record, "RpcClientAccessServer")
    yield Fact("mailbox-database", {
        "name": first_of(record, "Name", "Identity"), "server": first_of(record, "Server"),
        "rpc_client_access_server": first_of(record, "RpcClientAccessServer"),
    }, line=line, text=text)


def mailbox_move(record: Record) -> Iterator[Fact]:
    completed, completed_iso = moment(record.get("CompletionTimestamp"))
    line, text = evidence(record, "TargetDatabase")
    yield Fact("mailbox-move", {
        "mailbox": first_of(record, "DisplayName", "Identity", "Alias"),
        "alias": first_of(record, "Alias"), "status": enum_text(record.get("Status"), MOVE_STATUSES),
        "source_database": first_of(record, "SourceDatabase"),
        "target_database": first_of(record, "TargetDatabase"),
        "source_server": first_of(record, "SourceServer"), "target_server": first_of(record, "TargetServer"),
        "completed": completed, "completed_iso": completed_iso,
    }, line=line, text=text)


_URL_COMMANDS = VIRTUAL_DIRECTORY_COMMANDS + ("Get-OutlookAnywhere",)

SHAPES = [
    shape("Get-ClientAccessServer", {"AutoDiscoverServiceInternalUri"}, client_access_server),
    shape("Get-ClientAccessArray", {"Fqdn", "Members"}, cas_array),
    shape("Get-MailboxDatabase", {"RpcClientAccessServer"}, mailbox_database),
    shape("Get-MoveRequestStatistics", {"SourceDatabase", "TargetDatabase"}, mailbox_move),
    *(shape("Get-*VirtualDirectory / Get-OutlookAnywhere", {field}, exchange_urls, commands=_URL_COMMANDS)
      for field in ("InternalUrl", "ExternalUrl", "ExternalHostname", "InternalHostname")),
]

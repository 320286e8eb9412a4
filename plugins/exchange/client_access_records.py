"""Client access records of ``Format-List`` output: where Outlook and browsers are sent.

``Get-ClientAccessServer | fl Name,AutoDiscoverServiceInternalUri``, ``Get-ClientAccessArray | fl``,
the ``Get-*VirtualDirectory | fl`` and ``Get-OutlookAnywhere | fl`` URLs, ``Get-MailboxDatabase |
fl Name,Server,RpcClientAccessServer`` and ``Get-MoveRequestStatistics | fl``::

    Name                           : CAS01
    AutoDiscoverServiceInternalUri : https://mail.example.com/Autodiscover/Autodiscover.xml
"""

from __future__ import annotations

import re

from hakb import Fact
from hakb.formats import Record
from hakb.plugins.exchange.common import flags, fqdn_of, moment

#: Virtual directory names (before " (Default Web Site)") and URL paths -> service.
SERVICES = {
    "owa": "owa", "ews": "ews", "ecp": "ecp", "oab": "oab", "autodiscover": "autodiscover",
    "microsoft-server-activesync": "activesync", "powershell": "powershell", "rpc": "outlook-anywhere",
}


def _service(record: Record, url: str) -> str:
    name = (record.get("Name") or record.get("Identity") or "").split("\\")[-1]
    word = name.split("(")[0].strip().lower()
    if word in SERVICES:
        return SERVICES[word]
    path = re.sub(r"^[a-z]+://[^/]+", "", url.strip(), flags=re.I).strip("/").split("/")[0].lower()
    return SERVICES.get(path, path or "")


def _server(record: Record) -> str:
    server = record.get("Server") or record.get("ServerName") or ""
    if not server:
        identity = record.get("Identity") or ""
        server = identity.split("\\", 1)[0] if "\\" in identity else ""
    return server


def is_client_access_server(names: set[str]) -> bool:
    return "autodiscoverserviceinternaluri" in names


def client_access_server(record: Record) -> Fact:
    uri = record.get("AutoDiscoverServiceInternalUri") or ""
    return Fact("client-access-server", {
        "name": record.get("Name") or record.get("Identity") or "", "site": record.get("Site") or "",
        "autodiscover_internal_uri": uri, "autodiscover_fqdn": fqdn_of(uri),
    }, line=record.line("AutoDiscoverServiceInternalUri"), text=record.text("AutoDiscoverServiceInternalUri"))


def is_cas_array(names: set[str]) -> bool:
    return "fqdn" in names and "members" in names


def cas_array(record: Record) -> Fact:
    return Fact("cas-array", {
        "name": record.get("Name") or "", "fqdn": (record.get("Fqdn") or "").lower(),
        "site": record.get("Site") or "", "members": flags(record.get("Members")),
    }, line=record.line("Fqdn"), text=record.text("Fqdn"))


def is_exchange_url(names: set[str]) -> bool:
    return bool(names & {"internalurl", "externalurl", "externalhostname", "internalhostname"})


def exchange_urls(record: Record) -> list[Fact]:
    facts = []
    for field, scope in (("InternalUrl", "internal"), ("ExternalUrl", "external"),
                         ("InternalHostname", "internal"), ("ExternalHostname", "external")):
        value = (record.get(field) or "").strip()
        if not value:
            continue
        is_host = field.endswith("Hostname")
        service = "outlook-anywhere" if is_host else _service(record, value)
        facts.append(Fact("exchange-url", {
            "server": _server(record), "service": service, "scope": scope,
            "url": "" if is_host else value, "fqdn": fqdn_of(value),
        }, line=record.line(field), text=record.text(field)))
    return facts


def is_mailbox_database(names: set[str]) -> bool:
    return "rpcclientaccessserver" in names


def mailbox_database(record: Record) -> Fact:
    return Fact("mailbox-database", {
        "name": record.get("Name") or record.get("Identity") or "",
        "server": record.get("Server") or "",
        "rpc_client_access_server": record.get("RpcClientAccessServer") or "",
    }, line=record.line("RpcClientAccessServer"), text=record.text("RpcClientAccessServer"))


def is_mailbox_move(names: set[str]) -> bool:
    return "sourcedatabase" in names and "targetdatabase" in names


def mailbox_move(record: Record) -> Fact:
    completed, completed_iso = moment(record.get("CompletionTimestamp"))
    return Fact("mailbox-move", {
        "mailbox": record.get("DisplayName") or record.get("Identity") or record.get("Alias") or "",
        "alias": record.get("Alias") or "", "status": record.get("Status") or "",
        "source_database": record.get("SourceDatabase") or "",
        "target_database": record.get("TargetDatabase") or "",
        "source_server": record.get("SourceServer") or "", "target_server": record.get("TargetServer") or "",
        "completed": completed, "completed_iso": completed_iso,
    }, line=record.line("TargetDatabase"), text=record.text("TargetDatabase"))


RECORD_KINDS = [
    ("client-access-server", is_client_access_server, client_access_server),
    ("cas-array", is_cas_array, cas_array),
    ("mailbox-database", is_mailbox_database, mailbox_database),
    ("mailbox-move", is_mailbox_move, mailbox_move),
    ("exchange-url", is_exchange_url, exchange_urls),
]

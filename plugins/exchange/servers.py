"""``Get-ExchangeServer`` and ``Get-MailboxServer`` output (``fl`` or table) as facts.

    Name                : EX01
    ServerRole          : Mailbox, ClientAccess, HubTransport
    AdminDisplayVersion : Version 14.1 (Build 218.15)

    Name                 : CMS01
    ClusteredStorageType : NonShared
    RedundantMachines    : {EX01, EX02}

The version is read as a dotted build (``14.1.218.15``) because rules compare service packs.
"""

from __future__ import annotations

import re
from typing import Iterator

from hakb import Fact
from hakb.formats import collection, parse_bool
from hakb.shapes import Item, evidence, shape

_VERSION = re.compile(r"Version\s+(?P<major>\d+)\.(?P<minor>\d+)\s*\(\s*Build\s+(?P<build>\d+)(?:\.(?P<rev>\d+))?",
                      re.I)
_DOTTED = re.compile(r"^\s*(?P<major>\d+)\.(?P<minor>\d+)\.(?P<build>\d+)(?:\.(?P<rev>\d+))?\s*$")

#: ServerRole words and Is*Server flags -> role names used in facts.
ROLES = {"mailbox": "Mailbox", "clientaccess": "ClientAccess", "hubtransport": "HubTransport",
         "edge": "Edge", "edgetransport": "Edge", "unifiedmessaging": "UnifiedMessaging"}
FLAGS = {"ismailboxserver": "Mailbox", "isclientaccessserver": "ClientAccess",
         "ishubtransportserver": "HubTransport", "isedgeserver": "Edge",
         "isunifiedmessagingserver": "UnifiedMessaging"}


def parse_version(text: str | None) -> tuple[str, int | None, int | None, int | None]:
    """(dotted version, major, minor, build) of an AdminDisplayVersion value.

    >>> parse_version("Version 14.1 (Build 218.15)")
    ('14.1.218.15', 14, 1, 218)
    >>> parse_version("Version 8.3 (Build 83.6)")
    ('8.3.83.6', 8, 3, 83)
    """
    match = _VERSION.search(text or "") or _DOTTED.match(text or "")
    if not match:
        return "", None, None, None
    parts = [match["major"], match["minor"], match["build"]] + ([match["rev"]] if match["rev"] else [])
    return ".".join(parts), int(match["major"]), int(match["minor"]), int(match["build"])


def roles_of(item: Item) -> list[str]:
    roles: list[str] = []
    for word in re.split(r"[,\s]+", item.get("ServerRole") or ""):
        role = ROLES.get(word.strip().lower())
        if role and role not in roles:
            roles.append(role)
    for flag, role in FLAGS.items():
        if parse_bool(item.get(flag)) and role not in roles:
            roles.append(role)
    return roles


def _site(value: str) -> str:
    return value.strip().rstrip("/").rsplit("/", 1)[-1] if value else ""


def exchange_server(item: Item) -> Iterator[Fact]:
    name = (item.get("Name") or "").strip()
    if not name:
        return
    version, major, minor, build = parse_version(item.get("AdminDisplayVersion"))
    slots = {"name": name, "version": version, "major": major, "minor": minor, "build": build,
             "edition": (item.get("Edition") or "").strip(), "roles": roles_of(item),
             "site": _site(item.get("Site") or ""), "fqdn": (item.get("Fqdn") or "").strip()}
    clustered = parse_bool(item.get("IsMemberOfCluster"))
    if clustered is not None:
        slots["clustered"] = clustered
    line, text = evidence(item, "AdminDisplayVersion", "Name")
    yield Fact("exchange-server", slots, line=line, text=text)


#: ClusteredStorageType -> what the mailbox server is.
CLUSTER_KINDS = {"nonshared": "CCR", "shared": "SCC", "disabled": "standalone"}


def mailbox_server(item: Item) -> Iterator[Fact]:
    name = (item.get("Name") or item.get("Identity") or "").strip()
    storage = (item.get("ClusteredStorageType") or "").strip()
    machines = collection(item.get("RedundantMachines"))
    line, text = evidence(item, "ClusteredStorageType", "Name")
    yield Fact("exchange-mailbox-server", {
        "name": name, "storage_type": storage,
        "kind": CLUSTER_KINDS.get(storage.lower(), ""),
        "redundant_machines": machines, "node_count": len(machines),
        "dag": (item.get("DatabaseAvailabilityGroup") or "").strip(),
    }, line=line, text=text)


SHAPES = [
    shape("Get-MailboxServer", {"name", "clusteredstoragetype"}, mailbox_server),
    shape("Get-ExchangeServer", {"name", "admindisplayversion"}, exchange_server),
    shape("Get-ExchangeServer", {"name", "serverrole"}, exchange_server),
]

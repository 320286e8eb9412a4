"""Exchange servers and mailbox servers: ``Get-ExchangeServer`` and ``Get-MailboxServer`` objects.

    Name                : EX01
    ServerRole          : Mailbox, ClientAccess, HubTransport
    AdminDisplayVersion : Version 14.1 (Build 218.15)

    Name                 : CMS01
    ClusteredStorageType : NonShared
    RedundantMachines    : {EX01, EX02}

Records come from the reading layer in any shape (``fl``, ``ft``, ``Export-Csv``, ``ConvertTo-Json``,
``Export-Clixml``). The version is read as a dotted build (``14.1.218.15``) because rules compare
service packs; ``ConvertTo-Json`` writes it as an object (``Major``, ``Minor``, ``Build``,
``Revision``) and ``ServerRole`` as its flags number (``38`` = Mailbox, ClientAccess,
HubTransport). ``Get-ExchangeServer $env:COMPUTERNAME`` names the machine the output was taken
on (a ``host-name`` fact); a plain listing names every server and so names no host.
"""

from __future__ import annotations

import re
from typing import Iterator

from hakb import Fact
from hakb.formats import parse_bool, parse_int
from hakb.plugins.exchange.cmdline import names_local_machine
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
#: Bits of the ServerRole flags enum (as ConvertTo-Json writes it; the AD attribute
#: msExchCurrentServerRoles uses the same bits).
ROLE_BITS = {2: "Mailbox", 4: "ClientAccess", 16: "UnifiedMessaging", 32: "HubTransport", 64: "Edge"}


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


def version_of(item: Item) -> tuple[str, int | None, int | None, int | None]:
    """The AdminDisplayVersion of a record: its text, else its members (ConvertTo-Json writes
    ``{"Major": 14, "Minor": 1, "Build": 218, "Revision": 15, ...}``)."""
    found = parse_version(item.get("AdminDisplayVersion"))
    if found[0]:
        return found
    parts = [parse_int(item.get(f"AdminDisplayVersion.{name}")) for name in ("Major", "Minor", "Build", "Revision")]
    if None in parts[:3]:
        return found
    major, minor, build, revision = parts
    dotted = f"{major}.{minor}.{build}" + (f".{revision}" if revision is not None and revision >= 0 else "")
    return dotted, major, minor, build


def roles_of(item: Item) -> list[str]:
    """Role names from ServerRole (words, or the flags number) and the Is*Server flags."""
    roles: list[str] = []
    text = (item.get("ServerRole") or "").strip()
    number = parse_int(text) if text.isdigit() else None
    words = [ROLE_BITS[bit] for bit in ROLE_BITS if number & bit] if number is not None else \
        [ROLES.get(word.strip().lower(), "") for word in re.split(r"[,\s]+", text)]
    for role in words:
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
    version, major, minor, build = version_of(item)
    fqdn = (item.get("Fqdn") or "").strip()
    slots = {"name": name, "version": version, "major": major, "minor": minor, "build": build,
             "edition": (item.get("Edition") or "").strip(), "roles": roles_of(item),
             "site": _site(item.get("Site") or ""), "fqdn": fqdn}
    clustered = parse_bool(item.get("IsMemberOfCluster"))
    if clustered is not None:
        slots["clustered"] = clustered
    line, text = evidence(item, "AdminDisplayVersion", "Name")
    yield Fact("exchange-server", slots, line=line, text=text)
    if names_local_machine(item.command, "Get-ExchangeServer"):
        line, text = evidence(item, "Fqdn", "Name")
        yield Fact("host-name", {"name": fqdn or name, "source": "Get-ExchangeServer $env:COMPUTERNAME"},
                   line=line, text=text)


#: ClusteredStorageType -> what the mailbox server is.
CLUSTER_KINDS = {"nonshared": "CCR", "shared": "SCC", "disabled": "standalone"}


def mailbox_server(item: Item) -> Iterator[Fact]:
    name = (item.get("Name") or item.get("Identity") or "").strip()
    storage = (item.get("ClusteredStorageType") or "").strip()
    machines = item.values("RedundantMachines")
    line, text = evidence(item, "ClusteredStorageType", "Name")
    yield Fact("exchange-mailbox-server", {
        "name": name, "storage_type": storage,
        "kind": CLUSTER_KINDS.get(storage.lower(), ""),
        "redundant_machines": machines,
        # a list cut by $FormatEnumerationLimit ({A, B, C, D...}) does not say how many there are
        "node_count": None if item.is_truncated("RedundantMachines") else len(machines),
        "dag": (item.get("DatabaseAvailabilityGroup") or "").strip(),
    }, line=line, text=text)


SHAPES = [
    shape("Get-MailboxServer", {"name", "clusteredstoragetype"}, mailbox_server),
    shape("Get-MailboxServer", {"name", "databaseavailabilitygroup"}, mailbox_server),
    shape("Get-ExchangeServer", {"name", "admindisplayversion"}, exchange_server),
    shape("Get-ExchangeServer", {"name", "admindisplayversion.major"}, exchange_server),
    shape("Get-ExchangeServer", {"name", "serverrole"}, exchange_server),
]

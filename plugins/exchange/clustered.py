"""Exchange 2007 clustered mailbox servers: ``Get-ClusteredMailboxServerStatus`` and (CCR, SCR)
``Get-StorageGroupCopyStatus`` objects, in any shape the reading layer reads.

    Identity            : CMS01
    State               : Online
    OperationalMachines : {EX01 <Active, Quorum Owner>, EX02}
    FailedResources     : {}

    Name    SummaryCopyStatus    CopyQueueLength    ReplayQueueLength
    ----    -----------------    ---------------    -----------------
    SG1     Healthy              0                  0

The machines of a clustered mailbox server are listed with what they do in angle brackets
(``<Active, Quorum Owner>``). A storage group copy is named ``CMS\\SG``; the default table view
shows the storage group as ``Name`` and leaves the clustered mailbox server to the command
(``-Server CMS01``).
"""

from __future__ import annotations

import re
from typing import Iterator

from hakb import Fact
from hakb.formats import epoch, parse_bool, parse_datetime, parse_int
from hakb.plugins.exchange.cmdline import argument
from hakb.shapes import Item, evidence, shape

#: ``EX01 <Active, Quorum Owner>``: a machine and its roles in the cluster.
_MACHINE = re.compile(r"^\s*(?P<name>[^\s<]+)\s*(?:<(?P<roles>[^>]*)>)?\s*$")


def _machines(item: Item, name: str) -> list[tuple[str, list[str]]]:
    """(machine, roles) of a machine list: ``{EX01 <Active, Quorum Owner>, EX02}``. The roles'
    comma is inside angle brackets, so items are split at commas outside them."""
    text = (item.get(name) or "").strip()
    items = item.values(name)
    if "<" in text:
        text = text.strip("{}").rstrip(".\u2026")
        items, depth, current = [], 0, ""
        for ch in text:
            depth += (ch == "<") - (ch == ">")
            if ch == "," and depth == 0:
                items.append(current)
                current = ""
            else:
                current += ch
        items.append(current)
    machines = []
    for entry in items:
        match = _MACHINE.match(entry)
        if match:
            roles = [r.strip() for r in (match["roles"] or "").split(",") if r.strip()]
            machines.append((match["name"], roles))
    return machines


def cms_status(item: Item) -> Iterator[Fact]:
    machines = _machines(item, "OperationalMachines")
    active = next((m for m, roles in machines if any(r.lower() == "active" for r in roles)), "")
    owner = next((m for m, roles in machines if any(r.lower() == "quorum owner" for r in roles)), "")
    line, text = evidence(item, "State", "Identity")
    yield Fact("exchange-cms-status", {
        "name": (item.get("Identity") or item.get("Name") or "").strip(),
        "fqdn": (item.get("ClusteredMailboxServerName") or "").strip(),
        "state": (item.get("State") or "").strip(),
        "operational_machines": [m for m, _ in machines],
        "active_node": active, "quorum_owner": owner,
        "failed_resources": item.values("FailedResources"),
        "failed_replication_hosts": item.values("FailedReplicationHostNames"),
    }, line=line, text=text)


def _flag(item: Item, name: str) -> bool | None:
    return parse_bool(item.get(name))


def storage_group_copy(item: Item) -> Iterator[Fact]:
    identity = (item.get("Identity") or "").strip()
    server, backslash, group = identity.rpartition("\\")
    # the default table view labels StorageGroupName "Name"
    group = (item.get("StorageGroupName") or item.get("Name") or group).strip()
    if not backslash:
        server = argument(item.command, "Get-StorageGroupCopyStatus", "Server")
    inspected = (item.get("LastInspectedLogTime") or "").strip()
    moment = parse_datetime(inspected)
    slots = {
        "server": server, "storage_group": group,
        "status": (item.get("SummaryCopyStatus") or "").strip(),
        "copy_queue": parse_int(item.get("CopyQueueLength")),
        "replay_queue": parse_int(item.get("ReplayQueueLength")),
        "last_inspected": inspected, "last_inspected_epoch": epoch(moment) if moment else None,
        "failed_message": " ".join((item.get("FailedMessage") or "").split()),
        "suspend_comment": " ".join((item.get("SuspendComment") or "").split()),
    }
    for slot, name in (("failed", "Failed"), ("suspended", "Suspend")):
        value = _flag(item, name)
        if value is not None:
            slots[slot] = value
    line, text = evidence(item, "SummaryCopyStatus", "StorageGroupName", "Identity")
    yield Fact("exchange-sg-copy", slots, line=line, text=text)


SHAPES = [
    shape("Get-ClusteredMailboxServerStatus", {"operationalmachines", "state"}, cms_status),
    shape("Get-StorageGroupCopyStatus", {"storagegroupname", "summarycopystatus"}, storage_group_copy),
    shape("Get-StorageGroupCopyStatus", {"identity", "summarycopystatus"}, storage_group_copy),
    shape("Get-StorageGroupCopyStatus", {"name", "summarycopystatus"}, storage_group_copy),
]

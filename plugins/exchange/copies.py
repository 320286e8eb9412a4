"""``Get-MailboxDatabaseCopyStatus`` (``fl`` or table) and ``Test-ReplicationHealth`` output.

    Name          Status              CopyQueueLength ReplayQueueLength LastInspectedLogTime  ContentIndexState
    ----          ------              --------------- ----------------- --------------------  -----------------
    DB01\\EX02     FailedAndSuspended  1204            0                 14.03.2019 13:00:00   Failed

    Server   Check            Result     Error
    ------   -----            ------     -----
    EX02     DBCopyFailed     *FAILED*   Database copy DB01\\EX02 is in a failed state.

A copy is named ``database\\server``; dates are read in German or US form.
"""

from __future__ import annotations

from typing import Iterator

from hakb import Fact
from hakb.formats import epoch, parse_datetime, parse_int
from hakb.shapes import Item, evidence, shape


def copy_status(item: Item) -> Iterator[Fact]:
    name = (item.get("Name") or item.get("Identity") or "").strip()
    database, _, server = name.partition("\\")
    database = (item.get("DatabaseName") or database).strip()
    server = (item.get("MailboxServer") or server).strip()
    inspected = (item.get("LastInspectedLogTime") or "").strip()
    moment = parse_datetime(inspected)
    line, text = evidence(item, "Status", "Name") if "DatabaseName" in item else evidence(item, "Name")
    yield Fact("exchange-db-copy", {
        "database": database, "server": server, "status": (item.get("Status") or "").strip(),
        "copy_queue": parse_int(item.get("CopyQueueLength")),
        "replay_queue": parse_int(item.get("ReplayQueueLength")),
        "content_index": (item.get("ContentIndexState") or "").strip(),
        "last_inspected": inspected, "last_inspected_epoch": epoch(moment) if moment else None,
        "source": "fl" if "DatabaseName" in item or "Identity" in item else "table",
    }, line=line, text=text)


def replication_check(item: Item) -> Iterator[Fact]:
    result = (item.get("Result") or "").strip()
    line, text = evidence(item, "Check")
    yield Fact("exchange-replication-check", {
        "server": (item.get("Server") or "").strip(), "check": (item.get("Check") or "").strip(),
        "result": result, "error": (item.get("Error") or "").strip(),
        "passed": ("fail" not in result.lower()) if result else None,
    }, line=line, text=text)


SHAPES = [
    shape("Get-MailboxDatabaseCopyStatus", {"name", "status", "copyqueuelength"}, copy_status),
    shape("Get-MailboxDatabaseCopyStatus", {"databasename", "status", "mailboxserver"}, copy_status),
    shape("Test-ReplicationHealth", {"server", "check", "result"}, replication_check),
]

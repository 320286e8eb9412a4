"""Mailbox database copies and replication checks: ``Get-MailboxDatabaseCopyStatus`` and
``Test-ReplicationHealth`` objects, in any shape the reading layer reads.

    Name          Status              CopyQueueLength ReplayQueueLength LastInspectedLogTime  ContentIndexState
    ----          ------              --------------- ----------------- --------------------  -----------------
    DB01\\EX02     FailedAndSuspended  1204            0                 14.03.2019 13:00:00   Failed

    Server   Check            Result     Error
    ------   -----            ------     -----
    EX02     DBCopyFailed     *FAILED*   Database copy DB01\\EX02 is in a failed state.

A copy is named ``database\\server``. ``Format-Table`` may cut the name (``DB01\\EX0...``) or the
status (``FailedAndSus...``): the server then comes from the copy's other columns or from the
command (``-Server EX02``), a status from the one status name that begins so. Windows
PowerShell's ``ConvertTo-Json`` writes Status and ContentIndexState as enum numbers. Cmdlets print
enum names in English in every locale; dates and numbers follow the locale.
"""

from __future__ import annotations

from typing import Iterator

from hakb import Fact
from hakb.formats import epoch, parse_datetime, parse_int
from hakb.plugins.exchange.cmdline import argument
from hakb.shapes import Item, evidence, shape

#: The CopyStatus enum of the Exchange management tasks
#: (Microsoft.Exchange.Management.SystemConfigurationTasks.CopyStatus), by number.
COPY_STATUS = {0: "Unknown", 3: "Failed", 4: "Seeding", 5: "Suspended", 6: "Healthy", 7: "ServiceDown",
               8: "Initializing", 9: "Resynchronizing", 11: "Mounted", 12: "Dismounted", 13: "Mounting",
               14: "Dismounting", 15: "DisconnectedAndHealthy", 16: "FailedAndSuspended",
               17: "DisconnectedAndResynchronizing", 18: "NonExchangeReplication", 19: "SeedingSource",
               20: "Misconfigured"}
#: ContentIndexStatusType, by number.
CONTENT_INDEX = {0: "Unknown", 1: "Healthy", 2: "Crawling", 3: "Failed", 4: "Seeding",
                 5: "FailedAndSuspended", 6: "Suspended", 7: "Disabled", 8: "AutoSuspended"}
#: Format-Table's marks of a cut value.
_CUT = ("...", "\u2026")
#: Record shapes as the copy's ``source`` names them.
_SOURCES = {"list": "fl", "table": "table", "csv": "csv", "json": "json", "clixml": "clixml"}


def enum_name(value: str | None, names: dict[int, str]) -> str:
    """An enum value as its name: a number looked up, a cut name (``FailedAndSus...``) completed
    when exactly one longer name begins with it; anything else as written.

    >>> enum_name("16", COPY_STATUS), enum_name("FailedAndSus...", COPY_STATUS), enum_name("Disconnected...", COPY_STATUS)
    ('FailedAndSuspended', 'FailedAndSuspended', 'Disconnected...')
    """
    text = (value or "").strip()
    if text.isdigit():
        return names.get(int(text), text)
    if text.endswith(_CUT):
        shown = text.rstrip(".\u2026").lower()
        longer = [n for n in names.values() if n.lower().startswith(shown) and len(n) > len(shown)]
        if len(longer) == 1:
            return longer[0]
    return text


def _uncut(text: str) -> tuple[str, bool]:
    for mark in _CUT:
        if text.endswith(mark):
            return text[: -len(mark)], True
    return text, False


def _named_server(command: str, database: str, shown: str) -> str:
    """The server a command asked about (``-Server EX02``, identity ``DB01\\EX02``), when what the
    table shows of the server's name (``EX0``) begins it."""
    server = argument(command, "Get-MailboxDatabaseCopyStatus", "Server")
    if not server:
        identity = argument(command, "Get-MailboxDatabaseCopyStatus", "Identity", 0)
        named_db, _, server = identity.partition("\\")
        if database and named_db.lower() != database.lower():
            server = ""
    return server if server and server.lower().startswith(shown.lower()) else ""


def copy_of(item: Item) -> tuple[str, str]:
    """(database, server) of a copy record; "" for a part the output does not show."""
    name, cut = _uncut((item.get("Name") or item.get("Identity") or "").strip())
    database, backslash, server = name.partition("\\")
    if cut and not backslash:
        database = ""  # the database's own name was cut
    if cut:
        server = ""
    database = (item.get("DatabaseName") or database).strip()
    server = (item.get("MailboxServer") or server).strip()
    if not server and cut:
        shown = name.partition("\\")[2] if backslash else ""
        server = _named_server(item.command, database, shown)
    return database, server


def copy_status(item: Item) -> Iterator[Fact]:
    database, server = copy_of(item)
    inspected = (item.get("LastInspectedLogTime") or "").strip()
    moment = parse_datetime(inspected)
    line, text = evidence(item, "Status", "Name") if "DatabaseName" in item else evidence(item, "Name")
    yield Fact("exchange-db-copy", {
        "database": database, "server": server,
        "status": enum_name(item.get("Status"), COPY_STATUS),
        "copy_queue": parse_int(item.get("CopyQueueLength")),
        "replay_queue": parse_int(item.get("ReplayQueueLength")),
        "content_index": enum_name(item.get("ContentIndexState"), CONTENT_INDEX),
        "last_inspected": inspected, "last_inspected_epoch": epoch(moment) if moment else None,
        "source": _SOURCES.get(item.shape, item.shape),
        "listing": " ".join((item.command or "").split()),
    }, line=line, text=text)


def replication_check(item: Item) -> Iterator[Fact]:
    result = (item.get("Result") or "").strip()
    line, text = evidence(item, "Check")
    failed = "fail" in result.lower()
    yield Fact("exchange-replication-check", {
        "server": (item.get("Server") or "").strip(), "check": (item.get("Check") or "").strip(),
        # one line, whichever shape wrapped it (a table's continuation lines, a CSV cell's breaks)
        "result": result, "error": " ".join((item.get("Error") or "").split()),
        "passed": (not failed) if result and not result.isdigit() else None,
    }, line=line, text=text)


SHAPES = [
    shape("Get-MailboxDatabaseCopyStatus", {"name", "status", "copyqueuelength"}, copy_status),
    shape("Get-MailboxDatabaseCopyStatus", {"databasename", "status", "mailboxserver"}, copy_status),
    shape("Test-ReplicationHealth", {"server", "check", "result"}, replication_check),
]

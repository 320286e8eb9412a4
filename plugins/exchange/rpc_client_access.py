"""Exchange 2010 RPC Client Access logs (``...\\V14\\Logging\\RPC Client Access\\RCA_*.LOG``).

CSV after ``#`` header lines; the ``#Fields:`` line names the columns::

    #Fields: date-time,session-id,seq-number,client-name,organization-info,client-software,...
    2011-03-01T08:00:01.234Z,12,0,/o=Example/.../cn=jdoe,,OUTLOOK.EXE,12.0.6423.1000,Classic,...

Which Outlook builds connect, in which mode, and which calls fail is what rules need, not every
call: a log holds hundreds of thousands of lines. So the first Connect of each (client, version,
mode) and the first failure of each (client, status) become ``rpc-client-session`` facts.
"""

from __future__ import annotations

from typing import Iterable, Iterator

from hakb import Artifact, Fact, Head, Parser
from hakb.plugins.exchange.common import records_of

EXPECTED = ("date-time", "client-name", "client-software", "client-software-version", "operation")


def _version(version: str) -> tuple[int | None, int | None]:
    parts = version.split(".")
    major = int(parts[0]) if parts and parts[0].isdigit() else None
    build = int(parts[2]) if len(parts) > 2 and parts[2].isdigit() else None
    return major, build


def recognise(head: Head) -> int:
    for line in head.lines[:30]:
        if line.startswith("#Fields:") and all(name in line for name in EXPECTED):
            return 100
    if "#Log-type: RCA" in head.text:
        return 80
    return 0


def parse(lines: Iterable[tuple[int, str]], artifact: Artifact) -> Iterator[Fact]:
    """Rows come from the core's CSV reader (it reads ``#Fields:`` headers and quoting); which
    rows are kept needs what was seen before, so this stays a parser of the whole log."""
    seen: set[tuple] = set()
    for row in records_of(lines):  # a row the CSV reader cannot read fails with its line
        operation = row.get("operation") or ""
        status = row.get("rpc-status") or ""
        failures = row.get("failures") or ""
        failed = (status not in ("", "0")) or bool(failures)
        client = row.get("client-name") or ""
        version = row.get("client-software-version") or ""
        mode = row.get("client-mode") or ""
        if operation.lower() == "connect" and not failed:
            marker: tuple = ("connect", client.lower(), version, mode)
        elif failed:
            marker = ("failure", client.lower(), status)
        else:
            continue
        if marker in seen:
            continue
        seen.add(marker)
        major, build = _version(version)
        yield Fact("rpc-client-session", {
            "client_name": client, "software": row.get("client-software") or "",
            "version": version, "major": major, "client_build": build, "mode": mode,
            "client_ip": row.get("client-ip") or "", "server_ip": row.get("server-ip") or "",
            "operation": operation, "rpc_status": status, "failures": failures,
            "time": row.get("date-time") or "",
        }, line=row.first_line, text=row.text("date-time"))


PARSERS = [
    Parser("rpc-client-access-log", recognise, parse,
           "Exchange 2010 RPC Client Access logs: Outlook builds, modes and failed calls"),
]

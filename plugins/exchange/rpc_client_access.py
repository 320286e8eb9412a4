"""Exchange 2010 RPC Client Access logs (``...\\V14\\Logging\\RPC Client Access\\RCA_*.LOG``).

CSV after ``#`` header lines; the ``#Fields:`` line names the columns::

    #Fields: date-time,session-id,seq-number,client-name,organization-info,client-software,...
    2011-03-01T08:00:01.234Z,12,0,/o=Example/.../cn=jdoe,,OUTLOOK.EXE,12.0.6423.1000,Classic,...

Which Outlook builds connect, in which mode, and which calls fail is what rules need, not every
call: a log holds hundreds of thousands of lines. So the first Connect of each (client, version,
mode) and the first failure of each (client, status) become ``rpc-client-session`` facts.

Rows are split with the standard :mod:`csv` module here rather than through the core's CSV
reader (:mod:`hakb.reading.csv`, which reads the same ``#Fields:`` header): that reader builds
a record per row with every value's line, about ten times the cost on a log of hundreds of
thousands of rows of which a handful are kept. No signatures are declared for a scanning
prefilter: a failed call is told by its rpc-status value, which no literal text selects.
"""

from __future__ import annotations

import csv
from typing import Iterable, Iterator

from hakb import Artifact, Fact, Head, Parser

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
    fields: list[str] = []
    seen: set[tuple] = set()
    for number, text in lines:
        if text.startswith("#"):
            if text.startswith("#Fields:"):
                fields = [f.strip().lower() for f in text[len("#Fields:"):].split(",")]
            continue
        if not fields or not text.strip():
            continue
        try:
            cells = next(csv.reader([text]))
        except (csv.Error, StopIteration):
            continue
        row = dict(zip(fields, cells))
        operation = row.get("operation", "")
        status = row.get("rpc-status", "").strip()
        failures = row.get("failures", "").strip()
        failed = (status not in ("", "0")) or bool(failures)
        client = row.get("client-name", "")
        version = row.get("client-software-version", "")
        mode = row.get("client-mode", "")
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
            "client_name": client, "software": row.get("client-software", ""),
            "version": version, "major": major, "client_build": build, "mode": mode,
            "client_ip": row.get("client-ip", ""), "server_ip": row.get("server-ip", ""),
            "operation": operation, "rpc_status": status, "failures": failures,
            "time": row.get("date-time", ""),
        }, line=number, text=text)


PARSERS = [
    Parser("rpc-client-access-log", recognise, parse,
           "Exchange 2010 RPC Client Access logs: Outlook builds, modes and failed calls"),
]

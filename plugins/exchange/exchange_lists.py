"""Exchange Management Shell ``Format-List`` output about clients, certificates and transport.

One parser reads every record kind the messaging rules use (certificates, federation trust, CAS
and CAS arrays, virtual directory URLs, databases, moves, connectors, accepted domains, EdgeSync)
and decides per record by its property names, so a pasted transcript of several commands is read
whole (tables such as ``Get-ClientAccessArray`` without ``| fl`` too)::

    [PS] C:\\>Get-ExchangeCertificate | fl Thumbprint,Services,NotAfter
    Thumbprint : 5A1B2C3D4E5F60718293A4B5C6D7E8F901234567
    Services   : IIS, SMTP
    NotAfter   : 14.03.2019 13:00:00

Records of other kinds (Get-ExchangeServer, ...) are left to the parsers that know them.
A certificate printed inside a value (``OrgCertificate : [Subject] ...``) contains blank lines;
they are dropped so the record is not cut in two. A PowerShell transcript header (``Start time:
20110301100000``) says when the output was taken: it becomes a ``collection-time`` fact, the
moment time-based rules (certificate expiry, EdgeSync lag) judge against.
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Iterable, Iterator

from hakb import Artifact, Fact, Head, Parser
from hakb.formats import Record, Row, epoch, property_names, read_output
from hakb.plugins.exchange import certificate_records, client_access_records, transport_records

RECORD_KINDS = (certificate_records.RECORD_KINDS + transport_records.RECORD_KINDS
                + client_access_records.RECORD_KINDS)


def kind_of(names: set[str]) -> tuple | None:
    """The (kind, converter) for a record with these lower-case property names, or None."""
    for kind, matches, convert in RECORD_KINDS:
        if matches(names):
            return kind, convert
    return None


def _table_headers(head: Head) -> Iterator[set[str]]:
    lines = head.lines
    for index, line in enumerate(lines[:-1]):
        if line.strip() and lines[index + 1].strip().startswith("--"):
            yield {word.lower() for word in line.split()}


def recognise(head: Head) -> int:
    names = property_names(head.text)
    if names and kind_of(names) is not None:
        return 80
    if any(kind_of(header) is not None for header in _table_headers(head)):
        return 70
    return 0


_BLOCK_START = re.compile(r"^\S[^:]*?\s:\s*\[Subject\]\s*$")


def _join_certificate_blocks(lines: Iterable[tuple[int, str]]) -> Iterator[tuple[int, str]]:
    """Drop blank lines inside a certificate printed as a value (``Name : [Subject] ...``).

    Such a value is a run of indented ``[Section]`` blocks separated by blank lines and ends with
    one; a blank line there does not end the record, so it is dropped unless the next line is
    neither indented nor a property (then the record really ended).
    """
    inside = False
    held: tuple[int, str] | None = None
    for number, text in lines:
        if held is not None:
            if not text.strip():
                continue  # several blank lines: keep holding the first
            indented = text[:1].isspace()
            if not (inside and (indented or " : " in text or text.rstrip().endswith(":"))):
                yield held
            held = None
            if not indented:
                inside = False
        if _BLOCK_START.match(text):
            inside = True
        if not text.strip() and inside:
            held = (number, text)
            continue
        if not text.strip():
            inside = False
        yield number, text
    if held is not None:
        yield held


_TRANSCRIPT_START = re.compile(r"^\s*Start time:\s*(?P<stamp>\d{14})\s*$", re.I)


def _watch_transcript(lines: Iterable[tuple[int, str]], found: list[Fact]) -> Iterator[tuple[int, str]]:
    """Pass lines on; a transcript's start time is put in ``found`` as a collection-time fact."""
    for number, text in lines:
        match = _TRANSCRIPT_START.match(text)
        if match:
            try:
                moment = datetime.strptime(match.group("stamp"), "%Y%m%d%H%M%S")
            except ValueError:
                moment = None
            if moment is not None:
                found.append(Fact("collection-time", {"epoch": epoch(moment),
                                                      "source": "PowerShell transcript start time"},
                                  line=number, text=text))
            continue
        yield number, text


def facts_of(record: Record | Row) -> list[Fact]:
    found = kind_of({name.lower() for name in record.names()})
    if found is None:
        return []
    result = found[1](record)
    return result if isinstance(result, list) else [result]


def parse(lines: Iterable[tuple[int, str]], artifact: Artifact) -> Iterator[Fact]:
    found: list[Fact] = []
    for record in read_output(_join_certificate_blocks(_watch_transcript(lines, found))):
        yield from found
        found.clear()
        yield from facts_of(record)
    yield from found


PARSERS = [
    Parser("exchange-messaging-list", recognise, parse,
           "Exchange Format-List output: certificates, federation trust, CAS, URLs, connectors, moves"),
]

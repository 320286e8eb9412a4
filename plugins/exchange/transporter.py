"""Microsoft Transporter Suite trace and error text (POP/IMAP to Exchange migrations).

The console writes .NET trace lines, ``<process> <Level>: <id> : <message>``, followed by stack
traces; two messages mark the IMAP fetch failures that batch size and buffer settings govern::

    mmc.exe Error: 0 : Microsoft.Exchange.Transporter.TransporterException: Failed to retrieve the
      properties of a message in folder INBOX for the following reason:  FETCH parse error..
    mmc.exe Warning: 0 : Aborting client operation for command ReadLine with response Failed to
      read response: ReadLine returned a null response..

Each line carrying one of them becomes a ``transporter-error`` fact (at most a few per kind: the
rule needs the symptom and its evidence, not every repetition).
"""

from __future__ import annotations

import re
from typing import Iterable, Iterator

from hakb import Artifact, Fact, Head, Parser

#: Facts kept per kind of error and artifact; a failing migration repeats the same line thousands of times.
MAX_PER_KIND = 20

_KINDS = (
    ("fetch-parse-error", re.compile(r"FETCH parse error", re.I)),
    ("readline-null", re.compile(r"ReadLine returned a null response", re.I)),
)
#: The messages as the Transporter writes them (a bare mention of the words, as in notes, is not one).
_SIGNATURES = re.compile(r"following reason:\s+FETCH parse error|Failed to read response: ReadLine returned a null"
                         r" response", re.I)
_TRACE = re.compile(r"^\s*(?P<process>\S+\.exe)\s+(?P<level>Error|Warning|Information|Critical|Verbose)"
                    r"\s*:\s*\d+\s*:\s*(?P<message>.*)$", re.I)
_FOLDER = re.compile(r"in folder (?P<folder>.+?) for the following reason", re.I)
_EXCEPTION = re.compile(r"Microsoft\.Exchange\.Transporter\.(?P<name>\w*Exception)\b")


def recognise(head: Head) -> int:
    text = head.text
    if "Microsoft.Exchange.Transporter" in text:
        return 100
    if _SIGNATURES.search(text):
        return 60
    return 10 if "transporter" in head.name.lower() else 0


def parse(lines: Iterable[tuple[int, str]], artifact: Artifact) -> Iterator[Fact]:
    counts = {kind: 0 for kind, _ in _KINDS}
    for number, text in lines:
        for kind, pattern in _KINDS:
            if not pattern.search(text):
                continue
            if counts[kind] >= MAX_PER_KIND:
                break
            counts[kind] += 1
            trace = _TRACE.match(text)
            folder = _FOLDER.search(text)
            exception = _EXCEPTION.search(text)
            yield Fact("transporter-error", {
                "kind": kind,
                "level": trace.group("level").capitalize() if trace else "",
                "process": trace.group("process") if trace else "",
                "folder": folder.group("folder").strip() if folder else "",
                "exception": exception.group("name") if exception else "",
                "message": (trace.group("message") if trace else text).strip(),
            }, line=number, text=text)
            break


PARSERS = [
    Parser("transporter-trace", recognise, parse,
           "Microsoft Transporter Suite trace/error text: IMAP FETCH parse and ReadLine failures",
           signatures=("FETCH parse error", "ReadLine returned a null response")),
]

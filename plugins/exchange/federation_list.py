"""``Get-FederationTrust`` output, whose certificates print as blocks with blank lines between.

``Format-List`` prints the trust's certificates (X509Certificate2.ToString) as indented
``[Section]`` blocks separated by blank lines, inside one record::

    OrgCertificate           : [Subject]
                                 CN=Federation

                               [Thumbprint]
                                 AB12CD34EF56AB12CD34EF56AB12CD34EF56AB12

    OrgPrevCertificate       :
    Name                     : Microsoft Federation Gateway

The core's list reader ends a record at a blank line, which would cut the trust in three and
lose the thumbprint. So a section run by ``Get-FederationTrust`` (or one showing such a block)
comes here: the blank lines inside a certificate value are dropped, then the core reads the
records (any shape: list, JSON, CSV, Clixml) and :mod:`certificate_records` maps them. When the
core's list reader keeps blank lines inside an indented value, this module can go.
"""

from __future__ import annotations

import re
from typing import Iterable, Iterator

from hakb import Artifact, Fact, Head, Parser, ParseError
from hakb.formats import is_noise, is_warning
from hakb.sections import command_matches, head_command
from hakb.shapes import convert
from hakb.plugins.exchange.certificate_records import CERTIFICATE_SHAPES, FEDERATION_SHAPES
from hakb.plugins.exchange.common import records_of

COMMAND = "Get-FederationTrust"
SHAPES = FEDERATION_SHAPES + CERTIFICATE_SHAPES

_BLOCK_START = re.compile(r"^\S[^:]*?\s:\s*\[Subject\]\s*$")
_PROPERTY = re.compile(r"^[A-Za-z][\w.-]*\s+:")


def join_certificate_blocks(lines: Iterable[tuple[int, str]]) -> Iterator[tuple[int, str]]:
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
            if not (inside and (indented or _PROPERTY.match(text) or text.rstrip().endswith(":"))):
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


def recognise(head: Head) -> int:
    if command_matches(head_command(head), COMMAND):
        return 100
    lines = head.lines
    for index, line in enumerate(lines):
        if _BLOCK_START.match(line) and any(not later.strip() for later in lines[index + 1:index + 4]):
            return 95  # above an object parser's claim (90): a block value the core would cut
    return 0


def parse(lines: Iterable[tuple[int, str]], artifact: Artifact) -> Iterator[Fact]:
    section = artifact.section
    command = section.command if section is not None else ""
    found = printed = 0

    def watched() -> Iterator[tuple[int, str]]:
        nonlocal printed
        for number, text in lines:
            if text.strip() and not is_noise(text) and not is_warning(text):
                printed += 1
            yield number, text

    for record in records_of(join_certificate_blocks(watched()), command):
        for fact in convert(record, SHAPES):
            found += 1
            yield fact
    if printed and not found and command_matches(command, COMMAND):
        start = section.start if section is not None else 1
        raise ParseError(f"line {start}: the output of {command!r} could not be read (no federation "
                         "trust in it has OrgCertificate, OrgPrivCertificate or TokenIssuerUri)")


PARSERS = [
    Parser("exchange-federation-trust", recognise, parse,
           "Get-FederationTrust output in any shape, certificates printed in blocks included"),
]

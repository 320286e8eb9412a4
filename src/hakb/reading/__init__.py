"""The reading layer: objects in any shape a tool prints them, as :class:`Record` objects.

Parsers map records (by command, type or property set: see :mod:`hakb.shapes`) to facts; they
never read a text shape themselves. :func:`read_records` picks the reader for a section's lines:
structured formats (CSV, JSON, Clixml and esxcli XML, esxcli key-value, vim-cmd data objects,
registry exports, file listings) are told by their first lines, console text paragraph by
paragraph (:func:`hakb.reading.text.read_text`: ``Format-List``, tables, ``Key: value`` blocks,
column tables).
"""

from __future__ import annotations

from itertools import islice
from typing import Iterable, Iterator

from hakb.reading.record import Line, Record, Value, key

__all__ = ["Record", "Value", "key", "read_records", "structured_reader"]

#: Lines looked at to tell a structured format (after blank lines and prompts).
SNIFF_LINES = 40


def _structured():
    """(looks_like, read) of each structured format, most distinctive first: a registry export
    starts with ``[`` like JSON does; a listing or CSV is told only after the others."""
    from hakb.reading import csv, esxi, events, json, listing, registry, xml

    return ((registry.looks_like, registry.read), (events.looks_like, events.read),
            (xml.looks_like, xml.read),
            (json.looks_like, json.read), (esxi.looks_like_keyvalue, esxi.read_keyvalue),
            (esxi.looks_like_vmodl, esxi.read_vmodl), (csv.looks_like, csv.read),
            (listing.looks_like, listing.read))


def structured_reader(head: list[str]):
    """The ``read`` function of the structured format ``head`` (first lines) is in, or None.

    >>> structured_reader(['"Name","State"', '"w1","Up"']).__module__
    'hakb.reading.csv'
    >>> structured_reader(["Name  : w1"]) is None
    True
    """
    for looks_like, read in _structured():
        if looks_like(head):
            return read
    return None


def read_records(lines: Iterable[Line], command: str = "") -> Iterator[Record]:
    """Every record in ``lines`` (one section's ``(number, text)`` pairs, streamed), each
    carrying ``command``.

    >>> text = ["Name       : EX01", "ServerRole : Mailbox"]
    >>> [(r.shape, r.get("name"), r.command) for r in read_records(enumerate(text, 1), "Get-X | fl")]
    [('list', 'EX01', 'Get-X | fl')]
    """
    from hakb.formats import is_noise, is_warning
    from hakb.reading.text import read_text

    source = _without_pager_noise(lines)
    head = list(islice(source, SNIFF_LINES))
    texts = [t for _, t in head if t.strip() and not is_noise(t)]
    # WARNING lines a cmdlet printed before its output (``Get-X | ConvertTo-Json``) are not
    # part of the document: they go to its first record, as the text reader does with them
    warned = 0
    while warned < len(texts) and is_warning(texts[warned]):
        warned += 1
    reader = structured_reader(texts[warned:]) if warned < len(texts) else None
    warnings: list[Line] = []
    if reader is None:
        reader = read_text
    else:  # a structured document starts after the prompt, blank and WARNING lines before it
        while head and (not head[0][1].strip() or is_noise(head[0][1]) or is_warning(head[0][1])):
            number, text = head.pop(0)
            if is_warning(text):
                warnings.append((number, text))

    def all_lines() -> Iterator[Line]:
        yield from head
        yield from source

    for record in reader(all_lines()):
        record.command = command
        if warnings:
            record.warnings[:0], warnings = warnings, []
        yield record


def parse_records(lines: Iterable[Line], command: str = "") -> Iterator[Record]:
    """:func:`read_records` for a parser: output a reader cannot make sense of (CSV cut inside a
    quote, JSON, XML or a VMODL dump cut short) is a :class:`hakb.ParseError` naming its line, as
    the plugin API asks of a parser that cannot read its input."""
    from hakb.model import ParseError

    try:
        yield from read_records(lines, command)
    except ValueError as exc:
        raise ParseError(f"the output cannot be read: {exc}") from None


def _without_pager_noise(lines: Iterable[Line]) -> Iterator[Line]:
    """Lines as pasted from a terminal, without what a pager or the terminal added: ANSI escapes,
    backspaces and ``--More--`` marks are taken out of a line (a line holding nothing else is
    dropped), so a row the pager prompt was printed in front of is read like the others."""
    from hakb.sections import clean_line

    for number, text in lines:
        if "\x1b" in text or "\x08" in text or "More--" in text:
            text = clean_line(text)
            if not text.strip():
                continue
        yield number, text

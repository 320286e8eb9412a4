"""Object parsers: a plugin says which objects it maps to facts, by command or property set.

Helpdesks paste several cmdlets into one file, in any shape (``fl``, a table, CSV, JSON, Clixml;
esxcli's default, CSV, key-value or XML output), so an object parser never reads text: the core's
reading layer (:mod:`hakb.reading`) turns a section into records and each record goes to the
shape it fits. A shape is declared by the names its records have, optionally the commands that
print it and the type names it carries::

    Shape("Get-ClusterParameter", needs={"Object", "Name", "Value"}, convert=parameter,
          commands=("Get-ClusterParameter",))

``convert(record)`` yields facts; :func:`evidence` gives the line a fact should point at.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import islice
from typing import Callable, Iterable, Iterator, Sequence

from hakb.model import Artifact, Fact, Head, ParseError, Parser
from hakb.reading import Record, key, parse_records, read_records
from hakb.sections import command_matches, head_command, producer

Item = Record

#: Records of a head read to recognise a section's objects.
HEAD_RECORDS = 200


@dataclass(frozen=True)
class Shape:
    """One kind of object: the (normalised) names every record of it has, and its converter.

    ``commands`` name the commands whose output it is (``Get-ClusterParameter``,
    ``esxcli network nic list``): a section run by one of them is recognised by its command, and
    is an error when none of its records can be read. ``types`` are type names the record may
    carry (``#TYPE``, Clixml, esxcli ``typeName``), used only for recognition.
    """

    name: str
    needs: frozenset[str]
    convert: Callable[[Record], Iterator[Fact]]
    commands: tuple[str, ...] = ()
    types: tuple[str, ...] = ()
    #: A further test a record must pass (its reader, command, a value), for objects a property
    #: set alone cannot tell apart (``Get-ClusterNode`` on 2008 R2 prints only Name and State).
    when: Callable[[Record], bool] | None = None

    def fits(self, record: Record) -> bool:
        return self.needs <= record.keys() and (self.when is None or bool(self.when(record)))

    def runs(self, command: str) -> bool:
        """True when ``command``'s output is this shape's objects (its producing stage runs one
        of ``commands``: ``Get-VM x | Get-Snapshot`` prints snapshots, not VMs)."""
        if not command or not self.commands:
            return False
        made_by = producer(command)
        return any(command_matches(made_by, c) for c in self.commands)


def shape(name: str, needs: Iterable[str], convert: Callable[[Record], Iterator[Fact]],
          commands: Sequence[str] | None = None, types: Sequence[str] = (),
          when: Callable[[Record], bool] | None = None) -> Shape:
    """A :class:`Shape`, with ``needs`` given as the names a person would write. Without
    ``commands``, the name is the command that prints it (``Get-ClusterParameter``,
    ``esxcli network nic list``)."""
    return Shape(name, frozenset(key(n) for n in needs), convert,
                 tuple(commands) if commands is not None else (name,), tuple(types), when)


def claim(records: Sequence[Record], command: str, shapes: Sequence[Shape]) -> int:
    """How surely ``shapes`` are the objects of a section: 100 when the section's command prints
    one of them, 90 when one of its first records fits one, else 0."""
    if any(s.runs(command) for s in shapes):
        return 100
    if any(s.fits(r) for r in records for s in shapes):
        return 90
    return 0


def convert(record: Record, shapes: Sequence[Shape]) -> Iterator[Fact]:
    """The facts of the first of ``shapes`` the record fits; nothing when it fits none."""
    for candidate in shapes:
        if candidate.fits(record):
            yield from candidate.convert(record)
            return


def recognise_shapes(head: Head, shapes: Sequence[Shape]) -> int:
    """:func:`claim` over the records of a head (for an object parser used on its own, the
    command may still be on the head's first line)."""
    command = head_command(head)
    records = list(islice(read_records(enumerate(head.text.splitlines(), 1), command), HEAD_RECORDS))
    return claim(records, command, shapes)


def parse_shapes(lines: Iterable[tuple[int, str]], shapes: Sequence[Shape],
                 command: str = "") -> Iterator[Fact]:
    """Facts of every record that fits a shape (the first that fits); others are skipped.
    Input the reading layer cannot read is a :class:`hakb.ParseError` naming the line."""
    try:
        for record in parse_records(lines, command):
            yield from convert(record, shapes)
    except ValueError as exc:  # a shape's conversion refusing a value
        raise ParseError(str(exc)) from None


def object_parser(name: str, shapes: Sequence[Shape], description: str) -> Parser:
    """A parser mapping ``shapes``. In a diagnosis the core reads each section's records once and
    offers every record to every object parser; used alone (tests), it reads the lines itself."""
    def parse(lines: Iterable[tuple[int, str]], artifact: Artifact) -> Iterator[Fact]:
        section = artifact.section
        return parse_shapes(lines, shapes, section.command if section is not None else "")

    return Parser(name=name, description=description, shapes=tuple(shapes),
                  recognise=lambda head: recognise_shapes(head, shapes), parse=parse)


#: The name object parsers had in the first plugin API.
shell_parser = object_parser


def evidence(item: Record, *names: str) -> tuple[int, str]:
    """(line, text) of the first of ``names`` the item has: the line a fact should point at."""
    for name in names:
        if name in item:
            return item.line(name), item.text(name)
    return item.first_line, item.text(item.names()[0]) if item.names() else ""


def short_name(name: str) -> str:
    """A host name without domain, lower case: ``EX01.example.com`` -> ``ex01``."""
    return (name or "").strip().strip("\\").split(".")[0].lower()

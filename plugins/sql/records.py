"""Small helpers for the sql plugin's object shapes.

:func:`object_parser` is :func:`hakb.shapes.object_parser` whose ``parse`` (used on its own:
tests, ``hakb parse``) reports input the reading layer cannot read (broken JSON or CSV) as
:class:`hakb.ParseError`, as the parser contract asks; in a diagnosis the core reads the records
itself and reports such a section as an error either way.
"""

from __future__ import annotations

from typing import Iterator, Sequence

from hakb import Fact, ParseError
from hakb.model import Parser
from hakb.reading import Record
from hakb.shapes import Shape
from hakb.shapes import object_parser as core_object_parser


def object_parser(name: str, shapes: Sequence[Shape], description: str) -> Parser:
    parser = core_object_parser(name, shapes, description)

    def parse(lines, artifact) -> Iterator[Fact]:
        try:
            yield from parser.parse(lines, artifact)
        except ValueError as exc:
            raise ParseError(str(exc)) from None

    return Parser(name=parser.name, description=parser.description, shapes=parser.shapes,
                  recognise=parser.recognise, parse=parse)


def first(record: Record, *names: str) -> str:
    """The first of ``names`` the record has, as text ("" when it has none)."""
    return record.first(*names) or ""

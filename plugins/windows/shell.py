"""Reading pasted PowerShell output by shape: each record or row goes to the converter whose
properties (``fl``) or columns (tables) it has.

Helpdesks paste several cmdlets into one file, in ``fl`` or table layout, so a parser built here
recognises any of its shapes and converts each record on its own. Shapes are declared by the
names that identify them, e.g. ``Shape("Get-Cluster", {"samesubnetdelay"}, convert)``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Callable, Iterable, Iterator, Sequence

from hakb import Fact, Head, Parser
from hakb.formats import Record, Row, is_noise, property_names, read_output

Item = Record | Row


@dataclass(frozen=True)
class Shape:
    """One cmdlet's output: the (lower-case) names every record of it has, and its converter."""

    name: str
    needs: frozenset[str]
    convert: Callable[[Item], Iterator[Fact]]

    def fits(self, names: set[str]) -> bool:
        return self.needs <= names


def shape(name: str, needs: Iterable[str], convert: Callable[[Item], Iterator[Fact]]) -> Shape:
    return Shape(name, frozenset(n.lower() for n in needs), convert)


_RULE = re.compile(r"^\s*-+(?:\s+-+)+\s*$|^\s*-{2,}\s*$")


def header_names(text: str) -> set[str]:
    """Lower-cased column names of every table header (a line above a dash rule) in ``text``."""
    names: set[str] = set()
    previous = ""
    for line in text.splitlines():
        if _RULE.match(line) and previous.strip() and not is_noise(previous):
            names.update(word.lower() for word in previous.split())
        previous = line
    return names


def recognise_shapes(head: Head, shapes: Sequence[Shape]) -> int:
    """100 when the head holds a record or table header of one of ``shapes``, else 0."""
    names = property_names(head.text)
    columns = header_names(head.text)
    for candidate in shapes:
        if candidate.fits(names) or candidate.fits(columns):
            return 100
    return 0


def parse_shapes(lines: Iterable[tuple[int, str]], shapes: Sequence[Shape]) -> Iterator[Fact]:
    """Facts of every record or row that fits a shape (the first that fits); others are skipped."""
    for item in read_output(lines):
        names = {n.lower() for n in item.names()}
        for candidate in shapes:
            if candidate.fits(names):
                yield from candidate.convert(item)
                break


def shell_parser(name: str, shapes: Sequence[Shape], description: str) -> Parser:
    return Parser(name=name, description=description,
                  recognise=lambda head: recognise_shapes(head, shapes),
                  parse=lambda lines, artifact: parse_shapes(lines, shapes))


def evidence(item: Item, *names: str) -> tuple[int, str]:
    """(line, text) of the first of ``names`` the item has: the line a fact should point at."""
    for name in names:
        if name in item:
            return item.line(name), item.text(name)
    return item.first_line, item.text(item.names()[0]) if item.names() else ""


def short_name(name: str) -> str:
    """A host name without domain, lower case: ``EX01.example.com`` -> ``ex01``."""
    return (name or "").strip().strip("\\").split(".")[0].lower()

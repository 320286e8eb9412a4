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

from hakb.model import Fact, Head, Parser
from hakb.formats import Record, Row, format_table, is_noise, property_names, read_output

Item = Record | Row


@dataclass(frozen=True)
class Shape:
    """One cmdlet's output: the (lower-case) names every record of it has, and its converter."""

    name: str
    needs: frozenset[str]
    convert: Callable[[Item], Iterator[Fact]]

    def fits(self, names: set[str]) -> bool:
        return self.needs <= names


def key(name: str) -> str:
    """Names compare without case or white space, as :mod:`hakb.formats` looks them up."""
    return "".join(name.split()).lower()


def shape(name: str, needs: Iterable[str], convert: Callable[[Item], Iterator[Fact]]) -> Shape:
    return Shape(name, frozenset(key(n) for n in needs), convert)


_RULE = re.compile(r"^\s*-+(?:\s+-+)+\s*$|^\s*-{2,}\s*$")


def header_names(text: str) -> list[set[str]]:
    """Lower-cased column names of each table header (a line above a dash rule) in ``text``."""
    headers: list[set[str]] = []
    before, previous = "", ""
    for line in text.splitlines():
        if _RULE.match(line) and previous.strip() and not is_noise(previous):
            # read the header (one or two lines) as a table with one row, so columns are cut as
            # rows will be
            table = list(format_table([(1, before), (2, previous), (3, line), (4, "x" * len(line))]))
            if table and {key(c) for c in table[0].columns} not in headers:
                headers.append({key(c) for c in table[0].columns})
        before, previous = previous, line
    return headers


def recognise_shapes(head: Head, shapes: Sequence[Shape]) -> int:
    """100 when the head holds a record or table header of one of ``shapes``, else 0."""
    names = property_names(head.text)
    headers = header_names(head.text)
    for candidate in shapes:
        if candidate.fits(names) or any(candidate.fits(columns) for columns in headers):
            return 100
    return 0


def parse_shapes(lines: Iterable[tuple[int, str]], shapes: Sequence[Shape]) -> Iterator[Fact]:
    """Facts of every record or row that fits a shape (the first that fits); others are skipped."""
    for item in read_output(lines):
        names = {key(n) for n in item.names()}
        for candidate in shapes:
            if candidate.fits(names):
                yield from candidate.convert(item)
                break


def shell_parser(name: str, shapes: Sequence[Shape], description: str) -> Parser:
    return Parser(name=name, description=description, shapes=tuple(shapes),
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

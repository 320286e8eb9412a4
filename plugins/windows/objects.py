"""Small helpers for this plugin's object shapes: shapes that need more than a property set, and
values as PowerShell serialises them (enums as numbers in ``ConvertTo-Json``).

A property set alone cannot tell every object apart: ``Get-ClusterNode`` on Windows 2008 R2
prints only ``Name`` and ``State``, as ``Get-VM`` and many others do. :func:`guarded` makes a
shape that also asks something of the record (its command, its reader, a value: the core's
``Shape.when``), so that such a shape neither takes records that are not its objects nor claims
sections that are not its own.
"""

from __future__ import annotations

from typing import Callable, Iterable, Iterator, Mapping, Sequence

from hakb import Fact
from hakb.reading import Record, key
from hakb.sections import command_matches
from hakb.shapes import Shape

Guard = Callable[[Record], bool]


def guarded(name: str, needs: Iterable[str], convert: Callable[[Record], Iterator[Fact]], guard: Guard,
            commands: Sequence[str] | None = ()) -> Shape:
    """A shape whose records must also pass ``guard`` (the core's ``Shape.when``). ``commands``
    default to none: a guarded shape recognises its objects, not a command line."""
    return Shape(name, frozenset(key(n) for n in needs), convert,
                 tuple(commands) if commands is not None else (name,), (), guard)


def ran(*commands: str) -> Guard:
    """A guard: the record's section ran one of ``commands`` (``Get-ClusterNode``)."""
    return lambda record: any(command_matches(record.command, c) for c in commands)


def enum(value: str | None, names: Mapping[int, str]) -> str:
    """An enum as its name: ``ConvertTo-Json`` writes enums as numbers (``"State": 0``), every
    other shape writes the name. Text that is no number is returned as it is.

    >>> enum("0", {0: "Up", 1: "Down"}), enum("Down", {0: "Up", 1: "Down"})
    ('Up', 'Down')
    """
    text = (value or "").strip()
    if text.lstrip("-").isdigit():
        return names.get(int(text), text)
    return text


def first(record: Record, *names: str) -> str:
    """The first of ``names`` the record has, as text ("" when it has none)."""
    return record.first(*names) or ""

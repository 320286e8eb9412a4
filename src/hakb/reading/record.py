"""One object as a tool printed it: named values, each with the line it came from.

Every reader in :mod:`hakb.reading` (PowerShell list, table, CSV, JSON, Clixml; esxcli default,
CSV, key-value and XML output; vim-cmd data objects; registry exports; file listings) yields
:class:`Record` objects, so a parser maps *objects* to facts and never reads a text shape itself.

Names are looked up ignoring case, spaces, underscores and dots' neighbours (``Node ID`` ==
``NodeId`` == ``node_id``), as people and tools spell them differently. Values are text as the
tool printed it; :meth:`Record.values` gives the items of a collection whatever its shape
(``{a, b}``, a JSON array, a Clixml list, an XML ``<list>``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterator

Line = tuple[int, str]


def key(name: str) -> str:
    """How property names compare: case, white space, ``_`` and ``-`` do not matter.

    >>> key("Node ID") == key("NodeId") == key("node_id")
    True
    """
    return "".join(name.split()).replace("_", "").replace("-", "").lower()


@dataclass
class Value:
    """One named value: the text, the items when the source had a collection, and its place."""

    name: str
    value: str
    line: int
    text: str
    items: list[str] | None = None
    truncated: bool = False
    #: What a reader knows beyond the text, for parsers that need it (a registry value's type and
    #: raw data); None for most shapes.
    meta: dict | None = None


@dataclass
class Record:
    """One object. ``shape`` says which reader made it (``list``, ``table``, ``csv``, ``json``,
    ``clixml``, ``esxcli-xml``, ``keyvalue``, ``blocks``, ``vmodl``, ``columns``, ``reg``,
    ``listing``); ``type_name`` the object's type when the source says it (``#TYPE`` of a CSV,
    a Clixml ``<TN>``, an esxcli ``structure typeName``, a registry key path); ``command`` the
    command line of the section it came from, when known; ``title`` the line naming an object above
its fields (esxcli's ``vmk0``, ipconfig's ``Ethernet adapter LAN:``). ``warnings`` holds PowerShell
    ``WARNING:`` lines seen just before it (cmdlets report real state there)."""

    shape: str = ""
    type_name: str = ""
    command: str = ""
    title: str = ""
    first_line: int = 0
    warnings: list[Line] = field(default_factory=list)
    columns: list[str] = field(default_factory=list)
    _values: dict[str, Value] = field(default_factory=dict, repr=False)

    # -- building ---------------------------------------------------------------------------

    def set(self, name: str, value: str, line: int, text: str = "", items: list[str] | None = None,
            truncated: bool = False, meta: dict | None = None) -> None:
        """Add (or replace) a value; the first value set fixes the record's first line."""
        self._values[key(name)] = Value(name, value, line, text, items, truncated, meta)
        if not self.first_line:
            self.first_line = line

    # -- reading ----------------------------------------------------------------------------

    def get(self, name: str, default: str | None = None) -> str | None:
        """The value of ``name`` as text (stripped), or ``default`` when the record lacks it."""
        item = self._values.get(key(name))
        return item.value if item is not None else default

    def first(self, *names: str) -> str | None:
        """The value of the first of ``names`` the record has (tools name one property several ways)."""
        for name in names:
            item = self._values.get(key(name))
            if item is not None:
                return item.value
        return None

    def value(self, name: str) -> Value | None:
        """The :class:`Value` behind ``name`` (its items, line and ``meta``), or None."""
        return self._values.get(key(name))

    def values(self, name: str) -> list[str]:
        """The items of a collection value: ``{a, b}``, ``a, b``, a JSON array, an XML list.
        A single value is a one-item list, an empty or missing one an empty list."""
        item = self._values.get(key(name))
        if item is None:
            return []
        if item.items is not None:
            return list(item.items)
        from hakb.formats import collection
        return collection(item.value)

    def line(self, name: str) -> int:
        """The line where ``name`` starts; the record's first line when ``name`` is absent."""
        item = self._values.get(key(name))
        return item.line if item is not None else self.first_line

    def text(self, name: str) -> str:
        """The text of the line where ``name`` starts (the evidence to show)."""
        item = self._values.get(key(name))
        if item is not None:
            return item.text
        first = next(iter(self._values.values()), None)
        return first.text if first is not None else ""

    def is_truncated(self, name: str) -> bool:
        """True when the tool cut the value (``Format-Table``'s ``...``, ``{a, b...}``)."""
        item = self._values.get(key(name))
        if item is None:
            return False
        from hakb.formats import is_truncated
        return item.truncated or is_truncated(item.value)

    def items(self) -> list[tuple[str, str]]:
        """``(name, value)`` pairs in the order they appeared, names as written."""
        return [(v.name, v.value) for v in self._values.values()]

    def names(self) -> list[str]:
        return [v.name for v in self._values.values()]

    def keys(self) -> set[str]:
        """The record's names as :func:`key` spells them (what shapes are matched on)."""
        return set(self._values)

    def __contains__(self, name: object) -> bool:
        return isinstance(name, str) and key(name) in self._values

    def __len__(self) -> int:
        return len(self._values)

    def __iter__(self) -> Iterator[str]:
        return iter(self.names())


def clean_text(text: str) -> str:
    """A line without what CRLF files and UTF-8 BOMs leave behind (also a BOM decoded as
    Latin-1, ``ï»¿``), as every structured reader wants it before looking at it.

    >>> clean_text("\\ufeff\\u00ef\\u00bb\\u00bf#TYPE x\\r")
    '#TYPE x'
    """
    text = text.rstrip("\r")
    while text.startswith(("\ufeff", "\u00ef\u00bb\u00bf")):
        text = text[1:] if text.startswith("\ufeff") else text[3:]
    return text

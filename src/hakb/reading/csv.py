r"""CSV as Windows and ESXi tools write it, as :class:`~hakb.reading.record.Record` objects.

Read: PowerShell ``Export-Csv``/``ConvertTo-Csv`` (a first ``#TYPE Namespace.Type`` line or not;
``,`` or, with ``-UseCulture``, ``;``; tab; every field quoted, quotes doubled, values spanning
lines), ``esxcli --formatter=csv`` (unquoted, a trailing comma on every line), ``systeminfo /fo
csv``, CSV saved by Excel (an optional ``sep=;`` first line) and W3C-style logs whose header is a
``#Fields:`` line (Exchange RPC Client Access logs with commas, IIS logs with blanks). Each row is one record (shape ``csv``); its
values are named by the header and carry the physical line where the row starts, the evidence a
user is shown. The standard :mod:`csv` module does the quoting rules.

A synthetic PowerCLI export (``Get-VMHostNetworkAdapter | Export-Csv``):

>>> rows = list(read(enumerate([
...     '#TYPE VMware.VimAutomation.ViCore.Impl.V1.Host.Networking.Nic.PhysicalNicImpl',
...     '"VMHost","Name","Mac"',
...     '"esx01.lab.example","vmnic0","00:11:22:33:44:55"'], start=1)))
>>> rows[0].type_name
'VMware.VimAutomation.ViCore.Impl.V1.Host.Networking.Nic.PhysicalNicImpl'
>>> rows[0].get("Mac"), rows[0].line("Mac")
('00:11:22:33:44:55', 3)
"""

from __future__ import annotations

import csv as stdlib_csv
import re
from typing import Iterable, Iterator

from hakb.reading.record import Line, Record, clean_text, key

SHAPE = "csv"
_DELIMITERS = (",", ";", "\t")
_SEP_LINE = re.compile(r"^sep=(?P<delimiter>.)$")
_TYPE_LINE = re.compile(r"^#TYPE\s+(?P<type>\S.*?)\s*$")
_FIELDS_LINE = re.compile(r"^#Fields:\s*(?P<header>.*)$", re.I)


def _outside_quotes(text: str, char: str) -> int:
    count, quoted = 0, False
    for ch in text:
        if ch == '"':
            quoted = not quoted
        elif ch == char and not quoted:
            count += 1
    return count


def _delimiter(header: str) -> str | None:
    """The delimiter of a header line: the candidate found most often outside quotes."""
    counts = [(_outside_quotes(header, d), -i, d) for i, d in enumerate(_DELIMITERS)]
    best = max(counts)
    return best[2] if best[0] else None


def _fields(text: str, delimiter: str) -> list[str] | None:
    try:
        rows = list(stdlib_csv.reader([text], delimiter=delimiter, strict=True, skipinitialspace=True))
    except stdlib_csv.Error:
        return None
    return rows[0] if rows else []


def _name_like(name: str) -> bool:
    name = name.strip()
    return len(name) <= 128 and re.match(r"[^\W\d]", name) is not None and ": " not in name


def _opens_quote(text: str) -> bool:
    return text.count('"') % 2 == 1


def looks_like(head_lines: list[str]) -> bool:
    """True for a CSV header (and, when there is one, a first row with as many fields).

    >>> looks_like(['"Name","Status"', '"ClusSvc","Running"'])
    True
    >>> looks_like(['Name    : ClusSvc', 'Status  : Running'])
    False
    """
    lines = [clean_text(line) for line in head_lines]
    lines = [line for line in lines if line.strip()]
    if not lines:
        return False
    first = lines[0].strip()
    if _TYPE_LINE.match(first) or _SEP_LINE.match(first):
        return True
    if first.startswith("#") and any(_FIELDS_LINE.match(line) for line in lines[:8]):
        return True
    delimiter = _delimiter(first)
    if delimiter is None:
        return False
    names = _fields(first, delimiter)
    named = [n for n in names or [] if n.strip()]
    if len(named) < 2 or not all(_name_like(n) for n in named):
        return False
    if len(lines) < 2:
        return first.startswith('"')
    second = _fields(lines[1], delimiter)
    return _opens_quote(lines[1]) or (second is not None and len(second) == len(names or []))


class _Table:
    """A header: where it is, what it names, how its rows are split."""

    def __init__(self, names: list[str], delimiter: str, type_name: str, line: int, commented: bool):
        self.names = [n.strip() for n in names]
        if not any(self.names):
            raise ValueError(f"line {line}: CSV header names no column")
        self.delimiter = delimiter
        self.type_name = type_name
        self.line = line
        self.commented = commented  # a ``#Fields:`` header: later ``#`` lines are comments


class _Source:
    """The input lines, cleaned, with one line of push-back."""

    def __init__(self, lines: Iterable[Line]):
        self._lines = iter(lines)
        self._back: Line | None = None

    def next(self) -> Line | None:
        if self._back is not None:
            line, self._back = self._back, None
            return line
        for number, text in self._lines:
            return number, clean_text(text)
        return None

    def push(self, line: Line) -> None:
        self._back = line


def _read_header(source: _Source) -> _Table | None:
    type_name, delimiter = "", None
    while (line := source.next()) is not None:
        number, text = line
        stripped = text.strip()
        if not stripped:
            continue
        if match := _TYPE_LINE.match(stripped):
            type_name = match["type"]
            continue
        if match := _SEP_LINE.match(stripped):
            delimiter = match["delimiter"]
            continue
        if match := _FIELDS_LINE.match(stripped):
            header = match["header"]
            delimiter = delimiter or _delimiter(header) or " "  # W3C extended logs (IIS): blanks
            names = _fields(header, delimiter)
            if names is None:
                raise ValueError(f"line {number}: CSV header cannot be read: {stripped[:80]}")
            return _Table(names, delimiter, type_name, number, True)
        if stripped.startswith("#") and not type_name:
            continue  # W3C log preamble (#Software:, #Version:, #Date:) before #Fields:
        delimiter = delimiter or _delimiter(text)
        if delimiter is None:
            raise ValueError(f"line {number}: not a CSV header (no ',', ';' or tab): {stripped[:80]}")
        names = _fields(text, delimiter)
        if names is None:
            raise ValueError(f"line {number}: CSV header cannot be read: {stripped[:80]}")
        return _Table(names, delimiter, type_name, number, False)
    return None


def _read_rows(source: _Source, table: _Table) -> Iterator[Record]:
    consumed: list[Line] = []
    state = {"row_start": True}

    def physical() -> Iterator[str]:
        while (line := source.next()) is not None:
            number, text = line
            if state["row_start"]:
                stripped = text.strip()
                if _TYPE_LINE.match(stripped) or (table.commented and _FIELDS_LINE.match(stripped)):
                    source.push(line)  # the next table starts
                    return
                if table.commented and stripped.startswith("#"):
                    continue
                state["row_start"] = False
            consumed.append(line)
            yield text + "\n"

    reader = stdlib_csv.reader(physical(), delimiter=table.delimiter, strict=True,
                               skipinitialspace=True)
    while True:
        consumed.clear()
        state["row_start"] = True
        try:
            row = next(reader)
        except StopIteration:
            return
        except stdlib_csv.Error as exc:
            where = consumed[0][0] if consumed else table.line
            raise ValueError(f"line {where}: CSV row cannot be read: {exc}") from None
        if not any(field.strip() for field in row):
            continue
        number, text = consumed[0]
        # Fields past the header have no name of their own (Event Viewer's CSV export puts the
        # message there): they are kept as column7, column8, ... rather than refused.
        names = list(table.names) + [f"column{i + 1}" for i in range(len(table.names), len(row))]
        record = Record(shape=SHAPE, type_name=table.type_name, first_line=number)
        record.columns = [n for n in names if n]
        seen: set[str] = set()
        for name, value in zip(names, row):
            if not name or key(name) in seen:
                continue  # esxcli's trailing comma; a repeated column keeps its first value
            seen.add(key(name))
            record.set(name, value, number, text)
        yield record


def read(lines: Iterable[Line]) -> Iterator[Record]:
    """One record per CSV row; a ``#TYPE`` line (or a new ``#Fields:`` header) starts a new table.

    Raises :class:`ValueError` naming the line for a header without a delimiter, a quote that is
    never closed (within the :mod:`csv` module's field size limit) or a row with more fields than
    its header names.

    >>> rows = list(read([(1, 'Name,Driver,MAC Address,'), (2, 'vmnic0,ixgben,00:11:22:33:44:55,')]))
    >>> rows[0].items()
    [('Name', 'vmnic0'), ('Driver', 'ixgben'), ('MAC Address', '00:11:22:33:44:55')]
    """
    source = _Source(lines)
    while (table := _read_header(source)) is not None:
        yield from _read_rows(source, table)

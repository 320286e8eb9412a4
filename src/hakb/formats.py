"""Shared helpers for plugin authors: reading the text formats Windows tools print.

Parsers receive ``(line_number, text)`` pairs (see :class:`hakb.Parser`). Much of what a helpdesk
collects on Windows is PowerShell output in one of two layouts, with locale-dependent dates and
numbers, so these helpers live in the core and every plugin reads them the same way:

* :func:`format_list` - ``Format-List`` output (``Name : value`` records) as :class:`Record` objects;
* :func:`format_table` - ``Format-Table`` / fixed-width table output as :class:`Row` objects;
* :func:`read_output` - both, for a file where several commands' output was pasted one after another;
* :func:`collection` - ``{a, b, c}`` collections as lists;
* :func:`parse_datetime`, :func:`parse_size_mb`, :func:`parse_int`, :func:`parse_bool` - values
  written in any of the locales seen in the field;
* :func:`property_names`, :func:`is_noise`, :func:`is_warning` - for ``recognise`` functions.

Both record readers keep where each value came from (``.line(name)``, ``.text(name)``) so a parser
can give every fact the line a user should look at. They skip what people paste around output:
shell prompts with the command, ``--More--`` pager marks, ``VERBOSE:`` lines; ``WARNING:`` lines are
kept on the record they precede (``record.warnings``) because cmdlets report real state there.

Everything here is pure: no I/O, no global state; records are buffered one at a time only.

>>> lines = enumerate(["Name       : EX01", "ServerRole : Mailbox", "", "Name       : EX02"], 1)
>>> [(r.get("name"), r.line("Name")) for r in format_list(lines)]
[('EX01', 1), ('EX02', 4)]
>>> collection("{EX01, EX02}")
['EX01', 'EX02']
>>> parse_datetime("3/14/2019 1:00:00 PM")
datetime.datetime(2019, 3, 14, 13, 0)
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from typing import Iterable, Iterator

__all__ = [
    "Record", "Row", "format_list", "format_table", "read_output", "epoch", "collection", "parse_datetime",
    "parse_size_mb", "parse_int", "is_truncated", "parse_bool", "property_names", "is_noise", "is_warning",
    "is_prompt", "size_bytes", "human_size",
]

Line = tuple[int, str]

# --- noise ---------------------------------------------------------------------------------

_PROMPT = re.compile(
    r"^\s*(?:\[PS\]\s*)?(?:PS\s+)?(?:[A-Za-z]:\\|\\\\|[A-Za-z]+:\\)[^>\n]*>\s*\S"  # PS C:\> cmd, C:\>cmd
    r"|^\s*PS>\s*\S"
    r"|^\s*\[PS\]\s+\S+>")
_MORE = re.compile(r"^\s*-+\s*More\s*-+\s*$|^\s*<--\s*More\s*-->\s*$"
                   r"|^\s*\(\d+ (?:rows? affected|Zeilen? betroffen)\)\s*$", re.I)
_WARNING = re.compile(r"^\s*(?:WARNING|WARNUNG|AVERTISSEMENT|WAARSCHUWING)\s*:", re.I)
_VERBOSE = re.compile(r"^\s*(?:VERBOSE|AUSFÜHRLICH|DEBUG)\s*:", re.I)


def is_prompt(text: str) -> bool:
    """True for a pasted shell prompt with its command (``PS C:\\> Get-X | fl``, ``C:\\>cluster node``)."""
    return bool(_PROMPT.match(text))


def is_warning(text: str) -> bool:
    """True for a PowerShell ``WARNING:`` line (also the German, French and Dutch spelling)."""
    return bool(_WARNING.match(text))


def is_noise(text: str) -> bool:
    """True for lines that never carry output: prompts, ``--More--``, ``VERBOSE:``/``DEBUG:``,
    sqlcmd's ``(1 rows affected)``."""
    return bool(_MORE.match(text) or _VERBOSE.match(text) or is_prompt(text))


# --- records -------------------------------------------------------------------------------


@dataclass
class _Value:
    name: str
    value: str
    line: int
    text: str


def _key(name: str) -> str:
    """How names are compared: case and white space do not matter (``Node ID`` == ``NodeId``)."""
    return "".join(name.split()).lower()


@dataclass
class _Fields:
    """Named values with where they came from; names are looked up ignoring case and spaces."""

    first_line: int = 0
    warnings: list[Line] = field(default_factory=list)
    _values: dict[str, _Value] = field(default_factory=dict, repr=False)

    def _set(self, name: str, value: str, line: int, text: str) -> None:
        self._values[_key(name)] = _Value(name, value, line, text)
        if not self.first_line:
            self.first_line = line

    def get(self, name: str, default: str | None = None) -> str | None:
        """The value of ``name`` (stripped; continuation lines joined), or ``default``."""
        item = self._values.get(_key(name))
        return item.value if item is not None else default

    def line(self, name: str) -> int:
        """The line where ``name`` starts; the record's first line when ``name`` is absent."""
        item = self._values.get(_key(name))
        return item.line if item is not None else self.first_line

    def text(self, name: str) -> str:
        """The text of the line where ``name`` starts (the evidence to show)."""
        item = self._values.get(_key(name))
        return item.text if item is not None else ""

    def items(self) -> list[tuple[str, str]]:
        """``(name, value)`` pairs in the order they appeared, names as written."""
        return [(v.name, v.value) for v in self._values.values()]

    def names(self) -> list[str]:
        return [v.name for v in self._values.values()]

    def __contains__(self, name: object) -> bool:
        return isinstance(name, str) and _key(name) in self._values

    def __len__(self) -> int:
        return len(self._values)


@dataclass
class Record(_Fields):
    """One ``Format-List`` record. ``warnings`` holds the ``WARNING:`` lines seen since the last record."""


@dataclass
class Row(_Fields):
    """One table row; ``line(name)`` is the row's line for every column (or where a wrapped cell started)."""

    columns: list[str] = field(default_factory=list)


# --- Format-List ----------------------------------------------------------------------------

_PROPERTY = re.compile(r"^(?P<indent>[ \t]*)(?P<name>[A-Za-z_][\w.\-]*)(?P<pad>[ \t]*) :(?: (?P<value>.*))?$")
#: Narrowest console a wrapped line can have filled (80 columns, less the last one).
_FULL_WIDTH = 79


def property_names(text: str) -> set[str]:
    """Lower-cased names of every ``Name : value`` line in ``text``: a cheap content signature.

    >>> sorted(property_names("Name          : EX01\\nClusteredStorageType : NonShared"))
    ['clusteredstoragetype', 'name']
    """
    names = set()
    for line in text.splitlines():
        match = _PROPERTY.match(line)
        if match and len(match.group("indent")) < 8:
            names.add(match.group("name").lower())
    return names


class _ListBuilder:
    def __init__(self) -> None:
        # per property: name, line, text, and its physical pieces as (value text, line length)
        self.parts: list[tuple[str, int, str, list[tuple[str, int]]]] = []
        self.warnings: list[Line] = []
        self.value_column = -1

    def empty(self) -> bool:
        return not self.parts

    def start(self, name: str, value: str, number: int, text: str, column: int) -> None:
        self.parts.append((name, number, text, [(value, len(text.rstrip()))]))
        self.value_column = column

    def extend(self, text: str) -> None:
        self.parts[-1][3].append((text, len(text.rstrip())))

    def widest(self) -> int:
        return max((length for part in self.parts for _, length in part[3]), default=0)

    def build(self, width: int) -> Record:
        record = Record(warnings=list(self.warnings))
        for name, number, text, pieces in self.parts:
            record._set(name, _join_wrapped(pieces, width), number, text)
        return record


def _join_wrapped(pieces: list[tuple[str, int]], width: int) -> str:
    """Join a value's physical lines: with a space, unless the line was cut mid-word at full width.

    PowerShell wraps list values at word boundaries in English, German, French, Italian, Spanish
    and Portuguese locales and cuts a word only when it is longer than a line (in other locales it
    cuts anywhere). A cut line fills the console width, taken as the longest line seen so far (at
    least 79 characters), so such a line is joined without a space. Known limit: a word-wrapped
    line that happens to be the longest line of the output is taken for a cut one.
    """
    value = pieces[0][0].strip()
    for index in range(1, len(pieces)):
        chunk = pieces[index][0].strip()
        if not chunk:
            continue
        previous, length = pieces[index - 1]
        cut = (width >= _FULL_WIDTH and length >= width and bool(value)
               and not previous.endswith((" ", "\t")) and value[-1] not in ",;")
        value = value + chunk if cut else (value + " " + chunk if value else chunk)
    return value


def format_list(lines: Iterable[Line]) -> Iterator[Record]:
    """Records of PowerShell ``Format-List`` output, one per blank-line-separated block.

    A property line is ``Name<padding> : value`` (names without spaces); a line indented to the
    value column (or deeper) continues the value above it and is joined to it. Prompts, pager marks
    and other noise are skipped; ``WARNING:`` lines go to the next record's ``warnings`` (or, when
    they come inside a record, to that one). A trailing block of warnings without any record is
    yielded as an empty record so callers can still see them.
    """
    builder = _ListBuilder()
    widest = 0  # longest line so far: the console width the output was wrapped at
    for number, raw in lines:
        text = raw.rstrip("\r\n")
        if not text.strip():
            if not builder.empty():
                widest = max(widest, builder.widest())
                yield builder.build(widest)
                builder = _ListBuilder()
            continue
        if is_warning(text):
            builder.warnings.append((number, text))
            continue
        if is_noise(text):
            continue
        match = _PROPERTY.match(text)
        indent = len(match.group("indent")) if match else 0
        continuation = (not builder.empty() and text[:1].isspace()
                        and (match is None or indent >= builder.value_column > 0))
        if match and not continuation:
            column = match.end("pad") + 3 if match.group("value") is not None else len(text) + 1
            builder.start(match.group("name"), (match.group("value") or ""), number, text, column)
        elif not builder.empty():
            builder.extend(text)
        # text before any property (a banner, a command echo) is not a record
    if not builder.empty() or builder.warnings:
        yield builder.build(max(widest, builder.widest()))


# --- tables ---------------------------------------------------------------------------------

_RULE = re.compile(r"^\s*-{2,}(?:\s+-{2,})*\s*$|^\s*-+(?:\s+-+)+\s*$")


def _spans(rule: str) -> list[tuple[int, int]]:
    return [(m.start(), m.end()) for m in re.finditer(r"-+", rule)]


def _cut(text: str, starts: list[int]) -> list[str]:
    cells = []
    for i, start in enumerate(starts):
        end = starts[i + 1] if i + 1 < len(starts) else len(text)
        cells.append(text[start:end].strip() if start < len(text) else "")
    return cells


def _split_row(text: str, spans: list[tuple[int, int]]) -> list[str]:
    """Cells of one row: cut at the columns' starts; where a value overflows its column (a cut
    would fall inside a word) the cut moves right to the next gap, or the row is split on
    whitespace when that gives exactly one token per column."""
    starts = [s for s, _ in spans]
    if starts:
        starts[0] = 0
    clean = all(b >= len(text) or b == 0 or text[b - 1].isspace() or text[b].isspace()
                for b in starts)
    if clean:
        return _cut(text, starts)
    tokens = text.split()
    if len(tokens) == len(spans):
        return tokens
    moved, floor = [], 0
    for index, b in enumerate(starts):
        b = max(b, floor)
        if 0 < b < len(text) and not text[b - 1].isspace() and not text[b].isspace():
            gap = re.compile(r"\s+").search(text, b)
            b = gap.end() if gap else len(text)
        moved.append(b)
        floor = b + 1
    return _cut(text, moved)


def format_table(lines: Iterable[Line]) -> Iterator[Row]:
    """Rows of fixed-width table output (``Format-Table``, ``cluster.exe``, ``esxcli`` style).

    A header line followed by a rule of dash groups starts a table; each row is cut where the
    dash groups start (the last column runs to the end of the line). A header wrapped onto two
    lines (``CopyQueue`` over ``Length``) is joined (``CopyQueue Length``). A row whose first cell
    is empty continues the row above (``Format-Table -Wrap``). Several tables in one input are read
    one after another; blank lines, prompts, pager marks and ``WARNING:`` lines are not rows
    (warnings are attached to the next row).
    """
    state = _TableState()
    held: list[Line] = []  # the last two lines, not yet classified: they may be a header
    for number, raw in lines:
        text = raw.rstrip("\r\n").rstrip()
        if _RULE.match(text) and held and held[-1][1].strip() and not is_noise(held[-1][1]):
            header = held.pop()
            above = held.pop() if held else None
            yield from state.flush(held)
            held = []
            header_cells = _cut(header[1], [0] + [s for s, _ in _spans(text)[1:]])
            joined = (above is not None and above[0] == header[0] - 1 and above[1].strip()
                      and not is_noise(above[1]) and not is_warning(above[1])
                      and any(not c for c in header_cells))
            if above is not None and not joined:
                yield from state.flush([above])
            yield from state.start(text, header[1], above[1] if joined else None)
            continue
        held.append((number, text))
        if len(held) > 2:
            yield from state.flush([held.pop(0)])
    yield from state.flush(held)
    yield from state.finish()


class _TableState:
    def __init__(self) -> None:
        self.spans: list[tuple[int, int]] | None = None
        self.columns: list[str] = []
        self.current: Row | None = None
        self.warnings: list[Line] = []
        self.last_cells: list[str] = []
        self.rows = 0  # rows read since the current header

    def start(self, rule: str, header: str, above: str | None) -> Iterator[Row]:
        yield from self.finish()
        self.spans = _spans(rule)
        self.rows = 0
        starts = [0] + [s for s, _ in self.spans[1:]]
        names = _cut(header, starts)
        if above is not None:
            names = [f"{a} {b}".strip() for a, b in zip(_cut(above, starts), names)]
        self.columns = [c or f"column{i + 1}" for i, c in enumerate(names)]

    def finish(self) -> Iterator[Row]:
        if self.current is not None:
            yield self.current
            self.current = None

    def flush(self, held: list[Line]) -> Iterator[Row]:
        for number, text in held:
            yield from self._line(number, text)

    def _line(self, number: int, text: str) -> Iterator[Row]:
        if not text.strip():
            if self.spans is not None and self.rows:
                # A table ends at a blank line; what follows is a new table (with its own
                # header and rule) or not table output at all.
                yield from self.finish()
                self.spans = None
            return
        if is_warning(text):
            self.warnings.append((number, text))
            return
        if is_noise(text) or self.spans is None:
            return
        cells = _split_row(text, self.spans)
        current = self.current
        if current is not None and text[:1].isspace() and cells and not cells[0] and any(cells):
            starts = [s for s, _ in self.spans]
            for index, (name, cell) in enumerate(zip(self.columns, cells)):
                if not cell:
                    continue
                old = current.get(name) or ""
                if old:
                    # a piece that filled its column was cut mid-word: no space when joining
                    width = starts[index + 1] - starts[index] - 1 if index + 1 < len(starts) else 0
                    full = width > 0 and len(self.last_cells[index]) >= width if index < len(self.last_cells) else False
                    current._values[_key(name)].value = old + ("" if full else " ") + cell
                else:
                    current._set(name, cell, number, text)
            self.last_cells = cells
            return
        yield from self.finish()
        row = Row(warnings=list(self.warnings), columns=list(self.columns))
        self.warnings.clear()
        for name, cell in zip(self.columns, cells):
            row._set(name, cell, number, text)
        row.first_line = number
        self.current = row
        self.rows += 1
        self.last_cells = cells


def read_output(lines: Iterable[Line]) -> Iterator[Record | Row]:
    """Records and rows, in order, of output mixing ``Format-List`` and table layouts.

    A line followed by a dash rule starts a table; a table ends where, after a blank line, a
    ``Name : value`` line begins list output again. Each part is read by :func:`format_list` or
    :func:`format_table`, streamed.
    """
    from itertools import groupby

    def tagged() -> Iterator[tuple[str, Line]]:
        mode = "list"
        held: list[tuple[Line, bool]] = []  # the last two lines, each with "a blank line came before it"
        blank_before = True
        for item in lines:
            number, text = item
            if held and _RULE.match(text.rstrip()) and held[-1][0][1].strip():
                mode = "table"  # the held lines are the header (one or two lines)
            while len(held) > (0 if mode == "table" and _RULE.match(text.rstrip()) else 1):
                (line, after_blank) = held.pop(0)
                if (mode == "table" and after_blank and not line[1][:1].isspace()
                        and _PROPERTY.match(line[1]) and not is_noise(line[1])):
                    mode = "list"
                yield mode, line
            held.append((item, blank_before))
            blank_before = not text.strip()
        for line, after_blank in held:
            if (mode == "table" and after_blank and not line[1][:1].isspace()
                    and _PROPERTY.match(line[1]) and not is_noise(line[1])):
                mode = "list"
            yield mode, line

    for kind, group in groupby(tagged(), key=lambda pair: pair[0]):
        part = (item for _, item in group)
        yield from (format_table(part) if kind == "table" else format_list(part))


# --- values ---------------------------------------------------------------------------------


def is_truncated(value: str | None) -> bool:
    """True when a printed collection was cut by ``$FormatEnumerationLimit`` (``{a, b...}``)."""
    text = (value or "").strip().rstrip("}").rstrip()
    return text.endswith(("...", "\u2026"))


def collection(value: str | None) -> list[str]:
    """The items of a PowerShell collection as printed: ``{a, b, c}`` -> ``['a', 'b', 'c']``.

    A truncated collection (``{a, b...}``, the default ``$FormatEnumerationLimit``) gives the items
    shown, the last one without the dots. A value without braces is a one-item list; empty -> [].

    >>> collection("{EX01, EX02...}")
    ['EX01', 'EX02']
    >>> collection("{}")
    []
    """
    text = (value or "").strip()
    if text.startswith("{"):
        text = text[1:]
        if text.endswith("}"):
            text = text[:-1]
    text = text.strip()
    if text.endswith("..."):
        text = text[:-3]
    elif text.endswith("\u2026"):
        text = text[:-1]
    return [item.strip() for item in text.split(",") if item.strip()]


_ISO = re.compile(
    r"^(?P<y>\d{4})[-/.](?P<m>\d{1,2})[-/.](?P<d>\d{1,2})"
    r"(?:[T\s-]+(?P<H>\d{1,2}):(?P<M>\d{2})(?::(?P<S>\d{2})(?:[.,](?P<f>\d+))?)?)?"
    r"\s*(?P<tz>Z|[+-]\d{2}:?\d{2})?$")
_LOCAL = re.compile(
    r"^(?P<a>\d{1,2})(?P<sep>[./-])(?P<b>\d{1,2})(?P=sep)(?P<y>\d{4}|\d{2})"
    r"(?:[\s,]+(?P<H>\d{1,2}):(?P<M>\d{2})(?::(?P<S>\d{2})(?:[.,](?P<f>\d+))?)?"
    r"\s*(?P<ampm>[AaPp]\.?\s?[Mm]\.?)?)?$")


def _fraction(text: str | None) -> int:
    return int((text or "0")[:6].ljust(6, "0"))


def parse_datetime(value: str | None) -> datetime | None:
    """A date/time as Windows tools print it in the server's locale, as a naive datetime.

    Accepted: ISO (``2019-03-14T13:00:00.123Z``, ``2019-03-14 13:00:00``, cluster.log's
    ``2019/03/14-13:00:00.123``; an explicit offset is converted to UTC), dotted day-first
    (``14.03.2019 13:00:00``), slashed or dashed with or without AM/PM (``3/14/2019 1:00:00 PM``,
    ``14/03/2019 13:00:00``, ``14-03-2019 13:00``). Which of two small numbers is the day:

    * a first field above 12 is the day; a second field above 12 is the day;
    * otherwise dotted and dashed forms are day first (D.M.Y, as in German and Dutch locales),
      slashed forms with AM/PM are month first (US M/D/Y), slashed 24-hour forms day first
      (D/M/Y, as in British and French locales).

    Returns None for anything else. Times without a zone are returned as written; callers treat
    them as UTC unless they know the server's zone.

    >>> parse_datetime("14.03.2019 13:00:00")
    datetime.datetime(2019, 3, 14, 13, 0)
    >>> parse_datetime("04/03/2019 13:00")
    datetime.datetime(2019, 3, 4, 13, 0)
    """
    text = " ".join((value or "").split())
    if not text:
        return None
    match = _ISO.match(text)
    try:
        if match:
            result = datetime(int(match["y"]), int(match["m"]), int(match["d"]), int(match["H"] or 0),
                              int(match["M"] or 0), int(match["S"] or 0), _fraction(match["f"]))
            tz = match["tz"]
            if tz and tz != "Z":
                sign = 1 if tz[0] == "+" else -1
                digits = tz[1:].replace(":", "")
                offset = timedelta(hours=int(digits[:2]), minutes=int(digits[2:]))
                result = (result - sign * offset)
            return result
        match = _LOCAL.match(text)
        if not match:
            return None
        a, b = int(match["a"]), int(match["b"])
        year = int(match["y"])
        if year < 100:
            year += 2000 if year < 70 else 1900
        ampm = (match["ampm"] or "").replace(".", "").replace(" ", "").upper()
        if a > 12:
            day, month = a, b
        elif b > 12:
            month, day = a, b
        elif match["sep"] == "/" and ampm:
            month, day = a, b
        else:
            day, month = a, b
        hour = int(match["H"] or 0)
        if ampm == "PM" and hour < 12:
            hour += 12
        elif ampm == "AM" and hour == 12:
            hour = 0
        return datetime(year, month, day, hour, int(match["M"] or 0), int(match["S"] or 0),
                        _fraction(match["f"]))
    except ValueError:
        return None


def epoch(moment: datetime) -> int:
    """Unix seconds of a naive datetime taken as UTC (or an aware one)."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return int(moment.timestamp())


_GROUPED = re.compile(r"^\d{1,3}(?:[.,'\u00a0\u202f ]\d{3})+$")
_UNITS = {"b": 1 / 1024 / 1024, "bytes": 1 / 1024 / 1024, "kb": 1 / 1024, "mb": 1, "gb": 1024,
          "tb": 1024 * 1024}


def _number(text: str) -> float | None:
    text = text.strip()
    if not text:
        return None
    if _GROUPED.match(text):
        return float(re.sub(r"\D", "", text))
    if re.fullmatch(r"\d+[.,]\d+", text):
        return float(text.replace(",", "."))
    if re.fullmatch(r"-?\d+", text):
        return float(text)
    return None


def parse_size_mb(value: str | None) -> int | None:
    """A size as MB, whatever the locale's thousands separator: ``2,047 MB``, ``2.047 MB``,
    ``2 047 MB``, ``16.384 MB``; other units (KB, GB, TB, bytes) are converted. A group of
    exactly three digits after one separator is read as thousands (systeminfo prints whole MB).

    >>> parse_size_mb("2.047 MB"), parse_size_mb("2,047 MB"), parse_size_mb("1,5 GB")
    (2047, 2047, 1536)
    """
    match = re.match(r"^\s*([\d.,'\u00a0\u202f ]*\d)\s*([A-Za-z]*)\s*$", value or "")
    if not match:
        return None
    number = _number(match.group(1))
    if number is None:
        return None
    factor = _UNITS.get((match.group(2) or "mb").lower())
    if factor is None:
        return None
    return int(round(number * factor))


def parse_int(value: str | None) -> int | None:
    """An integer as printed (``1,234``, ``1.234``, ``0x10``, ``42``); None when it is not one.

    >>> parse_int("1.234"), parse_int("0x10"), parse_int("n/a")
    (1234, 16, None)
    """
    text = (value or "").strip()
    if re.fullmatch(r"0[xX][0-9a-fA-F]+", text):
        return int(text, 16)
    if re.fullmatch(r"[+-]?\d+", text):
        return int(text)
    if _GROUPED.match(text):
        return int(re.sub(r"\D", "", text))
    return None


_TRUE = {"true", "yes", "1", "wahr", "ja", "vrai", "oui", "waar", "enabled", "on"}
_FALSE = {"false", "no", "0", "falsch", "nein", "faux", "non", "onwaar", "nee", "disabled", "off"}


def parse_bool(value: str | None) -> bool | None:
    """``True``/``False`` as printed (also Yes/No, German Wahr/Falsch, Ja/Nein); None otherwise."""
    text = (value or "").strip().lower()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    return None


# --- sizes in bytes (ESXi: exact bytes, or busybox human units) ------------------------------

_BYTE_UNITS = {"": 1, "B": 1, "K": 1 << 10, "M": 1 << 20, "G": 1 << 30, "T": 1 << 40, "P": 1 << 50}
_BYTE_SIZE = re.compile(r"^(?P<number>\d+(?:[.,]\d+)?)(?P<unit>[BKMGTP]?)(?:i?B)?$", re.I)

def size_bytes(text: str) -> int | None:
    """Bytes in ``text``: plain digits, or a number with a K/M/G/T unit (powers of 1024).

    >>> size_bytes("3.7G")
    3972844749
    >>> size_bytes("42949672960")
    42949672960
    >>> size_bytes("n/a") is None
    True
    """
    match = _BYTE_SIZE.match((text or "").strip())
    if not match:
        return None
    number = float(match.group("number").replace(",", "."))
    return int(round(number * _BYTE_UNITS[match.group("unit").upper()]))


def human_size(size: int) -> str:
    """Bytes as a person reads them (powers of 1024, one decimal).

    >>> human_size(3972005888)
    '3.7 GB'
    """
    for unit, factor in (("TB", 1 << 40), ("GB", 1 << 30), ("MB", 1 << 20), ("KB", 1 << 10)):
        if size >= factor:
            return f"{size / factor:.1f} {unit}"
    return f"{size} bytes"

"""PowerShell and console text output as records: ``Format-List``, tables, and mixes of both.

* :func:`format_list` - ``Format-List`` output (``Name : value`` records, wrapped values);
* :func:`format_table` - ``Format-Table`` / fixed-width table output with a dash rule
  (``cluster.exe``, ``esxcli ... list`` tables too);
* :func:`read_output` - both, for a section where several commands' output was pasted.

They skip what people paste around output: shell prompts with the command, ``--More--`` pager
marks, ``VERBOSE:`` lines; ``WARNING:`` lines are kept on the record they precede
(``record.warnings``) because cmdlets report real state there.

>>> lines = enumerate(["Name       : EX01", "ServerRole : Mailbox", "", "Name       : EX02"], 1)
>>> [(r.get("name"), r.line("Name")) for r in format_list(lines)]
[('EX01', 1), ('EX02', 4)]
"""

from __future__ import annotations

import re
from itertools import groupby
from typing import Iterable, Iterator

from hakb.formats import is_noise, is_warning
from hakb.reading.record import Line, Record, key

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
        record = Record(shape="list", warnings=list(self.warnings))
        for name, number, text, pieces in self.parts:
            record.set(name, _join_wrapped(pieces, width), number, text)
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
    """Cells of one row: cut at the columns' starts. Where a cut would fall inside a word, the row
    is split on whitespace when that gives exactly one token per column; else a word ending
    where the column's rule ends is a right-aligned value wider than its header (the column starts
    with it), and any other word is the left column's value running over (the cut moves right).

    >>> _split_row("3/14/2019 1:00:13 PM          1135 Critical         Cluster node 'EX02' removed",
    ...            [(0, 11), (32, 34), (35, 51), (52, 59)])
    ['3/14/2019 1:00:13 PM', '1135', 'Critical', "Cluster node 'EX02' removed"]
    """
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
            word_start = b
            while word_start > floor and not text[word_start - 1].isspace():
                word_start -= 1
            word_end = b
            while word_end < len(text) and not text[word_end].isspace():
                word_end += 1
            if index and word_start > floor and abs(word_end - spans[index][1]) <= 1:
                # a right-aligned value wider than its header (``1135`` under ``--``): the word
                # belongs to this column, which starts where the word does
                b = word_start
            else:
                # the value of the column on the left runs over: the cut moves to the next gap
                gap = _GAP.search(text, b)
                b = gap.end() if gap else len(text)
        moved.append(b)
        floor = b + 1
    return _cut(text, moved)


_GAP = re.compile(r"\s+")


def format_table(lines: Iterable[Line]) -> Iterator[Record]:
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
        self.current: Record | None = None
        self.warnings: list[Line] = []
        self.last_cells: list[str] = []
        self.rows = 0  # rows read since the current header

    def start(self, rule: str, header: str, above: str | None) -> Iterator[Record]:
        yield from self.finish()
        self.spans = _spans(rule)
        self.rows = 0
        starts = [0] + [s for s, _ in self.spans[1:]]
        names = _cut(header, starts)
        if above is not None:
            names = [f"{a} {b}".strip() for a, b in zip(_cut(above, starts), names)]
        self.columns = [c or f"column{i + 1}" for i, c in enumerate(names)]

    def finish(self) -> Iterator[Record]:
        if self.current is not None:
            yield self.current
            self.current = None

    def flush(self, held: list[Line]) -> Iterator[Record]:
        for number, text in held:
            yield from self._line(number, text)

    def _line(self, number: int, text: str) -> Iterator[Record]:
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
                    current._values[key(name)].value = old + ("" if full else " ") + cell
                else:
                    current.set(name, cell, number, text)
            self.last_cells = cells
            return
        yield from self.finish()
        row = Record(shape="table", warnings=list(self.warnings), columns=list(self.columns))
        self.warnings.clear()
        for name, cell in zip(self.columns, cells):
            row.set(name, cell, number, text)
        row.first_line = number
        self.current = row
        self.rows += 1
        self.last_cells = cells


def read_output(lines: Iterable[Line]) -> Iterator[Record]:
    """Records and rows, in order, of output mixing ``Format-List`` and table layouts.

    A line followed by a dash rule starts a table; a table ends where, after a blank line, a
    ``Name : value`` line begins list output again. Each part is read by :func:`format_list` or
    :func:`format_table`, streamed.
    """
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


# --- Key: value blocks -----------------------------------------------------------------------

#: ``Name: value`` (esxcli, systeminfo, ipconfig with dot leaders ``Name . . . : value``). The name
#: is a few words; the colon is followed by white space or the end of the line.
_FIELD = re.compile(r"^(?P<indent>[ \t]*)(?P<name>[^\W\d_][\w()/#%&+.'\u2019-]*(?: [\w()/#%&+'\u2019-]+){0,6}?)"
                    r"(?:[ .]*?)\s?:(?:[ \t]+(?P<value>.*?))?[ \t]*$")
_TITLE = re.compile(r"^(?P<name>\S.*?):?\s*$")


def _field(text: str) -> re.Match | None:
    match = _FIELD.match(text)
    if match is None:
        return None
    name = match.group("name").rstrip(".")
    if not name or name.endswith(" ") or "  " in name:
        return None
    return match


class _BlockBuilder:
    def __init__(self, title: str = "", warnings: list[Line] | None = None) -> None:
        self.record = Record(shape="blocks", title=title, warnings=list(warnings or []))
        self.indent = -1          # indent of the block's field names
        self.last: str | None = None
        self.items: list[str] = []

    def add(self, number: int, text: str, match: re.Match) -> None:
        name = match.group("name").rstrip(" .")
        value = (match.group("value") or "").strip()
        if name in self.record:
            # a name printed twice in one block (ipconfig's second IPv4 address): one more item
            self._close_field()
            item = self.record.value(name)
            item.items = (item.items or ([item.value] if item.value else [])) + [value]
            item.value = ", ".join(item.items)
            self.last, self.items = None, []
            return
        self._close_field()
        self.record.set(name, value, number, text)
        self.indent = len(match.group("indent")) if self.indent < 0 else self.indent
        self.last = name
        self.items = []

    def extend(self, text: str) -> None:
        if self.last is not None:
            self.items.append(text.strip())

    def _close_field(self) -> None:
        if self.last is not None and self.items:
            item = self.record._values[key(self.last)]
            first = [item.value] if item.value else []
            item.items = first + self.items
            item.value = ", ".join(first + self.items)

    def build(self) -> Record | None:
        self._close_field()
        return self.record if len(self.record) else None


def read_blocks(lines: Iterable[Line]) -> Iterator[Record]:
    """Records of ``Name: value`` blocks (esxcli default output, systeminfo, ipconfig /all).

    A block ends at a blank line or at a title line (an unindented line without a value, such as
    esxcli's ``vmk0`` or ipconfig's ``Ethernet adapter LAN:``), which names the next block
    (``record.title``). A line indented deeper than the field names, or a line that is no field,
    continues the field above: its text becomes one of the field's ``values()``.

    >>> text = ["vmk0", "   Name: vmk0", "   MAC Address: 00:50:56:6e:1a:01", "", "vmk1", "   Name: vmk1"]
    >>> [(r.title, r.get("MAC Address"), r.line("Name")) for r in read_blocks(enumerate(text, 1))]
    [('vmk0', '00:50:56:6e:1a:01', 2), ('vmk1', None, 6)]
    """
    builder = _BlockBuilder()
    warnings: list[Line] = []
    for number, raw in lines:
        text = raw.rstrip()
        if not text.strip():
            record = builder.build()
            if record is not None:
                yield record
                builder = _BlockBuilder(warnings=warnings)
                warnings = []
            continue
        if is_warning(text):
            warnings.append((number, text))
            continue
        if is_noise(text):
            continue
        indent = len(text) - len(text.lstrip())
        match = _field(text)
        deeper = builder.indent >= 0 and indent > builder.indent
        if match and not deeper and (match.group("value") or indent > 0 or builder.indent <= 0
                                     or not len(builder.record)):
            if builder.indent >= 0 and indent < builder.indent and len(builder.record):
                record = builder.build()  # an outdented field: a new block without a blank line
                if record is not None:
                    yield record
                builder = _BlockBuilder(warnings=warnings)
                warnings = []
            builder.add(number, text, match)
            continue
        if indent == 0 and (match is not None or not len(builder.record) or builder.indent > 0):
            # a title line: it names the block that follows
            record = builder.build()
            if record is not None:
                yield record
            title = _TITLE.match(text)
            builder = _BlockBuilder(title=title.group("name") if title else text.strip(),
                                    warnings=warnings)
            builder.record.first_line = number
            warnings = []
            continue
        builder.extend(text)
    record = builder.build()
    if record is not None:
        yield record


# --- whitespace column tables -----------------------------------------------------------------

#: Rows of one column table read before its columns are fixed (later rows are cut the same way).
COLUMN_SAMPLE = 2000


def _regions(lines: list[str]) -> list[tuple[int, str]]:
    """(start, column name) of each column: where every line has white space is a gap; a region
    between gaps that holds no word of the header belongs to the column on its left."""
    header = lines[0]
    width = max(len(line) for line in lines)
    gap = [all(pos >= len(line) or line[pos] == " " for line in lines) for pos in range(width)]
    starts = [0]
    for pos in range(1, width):
        if gap[pos - 1] and not gap[pos]:
            starts.append(pos)
    columns: list[tuple[int, str]] = []
    rows = lines[1:]
    for index, start in enumerate(starts):
        end = starts[index + 1] if index + 1 < len(starts) else width
        name = header[start:end].strip()
        empty = all(not row[start:end].strip() for row in rows)
        one_space = 2 <= start <= len(header) and header[start - 1] == " " and header[start - 2] != " "
        if columns and (not name or (empty and one_space)):
            # no header word of its own, or the second word of a header (``VLAN ID``) over
            # no data: part of the column on its left
            left_start, left_name = columns[-1]
            columns[-1] = (left_start, " ".join(f"{left_name} {name}".split()))
            continue
        columns.append((start, " ".join(name.split())))
    return columns


_NUMBER = re.compile(r"^\d[\d.,]*[A-Za-z%]{0,3}$")


def _word_groups(columns: list[tuple[int, str]], lines: list[str]) -> list[tuple[list[str], str]]:
    """For each column, the names of the columns its cells hold, and how to split them.

    Right-aligned numbers wider than their header leave no gap between two columns (``df -h``'s
    ``Filesystem   Size`` over ``VMFS-6    1023.8G``), and rows a wide number pushed right do not
    line up at all (busybox ``df`` prints bytes with ``%9s``). Such a column has several header
    words and, in every row, the same number of words, all numbers but the first (split from the
    right) or but the last (split from the left); its header words are shared out accordingly
    (``Use% Mounted on`` over ``97% /vmfs/volumes/ds01``: ``Use%`` and ``Mounted on``).
    Any other column is one column (mode ``""``)."""
    groups: list[tuple[list[str], str]] = []
    for index, (start, name) in enumerate(columns):
        end = columns[index + 1][0] if index + 1 < len(columns) else None
        words = name.split()
        cells = [line[start:end].split() for line in lines[1:]]
        counts = {len(cell) for cell in cells}
        if len(words) < 2 or len(counts) != 1 or not 2 <= min(counts) <= len(words):
            groups.append(([name], ""))
            continue
        k = counts.pop()
        if all(all(_NUMBER.match(w) for w in cell[:-1]) for cell in cells):
            groups.append((words[:k - 1] + [" ".join(words[k - 1:])], "left"))
        elif all(all(_NUMBER.match(w) for w in cell[1:]) for cell in cells):
            groups.append(([" ".join(words[:len(words) - k + 1])] + words[len(words) - k + 1:], "right"))
        else:
            groups.append(([name], ""))
    return groups


def read_columns(lines: Iterable[Line]) -> Iterator[Record]:
    """Records of a whitespace-aligned table whose first line is its header, without a dash rule
    (``esxcfg-nics -l``, ``esxcfg-vmknic -l``, ``df -h``, ``vim-cmd vmsvc/getallvms``).

    Columns are where every line of the table has white space, so multi-word headers (``MAC
    Address``) and right-aligned numbers (``df``'s ``Size``) are cut where the data is; the last
    column takes the rest of the line. Numbers too wide for their column are told apart by
    :func:`_word_groups`.

    >>> rows = ["Filesystem   Size   Used Available Use% Mounted on",
    ...         "VMFS-5     499.8G 182.6G    317.1G  37% /vmfs/volumes/datastore1"]
    >>> [r.items() for r in read_columns(enumerate(rows, 1))]  # doctest: +NORMALIZE_WHITESPACE
    [[('Filesystem', 'VMFS-5'), ('Size', '499.8G'), ('Used', '182.6G'), ('Available', '317.1G'),
      ('Use%', '37%'), ('Mounted on', '/vmfs/volumes/datastore1')]]
    >>> rows.append("VMFS-6    1023.8G 612.2G    411.6G  60% /vmfs/volumes/ds-prod-02")
    >>> [(r.get("Filesystem"), r.get("Size")) for r in read_columns(enumerate(rows, 1))]
    [('VMFS-5', '499.8G'), ('VMFS-6', '1023.8G')]
    """
    source = iter(lines)
    sample: list[Line] = []
    for item in source:
        if is_noise(item[1]) or not item[1].strip():
            continue
        sample.append((item[0], item[1].rstrip()))
        if len(sample) > COLUMN_SAMPLE:
            break
    if len(sample) < 2:
        return
    indent = min(len(text) - len(text.lstrip()) for _, text in sample)
    texts = [text[indent:] for _, text in sample]
    columns = _regions(texts)
    groups = _word_groups(columns, texts)
    names = [name or f"column{i + 1}" for i, name in enumerate(n for group, _ in groups for n in group)]
    starts = [start for start, _ in columns]

    def row(number: int, text: str) -> Record:
        body = text[indent:].rstrip() if text[:indent].isspace() or not indent else text.strip()
        record = Record(shape="columns", columns=list(names))
        column = iter(names)
        for index, (start, (group, mode)) in enumerate(zip(starts, groups)):
            end = starts[index + 1] if index + 1 < len(starts) else len(body)
            cell = body[start:end].strip() if start < len(body) else ""
            if mode:
                parts = cell.split(None, len(group) - 1) if mode == "left" else cell.rsplit(None, len(group) - 1)
                cells = parts + [""] * (len(group) - len(parts))
            else:
                cells = [cell]
            for part in cells:
                record.set(next(column), part, number, text, truncated=part.endswith(("...", "\u2026")))
        record.first_line = number
        return record

    for number, text in sample[1:]:
        yield row(number, text)
    for number, text in source:
        if text.strip() and not is_noise(text):
            yield row(number, text)


# --- a section of console output: one reader per paragraph ------------------------------------

def _kind(paragraph: list[str]) -> str:
    """Which reader a blank-line-separated paragraph needs: list, table, blocks, columns or ''."""
    texts = [t for t in paragraph if t.strip() and not is_noise(t) and not is_warning(t)]
    if not texts:
        return "warnings" if any(is_warning(t) for t in paragraph) else ""
    if len(texts) == 1 and texts[0].rstrip().endswith(":") and not texts[0][:1].isspace():
        return "title"
    for above, line in zip(texts, texts[1:]):
        if _RULE.match(line.rstrip()) and above.strip():
            return "table"
    listed = sum(1 for t in texts if _PROPERTY.match(t) and len(_PROPERTY.match(t).group("indent")) < 8)
    fields = sum(1 for t in texts if _field(t) and (_field(t).group("value") or t[:1].isspace()))
    if listed and listed * 2 >= len(texts) - (1 if not _PROPERTY.match(texts[0]) else 0):
        return "list"
    if fields and (fields * 2 >= len(texts) or fields >= 3):
        return "blocks"
    if len(texts) >= 2 and _header_like(texts[0]):
        return "columns"
    return ""


_HEADER_WORD = re.compile(r"^[A-Za-z%#][\w%#().\-/]*$")


def _header_like(text: str) -> bool:
    words = text.split()
    return len(words) >= 2 and all(_HEADER_WORD.match(w) and not w.endswith(":") for w in words)


_READERS = {"list": lambda lines: format_list(lines), "table": lambda lines: format_table(lines),
            "blocks": lambda lines: read_blocks(lines), "columns": lambda lines: read_columns(lines)}
#: Lines of a paragraph looked at to decide its reader; the rest is streamed to that reader.
KIND_SAMPLE = 60


def read_text(lines: Iterable[Line]) -> Iterator[Record]:
    """Records of console output in any of the text shapes above, paragraph by paragraph: a
    ``Format-List`` record, a table, an esxcli block or a column table each get their reader.
    ``WARNING:`` lines standing alone go to the next record. Paragraphs that are none of these
    (free text, banners) yield nothing.

    >>> text = ["Name : EX01", "", "Name   Status", "----   ------", "DB1    Mounted"]
    >>> [(r.shape, r.get("Name")) for r in read_text(enumerate(text, 1))]
    [('list', 'EX01'), ('table', 'DB1')]
    """
    warnings: list[Line] = []
    title: tuple[int, str] | None = None
    for blank, group in groupby(lines, key=lambda item: not item[1].strip()):
        if blank:
            continue
        head = [item for _, item in zip(range(KIND_SAMPLE), group)]
        kind = _kind([text for _, text in head])
        if kind == "warnings":
            warnings.extend(item for item in head if is_warning(item[1]))
            continue
        if kind == "title":
            line = next(item for item in head if item[1].strip() and not is_noise(item[1]))
            title = (line[0], line[1].strip().rstrip(":").strip())
            continue
        reader = _READERS.get(kind)
        if reader is None:
            for _ in group:
                pass
            continue
        first = True
        for record in reader(chain_lines(head, group)):
            if first and warnings:
                record.warnings[:0] = warnings
                warnings = []
            if first and title is not None and not record.title:
                record.title = title[1]
            first = False
            yield record
        title = None


def chain_lines(head: list[Line], rest: Iterable[Line]) -> Iterator[Line]:
    yield from head
    yield from rest

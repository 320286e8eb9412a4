r"""JSON as ``ConvertTo-Json`` and ``esxcli --formatter=json`` write it, as records.

A document is an object (one record) or an array of objects (one record each); several documents
may follow each other (two commands' output in one section). Values become text the way
PowerShell prints them: strings as they are, numbers as digits (``4.0`` as ``4``), ``true`` as
``True``, ``null`` as ``""``; Windows PowerShell 5.1's dates ``"\/Date(1552568400000)\/"`` as ISO
UTC text. Nested objects are flattened (``Parent.Child``) and keep a readable value of their own
(their ``Name``, ``value`` or ``DisplayName`` member, else compact JSON); arrays give ``items``
and, when they hold objects, flattened ``Parent[0].Child`` names. Every value keeps the line of
its property name in the input. PowerShell 5.1's ``{"value": [...], "Count": n}`` wrapper around
an array is unwrapped. A document is held in memory up to :data:`MAX_DOCUMENT` characters.

A synthetic ``Get-Service ClusSvc | Select Name,Status,StartType | ConvertTo-Json`` (5.1):

>>> record = next(read(enumerate(['{', '    "Name":  "ClusSvc",', '    "Status":  4,',
...                               '    "StartType":  2', '}'], start=1)))
>>> record.get("Status"), record.line("Status"), record.text("Status")
('4', 3, '    "Status":  4,')
"""

from __future__ import annotations

import json as stdlib_json
import re
from bisect import bisect_right
from datetime import datetime, timedelta, timezone
from typing import Any, Iterable, Iterator

from hakb.reading.record import Line, Record, clean_text

SHAPE = "json"
#: Characters of one JSON document held in memory before the reader gives up.
MAX_DOCUMENT = 16 * 1024 * 1024
#: Nesting a document may have before it is taken as hostile.
MAX_DEPTH = 100

_MS_DATE = re.compile(r"^/Date\((?P<ms>-?\d+)(?:[+-]\d{4})?\)/$")
_TOKEN = re.compile(r'"(?:[^"\\]|\\.)*"(?P<colon>\s*:)?', re.S)
_READABLE = ("Name", "value", "DisplayName")
#: A scalar then ``,`` or the line's end: how a JSON array of numbers or literals starts.
_ARRAY_SCALAR = re.compile(r"^(?:-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?|true|false|null)\s*(?:,|$)")
_DECODER = stdlib_json.JSONDecoder(object_pairs_hook=lambda pairs: _Object(pairs))


class _Object:
    """A JSON object as its (name, value) pairs, in order, duplicates kept."""

    __slots__ = ("pairs",)

    def __init__(self, pairs: list[tuple[str, Any]]):
        self.pairs = pairs

    def __iter__(self) -> Iterator[tuple[str, Any]]:
        return iter(self.pairs)


def looks_like(head_lines: list[str]) -> bool:
    r"""True when the first line opens a JSON object or array (not a ``[HKEY_...]`` heading).

    >>> looks_like(['[{"Name":"vmnic0","MTU":1500}]']), looks_like(['[HKEY_CURRENT_USER\\Software]'])
    (True, False)
    """
    lines = [clean_text(line).strip() for line in head_lines]
    lines = [line for line in lines if line]
    if not lines:
        return False
    first = lines[0]
    rest = first[1:].lstrip() or (lines[1] if len(lines) > 1 else "")
    if first.startswith("{"):
        return rest == "" or rest.startswith(('"', "}"))
    if first.startswith("["):
        return rest == "" or rest[0] in '{["]' or _ARRAY_SCALAR.match(rest) is not None or _whole(first)
    return False


def _whole(line: str) -> bool:
    """True when the line is one complete JSON value (``[1]``), not ``[1] some text``."""
    try:
        _, end = stdlib_json.JSONDecoder().raw_decode(line)
    except (ValueError, RecursionError):
        return False
    return not line[end:].strip()


def _date(text: str) -> str:
    match = _MS_DATE.match(text)
    if not match:
        return text
    try:
        moment = datetime(1970, 1, 1, tzinfo=timezone.utc) + timedelta(milliseconds=int(match["ms"]))
    except OverflowError:
        return text
    fraction = f".{moment.microsecond // 1000:03d}" if moment.microsecond else ""
    return moment.strftime("%Y-%m-%dT%H:%M:%S") + fraction + "Z"


def scalar_text(value: Any) -> str:
    """A JSON scalar as PowerShell prints it.

    >>> [scalar_text(v) for v in ("/Date(1552568400000)/", 4.0, 1.5, True, None)]
    ['2019-03-14T13:00:00Z', '4', '1.5', 'True', '']
    """
    if value is None:
        return ""
    if isinstance(value, bool):
        return "True" if value else "False"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if value.is_integer() and abs(value) < 1e16:
            return str(int(value))
        return repr(value)
    if isinstance(value, str):
        return _date(value)
    return _compact(value)


#: Characters of compact JSON kept as the readable text of an object without a name.
COMPACT_LIMIT = 1024


_STRING = stdlib_json.encoder.encode_basestring  # the C encoder when available


def _chunks(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield _STRING(value)
    elif isinstance(value, _Object):
        yield "{"
        for index, (name, item) in enumerate(value):
            yield ("," if index else "") + _STRING(name) + ":"
            yield from _chunks(item)
        yield "}"
    elif isinstance(value, list):
        yield "["
        for index, item in enumerate(value):
            if index:
                yield ","
            yield from _chunks(item)
        yield "]"
    elif value is None:
        yield "null"
    elif isinstance(value, bool):
        yield "true" if value else "false"
    else:
        yield repr(value) if isinstance(value, float) else str(value)


def _compact(value: Any) -> str:
    """Compact JSON of a value, cut after :data:`COMPACT_LIMIT` characters (then ending ``...``)."""
    parts: list[str] = []
    size = 0
    for chunk in _chunks(value):
        parts.append(chunk)
        size += len(chunk)
        if size > COMPACT_LIMIT:
            return "".join(parts)[:COMPACT_LIMIT] + "..."
    return "".join(parts)


def readable(value: Any) -> str:
    """The text that stands for a value: a scalar's text, an object's Name/value/DisplayName,
    a list as ``{a, b}`` (as ``Format-List`` shows it), else compact JSON."""
    if isinstance(value, _Object):
        members = {name.lower(): item for name, item in value}
        for name in _READABLE:
            item = members.get(name.lower())
            if item is not None and not isinstance(item, (list, _Object)):
                return scalar_text(item)
        return _compact(value)
    if isinstance(value, list):
        return "{" + ", ".join(readable(item) for item in value) + "}"
    return scalar_text(value)


class _Document:
    """One decoded top-level element, the offsets of its property names, and the lines."""

    def __init__(self, text: str, starts: list[int], lines: list[Line], keys: list[int]):
        self.text, self.starts, self.lines, self.keys = text, starts, lines, keys
        self.next_key = 0

    def line_at(self, offset: int) -> Line:
        """The line holding ``offset``: the last one starting at or before it."""
        return self.lines[max(bisect_right(self.starts, offset) - 1, 0)]

    def take_key(self) -> Line:
        offset = self.keys[self.next_key]
        self.next_key += 1
        return self.line_at(offset)


def _skip_keys(value: Any, doc: _Document) -> None:
    """Consume the property-name offsets of a value not flattened (inside an array of scalars)."""
    if isinstance(value, _Object):
        for _, item in value:
            doc.next_key += 1
            _skip_keys(item, doc)
    elif isinstance(value, list):
        for item in value:
            _skip_keys(item, doc)


def _flatten(record: Record, prefix: str, value: _Object, doc: _Document, depth: int) -> None:
    if depth > MAX_DEPTH:
        raise ValueError(f"line {record.first_line}: JSON nested deeper than {MAX_DEPTH} levels")
    for name, item in value:
        number, text = doc.take_key()
        full = f"{prefix}{name}"
        _set(record, full, item, number, text, doc, depth)


def _set(record: Record, name: str, item: Any, number: int, text: str, doc: _Document, depth: int) -> None:
    if isinstance(item, _Object):
        record.set(name, readable(item), number, text)
        _flatten(record, name + ".", item, doc, depth + 1)
    elif isinstance(item, list):
        items = [readable(i) for i in item]
        record.set(name, "{" + ", ".join(items) + "}", number, text, items=items)
        for index, element in enumerate(item):
            if isinstance(element, _Object):
                _flatten(record, f"{name}[{index}].", element, doc, depth + 1)
            else:
                _skip_keys(element, doc)
    else:
        record.set(name, scalar_text(item), number, text)


def _records(element: Any, offset: int, doc: _Document) -> Iterator[Record]:
    if isinstance(element, _Object) and _is_count_wrapper(element):
        element = dict(element)["value"]
        doc.next_key += 1  # "value"
    if isinstance(element, list):
        for item in element:
            if isinstance(item, _Object):
                yield from _records(item, offset, doc)
            else:
                _skip_keys(item, doc)
        return
    if not isinstance(element, _Object):
        return  # a bare scalar names nothing
    record = Record(shape=SHAPE)
    _flatten(record, "", element, doc, 0)
    if not record.first_line:  # an empty object: where its element starts
        record.first_line = doc.line_at(offset)[0]
    yield record


def _is_count_wrapper(element: _Object) -> bool:
    names = [name for name, _ in element]
    if sorted(names) != ["Count", "value"]:
        return False
    members = dict(element)
    return isinstance(members["value"], list) and members["Count"] == len(members["value"])


def _buffer(lines: Iterable[Line]) -> tuple[str, list[int], list[Line]]:
    parts: list[str] = []
    starts: list[int] = []
    kept: list[Line] = []
    size = 0
    for number, raw in lines:
        text = clean_text(raw)
        starts.append(size)
        kept.append((number, text))
        parts.append(text)
        size += len(text) + 1
        if size > MAX_DOCUMENT:
            raise ValueError(f"line {number}: JSON document larger than {MAX_DOCUMENT // (1024 * 1024)} MiB")
    return "\n".join(parts), starts, kept


def read(lines: Iterable[Line]) -> Iterator[Record]:
    """One record per top-level object (or per object of a top-level array).

    Raises :class:`ValueError` naming the line for text that is not JSON, a document nested
    deeper than :data:`MAX_DEPTH` or larger than :data:`MAX_DOCUMENT`.

    >>> [r.get("Name") for r in read([(7, '[{"Name":"vmnic0","Link":"Up"},{"Name":"vmnic1","Link":"Down"}]')])]
    ['vmnic0', 'vmnic1']
    """
    text, starts, kept = _buffer(lines)
    if not kept:
        return
    position = 0
    while True:
        while position < len(text) and text[position].isspace():
            position += 1
        if position >= len(text):
            return
        probe = _Document(text, starts, kept, [])
        try:
            element, end = _DECODER.raw_decode(text, position)
        except stdlib_json.JSONDecodeError as exc:
            number, _ = probe.line_at(exc.pos)
            raise ValueError(f"line {number}: not valid JSON: {exc.msg}") from None
        except RecursionError:
            number, _ = probe.line_at(position)
            raise ValueError(f"line {number}: JSON nested too deeply to read") from None
        keys = [m.start() for m in _TOKEN.finditer(text, position, end) if m["colon"]]
        doc = _Document(text, starts, kept, keys)
        records = _records(element, position, doc)
        while True:
            try:
                record = next(records)
            except StopIteration:
                break
            except RecursionError:
                raise ValueError(f"line {doc.line_at(position)[0]}: JSON nested too deeply to read") from None
            yield record
        position = end

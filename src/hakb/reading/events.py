r"""Windows event XML (``<Event xmlns="http://schemas.microsoft.com/win/2004/08/events/event">``)
as records: one per event.

Where it comes from: ``wevtutil qe System /f:xml`` (events one after another without a root
element, one per line), ``wevtutil qe ... /f:RenderedXml`` (with ``<RenderingInfo>``: the
message and level in the reader's language), ``/e:Events`` (wrapped in ``<Events>``), Event
Viewer's "Save ... As XML" (an ``<?xml ... encoding="UTF-16"?>`` declaration and ``<Events>``)
and ``Get-WinEvent | ForEach-Object { $_.ToXml() }``.

An event's record (shape ``event-xml``, ``type_name`` ``Event``) names its values as the XML
does: the ``<System>`` children by their tag (``Provider``, ``EventID``, ``Level``, ``Task``,
``TimeCreated``, ``EventRecordID``, ``Channel``, ``Computer`` ...), an element's attributes as
``Tag.Attribute`` (``Provider.Name``, ``TimeCreated.SystemTime``, ``Security.UserID``); an
element without text takes its first attribute's value as its own (``Provider`` is the provider
name, ``TimeCreated`` the time). ``<EventData><Data Name="NodeName">`` gives
``EventData.NodeName``, unnamed ``<Data>`` ``EventData.Data[0]``, ``[1]`` ...; ``<UserData>``
is flattened by tag (``UserData.EventXML.Param1``); ``<RenderingInfo>`` children give
``RenderingInfo.Message``, ``RenderingInfo.Level`` ... Each value keeps the line its element
starts on.

The XML is read with :mod:`xml.parsers.expat`; a ``DOCTYPE`` or entity declaration is refused
(an entity bomb cannot expand) and one event is held in memory at a time.

A synthetic event as ``wevtutil qe System /f:xml`` prints it (one line):

>>> record = next(read([(1, "<Event xmlns='http://schemas.microsoft.com/win/2004/08/events/event'>"
...     "<System><Provider Name='Microsoft-Windows-FailoverClustering'/><EventID>1135</EventID>"
...     "<Level>1</Level><TimeCreated SystemTime='2019-03-14T13:00:13.000Z'/>"
...     "<Channel>System</Channel><Computer>EX01.example.com</Computer></System>"
...     "<EventData><Data Name='NodeName'>EX02</Data></EventData></Event>")]))
>>> record.get("Provider"), record.get("EventID"), record.get("EventData.NodeName")
('Microsoft-Windows-FailoverClustering', '1135', 'EX02')
"""

from __future__ import annotations

import re
from typing import Iterable, Iterator
from xml.parsers import expat

from hakb.reading.record import Line, Record, clean_text
from hakb.reading.xml import Element, hardened_parser

SHAPE = "event-xml"
NAMESPACE = "http://schemas.microsoft.com/win/2004/08/events/event"
#: Characters of one event held in memory before the reader gives up.
MAX_EVENT = 4 * 1024 * 1024
#: Element nesting taken as hostile.
MAX_DEPTH = 64

_DECLARATION = re.compile(r"<\?xml[^>]*\?>")
_ROOT = "hakb-events"


def looks_like(head_lines: list[str]) -> bool:
    """True when the first element is an ``<Event>`` in the event schema's namespace, or an
    ``<Events>`` list (after an optional XML declaration).

    >>> looks_like(['<?xml version="1.0" encoding="UTF-16"?>', '<Events><Event xmlns="http://schemas.microsoft.com/win/2004/08/events/event">'])
    True
    >>> looks_like(['<Objs Version="1.1.0.1" xmlns="http://schemas.microsoft.com/powershell/2004/04">'])
    False
    """
    lines = [_DECLARATION.sub("", clean_text(line)).strip() for line in head_lines]
    lines = [line for line in lines if line][:5]
    if not lines or not lines[0].startswith("<"):
        return False
    if re.match(r"<Events\s*>", lines[0]):
        return True
    return lines[0].startswith("<Event ") and NAMESPACE in " ".join(lines)


def _local(name: str) -> str:
    return name.rpartition(" ")[2].rpartition(":")[2]


class _Builder:
    """Feeds lines to expat inside a synthetic root, collecting finished ``<Event>`` elements."""

    def __init__(self) -> None:
        self.parser = hardened_parser(self, " ", refuse_doctype=self._refuse, refuse_entity=self._refuse)
        self.stack: list[Element] = []
        self.event: int | None = None  # stack index of the open <Event>
        self.ready: list[Element] = []
        self.lines: dict[int, Line] = {}
        self.fed = 0
        self.size = 0
        self._parse(f"<{_ROOT}>\n", False)  # expat line 1

    def _refuse(self, *_args) -> None:
        raise ValueError(f"line {self._line()[0]}: XML DOCTYPE or entity declaration refused")

    def _line(self) -> Line:
        return self.lines.get(self.parser.CurrentLineNumber) or self.lines.get(self.fed + 1) or (0, "")

    def _start(self, name: str, attrs: dict[str, str]) -> None:
        tag = _local(name)
        if len(self.stack) >= MAX_DEPTH:
            raise ValueError(f"line {self._line()[0]}: XML nested deeper than {MAX_DEPTH} elements")
        element = Element(tag, {_local(k): v for k, v in attrs.items()}, self._line())
        if self.event is None and tag == "Event":
            self.event = len(self.stack)
            self.size = 0
        elif self.event is None and self.stack and tag not in ("Events",):
            raise ValueError(f"line {element.line[0]}: <{tag}> where an <Event> was expected")
        self.stack.append(element)

    def _end(self, _name: str) -> None:
        element = self.stack.pop()
        if self.event is not None and len(self.stack) == self.event:
            self.ready.append(element)
            self.event = None
        elif self.event is not None and len(self.stack) > self.event:
            self.stack[-1].children.append(element)

    def _data(self, data: str) -> None:
        if self.event is not None and len(self.stack) > self.event:
            self.stack[-1].parts.append(data)

    def feed(self, number: int, text: str) -> None:
        self.fed += 1
        self.lines[self.fed + 1] = (number, text)
        if self.event is None:
            for old in [n for n in self.lines if n < self.fed - 8]:
                del self.lines[old]
        else:
            self.size += len(text) + 1
            if self.size > MAX_EVENT:
                raise ValueError(f"line {number}: event larger than {MAX_EVENT // (1024 * 1024)} MiB")
        if "<!DOCTYPE" in text or "<!ENTITY" in text:
            raise ValueError(f"line {number}: XML DOCTYPE or entity declaration refused")
        self._parse(_DECLARATION.sub("", text) + "\n", False)

    def close(self) -> None:
        self._parse(f"</{_ROOT}>", True)

    def _parse(self, data: str, final: bool) -> None:
        try:
            self.parser.Parse(data, final)
        except expat.ExpatError as exc:
            number = self.lines.get(exc.lineno, (0, ""))[0] or (self.lines.get(self.fed + 1) or (0, ""))[0]
            raise ValueError(f"line {number}: not well-formed event XML: {expat.ErrorString(exc.code)}") from None


def _set(record: Record, name: str, element: Element) -> None:
    number, text = element.line
    value = element.text.strip()
    if not value and not element.children and element.attrs:
        value = next(iter(element.attrs.values()))
    record.set(name, value, number, text)
    for attribute, content in element.attrs.items():
        record.set(f"{name}.{attribute}", content, number, text)


def _flatten(record: Record, prefix: str, element: Element, depth: int = 0) -> None:
    if depth > MAX_DEPTH:
        return
    for child in element.children:
        name = f"{prefix}.{child.tag}" if prefix else child.tag
        _set(record, name, child)
        _flatten(record, name, child, depth + 1)


def _record(event: Element) -> Record:
    record = Record(shape=SHAPE, type_name="Event")
    for part in event.children:
        if part.tag == "System":
            for child in part.children:
                _set(record, child.tag, child)
        elif part.tag == "EventData":
            unnamed = 0
            for child in part.children:
                if child.tag == "Data" and child.attrs.get("Name"):
                    name = f"EventData.{child.attrs['Name']}"
                elif child.tag == "Data":
                    name, unnamed = f"EventData.Data[{unnamed}]", unnamed + 1
                else:
                    name = f"EventData.{child.tag}"
                number, text = child.line
                record.set(name, child.text.strip(), number, text)
        else:  # UserData, RenderingInfo, ProcessingErrorData, DebugData
            for attribute, content in part.attrs.items():
                record.set(f"{part.tag}.{attribute}", content, *part.line)
            _flatten(record, part.tag, part)
    if not record.first_line:
        record.first_line = event.line[0]
    return record


def read(lines: Iterable[Line]) -> Iterator[Record]:
    """One record per ``<Event>``, in file order.

    Raises :class:`ValueError` naming the line for XML that is not well formed, a ``DOCTYPE`` or
    entity declaration, an element other than ``<Events>``/``<Event>`` at the top, or an event
    nested or sized beyond the limits.

    >>> [r.get("EventRecordID") for r in read(enumerate(['<Events>',
    ...     '<Event xmlns="http://schemas.microsoft.com/win/2004/08/events/event"><System><EventRecordID>7</EventRecordID></System></Event>',
    ...     '<Event xmlns="http://schemas.microsoft.com/win/2004/08/events/event"><System><EventRecordID>8</EventRecordID></System></Event>',
    ...     '</Events>'], 1))]
    ['7', '8']
    """
    builder = _Builder()
    for number, raw in lines:
        builder.feed(number, clean_text(raw))
        while builder.ready:
            yield _record(builder.ready.pop(0))
    builder.close()
    while builder.ready:
        yield _record(builder.ready.pop(0))

"""Events as objects: ``Get-WinEvent`` and ``Get-EventLog`` in any shape (``fl``, ``fl *``, the
default tables, ``Export-Csv``, ``ConvertTo-Json``, ``Export-Clixml``) and event XML
(``wevtutil qe /f:xml``, ``/f:RenderedXml``, Event Viewer's XML export, read by
:mod:`hakb.reading.events`), as the same ``windows-event`` facts the text export gives.

* ``Get-WinEvent``: ``ProviderName``, ``Id``, ``LevelDisplayName`` (``Level`` as a number in
  CSV and JSON), ``TimeCreated``, ``MachineName``, ``LogName``, ``Message``; its default table
  shows ``TimeCreated Id LevelDisplayName Message`` under a ``ProviderName:`` group line, so a
  row without a provider is judged by its id and message.
* ``Get-EventLog``: ``Source``, ``InstanceId`` (the event id with its qualifiers above bit 16),
  ``EntryType`` (a number in JSON), ``TimeGenerated`` (the table's ``Time``), ``MachineName``,
  ``Message``, ``ReplacementStrings``.
* event XML: ``Provider``, ``EventID``, ``Level`` (a number), ``TimeCreated``, ``Channel``,
  ``Computer``, ``EventData.NodeName``, ``RenderingInfo.Message``.
"""

from __future__ import annotations

from typing import Iterator

from hakb import Fact
from hakb.formats import parse_int
from hakb.reading import Record
from hakb.reading.events import SHAPE as EVENT_XML
from hakb.shapes import evidence, shape

from hakb.plugins.windows.events import ENTRY_TYPES, LEVELS, event_fact
from hakb.plugins.windows.objects import enum, first, guarded
from hakb.shapes import object_parser


def _event_id(value: str | None) -> int | None:
    """An event id; ``Get-EventLog``'s InstanceId carries qualifiers above the low 16 bits."""
    number = parse_int(value)
    return number & 0xFFFF if number is not None and number > 0xFFFF else number


def win_event(record: Record) -> Iterator[Fact]:
    event_id = _event_id(first(record, "Id", "EventId"))
    if event_id is None:
        return
    message = first(record, "Message")
    level = first(record, "LevelDisplayName") or enum(record.get("Level"), LEVELS)
    line, text = evidence(record, "Message", "Id")
    node = first(record, "Properties[0].Value") if event_id == 1135 else ""
    yield event_fact(log=first(record, "LogName", "ContainerLog"), source=first(record, "ProviderName"),
                     event_id=event_id, level=level, computer=first(record, "MachineName"),
                     time=first(record, "TimeCreated"), message=message, line=line, text=text, node=node)


def event_log(record: Record) -> Iterator[Fact]:
    event_id = _event_id(first(record, "InstanceId", "EventID"))
    if event_id is None:
        return
    message = first(record, "Message")
    line, text = evidence(record, "Message", "InstanceId", "EventID")
    strings = record.values("ReplacementStrings")
    node = strings[0] if event_id == 1135 and strings else ""
    yield event_fact(log=first(record, "Log"), source=first(record, "Source"), event_id=event_id,
                     level=enum(record.get("EntryType"), ENTRY_TYPES), computer=first(record, "MachineName"),
                     time=first(record, "TimeGenerated", "Time", "TimeWritten"), message=message,
                     line=line, text=text, node=node)


def event_xml(record: Record) -> Iterator[Fact]:
    event_id = _event_id(record.get("EventID"))
    if event_id is None:
        return
    message = first(record, "RenderingInfo.Message")
    line, text = evidence(record, "EventID")
    yield event_fact(log=first(record, "Channel"), source=first(record, "Provider", "Provider.Name"),
                     event_id=event_id, level=enum(record.get("Level"), LEVELS),
                     computer=first(record, "Computer"), time=first(record, "TimeCreated", "TimeCreated.SystemTime"),
                     message=message, line=line, text=text, node=first(record, "EventData.NodeName"))


SHAPES = [
    guarded("event XML", {"eventid", "provider"}, event_xml, lambda r: r.shape == EVENT_XML),
    shape("Get-WinEvent", {"id", "providername"}, win_event),
    shape("Get-WinEvent", {"timecreated", "id", "message"}, win_event),
    shape("Get-EventLog", {"instanceid", "source"}, event_log),
    shape("Get-EventLog", {"eventid", "source", "entrytype"}, event_log),
]

PARSERS = [object_parser(
    "windows-events", SHAPES,
    "Events as objects: Get-WinEvent, Get-EventLog (fl, tables, CSV, JSON, Clixml) and event XML "
    "(wevtutil /f:xml, Event Viewer's XML export)")]

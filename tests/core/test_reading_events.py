"""hakb.reading.events: Windows event XML as records, read safely.

Inputs are synthetic, written after the event schema (``<Event xmlns=
"http://schemas.microsoft.com/win/2004/08/events/event">``) as ``wevtutil qe /f:xml``,
``/f:RenderedXml``, ``/e:Events`` and Event Viewer's "Save As XML" write it.
"""

import pytest

from hakb.reading import events, read_records

NS = "http://schemas.microsoft.com/win/2004/08/events/event"

#: wevtutil qe System /f:xml: one event per line, no root element (abridged, synthetic).
WEVTUTIL_XML = [
    f"<Event xmlns='{NS}'><System><Provider Name='Microsoft-Windows-FailoverClustering' "
    "Guid='{baf908ea-3421-4ca9-9b84-6689b8c6f85f}'/><EventID>1135</EventID><Version>0</Version>"
    "<Level>1</Level><Task>3</Task><Opcode>0</Opcode><Keywords>0x8000000000000000</Keywords>"
    "<TimeCreated SystemTime='2019-03-14T13:00:13.000000000Z'/><EventRecordID>4711</EventRecordID>"
    "<Correlation/><Execution ProcessID='1234' ThreadID='2345'/><Channel>System</Channel>"
    "<Computer>EX01.example.com</Computer><Security UserID='S-1-5-18'/></System>"
    "<EventData><Data Name='NodeName'>EX02</Data></EventData></Event>",
    f"<Event xmlns='{NS}'><System><Provider Name='Microsoft-Windows-NLB'/>"
    "<EventID Qualifiers='32772'>12</EventID><Level>3</Level>"
    "<TimeCreated SystemTime='2019-03-14T12:00:00.000Z'/><Channel>System</Channel>"
    "<Computer>EX01.example.com</Computer></System><EventData><Data>198.51.100.50</Data>"
    "<Data>EX01</Data></EventData></Event>",
]

#: Event Viewer "Save All Events As... XML": a declaration, <Events>, pretty-printed, rendered.
SAVED = f"""<?xml version="1.0" encoding="utf-16"?>
<Events>
<Event xmlns='{NS}'>
  <System>
    <Provider Name='Microsoft-Windows-FailoverClustering'/>
    <EventID>1177</EventID>
    <Level>1</Level>
    <TimeCreated SystemTime='2019-03-14T13:00:20.000Z'/>
    <Channel>System</Channel>
    <Computer>EX02.example.com</Computer>
  </System>
  <EventData/>
  <RenderingInfo Culture='de-DE'>
    <Message>Der Clusterdienst wird heruntergefahren, da das Quorum verloren wurde.</Message>
    <Level>Kritisch</Level>
    <Provider>Microsoft-Windows-FailoverClustering</Provider>
  </RenderingInfo>
</Event>
</Events>""".split("\n")


def records(lines):
    return list(events.read(enumerate(lines, 1)))


def test_wevtutil_events_without_root_one_per_line():
    removed, nlb = records(WEVTUTIL_XML)
    assert removed.shape == "event-xml" and removed.type_name == "Event"
    assert removed.get("Provider") == "Microsoft-Windows-FailoverClustering"
    assert removed.get("Provider.Guid") == "{baf908ea-3421-4ca9-9b84-6689b8c6f85f}"
    assert (removed.get("EventID"), removed.get("Level"), removed.get("Channel")) == ("1135", "1", "System")
    assert removed.get("TimeCreated") == "2019-03-14T13:00:13.000000000Z"
    assert removed.get("Security.UserID") == "S-1-5-18"
    assert removed.get("EventData.NodeName") == "EX02"
    assert (removed.line("EventID"), nlb.line("EventID")) == (1, 2)
    assert nlb.get("EventID.Qualifiers") == "32772"
    assert [nlb.get("EventData.Data[0]"), nlb.get("EventData.Data[1]")] == ["198.51.100.50", "EX01"]


def test_saved_events_with_declaration_and_rendering_info():
    (quorum,) = records(SAVED)
    assert quorum.get("EventID") == "1177" and quorum.get("Computer") == "EX02.example.com"
    assert quorum.get("RenderingInfo.Message").startswith("Der Clusterdienst wird heruntergefahren")
    assert quorum.get("RenderingInfo.Level") == "Kritisch"
    assert quorum.get("RenderingInfo.Culture") == "de-DE"
    assert quorum.line("EventID") == 6 and quorum.text("EventID").strip() == "<EventID>1177</EventID>"


def test_read_records_picks_the_event_reader_after_a_prompt():
    lines = ['C:\\>wevtutil qe System /q:"*[System[(EventID=1135)]]" /f:xml', *WEVTUTIL_XML]
    found = list(read_records(enumerate(lines, 1), "wevtutil qe System /f:xml"))
    assert [(r.shape, r.get("EventID"), r.line("EventID")) for r in found] == [
        ("event-xml", "1135", 2), ("event-xml", "12", 3)]


@pytest.mark.parametrize("head,expected", [
    (WEVTUTIL_XML[:1], True), (SAVED[:3], True),
    (['<Objs Version="1.1.0.1" xmlns="http://schemas.microsoft.com/powershell/2004/04">'], False),
    (["<Event><System/></Event>"], False),  # no event namespace: not claimed
    (["Event[0]:", "  Log Name: System"], False),
])
def test_looks_like(head, expected):
    assert events.looks_like(head) is expected


def test_entity_declarations_are_refused():
    bomb = ['<?xml version="1.0"?>', '<!DOCTYPE Events [<!ENTITY a "aaaaaaaaaa">]>', "<Events>", "</Events>"]
    with pytest.raises(ValueError, match="line 2: .*refused"):
        records(bomb)


def test_broken_xml_names_its_line():
    with pytest.raises(ValueError, match="line 2: not well-formed"):
        records([WEVTUTIL_XML[0], f"<Event xmlns='{NS}'><System><EventID>1</System></Event>"])


def test_another_top_level_element_is_an_error():
    with pytest.raises(ValueError, match="<html> where an <Event> was expected"):
        records(["<html><body/></html>"])


def test_an_event_cut_short_is_an_error():
    with pytest.raises(ValueError, match="not well-formed"):
        records([f"<Event xmlns='{NS}'><System><EventID>1135</EventID>"])

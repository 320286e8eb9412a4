"""Windows events in every shape: wevtutil /f:text (English, German), wevtutil /f:xml and XML
exports, Get-WinEvent and Get-EventLog as fl, tables, CSV, JSON. All inputs are synthetic; the
messages follow the wording of the FailoverClustering and Hyper-V events."""

import pytest

from hakb.plugins.windows import events
from hakb.plugins.windows.events import kind_of
from hakb.testing import parse_bytes, parse_file

from .conftest import SAMPLES, pipe, pipe_result, utf16

MESSAGE = ("Cluster node 'EX02' was removed from the active failover cluster membership. The Cluster service "
           "on this node may have stopped.")
NS = "http://schemas.microsoft.com/win/2004/08/events/event"

WEVTUTIL_XML = ('C:\\>wevtutil qe System /q:"*[System[(EventID=1135)]]" /f:xml\n'
                f"<Event xmlns='{NS}'><System><Provider Name='Microsoft-Windows-FailoverClustering' "
                "Guid='{baf908ea-3421-4ca9-9b84-6689b8c6f85f}'/><EventID>1135</EventID><Version>0</Version>"
                "<Level>1</Level><Task>3</Task><TimeCreated SystemTime='2019-03-14T13:00:13.000000000Z'/>"
                "<EventRecordID>4711</EventRecordID><Channel>System</Channel><Computer>EX01.example.com</Computer>"
                "<Security UserID='S-1-5-18'/></System><EventData><Data Name='NodeName'>EX02</Data></EventData></Event>\n")

RENDERED_XML = f"""<?xml version="1.0" encoding="utf-16"?>
<Events>
<Event xmlns='{NS}'><System><Provider Name='Microsoft-Windows-FailoverClustering'/><EventID>1135</EventID>
<Level>1</Level><TimeCreated SystemTime='2019-03-14T13:00:13.000Z'/><Channel>System</Channel>
<Computer>EX01.example.com</Computer></System><EventData><Data Name='NodeName'>EX02</Data></EventData>
<RenderingInfo Culture='en-US'><Message>{MESSAGE}</Message><Level>Critical</Level></RenderingInfo></Event>
</Events>
"""

WINEVENT_FL = f"""PS C:\\> Get-WinEvent -FilterHashtable @{{LogName='System'; Id=1135}} | fl

TimeCreated  : 3/14/2019 1:00:13 PM
ProviderName : Microsoft-Windows-FailoverClustering
Id           : 1135
Message      : {MESSAGE}
"""

WINEVENT_FT = f"""PS C:\\> Get-WinEvent -FilterHashtable @{{LogName='System'; Id=1135}}


   ProviderName: Microsoft-Windows-FailoverClustering

TimeCreated                     Id LevelDisplayName Message
-----------                     -- ---------------- -------
3/14/2019 1:00:13 PM          1135 Critical         Cluster node 'EX02' was removed from the active failover ...
"""

WINEVENT_CSV = ('#TYPE System.Diagnostics.Eventing.Reader.EventLogRecord\n'
                '"Message","Id","Version","Level","Task","RecordId","ProviderName","LogName","MachineName",'
                '"TimeCreated","LevelDisplayName","Properties"\n'
                f'"{MESSAGE}","1135","0","1","3","4711","Microsoft-Windows-FailoverClustering","System",'
                '"EX01.example.com","3/14/2019 1:00:13 PM","Critical",'
                '"System.Collections.Generic.List`1[System.Diagnostics.Eventing.Reader.EventProperty]"\n')

WINEVENT_JSON = f"""[
    {{
        "Message":  "{MESSAGE}",
        "Id":  1135,
        "Level":  1,
        "ProviderName":  "Microsoft-Windows-FailoverClustering",
        "LogName":  "System",
        "MachineName":  "EX01.example.com",
        "TimeCreated":  "\\/Date(1552568413000)\\/",
        "LevelDisplayName":  "Critical",
        "Properties":  [
                           {{
                               "Value":  "EX02"
                           }}
                       ]
    }}
]
"""

EVENTLOG_FT = """PS C:\\> Get-EventLog -LogName System -InstanceId 1135

   Index Time          EntryType   Source                 InstanceID Message
   ----- ----          ---------   ------                 ---------- -------
    4711 Mar 14 13:00  Error       Microsoft-Windows...         1135 Cluster node 'EX02' was removed from the...
"""

EVENTLOG_FL = f"""PS C:\\> Get-EventLog -LogName System -InstanceId 1135 | fl

Index              : 4711
EntryType          : Error
InstanceId         : 1135
Message            : {MESSAGE}
Category           : Node Mgr
CategoryNumber     : 3
ReplacementStrings : {{EX02}}
Source             : Microsoft-Windows-FailoverClustering
TimeGenerated      : 3/14/2019 1:00:13 PM
TimeWritten        : 3/14/2019 1:00:13 PM
UserName           : NT AUTHORITY\\SYSTEM
"""


def windows_events(data, name="events.txt"):
    return [f for f in pipe(data, name) if f.type == "windows-event"]


# --- wevtutil /f:text ---------------------------------------------------------------------------

def test_wevtutil_english_events():
    removed, nlb = windows_events((SAMPLES / "wevtutil-system-en.txt").read_bytes())
    assert removed.slots["event_id"] == 1135 and removed.slots["kind"] == "cluster-node-removed"
    assert removed.slots["node"] == "EX02" and removed.host == "EX01.example.com"
    assert removed.line == 15 and removed.text.startswith("Cluster node 'EX02'")
    assert removed.slots["epoch"] == 1552568413
    assert nlb.slots["kind"] == "nlb-cluster-conflict" and nlb.slots["source"] == "Microsoft-Windows-NLB"


def test_wevtutil_german_utf16_with_german_date():
    (removed,) = parse_file(events.PARSERS[0], SAMPLES / "wevtutil-system-de.txt")
    assert removed.slots["kind"] == "cluster-node-removed" and removed.slots["node"] == "EX02"
    assert removed.slots["time"] == "14.03.2019 13:00:13" and removed.slots["epoch"] == 1552568413
    assert removed.slots["level"] == "Kritisch"


def test_wevtutil_us_date_and_crlf_bytes():
    text = ("Event[0]:\r\n  Log Name: System\r\n  Source: Microsoft-Windows-FailoverClustering\r\n"
            "  Date: 3/14/2019 1:00:13 PM\r\n  Event ID: 1135\r\n  Computer: EX01\r\n  Description: \r\n"
            f"{MESSAGE}\r\n")
    (fact,) = parse_bytes(events.PARSERS[0], text.encode("utf-8"), name="events.txt")
    assert fact.slots["epoch"] == 1552568413 and fact.slots["node"] == "EX02"


# --- the same event in every other shape --------------------------------------------------------

SHAPES = {"wevtutil /f:xml": WEVTUTIL_XML, "rendered XML export, UTF-16": utf16(RENDERED_XML),
          "Get-WinEvent | fl": WINEVENT_FL, "Get-WinEvent table": WINEVENT_FT,
          "Get-WinEvent | Export-Csv": WINEVENT_CSV, "Get-WinEvent | ConvertTo-Json": WINEVENT_JSON,
          "Get-EventLog table": EVENTLOG_FT, "Get-EventLog | fl": EVENTLOG_FL}


@pytest.mark.parametrize("shape", sorted(SHAPES))
def test_every_shape_of_a_1135_is_a_node_removal(shape):
    (fact,) = windows_events(SHAPES[shape], "events.xml" if "XML" in shape else "events.txt")
    assert (fact.slots["event_id"], fact.slots["kind"], fact.slots["node"]) == (1135, "cluster-node-removed", "EX02")
    if shape != "Get-EventLog table":  # its Time column has no year
        assert fact.slots["epoch"] == 1552568413, fact.slots["time"]


@pytest.mark.parametrize("shape", ["wevtutil /f:xml", "Get-WinEvent | Export-Csv", "Get-WinEvent | ConvertTo-Json"])
def test_shapes_that_name_the_computer_name_the_host(shape):
    (fact,) = windows_events(SHAPES[shape])
    assert fact.slots["computer"] == "EX01.example.com" and fact.host == "EX01.example.com"


def test_levels_by_number_are_named():
    (xml,) = windows_events(WEVTUTIL_XML)
    assert xml.slots["level"] == "Critical" and xml.slots["source"] == "Microsoft-Windows-FailoverClustering"
    assert xml.line == 2 and xml.text.startswith("<Event")
    (log,) = windows_events(EVENTLOG_FL)
    assert log.slots["level"] == "Error"


def test_quorum_loss_witness_and_hyperv_events():
    text = ("PS C:\\> Get-WinEvent -LogName Microsoft-Windows-Hyper-V-VMMS-Admin | fl\n\n"
            "TimeCreated  : 3/14/2019 12:59:58 PM\nProviderName : Microsoft-Windows-Hyper-V-VMMS\nId           : 20413\n"
            "Message      : The Virtual Machine Management service initiated the live migration of virtual machine "
            "'EX02' to destination host 'HV02' (VMID 2D3C8F1E-0000-4000-8000-00155D010203).\n\n"
            "TimeCreated  : 3/14/2019 1:00:40 PM\nProviderName : Microsoft-Windows-Hyper-V-High-Availability\n"
            "Id           : 21502\nMessage      : Live migration of 'Virtual Machine EX02' failed.\n\n"
            "TimeCreated  : 3/14/2019 1:00:20 PM\nProviderName : Microsoft-Windows-FailoverClustering\nId           : 1177\n"
            "Message      : The Cluster service is shutting down because quorum was lost.\n\n"
            "TimeCreated  : 3/14/2019 1:00:21 PM\nProviderName : Microsoft-Windows-FailoverClustering\nId           : 1564\n"
            "Message      : File share witness resource 'File Share Witness' failed to arbitrate for the file share.\n")
    kinds = [(f.slots["kind"], f.slots["node"]) for f in windows_events(text)]
    assert kinds == [("hyperv-migration", "EX02"), ("hyperv-migration-failed", "EX02"),
                     ("cluster-quorum-lost", ""), ("cluster-witness-failed", "")]


@pytest.mark.parametrize("source,event_id,message,kind", [
    ("Microsoft-Windows-FailoverClustering", 1069, "Cluster resource 'SQL IP' of type 'IP Address' failed.",
     "cluster-resource-failed"),
    ("Microsoft-Windows-FailoverClustering", 1130, "Cluster network 'Cluster Network 1' is down.", "cluster-network-down"),
    ("", 1135, "Der Clusterknoten \u201eEX02\u201c wurde aus der aktiven Failoverclustermitgliedschaft entfernt.",
     "cluster-node-removed"),
    ("Service Control Manager", 1135, "unrelated", ""),
    ("", 1135, "An event of some other source that happens to have id 1135.", ""),
    ("Microsoft-Windows-NLB", 12, "NLB cluster [198.51.100.50]: the host converged.", "nlb"),
])
def test_kinds(source, event_id, message, kind):
    assert kind_of(source, event_id, message) == kind


def test_a_network_event_names_the_node_not_the_interface():
    message = ("Cluster network interface 'EX02 - Replication' for cluster node 'EX02' on network "
               "'Cluster Network 2' failed.")
    assert events.node_of("cluster-network-down", message) == "EX02"


def test_other_events_are_kept_without_a_kind():
    text = ("TimeCreated  : 3/14/2019 1:00:00 PM\nProviderName : Service Control Manager\nId           : 7036\n"
            "Message      : The Windows Update service entered the stopped state.\n")
    (fact,) = windows_events(text)
    assert fact.slots["kind"] == "" and fact.slots["event_id"] == 7036


def test_get_eventlog_instance_id_with_qualifiers():
    text = EVENTLOG_FL.replace("InstanceId         : 1135", "InstanceId         : 1073742959")  # 0x40000000 | 1135
    (fact,) = windows_events(text)
    assert fact.slots["event_id"] == 1135


def test_broken_event_xml_is_an_error_naming_its_line():
    result = pipe_result(WEVTUTIL_XML.replace("</Event>", "</Evnt>"), "events.xml")
    assert result.status != "parsed" and "line 2: not well-formed event XML" in result.message

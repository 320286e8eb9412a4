"""The high-availability objects in every shape the core reads: one object, the same facts.

Each test writes what a tool would have written (``fl``, ``ft``, ``Export-Csv`` with and without
``#TYPE`` or ``-UseCulture``, ``ConvertTo-Json``, ``Export-Clixml``, UTF-16LE) and reads it the way
a diagnosis does (sections, the reading layer, the exchange object parser). The texts are
synthetic, written from the cmdlets' documented output.
"""

from __future__ import annotations

import pytest

from bundles import samples
from hakb.diagnosis import fact_schemas, parsers
from hakb.model import Artifact
from hakb.parsing import parse_artifact
from hakb.plugin_manager import get_plugin_manager
from hakb.plugins.exchange.cmdline import argument, names_local_machine
from hakb.plugins.exchange.copies import COPY_STATUS, enum_name

SAMPLES = samples("exchange")
#: Slots that say which shape a fact came from, not what the object is.
SHAPE_SLOTS = {"source", "listing", "last_inspected"}


@pytest.fixture(scope="module")
def core():
    pm = get_plugin_manager()
    schemas = fact_schemas(pm)
    return parsers(pm, schemas), schemas


@pytest.fixture
def read(core, tmp_path):
    """Facts of one artifact as a diagnosis reads it (``encoding``: utf8, utf8-bom, utf16)."""
    available, schemas = core

    def run(text: str | bytes, name: str = "artifact.txt", encoding: str = "utf8", types=None):
        if isinstance(text, str):
            crlf = text.replace("\n", "\r\n")
            data = {"utf8": text.encode(), "utf8-bom": b"\xef\xbb\xbf" + crlf.encode(),
                    "utf16": b"\xff\xfe" + crlf.encode("utf-16-le")}[encoding]
        else:
            data = text
        path = tmp_path / name
        path.write_bytes(data)
        result = parse_artifact(Artifact(name=name, path=path, size=len(data)), available, schemas)
        assert result.status == "parsed", (result.status, result.message)
        return [f for f in result.facts if types is None or f.type in types]
    return run


def objects(facts, drop=SHAPE_SLOTS):
    """What the facts say of their objects, without the slots naming the shape."""
    return [(f.type, {k: v for k, v in f.slots.items() if k not in drop}) for f in facts]


# --- Get-MailboxDatabaseCopyStatus ------------------------------------------------------------

COPY_FL = """[PS] C:\\Windows\\system32>Get-MailboxDatabaseCopyStatus -Server EX02 | fl

Name                 : DB01\\EX02
DatabaseName         : DB01
Status               : FailedAndSuspended
MailboxServer        : EX02
CopyQueueLength      : 1204
ReplayQueueLength    : 0
LastInspectedLogTime : 14.03.2019 13:05:00
ContentIndexState    : Failed

Name                 : DB02\\EX02
DatabaseName         : DB02
Status               : Healthy
MailboxServer        : EX02
CopyQueueLength      : 0
ReplayQueueLength    : 2
LastInspectedLogTime : 14.03.2019 13:10:12
ContentIndexState    : Healthy
"""
COPY_FT = """[PS] C:\\Windows\\system32>Get-MailboxDatabaseCopyStatus -Server EX02

Name                 Status          CopyQueueLength  ReplayQueueLength  LastInspectedLogTime   ContentIndexState
----                 ------          ---------------  -----------------  --------------------   -----------------
DB01\\EX02            FailedAndSus... 1204             0                  3/14/2019 1:05:00 PM   Failed
DB02\\EX02            Healthy         0                2                  3/14/2019 1:10:12 PM   Healthy
"""
COPY_CSV_DE = """#TYPE Selected.Microsoft.Exchange.Management.SystemConfigurationTasks.DatabaseCopyStatusEntry
"Name";"Status";"CopyQueueLength";"ReplayQueueLength";"LastInspectedLogTime";"ContentIndexState"
"DB01\\EX02";"FailedAndSuspended";"1204";"0";"14.03.2019 13:05:00";"Failed"
"DB02\\EX02";"Healthy";"0";"2";"14.03.2019 13:10:12";"Healthy"
"""
COPY_CSV = """"Name","Status","CopyQueueLength","ReplayQueueLength","LastInspectedLogTime","ContentIndexState"
"DB01\\EX02","FailedAndSuspended","1204","0","3/14/2019 1:05:00 PM","Failed"
"DB02\\EX02","Healthy","0","2","3/14/2019 1:10:12 PM","Healthy"
"""
COPY_CLIXML = """<Objs Version="1.1.0.1" xmlns="http://schemas.microsoft.com/powershell/2004/04">
  <Obj RefId="0">
    <TN RefId="0"><T>Deserialized.Microsoft.Exchange.Management.SystemConfigurationTasks.DatabaseCopyStatusEntry</T></TN>
    <ToString>DB01\\EX02</ToString>
    <Props>
      <S N="Name">DB01\\EX02</S>
      <Obj N="Status" RefId="1"><TN RefId="1"><T>Deserialized.Microsoft.Exchange.Management.SystemConfigurationTasks.CopyStatus</T></TN>
        <ToString>FailedAndSuspended</ToString><I32>16</I32></Obj>
      <I64 N="CopyQueueLength">1204</I64>
      <I64 N="ReplayQueueLength">0</I64>
      <DT N="LastInspectedLogTime">2019-03-14T13:05:00</DT>
      <Obj N="ContentIndexState" RefId="2"><TN RefId="2"><T>Deserialized.Microsoft.Exchange.Rpc.Cluster.ContentIndexStatusType</T></TN>
        <ToString>Failed</ToString><I32>3</I32></Obj>
    </Props>
  </Obj>
  <Obj RefId="3">
    <TNRef RefId="0" />
    <ToString>DB02\\EX02</ToString>
    <Props>
      <S N="Name">DB02\\EX02</S>
      <Obj N="Status" RefId="4"><TNRef RefId="1" /><ToString>Healthy</ToString><I32>6</I32></Obj>
      <I64 N="CopyQueueLength">0</I64>
      <I64 N="ReplayQueueLength">2</I64>
      <DT N="LastInspectedLogTime">2019-03-14T13:10:12</DT>
      <Obj N="ContentIndexState" RefId="5"><TNRef RefId="2" /><ToString>Healthy</ToString><I32>1</I32></Obj>
    </Props>
  </Obj>
</Objs>
"""


def test_copy_status_is_the_same_in_every_shape(read):
    expected = [("exchange-db-copy", {"database": "DB01", "server": "EX02", "status": "FailedAndSuspended",
                                      "copy_queue": 1204, "replay_queue": 0, "content_index": "Failed",
                                      "last_inspected_epoch": 1552568700}),
                ("exchange-db-copy", {"database": "DB02", "server": "EX02", "status": "Healthy",
                                      "copy_queue": 0, "replay_queue": 2, "content_index": "Healthy",
                                      "last_inspected_epoch": 1552569012})]
    shapes = {
        "fl": read(COPY_FL),
        "ft, status cut": read(COPY_FT),
        "Export-Csv -UseCulture, UTF-16": read(COPY_CSV_DE, "copies.csv", "utf16"),
        "Export-Csv -NoTypeInformation": read(COPY_CSV, "copies.csv"),
        "ConvertTo-Json, enum numbers": read((SAMPLES / "copystatus-json-ps51.json").read_bytes(), "copies.json"),
        "Export-Clixml": read(COPY_CLIXML, "copies.xml", "utf8-bom"),
    }
    for name, facts in shapes.items():
        got = [(t, {k: v for k, v in s.items() if k in expected[0][1]}) for t, s in objects(facts)]
        assert got == expected, name
    assert {facts[0].slots["source"] for facts in shapes.values()} == {"fl", "table", "csv", "json", "clixml"}


def test_cut_names_take_the_server_from_the_command(read):
    facts = read((SAMPLES / "copystatus-ft-cut-names.txt").read_bytes(), "copies.txt")
    got = [(f.slots["database"], f.slots["server"], f.slots["status"]) for f in facts]
    assert got == [("Mailbox Database 0311695863", "EX02", "FailedAndSuspended"),
                   # "...\EX..." is cut, but the command asked for EX02's copies
                   ("Mailbox Database 1184960121 (Amsterdam)", "EX02", "Healthy"),
                   # the database's own name is cut: unknown, never a guess; two statuses begin so
                   ("", "EX02", "Disconnected...")]


def test_cut_names_without_a_server_in_the_command_stay_unknown(read):
    text = ("[PS] C:\\>Get-MailboxDatabase | Get-MailboxDatabaseCopyStatus\n\n"
            "Name                            Status     CopyQueueLength ReplayQueueLength\n"
            "----                            ------     --------------- -----------------\n"
            "Mailbox Database 0311695863\\... Healthy    0               0\n"
            "Mailbox Database 0311695863\\... Healthy    0               0\n")
    facts = read(text)
    assert [(f.slots["database"], f.slots["server"]) for f in facts] == [("Mailbox Database 0311695863", "")] * 2


def test_identity_argument_names_the_server_of_a_cut_copy(read):
    text = ("[PS] C:\\>Get-MailboxDatabaseCopyStatus \"Mailbox Database 0311695863\\EX02\"\n\n"
            "Name                            Status     CopyQueueLength ReplayQueueLength\n"
            "----                            ------     --------------- -----------------\n"
            "Mailbox Database 0311695863\\E... Suspended  7               0\n")
    (fact,) = read(text)
    assert (fact.slots["server"], fact.slots["status"], fact.slots["copy_queue"]) == ("EX02", "Suspended", 7)


def test_enum_numbers_and_cut_names():
    assert enum_name("16", COPY_STATUS) == "FailedAndSuspended"
    assert enum_name("5", COPY_STATUS) == "Suspended"
    assert enum_name("99", COPY_STATUS) == "99"  # a number the enum does not have stays as written
    assert enum_name("Suspen...", COPY_STATUS) == "Suspended"
    assert enum_name("Seeding\u2026", COPY_STATUS) == "SeedingSource"  # PowerShell 7 cuts with one character
    assert enum_name("Disconnected...", COPY_STATUS) == "Disconnected..."


def test_copies_of_one_command_share_a_listing(read):
    text = ("[PS] C:\\>Get-MailboxDatabaseCopyStatus -Server EX02\n\n" + COPY_FT.split("\n", 2)[2]
            + "\n[PS] C:\\>Get-MailboxDatabaseCopyStatus DB01\n\n" + COPY_FT.split("\n", 2)[2])
    facts = read(text)
    assert [f.slots["listing"] for f in facts] == ["Get-MailboxDatabaseCopyStatus -Server EX02"] * 2 + \
        ["Get-MailboxDatabaseCopyStatus DB01"] * 2


# --- Test-ReplicationHealth --------------------------------------------------------------------

HEALTH_FT = """[PS] C:\\>Test-ReplicationHealth -Server EX02 | ft -Wrap

Server          Check                      Result     Error
------          -----                      ------     -----
EX02            ClusterService             Passed
EX02            DBCopySuspended            *FAILED*   Failures:
                                                      DB02\\EX02 is suspended.
"""
HEALTH_FL = """[PS] C:\\>Test-ReplicationHealth -Server EX02 | fl

Server           : EX02
Check            : ClusterService
CheckDescription : Checks if the cluster service is healthy.
Result           : Passed
Error            :

Server           : EX02
Check            : DBCopySuspended
CheckDescription : Checks whether any mailbox database copies are in a state of 'Suspended' on
                   this Mailbox server.
Result           : *FAILED*
Error            : Failures:
                   DB02\\EX02 is suspended.
"""
HEALTH_CSV = """#TYPE Deserialized.Microsoft.Exchange.Monitoring.ReplicationCheckOutcome
"Server";"Check";"CheckDescription";"Result";"Error"
"EX02";"ClusterService";"Checks if the cluster service is healthy.";"Passed";""
"EX02";"DBCopySuspended";"Checks whether any mailbox database copies are in a state of 'Suspended' on this Mailbox server.";"*FAILED*";"Failures:
DB02\\EX02 is suspended."
"""


def test_replication_health_is_the_same_in_every_shape(read):
    expected = [("exchange-replication-check", {"server": "EX02", "check": "ClusterService", "result": "Passed",
                                                "error": "", "passed": True}),
                ("exchange-replication-check", {"server": "EX02", "check": "DBCopySuspended", "result": "*FAILED*",
                                                "error": "Failures: DB02\\EX02 is suspended.", "passed": False})]
    assert objects(read(HEALTH_FT)) == expected
    assert objects(read(HEALTH_FL)) == expected
    assert objects(read(HEALTH_CSV, "health.csv", "utf16")) == expected


# --- Get-DatabaseAvailabilityGroup and its networks ------------------------------------------------

DAG_WARNING = ("WARNING: The witness server and directory currently in use by database availability group "
               "'DAG1' doesn't match the configured primary or alternate witness server. This may be due to "
               "Active Directory replication latency or the configured witness server being in a failed state.")
DAG_FL = f"""[PS] C:\\>Get-DatabaseAvailabilityGroup -Status | fl
{DAG_WARNING}

Name               : DAG1
Servers            : {{EX01, EX02}}
WitnessServer      : EX02.example.com
WitnessDirectory   : C:\\DAG1\\Witness
OperationalServers : {{EX01}}
WitnessShareInUse  : InvalidConfiguration
"""
DAG_JSON = """{
    "Name":  "DAG1",
    "Servers":  [
                    "EX01",
                    "EX02"
                ],
    "WitnessServer":  "EX02.example.com",
    "WitnessDirectory":  "C:\\\\DAG1\\\\Witness",
    "OperationalServers":  [
                               "EX01"
                           ],
    "WitnessShareInUse":  3
}
"""
DAG_CLIXML = """<Objs Version="1.1.0.1" xmlns="http://schemas.microsoft.com/powershell/2004/04">
  <Obj RefId="0">
    <TN RefId="0"><T>Deserialized.Microsoft.Exchange.Data.Directory.SystemConfiguration.DatabaseAvailabilityGroup</T></TN>
    <ToString>DAG1</ToString>
    <Props>
      <S N="Name">DAG1</S>
      <Obj N="Servers" RefId="1"><TN RefId="1"><T>Deserialized.Microsoft.Exchange.Data.Directory.ADMultiValuedProperty`1</T></TN>
        <LST><S>EX01</S><S>EX02</S></LST></Obj>
      <S N="WitnessServer">EX02.example.com</S>
      <S N="WitnessDirectory">C:\\DAG1\\Witness</S>
      <Obj N="OperationalServers" RefId="2"><TNRef RefId="1" /><LST><S>EX01</S></LST></Obj>
      <Obj N="WitnessShareInUse" RefId="3"><TN RefId="2"><T>Deserialized.Microsoft.Exchange.Data.Directory.SystemConfiguration.WitnessShareUsage</T></TN>
        <ToString>InvalidConfiguration</ToString><I32>3</I32></Obj>
    </Props>
  </Obj>
</Objs>
"""


def test_dag_is_the_same_in_every_shape(read):
    def dag(facts):
        (fact,) = facts
        return {k: v for k, v in fact.slots.items() if k != "warning"}

    listed = read(DAG_FL, encoding="utf16")
    assert listed[0].slots["warning"] == DAG_WARNING  # the WARNING line before the record is kept on it
    expected = dag(listed)
    assert expected["servers"] == ["EX01", "EX02"] and expected["member_count"] == 2
    assert expected["witness_share_in_use"] == "InvalidConfiguration" and expected["witness_failed"] is True
    assert dag(read(DAG_JSON, "dag.json")) == expected   # WitnessShareInUse 3 is InvalidConfiguration
    assert dag(read(DAG_CLIXML, "dag.xml")) == expected
    table = ("[PS] C:\\>Get-DatabaseAvailabilityGroup -Status | ft Name,Servers,WitnessServer,WitnessDirectory,"
             "OperationalServers,WitnessShareInUse -AutoSize\n\n"
             "Name Servers      WitnessServer    WitnessDirectory OperationalServers WitnessShareInUse\n"
             "---- -------      -------------    ---------------- ------------------ -----------------\n"
             "DAG1 {EX01, EX02} EX02.example.com C:\\DAG1\\Witness  {EX01}             InvalidConfiguration\n")
    assert dag(read(table)) == expected


def test_dag_witness_properties_are_named_by_the_command(read):
    text = ("[PS] C:\\>Get-DatabaseAvailabilityGroup DAG1 -Status | fl *witness*\n\n"
            "WitnessServer             : EX02.example.com\nWitnessDirectory          : C:\\DAG1\\Witness\n"
            "AlternateWitnessServer    :\nAlternateWitnessDirectory :\nWitnessShareInUse         : InvalidConfiguration\n")
    (fact,) = read(text)
    assert (fact.slots["name"], fact.slots["witness_failed"], fact.slots["member_count"]) == ("DAG1", True, None)
    unnamed = text.replace("Get-DatabaseAvailabilityGroup DAG1 -Status", "Get-DatabaseAvailabilityGroup -Status")
    with pytest.raises(AssertionError, match="could not be read"):
        read(unnamed)  # which DAG is unknown: said, not guessed


def test_dag_members_cut_by_the_enumeration_limit_are_not_counted(read):
    (fact,) = read("Name          : DAG3\nServers       : {MBX01, MBX02, MBX03, MBX04...}\nWitnessServer : HUB01\n")
    assert fact.slots["servers"] == ["MBX01", "MBX02", "MBX03", "MBX04"] and fact.slots["member_count"] is None


def test_dag_json_with_live_objects_names_members(read):
    (fact,) = read('{"Name": "DAG2", "Servers": [{"Name": "MBX01", "DistinguishedName": "CN=MBX01,CN=Servers"},'
                   ' {"Name": "MBX02", "DistinguishedName": "CN=MBX02,CN=Servers"}], "WitnessServer": "HUB01",'
                   ' "WitnessShareInUse": null}', "dag.json")
    assert fact.slots["servers"] == ["MBX01", "MBX02"] and fact.slots["witness_share_in_use"] == ""


def test_dag_network_is_the_same_in_every_shape(read):
    expected = ("exchange-dag-network", {"dag": "DAG1", "name": "ReplicationDagNetwork01", "subnets": ["198.51.100.0/24"],
                                         "interfaces": ["EX01=198.51.100.11", "EX02=198.51.100.12"],
                                         "mapi_access": False, "replication": True})
    assert objects(read((SAMPLES / "get-dagnetwork-fl.txt").read_bytes())) == [expected]
    assert objects(read((SAMPLES / "get-dagnetwork-json.json").read_bytes(), "n.json")) == [expected]
    # opened in a German Excel and saved again: `;`, no quotes, WAHR/FALSCH
    excel = objects(read((SAMPLES / "get-dagnetwork-excel-de.csv").read_bytes(), "n.csv"))
    assert excel[1] == expected and excel[0][1]["mapi_access"] is True and excel[0][1]["replication"] is False


# --- Get-ExchangeServer, Get-MailboxServer --------------------------------------------------------

EXS_FL = """[PS] C:\\>Get-ExchangeServer EX01 | fl Name,Fqdn,ServerRole,AdminDisplayVersion,IsMemberOfCluster

Name                : EX01
Fqdn                : EX01.example.com
ServerRole          : Mailbox, ClientAccess, HubTransport
AdminDisplayVersion : Version 14.1 (Build 218.15)
IsMemberOfCluster   : No
"""
EXS_JSON = """{
    "Name":  "EX01",
    "Fqdn":  "EX01.example.com",
    "ServerRole":  38,
    "AdminDisplayVersion":  {
                                "Major":  14,
                                "Minor":  1,
                                "Build":  218,
                                "Revision":  15,
                                "FilePatchLevelDescription":  ""
                            },
    "IsMemberOfCluster":  "No"
}
"""
EXS_CSV = """#TYPE Deserialized.Microsoft.Exchange.Data.Directory.Management.ExchangeServer
"Name";"Fqdn";"ServerRole";"AdminDisplayVersion";"IsMemberOfCluster"
"EX01";"EX01.example.com";"Mailbox, ClientAccess, HubTransport";"Version 14.1 (Build 218.15)";"No"
"""
EXS_CLIXML = """<Objs Version="1.1.0.1" xmlns="http://schemas.microsoft.com/powershell/2004/04">
  <Obj RefId="0">
    <TN RefId="0"><T>Deserialized.Microsoft.Exchange.Data.Directory.Management.ExchangeServer</T></TN>
    <ToString>EX01</ToString>
    <Props>
      <S N="Name">EX01</S>
      <S N="Fqdn">EX01.example.com</S>
      <Obj N="ServerRole" RefId="1"><TN RefId="1"><T>Deserialized.Microsoft.Exchange.Data.Directory.SystemConfiguration.ServerRole</T></TN>
        <ToString>Mailbox, ClientAccess, HubTransport</ToString><I32>38</I32></Obj>
      <Obj N="AdminDisplayVersion" RefId="2"><TN RefId="2"><T>Deserialized.Microsoft.Exchange.Data.ServerVersion</T></TN>
        <ToString>Version 14.1 (Build 218.15)</ToString>
        <Props><I32 N="Major">14</I32><I32 N="Minor">1</I32><I32 N="Build">218</I32><I32 N="Revision">15</I32></Props></Obj>
      <S N="IsMemberOfCluster">No</S>
    </Props>
  </Obj>
</Objs>
"""


def test_exchange_server_is_the_same_in_every_shape(read):
    expected = [("exchange-server", {"name": "EX01", "version": "14.1.218.15", "major": 14, "minor": 1, "build": 218,
                                     "edition": "", "roles": ["Mailbox", "ClientAccess", "HubTransport"], "site": "",
                                     "fqdn": "EX01.example.com", "clustered": False})]
    assert objects(read(EXS_FL, encoding="utf16")) == expected
    assert objects(read(EXS_JSON, "exs.json")) == expected  # the version object, the roles' flags number
    assert objects(read(EXS_CSV, "exs.csv")) == expected
    assert objects(read(EXS_CLIXML, "exs.xml")) == expected


def test_only_a_query_for_the_local_machine_names_the_host(read):
    local = read("[PS] C:\\>Get-ExchangeServer $env:COMPUTERNAME | fl Name,Fqdn,AdminDisplayVersion\n\n"
                 "Name                : EX02\nFqdn                : EX02.example.com\n"
                 "AdminDisplayVersion : Version 14.0 (Build 639.21)\n")
    assert [(f.type, f.slots.get("name")) for f in local] == [("exchange-server", "EX02"), ("host-name", "EX02.example.com")]
    listing = read(EXS_FL.replace("Get-ExchangeServer EX01", "Get-ExchangeServer"))
    assert [f.type for f in listing] == ["exchange-server"]


def test_command_lines():
    assert argument("Get-MailboxDatabaseCopyStatus -Serv:EX02 -Active", "Get-MailboxDatabaseCopyStatus", "Server") == "EX02"
    assert argument("Get-MailboxDatabaseCopyStatus -Server $s", "Get-MailboxDatabaseCopyStatus", "Server") == ""
    assert argument("Get-MailboxDatabaseCopyStatus -Active DB01\\EX02", "Get-MailboxDatabaseCopyStatus",
                    "Identity", 0) == "DB01\\EX02"  # a switch takes no value
    assert names_local_machine("Get-ExchangeServer -Identity ([Environment]::MachineName)", "Get-ExchangeServer")
    assert names_local_machine("Get-ExchangeServer | ? {$_.Name -eq $env:COMPUTERNAME} | fl", "Get-ExchangeServer")
    assert not names_local_machine("Get-ExchangeServer -Identity EX01", "Get-ExchangeServer")
    assert not names_local_machine("Get-ExchangeServer | ? {$_.Name -eq $env:COMPUTERNAME -or $_.Name -eq 'EX02'}",
                                   "Get-ExchangeServer")


MBX_CLIXML = """<Objs Version="1.1.0.1" xmlns="http://schemas.microsoft.com/powershell/2004/04">
  <Obj RefId="0">
    <TN RefId="0"><T>Microsoft.Exchange.Data.Directory.Management.MailboxServer</T></TN>
    <ToString>CMS01</ToString>
    <Props>
      <S N="Name">CMS01</S>
      <Obj N="ClusteredStorageType" RefId="1"><TN RefId="1"><T>Microsoft.Exchange.Data.Directory.SystemConfiguration.ClusteredStorageType</T></TN>
        <ToString>NonShared</ToString><I32>1</I32></Obj>
      <Obj N="RedundantMachines" RefId="2"><TN RefId="2"><T>Microsoft.Exchange.Data.MultiValuedProperty`1</T></TN>
        <LST><S>EX01</S><S>EX02</S></LST></Obj>
    </Props>
  </Obj>
</Objs>
"""


def test_mailbox_server_is_the_same_in_every_shape(read):
    listed = read((SAMPLES / "get-mailboxserver-fl.txt").read_bytes(), types={"exchange-mailbox-server"})[:1]
    expected = objects(listed)
    assert expected == [("exchange-mailbox-server", {"name": "CMS01", "storage_type": "NonShared", "kind": "CCR",
                                                     "redundant_machines": ["EX01", "EX02"], "node_count": 2, "dag": ""})]
    assert objects(read(MBX_CLIXML, "mbx.xml")) == expected
    table = ("[PS] C:\\>Get-MailboxServer | ft Name,ClusteredStorageType,RedundantMachines -AutoSize\n\n"
             "Name  ClusteredStorageType RedundantMachines\n----  -------------------- -----------------\n"
             "CMS01 NonShared            {EX01, EX02}\n")
    assert objects(read(table)) == expected
    csv = ('#TYPE System.Management.Automation.PSCustomObject\n"Name","ClusteredStorageType","RedundantMachines"\n'
           '"CMS01","NonShared","EX01,EX02"\n')
    assert objects(read(csv, "mbx.csv")) == expected


def test_nodes_cut_by_the_enumeration_limit_are_not_counted(read):
    (fact,) = read("Name                 : SCC09\nClusteredStorageType : Shared\n"
                   "RedundantMachines    : {SCCN1, SCCN2, SCCN3, SCCN4...}\n")
    assert fact.slots["redundant_machines"] == ["SCCN1", "SCCN2", "SCCN3", "SCCN4"] and fact.slots["node_count"] is None


# --- Exchange 2007: Get-ClusteredMailboxServerStatus, Get-StorageGroupCopyStatus -------------------

def test_clustered_mailbox_server_status(read):
    (fact,) = read((SAMPLES / "get-clusteredmailboxserverstatus-fl.txt").read_bytes())
    assert fact.type == "exchange-cms-status"
    assert (fact.slots["name"], fact.slots["state"], fact.slots["fqdn"]) == ("CMS01", "Online", "CMS01.example.com")
    assert fact.slots["operational_machines"] == ["EX01", "EX02"]
    assert fact.slots["active_node"] == "EX01" and fact.slots["quorum_owner"] == "EX01"
    assert fact.line == 6 and fact.text.startswith("State")


def test_clustered_mailbox_server_status_with_one_node_left(read):
    text = ('[{"Identity": "CMS01", "State": "PartialOnline", "OperationalMachines": ["EX01 <Active>"],'
            ' "FailedResources": ["Database (CMS01\\\\SG1\\\\DB1)"], "FailedReplicationHostNames": ["ex02"]}]')
    (fact,) = read(text, "cms.json")
    assert fact.slots["operational_machines"] == ["EX01"] and fact.slots["active_node"] == "EX01"
    assert fact.slots["quorum_owner"] == "" and fact.slots["failed_replication_hosts"] == ["ex02"]
    assert fact.slots["failed_resources"] == ["Database (CMS01\\SG1\\DB1)"]


def test_storage_group_copies_in_list_and_table_shapes(read):
    def copies(facts):
        return [(f.slots["server"], f.slots["storage_group"], f.slots["status"], f.slots["copy_queue"],
                 f.slots["replay_queue"], f.slots["last_inspected_epoch"]) for f in facts]

    listed = read((SAMPLES / "get-storagegroupcopystatus-fl.txt").read_bytes())
    table = read((SAMPLES / "get-storagegroupcopystatus-table.txt").read_bytes())
    expected = [("CMS01", "SG1", "Healthy", 0, 0, 1552568691), ("CMS01", "SG2", "Failed", 312, 0, 1552564323)]
    assert copies(listed) == expected
    assert copies(table) == expected  # the table names neither Identity nor server: -Server CMS01 does
    assert listed[1].slots["failed"] is True and listed[1].slots["failed_message"] == "Log file 'E00000BC4F2.log' is corrupt."


def test_warning_before_json_in_a_transcript(read):
    """A cmdlet's WARNING line printed before its ConvertTo-Json output stays on the record."""
    text = ("[PS] C:\\>Get-DatabaseAvailabilityGroup -Status | ConvertTo-Json\n" + DAG_WARNING + "\n" + DAG_JSON)
    (fact,) = read(text)
    assert fact.slots["warning"] == DAG_WARNING


def test_a_json_export_cut_short_is_a_parse_error_naming_its_line():
    from hakb import ParseError
    from hakb.plugins.exchange.powershell import PARSERS
    from hakb.testing import run_parser_alone

    # The parse function alone: a run today lists this file as skipped with the reader's
    # message (hakb.parsing decides that), not as an error.
    with pytest.raises((ParseError, ValueError), match="line 4: not valid JSON"):
        run_parser_alone(PARSERS[0], '[\n    {\n        "Name":  "DB01\\\\EX02",\n        "Status":  16,', "copies.json")

"""Failover cluster objects in every shape (cluster.exe, FailoverClusters cmdlets as fl, fl *,
tables, CSV, JSON, Clixml) and cluster.log. All inputs are synthetic."""

import pytest

from hakb import Head
from hakb.plugins.windows import clusterlog
from hakb.testing import parse_file, parse_text

from .conftest import SAMPLES, pipe, pipe_result, slots, utf16


def facts_of(data, kind, name="pasted.txt"):
    return [f for f in pipe(data, name) if f.type == kind]


# --- cluster.exe ------------------------------------------------------------------------------

def test_cluster_node_listing():
    facts = facts_of((SAMPLES / "cluster-node.txt").read_bytes(), "cluster-node")
    assert slots(facts, "node", "node_id", "state") == [
        {"node": "EX01", "node_id": 1, "state": "Up"}, {"node": "EX02", "node_id": 2, "state": "Down"}]
    assert facts[1].line == 7 and facts[1].text.startswith("EX02")


def test_cluster_quorum_2003_and_2008_shapes():
    (q2003,) = facts_of((SAMPLES / "cluster-quorum-2003.txt").read_bytes(), "cluster-quorum")
    assert q2003.slots["type"] == "MajorityNodeSet" and q2003.slots["resource"] == "Majority Node Set"
    (q2008,) = facts_of((SAMPLES / "cluster-quorum-2008.txt").read_bytes(), "cluster-quorum")
    # the resource name overflows its column; the quorum type is still read
    assert q2008.slots["type"] == "NodeAndFileShareMajority"
    assert q2008.slots["resource"] == "File Share Witness (\\\\fsw01\\CCR1)"


def test_cluster_res_priv_reads_empty_and_hex_values():
    params = {s["name"]: s for s in slots(facts_of((SAMPLES / "cluster-res-mns-priv.txt").read_bytes(),
                                                   "cluster-parameter"))}
    assert params["MNSFileShare"]["value"] == "" and params["MNSFileShare"]["number"] is None
    assert params["MNSFileShareCheckInterval"]["number"] == 240
    assert params["MNSFileShareCheckInterval"]["object"] == "Majority Node Set"


def test_cluster_prop_and_get_clusterquorum():
    text = ("C:\\>cluster /prop\n"
            "T  Cluster              Name                           Value\n"
            "-- -------------------- ------------------------------ -----------------------\n"
            "D  DAG1                 SameSubnetDelay                1000 (0x3e8)\n"
            "D  DAG1                 SameSubnetThreshold            5 (0x5)\n\n"
            "PS C:\\> Get-ClusterQuorum\n\n"
            "Cluster        QuorumResource     QuorumType\n"
            "-------        --------------     ----------\n"
            "DAG1           File Share Witness NodeAndFileShareMajority\n")
    facts = pipe(text)
    assert [(s["name"], s["value"]) for s in slots([f for f in facts if f.type == "cluster-setting"])] == [
        ("SameSubnetDelay", 1000), ("SameSubnetThreshold", 5)]
    assert [f.slots["type"] for f in facts if f.type == "cluster-quorum"] == ["NodeAndFileShareMajority"]


# --- Get-ClusterNode ----------------------------------------------------------------------------

NODES_2012 = "PS C:\\> Get-ClusterNode\n\nName                 ID    State\n----                 --    -----\nEX01                 1     Up\nEX02                 2     Down\n"
NODES_2016 = "Name   State  Type\n----   -----  ----\nEX01   Up     Node\nEX02   Down   Node\n"
NODES_2008R2 = "PS C:\\> Get-ClusterNode\n\nName                                    State\n----                                    -----\nEX01                                    Up\nEX02                                    Down\n"
NODES_CSV = ('#TYPE Microsoft.FailoverClusters.PowerShell.ClusterNode\n'
             '"Cluster","State","Id","Name","NodeName","NodeWeight","DynamicWeight"\n'
             '"DAG1","Up","1","EX01","EX01","1","1"\n"DAG1","Down","2","EX02","EX02","1","0"\n')
NODES_JSON = """PS C:\\> Get-ClusterNode | ConvertTo-Json
[
    {
        "Cluster":  {"Name":  "DAG1", "Id":  "6f3c"},
        "State":  0,
        "Id":  "1",
        "Name":  "EX01",
        "NodeWeight":  1
    },
    {
        "Cluster":  {"Name":  "DAG1", "Id":  "6f3c"},
        "State":  1,
        "Id":  "2",
        "Name":  "EX02",
        "NodeWeight":  1
    }
]
"""


@pytest.mark.parametrize("shape", ["2012 table", "2016 table without prompt", "2008 R2 table", "csv", "json"])
def test_every_get_clusternode_shape_gives_the_same_nodes(shape):
    data = {"2012 table": NODES_2012, "2016 table without prompt": NODES_2016, "2008 R2 table": NODES_2008R2,
            "csv": NODES_CSV, "json": NODES_JSON}[shape]
    facts = facts_of(data, "cluster-node")
    assert slots(facts, "node", "state", "source") == [
        {"node": "EX01", "state": "Up", "source": "Get-ClusterNode"},
        {"node": "EX02", "state": "Down", "source": "Get-ClusterNode"}]


def test_json_node_points_at_its_name_and_cluster_is_read():
    ex01, _ = facts_of(NODES_JSON, "cluster-node")
    assert ex01.line == 7 and ex01.text.strip() == '"Name":  "EX01",' and ex01.slots["cluster"] == "DAG1"


def test_virtual_machines_and_resources_are_not_nodes():
    get_vm = ("Name    : EX01\nId      : 2d3c8f1e-0000-4000-8000-00155d010203\nVMId    : 2d3c8f1e-0000-4000-8000-00155d010203\n"
              "VMName  : EX01\nState   : Paused\n")
    resources = "Name                 State    OwnerGroup     ResourceType\n----                 -----    ----------     ------------\nCluster IP Address   Online   Cluster Group  IP Address\n"
    for text in (get_vm, resources):
        assert not [f for f in pipe_result(text).facts if f.type == "cluster-node"]


# --- Get-ClusterParameter ----------------------------------------------------------------------

LISTENER = [("Address", "198.51.100.40", None), ("ProbePort", "0", 0), ("SubnetMask", "255.255.255.0", None),
            ("EnableDhcp", "1", 1)]
RESOURCE = "AG1_198.51.100.40"
COMMAND = f'PS C:\\> Get-ClusterResource "{RESOURCE}" | Get-ClusterParameter'

PARAMETER_TABLE = COMMAND + """

Object            Name        Value              Type
------            ----        -----              ----
AG1_198.51.100.40 Address     198.51.100.40      String
AG1_198.51.100.40 ProbePort   0                  UInt32
AG1_198.51.100.40 SubnetMask  255.255.255.0      String
AG1_198.51.100.40 EnableDhcp  1                  UInt32
"""
PARAMETER_TABLE_CUT = COMMAND + """

Object              Name        Value         Type
------              ----        -----         ----
AG1_198.51.100.4... Address     198.51.100.40 String
AG1_198.51.100.4... ProbePort   0             UInt32
AG1_198.51.100.4... SubnetMask  255.255.255.0 String
AG1_198.51.100.4... EnableDhcp  1             UInt32
"""
PARAMETER_FL_STAR = COMMAND + " | fl *\n\n" + "\n".join(
    f"ClusterObject : {RESOURCE}\nName          : {n}\nIsReadOnly    : False\nParameterType : {t}\nValue         : {v}\n"
    for n, v, t in (("Address", "198.51.100.40", "String"), ("ProbePort", "0", "UInt32"),
                    ("SubnetMask", "255.255.255.0", "String"), ("EnableDhcp", "1", "UInt32")))
PARAMETER_CSV = ('#TYPE Microsoft.FailoverClusters.PowerShell.ClusterParameter\n'
                 '"ClusterObject";"Name";"IsReadOnly";"ParameterType";"Value"\n'
                 f'"{RESOURCE}";"Address";"False";"String";"198.51.100.40"\n'
                 f'"{RESOURCE}";"ProbePort";"False";"UInt32";"0"\n'
                 f'"{RESOURCE}";"SubnetMask";"False";"String";"255.255.255.0"\n'
                 f'"{RESOURCE}";"EnableDhcp";"False";"UInt32";"1"\n')
PARAMETER_JSON = "[\n" + ",\n".join(
    f'    {{"ClusterObject": {{"Name": "{RESOURCE}", "State": 2, "ResourceType": "IP Address"}}, '
    f'"Name": "{n}", "IsReadOnly": false, "ParameterType": {t}, "Value": {v}}}'
    for n, v, t in (("Address", '"198.51.100.40"', 2), ("ProbePort", "0", 3),
                    ("SubnetMask", '"255.255.255.0"', 2), ("EnableDhcp", "1", 3))) + "\n]\n"


@pytest.mark.parametrize("shape", ["table", "table with the Object column cut", "fl *",
                                   "Export-Csv -UseCulture, UTF-16", "ConvertTo-Json"])
def test_every_get_clusterparameter_shape_gives_the_same_parameters(shape):
    data = {"table": PARAMETER_TABLE, "table with the Object column cut": PARAMETER_TABLE_CUT,
            "fl *": PARAMETER_FL_STAR, "Export-Csv -UseCulture, UTF-16": utf16(PARAMETER_CSV),
            "ConvertTo-Json": PARAMETER_JSON}[shape]
    facts = facts_of(data, "cluster-parameter")
    assert [(f.slots["object"], f.slots["name"], f.slots["value"], f.slots["number"]) for f in facts] == [
        (RESOURCE, n, v, number) for n, v, number in LISTENER]
    assert {f.slots["source"] for f in facts} == {"Get-ClusterParameter"}


def test_a_probe_port_zero_in_a_table_is_seen():
    """Issue 9: ProbePort 0 in a Get-ClusterParameter table was missed when only lists were read."""
    probe = next(f for f in facts_of(PARAMETER_TABLE, "cluster-parameter") if f.slots["name"] == "ProbePort")
    assert probe.slots["number"] == 0 and probe.line == 6 and "ProbePort" in probe.text


def test_cut_object_without_a_resource_on_the_command_line_stays_as_printed():
    text = PARAMETER_TABLE_CUT.replace(f'Get-ClusterResource "{RESOURCE}"', "Get-ClusterResource")
    assert {f.slots["object"] for f in facts_of(text, "cluster-parameter")} == {"AG1_198.51.100.4..."}


def test_a_value_the_table_cut_is_not_taken_for_the_value():
    text = COMMAND + ("\n\nObject            Name        Value        Type\n------            ----        -----        ----\n"
                      "AG1_198.51.100.40 SubnetMask  255.255.2... String\nAG1_198.51.100.40 ProbePort   0            UInt32\n")
    assert [f.slots["name"] for f in facts_of(text, "cluster-parameter")] == ["ProbePort"]


def test_get_clusterparameter_clixml():
    clixml = """<Objs Version="1.1.0.1" xmlns="http://schemas.microsoft.com/powershell/2004/04">
  <Obj RefId="0">
    <TN RefId="0"><T>Microsoft.FailoverClusters.PowerShell.ClusterParameter</T><T>System.Object</T></TN>
    <Props>
      <Obj N="ClusterObject" RefId="1"><TN RefId="1"><T>Microsoft.FailoverClusters.PowerShell.ClusterResource</T></TN>
        <ToString>AG1_198.51.100.40</ToString><Props><S N="Name">AG1_198.51.100.40</S></Props></Obj>
      <S N="Name">ProbePort</S>
      <B N="IsReadOnly">false</B>
      <Obj N="ParameterType" RefId="2"><TN RefId="2"><T>Microsoft.FailoverClusters.PowerShell.ClusterParameterType</T></TN>
        <ToString>UInt32</ToString><I32>3</I32></Obj>
      <U32 N="Value">0</U32>
    </Props>
  </Obj>
</Objs>
"""
    (fact,) = facts_of(utf16(clixml), "cluster-parameter", "params.xml")
    assert (fact.slots["object"], fact.slots["name"], fact.slots["number"], fact.slots["type"]) == (
        RESOURCE, "ProbePort", 0, "UInt32")


def test_get_clusterparameter_table_utf16_with_wrapped_value():
    facts = facts_of((SAMPLES / "get-clusterparameter.txt").read_bytes(), "cluster-parameter")
    params = {s["name"]: s for s in slots(facts)}
    assert params["OfflineAction"]["number"] == 1 and params["OfflineAction"]["vm"] == "EX01"
    assert params["OfflineAction"]["object"] == "Virtual Machine EX01"
    # a value wrapped by Format-Table -Wrap at the column's width is joined without a space
    assert params["VmID"]["value"] == "2d3c8f1e-0000-4000-8000-00155d010203"
    offline = next(f for f in facts if f.slots["name"] == "OfflineAction")
    assert offline.line == 7 and "OfflineAction" in offline.text


# --- Get-Cluster --------------------------------------------------------------------------------

SUBNET = {"SameSubnetDelay": 2000, "SameSubnetThreshold": 10, "CrossSubnetDelay": 1000, "CrossSubnetThreshold": 5}


@pytest.mark.parametrize("shape", ["fl *Subnet*", "fl *", "Select-Object | Export-Csv", "ConvertTo-Json"])
def test_every_get_cluster_shape_gives_the_same_settings(shape):
    if shape == "fl *Subnet*":
        data = (SAMPLES / "get-cluster-subnet.txt").read_bytes()
    elif shape == "fl *":
        data = ("PS C:\\> Get-Cluster | fl *\n\nAddEvictDelay            : 60\nBackupInProgress         : 0\n"
                "ClusterLogLevel          : 3\nCrossSubnetDelay         : 1000\nCrossSubnetThreshold     : 5\n"
                "Name                     : DAG1\nQuorumArbitrationTimeMax : 20\nSameSubnetDelay          : 2000\n"
                "SameSubnetThreshold      : 10\nShutdownTimeoutInMinutes : 20\n")
    elif shape == "Select-Object | Export-Csv":
        data = ('"Name","SameSubnetDelay","SameSubnetThreshold","CrossSubnetDelay","CrossSubnetThreshold"\n'
                '"DAG1","2000","10","1000","5"\n')
    else:
        data = ('{\n    "Name":  "DAG1",\n    "SameSubnetDelay":  2000,\n    "SameSubnetThreshold":  10,\n'
                '    "CrossSubnetDelay":  1000,\n    "CrossSubnetThreshold":  5\n}\n')
    facts = facts_of(data, "cluster-setting")
    got = {s["name"]: s["value"] for s in slots(facts) if s["name"] in SUBNET}
    assert got == SUBNET and {s["cluster"] for s in slots(facts)} == {"DAG1"}


# --- cluster.log --------------------------------------------------------------------------------

def test_cluster_log_symptoms():
    parser = clusterlog.PARSERS[0]
    facts = parse_file(parser, SAMPLES / "cluster.log")
    assert [(s["kind"], s["node"]) for s in slots(facts)] == [
        ("missed-heartbeat", "198.51.100.12"), ("unreachable", "198.51.100.12"),
        ("route-down", "198.51.100.12"), ("node-disconnected", "2"), ("node-removed", "EX02")]
    removed = facts[-1]
    assert removed.line == 6 and removed.slots["component"] == "NM"
    assert removed.slots["epoch"] == 1552568413  # 2019-03-14 13:00:13 UTC
    assert parser.recognise(Head("anything.txt", (SAMPLES / "cluster.log").read_text())) == 100


def test_cluster_log_signatures_cover_every_kind():
    """The scanner hands the parser only lines holding a signature: each kind's line must hold one."""
    parser = clusterlog.PARSERS[0]
    for line in (SAMPLES / "cluster.log").read_text().splitlines():
        if parse_text(parser, line):
            assert any(s.lower() in line.lower() for s in parser.signatures), line


def test_cluster_log_limits_repeated_symptoms():
    line = ("00000a1c.00000f2c::2019/03/14-13:00:{:02d}.000 INFO  [CHM] Received notification for two "
            "consecutive missed HBs to the remote endpoint 198.51.100.12:~3343~\n")
    facts = parse_text(clusterlog.PARSERS[0], "".join(line.format(i) for i in range(50)))
    assert len(facts) == clusterlog.PER_KIND


def test_unknown_key_value_output_yields_no_cluster_facts():
    assert not [f for f in pipe_result("Name : EX01\nFoo : bar\n").facts if f.type.startswith("cluster")]

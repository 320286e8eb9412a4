"""cluster.exe, FailoverClusters cmdlets, cluster.log and wevtutil exports."""

from pathlib import Path

from hakb import Head
from hakb.plugins.windows import clusterlog, events
from hakb.plugins.windows.powershell import PARSERS as SHELL
from hakb.testing import parse_bytes, parse_file, parse_text
from bundles import samples

SAMPLES = samples("windows")
SHELL_PARSER = SHELL[0]


def slots(facts, type_):
    return [f.slots for f in facts if f.type == type_]


def test_cluster_node_listing():
    facts = parse_file(SHELL_PARSER, SAMPLES / "cluster-node.txt")
    assert [(s["node"], s["node_id"], s["state"]) for s in slots(facts, "cluster-node")] == [
        ("EX01", 1, "Up"), ("EX02", 2, "Down")]
    assert facts[1].line == 7 and facts[1].text.startswith("EX02")


def test_cluster_quorum_2003_and_2008_shapes():
    (q2003,) = parse_file(SHELL_PARSER, SAMPLES / "cluster-quorum-2003.txt")
    assert q2003.slots["type"] == "MajorityNodeSet" and q2003.slots["resource"] == "Majority Node Set"
    (q2008,) = parse_file(SHELL_PARSER, SAMPLES / "cluster-quorum-2008.txt")
    # the resource name overflows its column; the quorum type is still read
    assert q2008.slots["type"] == "NodeAndFileShareMajority"
    assert q2008.slots["resource"] == "File Share Witness (\\\\fsw01\\CCR1)"


def test_cluster_res_priv_reads_empty_and_hex_values():
    facts = parse_file(SHELL_PARSER, SAMPLES / "cluster-res-mns-priv.txt")
    params = {s["name"]: s for s in slots(facts, "cluster-parameter")}
    assert params["MNSFileShare"]["value"] == "" and params["MNSFileShare"]["number"] is None
    assert params["MNSFileShareCheckInterval"]["number"] == 240
    assert params["MNSFileShareCheckInterval"]["object"] == "Majority Node Set"


def test_get_clusterparameter_table_utf16_with_wrapped_value():
    facts = parse_file(SHELL_PARSER, SAMPLES / "get-clusterparameter.txt")
    params = {s["name"]: s for s in slots(facts, "cluster-parameter")}
    assert params["OfflineAction"]["number"] == 1 and params["OfflineAction"]["vm"] == "EX01"
    assert params["OfflineAction"]["object"] == "Virtual Machine EX01"
    # a value wrapped by Format-Table -Wrap at the column's width is joined without a space
    assert params["VmID"]["value"] == "2d3c8f1e-0000-4000-8000-00155d010203"
    offline = next(f for f in facts if f.slots["name"] == "OfflineAction")
    assert offline.line == 7 and "OfflineAction" in offline.text


def test_get_cluster_subnet_settings():
    facts = parse_file(SHELL_PARSER, SAMPLES / "get-cluster-subnet.txt")
    values = {s["name"]: s["value"] for s in slots(facts, "cluster-setting")}
    assert values == {"SameSubnetDelay": 2000, "SameSubnetThreshold": 10,
                      "CrossSubnetDelay": 1000, "CrossSubnetThreshold": 5}
    assert {s["cluster"] for s in slots(facts, "cluster-setting")} == {"DAG1"}


def test_cluster_prop_and_get_clusterquorum():
    text = ("T  Cluster              Name                           Value\n"
            "-- -------------------- ------------------------------ -----------------------\n"
            "D  DAG1                 SameSubnetDelay                1000 (0x3e8)\n"
            "D  DAG1                 SameSubnetThreshold            5 (0x5)\n\n"
            "Cluster        QuorumResource     QuorumType\n"
            "-------        --------------     ----------\n"
            "DAG1           File Share Witness NodeAndFileShareMajority\n")
    facts = parse_text(SHELL_PARSER, text)
    assert [(s["name"], s["value"]) for s in slots(facts, "cluster-setting")] == [
        ("SameSubnetDelay", 1000), ("SameSubnetThreshold", 5)]
    assert slots(facts, "cluster-quorum")[0]["type"] == "NodeAndFileShareMajority"


def test_cluster_log_symptoms():
    parser = clusterlog.PARSERS[0]
    facts = parse_file(parser, SAMPLES / "cluster.log")
    assert [(s["kind"], s["node"]) for s in slots(facts, "cluster-log-event")] == [
        ("missed-heartbeat", "198.51.100.12"), ("unreachable", "198.51.100.12"),
        ("route-down", "198.51.100.12"), ("node-disconnected", "2"), ("node-removed", "EX02")]
    removed = facts[-1]
    assert removed.line == 6 and removed.slots["component"] == "NM"
    assert removed.slots["epoch"] == 1552568413  # 2019-03-14 13:00:13 UTC
    assert parser.recognise(Head("anything.txt", (SAMPLES / "cluster.log").read_text())) == 100


def test_cluster_log_limits_repeated_symptoms():
    line = ("00000a1c.00000f2c::2019/03/14-13:00:{:02d}.000 INFO  [CHM] Received notification for two "
            "consecutive missed HBs to the remote endpoint 198.51.100.12:~3343~\n")
    facts = parse_text(clusterlog.PARSERS[0], "".join(line.format(i) for i in range(50)))
    assert len(facts) == clusterlog.PER_KIND


def test_wevtutil_english_events():
    parser = events.PARSERS[0]
    facts = parse_file(parser, SAMPLES / "wevtutil-system-en.txt")
    removed, nlb = facts
    assert removed.slots["event_id"] == 1135 and removed.slots["kind"] == "cluster-node-removed"
    assert removed.slots["node"] == "EX02" and removed.host == "EX01.example.com"
    assert removed.line == 15 and removed.text.startswith("Cluster node 'EX02'")
    assert removed.slots["epoch"] == 1552568413
    assert nlb.slots["kind"] == "nlb-cluster-conflict" and nlb.slots["source"] == "Microsoft-Windows-NLB"


def test_wevtutil_german_utf16_with_german_date():
    facts = parse_file(events.PARSERS[0], SAMPLES / "wevtutil-system-de.txt")
    (removed,) = facts
    assert removed.slots["kind"] == "cluster-node-removed" and removed.slots["node"] == "EX02"
    assert removed.slots["time"] == "14.03.2019 13:00:13" and removed.slots["epoch"] == 1552568413
    assert removed.slots["level"] == "Kritisch"


def test_wevtutil_us_date_and_crlf_bytes():
    text = ("Event[0]:\r\n  Log Name: System\r\n  Source: Microsoft-Windows-FailoverClustering\r\n"
            "  Date: 3/14/2019 1:00:13 PM\r\n  Event ID: 1135\r\n  Computer: EX01\r\n  Description: \r\n"
            "Cluster node 'EX02' was removed from the active failover cluster membership.\r\n")
    (fact,) = parse_bytes(events.PARSERS[0], text.encode("utf-8"), name="events.txt")
    assert fact.slots["epoch"] == 1552568413 and fact.slots["node"] == "EX02"


def test_shell_parser_ignores_unknown_output():
    assert SHELL_PARSER.recognise(Head("x.txt", "Name : EX01\nFoo : bar\n")) == 0
    assert parse_text(SHELL_PARSER, "Name : EX01\nFoo : bar\n") == []

"""Get-MailboxServer, Get-DatabaseAvailabilityGroup(-Network), copy status and replication health."""

from pathlib import Path

from hakb.plugins.exchange.powershell import PARSERS
from hakb.testing import parse_file, parse_text
from bundles import samples

SAMPLES = samples("exchange")
PARSER = PARSERS[0]


def test_mailbox_server_cluster_kinds_utf16():
    facts = parse_file(PARSER, SAMPLES / "get-mailboxserver-fl.txt")
    assert [(f.slots["name"], f.slots["kind"], f.slots["redundant_machines"], f.slots["node_count"])
            for f in facts] == [("CMS01", "CCR", ["EX01", "EX02"], 2), ("MBX03", "standalone", [], 0),
                                ("SCC01", "SCC", ["NODE1"], 1)]
    assert facts[0].line == 4 and facts[0].text == "ClusteredStorageType : NonShared"


def test_dag_status_with_warning_line():
    (dag,) = parse_file(PARSER, SAMPLES / "get-dag-status-fl.txt")
    assert dag.type == "exchange-dag"
    assert dag.slots["servers"] == ["EX01", "EX02"] and dag.slots["member_count"] == 2
    assert dag.slots["witness_server"] == "EX02.example.com"
    assert dag.slots["witness_share_in_use"] == "InvalidConfiguration"
    assert dag.slots["witness_failed"] is True and dag.slots["warning"].startswith("WARNING: The witness server")
    assert dag.slots["operational_servers"] == ["EX01"]


def test_dag_truncated_member_list_leaves_count_unknown():
    text = "Name          : DAG3\nServers       : {MBX01, MBX02, MBX03, MBX04...}\nWitnessServer : HUB01\n"
    (dag,) = parse_text(PARSER, text)
    assert dag.slots["servers"] == ["MBX01", "MBX02", "MBX03", "MBX04"]
    assert dag.slots["member_count"] is None
    assert dag.slots["witness_failed"] is False


def test_dag_network():
    (net,) = parse_file(PARSER, SAMPLES / "get-dagnetwork-fl.txt")
    assert net.slots["dag"] == "DAG1" and net.slots["subnets"] == ["198.51.100.0/24"]
    assert net.slots["interfaces"] == ["EX01=198.51.100.11", "EX02=198.51.100.12"]
    assert net.slots["mapi_access"] is False and net.slots["replication"] is True


def test_copy_status_fl_german_numbers_dates_wrapped_values():
    db01, db02 = parse_file(PARSER, SAMPLES / "copystatus-fl-de.txt")
    assert (db01.slots["database"], db01.slots["server"], db01.slots["status"]) == ("DB01", "EX02", "FailedAndSuspended")
    assert db01.slots["copy_queue"] == 1204  # "1.204" with a German thousands separator
    assert db01.slots["content_index"] == "Failed" and db01.slots["source"] == "fl"
    assert db01.slots["last_inspected_epoch"] == 1552568700  # 14.03.2019 13:05:00
    assert db01.line == 6 and db01.text.endswith("FailedAndSuspended")
    assert db02.slots["status"] == "Healthy" and db02.slots["replay_queue"] == 2


def test_copy_status_table_us_dates():
    facts = parse_file(PARSER, SAMPLES / "copystatus-table-us.txt")
    assert [(f.slots["database"], f.slots["server"], f.slots["status"]) for f in facts] == [
        ("DB01", "EX01", "Mounted"), ("DB01", "EX02", "Suspended"), ("DB02", "EX02", "Healthy")]
    suspended = facts[1]
    assert suspended.slots["copy_queue"] == 12 and suspended.slots["replay_queue"] == 300
    assert suspended.slots["last_inspected_epoch"] == 1552568700  # 3/14/2019 1:05:00 PM
    assert suspended.slots["source"] == "table" and suspended.line == 6
    assert facts[2].slots["content_index"] == "Crawling"


def test_copy_status_table_exchange_2013_two_line_header():
    text = ("Name              Status     CopyQueue ReplayQueue LastInspectedLogTime  ContentIndex\n"
            "                             Length    Length                            State\n"
            "----              ------     --------- ----------- --------------------  ------------\n"
            "DB01\\EX02         Healthy    25        3           14.03.2019 13:00:00   Healthy\n")
    (fact,) = parse_text(PARSER, text)
    assert fact.slots["copy_queue"] == 25 and fact.slots["replay_queue"] == 3
    assert fact.slots["last_inspected_epoch"] == 1552568400


def test_replication_health_wrapped_errors():
    facts = parse_file(PARSER, SAMPLES / "test-replicationhealth.txt")
    failed = [(f.slots["check"], f.slots["error"]) for f in facts if f.slots["passed"] is False]
    assert failed == [
        ("DagMembersUp", "Failures: The following servers are not up: EX01"),
        ("FileShareQuorum", "Failures: The file share witness \\\\EX02.example.com\\DAG1.example.com cannot be reached."),
        ("DBCopySuspended", "Failures: DB01\\EX02 is suspended."),
    ]
    assert len([f for f in facts if f.slots["passed"]]) == 7
    quorum = next(f for f in facts if f.slots["check"] == "FileShareQuorum")
    assert quorum.line == 14 and quorum.slots["server"] == "EX02"


def test_several_cmdlets_in_one_file():
    text = ("[PS] C:\\>Get-ExchangeServer EX01 | fl Name,AdminDisplayVersion\n\n"
            "Name                : EX01\nAdminDisplayVersion : Version 14.1 (Build 218.15)\n\n"
            "[PS] C:\\>Test-ReplicationHealth EX01\n\n"
            "Server   Check          Result     Error\n------   -----          ------     -----\n"
            "EX01     ClusterService *FAILED*   The Cluster service is not running.\n")
    facts = parse_text(PARSER, text)
    assert [f.type for f in facts] == ["exchange-server", "exchange-replication-check"]
    assert facts[1].slots["error"] == "The Cluster service is not running."

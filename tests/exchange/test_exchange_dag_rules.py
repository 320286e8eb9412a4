"""Exchange 2010 DAG: witness, membership, copies, replication health, replication adapters."""

from hakb.testing import fact, findings_of, only_finding, run_facts


def test_witness_on_member_failed_and_even_count_are_one_story(run_example):
    case = run_example("dag-witness")
    member = only_finding(case, "dag-witness-on-member")
    failed = only_finding(case, "dag-witness-failed")
    even = only_finding(case, "dag-even-members-witness")
    assert "EX02.example.com, which is itself a member of the DAG (EX01, EX02)" in member.summary
    assert "WitnessShareInUse is InvalidConfiguration" in failed.summary
    assert any("Set-DatabaseAvailabilityGroup -Identity DAG1 -WitnessServer EX02.example.com "
               "-WitnessDirectory C:\\DAG1\\Witness" in step for step in failed.remediation)
    assert "DAG DAG1 has 2 members" in even.summary
    # the witness on a member must not be suggested again
    assert any("-WitnessServer <server outside the DAG>" in step for step in even.remediation)
    quorum_check = next(f for f in findings_of(case, "dag-replication-check-failed") if f.key.endswith("FileShareQuorum"))
    assert len({member.story, failed.story, even.story, quorum_check.story}) == 1
    assert any(e.text.startswith("WARNING") or "DAG1" in e.text for e in failed.evidence)


def test_failed_replication_checks_are_each_explained(run_example):
    case = run_example("dag-witness")
    checks = {f.key: f for f in findings_of(case, "dag-replication-check-failed")}
    assert set(checks) == {"EX01/DagMembersUp", "EX01/FileShareQuorum"}
    assert "one or more DAG members are down" in checks["EX01/DagMembersUp"].summary
    assert "The following servers are not up: EX02" in checks["EX01/DagMembersUp"].summary
    assert "witness share used for quorum cannot be reached" in checks["EX01/FileShareQuorum"].summary


def test_dag_healthy_is_silent(run_example):
    case = run_example("dag-healthy")
    assert case.findings == [] and case.unverified == []


def test_copy_problems_named_by_database_and_server(run_example):
    case = run_example("dag-copies")
    failed = only_finding(case, "dag-copy-failed")
    assert failed.key == "DB01\\EX02" and "FailedAndSuspended with 1204 logs" in failed.summary
    assert any("Resume-MailboxDatabaseCopy DB01\\EX02" in s for s in failed.remediation)
    assert any("Update-MailboxDatabaseCopy DB01\\EX02 -DeleteExistingFiles" in s for s in failed.remediation)
    index = only_finding(case, "dag-content-index-failed")
    assert index.key == "DB01\\EX02" and any("-CatalogOnly" in s for s in index.remediation)
    suspended = only_finding(case, "dag-copy-suspended")
    assert suspended.key == "DB02\\EX02" and len(suspended.evidence) == 2  # copy status + DBCopySuspended
    queue = only_finding(case, "dag-copy-queue-high")
    assert queue.key == "DB03\\EX02"
    assert "57 logs not yet copied, 420 logs not yet replayed" in queue.summary
    duplicate = only_finding(case, "dag-duplicate-copy")
    assert "database DB04 twice on server EX03" in duplicate.summary
    checks = sorted(f.key for f in findings_of(case, "dag-replication-check-failed"))
    assert checks == ["EX02/DBCopyFailed", "EX02/DBCopySuspended"]


def test_a_copy_listed_by_two_commands_of_one_transcript_is_no_duplicate():
    def copy(line, listing):
        return fact("exchange-db-copy", line=line, artifact="transcript.txt", database="DB03", server="EX02",
                    status="Healthy", copy_queue=0, replay_queue=0, listing=listing)

    twice = [copy(15, "Get-MailboxDatabaseCopyStatus -Server EX02"), copy(32, "Get-MailboxDatabaseCopyStatus DB03")]
    assert findings_of(run_facts(twice), "dag-duplicate-copy") == []
    once = [copy(15, "Get-MailboxDatabaseCopyStatus *"), copy(16, "Get-MailboxDatabaseCopyStatus *")]
    assert only_finding(run_facts(once), "dag-duplicate-copy").key == "DB03\\EX02"


def test_dag_member_limit(run_example):
    finding = only_finding(run_example("dag-too-many-members"), "dag-member-limit")
    assert "DAG DAG2 lists 17 members" in finding.summary


def test_truncated_member_list_is_not_counted():
    facts = [fact("exchange-dag", name="DAG3", servers=["A", "B", "C", "D"], member_count=None,
                  witness_server="")]
    assert run_facts(facts).findings == []


def test_witness_in_other_forest(run_example):
    finding = only_finding(run_example("dag-witness-other-forest"), "dag-witness-other-forest")
    assert "FS01.example.net in DNS domain example.net" in finding.summary
    assert "example.com" in finding.summary and finding.confidence < 0.7


def test_witness_in_child_domain_of_same_root_is_fine():
    facts = [fact("exchange-dag", name="DAG1", servers=["EX01", "EX02"], member_count=2,
                  witness_server="hub01.emea.example.com", witness_share_in_use="Primary"),
             fact("exchange-server", name="EX01", fqdn="EX01.example.com", major=14, minor=1)]
    assert run_facts(facts).findings == []


def test_even_members_without_any_witness():
    facts = [fact("exchange-dag", name="DAG4", servers=["EX01", "EX02", "EX03", "EX04"], member_count=4,
                  witness_server="")]
    finding = only_finding(run_facts(facts), "dag-even-members-witness")
    assert "4 members" in finding.summary and "no witness server is configured" in finding.summary


def test_alternate_witness_on_member():
    facts = [fact("exchange-dag", name="DAG5", servers=["EX01", "EX02", "EX03"], member_count=3,
                  witness_server="HUB01.example.com", alternate_witness_server="EX03")]
    finding = only_finding(run_facts(facts), "dag-witness-on-member")
    assert "alternate witness server of DAG DAG5 is EX03" in finding.summary


def test_replication_nic(run_example):
    case = run_example("dag-replication-nic")
    finding = only_finding(case, "dag-replication-nic")
    assert finding.key == "EX01/Replication"
    assert "default gateway 198.51.100.1" in finding.summary
    assert "DNS servers 192.0.2.10, 192.0.2.11" in finding.summary
    assert "DNS registration turned on" in finding.summary
    steps = " ".join(finding.remediation)
    assert "Remove the default gateway 198.51.100.1 from Replication on EX01" in steps
    assert 'Set-DnsClient -InterfaceAlias "Replication" -RegisterThisConnectionsAddress $false' in steps
    assert case.unverified == []  # EX02's registration is known from netsh (German): off


def test_replication_nic_found_through_dag_network_subnet():
    facts = [fact("ip-interface", host="EX07", adapter="Local Area Connection 2", role="",
                  subnets=["198.51.100.0/24"], gateways=["198.51.100.1"], dns_servers=[]),
             fact("exchange-dag-network", name="ReplNet", subnets=["198.51.100.0/24"], replication=True,
                  mapi_access=False),
             fact("ip-dns-registration", host="EX07", adapter="Local Area Connection 2", register=False)]
    finding = only_finding(run_facts(facts), "dag-replication-nic")
    assert "DAG network ReplNet" in finding.summary and "198.51.100.1" in finding.summary
    assert "DNS servers" not in finding.summary


def test_mapi_adapter_with_gateway_is_fine():
    facts = [fact("ip-interface", host="EX07", adapter="MAPI", role="", subnets=["192.0.2.0/24"],
                  gateways=["192.0.2.1"], dns_servers=["192.0.2.10"])]
    assert run_facts(facts).findings == []

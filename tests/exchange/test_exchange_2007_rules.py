"""Exchange 2007 clustered mailbox servers: CCR, SCC, quorum, roles, migration risk."""

from hakb import Fact
from hakb.testing import fact, findings_of, only_finding, run_facts


def quorum(kind, **slots):
    """A cluster-quorum fact (its slot "type" clashes with fact()'s first argument)."""
    return Fact("cluster-quorum", {"type": kind, **slots}, line=1, text=f"quorum {kind}", artifact="quorum.txt")


def test_ccr_without_witness(run_example):
    case = run_example("exchange-2007-ccr-no-witness")
    finding = only_finding(case, "exchange2007-ccr-quorum-without-witness")
    assert finding.key == "CMS01" and finding.severity == "error"
    assert "two-node CCR (EX01, EX02)" in finding.summary
    assert "Majority Node Set with MNSFileShare (empty)" in finding.summary
    assert any('cluster res "Majority Node Set" /priv MNSFileShare=' in step for step in finding.remediation)
    assert {e.text for e in finding.evidence} >= {"SR Majority Node Set    MNSFileShare"}
    assert [f.id for f in case.findings] == ["exchange2007-ccr-quorum-without-witness"]


def test_ccr_healthy_is_silent(run_example):
    assert run_example("exchange-2007-ccr-healthy").findings == []


def test_ccr_node_majority_on_2008_is_the_same_fault():
    facts = [fact("exchange-mailbox-server", name="CMS02", kind="CCR", storage_type="NonShared",
                  redundant_machines=["EX11", "EX12"], node_count=2),
             quorum("NodeMajority", resource="")]
    finding = only_finding(run_facts(facts), "exchange2007-ccr-quorum-without-witness")
    assert "Node Majority" in finding.summary
    assert any("cluster /quorum /fsw:" in step for step in finding.remediation)


def test_ccr_mns_without_private_properties_is_unverified():
    facts = [fact("exchange-mailbox-server", name="CMS02", kind="CCR", redundant_machines=["EX11", "EX12"],
                  node_count=2),
             quorum("MajorityNodeSet", resource="Majority Node Set")]
    case = run_facts(facts)
    assert case.findings == []
    assert [u.collect for u in case.unverified] == ['cluster res "Majority Node Set" /priv']


def test_voter_node_is_information_and_not_a_quorum_fault(run_example):
    case = run_example("exchange-2007-ccr-voter-node")
    finding = only_finding(case, "exchange2007-ccr-voter-node")
    assert finding.severity == "info" and "VOTER01" in finding.summary
    assert any("cluster node VOTER01 /evict" in step for step in finding.remediation)
    assert findings_of(case, "exchange2007-ccr-quorum-without-witness") == []


def test_too_many_ccr_nodes_and_roles_on_cluster_node(run_example):
    case = run_example("exchange-2007-cluster-roles")
    nodes = only_finding(case, "exchange2007-ccr-too-many-nodes")
    assert "CMS01" in nodes.summary and "3 Mailbox nodes (EX01, EX02, EX03)" in nodes.summary
    roles = only_finding(case, "exchange2007-roles-on-cluster-node")
    assert roles.key == "ex01" and "ClientAccess, HubTransport" in roles.summary
    assert any("Uninstall ClientAccess, HubTransport from EX01" in step for step in roles.remediation)


def test_exchange_2010_multi_role_dag_member_is_not_a_2007_role_fault():
    facts = [fact("exchange-server", name="EX01", major=14, minor=1, roles=["Mailbox", "ClientAccess"]),
             fact("cluster-node", node="EX01", state="Up")]
    assert findings_of(run_facts(facts), "exchange2007-roles-on-cluster-node") == []


def test_scc_limits(run_example):
    case = run_example("exchange-2007-scc-limits")
    passive = {f.key: f for f in findings_of(case, "exchange2007-scc-no-passive-node")}
    assert set(passive) == {"SCC01", "SCC02"}
    assert "2 clustered mailbox servers (SCC01, SCC02)" in passive["SCC01"].summary
    limit = only_finding(case, "exchange2007-scc-node-limit")
    assert limit.key == "SCC09" and "9 nodes with Exchange" in limit.summary and "limit is 8" in limit.summary
    single = only_finding(case, "exchange2007-single-node-cluster")
    assert single.key == "CMS04" and single.severity == "warning"
    assert "CMS04 is a CCR clustered mailbox server with a single node (EX05)" in single.summary


def test_scc_cluster_over_16_nodes():
    facts = [fact("exchange-mailbox-server", name="SCC01", kind="SCC", redundant_machines=["N1", "N2", "N3"],
                  node_count=3)]
    facts += [fact("cluster-node", line=i, node=f"N{i}", state="Up") for i in range(1, 18)]
    finding = only_finding(run_facts(facts), "exchange2007-scc-node-limit")
    assert "17 failover cluster nodes" in finding.summary and "limit is 16" in finding.summary


def test_scc_healthy_is_silent(run_example):
    assert run_example("exchange-2007-scc-healthy").findings == []


def test_ccr_reduced_to_one_node_during_migration(run_example):
    case = run_example("exchange-2007-ccr-migration")
    risk = only_finding(case, "exchange2007-ccr-migration-without-redundancy")
    assert risk.severity == "warning"
    assert "CMS01 runs on one node (EX01)" in risk.summary
    assert "MBX2010A, 14.1.218.15, DAG DAG1" in risk.summary
    single = only_finding(case, "exchange2007-single-node-cluster")
    assert risk.story == single.story and ("exchange2007-single-node-cluster", "CMS01") in risk.related


def test_ccr_node_down_during_migration():
    facts = [fact("exchange-mailbox-server", name="CMS01", kind="CCR", redundant_machines=["EX01", "EX02"],
                  node_count=2),
             fact("cluster-node", line=6, node="EX01", state="Up"),
             fact("cluster-node", line=7, node="EX02", state="Down"),
             fact("exchange-server", name="MBX2010A", version="14.1.218.15", major=14, minor=1)]
    finding = only_finding(run_facts(facts), "exchange2007-ccr-migration-without-redundancy")
    assert "(EX01); EX02 is Down" in finding.summary


def test_migration_keeping_redundancy_is_silent(run_example):
    assert run_example("exchange-2007-ccr-migration-healthy").findings == []

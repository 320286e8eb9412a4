"""Windows pack: NLB on cluster nodes, node eviction."""

from hakb.testing import fact, findings_of, only_finding, run_facts


def test_nlb_on_dag_member_example(run_example):
    case = run_example("nlb-on-dag-member")
    found = findings_of(case, "windows-nlb-on-failover-cluster")
    assert sorted(f.key for f in found) == ["ex01", "ex02"]
    ex01 = next(f for f in found if f.key == "ex01")
    assert ex01.severity == "error"
    assert "EX01 runs Windows Network Load Balancing (cluster 198.51.100.50)" in ex01.summary
    assert "member of DAG DAG1" in ex01.summary
    assert any("hardware or virtual load balancer" in step for step in ex01.remediation)
    assert any("separate servers" in step for step in ex01.remediation)
    assert any("Disable NLB on EX01" in step and "198.51.100.50" in step for step in ex01.remediation)
    assert {e.artifact.split("/")[-1] for e in ex01.evidence} >= {"wlbs-display.txt", "get-dag.txt", "system-events.txt"}
    assert [f.id for f in case.findings] == ["windows-nlb-on-failover-cluster"] * 2


def test_nlb_on_plain_failover_cluster_example(run_example):
    case = run_example("nlb-on-failover-cluster")
    found = {f.key: f for f in findings_of(case, "windows-nlb-on-failover-cluster")}
    assert set(found) == {"app01", "app02"}
    assert "the Failover Clustering feature is installed" in found["app01"].summary
    assert "cluster app.example.com" in found["app02"].summary


def test_nlb_healthy_counterparts_are_silent(run_example):
    assert run_example("nlb-cas-healthy").findings == []
    assert run_example("cluster-healthy").findings == []


def test_nlb_article_explains_health_checks_and_affinity():
    from pathlib import Path
    article = (Path(__file__).parents[2] / "kb" / "windows" / "nlb-on-failover-cluster.md").read_text()
    assert "class C" in article and "not whether" in article


def test_eviction_from_cluster_log_with_symptoms_in_window():
    facts = [
        fact("cluster-log-event", line=10, host="ex01", kind="missed-heartbeat", node="198.51.100.12",
             epoch=1000, time="t1"),
        fact("cluster-log-event", line=11, host="ex01", kind="route-down", node="198.51.100.12",
             epoch=1200, time="t2"),
        fact("cluster-log-event", line=5, host="ex01", kind="missed-heartbeat", node="198.51.100.12",
             epoch=100, time="long before"),
        fact("cluster-log-event", line=12, host="ex01", kind="node-removed", node="EX02", epoch=1210,
             time="2019/03/14-13:00:22.000"),
    ]
    finding = only_finding(run_facts(facts), "cluster-node-evicted")
    assert finding.key == "ex02"
    assert "Cluster node EX02 was removed" in finding.summary and "2019/03/14-13:00:22.000" in finding.summary
    assert sorted(e.line for e in finding.evidence) == [10, 11, 12]  # the line 5 symptom is too old


def test_no_eviction_no_finding():
    facts = [fact("cluster-log-event", kind="missed-heartbeat", node="198.51.100.12", epoch=1000)]
    assert run_facts(facts).findings == []


def test_cluster_node_evicted_example(run_example):
    case = run_example("cluster-node-evicted")
    finding = only_finding(case, "cluster-node-evicted")
    assert finding.key == "app02" and finding.severity == "error"
    assert "Cluster node APP02 was removed" in finding.summary and "2019-03-14T13:00:13.000" in finding.summary
    assert finding.values["reporter"] == ["APP01.example.com"]
    assert sorted(finding.values["symptom"]) == ["missed-heartbeat", "node-disconnected", "route-down", "unreachable"]
    assert {e.artifact.split("/")[-1] for e in finding.evidence} == {"system-1135.txt", "cluster.log"}
    assert [f.id for f in case.findings] == ["cluster-node-evicted"]


def test_nlb_display_on_cluster_node_example(run_example):
    case = run_example("nlb-display-on-cluster-node")
    finding = only_finding(case, "windows-nlb-on-failover-cluster")
    assert finding.key == "web01" and "198.51.100.80" in finding.summary
    assert finding.values["nlb"] == ["nlb display shows NLB cluster 198.51.100.80"]


def test_every_example_of_this_pack_names_its_findings_in_its_readme(run_example):
    from .conftest import EXAMPLES
    for folder in sorted(p for p in EXAMPLES.iterdir() if p.is_dir()):
        case = run_example(folder.name)
        readme = (folder / "README.md").read_text()
        if folder.name.endswith("-healthy"):
            assert case.findings == [], folder.name
            continue
        assert case.findings, folder.name
        assert all(f.id in readme for f in case.findings), folder.name

"""Windows pack (NLB on cluster nodes, node eviction) and sql pack (listener behind an Azure ILB)."""

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
    article = (Path(__file__).parents[3] / "kb" / "windows" / "nlb-on-failover-cluster.md").read_text()
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


def test_sql_ilb_listener_example(run_example):
    case = run_example("sql-ilb-listener")
    ilb = only_finding(case, "sql-ag-listener-ilb")
    assert ilb.key == "AG1_198.51.100.40" and ilb.severity == "error"
    assert "ProbePort is 0 instead of the load balancer's probe port 59999" in ilb.summary
    assert "SubnetMask is 255.255.255.0 instead of 255.255.255.255" in ilb.summary
    assert "EnableDhcp is 1 instead of 0" in ilb.summary
    expected = ('Get-ClusterResource "AG1_198.51.100.40" | Set-ClusterParameter -Multiple '
                '@{"Address"="198.51.100.40";"ProbePort"=59999;"SubnetMask"="255.255.255.255";'
                '"Network"="Cluster Network 1";"EnableDhcp"=0}')
    assert expected in ilb.remediation[0]
    assert any("still 1433" in step and "MODIFY LISTENER 'aglistener'" in step for step in ilb.remediation)
    port = only_finding(case, "sql-ag-listener-port")
    assert "port 1434" in port.summary and "1433" in port.summary
    assert port.story == ilb.story and ("sql-ag-listener-ilb", ilb.key) in port.related


def test_sql_ilb_listener_healthy_is_silent(run_example):
    assert run_example("sql-ilb-listener-healthy").findings == []


def test_sql_ilb_without_load_balancer_output_keeps_a_placeholder_and_asks():
    obj = "SQL Listener IP"
    facts = [fact("cluster-parameter", object=obj, name="Address", value="198.51.100.40"),
             fact("cluster-parameter", object=obj, name="ProbePort", value="0", number=0),
             fact("cluster-parameter", object=obj, name="SubnetMask", value="255.255.255.255"),
             fact("azure-ilb", name="ILB1", ip="198.51.100.40")]
    case = run_facts(facts)
    finding = only_finding(case, "sql-ag-listener-ilb")
    assert '"ProbePort"=<probe port of the load balancer rule>' in finding.remediation[0]
    assert '"Network"="<cluster network name>"' in finding.remediation[0]
    assert any(u.rule == "sql-ag-listener-ilb" for u in case.unverified)


def test_ip_resource_without_load_balancer_is_not_judged():
    obj = "Cluster IP Address"
    facts = [fact("cluster-parameter", object=obj, name="Address", value="192.0.2.50"),
             fact("cluster-parameter", object=obj, name="ProbePort", value="0", number=0),
             fact("cluster-parameter", object=obj, name="SubnetMask", value="255.255.255.0")]
    assert run_facts(facts).findings == []

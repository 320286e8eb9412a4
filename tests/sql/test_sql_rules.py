"""The sql pack: an availability group listener behind an Azure internal load balancer."""

from hakb.testing import fact, only_finding, run_facts


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

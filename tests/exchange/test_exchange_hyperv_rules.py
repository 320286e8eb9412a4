"""DAG members as clustered Hyper-V virtual machines: version, offline action, heartbeat window,
evictions as one story with the heartbeat settings."""

from hakb.testing import fact, findings_of, only_finding, run_facts


def test_live_migration_example(run_example):
    case = run_example("hyperv-dag-live-migration")
    version = only_finding(case, "dag-hyperv-live-migration-version")
    assert version.key == "ex02" and "EX02" in version.summary and "14.0.639.21" in version.summary
    assert "Exchange 2010 SP1 (14.1)" in version.summary

    offline = {f.key: f for f in findings_of(case, "dag-hyperv-offline-action")}
    assert set(offline) == {"ex01", "ex02"}
    assert "Virtual Machine EX01" in offline["ex01"].summary and "OfflineAction 1 (Save)" in offline["ex01"].summary
    assert any('Get-ClusterResource "Virtual Machine EX01" | Set-ClusterParameter -Name OfflineAction -Value 2'
               in step for step in offline["ex01"].remediation)

    window = only_finding(case, "dag-heartbeat-window-too-long")
    assert "20000 ms (SameSubnetDelay 2000 ms x SameSubnetThreshold 10)" in window.summary
    assert any("(Get-Cluster).SameSubnetThreshold = 5" in step for step in window.remediation)

    evicted = only_finding(case, "cluster-node-evicted")
    assert evicted.key == "ex02" and "Cluster node EX02 was removed" in evicted.summary
    assert "heartbeat window is 20000 ms" in evicted.summary
    kinds = {e.text.split("[")[1].split("]")[0] for e in evicted.evidence if "::" in e.text}
    assert kinds >= {"CHM", "IM", "RGP", "NM"}  # missed HBs, route down, disconnected, removed
    # one story: the eviction and the heartbeat setting
    assert evicted.story == window.story
    assert ("dag-heartbeat-window-too-long", window.key) in evicted.related
    assert ("cluster-node-evicted", "ex02") in window.related

    info = only_finding(case, "dag-hyperv-practices")
    assert info.severity == "info"
    steps = " ".join(info.remediation)
    assert "cluster shared volumes" in steps and "jumbo frames" in steps and "8192" in steps and "5 Gb/s" in steps


def test_eviction_with_default_window_blames_the_move(run_example):
    case = run_example("hyperv-dag-evicted-during-move")
    evicted = only_finding(case, "cluster-node-evicted")
    short = only_finding(case, "dag-heartbeat-window-short-for-moves")
    assert "5000 ms (1000 ms x 5)" in short.summary and "EX02 (Virtual Machine EX02)" in short.summary
    assert any("(Get-Cluster).SameSubnetThreshold = 10" in step for step in short.remediation)
    assert evicted.story == short.story
    assert findings_of(case, "dag-heartbeat-window-too-long") == []
    assert findings_of(case, "dag-hyperv-offline-action") == []
    assert findings_of(case, "dag-hyperv-live-migration-version") == []


def test_hyperv_healthy_has_only_the_design_note(run_example):
    case = run_example("hyperv-dag-healthy")
    assert [(f.id, f.severity) for f in case.findings] == [("dag-hyperv-practices", "info")]
    assert case.unverified == []


def test_unknown_exchange_version_is_unverified():
    facts = [fact("cluster-parameter", object="Virtual Machine EX09", vm="EX09", name="OfflineAction",
                  value="2", number=2),
             fact("exchange-dag", name="DAG9", servers=["EX09", "EX10"], member_count=2,
                  witness_server="HUB01", witness_share_in_use="Primary")]
    case = run_facts(facts)
    assert findings_of(case, "dag-hyperv-live-migration-version") == []
    assert any(u.collect == "Get-ExchangeServer EX09 | fl Name,AdminDisplayVersion" for u in case.unverified)


def test_vm_that_is_not_a_dag_member_is_not_judged():
    facts = [fact("cluster-parameter", object="Virtual Machine FILE01", vm="FILE01", name="OfflineAction",
                  value="1", number=1),
             fact("exchange-dag", name="DAG9", servers=["EX09", "EX10"], member_count=2,
                  witness_server="HUB01", witness_share_in_use="Primary")]
    assert run_facts(facts).findings == []


def test_long_heartbeat_window_without_a_dag_is_not_judged():
    facts = [fact("cluster-setting", cluster="FILECL", name="SameSubnetDelay", value=2000),
             fact("cluster-setting", cluster="FILECL", name="SameSubnetThreshold", value=10)]
    assert run_facts(facts).findings == []

"""The NSX examples end to end, through diagnose() and `hakb diagnose --format json`."""

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from hakb.cli import cli
from hakb.diagnosis import diagnose
from bundles import examples

EXAMPLES = examples("nsx")


def report(example):
    return diagnose([str(EXAMPLES / example)]).as_dict()


def by_id(result):
    found = {}
    for finding in result["findings"]:
        found.setdefault(finding["id"], []).append(finding)
    return found


@pytest.fixture(scope="module")
def mtu():
    return report("nsx-mtu")


def test_mtu_example_parses_every_file(mtu):
    assert [a["path"] for a in mtu["artifacts"] if a["status"] != "parsed"] == [str(EXAMPLES / "nsx-mtu/README.md")]
    assert mtu["errors"] == []


def test_mtu_example_names_the_interface_its_mtu_and_the_requirement(mtu):
    [finding] = by_id(mtu)["nsx-vxlan-mtu"]
    assert finding["key"] == "esx-comp-01.lab.example/vmk3"
    assert finding["summary"].startswith(
        "esx-comp-01.lab.example: vmk3 on the vxlan netstack has MTU 1500, but VXLAN needs an MTU of at least 1600")
    assert "Message too long" in finding["summary"]
    evidence = {(e["artifact"].rsplit("/", 1)[-1], e["line"], e["text"].strip()) for e in finding["evidence"]}
    assert ("vmkping-vxlan.txt", 12, "sendto() failed (Message too long)") in evidence
    assert ("esxcli_network_ip_interface_list.txt", 21, "MAC Address: 00:50:56:6a:01:03") in evidence
    assert "`esxcli network ip interface set -i vmk3 -m 1600`" in " ".join(finding["remediation"])


def test_mtu_example_silent_loss_is_a_separate_path_finding(mtu):
    [finding] = by_id(mtu)["nsx-vxlan-path-drops"]
    assert finding["key"] == "esx-comp-02.lab.example -> 198.51.100.33"
    assert "lost 3 of 3 packets without a local error" in finding["summary"]
    assert "a 56-byte ping to the same address was answered" in finding["summary"]
    assert finding["story"] != by_id(mtu)["nsx-vxlan-mtu"][0]["story"]
    assert "nsx-upgrade-ready" not in by_id(mtu)


def test_mtu_example_lists_what_was_not_collected(mtu):
    collect = [(u["rule"], u["host"], u["collect"]) for u in mtu["unverified"]]
    assert ("nsx-vxlan-mtu", "esx-comp-04.lab.example",
            "collect `esxcli network ip interface list` from esx-comp-04.lab.example") in collect
    rules = {u["rule"] for u in mtu["unverified"]}
    assert {"nsx-vxlan-mtu", "nsx-vxlan-path-drops", "nsx-manager-appliance", "nsx-upgrade-snapshots",
            "nsx-upgrade-backup"} <= rules
    # esx-comp-02's interfaces and esx-comp-04's vmkping were collected: not asked for again
    assert not [u for u in mtu["unverified"] if u["host"] == "esx-comp-02.lab.example"]
    assert not [u for u in mtu["unverified"]
                if u["host"] == "esx-comp-04.lab.example" and u["rule"] == "nsx-vxlan-path-drops"]


def test_cli_json_for_the_mtu_example():
    result = CliRunner().invoke(cli, ["diagnose", "--format", "json", "--no-save", "-q", str(EXAMPLES / "nsx-mtu")],
                                catch_exceptions=False)
    data = json.loads(result.stdout)
    assert result.exit_code == 1  # error-level findings
    [finding] = [f for f in data["findings"] if f["id"] == "nsx-vxlan-mtu"]
    assert "vmk3" in finding["summary"] and "MTU 1500" in finding["summary"] and "1600" in finding["summary"]
    assert any("esxcli network ip interface list" in u["collect"] for u in data["unverified"])


def test_blockers_example():
    result = report("nsx-upgrade-blockers")
    found = by_id(result)
    assert sorted(found) == ["nsx-manager-appliance", "nsx-standard-vswitch-only", "nsx-upgrade-snapshots",
                             "nsx-vcns-end-of-support"]
    [switch] = found["nsx-standard-vswitch-only"]
    assert switch["summary"].startswith("esx-comp-03.lab.example has 2 standard vSwitches (")
    [appliance] = found["nsx-manager-appliance"]
    assert appliance["summary"] == ("vShield Manager: 8 GB of memory (memSize = 8192), NSX Manager 6.2 needs 16 GB; "
                                    "network adapter ethernet0 is e1000, it should be VMXNET3.")
    assert sorted(f["key"] for f in found["nsx-upgrade-snapshots"]) == ["vShield Manager", "vcsa01"]
    [eos] = found["nsx-vcns-end-of-support"]
    assert eos["severity"] == "info" and "5.5.4" in eos["summary"] and "Q4 2016" in eos["summary"]
    assert {u["rule"] for u in result["unverified"]} == {"nsx-vxlan-mtu", "nsx-vxlan-path-drops", "nsx-upgrade-backup"}


def test_ready_example_is_ready_and_nothing_else_is_wrong():
    result = report("nsx-ready")
    found = by_id(result)
    assert sorted(found) == ["nsx-upgrade-ready", "nsx-vcns-end-of-support"]
    assert result["unverified"] == []
    [ready] = found["nsx-upgrade-ready"]
    assert ready["summary"].startswith("Every vCNS 5.5 to NSX 6.2 prerequisite hakb checks is proven for "
                                       "esx-comp-01.lab.example, esx-comp-02.lab.example: ")
    for check in ("esx-comp-01.lab.example vmk3: MTU 1600 on the vxlan netstack",
                  "esx-comp-02.lab.example -> 192.0.2.31: 1600-byte frames pass (vmkping -d -s 1572)",
                  "vShield Manager: 16 GB memory", "vShield Manager: ethernet0 is vmxnet3",
                  "vCenter vcsa01: 1 snapshot", "Manager vShield Manager: 1 snapshot",
                  "backup vsm01-backup-2026-11-19-2100.bak"):
        assert check in ready["summary"]


@pytest.mark.parametrize("example", ["datastore-full", "datastore-healthy", "locked-vmdk"])
def test_vmware_examples_do_not_start_upgrade_checks(example):
    result = diagnose([str(examples("vmware") / example)]).as_dict()
    assert not [f for f in result["findings"] if f["id"].startswith("nsx-")]
    assert not [u for u in result["unverified"] if u["rule"].startswith("nsx-")]

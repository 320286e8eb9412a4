"""kb/nsx rules on hand-made facts: each prerequisite fails, passes, or stays unverified."""

import itertools

import pytest

from hakb import testing
from hakb.testing import findings_of, only_finding, run_facts

_LINES = itertools.count(1)


def fact(fact_type, line=None, **slots):
    """A hand-made fact on a line of its own (evidence is one entry per artifact line)."""
    return testing.fact(fact_type, line=line or next(_LINES), **slots)


HOSTS = ("esx-comp-01", "esx-comp-02")
BLOCKERS = ("nsx-vxlan-mtu", "nsx-vxlan-path-drops", "nsx-standard-vswitch-only", "nsx-manager-appliance",
            "nsx-upgrade-snapshots", "nsx-upgrade-backup")


def vtep(host, mtu=1600, name="vmk3", vds="dvs-compute"):
    return fact("host-nic", host=host, name=name, mac="00:50:56:6a:01:03", mtu=mtu, netstack="vxlan", vds=vds,
                ip="192.0.2.31", source="esxcli-ip-interface", text=f"{host} {name} MTU: {mtu}")


def ping(host, outcome="success", size=1572, df=True, vmk="vmk3", target="192.0.2.32"):
    received = 3 if outcome == "success" else 0
    return fact("vmkping-result", host=host, vmk=vmk, netstack="vxlan", target=target, size=size, df=df,
                sent=3, received=received, loss_pct=100.0 - received * 100 / 3,
                too_long=3 if outcome == "message-too-long" else 0, outcome=outcome,
                text=f"{host} vmkping {outcome}")


def dvs(host):
    return fact("vswitch", host=host, name="dvs-compute", kind="dvs", mtu=1600, uplinks=["vmnic2", "vmnic3"])


def manager(memsize=16384, device="vmxnet3"):
    return [fact("vm-config", vm="vShield Manager", memsize=memsize, role="nsx-manager",
                 text=f'memSize = "{memsize}"'),
            fact("vm-nic-config", vm="vShield Manager", adapter="ethernet0", device=device, role="nsx-manager",
                 text=f'ethernet0.virtualDev = "{device}"')]


def snapshots(vcenter=1, manager_count=1):
    return [fact("vm-snapshot-list", vm="vcsa01", role="vcenter", count=vcenter),
            fact("vm-snapshot-list", vm="vShield Manager", role="nsx-manager", count=manager_count)]


def backups(backup=True, bundle=True):
    facts = [fact("upgrade-file-listing", folder="/srv/backup/vcns", files=3, backups=int(backup),
                  tech_support=int(bundle))]
    if backup:
        facts.append(fact("upgrade-file", kind="backup", file="vsm01-backup.bak", date="Nov 19 21:02"))
    if bundle:
        facts.append(fact("upgrade-file", kind="tech-support", file="vsm-tech-support.tgz", date="Nov 19 21:10"))
    return facts


def ready_set(changes=None):
    changes = changes or {}
    facts = []
    for host in HOSTS:
        facts += [changes.get(("vtep", host), vtep(host)), changes.get(("ping", host), ping(host)), dvs(host)]
    facts += changes.get("manager", manager()) + changes.get("snapshots", snapshots())
    facts += changes.get("backups", backups())
    return [f for f in facts if f is not None]


def ids(case):
    return sorted({f.id for f in case.findings})


# -- ready --------------------------------------------------------------------------------------

def test_everything_proven_gives_one_ready_finding_listing_the_checks():
    case = run_facts(ready_set())
    assert ids(case) == ["nsx-upgrade-ready"] and case.unverified == []
    ready = only_finding(case, "nsx-upgrade-ready")
    assert ready.severity == "info"
    assert ready.summary.startswith("Every vCNS 5.5 to NSX 6.2 prerequisite hakb checks is proven for "
                                    "esx-comp-01, esx-comp-02: ")
    checked = set(ready.values["checked"])
    assert {"esx-comp-01 vmk3: MTU 1600 on the vxlan netstack",
            "esx-comp-02 -> 192.0.2.32: 1600-byte frames pass (vmkping -d -s 1572)",
            "esx-comp-01: on distributed switch dvs-compute",
            "vShield Manager: 16 GB memory", "vShield Manager: ethernet0 is vmxnet3",
            "vCenter vcsa01: 1 snapshot", "Manager vShield Manager: 1 snapshot",
            "backup vsm01-backup.bak (Nov 19 21:02)",
            "tech support bundle vsm-tech-support.tgz (Nov 19 21:10)"} <= checked
    assert {e.fact for e in ready.evidence} == {"host-nic", "vmkping-result", "vswitch", "vm-config",
                                                "vm-nic-config", "vm-snapshot-list", "upgrade-file"}


@pytest.mark.parametrize("changes, blocker", [
    ({("vtep", "esx-comp-02"): vtep("esx-comp-02", mtu=1500)}, "nsx-vxlan-mtu"),
    ({("ping", "esx-comp-01"): ping("esx-comp-01", outcome="no-reply")}, "nsx-vxlan-path-drops"),
    ({"manager": manager(memsize=8192)}, "nsx-manager-appliance"),
    ({"manager": manager(device="e1000")}, "nsx-manager-appliance"),
    ({"snapshots": snapshots(vcenter=0)}, "nsx-upgrade-snapshots"),
    ({"backups": backups(bundle=False)}, "nsx-upgrade-backup"),
])
def test_one_failed_prerequisite_means_not_ready(changes, blocker):
    case = run_facts(ready_set(changes))
    assert blocker in ids(case)
    assert findings_of(case, "nsx-upgrade-ready") == []


@pytest.mark.parametrize("changes, rule, collect", [
    ({("vtep", "esx-comp-02"): None}, "nsx-vxlan-mtu",
     "collect `esxcli network ip interface list` from esx-comp-02"),
    ({("ping", "esx-comp-01"): None}, "nsx-vxlan-path-drops", "run `vmkping ++netstack=vxlan -d -s 1572"),
    ({"manager": []}, "nsx-manager-appliance", "collect the Manager appliance's .vmx file"),
    ({"snapshots": snapshots()[:1]}, "nsx-upgrade-snapshots", "for the Manager VM"),
    ({"backups": []}, "nsx-upgrade-backup", "of the backup server folder"),
])
def test_a_missing_fact_is_unverified_not_passed(changes, rule, collect):
    case = run_facts(ready_set(changes))
    assert findings_of(case, "nsx-upgrade-ready") == []
    assert not [f for f in case.findings if f.id in BLOCKERS]
    assert any(u.rule == rule and collect in u.collect for u in case.unverified), case.unverified


# -- VXLAN MTU: local interface vs path ------------------------------------------------------------

def test_small_vtep_mtu_names_host_interface_mtu_and_requirement():
    case = run_facts([vtep("esx-comp-01", mtu=1500)])
    found = only_finding(case, "nsx-vxlan-mtu")
    assert found.key == "esx-comp-01/vmk3"
    assert found.summary == ("esx-comp-01: vmk3 on the vxlan netstack has MTU 1500, but VXLAN needs an MTU "
                             "of at least 1600.")
    assert "Raise the MTU of vmk3 on esx-comp-01 to at least 1600 if it is still lower: " \
           "`esxcli network ip interface set -i vmk3 -m 1600`." in found.remediation
    assert found.remediation[0].startswith("Raise the MTU of the distributed switch that carries VXLAN (dvs-compute)")


def test_message_too_long_and_the_interface_are_one_finding():
    case = run_facts([vtep("esx-comp-01", mtu=1500), ping("esx-comp-01", outcome="message-too-long")])
    found = only_finding(case, "nsx-vxlan-mtu")
    assert "has MTU 1500" in found.summary
    assert ('`vmkping -d -s 1572` (1600-byte packet) to 192.0.2.32 failed locally with "Message too long"'
            in found.summary)
    assert findings_of(case, "nsx-vxlan-path-drops") == []


def test_message_too_long_without_interface_name_blames_the_small_vtep():
    case = run_facts([vtep("esx-comp-01", mtu=1500, name="vmk4"), vtep("esx-comp-01", mtu=1600, name="vmk3"),
                      ping("esx-comp-01", outcome="message-too-long", vmk="")])
    assert [f.key for f in findings_of(case, "nsx-vxlan-mtu")] == ["esx-comp-01/vmk4"]


def test_message_too_long_alone_is_still_the_local_fault():
    found = only_finding(run_facts([ping("esx-comp-01", outcome="message-too-long", vmk="")]), "nsx-vxlan-mtu")
    assert found.key == "esx-comp-01/vxlan"
    assert found.summary.startswith("esx-comp-01: the VXLAN vmkernel interface on the vxlan netstack, but VXLAN needs")


def test_silent_loss_is_the_path_not_the_host():
    case = run_facts([vtep("esx-comp-02"), ping("esx-comp-02", outcome="no-reply", target="198.51.100.33"),
                      ping("esx-comp-02", outcome="success", size=56, target="198.51.100.33")])
    found = only_finding(case, "nsx-vxlan-path-drops")
    assert found.key == "esx-comp-02 -> 198.51.100.33"
    assert "(1600-byte packets, VXLAN needs 1600) lost 3 of 3 packets without a local error" in found.summary
    assert found.summary.endswith("; a 56-byte ping to the same address was answered.")
    assert findings_of(case, "nsx-vxlan-mtu") == []


@pytest.mark.parametrize("size, df", [(56, True), (1472, True), (1572, False)])
def test_loss_that_proves_nothing_about_1600_bytes_is_silent(size, df):
    case = run_facts([vtep("esx-comp-02"), ping("esx-comp-02", outcome="no-reply", size=size, df=df)])
    assert findings_of(case, "nsx-vxlan-path-drops") == []


def test_big_vtep_mtu_alone_is_no_finding_and_no_upgrade_case():
    case = run_facts([vtep("esx-comp-01", mtu=9000)])
    assert case.findings == [] and case.unverified == []


# -- switches, Manager, snapshots, version ------------------------------------------------------

def scope():
    return fact("nsx-version", product="vcns", name="vShield Manager", version="5.5.4", build_number="3029540")


def test_standard_switches_only_is_a_blocker():
    facts = [scope(), fact("vswitch-listing", host="esx-comp-03", kind="dvs", count=0),
             fact("vswitch-listing", host="esx-comp-03", kind="standard", count=2),
             fact("vswitch", host="esx-comp-03", kind="standard", name="vSwitch0", uplinks=["vmnic0", "vmnic1"]),
             fact("vswitch", host="esx-comp-03", kind="standard", name="vSwitch1", uplinks=[])]
    found = only_finding(run_facts(facts), "nsx-standard-vswitch-only")
    assert found.key == "esx-comp-03"
    assert found.summary.startswith("esx-comp-03 has 2 standard vSwitches (")
    assert "vSwitch0 on vmnic0/vmnic1" in found.summary and "vSwitch1" in found.summary
    assert found.summary.endswith(
        "and no vSphere Distributed Switch; NSX can only prepare hosts on a distributed switch.")


def test_a_vmk_on_a_vds_proves_a_distributed_switch():
    facts = [scope(), fact("vswitch-listing", host="esx-comp-03", kind="dvs", count=0),
             fact("vswitch-listing", host="esx-comp-03", kind="standard", count=1),
             vtep("esx-comp-03")]
    assert findings_of(run_facts(facts), "nsx-standard-vswitch-only") == []


def test_switch_lists_outside_an_upgrade_case_say_nothing():
    facts = [fact("vswitch-listing", host="esx-comp-03", kind="dvs", count=0),
             fact("vswitch-listing", host="esx-comp-03", kind="standard", count=1)]
    case = run_facts(facts)
    assert case.findings == [] and case.unverified == []


def test_manager_memory_and_adapter_in_one_finding():
    found = only_finding(run_facts(manager(memsize=8192, device="e1000")), "nsx-manager-appliance")
    assert found.key == "vShield Manager"
    assert found.summary == ("vShield Manager: 8 GB of memory (memSize = 8192), NSX Manager 6.2 needs 16 GB; "
                             "network adapter ethernet0 is e1000, it should be VMXNET3.")
    assert "Raise its memory from 8 GB to at least 16 GB (Edit Settings > Memory; memSize 16384)." in found.remediation
    assert any(step.startswith("Replace ethernet0 (e1000) with a VMXNET3 adapter") for step in found.remediation)


def test_manager_with_enough_memory_but_e1000_names_only_the_adapter():
    found = only_finding(run_facts(manager(memsize=16384, device="e1000")), "nsx-manager-appliance")
    assert "memSize" not in found.summary and "ethernet0 is e1000" in found.summary
    assert not any(step.startswith("Raise its memory") for step in found.remediation)


def test_empty_snapshot_list_by_vmid_names_the_vm():
    facts = [scope(), fact("vm-inventory", host="esx-mgmt-01", vmid="12", vm="vShield Manager", role="nsx-manager"),
             fact("vm-snapshot-list", host="esx-mgmt-01", vmid="12", count=0)]
    found = only_finding(run_facts(facts), "nsx-upgrade-snapshots")
    assert found.summary.startswith("Manager appliance vShield Manager has no snapshot")


def test_vcns_version_is_past_end_of_support_but_nsx_is_not():
    found = only_finding(run_facts([scope()]), "nsx-vcns-end-of-support")
    assert found.severity == "info"
    assert found.summary.startswith("vCNS Manager 5.5.4 (build 3029540) is in use (shown as vShield Manager); "
                                    "vCNS 5.5 reached end of general support in Q4 2016.")
    nsx = fact("nsx-version", product="nsx", name="NSX Manager", version="6.2.5")
    assert findings_of(run_facts([nsx]), "nsx-vcns-end-of-support") == []

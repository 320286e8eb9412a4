"""Rules vmware-datastore-full and vmware-snapshot-chain, fed with hand-made facts."""

import itertools

import pytest

from hakb import testing
from hakb.testing import findings_of, only_finding, run_facts

_LINES = itertools.count(1)


def fact(fact_type, line=None, **slots):
    """A hand-made fact on a line of its own (evidence is one entry per artifact line)."""
    return testing.fact(fact_type, line=line or next(_LINES), **slots)


G = 1 << 30


def datastore(name="datastore1", free_gb=3.7, size_gb=499.8, source="esxcli-filesystem", uuid="", host="esx01"):
    size, free = round(size_gb * G), round(free_gb * G)
    return fact("datastore", host=host, name=name, uuid=uuid, size=size, free=free, used=size - free,
                free_pct=100.0 * free / size, size_text=f"{size_gb:.1f} GB", free_text=f"{free_gb:.1f} GB",
                source=source, text=f"{source}: {name} {free_gb} GB free")


def chain(vm="app01", ds="datastore1", depth=3, delta_gb=182.4, base_gb=200.0):
    deltas = [f"{vm}-{i:06d}" for i in range(1, depth + 1)]
    return fact("vm-disk-chain", vm=vm, datastore=ds, folder=vm, disk=vm, depth=depth, top=deltas[-1],
                deltas=deltas, delta_bytes=round(delta_gb * G), base_bytes=round(base_gb * G),
                delta_size=f"{delta_gb:.1f} GB", base_size=f"{base_gb:.1f} GB", format="sesparse",
                text=f"{vm}-flat.vmdk")


def usage(vm="app01", ds="datastore1", delta_gb=182.4, files=3):
    return fact("vm-folder-usage", vm=vm, datastore=ds, folder=vm, files=10, delta_files=files,
                delta_bytes=round(delta_gb * G), delta_size=f"{delta_gb:.1f} GB", snapshots=files,
                text=f"ls -lh /vmfs/volumes/{ds}/{vm}/")


def delta_file(vm="app01", ds="datastore1", level=2):
    disk = f"{vm}-{level:06d}"
    return fact("vm-file", line=10 + level, vm=vm, datastore=ds, folder=vm, file=f"{disk}-sesparse.vmdk",
                kind="delta-data", disk=disk, base=vm, level=level, size=70 * G, text=f"{disk}-sesparse.vmdk")


def out_of_space(vm="app01", ds="datastore1", host="esx01"):
    return fact("vm-log-event", host=host, kind="out-of-space", vm=vm, datastore=ds, log="hostd",
                file=f"/vmfs/volumes/{ds}/{vm}/{vm}-000003.vmdk", disk=f"{vm}-000003",
                text="Question info: There is no more space for virtual disk")


# -- datastore-full -----------------------------------------------------------------------------

def test_under_five_percent_is_a_warning_naming_datastore_free_space_and_deltas():
    case = run_facts([datastore(free_gb=20.0), usage()])
    found = only_finding(case, "vmware-datastore-full")
    assert found.severity == "warning"
    assert found.summary.startswith(
        "Datastore datastore1 has 20.0 GB free of 499.8 GB (4.00 %, under the 5 % limit)")
    assert "app01: 182.4 GB in 3 delta files" in found.summary
    assert found.remediation[0].startswith(
        "Free space on datastore1 first, without touching the snapshot chain of app01")
    assert [e.text for e in found.evidence] == ["esxcli-filesystem: datastore1 20.0 GB free",
                                                "ls -lh /vmfs/volumes/datastore1/app01/"]


def test_under_one_percent_is_critical():
    found = only_finding(run_facts([datastore(free_gb=3.7)]), "vmware-datastore-full")
    assert found.severity == "critical"
    assert "3.7 GB free of 499.8 GB (0.74 %, under the 1 % limit)" in found.summary


@pytest.mark.parametrize("free_gb", [25.0, 190.0])
def test_five_percent_or_more_free_is_silent(free_gb):
    case = run_facts([datastore(free_gb=free_gb), usage(), chain(depth=1, delta_gb=1.0)])
    assert findings_of(case, "vmware-datastore-full") == []
    assert case.unverified == []


def test_a_stopped_vm_makes_it_critical_even_with_space_left_now():
    case = run_facts([datastore(free_gb=120.0), out_of_space()])
    found = only_finding(case, "vmware-datastore-full")
    assert found.severity == "critical"
    assert "VM app01 stopped for lack of space" in found.summary
    assert any("answer the pending question on app01 with Retry" in step for step in found.remediation)


def test_a_question_pending_on_a_full_datastore_is_critical():
    question = fact("vm-log-event", kind="vm-question", vm="app01", datastore="datastore1", log="hostd")
    found = only_finding(run_facts([datastore(free_gb=20.0), question]), "vmware-datastore-full")
    assert found.severity == "critical" and found.values["stopped"] == ["app01"]


def test_a_question_on_a_datastore_with_room_is_not_about_space():
    question = fact("vm-log-event", kind="vm-question", vm="app01", datastore="datastore1", log="hostd")
    assert findings_of(run_facts([datastore(free_gb=190.0), question]), "vmware-datastore-full") == []


def test_a_stopped_vm_found_through_its_folder_when_the_log_names_no_datastore():
    event = fact("vm-log-event", kind="out-of-space", vm="app01", datastore="", log="vmware")
    found = only_finding(run_facts([datastore(free_gb=3.7), usage(), event]), "vmware-datastore-full")
    assert found.values["stopped"] == ["app01"]


def test_uuid_paths_join_the_datastore_named_by_esxcli():
    uuid = "5a1b2c3d-1a2b3c4d-5e6f-005056000001"
    found = only_finding(run_facts([datastore(uuid=uuid), usage(ds=uuid), out_of_space(ds=uuid)]),
                         "vmware-datastore-full")
    assert found.key == "datastore1"
    assert found.values["delta_vm"] == ["app01"] and found.values["stopped"] == ["app01"]


def test_stopped_vm_without_capacity_facts_is_critical_and_asks_for_them():
    case = run_facts([out_of_space(ds="ds-other", vm="db01", host="esx02")])
    found = only_finding(case, "vmware-datastore-full")
    assert found.severity == "critical" and found.key == "ds-other"
    assert "Datastore ds-other ran out of space (its free space was not collected); VM db01 stopped" in found.summary
    assert [(u.rule, u.host, u.collect) for u in case.unverified] == [
        ("vmware-datastore-full", "esx02", "collect `df -h` or `esxcli storage filesystem list` from esx02")]


def test_two_reports_of_one_datastore_give_one_finding_with_the_lower_free_space():
    case = run_facts([datastore(free_gb=4.1, source="df"), datastore(free_gb=3.7, source="esxcli-filesystem")])
    found = only_finding(case, "vmware-datastore-full")
    assert found.values["free"] == ["3.7 GB"] and found.values["source"] == ["esxcli-filesystem"]


def test_other_datastores_deltas_are_not_listed():
    case = run_facts([datastore(free_gb=3.7), usage(), usage(vm="db01", ds="ds-prod-02", delta_gb=9.0)])
    assert only_finding(case, "vmware-datastore-full").values["delta_vm"] == ["app01"]


# -- snapshot-chain -----------------------------------------------------------------------------

def test_three_deltas_make_a_chain_finding_with_sizes():
    case = run_facts([chain(depth=3, delta_gb=12.0, base_gb=200.0), delta_file(level=1), delta_file(level=2)])
    found = only_finding(case, "vmware-snapshot-chain")
    assert found.severity == "warning" and found.key == "app01"
    assert found.summary == ("app01 on datastore1 runs on snapshot deltas: app01: 3 deltas up to app01-000003, "
                             "12.0 GB of deltas on a 200.0 GB base disk (6 %).")
    assert any("app01-000003 is the newest" in step and "merging 3 delta(s)" in step for step in found.remediation)
    assert {e.text for e in found.evidence} >= {"app01-000001-sesparse.vmdk", "app01-000002-sesparse.vmdk"}


def test_one_large_delta_is_a_finding_too():
    found = only_finding(run_facts([chain(depth=1, delta_gb=60.0, base_gb=200.0)]), "vmware-snapshot-chain")
    assert found.values["reason"] == ["deltas of app01 at 30 % of the base disk"]


@pytest.mark.parametrize("depth, delta_gb", [(1, 10.0), (2, 49.0)])
def test_short_light_chains_are_silent(depth, delta_gb):
    assert findings_of(run_facts([chain(depth=depth, delta_gb=delta_gb)]), "vmware-snapshot-chain") == []


def test_chain_on_an_unmeasured_datastore_asks_for_its_free_space():
    case = run_facts([fact("vm-disk-chain", host="esx01", vm="app01", datastore="datastore1", disk="app01",
                           depth=4, top="app01-000004", delta_bytes=10 * G, base_bytes=100 * G,
                           delta_size="10.0 GB", base_size="100.0 GB")])
    assert only_finding(case, "vmware-snapshot-chain")
    assert [u.collect for u in case.unverified] == [
        "collect `df -h` or `esxcli storage filesystem list` from esx01"]


def test_consolidation_needed_without_a_listing_asks_for_the_folder():
    event = fact("vm-log-event", host="esx01", kind="consolidation-needed", vm="app01", datastore="ds01")
    case = run_facts([event])
    assert findings_of(case, "vmware-snapshot-chain") == []
    assert [u.collect for u in case.unverified] == ["collect `ls -lh /vmfs/volumes/ds01/app01/` from esx01"]


def test_datastore_and_chain_findings_are_one_story():
    case = run_facts([datastore(free_gb=3.7), usage(), chain()])
    full = only_finding(case, "vmware-datastore-full")
    snap = only_finding(case, "vmware-snapshot-chain")
    assert full.story == snap.story
    assert ("vmware-snapshot-chain", "app01") in full.related
    assert ("vmware-datastore-full", "datastore1") in snap.related


# -- the locked delta: linked to whatever finding says it is locked -----------------------------

def lock_failure(vm="app01", ds="datastore1", disk="app01-000002", mac="00:50:56:0a:02:01"):
    """What makes the vmware pack conclude vmware-locked-vmdk for ``disk``: the lock failure in a
    log, the lock dump and its holder (no NIC listing names the holder)."""
    path = f"/vmfs/volumes/{ds}/{vm}/{disk}-sesparse.vmdk"
    return [fact("vm-log-event", host="esx01", kind="lock-failed", vm=vm, datastore=ds, log="hostd",
                 file=path, disk=disk, text="Failed to lock the file"),
            fact("vmfs-lock", file=path, disk=disk, mode=1, owner_mac=mac, datastore=ds),
            fact("vmfs-lock-holder", file=path, disk=disk, mac=mac, role="owner")]


def test_a_locked_delta_joins_datastore_and_chain_findings_into_one_story():
    case = run_facts([datastore(free_gb=3.7), usage(), chain(), delta_file(level=2), *lock_failure()])
    full = only_finding(case, "vmware-datastore-full")
    snap = only_finding(case, "vmware-snapshot-chain")
    locked = only_finding(case, "vmware-locked-vmdk")
    assert full.story == snap.story == locked.story
    assert ("vmware-locked-vmdk", "app01-000002") in full.related
    assert ("vmware-locked-vmdk", "app01-000002") in snap.related
    assert "app01-000002 is locked, so consolidation will fail until the lock is cleared" in full.summary
    steps = full.remediation
    order = [next(i for i, s in enumerate(steps) if s.startswith(prefix)) for prefix in
             ("Free space on datastore1 first", "Clear the lock on app01-000002",
              "Consolidate the snapshots of app01", "Stop or fix the backup job")]
    assert order == sorted(order)


def test_without_a_lock_there_is_no_lock_step():
    case = run_facts([datastore(free_gb=3.7), usage(), chain()])
    full = only_finding(case, "vmware-datastore-full")
    assert not any("Clear the lock" in step for step in full.remediation)
    assert findings_of(case, "vmware-locked-vmdk") == []

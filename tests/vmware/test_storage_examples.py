"""The datastore examples end to end: files in, findings (and their story) out."""

import pytest

from hakb.diagnosis import diagnose

from .conftest import EXAMPLES

OURS = ("vmware-datastore-full", "vmware-snapshot-chain")


def by_id(report):
    found = {}
    for finding in report["findings"]:
        found.setdefault(finding["id"], []).append(finding)
    return found


@pytest.fixture(scope="module")
def full():
    return diagnose([str(EXAMPLES / "datastore-full")]).as_dict()


def test_every_artifact_of_the_full_example_is_parsed(full):
    statuses = {a["path"].rsplit("/", 1)[-1]: (a["status"], a["parser"]) for a in full["artifacts"]}
    assert statuses["df_-h.txt"] == ("parsed", "vmware-datastores")
    assert statuses["esxcli_storage_filesystem_list.txt"] == ("parsed", "vmware-datastores")
    assert statuses["ls-app01-folder.txt"] == ("parsed", "vmware-vm-folder-listing")
    assert statuses["hostd.log"] == ("parsed", "vmware-logs")
    assert full["errors"] == []


def test_full_datastore_names_datastore_space_stopped_vm_and_deltas(full):
    [finding] = by_id(full)["vmware-datastore-full"]
    assert finding["severity"] == "critical"
    assert finding["summary"].startswith(
        "Datastore datastore1 has 3.7 GB free of 499.8 GB (0.74 %, under the 1 % limit); "
        "VM app01 stopped for lack of space; snapshot deltas on it: app01: 182.4 GB in 3 delta files")
    assert finding["remediation"][0].startswith(
        "Free space on datastore1 first, without touching the snapshot chain of app01")
    assert "answer the pending question on app01 with Retry" in finding["remediation"][1]
    lines = {(e["artifact"].rsplit("/", 1)[-1], e["line"]) for e in finding["evidence"]}
    assert {("esxcli_storage_filesystem_list.txt", 3), ("hostd.log", 6), ("ls-app01-folder.txt", 1)} <= lines


def test_deep_chain_of_app01_with_its_delta_files(full):
    [finding] = by_id(full)["vmware-snapshot-chain"]
    assert finding["severity"] == "warning"
    assert finding["summary"].startswith(
        "app01 on datastore1 runs on snapshot deltas: app01: 3 deltas up to app01-000003, "
        "182.4 GB of deltas on a 200.0 GB base disk (91 %) (hostd: ")
    listed = [e["line"] for e in finding["evidence"] if e["artifact"].endswith("ls-app01-folder.txt")]
    assert listed == [5, 7, 9, 11]  # the base disk, then each delta's data file


def test_full_datastore_chain_and_locked_delta_tell_one_story(full):
    found = by_id(full)
    [datastore] = found["vmware-datastore-full"]
    [chain] = found["vmware-snapshot-chain"]
    [locked] = found["vmware-locked-vmdk"]
    assert locked["key"] == "app01-000002" and "esx02" in locked["summary"]
    assert datastore["story"] == chain["story"] == locked["story"]
    assert {"id": "vmware-locked-vmdk", "key": "app01-000002"} in datastore["related"]
    assert {"id": "vmware-snapshot-chain", "key": "app01"} in datastore["related"]
    assert {"id": "vmware-locked-vmdk", "key": "app01-000002"} in chain["related"]
    steps = datastore["remediation"]
    order = [next(i for i, s in enumerate(steps) if s.startswith(prefix)) for prefix in
             ("Free space on datastore1 first", "Clear the lock on app01-000002",
              "Consolidate the snapshots of app01", "Stop or fix the backup job")]
    assert order == sorted(order)


def test_healthy_counterpart_is_silent():
    report = diagnose([str(EXAMPLES / "datastore-healthy")]).as_dict()
    assert [a["status"] for a in report["artifacts"] if not a["path"].endswith("README.md")] == ["parsed"] * 4
    assert report["findings"] == []
    assert report["unverified"] == []


@pytest.mark.parametrize("example", ["locked-vmdk", "locked-vmdk-healthy"])
def test_lock_examples_have_no_datastore_or_chain_finding(example):
    report = diagnose([str(EXAMPLES / example)]).as_dict()
    assert not [f for f in report["findings"] if f["id"] in OURS]

"""Snapshot lists: vim-cmd's snapshot tree and PowerCLI Get-Snapshot in any shape, and what an empty
list proves."""

import pytest

from bundles import FACTS, samples

SAMPLES = samples("nsx")
TRANSCRIPT = next((FACTS / "nsx/variants/nsx-upgrade-blockers/snapshots-powercli-transcript").glob("*.txt"))
FORMAT_LIST = FACTS / "nsx/variants/nsx-ready/snapshot-powercli-format-list/powercli-snapshots.txt"

# vcsa01's two snapshots (one nested in the other) in PowerCLI's shapes.
TABLE = """\
PS C:\\> Get-VM vcsa01 | Get-Snapshot

Name                 Description                    PowerState
----                 -----------                    ----------
before patch                                        PoweredOn
pre-nsx-upgrade      before vCNS 5.5.4 to NSX 6.... PoweredOn

"""
CSV = """\
"VM","Name","Description","Created","ParentSnapshot","SizeGB","IsCurrent"
"vcsa01","before patch","","02.10.2026 18:04:20","","2,5","False"
"vcsa01","pre-nsx-upgrade","before vCNS 5.5.4 to NSX 6.2.5","19.11.2026 21:05:12","before patch","0,8","True"
"""
JSON = """\
[
    {
        "Description":  "",
        "Created":  "\\/Date(1791050660000)\\/",
        "VM":  {"Name":  "vcsa01", "PowerState":  1},
        "ParentSnapshot":  null,
        "Name":  "before patch"
    },
    {
        "Description":  "before vCNS 5.5.4 to NSX 6.2.5",
        "Created":  "\\/Date(1795208712000)\\/",
        "VM":  {"Name":  "vcsa01", "PowerState":  1},
        "ParentSnapshot":  "before patch",
        "Name":  "pre-nsx-upgrade"
    }
]
"""


@pytest.mark.parametrize("shape, content, name", [
    ("vim-cmd tree, joined by vmid", SAMPLES / "vim-cmd-snapshots.txt", None),
    ("Get-Snapshot table, VM from the command", TABLE, "snapshots.txt"),
    ("Get-Snapshot | Export-Csv -NoTypeInformation", CSV, "snapshots.csv"),
    ("Get-Snapshot | ConvertTo-Json", JSON, "snapshots.json"),
])
def test_every_shape_of_vcenters_snapshots_gives_the_same_snapshots(read, shape, content, name):
    got = read(content, **({"name": name} if name else {}))
    names = [row[0] for row in got.values("vm-snapshot", "name")]
    assert names == ["before patch", "pre-nsx-upgrade"], shape
    lists = [row for row in got.values("vm-snapshot-list", "vm", "vmid", "count") if row[2] == 2]
    assert lists in ([("vcsa01", "", 2)], [("", "7", 2)]), shape  # named, or by vmid for the rules to join


def test_vim_cmd_tree_depth_dates_and_descriptions(read):
    got = read(SAMPLES / "vim-cmd-snapshots.txt")
    assert got.rows("vm-snapshot", "vmid", "name", "created", "level", "description") == [
        (9, "7", "before patch", "10/2/2026 18:4:20", 1, ""),
        (15, "7", "pre-nsx-upgrade", "11/19/2026 21:5:12", 2, "before vCNS 5.5.4 to NSX 6.2.5"),
    ]
    assert got.rows("vm-snapshot-list", "vmid", "count", "source") == [(7, "7", 2, "vim-cmd"), (21, "12", 0, "vim-cmd")]
    assert got.hosts("vm-snapshot-list") == {"esx-mgmt-01"}


def test_snapshot_get_alone_keeps_the_vmid_of_its_command(read):
    got = read("[root@esx-mgmt-01:~] vim-cmd vmsvc/snapshot.get 42\nGet Snapshot:\n")
    assert got.rows("vm-snapshot-list", "vmid", "vm", "role", "count") == [(2, "42", "", "", 0)]


def test_snapshot_get_of_a_vm_that_is_not_there_is_an_error(read):
    got = read("[root@esx-mgmt-01:~] vim-cmd vmsvc/snapshot.get 99\n"
               "(vim.fault.NotFound) {\n   faultCause = (vmodl.MethodFault) null,\n   msg = \"Unable to find a VM corresponding to \\\"99\\\"\"\n}\n")
    assert got.result.status == "error" and "printed no snapshot list" in got.result.message
    assert got.rows("vm-snapshot-list") == []


def test_get_snapshot_printing_nothing_proves_the_vm_has_none(read):
    got = read(TRANSCRIPT)
    assert got.rows("vm-snapshot-list", "vm", "role", "count", "source") == [
        (27, "vcsa01", "vcenter", 0, "powercli"), (28, "vShield Manager", "nsx-manager", 0, "powercli")]
    assert [p for p in got.parsers() if p[1] == "nsx-powercli-snapshots"] == [
        ("Get-VM vcsa01 | Get-Snapshot", "nsx-powercli-snapshots", "parsed"),
        ('Get-VM "vShield Manager" | Get-Snapshot', "nsx-powercli-snapshots", "parsed")]


def test_get_snapshot_of_several_vms_names_each_one_without_snapshots(read):
    got = read('PS C:\\> Get-VM vcsa01, "vShield Manager" | Get-Snapshot | Select-Object VM, Name, Created\n\n'
               "VM              Name            Created\n"
               "--              ----            -------\n"
               "vcsa01          pre-nsx-upgrade 20.11.2026 09:41:07\n\n")
    assert got.values("vm-snapshot-list", "vm", "count") == [("vcsa01", 1), ("vShield Manager", 0)]


def test_snapshots_whose_vm_is_not_known_prove_nothing_about_the_named_vms(read):
    got = read('PS C:\\> Get-VM vcsa01, "vShield Manager" | Get-Snapshot\n\n'
               "Name                 Description                    PowerState\n"
               "----                 -----------                    ----------\n"
               "pre-nsx-upgrade                                     PoweredOn\n\n")
    assert got.values("vm-snapshot", "vm", "name") == [("", "pre-nsx-upgrade")]
    assert got.rows("vm-snapshot-list") == []  # neither "none" for both nor one for either


def test_get_snapshot_format_list_in_a_german_locale(read):
    got = read(FORMAT_LIST)
    assert got.rows("vm-snapshot", "vm", "name", "created", "level", "role") == [
        (20, "vcsa01", "pre-nsx-upgrade", "20.11.2026 09:41:07", 1, "vcenter")]
    assert got.rows("vm-snapshot-list", "vm", "count") == [(20, "vcsa01", 1)]


def test_get_snapshot_output_that_holds_no_snapshot_is_an_error(read):
    got = read("PS C:\\> Get-VM vcsa01 | Get-Snapshot\n"
               "Get-VM : 20.11.2026 10:15:07    Get-VM        VM with name 'vcsa01' was not found using the specified filter(s).\n")
    assert got.result.status == "error" and "shows no snapshot" in got.result.message
    assert got.rows("vm-snapshot-list") == []


def test_vim_cmd_tree_three_deep(read):
    got = read(SAMPLES / "vim-cmd-snapshot-tree.txt")
    assert got.rows("vm-snapshot", "name", "level", "description") == [
        (4, "base install", 1, "after the OVA deployment"), (10, "before 5.5.4 patch", 2, ""),
        (16, "pre-nsx-upgrade", 3, "Manager shut down; backup vsm02-backup-2026-11-19 taken")]
    assert got.rows("vm-snapshot-list", "vmid", "count") == [(2, "21", 3)]


def test_a_list_known_by_vmid_is_named_through_get_summary_of_the_same_host(read):
    from hakb.testing import only_finding, run_facts
    summary = next((FACTS / "nsx/variants/nsx-upgrade-blockers/manager-vim-cmd-summary-and-config")
                   .rglob("vim-cmd-manager.txt")).read_text()
    got = read(summary + "[root@esx-mgmt-01:~] vim-cmd vmsvc/snapshot.get 12\nGet Snapshot:\n")
    finding = only_finding(run_facts(got.facts), "nsx-upgrade-snapshots")
    assert finding.key == "vShield Manager" and finding.values["role"] == ["Manager appliance"]

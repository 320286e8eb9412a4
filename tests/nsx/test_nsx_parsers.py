"""NSX plugin parsers: vmkping, virtual switches, .vmx/.vmsd, vim-cmd, versions, backup listings."""

from pathlib import Path

import pytest

from hakb import Head
from hakb.parsing import choose_parser
from hakb.plugin_manager import get_plugin_manager, parsers
from hakb.plugins.nsx import upgrade_files, version, vimcmd, vmkping, vmx, vswitch
from hakb.testing import parse_bytes, parse_file, parse_text, run_parser_alone
from bundles import samples

SAMPLES = samples("nsx")


def rows(facts, fact_type, *slots):
    return [(f.line, *(f.slots.get(s) for s in slots)) for f in facts if f.type == fact_type]


def sample(name):
    return SAMPLES / name


@pytest.mark.parametrize("name, parser", [
    ("vmkping-too-long.txt", "nsx-vmkping"),
    ("vmkping-silent-loss.txt", "nsx-vmkping"),
    ("vmkping-success-no-command.txt", "nsx-vmkping"),
    ("esxcli-vswitch-standard-list.txt", "nsx-vswitch-list"),
    ("esxcli-vswitch-dvs-list-empty.txt", "nsx-vswitch-list"),
    ("esxcli-vswitch-dvs-list.txt", "nsx-vswitch-list"),
    ("esxcfg-vswitch-l.txt", "nsx-vswitch-list"),
    ("vShield Manager.vmx", "nsx-vmx"),
    ("nsxmgr01.vmx", "nsx-vmx"),
    ("vcsa01.vmsd", "nsx-vmsd"),
    ("vShield Manager.vmsd", "nsx-vmsd"),
    ("vim-cmd-snapshots.txt", "nsx-vim-cmd"),
    ("show-version.txt", "nsx-version"),
    ("version-line.txt", "nsx-version"),
    ("backup-listing.txt", "nsx-upgrade-files"),
    ("backup-dir-windows.txt", "nsx-upgrade-files"),
])
def test_each_sample_is_recognised_by_its_parser(name, parser):
    text = sample(name).read_bytes().decode("utf-8")
    chosen, problems = choose_parser(Head(name, text), parsers(get_plugin_manager()))
    assert not problems and chosen is not None
    assert chosen.name == parser


def test_the_example_readmes_are_not_claimed():
    readmes = sorted(Path(__file__).resolve().parents[2].glob("facts/nsx/examples/nsx-*/README.md"))
    assert len(readmes) == 3
    for readme in readmes:
        chosen, _ = choose_parser(Head("README.md", readme.read_text()), parsers(get_plugin_manager()))
        assert chosen is None, (readme, chosen and chosen.name)


# -- vmkping ---------------------------------------------------------------------------------------

def test_vmkping_message_too_long_and_the_small_ping_before_it():
    facts = parse_file(vmkping.PARSERS[0], sample("vmkping-too-long.txt"))
    assert rows(facts, "vmkping-result", "vmk", "netstack", "target", "size", "df", "sent", "received",
                "too_long", "outcome") == [
        (3, "vmk3", "vxlan", "192.0.2.32", 56, False, 3, 3, 0, "success"),
        (12, "vmk3", "vxlan", "192.0.2.32", 1572, True, 3, 0, 3, "message-too-long"),
    ]
    assert facts[1].text == "sendto() failed (Message too long)"
    assert {f.host for f in facts} == {"esx-comp-01"}  # from the prompt: no host folder around it


def test_vmkping_host_folder_wins_over_the_prompt():
    facts = parse_file(vmkping.PARSERS[0], sample("vmkping-too-long.txt"), host="esx-comp-01.lab.example")
    assert {f.host for f in facts} == {"esx-comp-01.lab.example"}


def test_vmkping_silent_loss_with_the_s_option():
    facts = parse_file(vmkping.PARSERS[0], sample("vmkping-silent-loss.txt"))
    assert rows(facts, "vmkping-result", "vmk", "netstack", "target", "size", "df", "loss_pct", "outcome") == [
        (5, "", "vxlan", "198.51.100.33", 1572, True, 100.0, "no-reply")]
    assert facts[0].text.startswith("3 packets transmitted, 0 packets received")


def test_vmkping_output_without_command_has_no_netstack():
    facts = parse_file(vmkping.PARSERS[0], sample("vmkping-success-no-command.txt"))
    assert rows(facts, "vmkping-result", "netstack", "size", "df", "received", "outcome") == [
        (2, "", 1572, None, 3, "success")]


def test_vmkping_other_send_error():
    text = ("[root@esx-comp-09:~] vmkping ++netstack=vxlan -d -s 1572 -I vmk9 192.0.2.99\n"
            "PING 192.0.2.99 (192.0.2.99): 1572 data bytes\n"
            "sendto() failed (Host is down)\n\n--- 192.0.2.99 ping statistics ---\n"
            "3 packets transmitted, 0 packets received, 100% packet loss\n")
    facts = parse_text(vmkping.PARSERS[0], text)
    assert rows(facts, "vmkping-result", "outcome", "error") == [(3, "send-error", "sendto() failed (Host is down)")]


# -- virtual switches ------------------------------------------------------------------------------

def test_standard_list_gives_switches_and_a_count():
    facts = parse_file(vswitch.PARSERS[0], sample("esxcli-vswitch-standard-list.txt"))
    assert rows(facts, "vswitch", "name", "kind", "mtu", "uplinks", "portgroups") == [
        (2, "vSwitch0", "standard", 1500, ["vmnic1", "vmnic0"], ["VM Network", "Management Network"]),
        (17, "vSwitch1", "standard", 1500, ["vmnic3", "vmnic2"], ["vMotion", "NFS"]),
    ]
    assert rows(facts, "vswitch-listing", "kind", "count", "source") == [(1, "standard", 2, "esxcli")]


def test_empty_dvs_list_with_its_command_proves_no_dvs():
    facts = parse_file(vswitch.PARSERS[0], sample("esxcli-vswitch-dvs-list-empty.txt"))
    assert rows(facts, "vswitch-listing", "kind", "count") == [(1, "dvs", 0)]
    assert [f.type for f in facts] == ["vswitch-listing"]


def test_dvs_block_without_command_counts_only_what_it_shows():
    facts = parse_file(vswitch.PARSERS[0], sample("esxcli-vswitch-dvs-list.txt"))
    assert rows(facts, "vswitch", "name", "kind", "mtu", "uplinks") == [
        (1, "dvs-compute", "dvs", 1600, ["vmnic3", "vmnic2"])]
    assert rows(facts, "vswitch-listing", "kind", "count") == [(1, "dvs", 1)]  # no claim about standard ones


def test_esxcfg_vswitch_lists_both_kinds():
    facts = parse_file(vswitch.PARSERS[0], sample("esxcfg-vswitch-l.txt"))
    assert rows(facts, "vswitch", "name", "kind", "mtu", "uplinks") == [
        (3, "vSwitch0", "standard", 1500, ["vmnic0", "vmnic1"]),
        (10, "dvs-compute", "dvs", 1600, ["vmnic3", "vmnic2"]),
    ]
    assert rows(facts, "vswitch-listing", "kind", "count", "source") == [
        (1, "standard", 1, "esxcfg-vswitch"), (1, "dvs", 1, "esxcfg-vswitch")]


def test_esxcfg_vswitch_without_dvs_table_says_none():
    text = ("Switch Name      Num Ports   Used Ports  Configured Ports  MTU     Uplinks\n"
            "vSwitch0         4352        6           128               1500    vmnic0\n")
    facts = parse_text(vswitch.PARSERS[0], text)
    assert rows(facts, "vswitch-listing", "kind", "count") == [(2, "standard", 1), (2, "dvs", 0)]


# -- .vmx / .vmsd ------------------------------------------------------------------------------------

def test_manager_vmx_memory_adapter_role_and_version():
    facts = parse_file(vmx.PARSERS[0], sample("vShield Manager.vmx"))
    assert rows(facts, "vm-config", "vm", "memsize", "numvcpus", "role", "hw_version") == [
        (7, "vShield Manager", 8192, 2, "nsx-manager", "7")]
    assert rows(facts, "vm-nic-config", "adapter", "device", "network", "role") == [
        (12, "ethernet0", "e1000", "Management Network", "nsx-manager")]  # ethernet1 is not present
    assert rows(facts, "nsx-version", "product", "version", "build_number", "source") == [
        (5, "vcns", "5.5.4", "3029540", "vmx")]
    assert facts[0].slots["annotation"].startswith("vCloud Networking and Security Manager 5.5.4 build 3029540\n")


def test_vmx_in_utf16_is_read():
    data = sample("nsxmgr01.vmx").read_text().replace("\n", "\r\n").encode("utf-16-le")
    facts = parse_bytes(vmx.PARSERS[0], b"\xff\xfe" + data, name="nsxmgr01.vmx")
    assert rows(facts, "vm-config", "vm", "memsize", "role") == [(6, "nsxmgr01", 16384, "nsx-manager")]
    assert rows(facts, "vm-nic-config", "device") == [(9, "vmxnet3")]


def test_vmsd_lists_nested_snapshots():
    facts = parse_file(vmx.PARSERS[1], sample("vcsa01.vmsd"))
    assert rows(facts, "vm-snapshot", "vm", "role", "name", "level") == [
        (6, "vcsa01", "vcenter", "before patch", 1), (15, "vcsa01", "vcenter", "pre-nsx-upgrade", 2)]
    assert rows(facts, "vm-snapshot-list", "vm", "count", "source") == [(21, "vcsa01", 2, "vmsd")]


def test_empty_vmsd_proves_no_snapshot_and_takes_the_vm_from_its_name():
    facts = parse_file(vmx.PARSERS[1], sample("vShield Manager.vmsd"))
    assert rows(facts, "vm-snapshot-list", "vm", "role", "count") == [(1, "vShield Manager", "nsx-manager", 0)]


# -- vim-cmd --------------------------------------------------------------------------------------------

def test_vim_cmd_names_snapshots_through_getallvms():
    # The parse function alone, on the whole session: a run gives each command's section apart,
    # and the snapshots then lack the VM names (tests/nsx/test_real_pipe.py shows it).
    facts = run_parser_alone(vimcmd.PARSERS[0], sample("vim-cmd-snapshots.txt"))
    assert rows(facts, "vm-inventory", "vmid", "vm", "datastore", "file", "role") == [
        (3, "7", "vcsa01", "ds-mgmt", "vcsa01/vcsa01.vmx", "vcenter"),
        (4, "12", "vShield Manager", "ds-mgmt", "vShield Manager/vShield Manager.vmx", "nsx-manager"),
        (5, "15", "dc01", "ds-mgmt", "dc01/dc01.vmx", ""),
    ]
    assert rows(facts, "vm-snapshot", "vmid", "vm", "name", "created", "level") == [
        (9, "7", "vcsa01", "before patch", "10/2/2026 18:4:20", 1),
        (15, "7", "vcsa01", "pre-nsx-upgrade", "11/19/2026 21:5:12", 2),
    ]
    assert rows(facts, "vm-snapshot", "description") == [(9, ""), (15, "before vCNS 5.5.4 to NSX 6.2.5")]
    assert rows(facts, "vm-snapshot-list", "vmid", "vm", "role", "count") == [
        (7, "7", "vcsa01", "vcenter", 2), (21, "12", "vShield Manager", "nsx-manager", 0)]
    assert {f.host for f in facts} == {"esx-mgmt-01"}


def test_snapshot_get_alone_keeps_the_vmid():
    text = "[root@esx-mgmt-01:~] vim-cmd vmsvc/snapshot.get 42\nGet Snapshot:\n"
    facts = parse_text(vimcmd.PARSERS[0], text, host="esx-mgmt-01.lab.example")
    assert rows(facts, "vm-snapshot-list", "vmid", "vm", "role", "count") == [(2, "42", "", "", 0)]
    assert facts[0].host == "esx-mgmt-01.lab.example"


# -- versions and backup listings ---------------------------------------------------------------------

def test_show_version_block():
    facts = parse_file(version.PARSERS[0], sample("show-version.txt"))
    assert rows(facts, "nsx-version", "product", "name", "version", "build_number", "source") == [
        (3, "vcns", "vShield Manager", "5.5.4", "3029540", "show-version")]


def test_product_and_version_line():
    facts = parse_file(version.PARSERS[0], sample("version-line.txt"))
    assert rows(facts, "nsx-version", "product", "version", "build_number") == [(1, "vcns", "5.5.4", "3029540")]


def test_nsx_manager_version_is_product_nsx():
    text = "Name:             NSX Manager\nVersion:          6.2.5\nBuild number:     4818372\n"
    assert rows(parse_text(version.PARSERS[0], text), "nsx-version", "product", "version") == [(2, "nsx", "6.2.5")]


def test_a_sentence_mentioning_a_version_is_not_a_version_fact():
    text = "We plan to move from vCNS 5.5.4 to NSX 6.2.5 next week.\n"
    assert version.PARSERS[0].recognise(Head("notes.txt", text)) == 0
    assert parse_text(version.PARSERS[0], text) == []


def test_backup_listing_finds_backup_and_bundle():
    facts = parse_file(upgrade_files.PARSERS[0], sample("backup-listing.txt"))
    assert rows(facts, "upgrade-file", "kind", "file", "size", "date") == [
        (3, "backup", "vsm01-backup-2026-11-19-2100.bak", 52428800, "Nov 19 21:02"),
        (4, "tech-support", "VMware-vShield-Manager-tech-support-192.0.2.10-2026-11-19.tgz", 31457280, "Nov 19 21:10"),
    ]
    assert rows(facts, "upgrade-file-listing", "folder", "files", "backups", "tech_support") == [
        (1, "/srv/backup/vcns", 3, 1, 1)]


def test_windows_dir_of_the_backup_folder_without_backups():
    facts = parse_file(upgrade_files.PARSERS[0], sample("backup-dir-windows.txt"))
    assert rows(facts, "upgrade-file-listing", "folder", "files", "backups", "tech_support") == [
        (2, "D:\\backup\\vcns", 1, 0, 0)]


def test_vm_folder_listing_is_left_to_the_storage_parser():
    text = "-rw------- 1 root root 1024 Nov 20 07:30 backup01-flat.vmdk\n"
    assert upgrade_files.PARSERS[0].recognise(Head("ls.txt", text)) == 0


def test_other_esxcli_vswitch_commands_are_not_switch_lists():
    text = ("[root@esx-comp-03:~] esxcli network vswitch standard portgroup list\n"
            "Name        Virtual Switch  Active Clients  VLAN ID\n"
            "----------  --------------  --------------  -------\n"
            "VM Network  vSwitch0                     1        0\n")
    assert vswitch.PARSERS[0].recognise(Head("pg.txt", text)) == 0
    assert parse_text(vswitch.PARSERS[0], text) == []


def test_vswitch_table_after_an_unrecognised_prompt_does_not_raise():
    """Found by fuzzing: a damaged prompt line left a listing without the row's kind (KeyError)."""
    from hakb.plugin_manager import get_plugin_manager, parsers
    from hakb.testing import parse_text
    parser = next(p for p in parsers(get_plugin_manager()) if p.name == "nsx-vswitch-list")
    text = ("~\x01# esxcli network vswitch dvs vmware list\n"
            "Switch Name      Num Ports   Used Ports  Configured Ports  MTU     Uplinks\n"
            "vSwitch0         1536        4           128               1500    vmnic0\n")
    facts = parse_text(parser, text, name="vswitch.txt")
    assert [(f.slots["name"], f.slots["kind"]) for f in facts if f.type == "vswitch"] == [("vSwitch0", "standard")]

"""The Manager's .vmx (memory, adapters, version) and .vmsd (snapshots): key = "value" lines."""

from hakb.plugins.nsx import vmx
from hakb.testing import parse_bytes
from bundles import samples

SAMPLES = samples("nsx")


def test_manager_vmx_memory_adapter_role_and_version(read):
    got = read(SAMPLES / "vShield Manager.vmx")
    assert got.rows("vm-config", "vm", "memsize", "numvcpus", "role", "hw_version", "source") == [
        (7, "vShield Manager", 8192, 2, "nsx-manager", "7", "vmx")]
    assert got.rows("vm-nic-config", "adapter", "device", "network", "role") == [
        (12, "ethernet0", "e1000", "Management Network", "nsx-manager")]  # ethernet1 is not present
    assert got.rows("nsx-version", "product", "version", "build_number", "source") == [
        (5, "vcns", "5.5.4", "3029540", "vmx")]
    assert got.facts[0].slots["annotation"].startswith("vCloud Networking and Security Manager 5.5.4 build 3029540\n")


def test_vmx_in_utf16_is_read():
    data = (SAMPLES / "nsxmgr01.vmx").read_text().replace("\n", "\r\n").encode("utf-16-le")
    facts = parse_bytes(vmx.PARSERS[0], b"\xff\xfe" + data, name="nsxmgr01.vmx")
    assert [(f.line, f.slots["vm"], f.slots["memsize"], f.slots["role"]) for f in facts if f.type == "vm-config"] == [
        (6, "nsxmgr01", 16384, "nsx-manager")]
    assert [(f.line, f.slots["device"]) for f in facts if f.type == "vm-nic-config"] == [(9, "vmxnet3")]


def test_vmsd_lists_nested_snapshots(read):
    got = read(SAMPLES / "vcsa01.vmsd")
    assert got.rows("vm-snapshot", "vm", "role", "name", "level") == [
        (6, "vcsa01", "vcenter", "before patch", 1), (15, "vcsa01", "vcenter", "pre-nsx-upgrade", 2)]
    assert got.rows("vm-snapshot-list", "vm", "count", "source") == [(21, "vcsa01", 2, "vmsd")]


def test_empty_vmsd_proves_no_snapshot_and_takes_the_vm_from_its_name(read):
    got = read(SAMPLES / "vShield Manager.vmsd")
    assert got.rows("vm-snapshot-list", "vm", "role", "count") == [(1, "vShield Manager", "nsx-manager", 0)]


def test_vmx_and_vmsd_printed_with_cat_on_the_host_are_known_by_the_command(read):
    text = ('[root@esx-mgmt-01:~] cat "/vmfs/volumes/ds-mgmt/vShield Manager/vShield Manager.vmsd"\n'
            + (SAMPLES / "vShield Manager.vmsd").read_text()
            + "[root@esx-mgmt-01:~] cat /vmfs/volumes/ds-mgmt/nsxmgr01/nsxmgr01.vmx\n"
            + (SAMPLES / "nsxmgr01.vmx").read_text())
    got = read(text, name="pasted.txt")
    assert got.values("vm-snapshot-list", "vm", "role", "count") == [("vShield Manager", "nsx-manager", 0)]
    assert got.values("vm-config", "vm", "file", "memsize") == [("nsxmgr01", "nsxmgr01", 16384)]
    assert [p for _, p, _ in got.parsers()] == ["nsx-vmsd", "nsx-vmx"]

"""The Manager's and vCenter's VMs as objects: vim-cmd getallvms / get.summary / get.config, PowerCLI
Get-VM and Get-NetworkAdapter, and the .vmx they stand in for."""

import pytest

from bundles import FACTS, samples

SAMPLES = samples("nsx")
VARIANTS = FACTS / "nsx/variants/nsx-upgrade-blockers"
VIM_CMD = next((VARIANTS / "manager-vim-cmd-summary-and-config").rglob("vim-cmd-manager.txt"))
POWERCLI_UTF16 = next((VARIANTS / "manager-powercli-utf16").rglob("*.txt"))
MANAGER = ("vShield Manager", 8192, 2, "nsx-manager")

GET_VM_TABLE = """\
PS C:\\> Get-VM

Name                 PowerState Num CPUs MemoryGB
----                 ---------- -------- --------
vcsa01               PoweredOn  4        16,000
vShield Manager      PoweredOn  2        8,000

"""
GET_VM_CSV = """\
#TYPE VMware.VimAutomation.ViCore.Impl.V1.Inventory.VirtualMachineImpl
"Name";"PowerState";"Notes";"Guest";"NumCpu";"CoresPerSocket";"MemoryMB";"MemoryGB";"VMHostId";"VMHost";"Version";"GuestId"
"vShield Manager";"PoweredOn";"vCloud Networking and Security Manager 5.5.4 build 3029540
Owner: network team";"vShield Manager:";"2";"1";"8192";"8";"HostSystem-host-35";"esx-mgmt-01.lab.example";"v7";"other26xLinux64Guest"
"""
GET_VM_JSON = """\
{
    "Name":  "vShield Manager",
    "PowerState":  1,
    "Notes":  "vCloud Networking and Security Manager 5.5.4 build 3029540\\nOwner: network team",
    "NumCpu":  2,
    "MemoryMB":  8192,
    "MemoryGB":  8,
    "Version":  7,
    "GuestId":  "other26xLinux64Guest"
}
"""


def manager_configs(got):
    return [row for row in got.values("vm-config", "vm", "memsize", "numvcpus", "role") if row[3] == "nsx-manager"]


@pytest.mark.parametrize("shape, content, name", [
    (".vmx", SAMPLES / "vShield Manager.vmx", None),
    ("vim-cmd get.summary + get.config", VIM_CMD, None),
    ("Get-VM | Format-List, UTF-16", POWERCLI_UTF16, None),
    ("Get-VM table, German decimals", GET_VM_TABLE, "vms.txt"),
    ("Get-VM | Export-Csv -UseCulture", GET_VM_CSV, "vms.csv"),
    ("Get-VM | ConvertTo-Json", GET_VM_JSON, "vm.json"),
])
def test_every_shape_of_the_managers_vm_gives_the_same_memory_and_role(read, shape, content, name):
    got = read(content, **({"name": name} if name else {}))
    assert set(manager_configs(got)) == {MANAGER}, shape


def test_get_vm_table_names_vcenter_too(read):
    got = read(GET_VM_TABLE, name="vms.txt")
    assert got.rows("vm-config", "vm", "memsize", "role", "source") == [
        (5, "vcsa01", 16384, "vcenter", "powercli"), (6, "vShield Manager", 8192, "nsx-manager", "powercli")]


def test_notes_of_the_manager_give_its_version(read):
    got = read(GET_VM_CSV, name="vms.csv")
    assert got.values("nsx-version", "product", "version", "build_number", "source") == [
        ("vcns", "5.5.4", "3029540", "powercli")]
    assert got.values("vm-config", "annotation", "hw_version", "guest_os") == [
        ("vCloud Networking and Security Manager 5.5.4 build 3029540\nOwner: network team", "7", "other26xLinux64Guest")]


def test_vim_cmd_summary_and_config_give_the_vm_its_adapter_and_version(read):
    got = read(VIM_CMD)
    assert got.parsers() == [("vim-cmd vmsvc/get.summary 12", "nsx-vms", "parsed"),
                             ("vim-cmd vmsvc/get.config 12", "nsx-vms", "parsed")]
    assert got.values("vm-config", "vm", "file", "memsize", "hw_version", "source") == [
        ("vShield Manager", "vShield Manager", 8192, "", "vim-cmd"),
        ("vShield Manager", "vShield Manager", 8192, "7", "vim-cmd")]
    assert got.rows("vm-inventory", "vmid", "vm", "datastore", "file", "role") == [
        (5, "12", "vShield Manager", "ds-mgmt", "vShield Manager/vShield Manager.vmx", "nsx-manager")]
    [nic] = [f for f in got.facts if f.type == "vm-nic-config"]
    assert (nic.slots["adapter"], nic.slots["device"], nic.slots["network"]) == (
        "Network adapter 1", "e1000", "Management Network")
    assert nic.text.strip() == 'label = "Network adapter 1",'
    assert {v[0] for v in got.values("nsx-version", "version")} == {"5.5.4"}


def test_vim_cmd_devices_other_than_network_adapters_are_not_adapters(read):
    got = read(VIM_CMD)
    assert len(got.rows("vm-nic-config")) == 1  # IDE, SCSI and the disk are no adapters


def test_powercli_adapter_takes_its_vm_from_the_command_line(read):
    got = read(POWERCLI_UTF16)
    assert got.rows("vm-nic-config", "vm", "adapter", "device", "network", "role") == [
        (18, "vShield Manager", "Network adapter 1", "e1000", "", "nsx-manager")]  # a cut name is no name


def test_powercli_adapter_of_several_vms_needs_its_parent(read):
    table = ("PS C:\\> Get-VM vcsa01, \"vShield Manager\" | Get-NetworkAdapter\n\n"
             "Name                 Type       NetworkName  MacAddress         WakeOnLan\n"
             "                                                                  Enabled\n"
             "----                 ----       -----------  ----------         ---------\n"
             "Network adapter 1    Vmxnet3    VM Network   00:50:56:aa:10:07       True\n"
             "Network adapter 1    e1000      VM Network   00:50:56:aa:10:01       True\n\n")
    assert read(table).rows("vm-nic-config") == []  # which row is whose is not known
    listed = ("PS C:\\> Get-VM vcsa01, \"vShield Manager\" | Get-NetworkAdapter | fl Parent, Name, Type, NetworkName\n\n"
              "Parent      : vcsa01\nName        : Network adapter 1\nType        : Vmxnet3\nNetworkName : VM Network\n\n"
              "Parent      : vShield Manager\nName        : Network adapter 1\nType        : Flexible\n"
              "NetworkName : VM Network\n\n")
    assert read(listed).values("vm-nic-config", "vm", "device", "role") == [
        ("vcsa01", "vmxnet3", "vcenter"), ("vShield Manager", "vlance", "nsx-manager")]


def test_getallvms_names_vms_and_their_roles(read):
    got = read(SAMPLES / "vim-cmd-snapshots.txt")
    assert got.rows("vm-inventory", "vmid", "vm", "datastore", "file", "role") == [
        (3, "7", "vcsa01", "ds-mgmt", "vcsa01/vcsa01.vmx", "vcenter"),
        (4, "12", "vShield Manager", "ds-mgmt", "vShield Manager/vShield Manager.vmx", "nsx-manager"),
        (5, "15", "dc01", "ds-mgmt", "dc01/dc01.vmx", ""),
    ]
    assert got.hosts("vm-inventory") == {"esx-mgmt-01"}  # the prompt's


def test_getallvms_rows_out_of_line_with_the_header_and_a_multi_line_annotation(read):
    session = next((VARIANTS / "snapshots-vim-cmd-esxi55-session").rglob("*.txt"))
    got = read(session)
    assert got.rows("vm-inventory", "vmid", "vm", "file", "guest_os", "version", "annotation") == [
        (3, "3", "dc01", "dc01/dc01.vmx", "windows8Server64Guest", "vmx-10", ""),
        (4, "7", "vcsa01", "vcsa01/vcsa01.vmx", "sles11_64Guest", "vmx-10", "VMware vCenter Server Appliance"),
        (5, "12", "vShield Manager", "vShield Manager/vShield Manager.vmx", "other26xLinux64Guest", "vmx-07",
         "vCloud Networking and Security Manager 5.5.4 build 3029540"),
    ]  # the annotation's other lines are not VMs


def test_getallvms_without_its_command_is_known_by_its_header(read):
    text = "".join((SAMPLES / "vim-cmd-snapshots.txt").read_text().splitlines(True)[1:5])
    assert [r[1] for r in read(text).rows("vm-inventory", "vm")] == ["vcsa01", "vShield Manager", "dc01"]

"""Virtual switches in every shape the tools print them, and what an (empty) switch list proves."""

import pytest

from hakb import Head
from hakb.plugins.nsx import vswitch
from bundles import FACTS, samples

SAMPLES = samples("nsx")
SWITCHES = [("vSwitch0", "standard", 1500, ["vmnic1", "vmnic0"]), ("vSwitch1", "standard", 1500, ["vmnic3", "vmnic2"])]
PORTGROUPS = [(["VM Network", "Management Network"],), (["vMotion", "NFS"],)]

# esx-comp-03's two standard switches, as each tool and format prints them (written from the
# tools' documented output formats; synthetic values).
ESXCLI_CSV = """\
[root@esx-comp-03:~] esxcli --formatter=csv network vswitch standard list
BeaconEnabled,BeaconInterval,BeaconRequiredBy,BeaconThreshold,CDPStatus,Class,ConfiguredPorts,MTU,Name,NumPorts,Portgroups,Uplinks,UsedPorts,
false,1,,3,listen,cswitch,128,1500,vSwitch0,4352,"VM Network,Management Network","vmnic1,vmnic0",6,
false,1,,3,listen,cswitch,128,1500,vSwitch1,4352,"vMotion,NFS","vmnic3,vmnic2",4,
"""
ESXCLI_KEYVALUE = "[root@esx-comp-03:~] esxcli --formatter=keyvalue network vswitch standard list\n" + "".join(
    f"VirtualSwitch.BeaconEnabled.boolean=false\nVirtualSwitch.Class.string=cswitch\n"
    f"VirtualSwitch.MTU.integer=1500\nVirtualSwitch.Name.string={name}\nVirtualSwitch.NumPorts.integer=4352\n"
    f"VirtualSwitch.Portgroups.string[]={groups}\nVirtualSwitch.Uplinks.string[]={uplinks}\n"
    for name, groups, uplinks in (("vSwitch0", "VM Network,Management Network", "vmnic1,vmnic0"),
                                  ("vSwitch1", "vMotion,NFS", "vmnic3,vmnic2")))
ESXCLI_JSON = """\
[root@esx-comp-03:~] esxcli --formatter=json network vswitch standard list
[{"BeaconEnabled": false, "BeaconInterval": 1, "BeaconRequiredBy": [], "BeaconThreshold": 3, "CDPStatus": "listen", "Class": "cswitch", "ConfiguredPorts": 128, "MTU": 1500, "Name": "vSwitch0", "NumPorts": 4352, "Portgroups": ["VM Network", "Management Network"], "Uplinks": ["vmnic1", "vmnic0"], "UsedPorts": 6}, {"BeaconEnabled": false, "BeaconInterval": 1, "BeaconRequiredBy": [], "BeaconThreshold": 3, "CDPStatus": "listen", "Class": "cswitch", "ConfiguredPorts": 128, "MTU": 1500, "Name": "vSwitch1", "NumPorts": 4352, "Portgroups": ["vMotion", "NFS"], "Uplinks": ["vmnic3", "vmnic2"], "UsedPorts": 4}]
"""
POWERCLI_LIST = """\
PS C:\\> Get-VMHost esx-comp-03.lab.example | Get-VirtualSwitch -Standard | Format-List


Name              : vSwitch0
Id                : key-vim.host.VirtualSwitch-vSwitch0
Key               : key-vim.host.VirtualSwitch-vSwitch0
NumPorts          : 4352
NumPortsAvailable : 4346
Mtu               : 1500
Nic               : {vmnic1, vmnic0}
VMHostId          : HostSystem-host-33
VMHost            : esx-comp-03.lab.example

Name              : vSwitch1
Id                : key-vim.host.VirtualSwitch-vSwitch1
Key               : key-vim.host.VirtualSwitch-vSwitch1
NumPorts          : 4352
NumPortsAvailable : 4348
Mtu               : 1500
Nic               : {vmnic3, vmnic2}
VMHostId          : HostSystem-host-33
VMHost            : esx-comp-03.lab.example

"""
POWERCLI_JSON = """\
[
    {
        "Id":  "key-vim.host.VirtualSwitch-vSwitch0",
        "Name":  "vSwitch0",
        "NumPorts":  4352,
        "Mtu":  1500,
        "Nic":  [
                    "vmnic1",
                    "vmnic0"
                ],
        "VMHostId":  "HostSystem-host-33",
        "VMHost":  {
                       "Name":  "esx-comp-03.lab.example",
                       "ConnectionState":  0
                   }
    },
    {
        "Id":  "key-vim.host.VirtualSwitch-vSwitch1",
        "Name":  "vSwitch1",
        "NumPorts":  4352,
        "Mtu":  1500,
        "Nic":  [
                    "vmnic3",
                    "vmnic2"
                ],
        "VMHostId":  "HostSystem-host-33",
        "VMHost":  {
                       "Name":  "esx-comp-03.lab.example",
                       "ConnectionState":  0
                   }
    }
]
"""


def _clixml_switch(ref, name, uplinks):
    nics = "".join(f"<S>{n}</S>" for n in uplinks)
    return f"""  <Obj RefId="{ref}">
    <TN RefId="{ref}"><T>VMware.VimAutomation.ViCore.Impl.V1.Host.Networking.VirtualSwitchImpl</T><T>System.Object</T></TN>
    <ToString>{name}</ToString>
    <Props>
      <S N="Name">{name}</S>
      <I32 N="NumPorts">4352</I32>
      <I32 N="Mtu">1500</I32>
      <Obj N="Nic" RefId="{ref}1"><TN RefId="{ref}1"><T>System.String[]</T><T>System.Array</T></TN><LST>{nics}</LST></Obj>
      <Obj N="VMHost" RefId="{ref}2"><TN RefId="{ref}2"><T>VMware.VimAutomation.ViCore.Impl.V1.Inventory.VMHostImpl</T></TN>
        <ToString>esx-comp-03.lab.example</ToString></Obj>
    </Props>
  </Obj>
"""


POWERCLI_CLIXML = ('<Objs Version="1.1.0.1" xmlns="http://schemas.microsoft.com/powershell/2004/04">\n'
                   + _clixml_switch(1, "vSwitch0", ["vmnic1", "vmnic0"])
                   + _clixml_switch(3, "vSwitch1", ["vmnic3", "vmnic2"]) + "</Objs>\n")
XML_VARIANT = FACTS / "nsx/variants/nsx-upgrade-blockers/switches-esxcli-xml"


@pytest.mark.parametrize("shape, content", [
    ("esxcli default", SAMPLES / "esxcli-vswitch-standard-list.txt"),
    ("esxcli xml", next(XML_VARIANT.rglob("*.xml"))),
    ("esxcli csv", ESXCLI_CSV),
    ("esxcli keyvalue", ESXCLI_KEYVALUE),
    ("esxcli json", ESXCLI_JSON),
])
def test_every_esxcli_shape_of_the_standard_list_gives_the_same_switches(read, shape, content):
    got = read(content)
    assert got.values("vswitch", "name", "kind", "mtu", "uplinks") == SWITCHES, shape
    assert got.values("vswitch", "portgroups") == PORTGROUPS, shape
    assert got.values("vswitch-listing", "kind", "count", "source") == [("standard", 2, "esxcli")], shape


@pytest.mark.parametrize("shape, content, name", [
    ("Format-List", POWERCLI_LIST, "switches.txt"),
    ("ConvertTo-Json", POWERCLI_JSON, "switches.json"),
    ("Export-Clixml", POWERCLI_CLIXML, "switches.xml"),
])
def test_every_powercli_shape_of_get_virtualswitch_gives_the_same_switches(read, shape, content, name):
    got = read(content, name=name)
    assert got.values("vswitch", "name", "kind", "mtu", "uplinks", "source") == [s + ("powercli",) for s in SWITCHES]
    assert got.hosts("vswitch") == {"esx-comp-03.lab.example"}, shape  # the VMHost property
    assert got.values("vswitch-listing", "kind", "count") == [("standard", 2)], shape


def test_export_csv_writes_uplinks_as_a_type_name_which_is_no_uplink(read):
    csv = next((FACTS / "nsx/variants/nsx-upgrade-blockers/switches-powercli-export-csv").rglob("*.csv"))
    got = read(csv)
    assert got.values("vswitch", "name", "kind", "mtu", "uplinks") == [
        ("vSwitch0", "standard", 1500, []), ("vSwitch1", "standard", 1500, [])]
    assert got.rows("vswitch-listing", "kind", "count") == [(3, "standard", 2)]


def test_esxcfg_vswitch_lists_both_kinds_and_skips_port_groups(read):
    got = read(SAMPLES / "esxcfg-vswitch-l.txt")
    assert got.rows("vswitch", "name", "kind", "mtu", "uplinks", "source") == [
        (3, "vSwitch0", "standard", 1500, ["vmnic0", "vmnic1"], "esxcfg-vswitch"),
        (10, "dvs-compute", "dvs", 1600, ["vmnic3", "vmnic2"], "esxcfg-vswitch"),
    ]
    assert got.rows("vswitch-listing", "kind", "count") == [(1, "standard", 1), (1, "dvs", 1)]


def test_esxcfg_vswitch_without_a_dvs_table_proves_there_is_none(read):
    got = read("~ # esxcfg-vswitch -l\n"
               "Switch Name      Num Ports   Used Ports  Configured Ports  MTU     Uplinks\n"
               "vSwitch0         4352        6           128               1500    vmnic0\n")
    assert got.rows("vswitch-listing", "kind", "count") == [(1, "standard", 1), (1, "dvs", 0)]


def test_an_empty_dvs_list_after_its_command_proves_there_is_no_dvs(read):
    got = read(SAMPLES / "esxcli-vswitch-dvs-list-empty.txt")
    assert got.rows("vswitch-listing", "kind", "count", "source") == [(1, "dvs", 0, "esxcli")]
    assert [f.type for f in got.facts] == ["vswitch-listing"]
    assert got.hosts("vswitch-listing") == {"esx-comp-03"}  # the prompt's


def test_an_empty_esxcli_xml_document_is_an_empty_list(read):
    got = read('[root@esx-comp-03:~] esxcli --formatter=xml network vswitch dvs vmware list\n'
               '<?xml version="1.0" encoding="utf-8"?>\n'
               '<output xmlns="http://www.vmware.com/Products/ESX/5.0/esxcli">\n<root>\n'
               '   <list type="structure">\n   </list>\n</root>\n</output>\n')
    assert got.rows("vswitch-listing", "kind", "count") == [(1, "dvs", 0)]


def test_an_error_after_the_dvs_list_command_is_an_error_not_an_empty_list(read):
    got = read("[root@esx-comp-03:~] esxcli network vswitch dvs vmware list\n"
               "Error: Unknown command or namespace network vswitch dvs vmware list\n")
    assert got.result.status == "error"
    assert "line 1" in got.result.message and "shows no switch" in got.result.message
    assert got.facts == []


def test_a_dvs_block_without_command_counts_only_what_it_shows(read):
    got = read(SAMPLES / "esxcli-vswitch-dvs-list.txt")
    assert got.rows("vswitch", "name", "kind", "mtu", "uplinks") == [(2, "dvs-compute", "dvs", 1600, ["vmnic3", "vmnic2"])]
    assert got.rows("vswitch-listing", "kind", "count") == [(2, "dvs", 1)]  # no claim about standard ones


def test_the_vxlan_list_proves_a_dvs_but_its_absence_proves_nothing(read):
    got = read("[root@esx-comp-01:~] esxcli network vswitch dvs vmware vxlan list\n"
               "VDS ID                                           VDS Name     MTU   Segment ID  Gateway IP  "
               "Gateway MAC        Network Count  Vmknic Count\n"
               "-----------------------------------------------  -----------  ----  ----------  ----------  "
               "-----------------  -------------  ------------\n"
               "50 1a 2b 3c 4d 5e 6f 70-81 92 a3 b4 c5 d6 e7 f8  dvs-compute  1600  192.0.2.0   192.0.2.1   "
               "00:00:0c:9f:f0:01              2             1\n")
    assert got.rows("vswitch", "name", "kind", "mtu") == [(4, "dvs-compute", "dvs", 1600)]
    assert got.rows("vswitch-listing", "kind", "count") == [(1, "dvs", 1)]
    empty = read("[root@esx-comp-03:~] esxcli network vswitch dvs vmware vxlan list\n[root@esx-comp-03:~] exit\n")
    assert empty.rows("vswitch-listing") == []


def test_get_vdswitch_for_one_host(read):
    got = read("PS C:\\> Get-VDSwitch -VMHost esx-comp-01.lab.example\n\n"
               "Name                           NumPorts   Mtu   Version  Vendor\n"
               "----                           --------   ---   -------  ------\n"
               "dvs-compute                    512        1600  5.5.0    VMware\n\n")
    assert got.rows("vswitch", "name", "kind", "mtu", "source") == [(5, "dvs-compute", "dvs", 1600, "powercli")]
    assert got.hosts("vswitch") == {"esx-comp-01.lab.example"}  # the command's -VMHost
    assert got.rows("vswitch-listing", "kind", "count") == [(1, "dvs", 1)]


def test_get_vdswitch_printing_nothing_for_a_host_proves_it_has_no_dvs(read):
    got = read("PS C:\\> Get-VMHost esx-comp-03.lab.example | Get-VDSwitch\nPS C:\\> exit\n")
    assert got.rows("vswitch-listing", "kind", "count", "source") == [(1, "dvs", 0, "powercli")]
    assert got.hosts("vswitch-listing") == {"esx-comp-03.lab.example"}


def test_get_vdswitch_of_the_whole_vcenter_proves_nothing_about_a_host(read):
    got = read("PS C:\\> Get-VDSwitch\nPS C:\\> exit\n")
    assert got.rows("vswitch-listing", "kind", "count") == []


def test_get_virtualswitch_table_does_not_say_which_kind_a_switch_is(read):
    got = read("PS C:\\> Get-VirtualSwitch -VMHost esx-comp-03.lab.example\n\n"
               "Name                           NumPorts   Mtu   Notes\n"
               "----                           --------   ---   -----\n"
               "vSwitch0                       4352       1500\n"
               "dvs-compute                    512        1600\n\n")
    assert got.rows("vswitch", "name") == []
    assert got.result.status == "error"  # the command's objects could not be told apart: said, not skipped
    assert "does not say which switch is standard" in got.result.message


def test_get_virtualswitch_standard_table_is_standard(read):
    got = read("PS C:\\> Get-VirtualSwitch -VMHost esx-comp-03.lab.example -Standard\n\n"
               "Name                           NumPorts   Mtu   Notes\n"
               "----                           --------   ---   -----\n"
               "vSwitch0                       4352       1500\n\n")
    assert got.rows("vswitch", "name", "kind", "mtu", "uplinks") == [(5, "vSwitch0", "standard", 1500, [])]
    assert got.hosts("vswitch") == {"esx-comp-03.lab.example"}


def test_vmkernel_adapters_are_no_switches(read):
    got = read("Name      : vmk0\nMac       : 00:50:56:6a:01:00\nMtu       : 1500\nVMHostId  : HostSystem-host-31\n"
               "VMHost    : esx-comp-01.lab.example\n", name="adapters.txt")
    assert got.rows("vswitch") == [] and got.rows("vswitch-listing") == []


def test_other_esxcli_vswitch_commands_are_not_switch_lists(read):
    text = ("[root@esx-comp-03:~] esxcli network vswitch standard portgroup list\n"
            "Name        Virtual Switch  Active Clients  VLAN ID\n"
            "----------  --------------  --------------  -------\n"
            "VM Network  vSwitch0                     1        0\n")
    assert vswitch.PARSERS[0].recognise(Head("pg.txt", text, command=text.splitlines()[0].split("] ", 1)[1])) == 0
    assert read(text).rows("vswitch") == [] and read(text).rows("vswitch-listing") == []


def test_a_table_after_a_damaged_prompt_does_not_raise(read):
    """Found by fuzzing: a damaged prompt line left a listing without the row's kind (KeyError)."""
    got = read("~\x01# esxcli network vswitch dvs vmware list\n"
               "Switch Name      Num Ports   Used Ports  Configured Ports  MTU     Uplinks\n"
               "vSwitch0         1536        4           128               1500    vmnic0\n", name="vswitch.txt")
    assert got.result.status in ("parsed", "skipped")  # no parser failure
    assert got.values("vswitch", "name", "kind") in ([], [("vSwitch0", "standard")])


@pytest.mark.parametrize("command, complete", [
    ("esxcli network vswitch standard list", {"standard"}),
    ("localcli --formatter csv network vswitch dvs vmware list", {"dvs"}),
    ("esxcfg-vswitch -l", {"standard", "dvs"}),
    ("Get-VirtualSwitch -VMHost esx01 -Distributed", {"dvs"}),
    ("Get-VMHost | Get-VirtualSwitch", {"standard"}),
])
def test_which_kinds_a_command_lists_completely(command, complete):
    assert set(vswitch.listing_of(command).complete) == complete


@pytest.mark.parametrize("command", ["esxcli network vswitch standard portgroup list", "esxcfg-vswitch -a vSwitch2",
                                     "esxcli network nic list", "Get-VMHost"])
def test_commands_that_are_no_switch_list(command):
    assert vswitch.listing_of(command) is None

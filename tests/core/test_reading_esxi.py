"""hakb.reading.esxi: esxcli --formatter=keyvalue and vim-cmd (VMODL) data-object dumps.

Inputs are synthetic, laid out as esxcli's key-value formatter and vim-cmd print them.
"""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hakb.reading import esxi


def numbered(text: str) -> list[tuple[int, str]]:
    return list(enumerate(text.split("\n"), start=1))


NIC_KEYVALUE = """\
PhysicalNic.AdminStatus.string=Up
PhysicalNic.Description.string=Intel(R) Ethernet Controller X710 for 10GbE SFP+
PhysicalNic.Driver.string=i40en
PhysicalNic.Duplex.string=Full
PhysicalNic.Link.string=Up
PhysicalNic.MACAddress.string=00:11:22:33:44:55
PhysicalNic.MTU.integer=9000
PhysicalNic.Name.string=vmnic0
PhysicalNic.Speed.integer=10000
PhysicalNic.AdminStatus.string=Up
PhysicalNic.Description.string=Intel(R) Ethernet Controller X710 for 10GbE SFP+
PhysicalNic.Driver.string=i40en
PhysicalNic.Duplex.string=Half
PhysicalNic.Link.string=Down
PhysicalNic.MACAddress.string=00:11:22:33:44:56
PhysicalNic.MTU.integer=1500
PhysicalNic.Name.string=vmnic1
PhysicalNic.Speed.integer=0"""


def test_keyvalue_a_repeated_field_starts_the_next_record():
    rows = list(esxi.read_keyvalue(numbered(NIC_KEYVALUE)))
    assert [(r.type_name, r.get("Name"), r.line("Name")) for r in rows] == [
        ("PhysicalNic", "vmnic0", 8), ("PhysicalNic", "vmnic1", 17)]
    assert rows[1].get("MACAddress") == "00:11:22:33:44:56" and rows[1].line("MACAddress") == 15
    assert rows[0].text("MTU") == "PhysicalNic.MTU.integer=9000"
    assert rows[0].shape == "keyvalue" and rows[1].first_line == 10


def test_keyvalue_lists_nesting_and_structure_indexes():
    text = ("structure[0].VirtualSwitch.Name.string=vSwitch0\n"
            "structure[0].VirtualSwitch.BeaconEnabled.boolean=false\n"
            "structure[0].VirtualSwitch.Portgroups.string[]=VM Network,Management Network\n"
            "structure[0].VirtualSwitch.Uplinks.string[0]=vmnic0\n"
            "structure[0].VirtualSwitch.Uplinks.string[1]=vmnic1\n"
            "structure[0].VirtualSwitch.Teaming.Policy.string=portid\n"
            "structure[1].VirtualSwitch.Name.string=vSwitch1\n"
            "structure[1].VirtualSwitch.Uplinks.string[]=\n")
    first, second = esxi.read_keyvalue(numbered(text))
    assert first.values("Portgroups") == ["VM Network", "Management Network"] and first.line("Portgroups") == 3
    assert first.values("Uplinks") == ["vmnic0", "vmnic1"] and first.line("Uplinks") == 4
    assert first.get("Uplinks") == "vmnic0, vmnic1"
    assert first.get("BeaconEnabled") == "false"
    assert (first.get("Teaming.Policy"), first.line("Teaming.Policy")) == ("portid", 6)
    assert (second.get("Name"), second.line("Name"), second.values("Uplinks")) == ("vSwitch1", 7, [])


def test_keyvalue_structure_change_and_bare_fields():
    text = "VersionGet.Version.string=7.0.3\nVersionGet.Build.string=Releasebuild-21930508\nHostname.string=esx01"
    version, bare = esxi.read_keyvalue(numbered(text))
    assert (version.type_name, version.get("Build")) == ("VersionGet", "Releasebuild-21930508")
    assert (bare.type_name, bare.get("Hostname"), bare.line("Hostname")) == ("", "esx01", 3)


def test_keyvalue_bom_and_crlf_remnants():
    text = "\ufeffPhysicalNic.Name.string=vmnic0\r\nPhysicalNic.Driver.string=ntg3\r\n"
    (record,) = esxi.read_keyvalue(numbered(text))
    assert record.items() == [("Name", "vmnic0"), ("Driver", "ntg3")]
    assert record.text("Driver") == "PhysicalNic.Driver.string=ntg3"


def test_keyvalue_empty_and_malformed():
    assert list(esxi.read_keyvalue([])) == []
    assert list(esxi.read_keyvalue(numbered("\n\n"))) == []
    with pytest.raises(ValueError, match="line 2: not an esxcli key-value line"):
        list(esxi.read_keyvalue(numbered("PhysicalNic.Name.string=vmnic0\nName: vmnic1")))


@pytest.mark.parametrize("head,expected", [
    (NIC_KEYVALUE.splitlines()[:2], True),
    (["structure[0].VirtualSwitch.Name.string=vSwitch0"], True),
    (["Name=vmnic0"], False),
    (["   Name: vmnic0"], False),
    (["ethernet0.present = \"TRUE\""], False),
    ([], False),
])
def test_looks_like_keyvalue(head, expected):
    assert esxi.looks_like_keyvalue(head) is expected


SUMMARY = """\
Listsummary:
(vim.vm.Summary) {
   vm = 'vim.VirtualMachine:12',
   runtime = (vim.vm.RuntimeInfo) {
      device = (vim.vm.DeviceRuntimeInfo) [
         (vim.vm.DeviceRuntimeInfo) {
            runtimeState = (vim.vm.DeviceRuntimeInfo.VirtualEthernetCardRuntimeState) {
               vmDirectPathGen2Active = false,
               vmDirectPathGen2InactiveReasonVm = (string) [
                  "vmNptIncompatibleAdapterType"
               ],
               vmDirectPathGen2InactiveReasonOther = (string) [
                  "vmNptIncompatibleHost",
                  "vmNptDisabledOrDisconnectedAdapter"
               ],
               reservationStatus = <unset>,
            },
            key = 4000,
         }
      ],
      host = 'vim.HostSystem:ha-host',
      connectionState = "connected",
      powerState = "poweredOn",
      faultToleranceState = "notConfigured",
      dasVmProtection = (vim.vm.Runtime.DasProtectionState) null,
      bootTime = "2026-11-20T09:14:05.123456Z",
      maxCpuUsage = 4788,
      consolidationNeeded = true,
   },
   config = (vim.vm.Summary.ConfigSummary) {
      name = "app01",
      template = false,
      vmPathName = "[ds01] app01/app01.vmx",
      annotation = "owner: \\"ops\\"",
      memorySizeMB = 4096,
   },
   customValue = (vim.CustomFieldsManager.Value) [],
   overallStatus = "green",
}"""


def test_vmodl_summary_flattens_with_lines():
    (record,) = esxi.read_vmodl(numbered(SUMMARY))
    assert (record.shape, record.type_name) == ("vmodl", "vim.vm.Summary")
    assert (record.get("runtime.powerState"), record.line("runtime.powerState")) == ("poweredOn", 23)
    assert record.text("runtime.powerState") == '      powerState = "poweredOn",'
    assert (record.get("runtime.host"), record.get("vm")) == ("vim.HostSystem:ha-host", "vim.VirtualMachine:12")
    assert record.get("runtime.consolidationNeeded") == "true" and record.get("runtime.maxCpuUsage") == "4788"
    assert record.get("runtime.dasVmProtection") == "" and "runtime.dasVmProtection" in record
    assert (record.get("config.name"), record.line("config.name")) == ("app01", 31)
    assert record.get("config") == "app01"  # a nested object's own value is its name member
    assert record.get("runtime") == "vim.vm.RuntimeInfo"  # ... else its type
    assert record.get("config.vmPathName") == "[ds01] app01/app01.vmx"
    assert record.get("config.annotation") == 'owner: "ops"'
    assert (record.get("overallStatus"), record.line("overallStatus")) == ("green", 38)


def test_vmodl_arrays_give_items_and_indexed_members():
    (record,) = esxi.read_vmodl(numbered(SUMMARY))
    reasons = "runtime.device[0].runtimeState.vmDirectPathGen2InactiveReasonOther"
    assert record.values(reasons) == ["vmNptIncompatibleHost", "vmNptDisabledOrDisconnectedAdapter"]
    assert record.line(reasons) == 12
    assert (record.get("runtime.device[0].key"), record.line("runtime.device[0].key")) == ("4000", 18)
    assert record.get("runtime.device[0].runtimeState.reservationStatus") == ""
    assert record.values("customValue") == [] and record.line("customValue") == 37


def test_vmodl_top_level_array_gives_one_record_per_object():
    text = """\
(vim.Datastore.Summary) [
   (vim.Datastore.Summary) {
      datastore = 'vim.Datastore:5a1b2c3d-1a2b3c4d-5e6f-001122334455',
      name = "ds01",
      capacity = 1099511627776,
      freeSpace = 0,
      accessible = true,
   },
   (vim.Datastore.Summary) {
      name = "ds02",
      accessible = false,
   }
]"""
    rows = list(esxi.read_vmodl(numbered(text)))
    assert [(r.type_name, r.get("name"), r.line("name")) for r in rows] == [
        ("vim.Datastore.Summary", "ds01", 4), ("vim.Datastore.Summary", "ds02", 10)]
    assert rows[0].get("datastore") == "vim.Datastore:5a1b2c3d-1a2b3c4d-5e6f-001122334455"
    assert rows[0].get("capacity") == "1099511627776"


def test_vmodl_string_spanning_lines_and_several_objects():
    text = '(vim.A) {\n   note = "first\nsecond",\n   after = 1,\n}\n(vim.B) {\n   name = "b",\n}'
    first, second = esxi.read_vmodl(numbered(text))
    assert (first.get("note"), first.line("note"), first.line("after")) == ("first\nsecond", 2, 4)
    assert (second.type_name, second.get("name"), second.line("name")) == ("vim.B", "b", 7)


def test_vmodl_bom_and_crlf_remnants():
    text = '\ufeff(vim.host.Summary) {\r\n   host = \'vim.HostSystem:ha-host\',\r\n   overallStatus = "green"\r\n}\r'
    (record,) = esxi.read_vmodl(numbered(text))
    assert record.get("overallStatus") == "green" and record.text("overallStatus") == '   overallStatus = "green"'


def test_vmodl_empty_and_text_without_objects():
    assert list(esxi.read_vmodl([])) == []
    assert list(esxi.read_vmodl(numbered("Listsummary:\n\n"))) == []


@pytest.mark.parametrize("text,message", [
    ("(vim.vm.Summary) {\n   name = \"app01\",\n", "ends inside an object"),
    ("(vim.vm.Summary) {\n   name \"app01\",\n}", "line 2: expected '='"),
    ("(vim.vm.Summary) {\n   name = \"app01,\n}", "line 2: string not closed"),
    ("(vim.vm.Summary) {\n   name = ],\n}", "line 2: unexpected ']'"),
    ("(vim.A) {\n   = 1\n}", "line 2: expected a property name"),
    ("(vim.A) {" + " a = (vim.B) {" * 150 + "}" * 151, "nested"),
])
def test_vmodl_malformed_raises_value_error(text, message):
    with pytest.raises(ValueError, match=message):
        list(esxi.read_vmodl(numbered(text)))


@pytest.mark.parametrize("head,expected", [
    (SUMMARY.splitlines()[:3], True),
    (["(vim.Datastore.Summary) ["], True),
    (["{"], False),
    (["Vmid   Name    File"], False),
    ([], False),
])
def test_looks_like_vmodl(head, expected):
    assert esxi.looks_like_vmodl(head) is expected


@settings(max_examples=150, deadline=None)
@given(st.lists(st.text(alphabet="(){}[],= \"'a.\\<unset>\r\ufeff", max_size=30), max_size=8))
def test_any_vmodl_input_reads_or_raises_value_error(lines):
    try:
        for record in esxi.read_vmodl(list(enumerate(lines, start=1))):
            assert record.first_line >= 1
    except ValueError as exc:
        assert str(exc)


@settings(max_examples=100, deadline=None)
@given(st.lists(st.text(alphabet="abS.[]0=,\r\ufeff", max_size=30).map(lambda s: s + ".string=x"), max_size=8))
def test_any_keyvalue_input_reads_or_raises_value_error(lines):
    try:
        for record in esxi.read_keyvalue(list(enumerate(lines, start=1))):
            assert record.first_line >= 1
    except ValueError as exc:
        assert str(exc)

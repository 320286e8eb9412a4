"""hakb.reading.xml: Export-Clixml and esxcli --formatter=xml as records, read safely.

Inputs are synthetic, written after the Clixml layout PowerShell's serializer produces (``<Objs>``,
``<Obj RefId>``, ``<TN>``/``<TNRef>``, ``<Props>``/``<MS>``) and esxcli's XML formatter output.
"""

import io

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hakb.reading import xml as reader
from hakb.textio import iter_stream


def numbered(text: str) -> list[tuple[int, str]]:
    return list(enumerate(text.split("\n"), start=1))


# Get-ClusterResource "SQL IP Address 1 (sqlag-lsnr)" | Get-ClusterParameter | Export-Clixml (abridged)
CLUSTER_PARAMETERS = """\
<Objs Version="1.1.0.1" xmlns="http://schemas.microsoft.com/powershell/2004/04">
  <Obj RefId="0">
    <TN RefId="0">
      <T>Microsoft.FailoverClusters.PowerShell.ClusterParameter</T>
      <T>System.Object</T>
    </TN>
    <ToString>Microsoft.FailoverClusters.PowerShell.ClusterParameter</ToString>
    <Props>
      <Obj N="ClusterObject" RefId="1">
        <TN RefId="1">
          <T>Microsoft.FailoverClusters.PowerShell.ClusterResource</T>
          <T>System.Object</T>
        </TN>
        <ToString>SQL IP Address 1 (sqlag-lsnr)</ToString>
        <Props>
          <S N="Name">SQL IP Address 1 (sqlag-lsnr)</S>
          <Obj N="State" RefId="2">
            <TN RefId="2">
              <T>Microsoft.FailoverClusters.PowerShell.ClusterResourceState</T>
              <T>System.Enum</T>
              <T>System.ValueType</T>
              <T>System.Object</T>
            </TN>
            <ToString>Online</ToString>
            <I32>2</I32>
          </Obj>
        </Props>
      </Obj>
      <S N="Name">ProbePort</S>
      <Obj N="Type" RefId="3">
        <TN RefId="3">
          <T>Microsoft.FailoverClusters.PowerShell.ClusterParameterType</T>
          <T>System.Enum</T>
        </TN>
        <ToString>UInt32</ToString>
        <I32>3</I32>
      </Obj>
      <U32 N="Value">0</U32>
      <B N="IsReadOnly">false</B>
      <Nil N="Description" />
    </Props>
  </Obj>
  <Obj RefId="4">
    <TNRef RefId="0" />
    <ToString>Microsoft.FailoverClusters.PowerShell.ClusterParameter</ToString>
    <Props>
      <Ref N="ClusterObject" RefId="1" />
      <S N="Name">Address</S>
      <Obj N="Type" RefId="5">
        <TNRef RefId="3" />
        <ToString>String</ToString>
        <I32>2</I32>
      </Obj>
      <S N="Value">10.0.0.20</S>
      <B N="IsReadOnly">true</B>
    </Props>
  </Obj>
</Objs>"""


def test_clixml_one_record_per_top_level_object():
    first, second = reader.read(numbered(CLUSTER_PARAMETERS))
    assert first.shape == "clixml"
    assert first.type_name == second.type_name == "Microsoft.FailoverClusters.PowerShell.ClusterParameter"
    assert (first.get("Name"), first.line("Name")) == ("ProbePort", 29)
    assert first.text("Name") == '      <S N="Name">ProbePort</S>'
    assert (first.get("Value"), first.line("Value")) == ("0", 38)
    assert (second.get("Value"), second.line("Value")) == ("10.0.0.20", 54)


def test_clixml_primitives_enums_and_nil():
    first, second = reader.read(numbered(CLUSTER_PARAMETERS))
    assert (first.get("IsReadOnly"), second.get("IsReadOnly")) == ("False", "True")
    assert first.get("Description") == "" and "Description" in first
    assert (first.get("Type"), first.line("Type")) == ("UInt32", 30)  # an enum gives its ToString
    assert second.get("Type") == "String"


def test_clixml_nested_objects_flatten_and_refs_resolve():
    first, second = reader.read(numbered(CLUSTER_PARAMETERS))
    assert first.get("ClusterObject") == "SQL IP Address 1 (sqlag-lsnr)"
    assert (first.get("ClusterObject.State"), first.line("ClusterObject.State")) == ("Online", 17)
    assert first.get("ClusterObject.Name") == "SQL IP Address 1 (sqlag-lsnr)"
    assert (second.get("ClusterObject"), second.line("ClusterObject")) == ("SQL IP Address 1 (sqlag-lsnr)", 47)


EXCHANGE_CERTIFICATE = """\
<Objs Version="1.1.0.1" xmlns="http://schemas.microsoft.com/powershell/2004/04">
  <Obj RefId="0">
    <TN RefId="0">
      <T>Deserialized.Microsoft.Exchange.Management.SystemConfigurationTasks.ExchangeCertificate</T>
      <T>Deserialized.System.Object</T>
    </TN>
    <ToString>[Subject]_x000D__x000A_  CN=mail.example.com</ToString>
    <Props>
      <Obj N="CertificateDomains" RefId="1">
        <TN RefId="1">
          <T>Deserialized.Microsoft.Exchange.Data.MultiValuedProperty`1[[Microsoft.Exchange.Data.SmtpDomainWithSubdomains]]</T>
        </TN>
        <LST>
          <S>mail.example.com</S>
          <S>autodiscover.example.com</S>
        </LST>
      </Obj>
      <B N="HasPrivateKey">true</B>
      <DT N="NotAfter">2019-03-14T13:00:00+01:00</DT>
      <G N="Id">6d0a6f24-54f3-4e5c-a7fc-2b0bd0ad1c2a</G>
      <C N="Letter">65</C>
      <S N="Comment">first_x000A_second_x005F_x</S>
      <Obj N="Extensions" RefId="2">
        <TN RefId="2"><T>System.Object[]</T><T>System.Array</T></TN>
        <LST>
          <Obj RefId="3">
            <TN RefId="3"><T>System.Security.Cryptography.Oid</T></TN>
            <ToString>Key Usage</ToString>
            <Props><S N="Value">2.5.29.15</S><S N="FriendlyName">Key Usage</S></Props>
          </Obj>
          <Obj RefId="4">
            <TNRef RefId="3" />
            <Props><S N="Value">2.5.29.37</S><S N="FriendlyName">Enhanced Key Usage</S><S N="Name">eku</S></Props>
          </Obj>
        </LST>
      </Obj>
      <Obj N="Headers" RefId="5">
        <TN RefId="5"><T>System.Collections.Hashtable</T><T>System.Object</T></TN>
        <DCT>
          <En><S N="Key">Server</S><S N="Value">EX01</S></En>
          <En><S N="Key">Port</S><I32 N="Value">443</I32></En>
        </DCT>
      </Obj>
    </Props>
    <MS>
      <S N="PSComputerName">ex01.example.com</S>
    </MS>
  </Obj>
</Objs>"""


def test_clixml_collections_dictionaries_and_member_sets():
    record = next(reader.read(numbered(EXCHANGE_CERTIFICATE)))
    assert record.values("CertificateDomains") == ["mail.example.com", "autodiscover.example.com"]
    assert record.line("CertificateDomains") == 9
    assert record.get("NotAfter") == "2019-03-14T13:00:00+01:00"
    assert record.get("Id") == "6d0a6f24-54f3-4e5c-a7fc-2b0bd0ad1c2a"
    assert record.get("Letter") == "A"
    assert record.get("Comment") == "first\nsecond_x"
    assert record.values("Extensions") == ["Key Usage", "eku"]
    assert (record.get("Extensions[1].FriendlyName"), record.line("Extensions[1].FriendlyName")) == (
        "Enhanced Key Usage", 33)
    assert (record.get("Headers.Server"), record.get("Headers.Port"), record.line("Headers.Port")) == (
        "EX01", "443", 41)
    assert (record.get("PSComputerName"), record.line("PSComputerName")) == ("ex01.example.com", 46)
    assert record.get("HasPrivateKey") == "True"


def test_clixml_utf16_through_the_core_line_reader():
    """Windows PowerShell 5.1 writes Export-Clixml as UTF-16LE with BOM and CRLF."""
    text = CLUSTER_PARAMETERS.replace("ProbePort", "Größe").replace("\n", "\r\n")
    data = b"\xff\xfe" + text.encode("utf-16-le")
    first, _ = reader.read(iter_stream(io.BytesIO(data)))
    assert (first.get("Name"), first.line("Name")) == ("Größe", 29)


def test_bom_crlf_remnants_and_a_declaration_naming_another_encoding():
    text = '\ufeff<?xml version="1.0" encoding="utf-16"?>\r\n' + CLUSTER_PARAMETERS.replace("\n", "\r\n")
    first, second = reader.read(numbered(text))
    assert first.text("Name") == '      <S N="Name">ProbePort</S>'
    assert (first.get("Name"), first.line("Name")) == ("ProbePort", 30)


ESXCLI_NICS = """\
<?xml version="1.0" encoding="utf-8"?>
<output xmlns="http://www.vmware.com/Products/ESX/5.0/esxcli">
<root>
   <list type="structure">
      <structure typeName="PhysicalNic">
         <field name="AdminStatus"><string>Up</string></field>
         <field name="Description"><string>Broadcom Corporation NetXtreme BCM5720 Gigabit Ethernet</string></field>
         <field name="Driver"><string>ntg3</string></field>
         <field name="Link"><string>Up</string></field>
         <field name="MACAddress"><string>00:11:22:33:44:55</string></field>
         <field name="MTU"><integer>1500</integer></field>
         <field name="Name"><string>vmnic0</string></field>
         <field name="Speed"><integer>1000</integer></field>
      </structure>
      <structure typeName="PhysicalNic">
         <field name="AdminStatus"><string>Up</string></field>
         <field name="MACAddress"><string>00:11:22:33:44:56</string></field>
         <field name="Name"><string>vmnic1</string></field>
      </structure>
   </list>
</root>
</output>"""


def test_esxcli_xml_list_of_structures():
    rows = list(reader.read(numbered(ESXCLI_NICS)))
    assert [(r.type_name, r.get("Name"), r.line("Name")) for r in rows] == [
        ("PhysicalNic", "vmnic0", 12), ("PhysicalNic", "vmnic1", 18)]
    assert rows[0].get("MACAddress") == "00:11:22:33:44:55" and rows[0].line("MACAddress") == 10
    assert rows[0].get("MTU") == "1500"
    assert rows[0].text("Driver") == "         <field name=\"Driver\"><string>ntg3</string></field>"
    assert rows[0].shape == "esxcli-xml"


ESXCLI_VSWITCH = """\
<?xml version="1.0" encoding="utf-8"?>
<output xmlns="http://www.vmware.com/Products/ESX/5.0/esxcli">
<root>
<structure typeName="VirtualSwitch">
   <field name="Name"><string>vSwitch0</string></field>
   <field name="BeaconEnabled"><boolean>false</boolean></field>
   <field name="MTU"><integer>1500</integer></field>
   <field name="Portgroups">
      <list type="string">
         <string>VM Network</string>
         <string>Management Network</string>
      </list>
   </field>
   <field name="Uplinks"><list type="string"></list></field>
   <field name="Teaming"><structure typeName="Policy"><field name="Mode"><string>portid</string></field></structure></field>
   <field name="Ports">
      <list type="structure">
         <structure typeName="Port"><field name="Name"><string>p0</string></field><field name="Id"><integer>1</integer></field></structure>
      </list>
   </field>
</structure>
</root>
</output>"""


def test_esxcli_xml_single_structure_lists_and_nesting():
    (record,) = reader.read(numbered(ESXCLI_VSWITCH))
    assert record.type_name == "VirtualSwitch"
    assert record.get("BeaconEnabled") == "false"
    assert record.values("Portgroups") == ["VM Network", "Management Network"]
    assert record.get("Portgroups") == "VM Network, Management Network" and record.line("Portgroups") == 8
    assert record.values("Uplinks") == [] and "Uplinks" in record
    assert (record.get("Teaming.Mode"), record.line("Teaming.Mode")) == ("portid", 15)
    assert record.values("Ports") == ["p0"] and record.get("Ports[0].Id") == "1"


def test_esxcli_scalar_answers_name_nothing():
    text = ('<?xml version="1.0" encoding="utf-8"?>\n<output xmlns="http://www.vmware.com/Products/ESX/5.0/esxcli">\n'
            "<root><boolean>true</boolean></root>\n</output>")
    assert list(reader.read(numbered(text))) == []


def test_several_documents_in_one_section():
    text = ESXCLI_NICS + "\n\n" + ESXCLI_VSWITCH
    assert [r.get("Name") for r in reader.read(numbered(text))] == ["vmnic0", "vmnic1", "vSwitch0"]


def test_records_stream_before_the_input_ends():
    def lines():
        yield from numbered(ESXCLI_NICS)[:15]
        raise AssertionError("read ahead of the first object")
    assert next(reader.read(lines())).get("Name") == "vmnic0"


def test_many_objects_do_not_pile_up():
    objects = "\n".join(f'  <Obj RefId="{i}"><TNRef RefId="0" /><Props><S N="Name">vm{i}</S></Props></Obj>'
                        for i in range(1, 3000))
    text = ('<Objs Version="1.1.0.1" xmlns="http://schemas.microsoft.com/powershell/2004/04">\n'
            '  <Obj RefId="0"><TN RefId="0"><T>X</T></TN><Props><S N="Name">vm0</S></Props></Obj>\n'
            f"{objects}\n</Objs>")
    rows = list(reader.read(numbered(text)))
    assert len(rows) == 3000 and rows[-1].get("Name") == "vm2999" and rows[-1].line("Name") == 3001
    assert rows[-1].type_name == "X"


BOMB = """<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
]>
<Objs><Obj RefId="0"><Props><S N="Name">&lol3;</S></Props></Obj></Objs>"""


@pytest.mark.parametrize("text,message", [
    (BOMB, "line 2: XML DOCTYPE refused"),
    ('<!DOCTYPE Objs SYSTEM "file:///etc/passwd">\n<Objs></Objs>', "DOCTYPE refused"),
    ('<Objs><Obj RefId="0"><Props><S N="Name">&xxe;</S></Props></Obj></Objs>', "line 1: not well-formed XML: undefined entity"),
    ("<Objs>\n  <Obj RefId=\"0\">\n", "not well-formed XML"),
    ("<html>\n<body/></html>", "line 1: XML root <html>"),
    ("Get-Service | Export-Clixml", "line 1: not XML"),
    ('<Objs>\n<Obj RefId="0"></Objs>', "line 2: not well-formed XML: mismatched tag"),
    ("<Objs></Objs> trailing", "junk after document element"),
])
def test_hostile_and_malformed_input_raise_value_error(text, message):
    with pytest.raises(ValueError, match=message):
        list(reader.read(numbered(text)))


def test_depth_and_object_size_are_bounded(monkeypatch):
    deep = "<Objs><Obj RefId=\"0\"><Props>" + '<Obj N="a"><Props>' * 120 + "</Props></Obj>" * 120 + "</Props></Obj></Objs>"
    with pytest.raises(ValueError, match="nested deeper"):
        list(reader.read(numbered(deep)))
    monkeypatch.setattr(reader, "MAX_OBJECT", 200)
    big = '<Objs>\n<Obj RefId="0"><Props>\n' + '<S N="a">xxxxxxxxxx</S>\n' * 40 + "</Props></Obj>\n</Objs>"
    with pytest.raises(ValueError, match="larger than"):
        list(reader.read(numbered(big)))


def test_empty_input_yields_nothing():
    assert list(reader.read([])) == []
    assert list(reader.read(numbered("\n\n"))) == []
    assert list(reader.read(numbered('<Objs Version="1.1.0.1" xmlns="http://schemas.microsoft.com/powershell/2004/04" />'))) == []


@pytest.mark.parametrize("head,expected", [
    (CLUSTER_PARAMETERS.splitlines()[:3], True),
    (ESXCLI_NICS.splitlines()[:3], True),
    (['\ufeff<Objs Version="1.1.0.1" xmlns="http://schemas.microsoft.com/powershell/2004/04">'], True),
    (['<?xml version="1.0"?>', "<configuration>"], False),
    (["Name : Objs"], False),
    ([], False),
])
def test_looks_like(head, expected):
    assert reader.looks_like(head) is expected


@settings(max_examples=150, deadline=None)
@given(st.lists(st.text(alphabet='<>/="ObjsSNPrpT &!x\r\ufeff', max_size=30), max_size=8))
def test_any_input_reads_or_raises_value_error(lines):
    try:
        for record in reader.read(list(enumerate(lines, start=1))):
            assert record.first_line >= 1
    except ValueError as exc:
        assert str(exc)

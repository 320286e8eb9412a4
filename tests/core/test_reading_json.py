"""hakb.reading.json: ConvertTo-Json (5.1 and 7) and esxcli --formatter=json as records.

Inputs are synthetic, laid out as the tools print them: Windows PowerShell 5.1 indents by four
and puts two blanks after the colon, writes dates as ``\\/Date(ms)\\/`` and enums as numbers.
"""

import io

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hakb.reading import json as reader
from hakb.textio import iter_stream


def numbered(text: str) -> list[tuple[int, str]]:
    return list(enumerate(text.split("\n"), start=1))


# Get-ExchangeCertificate | Select Thumbprint,Services,NotAfter,Status,CertificateDomains | ConvertTo-Json
CERTIFICATES_51 = """\
[
    {
        "Thumbprint":  "0123456789ABCDEF0123456789ABCDEF01234567",
        "Services":  6,
        "NotAfter":  "\\/Date(1552568400000)\\/",
        "Status":  0,
        "CertificateDomains":  [
                                   "mail.example.com",
                                   "autodiscover.example.com"
                               ],
        "HasPrivateKey":  true,
        "FriendlyName":  null
    },
    {
        "Thumbprint":  "FEDCBA9876543210FEDCBA9876543210FEDCBA98",
        "Services":  0,
        "NotAfter":  "\\/Date(1552568400123)\\/",
        "Status":  0,
        "CertificateDomains":  [

                               ],
        "HasPrivateKey":  false,
        "FriendlyName":  "Federation"
    }
]"""


def test_array_of_objects_values_and_lines():
    first, second = reader.read(numbered(CERTIFICATES_51))
    assert first.get("Thumbprint") == "0123456789ABCDEF0123456789ABCDEF01234567"
    assert first.line("Thumbprint") == 3 and second.line("Thumbprint") == 15
    assert first.text("Services") == '        "Services":  6,'
    assert (first.get("Services"), first.line("Services")) == ("6", 4)  # enum as number in 5.1
    assert (first.get("HasPrivateKey"), second.get("HasPrivateKey")) == ("True", "False")
    assert first.get("FriendlyName") == "" and second.get("FriendlyName") == "Federation"
    assert first.line("FriendlyName") == 12 and second.line("FriendlyName") == 23
    assert first.shape == "json" and first.first_line == 3


def test_dates_in_51_become_iso_utc():
    first, second = reader.read(numbered(CERTIFICATES_51))
    assert first.get("NotAfter") == "2019-03-14T13:00:00Z"
    assert second.get("NotAfter") == "2019-03-14T13:00:00.123Z"
    assert reader.scalar_text("/Date(1552568400000+0100)/") == "2019-03-14T13:00:00Z"
    assert reader.scalar_text("2019-03-14T14:00:00+01:00") == "2019-03-14T14:00:00+01:00"  # PowerShell 7


def test_lists_give_items():
    first, second = reader.read(numbered(CERTIFICATES_51))
    assert first.values("CertificateDomains") == ["mail.example.com", "autodiscover.example.com"]
    assert first.get("CertificateDomains") == "{mail.example.com, autodiscover.example.com}"
    assert first.line("CertificateDomains") == 7
    assert second.values("CertificateDomains") == [] and second.line("CertificateDomains") == 19


def test_numbers_as_powershell_prints_them():
    record = next(reader.read(numbered('{"A": 4.0, "B": 1.5, "C": -3, "D": 12345678901234567890, "E": 1e3}')))
    assert [record.get(n) for n in "ABCDE"] == ["4", "1.5", "-3", "12345678901234567890", "1000"]


NESTED = """\
{
    "Name":  "SQL IP Address 1 (sqlag-lsnr)",
    "OwnerNode":  {
                      "Name":  "sql01",
                      "State":  0,
                      "Id":  "1"
                  },
    "Parameters":  [
                       {
                           "Name":  "ProbePort",
                           "Value":  0
                       },
                       {
                           "Name":  "Address",
                           "Value":  "10.0.0.20"
                       }
                   ],
    "Cluster":  {
                    "Domain":  "example.com",
                    "Quorum":  {"Type": 3}
                },
    "Group":  "Microsoft.FailoverClusters.PowerShell.ClusterGroup"
}"""


def test_nested_objects_flatten_with_readable_parent_values():
    record = next(reader.read(numbered(NESTED)))
    assert (record.get("OwnerNode"), record.line("OwnerNode")) == ("sql01", 3)
    assert (record.get("OwnerNode.State"), record.line("OwnerNode.State")) == ("0", 5)
    assert record.get("Cluster") == '{"Domain":"example.com","Quorum":{"Type":3}}'
    assert (record.get("Cluster.Quorum.Type"), record.line("Cluster.Quorum.Type")) == ("3", 20)
    # -Depth reached: PowerShell wrote the nested object's ToString; it is kept as text
    assert record.get("Group") == "Microsoft.FailoverClusters.PowerShell.ClusterGroup"
    assert record.line("Group") == 22


def test_lists_of_objects_give_item_names_and_indexed_members():
    record = next(reader.read(numbered(NESTED)))
    assert record.values("Parameters") == ["ProbePort", "Address"]
    assert (record.get("Parameters[0].Value"), record.line("Parameters[0].Value")) == ("0", 11)
    assert (record.get("Parameters[1].Value"), record.line("Parameters[1].Value")) == ("10.0.0.20", 15)


def test_get_date_object_uses_its_value_member():
    text = '{"When": {"value": "\\/Date(0)\\/", "DisplayHint": 2, "DateTime": "Thursday, January 1, 1970 12:00:00 AM"}}'
    record = next(reader.read(numbered(text)))
    assert record.get("When") == "1970-01-01T00:00:00Z"
    assert record.get("When.DisplayHint") == "2"


def test_esxcli_json_one_line():
    text = ('[{"AdminStatus":"Up","Description":"Intel(R) Ethernet Controller X710 for 10GbE SFP+",'
            '"Driver":"i40en","Duplex":"Full","Link":"Up","LinkStatus":"Up","MACAddress":"00:11:22:33:44:55",'
            '"MTU":9000,"Name":"vmnic0","PCIDevice":"0000:3b:00.0","Speed":10000},'
            '{"AdminStatus":"Up","Description":"","Driver":"i40en","Duplex":"Half","Link":"Down",'
            '"LinkStatus":"Down","MACAddress":"00:11:22:33:44:56","MTU":1500,"Name":"vmnic1",'
            '"PCIDevice":"0000:3b:00.1","Speed":0}]')
    rows = list(reader.read([(41, text)]))
    assert [(r.get("Name"), r.get("MTU"), r.line("Speed")) for r in rows] == [
        ("vmnic0", "9000", 41), ("vmnic1", "1500", 41)]


def test_escaped_names_and_strings_that_look_like_names_keep_lines_right():
    text = '{\n  "Note": "a \\"fake\\": key",\n  "Caf\\u00e9": "x",\n  "Last": 1\n}'
    record = next(reader.read(numbered(text)))
    assert record.get("Note") == 'a "fake": key'
    assert (record.get("Café"), record.line("Café")) == ("x", 3)
    assert record.line("Last") == 4


def test_scalars_inside_arrays_do_not_shift_later_lines():
    text = '{\n "A": [[1, {"x": 2}], 3],\n "B": {"k": [ {"n": 1} ]},\n "C": 4\n}'
    record = next(reader.read(numbered(text)))
    assert record.line("B.k[0].n") == 3
    assert (record.get("C"), record.line("C")) == ("4", 4)


def test_count_wrapper_of_51_is_unwrapped():
    text = '{\n    "value":  [\n                  {"Name": "a"},\n                  {"Name": "b"}\n              ],\n    "Count":  2\n}'
    rows = list(reader.read(numbered(text)))
    assert [(r.get("Name"), r.line("Name")) for r in rows] == [("a", 3), ("b", 4)]


def test_several_documents_in_one_section():
    rows = list(reader.read(numbered('{"Name": "a"}\n[{"Name": "b"}]\n{"Name": "c"}')))
    assert [(r.get("Name"), r.first_line) for r in rows] == [("a", 1), ("b", 2), ("c", 3)]


def test_bom_crlf_and_utf16():
    text = '\ufeff{\r\n    "Name":  "EX01",\r\n    "Edition":  "Enterprise"\r\n}\r'
    record = next(reader.read(numbered(text)))
    assert (record.get("Edition"), record.text("Edition")) == ("Enterprise", '    "Edition":  "Enterprise"')
    data = b"\xff\xfe" + '{\r\n    "Name":  "Größe"\r\n}\r\n'.encode("utf-16-le")
    assert next(reader.read(iter_stream(io.BytesIO(data)))).get("Name") == "Größe"


def test_empty_inputs_and_scalars_yield_nothing():
    assert list(reader.read([])) == []
    assert list(reader.read(numbered("\n  \n"))) == []
    assert list(reader.read(numbered('"just a string"'))) == []
    assert list(reader.read(numbered("[1, 2, 3]"))) == []
    empty = list(reader.read(numbered("\n[\n  {}\n]")))
    assert len(empty) == 1 and len(empty[0]) == 0


@pytest.mark.parametrize("text,where", [
    ('{\n  "Name": "a",\n  "Broken": \n}', "line 4"),
    ('[{"Name": "a"}\n', "line 2"),
    ('{"Name": "a"}\nPS C:\\> ', "line 2"),
    ("[" * 5000 + "]" * 5000, "line 1"),
])
def test_malformed_input_raises_value_error_naming_the_line(text, where):
    with pytest.raises(ValueError, match=where):
        list(reader.read(numbered(text)))


def test_document_size_is_bounded(monkeypatch):
    monkeypatch.setattr(reader, "MAX_DOCUMENT", 100)
    with pytest.raises(ValueError, match="larger than"):
        list(reader.read(numbered('{\n' + '"a": 1,\n' * 50 + '"b": 2}')))


def test_depth_is_bounded():
    text = '{"a": ' * 150 + "1" + "}" * 150
    with pytest.raises(ValueError, match="nested"):
        list(reader.read(numbered(text)))


def test_long_compact_parent_text_is_cut():
    text = '{"Big": {' + ",".join(f'"k{i}": "{"x" * 20}"' for i in range(200)) + "}}"
    record = next(reader.read(numbered(text)))
    assert record.get("Big").endswith("...") and len(record.get("Big")) <= reader.COMPACT_LIMIT + 3
    assert record.is_truncated("Big")
    assert record.get("Big.k199") == "x" * 20


@pytest.mark.parametrize("head,expected", [
    (["[", "    {"], True),
    (["{", '    "Name":  "EX01",'], True),
    (['[{"Name":"vmnic0"}]'], True),
    (["\ufeff{"], True),
    (["[HKEY_LOCAL_MACHINE\\SOFTWARE\\Example]"], False),
    (["[root@esx01:~] esxcli network nic list"], False),
    (["[PS] C:\\Windows\\system32>Get-ExchangeServer"], False),
    (["(vim.vm.Summary) {"], False),
    (["[1, 2, 3]"], True),
    (["[", "    1,"], True),
    (["[1] first item of a numbered list"], False),
    (["[true, false]"], True),
    (["[trace] something"], False),
    (["{", "Name : x"], False),
    ([], False),
])
def test_looks_like(head, expected):
    assert reader.looks_like(head) is expected


@settings(max_examples=150, deadline=None)
@given(st.lists(st.text(alphabet='{}[]":,1a \\/\r\ufeff\n', max_size=30), max_size=8))
def test_any_input_reads_or_raises_value_error(lines):
    try:
        for record in reader.read(list(enumerate(lines, start=1))):
            assert record.first_line >= 1
    except ValueError as exc:
        assert str(exc)


def test_warning_lines_before_a_document_go_to_its_first_record():
    """``Get-X | ConvertTo-Json`` may print WARNING lines first (German ``WARNUNG:`` too)."""
    from hakb.reading import read_records

    text = ('WARNUNG: Der Zeuge antwortet nicht.\nWARNING: The witness is not reachable.\n\n'
            '[\n    {\n        "Name":  "DAG1"\n    },\n    {\n        "Name":  "DAG2"\n    }\n]')
    records = list(read_records(numbered(text), "Get-DatabaseAvailabilityGroup | ConvertTo-Json"))
    assert [(r.shape, r.get("Name")) for r in records] == [("json", "DAG1"), ("json", "DAG2")]
    assert records[0].warnings == [(1, "WARNUNG: Der Zeuge antwortet nicht."),
                                   (2, "WARNING: The witness is not reachable.")]
    assert records[1].warnings == []

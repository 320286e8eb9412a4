"""hakb.reading.csv: Export-Csv, esxcli CSV, systeminfo /fo csv and Excel CSV as records.

Inputs are synthetic, written the way the tools print (PowerShell 5.1 quotes every field and
writes ``#TYPE`` unless ``-NoTypeInformation``; esxcli ends every line with a comma).
"""

import io

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hakb.reading import csv as reader
from hakb.textio import iter_stream


def numbered(text: str) -> list[tuple[int, str]]:
    """Lines as the core hands them over, but keeping any ``\\r`` (a CRLF remnant)."""
    return list(enumerate(text.split("\n"), start=1))


POWERCLI = """\
#TYPE VMware.VimAutomation.ViCore.Impl.V1.Host.Networking.Nic.PhysicalNicImpl
"VMHost","Name","Mac","BitRatePerSec","FullDuplex"
"esx01.lab.example","vmnic0","00:11:22:33:44:55","1000","True"
"esx01.lab.example","vmnic1","00:11:22:33:44:56","0","False"
"""


def test_export_csv_with_type_line():
    rows = list(reader.read(numbered(POWERCLI)))
    assert [r.get("Name") for r in rows] == ["vmnic0", "vmnic1"]
    assert {r.type_name for r in rows} == {"VMware.VimAutomation.ViCore.Impl.V1.Host.Networking.Nic.PhysicalNicImpl"}
    assert rows[1].get("Mac") == "00:11:22:33:44:56"
    assert (rows[0].line("Mac"), rows[1].line("VMHost")) == (3, 4)
    assert rows[1].text("Mac") == '"esx01.lab.example","vmnic1","00:11:22:33:44:56","0","False"'
    assert rows[0].columns == ["VMHost", "Name", "Mac", "BitRatePerSec", "FullDuplex"]
    assert all(r.shape == "csv" for r in rows)


def test_no_type_information_and_use_culture_semicolon():
    text = '"Name";"Status";"Description"\n"ClusSvc";"Running";"Cluster; service"\n'
    rows = list(reader.read(numbered(text)))
    assert rows[0].type_name == ""
    assert rows[0].get("Description") == "Cluster; service"
    assert rows[0].line("Status") == 2


def test_tab_delimited():
    text = "Name\tValue\nProbePort\t0\nAddress\t10.0.0.20\n"
    rows = list(reader.read(numbered(text)))
    assert [(r.get("Name"), r.get("Value"), r.line("Value")) for r in rows] == [
        ("ProbePort", "0", 2), ("Address", "10.0.0.20", 3)]


def test_doubled_quotes_and_value_spanning_lines_keep_the_row_start_line():
    text = ('"Name","Notes","After"\n'
            '"vm01","He said ""hello""\nand left","x"\n'
            '"vm02","plain","y"\n')
    rows = list(reader.read(numbered(text)))
    assert rows[0].get("Notes") == 'He said "hello"\nand left'
    assert rows[0].line("After") == 2 and rows[0].text("After") == '"vm01","He said ""hello""'
    assert (rows[1].get("Name"), rows[1].line("Name")) == ("vm02", 4)


def test_esxcli_csv_trailing_comma_is_not_a_column():
    text = ("Name,PCI Device,Driver,Admin Status,Link Status,Speed,Duplex,MAC Address,MTU,Description,\n"
            "vmnic0,0000:01:00.0,ntg3,Up,Up,1000,Full,00:11:22:33:44:55,1500,Broadcom Corporation NetXtreme BCM5720 Gigabit Ethernet,\n"
            "vmnic1,0000:01:00.1,ntg3,Up,Down,0,Half,00:11:22:33:44:56,1500,Broadcom Corporation NetXtreme BCM5720 Gigabit Ethernet,\n")
    rows = list(reader.read(numbered(text)))
    assert len(rows) == 2
    assert "" not in rows[0] and len(rows[0]) == 10
    assert rows[1].get("MAC Address") == "00:11:22:33:44:56" and rows[1].get("macaddress") == "00:11:22:33:44:56"
    assert rows[1].line("Link Status") == 3


def test_systeminfo_fo_csv():
    text = ('"Host Name","OS Name","OS Version","Total Physical Memory","Hotfix(s)"\n'
            '"EX01","Microsoft Windows Server 2008 R2 Enterprise ","6.1.7601 Service Pack 1 Build 7601",'
            '"2,047 MB","3 Hotfix(s) Installed.,[01]: KB2534111,[02]: KB2552343,[03]: KB976902"\n')
    row = next(reader.read(numbered(text)))
    assert row.get("Host Name") == "EX01"
    assert row.get("Total Physical Memory") == "2,047 MB"
    assert row.get("Hotfix(s)").startswith("3 Hotfix(s) Installed.,[01]")


def test_excel_sep_line_and_unquoted_cells():
    text = "sep=;\nServer;Database;Size (GB)\nEX01;DB01;1,5\n;;\nEX02;DB02;12\n"
    rows = list(reader.read(numbered(text)))
    assert [(r.get("Server"), r.get("Size (GB)"), r.first_line) for r in rows] == [
        ("EX01", "1,5", 3), ("EX02", "12", 5)]


def test_rpc_client_access_log_fields_header():
    text = ("#Software: Microsoft Exchange Server\n#Version: 14.00.0000.000\n#Log-type: RCA Protocol Logs\n"
            "#Date: 2019-03-14T13:00:00.000Z\n"
            "#Fields: date-time,session-id,seq-number,client-name,operation,rpc-status,failures\n"
            "2019-03-14T13:00:01.123Z,12,0,/o=Example/cn=user1,Connect,0,\n"
            "#Date: 2019-03-14T14:00:00.000Z\n"
            "2019-03-14T13:00:02.456Z,12,1,/o=Example/cn=user1,Disconnect,1723,RpcDispatch\n")
    rows = list(reader.read(numbered(text)))
    assert [(r.get("operation"), r.get("rpc-status"), r.line("failures")) for r in rows] == [
        ("Connect", "0", 6), ("Disconnect", "1723", 8)]


def test_iis_w3c_log_is_blank_separated():
    text = ("#Software: Microsoft Internet Information Services 7.5\n#Version: 1.0\n#Date: 2019-03-14 13:00:00\n"
            "#Fields: date time s-ip cs-method cs-uri-stem cs-uri-query s-port cs-username c-ip sc-status\n"
            "2019-03-14 13:00:01 10.0.0.5 POST /EWS/Exchange.asmx - 443 EXAMPLE\\user1 10.0.1.20 401\n")
    (row,) = reader.read(numbered(text))
    assert (row.get("cs-uri-stem"), row.get("sc-status"), row.get("cs-username"), row.line("sc-status")) == (
        "/EWS/Exchange.asmx", "401", "EXAMPLE\\user1", 5)


def test_a_second_type_line_starts_a_second_table():
    text = POWERCLI + '#TYPE System.ServiceProcess.ServiceController\n"Name","Status"\n"ClusSvc","Running"\n'
    rows = list(reader.read(numbered(text)))
    assert [r.type_name.split(".")[-1] for r in rows] == ["PhysicalNicImpl", "PhysicalNicImpl", "ServiceController"]
    assert rows[2].get("Status") == "Running" and rows[2].line("Status") == 7


def test_bom_and_crlf_remnants_do_not_reach_names_or_values():
    text = '\ufeff#TYPE System.Management.Automation.PSCustomObject\r\n"Name","Value"\r\n"a","b"\r\n'
    row = next(reader.read(numbered(text)))
    assert row.type_name == "System.Management.Automation.PSCustomObject"
    assert row.items() == [("Name", "a"), ("Value", "b")]
    assert row.text("Value") == '"a","b"'
    assert reader.looks_like(['\ufeff"Name","Value"\r', '"a","b"\r'])


def test_utf16_export_through_the_core_line_reader():
    """Windows PowerShell 5.1 ``Export-Csv -Encoding Unicode``: UTF-16LE with BOM, CRLF."""
    data = b"\xff\xfe" + '#TYPE X.Y\r\n"Name","Größe"\r\n"ä","1"\r\n'.encode("utf-16-le")
    row = next(reader.read(iter_stream(io.BytesIO(data))))
    assert (row.type_name, row.get("Größe"), row.get("Name"), row.line("Name")) == ("X.Y", "1", "ä", 3)


def test_empty_and_header_only_input_yield_nothing():
    assert list(reader.read([])) == []
    assert list(reader.read(numbered("\n\n"))) == []
    assert list(reader.read(numbered('#TYPE X\n"Name","Value"\n'))) == []


@pytest.mark.parametrize("text,where", [
    ('"Name","Notes"\n"a","never closed\n', "line 2"),
    ("just words without a delimiter\n", "line 1"),
    ('"Name","Value"\n"a"x,"b"\n', "line 2"),
])
def test_malformed_input_raises_value_error_naming_the_line(text, where):
    with pytest.raises(ValueError, match=where):
        list(reader.read(numbered(text)))


@pytest.mark.parametrize("head,expected", [
    (POWERCLI.splitlines()[:3], True),
    (['"VMHost","Name"'], True),
    (["Name,Driver,MAC Address,", "vmnic0,ntg3,00:11:22:33:44:55,"], True),
    (["sep=;", "a;b"], True),
    (["Name                      : DAG1", "Servers                   : {EX01, EX02}"], False),
    (["Name   Status", "----   ------"], False),
    (["4.0G\t./app01"], False),
    (["2019-03-14T13:00:00Z Er(163) Hostd[2099846]: a, b"], False),
    (["PhysicalNic.Name.string=vmnic0"], False),
    ([], False),
])
def test_looks_like(head, expected):
    assert reader.looks_like(head) is expected


@settings(max_examples=150, deadline=None)
@given(st.lists(st.text(alphabet='ab,;"\t\r \ufeff#TYPE\n', max_size=30), max_size=8))
def test_any_input_reads_or_raises_value_error(lines):
    try:
        for record in reader.read(list(enumerate(lines, start=1))):
            assert record.first_line >= 1
    except ValueError as exc:
        assert str(exc)


def test_fields_past_the_header_are_kept_under_their_position():
    """Event Viewer's CSV export (synthetic): the header names five columns, rows carry the
    message as a sixth field."""
    text = ('Level,Date and Time,Source,Event ID,Task Category\n'
            'Critical,14.03.2019 13:00:13,Microsoft-Windows-FailoverClustering,1135,Node Mgr,'
            '"Cluster node \'EX02\' was removed from the active failover cluster membership."\n')
    [record] = reader.read(numbered(text))
    assert record.get("Event ID") == "1135" and record.get("column6").startswith("Cluster node 'EX02'")
    assert record.line("column6") == 2

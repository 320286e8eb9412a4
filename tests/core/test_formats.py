"""hakb.formats: Format-List / table readers and locale-tolerant value parsers."""

from datetime import datetime

import pytest

from hakb.formats import (collection, format_list, format_table, is_noise, is_warning, parse_bool,
                          parse_datetime, parse_int, parse_size_mb, property_names)
from hakb.textio import iter_lines, lines_of

DAG_FL = """\
[PS] C:\\Windows\\system32>Get-DatabaseAvailabilityGroup -Status | fl
WARNING: The witness server for DAG1 is in a failed state.

Name                      : DAG1
Servers                   : {EX01, EX02, EX03,
                            EX04}
WitnessServer             : fsw01.example.com
WitnessDirectory          : C:\\DAG1\\Witness
OperationalServers        :
Description               : the primary database availability group of the
                            head office
--More--

Name                      : DAG2
Servers                   : {EX05}
"""


def test_format_list_records_lines_wrapping_and_warnings():
    records = list(format_list(lines_of(DAG_FL)))
    assert [r.get("Name") for r in records] == ["DAG1", "DAG2"]
    dag1 = records[0]
    assert dag1.get("servers") == "{EX01, EX02, EX03, EX04}"
    assert collection(dag1.get("Servers")) == ["EX01", "EX02", "EX03", "EX04"]
    assert dag1.get("OperationalServers") == ""
    assert dag1.get("missing", "x") == "x"
    assert dag1.line("WitnessServer") == 7 and "fsw01.example.com" in dag1.text("WitnessServer")
    assert dag1.first_line == 4
    assert dag1.get("Description").endswith("availability group of the head office")
    assert dag1.warnings == [(2, "WARNING: The witness server for DAG1 is in a failed state.")]
    assert records[1].warnings == []
    assert ("Name", "DAG1") in dag1.items()


def test_format_list_joins_a_word_cut_at_full_width_without_space():
    # An 80-column console: the DN has no space and is longer than a line, so it is cut mid-word.
    dn = ("CN=EX01,CN=Servers,CN=Exchange-Administrative-Group-(FYDIBOHF23SPDLT),"
          "CN=Administrative-Groups,CN=Example,CN=Services")
    label = "DistinguishedName  : "
    first, rest = dn[:80 - len(label)], dn[80 - len(label):]
    text = label + first + "\n" + " " * len(label) + rest + "\nThumbprint         : AB12\n"
    (record,) = format_list(lines_of(text))
    assert record.get("DistinguishedName") == dn
    assert record.get("Thumbprint") == "AB12"


def test_format_list_reads_utf16le_with_bom_and_crlf(tmp_path):
    path = tmp_path / "mbx.txt"
    text = "\r\nName                 : MBX01\r\nClusteredStorageType : NonShared\r\n\r\n"
    path.write_bytes(b"\xff\xfe" + text.encode("utf-16-le"))
    (record,) = format_list(iter_lines(path))
    assert record.get("clusteredstoragetype") == "NonShared"
    assert record.line("Name") == 2


TEST_RH = """\
PS C:\\> Test-ReplicationHealth -Server EX01 | ft -Wrap

Server          Check                      Result     Error
------          -----                      ------     -----
EX01            ClusterService             Passed
EX01            FileShareQuorum            *FAILED*   The file share witness \\\\fsw01\\DAG1 cannot
                                                      be reached.
EX01            DBCopyFailed               Passed
"""


def test_format_table_rows_and_wrapped_cells():
    rows = list(format_table(lines_of(TEST_RH)))
    assert [r.get("Check") for r in rows] == ["ClusterService", "FileShareQuorum", "DBCopyFailed"]
    failed = rows[1]
    assert failed.get("result") == "*FAILED*"
    assert failed.get("Error") == "The file share witness \\\\fsw01\\DAG1 cannot be reached."
    assert failed.line("Error") == 6 and failed.line("Server") == 6
    assert failed.text("Check").startswith("EX01            FileShareQuorum")
    assert rows[0].get("Error") == ""
    assert rows[0].columns == ["Server", "Check", "Result", "Error"]


PARAMS = """\
Object              Name                          Value                 Type
------              ----                          -----                 ----
Virtual Machine EX01 OfflineAction                 1                     UInt32
Virtual Machine EX01 ShutdownAction                0                     UInt32

Object   Name        Value           Type
------   ----        -----           ----
SQLIP    Address     198.51.100.20   String
SQLIP    ProbePort   0               UInt32
"""


def test_format_table_overflowing_value_and_several_tables():
    rows = list(format_table(lines_of(PARAMS)))
    assert [(r.get("Object"), r.get("Name"), r.get("Value")) for r in rows] == [
        ("Virtual Machine EX01", "OfflineAction", "1"),
        ("Virtual Machine EX01", "ShutdownAction", "0"),
        ("SQLIP", "Address", "198.51.100.20"),
        ("SQLIP", "ProbePort", "0"),
    ]
    assert rows[3].line("Value") == 9


def test_format_table_right_aligned_numbers():
    text = ("Name          Status     CopyQueueLength ReplayQueueLength\n"
            "----          ------     --------------- -----------------\n"
            "DB01\\EX02    Healthy                  12               250\n")
    (row,) = format_table(lines_of(text))
    assert row.get("CopyQueueLength") == "12" and row.get("ReplayQueueLength") == "250"
    assert row.get("Name") == "DB01\\EX02"


def test_noise_and_property_names():
    assert is_noise("[PS] C:\\Windows\\system32>Get-ExchangeServer | fl")
    assert is_noise("PS C:\\Users\\admin> cluster node")
    assert is_noise("C:\\>cluster /quorum")
    assert is_noise(" -- More -- ")
    assert not is_noise("Name : EX01")
    assert is_warning("WARNING: something") and is_warning("WARNUNG: etwas")
    assert property_names(DAG_FL) >= {"name", "servers", "witnessserver"}


@pytest.mark.parametrize("text, expected", [
    ("14.03.2019 13:00:00", datetime(2019, 3, 14, 13, 0)),
    ("3/14/2019 1:00:00 PM", datetime(2019, 3, 14, 13, 0)),
    ("3/4/2019 12:05:00 AM", datetime(2019, 3, 4, 0, 5)),
    ("2019-03-14 13:00:00", datetime(2019, 3, 14, 13, 0)),
    ("14/03/2019 13:00:00", datetime(2019, 3, 14, 13, 0)),
    ("04/03/2019 13:00:00", datetime(2019, 3, 4, 13, 0)),      # slashed 24 h: day first
    ("04/03/2019 1:00:00 PM", datetime(2019, 4, 3, 13, 0)),    # slashed AM/PM: US month first
    ("04.03.2019 13:00", datetime(2019, 3, 4, 13, 0)),         # dotted: day first
    ("2019-03-14T13:00:00.250Z", datetime(2019, 3, 14, 13, 0, 0, 250000)),
    ("2019-03-14T15:00:00+02:00", datetime(2019, 3, 14, 13, 0)),
    ("2019/03/14-13:00:00.123", datetime(2019, 3, 14, 13, 0, 0, 123000)),
    ("14-03-2019 13:00", datetime(2019, 3, 14, 13, 0)),
    ("not a date", None),
    ("31.02.2019 10:00:00", None),
])
def test_parse_datetime(text, expected):
    assert parse_datetime(text) == expected


def test_numbers_and_bools():
    assert parse_size_mb("2,047 MB") == 2047
    assert parse_size_mb("2.047 MB") == 2047
    assert parse_size_mb("16\u00a0384 MB") == 16384
    assert parse_size_mb("512 MB") == 512
    assert parse_size_mb("2 GB") == 2048
    assert parse_size_mb("n/a") is None
    assert parse_int("1,234") == 1234 and parse_int("12") == 12 and parse_int("") is None
    assert parse_bool("True") is True and parse_bool("Falsch") is False and parse_bool("?") is None
    assert collection("EX01") == ["EX01"] and collection("") == []
    assert collection("{a, b...}") == ["a", "b"]


def test_read_output_mixes_list_and_table_output():
    from hakb.formats import Record, Row, read_output
    text = ("PS C:\\> Get-Cluster | fl *Subnet*\n\nSameSubnetDelay     : 1000\nSameSubnetThreshold : 5\n\n"
            "PS C:\\> Get-ClusterResource | Get-ClusterParameter\n\n"
            "Object   Name          Value  Type\n------   ----          -----  ----\n"
            "VM EX01  OfflineAction 1      UInt32\n\n"
            "Name      : EX01\nAdminDisplayVersion : Version 14.1 (Build 218.15)\n")
    items = list(read_output(lines_of(text)))
    assert [type(i) for i in items] == [Record, Row, Record]
    assert items[0].get("SameSubnetThreshold") == "5"
    assert items[1].get("Name") == "OfflineAction" and items[1].line("Value") == 10
    assert items[2].get("AdminDisplayVersion") == "Version 14.1 (Build 218.15)"


def test_format_table_two_line_header_is_joined():
    text = ("Name              Status     CopyQueue ReplayQueue LastInspectedLogTime  ContentIndex\n"
            "                             Length    Length                            State\n"
            "----              ------     --------- ----------- --------------------  ------------\n"
            "DB01\\EX02         Healthy    0         3           14.03.2019 13:00:00   Healthy\n")
    (row,) = format_table(lines_of(text))
    assert row.columns[2] == "CopyQueue Length"
    assert row.get("CopyQueueLength") == "0" and row.get("replayqueue length") == "3"
    assert row.get("ContentIndexState") == "Healthy"
    assert row.get("LastInspectedLogTime") == "14.03.2019 13:00:00"


def test_module_examples_hold():
    import doctest

    import hakb.formats
    result = doctest.testmod(hakb.formats)
    assert result.attempted >= 10 and result.failed == 0


def test_a_table_ends_at_a_blank_line():
    """Text after a blank line is not taken for rows of the table above it."""
    from hakb.formats import format_table
    from hakb.textio import lines_of
    text = ("Node           Node ID Status\n-------------- ------- ------\nEX01                 1 Up\n"
            "EX02                 2 Up\n\n(exit) \") (assert (x))\nsomething else entirely\n")
    rows = list(format_table(lines_of(text)))
    assert [(r.get("Node"), r.get("Status")) for r in rows] == [("EX01", "Up"), ("EX02", "Up")]


def test_sizes_with_units_in_any_locale():
    from hakb.formats import size_bytes

    gib = 1 << 30
    assert size_bytes("420G") == 420 * gib
    assert size_bytes("1.5T") == 3 << 39
    assert size_bytes("1,5 GB") == size_bytes("1.5 GiB") == 3 << 29
    assert size_bytes("1.234,5 MB") == round(1234.5 * (1 << 20))
    assert size_bytes("536602476544") == 536602476544
    assert size_bytes("12Q") is None and size_bytes("") is None


def test_decimals_in_any_locale():
    from hakb.formats import parse_decimal

    # PowerCLI prints GB as doubles (Format-List, Export-Csv) or with three decimals (tables).
    assert parse_decimal("3.69921875") == parse_decimal("3,69921875") == 3.69921875
    assert parse_decimal("1,023.750") == parse_decimal("1.023,750") == 1023.75
    assert parse_decimal("878.820") == 878.82  # one mark used once is the decimal mark
    assert parse_decimal("1 234 567") == parse_decimal("1.234.567") == 1234567
    assert parse_decimal("-2,5") == -2.5
    assert parse_decimal("3.7G") is None and parse_decimal(None) is None

"""systeminfo in every shape and locale, and Get-ComputerInfo: windows-system and host-name facts.

The inputs are synthetic, laid out as systeminfo prints them (list, /fo csv, /fo table)."""

import pytest

from .conftest import SAMPLES, pipe, utf16

CSV = ('"Host Name","OS Name","OS Version","System Type","Total Physical Memory","Available Physical Memory",'
       '"Domain","Hotfix(s)"\n'
       '"EX01","Microsoft Windows Server 2008 R2 Enterprise","6.1.7601 Service Pack 1 Build 7601","x64-based PC",'
       '"16,383 MB","9,876 MB","example.com","2 Hotfix(s) Installed.,[01]: KB2533552,[02]: KB976902"\n')

TABLE = """C:\\>systeminfo /fo table

Host Name       OS Name                                      OS Version                          System Type    Total Physical Memory Available Physical Memory Domain       Hotfix(s)
=============== ============================================ =================================== ============== ===================== ========================= ============ ==================================================
EX01            Microsoft Windows Server 2008 R2 Enterprise  6.1.7601 Service Pack 1 Build 7601  x64-based PC   16,383 MB             9,876 MB                  example.com  2 Hotfix(s) Installed.,[01]: KB2533552,[02]: KB976902
"""

FRENCH = """Nom de l'hôte:                              EX01
Nom du système d'exploitation:              Microsoft Windows Server 2008 R2 Enterprise
Version du système:                         6.1.7601 Service Pack 1 version 7601
Type du système:                            x64-based PC
Mémoire physique totale:                    16 383 Mo
Domaine:                                    example.com
Correctif(s):                               1 correctif(s) installé(s).
                                            [01]: KB2533552
"""

COMPUTER_INFO = """PS C:\\> Get-ComputerInfo | fl CsName,CsDomain,OsName,OsVersion,CsTotalPhysicalMemory,OsHotFixes

CsName                : EX01
CsDomain              : example.com
OsName                : Microsoft Windows Server 2016 Datacenter
OsVersion             : 10.0.14393
CsTotalPhysicalMemory : 17178869760
OsHotFixes            : {KB3192137, KB4013418}
"""


def systems(data, name="systeminfo.txt"):
    return [f for f in pipe(data, name) if f.type == "windows-system"]


def test_english_list_with_prompt_and_crlf():
    (fact,) = systems((SAMPLES / "systeminfo-en.txt").read_bytes())
    assert fact.host == "EX01" and fact.slots["hostname"] == "EX01"
    assert fact.slots["os_name"] == "Microsoft Windows Server 2008 R2 Enterprise"
    assert fact.slots["os_version"] == "6.1.7601 Service Pack 1 Build 7601"
    assert fact.slots["total_memory_mb"] == 16383 and fact.slots["available_memory_mb"] == 9876
    assert fact.slots["domain"] == "example.com" and fact.slots["system_type"] == "x64-based PC"
    assert fact.slots["hotfixes"] == ["KB2533552", "KB976902"]
    assert fact.line == 3 and fact.text.startswith("Host Name:")


def test_german_list_utf16_with_dotted_thousands():
    (fact,) = systems((SAMPLES / "systeminfo-de.txt").read_bytes())
    assert fact.slots["hostname"] == "EX02"
    assert fact.slots["total_memory_mb"] == 16383 and fact.slots["available_memory_mb"] == 8192
    assert fact.slots["domain"] == "example.com" and fact.slots["hotfixes"] == ["KB2533552"]


def test_french_list_with_blank_thousands():
    (fact,) = systems(FRENCH)
    assert (fact.slots["hostname"], fact.slots["total_memory_mb"], fact.slots["hotfixes"]) == ("EX01", 16383, ["KB2533552"])


@pytest.mark.parametrize("shape", ["csv", "csv-utf16", "table"])
def test_every_shape_gives_the_list_shapes_facts(shape):
    expected = systems((SAMPLES / "systeminfo-en.txt").read_bytes())[0].slots
    data = {"csv": CSV, "csv-utf16": utf16(CSV), "table": TABLE}[shape]
    (fact,) = systems(data)
    assert dict(fact.slots) == dict(expected)


def test_csv_points_at_its_row():
    (fact,) = systems(CSV)
    assert fact.line == 2 and fact.text.startswith('"EX01"')


def test_every_shape_names_the_host_it_ran_on():
    for data in ((SAMPLES / "systeminfo-en.txt").read_bytes(), CSV, TABLE, FRENCH):
        names = [f.slots["name"] for f in pipe(data, "systeminfo.txt") if f.type == "host-name"]
        assert names == ["EX01"]


def test_two_machines_in_one_file():
    text = (SAMPLES / "systeminfo-en.txt").read_text() + "\n" + (SAMPLES / "systeminfo-de.txt").read_text(encoding="utf-16")
    assert [f.slots["hostname"] for f in systems(text)] == ["EX01", "EX02"]


def test_get_computerinfo():
    (fact,) = systems(COMPUTER_INFO, "computerinfo.txt")
    assert fact.slots["hostname"] == "EX01" and fact.slots["total_memory_mb"] == 16383
    assert fact.slots["hotfixes"] == ["KB3192137", "KB4013418"]


def test_other_key_value_output_is_not_systeminfo():
    assert systems_or_none("Name : EX01\nFoo : bar\n") == []


def systems_or_none(text):
    from .conftest import pipe_result
    return [f for f in pipe_result(text).facts if f.type == "windows-system"]

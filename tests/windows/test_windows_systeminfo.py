from pathlib import Path

from hakb import Head
from hakb.plugins.windows.systeminfo import PARSERS
from hakb.testing import parse_file, parse_text
from bundles import samples

SAMPLES = samples("windows")
PARSER = PARSERS[0]


def test_english_systeminfo_with_prompt_and_crlf():
    (fact,) = parse_file(PARSER, SAMPLES / "systeminfo-en.txt")
    assert fact.type == "windows-system" and fact.host == "EX01"
    assert fact.slots["hostname"] == "EX01"
    assert fact.slots["os_name"] == "Microsoft Windows Server 2008 R2 Enterprise"
    assert fact.slots["os_version"] == "6.1.7601 Service Pack 1 Build 7601"
    assert fact.slots["total_memory_mb"] == 16383 and fact.slots["available_memory_mb"] == 9876
    assert fact.slots["domain"] == "example.com" and fact.slots["system_type"] == "x64-based PC"
    assert fact.slots["hotfixes"] == ["KB2533552", "KB976902"]
    assert fact.line == 3 and fact.text.startswith("Host Name:")


def test_german_systeminfo_utf16_with_dotted_thousands():
    (fact,) = parse_file(PARSER, SAMPLES / "systeminfo-de.txt")
    assert fact.slots["hostname"] == "EX02"
    assert fact.slots["total_memory_mb"] == 16383 and fact.slots["available_memory_mb"] == 8192
    assert fact.slots["domain"] == "example.com"
    assert fact.slots["hotfixes"] == ["KB2533552"]


def test_csv_systeminfo():
    text = ('"Host Name","OS Name","Total Physical Memory","Domain"\n'
            '"SQL01","Microsoft Windows Server 2016 Datacenter","32.767 MB","example.com"\n')
    (fact,) = parse_text(PARSER, text)
    assert fact.slots["hostname"] == "SQL01" and fact.slots["total_memory_mb"] == 32767
    assert fact.line == 2


def test_recognise_by_content():
    assert PARSER.recognise(Head("notes.txt", (SAMPLES / "systeminfo-en.txt").read_text())) == 100
    assert PARSER.recognise(Head("notes.txt", "Name : EX01\n")) == 0

from pathlib import Path

from hakb import Head
from hakb.plugins.exchange.powershell import PARSERS
from hakb.plugins.exchange.servers import parse_version
from hakb.testing import parse_file, parse_text
from bundles import samples

SAMPLES = samples("exchange")
PARSER = PARSERS[0]


def test_get_exchangeserver_fl_utf16():
    facts = parse_file(PARSER, SAMPLES / "get-exchangeserver-fl.txt")
    assert [f.type for f in facts] == ["exchange-server", "exchange-server"]
    ex01, cms = facts
    assert ex01.slots["name"] == "EX01" and ex01.slots["version"] == "14.1.218.15"
    assert (ex01.slots["major"], ex01.slots["minor"], ex01.slots["build"]) == (14, 1, 218)
    assert ex01.slots["roles"] == ["Mailbox", "ClientAccess", "HubTransport"]
    assert ex01.slots["site"] == "Amsterdam" and ex01.slots["edition"] == "Enterprise"
    assert ex01.slots["fqdn"] == "EX01.example.com" and ex01.slots["clustered"] is False
    assert ex01.line == 8 and "Version 14.1 (Build 218.15)" in ex01.text
    assert cms.slots["version"] == "8.1.240.6" and cms.slots["clustered"] is True
    assert cms.slots["roles"] == ["Mailbox"]


def test_get_exchangeserver_table():
    facts = parse_file(PARSER, SAMPLES / "get-exchangeserver-table.txt")
    assert [(f.slots["name"], f.slots["version"], f.slots["edition"]) for f in facts] == [
        ("EX03", "14.0.639.21", "Enterprise"), ("EX04", "14.3.123.4", "Standard")]
    assert facts[1].slots["roles"] == ["ClientAccess", "HubTransport"]
    assert facts[0].line == 5


def test_role_flags_and_versions():
    text = ("Name                     : EDGE01\nIsEdgeServer             : True\n"
            "IsMailboxServer          : False\nAdminDisplayVersion      : Version 15.0 (Build 1497.2)\n")
    (fact,) = parse_text(PARSER, text)
    assert fact.slots["roles"] == ["Edge"] and fact.slots["major"] == 15
    assert parse_version("Version 14.0 (Build 639.21)") == ("14.0.639.21", 14, 0, 639)
    assert parse_version("garbage") == ("", None, None, None)


def test_recognise():
    text = (SAMPLES / "get-exchangeserver-table.txt").read_text()
    assert PARSER.recognise(Head("x.txt", text)) == 100
    assert PARSER.recognise(Head("x.txt", "Host Name:   EX01\n")) == 0

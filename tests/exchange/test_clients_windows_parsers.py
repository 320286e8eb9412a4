"""Parsers of the windows plugin on the samples the Exchange client rules read (setspn, netsh
advfirewall, nslookup): what each fact says and which line it points at. They live here until
the windows tests take them over."""

import pytest

from .conftest import SAMPLES
from hakb.model import Head
from hakb.plugins.windows import firewall, nslookup, setspn
from hakb.plugin_manager import get_plugin_manager, parsers
from hakb.parsing import choose_parser
from hakb.testing import parse_text


def sample(name: str) -> str:
    return (SAMPLES / name).read_text(encoding="utf-8")


def facts_of(module, name, kind=None):
    facts = parse_text(module.PARSERS[0], sample(name), name=name)
    return [f for f in facts if kind is None or f.type == kind]


@pytest.mark.parametrize("name,expected", [
    ("setspn-l.txt", "setspn"), ("setspn-x.txt", "setspn"), ("setspn-q.txt", "setspn"),
    ("netsh-firewall-rules.txt", "netsh-advfirewall"), ("netsh-firewall-rules-de.txt", "netsh-advfirewall"),
    ("netsh-allprofiles.txt", "netsh-advfirewall"), ("nslookup.txt", "nslookup"),
])
def test_each_sample_goes_to_its_parser_by_content(name, expected):
    chosen, problems = choose_parser(Head("pasted.txt", sample(name)), parsers(get_plugin_manager()))
    assert not problems
    assert chosen.name == expected


def test_setspn_listing_query_and_duplicates():
    listed = facts_of(setspn, "setspn-l.txt")
    assert [(f.slots["service_class"], f.slots["target"]) for f in listed] == [
        ("http", "mail.example.com"), ("http", "autodiscover.example.com"),
        ("exchangemdb", "outlook.example.com"), ("exchangerfr", "outlook.example.com")]
    assert {f.slots["account"] for f in listed} == {"CN=EXCHASA,CN=Computers,DC=example,DC=com"}
    duplicate = facts_of(setspn, "setspn-x.txt", "spn-registration")
    assert [f.slots["account"] for f in duplicate] == ["CN=EXCHASA,CN=Computers,DC=example,DC=com",
                                                       "CN=CAS01,CN=Computers,DC=example,DC=com"]
    queried = facts_of(setspn, "setspn-q.txt", "spn-registration")
    assert queried[0].slots["spn"] == "exchangeAB/outlook.example.com"
    assert queried[0].slots["account"] == "CN=CAS02,CN=Computers,DC=example,DC=com"


def test_firewall_rules_english_and_german_and_policies():
    smtp, rdp, dns = facts_of(firewall, "netsh-firewall-rules.txt")
    assert (smtp.slots["direction"], smtp.slots["action"], smtp.slots["local_ports"]) == ("in", "allow", ["25"])
    assert rdp.slots["remote_ip"] == "192.0.2.0/24"
    assert (dns.slots["enabled"], dns.slots["direction"], dns.slots["remote_ports"]) == (False, "out", ["53"])
    german = facts_of(firewall, "netsh-firewall-rules-de.txt")[0].slots
    assert (german["direction"], german["action"], german["local_ports"], german["remote_ports"]) == (
        "in", "allow", ["50636"], ["Any"])
    policies = facts_of(firewall, "netsh-allprofiles.txt")
    assert [(p.slots["profile"], p.slots["inbound"], p.slots["outbound"]) for p in policies] == [
        ("Domain", "block", "allow"), ("Private", "block", "allow"), ("Public", "block", "block")]


def test_nslookup_answers_per_server():
    facts = facts_of(nslookup, "nslookup.txt")
    assert [(f.slots["name"], f.slots["addresses"], f.slots["dns_server"]) for f in facts] == [
        ("outlook.example.com", ["198.51.100.20"], "dc01.example.com"),
        ("outlook-dr.example.com", ["198.51.100.20"], "dc01.example.com"),
        ("outlook.example.com", ["192.0.2.20", "192.0.2.21"], "dc02.example.com")]
    assert facts[2].slots["aliases"] == ["mail-rpc.example.com"]


def test_unrelated_text_is_not_claimed():
    text = "Name   : EX01\nServerRole : Mailbox\n"
    for module in (setspn, firewall, nslookup):
        assert module.PARSERS[0].recognise(Head("x.txt", text)) == 0, module.__name__

"""Messaging parsers on synthetic samples: what each fact says and which line it points at."""

import pytest

from .conftest import SAMPLES
from hakb import ParseError
from hakb.model import Head
from hakb.plugins.exchange import exchange_lists, outlook_about, rpc_client_access, transporter
from hakb.plugins.windows import firewall, nslookup, setspn
from hakb.plugin_manager import get_plugin_manager, parsers
from hakb.parsing import choose_parser
from hakb.testing import parse_bytes, parse_text, run_parser_alone

LISTS = exchange_lists.PARSERS[0]


def sample(name: str) -> str:
    return (SAMPLES / name).read_text(encoding="utf-8")


def facts_of(parser, name, kind=None):
    facts = parse_text(parser.PARSERS[0] if hasattr(parser, "PARSERS") else parser, sample(name), name=name)
    return [f for f in facts if kind is None or f.type == kind]


@pytest.mark.parametrize("name,expected", [
    ("transporter-trace.log", "transporter-trace"),
    ("get-exchangecertificate-fl.txt", "exchange-messaging-list"),
    ("get-federationtrust-fl.txt", "exchange-messaging-list"),
    ("get-clientaccessarray.txt", "exchange-messaging-list"),
    ("get-receiveconnector-fl.txt", "exchange-messaging-list"),
    ("setspn-l.txt", "setspn"), ("setspn-x.txt", "setspn"), ("setspn-q.txt", "setspn"),
    ("netsh-firewall-rules.txt", "netsh-advfirewall"), ("netsh-firewall-rules-de.txt", "netsh-advfirewall"),
    ("netsh-allprofiles.txt", "netsh-advfirewall"),
    ("rca-log.LOG", "rpc-client-access-log"), ("outlook-about.txt", "outlook-about"),
    ("nslookup.txt", "nslookup"),
])
def test_each_sample_goes_to_its_parser_by_content(name, expected):
    text = sample(name)
    chosen, problems = choose_parser(Head("pasted.txt", text), parsers(get_plugin_manager()))
    assert not problems
    assert chosen.name == expected


def test_transporter_trace_errors():
    facts = facts_of(transporter, "transporter-trace.log")
    assert [(f.line, f.slots["kind"], f.slots["level"]) for f in facts] == [
        (2, "fetch-parse-error", "Error"), (6, "readline-null", "Warning"), (7, "readline-null", "Information")]
    assert facts[0].slots["folder"] == "INBOX"
    assert facts[0].slots["exception"] == "TransporterException"
    assert facts[2].slots["exception"] == "TransporterTransientException"


def test_transporter_keeps_a_bounded_number_of_repeats():
    line = "mmc.exe Error: 0 : Failed ... FETCH parse error.\n"
    facts = run_parser_alone(transporter.PARSERS[0], line * 500)  # no trace header: the parse function alone
    assert len(facts) == transporter.MAX_PER_KIND


def test_exchange_certificate_dates_in_both_locales():
    german, us = facts_of(LISTS, "get-exchangecertificate-fl.txt", "certificate")
    assert german.slots["not_after_iso"] == "2019-03-14T13:00:00"      # 14.03.2019 13:00:00
    assert us.slots["not_after_iso"] == "2020-02-01T09:15:00"          # 2/1/2020 9:15:00 AM
    assert german.slots["services"] == ["IMAP", "POP", "IIS", "SMTP"]
    assert german.slots["domains"] == ["mail.example.com", "autodiscover.example.com"]
    assert us.slots["services"] == [] and us.slots["self_signed"] is True
    assert german.line == 18 and german.text.startswith("Thumbprint")


def test_federation_trust_certificate_printed_in_blocks_is_one_record():
    trusts = facts_of(LISTS, "get-federationtrust-fl.txt")
    assert len(trusts) == 1
    trust = trusts[0].slots
    assert trust["org_certificate"] == "AB12CD34EF56AB12CD34EF56AB12CD34EF56AB12"
    assert trust["name"] == "Microsoft Federation Gateway"
    assert trust["token_issuer_uri"] == "uri:WindowsLiveID"


def test_client_access_names():
    cas = facts_of(LISTS, "get-clientaccessserver-fl.txt")
    assert {f.slots["autodiscover_fqdn"] for f in cas} == {"mail.example.com"}
    arrays = facts_of(LISTS, "get-clientaccessarray.txt")
    assert [(a.slots["fqdn"], a.slots["site"], a.slots["members"]) for a in arrays] == [
        ("outlook.example.com", "Amsterdam", ["CAS01", "CAS02"]),
        ("outlook-dr.example.com", "Rotterdam", ["CAS11", "CAS12"])]
    urls = facts_of(LISTS, "get-virtualdirectories-fl.txt")
    assert [(u.slots["service"], u.slots["scope"], u.slots["fqdn"]) for u in urls] == [
        ("owa", "internal", "mail.example.com"), ("owa", "external", "mail.example.com"),
        ("ews", "internal", "cas01.example.com"), ("ews", "external", "mail.example.com"),
        ("outlook-anywhere", "external", "mail.example.com")]


def test_connectors_domains_and_edgesync():
    default, client = facts_of(LISTS, "get-receiveconnector-fl.txt")
    assert (default.slots["default_kind"], default.slots["ports"], default.slots["anonymous"]) == ("hub-default", [25], False)
    assert (client.slots["default_kind"], client.slots["ports"]) == ("hub-client", [587])
    send = facts_of(LISTS, "get-sendconnector-fl.txt")[0].slots
    assert send["address_spaces"] == ["smtp:*;100"] and send["source_servers"] == ["EDGE01"]
    assert send["when_changed_iso"] == "2011-03-01T09:00:00"
    domains = facts_of(LISTS, "get-accepteddomain-fl.txt")
    assert [d.slots["domain_name"] for d in domains] == ["example.com", "example.net"]
    sync = facts_of(LISTS, "test-edgesynchronization-fl.txt")[0].slots
    assert (sync["name"], sync["sync_status"], sync["last_sync_iso"]) == ("EDGE01", "Normal", "2011-03-01T09:00:00")


def test_databases_and_moves():
    dbs = facts_of(LISTS, "get-mailboxdatabase-fl.txt")
    assert [(d.slots["name"], d.slots["rpc_client_access_server"]) for d in dbs] == [
        ("DB-AMS01", "outlook.example.com"), ("DB-RTM01", "outlook-rtm.example.com")]
    move = facts_of(LISTS, "get-moverequeststatistics-fl.txt")[0]
    assert (move.slots["source_database"], move.slots["target_database"], move.slots["completed_iso"]) == (
        "DB-AMS01", "DB-RTM01", "2011-03-01T10:15:00")


def test_transcript_start_time_is_the_collection_time():
    text = ("**********************\nWindows PowerShell transcript start\nStart time: 20110301150000\n"
            "Username  : EXAMPLE\\admin\n**********************\n" + sample("get-exchangecertificate-fl.txt"))
    data = b"\xff\xfe" + text.replace("\n", "\r\n").encode("utf-16-le")
    facts = parse_bytes(LISTS, data, name="transcript.txt")
    times = [f for f in facts if f.type == "collection-time"]
    assert [(t.slots["epoch"], t.line) for t in times] == [(1298991600, 3)]
    assert len([f for f in facts if f.type == "certificate"]) == 2


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


def test_rpc_client_access_log_keeps_first_connects_and_failures():
    facts = facts_of(rpc_client_access, "rca-log.LOG")
    assert [(f.line, f.slots["version"], f.slots["operation"]) for f in facts] == [
        (6, "12.0.6423.1000", "Connect"), (9, "14.0.4760.1000", "Connect"), (10, "14.0.4760.1000", "Logon")]
    assert facts[0].slots["client_build"] == 6423 and facts[0].slots["mode"] == "Classic"
    assert facts[2].slots["rpc_status"] == "1144 (rpc::Exception)"


def test_outlook_about_text():
    fact = facts_of(outlook_about, "outlook-about.txt")[0]
    assert (fact.slots["outlook_version"], fact.slots["outlook_build"], fact.slots["edition"]) == (
        "12.0.6423.1000", 6423, "Standard")
    assert fact.slots["major"] == 12 and fact.line == 1


def test_nslookup_answers_per_server():
    facts = facts_of(nslookup, "nslookup.txt")
    assert [(f.slots["name"], f.slots["addresses"], f.slots["dns_server"]) for f in facts] == [
        ("outlook.example.com", ["198.51.100.20"], "dc01.example.com"),
        ("outlook-dr.example.com", ["198.51.100.20"], "dc01.example.com"),
        ("outlook.example.com", ["192.0.2.20", "192.0.2.21"], "dc02.example.com")]
    assert facts[2].slots["aliases"] == ["mail-rpc.example.com"]


def test_pasted_error_dialog_without_trace_prefix_is_recognised():
    text = ("Failed to retrieve the properties of a message in folder INBOX for the following reason: "
            " FETCH parse error.")
    assert transporter.recognise(Head("dialog.txt", text)) == 60
    (only,) = parse_text(transporter.PARSERS[0], text)
    assert (only.slots["kind"], only.slots["folder"], only.slots["level"]) == ("fetch-parse-error", "INBOX", "")


def test_notes_that_only_mention_the_errors_are_not_traces():
    assert transporter.recognise(Head("README.md", "The trace shows `FETCH parse error` and `ReadLine returned a null response`.")) == 0


def test_unrelated_text_is_not_claimed():
    text = "Name   : EX01\nServerRole : Mailbox\n"
    for module in (transporter, setspn, firewall, rpc_client_access, outlook_about, nslookup):
        assert module.PARSERS[0].recognise(Head("x.txt", text)) == 0, module.__name__
    assert LISTS.recognise(Head("x.txt", text)) == 0

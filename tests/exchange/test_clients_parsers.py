"""Client, transport, Office and Outlook parsers of the exchange plugin: what each fact says,
which line it points at, and what is refused or left alone."""

import pytest

from .conftest import SAMPLES, read_artifact, read_text
from hakb.model import Head
from hakb.plugins.exchange import (certificate_records, common, exchange_lists, federation_list, office, office_reg_query,
                                   outlook_about, outlook_files, rpc_client_access, transporter)
from hakb.plugin_manager import get_plugin_manager, parsers
from hakb.parsing import choose_parser
from hakb.reading import read_records
from hakb.testing import parse_text, run_parser_alone

CLIENTS = exchange_lists.PARSERS[0]


def sample(name: str) -> str:
    return (SAMPLES / name).read_text(encoding="utf-8")


def facts_of(parser, name, kind=None):
    facts = parse_text(parser.PARSERS[0] if hasattr(parser, "PARSERS") else parser, sample(name), name=name)
    return [f for f in facts if kind is None or f.type == kind]


def records(text):
    return list(read_records(enumerate(text.splitlines(), 1)))


@pytest.mark.parametrize("name,expected", [
    ("transporter-trace.log", "transporter-trace"), ("rca-log.LOG", "rpc-client-access-log"),
    ("outlook-about.txt", "outlook-about"), ("get-federationtrust-fl.txt", "exchange-federation-trust"),
])
def test_line_parsers_recognise_their_samples(name, expected):
    chosen, problems = choose_parser(Head("pasted.txt", sample(name)), parsers(get_plugin_manager()))
    assert not problems
    assert chosen.name == expected


@pytest.mark.parametrize("name,parser", [
    ("get-exchangecertificate-fl.txt", "exchange-clients"), ("get-clientaccessarray.txt", "exchange-clients"),
    ("get-receiveconnector-fl.txt", "exchange-clients"), ("test-edgesynchronization-fl.txt", "exchange-clients"),
    ("get-federationtrust-fl.txt", "exchange-federation-trust"),
])
def test_samples_are_read_through_the_core_by_their_parser(name, parser):
    result = read_artifact(SAMPLES / name)
    assert result.status == "parsed" and result.facts, result.message
    assert result.parser == parser


# --- Transporter ------------------------------------------------------------------------------

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


def test_transporter_signatures_select_every_line_it_reads():
    """A scanning prefilter hands the parser only lines holding a signature: each line that makes
    a fact must hold one."""
    signatures = [s.lower() for s in transporter.PARSERS[0].signatures]
    for fact in facts_of(transporter, "transporter-trace.log"):
        assert any(s in fact.text.lower() for s in signatures), fact.text


def test_pasted_error_dialog_without_trace_prefix_is_recognised():
    text = ("Failed to retrieve the properties of a message in folder INBOX for the following reason: "
            " FETCH parse error.")
    assert transporter.recognise(Head("dialog.txt", text)) == 60
    (only,) = parse_text(transporter.PARSERS[0], text)
    assert (only.slots["kind"], only.slots["folder"], only.slots["level"]) == ("fetch-parse-error", "INBOX", "")


def test_notes_that_only_mention_the_errors_are_not_traces():
    assert transporter.recognise(Head("README.md", "The trace shows `FETCH parse error` and `ReadLine returned a null response`.")) == 0


# --- certificates and federation ----------------------------------------------------------------

def test_exchange_certificate_dates_in_both_locales():
    german, us = facts_of(CLIENTS, "get-exchangecertificate-fl.txt", "certificate")
    assert german.slots["not_after_iso"] == "2019-03-14T13:00:00"      # 14.03.2019 13:00:00
    assert us.slots["not_after_iso"] == "2020-02-01T09:15:00"          # 2/1/2020 9:15:00 AM
    assert german.slots["services"] == ["IMAP", "POP", "IIS", "SMTP"]
    assert german.slots["domains"] == ["mail.example.com", "autodiscover.example.com"]
    assert us.slots["services"] == [] and us.slots["self_signed"] is True
    assert german.line == 18 and german.text.startswith("Thumbprint")


def test_certificate_enums_written_as_numbers_are_named():
    (record,) = records('{"Thumbprint": "9BBBDA84E068271BB405367419A45592A5061838", "Services": 27, '
                        '"Status": 3, "RootCAType": 2, "NotAfter": "/Date(1550966399000)/"}')
    (cert,) = certificate_records.certificate(record)
    assert cert.slots["services"] == ["IMAP", "POP", "IIS", "SMTP"]
    assert (cert.slots["status"], cert.slots["root_ca_type"]) == ("DateInvalid", "Enterprise")
    assert cert.slots["not_after_iso"] == "2019-02-23T23:59:59"
    (unknown,) = certificate_records.certificate(records('{"Thumbprint": "9BBBDA84E068271BB405367419A45592A5061838", '
                                                         '"Services": 0, "Status": 42}')[0])
    assert unknown.slots["services"] == [] and unknown.slots["status"] == ""


def test_default_table_services_letters():
    assert certificate_records.services_of("...WS.") == ["IIS", "SMTP"]
    assert certificate_records.services_of("IP.WS.F") == ["IMAP", "POP", "IIS", "SMTP", "Federation"]
    assert certificate_records.services_of(".......") == []


def test_a_cut_thumbprint_is_no_certificate(tmp_path):
    text = ("[PS] C:\\>Get-ExchangeCertificate | ft Thumbprint,Services,NotAfter\n\n"
            "Thumbprint                     Services   NotAfter\n"
            "----------                     --------   --------\n"
            "9BBBDA84E068271BB405367419... IP.WS.     23.02.2019 23:59:59\n")
    result = read_text(tmp_path, text)
    assert not result.facts
    assert result.status == "error" and "could not be read" in result.message


def test_collections_exported_as_type_names_name_nothing():
    (record,) = records('"Thumbprint","CertificateDomains","Services"\n'
                        '"9BBBDA84E068271BB405367419A45592A5061838","System.Collections.ArrayList","IIS"')
    assert common.items_of(record, "CertificateDomains") == []
    assert common.is_type_name("Microsoft.Exchange.Data.MultiValuedProperty`1[Microsoft.Exchange.Data.Directory.ADObjectId]")


def test_federation_trust_certificate_printed_in_blocks_is_one_record():
    trusts = parse_text(federation_list.PARSERS[0], sample("get-federationtrust-fl.txt"))
    assert len(trusts) == 1
    trust = trusts[0].slots
    assert trust["org_certificate"] == "AB12CD34EF56AB12CD34EF56AB12CD34EF56AB12"
    assert trust["name"] == "Microsoft Federation Gateway"
    assert trust["token_issuer_uri"] == "uri:WindowsLiveID"
    assert trusts[0].line == 25 and trusts[0].text.startswith("OrgPrivCertificate")


def test_federation_trust_blocks_outrank_the_object_claim_without_a_prompt():
    text = (SAMPLES / "shapes" / "federation-trust" / "fl-no-prompt.txt").read_text()
    assert federation_list.recognise(Head("x.txt", text)) == 95
    assert federation_list.recognise(Head("x.txt", "Name : Microsoft Federation Gateway\n")) == 0


def test_federation_trust_command_with_nothing_readable_is_an_error(tmp_path):
    unreadable = read_text(tmp_path, "PS C:\\> Get-FederationTrust | fl\n\nThe term is not recognised.\n")
    assert unreadable.status == "error" and "Get-FederationTrust" in unreadable.message
    quiet = read_text(tmp_path, "PS C:\\> Get-FederationTrust | fl\n\nPS C:\\> exit\n", name="quiet.txt")
    assert quiet.status != "error" and not quiet.facts


def test_a_transcript_of_several_commands_feeds_every_parser(tmp_path):
    text = ("**********************\nWindows PowerShell transcript start\nStart time: 20110301150000\n"
            "Machine   : EX01 (Microsoft Windows NT 6.1.7601 Service Pack 1)\n**********************\n"
            + sample("get-exchangeserver-table.txt") + "\n" + sample("get-federationtrust-fl.txt") + "\n"
            + sample("get-exchangecertificate-fl.txt"))
    result = read_text(tmp_path, text.replace("\n", "\r\n"), encoding="utf-16-le")
    types = sorted({f.type for f in result.facts})
    assert types == ["certificate", "collection-time", "exchange-server", "federation-trust", "host-name"]
    assert {s.status for s in result.sections} == {"parsed"}


# --- client access and transport ----------------------------------------------------------------

def test_client_access_names():
    cas = facts_of(CLIENTS, "get-clientaccessserver-fl.txt")
    assert {f.slots["autodiscover_fqdn"] for f in cas} == {"mail.example.com"}
    arrays = facts_of(CLIENTS, "get-clientaccessarray.txt")
    assert [(a.slots["fqdn"], a.slots["site"], a.slots["members"]) for a in arrays] == [
        ("outlook.example.com", "Amsterdam", ["CAS01", "CAS02"]),
        ("outlook-dr.example.com", "Rotterdam", ["CAS11", "CAS12"])]
    urls = facts_of(CLIENTS, "get-virtualdirectories-fl.txt")
    assert [(u.slots["service"], u.slots["scope"], u.slots["fqdn"]) for u in urls] == [
        ("owa", "internal", "mail.example.com"), ("owa", "external", "mail.example.com"),
        ("ews", "internal", "cas01.example.com"), ("ews", "external", "mail.example.com"),
        ("outlook-anywhere", "external", "mail.example.com")]


def test_connectors_domains_and_edgesync():
    default, client = facts_of(CLIENTS, "get-receiveconnector-fl.txt")
    assert (default.slots["default_kind"], default.slots["ports"], default.slots["anonymous"]) == ("hub-default", [25], False)
    assert (client.slots["default_kind"], client.slots["ports"]) == ("hub-client", [587])
    send = facts_of(CLIENTS, "get-sendconnector-fl.txt")[0].slots
    assert send["address_spaces"] == ["smtp:*;100"] and send["source_servers"] == ["EDGE01"]
    assert send["when_changed_iso"] == "2011-03-01T09:00:00"
    domains = facts_of(CLIENTS, "get-accepteddomain-fl.txt")
    assert [d.slots["domain_name"] for d in domains] == ["example.com", "example.net"]
    sync = facts_of(CLIENTS, "test-edgesynchronization-fl.txt")[0].slots
    assert (sync["name"], sync["sync_status"], sync["last_sync_iso"]) == ("EDGE01", "Normal", "2011-03-01T09:00:00")


def test_edgesync_and_connector_enums_written_as_numbers():
    (sync,) = CLIENTS.parse(iter(enumerate(['{"Name": "EDGE01", "SyncStatus": 3, "ConnectionResult": 2,',
                                            '"LastSynchronizedUtc": "/Date(1298970000000)/"}'], 1)),
                            _artifact())
    assert (sync.slots["sync_status"], sync.slots["connection_result"]) == ("Failed", "")
    assert sync.line == 1  # the failing status is the evidence
    (connector,) = CLIENTS.parse(iter(enumerate(['{"Identity": "HUB01\\\\Default HUB01", "Bindings": ["0.0.0.0:25"],',
                                                 '"PermissionGroups": 15, "AuthMechanism": 3}'], 1)), _artifact())
    assert connector.slots["permission_groups"] == ["AnonymousUsers", "ExchangeUsers", "ExchangeServers",
                                                    "ExchangeLegacyServers"]
    assert connector.slots["anonymous"] is True and connector.slots["auth_mechanism"] == ["Tls", "Integrated"]


def test_edge_subscription_names_the_edge_but_exchange_servers_do_not(tmp_path):
    table = read_artifact(SAMPLES / "shapes" / "edge-subscription" / "table.txt")
    assert [(f.type, f.slots["name"], f.slots["sync_status"]) for f in table.facts] == [("edgesync-status", "EDGE01", "")]
    servers = read_text(tmp_path, "Name    : EX01\nSite    : example.com/Configuration/Sites/Amsterdam\n"
                                  "Domain  : example.com\nServerRole : Mailbox, ClientAccess\n")
    assert not [f for f in servers.facts if f.type == "edgesync-status"]
    other = read_text(tmp_path, "PS C:\\> Get-ADDomainController | ft Name,Site,Domain\n\nName Site Domain\n"
                                "---- ---- ------\nDC01 Amsterdam example.com\n", name="dc.txt")
    assert not [f for f in other.facts if f.type == "edgesync-status"]


def test_databases_and_moves():
    dbs = facts_of(CLIENTS, "get-mailboxdatabase-fl.txt")
    assert [(d.slots["name"], d.slots["rpc_client_access_server"]) for d in dbs] == [
        ("DB-AMS01", "outlook.example.com"), ("DB-RTM01", "outlook-rtm.example.com")]
    move = facts_of(CLIENTS, "get-moverequeststatistics-fl.txt")[0]
    assert (move.slots["source_database"], move.slots["target_database"], move.slots["completed_iso"]) == (
        "DB-AMS01", "DB-RTM01", "2011-03-01T10:15:00")


def _artifact():
    from pathlib import Path
    from hakb.model import Artifact
    return Artifact(name="x.json", path=Path("x.json"))


# --- RPC Client Access ------------------------------------------------------------------------

def test_rpc_client_access_log_keeps_first_connects_and_failures():
    facts = facts_of(rpc_client_access, "rca-log.LOG")
    assert [(f.line, f.slots["version"], f.slots["operation"]) for f in facts] == [
        (6, "12.0.6423.1000", "Connect"), (9, "14.0.4760.1000", "Connect"), (10, "14.0.4760.1000", "Logon")]
    assert facts[0].slots["client_build"] == 6423 and facts[0].slots["mode"] == "Classic"
    assert facts[2].slots["rpc_status"] == "1144 (rpc::Exception)"


def test_rpc_client_access_log_skips_a_row_cut_short():
    """A log copied while Exchange writes it can end in half a row: the rows before still count."""
    text = sample("rca-log.LOG") + '2011-03-01T09:00:00.000Z,17,0,"/o=Example/cn=broken\n'
    assert len(parse_text(rpc_client_access.PARSERS[0], text)) == 3


# --- Office and Outlook -------------------------------------------------------------------------

def test_outlook_about_text():
    fact = facts_of(outlook_about, "outlook-about.txt")[0]
    assert (fact.slots["outlook_version"], fact.slots["outlook_build"], fact.slots["edition"]) == (
        "12.0.6423.1000", 6423, "Standard")
    assert fact.slots["major"] == 12 and fact.line == 1


def test_office_products_and_updates_from_a_regedit_export():
    from hakb.testing import parse_file
    facts = parse_file(office.PARSERS[0], SAMPLES / "shapes" / "office-products" / "uninstall.reg")
    products = [f for f in facts if f.type == "office-product"]
    proplus, home = products  # the Outlook MUI part and the backup agent are no products
    assert (proplus.slots["edition"], proplus.slots["licence"], proplus.slots["major"]) == ("Professional Plus", "volume", 12)
    assert proplus.slots["version_build"] == 6425 and proplus.slots["includes_outlook"] is True
    assert proplus.text == '"DisplayName"="Microsoft Office Professional Plus 2007"'
    assert (home.slots["edition"], home.slots["licence"], home.slots["includes_outlook"]) == ("Home and Student", "retail", False)
    assert [(u.slots["kb"], u.slots["product_code"]) for u in facts if u.type == "office-update"] == [
        ("2288953", "{90120000-0011-0000-0000-0000000FF1CE}")]


def test_office_product_known_by_its_name_only():
    (record,) = records("DisplayName    : Microsoft Office Standard 2007\nDisplayVersion : 12.0.6425.1000\n")
    (product,) = office.listed_entry(record)
    assert (product.slots["edition"], product.slots["licence"], product.slots["product_code"]) == ("Standard", "", "")
    assert product.slots["includes_outlook"] is True and product.slots["major"] == 12
    (outlook,) = office.listed_entry(records("DisplayName : Microsoft Office Outlook 2007\nDisplayVersion : 12.0.4518.1014\n")[0])
    assert outlook.slots["edition"] == "Outlook"
    for name in ("Microsoft Office Proofing Tools 2007", "Microsoft Office Outlook MUI (English) 2007", "Example Tool"):
        assert list(office.listed_entry(records(f"DisplayName : {name}\nDisplayVersion : 12.0.1\n")[0])) == [], name
    (update,) = office.listed_entry(records("DisplayName : Update for Microsoft Office Outlook 2007 (KB2458611)\n")[0])
    assert (update.type, update.slots["kb"]) == ("office-update", "2458611")


def test_wmic_products_keep_their_source():
    facts = read_artifact(SAMPLES / "shapes" / "office-products" / "wmic-product.txt").facts
    assert [(f.slots["edition"], f.slots["licence"], f.slots["source"]) for f in facts] == [
        ("Professional Plus", "volume", "msi-product"), ("Home and Student", "retail", "msi-product")]


REG_QUERY_DE = (
    "HKEY_LOCAL_MACHINE\\SOFTWARE\\Wow6432Node\\Microsoft\\Windows\\CurrentVersion\\Uninstall\\"
    "{90120000-0030-0000-0000-0000000FF1CE}\r\n"
    "    Display Icon    REG_SZ    C:\\Windows\\Installer\\x.ico\r\n"
    "    DisplayName    REG_SZ    Microsoft Office Enterprise 2007\r\n"
    "    DisplayVersion    REG_SZ    12.0.6612.1000\r\n\r\n"
    "Suche beendet: 3 Übereinstimmung(en) gefunden.\r\n")


def test_reg_query_uninstall_listing_in_a_cmd_session(tmp_path):
    """``reg query`` from cmd.exe (German, 32-bit view, a value name with a space), pasted after
    another command: the uninstall key is one product, its DisplayName line the evidence."""
    text = "C:\\>hostname\r\nPC042\r\n\r\nC:\\>reg query HKLM\\SOFTWARE\\Wow6432Node\\Microsoft\\Windows" \
           "\\CurrentVersion\\Uninstall /s\r\n\r\n" + REG_QUERY_DE
    result = read_text(tmp_path, text, "pc042.txt")
    (product,) = [f for f in result.facts if f.type == "office-product"]
    assert (product.slots["edition"], product.slots["licence"], product.slots["version_build"]) == (
        "Enterprise", "volume", 6612)
    assert product.line == 8 and "DisplayName" in product.text


def test_reg_query_of_other_keys_is_not_claimed():
    other = "HKEY_CURRENT_USER\\Software\\Microsoft\\Office\\12.0\\Outlook\r\n    Version    REG_SZ    12.0\r\n"
    assert office_reg_query.PARSERS[0].recognise(Head("reg.txt", other)) == 0
    assert office_reg_query.PARSERS[0].recognise(Head("reg.txt", REG_QUERY_DE)) == 90
    export = 'Windows Registry Editor Version 5.00\r\n\r\n' + REG_QUERY_DE
    assert office_reg_query.PARSERS[0].recognise(Head("x.reg", export)) == 0


@pytest.mark.parametrize("name", sorted(p.name for p in (SAMPLES / "shapes" / "outlook-exe").iterdir()))
def test_outlook_exe_version_in_every_shape(name):
    result = read_artifact(SAMPLES / "shapes" / "outlook-exe" / name)
    (fact,) = result.facts
    assert (fact.type, fact.slots["source"], fact.slots["outlook_build"], fact.slots["major"]) == (
        "office-product", "file-version", 6423, 12)
    assert fact.slots["outlook_version"] == "12.0.6423.1000" and fact.slots["edition"] == ""
    # the evidence is the version's line (VersionInfo printed as one value: the value's first line)
    assert "12.0.6423.1000" in fact.text or fact.text.startswith("VersionInfo")


def test_other_files_versions_are_not_outlook(tmp_path):
    text = ("PS C:\\> (Get-Item C:\\Windows\\notepad.exe).VersionInfo | fl\n\nOriginalFilename : NOTEPAD.EXE\n"
            "FileName         : C:\\Windows\\notepad.exe\nFileVersion      : 6.1.7600.16385\n")
    assert not read_text(tmp_path, text).facts
    cut = ("PS C:\\> (Get-Item C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe).VersionInfo\n\n"
           "ProductVersion   FileVersion      FileName\n--------------   -----------      --------\n"
           "6.1.7600.16385   6.1.7600.16385   C:\\Windows\\System32\\WindowsPowerShe...\n")
    assert not read_text(tmp_path, cut, name="cut.txt").facts
    assert outlook_files.is_outlook("C:\\Program Files\\Microsoft Office\\Office12\\OUTLOOK.EXE")
    assert not outlook_files.is_outlook("C:\\Tools\\outlook.exe.config")


def test_unrelated_text_is_not_claimed():
    text = "Name   : EX01\nServerRole : Mailbox\n"
    for module in (transporter, rpc_client_access, outlook_about, federation_list):
        assert module.PARSERS[0].recognise(Head("x.txt", text)) == 0, module.__name__
    assert outlook_files.PARSERS[1].recognise(Head("x.txt", text)) == 0
    assert CLIENTS.recognise(Head("x.txt", text)) == 0

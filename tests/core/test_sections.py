"""Sections: pasted sessions and transcripts are split at prompts, and every section is read by
what knows it: one file, several commands, several plugins."""

import json

from click.testing import CliRunner

from hakb import Fact, FactSchema, Parser, hookimpl
from hakb.cli import cli
from hakb.diagnosis import diagnose
from hakb.plugin_manager import get_plugin_manager
from hakb.sections import command_matches, find_sections, parse_prompt
from hakb.shapes import object_parser, shape

TRANSCRIPT = """\
**********************
Windows PowerShell transcript start
Start time: 20190301120000
Username  : EXAMPLE\\admin
Machine   : EX01 (Microsoft Windows NT 6.1.7601 Service Pack 1)
**********************
PS C:\\> Get-ExchangeServer | fl Name,ServerRole,AdminDisplayVersion

Name                : EX01
ServerRole          : Mailbox, ClientAccess, HubTransport
AdminDisplayVersion : Version 14.3 (Build 123.4)

PS C:\\> Get-FederationTrust | fl

Name                 : Microsoft Federation Gateway
OrgCertificate       : [Subject]
                         CN=Federation
                       [Thumbprint]
                         5A1B2C3D4E5F60718293A4B5C6D7E8F901234567
OrgPrevCertificate   :
TokenIssuerUri       : uri:federation:MicrosoftOnline
ApplicationUri       : FYDIBOHF25SPDLT.example.com

PS C:\\> Get-ExchangeCertificate | fl Thumbprint,Services,NotAfter,CertificateDomains

Thumbprint         : 5A1B2C3D4E5F60718293A4B5C6D7E8F901234567
Services           : IIS, SMTP
NotAfter           : 14.03.2029 13:00:00
CertificateDomains : {mail.example.com}

PS C:\\> exit
"""


def test_prompts_of_every_shell():
    assert parse_prompt("PS>Get-Cluster | fl *Subnet*").command == "Get-Cluster | fl *Subnet*"
    assert parse_prompt("[EX02]: PS C:\\Users\\me> Get-DatabaseAvailabilityGroup").host == "EX02"
    assert parse_prompt("C:\\Windows\\system32>setspn -Q http/mail.example.com").shell == "cmd"
    assert parse_prompt("[root@esx03:~] esxcfg-nics -l").host == "esx03"
    assert parse_prompt("admin@jump01:~$ cat nics.txt").host == "jump01"
    assert parse_prompt("Name                : EX01") is None
    assert parse_prompt("2026-11-20T09:14:57.103Z warning hostd[2099962] [Originator]") is None


def test_commands_match_by_program_and_words():
    assert command_matches("Get-ExchangeServer | fl Name", "get-exchangeserver")
    assert command_matches("/sbin/esxcli --formatter=xml network nic list", "esxcli network nic list")
    assert not command_matches("Get-ExchangeServerAccessLicense", "Get-ExchangeServer")


def test_a_transcript_is_split_at_its_prompts_and_names_its_machine():
    sections = find_sections(enumerate(TRANSCRIPT.splitlines(), 1))
    assert [(s.start, s.command.split(" |")[0], s.host, s.header) for s in sections] == [
        (1, "", "", True), (7, "Get-ExchangeServer", "EX01", False),
        (13, "Get-FederationTrust", "EX01", False), (24, "Get-ExchangeCertificate", "EX01", False),
        (31, "exit", "EX01", False)]


def test_a_transcript_of_several_commands_yields_facts_from_every_command(tmp_path):
    path = tmp_path / "transcript.txt"
    path.write_text(TRANSCRIPT.replace("\n", "\r\n"), encoding="utf-16")
    case = diagnose([str(path)])
    types = {f.type for f in case.facts}
    assert {"exchange-server", "federation-trust", "certificate", "collection-time", "host-name"} <= types
    assert {f.host for f in case.facts} == {"EX01"}
    [artifact] = case.artifacts
    sections = artifact.as_dict()["sections"]
    assert [s["lines"][0] for s in sections] == [1, 7, 13, 24]  # `exit` printed nothing
    assert all(s["status"] == "parsed" and s["facts"] for s in sections)
    server = next(f for f in case.facts if f.type == "exchange-server")
    assert server.line == 11 and "AdminDisplayVersion" in server.text and server.artifact == str(path)


class EmbeddedPlugin:
    """A synthetic plugin: a log parser that takes the whole file, and an embedded reader of
    ``BLOCK`` lines (with one line of context after each) that must see them too."""

    @hookimpl
    def hakb_fact_schemas(self):
        return [FactSchema("test-log-line", {"text": "str"}), FactSchema("test-block", {"body": "str"})]

    @hookimpl
    def hakb_parsers(self):
        def log(lines, artifact):
            for number, text in lines:
                if "ERROR" in text:
                    yield Fact("test-log-line", {"text": text}, line=number, text=text)

        def blocks(lines, artifact):
            for number, text in lines:
                yield Fact("test-block", {"body": text}, line=number, text=text)

        return [Parser("test-log", lambda head: 100 if "LOGSTART" in head.text else 0, log),
                Parser("test-blocks", lambda head: 0, blocks, signatures=("BLOCK",), context=1,
                       embedded=True)]


def test_an_embedded_format_is_read_by_its_own_parser_too(tmp_path, monkeypatch):
    monkeypatch.setenv("HAKB_LOAD_PLUGINS", "")
    log = tmp_path / "app.log"
    log.write_text("LOGSTART\nok\nERROR one\nBLOCK begin\nholder x\nok\nok\nBLOCK again\n")
    case = diagnose([str(log)], pm=get_plugin_manager(extra=(EmbeddedPlugin(),)))
    blocks = [(f.line, f.slots["body"]) for f in case.facts if f.type == "test-block"]
    assert blocks == [(4, "BLOCK begin"), (5, "holder x"), (8, "BLOCK again")]
    assert [f.line for f in case.facts if f.type == "test-log-line"] == [3]
    assert case.artifacts[0].parser == "test-log, test-blocks"


class ShapePlugin:
    """A synthetic object parser whose shape names its command."""

    @hookimpl
    def hakb_fact_schemas(self):
        return [FactSchema("test-widget", {"name": "str", "state": "str"})]

    @hookimpl
    def hakb_parsers(self):
        def widget(record):
            yield Fact("test-widget", {"name": record.get("Name"), "state": record.get("State")},
                       line=record.line("Name"), text=record.text("Name"))

        return [object_parser("test-widgets", [shape("Get-Widget", {"Name", "State"}, widget)],
                              "widgets")]


def run_json(tmp_path, monkeypatch, text):
    monkeypatch.setenv("HAKB_LOAD_PLUGINS", "")
    pm = get_plugin_manager(extra=(ShapePlugin(),))
    import hakb.diagnosis
    monkeypatch.setattr(hakb.diagnosis, "get_plugin_manager", lambda: pm)
    (tmp_path / "session.txt").write_text(text)
    result = CliRunner().invoke(cli, ["diagnose", "--no-save", "--format", "json", str(tmp_path / "session.txt")])
    return json.loads(result.stdout)


def test_objects_in_any_shape_reach_the_same_shape(tmp_path, monkeypatch):
    text = ("PS C:\\> Get-Widget | fl\n\nName  : w1\nState : Up\n\n"
            "PS C:\\> Get-Widget | ft\n\nName State\n---- -----\nw2   Down\n\n"
            "PS C:\\> Get-Widget | ConvertTo-Csv\n\"Name\",\"State\"\n\"w3\",\"Up\"\n")
    report = run_json(tmp_path, monkeypatch, text)
    sections = report["artifacts"][0]["sections"]
    assert [(s["parser"], s["facts"]) for s in sections] == [("test-widgets", 1)] * 3


def test_a_known_command_whose_output_cannot_be_read_is_an_error_naming_its_line(tmp_path, monkeypatch):
    text = "PS C:\\> Get-Widget | fl Name\n\nName : w1\n\nPS C:\\> Get-Widget | fl\n\nName  : w2\nState : Up\n"
    report = run_json(tmp_path, monkeypatch, text)
    [artifact] = report["artifacts"]
    assert artifact["status"] == "error"
    assert "line 1: the output of 'Get-Widget | fl Name' could not be read" in artifact["message"]
    assert [s["status"] for s in artifact["sections"]] == ["error", "parsed"]


def test_skipped_sections_are_listed_with_their_reason(tmp_path, monkeypatch):
    text = "PS C:\\> Get-Widget | fl\n\nName  : w1\nState : Up\n\nPS C:\\> Get-Date\n\nFriday, 20 November 2026 09:14:00\n"
    report = run_json(tmp_path, monkeypatch, text)
    [artifact] = report["artifacts"]
    assert artifact["status"] == "parsed"
    skipped = [s for s in artifact["sections"] if s["status"] == "skipped"]
    assert skipped == [{"lines": [6, 8], "command": "Get-Date", "parser": None, "status": "skipped",
                        "facts": 0, "message": "no parser reads the output of 'Get-Date'"}]


def test_a_reading_limit_makes_the_diagnosis_incomplete(tmp_path, monkeypatch):
    import hakb.parsing

    monkeypatch.setattr(hakb.parsing, "MAX_SECTIONS", 1)
    text = "PS C:\\> Get-Widget | fl\n\nName  : w1\nState : Up\n\nPS C:\\> Get-Widget | fl\n\nName  : w2\nState : Up\n"
    report = run_json(tmp_path, monkeypatch, text)
    [artifact] = report["artifacts"]
    assert artifact["status"] == "parsed" and "1 more sections (lines 6-9) were not read" in artifact["message"]
    assert report["complete"] is False
    assert any("were not read" in reason for reason in report["incomplete_reasons"])

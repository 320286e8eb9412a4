"""`hakb export --anonymize`: consistent pseudonyms for hosts, domains, IPs, MACs and users, so a
case can leave the company and still read."""

import json
import re
import textwrap

import pytest
from click.testing import CliRunner
from hostile_kit import line_plugin_manager

import hakb.diagnosis
from hakb.anonymize import Anonymizer, anonymize
from hakb.cli import cli

IDENTIFIERS = ["esx01", "esx02.corp.example.com", "corp.example.com", "10.20.30.40", "2001:db8:aa::15",
               "00:50:56:0a:02:01", "005056aa0201", "jdoe", "CORP", "alice", "mail01", "acme-intra.local",
               "bob"]

FILES = {
    "esx-esx01.corp.example.com-2026-11-20--09.15-12345/var/log/hostd.log": """\
        HAKB-TEST
        holder = esx02.corp.example.com (00:50:56:0a:02:01)
        owner_uuid = 5e4f1d2c-0f3a1b2c-5d6e-0050560a0201
        mgmt = 10.20.30.40 gw 10.20.30.1 mask 255.255.255.0 v6 2001:db8:aa::15
        login = CORP\\jdoe from mail01.acme-intra.local
        notify = alice@corp.example.com
        session = user=bob
        """,
    "esx02/nics.txt": """\
        HAKB-TEST
        vmnic0 = 00:50:56:0A:02:01 on esx02
        loopback = 127.0.0.1
        """,
}


@pytest.fixture
def stored_case(tmp_path, monkeypatch):
    monkeypatch.setenv("HAKB_LOAD_PLUGINS", "")
    pm = line_plugin_manager(tmp_path / "pack")
    monkeypatch.setattr(hakb.diagnosis, "get_plugin_manager", lambda: pm)
    bundle = tmp_path / "bundle"
    for name, text in FILES.items():
        path = bundle / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text))
    db = tmp_path / "cases.db"
    result = CliRunner().invoke(cli, ["diagnose", "--db", str(db), "--format", "json", "--fail-on", "never",
                                      str(bundle)])
    assert result.exit_code == 0, result.output
    return db, json.loads(result.stdout)["case_id"]


def export(db, case_id, *options):
    result = CliRunner().invoke(cli, ["export", "--db", str(db), case_id, *options])
    assert result.exit_code == 0, result.output
    return result.stdout


def test_plain_export_is_the_stored_case_with_its_facts(stored_case):
    db, case_id = stored_case
    data = json.loads(export(db, case_id))
    assert data["case_id"] == case_id and "anonymized" not in data
    assert any("esx02.corp.example.com" in f["text"] for f in data["facts"])
    assert {f["id"] for f in data["findings"]} == {"test-seen"}


def test_anonymized_export_leaks_no_identifier_and_still_reads(stored_case, tmp_path):
    db, case_id = stored_case
    mapping_file = tmp_path / "mapping.json"
    text = export(db, case_id, "--anonymize", "--map", str(mapping_file))
    for identifier in IDENTIFIERS:
        assert not re.search(rf"(?i)(?<![\w.-]){re.escape(identifier)}(?![\w-])", text), identifier
    data = json.loads(text)
    assert data["anonymized"] is True and data["case_id"] == case_id
    summaries = {f["key"]: f["summary"] for f in data["findings"]}
    # One value, one pseudonym, in every form it takes.
    assert summaries["holder"] == "holder is host-2.domain-1.example (00:50:56:00:00:01)"
    assert summaries["vmnic0"] == "vmnic0 is 00:50:56:00:00:01 on host-2"
    assert summaries["owner_uuid"] == "owner_uuid is 5e4f1d2c-0f3a1b2c-5d6e-005056000001"
    assert summaries["mgmt"] == "mgmt is 192.0.2.1 gw 192.0.2.2 mask 255.255.255.0 v6 2001:db8::1"
    assert summaries["login"] == "login is DOMAIN-1\\user-1 from host-3.domain-2.example"
    assert summaries["notify"] == "notify is user-2@domain-1.example"
    assert summaries["session"] == "session is user=user-3"
    assert summaries["loopback"] == "loopback is 127.0.0.1"
    hosts = {a["host"] for a in data["artifacts"] if a["host"]}
    assert hosts == {"host-1.domain-1.example", "host-2"}
    assert any(a["path"].endswith("esx-host-1.domain-1.example-2026-11-20--09.15-12345/var/log/hostd.log")
               for a in data["artifacts"])
    assert {f["id"] for f in data["findings"]} == {"test-seen"}  # ids are not identifiers
    mapping = json.loads(mapping_file.read_text())
    assert mapping["hosts"]["esx02"] == "host-2" and mapping["ipv4"]["10.20.30.40"] == "192.0.2.1"


def test_same_input_same_pseudonyms():
    report = {"artifacts": [{"host": "esx09.lab.example", "path": "a"}], "findings": [],
              "facts": [{"host": "esx09", "text": "esx09 at 198.51.100.7", "slots": {"server": "sql01"}}]}
    first, _ = anonymize(report)
    second, _ = anonymize(json.loads(json.dumps(report)))
    assert first == second
    assert first["facts"][0]["text"] == "host-1 at 192.0.2.1"
    assert first["facts"][0]["slots"] == {"server": "host-2"}


def test_json_escaped_account_names_are_replaced_too():
    a = Anonymizer()
    assert a.text('{"user": "CORP\\\\jdoe", "by": "CORP\\jdoe"}') == \
        '{"user": "DOMAIN-1\\\\user-1", "by": "DOMAIN-1\\user-1"}'


def test_well_known_names_and_vendor_domains_stay():
    a = Anonymizer()
    text = ("NT AUTHORITY\\SYSTEM and root via https://kb.vmware.com/s/article/2107796, "
            "HKLM\\SOFTWARE\\Microsoft, 0.0.0.0, 169.254.1.1, localhost, build 6.7.0.14320388")
    assert a.text(text) == text
